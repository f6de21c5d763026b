"""Page parsers (Hankyoreh, JoongAng, plain text, livedoor) on fixtures written for these tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from analysis import config
from analysis.ingest.dates import TZ, date_from_name, parse_datetime
from analysis.ingest.decode import decode_bytes
from analysis.ingest.livedoor import looks_like_livedoor, parse_livedoor
from analysis.ingest.pages import parse_page
from analysis.ingest.profiles import GENERIC, HANKYOREH, JOONGANG, detect_profile, newspaper_for_url
from analysis.ingest.schema import Rejected

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def jst(*parts):
    return datetime(*parts, tzinfo=TZ)


def parse_fixture(name: str, folder: str = "pages"):
    text, encoding = decode_bytes((FIXTURES / name).read_bytes(), name)
    return parse_page(text, name=Path(name).name, folder=folder, encoding=encoding)


def test_hankyoreh_page_fields_and_cleaning():
    doc = parse_fixture("hankyoreh_editorial.txt")
    assert doc.source == "ハンギョレ"
    assert (doc.genre, doc.title) == ("社説", "半導体の輸出規制、同盟国との足並みをそろえよ")
    assert doc.published == jst(2024, 6, 12, 6, 30)
    assert doc.updated == jst(2024, 6, 12, 8, 5)
    assert doc.original_published == jst(2024, 6, 11, 21, 40)
    assert doc.url == "https://www.hani.co.kr/arti/opinion/editorial/9990001.html"
    assert doc.translator == "T.K"
    paragraphs = doc.text.split("\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("政府は先週")
    assert paragraphs[-1].endswith("説明すべきだ。")
    for leftover in ("本文に移動", "聯合ニュース", "お問い合わせ", "http", "原文入力", "訳T.K", "関連記事", "別の社説"):
        assert leftover not in doc.text
    assert not any(p.startswith((" ", "\u3000")) for p in paragraphs)


def test_joongang_page():
    doc = parse_fixture("joongang_editorial.txt")
    assert detect_profile((FIXTURES / "joongang_editorial.txt").read_text(encoding="utf-8")) is JOONGANG
    assert doc.source == "中央日報"  # named by the ⓒ line, no URL in the page
    assert (doc.genre, doc.title) == ("社説", "AI規制の議論、拙速は避けるべきだ")
    assert doc.published == jst(2023, 9, 14, 10, 12)
    assert doc.text.startswith("生成AIをめぐる")
    assert "ⓒ" not in doc.text and len(doc.text.split("\n")) == 3


def test_generic_page_with_date_line_and_genre():
    doc = parse_fixture("generic_column.txt", folder="コラム集")
    assert detect_profile((FIXTURES / "generic_column.txt").read_text(encoding="utf-8")) is GENERIC
    assert (doc.genre, doc.title, doc.source) == ("コラム", "地方の工場が教えてくれること", "コラム集")
    assert doc.published == jst(2024, 3, 1)
    assert doc.text.split("\n")[0] == "地方の部品工場を訪ねた。半導体の需要が戻りつつあるという。"
    assert "2024年3月1日" not in doc.text


def test_generic_page_dated_by_file_name():
    doc = parse_fixture("2023-11-05_plain_note.txt")
    assert (doc.genre, doc.title) == ("", "雨の日の商店街")
    assert doc.published == jst(2023, 11, 5)
    assert doc.notes == ["date taken from the file name"]


def test_unknown_url_host_takes_the_folder_name():
    doc = parse_fixture("東西新聞/2025-01-20_tozai.txt", folder="東西新聞")
    assert doc.url == "https://tozai.example/opinion/20250120.html"
    assert doc.source == "東西新聞"
    assert doc.original_published == jst(2025, 1, 19, 22, 10)
    assert doc.translator == "Y.S"


def test_caption_only_right_after_the_date_line_is_removed():
    page = "【社説】題\n登録:2024-01-01 10:00\n写真の説明=共同\n 本文の一文目。\n 途中の行/聯合ニュース\n"
    doc = parse_page(page, name="x.txt", folder="f")
    assert doc.text == "本文の一文目。\n途中の行/聯合ニュース"


def test_page_without_body_or_title_is_rejected():
    with pytest.raises(Rejected, match="no body"):
        parse_page("【社説】見出しだけ\n登録:2024-01-01 10:00\n", name="x.txt", folder="f")
    with pytest.raises(Rejected, match="no title"):
        parse_page("登録:2024-01-01 10:00\n", name="x.txt", folder="f")


def test_undated_page_has_no_date():
    doc = parse_page("見出し\n 本文だけがある。\n", name="note.txt", folder="f")
    assert doc.published is None


@pytest.mark.parametrize("value, expected", [
    ("2025-02-01 07:05", jst(2025, 2, 1, 7, 5)),
    ("2019.07.02 07:31", jst(2019, 7, 2, 7, 31)),
    ("2024年3月1日", jst(2024, 3, 1)),
    ("２０２４年３月１日（金）", jst(2024, 3, 1)),
    ("2024/5/2 9:30", jst(2024, 5, 2, 9, 30)),
    ("2011-10-15T10:30:00+0900", jst(2011, 10, 15, 10, 30)),
    ("2024-01-01T00:00:00Z", jst(2024, 1, 1, 9, 0)),
    ("2024-02-30", None),
    ("来週", None),
    # forms of Japanese exports and datelines
    ("令和6年3月1日", jst(2024, 3, 1)),
    ("令和元年5月1日", jst(2019, 5, 1)),
    ("平成31年4月30日（火）", jst(2019, 4, 30)),
    ("昭和64年1月7日", jst(1989, 1, 7)),
    ("R6.3.1", jst(2024, 3, 1)),
    ("20240301", jst(2024, 3, 1)),
    ("20241301", None),
    ("2024年3月1日付 朝刊", jst(2024, 3, 1)),
    ("2024年3月1日 午後3時", jst(2024, 3, 1, 15)),
    ("2024/3/1 午前0:30", jst(2024, 3, 1, 0, 30)),
    ("2024/3/1 午後12:30", jst(2024, 3, 1, 12, 30)),
    ("2024年3月1日(金曜日) 15時5分", jst(2024, 3, 1, 15, 5)),
    ("2024-03-01 05:00 JST", jst(2024, 3, 1, 5)),
    ("Mar 1, 2024", jst(2024, 3, 1)),
    ("24/3/1", None),  # a two-digit year is not guessed
    (20240301, jst(2024, 3, 1)),  # numbers, as JSON exports give them
    (1709251200, jst(2024, 3, 1, 9)),
    (1709251200000, jst(2024, 3, 1, 9)),
    (12345, None),
    (True, None),
])
def test_parse_datetime(value, expected):
    assert parse_datetime(value) == expected


def test_date_from_name():
    assert date_from_name("2024-03-01_社説.txt") == jst(2024, 3, 1)
    assert date_from_name("000_e1131f4edd2dcf06.txt") is None
    assert date_from_name("asahi_20240301_2.txt") == jst(2024, 3, 1)
    assert date_from_name("2024_03_01 社説.txt") == date_from_name("2024.03.01.txt") == jst(2024, 3, 1)
    assert date_from_name("id12345678.txt") is None and date_from_name("12340101.txt") is None


@pytest.mark.parametrize("head, genre, title", [
    ("【社説】輸出規制を問う", "社説", "輸出規制を問う"),
    ("社説：輸出規制を問う", "社説", "輸出規制を問う"),
    ("［社説］輸出規制を問う", "社説", "輸出規制を問う"),
    ("[主張] 輸出規制を問う", "主張", "輸出規制を問う"),
    ("（社説）輸出規制を問う", "社説", "輸出規制を問う"),
    ("輸出規制を問う", "", "輸出規制を問う"),
    ("[2024] 年頭に", "", "[2024] 年頭に"),
])
def test_title_genre_markers(head, genre, title):
    doc = parse_page(f"{head}\n2024-03-01\n本文である。\n", name="x.txt", folder="f")
    assert (doc.genre, doc.title) == (genre, title)


@pytest.mark.parametrize("line", ["令和6年3月1日", "2024年3月1日付 朝刊", "更新日：2024/03/01 05:00",
                                  "20240301", "投稿日時: 2024-03-01 05:00 JST", "R6.3.1"])
def test_generic_page_reads_dateline_forms(line):
    doc = parse_page(f"半導体の社説\n{line}\n政府は対応を急ぐべきだ。\n", name="x.txt", folder="f")
    assert doc.published.date() == jst(2024, 3, 1).date() and doc.title == "半導体の社説"
    assert doc.text == "政府は対応を急ぐべきだ。"


def test_newspaper_for_url():
    assert newspaper_for_url("https://japanese.joins.com/JArticle/1") == "中央日報"
    assert newspaper_for_url("https://japanese.joongang.co.kr/a") == "中央日報"
    assert newspaper_for_url("https://www.hani.co.kr/arti/1.html") == "ハンギョレ"
    assert newspaper_for_url("https://nothani.co.kr/x") == ""
    assert HANKYOREH.hosts and JOONGANG.hosts


def test_livedoor_article():
    text = ("http://news.livedoor.com/article/detail/42/\n2012-06-01T12:00:00+0900\n架空の見出し\n"
            "\u3000一段落目の文。\n\n二段落目の文。\n")
    assert looks_like_livedoor(text)
    assert not looks_like_livedoor("見出し\n2012-06-01\n本文")
    doc = parse_livedoor(text, category="sports-watch")
    assert (doc.source, doc.genre, doc.category, doc.title) == ("livedoor ニュース", "ニュース", "sports-watch", "架空の見出し")
    assert doc.text == "一段落目の文。\n二段落目の文。"
    assert doc.published == jst(2012, 6, 1, 12, 0)


@pytest.mark.shared
def test_real_seed_page():
    seed = config.paths().shared / "seeds" / "000_e1131f4edd2dcf06.txt"
    if not seed.is_file():
        pytest.skip(f"{seed} not available")
    text, encoding = decode_bytes(seed.read_bytes(), seed.name)
    doc = parse_page(text, name=seed.name, folder=seed.parent.name, encoding=encoding)
    assert doc.title == "ディープシークの衝撃、韓国も「速い追撃者」のチャンスを生かすべき"
    assert doc.genre == "社説" and doc.source == "ハンギョレ"
    assert doc.published.isoformat() == "2025-02-01T07:05:00+09:00"
    assert doc.updated.isoformat() == "2025-02-01T07:27:00+09:00"
    assert doc.original_published.isoformat() == "2025-01-31T19:31:00+09:00"
    assert doc.translator == "H.J"
    assert doc.url == "https://www.hani.co.kr/arti/opinion/editorial/1180249.html"
    # the body starts with the first paragraph (not the nav line, title, date or caption) ...
    raw_lines = [line.strip() for line in text.split("\n") if line.strip()]
    first_paragraph = next(line for line in raw_lines if len(line) > 100 and line.endswith("。"))
    assert doc.text.split("\n")[0] == first_paragraph
    # ... and keeps no navigation, caption, contact, URL, stamp, translator or trailer line
    for marker in ("本文に移動", "聯合ニュース", "お問い合わせ", "japan@hani.co.kr", "http", "原文入力", "訳H.J", "関連記事", "登録:"):
        assert marker not in doc.text
    assert len(doc.text.split("\n")) == 5


def test_site_chrome_above_the_headline_is_ignored():
    page = "サイト名\nメニュー\n本文に移動\n\n【社説】見出し\n\n登録:2024-01-01 10:00\n 本文。\n"
    doc = parse_page(page, name="x.txt", folder="f")
    assert (doc.genre, doc.title, doc.text) == ("社説", "見出し", "本文。")
