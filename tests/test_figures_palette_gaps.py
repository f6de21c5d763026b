"""Figures with many newspapers and sparse years: a distinct look per newspaper, lines that break
over periods without data, and a topic map whose bubbles are not clipped at its edges."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from analysis.figures import plots, style  # noqa: E402
from analysis.figures.style import colors_for, use_style  # noqa: E402

#: livedoor news's nine categories, used as nine "newspapers" (two of them once looked alike).
LIVEDOOR = ["dokujo-tsushin", "it-life-hack", "kaden-channel", "livedoor-homme", "movie-enter",
            "peachy", "smax", "sports-watch", "topic-news"]


@pytest.fixture(autouse=True)
def _style():
    use_style()
    yield
    plt.close("all")


def _over_time(sources, periods, n=10, target="輸出規制"):
    rows = []
    for k, source in enumerate(sources):
        for j, period in enumerate(periods):
            mean = 0.1 * ((k + j) % 7) - 0.3
            rows.append({"source": source, "target": target, "period": period, "n": n, "mean": mean,
                         "ci_low": mean - 0.2, "ci_high": mean + 0.2})
    return pd.DataFrame(rows)


def _looks(lines) -> list[tuple]:
    return [(to_hex(line.get_color()), line.get_marker(), str(line.get_linestyle())) for line in lines]


# -- 1. one look per newspaper ---------------------------------------------------------------------

@pytest.mark.parametrize("n_sources", [9, 12, 20])
def test_every_newspaper_gets_its_own_colour_and_marker(n_sources):
    names = LIVEDOOR if n_sources == 9 else [f"新聞{i:02d}" for i in range(n_sources)]
    frame = _over_time(names, ["2022-01", "2022-02", "2022-03"])
    ax = plots.plot_stance_over_time(frame, target="輸出規制", colors=colors_for(names))
    drawn = {line.get_label(): line for line in ax.get_lines() if line.get_label() in set(names)}
    assert sorted(drawn) == sorted(names)
    looks = _looks(drawn.values())
    assert len({look[:2] for look in looks}) == n_sources, looks  # colour and marker alone tell them apart
    assert {look[0] for look in looks} <= {c.lower() for c in style.PALETTE}  # Okabe-Ito colours only
    handles = ax.get_legend().legend_handles
    assert len({(to_hex(h.get_color()), h.get_marker()) for h in handles}) == n_sources
    fig = plots.stance_over_time_figure(frame, colors=colors_for(names))
    legend = fig.legends[0]
    assert len({(to_hex(h.get_color()), h.get_marker()) for h in legend.legend_handles}) == n_sources


@pytest.mark.parametrize("n_sources", [9, 20])
def test_styles_for_gives_distinct_looks_by_sorted_name(n_sources):
    names = LIVEDOOR if n_sources == 9 else [f"新聞{i:02d}" for i in range(n_sources)]
    styles = style.styles_for(names)
    assert len({(s.color, s.marker) for s in styles.values()}) == n_sources
    assert [styles[n].color for n in sorted(names)] == [colors_for(names)[n] for n in sorted(names)]
    assert styles == style.styles_for(reversed(names))  # by sorted name, not by input order


def test_the_two_livedoor_sources_that_collided_differ_in_every_figure():
    colors = colors_for(LIVEDOOR)
    frame = _over_time(LIVEDOOR, ["2012", "2013", "2014"])
    fig = plots.stance_over_time_figure(frame, colors=colors)
    legend = fig.legends[0]
    by_name = {t.get_text(): h for t, h in zip(legend.get_texts(), legend.legend_handles)}
    a, b = by_name["dokujo-tsushin"], by_name["topic-news"]
    assert to_hex(a.get_color()) == to_hex(b.get_color())  # the palette has 8 colours ...
    assert (a.get_marker(), a.get_linestyle()) != (b.get_marker(), b.get_linestyle())  # ... the rest differs
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    assert lines["dokujo-tsushin"].get_marker() == a.get_marker()  # legend and panel agree
    assert lines["topic-news"].get_marker() == b.get_marker()
    assert lines["topic-news"].get_linestyle() == b.get_linestyle()

    counts = pd.DataFrame([{"source": s, "period": p, "n": 3} for s in LIVEDOOR for p in ["2012-01", "2012-02"]])
    ax = plots.plot_corpus_overview(counts, colors=colors)
    hatches = {c.get_label(): c.patches[0].get_hatch() for c in ax.containers}
    assert hatches["dokujo-tsushin"] != hatches["topic-news"]


def test_series_styles_are_deterministic_and_keep_the_first_eight():
    series_style = style.series_style
    assert [series_style(i).marker for i in range(8)] == plots.MARKERS  # small studies look as before
    assert all(series_style(i).linestyle == "-" for i in range(8))
    assert len({series_style(i) for i in range(256)}) == 256
    assert series_style(19) == series_style(19)


# -- 2. lines break over periods without data --------------------------------------------------------

def _line(ax, source):
    """The newspaper's line (the artist its legend entry is made from)."""
    return next(line for line in ax.get_lines() if line.get_label() == source)


def test_line_breaks_over_years_without_data_and_points_stay():
    frame = _over_time(["東洋日報"], ["2012", "2015", "2016"])
    ax = plots.plot_stance_over_time(frame, target="輸出規制")
    y = np.asarray(_line(ax, "東洋日報").get_ydata(), dtype=float)
    assert np.isnan(y).sum() == 1 and np.isfinite(y).sum() == 3  # one break, all three points drawn
    assert np.flatnonzero(np.isnan(y)).tolist() == [1]  # between 2012 and 2015
    x = matplotlib.dates.date2num(_line(ax, "東洋日報").get_xdata())
    finite = x[np.isfinite(y)]
    assert finite[0] < matplotlib.dates.date2num(pd.Timestamp("2013-01-01")) < finite[1]
    # the markers of the three points are still drawn (markevery names them in the broken data)
    assert sorted(_line(ax, "東洋日報").get_markevery()) == [0, 2, 3]


def test_no_band_across_a_gap_and_a_lone_point_gets_a_bar():
    frame = _over_time(["東洋日報"], ["2012", "2015", "2016"])
    ax = plots.plot_stance_over_time(frame, target="輸出規制")
    bands = [c for c in ax.collections if c.get_gid() == "band:東洋日報"]
    bars = [c for c in ax.collections if c.get_gid() == "errorbar:東洋日報"]
    assert len(bands) == 1 and len(bars) == 1
    band_x = bands[0].get_paths()[0].vertices[:, 0]
    gap = matplotlib.dates.date2num(pd.Timestamp("2014-01-01"))
    assert band_x.min() > gap  # the band covers 2015-2016 only, not 2013-2014


def test_monthly_gap_and_zero_counts_break_the_topic_share_line():
    periods = ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05"]
    rows = []
    for j, period in enumerate(periods):
        if period == "2023-02":
            continue  # no row: no documents that month
        n = 0 if period == "2023-04" else 8
        rows.append({"source": "北辰新聞", "period": period, "topic": 0, "label": "半導体", "n": n,
                     "mean": 0.2 + 0.05 * j, "ci_low": 0.1, "ci_high": 0.4})
    ax = plots.plot_topic_share_over_time(pd.DataFrame(rows), topic=0)
    y = np.asarray(_line(ax, "北辰新聞").get_ydata(), dtype=float)
    # 01 | 03 | 05: two breaks, three points with data; April's n = 0 row is no data
    assert np.isnan(y).sum() == 2 and np.isfinite(y).sum() == 3
    assert not [c for c in ax.collections if c.get_gid() == "band:北辰新聞"]  # no two consecutive months
    assert len([c for c in ax.collections if c.get_gid() == "errorbar:北辰新聞"]) == 3


def test_consecutive_periods_are_joined_as_before():
    frame = _over_time(["東洋日報", "北辰新聞"], ["2022Q3", "2022Q4", "2023Q1"])
    ax = plots.plot_stance_over_time(frame, target="輸出規制")
    for source in ("東洋日報", "北辰新聞"):
        y = np.asarray(_line(ax, source).get_ydata(), dtype=float)
        assert np.isfinite(y).all() and len(y) == 3
    assert plots.period_breaks(["2022Q4", "2023Q1", "2023Q3"]).tolist() == [False, False, True]


# -- 3. the topic map leaves room for its bubbles ------------------------------------------------------

class _TopicModel:
    """Just enough of a fitted BERTopic for its ``visualize_topics``."""

    def __init__(self, embeddings: np.ndarray, sizes: list[int]):
        self.topic_embeddings_ = embeddings
        self.c_tf_idf_ = None
        self.topic_sizes_ = dict(enumerate(sizes))
        self.custom_labels_ = None
        self._outliers = 0

    def get_topic_freq(self):
        return pd.DataFrame({"Topic": list(self.topic_sizes_), "Count": list(self.topic_sizes_.values())})

    def get_topics(self):
        return {t: [("語", 1.0)] for t in self.topic_sizes_}

    def get_topic(self, topic):
        return [(f"語{topic}", 1.0)]

    def visualize_topics(self, **kwargs):
        from bertopic.plotting import visualize_topics

        return visualize_topics(self, **kwargs)


#: Plot area of the 800 x 700 topic map in Chromium: plotly's margins (l = r = 80, t = 60) and 132 px
#: it pushes the bottom margin to for the topic slider.
PLOT_W, PLOT_H = 800 - 80 - 80, 700 - 60 - 132


def _radii(trace) -> np.ndarray:
    """Bubble radii in px as plotly.js draws them (area mode: sqrt(size / 2 / sizeref)) plus half the outline."""
    assert trace.marker.sizemode == "area"
    return np.sqrt(np.asarray(trace.marker.size, float) / 2 / trace.marker.sizeref) + trace.marker.line.width / 2


def _clearances(fig) -> tuple[np.ndarray, np.ndarray]:
    """Per bubble, the px between its edge and the nearest side of the plot area (x, y); < 0: clipped."""
    trace = next(t for t in fig.data if t.type == "scatter")
    x, y, r = np.asarray(trace.x, float), np.asarray(trace.y, float), _radii(trace)
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    px = (x - x0) / (x1 - x0) * PLOT_W
    py = (y - y0) / (y1 - y0) * PLOT_H
    return np.minimum(px, PLOT_W - px) - r, np.minimum(py, PLOT_H - py) - r


def _sparse_map_model() -> _TopicModel:
    """Topics whose principal coordinates put a big bubble just under 0 on both axes (BERTopic's
    15% of the extreme coordinate is then almost no room)."""
    rng = np.random.default_rng(0)
    base = np.eye(6)[:, :6]
    embeddings = np.vstack([base[0] * 3 + base[1], base[0] * 3 + base[2], base[0] * 3 + base[3],
                            base[0] * 3 + 0.2 * base[4], base[5]]) + 0.01 * rng.standard_normal((5, 6))
    return _TopicModel(embeddings, sizes=[50, 45, 40, 50, 30])


def test_topic_map_bubbles_fit_inside_the_axes():
    from analysis.interactive.topic_views import _topics_map, topic_map_by_principal_coordinates

    model = _sparse_map_model()
    with topic_map_by_principal_coordinates():
        raw = model.visualize_topics(width=800, height=700)
    assert min(c.min() for c in _clearances(raw)) < 0  # BERTopic's own ranges clip a bubble here

    fig = _topics_map(model, labelled=False)
    cx, cy = _clearances(fig)
    assert cx.min() >= 0 and cy.min() >= 0, (cx, cy)
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    vertical, horizontal = fig.layout.shapes[0], fig.layout.shapes[1]  # the cross follows the ranges
    assert (vertical.y0, vertical.y1) == (y0, y1) and (horizontal.x0, horizontal.x1) == (x0, x1)
    assert fig.to_json() == _topics_map(_sparse_map_model(), labelled=False).to_json()  # deterministic


def test_axis_range_holds_every_disc():
    from analysis.interactive.topic_views import axis_range

    centres, radii = np.array([-0.02, 0.0, 0.5, 1.0]), np.array([30.0, 5.0, 12.0, 29.0])
    lo, hi = axis_range(centres, radii, length=500, pad=0)
    at = (centres - lo) / (hi - lo) * 500
    assert (at - radii >= -1e-9).all() and (at + radii <= 500 + 1e-9).all()
    assert axis_range([0.3], [20.0], length=400) == (pytest.approx(-0.2), pytest.approx(0.8))


def test_interactive_stance_view_breaks_over_gaps_and_tells_many_papers_apart():
    """The plotly view draws what the matplotlib figures draw: no line or band across years without
    data, and a distinct (colour, symbol, dash) per newspaper beyond the eight colours."""
    pytest.importorskip("plotly")
    from analysis.interactive.stance_view import stance_figure, stance_points

    sources = [f"紙{i:02d}" for i in range(10)]
    rows = [(s, p, 8, 0.1 * k, 0.1 * k - 0.2, 0.1 * k + 0.2) for k, s in enumerate(sources)
            for p in ("2020", "2021", "2024")]
    over_time = pd.DataFrame(rows, columns=["source", "period", "n", "mean", "ci_low", "ci_high"]).assign(target="輸出規制")
    fig = stance_figure(stance_points(over_time, None, None), min_n_interval=5)
    lines = [t for t in fig.data if t.fill is None]
    bands = [t for t in fig.data if t.fill == "toself"]
    assert len(lines) == 10
    for t in lines:
        assert list(t.y)[2] is None and list(t.x)[2] is None and t.connectgaps is False   # 2021 | 2024
        assert [v for v in t.y if v is not None] and len([v for v in t.y if v is not None]) == 3
    assert len(bands) == 10          # one band per paper over 2020-2021; 2024 alone gets a whisker
    assert all("2024" not in "".join(map(str, b.x)) for b in bands)
    looks = {(t.line.color, t.marker.symbol[0], t.line.dash) for t in lines}
    assert len(looks) == 10


def test_effects_and_code_share_figures_give_each_series_its_own_marker():
    from analysis.closeread.coding import plot_code_shares

    groups = [f"紙{i:02d}" for i in range(10)]
    shares = pd.DataFrame([(g, "2024", "c", 0.5, 0.4, 0.6, 10, 5) for g in groups],
                          columns=["source", "period", "code", "mean", "ci_low", "ci_high", "n", "hits"])
    fig, ax = plt.subplots()
    plot_code_shares(shares, code="c", ax=ax)
    looks = {(to_hex(line.get_color()), line.get_marker()) for line in ax.get_lines() if line.get_marker() not in (None, "None", "")}
    plt.close(fig)
    assert len(looks) == 10
