"""Shared statistics for over-time tables: periods and bootstrap confidence intervals.

>>> import pandas as pd
>>> df = pd.DataFrame({"source": ["A"] * 4, "period": ["2024-01"] * 4, "value": [0, 1, 1, 1]})
>>> out = grouped_mean_ci(df, ["source", "period"], "value", n_boot=200, seed=1)
>>> out[["source", "period", "n", "mean"]].to_dict("records")
[{'source': 'A', 'period': '2024-01', 'n': 4, 'mean': 0.75}]

Topic shares, stance over time and coded-theme shares all use these two functions, so every
over-time figure in the suite carries the same kind of interval: a percentile bootstrap over
documents, seeded, with the number of documents behind each point.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from analysis import config

PERIOD_FORMATS = {"M": "%Y-%m", "Q": None, "Y": "%Y"}


def _labels(published: pd.Series, freq: str) -> pd.Series:
    ts = pd.to_datetime(published)
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_convert(config.DEFAULT_TZ).dt.tz_localize(None)
    labels = ts.dt.to_period(freq).astype("string")
    return labels.where(ts.notna(), pd.NA)


def choose_period(published: pd.Series, groups: pd.Series | None = None,
                  min_docs: int = config.MIN_DOCS_PER_PERIOD) -> str:
    """Shortest of M, Q, Y whose median count per (group, period) reaches ``min_docs`` (else "Y").

    >>> dates = pd.Series(pd.date_range("2020-01-01", periods=24, freq="MS", tz="Asia/Tokyo"))
    >>> choose_period(dates), choose_period(dates, min_docs=1)
    ('Y', 'M')
    """
    for freq in ("M", "Q"):
        labels = _labels(published, freq)
        keys = pd.DataFrame({"g": groups.to_numpy() if groups is not None else 0, "p": labels.to_numpy()})
        counts = keys.dropna().groupby(["g", "p"]).size()
        if len(counts) and counts.median() >= min_docs:
            return freq
    return "Y"


def period_label(published: pd.Series, freq: str = config.PERIOD, groups: pd.Series | None = None) -> pd.Series:
    """Period labels ('2024-01', '2024Q1', '2024') for timezone-aware timestamps.

    Dates are read in the time zone they carry (JST for every supported paper), so an editorial
    published at 00:30 on the first of the month falls in that month. Missing dates give <NA>.
    ``freq="auto"`` picks the period with :func:`choose_period` (per ``groups``, e.g. newspaper).
    """
    freq = freq.upper()
    if freq == "AUTO":
        freq = choose_period(published, groups)
    if freq not in PERIOD_FORMATS:
        raise ValueError(f"period {freq!r} not supported; use one of {', '.join(config.PERIOD_CHOICES)}")
    return _labels(published, freq)


def bootstrap_mean_ci(
    values: Sequence[float] | np.ndarray,
    *,
    n_boot: int = config.N_BOOT,
    level: float = config.CI_LEVEL,
    seed: int = config.SEED,
) -> tuple[float, float, float]:
    """Mean and percentile-bootstrap interval (resampling the values). NaN-free input expected.

    One value gives a degenerate interval equal to it; no values give NaNs.
    """
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(x.mean())
    if x.size == 1:
        return mean, mean, mean
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    boots = x[idx].mean(axis=1)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(boots, [alpha, 1.0 - alpha])
    return mean, float(lo), float(hi)


def grouped_mean_ci(
    frame: pd.DataFrame,
    by: Sequence[str],
    value: str,
    *,
    n_boot: int = config.N_BOOT,
    level: float = config.CI_LEVEL,
    seed: int = config.SEED,
) -> pd.DataFrame:
    """Tidy table ``by... , n, mean, ci_low, ci_high`` of ``value`` per group, sorted by ``by``.

    Each group is bootstrapped with its own generator derived from ``seed`` and the group's
    position in sorted order, so results do not depend on row order of the input.
    """
    by = list(by)
    rows = []
    clean = frame.dropna(subset=[value])
    for i, (key, group) in enumerate(clean.groupby(by, sort=True, dropna=True)):
        key = key if isinstance(key, tuple) else (key,)
        mean, lo, hi = bootstrap_mean_ci(group[value].to_numpy(), n_boot=n_boot, level=level, seed=seed + i)
        rows.append({**dict(zip(by, key)), "n": int(len(group)), "mean": mean, "ci_low": lo, "ci_high": hi})
    columns = by + ["n", "mean", "ci_low", "ci_high"]
    return pd.DataFrame(rows, columns=columns)
