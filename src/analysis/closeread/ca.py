"""Correspondence analysis of words by newspaper (or period), computed with numpy's SVD.

>>> import pandas as pd
>>> table = pd.DataFrame([[30, 5, 5], [5, 30, 5], [5, 5, 30], [10, 10, 10]],
...                      index=["規制", "補助金", "景気", "政府"], columns=["A紙", "B紙", "C紙"])
>>> coords, inertia = correspondence_analysis(table)
>>> round(float(inertia["share"].sum()), 6), len(inertia)
(1.0, 2)
>>> coords.query("label == '政府'")[["dim1", "dim2"]].abs().round(6).values.tolist()
[[0.0, 0.0]]

Method (Greenacre, *Correspondence Analysis in Practice*): with the correspondence matrix
P = N / n, row masses r and column masses c, the standardised residuals
S = D_r^-1/2 (P - r c^T) D_c^-1/2 are decomposed as S = U diag(sv) V^T. Row standard coordinates
are D_r^-1/2 U, column standard coordinates D_c^-1/2 V; principal coordinates multiply them by the
singular values. Eigenvalues sv^2 are the principal inertias; their sum, the total inertia, equals
chi2 / n of the table. Signs are fixed so that each dimension's largest column loading is positive
(SVD signs are otherwise arbitrary), so results are the same on every run.

``coords`` columns: kind (row|column), label, mass, dim1..dimK (principal), std1..stdK (standard),
contribution1..K (share of the dimension's inertia). ``inertia``: dimension, eigenvalue, share,
cumulative. The biplot is symmetric (principal coordinates for words and groups), as KH Coder's.

Two groups (two newspapers, two years) give a table with one dimension only: it explains 100% of
the inertia and a second axis would be noise-free zero. :func:`plot_ca_biplot` then draws that
solution as one horizontal axis (:func:`plot_ca_axis`): words above it and groups below it,
labels stacked in rows so none overlap. One group leaves nothing to contrast: :func:`ca_table`
and :func:`correspondence_analysis` raise :class:`TooFewGroupsError` (an
:class:`~analysis.errors.InputError`) whose message says why; a notebook can catch it and print
the reason instead of the figure::

    try:
        table = ca_table(tokens, corpus, by="source")
    except TooFewGroupsError as reason:
        print(f"対応分析を省略します: {reason}")
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np
import pandas as pd

from analysis.errors import InputError


class TooFewGroupsError(InputError):
    """Correspondence analysis was asked to contrast fewer than two groups (e.g. one newspaper).

    ``by`` names the grouping and ``groups`` lists the groups found; the message says what to do.
    """

    def __init__(self, message: str, *, by: str = "", groups: tuple[str, ...] = ()):
        super().__init__(message)
        self.by = by
        self.groups = tuple(groups)


def _too_few_groups(by: str, groups) -> TooFewGroupsError:
    groups = tuple(str(g) for g in groups)
    found = f"found {len(groups)}" + (f" ({', '.join(groups)})" if groups else "")
    hint = ("add editorials of another newspaper, or contrast periods instead (by='period'; "
            "CLI: analysis ca --by period)" if by == "source" else
            "widen the date range or choose a grouping with at least two values")
    return TooFewGroupsError(f"correspondence analysis by {by!r} needs at least two groups to contrast; "
                             f"{found}: {hint}", by=by, groups=groups)


def ca_table(tokens: pd.DataFrame, corpus: pd.DataFrame, *, by: str = "source", top: int = 60,
             period: str = "Y", min_groups: int = 1) -> pd.DataFrame:
    """Contingency table words x groups (token counts) of the ``top`` most frequent words.

    ``by`` is ``source``, ``period`` (labels from :func:`analysis.stats.period_label` with
    ``period``) or any corpus column. Words are ranked by total count (ties by word) among those
    used in at least ``min_groups`` groups; rows are sorted by that rank, columns by name.
    """
    from analysis.stats import period_label

    if by == "period":
        meta = corpus[["doc_id"]].assign(period=period_label(corpus["published"], period))
    elif by in corpus.columns:
        meta = corpus[["doc_id", by]]
    else:
        raise InputError(f"cannot tabulate words by {by!r}: the corpus has no such column; use source or period")
    group_of = dict(zip(meta["doc_id"], meta[by]))
    counts: dict[str, Counter] = {}
    for doc_id, toks in zip(tokens["doc_id"], tokens["tokens"]):
        g = group_of.get(doc_id)
        if g is None or g is pd.NA or (isinstance(g, float) and np.isnan(g)):
            continue
        counts.setdefault(str(g), Counter()).update(toks)
    if len(counts) < 2:
        raise _too_few_groups(by, sorted(counts))
    totals: Counter = Counter()
    spread: Counter = Counter()
    for c in counts.values():
        totals.update(c)
        spread.update(c.keys())
    words = sorted((w for w in totals if spread[w] >= min_groups), key=lambda w: (-totals[w], w))[:top]
    groups = sorted(counts)
    data = np.array([[counts[g][w] for g in groups] for w in words], dtype=float)
    table = pd.DataFrame(data, index=pd.Index(words, name="word"), columns=pd.Index(groups, name=by))
    return table


def correspondence_analysis(table: pd.DataFrame, *, n_components: int | None = None
                            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(coords, inertia)`` of a contingency table (rows x columns of non-negative counts).

    A table with two non-empty columns has one dimension (``dim1`` only); with fewer than two
    it raises :class:`TooFewGroupsError`.
    """
    n_mat = np.asarray(table, dtype=float)
    if n_mat.ndim != 2 or (n_mat < 0).any() or not np.isfinite(n_mat).all():
        raise InputError("correspondence analysis needs a table of non-negative counts")
    keep_r = n_mat.sum(axis=1) > 0
    keep_c = n_mat.sum(axis=0) > 0
    n_mat = n_mat[keep_r][:, keep_c]
    row_labels = [str(x) for x, k in zip(table.index, keep_r) if k]
    col_labels = [str(x) for x, k in zip(table.columns, keep_c) if k]
    if n_mat.shape[1] < 2:
        raise _too_few_groups(str(table.columns.name or "column"), col_labels)
    if n_mat.shape[0] < 2:
        raise InputError(f"correspondence analysis needs at least 2 non-empty rows and columns; got {n_mat.shape}")
    n = n_mat.sum()
    p = n_mat / n
    r = p.sum(axis=1)
    c = p.sum(axis=0)
    s = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    u, sv, vt = np.linalg.svd(s, full_matrices=False)
    k_max = min(n_mat.shape) - 1
    k = k_max if n_components is None else max(1, min(n_components, k_max))
    u, sv, v = u[:, :k], sv[:k], vt[:k].T
    signs = np.sign(v[np.argmax(np.abs(v), axis=0), np.arange(k)])
    signs[signs == 0] = 1.0
    u, v = u * signs, v * signs
    row_std = u / np.sqrt(r)[:, None]
    col_std = v / np.sqrt(c)[:, None]
    eig_all = np.linalg.svd(s, compute_uv=False)[:k_max] ** 2
    total = float(eig_all.sum())

    def block(kind, labels, mass, std, unit_vectors):
        frame = pd.DataFrame({"kind": kind, "label": labels, "mass": mass})
        for d in range(k):
            frame[f"dim{d + 1}"] = std[:, d] * sv[d]
        for d in range(k):
            frame[f"std{d + 1}"] = std[:, d]
        for d in range(k):
            frame[f"contribution{d + 1}"] = unit_vectors[:, d] ** 2
        return frame

    coords = pd.concat([block("row", row_labels, r, row_std, u), block("column", col_labels, c, col_std, v)],
                       ignore_index=True)
    eig = sv ** 2
    inertia = pd.DataFrame({
        "dimension": np.arange(1, k + 1),
        "eigenvalue": eig,
        "share": eig / total if total > 0 else np.zeros(k),
    })
    inertia["cumulative"] = inertia["share"].cumsum()
    return coords, inertia


def _axis_label(inertia: pd.DataFrame, dim: int) -> str:
    share = dict(zip(inertia["dimension"], inertia["share"])).get(dim, float("nan"))
    return f"第{dim}次元 ({100 * share:.1f}%)"


def _labelled_words(words: pd.DataFrame, dims: list[int], max_words: int | None) -> pd.DataFrame:
    """The ``max_words`` words contributing most to ``dims`` (ties by label), or all words."""
    if max_words is None or len(words) <= max_words:
        return words
    contrib = sum(words[f"contribution{d}"] for d in dims)
    return words.assign(_c=contrib).sort_values(["_c", "label"], ascending=[False, True]).head(max_words)


def plot_ca_biplot(coords: pd.DataFrame, inertia: pd.DataFrame, *, ax=None, dims: tuple[int, int] = (1, 2),
                   max_words: int | None = None, title: str | None = None):
    """Symmetric CA map: words (grey, sized by mass) and groups (coloured squares and labels).

    Every word is drawn; ``max_words`` labels only those contributing most to the two dimensions.
    A one-dimensional solution (two groups) is drawn as one axis by :func:`plot_ca_axis`.
    """
    import matplotlib.pyplot as plt

    from analysis.figures.style import colors_for

    d1, d2 = dims
    if f"dim{d1}" not in coords.columns:
        raise InputError(f"coords have no dimension {d1}; the solution has {len(inertia)}")
    if f"dim{d2}" not in coords.columns:
        return plot_ca_axis(coords, inertia, ax=ax, dim=d1, max_words=max_words, title=title)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 6.0))
    words = coords[coords["kind"] == "row"]
    groups = coords[coords["kind"] == "column"]
    labelled = _labelled_words(words, [d1, d2], max_words)
    mass = words["mass"].to_numpy()
    sizes = 10 + 300 * np.sqrt(mass / mass.max()) if len(words) else []
    ax.scatter(words[f"dim{d1}"], words[f"dim{d2}"], s=sizes, color="#888888", alpha=0.35, linewidths=0, zorder=2)
    for label, x, y in zip(labelled["label"], labelled[f"dim{d1}"], labelled[f"dim{d2}"]):
        ax.annotate(label, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=8, color="#333333", zorder=3)
    colours = colors_for(groups["label"])
    for label, x, y in zip(groups["label"], groups[f"dim{d1}"], groups[f"dim{d2}"]):
        ax.scatter([x], [y], marker="s", s=70, color=colours[label], zorder=4)
        ax.annotate(label, (x, y), xytext=(5, -11), textcoords="offset points", fontsize=10,
                    color=colours[label], zorder=5)
    ax.axhline(0, color="#bbbbbb", linewidth=0.6, zorder=1)
    ax.axvline(0, color="#bbbbbb", linewidth=0.6, zorder=1)
    ax.set_xlabel(_axis_label(inertia, d1))
    ax.set_ylabel(_axis_label(inertia, d2))
    ax.set_title(title or "対応分析（語 × グループ）")
    return ax


def _text_width_pt(text: str, size: float) -> float:
    """Width of ``text`` in points at font ``size`` in the current font (no renderer needed)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    width, _, _ = text_to_path.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
    return float(width)


def label_rows(centres: Sequence[float], widths: Sequence[float], *, gap: float = 4.0) -> list[int]:
    """Row (0 = nearest the axis) for labels centred at ``centres`` with ``widths`` so that labels in
    one row never overlap: in order of centre, each label takes the lowest row whose last label
    ends at least ``gap`` before it starts. Same units for all arguments (points)."""
    order = sorted(range(len(centres)), key=lambda i: (centres[i], i))
    ends: list[float] = []
    rows = [0] * len(centres)
    for i in order:
        left = centres[i] - widths[i] / 2
        row = next((r for r, end in enumerate(ends) if end + gap <= left), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = centres[i] + widths[i] / 2
        rows[i] = row
    return rows


def plot_ca_axis(coords: pd.DataFrame, inertia: pd.DataFrame, *, ax=None, dim: int = 1,
                 max_words: int | None = None, title: str | None = None, fontsize: float = 8.0):
    """One CA dimension as one horizontal axis: words above it, groups (coloured) below it.

    Each label sits straight above (words) or below (groups) its point, joined to it by a thin
    line; labels that would overlap go to further rows (:func:`label_rows`), so every label is
    readable. The vertical direction carries no data: the y axis is hidden. When ``ax`` is None
    the figure is made tall enough for the rows; a given ``ax`` keeps its size (rows that do not
    fit are drawn beyond it, so give it room: about 14 points per row at the default size).
    """
    import matplotlib.pyplot as plt

    from analysis.figures.style import colors_for

    col = f"dim{dim}"
    if col not in coords.columns:
        raise InputError(f"coords have no dimension {dim}; the solution has {len(inertia)}")
    words = coords[coords["kind"] == "row"]
    groups = coords[coords["kind"] == "column"]
    labelled = _labelled_words(words, [dim], max_words)
    group_size = fontsize + 1.5
    line_word, line_group = fontsize * 1.7, group_size * 1.7
    xs = coords[col].to_numpy(dtype=float)
    lo, hi = (float(xs.min()), float(xs.max())) if len(xs) else (-1.0, 1.0)
    margin = 0.06 * ((hi - lo) or 1.0)
    xlim = (lo - margin, hi + margin)

    word_widths = [_text_width_pt(w, fontsize) for w in labelled["label"]]
    group_widths = [_text_width_pt(g, group_size) for g in groups["label"]]
    own_figure = ax is None
    if own_figure:
        # rows depend on the axes width, not its height: count the rows, then make the figure
        # tall enough for them
        _, ax = plt.subplots(figsize=(7.5, 3.0))
    fig = ax.figure
    ax.set_xlim(*xlim)
    width_pt = ax.get_position().width * fig.get_figwidth() * 72.0

    def to_pt(values) -> list[float]:
        return [(float(v) - xlim[0]) / (xlim[1] - xlim[0]) * width_pt for v in values]

    word_rows = label_rows(to_pt(labelled[col]), word_widths)
    group_rows = label_rows(to_pt(groups[col]), group_widths)
    up = (max(word_rows, default=-1) + 2) * line_word
    down = (max(group_rows, default=-1) + 2) * line_group
    height_pt = ax.get_position().height * fig.get_figheight() * 72.0
    if own_figure and height_pt < up + down:
        fig.set_figheight(fig.get_figheight() * (up + down) / height_pt * 1.02)
        height_pt = ax.get_position().height * fig.get_figheight() * 72.0
    # y carries no data: place the axis line so the rows above and below both fit (one y unit is
    # one point when the axes is exactly as tall as the rows need)
    spare = max(height_pt - up - down, 0.0)
    ax.set_ylim(-down - spare * down / (up + down), up + spare * up / (up + down))

    ax.axhline(0, color="#555555", linewidth=0.8, zorder=1)
    ax.axvline(0, color="#bbbbbb", linewidth=0.6, linestyle="--", zorder=0)
    mass = words["mass"].to_numpy(dtype=float)
    if len(words):
        sizes = 8 + 120 * np.sqrt(mass / mass.max())
        ax.scatter(words[col], np.zeros(len(words)), s=sizes, color="#888888", alpha=0.45, linewidths=0, zorder=2)
    leader = {"arrowstyle": "-", "color": "#bbbbbb", "linewidth": 0.5, "shrinkA": 0, "shrinkB": 0}
    for label, x, row in zip(labelled["label"], labelled[col], word_rows):
        offset = (row + 1) * line_word
        ax.annotate("", (x, 0), xytext=(0, offset - fontsize * 0.6), textcoords="offset points",
                    arrowprops=leader, zorder=1, annotation_clip=False)
        ax.annotate(label, (x, 0), xytext=(0, offset), textcoords="offset points", ha="center", va="center",
                    fontsize=fontsize, color="#333333", zorder=3, annotation_clip=False)
    colours = colors_for(groups["label"])
    for label, x, row in zip(groups["label"], groups[col], group_rows):
        offset = -(row + 1) * line_group
        ax.scatter([x], [0], marker="s", s=60, color=colours[label], zorder=4)
        ax.annotate("", (x, 0), xytext=(0, offset + group_size * 0.6), textcoords="offset points",
                    arrowprops={**leader, "color": colours[label]}, zorder=1, annotation_clip=False)
        ax.annotate(label, (x, 0), xytext=(0, offset), textcoords="offset points", ha="center", va="center",
                    fontsize=group_size, color=colours[label], zorder=5, annotation_clip=False)
    ax.get_yaxis().set_visible(False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.grid(False)
    ax.set_xlabel(_axis_label(inertia, dim))
    ax.set_title(title or "対応分析（語 × グループ、1次元）")
    return ax
