"""Choosing the number of topics: NPMI coherence, topic diversity and stability across seeds.

>>> docs = [["a", "b"], ["a", "b"], ["c"], ["c", "a"]]
>>> round(npmi_coherence([["a", "b"]], docs)[0], 4)   # p(a)=3/4, p(b)=1/2, p(ab)=1/2
0.415
>>> topic_diversity([["a", "b"], ["a", "c"]])
0.75
>>> stability([[["a", "b"]], [["a", "c"]]])
0.3333333333333333

BERTopic's maintainer declined built-in coherence (FACTS.md), so NPMI is computed here from
document co-occurrence (a word pair co-occurs when both appear in one document of the reference
corpus): ``NPMI(i, j) = log(p_ij / (p_i p_j)) / -log(p_ij)``, -1 when a pair never co-occurs, averaged
over the pairs of a topic's top words. Diversity is the share of distinct words among all topics'
top words. Stability fits the same model with several seeds and averages, over pairs of runs, the
best-match Jaccard similarity of each topic's top words with the other run's topics.
:func:`select_k` returns one tidy row per method and k; :func:`plot_k_selection` only draws it.

:func:`npmi_scorer` is the same NPMI as a scikit-learn scorer, for a cross-validated search over k
(each fold's topics are scored on the held-out documents)::

    from sklearn.model_selection import GridSearchCV
    search = GridSearchCV(TopicModel("nmf"), {"n_topics": [5, 10, 15]}, scoring=npmi_scorer, cv=3)
    search.fit(token_lists).best_params_      # e.g. {'n_topics': 10}
"""

from __future__ import annotations

from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError


def _doc_sets(reference: Sequence[Sequence[str]], words: set[str]) -> dict[str, set[int]]:
    postings: dict[str, set[int]] = {w: set() for w in words}
    for i, doc in enumerate(reference):
        for w in set(doc) & words:
            postings[w].add(i)
    return postings


def npmi_coherence(topics: Sequence[Sequence[str]], reference: Sequence[Sequence[str]], *,
                   top_n: int = 10) -> list[float]:
    """Mean NPMI of the pairs among each topic's first ``top_n`` words (document co-occurrence)."""
    reference = [list(d) for d in reference]
    n_docs = len(reference)
    words = {w for t in topics for w in list(t)[:top_n]}
    postings = _doc_sets(reference, words)
    out = []
    for topic in topics:
        scores = []
        for a, b in combinations(list(topic)[:top_n], 2):
            pa, pb = len(postings[a]) / n_docs, len(postings[b]) / n_docs
            pab = len(postings[a] & postings[b]) / n_docs
            if pab == 0 or pa == 0 or pb == 0:
                scores.append(-1.0)
            elif pab == 1.0:
                scores.append(1.0)
            else:
                scores.append(float(np.log(pab / (pa * pb)) / -np.log(pab)))
        out.append(float(np.mean(scores)) if scores else float("nan"))
    return out


def reference_tokens(documents, tokenizer=None) -> list[list[str]]:
    """Each document as one token list, as the topic models read it.

    A token list passes through, a list of paragraphs (token lists) is flattened, a string goes
    through :class:`~analysis.topics.embeddings.TokenAnalyzer` with ``tokenizer`` (None: the
    project's ``JapaneseTokenizer``).
    """
    from analysis.topics.embeddings import TokenAnalyzer

    analyzer = None
    out = []
    for document in documents:
        if isinstance(document, str):
            analyzer = analyzer or TokenAnalyzer(tokenizer)
            out.append(analyzer(document))
            continue
        items = list(document)
        if items and not isinstance(items[0], str):
            out.append([str(t) for paragraph in items for t in paragraph])
        else:
            out.append([str(t) for t in items])
    return out


def _model_words(model) -> list[list[str]]:
    """A fitted topic model's top words per topic, the outlier topic (-1) left out."""
    return [list(w) for t, w in zip(model.topics_, model.topic_words_) if t != -1]


def _mean_npmi(topics: Sequence[Sequence[str]], reference: Sequence[Sequence[str]], *, top_n: int = 10) -> float:
    """Mean over topics of :func:`npmi_coherence` (topics with fewer than two words left out)."""
    return float(np.nanmean(npmi_coherence(topics, reference, top_n=top_n)))


def npmi_scorer(estimator, X, y=None, *, top_n: int = 10) -> float:
    """Scorer for ``GridSearchCV(..., scoring=npmi_scorer)``: mean NPMI of the fitted model's topics on ``X``.

    ``estimator`` is a fitted :class:`~analysis.topics.models.TopicModel` or
    :class:`~analysis.topics.bertopic_model.BERTopicModel`; ``X`` the documents to count
    co-occurrences in (token lists, paragraph lists or raw text, tokenized with the model's
    ``tokenizer``); ``y`` is ignored. Higher is better, in [-1, 1]. For another ``top_n`` pass
    ``functools.partial(npmi_scorer, top_n=5)``.
    """
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(estimator)
    reference = reference_tokens(X, getattr(estimator, "tokenizer", None))
    if not reference:
        raise InputError("npmi_scorer got no documents in X; pass the held-out documents to count co-occurrences in")
    return _mean_npmi(_model_words(estimator), reference, top_n=top_n)


def topic_diversity(topics: Sequence[Sequence[str]], *, top_n: int = 25) -> float:
    """Distinct words / all words among the topics' first ``top_n`` words (1: no overlap)."""
    words = [w for t in topics for w in list(t)[:top_n]]
    return len(set(words)) / len(words) if words else float("nan")


def stability(runs: Sequence[Sequence[Sequence[str]]], *, top_n: int = 10) -> float:
    """Mean best-match Jaccard of top words between runs (each run: a list of topics' words)."""
    values = []
    for a, b in combinations(runs, 2):
        for x, y in ((a, b), (b, a)):
            for topic in x:
                s = set(list(topic)[:top_n])
                values.append(max(len(s & set(list(o)[:top_n])) / len(s | set(list(o)[:top_n])) for o in y))
    return float(np.mean(values)) if values else float("nan")


def _fit(method: str, k: int, seed: int, documents, tokenizer, paragraphs: bool = False):
    if method == "bertopic":
        from analysis.topics.bertopic_model import BERTopicModel

        model = BERTopicModel(n_topics=k, random_state=seed, tokenizer=tokenizer, paragraphs=paragraphs)
    else:
        from analysis.topics.models import TopicModel

        model = TopicModel(method, n_topics=k, random_state=seed, tokenizer=tokenizer)
    return model.fit(documents)


def select_k(documents: Sequence[Sequence[str]], ks: Sequence[int], *, methods: Sequence[str] = ("nmf",),
             seeds: Sequence[int] = (config.SEED, config.SEED + 1, config.SEED + 2),
             reference: Sequence[Sequence[str]] | None = None, top_n: int = 10,
             tokenizer=None) -> pd.DataFrame:
    """Tidy ``method, k, npmi, npmi_sd, diversity, stability, n_seeds`` over ``ks`` and ``methods``.

    ``documents`` are token lists; ``reference`` (default: the documents) is the corpus NPMI counts
    co-occurrences in. NPMI and diversity are averaged over seeds; stability compares the seeds' runs.
    """
    reference = documents if reference is None else reference
    rows = []
    for method in methods:
        for k in ks:
            runs, npmis, divs = [], [], []
            for seed in seeds:
                model = _fit(method, int(k), int(seed), documents, tokenizer)
                words = _model_words(model)
                runs.append(words)
                npmis.append(_mean_npmi(words, reference, top_n=top_n))
                divs.append(topic_diversity(words))
            rows.append({"method": method, "k": int(k), "npmi": float(np.mean(npmis)),
                         "npmi_sd": float(np.std(npmis)), "diversity": float(np.mean(divs)),
                         "stability": stability(runs, top_n=top_n), "n_seeds": len(seeds)})
    return pd.DataFrame(rows, columns=["method", "k", "npmi", "npmi_sd", "diversity", "stability", "n_seeds"])


METRIC_NAMES = {"npmi": "NPMI一貫性", "diversity": "多様性", "stability": "安定性（Jaccard）"}


def suggest_k(df: pd.DataFrame, method: str | None = None) -> int | None:
    """The k with the highest mean NPMI for ``method`` (default: the first in sorted order); ties: smaller k.

    >>> suggest_k(pd.DataFrame({"method": ["nmf"] * 3, "k": [4, 8, 10], "npmi": [0.1, 0.3, 0.3]}))
    8
    """
    if df.empty:
        return None
    method = method if method is not None else sorted(df["method"].unique())[0]
    part = df[df["method"] == method].dropna(subset=["npmi"]).sort_values("k", kind="stable")
    return int(part.loc[part["npmi"].idxmax(), "k"]) if len(part) else None


def plot_k_selection(df: pd.DataFrame, *, ax=None, fitted_k: int | None = None):
    """Draw NPMI, diversity and stability against k (one line per metric and method), in Japanese.

    A dotted vertical line marks each method's suggested k (:func:`suggest_k`, highest NPMI); a
    solid black one, labelled "このランで使用: k=<fitted_k>", marks the k the run actually fitted
    when ``fitted_k`` is given, so a suggestion is never mistaken for the k behind the results.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    styles = ["-", "--", ":", "-."]
    top = ax.get_xaxis_transform()
    for m_i, (method, part) in enumerate(df.groupby("method", sort=True)):
        part = part.sort_values("k")
        for c_i, (metric, name) in enumerate(METRIC_NAMES.items()):
            ax.plot(part["k"], part[metric], marker="o", linestyle=styles[m_i % len(styles)],
                    color=f"C{c_i}", label=f"{name}（{method}）")
        suggested = suggest_k(df, method)
        if suggested is not None:
            ax.vlines(suggested, 0, 1, transform=top, colors="#777777", linestyles=":", linewidth=1.0, zorder=1,
                      label=f"NPMI最大（{method}）: k={suggested}", gid=f"suggested_k:{method}")
    if fitted_k is not None:
        ax.vlines(int(fitted_k), 0, 1, transform=top, colors="black", linestyles="-", linewidth=1.2, zorder=4,
                  label=f"このランで使用: k={int(fitted_k)}", gid="fitted_k")
        ax.annotate(f" このランで使用: k={int(fitted_k)} ", (int(fitted_k), 0.98), xycoords=top, xytext=(-3, 0),
                    textcoords="offset points", rotation=90, ha="right", va="top", fontsize=7,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    ax.set_xlabel("トピック数 k")
    ax.set_ylabel("指標の値（高いほど良い）")
    ticks = sorted(set(int(k) for k in df["k"].unique()) | ({int(fitted_k)} if fitted_k is not None else set()))
    ax.set_xticks(ticks)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=7)
    ax.set_title("トピック数の選択（点線：NPMI最大の提案）")
    return ax
