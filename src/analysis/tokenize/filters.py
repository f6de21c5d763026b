"""The analyzer's steps, each a small callable with one job (janome's Analyzer shape).

>>> NormalizeUnicode()("ＡＩ規制は２０２５年")
'AI規制は2025年'
>>> RemoveURLs()("詳細はhttps://example.jp/a?b=1を参照")
'詳細は を参照'
>>> from analysis.tokenize.morphology import morphemes
>>> [m.surface for m in JoinCompoundNouns()(morphemes("先端半導体の輸出管理"))]
['先端半導体', 'の', '輸出管理']

Char filters map ``str -> str``. Token filters map an iterable of
:class:`~analysis.tokenize.morphology.Morpheme` to an iterator of them, so they chain lazily and
each can be tested alone; the analyzer turns the survivors into strings at the end.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from analysis.tokenize.morphology import Morpheme

# -- char filters ------------------------------------------------------------------------------


class NormalizeUnicode:
    """Unicode normalisation (NFKC by default): full-width letters and digits become ASCII."""

    def __init__(self, form: str = "NFKC"):
        self.form = form

    def __call__(self, text: str) -> str:
        return unicodedata.normalize(self.form, text)


class RemovePatterns:
    """Replace every match of the given regular expressions with ``replacement`` (a space)."""

    def __init__(self, patterns: Iterable[str], replacement: str = " "):
        self.patterns = tuple(patterns)
        self.replacement = replacement
        self._regex = re.compile("|".join(f"(?:{p})" for p in self.patterns)) if self.patterns else None

    def __call__(self, text: str) -> str:
        return self._regex.sub(self.replacement, text) if self._regex else text


class RemoveURLs(RemovePatterns):
    """Drop http(s) and www. addresses (ASCII URL characters only, so text glued on survives)."""

    URL = r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"

    def __init__(self):
        super().__init__([self.URL])


class RemoveEmails(RemovePatterns):
    """Drop e-mail addresses."""

    EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"

    def __init__(self):
        super().__init__([self.EMAIL])


# -- token filters -----------------------------------------------------------------------------


def pos_string(morpheme: Morpheme) -> str:
    return ",".join(morpheme.pos)


def _matches(morpheme: Morpheme, prefixes: tuple[str, ...]) -> bool:
    pos = pos_string(morpheme)
    return any(pos == p or pos.startswith(p + ",") for p in prefixes)


_HAS_LETTER = re.compile(r"[^\W\d_]")
_NUMBER = re.compile(r"^[\d０-９〇一二三四五六七八九十百千万億兆.,・]+$")


class KeepPOS:
    """Keep morphemes whose POS starts with one of ``prefixes`` ("名詞", "名詞,固有名詞", ...)."""

    def __init__(self, prefixes: Iterable[str]):
        self.prefixes = tuple(prefixes)

    def __call__(self, tokens: Iterable[Morpheme]) -> Iterator[Morpheme]:
        return (t for t in tokens if _matches(t, self.prefixes))


class DropPOS:
    """Drop morphemes whose POS starts with one of ``prefixes`` ("名詞,非自立", "助詞", ...)."""

    def __init__(self, prefixes: Iterable[str]):
        self.prefixes = tuple(prefixes)

    def __call__(self, tokens: Iterable[Morpheme]) -> Iterator[Morpheme]:
        return (t for t in tokens if not _matches(t, self.prefixes))


class JoinLettersDigits:
    """Join adjacent runs of ASCII letters and digits into one name: R + 1 -> R1, G + 7 -> G7, 5 + G -> 5G.

    janome splits model and chip names at the letter/digit boundary, after which the digits are
    dropped as numbers and a stray ``R`` is left. Only directly adjacent tokens join (a space or
    hyphen between them is a token of its own), and a run needs a letter; the result is tagged
    ``名詞,固有名詞,一般``.
    """

    _ALNUM = re.compile(r"^[A-Za-z0-9]+$")
    _LETTER = re.compile(r"[A-Za-z]")

    def _flush(self, run: list[Morpheme]) -> Iterator[Morpheme]:
        if len(run) > 1 and any(self._LETTER.search(t.surface) for t in run):
            surface = "".join(t.surface for t in run)
            yield Morpheme(surface, surface, ("名詞", "固有名詞", "一般", "*"), surface)
        else:
            yield from run

    def __call__(self, tokens: Iterable[Morpheme]) -> Iterator[Morpheme]:
        run: list[Morpheme] = []
        for t in tokens:
            if self._ALNUM.match(t.surface) and t.pos[0] == "名詞":
                run.append(t)
                continue
            yield from self._flush(run)
            run = []
            yield t
        yield from self._flush(run)


class JoinCompoundNouns:
    """Join runs of nouns into one token: 輸出 + 規制 -> 輸出規制, 低 + コスト -> 低コスト.

    A run is a noun-prefix (接頭詞,名詞接続) or content noun (一般, サ変接続, 固有名詞)
    followed by content nouns and noun suffixes (的, 者, 化: 名詞,接尾 except counters and name
    suffixes). Adjectival nouns (十分, 必要, 厳格) do not join. Numbers, symbols, anything without a letter, and POS in
    ``break_pos`` (default: organisations and person names, which stay recognisable on their own)
    end a run. Runs of more than ``max_len`` morphemes are left unjoined: they are mostly lists
    and headlines, and a long joined string would be a word seen once. The joined token gets POS
    ``名詞,複合`` and the concatenated readings.
    """

    HEAD = ("名詞,一般", "名詞,サ変接続", "名詞,固有名詞")
    PREFIX = ("接頭詞,名詞接続",)
    SUFFIX = ("名詞,接尾,一般", "名詞,接尾,サ変接続", "名詞,接尾,形容動詞語幹")

    def __init__(self, max_len: int = 3, break_pos: Iterable[str] = ("名詞,固有名詞,組織", "名詞,固有名詞,人名")):
        self.max_len = max_len
        self.break_pos = tuple(break_pos)

    def _kind(self, t: Morpheme) -> str | None:
        if not _HAS_LETTER.search(t.surface) or _NUMBER.match(t.surface) or _matches(t, self.break_pos):
            return None
        if _matches(t, self.HEAD):
            return "head"
        if _matches(t, self.PREFIX):
            return "prefix"
        if _matches(t, self.SUFFIX):
            return "suffix"
        return None

    def _flush(self, run: list[Morpheme]) -> Iterator[Morpheme]:
        if len(run) == 1 or len(run) > self.max_len or run[-1].pos[0] == "接頭詞":
            yield from run
        else:
            surface = "".join(t.surface for t in run)
            reading = "".join(t.reading if t.reading not in ("", "*") else t.surface for t in run)
            yield Morpheme(surface, surface, ("名詞", "複合", "*", "*"), reading)

    def __call__(self, tokens: Iterable[Morpheme]) -> Iterator[Morpheme]:
        run: list[Morpheme] = []
        for t in tokens:
            kind = self._kind(t)
            if kind == "prefix":
                yield from self._flush(run) if run else ()
                run = [t]
            elif kind == "head" or (kind == "suffix" and run and run[-1].pos[0] != "接頭詞"):
                run.append(t)
            else:
                if run:
                    yield from self._flush(run)
                    run = []
                yield t
        if run:
            yield from self._flush(run)


class BaseForm:
    """Replace each surface by its dictionary form: 強化した -> する, 速かった -> 速い."""

    def __call__(self, tokens: Iterable[Morpheme]) -> Iterator[Morpheme]:
        for t in tokens:
            yield t if t.base in (t.surface, "", "*") else Morpheme(t.base, t.base, t.pos, t.reading, t.infl_form)


class DropStopwords:
    """Drop tokens (compared after base forms) found in ``words``, except country names.

    A stopword list holds function words: 中 there is "during" (会議中), while janome's tag
    ``名詞,固有名詞,地域,国`` says the 中 of 米中 or 対中 is China, which is kept.
    """

    KEEP = ("名詞,固有名詞,地域,国",)

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(words)

    def __call__(self, tokens: Iterable[Morpheme]) -> Iterator[Morpheme]:
        return (t for t in tokens if t.surface not in self.words or _matches(t, self.KEEP))


class DropNumbers:
    """Drop numbers in digits or kanji: 2025, 4千, 三, 1.5."""

    def __call__(self, tokens: Iterable[Morpheme]) -> Iterator[Morpheme]:
        return (t for t in tokens if not _NUMBER.match(t.surface))


class DropSymbols:
    """Drop tokens without a single letter (janome tags ASCII ``(``, ``:`` and ``-`` as nouns)."""

    def __call__(self, tokens: Iterable[Morpheme]) -> Iterator[Morpheme]:
        return (t for t in tokens if _HAS_LETTER.search(t.surface))


class DropShort:
    """Drop tokens shorter than ``min_length`` characters."""

    def __init__(self, min_length: int = 1):
        self.min_length = min_length

    def __call__(self, tokens: Iterable[Morpheme]) -> Iterator[Morpheme]:
        return (t for t in tokens if len(t.surface) >= self.min_length)
