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
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from analysis.errors import InputError


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
        raise InputError(f"correspondence analysis by {by!r} needs at least two groups; found {len(counts)}")
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
    """``(coords, inertia)`` of a contingency table (rows x columns of non-negative counts)."""
    n_mat = np.asarray(table, dtype=float)
    if n_mat.ndim != 2 or (n_mat < 0).any() or not np.isfinite(n_mat).all():
        raise InputError("correspondence analysis needs a table of non-negative counts")
    keep_r = n_mat.sum(axis=1) > 0
    keep_c = n_mat.sum(axis=0) > 0
    n_mat = n_mat[keep_r][:, keep_c]
    row_labels = [str(x) for x, k in zip(table.index, keep_r) if k]
    col_labels = [str(x) for x, k in zip(table.columns, keep_c) if k]
    if min(n_mat.shape) < 2:
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


def plot_ca_biplot(coords: pd.DataFrame, inertia: pd.DataFrame, *, ax=None, dims: tuple[int, int] = (1, 2),
                   max_words: int | None = None, title: str | None = None):
    """Symmetric CA map: words (grey, sized by mass) and groups (coloured squares and labels).

    Every word is drawn; ``max_words`` labels only those contributing most to the two dimensions.
    """
    import matplotlib.pyplot as plt

    from analysis.figures.style import colors_for

    d1, d2 = dims
    if f"dim{d2}" not in coords.columns:
        if f"dim{d1}" not in coords.columns:
            raise InputError(f"coords have no dimension {d1}")
        d2 = None
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 6.0))
    words = coords[coords["kind"] == "row"].copy()
    groups = coords[coords["kind"] == "column"]
    y_of = (lambda f: f[f"dim{d2}"]) if d2 else (lambda f: np.zeros(len(f)))
    labelled = words
    if max_words is not None and len(words) > max_words:
        contrib = words[f"contribution{d1}"] + (words[f"contribution{d2}"] if d2 else 0)
        labelled = words.assign(_c=contrib).sort_values(["_c", "label"], ascending=[False, True]).head(max_words)
    mass = words["mass"].to_numpy()
    sizes = 10 + 300 * np.sqrt(mass / mass.max()) if len(words) else []
    ax.scatter(words[f"dim{d1}"], y_of(words), s=sizes, color="#888888", alpha=0.35, linewidths=0, zorder=2)
    for label, x, y in zip(labelled["label"], labelled[f"dim{d1}"], y_of(labelled)):
        ax.annotate(label, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=8, color="#333333", zorder=3)
    colours = colors_for(groups["label"])
    for label, x, y in zip(groups["label"], groups[f"dim{d1}"], y_of(groups)):
        ax.scatter([x], [y], marker="s", s=70, color=colours[label], zorder=4)
        ax.annotate(label, (x, y), xytext=(5, -11), textcoords="offset points", fontsize=10,
                    color=colours[label], zorder=5)
    ax.axhline(0, color="#bbbbbb", linewidth=0.6, zorder=1)
    ax.axvline(0, color="#bbbbbb", linewidth=0.6, zorder=1)
    share = dict(zip(inertia["dimension"], inertia["share"]))
    ax.set_xlabel(f"成分{d1}（{100 * share.get(d1, float('nan')):.1f}%）")
    if d2:
        ax.set_ylabel(f"成分{d2}（{100 * share.get(d2, float('nan')):.1f}%）")
    ax.set_title(title or "対応分析（語 × グループ）")
    return ax
