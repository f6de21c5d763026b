"""Helpers shared by the close-reading tools: corpus filters and token units.

>>> import pandas as pd
>>> toks = pd.DataFrame({"doc_id": ["d1"], "tokens": [["輸出規制", "強化"]],
...                      "sentence_tokens": [[["輸出規制"], ["強化"]]]})
>>> [(u.doc_id, u.index, u.tokens) for u in token_units(toks, unit="sentence")]
[('d1', 0, ['輸出規制']), ('d1', 1, ['強化'])]
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import pandas as pd

from analysis import config
from analysis.errors import InputError

UNITS = ("doc", "sentence")


@dataclass
class Unit:
    """One unit of analysis: a document or one of its sentences."""

    doc_id: str
    index: int  # sentence index, or 0 for a whole document
    tokens: list[str]
    text: str = ""
    _set: frozenset | None = field(default=None, repr=False)
    #: token lists of a document's sentences, when asked for (``token_units(..., with_sentences=True)``)
    sentences: list[list[str]] | None = field(default=None, repr=False)

    @property
    def token_set(self) -> frozenset:
        if self._set is None:
            self._set = frozenset(self.tokens)
        return self._set


def to_timestamp(value, *, end: bool = False, name: str = "date") -> pd.Timestamp | None:
    """A tz-aware Timestamp (JST when none given); a bare date as ``end`` means end of that day."""
    if value is None or value == "":
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise InputError(f"{name} {value!r} is not a date; write it as YYYY-MM-DD") from exc
    if ts.tzinfo is None:
        ts = ts.tz_localize(config.DEFAULT_TZ)
    if end and isinstance(value, str) and len(value.strip()) <= 10:
        ts = ts + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return ts


def filter_corpus(corpus: pd.DataFrame, *, source=None, date_from=None, date_to=None) -> pd.DataFrame:
    """Rows of ``corpus`` from ``source`` (a name or names) published in [date_from, date_to]."""
    out = corpus
    if source is not None:
        wanted = [source] if isinstance(source, str) else list(source)
        known = set(corpus["source"].dropna().unique())
        missing = [s for s in wanted if s not in known]
        if missing:
            raise InputError(f"source {missing[0]!r} not in the corpus; known sources: {', '.join(sorted(known))}")
        out = out[out["source"].isin(wanted)]
    lo = to_timestamp(date_from, name="--from")
    hi = to_timestamp(date_to, end=True, name="--to")
    if lo is not None or hi is not None:
        published = pd.to_datetime(out["published"])
        if getattr(published.dt, "tz", None) is None:
            published = published.dt.tz_localize(config.DEFAULT_TZ)
        keep = published.notna()
        if lo is not None:
            keep &= published >= lo
        if hi is not None:
            keep &= published <= hi
        out = out[keep]
    return out


def tokens_frame(tokens) -> pd.DataFrame:
    """Accept a tokens table, or a mapping doc_id -> token list (handy in tests)."""
    if isinstance(tokens, pd.DataFrame):
        if "doc_id" not in tokens.columns or "tokens" not in tokens.columns:
            raise InputError("tokens table needs columns doc_id and tokens; run `analysis tokenize` first")
        return tokens
    items = sorted(dict(tokens).items())
    return pd.DataFrame({"doc_id": [k for k, _ in items], "tokens": [list(v) for _, v in items]})


def token_units(tokens, *, unit: str = "doc", texts: dict[str, str] | None = None,
                doc_ids: Iterable[str] | None = None, with_sentences: bool = False) -> list[Unit]:
    """Documents (``unit='doc'``) or sentences (``'sentence'``) as :class:`Unit` objects.

    ``texts`` (doc_id -> raw text) fills ``Unit.text`` for whole documents; sentence text comes
    from the tokens table's ``sentences`` column. ``doc_ids`` restricts and orders the units.
    ``with_sentences`` also fills ``Unit.sentences`` of documents with their sentences' tokens
    (from ``sentence_tokens``), for conditions that must hold within one sentence.
    """
    if unit not in UNITS:
        raise InputError(f"unit {unit!r} not supported; use one of {', '.join(UNITS)}")
    frame = tokens_frame(tokens)
    if doc_ids is not None:
        wanted = list(doc_ids)
        frame = frame.set_index("doc_id").reindex(wanted).dropna(subset=["tokens"]).reset_index()
    units: list[Unit] = []
    if (unit == "sentence" or with_sentences) and "sentence_tokens" not in frame.columns:
        raise InputError("tokens table has no sentence_tokens column; rerun `analysis tokenize`")
    if unit == "doc":
        sentence_lists = frame["sentence_tokens"] if with_sentences else [None] * len(frame)
        for doc_id, toks, sents in zip(frame["doc_id"], frame["tokens"], sentence_lists):
            units.append(Unit(doc_id, 0, list(toks), (texts or {}).get(doc_id, ""),
                              sentences=None if sents is None else [list(s) for s in sents]))
        return units
    has_sentences = "sentences" in frame.columns
    for row in frame.itertuples(index=False):
        sentences = list(row.sentences) if has_sentences else []
        for i, toks in enumerate(row.sentence_tokens):
            text = sentences[i] if i < len(sentences) else ""
            units.append(Unit(row.doc_id, i, list(toks), text))
    return units


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (East Asian wide and full-width characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """Pad ``text`` with spaces to ``width`` display columns (on the left when ``right``)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def check_choice(name: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise InputError(f"{name} {value!r} not supported; use one of {', '.join(choices)}")
