"""What every stance scorer shares: items to score, document scoring, labels.

>>> from analysis.stance.rules import RuleStanceScorer
>>> scorer = RuleStanceScorer().fit()
>>> scorer.predict([("輸出規制の強化を急ぐべきだ。", "輸出規制")]).tolist()
['FAVOR']

An *item* is one (text, target[, span]) pair to score. ``X`` for ``fit``/``predict``/
``decision_function`` is a DataFrame with columns ``text``, ``target`` and optional ``start``,
``end`` (the target's character span in ``text``), or a list of tuples in that order. With a
span, that span is the mention; without one, the target's aliases (from the scorer's ``targets``)
or, for a target not in ``targets``, the literal target string are searched in the text. Mentions
of other rows with the same text are passed along as co-mentions, so a scorer can tell which
target a cue belongs to. A text without a mention scores 0 and gets NONE.

Subclasses implement ``_score_items(items) -> np.ndarray`` (scores in [-1, 1]).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from analysis.errors import InputError
from analysis.stance.targets import Mention, Target, find_mentions, literal_target, load_targets, nfkc

LABELS = ("FAVOR", "AGAINST", "NONE")


def labels_from_scores(scores, threshold: float) -> np.ndarray:
    """The one labelling rule of every scorer: FAVOR for a positive score at or above
    ``threshold``, AGAINST for a negative one at or below ``-threshold``, else NONE (0 is NONE)."""
    scores = np.nan_to_num(np.asarray(scores, dtype=float))
    return np.where((scores > 0) & (scores >= threshold), "FAVOR",
                    np.where((scores < 0) & (scores <= -threshold), "AGAINST", "NONE")).astype(object)


@dataclass(frozen=True)
class Item:
    """One (text, target) pair after normalisation: the target's mentions and all co-mentions."""

    text: str
    target: str
    mentions: tuple[Mention, ...]
    all_mentions: tuple[Mention, ...]


def resolve_targets(targets) -> dict[str, Target]:
    """``None`` -> {}, a path -> load_targets(path), a dict of Target -> itself."""
    if targets is None:
        return {}
    if isinstance(targets, dict):
        return targets
    return load_targets(targets)


def _normalised_span(text: str, start, end) -> tuple[int, int] | None:
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return None
    start, end = int(start), int(end)
    if not 0 <= start < end <= len(text):
        raise InputError(f"span start={start}, end={end} lies outside its text of {len(text)} characters; "
                         "fix the start/end columns (0-based, end exclusive) or drop them")
    return len(nfkc(text[:start])), len(nfkc(text[:end]))


def as_frame(X) -> pd.DataFrame:
    if isinstance(X, pd.DataFrame):
        frame = X
    else:
        rows = [tuple(r) for r in X]
        cols = ["text", "target", "start", "end"][: max((len(r) for r in rows), default=2)]
        frame = pd.DataFrame(rows, columns=cols)
    for col in ("text", "target"):
        if col not in frame.columns:
            raise InputError(f"stance input needs columns text,target (optional start,end); '{col}' missing")
    return frame


def make_items(X, targets: dict[str, Target]) -> list[Item]:
    """Items for every row of ``X`` (see module docstring), in row order."""
    frame = as_frame(X)
    has_span = "start" in frame.columns and "end" in frame.columns
    texts = [nfkc(str(t)) for t in frame["text"]]
    names = [nfkc(str(t)) for t in frame["target"]]
    own: list[tuple[Mention, ...]] = []
    for i, (raw_text, text, name) in enumerate(zip(frame["text"], texts, names)):
        span = _normalised_span(str(raw_text), frame["start"].iloc[i], frame["end"].iloc[i]) if has_span else None
        if span is not None:
            own.append((Mention(name, span[0], span[1], text[span[0]:span[1]]),))
        else:
            target = targets.get(name) or literal_target(name)
            own.append(tuple(find_mentions(text, {name: target})))
    by_text: dict[str, list[Mention]] = {}
    for text, mentions in zip(texts, own):
        by_text.setdefault(text, []).extend(mentions)
    items = []
    for text, name, mentions in zip(texts, names, own):
        co = list(by_text[text])
        if targets and name in targets:
            # other targets of the same file are co-mentions; a literal target (one the targets
            # file does not name, e.g. chABSA's 売上高) is not compared with the file's targets
            co.extend(m for m in find_mentions(text, targets) if m.target != name)
        co = _non_overlapping(co, keep=mentions)
        items.append(Item(text, name, mentions, co))
    return items


def _non_overlapping(mentions: Iterable[Mention], keep: Sequence[Mention]) -> tuple[Mention, ...]:
    chosen = list(dict.fromkeys(keep))
    for m in sorted(set(mentions), key=lambda m: (m.start, -(m.end - m.start), m.target)):
        if m in chosen:
            continue
        if all(m.end <= c.start or m.start >= c.end for c in chosen):
            chosen.append(m)
    return tuple(sorted(chosen, key=lambda m: (m.start, m.end, m.target)))


class BaseStanceScorer(ClassifierMixin, BaseEstimator):
    """Shared ``predict``/``decision_function``/``score_documents``; see the module docstring."""

    threshold: float = 0.1

    def _targets(self) -> dict[str, Target]:
        return resolve_targets(getattr(self, "targets", None))

    def _score_items(self, items: list[Item]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def decision_function(self, X) -> np.ndarray:
        """Score in [-1, 1] per row of ``X`` (0 where the target is not mentioned)."""
        return self._score_items(make_items(X, self._targets()))

    def _labels(self, scores: np.ndarray, items: list[Item]) -> np.ndarray:
        return labels_from_scores(scores, self.threshold)

    def predict(self, X) -> np.ndarray:
        """FAVOR / AGAINST / NONE per row of ``X``."""
        items = make_items(X, self._targets())
        return self._labels(self._score_items(items), items)

    def score_documents(self, docs: pd.DataFrame, targets: dict[str, Target], *, method: str = ""):
        """Per (doc, target) stance and per-sentence evidence for a corpus frame (doc_id, text).

        Returns ``(stance_df, evidence_df)``: stance has one row per document and target (targets
        not mentioned get score NaN, label NONE, n_mentions 0); evidence has one row per sentence
        that mentions a target, with that sentence's own score.
        """
        from analysis.tokenize.sentences import sentence_spans

        rows = []
        for doc_id, text in zip(docs["doc_id"], docs["text"]):
            text = nfkc(str(text))
            for index, (a, b) in enumerate(sentence_spans(text)):
                sentence = text[a:b]
                mentions = find_mentions(sentence, targets)
                for name in dict.fromkeys(m.target for m in mentions):
                    own = tuple(m for m in mentions if m.target == name)
                    rows.append((doc_id, name, index, sentence, Item(sentence, name, own, tuple(mentions))))
        items = [r[4] for r in rows]
        scores = self._score_items(items) if items else np.zeros(0)
        evidence = pd.DataFrame({
            "doc_id": [r[0] for r in rows], "target": [r[1] for r in rows],
            "method": method, "sentence_index": np.array([r[2] for r in rows], dtype="int64"),
            "sentence": [r[3] for r in rows], "score": np.asarray(scores, dtype=float),
        }, columns=["doc_id", "target", "method", "sentence_index", "sentence", "score"])
        n_mentions = {}
        for r in rows:
            n_mentions[(r[0], r[1])] = n_mentions.get((r[0], r[1]), 0) + len(r[4].mentions)
        means = evidence.groupby(["doc_id", "target"], sort=False)["score"].mean().to_dict() if rows else {}
        out = []
        for doc_id in docs["doc_id"]:
            for name in targets:
                n = n_mentions.get((doc_id, name), 0)
                score = float(np.clip(means[(doc_id, name)], -1, 1)) if n else float("nan")
                out.append((doc_id, name, method, score, n))
        stance = pd.DataFrame(out, columns=["doc_id", "target", "method", "score", "n_mentions"])
        stance["label"] = labels_from_scores(stance["score"], self.threshold)
        stance["n_mentions"] = stance["n_mentions"].astype("int64")
        return stance[["doc_id", "target", "method", "score", "label", "n_mentions"]], evidence
