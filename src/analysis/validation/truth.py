"""Measures against known labels: topics against themes, stance scores against known stance.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["d1", "d2", "d3", "d4"], "source": "A紙",
...                        "path": [f"pages/A紙/{i}.txt" for i in range(4)]})
>>> truth = match_ground_truth(corpus, pd.DataFrame({"file": [f"A紙/{i}.txt" for i in range(4)],
...                                                   "theme": ["規制", "規制", "補助金", "補助金"],
...                                                   "stance_輸出規制": [1, -1, None, 1]}))
>>> doc_topics = pd.DataFrame({"doc_id": ["d1", "d2", "d3", "d4"], "topic": [0, 0, 1, 1], "weight": 1.0})
>>> topic_theme_agreement(truth, {"nmf": doc_topics}).values.tolist()
[['nmf', 4, 1.0, 1.0]]
>>> stance = pd.DataFrame({"doc_id": ["d1", "d2", "d4"], "target": "輸出規制", "method": "rules",
...                        "score": [0.5, -0.2, 0.1], "n_mentions": 1})
>>> stance_truth_agreement(stance, truth)[["target", "n", "spearman", "sign_agreement"]].values.tolist()
[['輸出規制', 3, 0.8660254037844387, 1.0]]

The ground truth is a CSV with one row per input file: ``file`` (its path, matched to the corpus's
``path`` by the longest common trailing part), optionally ``theme`` and ``stance_<target>`` in
{-1, 0, 1} (empty: the document does not discuss the target). The demo corpus ships one
(data/raw/demo/ground_truth.csv); a study names its own with ``ground_truth:``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from analysis.errors import InputError

TOPIC_AGREEMENT_COLUMNS = ["method", "n", "nmi", "ari"]
STANCE_AGREEMENT_COLUMNS = ["method", "target", "n", "spearman", "sign_agreement"]


def match_ground_truth(corpus: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Join ground-truth rows (``file`` relative to the truth's folder) to corpus rows by their ``path``.

    Matches on the longest common trailing path (``pages/白樺新聞/2019-01_01.txt``), so pages of the
    same name under different newspapers' folders stay apart. Returns the truth columns with the
    corpus's ``doc_id`` (inner join; the truth's ``source`` is dropped in favour of the corpus's).
    """
    def key_parts(path) -> tuple[str, ...]:
        return tuple(part for part in str(path).replace("\\", "/").split("/") if part not in ("", "."))

    lookup: dict[tuple[str, ...], int] = {}
    ambiguous: set[tuple[str, ...]] = set()
    for i, file in enumerate(truth["file"]):
        parts = key_parts(file)
        for n in range(1, len(parts) + 1):
            key = parts[-n:]
            if key in lookup and lookup[key] != i:
                ambiguous.add(key)
            lookup.setdefault(key, i)
    rows = []
    for doc_id, path in zip(corpus["doc_id"], corpus["path"]):
        parts = key_parts(path)
        for n in range(len(parts), 0, -1):
            key = parts[-n:]
            if key in lookup and key not in ambiguous:
                rows.append((doc_id, lookup[key]))
                break
    index = pd.DataFrame(rows, columns=["doc_id", "_row"])
    columns = truth.drop(columns=["source"], errors="ignore").reset_index(drop=True)
    return index.merge(columns, left_on="_row", right_index=True).drop(columns="_row").reset_index(drop=True)


def read_ground_truth(path: str | Path, corpus: pd.DataFrame) -> pd.DataFrame:
    """The ground-truth CSV at ``path`` matched to ``corpus`` (:func:`match_ground_truth`), with the
    corpus's ``source``; an InputError when the file is missing or has no ``file`` column."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"ground truth {path} not found; fix ground_truth in the study config or remove it")
    truth = pd.read_csv(path)
    if "file" not in truth.columns:
        raise InputError(f"ground truth {path} has no 'file' column (the input file each row describes); "
                         f"columns found: {', '.join(map(str, truth.columns))}")
    return match_ground_truth(corpus, truth).merge(corpus[["doc_id", "source"]], on="doc_id")


def topic_theme_agreement(truth: pd.DataFrame, doc_topics: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Per topic method, NMI and ARI between documents' dominant topics and their known ``theme``.

    ``doc_topics`` maps a method to its doc_topics table (doc_id, topic, weight). Columns
    :data:`TOPIC_AGREEMENT_COLUMNS`; empty when the truth has no ``theme`` column.
    """
    from analysis.figures.tables import dominant_topics
    from analysis.topics.validate import agreement

    rows = []
    if "theme" in truth.columns:
        known = truth.dropna(subset=["theme"])
        for method in sorted(doc_topics):
            joined = known.merge(dominant_topics(doc_topics[method]), on="doc_id")
            if joined.empty:
                continue
            scores = agreement(joined["topic"].tolist(), joined["theme"].astype(str).tolist())
            rows.append({"method": method, "n": scores["n"], "nmi": scores["nmi"], "ari": scores["ari"]})
    return pd.DataFrame(rows, columns=TOPIC_AGREEMENT_COLUMNS)


def stance_truth_agreement(stance: pd.DataFrame, truth: pd.DataFrame, *, min_n: int = 3) -> pd.DataFrame:
    """Per method and target, over the documents that mention the target and have a known stance:
    Spearman correlation of score and known stance, and the share whose signs agree.

    A target needs a ``stance_<target>`` truth column and at least ``min_n`` such documents; the
    correlation is NaN where either side is constant. Columns :data:`STANCE_AGREEMENT_COLUMNS`.
    """
    scored = stance[stance["n_mentions"] > 0] if "n_mentions" in stance.columns else stance
    if "method" not in scored.columns:
        scored = scored.assign(method="")
    rows = []
    for (method, target), part in scored.groupby(["method", "target"], sort=True):
        column = f"stance_{target}"
        if column not in truth.columns:
            continue
        joined = part.merge(truth[["doc_id", column]], on="doc_id").dropna(subset=[column])
        if len(joined) < min_n:
            continue
        known = joined[column].astype(float)
        constant = joined["score"].nunique() < 2 or known.nunique() < 2
        rows.append({"method": method, "target": target, "n": len(joined),
                     "spearman": float("nan") if constant else float(joined["score"].corr(known, method="spearman")),
                     "sign_agreement": float((np.sign(joined["score"]) == np.sign(known)).mean())})
    return pd.DataFrame(rows, columns=STANCE_AGREEMENT_COLUMNS)
