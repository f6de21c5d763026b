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
