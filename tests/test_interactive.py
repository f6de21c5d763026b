"""Interactive views (issue 14.2): standalone offline HTML, their data inside, byte-identical reruns."""

from __future__ import annotations

import argparse
import doctest
import importlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.interactive import write_interactive
from analysis.interactive.kwic_view import SHOWN_ROWS, concordance, kwic_page
from analysis.interactive.page import external_references, figure_html, without_bundle
from analysis.interactive.stance_view import stance_figure, stance_points
from analysis.io import write_parquet

from _synthetic_run import make_processed

#: The evidence sentence planted in the synthetic folder: markup in it must stay text.
EVIDENCE = "輸出規制の強化は<妥当>だと考える。"
REPORTED = "政府は輸出規制の強化を発表した。"
TERMS = ("輸出規制", "補助金")
PLOTLY_VIEWS = ("stance_over_time", "topics_map", "topics_hierarchy", "topics_barchart", "topics_over_time",
                "documents_map")


def _plant_evidence(processed: Path) -> None:
    """Syntax-style evidence (voice, weight): each scored document gets a voting author sentence and a
    louder reported one, and the first one the planted sentence with the strongest weight."""
    stance = pd.read_parquet(processed / "stance.parquet")
    scored = stance[stance["n_mentions"] > 0].reset_index(drop=True)
    rows = []
    for i, row in enumerate(scored.itertuples(index=False)):
        sentence = EVIDENCE if i == 0 else f"{row.target}について筆者の判断{i}。"
        rows.append((row.doc_id, row.target, row.method, 0, sentence, row.score, "author", "alias", 100.0 if i == 0 else 1.0))
        rows.append((row.doc_id, row.target, row.method, 1, REPORTED, 1.0, "report", "alias", 5.0))
        rows.append((row.doc_id, row.target, row.method, 2, "票を投じない文。", 1.0, "author", "alias", 0.0))
    write_parquet(pd.DataFrame(rows, columns=["doc_id", "target", "method", "sentence_index", "sentence", "score",
                                              "voice", "how", "weight"]), processed / "stance_evidence.parquet")


def synthetic_pages(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(processed folder, pages of a first run, pages of a second run) of a synthetic study with a
    fitted BERTopic, built once per test session (test_browser.py uses the same pages)."""
    base = tmp_path_factory.getbasetemp() / "interactive-synthetic"
    processed, first, second = base / "processed", base / "pages", base / "again"
    if not (second / "index.html").is_file():
        from analysis.topics.stage import run_topics

        make_processed(processed, n_docs=60)
        _plant_evidence(processed)
        run_topics(method="bertopic", k=4, corpus=processed / "corpus.parquet", tokens=processed / "tokens.parquet",
                   out=processed / "topics", use_themes=False, period="Q")
        write_interactive(processed, first, terms=TERMS, max_documents=40, seed=3)
        write_interactive(processed, second, terms=TERMS, max_documents=40, seed=3)
    return processed, first, second


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return synthetic_pages(tmp_path_factory)


def _figure(page: str) -> tuple[list[dict], dict]:
    """The traces and the layout handed to Plotly.newPlot in ``page``."""
    rest = without_bundle(page)
    decoder = json.JSONDecoder()
    at = rest.index("[", rest.index("Plotly.newPlot("))
    data, end = decoder.raw_decode(rest[at:])
    layout, _ = decoder.raw_decode(rest[at + end:].lstrip(", \n"))
    return data, layout


def _figure_data(page: str) -> list[dict]:
    return _figure(page)[0]


def test_module_examples_run():
    for name in ("page", "stance_view", "kwic_view", "topic_views", "stage", "cli"):
        module = importlib.import_module(f"analysis.interactive.{name}")
        failures, _ = doctest.testmod(module)
        assert failures == 0, name
    failures, attempted = doctest.testmod(importlib.import_module("analysis.interactive"))
    assert failures == 0 and attempted > 0


# -- the pages of a synthetic run ------------------------------------------------------------------

@pytest.mark.slow  # fits a small BERTopic (importing bertopic alone takes ~8 s)
def test_every_view_is_written_offline_and_identical_on_rerun(pages):
    _, first, second = pages
    names = sorted(p.name for p in first.glob("*.html"))
    assert names == sorted([f"{v}.html" for v in PLOTLY_VIEWS] + ["kwic.html", "index.html"])
    for name in names:
        page = (first / name).read_text(encoding="utf-8")
        assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name} differs between two runs"
        assert external_references(page) == [], name
        rest = without_bundle(page)
        assert not re.search(r"<script[^>]+\bsrc=", rest, re.I), name  # nothing loaded from anywhere
        assert not re.search(r"<link[^>]+\bhref=", rest, re.I), name
        assert "cdn." not in rest.lower(), name
        assert (first / name).stat().st_size < 5_000_000, name
    for view in PLOTLY_VIEWS:  # plotly.js itself is inside
        page = (first / f"{view}.html").read_text(encoding="utf-8")
        assert len(page) - len(without_bundle(page)) > 3_000_000, view
        assert f'id="{view.replace("_", "-")}"' in page  # the fixed div id, not a random one
    index = (first / "index.html").read_text(encoding="utf-8")
    for view in PLOTLY_VIEWS + ("kwic",):
        assert f'href="{view}.html"' in index


@pytest.mark.slow
def test_stance_page_holds_newspapers_and_the_strongest_author_sentence(pages):
    _, first, _ = pages
    page = (first / "stance_over_time.html").read_text(encoding="utf-8")
    data = _figure_data(page)
    names = {t.get("name") for t in data}
    assert {"東洋日報", "北辰新聞", "Asia Herald"} <= names
    hovers = json.dumps(data, ensure_ascii=False)
    assert "輸出規制の強化は&lt;妥当&gt;だと考える。" in hovers  # the evidence, escaped for the hover
    assert "<妥当>" not in page  # never as markup
    assert REPORTED not in hovers and "票を投じない文" not in hovers  # reported and non-voting sentences are not evidence
    buttons = _figure(page)[1]["updatemenus"][0]["buttons"]
    assert [b["label"] for b in buttons] == ["AI規制", "半導体補助金", "輸出規制"]
    assert all(len(b["args"][0]["visible"]) == len(data) for b in buttons)


@pytest.mark.slow
def test_kwic_page_holds_hits_of_every_term_and_its_filters(pages):
    processed, first, _ = pages
    page = (first / "kwic.html").read_text(encoding="utf-8")
    payload = re.search(r'<script type="application/json" id="kwic-data">(.*?)</script>', page, re.S).group(1)
    data = json.loads(payload)
    assert data["terms"] == list(TERMS) and set(data["sources"]) == {"東洋日報", "北辰新聞", "Asia Herald"}
    corpus = pd.read_parquet(processed / "corpus.parquet")
    expected = sum(text.count(term) for text in corpus["text"] for term in TERMS)
    assert len(data["hits"]) == expected > 0
    assert data["periods"] and all(re.fullmatch(r"\d{4}Q[1-4]", p) for p in data["periods"])  # the stance table's period
    for name in ("f-term", "f-source", "f-period", "f-text", "f-sort"):
        assert f'id="{name}"' in page


@pytest.mark.slow
def test_bertopic_views_hold_the_models_topics_and_documents(pages):
    processed, first, _ = pages
    labels = pd.read_csv(processed / "topics" / "bertopic" / "topic_labels.csv")
    bars = json.dumps(_figure_data((first / "topics_barchart.html").read_text(encoding="utf-8")), ensure_ascii=False)
    assert sum(1 for t in _figure_data((first / "topics_barchart.html").read_text(encoding="utf-8"))
               if t.get("type") == "bar") == len(labels[labels["topic"] >= 0])
    assert any(word in bars for word in ("輸出規制", "補助金", "物価", "生成AI"))
    documents = (first / "documents_map.html").read_text(encoding="utf-8")
    assert "全 60 件から無作為に 40 件を標本" in documents  # the sample is said in the title
    traces = _figure_data(documents)
    assert all(t["type"] == "scatter" for t in traces)  # SVG, no WebGL needed
    points = sum(1 for t in traces for h in (t.get("hovertext") or []) if h)
    assert points == 40
    over_time = _figure_data((first / "topics_over_time.html").read_text(encoding="utf-8"))
    assert over_time and all(t["type"] == "scatter" for t in over_time)


# -- pieces ------------------------------------------------------------------------------------------

def test_strongest_evidence_is_the_authors_highest_weight_times_score():
    over_time = pd.DataFrame({"source": ["甲紙"], "target": ["輸出規制"], "period": ["2024Q1"], "n": [3],
                              "mean": [0.2], "ci_low": [0.0], "ci_high": [0.4]})
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["甲紙", "甲紙"], "title": ["一", "二"],
                           "published": pd.to_datetime(["2024-01-10", "2024-02-10"]).tz_localize("Asia/Tokyo")})
    evidence = pd.DataFrame({
        "doc_id": ["a", "a", "b", "b", "b"], "target": "輸出規制", "method": ["syntax"] * 4 + ["rules"],
        "sentence_index": [0, 1, 0, 1, 2],
        "sentence": ["弱い賛成。", "他者の強い反対。", "強い反対だ。", "投票しない文。", "別の方法。"],
        "score": [0.9, -1.0, -0.5, -1.0, 1.0], "voice": ["author", "other", "author", "author", "author"],
        "weight": [1.0, 9.0, 2.0, 0.0, 9.0]})
    points = stance_points(over_time, evidence, corpus, methods=["syntax"])
    row = points.iloc[0]
    assert (row.evidence, row.evidence_doc_id, row.evidence_title) == ("強い反対だ。", "b", "二")  # |2*-0.5| > |1*0.9|


def test_no_interval_below_min_n_and_hollow_markers():
    over_time = pd.DataFrame({"source": "甲紙", "target": "輸出規制", "period": ["2023Q1", "2023Q2", "2023Q3", "2023Q4",
                                                                           "2024Q1"],
                              "n": [6, 7, 2, 8, 1], "mean": [0.1, 0.2, 0.3, 0.4, 0.5]})
    over_time["ci_low"], over_time["ci_high"] = over_time["mean"] - 0.2, over_time["mean"] + 0.2
    fig = stance_figure(stance_points(over_time, None, None), min_n_interval=5)
    bands = [t for t in fig.data if t.fill == "toself"]
    line = next(t for t in fig.data if t.mode == "lines+markers")
    assert len(bands) == 1 and sorted(set(bands[0].x)) == sorted(set(line.x[:2]))  # only over the run Q1-Q2
    assert list(line.marker.symbol) == ["circle", "circle", "circle-open", "circle", "circle-open"]
    assert line.error_y.array[3] == pytest.approx(0.2) and line.error_y.array[2] is None  # lone Q4 whisker only
    assert "区間なし（n<5）" in line.customdata[2][2] and "95%区間" in line.customdata[0][2]


def test_kwic_page_keeps_markup_as_text_and_caps_rows():
    corpus = pd.DataFrame({"doc_id": ["d1"], "source": ["甲紙"], "title": ['"見出し"</title>'],
                           "text": ["規制</script><script>alert(1)</script>規制"],
                           "published": pd.to_datetime(["2024-01-05"]).tz_localize("Asia/Tokyo")})
    hits = concordance(corpus, ["規制"], window=40, freq="M")
    page = kwic_page(hits, terms=["規制"], title="<KWIC>")
    assert page.count("<script") == 2 and "alert(1)</script>" not in page and "<title>&lt;KWIC&gt;</title>" in page
    payload = re.search(r'id="kwic-data">(.*?)</script>', page, re.S).group(1)
    data = json.loads(payload)
    assert data["hits"][0][4] == "</script><script>alert(1)</script>規制"  # the text itself, intact
    assert f"var LIMIT = {SHOWN_ROWS};" in page and "innerHTML" not in page


def test_external_references_sees_tags_css_and_cdn_hosts_but_not_the_bundle():
    import plotly.graph_objects as go

    page = figure_html(go.Figure(go.Bar(x=["甲"], y=[1])), div_id="x", title="t")
    assert external_references(page) == []
    assert "cdn." in page.lower()  # the bundle mentions CDN hosts in strings it never loads
    for bad in ('<script src="//cdn.example.org/plotly.js"></script>', '<link rel="stylesheet" href="https://x.org/a.css">',
                "<style>@import url(https://fonts.example.org/a.css);</style>", '<img src="http://x.org/a.png">'):
        assert external_references(page.replace("</body>", bad + "</body>")), bad


def test_views_without_inputs_are_skipped_with_a_note(tmp_path, capsys):
    processed = tmp_path / "processed"
    make_processed(processed, n_docs=12)
    for name in ("stance_over_time.parquet", "stance_evidence.parquet", "stance.parquet"):
        (processed / name).unlink()
    written = write_interactive(processed, tmp_path / "out", terms=())
    assert [p.name for p in written] == ["index.html"]
    printed = capsys.readouterr().out
    assert "stance_over_time: skipped" in printed and "kwic: skipped, no terms" in printed
    assert "BERTopic views: skipped" in printed
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "作らなかった表示" in index and "BERTopic views: skipped" in index
    # a rerun with terms swaps the folder in whole and falls back to nothing demo-specific
    written = write_interactive(processed, tmp_path / "out", terms=["輸出規制"])
    assert sorted(p.name for p in written) == ["index.html", "kwic.html"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["index.html", "interactive.stamp.json", "kwic.html"]


def test_kwic_terms_default_to_the_stance_targets(tmp_path):
    processed = tmp_path / "processed"
    make_processed(processed, n_docs=12)
    write_interactive(processed, tmp_path / "out")
    page = (tmp_path / "out" / "kwic.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="kwic-data">(.*?)</script>', page, re.S).group(1))
    assert data["terms"] == ["AI規制", "半導体補助金", "輸出規制"] and "論調の対象" in page


def test_cli_writes_into_the_given_folder(tmp_path, capsys):
    from analysis.interactive import cli

    processed = tmp_path / "processed"
    make_processed(processed, n_docs=12)
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args(["--processed", str(processed), "--out", str(tmp_path / "views"),
                              "--term", "輸出規制", "補助金", "--term", "物価"])
    assert args.term == ["輸出規制", "補助金", "物価"]
    assert cli.run(args) == 0
    assert (tmp_path / "views" / "stance_over_time.html").is_file() and (tmp_path / "views" / "kwic.html").is_file()
    assert "wrote 3 interactive pages" in capsys.readouterr().out
    data = json.loads(re.search(r'id="kwic-data">(.*?)</script>',
                                (tmp_path / "views" / "kwic.html").read_text(encoding="utf-8"), re.S).group(1))
    assert data["terms"] == ["輸出規制", "補助金", "物価"]
    from analysis.errors import InputError

    with pytest.raises(InputError, match="processed folder"):
        cli.run(parser.parse_args(["--processed", str(tmp_path / "nowhere")]))
