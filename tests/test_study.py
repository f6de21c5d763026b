"""Study configs, `analysis init`, provenance stamps and runs that never mix (issue 13)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.cli import main
from analysis.errors import InputError
from analysis.io import read_stage_output, write_csv, write_parquet
from analysis.runstate import check_current, staged_dir, write_stamp
from analysis.study import demo_config, load_study
from analysis.study_init import init_study


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- the config file ----------------------------------------------------------------------------
def test_demo_study_is_the_only_one_with_demo_resources(tmp_path):
    demo = load_study(demo_config())
    assert demo.output is None and demo.events is not None and demo.kwic and demo.ground_truth is not None
    assert demo.themes == config.resource("themes.yaml")
    _write(tmp_path / "pages" / "a.txt", "x")
    mine = load_study(_write(tmp_path / "study.yaml", "inputs: [pages]\noutput: out\n"))
    assert (mine.events, mine.themes, mine.coding_rules, mine.ground_truth, mine.kwic) == (None, None, None, None, ())
    assert mine.targets == config.resource("targets.yaml")   # the bundled targets are the default
    assert mine.paths().processed == (tmp_path / "out" / "processed").resolve()
    assert mine.paths().reports == (tmp_path / "out" / "reports").resolve()
    assert mine.name == tmp_path.name


@pytest.mark.parametrize("text, message", [
    ("inputs: [pages]\ntopic:\n  k: 5\n", "unknown key(s) topic"),
    ("inputs: [nowhere]\n", "inputs 'nowhere' does not exist"),
    ("inputs: []\n", "inputs is empty"),
    ("inputs: [pages]\ntopics: {k: 1}\n", "topics.k must be at least 2"),
    ("inputs: [pages]\ntopics: {k: {nmf: 5, lsa: 4}}\n", "topics.k names unknown method"),
    ("inputs: [pages]\nperiod: week\n", "period must be one of"),
    ("inputs: [pages]\ncolumns: {body: 記事本文}\n", "columns has unknown role"),
    ("inputs: [pages]\nstance: {method: vibes}\n", "stance.method 'vibes'"),
    ("inputs: [pages]\nallow_undated: yes please\n", "allow_undated must be true or false"),
    ("inputs: [pages]\nevents: events.yaml\n", "events 'events.yaml' does not exist"),
    ("inputs: [pages\n", "not valid YAML"),
])
def test_a_bad_config_names_the_key(tmp_path, text, message):
    (tmp_path / "pages").mkdir()
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_study(_write(tmp_path / "study.yaml", text))


def test_k_per_method_and_relative_paths(tmp_path):
    (tmp_path / "corpus").mkdir()
    _write(tmp_path / "rules" / "events.yaml", "events: []\n")
    study = load_study(_write(tmp_path / "s" / "study.yaml",
                              "inputs: [../corpus]\ntopics: {k: {lda: 12}, methods: [lda, nmf]}\n"
                              "events: ../rules/events.yaml\nstance: {targets: null}\n"))
    assert study.inputs == ((tmp_path / "corpus").resolve(),)
    assert study.k_for("lda") == 12 and study.k_for("nmf") == 8
    assert study.events == (tmp_path / "rules" / "events.yaml").resolve()
    assert study.targets is None and study.topic_methods == ("lda", "nmf")


# -- analysis init ------------------------------------------------------------------------------
def test_init_writes_a_config_that_loads_and_guesses_japanese_columns(tmp_path, capsys):
    table = _write(tmp_path / "export.csv", "記事の本文,掲載日,媒体名,見出し\n輸出規制を強化すべきだ。,2024-03-01,東西新聞,社説\n")
    assert main(["init", str(tmp_path / "study"), "--corpus", str(table)]) == 0
    text = (tmp_path / "study" / "study.yaml").read_text(encoding="utf-8")
    assert "# columns of export.csv: 記事の本文, 掲載日, 媒体名, 見出し" in text
    assert "text: 記事の本文    # guessed" in text and "published: 掲載日\n" in text and "source: 媒体名" in text
    study = load_study(tmp_path / "study" / "study.yaml")
    assert study.columns == {"text": "記事の本文", "published": "掲載日", "source": "媒体名", "title": "見出し"}
    assert study.inputs == (table.resolve(),) and (tmp_path / "study" / "targets.yaml").is_file()
    assert study.events is None and study.kwic == ()
    with pytest.raises(InputError, match="exists"):
        init_study(tmp_path / "study", corpus=[table])
    assert "next:" in capsys.readouterr().out


def test_init_reads_the_header_of_an_xlsx_export(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append([])  # an empty first row, as exports with a title row leave
    book.active.append(["見出し", "掲載日", "記事本文", "媒体名"])
    book.active.append(["題", "2024-03-01", "輸出規制を強化すべきだ。", "東西新聞"])
    book.save(tmp_path / "export.xlsx")
    init_study(tmp_path / "study", corpus=[tmp_path / "export.xlsx"])
    study = load_study(tmp_path / "study" / "study.yaml")
    assert study.columns == {"text": "記事本文", "published": "掲載日", "source": "媒体名", "title": "見出し"}


def test_init_reads_the_header_of_a_large_utf8_export(tmp_path):
    """A UTF-8 export longer than the 64 KiB init reads: the cut used to fall inside a character,
    and init called the valid file undecodable."""
    rows = "".join(f"半導体の輸出規制をめぐる社説その{i}。,2024-03-01,東西新聞\n" for i in range(3000))
    table = tmp_path / "big.csv"
    for pad in range(3):        # a header whose length puts the 64 KiB boundary inside a character
        data = ("本文,掲載日,媒体名" + "x" * pad + "\n" + rows).encode("utf-8")
        try:
            data[: 1 << 16].decode("utf-8")
        except UnicodeDecodeError:
            break
    else:
        pytest.fail("no padding cut a character")
    table.write_bytes(data)
    path = init_study(tmp_path / "study", corpus=[table])
    text = path.read_text(encoding="utf-8")
    assert "could not be read" not in text and f"# columns of big.csv: 本文, 掲載日, 媒体名{'x' * pad}" in text


def test_init_names_the_config_as_a_user_types_it(tmp_path, monkeypatch, capsys):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    assert main(["init", "inside"]) == 0
    inside = capsys.readouterr().out.splitlines()
    assert main(["init", str(tmp_path / "elsewhere")]) == 0
    elsewhere = capsys.readouterr().out.splitlines()
    assert inside[-1].endswith("`analysis run --config inside/study.yaml`")
    assert elsewhere[-1].endswith(f"`analysis run --config {(tmp_path / 'elsewhere' / 'study.yaml').resolve().as_posix()}`")


def test_init_without_corpus_makes_a_folder_for_it(tmp_path):
    path = init_study(tmp_path / "s")
    assert (tmp_path / "s" / "editorials").is_dir()
    assert load_study(path).inputs == ((tmp_path / "s" / "editorials").resolve(),)


# -- provenance stamps ----------------------------------------------------------------------------
def test_a_stage_refuses_outputs_made_from_another_corpus(tmp_path):
    corpus, tokens = tmp_path / "corpus.parquet", tmp_path / "tokens.parquet"
    write_parquet(pd.DataFrame({"doc_id": ["a"], "text": ["一"]}), corpus)
    write_parquet(pd.DataFrame({"doc_id": ["a"], "tokens": [["一"]]}), tokens)
    write_stamp(tmp_path, "tokenize", inputs=[corpus], outputs=[tokens])
    assert read_stage_output(tokens, "tokenize")["doc_id"].tolist() == ["a"]
    write_parquet(pd.DataFrame({"doc_id": ["b"], "text": ["二"]}), corpus)   # a new ingest
    with pytest.raises(InputError, match="from another corpus.parquet.*rerun `analysis tokenize`"):
        read_stage_output(tokens, "tokenize")


def test_an_output_changed_after_its_stage_is_refused(tmp_path):
    table = tmp_path / "stance.parquet"
    write_parquet(pd.DataFrame({"x": [1]}), table)
    write_stamp(tmp_path, "stance", outputs=[table])
    check_current(table)
    write_parquet(pd.DataFrame({"x": [2]}), table)
    with pytest.raises(InputError, match="changed after"):
        check_current(table)
    unstamped = tmp_path / "mine.csv"
    write_csv(pd.DataFrame({"x": [1]}), unstamped)
    assert check_current(unstamped) is None   # tables a user wrote are read as they are


def test_staged_dir_swaps_whole_or_not_at_all(tmp_path):
    final = tmp_path / "figures"
    with staged_dir(final) as folder:
        (folder / "stance_over_time_AI規制.png").write_bytes(b"old")
        (folder / "corpus_overview.png").write_bytes(b"1")
    with pytest.raises(RuntimeError):
        with staged_dir(final) as folder:
            (folder / "corpus_overview.png").write_bytes(b"2")
            raise RuntimeError("a figure failed")
    assert sorted(p.name for p in final.iterdir()) == ["corpus_overview.png", "stance_over_time_AI規制.png"]
    with staged_dir(final) as folder:
        (folder / "corpus_overview.png").write_bytes(b"3")
    assert [p.name for p in final.iterdir()] == ["corpus_overview.png"]   # the dropped target's figure is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures"]        # nothing left aside


# -- whole runs -----------------------------------------------------------------------------------
PAGE = "【社説】{title}\n登録:{date} 09:00\n　{body}\n"
BODIES = {
    "規制": "政府は半導体の輸出規制を強化した。輸出規制の強化は妥当だ。同盟国と足並みをそろえるべきだ。",
    "補助": "半導体補助金の拡充が決まった。工場誘致に公費を投じる判断は理解できる。",
    "AI": "生成AIの開発競争が激しい。AI規制は慎重に設計すべきだ。",
}


def _user_folder(folder: Path, n: int = 24) -> Path:
    """Pages of two invented papers, written here (no newspaper text)."""
    for i in range(n):
        paper = ("北光新報", "南海日報")[i % 2]
        theme = list(BODIES)[i % 3]
        _write(folder / paper / f"{i:02d}.txt",
               PAGE.format(title=f"{theme}を考える{i}", date=f"202{3 + i % 2}-{1 + i % 12:02d}-05",
                           body=BODIES[theme] * 2 + f"第{i}回の議論である。"))
    return folder


@pytest.mark.slow
def test_a_study_run_never_mixes_with_the_last_one(tmp_path):
    from analysis.pipeline import run_study

    corpus = _user_folder(tmp_path / "editorials")
    _write(tmp_path / "targets.yaml", "輸出規制: {aliases: [輸出規制]}\nAI規制: {aliases: [AI規制]}\n")
    config_path = _write(tmp_path / "study.yaml",
                         "inputs: [editorials]\noutput: out\ntopics: {methods: [nmf], k: 3}\n"
                         "stance: {targets: targets.yaml, method: rules}\nnotebooks: false\n")
    assert run_study(load_study(config_path)) == 0
    out = tmp_path / "out"
    figures = {p.name for p in (out / "reports" / "figures").iterdir()}
    assert "stance_over_time_AI規制.png" in figures
    manifest = json.loads((out / "reports" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["study"]["events"] is None   # no packaged events on this study's figures
    assert manifest["parameters"]["study_file"]["topics"] == {"methods": ["nmf"], "k": 3}
    assert (out / "reports" / "tables" / "tables.xlsx").is_file()

    # the study drops a target and a topic method: nothing of them is left behind
    _write(tmp_path / "targets.yaml", "輸出規制: {aliases: [輸出規制]}\n")
    config_path.write_text(config_path.read_text(encoding="utf-8").replace("k: 3", "k: 2"), encoding="utf-8")
    assert run_study(load_study(config_path)) == 0
    figures = {p.name for p in (out / "reports" / "figures").iterdir()}
    assert not any("AI規制" in name for name in figures) and "stance_over_time_輸出規制.png" in figures
    assert set(pd.read_parquet(out / "processed" / "stance.parquet")["target"]) == {"輸出規制"}

    # a failed ingest leaves the previous complete state, and says so
    before = (out / "processed" / "corpus.parquet").read_bytes()
    shutil.rmtree(corpus)
    corpus.mkdir()
    (corpus / "english.txt").write_text("This is not a Japanese editorial at all.\n2024-01-01\n", encoding="utf-8")
    assert run_study(load_study(config_path)) == 1
    assert (out / "processed" / "corpus.parquet").read_bytes() == before
    failed = pd.read_csv(out / "processed" / "ingest_report.failed.csv")
    assert failed["status"].tolist() == ["rejected"]
    assert check_current(out / "processed" / "tokens.parquet") is None   # still one consistent run
