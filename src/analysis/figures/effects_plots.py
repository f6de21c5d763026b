"""Figures of covariate effects (:mod:`analysis.topics.effects`): expected values and newspaper differences.

>>> import pandas as pd
>>> from analysis.figures.style import use_style
>>> use_style()
>>> dates = pd.to_datetime(["2021-01-01", "2022-01-01", "2023-01-01"])
>>> expected = pd.DataFrame({"topic": 0, "label": "輸出規制", "source": "東西新聞", "date": dates,
...                          "estimate": [0.1, 0.2, 0.3], "ci_low": [0.05, 0.1, 0.2], "ci_high": [0.2, 0.3, 0.4]})
>>> plot_expected_prevalence(expected, topic=0).get_title()
'0: 輸出規制'
>>> gap = pd.DataFrame({"topic": [0, 1], "label": ["輸出規制", "AI競争"], "a": "東西新聞", "b": "南北日報",
...                     "date": pd.NaT, "estimate": [0.1, -0.02], "ci_low": [0.05, -0.08], "ci_high": [0.15, 0.04]})
>>> plot_difference(gap).get_xlabel()
'差（東西新聞 − 南北日報、ポイント）'

Every function only draws the tidy frames of :mod:`analysis.topics.effects` (``expected_prevalence``,
``expected_stance``, ``difference``) and returns its Axes or Figure. Newspapers keep the colour and
marker of the other figures when the caller passes the same ``colors`` (``style.colors_for``); call
``style.use_style()`` first. A band is the simulation interval of the expected value: it carries the
sampling of documents and, for topics, the uncertainty of each document's topic proportions.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.figures.plots import BAND_ALPHA, _date_axis, _figure_caption, _figure_legend, _grid, series_order
from analysis.figures.style import PALETTE, colors_for, series_style

#: Filled marker: the interval excludes 0; hollow: it includes 0.
ZERO_COLOR = "#555555"
STANCE_YLABEL = "論調（期待値、-1 反対 … +1 賛成）"
PREVALENCE_YLABEL = "期待される割合"


def _axes(ax):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    return ax


def _key(frame: pd.DataFrame) -> str:
    for key in ("topic", "target"):
        if key in frame.columns:
            return key
    raise InputError("effect table lacks a 'topic' or 'target' column; pass a frame from "
                     "analysis.topics.effects (expected_prevalence, expected_stance, difference)")


def _check(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what} lacks column(s) {missing}; pass a frame from analysis.topics.effects")


def _name(frame: pd.DataFrame, key: str, value, width: int = 40) -> str:
    label = None
    if "label" in frame.columns:
        rows = frame.loc[frame[key] == value, "label"]
        label = rows.iloc[0] if len(rows) else None
    text = f"{value}: {label}" if label is not None and str(label) != str(value) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _percent_axis(axis, points: bool = False) -> None:
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    if points:
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v * 100:+.0f}" if v else "0"))
    else:
        axis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))


def effects_caption(level: float = config.CI_LEVEL) -> str:
    """What a band of an effects figure covers.

    >>> effects_caption()
    '帯は95%区間（シミュレーション：文書の抽出と、トピックでは各文書のトピック割合の不確かさを含む）'
    """
    return f"帯は{level:.0%}区間（シミュレーション：文書の抽出と、トピックでは各文書のトピック割合の不確かさを含む）"


def _expected_panel(ax, frame: pd.DataFrame, colors: Mapping[str, str], order: Sequence[str]) -> None:
    _check(frame, ["source", "date", "estimate", "ci_low", "ci_high"], "expected-value table")
    for source, group in frame.dropna(subset=["estimate"]).groupby("source", sort=True):
        i = order.index(str(source)) if str(source) in order else len(order)
        group = group.sort_values("date")
        x = pd.to_datetime(group["date"]).to_numpy()
        color = colors.get(source, PALETTE[i % len(PALETTE)])
        ax.fill_between(x, group["ci_low"].to_numpy(float), group["ci_high"].to_numpy(float), color=color,
                        alpha=BAND_ALPHA, linewidth=0, zorder=2, gid=f"band:{source}")
        style = series_style(i)
        ax.plot(x, group["estimate"].to_numpy(float), color=color, linewidth=1.4, zorder=3, label=str(source),
                marker=style.marker, linestyle=style.linestyle, markersize=3.4, markevery=max(1, len(group) // 6))
    _date_axis(ax)


def plot_expected_prevalence(expected: pd.DataFrame, *, topic, ax=None, colors: Mapping[str, str] | None = None,
                             legend: bool = True):
    """One topic's expected prevalence over time: a line per newspaper with its simulation band.

    ``expected`` is :func:`analysis.topics.effects.expected_prevalence` (topic, label, source, date,
    estimate, ci_low, ci_high); with ``expected_stance`` output, ``topic`` is a target and the y
    axis is the stance score.
    """
    ax = _axes(ax)
    key = _key(expected)
    frame = expected[expected[key] == topic]
    colors = dict(colors) if colors is not None else colors_for(expected["source"])
    _expected_panel(ax, frame, colors, series_order(colors, frame["source"].unique()))
    if key == "topic":
        top = float(np.nanmax(frame["ci_high"].to_numpy(float))) if len(frame) else 1.0
        ax.set_ylim(0, min(1.0, max(0.05, top * 1.08)))
        _percent_axis(ax.yaxis)
        ax.set_ylabel(PREVALENCE_YLABEL)
    else:
        ax.axhline(0, color=ZERO_COLOR, linewidth=0.6, zorder=1)
        ax.set_ylim(-1.05, 1.05)
        ax.set_ylabel(STANCE_YLABEL)
    ax.set_title(_name(expected, key, topic))
    ax.set_xlabel("")
    if legend and not frame.empty:
        ax.legend(loc="upper left", frameon=False, ncols=min(4, frame["source"].nunique()))
    return ax


def expected_prevalence_figure(expected: pd.DataFrame, *, topics: Sequence | None = None,
                               colors: Mapping[str, str] | None = None, ncols: int = 2, title: str | None = None,
                               caption: str | None = None):
    """Small multiples: one :func:`plot_expected_prevalence` panel per topic (or target), one legend and caption."""
    key = _key(expected)
    topics = list(topics) if topics is not None else list(dict.fromkeys(expected[key]))
    colors = dict(colors) if colors is not None else colors_for(expected["source"])
    fig, axes = _grid(max(1, len(topics)), ncols, (4.6, 2.4))
    for ax, topic in zip(axes, topics):
        plot_expected_prevalence(expected, topic=topic, ax=ax, colors=colors, legend=False)
        ax.set_ylabel("")
    used = {s: c for s, c in colors.items() if s in set(expected["source"])}
    _figure_legend(fig, axes, used, series_order(colors, expected["source"].unique()))
    default = ("トピックの期待割合の推移（新聞別、時間はBスプライン）" if key == "topic"
               else "論調の期待値の推移（新聞別、時間はBスプライン；-1 反対 … +1 賛成）")
    fig.suptitle(title or default, fontsize=10)
    _figure_caption(fig, caption or effects_caption())
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def _pair(diff: pd.DataFrame) -> tuple[str, str]:
    if {"a", "b"} <= set(diff.columns) and len(diff):
        return str(diff["a"].iloc[0]), str(diff["b"].iloc[0])
    return "a", "b"


def plot_difference(diff: pd.DataFrame, *, ax=None, color: str = PALETTE[0]):
    """Dot-and-whisker plot: newspaper a minus b per topic (or target), with its interval.

    ``diff`` is :func:`analysis.topics.effects.difference` without a grid (one row per topic,
    ``date`` NaT). A filled dot: the interval excludes 0; hollow: it includes 0. Topic rows are
    in the frame's order, top to bottom; prevalence differences are in percentage points.
    """
    _check(diff, ["estimate", "ci_low", "ci_high"], "difference table")
    key = _key(diff)
    if "date" in diff.columns and diff["date"].notna().any():
        raise InputError("this difference table is over time (dates set); draw it with plot_difference_over_time, "
                         "or call difference(...) without grid for one row per topic")
    ax = _axes(ax)
    frame = diff.reset_index(drop=True)
    y = np.arange(len(frame))[::-1]
    est, lo, hi = (frame[c].to_numpy(float) for c in ("estimate", "ci_low", "ci_high"))
    clear = (lo > 0) | (hi < 0)
    ax.axvline(0, color=ZERO_COLOR, linewidth=0.8, zorder=1)
    ax.hlines(y, lo, hi, color=color, linewidth=1.6, zorder=2, gid="interval")
    ax.plot(est[clear], y[clear], linestyle="none", marker="o", markersize=5, color=color, zorder=3, gid="clear")
    ax.plot(est[~clear], y[~clear], linestyle="none", marker="o", markersize=5, markerfacecolor="white",
            markeredgecolor=color, markeredgewidth=1.2, zorder=3, gid="includes_zero")
    ax.set_yticks(y, [_name(frame, key, v, 24) for v in frame[key]])
    ax.grid(axis="y", visible=False)
    a, b = _pair(frame)
    if key == "topic":
        _percent_axis(ax.xaxis, points=True)
        ax.set_xlabel(f"差（{a} − {b}、ポイント）")
    else:
        ax.set_xlabel(f"論調の差（{a} − {b}）")
    ax.set_title(f"{a} と {b} の差（塗りつぶし：区間が0を含まない）")
    return ax


def plot_difference_over_time(diff: pd.DataFrame, *, topic, ax=None, color: str = PALETTE[0]):
    """Newspaper a minus b for one topic (or target) over time: a line with its band and a zero line.

    ``diff`` is :func:`analysis.topics.effects.difference` with a ``grid`` (one row per date).
    """
    _check(diff, ["date", "estimate", "ci_low", "ci_high"], "difference table")
    key = _key(diff)
    ax = _axes(ax)
    frame = diff[(diff[key] == topic) & diff["date"].notna()].sort_values("date")
    if frame.empty and (diff[key] == topic).any():
        raise InputError("this difference table has no dates; call difference(..., grid=...) or use plot_difference")
    x = pd.to_datetime(frame["date"]).to_numpy()
    ax.axhline(0, color=ZERO_COLOR, linewidth=0.8, zorder=1)
    ax.fill_between(x, frame["ci_low"].to_numpy(float), frame["ci_high"].to_numpy(float), color=color,
                    alpha=BAND_ALPHA, linewidth=0, zorder=2, gid="band")
    ax.plot(x, frame["estimate"].to_numpy(float), color=color, linewidth=1.4, zorder=3)
    _date_axis(ax)
    a, b = _pair(frame if len(frame) else diff)
    if key == "topic":
        _percent_axis(ax.yaxis, points=True)
        ax.set_ylabel(f"{a} − {b}（ポイント）")
    else:
        ax.set_ylabel(f"{a} − {b}（論調）")
    ax.set_title(_name(diff, key, topic))
    ax.set_xlabel("")
    return ax


def difference_figure(diff: pd.DataFrame, *, topics: Sequence | None = None, ncols: int = 2,
                      color: str = PALETTE[0], title: str | None = None, caption: str | None = None):
    """The difference of two newspapers: a forest plot (no dates) or one over-time panel per topic (dates)."""
    import matplotlib.pyplot as plt

    key = _key(diff)
    a, b = _pair(diff)
    over_time = "date" in diff.columns and diff["date"].notna().any()
    if not over_time:
        fig, ax = plt.subplots(figsize=(6.0, 0.9 + 0.32 * max(1, len(diff))))
        plot_difference(diff, ax=ax, color=color)
        ax.set_title(title or f"{a} と {b} の差（塗りつぶし：区間が0を含まない）", fontsize=10)
        _figure_caption(fig, caption or effects_caption().replace("帯", "横線"))
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        return fig
    topics = list(topics) if topics is not None else list(dict.fromkeys(diff[key]))
    fig, axes = _grid(max(1, len(topics)), ncols, (4.6, 2.2))
    for ax, topic in zip(axes, topics):
        plot_difference_over_time(diff, topic=topic, ax=ax, color=color)
        ax.set_ylabel("")
    fig.suptitle(title or f"{a} − {b} の差の推移（{'ポイント' if key == 'topic' else '論調'}）", fontsize=10)
    _figure_caption(fig, caption or effects_caption())
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig
