"""Plotting functions that only draw: each takes a tidy frame and returns the Axes (or Figure) it drew.

>>> import pandas as pd
>>> from analysis.figures.style import use_style
>>> use_style()
>>> sot = pd.DataFrame({"source": ["東西新聞"] * 3, "target": ["輸出規制"] * 3,
...                     "period": ["2022-09", "2022-10", "2022-11"], "n": [3, 4, 2],
...                     "mean": [0.2, -0.1, -0.4], "ci_low": [-0.1, -0.4, -0.9], "ci_high": [0.5, 0.2, 0.1]})
>>> ax = plot_stance_over_time(sot, target="輸出規制")
>>> ax.get_title()
'輸出規制'
>>> ax.get_xlabel()
'帯は95%信頼区間（n≧5の点のみ、単独の点は縦線）；白抜きはn<5（区間なし）'

Frames follow the contracts of docs/ARCHITECTURE.md; the frames that are not stage outputs (events,
documents per period, topic x stance) come from :mod:`analysis.figures.tables`. Newspapers keep one
colour, marker and horizontal offset in every figure when the caller passes the same ``colors``
mapping (``style.colors_for``). Call ``style.use_style()`` first so Japanese labels are drawn with
IPAexGothic.

Over-time figures are honest about small cells: a point resting on fewer than ``min_n_interval``
documents (default ``config.MIN_N_INTERVAL``) is a hollow marker without interval, a band only runs
over two or more consecutive points with enough documents (one such point alone gets a vertical
bar), and the caption says so (:func:`interval_caption`). ``show_n=True`` writes each point's n
beside it. Series are dodged horizontally by a fraction of the period's width, in series order, so
two newspapers with equal values stay visible. A line breaks where a newspaper has no data for one
or more periods (no row, no mean, or n = 0): the points on either side stay, nothing joins them
across the gap, and no band spans it (:func:`period_breaks`).

Each series gets its colour, marker and line style from its place in the series order
(``style.series_style``): distinct for any number of newspapers up to 256, so nine or twenty
sources never share a look.
"""

from __future__ import annotations

import math
import re
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.figures.style import MARKERS as _STYLE_MARKERS
from analysis.figures.style import PALETTE, colors_for, series_style
from analysis.figures.tables import events_for, period_midpoint

EVENT_COLOR = "#555555"
EVENT_LABEL_ZORDER = 1.5   # under bands (2), lines and markers (3) and n labels (4)
CAPTION_COLOR = "#444444"
BAND_ALPHA = 0.18
#: The marker shapes (``style.MARKERS``); series get theirs from ``style.series_style`` in series order.
MARKERS = list(_STYLE_MARKERS)
#: Hatches of stacked bars, one per round of the palette (the first round is plain).
BAR_HATCHES = (None, "////", "....", "xxxx")
#: The series of a figure are spread evenly over this share of a period's width, centred on it.
DODGE_SPAN = 0.3


def _axes(ax):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    return ax


_DATE_FORMATS = ["%Y年", "%m月", "%d日", "%H:%M", "%H:%M", "%S.%f"]
_DATE_ZERO_FORMATS = ["", "%Y年", "%m月", "%m月%d日", "%H:%M", "%H:%M"]


def _strip_leading_zero(label: str) -> str:
    """'01月' -> '1月', '03月09日' -> '3月9日' (strftime's %-m is not portable)."""
    return re.sub(r"(?<![0-9])0(?=[0-9][月日])", "", label)


def _date_axis(ax) -> None:
    """Concise date ticks in Japanese: '2024年', '4月', '7月' (no English month names), called after
    the data is drawn. Every axis says which year it starts in: where the data starts well before
    the first tick (a 2019 point left of the 2020年 tick) the axis starts at the tick before, and
    a first label without its year ('7月', '15日') is given it ('2019年7月', '2019年5月15日')."""
    import matplotlib.dates as mdates

    class JapaneseDateFormatter(mdates.ConciseDateFormatter):
        def format_ticks(self, values):
            labels = [_strip_leading_zero(label) for label in super().format_ticks(values)]
            if labels and "年" not in labels[0]:
                first = mdates.num2date(values[0])
                if "月" in labels[0]:
                    labels[0] = f"{first.year}年{labels[0]}"
                elif "日" in labels[0]:
                    labels[0] = f"{first.year}年{first.month}月{labels[0]}"
            return labels

        def __call__(self, x, pos=None):
            return _strip_leading_zero(super().__call__(x, pos))

    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(JapaneseDateFormatter(locator, formats=_DATE_FORMATS,
                                                       zero_formats=_DATE_ZERO_FORMATS, show_offset=False))
    low, high = ax.get_xlim()
    ticks = [t for t in locator() if low <= t <= high]
    x0 = min(a.dataLim.x0 for a in ax.get_shared_x_axes().get_siblings(ax))   # every panel sharing the axis
    if len(ticks) >= 2 and ticks[0] - x0 > 0.3 * (ticks[1] - ticks[0]):
        ax.set_xlim(ticks[0] - 1.02 * (ticks[1] - ticks[0]), high)  # 1.02: a leap year is a day longer


def _shared_dates(axes) -> None:
    """Once every panel of a grid sharing its date axis is drawn: limits from all panels' data.

    ``_date_axis`` fixes the limits of the panel it is called on; in a shared axis that froze them
    at the first panel's data, so a later panel's earlier points fell outside the figure (a new
    user's study: 2018-2019 points of three targets missing because the first target began in
    2023)."""
    visible = [ax for ax in axes if ax.get_visible() and ax.axison]
    if visible:
        visible[0].autoscale(enable=True, axis="x")
        _date_axis(visible[0])


def _count_axis(axis) -> None:
    """Integer ticks on a count axis (no 0.5 documents)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def interval_caption(min_n_interval: int = config.MIN_N_INTERVAL, level: float = config.CI_LEVEL,
                     show_n: bool = False) -> str:
    """What the bands of an over-time figure cover (and, with ``show_n``, what the small numbers
    beside the points are), for its caption.

    >>> interval_caption(5)
    '帯は95%信頼区間（n≧5の点のみ、単独の点は縦線）；白抜きはn<5（区間なし）'
    >>> interval_caption(5, show_n=True).endswith('；点の横の数字は文書数n')
    True
    """
    caption = f"帯は{level:.0%}信頼区間（n≧{min_n_interval}の点のみ、単独の点は縦線）；白抜きはn<{min_n_interval}（区間なし）"
    return caption + ("；点の横の数字は文書数n" if show_n else "")


def data_span(periods: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """(start of the first, end of the last) period label drawn; None when there are none."""
    labels = [pd.Period(str(p)) for p in pd.Series(periods).dropna().unique()]
    if not labels:
        return None
    return min(p.start_time for p in labels), max(p.end_time for p in labels)


def draw_events(ax, events: pd.DataFrame | None, *, label_size: float = 6.5,
                span: tuple[pd.Timestamp, pd.Timestamp] | None = None, labels: bool = True) -> None:
    """Dashed vertical lines with short rotated labels for the events inside the data's date range.

    ``span`` is (first day, last day) of the data drawn (:func:`data_span` of its periods); events
    outside it are not drawn, so a panel whose data start in 2023 shows no 2019 event even when it
    shares its x axis with a longer panel. Without ``span``, the current x range is used.
    ``events=None`` or an empty frame draws nothing; ``labels=False`` draws the lines only (small
    multiples label them once, on the top row).

    Labels sit on a light backing so they stay legible over the data. An event closer than about a
    label's height to the previous one gets its label on the other side of its line, so two events
    weeks apart (e.g. 2023-10-17 and 2023-11-01) do not print on top of each other.
    """
    import matplotlib.dates as mdates

    if events is None or events.empty:
        return
    if span is not None:
        lo, hi = float(mdates.date2num(pd.Timestamp(span[0]))), float(mdates.date2num(pd.Timestamp(span[1])))
    else:
        lo, hi = sorted(ax.get_xlim())
    x_lo, x_hi = sorted(ax.get_xlim())
    min_gap = 0.035 * (max(hi, x_hi) - min(lo, x_lo))
    placed: list[tuple[float, str]] = []
    for date, label in sorted(zip(events["date"], events["label"]), key=lambda e: pd.Timestamp(e[0])):
        x = mdates.date2num(pd.Timestamp(date))
        if not lo <= x <= hi:
            continue
        ax.axvline(x, color=EVENT_COLOR, linestyle="--", linewidth=0.7, alpha=0.8, zorder=1)
        if not labels:
            continue
        side = "right"
        if placed and x - placed[-1][0] < min_gap and placed[-1][1] == "right":
            side = "left"
        placed.append((x, side))
        # drawn under the data (bands 2, lines and markers 3, n labels 4): a label must never hide a
        # point or the n beside it
        ax.text(x, 0.98, f" {label} ", transform=ax.get_xaxis_transform(), rotation=90,
                ha=side, va="top", fontsize=label_size, color=EVENT_COLOR, zorder=EVENT_LABEL_ZORDER,
                gid="event", bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none",
                                   "alpha": 0.75})


def _stance_lines(ax, frame, colors, ylabel: str, events, target, title, legend: bool, *,
                  min_n_interval: int, show_n: bool):
    """Lines with bands on a [-1, 1] axis with a zero line, dates, events, title, caption and legend."""
    colors = dict(colors) if colors is not None else colors_for(frame["source"])
    _lines_with_bands(ax, frame, colors, min_n_interval=min_n_interval, show_n=show_n)
    ax.axhline(0.0, color="black", linewidth=0.6, zorder=1)
    ax.set_ylim(-1.05, 1.05)
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.set_ylabel(ylabel)
    _date_axis(ax)
    span = data_span(frame.dropna(subset=["mean"])["period"])
    if span is not None:  # no data, no date range: no events
        draw_events(ax, events_for(events, target), span=span)
    ax.set_title(title if title is not None else str(target))
    ax.set_xlabel(interval_caption(min_n_interval, show_n=show_n), fontsize=6.5, color=CAPTION_COLOR)
    if legend and not frame.empty:
        # beside the plot, not on it: a fixed corner hid a point of a new user's study, and
        # matplotlib's "best" corner put the names on the zero line in another (it weighs lines
        # and points, not bands), so no place inside the axes is safe for every corpus
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, borderaxespad=0.0)
    return ax


def series_order(colors: Mapping[str, str], sources: Sequence) -> list[str]:
    """Series in drawing order: the ``colors`` mapping's order, then any others sorted.

    Marker and horizontal offset follow this order, so with the same ``colors`` a newspaper has
    the same marker and offset in every panel and figure.
    """
    order = [str(s) for s in colors]
    return order + sorted({str(s) for s in sources} - set(order))


def dodge_offsets(order: Sequence[str], width: pd.Timedelta, span: float = DODGE_SPAN) -> dict[str, pd.Timedelta]:
    """Horizontal offset per series: spread evenly over ``span`` of a period's ``width``, centred.

    >>> {k: v.days for k, v in dodge_offsets(["甲", "乙"], pd.Timedelta(days=100)).items()}
    {'甲': -15, '乙': 15}
    """
    m = len(order)
    if m <= 1:
        return {s: pd.Timedelta(0) for s in order}
    step = width * span / (m - 1)
    return {s: step * (i - (m - 1) / 2) for i, s in enumerate(order)}


def _period_width(periods: pd.Series) -> pd.Timedelta:
    """The median length of the periods drawn (a month, a quarter, a year)."""
    lengths = [pd.Period(str(p)).end_time - pd.Period(str(p)).start_time for p in pd.Series(periods).dropna().unique()]
    return pd.Series(lengths).median() if lengths else pd.Timedelta(days=30)


def _runs(mask: np.ndarray, breaks: np.ndarray | None = None) -> list[np.ndarray]:
    """Index runs of consecutive True values: [F, T, T, F, T] -> [array([1, 2]), array([4])].

    ``breaks[i]`` True also starts a new run at ``i`` (a gap in time before point ``i``).
    """
    runs, current = [], []
    for i, ok in enumerate(mask):
        if current and (not ok or (breaks is not None and breaks[i])):
            runs.append(np.array(current))
            current = []
        if ok:
            current.append(i)
    if current:
        runs.append(np.array(current))
    return runs


def period_breaks(periods: Sequence) -> np.ndarray:
    """True where a period label does not directly follow the one before it (a gap in the data).

    ``periods`` are sorted labels of one frequency ('2024-01', '2024Q1', '2024'); the first is
    never a break. Labels that are not periods count as following each other.

    >>> period_breaks(["2012", "2013", "2015"]).tolist()
    [False, False, True]
    >>> period_breaks(["2022-11", "2022-12", "2023-01", "2023-03"]).tolist()
    [False, False, False, True]
    """
    labels = [str(p) for p in periods]
    out = np.zeros(len(labels), dtype=bool)
    for k in range(1, len(labels)):
        try:
            before, here = pd.Period(labels[k - 1]), pd.Period(labels[k])
        except (ValueError, TypeError):
            continue
        if before.freqstr == here.freqstr:
            out[k] = here != before + 1
        else:  # mixed frequencies: a break where the periods do not touch
            out[k] = here.start_time > before.end_time + pd.Timedelta(days=1)
    return out


def _broken(x: np.ndarray, y: np.ndarray, breaks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x, y`` with a NaN point before every break (matplotlib does not join across NaN), and the
    new position of each original point."""
    position = np.arange(len(y)) + np.cumsum(breaks)
    if not breaks.any():
        return x, y, position
    at = np.flatnonzero(breaks)
    return np.insert(x, at, x[at - 1]), np.insert(y.astype(float), at, np.nan), position


def _lines_with_bands(ax, frame: pd.DataFrame, colors: Mapping[str, str], *,
                      min_n_interval: int = config.MIN_N_INTERVAL, show_n: bool = False) -> None:
    """One line per ``source`` (``period, n, mean, ci_low, ci_high``) with honest intervals.

    Points with ``n >= min_n_interval`` and a finite interval are filled markers; a band
    (``gid="band:<source>"``) covers each run of two or more such points in consecutive periods, a
    single one gets a vertical bar (``gid="errorbar:<source>"``). Other points are hollow markers
    without an interval (``gid="hollow:<source>"``). The line (``gid="line:<source>"``) breaks
    (a NaN in its data) where periods without data lie between two points; rows with n = 0 are no
    data. Series are dodged horizontally in :func:`series_order` and styled by their place in it
    (``style.series_style``).
    """
    missing = [c for c in ["source", "period", "n", "mean", "ci_low", "ci_high"] if c not in frame.columns]
    if missing:
        raise InputError(f"over-time table lacks column(s) {missing}; every over-time table carries "
                         "source, period, n, mean, ci_low, ci_high (docs/ARCHITECTURE.md)")
    frame = frame.dropna(subset=["mean", "period"])
    frame = frame[pd.to_numeric(frame["n"], errors="coerce").ne(0)]  # no documents: no data
    if frame.empty:
        return
    order = series_order(colors, frame["source"].unique())
    offsets = dodge_offsets(order, _period_width(frame["period"]))
    for source, group in frame.groupby("source", sort=True):
        i = order.index(str(source))
        group = group.iloc[np.argsort([pd.Period(str(p)).start_time for p in group["period"]], kind="stable")]
        x = (period_midpoint(group["period"]) + offsets[str(source)]).to_numpy()
        y = group["mean"].to_numpy(float)
        lo, hi = group["ci_low"].to_numpy(float), group["ci_high"].to_numpy(float)
        n = pd.to_numeric(group["n"], errors="coerce").fillna(0).to_numpy(int)
        ok = (n >= min_n_interval) & np.isfinite(lo) & np.isfinite(hi)
        breaks = period_breaks(group["period"])
        style = series_style(i)
        color = colors.get(source, style.color)
        marker = style.marker
        for run in _runs(ok, breaks):
            if len(run) >= 2:
                ax.fill_between(x[run], lo[run], hi[run], color=color, alpha=BAND_ALPHA, linewidth=0, zorder=2,
                                gid=f"band:{source}")
            else:
                ax.vlines(x[run], lo[run], hi[run], color=color, alpha=0.7, linewidth=1.1, zorder=2,
                          gid=f"errorbar:{source}")
        line_x, line_y, position = _broken(x, y, breaks)
        ax.plot(line_x, line_y, color=color, linewidth=1.3, linestyle=style.linestyle, marker=marker, markersize=3.4,
                markevery=[int(position[k]) for k in np.flatnonzero(ok)], label=str(source), zorder=3,
                gid=f"line:{source}")
        if (~ok).any():
            ax.plot(x[~ok], y[~ok], linestyle="none", marker=marker, markersize=3.4, markerfacecolor="white",
                    markeredgecolor=color, markeredgewidth=0.9, zorder=3.5, label="_nolegend_", gid=f"hollow:{source}")
        if show_n:
            for xi, yi, ni in zip(x, y, n):
                ax.annotate(f"{ni}", (xi, yi), xytext=(2.5, 2.5), textcoords="offset points", fontsize=5.5,
                            color=color, zorder=4, gid=f"n:{source}")


def plot_stance_over_time(
    stance_over_time: pd.DataFrame,
    *,
    target: str | None = None,
    ax=None,
    events: pd.DataFrame | None = None,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    legend: bool = True,
    min_n_interval: int = config.MIN_N_INTERVAL,
    show_n: bool = False,
):
    """Mean stance toward one target per period: a line per newspaper with its confidence band.

    ``stance_over_time`` has ``source, target, period, n, mean, ci_low, ci_high``; ``target``
    picks one (needed when the frame holds several). Events (``tables.load_events``) tagged with
    the target, or untagged, are drawn as dashed lines within the data's dates; ``events=None``
    draws none. y runs from -1 (against) to 1 (favour). Points with ``n < min_n_interval`` are
    hollow and carry no interval; ``show_n`` writes each point's n beside it. The x label is the
    caption saying so.
    """
    ax = _axes(ax)
    frame = stance_over_time
    if target is None:
        targets = sorted(frame["target"].unique())
        if len(targets) > 1:
            raise ValueError(f"stance_over_time holds several targets {targets}; pass target=")
        target = targets[0] if targets else None
    frame = frame[frame["target"] == target]
    return _stance_lines(ax, frame, colors, "論調（-1 反対 … +1 賛成）", events, target, title, legend,
                         min_n_interval=min_n_interval, show_n=show_n)


def _grid(n: int, ncols: int, panel: tuple[float, float], sharex: bool = True):
    import matplotlib.pyplot as plt

    ncols = max(1, min(ncols, n))
    nrows = max(1, math.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel[0] * ncols, panel[1] * nrows),
                             sharex=sharex, squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    for i in range(max(0, n - ncols), n):  # last visible panel of each column keeps its x labels
        flat[i].xaxis.set_tick_params(labelbottom=True)
    return fig, flat[:n]


def _figure_legend(fig, axes, colors: Mapping[str, str], order: Sequence[str] | None = None) -> None:
    """One legend for the figure: each newspaper's colour, marker and line style (its place in ``order``)."""
    from matplotlib.lines import Line2D

    order = list(order) if order is not None else series_order(colors, [])
    styles = {str(s): series_style(order.index(str(s))) for s in colors}
    handles = [Line2D([], [], color=c, linewidth=1.6, marker=styles[str(s)].marker,
                      linestyle=styles[str(s)].linestyle, markersize=3.4, label=str(s)) for s, c in colors.items()]
    fig.legend(handles=handles, loc="lower center", ncols=min(len(handles), 6), frameon=False,
               bbox_to_anchor=(0.5, 0.0))


def _figure_caption(fig, text: str) -> None:
    """A small caption under the figure's bottom edge (``savefig(bbox="tight")`` keeps it)."""
    fig.text(0.5, 0.0, text, ha="center", va="top", fontsize=7, color=CAPTION_COLOR)


def stance_over_time_figure(
    stance_over_time: pd.DataFrame,
    *,
    targets: Sequence[str] | None = None,
    events: pd.DataFrame | None = None,
    colors: Mapping[str, str] | None = None,
    ncols: int = 1,
    min_n_interval: int = config.MIN_N_INTERVAL,
    show_n: bool = False,
):
    """Small multiples: one :func:`plot_stance_over_time` panel per target, one shared legend and caption."""
    targets = list(targets) if targets is not None else sorted(stance_over_time["target"].unique())

    def panel(ax, target, colors):
        plot_stance_over_time(stance_over_time, target=target, ax=ax, events=events, colors=colors,
                              legend=False, min_n_interval=min_n_interval, show_n=show_n)
        ax.set_ylabel("論調")

    return _small_multiples(stance_over_time, targets, panel, colors=colors, ncols=ncols, panel_size=(7.0, 2.6),
                            title="新聞別・対象別の論調の推移（平均、-1 反対 … +1 賛成）", legend_space=0.04,
                            caption=interval_caption(min_n_interval, show_n=show_n))


def plot_net_share(
    stance_over_time: pd.DataFrame,
    *,
    target: str,
    estimate: str = "corrected",
    ax=None,
    events: pd.DataFrame | None = None,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    legend: bool = True,
    min_n_interval: int = config.MIN_N_INTERVAL,
    show_n: bool = False,
):
    """Share of FAVOR minus share of AGAINST toward one target per period, ``estimate`` "corrected"
    (for classifier error, from a filled validation sheet) or "raw": a line per newspaper with its band.

    Needs the columns ``n``, ``net_<estimate>``, ``net_<estimate>_ci_low``, ``net_<estimate>_ci_high`` that
    ``stance_over_time(..., sheet=...)`` adds. Cells without a value (no sheet for the target) are not drawn;
    points on fewer than ``min_n_interval`` documents are hollow and carry no interval.
    """
    ax = _axes(ax)
    names = {f"net_{estimate}": "mean", f"net_{estimate}_ci_low": "ci_low", f"net_{estimate}_ci_high": "ci_high"}
    frame = stance_over_time[stance_over_time["target"] == target]
    frame = frame[["source", "period", "n", *names]].rename(columns=names).dropna(subset=["mean"])
    return _stance_lines(ax, frame, colors, "賛成率 − 反対率", events, target, title, legend,
                         min_n_interval=min_n_interval, show_n=show_n)


def corrected_stance_figure(
    stance_over_time: pd.DataFrame,
    *,
    targets: Sequence[str] | None = None,
    events: pd.DataFrame | None = None,
    colors: Mapping[str, str] | None = None,
    min_n_interval: int = config.MIN_N_INTERVAL,
    show_n: bool = False,
):
    """The headline stance figure when a filled validation sheet was given: per target, the net share
    corrected for classifier error (left) and the raw one (right), one shared legend, a caption
    saying what was corrected, what the bands cover and which points have none."""
    targets = list(targets) if targets is not None else sorted(stance_over_time["target"].unique())
    colors = dict(colors) if colors is not None else colors_for(stance_over_time["source"])
    fig, axes = _grid(2 * max(1, len(targets)), 2, (5.2, 2.5))
    n_validation = {}
    for i, target in enumerate(targets):
        part = stance_over_time[stance_over_time["target"] == target]
        n_val = int(part["n_validation"].max()) if "n_validation" in part and part["n_validation"].notna().any() else 0
        n_validation[target] = n_val
        left, right = axes[2 * i], axes[2 * i + 1]
        if n_val > 0:
            plot_net_share(stance_over_time, target=target, estimate="corrected", ax=left, events=events,
                           colors=colors, legend=False, title=f"{target}：誤分類を補正（検証 {n_val} 件）",
                           min_n_interval=min_n_interval, show_n=show_n)
            left.set_xlabel("")
        else:
            left.axis("off")  # not set_xticks([]): the x axis is shared with the panels that have data
            left.text(0.5, 0.5, f"{target}：検証シートなし（補正なし）", ha="center", va="center",
                      transform=left.transAxes, fontsize=8, color=EVENT_COLOR)
        plot_net_share(stance_over_time, target=target, estimate="raw", ax=right, events=events, colors=colors,
                       legend=False, title=f"{target}：補正前", min_n_interval=min_n_interval, show_n=show_n)
        right.set_ylabel("")
        right.set_xlabel("")
    _shared_dates(axes)
    used = {s: c for s, c in colors.items() if s in set(stance_over_time["source"])}
    _figure_legend(fig, axes, used, series_order(colors, stance_over_time["source"].unique()))
    fig.suptitle("新聞別・対象別の論調の推移：分類誤りを補正した推定（左）と補正前（右）", fontsize=10)
    fig.text(0.5, 0.045, "賛成率−反対率（文書単位）。左：手作業の検証標本から推定した混同行列で誤分類を補正"
             "（Hopkins & King の行列法）、帯は文書と検証標本の同時ブートストラップによる95%区間。"
             "右：補正前の分類器の割合、帯は文書のみの95%区間。"
             f"区間はn≧{min_n_interval}の点のみ（単独の点は縦線）、白抜きの点はn<{min_n_interval}で区間なし。",
             ha="center", va="bottom", fontsize=6.5, wrap=True)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def _small_multiples(frame: pd.DataFrame, keys: Sequence, panel, *, colors, ncols: int, panel_size, title: str,
                     legend_space: float, caption: str | None = None):
    """A grid with ``panel(ax, key, colors)`` per key, one legend of the newspapers drawn, one caption.

    The panels' own captions (x labels) give way to the one under the figure.
    """
    colors = dict(colors) if colors is not None else colors_for(frame["source"])
    fig, axes = _grid(max(1, len(keys)), ncols, panel_size)
    for ax, key in zip(axes, keys):
        panel(ax, key, colors)
        ax.set_xlabel("")
    _shared_dates(axes)
    used = {s: c for s, c in colors.items() if s in set(frame["source"])}
    _figure_legend(fig, axes, used, series_order(colors, frame["source"].unique()))
    fig.suptitle(title, fontsize=10)
    if caption:
        _figure_caption(fig, caption)
    fig.tight_layout(rect=(0, legend_space, 1, 1))
    return fig


def plot_topic_share_over_time(
    topic_shares: pd.DataFrame,
    *,
    topic,
    ax=None,
    colors: Mapping[str, str] | None = None,
    events: pd.DataFrame | None = None,
    legend: bool = True,
    min_n_interval: int = config.MIN_N_INTERVAL,
    show_n: bool = False,
    event_labels: bool = True,
):
    """One topic's share of documents per period: a line per newspaper with its confidence band.

    ``topic_shares`` has ``source, period, topic, label, n, mean, ci_low, ci_high``. Points on
    fewer than ``min_n_interval`` documents are hollow and carry no interval; ``show_n`` writes n
    beside each point. ``events`` (all of them: a topic is no stance target) are drawn within the
    data's dates; ``events=None`` draws none.
    """
    ax = _axes(ax)
    frame = topic_shares[topic_shares["topic"] == topic]
    colors = dict(colors) if colors is not None else colors_for(topic_shares["source"])
    _lines_with_bands(ax, frame, colors, min_n_interval=min_n_interval, show_n=show_n)
    n = pd.to_numeric(frame["n"], errors="coerce").fillna(0) if "n" in frame.columns else pd.Series(0, index=frame.index)
    drawn = np.r_[frame["mean"].to_numpy(float), frame.loc[n >= min_n_interval, "ci_high"].to_numpy(float)]
    top = float(np.nanmax(drawn)) if np.isfinite(drawn).any() else 1.0
    ax.set_ylim(0, min(1.0, max(0.05, top * 1.08)))
    ax.yaxis.set_major_formatter(_percent())
    ax.set_ylabel("記事に占める割合")
    _date_axis(ax)
    span = data_span(frame.dropna(subset=["mean"])["period"])
    if span is not None:
        draw_events(ax, events, span=span, labels=event_labels)
    label = frame["label"].iloc[0] if "label" in frame.columns and len(frame) else None
    ax.set_title(_short(f"{topic}: {label}" if label is not None and str(label) != str(topic) else str(topic), 40))
    ax.set_xlabel(interval_caption(min_n_interval, show_n=show_n), fontsize=6.5, color=CAPTION_COLOR)
    if legend and not frame.empty:
        ax.legend(loc="upper left", frameon=False, ncols=min(4, frame["source"].nunique()))
    return ax


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)


def _short(text: str, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def topic_share_figure(
    topic_shares: pd.DataFrame,
    *,
    topics: Sequence | None = None,
    colors: Mapping[str, str] | None = None,
    events: pd.DataFrame | None = None,
    ncols: int = 2,
    title: str = "トピックの割合の推移（新聞別）",
    min_n_interval: int = config.MIN_N_INTERVAL,
    show_n: bool = False,
):
    """Small multiples: one :func:`plot_topic_share_over_time` panel per topic, one shared legend and caption."""
    topics = list(topics) if topics is not None else sorted(topic_shares["topic"].unique())

    top_row = set(topics[:ncols])  # event labels once, on the top row; the lines on every panel

    def panel(ax, topic, colors):
        plot_topic_share_over_time(topic_shares, topic=topic, ax=ax, colors=colors, events=events,
                                   legend=False, min_n_interval=min_n_interval, show_n=show_n,
                                   event_labels=topic in top_row)
        ax.set_ylabel("")

    return _small_multiples(topic_shares, topics, panel, colors=colors, ncols=ncols, panel_size=(4.6, 2.3),
                            title=title, legend_space=0.05, caption=interval_caption(min_n_interval, show_n=show_n))


def plot_top_words(topic_words: pd.DataFrame, *, topic, n: int = 10, ax=None, color: str | None = None):
    """Horizontal bars of one topic's ``n`` best-ranked words and their weights (best on top)."""
    ax = _axes(ax)
    frame = topic_words[topic_words["topic"] == topic].sort_values("rank", kind="stable").head(n)
    y = np.arange(len(frame))
    ax.barh(y, frame["weight"].to_numpy(float), color=color or PALETTE[0], height=0.7)
    ax.set_yticks(y, [_short(w, 14) for w in frame["word"]])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    label = frame["label"].iloc[0] if "label" in frame.columns and len(frame) else None
    ax.set_title(_short(f"{topic}: {label}" if label is not None and str(label) != str(topic) else str(topic), 24))
    ax.set_xlabel("重み")
    return ax


def top_words_figure(topic_words: pd.DataFrame, *, topics: Sequence | None = None, n: int = 10,
                     ncols: int = 4, title: str = "トピックごとの上位語"):
    """One :func:`plot_top_words` bar panel per topic (outlier topic -1 left out by default)."""
    if topics is None:
        topics = sorted(t for t in topic_words["topic"].unique() if t != -1)
    topics = list(topics)
    fig, axes = _grid(max(1, len(topics)), ncols, (2.3, 0.22 * n + 0.9), sharex=False)
    for i, (ax, topic) in enumerate(zip(axes, topics)):
        plot_top_words(topic_words, topic=topic, n=n, ax=ax, color=PALETTE[i % len(PALETTE)])
        ax.set_xlabel("")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_topic_stance_heatmap(table: pd.DataFrame, *, ax=None, min_n: int = 1, annotate: bool = True):
    """Topic (rows) x target (columns) mean stance, each cell annotated with its mean and ``n``.

    ``table`` has ``topic, label, target, n, mean`` (``tables.topic_stance_table``). Cells with
    fewer than ``min_n`` documents are left blank. Blue favours the target, red opposes it.
    """
    ax = _axes(ax)
    frame = table[table["n"] >= min_n]
    topics = sorted(table["topic"].unique())
    targets = sorted(table["target"].unique())
    means = frame.pivot(index="topic", columns="target", values="mean").reindex(index=topics, columns=targets)
    counts = frame.pivot(index="topic", columns="target", values="n").reindex(index=topics, columns=targets)
    image = ax.imshow(np.ma.masked_invalid(means.to_numpy(float)), cmap="RdBu", vmin=-1, vmax=1,
                      aspect="auto", interpolation="nearest")
    labels = table.drop_duplicates("topic").set_index("topic")["label"] if "label" in table.columns else {}
    ax.set_yticks(range(len(topics)), [_short(f"{t}: {labels.get(t, t)}" if len(labels) else str(t), 24) for t in topics])
    ax.set_xticks(range(len(targets)), [str(t) for t in targets])
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    if annotate:
        values, ns = means.to_numpy(float), counts.to_numpy(float)
        for i in range(len(topics)):
            for j in range(len(targets)):
                if np.isnan(values[i, j]):
                    continue
                color = "white" if abs(values[i, j]) > 0.6 else "black"
                ax.text(j, i, f"{values[i, j]:+.2f}\nn={int(ns[i, j])}", ha="center", va="center",
                        fontsize=6.5, color=color)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="平均論調（-1 反対 … +1 賛成）")
    return ax


def plot_corpus_overview(counts: pd.DataFrame, *, ax=None, colors: Mapping[str, str] | None = None):
    """Documents per period per newspaper as stacked bars (``counts``: ``source, period, n``).

    Newspapers past the eighth (the colours repeat) get hatched bars, a different hatch per round.

    ``tables.documents_per_period`` builds ``counts`` from corpus.parquet.
    """
    import matplotlib.dates as mdates

    ax = _axes(ax)
    colors = dict(colors) if colors is not None else colors_for(counts["source"])
    periods = sorted(counts["period"].unique())
    wide = counts.pivot(index="period", columns="source", values="n").reindex(periods).fillna(0)
    x = period_midpoint(pd.Series(periods)).to_numpy()
    if len(periods) > 1:
        width = 0.8 * float(np.min(np.diff(mdates.date2num(x))))
    else:
        width = 20.0
    bottom = np.zeros(len(periods))
    order = series_order(colors, wide.columns)
    for source in sorted(wide.columns):
        values = wide[source].to_numpy(float)
        i = order.index(str(source))
        hatch = BAR_HATCHES[(i // len(PALETTE)) % len(BAR_HATCHES)]  # colours repeat after 8: hatch tells apart
        ax.bar(x, values, width=width, bottom=bottom, color=colors.get(source, series_style(i).color),
               label=str(source), linewidth=0, hatch=hatch, edgecolor="white" if hatch else None)
        bottom += values
    ax.set_ylabel("記事数")
    ax.set_ylim(0, max(1.0, float(bottom.max(initial=0.0))) * 1.22)  # room for the legend
    _count_axis(ax.yaxis)
    ax.grid(axis="x", visible=False)
    _date_axis(ax)
    total = int(counts["n"].sum())
    units = {"M": "月", "Q": "四半期", "Y": "年"}
    unit = units.get(pd.Period(str(periods[0])).freqstr[0], "期間") if periods else "期間"
    ax.set_title(f"{unit}ごとの記事数（新聞別、計{total}本）")
    if len(wide.columns):
        ax.legend(loc="upper left", frameon=False, ncols=min(4, len(wide.columns)))
    return ax


#: Bars of words in only one period's list (the shift) and of words shared with another period;
#: a period with too few documents gets the same colours, faded to THIN_ALPHA.
SHIFT_COLOR, SHARED_COLOR, THIN_ALPHA = PALETTE[1], PALETTE[0], 0.35


def plot_topic_words_by_period(table: pd.DataFrame, *, topic, n: int = 8, ax=None, ncols: int = 4) -> list:
    """One topic's best words per period: a horizontal bar panel per period, periods in time order.

    ``table`` is ``topic_words_by_period.parquet`` (``topic, label, period, rank, word, weight,
    n_docs, too_few``; :func:`analysis.topics.periods.topic_words_by_period`). Each panel shows
    the period's ``n`` best-ranked words (best on top) and is titled with the period and its
    number of documents. Vermillion bars are words in no other period's top ``n`` (what changed),
    blue ones words shared with another period; a period flagged ``too_few`` is drawn faded and
    titled "少数". Panels share the weight axis, ``ncols`` per row.

    With ``ax=None`` a new figure is made, with the topic as its title and a caption; a given
    ``ax`` is replaced by the panels in its place (its figure's title is left to the caller).
    Returns the panels' Axes in period order.
    """
    import matplotlib.pyplot as plt

    from analysis.topics.periods import period_sort_key

    needed = ["topic", "period", "rank", "word", "weight", "n_docs"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise InputError(f"topic words by period lack column(s) {missing}; pass topic_words_by_period.parquet "
                         "written by `analysis topics` (docs/ARCHITECTURE.md)")
    frame = table[table["topic"] == topic]
    if frame.empty:
        raise InputError(f"topic {topic!r} is not in the table; it has topics {sorted(table['topic'].unique().tolist())}")
    frame = frame[frame["rank"] <= n]
    periods = sorted(frame["period"].astype(str).unique(), key=period_sort_key)
    lists = {p: frame[frame["period"].astype(str) == p].sort_values("rank", kind="stable") for p in periods}
    seen: dict[str, int] = {}
    for part in lists.values():
        for word in set(part["word"]):
            seen[word] = seen.get(word, 0) + 1

    k = len(periods)
    columns = max(1, min(ncols, k))
    rows = math.ceil(k / columns)
    own_figure = ax is None
    if own_figure:
        fig = plt.figure(figsize=(2.4 * columns, (0.24 * n + 1.0) * rows))
        grid = fig.add_gridspec(rows, columns)
        place = None
    else:
        fig = ax.figure
        spec = ax.get_subplotspec()
        place = ax.get_position() if spec is None else None
        grid = spec.subgridspec(rows, columns, wspace=0.9, hspace=0.8) if spec is not None else None
        ax.remove()
    axes = []
    for i, period in enumerate(periods):
        r, c = divmod(i, columns)
        share = axes[0] if axes else None
        if grid is not None:
            panel = fig.add_subplot(grid[r, c], sharex=share)
        else:  # a plain Axes (fig.add_axes): split its box
            w, h = place.width / columns, place.height / rows
            panel = fig.add_axes((place.x0 + c * w + 0.25 * w, place.y0 + (rows - 1 - r) * h + 0.1 * h,
                                  0.7 * w, 0.75 * h), sharex=share)
        part = lists[period]
        thin = bool(part["too_few"].iloc[0]) if "too_few" in part.columns else False
        colors = [SHIFT_COLOR if seen[w] == 1 and k > 1 else SHARED_COLOR for w in part["word"]]
        y = np.arange(len(part))
        panel.barh(y, part["weight"].to_numpy(float), color=colors, height=0.7, alpha=THIN_ALPHA if thin else 1.0,
                   gid=f"period:{period}")
        panel.set_yticks(y, [_short(w, 10) for w in part["word"]])
        panel.set_ylim(n - 0.5, -0.5)  # same bar height in every panel, best on top
        panel.grid(axis="y", visible=False)
        panel.tick_params(axis="y", length=0)
        n_docs = int(part["n_docs"].iloc[0])
        panel.set_title(f"{period}（{n_docs}本{'・少数' if thin else ''}）", fontsize=8.5,
                        color=CAPTION_COLOR if thin else "black")
        panel.xaxis.set_tick_params(labelbottom=True)
        panel.set_xlabel("重み", fontsize=7)
        axes.append(panel)
    if own_figure:
        label = frame["label"].iloc[0] if "label" in frame.columns else None
        name = f"{topic}: {label}" if label is not None and str(label) != str(topic) else str(topic)
        fig.suptitle(f"{_short(name, 40)}　期間ごとの特徴語", fontsize=10)
        _figure_caption(fig, "重み：c-TF-IDF（その期間のトピックの記事での語の割合×コーパス全体のidf）。"
                             + ("\n" if columns < 3 else "")
                             + "朱色＝この期間だけの上位語、青＝他の期間と共通。薄い色・「少数」＝記事が少ない期間（参考程度に）")
        fig.tight_layout()
    return axes
