"""The sentences behind the stance scores: which ones voted, and the strongest per target and side.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["A紙", "B紙"],
...                        "published": pd.to_datetime(["2024-01-05", "2024-02-01"]).tz_localize("Asia/Tokyo")})
>>> evidence = pd.DataFrame({"doc_id": ["a", "a", "b"], "target": "輸出規制", "method": "syntax",
...                          "sentence_index": [0, 1, 0], "score": [0.8, 0.3, -0.6], "weight": [1.0, 0.0, 1.0],
...                          "sentence": ["規制の強化は妥当だ。", "政府は規制を発表した。", "規制は行き過ぎだ。"]})
>>> voting = deciding_evidence(evidence, corpus, method="syntax")
>>> strongest_evidence(voting, n=1)[["target", "side", "score", "source", "date"]].values.tolist()
[['輸出規制', 'FAVOR', 0.8, 'A紙', '2024-01-05'], ['輸出規制', 'AGAINST', -0.6, 'B紙', '2024-02-01']]

``stance_evidence.parquet`` holds every sentence a scorer looked at (see docs/ARCHITECTURE.md,
'Tables'). With the default syntax scorer only the author's own judgements vote (``weight`` above
0); sentences that report another actor's position or a fact are kept in the table for reading
but decided nothing, so :func:`deciding_evidence` leaves them out.
"""

from __future__ import annotations

import pandas as pd

EVIDENCE_COLUMNS = ["target", "side", "rank", "score", "doc_id", "sentence_index", "source", "date", "sentence"]


def deciding_evidence(evidence: pd.DataFrame, corpus: pd.DataFrame, *, method: str | None = None) -> pd.DataFrame:
    """Evidence rows of ``method`` (all methods with None) for the corpus's documents that voted
    (``weight > 0`` where the scorer records weights), with the document's ``source`` and ``date``
    (YYYY-MM-DD)."""
    rows = evidence[evidence["doc_id"].isin(corpus["doc_id"])]
    if method is not None and "method" in rows.columns:
        rows = rows[rows["method"] == method]
    if "weight" in rows.columns:
        rows = rows[rows["weight"] > 0]
    rows = rows.merge(corpus[["doc_id", "source", "published"]], on="doc_id", how="inner")
    rows["date"] = rows["published"].dt.strftime("%Y-%m-%d")
    return rows.drop(columns="published").reset_index(drop=True)


def strongest_evidence(evidence: pd.DataFrame, *, n: int = 3) -> pd.DataFrame:
    """Per target, the ``n`` sentences with the highest positive scores (side FAVOR, strongest first)
    and the ``n`` with the lowest negative ones (side AGAINST), as columns :data:`EVIDENCE_COLUMNS`.

    Ties are broken by doc_id and sentence_index, so the choice is the same on every run; a target
    without positive (negative) sentences simply has no FAVOR (AGAINST) rows.
    """
    parts = []
    for target, rows in evidence.groupby("target", sort=True):
        for side, chosen, ascending in (("FAVOR", rows[rows["score"] > 0], False),
                                        ("AGAINST", rows[rows["score"] < 0], True)):
            chosen = chosen.sort_values(["score", "doc_id", "sentence_index"],
                                        ascending=[ascending, True, True], kind="mergesort").head(n)
            parts.append(chosen.assign(target=target, side=side, rank=range(1, len(chosen) + 1)))
    if not parts:
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    return pd.concat(parts, ignore_index=True)[EVIDENCE_COLUMNS]
