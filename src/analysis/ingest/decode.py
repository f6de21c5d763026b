"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, CP932/Shift_JIS, EUC-JP or ISO-2022-JP,
LF or CRLF.

>>> decode_bytes("社説です。\\r\\n".encode("cp932"), "a.txt")
('社説です。\\n', 'cp932')
>>> decode_bytes("\\ufeff社説".encode("utf-8"), "b.txt")
('社説', 'utf-8-sig')
>>> decode_bytes("社説\\r\\n".encode("utf-16"), "c.txt")[0]
'社説\\n'

Detection: a UTF-8 BOM wins; seven-bit bytes with ISO-2022-JP escape sequences are read as that;
then strict UTF-8; then CP932 and EUC-JP are both tried and the
decoding that reads as more Japanese (kana and kanji, against half-width katakana, private-use and
rare symbols that a wrong guess produces) is kept. Empty files, files with NUL bytes or many
control characters (binary files), and bytes that none of the encodings decode raise
:class:`Rejected` with a reason telling the researcher what to do. A page that is UTF-8 but for a
few damaged bytes is kept, the bytes replaced with U+FFFD and a note in the ingest report.
"""

from __future__ import annotations

import re

from analysis.ingest.schema import Rejected

ENCODINGS = ("utf-8", "cp932", "euc_jp")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_GOOD = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]")
_BAD = re.compile(r"[\uff61-\uff9f\ue000-\uf8ff\u0080-\u00ff\u2500-\u25ff\ufffd]")


def _japanese_score(text: str) -> int:
    return len(_GOOD.findall(text)) - 3 * len(_BAD.findall(text))


def _salvage_utf8(data: bytes) -> tuple[str, int] | None:
    """(text, number of undecodable bytes) for ``data`` that strict UTF-8 rejects, when it is UTF-8
    but for a few damaged bytes (a broken download or copy: valid multi-byte UTF-8 around them is
    no coincidence), else None. One damaged byte spoils up to three (the rest of its character),
    so up to 9 bytes, or one in 300 characters, are salvaged, in text with at least 20 Japanese
    characters per bad byte."""
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    if damaged > max(9, len(text) // 300) or len(_GOOD.findall(text)) < 20 * damaged:
        return None
    return text, damaged


def decode_bytes(data: bytes, name: str, notes: list[str] | None = None) -> tuple[str, str]:
    """(text with LF line ends, encoding name) for the bytes of a text file called ``name``.

    With a ``notes`` list, a UTF-8 file with a few damaged bytes (``_salvage_utf8``) is kept with
    each undecodable byte replaced by U+FFFD and a note appended saying so; without it such a
    file is rejected as undecodable."""
    if not data.strip():
        raise Rejected("empty file: nothing to ingest; delete it or save the page's text into it")
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")   # UTF-16 with its BOM (Windows Notepad's "Unicode")
    if utf16:
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise Rejected("broken UTF-16 text (it starts with a UTF-16 byte-order mark but does not "
                           "decode); re-save the file as UTF-8") from None
        if not data.strip():
            raise Rejected("empty file: nothing to ingest; delete it or save the page's text into it")
    if b"\x00" in data:
        raise Rejected("binary file (contains NUL bytes): not a text page; remove it or export the "
                       "page as text (.txt, UTF-8)")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", data[3:])]
    elif max(data) < 0x80 and re.search(rb"\x1b\$[@B(]", data):
        # ISO-2022-JP ("JIS", old mail and some legacy exports): seven-bit, with escape sequences
        # that would otherwise read as control characters of a binary file
        candidates = [(enc, data) for enc in ("iso2022_jp_ext", "iso2022_jp_2")]
    else:
        candidates = [(enc, data) for enc in ENCODINGS]
    decoded: list[tuple[str, str]] = []
    for encoding, raw in candidates:
        try:
            text = raw.decode("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            salvaged = _salvage_utf8(raw) if encoding == "utf-8" and notes is not None else None
            if salvaged is None:
                continue
            # UTF-8 but for a few damaged bytes: keep the page and say so (CP932 or EUC-JP would
            # read the whole of it as mojibake, and rejecting it would lose the editorial)
            text, damaged = salvaged
            notes.append(f"{damaged} undecodable byte(s) of otherwise valid UTF-8 replaced with U+FFFD; "
                         "check the page against its source")
        decoded.append((encoding, text))
        if encoding in ("utf-8", "utf-8-sig"):
            break  # valid UTF-8 is never a coincidence for Japanese text
    if not decoded:
        raise Rejected("undecodable text: not valid UTF-8, CP932/Shift_JIS or EUC-JP; re-save the "
                       "file as UTF-8")
    encoding, text = (decoded[0] if len(decoded) == 1 else
                      max(decoded, key=lambda pair: _japanese_score(pair[1])))  # ties: first wins
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\x1a")
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 200):
        raise Rejected(f"binary file ({controls} control characters): not a text page; remove it or "
                       "export the page as text (.txt, UTF-8)")
    if controls:
        text = _CONTROL.sub("", text)
    if not text.strip():
        raise Rejected("empty file (only whitespace): nothing to ingest; delete it")
    return text, "utf-16" if utf16 else encoding
