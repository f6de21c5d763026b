"""CSV / JSONL / Parquet tables: alias mapping, row accounting, malformed files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest.schema import Rejected
from analysis.ingest.tables import ALIASES, map_columns, read_table

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def by_path(outcomes):
    return {o.path: o for o in outcomes}


def test_csv_with_japanese_column_names():
    rows = by_path(read_table((FIXTURES / "editorials.csv").read_bytes(), "editorials.csv"))
    assert list(rows) == [f"editorials.csv#row={n}" for n in range(1, 6)]
    first = rows["editorials.csv#row=1"].document
    assert (first.title, first.source, first.genre) == ("輸出規制の行方", "南北日報", "社説")
    assert first.text == "輸出規制の強化は避けられない。\nだが影響の検証が必要だ。"
    assert first.published.isoformat() == "2024-04-01T00:00:00+09:00"
    assert rows["editorials.csv#row=2"].document.published.isoformat() == "2024-05-02T09:30:00+09:00"
    assert rows["editorials.csv#row=3"].document.published is None  # undated: the caller decides
    assert rows["editorials.csv#row=4"].document is None
    assert "empty text in column '本文'" in rows["editorials.csv#row=4"].reason
    assert rows["editorials.csv#row=5"].document is None
    assert "unreadable date '来週の月曜'" in rows["editorials.csv#row=5"].reason


def test_jsonl_rows_and_bad_lines():
    rows = read_table((FIXTURES / "editorials.jsonl").read_bytes(), "editorials.jsonl")
    assert [o.document is not None for o in rows] == [True, True, False, False]
    assert rows[0].document.category == "経済" and rows[0].document.title == "AI競争の時代"
    assert rows[0].document.published.isoformat() == "2024-07-01T08:00:00+09:00"
    assert "not valid JSON" in rows[2].reason and "not a JSON object" in rows[3].reason


def test_parquet_with_timestamps(tmp_path):
    frame = pd.DataFrame({
        "content": ["半導体の供給網を見直す。", "AI規制の国際協調を。"],
        "datetime": pd.to_datetime(["2024-01-05 09:00", "2024-02-05 09:00"]).tz_localize("UTC"),
        "paper": ["北南新報", None],
    })
    path = tmp_path / "北南.parquet"
    frame.to_parquet(path)
    rows = read_table(path.read_bytes(), "北南.parquet")
    assert rows[0].document.published.isoformat() == "2024-01-05T18:00:00+09:00"
    assert rows[0].document.source == "北南新報" and rows[0].document.encoding == "parquet"
    assert rows[1].document.source == "北南"  # no value: the file stem, and the report says so
    assert "source taken from the file name" in rows[1].document.notes[0]


def test_missing_required_columns_lists_accepted_names():
    with pytest.raises(Rejected) as info:
        read_table("headline,newspaper\n題,紙\n".encode(), "t.csv")
    message = str(info.value)
    assert "text, published" in message
    for name in ALIASES["text"] + ALIASES["published"]:
        assert name in message
    assert "found: headline, newspaper" in message


def test_alias_matching_is_case_and_width_insensitive():
    mapping = map_columns(["ＴＥＸＴ", " Date ", "Source"], "t.csv")
    assert mapping == {"text": "ＴＥＸＴ", "published": " Date ", "source": "Source"}


@pytest.mark.parametrize("content, fragment", [
    ('text,date\n"unterminated,2024-01-01\n', "malformed CSV"),
    ("text,date\na,2024-01-01,extra\n", "data row 1 has 3 fields, the header has 2"),
    ("\n\n", "empty"),
])
def test_malformed_csv_is_rejected(content, fragment):
    with pytest.raises(Rejected, match=fragment):
        read_table(content.encode(), "bad.csv")


def test_corrupt_parquet_is_rejected():
    with pytest.raises(Rejected, match="not a readable Parquet file"):
        read_table(b"PAR1 not really", "x.parquet")


def test_cp932_csv():
    rows = read_table("本文,日付\r\n規制の話。,2024-01-01\r\n".encode("cp932"), "sjis.csv")
    assert rows[0].document.text == "規制の話。" and rows[0].document.encoding == "cp932"


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_one_sheet_reads_like_csv():
    from datetime import datetime

    data = _workbook({"Sheet1": [["見出し", "掲載日", "記事本文", "媒体名"],
                                 ["題一", datetime(2024, 3, 1, 9, 30), "輸出規制は強めるべきだ。", "東西新聞"],
                                 ["題二", 20240302, "補助金は見直すべきだ。", "東西新聞"],
                                 ["題三", "来週", "日付が読めない行。", "東西新聞"]]})
    rows = by_path(read_table(data, "export.xlsx"))
    assert list(rows) == [f"export.xlsx#row={n}" for n in (1, 2, 3)]
    first = rows["export.xlsx#row=1"].document
    assert (first.title, first.source, first.published.isoformat()) == ("題一", "東西新聞", "2024-03-01T09:30:00+09:00")
    assert rows["export.xlsx#row=2"].document.published.isoformat() == "2024-03-02T00:00:00+09:00"
    assert "unreadable date '来週'" in rows["export.xlsx#row=3"].reason


def test_xlsx_sheets_are_tables_named_by_sheet():
    data = _workbook({"東西新聞": [["本文", "日付"], ["一つ目の本文。", "令和6年3月1日"]],
                      "空": [],
                      "メモ": [["note"], ["集計用のメモ"]],
                      "南北日報": [["本文", "日付", "新聞"], ["二つ目の本文。", "2024-03-04", "南北日報"]]})
    warnings = []
    rows = by_path(read_table(data, "book.xlsx", warn=warnings.append))
    assert list(rows) == ["book.xlsx#sheet=東西新聞#row=1", "book.xlsx#sheet=メモ", "book.xlsx#sheet=南北日報#row=1"]
    assert rows["book.xlsx#sheet=東西新聞#row=1"].document.source == "東西新聞"  # the sheet's name
    assert rows["book.xlsx#sheet=南北日報#row=1"].document.source == "南北日報"
    assert "lacks required column(s) text, published" in rows["book.xlsx#sheet=メモ"].reason
    assert len(warnings) == 1 and "book.xlsx#sheet=東西新聞 has no source column" in warnings[0]


def test_bad_workbooks_are_rejected_with_advice(tmp_path):
    from analysis.ingest import collect

    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0 old format")
    (tmp_path / "blank.xlsx").write_bytes(_workbook({"Sheet1": []}))
    report = collect([tmp_path]).report
    reasons = dict(zip(report["path"].map(lambda p: Path(p).name), report["reason"]))
    assert "not a readable Excel workbook" in reasons["broken.xlsx"] and "save it again as .xlsx" in reasons["broken.xlsx"]
    assert "save it as .xlsx or export it as CSV" in reasons["old.xls"]
    assert "empty workbook" in reasons["blank.xlsx"]


def test_numeric_dates_of_parquet_and_jsonl_columns():
    """A date column of numbers (numpy's in Parquet, JSON's in JSONL) reads as 20240301 or Unix time."""
    import io

    buffer = io.BytesIO()
    pd.DataFrame({"本文": ["一つ目。", "二つ目。"], "日付": [20240301, 1709251200]}).to_parquet(buffer)
    rows = read_table(buffer.getvalue(), "t.parquet")
    assert [o.document.published.isoformat() for o in rows] == ["2024-03-01T00:00:00+09:00",
                                                                 "2024-03-01T09:00:00+09:00"]
    data = '{"text": "三つ目。", "date": 1709251200000}\n'.encode()
    assert read_table(data, "t.jsonl")[0].document.published.isoformat() == "2024-03-01T09:00:00+09:00"
