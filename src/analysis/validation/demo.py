"""The validation loop on the demo corpus, whose true labels are known: simulated coders and the truth.

>>> import pandas as pd
>>> truth = pd.DataFrame({"doc_id": ["a", "b", "c"], "stance_輸出規制": [1, None, -1]})
>>> truth_labels(truth).query("target == '輸出規制'")["true"].tolist()
['FAVOR', 'NONE', 'AGAINST']

Notebook 08 uses these to walk the loop without human coders: a sheet drawn by ``annotate`` is
filled from the demo's ``ground_truth.csv`` through :class:`~analysis.validation.widget.LabellingSession`
(the code path of the widget's buttons), once as a careful coder and once as a coder who disagrees
on a seeded share of the units. The corrected and raw shares are then compared with two truths
per (newspaper, target, period) cell: the share of documents whose ground-truth label is FAVOR
(AGAINST) among the documents the scorer counted, which is what the correction estimates, and the
planted expectation from ``trajectories.csv`` (the generator draws a page's stance with P(FAVOR)
- P(AGAINST) = e and P(NONE) = 0.15 (1 - |e|) for the month's expected stance e).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.validation.sheets import STANCE_LABELS, SKIP, read_sheet, write_sheet_file

TRUTH_TO_LABEL = {1: "FAVOR", -1: "AGAINST", 0: "NONE"}
QUANTITIES = ("share_favor", "share_against", "net")


def truth_labels(truth: pd.DataFrame) -> pd.DataFrame:
    """doc_id, target, true from ground-truth columns ``stance_<target>`` (empty: not discussed, NONE)."""
    rows = []
    for column in [c for c in truth.columns if c.startswith("stance_")]:
        target = column[len("stance_"):]
        values = pd.to_numeric(truth[column], errors="coerce")
        rows.append(pd.DataFrame({"doc_id": truth["doc_id"], "target": target,
                                  "true": values.map(lambda v: TRUTH_TO_LABEL.get(int(v), "NONE") if pd.notna(v) else "NONE"),
                                  "discussed": values.notna()}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["doc_id", "target", "true", "discussed"])


def fill_sheet(sheet_path: str | Path, out_path: str | Path, key: pd.DataFrame, truth: pd.DataFrame, *,
               disagreement: float = 0.0, skip: int = 0, seed: int = config.SEED) -> Path:
    """Copy a sheet to ``out_path`` and label every unit as a coder would, click by click.

    The label is the ground truth (``truth``: doc_id, target, true), except on a seeded share
    ``disagreement`` of units, which get one of the other two labels, and on ``skip`` units, marked
    SKIP. Labelling goes through :class:`LabellingSession` (the widget's code path); the sheet is
    written once at the end, the same file the widget's last click would write.
    """
    from analysis.validation.annotate import INSTRUCTIONS
    from analysis.validation.sheets import SHEET_LABELS
    from analysis.validation.widget import LabellingSession

    out_path = Path(out_path)
    sheet = read_sheet(sheet_path).drop(columns="_row")
    write_sheet_file(sheet, out_path, allowed=SHEET_LABELS, instructions=INSTRUCTIONS)
    wanted = key[["unit_id", "doc_id", "target"]].merge(truth[["doc_id", "target", "true"]], on=["doc_id", "target"],
                                                         how="left").set_index("unit_id")["true"].fillna("NONE")
    rng = np.random.default_rng([seed, 8])
    units = sorted(sheet["unit_id"])
    flipped = set(rng.choice(units, size=int(round(disagreement * len(units))), replace=False)) if disagreement else set()
    skipped = set(rng.choice(sorted(set(units) - flipped), size=min(skip, len(units) - len(flipped)), replace=False)) if skip else set()
    session = LabellingSession(out_path, autosave=False)
    while not session.done:
        unit_id = session.current()["unit_id"]
        label = wanted[unit_id]
        if unit_id in skipped:
            label = SKIP
        elif unit_id in flipped:
            others = [x for x in STANCE_LABELS if x != label]
            label = others[int(rng.integers(len(others)))]
        session.label(label)
    session.save()
    return out_path


def _cells(by: Sequence[str]) -> list[str]:
    return [c for c in ("source", "target", "period") if c in by or c == "target"]


def truth_shares(documents: pd.DataFrame, truth: pd.DataFrame, by: Sequence[str] = ("source", "period")) -> pd.DataFrame:
    """Per (source, target, period) (or the cells ``by`` names, as in ``corrected_shares``): n and the
    shares of true FAVOR, AGAINST and net among ``documents`` (doc_id, source, target, period: the
    units the scorer counted)."""
    joined = documents.merge(truth[["doc_id", "target", "true"]], on=["doc_id", "target"], how="left")
    joined["true"] = joined["true"].fillna("NONE")
    out = (joined.assign(favor=(joined["true"] == "FAVOR").astype(float), against=(joined["true"] == "AGAINST").astype(float))
           .groupby(_cells(by), sort=True).agg(n=("doc_id", "size"), share_favor=("favor", "mean"),
                                                    share_against=("against", "mean")).reset_index())
    out["net"] = out["share_favor"] - out["share_against"]
    return out


def planted_shares(documents: pd.DataFrame, trajectories: pd.DataFrame, truth: pd.DataFrame,
                   by: Sequence[str] = ("source", "period")) -> pd.DataFrame:
    """Per cell, the generator's expected shares over the cell's documents (a document the page does
    not discuss counts as NONE). ``documents`` needs published (or month) besides the cell columns."""
    docs = documents.copy()
    published = pd.to_datetime(docs["published"])
    if getattr(published.dt, "tz", None) is not None:
        published = published.dt.tz_convert(config.DEFAULT_TZ).dt.tz_localize(None)
    docs["month"] = published.dt.strftime("%Y-%m")
    traj = trajectories.rename(columns={"period": "month"})[["source", "target", "month", "expected"]]
    docs = docs.merge(traj, on=["source", "target", "month"], how="inner")
    docs = docs.merge(truth[["doc_id", "target", "discussed"]], on=["doc_id", "target"], how="left")
    e = docs["expected"].astype(float)
    p_none = 0.15 * (1 - e.abs())
    discussed = docs["discussed"].fillna(False).astype(bool)
    docs["favor"] = np.where(discussed, (1 - p_none + e) / 2, 0.0)
    docs["against"] = np.where(discussed, (1 - p_none - e) / 2, 0.0)
    out = docs.groupby(_cells(by), sort=True).agg(n=("doc_id", "size"), share_favor=("favor", "mean"),
                                                     share_against=("against", "mean")).reset_index()
    out["net"] = out["share_favor"] - out["share_against"]
    return out


def error_table(over_time: pd.DataFrame, reference: pd.DataFrame, name: str,
                quantities: Sequence[str] = QUANTITIES) -> pd.DataFrame:
    """Mean absolute error of raw and corrected estimates against ``reference`` over the cells both
    have, and the share of cells whose 95% interval contains the reference value (coverage)."""
    key = [c for c in ("source", "target", "period") if c in over_time.columns and c in reference.columns]
    have = over_time.dropna(subset=["net_corrected"]) if "net_corrected" in over_time else over_time.iloc[0:0]
    joined = have.merge(reference[key + list(quantities)].rename(columns={q: f"{q}_ref" for q in quantities}),
                        on=key, how="inner")
    rows = []
    for quantity in quantities:
        for kind in ("raw", "corrected"):
            est = joined[f"{quantity}_{kind}"]
            ref = joined[f"{quantity}_ref"]
            inside = (joined[f"{quantity}_{kind}_ci_low"] <= ref + 1e-12) & (ref <= joined[f"{quantity}_{kind}_ci_high"] + 1e-12)
            width = joined[f"{quantity}_{kind}_ci_high"] - joined[f"{quantity}_{kind}_ci_low"]
            rows.append({"reference": name, "quantity": quantity, "estimate": kind, "cells": len(joined),
                         "mae": float((est - ref).abs().mean()) if len(joined) else float("nan"),
                         "coverage": float(inside.mean()) if len(joined) else float("nan"),
                         "mean_ci_width": float(width.mean()) if len(joined) else float("nan")})
    return pd.DataFrame(rows)


def counted_documents(stance: pd.DataFrame, corpus: pd.DataFrame, period: str) -> pd.DataFrame:
    """doc_id, source, target, period, published of the documents stance_over_time counts."""
    from analysis.stats import period_label

    meta = corpus[["doc_id", "source", "published"]].copy()
    meta["period"] = period_label(meta["published"], period, groups=meta["source"])
    out = stance[stance["n_mentions"] > 0][["doc_id", "target"]].merge(meta, on="doc_id")
    return out.dropna(subset=["period"]).reset_index(drop=True)


def simulate(stance: pd.DataFrame, corpus: pd.DataFrame, truth: pd.DataFrame, out_dir: str | Path, *, n: int,
             period: str, seed: int, targets: Sequence[str] | None = None) -> list[Path]:
    """Draw a sample of ``n`` documents per target and fill it as a careful coder (the ground truth);
    return the filled sheets (``..._truth.csv`` beside the drawn ones)."""
    from analysis.validation.annotate import annotate

    out_dir = Path(out_dir)
    targets = list(targets) if targets is not None else sorted(stance["target"].unique())
    sheets = []
    for target in targets:
        drawn = annotate(stance, corpus, target=target, n=n, out_dir=out_dir, period=period, seed=seed, force=True)
        csv = next(p for p in drawn.sheet_paths if p.suffix == ".csv")
        sheets.append(fill_sheet(csv, csv.with_name(csv.stem + "_truth.csv"), drawn.key, truth, seed=seed))
    return sheets


#: Cells the errors are measured in: the figure's (newspaper x period) and newspaper-long ones.
GRANULARITIES = {"newspaper x period": ("source", "period"), "newspaper (all periods)": ("source",)}


def repeated_errors(stance: pd.DataFrame, corpus: pd.DataFrame, truth: pd.DataFrame, out_dir: str | Path, *,
                    n: int, period: str, seeds: Sequence[int], n_boot: int,
                    trajectories: pd.DataFrame | None = None) -> pd.DataFrame:
    """Errors of raw and corrected shares against the truth (and the planted trajectories) for
    several independent validation samples, at each of :data:`GRANULARITIES`.

    One row per seed, granularity, reference, quantity and estimate (raw or corrected) with the
    number of cells, the mean absolute error, the interval coverage and mean width.
    """
    import warnings

    from analysis.validation.prevalence import corrected_shares
    from analysis.validation.sheets import load_filled

    documents = counted_documents(stance, corpus, period)
    rows = []
    for seed in seeds:
        paths = simulate(stance, corpus, truth, Path(out_dir) / f"draw_{seed}", n=n, period=period, seed=seed)
        sheets = [load_filled(p) for p in paths]
        for name, by in GRANULARITIES.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                shares = corrected_shares(stance, corpus, sheets, period=period, n_boot=n_boot, seed=seed, by=by)
            references = {"truth": truth_shares(documents, truth, by)}
            if trajectories is not None:
                references["planted"] = planted_shares(documents, trajectories, truth, by)
            for ref_name, reference in references.items():
                rows.append(error_table(shares, reference, ref_name).assign(seed=seed, cells_by=name))
    return pd.concat(rows, ignore_index=True)


def summarise_errors(errors: pd.DataFrame) -> pd.DataFrame:
    """Mean over draws of MAE, coverage and width per granularity, reference, quantity and estimate,
    and the share of draws in which the corrected estimate had the smaller MAE."""
    keys = ["cells_by", "reference", "quantity"]
    mean = (errors.groupby(keys + ["estimate"], sort=False)[["cells", "mae", "coverage", "mean_ci_width"]].mean()
            .unstack("estimate"))
    mean.columns = [f"{a}_{b}" for a, b in mean.columns]
    wide = errors.pivot_table(index=keys + ["seed"], columns="estimate", values="mae").reset_index()
    wins = (wide["corrected"] < wide["raw"]).groupby([wide[k] for k in keys], sort=False).mean().rename("corrected_better")
    out = mean.join(wins).reset_index()
    out = out[out["cells_raw"] > 0]
    columns = keys + ["cells_raw", "mae_raw", "mae_corrected", "corrected_better", "coverage_raw", "coverage_corrected",
                      "mean_ci_width_raw", "mean_ci_width_corrected"]
    return out[columns].rename(columns={"cells_raw": "cells"}).reset_index(drop=True)
