"""Figures on small corpora (issue 13): no interval over a handful of documents, every series visible,
integer counts, events only where the data are and only for the targets they name, Japanese labels."""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.figures import plots, tables
from analysis.figures.style import use_style

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _style():
    import matplotlib

    matplotlib.use("Agg")
    use_style()
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _one_series(n, *, source="東西新聞", target="輸出規制", periods=("2023-01", "2023-02", "2023-03", "2023-04"),
                mean=(0.1, 0.2, 0.3, 0.4)):
    mean = np.asarray(mean, dtype=float)
    return pd.DataFrame({"source": source, "target": target, "period": list(periods), "n": list(n),
                         "mean": mean, "ci_low": mean - 0.2, "ci_high": mean + 0.2})


def _by_gid(ax, prefix):
    return [c for c in ax.collections if (c.get_gid() or "").startswith(prefix)]


def _x_extent(collection):
    xs = np.concatenate([p.vertices[:, 0] for p in collection.get_paths()])
    return xs.min(), xs.max()


def _data_line(ax, label):
    return next(l for l in ax.get_lines() if l.get_label() == label)


# -- 1. small n: hollow, no interval, bands only over runs of eligible points ------------------------

def test_band_spans_only_consecutive_points_with_enough_documents():
    ax = plots.plot_stance_over_time(_one_series([1, 6, 7, 2]), target="輸出規制")
    line = _data_line(ax, "東西新聞")
    x = mdates.date2num(line.get_xdata())
    bands = _by_gid(ax, "band:")
    assert len(bands) == 1
    assert _x_extent(bands[0]) == pytest.approx((x[1], x[2]))  # not over n=1 and n=2
    assert _by_gid(ax, "errorbar:") == []
    hollow = [l for l in ax.get_lines() if l.get_gid() == "hollow:東西新聞"]
    assert len(hollow) == 1 and hollow[0].get_markerfacecolor() == "white"
    assert np.allclose(hollow[0].get_ydata(), [0.1, 0.4])
    assert line.get_markevery() == [1, 2]  # filled markers only where the interval is drawn


def test_a_single_eligible_point_gets_an_error_bar_not_a_band():
    ax = plots.plot_stance_over_time(_one_series([6, 1, 7, 8]), target="輸出規制")
    x = mdates.date2num(_data_line(ax, "東西新聞").get_xdata())
    bars = _by_gid(ax, "errorbar:")
    assert len(bars) == 1 and _x_extent(bars[0]) == pytest.approx((x[0], x[0]))
    bands = _by_gid(ax, "band:")
    assert len(bands) == 1 and _x_extent(bands[0]) == pytest.approx((x[2], x[3]))


def test_min_n_interval_is_a_keyword_and_the_caption_says_it():
    ax = plots.plot_stance_over_time(_one_series([1, 6, 7, 2]), target="輸出規制", min_n_interval=1)
    assert len(_by_gid(ax, "band:")) == 1 and _x_extent(_by_gid(ax, "band:")[0])[0] < _x_extent(_by_gid(ax, "band:")[0])[1]
    assert not [l for l in ax.get_lines() if (l.get_gid() or "").startswith("hollow:")]
    assert "n≧1" in ax.get_xlabel()
    ax = plots.plot_stance_over_time(_one_series([1, 6, 7, 2]), target="輸出規制")
    assert ax.get_xlabel() == plots.interval_caption(config.MIN_N_INTERVAL)
    assert f"n≧{config.MIN_N_INTERVAL}の点のみ" in ax.get_xlabel() and "白抜き" in ax.get_xlabel()


def test_show_n_writes_each_points_n():
    frame = _one_series([1, 6, 7, 2])
    quiet = plots.plot_stance_over_time(frame, target="輸出規制")
    assert not [t for t in quiet.texts if (t.get_gid() or "").startswith("n:")]
    ax = plots.plot_stance_over_time(frame, target="輸出規制", show_n=True)
    assert sorted(t.get_text() for t in ax.texts if t.get_gid() == "n:東西新聞") == ["1", "2", "6", "7"]


def test_every_over_time_figure_is_honest_about_small_n():
    sot = pd.concat([_one_series([1, 6, 7, 2]), _one_series([1, 6, 7, 2], target="AI規制")], ignore_index=True)
    fig = plots.stance_over_time_figure(sot, show_n=True)
    assert "95%信頼区間" not in fig._suptitle.get_text()  # the title no longer promises bands everywhere
    assert plots.interval_caption(show_n=True) in [t.get_text() for t in fig.texts]   # says what the numbers are
    for ax in fig.axes:
        if ax.get_visible() and ax.get_title():
            assert len(_by_gid(ax, "band:")) == 1 and len([t for t in ax.texts if t.get_gid() == "n:東西新聞"]) == 4

    shares = _one_series([1, 6, 7, 2]).drop(columns="target").assign(topic=0, label="AI競争")
    shares[["mean", "ci_low", "ci_high"]] = shares[["mean", "ci_low", "ci_high"]].clip(0, 1)
    ax = plots.plot_topic_share_over_time(shares, topic=0)
    assert len(_by_gid(ax, "band:")) == 1 and "白抜き" in ax.get_xlabel()
    fig = plots.topic_share_figure(shares, min_n_interval=8)
    panel = next(a for a in fig.axes if a.get_visible() and a.get_title())
    assert _by_gid(panel, "band:") == [] and "n≧8" in " ".join(t.get_text() for t in fig.texts)

    net = _one_series([1, 6, 7, 2]).rename(columns={"mean": "net_raw", "ci_low": "net_raw_ci_low",
                                                     "ci_high": "net_raw_ci_high"})
    net = net.assign(net_corrected=net["net_raw"], net_corrected_ci_low=net["net_raw_ci_low"],
                     net_corrected_ci_high=net["net_raw_ci_high"], n_validation=40)
    ax = plots.plot_net_share(net, target="輸出規制", estimate="raw")
    assert len(_by_gid(ax, "band:")) == 1 and len([l for l in ax.get_lines() if l.get_gid() == "hollow:東西新聞"]) == 1
    fig = plots.corrected_stance_figure(net, min_n_interval=5)
    assert any("白抜き" in t.get_text() for t in fig.texts)
    drawn = [a for a in fig.axes if a.get_visible() and a.get_title()]
    assert len(drawn) == 2 and all(len(_by_gid(a, "band:")) == 1 for a in drawn)


def test_a_table_without_n_is_refused_with_the_contract():
    from analysis.errors import InputError

    with pytest.raises(InputError, match="'n'"):
        plots.plot_stance_over_time(_one_series([6, 6, 6, 6]).drop(columns="n"), target="輸出規制")


# -- 2. equal lines stay visible --------------------------------------------------------------------

def test_equal_series_are_dodged_and_carry_distinct_markers():
    frame = pd.concat([_one_series([6, 6, 6, 6], source="東西新聞"), _one_series([6, 6, 6, 6], source="南北日報")],
                      ignore_index=True)
    ax = plots.plot_stance_over_time(frame, target="輸出規制")
    a, b = _data_line(ax, "南北日報"), _data_line(ax, "東西新聞")
    assert np.allclose(a.get_ydata(), b.get_ydata())
    shift = mdates.date2num(b.get_xdata()) - mdates.date2num(a.get_xdata())
    assert np.all(shift > 1.0) and np.allclose(shift, shift[0])  # days apart, the same at every point
    assert shift[0] < 31 * plots.DODGE_SPAN + 1e-9  # within the period: a fraction of a month
    assert a.get_marker() != b.get_marker() and a.get_marker() not in (None, "None", "")
    # the same paper keeps its place in another figure with the same colours
    again = plots.plot_stance_over_time(frame[frame["source"] == "東西新聞"], target="輸出規制",
                                        colors={"南北日報": "red", "東西新聞": "blue"})
    assert np.allclose(mdates.date2num(_data_line(again, "東西新聞").get_xdata()), mdates.date2num(b.get_xdata()))

    shares = frame.drop(columns="target").assign(topic=0, label="AI競争")
    ax = plots.plot_topic_share_over_time(shares, topic=0)
    a, b = _data_line(ax, "南北日報"), _data_line(ax, "東西新聞")
    assert np.all(mdates.date2num(b.get_xdata()) - mdates.date2num(a.get_xdata()) > 1.0)
    assert a.get_marker() != b.get_marker()


def test_dodge_offsets_are_centred_and_ordered():
    offsets = plots.dodge_offsets(["甲", "乙", "丙"], pd.Timedelta(days=90), span=0.3)
    assert [o / pd.Timedelta(days=1) for o in offsets.values()] == pytest.approx([-13.5, 0.0, 13.5])
    assert plots.dodge_offsets(["甲"], pd.Timedelta(days=90)) == {"甲": pd.Timedelta(0)}


# -- 4. count axes --------------------------------------------------------------------------------

def test_count_axis_has_integer_ticks():
    from matplotlib.ticker import MaxNLocator

    counts = pd.DataFrame({"source": ["甲", "甲", "乙", "乙"], "period": ["2024-01", "2024-02"] * 2, "n": [1, 1, 0, 1]})
    ax = plots.plot_corpus_overview(counts)  # at most 2 documents: a default axis would tick 0.5, 1.5
    ax.figure.canvas.draw()
    assert isinstance(ax.yaxis.get_major_locator(), MaxNLocator)
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)
    assert ax.get_title().startswith("月ごとの記事数")


# -- 6. events: within the data's dates, on the panels of their targets --------------------------------

def _events():
    return pd.DataFrame({"date": pd.to_datetime(["2019-07-04", "2023-02-10", "2023-03-01", "2023-03-20"]),
                         "label": ["範囲外の出来事", "輸出の出来事", "AIの出来事", "共通の出来事"],
                         "description": "", "targets": [(), ("輸出規制",), ("AI規制",), ()]})


def _labels(ax):
    return sorted(t.get_text().strip() for t in ax.texts if not (t.get_gid() or "").startswith("n:"))


def test_events_outside_the_data_are_not_drawn_even_on_a_shared_axis():
    long = _one_series([6] * 6, periods=["2018-01", "2019-01", "2020-01", "2021-01", "2022-01", "2023-01"],
                       mean=[0] * 6, target="AI規制")
    short = _one_series([6, 6, 6, 6])
    fig = plots.stance_over_time_figure(pd.concat([long, short], ignore_index=True), events=_events())
    panels = {a.get_title(): a for a in fig.axes if a.get_visible() and a.get_title()}
    assert "範囲外の出来事" in _labels(panels["AI規制"])  # 2019 lies within the long panel's data
    assert "範囲外の出来事" not in _labels(panels["輸出規制"])  # the short panel's data start in 2023
    lo, hi = plots.data_span(short["period"])
    assert (lo, hi) == (pd.Timestamp("2023-01-01"), pd.Period("2023-04").end_time)


def test_events_are_drawn_only_on_the_panels_of_the_targets_they_name():
    sot = pd.concat([_one_series([6, 6, 6, 6]), _one_series([6, 6, 6, 6], target="AI規制")], ignore_index=True)
    fig = plots.stance_over_time_figure(sot, events=_events())
    panels = {a.get_title(): a for a in fig.axes if a.get_visible() and a.get_title()}
    assert _labels(panels["輸出規制"]) == ["共通の出来事", "輸出の出来事"]
    assert _labels(panels["AI規制"]) == ["AIの出来事", "共通の出来事"]
    nothing = plots.stance_over_time_figure(sot, events=None)
    assert all(_labels(a) == [] for a in nothing.axes)
    vlines = [l for l in panels["輸出規制"].get_lines() if l.get_linestyle() == "--"]
    assert len(vlines) == 2


def test_events_for_accepts_arrays_strings_and_frames_without_targets():
    events = _events().assign(targets=[np.array([]), np.array(["輸出規制"]), "AI規制", None])
    assert tables.events_for(events, "輸出規制")["label"].tolist() == ["範囲外の出来事", "輸出の出来事", "共通の出来事"]
    no_column = _events().drop(columns="targets")
    assert len(tables.events_for(no_column, "AI規制")) == 4
    assert tables.events_for(None, "AI規制") is None


def test_packaged_events_name_only_the_demo_targets():
    from analysis.io import read_yaml

    targets = set(read_yaml(config.resource("targets.yaml"), "targets", ""))
    events = tables.load_events()
    named = {t for ts in events["targets"] for t in ts}
    assert named <= targets and named == {"輸出規制", "AI規制", "半導体補助金"}
    assert all(len(ts) > 0 for ts in events["targets"])  # every demo event names the targets it bears on
    deepseek = events[events["label"] == "DeepSeek-R1公開"].iloc[0]
    assert set(deepseek["targets"]) == {"AI規制", "輸出規制"}
    chatgpt = events[events["label"] == "ChatGPT公開"].iloc[0]
    assert chatgpt["targets"] == ("AI規制",)


# -- 7. Japanese labels ---------------------------------------------------------------------------

def test_date_ticks_are_japanese():
    ax = plots.plot_stance_over_time(_one_series([6] * 4, periods=["2023-10", "2023-11", "2023-12", "2024-01"]),
                                     target="輸出規制")
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels and all(JAPANESE.search(l) for l in labels), labels
    assert not any(re.search(r"[A-Za-z]", l) for l in labels)
    assert plots._strip_leading_zero("03月") == "3月" and plots._strip_leading_zero("10月") == "10月"


@pytest.mark.parametrize("periods, first", [
    (["2019", "2020", "2021", "2022"], "2019年"),              # yearly points, mid-year: the axis starts at 2019
    (["2019-05", "2019-06", "2019-07", "2019-08"], "2019年"),  # months of one year: the first label says the year
    (["2019-01", "2020-01", "2021-01", "2022-01"], "2019年"),
])
def test_date_axis_says_which_year_it_starts_in(periods, first):
    ax = plots.plot_stance_over_time(_one_series([6] * 4, periods=periods), target="輸出規制")
    ax.figure.canvas.draw()
    shown = [(t.get_position()[0], t.get_text()) for t in ax.get_xticklabels() if t.get_text()]
    low, high = ax.get_xlim()
    labels = [text for x, text in shown if low <= x <= high]
    assert labels[0].startswith(first), labels
    line = _data_line(ax, "東西新聞")
    assert low <= mdates.date2num(line.get_xdata()).min()  # no point is cut off


def test_k_selection_figure_is_japanese_and_marks_the_fitted_k_apart_from_the_suggested():
    from analysis.topics.selection import plot_k_selection, suggest_k

    df = pd.DataFrame({"method": ["nmf"] * 4, "k": [4, 6, 8, 10], "npmi": [0.05, 0.1, 0.12, 0.2],
                       "npmi_sd": 0.0, "diversity": [0.9, 0.85, 0.8, 0.7], "stability": [0.6, 0.5, 0.55, 0.4],
                       "n_seeds": 3})
    assert suggest_k(df) == 10
    ax = plot_k_selection(df, fitted_k=8)
    assert ax.get_xlabel() == "トピック数 k"
    texts = [ax.get_xlabel(), ax.get_ylabel(), ax.get_title(), *(t.get_text() for t in ax.get_legend().get_texts())]
    assert all(JAPANESE.search(t) for t in texts), texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"NPMI一貫性（nmf）", "多様性（nmf）", "安定性（Jaccard）（nmf）"} <= set(legend)
    fitted = [c for c in ax.collections if c.get_gid() == "fitted_k"]
    suggested = [c for c in ax.collections if c.get_gid() == "suggested_k:nmf"]
    assert len(fitted) == 1 and len(suggested) == 1
    assert fitted[0].get_label() == "このランで使用: k=8" and suggested[0].get_label() == "NPMI最大（nmf）: k=10"
    assert _x_extent(fitted[0])[0] == 8 and _x_extent(suggested[0])[0] == 10
    assert any(t.get_text().strip() == "このランで使用: k=8" for t in ax.texts)
    assert [c.get_gid() for c in plot_k_selection(df).collections] == ["suggested_k:nmf"]  # no fitted_k: no mark


def test_over_time_figures_label_axes_in_japanese():
    sot = _one_series([6, 1, 7, 8])
    ax = plots.plot_stance_over_time(sot, target="輸出規制")
    counts = pd.DataFrame({"source": ["甲"], "period": ["2024-01"], "n": [2]})
    overview = plots.plot_corpus_overview(counts)
    words = pd.DataFrame({"topic": [0], "label": ["AI"], "rank": [1], "word": ["生成AI"], "weight": [1.0]})
    bars = plots.plot_top_words(words, topic=0)
    for a in (ax, overview):
        assert JAPANESE.search(a.get_ylabel()) and JAPANESE.search(a.get_title())
    assert bars.get_xlabel() == "重み"


def test_run_figures_passes_the_small_n_keywords_to_every_over_time_figure(tmp_path, monkeypatch):
    from analysis.figures.report import run_figures
    from analysis.io import write_parquet

    processed = tmp_path / "processed"
    write_parquet(_one_series([1, 6, 7, 2]), processed / "stance_over_time.parquet")
    shares = _one_series([1, 6, 7, 2]).drop(columns="target").assign(topic=0, label="AI競争")
    write_parquet(shares, processed / "topics" / "nmf" / "topic_shares.parquet")
    seen = []
    for name in ("stance_over_time_figure", "plot_stance_over_time", "topic_share_figure"):
        original = getattr(plots, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            seen.append((_name, kwargs.get("min_n_interval"), kwargs.get("show_n")))
            return _original(*args, **kwargs)

        monkeypatch.setattr(plots, name, spy)
    written = run_figures(processed, tmp_path / "figures", verbose=False, min_n_interval=3, show_n=True)
    assert {p.stem for p in written} == {"stance_over_time", "stance_over_time_輸出規制", "topic_share_over_time_nmf"}
    assert set(seen) == {("plot_stance_over_time", 3, True), ("stance_over_time_figure", 3, True),
                         ("topic_share_figure", 3, True)}
    seen.clear()     # without show_n, only the one-target stance figure (the one a paper takes) writes n
    run_figures(processed, tmp_path / "figures", verbose=False, min_n_interval=3)
    assert set(seen) == {("plot_stance_over_time", 3, True),    # the one-target figure
                         ("plot_stance_over_time", 3, False),   # the panels of the all-targets figure
                         ("stance_over_time_figure", 3, False), ("topic_share_figure", 3, False)}


def test_topic_small_multiples_label_events_once_on_the_top_row():
    shares = pd.concat([_one_series([6, 6, 6, 6]).drop(columns="target").assign(topic=t, label=f"t{t}")
                        for t in range(4)], ignore_index=True)
    shares[["mean", "ci_low", "ci_high"]] = shares[["mean", "ci_low", "ci_high"]].clip(0, 1)
    events = pd.DataFrame({"date": ["2023-02-10"], "label": ["出来事A"], "targets": [None]})
    fig = plots.topic_share_figure(shares, events=events, ncols=2)
    panels = [a for a in fig.axes if a.get_visible() and a.get_title()]
    assert len(panels) == 4
    labelled = [a.get_title() for a in panels if any("出来事A" in t.get_text() for t in a.texts)]
    assert labelled == ["0: t0", "1: t1"]  # the top row only
    dashed = [a for a in panels if any(line.get_linestyle() == "--" for line in a.get_lines())]
    assert len(dashed) == 4  # the event's line on every panel


def test_a_shared_date_axis_shows_every_panels_points():
    """Panels share the date axis: a target that starts later than the first one drawn must not
    fix the axis at its own range (a new user's study lost the 2018-2019 points of three targets)."""
    late = _one_series([1, 1, 1], target="AI規制", periods=("2023", "2024", "2025"), mean=(0.1, 0.2, 0.3))
    early = _one_series([1, 1, 1], target="輸出規制", periods=("2018", "2019", "2025"), mean=(0.1, 0.2, 0.3))
    fig = plots.stance_over_time_figure(pd.concat([late, early], ignore_index=True), targets=["AI規制", "輸出規制"])
    for ax in fig.axes:
        if ax.get_visible() and ax.axison:
            low, high = ax.get_xlim()
            # points sit at their period's midpoint: 2018-07-02 is the earliest, 2025-07-02 the latest
            assert low < mdates.date2num(pd.Timestamp("2018-07-02")) and high > mdates.date2num(pd.Timestamp("2025-07-02"))


def test_event_labels_are_drawn_under_every_point_and_its_n():
    # a white-boxed event label over a point hid the n beside it (demo, 輸出規制, 2022-09)
    fig = plots.stance_over_time_figure(_one_series([6, 6, 6, 6]), events=_events())
    ax = next(a for a in fig.axes if a.get_visible() and a.get_title())
    events = [t for t in ax.texts if t.get_gid() == "event"]
    assert events
    data = ([t for t in ax.texts if (t.get_gid() or "").startswith("n:")] + list(ax.collections)
            + [l for l in ax.get_lines() if not l.get_label().startswith("_")])   # (not the zero line)
    assert data
    assert max(t.get_zorder() for t in events) < min(d.get_zorder() for d in data)
