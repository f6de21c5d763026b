"""BERTopic, offline and seeded, over whole editorials or their paragraphs.

    >>> from analysis.topics.bertopic_model import BERTopicModel
    >>> model = BERTopicModel(n_topics=9, paragraphs=True).fit(token_lists)   # doctest: +SKIP
    >>> model.transform(["半導体の輸出規制を強化した。"])                    # doctest: +SKIP

Built as FACTS.md requires: the embedding model is ALWAYS given, a scikit-learn pipeline (TF-IDF
over our tokens -> TruncatedSVD -> Normalizer, see :mod:`analysis.topics.embeddings`; BERTopic wraps
it as ``SklearnEmbedder``), or a sentence-transformers model from a local folder.

Two clusterings (``clustering``):

* ``"kmeans"`` (the default; needs ``n_topics``): k-means with ``n_topics`` clusters directly on the
  L2-normalised embeddings (UMAP skipped with BERTopic's ``BaseDimensionalityReduction``), so a
  researcher who asks for k topics gets k topics and no outliers. UMAP's neighbourhood compression
  serves density clustering, k-means works on the normalised LSA vectors themselves (livedoor, 9
  categories: NMI 0.68-0.73 over six seeds against 0.57 for UMAP + HDBSCAN; README, `analysis
  topics-validate`).
* ``"hdbscan"``: UMAP (our ``random_state``) then HDBSCAN, which finds the number of topics itself
  (``n_topics`` then merges them down with BERTopic's ``nr_topics``); ``min_cluster_size`` is sized
  to the corpus; outliers are reassigned with ``reduce_outliers``.

The c-TF-IDF vectorizer is ``CountVectorizer`` over our
:class:`~analysis.topics.embeddings.TokenAnalyzer` (JapaneseTokenizer inside). With
``paragraphs=True`` each editorial is split into paragraphs (lines), the paragraphs are clustered,
and a document's topic weights are the token-weighted shares of its paragraphs per topic.

A document is a string (raw text), a token list, or (paragraph mode) a list of token lists, one per
paragraph. bertopic, umap and hdbscan are imported inside the methods (import costs ~8 s).
:class:`BERTopicModel` is a scikit-learn estimator like :class:`~analysis.topics.models.TopicModel`
(parameters stored as given, fitted state in attributes ending in ``_``: ``bertopic_``, ``topics_``,
...), so it clones and goes through ``GridSearchCV`` over ``n_topics``.
Saving pickles the whole object with joblib (:func:`analysis.topics.models.save_topic_model`):
the tokenizer is a module-level class and survives; ``_after_load`` re-attaches our analyzer to
BERTopic's vectorizer in case a BERTopic version drops it.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from analysis import config
from analysis.errors import InputError, MissingExtraError
from analysis.topics.embeddings import (TokenAnalyzer, fitted_embedding_pipeline, join_tokens,
                                        sentence_transformer)
from analysis.topics.models import text_input_tags
from analysis.topics.seeded import label_topics

OUTLIER = -1


def _as_units(document, paragraphs: bool) -> list:
    """The modelling units of one document: itself, or its paragraphs."""
    if not paragraphs:
        return [document]
    if isinstance(document, str):
        units = [line.strip() for line in document.splitlines() if line.strip()]
        return units or [document]
    items = list(document)
    if items and not isinstance(items[0], str):
        units = [list(p) for p in items if len(p)]
        return units or [[]]
    return [items]


def _unit_text(unit) -> str:
    return unit if isinstance(unit, str) else join_tokens(unit)


class BERTopicModel(TransformerMixin, BaseEstimator):
    """Offline BERTopic with the same surface as :class:`analysis.topics.models.TopicModel`.

    ``n_topics``: number of topics (k-means) or reduce to this many (HDBSCAN; None: as found);
    ``clustering``: "kmeans" or "hdbscan" (module docstring); ``themes``: guided topics;
    ``paragraphs``: cluster paragraphs; ``min_cluster_size`` of HDBSCAN (None: sized to the corpus);
    ``n_components`` of the SVD embedding; ``embedding_model``: None (TF-IDF+SVD) or the local path of
    a sentence-transformers model; ``reduce_outliers``; ``random_state``; ``tokenizer``. They are
    checked in ``fit``, not here, so ``clone`` and ``set_params`` accept any value.
    """

    method = "bertopic"

    def __init__(self, n_topics: int | None = 10, *, clustering: str = "kmeans",
                 themes: Mapping[str, Sequence[str]] | None = None, paragraphs: bool = False,
                 min_cluster_size: int | None = None, n_components: int = 100,
                 umap_components: int = 5, umap_neighbors: int = 15, embedding_model: str | None = None,
                 reduce_outliers: bool = True, random_state: int | None = config.SEED,
                 tokenizer: Any = None, n_top_words: int = 20):
        self.n_topics = n_topics
        self.clustering = clustering
        self.themes = themes
        self.paragraphs = paragraphs
        self.min_cluster_size = min_cluster_size
        self.n_components = n_components
        self.umap_components = umap_components
        self.umap_neighbors = umap_neighbors
        self.embedding_model = embedding_model
        self.reduce_outliers = reduce_outliers
        self.random_state = random_state
        self.tokenizer = tokenizer
        self.n_top_words = n_top_words

    def __sklearn_tags__(self):
        return text_input_tags(super().__sklearn_tags__())

    def _split(self, documents):
        units, owner = [], []
        for i, doc in enumerate(documents):
            for unit in _as_units(doc, self.paragraphs):
                units.append(unit)
                owner.append(i)
        return units, np.asarray(owner, dtype=int)

    def _reduction_and_clustering(self, n: int):
        """(umap_model, hdbscan_model, nr_topics) for BERTopic, for ``n`` units."""
        if self.clustering == "kmeans":
            from bertopic.dimensionality import BaseDimensionalityReduction
            from sklearn.cluster import KMeans

            if not self.n_topics or not 2 <= self.n_topics < n:
                raise InputError(f"BERTopic with k-means needs 2 <= k < units ({n}), got k={self.n_topics}; "
                                 "give --k, or use clustering='hdbscan' to let the model find the number")
            return (BaseDimensionalityReduction(),
                    KMeans(n_clusters=self.n_topics, n_init=10, random_state=self.random_state), None)
        if self.clustering == "hdbscan":
            from hdbscan import HDBSCAN
            from umap import UMAP

            mcs = self.min_cluster_size or int(max(5, min(100, round(n / 60))))
            umap_model = UMAP(n_neighbors=min(self.umap_neighbors, n - 1), n_components=self.umap_components,
                              min_dist=0.0, metric="cosine", random_state=self.random_state, n_jobs=1)
            hdbscan_model = HDBSCAN(min_cluster_size=mcs, min_samples=max(1, mcs // 3), metric="euclidean",
                                    cluster_selection_method="eom", prediction_data=True)
            return umap_model, hdbscan_model, self.n_topics
        raise InputError(f"clustering {self.clustering!r}: use 'kmeans' or 'hdbscan'")

    def fit(self, documents, y=None):
        try:
            from bertopic import BERTopic
            from sklearn.feature_extraction.text import CountVectorizer
        except ImportError as exc:  # pragma: no cover - installed with the package
            raise MissingExtraError(f"BERTopic needs bertopic, umap-learn and hdbscan ({exc}); "
                                    "pip install -e . in the project") from exc
        documents = list(documents)
        units, owner = self._split(documents)
        texts = [_unit_text(u) for u in units]
        n = len(texts)
        if n < 10:
            raise InputError(f"BERTopic needs at least 10 documents or paragraphs, got {n}; use nmf/lda")
        self.analyzer_ = TokenAnalyzer(self.tokenizer)
        if self.embedding_model:
            embedder = sentence_transformer(self.embedding_model)
        else:
            from bertopic.backend._sklearn import SklearnEmbedder

            pipe = fitted_embedding_pipeline(texts, self.analyzer_, n_components=self.n_components,
                                             random_state=self.random_state)
            embedder = SklearnEmbedder(pipe)
        umap_model, cluster_model, nr_topics = self._reduction_and_clustering(n)
        vectorizer = CountVectorizer(analyzer=self.analyzer_, min_df=1)
        seed_list = [list(w) for w in self.themes.values()] if self.themes else None
        self.bertopic_ = BERTopic(embedding_model=embedder, umap_model=umap_model,
                                  hdbscan_model=cluster_model, vectorizer_model=vectorizer,
                                  seed_topic_list=seed_list, nr_topics=nr_topics,
                                  top_n_words=self.n_top_words, calculate_probabilities=False,
                                  verbose=False)
        embeddings = np.asarray(embedder.embed(texts), dtype=np.float64)
        topics, _ = self.bertopic_.fit_transform(texts, embeddings=embeddings)
        self.outliers_before_ = float(np.mean(np.asarray(topics) == OUTLIER))
        if self.reduce_outliers and OUTLIER in set(topics) and len(set(topics)) > 1:
            topics = self.bertopic_.reduce_outliers(texts, topics, strategy="embeddings", embeddings=embeddings)
            self.bertopic_.update_topics(texts, topics=topics, vectorizer_model=vectorizer,
                                         top_n_words=self.n_top_words)
        self.unit_topics_ = np.asarray(self.bertopic_.topics_, dtype=int)
        self.unit_owner_ = owner
        self.outliers_ = float(np.mean(self.unit_topics_ == OUTLIER))
        info = sorted(set(int(t) for t in self.bertopic_.get_topics()))
        self.topics_ = info
        self.topic_words_ = [[w for w, _ in (self.bertopic_.get_topic(t) or [])] for t in info]
        non_outlier = [t for t in info if t != OUTLIER]
        theme_names = list(self.themes or {})
        named = label_topics([self.topic_words_[info.index(t)] for t in non_outlier], dict(self.themes or {}))
        labels = dict(zip(non_outlier, named))
        self.labels_ = ["外れ値" if t == OUTLIER else labels[t][0] for t in info]
        self.is_seeded_ = [t != OUTLIER and labels[t][0] in theme_names for t in info]
        self.n_documents_ = len(documents)
        return self

    def _aggregate(self, unit_topics: np.ndarray, units, owner: np.ndarray, n_docs: int) -> np.ndarray:
        weights = np.zeros((n_docs, len(self.topics_)))
        col = {t: j for j, t in enumerate(self.topics_)}
        sizes = np.array([max(1, len(self.analyzer_(u)) if not isinstance(u, str) or "\x1f" in u else len(u))
                          for u in units], dtype=float) if self.paragraphs else np.ones(len(units))
        for t, d, s in zip(unit_topics, owner, sizes):
            weights[d, col.get(int(t), col.get(OUTLIER, 0))] += s
        if OUTLIER in col and len(col) > 1:
            has_topic = weights.sum(axis=1) > weights[:, col[OUTLIER]]
            weights[has_topic, col[OUTLIER]] = 0.0
        total = weights.sum(axis=1, keepdims=True)
        return np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)

    def fit_transform(self, documents, y=None) -> np.ndarray:
        documents = list(documents)
        self.fit(documents)
        units, owner = self._split(documents)
        return self._aggregate(self.unit_topics_, units, owner, len(documents))

    def transform(self, documents) -> np.ndarray:
        """Document-topic weights (columns: ``topics_``); paragraph shares in paragraph mode."""
        check_is_fitted(self)
        documents = list(documents)
        units, owner = self._split(documents)
        texts = [_unit_text(u) for u in units]
        topics, _ = self.bertopic_.transform(texts)
        return self._aggregate(np.asarray(topics, dtype=int), units, owner, len(documents))

    def topic_words(self, n: int = 10) -> pd.DataFrame:
        check_is_fitted(self)
        rows = []
        for t, label, words in zip(self.topics_, self.labels_, self.topic_words_):
            weights = dict(self.bertopic_.get_topic(t) or [])
            for rank, word in enumerate(words[:n], start=1):
                rows.append((int(t), label, rank, word, float(weights.get(word, 0.0))))
        return pd.DataFrame(rows, columns=["topic", "label", "rank", "word", "weight"])

    def _after_load(self) -> None:
        """Re-attach our analyzer (JapaneseTokenizer inside) if the vectorizer lost it."""
        vec = getattr(getattr(self, "bertopic_", None), "vectorizer_model", None)
        if vec is not None and not isinstance(getattr(vec, "analyzer", None), TokenAnalyzer):
            vec.set_params(analyzer=self.analyzer_)
