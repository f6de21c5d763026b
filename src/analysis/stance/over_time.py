"""Scoring a corpus, stance over time, and checking planted trajectories on the demo corpus.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["X", "X"],
...     "published": pd.to_datetime(["2024-01-05", "2024-01-20"]).tz_localize("Asia/Tokyo"),
...     "text": ["輸出規制の強化は妥当だ。", "輸出規制は撤廃すべきだ。"]})
>>> stance, evidence = score_corpus(corpus, method="rules")  # the default, "syntax", needs GiNZA
>>> stance.query("target == '輸出規制'")["label"].tolist()
['FAVOR', 'AGAINST']
>>> stance_over_time(stance, corpus, period="M", n_boot=50)[["source", "target", "period", "n"]].values.tolist()
[['X', '輸出規制', '2024-01', 2]]

``stance_over_time`` averages document scores per source, target and period over the documents
that mention the target (``analysis.stats.grouped_mean_ci``: bootstrap interval over documents).
``trajectory_correlation`` compares per (source, target, year) mean scores with the demo corpus's
``trajectories.csv`` aggregated the same way (Pearson r over the cells both have).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.stance.evaluate import DEFAULT_METHOD
from analysis.stance.targets import load_targets

OVER_TIME_COLUMNS = ["source", "target", "period", "n", "mean", "ci_low", "ci_high"]


def score_corpus(corpus: pd.DataFrame, *, targets_path=None, method: str = DEFAULT_METHOD, train=None,
                 seed: int = config.SEED):
    """``(stance_df, evidence_df)`` for every document (doc_id, text) and target."""
    return score_frame(corpus, targets=load_targets(targets_path), method=method, train=train, seed=seed)


def score_frame(corpus: pd.DataFrame, *, targets=None, method: str = DEFAULT_METHOD, train=None,
                seed: int = config.SEED):
    """``score_corpus`` with targets given as a dict (None: the bundled targets).

    Every scorer is fitted the same way, ``fit(X, y)``: the supervised scorer on ``train``
    (default: the bundled editorial training set), the rule scorer on nothing, the syntax
    scorer's learned part on the bundled editorial training set.
    """
    from analysis.stance.evaluate import gold_X, make_scorer

    for col in ("doc_id", "text"):
        if col not in corpus.columns:
            raise InputError(f"corpus lacks column {col!r}; run 'analysis ingest' to build corpus.parquet")
    targets = targets if targets is not None else load_targets()
    scorer = make_scorer(method, targets=targets, seed=seed)
    if train is not None:
        scorer.fit(gold_X(train), train["label"].to_numpy())
    else:
        scorer.fit(corpus[["text"]].assign(target=""), None)
    return scorer.score_documents(corpus, targets, method=method)


def stance_over_time(stance_df: pd.DataFrame, corpus_df: pd.DataFrame, period: str = config.PERIOD,
                     n_boot: int = config.N_BOOT, seed: int = config.SEED, sheet=None) -> pd.DataFrame:
    """Mean stance per source, target and period, with bootstrap CI and counts (documents mentioning it).

    ``sheet``: filled document annotation sheet(s) (paths, or ``FilledSheet`` objects from
    ``analysis.validation.sheets.load_filled``), one per target. With it, the table also has the
    shares of FAVOR and AGAINST and their difference (net), raw and corrected for classifier error,
    with intervals over documents and the validation sample
    (``analysis.validation.prevalence.CORRECTED_COLUMNS``; NaN for targets without a sheet).
    Without it the table is exactly ``OVER_TIME_COLUMNS``.
    """
    from analysis.stats import grouped_mean_ci, period_label

    meta = corpus_df[["doc_id", "source", "published"]].copy()
    meta["period"] = period_label(meta["published"], period, groups=meta["source"])
    mentioned = stance_df[stance_df["n_mentions"] > 0].merge(meta, on="doc_id", how="inner")
    if mentioned.empty:
        table = pd.DataFrame(columns=OVER_TIME_COLUMNS)
    else:
        table = grouped_mean_ci(mentioned, ["source", "target", "period"], "score", n_boot=n_boot, seed=seed)
        table = table[OVER_TIME_COLUMNS]
    if sheet is None:
        return table
    from analysis.validation.prevalence import CORRECTED_COLUMNS, corrected_shares
    from analysis.validation.sheets import FilledSheet, load_filled_many

    sheets = [sheet] if isinstance(sheet, FilledSheet) else list(sheet) if isinstance(sheet, (list, tuple)) else [sheet]
    sheets = [s if isinstance(s, FilledSheet) else load_filled_many(s)[0] for s in sheets]
    if table.empty:
        return pd.DataFrame(columns=OVER_TIME_COLUMNS + CORRECTED_COLUMNS)
    corrected = corrected_shares(stance_df, corpus_df, sheets, period=period, n_boot=n_boot, seed=seed)
    return table.merge(corrected.drop(columns="n"), on=["source", "target", "period"], how="left")


def run_stance(corpus_path, out_dir, *, targets_path=None, method: str = DEFAULT_METHOD, period: str = config.PERIOD,
               train_path=None, seed: int = config.SEED, n_boot: int = config.N_BOOT, sheets=None,
               key=None) -> dict[str, Path]:
    """Read corpus.parquet, write stance.parquet, stance_evidence.parquet, stance_over_time.parquet.

    ``sheets`` (filled document annotation sheets, one per target; ``key`` for a single sheet whose
    key is not beside it) add the misclassification-corrected shares to stance_over_time.parquet.
    """
    from analysis.io import read_stage_output, write_parquet

    out_dir = Path(out_dir)
    filled = None
    if sheets:
        from analysis.validation.sheets import load_filled_many

        from analysis.validation.prevalence import sheets_by_target

        filled = load_filled_many(sheets, key=key)  # read and check before the long scoring step
        sheets_by_target(filled)
    corpus = read_stage_output(corpus_path, "ingest")
    train = None
    if train_path is not None:
        from analysis.stance.evaluate import read_gold

        train = read_gold(train_path)
    stance, evidence = score_corpus(corpus, targets_path=targets_path, method=method, train=train, seed=seed)
    over_time = stance_over_time(stance, corpus, period=period, n_boot=n_boot, seed=seed, sheet=filled)
    outputs = {"stance": out_dir / "stance.parquet", "evidence": out_dir / "stance_evidence.parquet",
               "over_time": out_dir / "stance_over_time.parquet"}
    write_parquet(stance, outputs["stance"])
    write_parquet(evidence, outputs["evidence"])
    write_parquet(over_time, outputs["over_time"])
    from analysis.runstate import write_stamp

    write_stamp(out_dir, "stance", inputs=[corpus_path, *([targets_path] if targets_path else []),
                                           *(sheets or [])],
                outputs=outputs.values(), parameters={"method": method, "period": period, "seed": seed,
                                                      "n_boot": n_boot})
    return outputs


def trajectory_correlation(stance_df: pd.DataFrame, corpus_df: pd.DataFrame,
                           trajectories: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    """Pearson r between estimated and planted stance per (source, target, year).

    ``trajectories`` has columns source, target, period, expected; its periods are reduced to the
    year and averaged, as are the documents' scores (documents that mention the target only).
    Returns ``(r, table)`` with table columns source, target, year, estimated, expected, n.
    """
    need = {"source", "target", "period", "expected"}
    if not need <= set(trajectories.columns):
        raise InputError(f"trajectories table needs columns {sorted(need)}; got {list(trajectories.columns)}")
    traj = trajectories.copy()
    traj["year"] = traj["period"].astype(str).str.slice(0, 4)
    expected = traj.groupby(["source", "target", "year"], as_index=False)["expected"].mean()
    meta = corpus_df[["doc_id", "source", "published"]].copy()
    meta["year"] = pd.to_datetime(meta["published"]).dt.strftime("%Y")
    est = stance_df[stance_df["n_mentions"] > 0].merge(meta, on="doc_id")
    estimated = est.groupby(["source", "target", "year"], as_index=False).agg(estimated=("score", "mean"),
                                                                              n=("score", "size"))
    table = estimated.merge(expected, on=["source", "target", "year"], how="inner")
    if len(table) < 3 or table["expected"].std() == 0 or table["estimated"].std() == 0:
        return float("nan"), table
    r = float(np.corrcoef(table["estimated"], table["expected"])[0, 1])
    return r, table[["source", "target", "year", "estimated", "expected", "n"]]
