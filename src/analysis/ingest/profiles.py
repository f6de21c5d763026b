"""Source profiles: how a page saved from one newspaper's Japanese edition is laid out.

>>> from analysis.ingest.profiles import detect_profile
>>> detect_profile("【社説】題\\nⓒ 中央日報/中央日報日本語版2019.07.02 07:31\\n本文").name
'joongang'
>>> detect_profile("題\\n2024年3月1日\\n本文").name
'generic'

A profile is data, not code: line patterns for the parts of a page (title, date stamp, photo
caption, contact line, URL, original-input stamp, translator, trailer) and a URL-host ->
newspaper-name table. :func:`analysis.ingest.pages.parse_page` applies any profile the same way,
so adding a third paper is one more ``SourceProfile(...)`` in ``PROFILES``::

    ASAHI = SourceProfile(
        name="asahi",
        detect=re.compile(r"^朝日新聞デジタル", re.M),
        date=re.compile(rf"^(?P<published>{DATE})\\s*$"),
        hosts={"asahi.com": "朝日新聞"},
    )

Patterns are matched against single lines with trailing whitespace removed (``re.match`` from the
start of the line); the date pattern has a ``published`` group and may have ``updated``; the
original-input pattern has ``original`` and may have ``url`` (the Hankyoreh glues the article URL
to ``韓国語原文入力:``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping
from urllib.parse import urlsplit

from analysis.ingest.dates import DATE

#: Words that head a title as its genre without brackets (社説：title, 主張｜title).
GENRE_WORDS = "社説|主張|論説|コラム|社説・論説|オピニオン|解説|論点"
#: 【社説】title, ［社説］title, [主張] title, 社説：title, ... (the genre, then the title); the genre
#: is the first of the groups ``genre``/``genre2``/... that matched (:func:`title_parts`).
TITLE = re.compile(r"^\s*(?:【(?P<genre>[^】]{1,12})】|[［\[](?P<genre2>[^］\]\d][^］\]]{0,11})[］\]]"
                   rf"|(?P<genre3>{GENRE_WORDS})\s*[：:｜|]|[（(](?P<genre4>{GENRE_WORDS})[）)])"
                   r"\s*(?P<title>.+?)\s*$")


def title_parts(match: re.Match) -> tuple[str, str]:
    """(genre, title) of a title line matched by a profile's title pattern."""
    groups = match.groupdict()
    genre = next((groups[g] for g in ("genre", "genre2", "genre3", "genre4") if groups.get(g)), "")
    return genre, match.group("title")
#: A line that is only a URL.
URL_LINE = re.compile(r"^\s*(?P<url>https?://\S+)\s*$")
#: A line that ends in a photo credit: …/ロイター・聯合ニュース, …/聯合ニュース, …=共同, …／AFP時事.
CREDIT_LINE = re.compile(r"^.{2,}?(?:[/／]\s*[^/／。、\s]{1,24}|[=＝]\s*(?:共同|時事|AP|AFP|ロイター|EPA|聯合ニュース|[^=＝。、\s]{1,12}(?:通信|撮影|提供)))\s*$")


@dataclass(frozen=True)
class SourceProfile:
    """How one newspaper's saved pages are laid out (see the module docstring)."""

    name: str
    #: Searched in the whole page (MULTILINE); the first profile whose pattern is found is used.
    detect: re.Pattern
    #: The date stamp line: groups ``published`` and optionally ``updated``.
    date: re.Pattern
    title: re.Pattern = TITLE
    #: Photo caption(s) right after the date line, recognised by the credit they end in.
    caption: re.Pattern | None = None
    contact: re.Pattern | None = None
    url: re.Pattern = URL_LINE
    #: Original-language input stamp: group ``original``, optional ``url`` glued before it.
    original: re.Pattern | None = None
    translator: re.Pattern | None = None
    #: Lines dropped wherever they appear (site navigation such as 本文に移動).
    navigation: re.Pattern | None = None
    #: The first line matching this and everything after it are dropped (関連記事 lists).
    trailer: re.Pattern | None = None
    #: URL host (or a parent domain of it) -> newspaper name.
    hosts: Mapping[str, str] = field(default_factory=dict)
    #: A line naming the paper in the page itself (group ``source``), used when the URL is unknown.
    stamped_source: re.Pattern | None = None
    #: How many non-empty lines from the top may hold the date stamp.
    header_lines: int = 8
    #: The title line must come before the date stamp (False: either order, plain text).
    title_before_date: bool = True


HANKYOREH = SourceProfile(
    name="hankyoreh",
    detect=re.compile(rf"^\s*登録\s*[:：]\s*{DATE}", re.M),
    date=re.compile(rf"^\s*登録\s*[:：]\s*(?P<published>{DATE})(?:\s*修正\s*[:：]\s*(?P<updated>{DATE}))?\s*$"),
    caption=CREDIT_LINE,
    contact=re.compile(r"^\s*[(（]\s*お問い合わせ.*[)）]\s*$"),
    original=re.compile(rf"^\s*(?P<url>https?://\S+?)?\s*(?:韓国語)?原文入力\s*[:：]\s*(?P<original>{DATE})\s*$"),
    translator=re.compile(r"^\s*訳\s*[:：]?\s*(?P<translator>[A-Za-z][A-Za-z.\-・ ]{0,20}|[^\s。、]{1,12})\s*$"),
    navigation=re.compile(r"^\s*本文に移動\s*$"),
    trailer=re.compile(r"^\s*関連記事\s*$"),
    hosts={"hani.co.kr": "ハンギョレ"},
    header_lines=30,
)

JOONGANG = SourceProfile(
    name="joongang",
    detect=re.compile(r"^\s*ⓒ\s*中央日報", re.M),
    date=re.compile(r"^\s*ⓒ\s*中央日報.*?(?P<published>\d{4}\.\d{1,2}\.\d{1,2}\s+\d{1,2}:\d{2})\s*$"),
    caption=CREDIT_LINE,
    navigation=re.compile(r"^\s*本文に移動\s*$"),
    trailer=re.compile(r"^\s*関連記事\s*$"),
    hosts={"joins.com": "中央日報", "joongang.co.kr": "中央日報"},
    stamped_source=re.compile(r"^\s*ⓒ\s*(?P<source>中央日報)", re.M),
    header_lines=30,
)

#: Plain text: first non-empty line is the title; a header line that is only a date (optionally
#: labelled 日付/掲載日/date:) gives the date; otherwise the file name (2024-03-01_x.txt).
GENERIC = SourceProfile(
    name="generic",
    detect=re.compile(r""),
    date=re.compile(rf"^\s*(?:(?:日付|(?:掲載|公開|発行|配信|投稿|更新)(?:日時|日)?|date|published|updated)\s*[:：]?\s*)?"
                    rf"(?P<published>{DATE})\s*$", re.I),
    header_lines=5,
    title_before_date=False,
)

#: Tried in order; GENERIC matches everything and must stay last.
PROFILES: tuple[SourceProfile, ...] = (HANKYOREH, JOONGANG, GENERIC)


def detect_profile(text: str, profiles=PROFILES) -> SourceProfile:
    """The first profile whose ``detect`` pattern occurs in ``text``."""
    for profile in profiles:
        if profile.detect.search(text):
            return profile
    return GENERIC


def newspaper_for_url(url: str, profiles=PROFILES) -> str:
    """Newspaper name for a URL from the profiles' host tables, or "" when the host is unknown."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    for profile in profiles:
        for suffix, name in profile.hosts.items():
            if host == suffix or host.endswith("." + suffix):
                return name
    return ""
