"""Co-occurrence network of words, as KH Coder draws it: compute, then draw.

>>> tokens = {"d1": ["輸出規制", "半導体", "中国"], "d2": ["輸出規制", "半導体", "米国"],
...           "d3": ["景気", "物価", "日銀"], "d4": ["景気", "物価", "賃金"]}
>>> nodes, edges = build_network(tokens, top=6, min_docs=2, top_edges=10)
>>> sorted(nodes["word"])
['半導体', '景気', '物価', '輸出規制']
>>> edges[["word1", "word2", "jaccard"]].values.tolist()
[['半導体', '輸出規制', 1.0], ['景気', '物価', 1.0]]

Co-occurrence is counted per document (``unit="doc"``, KH Coder's default unit for editorials) or
per sentence. Nodes are the ``top`` most frequent words (total token count, ties by word) seen in
at least ``min_docs`` units, or, with ``term``, the term and the ``top`` words with the highest
Jaccard coefficient to it. Edges link every pair with ``measure`` (``jaccard`` or ``pmi``) at
least ``min_value``; then the ``top_edges`` strongest are kept (KH Coder's default: 60). Words left
without an edge are dropped (the term is always kept).

Determinism: nodes and edges enter networkx in sorted order; the layout is
``spring_layout(seed=seed)`` and communities ``greedy_modularity_communities`` (or
``louvain_communities(seed=seed)``), numbered by size then first word. So the same tokens give the
same positions and colours on every run. Labels are moved apart by adjustText for a fixed number
of iterations (no time limit; its random nudges are seeded), so the figure is byte-identical too.
Communities beyond the palette (7 colours) are drawn in one grey "その他" class rather than
reusing colours (see :func:`plot_network`).

``groups`` (a mapping doc_id -> newspaper or period) adds a ``group`` column: the group whose
documents use the word most often (share of its documents containing the word), for colouring by
newspaper or period with ``plot_network(..., color_by="group")``.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.closeread._common import check_choice, token_units
from analysis.errors import InputError

NODE_COLUMNS = ["word", "frequency", "docs", "community", "degree", "x", "y", "group"]
EDGE_COLUMNS = ["word1", "word2", "co_docs", "jaccard", "pmi", "weight"]


def build_network(tokens, *, top: int = 60, term: str | None = None, measure: str = "jaccard",
                  min_value: float | None = None, top_edges: int | None = 60, min_docs: int = 2,
                  unit: str = "doc", groups: dict | pd.Series | None = None,
                  communities: str = "greedy", seed: int = config.SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(nodes, edges)``: nodes (word, frequency, docs, community, degree, x, y, group) and edges
    (word1, word2, co_docs, jaccard, pmi, weight = the chosen measure), both sorted."""
    import networkx as nx
    from scipy import sparse

    check_choice("measure", measure, ("jaccard", "pmi"))
    check_choice("communities", communities, ("greedy", "louvain"))
    units = token_units(tokens, unit=unit)
    if not units:
        raise InputError("no documents to build a network from; run `analysis tokenize` first")
    totals: Counter = Counter()
    unit_freq: Counter = Counter()
    for u in units:
        totals.update(u.tokens)
        unit_freq.update(set(u.tokens))
    eligible = [w for w in totals if unit_freq[w] >= min_docs]
    if term is not None and totals[term] == 0:
        raise InputError(f"term {term!r} does not occur in the tokens; check the spelling")

    # unit x word incidence over the candidate vocabulary
    def incidence(vocab: list[str]):
        index = {w: i for i, w in enumerate(vocab)}
        rows, cols = [], []
        for r, u in enumerate(units):
            for w in set(u.tokens):
                j = index.get(w)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
        data = np.ones(len(rows), dtype=np.float64)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(units), len(vocab)))

    if term is None:
        words = sorted(eligible, key=lambda w: (-totals[w], w))[:top]
    else:
        vocab = sorted(set(eligible) | {term})
        x = incidence(vocab)
        t = vocab.index(term)
        co = np.asarray(x.T @ x[:, t].toarray()).ravel()
        df = np.asarray(x.sum(axis=0)).ravel()
        jac = co / np.maximum(df + df[t] - co, 1)
        ranked = sorted((w for i, w in enumerate(vocab) if i != t and co[i] > 0),
                        key=lambda w: (-jac[vocab.index(w)], w))
        words = [term] + ranked[:top]
    words = sorted(words)
    n_units = len(units)
    x = incidence(words)
    co = (x.T @ x).toarray()
    df = np.diag(co).copy()
    iu, ju = np.triu_indices(len(words), k=1)
    pair_co = co[iu, ju]
    keep = pair_co > 0
    iu, ju, pair_co = iu[keep], ju[keep], pair_co[keep]
    jaccard = pair_co / (df[iu] + df[ju] - pair_co)
    pmi = np.log2(pair_co * n_units / (df[iu] * df[ju]))
    edges = pd.DataFrame({
        "word1": [words[i] for i in iu], "word2": [words[j] for j in ju], "co_docs": pair_co.astype(int),
        "jaccard": jaccard, "pmi": pmi,
    })
    edges["weight"] = edges[measure]
    if min_value is not None:
        edges = edges[edges["weight"] >= min_value]
    edges = edges.sort_values(["weight", "co_docs", "word1", "word2"], ascending=[False, False, True, True],
                              kind="mergesort")
    if top_edges is not None:
        edges = edges.head(top_edges)
    edges = edges.sort_values(["word1", "word2"], kind="mergesort").reset_index(drop=True)

    linked = set(edges["word1"]) | set(edges["word2"])
    if term is not None:
        linked.add(term)
    node_words = sorted(linked)
    graph = nx.Graph()
    graph.add_nodes_from(node_words)
    # Layout uses positive weights; PMI can be negative, so lay out on the Jaccard coefficient.
    for row in edges.itertuples(index=False):
        graph.add_edge(row.word1, row.word2, weight=float(row.jaccard))
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=NODE_COLUMNS), edges[EDGE_COLUMNS]
    pos = _layout(graph, seed)
    if communities == "greedy":
        found = nx.community.greedy_modularity_communities(graph, weight="weight") if graph.number_of_edges() else []
    else:
        found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    found = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    community = {w: i + 1 for i, c in enumerate(found) for w in c}
    nodes = pd.DataFrame({
        "word": node_words,
        "frequency": [totals[w] for w in node_words],
        "docs": [unit_freq[w] for w in node_words],
        "community": [community.get(w, 0) for w in node_words],
        "degree": [graph.degree(w) for w in node_words],
        "x": [float(pos[w][0]) for w in node_words],
        "y": [float(pos[w][1]) for w in node_words],
        "group": _dominant_group(units, node_words, groups) if groups is not None else [None] * len(node_words),
    })
    return nodes[NODE_COLUMNS], edges[EDGE_COLUMNS]


def _layout(graph, seed: int) -> dict[str, tuple[float, float]]:
    """Spring layout per connected component, components packed in rows (largest first).

    Laying out the whole graph at once pushes small components to the rim and squeezes the main
    one; packing keeps every component legible. Deterministic: sorted nodes, fixed seed.
    """
    import networkx as nx

    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    boxes = []
    for i, comp in enumerate(components):
        sub = nx.Graph()
        sub.add_nodes_from(comp)
        sub.add_edges_from(sorted((u, v, d) for u, v, d in graph.subgraph(comp).edges(data=True)))
        if len(comp) == 1:
            local = {comp[0]: np.zeros(2)}
        else:
            # Kamada-Kawai on unit edge lengths spaces nodes evenly (spring layouts weighted by
            # Jaccard pile a dense community onto one spot, labels unreadable); seeded spring
            # layout as its starting point keeps it deterministic.
            start = nx.spring_layout(sub, seed=seed + i, iterations=50)
            local = nx.kamada_kawai_layout(sub, pos=start, weight=None)
        xy = np.array([local[w] for w in comp], dtype=float)
        xy -= xy.min(axis=0)
        extent = xy.max(axis=0)
        side = math.sqrt(len(comp))
        scale = side / max(float(extent.max()), 1e-9) if len(comp) > 1 else 0.0
        boxes.append((comp, xy * scale, np.maximum(extent * scale, 0.0)))
    total = sum(float((b[2][0] + 1.0) * (b[2][1] + 1.0)) for b in boxes)
    row_width = max(math.sqrt(total) * 1.3, float(boxes[0][2][0]) + 1.0)
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp, xy, extent in boxes:
        if x > 0 and x + extent[0] > row_width:
            x, y, row_height = 0.0, y - row_height - 1.0, 0.0
        for w, (px, py) in zip(comp, xy):
            pos[w] = (x + px, y - (extent[1] - py))
        x += float(extent[0]) + 1.0
        row_height = max(row_height, float(extent[1]))
    return pos


def _dominant_group(units, words: list[str], groups) -> list[str | None]:
    """Per word, the group with the highest share of its units containing the word."""
    mapping = dict(groups.items()) if hasattr(groups, "items") else dict(groups)
    n_group: Counter = Counter()
    uses: dict[str, Counter] = {w: Counter() for w in words}
    for u in units:
        g = mapping.get(u.doc_id)
        if g is None or (isinstance(g, float) and math.isnan(g)):
            continue
        n_group[g] += 1
        for w in set(u.tokens) & uses.keys():
            uses[w][g] += 1
    out = []
    for w in words:
        shares = sorted(((c / n_group[g], str(g)) for g, c in uses[w].items()), key=lambda s: (-s[0], s[1]))
        out.append(shares[0][1] if shares else None)
    return out


OTHER_LABEL = "その他"
OTHER_COLOUR = "#B8B8B8"


def node_palette() -> list[str]:
    """The house palette without black (black discs hide their black labels): 7 colours."""
    from analysis.figures.style import PALETTE

    return [c for c in PALETTE if c.upper() != "#000000"]


def colour_classes(keys: Sequence, *, palette: Sequence[str], order: Sequence | None = None
                   ) -> tuple[dict, dict]:
    """``(colour, label)`` per key: the first ``len(palette)`` keys of ``order`` (default: keys by
    number of nodes, ties by key) get distinct palette colours, every other key the grey of one
    "その他" class. Keys that are None or 0 (words without a community) always go to その他."""
    counts = Counter(keys)
    ranked = [k for k in (order if order is not None else sorted(counts, key=lambda k: (-counts[k], str(k))))
              if k not in (None, 0)]
    coloured = ranked[:len(palette)]
    colour = {k: (palette[coloured.index(k)] if k in coloured else OTHER_COLOUR) for k in counts}
    label = {k: (k if k in coloured else OTHER_LABEL) for k in counts}
    return colour, label


def plot_network(nodes: pd.DataFrame, edges: pd.DataFrame, *, ax=None, color_by: str = "community",
                 title: str | None = None, label_size: float = 9.0, max_colors: int | None = None,
                 adjust_labels: bool = True, label_iterations: int = 300):
    """Draw a network from :func:`build_network`: node area by frequency, edge width by weight,
    colour by community (or by ``group``: the newspaper/period that uses the word most).

    Colours: the ``max_colors`` largest communities (default: all 7 colours of
    :func:`node_palette`, the house palette without black) each
    get a distinct colour, in the order of their numbers (1 is the largest); all smaller ones are
    merged into one grey "その他" class with its own legend entry, so no two communities share a
    colour. With ``color_by="group"`` the groups keep the colours they have in every other figure
    (:func:`analysis.figures.style.colors_for`) as long as there are at most ``max_colors``;
    beyond that the groups with fewest words become "その他".

    Labels start on their nodes; with ``adjust_labels`` (default) adjustText then moves
    overlapping labels apart for a fixed number of iterations (``label_iterations``, no time
    limit), drawing a thin line back to the node when a label moved, so the figure is the same on
    every run.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from analysis.figures.style import colors_for

    check_choice("color_by", color_by, ("community", "group"))
    palette = node_palette()
    if max_colors is not None:
        if not 1 <= max_colors <= len(palette):
            raise InputError(f"max_colors={max_colors} out of range; use 1 to {len(palette)} (the palette size)")
        palette = palette[:max_colors]
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 6.5))
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    if nodes.empty:
        ax.text(0.5, 0.5, "（条件を満たす共起関係がありません）", ha="center", va="center", transform=ax.transAxes)
        return ax
    pos = {w: (x, y) for w, x, y in zip(nodes["word"], nodes["x"], nodes["y"])}
    weights = edges["jaccard"].to_numpy(dtype=float) if len(edges) else np.array([])
    wmax = weights.max() if weights.size else 1.0
    for row, w in zip(edges.itertuples(index=False), weights):
        (x1, y1), (x2, y2) = pos[row.word1], pos[row.word2]
        ax.plot([x1, x2], [y1, y2], color="#999999", linewidth=0.4 + 2.2 * w / wmax, alpha=0.6, zorder=1)
    freq = nodes["frequency"].to_numpy(dtype=float)
    crowd = min(1.0, 30.0 / len(nodes))  # smaller discs when there are many words
    sizes = (120 + 1000 * np.sqrt(freq / freq.max())) * crowd
    if color_by == "community":
        keys = nodes["community"].astype(int).tolist()
        colour, label = colour_classes(keys, palette=palette, order=sorted(set(keys)))
        label = {k: (f"コミュニティ {k}" if v != OTHER_LABEL else v) for k, v in label.items()}
    else:
        if nodes["group"].isna().all():
            raise InputError("nodes have no group column values; pass groups= to build_network")
        keys = nodes["group"].fillna(OTHER_LABEL).astype(str).tolist()
        if len(set(keys) - {OTHER_LABEL}) <= len(palette):
            colour = {k: c for k, c in colors_for(set(keys) - {OTHER_LABEL}).items()}
            colour[OTHER_LABEL] = OTHER_COLOUR
            label = {k: k for k in colour}
        else:
            colour, label = colour_classes([None if k == OTHER_LABEL else k for k in keys], palette=palette)
            colour = {(OTHER_LABEL if k is None else k): c for k, c in colour.items()}
            label = {(OTHER_LABEL if k is None else k): v for k, v in label.items()}
    ax.scatter(nodes["x"], nodes["y"], s=sizes, c=[colour[k] for k in keys], alpha=0.55,
               edgecolors="white", linewidths=0.8, zorder=2)
    # one legend entry per colour class, coloured classes first, その他 last
    entries: dict[str, str] = {}
    for k in sorted(set(keys), key=lambda k: (label[k] == OTHER_LABEL, k if isinstance(k, int) else str(k))):
        entries.setdefault(label[k], colour[k])
    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, color=c, alpha=0.7, label=name)
               for name, c in entries.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    xs, ys = nodes["x"].to_numpy(), nodes["y"].to_numpy()
    mx = 0.08 * (xs.max() - xs.min() or 1.0)
    my = 0.08 * (ys.max() - ys.min() or 1.0)
    ax.set_xlim(xs.min() - mx, xs.max() + mx)
    ax.set_ylim(ys.min() - my, ys.max() + my)
    texts = [ax.text(x, y, w, ha="center", va="center", fontsize=label_size, zorder=3)
             for w, x, y in zip(nodes["word"], nodes["x"], nodes["y"])]
    if adjust_labels and len(texts) > 1:
        from adjustText import adjust_text

        adjust_text(texts, ax=ax, avoid_self=False, iter_lim=label_iterations, time_lim=None,
                    ensure_inside_axes=True, min_arrow_len=8,
                    arrowprops={"arrowstyle": "-", "color": "#666666", "linewidth": 0.4})
    return ax
