"""The analyzer's steps, each a small callable with one job (janome's Analyzer shape).

>>> NormalizeUnicode()("ＡＩ規制は２０２５年")
'AI規制は2025年'
>>> RemoveURLs()("詳細はhttps://example.jp/a?b=1を参照")
'詳細は を参照'
>>> from analysis.tokenize.morphology import morphemes
>>> [m.surface for m in JoinCompoundNouns()(morphemes("先端半導体の輸出管理"))]
['先端半導体', 'の', '輸出管理']

Char filters map ``str -> str``. Token filters map an iterable of
:class:`~analysis.tokenize.morphology.Morpheme` to an iterable of them (the analyzer hands each
one a sentence), so each can be tested alone; the analyzer turns the survivors into strings at
the end.

Speed (issue 15): the filters remember their judgement of each distinct morpheme, keyed by
object identity (:class:`IdentityMemo`). That pays because the morphology returns one shared
Morpheme object per dictionary entry (``morphology.JanomeMorphemes``,
``analyzer.FugashiMorphology``): a corpus's distinct words are judged once instead of once per
occurrence, and a sentence's judgements are fetched with C-level ``map(dict.get, map(id, tokens))``
instead of a Python loop per token. Filters that judge each morpheme alone (:class:`PerTokenFilter`:
KeepPOS, DropPOS, BaseForm, DropNumbers, DropSymbols, DropStopwords, DropShort) also offer
``step(morpheme) -> Morpheme | None``, so the analyzer runs a chain of them as ONE remembered step
(:class:`FusedSteps`). :class:`JoinCompoundNouns` finds its runs with a regular expression over one
class letter per morpheme, :class:`JoinLettersDigits` with one over the surfaces. The
straightforward per-token versions these replace are kept in ``tests/test_tokenize.py``, which
checks on random morphemes that both give the same tokens.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from functools import partial
from itertools import repeat
from operator import attrgetter, is_

from analysis.tokenize.morphology import Morpheme

# -- char filters ------------------------------------------------------------------------------


class NormalizeUnicode:
    """Unicode normalisation (NFKC by default): full-width letters and digits become ASCII.

    ``line_safe``: normalising lines joined by "\n" gives the normalised lines joined by "\n"
    ("\n" is a stable code point of every normalisation form: it neither composes with its
    neighbours nor comes out of any decomposition; tested over all code points), so the analyzer
    may normalise a document's sentences in one call.
    """

    line_safe = True

    def __init__(self, form: str = "NFKC"):
        self.form = form

    def __call__(self, text: str) -> str:
        """``unicodedata.normalize(form, text)``, computed line by line: by ``line_safe``, the
        same text; lines already normalised (most, in editorials) cost only a quick check, where
        normalising the whole text decomposes and recomposes every character (issue 15: half the
        time of NFKC on livedoor)."""
        if "\n" not in text:
            return unicodedata.normalize(self.form, text)
        form, is_normalized = self.form, unicodedata.is_normalized
        normalize = self._wide_first if form in ("NFKC", "NFKD") else partial(unicodedata.normalize, form)
        return "\n".join([line if is_normalized(form, line) else normalize(line) for line in text.split("\n")])

    #: Full-width ASCII (U+FF01-U+FF5E) and the ideographic space: the compatibility decomposition
    #: of each is the one ASCII character, of combining class 0 like it.
    _WIDE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
    #: A run of those characters (``str.translate`` looks up every character of a line in a dict;
    #: a regular expression finds the few runs at C speed, and only they are translated).
    _WIDE_RUN = re.compile("[\uff01-\uff5e\u3000]+")

    def _wide_first(self, line: str) -> str:
        """NFKC/NFKD of ``line``: the full-width ASCII replaced first (cheap, and NFKD of the line
        is unchanged by it), then normalised only if something else is left (issue 15: in
        Japanese news most lines that are not normalised only hold full-width ASCII)."""
        line = self._WIDE_RUN.sub(self._narrow, line)
        return line if unicodedata.is_normalized(self.form, line) else unicodedata.normalize(self.form, line)

    @classmethod
    def _narrow(cls, run: re.Match) -> str:
        return run.group().translate(cls._WIDE)


class RemovePatterns:
    """Replace every match of the given regular expressions with ``replacement`` (a space)."""

    #: Strings of which every match contains at least one (empty: unknown, always search).
    REQUIRES: tuple[str, ...] = ()
    #: Same result on lines joined by "\n" as on each line? Not for arbitrary patterns (``\s``
    #: matches "\n"); True for the URL and e-mail patterns, which match no "\n" and use no anchors.
    line_safe = False

    def __init__(self, patterns: Iterable[str], replacement: str = " ", prefilter: str | None = None):
        self.patterns = tuple(patterns)
        self.replacement = replacement
        self._regex = re.compile("|".join(f"(?:{p})" for p in self.patterns)) if self.patterns else None
        #: Optional: a regular expression with a match inside every match of the patterns, that
        #: matches no line break and uses no anchors or lookarounds, so the lines of a text that
        #: may hold a match are those where it matches in the lines joined by "\n" (the analyzer
        #: filters only those lines; the others are left as they are, which filtering them would
        #: also do).
        self.prefilter = re.compile(prefilter) if prefilter else None

    def __call__(self, text: str) -> str:
        if self._regex is None or (self.REQUIRES and not any(map(text.__contains__, self.REQUIRES))):
            return text
        return self._regex.sub(self.replacement, text)


class RemoveURLs(RemovePatterns):
    """Drop http(s) and www. addresses (ASCII URL characters only, so text glued on survives)."""

    URL = r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    REQUIRES = ("://", "www.")  # a substring test is far cheaper than a regex search
    line_safe = True

    def __init__(self):
        super().__init__([self.URL])


class RemoveEmails(RemovePatterns):
    """Drop e-mail addresses."""

    EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
    REQUIRES = ("@",)
    line_safe = True

    def __init__(self):
        super().__init__([self.EMAIL])


# -- token filters -----------------------------------------------------------------------------


def pos_string(morpheme: Morpheme) -> str:
    return ",".join(morpheme.pos)


class POSPrefixes:
    """``POSPrefixes(("名詞", "動詞,自立")).match(m)``: is the POS one of them or below one?

    "名詞,固有名詞" matches 名詞,固有名詞 and 名詞,固有名詞,地域,国 but not 名詞,固有名詞的.
    """

    def __init__(self, prefixes: Iterable[str]):
        self.prefixes = tuple(prefixes)
        self._exact = frozenset(self.prefixes)
        self._below = tuple(p + "," for p in self.prefixes)
        self._by_pos: dict[tuple, bool] = {}  # a tagset has a few hundred distinct POS tuples

    def match(self, morpheme: Morpheme) -> bool:
        matched = self._by_pos.get(morpheme.pos)
        if matched is None:
            pos = ",".join(morpheme.pos)
            matched = pos in self._exact or pos.startswith(self._below)
            if len(self._by_pos) < 10_000:
                self._by_pos[morpheme.pos] = matched
        return matched


_HAS_LETTER = re.compile(r"[^\W\d_]")
_NUMBER = re.compile(r"^[\d０-９〇一二三四五六七八九十百千万億兆.,・]+$")
_MISSING = object()
_is_missing = partial(is_, _MISSING)
_surface = attrgetter("surface")

_BREAK = "\x00<sentence break>\x00"  # FusedSteps' value for SENTENCE_BREAK (compared by identity)

#: Put between sentences so a whole document is filtered in one pass: no joining filter joins it
#: (no letter, not alphanumeric) and each passes it through; the last step splits at it (by identity).
SENTENCE_BREAK = Morpheme("\n", "\n", ("BOS/EOS", "*", "*", "*"), "*")


class IdentityMemo:
    """Values remembered per object: ``memo.put(obj, value)``, ``memo.lookup(objects)``.

    Keyed by ``id``; the memo holds every object it remembers, so no other object can take over
    its id meanwhile (``put`` holds a lock, so a value is never remembered without its object).
    Up to ``max_size`` objects, then it starts over. Never pickled (ids mean nothing in another
    process).
    """

    def __init__(self, max_size: int = 500_000):
        self.max_size = max_size
        self.values: dict[int, object] = {}
        self._held: list = []
        self._lock = threading.Lock()

    def put(self, obj, value):
        with self._lock:
            if len(self._held) >= self.max_size:
                self.values.clear()
                self._held.clear()
            self._held.append(obj)
            self.values[id(obj)] = value
        return value

    def lookup(self, objects: list) -> list:
        """The remembered value of each object, ``_MISSING`` where there is none."""
        return list(map(self.values.get, map(id, objects), repeat(_MISSING)))

    def __len__(self) -> int:
        return len(self.values)

    def __getstate__(self) -> dict:
        return {"max_size": self.max_size}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["max_size"])


def _fill(memo: IdentityMemo, tokens: list, found: list, judge, strings: bool = True) -> list:
    """``found`` (from ``memo.lookup(tokens)``) with each missing value judged and remembered.

    ``strings``: the values are strings or None, so ``in`` may compare them with the marker (for
    other objects, such as Morphemes, ``==`` would run a Python ``__eq__`` per value).
    """
    if (_MISSING in found) if strings else any(map(_is_missing, found)):
        for i, value in enumerate(found):
            if value is _MISSING:
                found[i] = memo.put(tokens[i], judge(tokens[i]))
    return found


class PerTokenFilter:
    """A token filter that judges each morpheme alone: ``step(t)`` returns the morpheme to keep
    (``t`` or a replacement) or ``None`` to drop it; calling the filter maps ``step`` over tokens.

    ``pos_only``: ``step(t)`` is ``t`` or None and depends on ``t.pos`` alone (FusedSteps then
    remembers its verdict per POS). A subclass that defines its own ``step`` is not ``pos_only``
    unless it says so.
    """

    pos_only = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__ and "pos_only" not in cls.__dict__:
            cls.pos_only = False

    def step(self, t: Morpheme) -> Morpheme | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, tokens: Iterable[Morpheme]) -> Iterator[Morpheme]:
        return (kept for kept in map(self.step, tokens) if kept is not None)


class FusedSteps(PerTokenFilter):
    """Several per-token filters as one step, remembered per distinct morpheme.

    ``FusedSteps([KeepPOS(...), BaseForm(), DropStopwords(...)])`` gives the same tokens as the
    three filters chained; a morpheme object seen before costs one dict lookup.
    """

    def __init__(self, filters: Iterable[PerTokenFilter]):
        self.filters = tuple(filters)
        steps: list = []
        for token_filter in self.filters:  # consecutive POS-only filters: one gate, remembered per POS
            if getattr(token_filter, "pos_only", False):
                if steps and isinstance(steps[-1], _POSGate):
                    steps[-1] = _POSGate(steps[-1].filters + (token_filter,))
                else:
                    steps.append(_POSGate((token_filter,)))
            else:
                steps.append(token_filter.step)
        self._steps = tuple(steps)
        self._kept = IdentityMemo()  # morpheme -> kept morpheme or None
        self._surfaces = IdentityMemo()  # morpheme -> surface of the kept morpheme or None
        self._keeps_empty = False  # has a kept morpheme had an empty surface?

    def step(self, t: Morpheme) -> Morpheme | None:
        kept = t
        for step in self._steps:
            kept = step(kept)
            if kept is None:
                break
        return kept

    def _surface(self, t: Morpheme) -> str | None:
        """``self.step(t).surface`` (None: dropped), the steps run here (one call less per new
        morpheme: the fugashi analyzer's first pass judges one per distinct MeCab line)."""
        for step in self._steps:
            t = step(t)
            if t is None:
                return None
        if not t.surface:
            self._keeps_empty = True
        return t.surface

    def __call__(self, tokens: Iterable[Morpheme]) -> list[Morpheme]:
        tokens = tokens if isinstance(tokens, list) else list(tokens)
        kept = _fill(self._kept, tokens, self._kept.lookup(tokens), self.step, strings=False)
        return [t for t in kept if t is not None]

    def surfaces(self, tokens: Iterable[Morpheme]) -> list[str]:
        """``[t.surface for t in self(tokens)]`` (the analyzer's last step)."""
        tokens = tokens if isinstance(tokens, list) else list(tokens)
        return self._kept_surfaces(_fill(self._surfaces, tokens, self._surfaces.lookup(tokens), self._surface))

    def surfaces_by_sentence(self, tokens: list[Morpheme], sentence_break: Morpheme) -> list[list[str]]:
        """``surfaces`` of each sentence of ``tokens``, the sentences ended by ``sentence_break``."""
        if self._surfaces.values.get(id(sentence_break)) is not _BREAK:
            self._surfaces.put(sentence_break, _BREAK)
        found = _fill(self._surfaces, tokens, self._surfaces.lookup(tokens), self._surface)
        out, start = [], 0
        while True:
            try:
                end = found.index(_BREAK, start)  # finds an equal string too: check identity
                while found[end] is not _BREAK:
                    end = found.index(_BREAK, end + 1)
            except ValueError:
                return out
            out.append(self._kept_surfaces(found[start:end]))
            start = end + 1

    def _kept_surfaces(self, found: list) -> list[str]:
        if self._keeps_empty:
            return [s for s in found if s is not None]
        return list(filter(None, found))  # None: dropped (no kept surface is empty)


class _POSGate:
    """Filters whose ``step`` returns the morpheme itself or None by its POS alone (``pos_only``),
    run as one step whose verdict is remembered per POS tuple (FusedSteps)."""

    def __init__(self, filters: tuple):
        self.filters = filters
        self._steps = tuple(f.step for f in filters)
        self._verdicts: dict[tuple, bool] = {}

    def __call__(self, t: Morpheme) -> Morpheme | None:
        verdict = self._verdicts.get(t.pos)
        if verdict is None:
            verdict = all(step(t) is not None for step in self._steps)
            if len(self._verdicts) < 10_000:  # a tagset has a few hundred POS tuples
                self._verdicts[t.pos] = verdict
        return t if verdict else None


class KeepPOS(PerTokenFilter):
    """Keep morphemes whose POS starts with one of ``prefixes`` ("名詞", "名詞,固有名詞", ...)."""

    pos_only = True  # step(t) is t or None, by t.pos alone

    def __init__(self, prefixes: Iterable[str]):
        self.prefixes = tuple(prefixes)
        self._match = POSPrefixes(self.prefixes).match

    def step(self, t: Morpheme) -> Morpheme | None:
        return t if self._match(t) else None


class DropPOS(PerTokenFilter):
    """Drop morphemes whose POS starts with one of ``prefixes`` ("名詞,非自立", "助詞", ...)."""

    pos_only = True  # step(t) is t or None, by t.pos alone

    def __init__(self, prefixes: Iterable[str]):
        self.prefixes = tuple(prefixes)
        self._match = POSPrefixes(self.prefixes).match

    def step(self, t: Morpheme) -> Morpheme | None:
        return None if self._match(t) else t


class _Runs:
    """``join(run)`` remembered by the identities of the run's members (a joined Morpheme is then
    shared, which keeps the later filters' memories small).

    Each entry holds its members, so their ids stay theirs while it is remembered.
    """

    def __init__(self, max_size: int = 200_000):
        self.max_size = max_size
        self.joined: dict[tuple[int, ...], tuple[tuple, object]] = {}

    def get(self, run: list[Morpheme], join):
        key = tuple(map(id, run))
        hit = self.joined.get(key)
        if hit is not None:
            return hit[1]
        if len(self.joined) >= self.max_size:
            self.joined.clear()
        morpheme = join(run)
        self.joined[key] = (tuple(run), morpheme)
        return morpheme

    def __getstate__(self) -> dict:
        return {"max_size": self.max_size, "joined": {}}


class JoinLettersDigits:
    """Join adjacent runs of ASCII letters and digits into one name: R + 1 -> R1, G + 7 -> G7, 5 + G -> 5G.

    janome splits model and chip names at the letter/digit boundary, after which the digits are
    dropped as numbers and a stray ``R`` is left. Only directly adjacent tokens join (a space or
    hyphen between them is a token of its own), and a run needs a letter; the result is tagged
    ``名詞,固有名詞,一般``.

    Such runs are rare, so the tokens are not judged one by one: a regular expression over their
    surfaces, joined with a separator, finds the places where two or more alphanumeric tokens
    touch, and only those tokens are looked at.
    """

    _ALNUM = re.compile(r"^[A-Za-z0-9]+$")
    _LETTER = re.compile(r"[A-Za-z]")
    _SEP = "\x00"
    # Alphanumeric text running across a token boundary: every run of two or more tokens that
    # _ALNUM matches ($ also matches before a final "\n") lies inside one match. A match may start
    # or end inside a token that is not alphanumeric throughout; _join_one_by_one judges it.
    _TOUCHING = re.compile(r"[A-Za-z0-9]+\n?(?:\x00[A-Za-z0-9]+\n?)+")
    POS = ("名詞", "固有名詞", "一般", "*")

    def __init__(self):
        self._runs = _Runs()
        self._stretches = _Runs()  # a stretch of touching tokens -> its tokens after joining

    def _joins(self, t: Morpheme) -> bool:
        return bool(self._ALNUM.match(t.surface)) and t.pos[0] == "名詞"

    def _join(self, run: list[Morpheme]) -> Morpheme:
        surface = "".join(map(_surface, run))
        return Morpheme(surface, surface, self.POS, surface)

    def _flush(self, run: list[Morpheme], out: list[Morpheme]) -> None:
        if len(run) > 1 and any(self._LETTER.search(t.surface) for t in run):
            out.append(self._runs.get(run, self._join))
        else:
            out += run

    def __call__(self, tokens: Iterable[Morpheme]) -> list[Morpheme]:
        tokens = tokens if isinstance(tokens, list) else list(tokens)
        surfaces = self._SEP.join(map(_surface, tokens))
        if surfaces.count(self._SEP) != len(tokens) - 1:  # a surface holds the separator
            return self._join_one_by_one(tokens)
        out: list[Morpheme] = []
        done = index = position = 0  # tokens copied; token index of character `position`
        for match in self._TOUCHING.finditer(surfaces):
            first = index + surfaces.count(self._SEP, position, match.start())
            last = first + match.group().count(self._SEP)
            index, position = last, match.end()
            first = max(first, done)  # a token the previous match ended in is already copied
            out += tokens[done:first]
            out += self._stretches.get(tokens[first:last + 1], self._join_one_by_one)
            done = last + 1
        if not done:
            return tokens
        out += tokens[done:]
        return out

    def _join_one_by_one(self, tokens: list[Morpheme]) -> list[Morpheme]:
        out: list[Morpheme] = []
        run: list[Morpheme] = []
        for t in tokens:
            if self._joins(t):
                run.append(t)
                continue
            if run:
                self._flush(run, out)
                run = []
            out.append(t)
        if run:
            self._flush(run, out)
        return out


class JoinCompoundNouns:
    """Join runs of nouns into one token: 輸出 + 規制 -> 輸出規制, 低 + コスト -> 低コスト.

    A run is a noun-prefix (接頭詞,名詞接続) or content noun (一般, サ変接続, 固有名詞)
    followed by content nouns and noun suffixes (的, 者, 化: 名詞,接尾 except counters and name
    suffixes). Adjectival nouns (十分, 必要, 厳格) do not join. Numbers, symbols, anything without a letter, and POS in
    ``break_pos`` (default: organisations and person names, which stay recognisable on their own)
    end a run. Runs of more than ``max_len`` morphemes are left unjoined: they are mostly lists
    and headlines, and a long joined string would be a word seen once. The joined token gets POS
    ``名詞,複合`` and the concatenated readings.

    Each morpheme is classed once as a prefix ``p``, head ``h``, suffix ``s`` or neither ``.``;
    a run of two or more is then a match of ``(?:ph|h[hs])[hs]*`` in the sentence's classes (a
    prefix starts a run, a head may start or continue one, a suffix only continues one that
    holds a head).
    """

    HEAD = ("名詞,一般", "名詞,サ変接続", "名詞,固有名詞")
    PREFIX = ("接頭詞,名詞接続",)
    SUFFIX = ("名詞,接尾,一般", "名詞,接尾,サ変接続", "名詞,接尾,形容動詞語幹")
    POS = ("名詞", "複合", "*", "*")
    _RUN = re.compile(r"(?:ph|h[hs])[hs]*")

    def __init__(self, max_len: int = 3, break_pos: Iterable[str] = ("名詞,固有名詞,組織", "名詞,固有名詞,人名")):
        self.max_len = max_len
        self.break_pos = tuple(break_pos)
        self._breaks = POSPrefixes(self.break_pos).match
        self._heads = POSPrefixes(self.HEAD).match
        self._prefixes = POSPrefixes(self.PREFIX).match
        self._suffixes = POSPrefixes(self.SUFFIX).match
        self._classes = IdentityMemo()  # morpheme -> "p", "h", "s" or "."
        self._pos_classes: dict[tuple, str] = {}  # POS -> its class (see _class)
        self._runs = _Runs()

    def _kind(self, t: Morpheme) -> str | None:
        if not _HAS_LETTER.search(t.surface) or _NUMBER.match(t.surface) or self._breaks(t):
            return None
        if self._heads(t):
            return "head"
        if self._prefixes(t):
            return "prefix"
        if self._suffixes(t):
            return "suffix"
        return None

    def _class(self, t: Morpheme) -> str:
        """``_class_of_pos`` of the POS, or "." where the surface cannot be in a run (no letter, a
        number). The POS is looked at first: most morphemes whose POS gives "." need no look at
        their surface (the first pass judges one morpheme per distinct MeCab line)."""
        pos_class = self._pos_classes.get(t.pos)
        if pos_class is None:
            pos_class = self._class_of_pos(t)
            if len(self._pos_classes) < 10_000:  # a tagset has a few hundred POS tuples
                self._pos_classes[t.pos] = pos_class
        if pos_class == "." or not _HAS_LETTER.search(t.surface) or _NUMBER.match(t.surface):
            return "."
        return pos_class

    def _class_of_pos(self, t: Morpheme) -> str:
        """The class ``_kind`` gives a morpheme of ``t``'s POS whose surface may be in a run."""
        if self._breaks(t):
            return "."
        kind = "head" if self._heads(t) else "prefix" if self._prefixes(t) else "suffix" if self._suffixes(t) else None
        if kind is None:
            return "."
        # A prefix is told apart by its POS (接頭詞) when runs are joined; "x" marks a morpheme
        # whose POS and class disagree (a POS field holding a comma), sent to the plain loop.
        return kind[0] if (kind == "prefix") == (t.pos[0] == "接頭詞") else "x"

    def _join(self, run: list[Morpheme]) -> Morpheme:
        surface = "".join(map(_surface, run))
        reading = "".join([t.reading if t.reading not in ("", "*") else t.surface for t in run])
        return Morpheme(surface, surface, self.POS, reading)

    def __call__(self, tokens: Iterable[Morpheme]) -> list[Morpheme]:
        tokens = tokens if isinstance(tokens, list) else list(tokens)
        classes = "".join(_fill(self._classes, tokens, self._classes.lookup(tokens), self._class))
        if "x" in classes:
            return self._join_one_by_one(tokens)
        out: list[Morpheme] = []
        done = 0
        runs, join, max_len = self._runs.get, self._join, self.max_len
        for match in self._RUN.finditer(classes):
            start, end = match.span()
            if end - start <= max_len:
                out += tokens[done:start]
                out.append(runs(tokens[start:end], join))
                done = end
        if not done:
            return tokens
        out += tokens[done:]
        return out

    def _join_one_by_one(self, tokens: list[Morpheme]) -> list[Morpheme]:
        """The run logic token by token (the regular expression above does the same)."""
        out: list[Morpheme] = []
        run: list[Morpheme] = []

        def flush(run: list[Morpheme]) -> list[Morpheme]:
            if len(run) == 1 or len(run) > self.max_len or run[-1].pos[0] == "接頭詞":
                return run
            return [self._join(run)]

        for t in tokens:
            kind = self._kind(t)
            if kind == "prefix":
                out += flush(run) if run else []
                run = [t]
            elif kind == "head" or (kind == "suffix" and run and run[-1].pos[0] != "接頭詞"):
                run.append(t)
            else:
                if run:
                    out += flush(run)
                    run = []
                out.append(t)
        if run:
            out += flush(run)
        return out


class BaseForm(PerTokenFilter):
    """Replace each surface by its dictionary form: 強化した -> する, 速かった -> 速い."""

    def step(self, t: Morpheme) -> Morpheme | None:
        return t if t.base in (t.surface, "", "*") else Morpheme(t.base, t.base, t.pos, t.reading, t.infl_form)


class DropStopwords(PerTokenFilter):
    """Drop tokens (compared after base forms) found in ``words``, except country names.

    A stopword list holds function words: 中 there is "during" (会議中), while janome's tag
    ``名詞,固有名詞,地域,国`` says the 中 of 米中 or 対中 is China, which is kept.
    """

    KEEP = ("名詞,固有名詞,地域,国",)

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(words)
        self._keep = POSPrefixes(self.KEEP).match

    def step(self, t: Morpheme) -> Morpheme | None:
        return t if t.surface not in self.words or self._keep(t) else None


class DropNumbers(PerTokenFilter):
    """Drop numbers in digits or kanji: 2025, 4千, 三, 1.5."""

    def step(self, t: Morpheme) -> Morpheme | None:
        return None if _NUMBER.match(t.surface) else t


class DropSymbols(PerTokenFilter):
    """Drop tokens without a single letter (janome tags ASCII ``(``, ``:`` and ``-`` as nouns)."""

    def step(self, t: Morpheme) -> Morpheme | None:
        return t if _HAS_LETTER.search(t.surface) else None


class DropShort(PerTokenFilter):
    """Drop tokens shorter than ``min_length`` characters."""

    def __init__(self, min_length: int = 1):
        self.min_length = min_length

    def step(self, t: Morpheme) -> Morpheme | None:
        return t if len(t.surface) >= self.min_length else None
