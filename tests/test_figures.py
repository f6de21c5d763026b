"""Figures: plotting functions draw what the frames say, Japanese glyphs exist, saving is byte-stable."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.figures import plots, tables
from analysis.figures.manifest import corpus_content_hash, write_manifest
from analysis.figures.style import save_figure, use_style
from analysis.io import write_parquet

from _synthetic_run import make_processed


@pytest.fixture(autouse=True)
def _style():
    import matplotlib

    matplotlib.use("Agg")
    use_style()
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _stance_over_time():
    rows = []
    for source in ["東洋日報", "北辰新聞"]:
        for target in ["輸出規制", "AI規制"]:
            for i, period in enumerate(["2022-09", "2022-10", "2022-11", "2022-12"]):
                m = 0.1 * i if source == "東洋日報" else -0.1 * i
                rows.append((source, target, period, 3 + i, m, m - 0.2, m + 0.2))
    return pd.DataFrame(rows, columns=["source", "target", "period", "n", "mean", "ci_low", "ci_high"])


def test_packaged_events_are_dated_and_sorted():
    events = tables.load_events()
    assert list(events.columns) == tables.EVENT_COLUMNS
    assert events["date"].is_monotonic_increasing
    assert pd.Timestamp("2022-10-07") in set(events["date"])
    assert pd.Timestamp("2025-01-20") in set(events["date"])
    export = tables.events_for(events, "輸出規制")
    assert pd.Timestamp("2022-10-07") in set(export["date"])
    assert pd.Timestamp("2022-11-30") not in set(export["date"])  # ChatGPT is tagged AI規制 only


def test_bad_events_file_is_an_input_error(tmp_path):
    bad = tmp_path / "events.yaml"
    bad.write_text("events:\n  - label: 日付なし\n", encoding="utf-8")
    with pytest.raises(InputError, match="date"):
        tables.load_events(bad)
    with pytest.raises(InputError, match="not found"):
        tables.load_events(tmp_path / "missing.yaml")


def test_stance_over_time_draws_a_line_and_band_per_newspaper_and_event_markers():
    events = pd.DataFrame({"date": [pd.Timestamp("2022-10-07"), pd.Timestamp("2030-01-01")],
                           "label": ["米 輸出規制", "範囲外"], "description": "", "targets": [(), ()]})
    ax = plots.plot_stance_over_time(_stance_over_time(), target="輸出規制", events=events)
    assert ax.get_title() == "輸出規制"
    assert ax.get_ylim() == pytest.approx((-1.05, 1.05))
    data_lines = [l for l in ax.get_lines() if l.get_label() in ("東洋日報", "北辰新聞")]
    assert sorted(l.get_label() for l in data_lines) == ["北辰新聞", "東洋日報"]
    assert len(ax.collections) == 2  # one CI band per newspaper
    texts = [t.get_text().strip() for t in ax.texts]
    assert "米 輸出規制" in texts and "範囲外" not in texts  # only events inside the x range
    toyo = next(l for l in data_lines if l.get_label() == "東洋日報")
    assert np.allclose(toyo.get_ydata(), [0.0, 0.1, 0.2, 0.3])


def test_stance_over_time_needs_a_target_when_several():
    with pytest.raises(ValueError, match="target"):
        plots.plot_stance_over_time(_stance_over_time())
    fig = plots.stance_over_time_figure(_stance_over_time())
    assert [a.get_title() for a in fig.axes if a.get_visible()] == ["AI規制", "輸出規制"]


def test_documents_per_period_fills_missing_months_with_zero():
    corpus = pd.DataFrame({"doc_id": list("abcd"), "source": ["甲", "甲", "乙", "乙"],
                           "published": pd.to_datetime(["2024-01-03 00:00", "2024-03-30 00:00", "2024-01-31 23:30", None])
                           .tz_localize("Asia/Tokyo")})
    counts = tables.documents_per_period(corpus, "M")
    assert counts.to_dict("records") == [
        {"source": "乙", "period": "2024-01", "n": 1}, {"source": "乙", "period": "2024-02", "n": 0},
        {"source": "乙", "period": "2024-03", "n": 0}, {"source": "甲", "period": "2024-01", "n": 1},
        {"source": "甲", "period": "2024-02", "n": 0}, {"source": "甲", "period": "2024-03", "n": 1}]
    ax = plots.plot_corpus_overview(counts)
    heights = sorted(p.get_height() for p in ax.patches)
    assert sum(heights) == 3 and len(ax.patches) == 6


def test_topic_stance_table_uses_dominant_topic_and_mentions_only():
    doc_topics = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "c", "c"], "topic": [0, 1, 0, 1, 0, 1],
                               "weight": [0.8, 0.2, 0.3, 0.7, 0.6, 0.4]})
    stance = pd.DataFrame({"doc_id": ["a", "b", "c", "c"], "target": ["輸出規制"] * 3 + ["AI規制"],
                           "method": ["rules"] * 4, "score": [0.5, -1.0, 0.1, 0.9],
                           "label": ["FAVOR", "AGAINST", "NONE", "FAVOR"], "n_mentions": [1, 2, 1, 0]})
    table = tables.topic_stance_table(doc_topics, stance, topic_labels=pd.DataFrame({"topic": [0], "label": ["輸出"]}))
    assert table.to_dict("records") == [
        {"topic": 0, "label": "輸出", "target": "輸出規制", "n": 2, "mean": pytest.approx(0.3)},
        {"topic": 1, "label": "トピック1", "target": "輸出規制", "n": 1, "mean": -1.0}]
    ax = plots.plot_topic_stance_heatmap(table)
    annotations = sorted(t.get_text() for t in ax.texts)
    assert annotations == ["+0.30\nn=2", "-1.00\nn=1"]
    with pytest.raises(InputError, match="method"):
        tables.topic_stance_table(doc_topics, stance, method="lss")


def test_top_words_panels_keep_rank_order():
    words = pd.DataFrame({"topic": [3, 3, 3], "label": ["輸出規制"] * 3, "rank": [2, 1, 3],
                          "word": ["半導体", "輸出規制", "中国"], "weight": [0.5, 0.9, 0.1]})
    ax = plots.plot_top_words(words, topic=3, n=2)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["輸出規制", "半導体"]
    assert ax.get_title() == "3: 輸出規制"


def test_topic_share_over_time_is_a_percentage_axis():
    shares = pd.DataFrame({"source": ["甲", "甲"], "period": ["2024Q1", "2024Q2"], "topic": [0, 0],
                           "label": ["AI競争"] * 2, "n": [4, 5], "mean": [0.25, 0.4],
                           "ci_low": [0.0, 0.2], "ci_high": [0.5, 0.6]})
    ax = plots.plot_topic_share_over_time(shares, topic=0)
    assert ax.get_ylim()[0] == 0 and ax.get_ylim()[1] <= 1.0
    assert ax.get_title() == "0: AI競争"


def test_saving_the_same_figure_twice_gives_identical_bytes(tmp_path):
    fig = plots.stance_over_time_figure(_stance_over_time(), events=tables.load_events())
    first = save_figure(fig, tmp_path / "a" / "stance")
    second = save_figure(fig, tmp_path / "b" / "stance")
    assert [p.suffix for p in first] == [".png", ".svg", ".pdf"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.slow
def test_run_figures_writes_every_figure_without_missing_glyphs_and_reruns_identically(tmp_path):
    from analysis.figures.report import run_figures

    processed = tmp_path / "data" / "processed"
    make_processed(processed, n_docs=48)
    figures = tmp_path / "reports" / "figures"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = run_figures(processed, figures, verbose=False)
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]
    assert glyphs == []
    stems = sorted({p.stem for p in written})
    assert stems == sorted(["corpus_overview", "stance_over_time", "stance_over_time_AI規制",
                            "stance_over_time_半導体補助金", "stance_over_time_輸出規制",
                            "topic_share_over_time_nmf", "top_words_nmf", "topic_stance_heatmap_nmf"])
    assert all(p.stat().st_size > 1000 for p in written)
    m1 = write_manifest(tmp_path / "reports" / "manifest.json", processed_dir=processed, figures_dir=figures,
                        parameters={"k": 4}, seeds={"seed": 1})
    bytes1 = (tmp_path / "reports" / "manifest.json").read_bytes()
    before = {p: p.read_bytes() for p in written}
    run_figures(processed, figures, verbose=False)
    assert all(p.read_bytes() == data for p, data in before.items())
    write_manifest(tmp_path / "reports" / "manifest.json", processed_dir=processed, figures_dir=figures,
                   parameters={"k": 4}, seeds={"seed": 1})
    assert (tmp_path / "reports" / "manifest.json").read_bytes() == bytes1
    assert set(m1["figures"]) == {f"reports/figures/{p.name}" for p in written}
    assert "data/processed/stance.parquet" in m1["tables"]
    assert m1["corpus"]["n_documents"] == 48


def test_manifest_records_versions_hashes_and_no_timestamps(tmp_path):
    processed = tmp_path / "data" / "processed"
    corpus = pd.DataFrame({"doc_id": ["b", "a"], "text": ["二つ目", "一つ目"], "source": ["甲", "乙"]})
    write_parquet(corpus, processed / "corpus.parquet")
    figures = tmp_path / "reports" / "figures"
    figures.mkdir(parents=True)
    (figures / "x.png").write_bytes(b"png")
    manifest = write_manifest(tmp_path / "reports" / "manifest.json", processed_dir=processed,
                              figures_dir=figures, parameters={"k": 8}, seeds={"seed": 3})
    assert set(manifest["packages"]) >= {"analysis", "janome", "scikit-learn", "bertopic", "matplotlib", "pandas", "numpy"}
    assert manifest["git_commit"] == "unknown" or len(manifest["git_commit"].split("+")[0]) == 40
    assert manifest["figures"] == {"reports/figures/x.png": __import__("hashlib").sha256(b"png").hexdigest()}
    text = (tmp_path / "reports" / "manifest.json").read_text(encoding="utf-8")
    assert "date" not in json.loads(text) and "time" not in text.lower()
    # The corpus hash follows content, not file times or row order.
    same = corpus_content_hash(processed / "corpus.parquet")
    write_parquet(corpus.iloc[::-1], processed / "corpus.parquet")
    assert corpus_content_hash(processed / "corpus.parquet") == same
    write_parquet(corpus.assign(text=["二つ目", "一つ目!"]), processed / "corpus.parquet")
    assert corpus_content_hash(processed / "corpus.parquet") != same


def test_figures_cli_reports_a_missing_folder_as_input_error(tmp_path, capsys):
    from analysis.cli import main

    assert main(["figures", "--processed", str(tmp_path / "nope"), "--out", str(tmp_path / "f")]) == 2
    assert "nope" in capsys.readouterr().err
