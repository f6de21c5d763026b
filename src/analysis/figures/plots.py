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

Frames follow the contracts of docs/ARCHITECTURE.md; the frames that are not stage outputs (events,
documents per period, topic x stance) come from :mod:`analysis.figures.tables`. Newspapers keep one
colour in every figure when the caller passes the same ``colors`` mapping (``style.colors_for``).
Call ``style.use_style()`` first so Japanese labels are drawn with IPAexGothic.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.figures.style import PALETTE, colors_for
from analysis.figures.tables import events_for, period_midpoint

EVENT_COLOR = "#555555"
BAND_ALPHA = 0.18


def _axes(ax):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    return ax


def _date_axis(ax) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def draw_events(ax, events: pd.DataFrame | None, *, label_size: float = 6.5) -> None:
    """Dashed vertical lines with short rotated labels for the events inside the current x range.

    Labels sit on a light backing so they stay legible over the data. An event closer than about a
    label's height to the previous one gets its label on the other side of its line, so two events
    weeks apart (e.g. 2023-10-17 and 2023-11-01) do not print on top of each other.
    """
    import matplotlib.dates as mdates

    if events is None or events.empty:
        return
    lo, hi = sorted(ax.get_xlim())
    min_gap = 0.035 * (hi - lo)
    placed: list[tuple[float, str]] = []
    for date, label in sorted(zip(events["date"], events["label"]), key=lambda e: pd.Timestamp(e[0])):
        x = mdates.date2num(pd.Timestamp(date))
        if not lo <= x <= hi:
            continue
        ax.axvline(x, color=EVENT_COLOR, linestyle="--", linewidth=0.7, alpha=0.8, zorder=1)
        side = "right"
        if placed and x - placed[-1][0] < min_gap and placed[-1][1] == "right":
            side = "left"
        placed.append((x, side))
        ax.text(x, 0.98, f" {label} ", transform=ax.get_xaxis_transform(), rotation=90,
                ha=side, va="top", fontsize=label_size, color=EVENT_COLOR, zorder=4,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.75})


def _stance_lines(ax, frame, colors, ylabel: str, events, target, title, legend: bool):
    """Lines with bands on a [-1, 1] axis with a zero line, dates, events, title and legend."""
    colors = dict(colors) if colors is not None else colors_for(frame["source"])
    _lines_with_bands(ax, frame, colors)
    ax.axhline(0.0, color="black", linewidth=0.6, zorder=1)
    ax.set_ylim(-1.05, 1.05)
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.set_ylabel(ylabel)
    _date_axis(ax)
    draw_events(ax, events_for(events, target))
    ax.set_title(title if title is not None else str(target))
    if legend and not frame.empty:
        ax.legend(loc="lower left", frameon=False, ncols=min(4, frame["source"].nunique()))
    return ax


def _lines_with_bands(ax, frame: pd.DataFrame, colors: Mapping[str, str]) -> None:
    for source, group in frame.groupby("source", sort=True):
        group = group.sort_values("period")
        x = period_midpoint(group["period"]).to_numpy()
        color = colors.get(source, PALETTE[0])
        ax.fill_between(x, group["ci_low"].to_numpy(float), group["ci_high"].to_numpy(float),
                        color=color, alpha=BAND_ALPHA, linewidth=0, zorder=2)
        ax.plot(x, group["mean"].to_numpy(float), color=color, linewidth=1.4, marker="o",
                markersize=2.2, label=str(source), zorder=3)


def plot_stance_over_time(
    stance_over_time: pd.DataFrame,
    *,
    target: str | None = None,
    ax=None,
    events: pd.DataFrame | None = None,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    legend: bool = True,
):
    """Mean stance toward one target per period: a line per newspaper with its confidence band.

    ``stance_over_time`` has ``source, target, period, n, mean, ci_low, ci_high``; ``target``
    picks one (needed when the frame holds several). Events (``tables.load_events``) tagged with
    the target, or untagged, are drawn as dashed lines. y runs from -1 (against) to 1 (favour).
    """
    ax = _axes(ax)
    frame = stance_over_time
    if target is None:
        targets = sorted(frame["target"].unique())
        if len(targets) > 1:
            raise ValueError(f"stance_over_time holds several targets {targets}; pass target=")
        target = targets[0] if targets else None
    frame = frame[frame["target"] == target]
    return _stance_lines(ax, frame, colors, "論調（-1 反対 … +1 賛成）", events, target, title, legend)


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


def _figure_legend(fig, axes, colors: Mapping[str, str]) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=c, linewidth=1.6, label=str(s)) for s, c in colors.items()]
    fig.legend(handles=handles, loc="lower center", ncols=min(len(handles), 6), frameon=False,
               bbox_to_anchor=(0.5, 0.0))


def stance_over_time_figure(
    stance_over_time: pd.DataFrame,
    *,
    targets: Sequence[str] | None = None,
    events: pd.DataFrame | None = None,
    colors: Mapping[str, str] | None = None,
    ncols: int = 1,
):
    """Small multiples: one :func:`plot_stance_over_time` panel per target, one shared legend."""
    targets = list(targets) if targets is not None else sorted(stance_over_time["target"].unique())

    def panel(ax, target, colors):
        plot_stance_over_time(stance_over_time, target=target, ax=ax, events=events, colors=colors,
                              legend=False)
        ax.set_ylabel("論調")

    return _small_multiples(stance_over_time, targets, panel, colors=colors, ncols=ncols, panel_size=(7.0, 2.6),
                            title="新聞別・対象別の論調の推移（平均と95%信頼区間）", legend_space=0.04)


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
):
    """Share of FAVOR minus share of AGAINST toward one target per period, ``estimate`` "corrected"
    (for classifier error, from a filled validation sheet) or "raw": a line per newspaper with its band.

    Needs the columns ``net_<estimate>``, ``net_<estimate>_ci_low``, ``net_<estimate>_ci_high`` that
    ``stance_over_time(..., sheet=...)`` adds. Cells without a value (no sheet for the target) are not drawn.
    """
    ax = _axes(ax)
    names = {f"net_{estimate}": "mean", f"net_{estimate}_ci_low": "ci_low", f"net_{estimate}_ci_high": "ci_high"}
    frame = stance_over_time[stance_over_time["target"] == target]
    frame = frame[["source", "period", *names]].rename(columns=names).dropna(subset=["mean"])
    return _stance_lines(ax, frame, colors, "賛成率 − 反対率", events, target, title, legend)


def corrected_stance_figure(
    stance_over_time: pd.DataFrame,
    *,
    targets: Sequence[str] | None = None,
    events: pd.DataFrame | None = None,
    colors: Mapping[str, str] | None = None,
):
    """The headline stance figure when a filled validation sheet was given: per target, the net share
    corrected for classifier error (left) and the raw one (right), one shared legend, a caption
    saying what was corrected and what the bands cover."""
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
                           colors=colors, legend=False, title=f"{target}：誤分類を補正（検証 {n_val} 件）")
        else:
            left.axis("off")  # not set_xticks([]): the x axis is shared with the panels that have data
            left.text(0.5, 0.5, f"{target}：検証シートなし（補正なし）", ha="center", va="center",
                      transform=left.transAxes, fontsize=8, color=EVENT_COLOR)
        plot_net_share(stance_over_time, target=target, estimate="raw", ax=right, events=events, colors=colors,
                       legend=False, title=f"{target}：補正前")
        right.set_ylabel("")
    used = {s: c for s, c in colors.items() if s in set(stance_over_time["source"])}
    _figure_legend(fig, axes, used)
    fig.suptitle("新聞別・対象別の論調の推移：分類誤りを補正した推定（左）と補正前（右）", fontsize=10)
    fig.text(0.5, 0.045, "賛成率−反対率（文書単位）。左：手作業の検証標本から推定した混同行列で誤分類を補正"
             "（Hopkins & King の行列法）、帯は文書と検証標本の同時ブートストラップによる95%区間。"
             "右：補正前の分類器の割合、帯は文書のみの95%区間。", ha="center", va="bottom", fontsize=6.5,
             wrap=True)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def _small_multiples(frame: pd.DataFrame, keys: Sequence, panel, *, colors, ncols: int, panel_size, title: str,
                     legend_space: float):
    """A grid with ``panel(ax, key, colors)`` per key and one legend of the newspapers drawn."""
    colors = dict(colors) if colors is not None else colors_for(frame["source"])
    fig, axes = _grid(max(1, len(keys)), ncols, panel_size)
    for ax, key in zip(axes, keys):
        panel(ax, key, colors)
    used = {s: c for s, c in colors.items() if s in set(frame["source"])}
    _figure_legend(fig, axes, used)
    fig.suptitle(title, fontsize=10)
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
):
    """One topic's share of documents per period: a line per newspaper with its confidence band.

    ``topic_shares`` has ``source, period, topic, label, n, mean, ci_low, ci_high``.
    """
    ax = _axes(ax)
    frame = topic_shares[topic_shares["topic"] == topic]
    colors = dict(colors) if colors is not None else colors_for(topic_shares["source"])
    _lines_with_bands(ax, frame, colors)
    top = float(np.nanmax(frame["ci_high"].to_numpy(float))) if len(frame) else 1.0
    ax.set_ylim(0, min(1.0, max(0.05, top * 1.08)))
    ax.yaxis.set_major_formatter(_percent())
    ax.set_ylabel("記事に占める割合")
    _date_axis(ax)
    draw_events(ax, events)
    label = frame["label"].iloc[0] if "label" in frame.columns and len(frame) else None
    ax.set_title(_short(f"{topic}: {label}" if label is not None and str(label) != str(topic) else str(topic), 40))
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
    title: str = "トピックの割合の推移（新聞別、95%信頼区間）",
):
    """Small multiples: one :func:`plot_topic_share_over_time` panel per topic, one shared legend."""
    topics = list(topics) if topics is not None else sorted(topic_shares["topic"].unique())

    def panel(ax, topic, colors):
        plot_topic_share_over_time(topic_shares, topic=topic, ax=ax, colors=colors, events=events,
                                   legend=False)
        ax.set_ylabel("")

    return _small_multiples(topic_shares, topics, panel, colors=colors, ncols=ncols, panel_size=(4.6, 2.3),
                            title=title, legend_space=0.05)


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
    for source in sorted(wide.columns):
        values = wide[source].to_numpy(float)
        ax.bar(x, values, width=width, bottom=bottom, color=colors.get(source, PALETTE[0]),
               label=str(source), linewidth=0)
        bottom += values
    ax.set_ylabel("記事数")
    ax.set_ylim(0, max(1.0, float(bottom.max(initial=0.0))) * 1.22)  # room for the legend
    ax.grid(axis="x", visible=False)
    _date_axis(ax)
    total = int(counts["n"].sum())
    ax.set_title(f"期間ごとの記事数（新聞別、計{total}本）")
    if len(wide.columns):
        ax.legend(loc="upper left", frameon=False, ncols=min(4, len(wide.columns)))
    return ax
