"""The corpus schema, content-derived document ids and the records every reader returns.

>>> doc_id_for("輸出規制は　強化すべきだ。") == doc_id_for("輸出規制は 強化すべきだ。")
True
>>> len(doc_id_for("半導体補助金"))
16

``doc_id_for`` hashes the *normalised* text (NFKC, every whitespace run collapsed to one space),
so the same editorial saved twice with other spaces, line ends or full-width digits gets the same
id and is reported as a duplicate.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

#: Column order of corpus.parquet (docs/ARCHITECTURE.md).
COLUMNS = (
    "doc_id", "source", "genre", "title", "text", "published", "updated", "original_published",
    "url", "translator", "category", "path", "encoding",
)
DATE_COLUMNS = ("published", "updated", "original_published")
REPORT_COLUMNS = ("path", "status", "reason", "doc_id")

_WS = re.compile(r"\s+")


@cache
def _compat_pattern() -> tuple[re.Pattern, dict[str, str]]:
    table = {}
    for code in range(0x10000):
        char = chr(code)
        if not 0xD800 <= code < 0xE000 and (norm := unicodedata.normalize("NFKC", char)) != char:
            table[char] = norm
    return re.compile("[" + "".join(re.escape(c) for c in sorted(table)) + "]+"), table


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, about 3x faster on Japanese news text.

    Characters whose NFKC form differs are replaced by it first (NFKD(NFKC(c)) == NFKD(c), so the
    final NFKC is unchanged); the full normalisation runs only if the result still is not NFKC
    (composition across characters, e.g. half-width ﾊﾞ).
    """
    pattern, table = _compat_pattern()
    text = pattern.sub(lambda m: "".join(table[c] for c in m.group()), text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def normalise_text(text: str) -> str:
    """NFKC with whitespace runs collapsed: the form duplicates are compared in."""
    return _WS.sub(" ", nfkc(text)).strip()


def doc_id_for(text: str) -> str:
    """First 16 hex characters of the SHA-256 of the normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


_LEADING_SPACE = re.compile(r"^[ \u3000\t]+")


def clean_paragraphs(lines) -> str:
    """Paragraphs joined by "\\n": leading ASCII/full-width spaces and empty lines dropped."""
    kept = (_LEADING_SPACE.sub("", line).rstrip() for line in lines)
    return "\n".join(line for line in kept if line)


class Rejected(Exception):
    """An input that cannot become a document; the message is the report's reason."""


@dataclass
class Document:
    """One parsed document, before de-duplication."""

    text: str
    published: datetime | None
    source: str = ""
    genre: str = ""
    title: str = ""
    updated: datetime | None = None
    original_published: datetime | None = None
    url: str = ""
    translator: str = ""
    category: str = ""
    encoding: str = ""
    notes: list[str] = field(default_factory=list)  # warnings carried into the report's reason


@dataclass
class Outcome:
    """What became of one input unit (a file, a table row, an archive member)."""

    path: str
    key: tuple
    document: Document | None = None
    reason: str = ""
    kind: str = "page"  # page | row | livedoor: picks the advice given for a missing date
