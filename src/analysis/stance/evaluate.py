"""Evaluating stance scorers on gold CSVs: per-label precision/recall/F and SemEval macro-F.

>>> report = evaluate_labels(["FAVOR", "FAVOR", "AGAINST", "NONE"], ["FAVOR", "AGAINST", "AGAINST", "FAVOR"])
>>> round(report.f["FAVOR"], 3), round(report.f["AGAINST"], 3), round(report.macro_f, 3)
(0.5, 0.667, 0.583)

``macro_f`` is the mean of F(FAVOR) and F(AGAINST), as in SemEval-2016 Task 6 (NONE counts as an
error when confused, but its own F is not averaged). A gold CSV has columns ``text``, ``target``,
``label`` (FAVOR/AGAINST/NONE) and optionally ``start``, ``end`` (the target's character span)
and ``group`` (rows that must stay together in cross-validation, e.g. a document id).

``evaluate_gold`` scores a gold frame with one method. The rule and syntax scorers need no labels
(the syntax scorer's learned part is trained on the bundled editorial set). The supervised scorer
is trained on ``train`` when given; otherwise it is cross-validated: ``GroupKFold`` over the
``group`` column when present, else over the text (so two targets of one sentence never sit on
both sides of a split).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.stance.base import LABELS

from analysis.stance.methods import DEFAULT_METHOD, METHODS  # noqa: E402


@dataclass(frozen=True)
class EvalReport:
    precision: dict[str, float]
    recall: dict[str, float]
    f: dict[str, float]
    support: dict[str, int]
    confusion: pd.DataFrame  # rows gold, columns predicted
    macro_f: float
    n: int

    def to_text(self) -> str:
        lines = [f"{'label':<8} {'precision':>9} {'recall':>7} {'F':>7} {'support':>8}"]
        for label in LABELS:
            lines.append(f"{label:<8} {self.precision[label]:>9.3f} {self.recall[label]:>7.3f} "
                         f"{self.f[label]:>7.3f} {self.support[label]:>8d}")
        lines.append("")
        lines.append("confusion (rows gold, columns predicted):")
        lines.append(self.confusion.to_string())
        lines.append(f"n={self.n}")
        lines.append(f"macro_f={self.macro_f:.3f}")
        return "\n".join(lines)


def evaluate_labels(gold, predicted) -> EvalReport:
    """Per-label precision, recall, F (0 where undefined), confusion matrix and macro_f."""
    gold = [str(g) for g in gold]
    predicted = [str(p) for p in predicted]
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    confusion = pd.DataFrame(0, index=pd.Index(LABELS, name="gold"), columns=pd.Index(LABELS, name="predicted"))
    for g, p in zip(gold, predicted):
        confusion.loc[g, p] += 1
    precision, recall, f, support = {}, {}, {}, {}
    for label in LABELS:
        tp = int(confusion.loc[label, label])
        n_pred = int(confusion[label].sum())
        n_gold = int(confusion.loc[label].sum())
        precision[label] = tp / n_pred if n_pred else 0.0
        recall[label] = tp / n_gold if n_gold else 0.0
        pr = precision[label] + recall[label]
        f[label] = 2 * precision[label] * recall[label] / pr if pr else 0.0
        support[label] = n_gold
    macro = (f["FAVOR"] + f["AGAINST"]) / 2
    return EvalReport(precision, recall, f, support, confusion, macro, len(gold))


def read_gold(path: str | Path) -> pd.DataFrame:
    """A gold CSV, checked: text/target/label present, labels in FAVOR/AGAINST/NONE, spans integral."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"gold file {path} not found; give a CSV with columns text,target,label")
    try:
        gold = pd.read_csv(path, dtype={"text": str, "target": str, "label": str, "group": str},
                           keep_default_na=False, na_values={"start": [""], "end": [""]})
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"gold file {path} could not be read as UTF-8 CSV ({exc})") from None
    missing = [c for c in ("text", "target", "label") if c not in gold.columns]
    if missing:
        raise InputError(f"gold file {path} lacks column(s) {missing}; expected text,target,label[,start,end,group]")
    gold["label"] = gold["label"].str.strip().str.upper()
    bad = sorted(set(gold["label"]) - set(LABELS))
    if bad:
        raise InputError(f"gold file {path}: labels {bad} not allowed; use FAVOR, AGAINST or NONE")
    if ("start" in gold.columns) != ("end" in gold.columns):
        raise InputError(f"gold file {path}: give both start and end columns or neither")
    if "start" in gold.columns:
        for col in ("start", "end"):
            gold[col] = pd.to_numeric(gold[col], errors="coerce").astype("Int64")
    if gold.empty:
        raise InputError(f"gold file {path} has no rows")
    return gold


def make_scorer(method: str, *, targets=None, seed: int = config.SEED, unnamed_theses: bool = True):
    """A fresh, unfitted scorer for ``method`` (syntax, structural, rules, rules+tohoku, supervised).

    ``unnamed_theses=False`` (syntax, structural): theses that do not name a target never vote for
    it, in documents or in sentences given with their target (``thesis_weight=0``)."""
    if method in ("syntax", "structural"):
        from analysis.stance.syntax import SyntaxStanceScorer

        weight = {} if unnamed_theses else {"thesis_weight": 0.0}
        if method == "syntax":
            return SyntaxStanceScorer(targets=targets, random_state=seed, **weight)
        return SyntaxStanceScorer(targets=targets, learned=False, **weight)
    if method == "rules":
        from analysis.stance.rules import RuleStanceScorer

        return RuleStanceScorer(targets=targets)
    if method == "rules+tohoku":
        from analysis.stance.rules import RuleStanceScorer

        return RuleStanceScorer(targets=targets, tohoku=True)
    if method == "supervised":
        from analysis.stance.supervised import SupervisedStanceScorer

        return SupervisedStanceScorer(targets=targets, random_state=seed)
    raise InputError(f"unknown stance method {method!r}; use one of {', '.join(METHODS)}")


def gold_X(gold: pd.DataFrame) -> pd.DataFrame:
    cols = ["text", "target"] + [c for c in ("start", "end") if c in gold.columns]
    return gold[cols].reset_index(drop=True)


def predict_gold(gold: pd.DataFrame, method: str = DEFAULT_METHOD, *, targets=None, train: pd.DataFrame | None = None,
                 n_splits: int = 5, seed: int = config.SEED, shuffle_folds: int | None = None,
                 cross_validate: bool = True, cross_validate_any: bool = False) -> np.ndarray:
    """Predicted labels for every gold row (cross-validated for the supervised scorer without ``train``).

    ``shuffle_folds``: None for GroupKFold's deterministic assignment of groups to folds, or a seed
    to assign them at random (a check that the figure does not hang on one split).
    ``cross_validate=False``: the supervised scorer is trained on its bundled training set instead.
    ``cross_validate_any``: cross-validate whatever the method (the default's learned part is then
    trained on the other folds; methods that learn nothing just score each fold).
    """
    X = gold_X(gold)
    scorer = make_scorer(method, targets=targets, seed=seed)
    if train is not None:
        scorer.fit(gold_X(train), train["label"].to_numpy())
        return np.asarray(scorer.predict(X))
    if not cross_validate_any and (method != "supervised" or cross_validate is False):
        scorer.fit(X, None)      # rules and the parse reading learn nothing
        return np.asarray(scorer.predict(X))
    from sklearn.base import clone
    from sklearn.model_selection import GroupKFold

    groups = gold["group"].astype(str).to_numpy() if "group" in gold.columns else gold["text"].astype(str).to_numpy()
    n_groups = len(set(groups))
    if n_groups < 2:
        raise InputError("cross-validating the supervised scorer needs at least 2 distinct groups/texts; "
                         "add rows or pass --train")
    folds = GroupKFold(n_splits=min(n_splits, n_groups), shuffle=shuffle_folds is not None,
                       random_state=shuffle_folds)
    predicted = np.empty(len(gold), dtype=object)
    y = gold["label"].to_numpy()
    for train_idx, test_idx in folds.split(X, y, groups):
        model = clone(scorer).fit(X.iloc[train_idx], y[train_idx])
        predicted[test_idx] = model.predict(X.iloc[test_idx])
    return predicted


def evaluate_gold(gold: pd.DataFrame, method: str = DEFAULT_METHOD, **kwargs) -> EvalReport:
    """``evaluate_labels`` of ``predict_gold`` against the gold labels."""
    return evaluate_labels(gold["label"].tolist(), predict_gold(gold, method, **kwargs).tolist())


def read_document_gold(path: str | Path) -> pd.DataFrame:
    """Document gold: columns ``file`` (relative to the ``editorials/`` folder beside the CSV),
    ``target``, ``label`` and optionally ``kind``, ``split``."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"document gold file {path} not found; give a CSV with columns file,target,label")
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("file", "target", "label") if c not in gold.columns]
    if missing:
        raise InputError(f"document gold file {path} lacks column(s) {missing}; expected file,target,label[,kind,split]")
    bad = sorted(set(gold["label"]) - set(LABELS))
    if bad:
        raise InputError(f"document gold file {path}: labels {bad} not allowed; use FAVOR, AGAINST or NONE")
    return gold


def predict_documents(gold: pd.DataFrame, folder: str | Path, method: str = DEFAULT_METHOD, *, targets=None,
                      train: pd.DataFrame | None = None, seed: int = config.SEED) -> pd.DataFrame:
    """Ingest the gold's editorials from ``folder`` and score them as the ``stance`` stage does.

    Returns the gold rows with ``predicted``, ``score``, ``confidence`` and the deciding
    ``evidence`` (the author's sentences that voted, ' / '-joined).
    """
    from analysis.ingest import collect
    from analysis.stance.over_time import score_frame

    folder = Path(folder)
    files = [folder / f for f in dict.fromkeys(gold["file"])]
    absent = [str(f) for f in files if not f.is_file()]
    if absent:
        raise InputError(f"document gold names files that do not exist: {absent[:3]}; "
                         f"paths are relative to {folder}")
    corpus = collect(files).corpus
    names = list(dict.fromkeys(gold["file"]))
    corpus["file"] = [next((n for n in names if str(p).replace("\\", "/").endswith(n)), str(p))
                      for p in corpus["path"]]
    stance, evidence = score_frame(corpus, targets=targets, method=method, train=train, seed=seed)
    stance = stance.merge(corpus[["doc_id", "file"]], on="doc_id")
    out = gold.merge(stance[["file", "target", "label", "score"] + [c for c in ("confidence",) if c in stance]]
                     .rename(columns={"label": "predicted"}), on=["file", "target"], how="left")
    out["predicted"] = out["predicted"].fillna("NONE")
    if "weight" in evidence.columns:
        evidence = evidence[evidence["weight"] > 0]
    ev = evidence.merge(corpus[["doc_id", "file"]], on="doc_id").groupby(["file", "target"])["sentence"].agg(
        lambda s: " / ".join(s))
    out["evidence"] = [ev.get((f, t), "") for f, t in zip(out["file"], out["target"])]
    return out
