"""Document-topic tables and each topic's share of documents per newspaper and period.

>>> import numpy as np, pandas as pd
>>> weights = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
>>> dt = doc_topics_frame(["a", "b", "c"], weights, [0, 1])
>>> dt[dt["dominant"]]["topic"].tolist()
[0, 1, 0]
>>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "source": ["朝日"] * 3,
...     "published": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-01"]).tz_localize("Asia/Tokyo")})
>>> s = topic_shares(dt, corpus, {0: "輸出規制", 1: "AI競争"}, n_boot=50)
>>> s[["period", "label", "n", "mean"]].values.tolist()[:2]
[['2024-01', '輸出規制', 2, 0.5], ['2024-01', 'AI競争', 2, 0.5]]

BERTopic's ``topics_over_time`` scales each topic by itself and has neither newspapers nor
intervals (FACTS.md), so shares are computed here: for every document, an indicator of its dominant
topic (``value="dominant"``) or its topic weight (``value="mass"``), averaged per source and period
with :func:`analysis.stats.grouped_mean_ci` (bootstrap over documents; ``n`` documents per point).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.stats import grouped_mean_ci, period_label


def doc_topics_frame(doc_ids: Sequence[str], weights: np.ndarray, topics: Sequence[int]) -> pd.DataFrame:
    """Long ``doc_id, topic, weight, dominant`` (non-zero weights only; one dominant row per document).

    The dominant topic is the largest weight (ties: the lower topic id). A document with no weight
    at all gets one row with topic -1 (no known words).
    """
    weights = np.asarray(weights, dtype=float)
    topics = np.asarray(list(topics), dtype=int)
    order = np.argsort(topics, kind="stable")
    topics, weights = topics[order], weights[:, order]
    best = weights.argmax(axis=1)
    rows = []
    for i, doc_id in enumerate(doc_ids):
        row = weights[i]
        if not (row > 0).any():
            rows.append((doc_id, -1, 0.0, True))
            continue
        for j in np.flatnonzero(row > 0):
            rows.append((doc_id, int(topics[j]), float(row[j]), bool(j == best[i])))
    return pd.DataFrame(rows, columns=["doc_id", "topic", "weight", "dominant"])


def dominant_topics(doc_topics: pd.DataFrame) -> pd.Series:
    """doc_id -> dominant topic."""
    dom = doc_topics[doc_topics["dominant"]]
    return pd.Series(dom["topic"].to_numpy(), index=dom["doc_id"].to_numpy(), name="topic")


def topic_shares(doc_topics: pd.DataFrame, corpus: pd.DataFrame, labels: Mapping[int, str], *,
                 freq: str = config.PERIOD, value: str = "dominant", by: Sequence[str] = ("source",),
                 n_boot: int = config.N_BOOT, level: float = config.CI_LEVEL,
                 seed: int = config.SEED) -> pd.DataFrame:
    """Tidy ``by..., period, topic, label, n, mean, ci_low, ci_high``; ``mean`` is the topic's share.

    For every group (``by`` and period) and every topic in ``labels``, ``mean`` is the share of the
    group's documents whose dominant topic it is (``value="dominant"``) or the mean document-topic
    weight (``value="mass"``). Within a group the dominant shares of all topics (outliers included)
    sum to 1. Documents without a date are left out.
    """
    if value not in ("dominant", "mass"):
        raise InputError(f"value {value!r}: use 'dominant' or 'mass'")
    missing = [c for c in ["doc_id", "published", *by] if c not in corpus.columns]
    if missing:
        raise InputError(f"corpus lacks column(s) {missing}; re-run `analysis ingest`")
    docs = corpus[["doc_id", "published", *by]].drop_duplicates("doc_id").copy()
    docs["period"] = period_label(docs["published"], freq, groups=docs["source"] if "source" in docs else None)
    docs = docs.dropna(subset=["period"])
    topics = sorted(int(t) for t in labels)
    wide = doc_topics.copy()
    if value == "dominant":
        wide = wide[wide["dominant"]].assign(weight=1.0)
    table = wide.pivot_table(index="doc_id", columns="topic", values="weight", aggfunc="sum", fill_value=0.0)
    table = table.reindex(index=docs["doc_id"].to_numpy(), columns=topics, fill_value=0.0).fillna(0.0)
    long = table.reset_index(names="doc_id").melt(id_vars="doc_id", var_name="topic", value_name="share")
    long = long.merge(docs[["doc_id", "period", *by]], on="doc_id", how="left")
    long["topic"] = long["topic"].astype(int)
    keys = [*by, "period", "topic"]
    out = grouped_mean_ci(long, keys, "share", n_boot=n_boot, level=level, seed=seed)
    out.insert(len(keys), "label", out["topic"].map(lambda t: labels[int(t)]))
    order = {t: i for i, t in enumerate(topics)}
    out = out.sort_values([*by, "period", "topic"], key=lambda s: s.map(order) if s.name == "topic" else s)
    return out.reset_index(drop=True)
