"""Label shares corrected for classifier error, with intervals that carry both sources of uncertainty.

>>> import numpy as np
>>> M = np.array([[0.8, 0.1, 0.2],      # P(predicted | true): columns are the true label
...               [0.1, 0.8, 0.2],      # (FAVOR, AGAINST, NONE), rows the predicted one
...               [0.1, 0.1, 0.6]])
>>> true = np.array([0.5, 0.2, 0.3])
>>> observed = M @ true                  # what the classifier's shares look like
>>> observed.round(3).tolist(), solve_shares(M, observed).round(3).tolist()
([0.48, 0.27, 0.25], [0.5, 0.2, 0.3])

The *matrix method* (Hopkins & King 2010, "A method of automated nonparametric content analysis
for social science", AJPS 54(1); the misclassification correction of Buonaccorsi 2010, ch. 3):
the shares ``q`` of predicted labels in a cell (newspaper x target x period) relate to the true
shares ``p`` through the classifier's misclassification matrix, ``q = M p`` with ``M[j, i] =
P(predicted j | true i)``. ``M`` is estimated from the validation sample, each unit weighted by the
inverse of its inclusion probability (the sample was stratified by predicted label, so unweighted
counts would misstate P(predicted | true)); ``p`` is ``M^-1 q`` when that lies in the simplex, else
the least-squares solution constrained to it (shares >= 0 summing to 1). The assumption, which
Hopkins and King make explicit, is that ``M`` is the same in every cell: the classifier errs alike
across newspapers and periods, while the true shares may move. ``analysis stance-eval --sheet``
shows accuracy per newspaper and period, which is where to look for a violation.

``M`` is estimated with one pseudo-observation per true label spread evenly over the predicted
labels (``prior=1.0``; a weak Dirichlet prior), so a label absent from a small sample or a
bootstrap replicate does not make ``M`` singular. Intervals: a joint percentile bootstrap; each
replicate resamples the validation sample within its predicted-label groups (a new ``M``; see
:mod:`analysis.validation.accuracy` on collapsing strata) and, independently,
each cell's documents (a new ``q``, drawn as a multinomial of the cell's size, which is the same
as resampling its documents), and solves again. The corrected interval therefore widens when the
validation sample is small and when the classifier is poor, as it should; the raw interval covers
document sampling only.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.validation.accuracy import (LABELS, replicate_confusions, stratified_replicates, validation_frame,
                                          weighted_confusion)
from analysis.validation.sheets import FilledSheet

#: Pseudo-observations per true label, spread evenly over the predicted labels, in estimating M.
PRIOR = 1.0
SHARES = ("favor", "against")
CORRECTED_COLUMNS = (
    ["n_validation"]
    + [f"share_{s}_{kind}{suffix}" for s in SHARES for kind in ("raw", "corrected") for suffix in ("", "_ci_low", "_ci_high")]
    + [f"net_{kind}{suffix}" for kind in ("raw", "corrected") for suffix in ("", "_ci_low", "_ci_high")]
)


def misclassification_matrix(confusion: np.ndarray, prior: float = PRIOR) -> np.ndarray:
    """``M[..., j, i] = P(predicted j | true i)`` from a (..., K, K) confusion (rows true, columns predicted)."""
    confusion = np.asarray(confusion, dtype=float)
    k = confusion.shape[-1]
    counts = np.swapaxes(confusion, -1, -2) + prior / k       # (..., predicted, true)
    totals = counts.sum(axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = counts / totals
    # a true label never seen (possible only with prior=0): treat it as always classified right
    eye = np.broadcast_to(np.eye(k), m.shape)
    return np.where(totals > 0, m, eye)


def _supports(k: int) -> list[tuple[int, ...]]:
    """Every set of labels allowed a positive share, largest first (the order :func:`solve_shares` tries)."""
    return [s for size in range(k, 0, -1) for s in itertools.combinations(range(k), size)]


def kkt_inverses(M: np.ndarray) -> list[np.ndarray]:
    """Per support (:func:`_supports`), the pseudo-inverse of :func:`solve_shares`' KKT matrix for ``M``.

    They depend on ``M`` only, so cells sharing one misclassification matrix (every cell of a
    target) compute them once and pass them to :func:`solve_shares`; the shares are the same.
    """
    M = np.asarray(M, dtype=float)
    shape = M.shape[:-2]
    out = []
    for support in _supports(M.shape[-1]):
        s = list(support)
        A = M[..., :, s]                                              # (..., K, s)
        kkt = np.zeros(shape + (len(s) + 1, len(s) + 1))
        kkt[..., :len(s), :len(s)] = 2 * np.swapaxes(A, -1, -2) @ A
        kkt[..., :len(s), len(s)] = 1.0
        kkt[..., len(s), :len(s)] = 1.0
        out.append(np.linalg.pinv(kkt))
    return out


def solve_shares(M: np.ndarray, q: np.ndarray, inverses: Sequence[np.ndarray] | None = None) -> np.ndarray:
    """True shares ``p`` with ``M p = q``, or the least-squares ``p`` on the simplex when none is there.

    Batched: ``M`` (..., K, K) and ``q`` (..., K) broadcast. Every support (set of labels allowed a
    positive share) is solved with the sum-to-one constraint (KKT system); the feasible solution
    with the smallest residual wins, the largest support on ties, so an exact inverse in the
    simplex is returned as is. ``inverses``: :func:`kkt_inverses` of this ``M``, if already computed.
    """
    M = np.asarray(M, dtype=float)
    q = np.asarray(q, dtype=float)
    k = q.shape[-1]
    if inverses is None:
        inverses = kkt_inverses(M)
    shape = np.broadcast_shapes(M.shape[:-2], q.shape[:-1])
    M = np.broadcast_to(M, shape + (k, k))
    q = np.broadcast_to(q, shape + (k,))
    best = np.full(shape + (k,), np.nan)
    best_res = np.full(shape, np.inf)
    for support, inverse in zip(_supports(k), inverses):
        s = list(support)
        A = M[..., :, s]                                              # (..., K, s)
        rhs = np.concatenate([2 * (np.swapaxes(A, -1, -2) @ q[..., None])[..., 0], np.ones(shape + (1,))], axis=-1)
        sol = (inverse @ rhs[..., None])[..., 0][..., :len(s)]
        x = np.zeros(shape + (k,))
        x[..., s] = sol
        res = ((M @ x[..., None])[..., 0] - q) ** 2
        res = res.sum(axis=-1)
        feasible = (sol >= -1e-9).all(axis=-1) & (np.abs(sol.sum(axis=-1) - 1) < 1e-6)
        better = feasible & (res < best_res - 1e-12)
        best = np.where(better[..., None], x, best)
        best_res = np.where(better, res, best_res)
    best = np.clip(best, 0.0, None)
    return best / best.sum(axis=-1, keepdims=True)


def _percentile(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    alpha = (1 - level) / 2
    lo, hi = np.quantile(draws, [alpha, 1 - alpha], axis=0)
    return lo, hi


def _document_cells(stance_df: pd.DataFrame, corpus_df: pd.DataFrame, period: str) -> pd.DataFrame:
    from analysis.stats import period_label

    meta = corpus_df[["doc_id", "source", "published"]].copy()
    meta["period"] = period_label(meta["published"], period, groups=meta["source"])
    mentioned = stance_df[stance_df["n_mentions"] > 0].merge(meta, on="doc_id", how="inner")
    return mentioned.dropna(subset=["period"])


def _current_predictions(sheet: FilledSheet, validation: pd.DataFrame, documents: pd.DataFrame) -> pd.Series:
    """The labels the stance table now gives the sampled documents (the classifier whose shares are corrected)."""
    if sheet.unit != "document":
        raise InputError(f"{sheet.path} is a {sheet.unit} sample; the over-time correction needs a document "
                         "sample (`analysis annotate --unit document`)")
    methods = set(documents["method"]) if "method" in documents.columns else {sheet.method}
    if sheet.method not in methods:
        raise InputError(f"{sheet.path} validates method {sheet.method!r} but the stance table holds "
                         f"{sorted(methods)}; score with `analysis stance --method {sheet.method}` or draw a "
                         "sample of this method")
    current = documents[documents["target"] == sheet.target].drop_duplicates("doc_id").set_index("doc_id")["label"]
    missing = validation.loc[~validation["doc_id"].isin(current.index)]
    if len(missing):
        raise InputError(f"{sheet.path}: {len(missing)} labelled units (e.g. {missing['unit_id'].iloc[0]}, doc "
                         f"{missing['doc_id'].iloc[0]}) are not among the documents the stance table scores as "
                         f"mentioning {sheet.target}; the sheet was drawn from another corpus or stance run: "
                         "draw a new sample with `analysis annotate`")
    now = validation["doc_id"].map(current)
    changed = int((now != validation["predicted"]).sum())
    if changed:
        warnings.warn(f"{sheet.path}: {changed} of {len(validation)} sampled documents have another predicted label "
                      "now than when the sample was drawn; the correction uses the current labels (the sampling "
                      "weights stay valid), but if the scorer changed much, draw a new sample", stacklevel=3)
    return now


def misclassification_table(sheet: FilledSheet, stance_df: pd.DataFrame | None = None,
                            prior: float = PRIOR) -> pd.DataFrame:
    """Estimated P(predicted | true) of a filled document sheet (rows predicted, columns true)."""
    validation = validation_frame(sheet)
    if stance_df is not None:
        validation = validation.assign(predicted=_current_predictions(
            sheet, validation, stance_df[stance_df["n_mentions"] > 0]).to_numpy())
    conf = weighted_confusion(validation["true"], validation["predicted"], _effective(validation["weight"]))
    m = misclassification_matrix(conf, prior)
    return pd.DataFrame(m, index=pd.Index(LABELS, name="predicted"), columns=pd.Index(LABELS, name="true"))


def _stable(key) -> int:
    """A seed part derived from a target or cell name, so a cell's draws do not depend on which
    other cells or targets the table holds."""
    import zlib

    return zlib.crc32(repr(key).encode("utf-8"))


def _effective(weights: pd.Series) -> np.ndarray:
    """Weights rescaled to sum to the number of units, so the prior weighs like that many observations."""
    w = weights.to_numpy(float)
    return w * len(w) / w.sum() if w.sum() > 0 else w


def sheets_by_target(sheets: Sequence[FilledSheet]) -> dict[str, FilledSheet]:
    """One filled document sheet per target, or an InputError naming the two sheets of one target."""
    by_target: dict[str, FilledSheet] = {}
    for sheet in sheets:
        if sheet.unit != "document":
            raise InputError(f"{sheet.path} is a {sheet.unit} sample; the over-time correction needs a document "
                             "sample (`analysis annotate --unit document`)")
        if sheet.target in by_target:
            raise InputError(f"two sheets for target {sheet.target}: {by_target[sheet.target].path} and {sheet.path}; "
                             "pass one adjudicated sheet per target (`analysis agreement` compares coders)")
        by_target[sheet.target] = sheet
    return by_target


def corrected_shares(stance_df: pd.DataFrame, corpus_df: pd.DataFrame, sheets: Sequence[FilledSheet], *,
                     period: str = config.PERIOD, n_boot: int = config.N_BOOT, level: float = config.CI_LEVEL,
                     seed: int = config.SEED, prior: float = PRIOR,
                     by: Sequence[str] = ("source", "period")) -> pd.DataFrame:
    """Raw and corrected shares of FAVOR and AGAINST (and net = FAVOR - AGAINST) per source, target, period.

    Columns: source, target, period, n, then :data:`CORRECTED_COLUMNS`. Targets without a sheet get the
    raw columns and NaN corrected ones (``n_validation`` 0). One filled document sheet per target.
    ``by`` chooses the cells within a target: ``("source",)`` pools all periods of a newspaper,
    ``("period",)`` all newspapers of a period (the same M, larger cells).
    """
    by = [c for c in ("source", "period") if c in by]
    documents = _document_cells(stance_df, corpus_df, period)
    by_target = sheets_by_target(sheets)
    k = len(LABELS)
    index = {label: i for i, label in enumerate(LABELS)}
    rows = []
    targets = sorted(documents["target"].unique())
    for target in targets:
        docs = documents[documents["target"] == target]
        sheet = by_target.get(target)
        M_hat = M_boot = None
        n_validation = 0
        if sheet is not None:
            validation = validation_frame(sheet)
            if validation.empty:
                raise InputError(f"{sheet.path} has no unit labelled FAVOR, AGAINST or NONE; fill the label column")
            predicted = _current_predictions(sheet, validation, documents)
            w = _effective(validation["weight"])
            tr = validation["true"].map(index).to_numpy(int)
            pr = predicted.map(index).to_numpy(int)
            reps = stratified_replicates(validation["variance_stratum"], n_boot, [seed, _stable(target)])
            M_hat = misclassification_matrix(weighted_confusion(validation["true"], predicted, w), prior)
            M_boot = misclassification_matrix(replicate_confusions(tr, pr, w, reps, k), prior)
            inverses = (kkt_inverses(M_hat), kkt_inverses(M_boot))  # shared by every cell of the target
            n_validation = len(validation)
        for cell_key, cell in (docs.groupby(by, sort=True) if by else [((), docs)]):
            cell_key = cell_key if isinstance(cell_key, tuple) else (cell_key,)
            counts = cell["label"].map(index).value_counts().reindex(range(k), fill_value=0).to_numpy(float)
            n = int(counts.sum())
            q_hat = counts / n
            rng = np.random.default_rng([seed, _stable(target), _stable(cell_key)])
            q_boot = rng.multinomial(n, q_hat, size=n_boot) / n
            row = {**dict(zip(by, cell_key)), "target": target, "n": n, "n_validation": n_validation}
            estimates = {"raw": (q_hat, q_boot)}
            if M_hat is not None:
                estimates["corrected"] = (solve_shares(M_hat, q_hat, inverses[0]),
                                          solve_shares(M_boot, q_boot, inverses[1]))
            for kind in ("raw", "corrected"):
                if kind not in estimates:
                    for name in ("share_favor", "share_against", "net"):
                        for suffix in ("", "_ci_low", "_ci_high"):
                            row[f"{name}_{kind}{suffix}"] = float("nan")
                    continue
                point, draws = estimates[kind]
                values = {"share_favor": (point[0], draws[:, 0]), "share_against": (point[1], draws[:, 1]),
                          "net": (point[0] - point[1], draws[:, 0] - draws[:, 1])}
                for name, (est, sample) in values.items():
                    lo, hi = _percentile(sample, level)
                    row[f"{name}_{kind}"] = float(est)
                    row[f"{name}_{kind}_ci_low"] = float(lo)
                    row[f"{name}_{kind}_ci_high"] = float(hi)
            rows.append(row)
    unknown = sorted(set(by_target) - set(targets))
    if unknown:
        raise InputError(f"sheet(s) for target(s) {unknown} ({', '.join(str(by_target[t].path) for t in unknown)}) "
                         f"but the stance table has no documents mentioning them (targets: {targets})")
    columns = [c for c in ("source", "target", "period") if c in by or c == "target"] + ["n"] + CORRECTED_COLUMNS
    return pd.DataFrame(rows, columns=columns)
