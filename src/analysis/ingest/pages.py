"""Pages saved from newspapers' Japanese editions (and plain text) -> :class:`Document`.

>>> page = "\\n".join(["本文に移動", "【社説】半導体の輸出規制を考える",
...     "登録:2024-03-01 09:00 修正:2024-03-01 10:15", "港に並ぶコンテナ/共同通信",
...     " 政府は輸出管理を強化した。", " 影響を見極めたい。",
...     "https://www.hani.co.kr/arti/1.html韓国語原文入力:2024-02-29 21:00", "訳K.M", "関連記事", "別の記事"])
>>> doc = parse_page(page, name="a.txt", folder="pages")
>>> doc.source, doc.genre, doc.title, doc.translator, doc.url
('ハンギョレ', '社説', '半導体の輸出規制を考える', 'K.M', 'https://www.hani.co.kr/arti/1.html')
>>> doc.text
'政府は輸出管理を強化した。\\n影響を見極めたい。'
>>> doc.published.isoformat(), doc.updated.isoformat(), doc.original_published.isoformat()
('2024-03-01T09:00:00+09:00', '2024-03-01T10:15:00+09:00', '2024-02-29T21:00:00+09:00')

The page's profile is detected from its text (:func:`analysis.ingest.profiles.detect_profile`).
The newspaper name comes from the URL host table of the profiles; when the URL is absent or its
host unknown, from a line naming the paper (JoongAng's ``ⓒ 中央日報``), else from the name of the
folder holding the file (the demo corpus is laid out as ``pages/<新聞名>/<file>.txt``).
A page without a date stamp takes the date in its file name (``2024-03-01_x.txt``); without
either, ``published`` is None and the caller decides (see :mod:`analysis.ingest`).
"""

from __future__ import annotations

from analysis.ingest.dates import date_from_name, parse_datetime
from analysis.ingest.profiles import PROFILES, SourceProfile, detect_profile, newspaper_for_url, title_parts
from analysis.ingest.schema import Document, Rejected, clean_paragraphs


def _header_index(lines: list[str], pattern, limit: int) -> int | None:
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if pattern.match(line):
            return i
        seen += 1
        if seen >= limit:
            return None
    return None


def parse_page(text: str, *, name: str, folder: str, encoding: str = "",
               profile: SourceProfile | None = None, profiles=PROFILES) -> Document:
    """Parse one saved page; raises :class:`Rejected` when it has no title or no body."""
    profile = profile or detect_profile(text, profiles)
    lines = [line.rstrip() for line in text.split("\n")]
    if profile.trailer is not None:
        for i, line in enumerate(lines):
            if profile.trailer.match(line):
                lines = lines[:i]
                break
    if profile.navigation is not None:
        lines = ["" if profile.navigation.match(line) else line for line in lines]

    date_i = _header_index(lines, profile.date, profile.header_lines + 1)
    published = updated = None
    if date_i is not None:
        stamp = profile.date.match(lines[date_i])
        published = parse_datetime(stamp.group("published"))
        if "updated" in stamp.groupdict() and stamp.group("updated"):
            updated = parse_datetime(stamp.group("updated"))

    title_i = None
    if date_i is not None and profile.title_before_date:
        # the headline is the nearest line above the stamp (site chrome above it is ignored)
        title_i = next((i for i in range(date_i - 1, -1, -1) if lines[i].strip()), None)
    elif not profile.title_before_date:
        title_i = next((i for i, line in enumerate(lines) if line.strip() and i != date_i), None)
    else:  # a stamped profile without its stamp: the first line is the best guess
        title_i = next((i for i, line in enumerate(lines) if line.strip()), None)
    genre = title = ""
    if title_i is not None:
        match = profile.title.match(lines[title_i])
        genre, title = title_parts(match) if match else ("", lines[title_i].strip())
    if title_i is None:
        raise Rejected(f"no title: expected the headline as the first line ({profile.name} page); "
                       "add a title line above the text")

    start = max(title_i, -1 if date_i is None else date_i) + 1
    body_lines = lines[start:]
    if profile.caption is not None and date_i is not None and date_i >= title_i:
        # photo captions come right after the date stamp and end in a credit
        j = 0
        while j < len(body_lines):
            if not body_lines[j].strip():
                j += 1
            elif profile.caption.match(body_lines[j]) and not body_lines[j].rstrip().endswith("。"):
                body_lines[j] = ""
                j += 1
            else:
                break

    url = translator = ""
    original = None
    body: list[str] = []
    for line in body_lines:
        if not line.strip():
            continue
        if profile.contact is not None and profile.contact.match(line):
            continue
        if profile.original is not None and (match := profile.original.match(line)):
            original = parse_datetime(match.group("original"))
            url = url or (match.group("url") or "")
            continue
        if match := profile.url.match(line):
            url = url or match.group("url")
            continue
        if profile.translator is not None and (match := profile.translator.match(line)):
            translator = match.group("translator").strip()
            continue
        body.append(line)
    body_text = clean_paragraphs(body)
    if not body_text:
        raise Rejected(f"no body text after the title and date ({profile.name} page); the file holds "
                       "only a headline: save the whole article")

    notes: list[str] = []
    if published is None:
        published = date_from_name(name)
        if published is not None:
            notes.append("date taken from the file name")
    source = newspaper_for_url(url, profiles) if url else ""
    if not source and profile.stamped_source is not None:
        match = profile.stamped_source.search(text)
        source = match.group("source") if match else ""
    source = source or folder
    return Document(text=body_text, published=published, source=source, genre=genre, title=title,
                    updated=updated, original_published=original, url=url, translator=translator,
                    encoding=encoding, notes=notes)

