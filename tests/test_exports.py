"""Spreadsheet exports: BOM CSVs that keep Japanese, one workbook, byte-identical reruns, absent tables skipped."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis import exports
from analysis.errors import InputError
from analysis.io import write_csv, write_parquet

TITLES = ["輸出規制の強化を急げ", "AI規制は慎重に", "=半導体補助金の行方"]  # the last one looks like a formula


def _make_processed(processed: Path, *, long_sentence: str | None = None) -> Path:
    """A tiny processed folder in the documented table contracts (docs/ARCHITECTURE.md)."""
    corpus = pd.DataFrame({
        "doc_id": ["a000000000000001", "b000000000000002", "c000000000000003"],
        "source": ["東洋日報", "北辰新聞", "東洋日報"],
        "genre": ["社説"] * 3,
        "title": TITLES,
        "text": ["輸出規制は強化すべきだ。", "AI規制には慎重であるべきだ。規制は最小限に。", "補助金は見直せ。"],
        # stored in UTC (tz-aware, not JST) so the export must convert: 2024-02-29 15:30 UTC is
        # 2024-03-01 00:30 in Japan
        "published": pd.to_datetime(["2024-01-10T06:00:00+09:00", "2024-02-29T15:30:00+00:00",
                                     "2024-05-02T07:15:00+09:00"], utc=True),
        "url": ["https://example.jp/1", "https://example.jp/2", "https://example.jp/3"],
        "path": ["x/1.txt", "x/2.txt", "x/3.txt"],
    })
    write_parquet(corpus, processed / "corpus.parquet")
    nmf = processed / "topics" / "nmf"
    write_parquet(pd.DataFrame({"topic": [0, 0, 1, 1], "label": ["輸出規制", "輸出規制", "AI", "AI"],
                                "rank": [1, 2, 1, 2], "word": ["輸出", "規制", "AI", "開発"],
                                "weight": [0.5, 0.25, 0.6, 0.2]}), nmf / "topic_words.parquet")
    write_csv(pd.DataFrame({"topic": [0, 1], "label": ["輸出規制", "AI"], "seeded": [True, False], "size": [2, 1]}),
              nmf / "topic_labels.csv")
    write_parquet(pd.DataFrame({"doc_id": ["a000000000000001", "a000000000000001", "b000000000000002",
                                           "c000000000000003"],
                                "topic": [0, 1, 1, 0], "weight": [0.912345678, 0.087654322, 1.0, 1.0],
                                "dominant": [True, False, True, True]}), nmf / "doc_topics.parquet")
    write_parquet(pd.DataFrame({"doc_id": ["a000000000000001", "b000000000000002"], "target": ["輸出規制", "AI規制"],
                                "method": ["syntax", "syntax"], "score": [0.75, -0.5], "label": ["FAVOR", "AGAINST"],
                                "n_mentions": [1, 2]}), processed / "stance.parquet")
    write_parquet(pd.DataFrame({"doc_id": ["a000000000000001", "b000000000000002", "b000000000000002"],
                                "target": ["輸出規制", "AI規制", "AI規制"], "method": ["syntax"] * 3,
                                "sentence_index": [0, 0, 1],
                                "sentence": ["輸出規制は強化すべきだ。", long_sentence or "AI規制には慎重であるべきだ。",
                                             "規制は最小限に。"],
                                "score": [0.75, -0.5, 0.0], "weight": [1.0, 2.0, 0.0]}),
                  processed / "stance_evidence.parquet")
    write_parquet(pd.DataFrame({"source": ["東洋日報", "北辰新聞"], "target": ["輸出規制", "AI規制"],
                                "period": ["2024Q1", "2024Q1"], "n": [1, 1], "mean": [0.75, -0.5],
                                "ci_low": [0.75, -0.5], "ci_high": [0.75, -0.5]}),
                  processed / "stance_over_time.parquet")
    return processed


EXPECTED_SHEETS = ["README", "corpus", "documents_per_period", "nmf_topic_words", "nmf_topic_labels",
                   "nmf_doc_topics", "nmf_doc_topics_wide", "stance", "stance_evidence", "stance_over_time"]


@pytest.fixture()
def exported(tmp_path):
    processed = _make_processed(tmp_path / "processed")
    written = exports.export_tables(processed, tmp_path / "tables")
    return tmp_path / "tables", written


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_csvs_start_with_bom_and_round_trip_japanese(exported):
    out, written = exported
    assert [p.name for p in written] == [f"{s}.csv" for s in EXPECTED_SHEETS[1:]] + ["README.csv", "tables.xlsx"]
    assert all(p.parent == out and p.is_file() for p in written)
    for path in written[:-1]:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name
    corpus = _read_csv(out / "corpus.csv")
    assert list(corpus.columns) == ["doc_id", "source", "published", "title", "genre", "url", "n_chars"]
    assert corpus["title"].tolist() == TITLES
    assert corpus["source"].tolist() == ["東洋日報", "北辰新聞", "東洋日報"]
    # Japan time without an offset: the UTC evening of 29 February is 1 March in Tokyo
    assert corpus["published"].tolist() == ["2024-01-10 06:00:00", "2024-03-01 00:30:00", "2024-05-02 07:15:00"]
    assert corpus["n_chars"].tolist() == ["12", "23", "8"]
    # one BOM only, and the header is not prefixed by a stray one
    assert (out / "corpus.csv").read_bytes().count(b"\xef\xbb\xbf") == 1


def test_tables_derived_for_spreadsheets(exported):
    out, _ = exported
    per_period = _read_csv(out / "documents_per_period.csv")
    # quarters, as in the run's stance_over_time table; zeros where a paper printed nothing
    assert per_period.to_dict("records") == [
        {"period": "2024Q1", "北辰新聞": "1", "東洋日報": "1", "total": "2"},
        {"period": "2024Q2", "北辰新聞": "0", "東洋日報": "1", "total": "1"},
    ]
    wide = _read_csv(out / "nmf_doc_topics_wide.csv")
    assert list(wide.columns) == ["doc_id", "source", "published", "title", "輸出規制", "AI"]
    assert wide[["輸出規制", "AI"]].to_numpy().tolist() == [["0.9123", "0.0877"], ["0.0", "1.0"], ["1.0", "0.0"]]
    evidence = _read_csv(out / "stance_evidence.csv")
    assert evidence["sentence"].tolist() == ["輸出規制は強化すべきだ。", "AI規制には慎重であるべきだ。"]  # weight 0 dropped
    stance = _read_csv(out / "stance.csv")
    assert stance["title"].tolist() == TITLES[:2]
    assert "text" not in _read_csv(out / "corpus.csv").columns


def test_workbook_has_one_formatted_sheet_per_table(exported):
    out, _ = exported
    wb = load_workbook(out / "tables.xlsx")
    assert wb.sheetnames == EXPECTED_SHEETS
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert all(cell.font.b for cell in ws[1]), ws.title
        assert all(ws.column_dimensions[letter].width >= 6 for letter in "ABC"), ws.title
    corpus = wb["corpus"]
    assert [c.value for c in corpus[1]] == ["doc_id", "source", "published", "title", "genre", "url", "n_chars"]
    assert [row[3] for row in corpus.iter_rows(min_row=2, values_only=True)] == TITLES
    # formula-looking text stays text
    assert corpus["D4"].value == "=半導体補助金の行方" and corpus["D4"].data_type == "s"
    assert corpus["C3"].value == dt.datetime(2024, 3, 1, 0, 30)  # naive, Japan time
    assert corpus["G2"].value == 12
    assert corpus.column_dimensions["D"].width > corpus.column_dimensions["E"].width  # titles wider than 社説
    wide = wb["nmf_doc_topics_wide"]
    assert [c.value for c in wide[2]][4:] == [0.9123, 0.0877]
    assert wb["stance_evidence"].max_row == 3  # header + the two sentences that voted
    readme = pd.DataFrame(list(wb["README"].iter_rows(min_row=2, values_only=True)),
                          columns=[c.value for c in wb["README"][1]])
    assert sorted(set(readme["sheet"])) == sorted(EXPECTED_SHEETS[1:])
    sources = readme.drop_duplicates("sheet").set_index("sheet")["source"].to_dict()
    assert sources["nmf_doc_topics_wide"] == "topics/nmf/doc_topics.parquet"
    assert sources["stance"] == "stance.parquet"
    score = readme[(readme["sheet"] == "stance") & (readme["column"] == "score")]["meaning"].item()
    assert "-1" in score and "+1" in score
    assert (readme[readme["column"].notna()]["meaning"].fillna("") != "").all()  # every column explained


def test_two_exports_are_byte_identical(tmp_path):
    processed = _make_processed(tmp_path / "processed")
    first = exports.export_tables(processed, tmp_path / "one")
    second = exports.export_tables(processed, tmp_path / "two")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    # the save time never reaches the file (two quick saves could share a second and hide it)
    with zipfile.ZipFile(first[-1]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2
    # a rerun into the same folder leaves the same bytes
    before = first[-1].read_bytes()
    exports.export_tables(processed, tmp_path / "one")
    assert first[-1].read_bytes() == before


def test_absent_tables_are_skipped(tmp_path):
    processed = tmp_path / "processed"
    write_parquet(pd.DataFrame({"doc_id": ["a1"], "target": ["輸出規制"], "method": ["rules"], "score": [0.5],
                                "label": ["FAVOR"], "n_mentions": [1]}), processed / "stance.parquet")
    (processed / "topics" / "lda").mkdir(parents=True)  # a method folder without tables
    written = exports.export_tables(processed, tmp_path / "tables", workbook_name="stance.xlsx")
    assert [p.name for p in written] == ["stance.csv", "README.csv", "stance.xlsx"]
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == ["README.csv", "stance.csv", "stance.xlsx"]
    assert load_workbook(written[-1]).sheetnames == ["README", "stance"]
    # evidence without a weight column is exported whole
    write_parquet(pd.DataFrame({"doc_id": ["a1", "a1"], "target": ["輸出規制"] * 2, "method": ["rules"] * 2,
                                "sentence_index": [0, 1], "sentence": ["一文目。", "二文目。"], "score": [0.5, 0.0]}),
                  processed / "stance_evidence.parquet")
    exports.export_tables(processed, tmp_path / "tables")
    assert _read_csv(tmp_path / "tables" / "stance_evidence.csv")["sentence"].tolist() == ["一文目。", "二文目。"]


def test_nothing_to_export_is_an_actionable_error(tmp_path):
    (tmp_path / "processed").mkdir()
    with pytest.raises(InputError, match="analysis run"):
        exports.export_tables(tmp_path / "processed", tmp_path / "tables")
    with pytest.raises(InputError, match="not found"):
        exports.export_tables(tmp_path / "missing", tmp_path / "tables")
    assert not (tmp_path / "tables").exists()


def test_long_cells_are_cut_in_the_workbook_only(tmp_path):
    long_sentence = "規" * 40_000
    processed = _make_processed(tmp_path / "processed", long_sentence=long_sentence)
    out = tmp_path / "tables"
    exports.export_tables(processed, out)
    assert _read_csv(out / "stance_evidence.csv")["sentence"].tolist()[1] == long_sentence
    wb = load_workbook(out / "tables.xlsx")
    cell = wb["stance_evidence"]["H3"]
    assert [c.value for c in wb["stance_evidence"][1]][7] == "sentence"
    assert len(cell.value) == exports.EXCEL_MAX_CELL
    assert cell.value.startswith("規" * 1000) and cell.value.endswith("full text in stance_evidence.csv]")
    notes = [row[5] for row in wb["README"].iter_rows(min_row=2, values_only=True)
             if row[0] == "stance_evidence" and row[4] is None]
    assert len(notes) == 1 and "1 cell(s) longer than Excel's" in notes[0]


def test_sheet_names_are_excel_safe_and_unique():
    names = exports.sheet_names(["README", "readme", "a:b/c", "bertopic_" + "x" * 40, "bertopic_" + "x" * 40,
                                 "History", "'quoted'"])
    assert names[0] == "README" and names[1] == "readme~2"  # Excel compares names without case
    assert names[2] == "a_b_c"
    assert names[3] == ("bertopic_" + "x" * 40)[:31] and names[4] == ("bertopic_" + "x" * 40)[:29] + "~2"
    assert names[5] == "History_" and names[6] == "quoted"
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)


def test_cli_writes_to_the_given_folders(tmp_path, capsys):
    processed = _make_processed(tmp_path / "processed")
    parser = argparse.ArgumentParser()
    exports.add_arguments(parser)
    args = parser.parse_args(["--processed", str(processed), "--out", str(tmp_path / "out")])
    assert exports.run(args) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1] == str(tmp_path / "out" / "tables.xlsx")
    assert (tmp_path / "out" / "stance_over_time.csv").is_file()
    defaults = parser.parse_args([])
    assert defaults.processed is None and defaults.out is None and defaults.workbook == "tables.xlsx"


def test_csv_bytes_formats_dates_and_keeps_missing_empty():
    frame = pd.DataFrame({"day": pd.to_datetime(["2024-01-01", None]), "語": ["規制", None]})
    assert exports.csv_bytes(frame) == "\ufeffday,語\n2024-01-01,規制\n,\n".encode("utf-8")
    assert io.BytesIO(exports.csv_bytes(frame)).read(3) == b"\xef\xbb\xbf"


def test_undated_documents_get_their_own_row(tmp_path):
    processed = tmp_path / "processed"
    write_parquet(pd.DataFrame({"doc_id": ["a1", "b2"], "source": ["東洋日報", "東洋日報"], "title": ["社説一", "社説二"],
                                "text": ["本文。", "本文です。"],
                                "published": pd.to_datetime(["2024-01-01", None]).tz_localize("Asia/Tokyo")}),
                  processed / "corpus.parquet")
    exports.export_tables(processed, tmp_path / "tables", period="M")
    per_period = _read_csv(tmp_path / "tables" / "documents_per_period.csv")
    assert per_period.to_dict("records") == [{"period": "2024-01", "東洋日報": "1", "total": "1"},
                                             {"period": "undated", "東洋日報": "1", "total": "1"}]
    corpus = _read_csv(tmp_path / "tables" / "corpus.csv")
    assert corpus["published"].tolist() == ["2024-01-01", ""]  # midnight throughout: the date alone
    sheet = load_workbook(tmp_path / "tables" / "tables.xlsx")["corpus"]
    assert sheet["C2"].value == dt.datetime(2024, 1, 1) and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["C3"].value is None
