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


PERIOD_NAMES = {"M": "month", "Q": "quarter", "Y": "year"}


def period_support(published: pd.Series, groups: pd.Series | None = None, freq: str = "M") -> pd.DataFrame:
    """``group, period, n``: documents per group (e.g. newspaper) and period, the cells with any.

    Undated documents are left out; a period without documents of a group has no row (no point is
    drawn there). ``groups=None`` counts the whole corpus as one group ``""``.

    >>> dates = pd.Series(pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-01"]).tz_localize("Asia/Tokyo"))
    >>> period_support(dates, pd.Series(["甲", "甲", "乙"]), "M").to_dict("records")
    [{'group': '乙', 'period': '2024-02', 'n': 1}, {'group': '甲', 'period': '2024-01', 'n': 2}]
    """
    freq = freq.upper()
    if freq not in PERIOD_FORMATS:
        raise ValueError(f"period {freq!r} not supported; use one of {', '.join(PERIOD_FORMATS)}")
    group = groups.astype("string").to_numpy() if groups is not None else np.full(len(published), "", dtype=object)
    keys = pd.DataFrame({"group": group, "period": _labels(published, freq).to_numpy()}).dropna()
    if keys.empty:
        return pd.DataFrame({"group": pd.Series(dtype=str), "period": pd.Series(dtype=str),
                             "n": pd.Series(dtype=int)})
    counts = keys.groupby(["group", "period"], sort=True).size().rename("n").reset_index()
    counts["group"] = counts["group"].astype(str)
    counts["period"] = counts["period"].astype(str)
    counts["n"] = counts["n"].astype(int)
    return counts


def choose_period(published: pd.Series, groups: pd.Series | None = None,
                  min_docs: int = config.MIN_DOCS_PER_PERIOD) -> str:
    """The shortest of M, Q, Y whose median count per (group, period) cell reaches ``min_docs``.

    What is guaranteed: in the period returned, at least half of the (newspaper, period) cells
    that hold any document hold ``min_docs`` or more (the median, not the minimum: single cells may
    have fewer, and over-time figures draw those points hollow and without an interval, see
    ``config.MIN_N_INTERVAL``). If not even years reach it, "Y" is returned anyway and the promise
    is NOT kept; :func:`period_note` says so in words and :func:`period_support` gives every
    cell's count.

    Why the median and not the minimum: one partial first or last period (a corpus that starts on
    28 March has a Q1 of a few days) or one sparse newspaper would push every corpus to years and
    erase the trend the figure exists for, while the median still guarantees that most points
    rest on ``min_docs`` documents; the points that do not are marked, not hidden.

    >>> dates = pd.Series(pd.date_range("2020-01-01", periods=24, freq="MS", tz="Asia/Tokyo"))
    >>> choose_period(dates), choose_period(dates, min_docs=1)
    ('Y', 'M')
    """
    for freq in ("M", "Q"):
        counts = period_support(published, groups, freq)["n"]
        if len(counts) and counts.median() >= min_docs:
            return freq
    return "Y"


def period_note(published: pd.Series, groups: pd.Series | None = None, freq: str = "auto",
                min_docs: int = config.MIN_DOCS_PER_PERIOD) -> str:
    """One line saying which period is used and how many documents stand behind its points.

    >>> dates = pd.Series(pd.date_range("2020-01-01", periods=8, freq="QS", tz="Asia/Tokyo"))
    >>> period_note(dates, pd.Series(["甲"] * 8))
    'Y (auto; NOT the promised 5 documents per newspaper and period: even by year the median is 4, the minimum 4; points with fewer are drawn hollow without interval)'
    """
    auto = str(freq).upper() == "AUTO"
    chosen = choose_period(published, groups, min_docs) if auto else str(freq).upper()
    counts = period_support(published, groups, chosen)["n"]
    if counts.empty:
        return f"{chosen} (no dated documents)"
    median, minimum = float(counts.median()), int(counts.min())
    median_text = f"{median:g}"
    unit = PERIOD_NAMES[chosen]
    if median >= min_docs:
        fewer = int((counts < min_docs).sum())
        tail = (f"; {fewer} of {len(counts)} newspaper-{unit} points have fewer and are drawn hollow without interval"
                if fewer else "")
        how = "auto" if auto else "as set"
        return (f"{chosen} ({how}: median {median_text} documents per newspaper and {unit}, minimum {minimum}, "
                f"promised at least {min_docs} in the median{tail})")
    if auto:
        return (f"{chosen} (auto; NOT the promised {min_docs} documents per newspaper and period: even by {unit} "
                f"the median is {median_text}, the minimum {minimum}; points with fewer are drawn hollow without interval)")
    return (f"{chosen} (as set; median {median_text} documents per newspaper and {unit}, minimum {minimum}, "
            f"below {min_docs}: points with fewer are drawn hollow without interval)")


def period_label(published: pd.Series, freq: str = config.PERIOD, groups: pd.Series | None = None) -> pd.Series:
    """Period labels ('2024-01', '2024Q1', '2024') for timezone-aware timestamps.

    Dates are read in the time zone they carry (JST for every supported paper), so an editorial
    published at 00:30 on the first of the month falls in that month. Missing dates give <NA>.
    ``freq="auto"`` picks the period with :func:`choose_period` (per ``groups``, e.g. newspaper;
    see there what it guarantees).
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
