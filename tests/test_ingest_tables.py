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
