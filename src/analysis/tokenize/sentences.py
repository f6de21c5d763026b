"""Sentence splitting for editorials: on 。！？ and line breaks, never inside 「」『』（）.

>>> split_sentences("輸出規制は強化すべきだ。だが「補助金は要らない。」と言う。\\n次の段落")
['輸出規制は強化すべきだ。', 'だが「補助金は要らない。」と言う。', '次の段落']
>>> sentence_spans("一。二。")
[(0, 2), (2, 4)]

Spans are character offsets into the text as given, so evidence sentences can be located in the
original document. Whitespace-only pieces are dropped; surrounding spaces are trimmed.
"""

from __future__ import annotations

ENDERS = frozenset("。！？!?")
OPENERS = {"「": "」", "『": "』", "（": "）", "(": ")", "【": "】"}
CLOSERS = frozenset(OPENERS.values())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence of ``text``, in order."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS and depth > 0:
            depth -= 1
        if ch in "\r\n":
            _add(text, start, i, spans)
            depth = 0
            start = i + 1
        elif ch in ENDERS and depth == 0:
            end = i + 1
            while end < n and text[end] in ENDERS:  # 「！？」 runs stay together
                end += 1
            _add(text, start, end, spans)
            start = end
            i = end
            continue
        i += 1
    _add(text, start, n, spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (see :func:`sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text)]
