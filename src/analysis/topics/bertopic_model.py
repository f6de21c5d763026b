"""BERTopic, offline and seeded, fitted on readable editorials (or their paragraphs).

    >>> from analysis.topics.bertopic_model import BERTopicModel, load_bertopic
    >>> model = BERTopicModel(n_topics=8, themes=themes).fit(documents)          # doctest: +SKIP
    >>> model.bertopic_.get_topic_info()        # CustomName: our theme labels  # doctest: +SKIP
    >>> model.topic_distr_.shape                # (documents, topics other than -1)  # doctest: +SKIP
    >>> model.save_bertopic("out/bertopic_model")                                # doctest: +SKIP
    >>> topic_model = load_bertopic("out/bertopic_model")  # a ready bertopic.BERTopic  # doctest: +SKIP

What BERTopic sees. ``bertopic_`` is a plain ``bertopic.BERTopic`` fitted on the READABLE texts: the
body of each editorial, or its paragraphs (``paragraphs=True``), so ``get_topic_info()``, the
representative documents and every hover show Japanese sentences. A document is a
:class:`~analysis.topics.embeddings.TokenizedText` (text + its tokens from ``tokens.parquet``; what
the topics stage passes), a raw string (tokenized once with ``tokenizer``), a token list (its text
is then the tokens joined by spaces), or in paragraph mode a list of those, one per paragraph.

Tokens are never recomputed for a text we already tokenized: the fit builds a
:class:`~analysis.topics.embeddings.TokenLookup` (text -> stored tokens) inside our picklable
:class:`~analysis.topics.embeddings.TokenAnalyzer`, which is the ``tokenizer`` of BERTopic's
``CountVectorizer`` and the analyzer of the embedding pipeline. BERTopic's c-TF-IDF (which joins a
topic's documents with spaces), ``topics_over_time``, ``hierarchical_topics`` and the representative
documents therefore count the stored tokens; only text the lookup does not know (a new document)
goes through janome.

The embedding model is ALWAYS given (FACTS.md: without one BERTopic deletes Japanese): a scikit-learn
``Pipeline`` (TF-IDF over our tokens -> TruncatedSVD -> Normalizer, :mod:`analysis.topics.embeddings`)
passed as ``embedding_model`` (BERTopic wraps a ``Pipeline`` itself, ``bertopic.backend.select_backend``),
or a sentence-transformers model from a local folder (``embedding_model=<path>``; never downloaded).

Two clusterings (``clustering``); outputs name them (``stage_defaults.method_label``):

* ``"kmeans"`` (the default; needs ``n_topics``): "BERTopic（LSA埋め込み, k-means）": k-means with
  ``n_topics`` clusters directly on the L2-normalised embeddings (UMAP skipped with BERTopic's
  ``BaseDimensionalityReduction``), so k topics and no outliers (livedoor, 9 categories: NMI 0.694
  against 0.568 for UMAP + HDBSCAN; `analysis topics-validate`). Above
  ``config.MINIBATCH_KMEANS_ABOVE`` units (200,000) scikit-learn's ``MiniBatchKMeans`` instead.
* ``"hdbscan"``: "BERTopic（LSA埋め込み, UMAP+HDBSCAN）": UMAP (our ``random_state``) then HDBSCAN, which
  finds the number of topics (``n_topics`` then merges down with ``nr_topics``); ``min_cluster_size``
  is sized to the corpus; outliers are reassigned with ``reduce_outliers``.

Names and distributions. Our seeded labels (``labels_``, :func:`analysis.topics.seeded.label_topics`)
are given to BERTopic with ``set_topic_labels``, so its views (``CustomName``,
``custom_labels=True`` in the plots) show them. ``topic_distr_`` is each fitted document's topic
distribution from BERTopic's ``approximate_distribution`` (c-TF-IDF of 4-token windows of the stored
tokens; paragraph mode: token-weighted mean of its paragraphs): shape (documents, topics other than
-1, in ``topics_`` order), rows summing to 1, or to 0 for a document none of whose windows reaches
``min_similarity`` 0.1 with any topic. On BERTopic itself the same numbers per unit come from
``bertopic_.approximate_distribution(docs, separator=analysis.topics.embeddings.SEP)``: with the
default separator " " every 4-token window goes through janome again (10x slower, and janome joins
compounds across the spaces). ``transform`` and the stage's tables keep BERTopic's own hard
assignment (one topic per document or paragraph).

Saving. ``save_topic_model`` (joblib) pickles the whole wrapper (tokenizer and lookup included);
:meth:`BERTopicModel.save_bertopic` writes BERTopic's own save: ``BERTopic.save(folder,
serialization="safetensors", save_ctfidf=True)`` plus ``embedding_model.joblib`` (the fitted
scikit-learn pipeline; its analyzer is our tokenizer with the lookup) and
``representative_docs.json``. ``BERTopic.load(folder)`` alone gives topic info, labels and plots in
any environment; to use the model on text (``transform``, ``topics_over_time``,
``hierarchical_topics``, ``approximate_distribution``) use :func:`load_bertopic`, which does::

    pipe = joblib.load(folder / "embedding_model.joblib")
    topic_model = BERTopic.load(folder, embedding_model=pipe)
    topic_model.vectorizer_model.set_params(tokenizer=pipe[0].analyzer)  # safetensors drops it
    topic_model.representative_docs_ = <representative_docs.json>         # safetensors drops them

bertopic, umap and hdbscan are imported inside the methods (import costs ~8 s).
:class:`BERTopicModel` is a scikit-learn estimator like :class:`~analysis.topics.models.TopicModel`
(parameters stored as given, fitted state in attributes ending in ``_``), so it clones and goes
through ``GridSearchCV`` over ``n_topics``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from analysis import config
from analysis.errors import InputError, MissingExtraError
from analysis.topics.embeddings import (TokenAnalyzer, TokenizedText, TokenLookup, fitted_embedding_pipeline,
                                        join_tokens, sentence_transformer, SEP)
from analysis.topics.models import text_input_tags
from analysis.topics.seeded import label_topics

OUTLIER = -1
#: BERTopic's own save inside the topics folder (data/processed/topics/bertopic/bertopic_model/).
BERTOPIC_DIR = "bertopic_model"
#: The fitted scikit-learn embedding pipeline, beside BERTopic's safetensors files.
EMBEDDING_FILE = "embedding_model.joblib"
#: Our tokenizer (with the lookup) when the embedding model is a sentence-transformers folder.
TOKENIZER_FILE = "tokenizer.joblib"
#: BERTopic's representative documents per topic (its safetensors save leaves them out).
REPRESENTATIVE_FILE = "representative_docs.json"
#: The documents BERTopic was fitted on, in its order (written by the topics stage).
DOCUMENTS_FILE = "documents.parquet"


def _as_units(document, paragraphs: bool) -> list:
    """The modelling units of one document: itself, or its paragraphs."""
    if isinstance(document, (str, TokenizedText)) and not (paragraphs and isinstance(document, str)):
        return [document]
    if not paragraphs:  # a token list, or paragraphs to read as one document
        items = list(document)
        if not items or isinstance(items[0], str):
            return [items]
        if all(isinstance(p, TokenizedText) for p in items):
            return [TokenizedText("\n".join(p.text for p in items), tuple(t for p in items for t in p.tokens))]
        return [[str(t) for p in items for t in p]]
    if isinstance(document, str):
        units = [line.strip() for line in document.splitlines() if line.strip()]
        return units or [document]
    items = list(document)
    if not items or isinstance(items[0], str):
        return [items]  # one token list
    units = []
    for paragraph in items:
        if isinstance(paragraph, TokenizedText):
            if paragraph.text.strip() or len(paragraph.tokens):
                units.append(paragraph)
        elif len(paragraph):
            units.append(list(paragraph))
    return units or [[]]


def _unit_text(unit) -> str:
    """The readable text BERTopic gets for a unit (a token list: its tokens joined by spaces)."""
    if isinstance(unit, TokenizedText):
        return unit.text
    return unit if isinstance(unit, str) else " ".join(str(t) for t in unit)


class BERTopicModel(TransformerMixin, BaseEstimator):
    """Offline BERTopic with the same surface as :class:`analysis.topics.models.TopicModel`.

    ``n_topics``: number of topics (k-means) or reduce to this many (HDBSCAN; None: as found);
    ``clustering``: "kmeans" or "hdbscan" (module docstring); ``themes``: guided topics;
    ``paragraphs``: cluster paragraphs; ``min_cluster_size`` of HDBSCAN (None: sized to the corpus);
    ``n_components`` of the SVD embedding; ``embedding_model``: None (TF-IDF+SVD) or the local path of
    a sentence-transformers model; ``reduce_outliers``; ``random_state``; ``tokenizer`` (for text
    without stored tokens; None: ``JapaneseTokenizer()``). They are checked in ``fit``, not here, so
    ``clone`` and ``set_params`` accept any value.

    Fitted: ``bertopic_`` (a ``bertopic.BERTopic``), ``topics_``, ``labels_``, ``is_seeded_``,
    ``topic_words_``, ``topic_distr_`` (module docstring), ``unit_topics_`` and ``unit_owner_`` (topic
    and document of each unit BERTopic saw), ``analyzer_`` (tokenizer + lookup), ``embedder_`` (the
    scikit-learn pipeline, or None), ``outliers_before_``/``outliers_`` (unit shares of topic -1).
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

    def bertopic_documents(self, documents) -> list[str]:
        """The texts BERTopic gets for ``documents`` (one per document, or per paragraph), in order:
        what ``bertopic_.topics_over_time``/``hierarchical_topics`` take for the fitted documents
        (timestamps per unit: ``timestamps[unit_owner_]``)."""
        return [_unit_text(u) for u in self._split(list(documents))[0]]

    def _reduction_and_clustering(self, n: int):
        """(umap_model, hdbscan_model, nr_topics) for BERTopic, for ``n`` units."""
        if self.clustering == "kmeans":
            from bertopic.dimensionality import BaseDimensionalityReduction
            from sklearn.cluster import KMeans

            if not self.n_topics or not 2 <= self.n_topics < n:
                raise InputError(f"BERTopic with k-means needs 2 <= k < units ({n}), got k={self.n_topics}; "
                                 "give --k, or use clustering='hdbscan' to let the model find the number")
            if n > config.MINIBATCH_KMEANS_ABOVE:  # memory and time at cluster scale (config)
                from sklearn.cluster import MiniBatchKMeans

                return (BaseDimensionalityReduction(),
                        MiniBatchKMeans(n_clusters=self.n_topics, n_init=3, batch_size=4096,
                                        random_state=self.random_state), None)
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

    def _unit_tokens(self, units, analyzer: TokenAnalyzer) -> list[list[str]]:
        return [analyzer(u) for u in units]

    def fit(self, documents, y=None):
        try:
            from bertopic import BERTopic
            from sklearn.feature_extraction.text import CountVectorizer
        except ImportError as exc:  # pragma: no cover - installed with the package
            raise MissingExtraError(f"BERTopic needs bertopic, umap-learn and hdbscan ({exc}); "
                                    "pip install -e . in the project") from exc
        documents = list(documents)
        units, owner = self._split(documents)
        n = len(units)
        if n < 10:
            raise InputError(f"BERTopic needs at least 10 documents or paragraphs, got {n}; use nmf/lda")
        texts = [_unit_text(u) for u in units]
        plain = TokenAnalyzer(self.tokenizer)
        token_lists = self._unit_tokens(units, plain)  # stored tokens; raw text tokenized once, here
        self.analyzer_ = TokenAnalyzer(plain.tokenizer, lookup=TokenLookup(texts, token_lists))
        if self.embedding_model:
            embedder = sentence_transformer(self.embedding_model)
            self.embedder_ = None
            embeddings = np.asarray(embedder.encode(texts, show_progress_bar=False), dtype=np.float64)
        else:
            embedder = self.embedder_ = fitted_embedding_pipeline(
                token_lists, self.analyzer_, n_components=self.n_components, random_state=self.random_state)
            embeddings = np.asarray(embedder.transform(token_lists), dtype=np.float64)
        umap_model, cluster_model, nr_topics = self._reduction_and_clustering(n)
        # tokenizer= (not analyzer=) so that BERTopic's approximate_distribution splits with it too
        vectorizer = CountVectorizer(tokenizer=self.analyzer_, lowercase=False, token_pattern=None, min_df=1)
        seed_list = [list(w) for w in self.themes.values()] if self.themes else None
        self.bertopic_ = BERTopic(embedding_model=embedder, umap_model=umap_model,
                                  hdbscan_model=cluster_model, vectorizer_model=vectorizer,
                                  seed_topic_list=seed_list, nr_topics=nr_topics,
                                  top_n_words=self.n_top_words, calculate_probabilities=False,
                                  verbose=False)
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
        # BERTopic pads short topics with "" words; they are not words
        self.topic_words_ = [[w for w, _ in (self.bertopic_.get_topic(t) or []) if w] for t in info]
        non_outlier = [t for t in info if t != OUTLIER]
        theme_names = list(self.themes or {})
        named = label_topics([self.topic_words_[info.index(t)] for t in non_outlier], dict(self.themes or {}))
        labels = dict(zip(non_outlier, named))
        self.labels_ = ["外れ値" if t == OUTLIER else labels[t][0] for t in info]
        self.is_seeded_ = [t != OUTLIER and labels[t][0] in theme_names for t in info]
        self.bertopic_.set_topic_labels(list(self.labels_))  # ordered like sorted topics, -1 first
        self.n_documents_ = len(documents)
        self.topic_distr_ = self._distribution(token_lists, owner, len(documents))
        return self

    def _sizes(self, token_lists) -> np.ndarray:
        """Weight of each unit in its document: its number of tokens (at least 1) in paragraph mode."""
        if not self.paragraphs:
            return np.ones(len(token_lists))
        return np.array([max(1, len(t)) for t in token_lists], dtype=float)

    def _aggregate(self, unit_weights: np.ndarray, sizes: np.ndarray, owner: np.ndarray, n_docs: int) -> np.ndarray:
        """Units' rows summed into their documents by ``sizes``, each row then summing to 1 (or 0)."""
        weights = np.zeros((n_docs, unit_weights.shape[1]))
        np.add.at(weights, owner, unit_weights * sizes[:, None])
        total = weights.sum(axis=1, keepdims=True)
        return np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)

    def _hard(self, unit_topics: np.ndarray, sizes: np.ndarray, owner: np.ndarray, n_docs: int) -> np.ndarray:
        col = {t: j for j, t in enumerate(self.topics_)}
        onehot = np.zeros((len(unit_topics), len(self.topics_)))
        for i, t in enumerate(unit_topics):
            onehot[i, col.get(int(t), col.get(OUTLIER, 0))] = 1.0
        weights = self._aggregate(onehot, sizes, owner, n_docs)
        if OUTLIER in col and len(col) > 1:  # a document with any topical paragraph is not an outlier
            has_topic = weights[:, col[OUTLIER]] < 1.0
            weights[has_topic, col[OUTLIER]] = 0.0
            total = weights.sum(axis=1, keepdims=True)
            weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
        return weights

    def _distribution(self, token_lists, owner: np.ndarray, n_docs: int) -> np.ndarray:
        # windows of the stored tokens, joined by SEP so that our analyzer splits them without janome
        unit_distr, _ = self.bertopic_.approximate_distribution([join_tokens(t) for t in token_lists],
                                                                separator=SEP)
        return self._aggregate(np.asarray(unit_distr, dtype=float), self._sizes(token_lists), owner, n_docs)

    def topic_distribution(self, documents) -> np.ndarray:
        """Topic distribution per document (columns: ``topics_`` without -1), as ``topic_distr_``."""
        check_is_fitted(self)
        documents = list(documents)
        units, owner = self._split(documents)
        return self._distribution(self._unit_tokens(units, self.analyzer_), owner, len(documents))

    def fit_transform(self, documents, y=None) -> np.ndarray:
        documents = list(documents)
        self.fit(documents)
        units, owner = self._split(documents)
        sizes = self._sizes(self._unit_tokens(units, self.analyzer_))
        return self._hard(self.unit_topics_, sizes, owner, len(documents))

    def transform(self, documents) -> np.ndarray:
        """Document-topic weights (columns: ``topics_``): BERTopic's topic per document, or the
        token-weighted shares of its paragraphs' topics in paragraph mode."""
        check_is_fitted(self)
        documents = list(documents)
        units, owner = self._split(documents)
        texts = [_unit_text(u) for u in units]
        token_lists = self._unit_tokens(units, self.analyzer_)
        embeddings = None if self.embedder_ is None else np.asarray(self.embedder_.transform(token_lists))
        topics, _ = self.bertopic_.transform(texts, embeddings=embeddings)
        return self._hard(np.asarray(topics, dtype=int), self._sizes(token_lists), owner, len(documents))

    def topic_words(self, n: int = 10) -> pd.DataFrame:
        check_is_fitted(self)
        rows = []
        for t, label, words in zip(self.topics_, self.labels_, self.topic_words_):
            weights = dict(self.bertopic_.get_topic(t) or [])
            for rank, word in enumerate(words[:n], start=1):
                rows.append((int(t), label, rank, word, float(weights.get(word, 0.0))))
        return pd.DataFrame(rows, columns=["topic", "label", "rank", "word", "weight"])

    def save_bertopic(self, directory: str | Path) -> Path:
        """BERTopic's own save in ``directory`` (safetensors + c-TF-IDF, our labels included), with the
        embedding pipeline (``embedding_model.joblib``; ``tokenizer.joblib`` for a sentence-transformers
        model) and ``representative_docs.json``. Load it with :func:`load_bertopic`."""
        import joblib

        from analysis.io import atomic_path, write_json

        check_is_fitted(self)
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        # save_embedding_model: a sentence-transformers folder is recorded by its path (BERTopic.load
        # reopens it); True is a no-op for the scikit-learn pipeline, which goes to EMBEDDING_FILE
        self.bertopic_.save(str(directory), serialization="safetensors", save_ctfidf=True,
                            save_embedding_model=str(self.embedding_model) if self.embedding_model else True)
        extra, name = (self.embedder_, EMBEDDING_FILE) if self.embedder_ is not None else (self.analyzer_, TOKENIZER_FILE)
        with atomic_path(directory / name) as tmp:
            joblib.dump(extra, tmp, compress=3)
        docs = {str(t): list(d) for t, d in sorted((self.bertopic_.representative_docs_ or {}).items())}
        write_json(docs, directory / REPRESENTATIVE_FILE)
        return directory

    def __getstate__(self):
        # scikit-learn caches id(stop_words) on the vectorizer; a memory address differs between
        # processes, and identical runs must save identical model files
        vec = getattr(self.__dict__.get("bertopic_"), "vectorizer_model", None)
        if vec is not None:
            vec.__dict__.pop("_stop_words_id", None)
        return super().__getstate__()

    def _after_load(self) -> None:
        """Re-attach our tokenizer (JapaneseTokenizer + lookup) if the vectorizer lost it."""
        vec = getattr(getattr(self, "bertopic_", None), "vectorizer_model", None)
        if vec is None or isinstance(getattr(vec, "analyzer", None), TokenAnalyzer):
            return  # nothing fitted, or a model of an earlier version (analyzer=)
        if not isinstance(getattr(vec, "tokenizer", None), TokenAnalyzer):
            vec.set_params(tokenizer=self.analyzer_, lowercase=False, token_pattern=None)


def load_bertopic(folder: str | Path):
    """A ready ``bertopic.BERTopic`` from :meth:`BERTopicModel.save_bertopic`'s folder (or the topics
    folder holding ``bertopic_model/``): embedding model supplied, our tokenizer re-attached to its
    vectorizer, representative documents restored.

    The documents it was fitted on, in order, are in ``documents.parquet`` beside it when the topics
    stage wrote it (``topic_model.topics_over_time(docs.document.tolist(), docs.published.tolist())``;
    pass timestamps as datetimes: BERTopic 0.17's parsing of strings fails with pandas 3). For topic
    distributions call ``approximate_distribution(docs, separator=analysis.topics.embeddings.SEP)``
    (module docstring).
    """
    import joblib

    try:
        from bertopic import BERTopic
    except ImportError as exc:  # pragma: no cover - installed with the package
        raise MissingExtraError(f"loading a BERTopic model needs bertopic ({exc}); pip install -e .") from exc
    folder = Path(folder)
    if (folder / BERTOPIC_DIR).is_dir():
        folder = folder / BERTOPIC_DIR
    if not (folder / "topics.json").is_file():
        raise InputError(f"no BERTopic model in {folder} (topics.json missing); run "
                         "`analysis topics --method bertopic` or BERTopicModel.save_bertopic(folder)")
    if (folder / EMBEDDING_FILE).is_file():
        pipe = joblib.load(folder / EMBEDDING_FILE)
        topic_model = BERTopic.load(str(folder), embedding_model=pipe)
        analyzer = pipe[0].analyzer
    else:  # a sentence-transformers folder: BERTopic.load reopens it from config.json
        topic_model = BERTopic.load(str(folder))
        analyzer = joblib.load(folder / TOKENIZER_FILE)
    topic_model.vectorizer_model.set_params(tokenizer=analyzer, lowercase=False, token_pattern=None)
    representative = folder / REPRESENTATIVE_FILE
    if representative.is_file():
        docs = json.loads(representative.read_text(encoding="utf-8"))
        topic_model.representative_docs_ = {int(t): list(d) for t, d in docs.items()}
    return topic_model
