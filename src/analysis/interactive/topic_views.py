"""BERTopic's own interactive views of the fitted model, made deterministic and offline.

    >>> from analysis.topics.models import load_topic_model              # doctest: +SKIP
    >>> model = load_topic_model("data/processed/topics/bertopic")       # doctest: +SKIP
    >>> views = bertopic_views(model, corpus, doc_ids=order, freq="Q")   # doctest: +SKIP
    >>> [(v.name, v.figure is not None) for v in views]                  # doctest: +SKIP
    [('topics_map', True), ('topics_hierarchy', True), ('topics_barchart', True), ...]

Every view goes through BERTopic's public API on ``model.bertopic_``: ``visualize_topics``,
``visualize_hierarchy``, ``visualize_barchart``, ``topics_over_time`` + ``visualize_topics_over_time``
and ``visualize_documents``. Topic names are the wrapper's labels (``model.labels_``: theme names
where seeded) set with ``set_topic_labels`` on the loaded copy, unless the model carries its own.

The views that need the documents the model was fitted on (topics over time, the document map)
take them from the topics stage's record (``bertopic_model/documents.parquet``: doc_id, document,
in BERTopic's order) where there is one, else from ``corpus.parquet``: the texts of ``doc_ids``
(the topics stage's document order), split into paragraphs (lines) when the model was fitted on
paragraphs. If that does not give exactly the model's units (one topic per unit in
``bertopic_.topics_``, and ``unit_owner_`` where the wrapper records it), those views are skipped
with a note rather than drawn from mismatched documents.

Determinism: ``visualize_documents`` picks points with NumPy's global random generator; it runs
here under a seeded, then restored, global state. Its 2-D map is computed here on at most
``max_documents`` units drawn with the seed, and the title says when it is a sample. Its WebGL
traces are redrawn as SVG scatter traces (the same data), so the map also renders where WebGL is
unavailable (remote desktops, headless browsers).

Both maps (documents, and the topic map of ``visualize_topics``) place their points by principal
coordinates (:func:`principal_coordinates`: the first two principal axes of the L2-normalised
embeddings, i.e. classical scaling of their cosine geometry, as LDAvis places topics), not by UMAP
as BERTopic would: exact and deterministic (no seed), and it spares every run the 15-20 s UMAP
spends compiling its numba code, a cost no cache removes on a fresh checkout or scratch root.

The topic map's axis ranges are set here (:func:`room_for_bubbles`), not BERTopic's (15% of the
extreme coordinates, which is no room at all for a topic near 0): every bubble, the largest too,
lies wholly inside the plotted area, so none is clipped at an edge.
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from analysis import config

OUTLIER = -1

PERIOD_WORDS = {"M": "月", "Q": "四半期", "Y": "年"}

#: The word bars show at most this many topics (the largest); the title says when there are more.
MAX_BAR_TOPICS = 40

#: Bottom margin (px) plotly makes room for under the topic map's topic slider (measured 132 px in
#: Chromium for 800 x 700); the plot area is assumed no taller, so the bubbles' room is never short.
SLIDER_MARGIN = 140
#: Room (px) left between the outermost bubbles and the edges of the plotted area.
BUBBLE_PAD = 6


@dataclass
class View:
    """One view: a figure to write as ``<name>.html``, or ``figure=None`` and a note saying why not."""

    name: str
    title: str
    figure: object | None = None
    note: str = ""


@dataclass
class FittedUnits:
    """The texts the model was fitted on (one per unit), the documents they belong to (``doc_ids``)
    and each unit's position in ``doc_ids`` (``owner``)."""

    texts: list[str]
    owner: np.ndarray
    doc_ids: list[str]


@contextlib.contextmanager
def seeded_global_numpy(seed: int):
    """Seed NumPy's global generator for the block, then put the previous state back."""
    state = np.random.get_state()
    np.random.seed(seed % (2**32))
    try:
        yield
    finally:
        np.random.set_state(state)


def principal_coordinates(vectors, n_components: int = 2, metric: str = "cosine") -> np.ndarray:
    """Rows of ``vectors`` placed in ``n_components`` dimensions by their first principal axes.

    ``metric`` "cosine" (or "euclidean") first scales each row to unit length (cosine geometry);
    "hellinger" (BERTopic's for c-TF-IDF) takes the square roots of each row's shares, whose
    Euclidean distances are the Hellinger distances. Centred, then the SVD; each axis's sign is
    fixed (its largest coordinate positive) and the result rounded to 9 decimals, so the same
    input gives the same bytes. Missing axes (fewer rows or columns than ``n_components``) are 0.
    """
    x = np.asarray(vectors.toarray() if hasattr(vectors, "toarray") else vectors, dtype=np.float64)
    x = np.nan_to_num(x.reshape(len(x), -1))
    if metric == "hellinger":
        x = np.clip(x, 0.0, None)
        totals = x.sum(axis=1, keepdims=True)
        x = np.sqrt(x / np.where(totals > 0, totals, 1.0))
    elif metric != "euclidean":
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        x = x / np.where(norms > 0, norms, 1.0)
    x = x - x.mean(axis=0)
    out = np.zeros((len(x), n_components))
    if len(x) and x.shape[1]:
        u, singular, _ = np.linalg.svd(x, full_matrices=False)
        coords = u * singular
        m = min(n_components, coords.shape[1])
        coords = coords[:, :m]
        signs = np.sign(coords[np.argmax(np.abs(coords), axis=0), np.arange(m)])
        out[:, :m] = coords * np.where(signs == 0, 1.0, signs)
    return np.round(out, 9) + 0.0  # + 0.0: no negative zeros


class _PrincipalCoordinates:
    """Stands in for UMAP inside BERTopic's ``visualize_topics`` (:func:`principal_coordinates`)."""

    def __init__(self, n_components: int = 2, metric: str = "cosine", **_ignored):
        self.n_components, self.metric = n_components, metric

    def fit_transform(self, vectors, *_args, **_kwargs) -> np.ndarray:
        return principal_coordinates(vectors, self.n_components, self.metric)


@contextlib.contextmanager
def topic_map_by_principal_coordinates():
    """For the block, BERTopic's topic map places topics by principal coordinates instead of UMAP."""
    from bertopic.plotting import _topics

    saved = _topics.UMAP
    _topics.UMAP = _PrincipalCoordinates
    try:
        yield
    finally:
        _topics.UMAP = saved


def _topics_map(bertopic, labelled: bool):
    with topic_map_by_principal_coordinates():
        fig = bertopic.visualize_topics(custom_labels=labelled, title="<b>トピック間距離マップ</b>",
                                        width=800, height=700)
    return room_for_bubbles(fig)


def bubble_radii(trace) -> np.ndarray:
    """Radius in px of each marker of a plotly scatter ``trace`` as plotly.js draws it, its outline included.

    A bubble trace (an array ``marker.size``) is scaled as plotly.js does: radius ``sqrt(size / 2 /
    sizeref)`` for ``sizemode="area"``, ``size / 2 / sizeref`` for "diameter", at least ``sizemin``.
    """
    marker = trace.marker
    n = len(trace.x) if trace.x is not None else 0
    outline = float(marker.line.width or 0.0) / 2 if marker.line is not None else 0.0
    size = marker.size
    if size is None or np.ndim(size) == 0:
        return np.full(n, (float(size) if size is not None else 6.0) / 2 + outline)
    size = np.nan_to_num(np.asarray(size, dtype=float), nan=0.0).clip(min=0.0)
    ref = float(marker.sizeref or 1.0)
    radius = np.sqrt(size / 2 / ref) if marker.sizemode == "area" else size / 2 / ref
    return np.maximum(radius, float(marker.sizemin or 0.0)) + outline


def axis_range(centres, radii, length: float, pad: float = BUBBLE_PAD) -> tuple[float, float]:
    """The narrowest axis range over ``length`` px in which every disc (centre in data units, radius
    in px) lies inside, ``pad`` px clear of both ends, the slack shared equally between the ends.

    >>> lo, hi = axis_range([0.0, 1.0], [10.0, 10.0], length=120, pad=0)
    >>> round(lo, 6), round(hi, 6)
    (-0.1, 1.1)
    """
    x = np.asarray(centres, dtype=float)
    r = np.asarray(radii, dtype=float) + pad
    if not len(x):
        return -1.0, 1.0
    # The span S must hold x_j - x_i + (r_i + r_j) * S / length for every pair: S >= (x_j - x_i) / (1 - (r_i + r_j) / length).
    room = np.clip(1.0 - (r[:, None] + r[None, :]) / float(length), 0.2, None)
    span = float(np.max((x[None, :] - x[:, None]) / room))
    if not span > 0:  # all centres equal (one topic): any span holds the disc; centre it
        return float(x[0] - 0.5), float(x[0] + 0.5)
    low, high = float(np.min(x - r * span / length)), float(np.max(x + r * span / length))
    slack = span - (high - low)
    return low - slack / 2, low - slack / 2 + span


def room_for_bubbles(fig, *, slider_margin: int = SLIDER_MARGIN, pad: float = BUBBLE_PAD):
    """``fig`` (BERTopic's topic map) with axis ranges in which no bubble touches an edge.

    The plotted area is the figure's size less its margins (plotly's defaults where unset) and, with
    a slider, ``slider_margin`` px at the bottom; each bubble's radius (:func:`bubble_radii`) plus
    ``pad`` px fits inside it on every side. The cross of lines and its D1/D2 labels follow the new
    ranges. A figure without a fixed size or without markers is returned as it is.
    """
    layout = fig.layout
    traces = [t for t in fig.data if t.type == "scatter" and t.x is not None and len(t.x)]
    if not traces or layout.width is None or layout.height is None:
        return fig
    margin = layout.margin
    left, right = (margin.l if margin.l is not None else 80), (margin.r if margin.r is not None else 80)
    top, bottom = (margin.t if margin.t is not None else 100), (margin.b if margin.b is not None else 80)
    if layout.sliders:
        bottom = max(bottom, slider_margin)
    width, height = max(50, layout.width - left - right), max(50, layout.height - top - bottom)
    x = np.concatenate([np.asarray(t.x, dtype=float) for t in traces])
    y = np.concatenate([np.asarray(t.y, dtype=float) for t in traces])
    r = np.concatenate([bubble_radii(t) for t in traces])
    x_range, y_range = axis_range(x, r, width, pad), axis_range(y, r, height, pad)
    fig.update_xaxes(range=list(x_range))
    fig.update_yaxes(range=list(y_range))
    cx, cy = sum(x_range) / 2, sum(y_range) / 2
    for shape in layout.shapes or ():
        if shape.type != "line":
            continue
        if shape.x0 == shape.x1:  # the vertical line of the cross
            shape.update(x0=cx, x1=cx, y0=y_range[0], y1=y_range[1])
        elif shape.y0 == shape.y1:
            shape.update(x0=x_range[0], x1=x_range[1], y0=cy, y1=cy)
    for note in layout.annotations or ():
        if note.text == "D1":
            note.update(x=x_range[0], y=cy)
        elif note.text == "D2":
            note.update(x=cx, y=y_range[1])
    return fig


def _paragraphs(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines or [text]


def fitted_units(model, corpus: pd.DataFrame, doc_ids: Sequence[str],
                 documents: pd.DataFrame | None = None) -> FittedUnits | str:
    """The documents the model was fitted on, or a note why they cannot be had (module docstring).

    ``documents``: the topics stage's record of them (``bertopic_model/documents.parquet``: doc_id,
    document, one row per unit in BERTopic's order), used when it has one row per unit; else they
    are rebuilt from ``corpus`` in the order ``doc_ids``.
    """
    n_units = len(model.bertopic_.topics_)
    recorded = getattr(model, "unit_owner_", None)
    if documents is not None and {"doc_id", "document"} <= set(documents.columns) and len(documents) == n_units:
        ids = documents["doc_id"].astype(str).tolist()
        order = list(dict.fromkeys(ids))
        position = {d: i for i, d in enumerate(order)}
        owner = np.asarray([position[d] for d in ids], dtype=int)
        if not set(order) <= set(corpus["doc_id"].astype(str)):
            return "documents.parquet names documents that are not in corpus.parquet"
        return FittedUnits([str(t) for t in documents["document"]], owner, order)
    by_id = corpus.drop_duplicates("doc_id").set_index("doc_id")["text"]
    missing = [d for d in doc_ids if d not in by_id.index]
    if missing:
        return f"{len(missing)} of the model's documents are not in corpus.parquet (e.g. {missing[0]})"
    texts = [str(t) if isinstance(t, str) else "" for t in by_id.loc[list(doc_ids)]]
    if getattr(model, "paragraphs", False):
        units = [_paragraphs(t) for t in texts]
    else:
        units = [[t] for t in texts]
    owner = np.repeat(np.arange(len(units)), [len(u) for u in units])
    flat = [u for unit in units for u in unit]
    if len(flat) != n_units:
        return (f"the model was fitted on {n_units} units but corpus.parquet gives {len(flat)} for its "
                f"{len(doc_ids)} documents")
    if recorded is not None and not np.array_equal(np.asarray(recorded, dtype=int), owner):
        return "the model's paragraphs do not match the lines of the corpus texts"
    return FittedUnits(flat, owner, list(doc_ids))


def label_topics(model) -> bool:
    """Give the loaded BERTopic the wrapper's topic labels unless it has its own; True if labels are set."""
    bertopic = model.bertopic_
    if getattr(bertopic, "custom_labels_", None) is not None:
        return True
    topics, labels = getattr(model, "topics_", None), getattr(model, "labels_", None)
    if not topics or not labels or len(topics) != len(labels):
        return False
    known = set(bertopic.get_topics())
    bertopic.set_topic_labels({int(t): f"{t}: {label}" for t, label in zip(topics, labels) if int(t) in known})
    return True


def period_starts(published: pd.Series, freq: str) -> list:
    """The start of each document's period (naive Timestamps; NaT for undated documents)."""
    from analysis.stats import period_label

    labels = period_label(published, freq)
    return [pd.Period(str(p)).start_time if not pd.isna(p) else pd.NaT for p in labels]


def _svg_traces(fig):
    """``fig`` with its WebGL scatter traces redrawn as SVG scatter traces (same data)."""
    import plotly.graph_objects as go

    traces = []
    for trace in fig.data:
        if trace.type == "scattergl":
            spec = trace.to_plotly_json()
            spec.pop("type", None)
            trace = go.Scatter(**spec)
        traces.append(trace)
    return go.Figure(data=traces, layout=fig.layout)


def document_label(row) -> str:
    """A document's hover text in the map: date, newspaper, title and the start of its text."""
    from analysis.interactive.page import hover_text

    date = row.published.strftime("%Y-%m-%d") if pd.notna(row.published) else ""
    head = " ".join(str(v) for v in (date, row.source, getattr(row, "title", "") or "") if v)
    return f"<b>{hover_text(head, width=50, limit=50)}</b><br>{hover_text(row.unit_text, width=40, limit=80)}"


def _draw(name: str, title: str, draw) -> View:
    try:
        return View(name, title, figure=draw())
    except Exception as exc:  # noqa: BLE001 - a third-party view that cannot be drawn is skipped, said why
        return View(name, title, note=f"BERTopic could not draw it ({type(exc).__name__}: {exc})")


def bertopic_views(model, corpus: pd.DataFrame, *, doc_ids: Sequence[str], freq: str,
                   max_documents: int = 2000, seed: int = config.SEED,
                   documents: pd.DataFrame | None = None) -> list[View]:
    """Every BERTopic view of ``model`` (a fitted :class:`analysis.topics.bertopic_model.BERTopicModel`);
    ``doc_ids`` and ``documents`` as for :func:`fitted_units`."""
    bertopic = model.bertopic_
    labelled = label_topics(model)
    topics = sorted(t for t in bertopic.get_topics() if t != OUTLIER)
    largest = [int(t) for t in bertopic.get_topic_freq()["Topic"] if t != OUTLIER][:MAX_BAR_TOPICS]
    bars = sorted(largest) if len(topics) > MAX_BAR_TOPICS else topics
    bar_title = "<b>トピックの語（c-TF-IDF）</b>" + (f"（大きい順に {len(bars)} / {len(topics)} トピック）"
                                                 if len(bars) < len(topics) else "")
    views = [
        _draw("topics_map", "トピック間距離マップ（BERTopic）", lambda: _topics_map(bertopic, labelled)),
        _draw("topics_hierarchy", "トピックの階層（BERTopic）",
              lambda: bertopic.visualize_hierarchy(custom_labels=labelled, title="<b>トピックの階層クラスタリング</b>",
                                                   width=1000, height=max(400, 60 * len(topics)))),
        _draw("topics_barchart", "トピックの語（BERTopic）",
              lambda: bertopic.visualize_barchart(topics=bars, n_words=8, custom_labels=labelled,
                                                  title=bar_title, width=300, height=300)),
    ]
    units = fitted_units(model, corpus, doc_ids, documents)
    if isinstance(units, str):
        why = f"skipped: the documents the model was fitted on are unavailable ({units})"
        views.append(View("topics_over_time", "トピックの推移（BERTopic）", note=why))
        views.append(View("documents_map", "文書マップ（BERTopic）", note=why))
        return views
    meta = corpus.drop_duplicates("doc_id").set_index("doc_id").loc[units.doc_ids].reset_index()
    unit_topics = [int(t) for t in bertopic.topics_]
    views.append(_topics_over_time(bertopic, units, meta, unit_topics, freq, labelled))
    views.append(_documents_map(bertopic, units, meta, unit_topics, max_documents, seed, labelled))
    return views


def _topics_over_time(bertopic, units: FittedUnits, meta: pd.DataFrame, unit_topics, freq: str,
                      labelled: bool) -> View:
    starts = period_starts(meta["published"], freq)
    dated = [i for i, doc in enumerate(units.owner) if not pd.isna(starts[doc])]
    title = "トピックの推移（BERTopic）"
    if len({starts[units.owner[i]] for i in dated}) < 2:
        return View("topics_over_time", title, note=f"skipped: the dated documents span fewer than two periods ({freq})")

    def draw():
        over_time = bertopic.topics_over_time([units.texts[i] for i in dated],
                                              [starts[units.owner[i]] for i in dated],
                                              topics=[unit_topics[i] for i in dated])
        fig = bertopic.visualize_topics_over_time(over_time, top_n_topics=None, custom_labels=labelled,
                                                  title=f"<b>トピックの推移</b>（{PERIOD_WORDS.get(freq, freq)}ごとの文書数）",
                                                  width=1250, height=520)
        fig.layout.width = None  # as wide as the window
        return fig

    return _draw("topics_over_time", title, draw)


def _documents_map(bertopic, units: FittedUnits, meta: pd.DataFrame, unit_topics, max_documents: int, seed: int,
                   labelled: bool) -> View:
    title = "文書マップ（BERTopic）"
    n = len(units.texts)
    rng = np.random.default_rng(seed)
    chosen = np.arange(n) if n <= max_documents else np.sort(rng.choice(n, size=max_documents, replace=False))
    if len(chosen) < 3:
        return View("documents_map", title, note=f"skipped: {len(chosen)} documents are too few for a map")
    heading = (f"<b>文書マップ</b>（全 {n} 件から無作為に {len(chosen)} 件を標本、seed {seed}）" if len(chosen) < n
               else f"<b>文書マップ</b>（全 {n} 件）")

    def draw():
        texts = [units.texts[i] for i in chosen]
        rows = meta.iloc[units.owner[chosen]].assign(unit_text=texts)
        embeddings = np.asarray(bertopic.embedding_model.embed(texts), dtype=np.float64)
        reduced = principal_coordinates(embeddings, 2, "cosine")
        # visualize_documents reads the topic of each point from ``topics_``: a shallow copy carries
        # the sample's topics, so only the sample is drawn and the model itself is untouched.
        sample_model = copy.copy(bertopic)
        sample_model.topics_ = [unit_topics[i] for i in chosen]
        with seeded_global_numpy(seed):
            fig = sample_model.visualize_documents([document_label(r) for r in rows.itertuples(index=False)],
                                                   reduced_embeddings=reduced, custom_labels=labelled,
                                                   title=heading, width=1200, height=780)
        fig = _svg_traces(fig)
        fig.layout.width = None  # as wide as the window
        return fig

    return _draw("documents_map", title, draw)
