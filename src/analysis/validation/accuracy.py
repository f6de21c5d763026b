"""Accuracy on the researcher's corpus: design-weighted precision, recall and F from a filled sheet.

>>> import pandas as pd
>>> v = pd.DataFrame({"true": ["FAVOR", "FAVOR", "AGAINST", "NONE"], "predicted": ["FAVOR", "AGAINST", "AGAINST", "NONE"],
...                   "weight": [1.0, 3.0, 1.0, 1.0], "stratum": ["a", "b", "c", "d"]})
>>> m = metrics(weighted_confusion(v["true"], v["predicted"], v["weight"]))
>>> float(m["recall"]["FAVOR"]), float(m["precision"]["AGAINST"])   # the weight-3 miss counts 3 times
(0.25, 0.25)

The sample was stratified by predicted label (and newspaper, period), so its units do not stand for
the corpus in equal measure: a unit drawn with probability ``n_h / N_h`` stands for ``N_h / n_h``
units of the corpus. Counts of (true, predicted) pairs are therefore Horvitz-Thompson estimates
``sum(weight)``, and precision, recall and F are ratios of those; the plain sample figures are
reported beside them. Units coded SKIP or left empty are treated as missing at random within
their stratum: the stratum's weight is spread over the units that were labelled
(``N_h / m_h``). A stratum with no labelled unit leaves part of the corpus uncovered;
:func:`validation_frame` reports that share.

Intervals are percentile intervals of a stratified bootstrap: each replicate resamples the units
with replacement within their predicted-label group, each unit keeping its weight. The sampling
strata are finer (label x newspaper x period) and many hold one unit, which a bootstrap within
them could never vary; grouping them by label is the collapsed-strata approach and errs on the
wide side, as does ignoring the finite-population correction when a large part of a stratum was
drawn. An interval of zero width means no replicate saw an error in that cell (e.g. every
sampled FAVOR prediction was right), not that the figure is exact. Figures per newspaper or
period are domain estimates from the same sample. A group with fewer than ``min_n`` labelled units, or a per-label
figure with fewer than ``min_support`` units behind its denominator, is reported as "too small to
tell" instead of a number.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.validation.sheets import STANCE_LABELS, FilledSheet

LABELS = STANCE_LABELS
#: The project's macro F: mean of F(FAVOR) and F(AGAINST) (SemEval-2016 Task 6), as in stance-eval.
MACRO_LABELS = ("FAVOR", "AGAINST")
ACCURACY_COLUMNS = ["group_by", "group", "measure", "label", "n", "support", "estimate", "sample_estimate",
                    "ci_low", "ci_high", "verdict"]


def validation_frame(sheet: FilledSheet) -> pd.DataFrame:
    """Labelled units of a filled sheet: unit_id, doc_id, target, source, period, stratum, true, predicted,
    weight (``N_h / m_h`` over the labelled units of each stratum). ``attrs["uncovered_share"]`` is the
    share of the population in strata where no unit was labelled."""
    units = sheet.units
    labelled = units[units["label"].isin(LABELS)].copy()
    m = labelled.groupby("stratum").size()
    sizes = units.drop_duplicates("stratum").set_index("stratum")["stratum_size"]
    labelled["weight"] = labelled["stratum"].map(sizes / m).astype(float)
    labelled["true"] = labelled["label"]
    labelled["variance_stratum"] = labelled["predicted"]  # the label the design stratified on first
    uncovered = sizes[~sizes.index.isin(m.index)].sum()
    keep = [c for c in ("unit_id", "doc_id", "sentence_index", "target", "method", "source", "period", "stratum",
                        "stratum_size", "variance_stratum", "true", "predicted", "weight") if c in labelled.columns]
    out = labelled[keep].reset_index(drop=True)
    out.attrs["uncovered_share"] = float(uncovered / sizes.sum()) if sizes.sum() else 0.0
    return out


def weighted_confusion(true, predicted, weights, labels: Sequence[str] = LABELS) -> np.ndarray:
    """K x K array of summed weights, rows the true label, columns the predicted one."""
    index = {label: i for i, label in enumerate(labels)}
    t = np.array([index[x] for x in true], dtype=int)
    p = np.array([index[x] for x in predicted], dtype=int)
    k = len(labels)
    return np.bincount(t * k + p, weights=np.asarray(weights, dtype=float), minlength=k * k).reshape(k, k)


def stratified_replicates(strata: Sequence, n_boot: int, seed: int | Sequence[int]) -> np.ndarray:
    """``(n_boot, n)`` indices: each replicate resamples every stratum's units with replacement."""
    strata = pd.Series(list(strata))
    rng = np.random.default_rng(seed)
    columns = []
    for _, idx in sorted(strata.groupby(strata).indices.items(), key=lambda kv: str(kv[0])):
        columns.append(idx[rng.integers(0, len(idx), size=(n_boot, len(idx)))])
    return np.concatenate(columns, axis=1) if columns else np.zeros((n_boot, 0), dtype=int)


def replicate_confusions(codes_true: np.ndarray, codes_pred: np.ndarray, weights: np.ndarray,
                         replicates: np.ndarray, k: int) -> np.ndarray:
    """``(n_boot, k, k)`` weighted confusion of every bootstrap replicate."""
    n_boot = replicates.shape[0]
    cells = (codes_true * k + codes_pred)[replicates] + (k * k) * np.arange(n_boot)[:, None]
    flat = np.bincount(cells.ravel(), weights=weights[replicates].ravel(), minlength=n_boot * k * k)
    return flat.reshape(n_boot, k, k)


def _divide(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)


def metrics(confusion: np.ndarray, labels: Sequence[str] = LABELS) -> dict:
    """precision/recall/f1 per label, accuracy and macro_f of a (..., K, K) confusion (true x predicted)."""
    confusion = np.asarray(confusion, dtype=float)
    tp = np.diagonal(confusion, axis1=-2, axis2=-1)
    precision = _divide(tp, confusion.sum(axis=-2))
    recall = _divide(tp, confusion.sum(axis=-1))
    f1 = _divide(2 * precision * recall, precision + recall)
    f1 = np.where((precision == 0) & (recall == 0), 0.0, f1)
    accuracy = _divide(tp.sum(axis=-1), confusion.sum(axis=(-2, -1)))
    macro = np.mean([f1[..., list(labels).index(label)] for label in MACRO_LABELS], axis=0)
    per = lambda arr: {label: arr[..., i] for i, label in enumerate(labels)}  # noqa: E731
    return {"precision": per(precision), "recall": per(recall), "f1": per(f1), "accuracy": accuracy,
            "macro_f": macro}


def _ci(values: np.ndarray, level: float) -> tuple[float, float]:
    values = values[np.isfinite(values)]
    if values.size < 2:
        return float("nan"), float("nan")
    alpha = (1 - level) / 2
    lo, hi = np.quantile(values, [alpha, 1 - alpha])
    return float(lo), float(hi)


def accuracy_table(validation: pd.DataFrame, *, by: Sequence[str] = ("source", "period"),
                   min_n: int = config.MIN_VALIDATION_UNITS, min_support: int = config.MIN_VALIDATION_SUPPORT,
                   n_boot: int = config.N_BOOT, level: float = config.CI_LEVEL,
                   seed: int = config.SEED) -> pd.DataFrame:
    """Tidy table of weighted precision, recall, F1 per label, accuracy and macro_f, for all units and
    per value of each ``by`` column, with bootstrap intervals and a verdict (see the module docstring)."""
    k = len(LABELS)
    index = {label: i for i, label in enumerate(LABELS)}
    t = validation["true"].map(index).to_numpy(int)
    p = validation["predicted"].map(index).to_numpy(int)
    w = validation["weight"].to_numpy(float)
    strata = validation["variance_stratum"] if "variance_stratum" in validation.columns else validation["stratum"]
    reps = stratified_replicates(strata, n_boot, seed)
    groups = [("all", "all", np.ones(len(validation), bool))]
    for column in by:
        if column in validation.columns:
            for value in sorted(validation[column].astype(str).unique()):
                groups.append((column, value, (validation[column].astype(str) == value).to_numpy()))
    rows = []
    for group_by, group, mask in groups:
        n = int(mask.sum())
        point = metrics(weighted_confusion(validation["true"][mask], validation["predicted"][mask], w[mask]))
        plain = metrics(weighted_confusion(validation["true"][mask], validation["predicted"][mask], np.ones(n)))
        boot = metrics(replicate_confusions(t, p, w * mask, reps, k))
        small = n < min_n
        def row(measure, label, support, est, sample_est, draws, need):
            verdict = ""
            if small:
                verdict = f"too small to tell: {n} labelled units < {min_n}"
            elif support < need:
                verdict = f"too small to tell: {support} units behind it < {need}"
            lo, hi = _ci(draws, level) if not verdict else (float("nan"), float("nan"))
            rows.append({"group_by": group_by, "group": group, "measure": measure, "label": label, "n": n,
                         "support": int(support), "estimate": float(est) if not verdict else float("nan"),
                         "sample_estimate": float(sample_est), "ci_low": lo, "ci_high": hi, "verdict": verdict})
        for label in LABELS:
            n_pred = int((p[mask] == index[label]).sum())
            n_true = int((t[mask] == index[label]).sum())
            row("precision", label, n_pred, point["precision"][label], plain["precision"][label],
                boot["precision"][label], min_support)
            row("recall", label, n_true, point["recall"][label], plain["recall"][label], boot["recall"][label],
                min_support)
            row("f1", label, min(n_pred, n_true), point["f1"][label], plain["f1"][label], boot["f1"][label],
                min_support)
        row("accuracy", "", n, point["accuracy"], plain["accuracy"], boot["accuracy"], 0)
        row("macro_f", "", n, point["macro_f"], plain["macro_f"], boot["macro_f"], 0)
    return pd.DataFrame(rows, columns=ACCURACY_COLUMNS)


def population_confusion(validation: pd.DataFrame) -> pd.DataFrame:
    """Estimated counts in the population of each (true, predicted) pair (Horvitz-Thompson)."""
    counts = weighted_confusion(validation["true"], validation["predicted"], validation["weight"])
    return pd.DataFrame(counts, index=pd.Index(LABELS, name="true"), columns=pd.Index(LABELS, name="predicted"))


def overall_macro_f(validation: pd.DataFrame) -> float:
    """The weighted macro F of all labelled units (whatever their number; the table says when it is too few)."""
    conf = weighted_confusion(validation["true"], validation["predicted"], validation["weight"])
    return float(metrics(conf)["macro_f"])


def report_text(sheet: FilledSheet, validation: pd.DataFrame, table: pd.DataFrame, *,
                min_n: int = config.MIN_VALIDATION_UNITS) -> str:
    """Readable report of :func:`accuracy_table` (the CLI prints it)."""
    population = int(sheet.units.drop_duplicates("stratum")["stratum_size"].sum())
    lines = [f"sheet={sheet.path} key={sheet.key_path}",
             f"target={sheet.target} method={sheet.method} unit={sheet.unit} sample={sheet.sample_id}",
             f"units: {len(sheet.units)} drawn, {len(validation)} labelled, {sheet.n_skipped} SKIP, "
             f"{sheet.n_blank} empty; population {population} {sheet.unit}s; "
             f"uncovered strata {validation.attrs.get('uncovered_share', 0.0):.1%} of the population",
             "population-level estimates (units weighted by 1/inclusion probability); "
             "95% stratified bootstrap intervals; plain sample figure in ()", ""]
    every = table[table["group_by"] == "all"]

    def cell(r) -> str:
        if r.verdict:
            return "-".ljust(30)
        return f"{r.estimate:6.3f} [{r.ci_low:.2f},{r.ci_high:.2f}] ({r.sample_estimate:.2f})"[:30].ljust(30)

    lines.append(f"{'label':<8} {'precision':<30} {'recall':<30} {'f1':<30}")
    for label in LABELS:
        part = every[every["label"] == label].set_index("measure")
        lines.append(f"{label:<8} " + " ".join(cell(part.loc[m]) for m in ("precision", "recall", "f1")))
        notes = sorted({v for v in part["verdict"] if v})
        if notes:
            lines.append(f"{'':<8} {'; '.join(notes)}")
    for measure in ("accuracy", "macro_f"):
        r = every[every["measure"] == measure].iloc[0]
        lines.append(f"{measure:<8} {cell(r)}" + (f"  {r.verdict}" if r.verdict else ""))
    for group_by in [g for g in table["group_by"].unique() if g != "all"]:
        part = table[(table["group_by"] == group_by) & table["measure"].isin(["accuracy", "macro_f"])]
        lines += ["", f"by {group_by} (accuracy, macro_f; a group needs >= {min_n} labelled units):"]
        for group, rows in part.groupby("group", sort=True):
            acc = rows[rows["measure"] == "accuracy"].iloc[0]
            mf = rows[rows["measure"] == "macro_f"].iloc[0]
            if acc.verdict:
                lines.append(f"  {group:<14} n={acc.n:<4} {acc.verdict}")
            else:
                lines.append(f"  {group:<14} n={acc.n:<4} accuracy {cell(acc).strip()}  macro_f {cell(mf).strip()}")
    lines += ["", "estimated population counts (rows: true label, columns: predicted):",
              population_confusion(validation).round(1).to_string()]
    return "\n".join(lines)
