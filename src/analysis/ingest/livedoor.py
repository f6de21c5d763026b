"""The livedoor news corpus (ldcc): one article per file, one folder per category.

>>> article = "http://news.livedoor.com/article/detail/1/\\n2012-05-01T09:00:00+0900\\n見出し\\n　本文一。\\n\\n本文二。"
>>> looks_like_livedoor(article)
True
>>> doc = parse_livedoor(article, category="it-life-hack")
>>> doc.title, doc.text, doc.category, doc.published.isoformat()
('見出し', '本文一。\\n本文二。', 'it-life-hack', '2012-05-01T09:00:00+09:00')

Layout (RONDHUIT's ``ldcc-20140209.tar.gz`` and ../shared/data/livedoor/ldcc-text.tgz alike):
``text/<category>/<category>-<id>.txt`` with line 1 the URL, line 2 an ISO date with +0900,
line 3 the title, then the body. The archive is read member by member with ``tarfile`` (never
extracted); an unpacked ``text/`` folder goes through the same parser because the page reader
recognises the first two lines. README.txt, CHANGES.txt and the LICENSE.txt files are reported as
rejected "not an article". The corpus is CC BY-ND: read it where it lies, never copy it.
"""

from __future__ import annotations

import re

from analysis.ingest.dates import parse_datetime
from analysis.ingest.schema import Document, Rejected, clean_paragraphs

SOURCE = "livedoor ニュース"
GENRE = "ニュース"
_URL = re.compile(r"^https?://news\.livedoor\.com/\S*$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:?\d{2}|Z)?$")


def looks_like_livedoor(text: str) -> bool:
    """True when the first line is a livedoor news URL and the second an ISO date."""
    head = text.lstrip("\ufeff").split("\n", 2)
    return len(head) >= 2 and bool(_URL.match(head[0].strip())) and bool(_ISO.match(head[1].strip()))


def parse_livedoor(text: str, *, category: str, encoding: str = "utf-8") -> Document:
    """One livedoor article; raises :class:`Rejected` for a file without title or body."""
    lines = text.lstrip("\ufeff").split("\n")
    if len(lines) < 4:
        raise Rejected("livedoor article without body: expected URL, date, title, then the text")
    published = parse_datetime(lines[1].strip())
    body = clean_paragraphs(lines[3:])
    if not body or not lines[2].strip():
        raise Rejected("livedoor article without title or body: the file is truncated; re-extract it")
    return Document(text=body, published=published, source=SOURCE, genre=GENRE,
                    title=lines[2].strip(), url=lines[0].strip(), category=category, encoding=encoding)
