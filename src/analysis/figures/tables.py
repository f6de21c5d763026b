"""Tidy frames the figures draw: event markers, documents per period, topic x stance table.

>>> import pandas as pd
>>> doc_topics = pd.DataFrame({"doc_id": ["a", "a", "b"], "topic": [0, 1, 1], "weight": [0.9, 0.1, 1.0]})
>>> stance = pd.DataFrame({"doc_id": ["a", "b"], "target": ["輸出規制"] * 2, "method": ["rule"] * 2,
...                        "score": [0.5, -1.0], "label": ["FAVOR", "AGAINST"], "n_mentions": [1, 2]})
>>> topic_stance_table(doc_topics, stance)[["topic", "target", "n", "mean"]].to_dict("records")
[{'topic': 0, 'target': '輸出規制', 'n': 1, 'mean': 0.5}, {'topic': 1, 'target': '輸出規制', 'n': 1, 'mean': -1.0}]

Everything here computes; nothing draws (the plotting functions in :mod:`analysis.figures.plots`
take these frames as they are). Column contracts of the inputs are those of docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.stats import period_label

EVENT_COLUMNS = ["date", "label", "description", "targets"]


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what}: missing column(s) {missing}; expected {list(columns)} "
                         "(see docs/ARCHITECTURE.md, 'Tables')")


def load_events(path: str | Path | None = None) -> pd.DataFrame:
    """Event markers from a YAML file (default: the packaged ``events.yaml``), sorted by date.

    Returns ``date`` (naive Timestamp, the calendar day), ``label``, ``description`` and
    ``targets`` (a tuple; empty means the event is drawn on every figure).
    """
    from analysis.io import read_yaml

    path = Path(path) if path is not None else config.resource("events.yaml")
    data = read_yaml(path, "events file", "pass an existing YAML file with --events") or {}
    entries = data.get("events") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise InputError(f"events file {path}: expected a list under 'events:' of entries with date and label")
    rows = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or "date" not in entry or "label" not in entry:
            raise InputError(f"events file {path}: entry {i + 1} needs at least 'date' (YYYY-MM-DD) and 'label'")
        try:
            date = pd.Timestamp(entry["date"] if not isinstance(entry["date"], dt.date) else entry["date"].isoformat())
        except (ValueError, TypeError) as exc:
            raise InputError(f"events file {path}: entry {i + 1} has an unreadable date {entry['date']!r}; "
                             "write it as YYYY-MM-DD") from exc
        targets = entry.get("targets") or ()
        targets = (targets,) if isinstance(targets, str) else tuple(str(t) for t in targets)
        rows.append({"date": date.normalize().tz_localize(None) if date.tzinfo else date.normalize(),
                     "label": str(entry["label"]), "description": str(entry.get("description", "")),
                     "targets": targets})
    events = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    return events.sort_values(["date", "label"], kind="stable").reset_index(drop=True)


def events_for(events: pd.DataFrame | None, target: str | None) -> pd.DataFrame | None:
    """The events to draw on a figure about ``target``: those tagged with it or with no targets.

    ``events=None`` gives None (nothing is drawn); ``target=None`` (a figure about no target, e.g. a
    topic's share) keeps every event. A frame without a ``targets`` column applies everywhere, and
    a target given as a plain string counts as a one-element list.

    >>> events = pd.DataFrame({"date": pd.to_datetime(["2022-10-07", "2022-11-30", "2025-01-20"]),
    ...                        "label": ["米 先端半導体輸出規制", "ChatGPT公開", "全体"],
    ...                        "targets": [("輸出規制",), ("AI規制",), ()]})
    >>> events_for(events, "AI規制")["label"].tolist()
    ['ChatGPT公開', '全体']
    """
    if events is None or target is None or events.empty or "targets" not in events.columns:
        return events

    def applies(targets) -> bool:
        if isinstance(targets, str):
            targets = (targets,)
        elif hasattr(targets, "__iter__"):  # tuple, list, numpy array (from parquet)
            targets = tuple(targets)
        else:  # None or NaN: no targets named
            return True
        return len(targets) == 0 or str(target) in {str(t) for t in targets}

    keep = events["targets"].map(applies).astype(bool)
    return events[keep].reset_index(drop=True)


def period_midpoint(periods: pd.Series) -> pd.Series:
    """Middle of each period label ('2024-01', '2024Q1', '2024') as a naive Timestamp, for plotting."""
    def mid(label) -> pd.Timestamp:
        p = pd.Period(str(label))
        return p.start_time + (p.end_time - p.start_time) / 2

    return pd.Series([mid(p) for p in periods], index=periods.index, dtype="datetime64[ns]")


def documents_per_period(corpus: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """``source, period, n``: documents per newspaper and period, zeros filled between first and last period.

    Undated documents are left out (they have no period).
    """
    _require(corpus, ["doc_id", "source", "published"], "corpus")
    dated = corpus.assign(period=period_label(corpus["published"], freq, groups=corpus["source"])).dropna(subset=["period"])
    if dated.empty:
        return pd.DataFrame({"source": pd.Series(dtype=str), "period": pd.Series(dtype=str),
                             "n": pd.Series(dtype=int)})
    counts = dated.groupby(["source", "period"]).size()
    first, last = pd.Period(dated["period"].min()), pd.Period(dated["period"].max())
    all_periods = [str(p) for p in pd.period_range(first, last, freq=first.freq)]
    sources = sorted(dated["source"].unique())
    grid = pd.MultiIndex.from_product([sources, all_periods], names=["source", "period"])
    out = counts.reindex(grid, fill_value=0).rename("n").reset_index()
    out["n"] = out["n"].astype(int)
    return out


def dominant_topics(doc_topics: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, topic, weight``: each document's highest-weight topic (ties: lowest topic id)."""
    _require(doc_topics, ["doc_id", "topic", "weight"], "doc_topics")
    ordered = doc_topics.sort_values(["doc_id", "weight", "topic"], ascending=[True, False, True], kind="stable")
    return ordered.drop_duplicates("doc_id")[["doc_id", "topic", "weight"]].reset_index(drop=True)


def topic_stance_table(
    doc_topics: pd.DataFrame,
    stance: pd.DataFrame,
    *,
    topic_labels: pd.DataFrame | None = None,
    method: str | None = None,
    include_outliers: bool = False,
) -> pd.DataFrame:
    """``topic, label, target, n, mean``: mean stance toward each target among each topic's documents.

    A document belongs to its dominant topic. Only documents that mention the target count
    (``n_mentions > 0`` when that column exists), so ``n`` is the number of scored documents
    behind each cell. ``method`` picks one stance scorer; by default the first in sorted order.
    Topic ``-1`` (BERTopic outliers) is left out unless ``include_outliers``.
    """
    _require(stance, ["doc_id", "target", "score"], "stance")
    scored = stance
    if "method" in stance.columns and stance["method"].nunique() > 0:
        chosen = method if method is not None else sorted(stance["method"].unique())[0]
        if chosen not in set(stance["method"]):
            raise InputError(f"stance method {chosen!r} not in stance.parquet; available: "
                             f"{sorted(stance['method'].unique())}")
        scored = stance[stance["method"] == chosen]
    if "n_mentions" in scored.columns:
        scored = scored[scored["n_mentions"] > 0]
    scored = scored.dropna(subset=["score"])
    dominant = dominant_topics(doc_topics)
    if not include_outliers:
        dominant = dominant[dominant["topic"] != -1]
    joined = scored.merge(dominant[["doc_id", "topic"]], on="doc_id", how="inner")
    table = (joined.groupby(["topic", "target"], sort=True)["score"]
             .agg(n="size", mean="mean").reset_index())
    table["n"] = table["n"].astype(int)
    labels = _topic_label_map(topic_labels, table["topic"])
    table.insert(1, "label", table["topic"].map(labels))
    return table[["topic", "label", "target", "n", "mean"]]


def _topic_label_map(topic_labels: pd.DataFrame | None, topics: Iterable) -> dict:
    labels = {t: f"トピック{t}" for t in topics}
    if topic_labels is not None and {"topic", "label"} <= set(topic_labels.columns):
        labels.update({t: str(l) for t, l in zip(topic_labels["topic"], topic_labels["label"]) if pd.notna(l)})
    return labels


def top_words(topic_words: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """``topic, label, rank, word, weight``: the ``n`` best-ranked words of each topic."""
    _require(topic_words, ["topic", "rank", "word", "weight"], "topic_words")
    frame = topic_words if "label" in topic_words.columns else topic_words.assign(
        label=topic_words["topic"].map(lambda t: f"トピック{t}"))
    frame = frame.sort_values(["topic", "rank"], kind="stable")
    return frame[frame["rank"] <= frame.groupby("topic")["rank"].transform("min") + n - 1][
        ["topic", "label", "rank", "word", "weight"]].reset_index(drop=True)


def largest_topics(topic_shares: pd.DataFrame, n: int) -> list:
    """The ``n`` topics with the largest mean share over all rows (outliers -1 excluded), in topic order."""
    _require(topic_shares, ["topic", "mean"], "topic_shares")
    shares = topic_shares[topic_shares["topic"] != -1].groupby("topic")["mean"].mean()
    best = shares.sort_values(ascending=False, kind="stable").index[:n]
    return sorted(best)
