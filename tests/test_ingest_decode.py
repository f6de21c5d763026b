"""Encodings, line ends and non-text files."""

from __future__ import annotations

import pytest

from analysis.ingest.decode import decode_bytes
from analysis.ingest.schema import Rejected, doc_id_for, nfkc, normalise_text

TEXT = "【社説】半導体の輸出規制\n登録:2024-03-01 09:00\n　政府は輸出管理を強化した。ｶﾀｶﾅと～も入る。\n"


@pytest.mark.parametrize("codec, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932"),
    ("shift_jis", "cp932"), ("euc_jp", "euc_jp"), ("utf-16", "utf-16"),
])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_encodings_and_line_ends(codec, expected, newline):
    source = TEXT if codec not in ("shift_jis", "euc_jp") else TEXT.replace("～", "ー")
    text, encoding = decode_bytes(source.replace("\n", newline).encode(codec), "x.txt")
    assert (text, encoding) == (source, expected)


@pytest.mark.parametrize("data, fragment", [
    (b"", "empty file"),
    (b" \r\n\t", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"binary file \(contains NUL bytes\)"),
    (bytes([0x01, 0x02, 0x03, 0x04]) * 20 + b"abc", "binary file"),
    (bytes(range(0x80, 0x100)) * 4, "undecodable"),
    (b"\xff\xfe" + "社説".encode("utf-16-le") + b"\x00\xd8", "broken UTF-16"),   # a lone surrogate
    (b"\xff\xfe \x00\n\x00", "empty file"),
])
def test_non_text_is_rejected_with_advice(data, fragment):
    with pytest.raises(Rejected, match=fragment) as info:
        decode_bytes(data, "x.txt")
    assert any(word in str(info.value) for word in ("delete", "remove", "re-save"))


def test_nfkc_matches_unicodedata():
    import unicodedata

    for sample in ("ＡＢＣ１２３　全角", "ﾊﾞﾝｸ ｶﾞｲﾄﾞ", "Ａ\u0301", "㍻㈱①", "普通の文。"):
        assert nfkc(sample) == unicodedata.normalize("NFKC", sample)


def test_doc_id_ignores_width_and_whitespace_but_not_words():
    assert doc_id_for("規制は　必要だ。\n次") == doc_id_for("規制は 必要だ。 次")
    assert doc_id_for("ＡＩ規制") == doc_id_for("AI規制")
    assert doc_id_for("規制は必要だ。") != doc_id_for("規制は不要だ。")
    assert normalise_text("  a \n\n b ") == "a b"


def test_iso_2022_jp_is_read_not_called_binary():
    """JIS-encoded text (seven-bit with escape sequences) was rejected as a binary file."""
    from analysis.ingest.decode import decode_bytes

    text = "【社説】輸出規制を問う\n2024年3月1日\n\n　同盟国と足並みをそろえるべきだ。\n"
    assert decode_bytes(text.encode("iso-2022-jp"), "jis.txt") == (text, "iso2022_jp_ext")


PAGE = "【社説】半導体と輸出規制\n2024年3月1日\n\n　" + "政府は半導体の輸出規制を強めた。日本企業への影響を見極める必要がある。" * 6 + "\n"


def _damaged(n: int) -> bytes:
    """PAGE in UTF-8 with the first byte of ``n`` kanji overwritten (a broken copy)."""
    data = bytearray(PAGE.encode("utf-8"))
    starts = [m for m in range(len(data)) if data[m] >= 0xE0][5::7][:n]
    for m in starts:
        data[m] = 0xFF
    return bytes(data)


def test_a_page_with_a_few_damaged_utf8_bytes_is_kept_with_a_note():
    notes: list[str] = []
    text, encoding = decode_bytes(_damaged(1), "x.txt", notes)
    assert encoding == "utf-8" and text.count("\ufffd") == 3 and "輸出規制" in text
    assert len(notes) == 1 and "3 undecodable byte(s)" in notes[0]
    with pytest.raises(Rejected, match="undecodable"):        # without a notes list: strict, as before
        decode_bytes(_damaged(1), "x.txt")
    with pytest.raises(Rejected, match="undecodable"):        # many damaged bytes: not salvaged
        decode_bytes(_damaged(10), "x.txt", [])
    assert decode_bytes(PAGE.encode("cp932"), "x.txt", [])[1] == "cp932"   # other encodings untouched


def test_the_ingest_report_says_which_page_was_salvaged(tmp_path):
    from analysis.ingest import collect

    (tmp_path / "2024-03-01_damaged.txt").write_bytes(_damaged(1))
    result = collect([tmp_path])
    assert result.n_ingested == 1
    assert "replaced with U+FFFD" in result.report.loc[0, "reason"]


def test_a_table_with_a_few_damaged_bytes_notes_the_rows_they_fall_in(tmp_path):
    from analysis.ingest import collect

    body = PAGE.split("\n")[-2].strip()
    rows = ["日付,新聞,見出し,本文"] + [f"2024-03-0{d},朝日新聞,社説{d},{d}日の{body}" for d in (1, 2, 3)]
    data = bytearray("\n".join(rows).encode("utf-8") + b"\n")
    second = data.index("社説2".encode("utf-8")) + len("社説2,".encode("utf-8")) + 30
    while data[second] < 0xE0:           # the first byte of a character in row 2's text
        second += 1
    data[second] = 0xFF
    (tmp_path / "editorials.csv").write_bytes(bytes(data))
    result = collect([tmp_path])
    assert result.n_ingested == 3, result.report.to_dict()
    reasons = result.report.set_index("path")["reason"]
    noted = [p for p, r in reasons.items() if "U+FFFD" in r]
    assert noted == [str(tmp_path / "editorials.csv") + "#row=2"], reasons.to_dict()
