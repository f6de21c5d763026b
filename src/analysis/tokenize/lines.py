"""The fugashi analyzer's token filters run on MeCab's output lines (issue 15: speed).

The fugashi backend gets one line per morpheme from MeCab (``analyzer.SHORT_FORMAT``, or
``LINE_FORMAT``: ``surface<TAB>features``), and a corpus repeats a small vocabulary of distinct
lines. When the
token filters are those :func:`~analysis.tokenize.analyzer.build_analyzer` makes (optionally
:class:`~analysis.tokenize.filters.JoinLettersDigits`, optionally
:class:`~analysis.tokenize.filters.JoinCompoundNouns`, then one
:class:`~analysis.tokenize.filters.FusedSteps`), :class:`LineFilters` gives the same tokens as
running those filters over the document's Morphemes, with far less work per morpheme:

- each distinct line is judged once, by the filter objects themselves: its compound class
  (``JoinCompoundNouns._class``), whether ``JoinLettersDigits`` may join it (``_joins``) and the
  surface the fused per-token filters keep (``FusedSteps._surface``, None: dropped), in one call
  (``_Table.__missing__``: on a first pass over a corpus this learning is a fifth of the time). A
  document then costs one C-level dictionary pass over its lines, to their (code letter, kept
  surface) entries, from which the string of code letters and the list of kept surfaces are read
  in C (two tables, one per value, cost a second hashed lookup per line: measured on the first
  pass, 2-4 % of the fugashi analyzer's time). No Morpheme is fetched for a line seen before.
- alphanumeric nouns that touch (common with MeCab, which drops the space of ``Eee PC``) are
  found as runs of upper-case letters; each distinct maximal run goes once through
  ``JoinLettersDigits._join_one_by_one`` and becomes one key (the tuple of its lines) with its
  own code and surface, before compounds are looked for.
- compound runs are found by ``JoinCompoundNouns``'s own regular expression on the letters, and
  each distinct run (its keys) is joined and judged once.
- a sentence where ``JoinCompoundNouns`` would fall back to its plain loop (class ``x``: a POS
  field holding a comma) goes through the filter objects themselves, as Morphemes
  (``Analyzer._filter``): filters never join across sentences, so a sentence gives the same
  tokens alone as within its document.
- the kept surfaces are dealt to the sentences by their END lines' codes, counted in C
  (``itertools.accumulate`` over the lengths of the codes between breaks).

Code letters: the compound class (``p`` prefix, ``h`` head, ``s`` suffix, ``.`` neither, ``x``
POS and class disagree), upper case (``.`` as ``D``) for a morpheme ``JoinLettersDigits`` may
join, ``|`` for the end of a sentence. ``tests/test_tokenize_lines.py`` checks the tokens against
the filters run as Morphemes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import accumulate
from operator import itemgetter

from analysis.tokenize import filters as f
from analysis.tokenize.morphology import Morpheme

#: A run of morphemes JoinLettersDigits may join (upper-case codes), two or more.
_TOUCHING = re.compile(r"[A-Z]{2,}")
#: A morpheme JoinCompoundNouns cannot class by regular expression: its sentence is filtered as
#: Morphemes.
_UNCLASSED = re.compile(r"[xX]")
_BREAK = "|"
_MISSING = object()
_span = re.Match.span
_plus_one = (1).__add__
_code, _kept = itemgetter(0), itemgetter(1)  # of a _Table entry


def _no_class(morpheme) -> str:  # without JoinCompoundNouns every line is of class "."
    return "."


def _never(morpheme) -> bool:  # without JoinLettersDigits no line joins
    return False


class _Table(dict):
    """``line -> (code letter, kept surface)``; a line seen for the first time is judged by the
    filter objects (``__missing__``): the compound class (``JoinCompoundNouns._class``), upper
    case if ``JoinLettersDigits._joins`` it, and ``FusedSteps._surface`` (None: dropped). One
    entry holds both, so a document costs one lookup per line (its codes and surfaces are then
    read off the entries in C), not one in each of two tables."""

    __slots__ = ("end", "morpheme", "class_of", "joins", "surface_of")

    def __init__(self, end: str, morpheme, class_of, joins, surface_of):
        super().__init__()
        self.end, self.morpheme = end, morpheme
        self.class_of, self.joins, self.surface_of = class_of, joins, surface_of

    def __missing__(self, line: str) -> tuple[str, str | None]:
        if line == self.end:
            entry = self[line] = (_BREAK, None)
            return entry
        morpheme = self.morpheme(line)
        code = self.class_of(morpheme)
        if self.joins(morpheme):
            code = "D" if code == "." else code.upper()
        entry = self[line] = (code, self.surface_of(morpheme))
        return entry


class LineFilters:
    """``lines -> tokens of each sentence`` for the filter ``stages`` (see module doc).

    ``LineFilters.applies(tokenizer, stages)`` says whether it can stand in for them: the tokenizer
    offers ``lines``, ``morpheme`` and ``END`` (``FugashiMorphology``) and the stages are exactly
    [JoinLettersDigits], [JoinCompoundNouns], FusedSteps, in that order.
    """

    #: Distinct lines (and distinct compound runs) remembered, then forgotten and rebuilt.
    MAX_LINES = 500_000
    MAX_RUNS = 200_000

    def __init__(self, tokenizer, stages: Sequence, filter_morphemes):
        self.tokenizer = tokenizer
        self.filter_morphemes = filter_morphemes  # (morphemes of a sentence, stages) -> tokens
        self.stages = list(stages)
        self.letters = next((s for s in stages if type(s) is f.JoinLettersDigits), None)
        self.compounds = next((s for s in stages if type(s) is f.JoinCompoundNouns), None)
        self.fused = stages[-1]
        self.end = tokenizer.END
        #: _nones[n]: n Nones, the surfaces of a compound run after its first (the joined word's)
        self._nones = [(None,) * n for n in range(self.compounds.max_len if self.compounds is not None else 0)]
        self._table = _Table(self.end, tokenizer.morpheme,
                             self.compounds._class if self.compounds is not None else _no_class,
                             self.letters._joins if self.letters is not None else _never,
                             self.fused._surface)
        self._runs: dict[tuple, str | None] = {}  # keys of a compound -> its kept surface
        self._letter_runs: dict[tuple[str, ...], tuple] = {}  # see _letter_run
        self._joined: dict[tuple[str, ...], Morpheme] = {}  # lines -> the morpheme joined from them

    def __reduce__(self):  # the memories are rebuilt, never pickled
        return (LineFilters, (self.tokenizer, self.stages, self.filter_morphemes))

    @staticmethod
    def applies(tokenizer, stages: Sequence) -> bool:
        if not (stages and type(stages[-1]) is f.FusedSteps and all(
                hasattr(tokenizer, name) for name in ("lines", "morpheme", "END"))):
            return False
        kinds = [type(s) for s in stages[:-1]]
        return kinds in ([], [f.JoinLettersDigits], [f.JoinCompoundNouns],
                         [f.JoinLettersDigits, f.JoinCompoundNouns])

    def _letter_run(self, run: tuple[str, ...]) -> tuple[list, str, list]:
        """(keys, codes, surfaces) JoinLettersDigits makes of ``run``, a maximal run of lines it
        may join (``_join_one_by_one``: one joined morpheme, or the run unchanged if it has no
        letter); a joined morpheme's key is ``run`` itself."""
        entry = self._letter_runs.get(run)
        if entry is None:
            morphemes = [self.tokenizer.morpheme(line) for line in run]
            joined = self.letters._join_one_by_one(morphemes)
            if len(joined) == len(morphemes):
                entries = list(map(self._table.__getitem__, run))
                entry = (list(run), "".join(map(_code, entries)), list(map(_kept, entries)))
            else:
                (morpheme,) = joined
                self._joined[run] = morpheme
                code = self.compounds._class(morpheme) if self.compounds is not None else "."
                if self.letters._joins(morpheme):  # (always: a run of letters and digits is a noun)
                    code = "D" if code == "." else code.upper()
                entry = ([run], code, [self.fused._surface(morpheme)])
            self._letter_runs[run] = entry
        return entry

    def _join_letters(self, keys: list, codes: str, surfaces: list) -> tuple[list, str, list]:
        """``keys``, ``codes`` and ``surfaces`` after JoinLettersDigits (see :meth:`_letter_run`)."""
        new_keys: list = []
        new_codes: list[str] = []
        new_surfaces: list = []
        done = 0
        for match in _TOUCHING.finditer(codes):
            start, end = match.span()
            new_keys += keys[done:start]
            new_codes.append(codes[done:start])
            new_surfaces += surfaces[done:start]
            run_keys, run_codes, run_surfaces = self._letter_run(tuple(keys[start:end]))
            new_keys += run_keys
            new_codes.append(run_codes)
            new_surfaces += run_surfaces
            done = end
        new_keys += keys[done:]
        new_codes.append(codes[done:])
        new_surfaces += surfaces[done:]
        return new_keys, "".join(new_codes), new_surfaces

    def _learn_run(self, key: tuple, plain: bool) -> str | None:
        """The kept surface of the compound JoinCompoundNouns joins from ``key`` (None: dropped),
        remembered; each item of ``key`` a line or (unless ``plain``) a tuple of lines
        JoinLettersDigits joined (``_letter_run``)."""
        morpheme = self.tokenizer.morpheme
        if plain:
            members = list(map(morpheme, key))
        else:
            joined_runs = self._joined
            members = [joined_runs[k] if type(k) is tuple else morpheme(k) for k in key]
        surface = self._runs[key] = self.fused._surface(self.compounds._join(members))
        return surface

    def _forget(self) -> None:
        """Start the memories over if they have grown too big (between documents, never within one)."""
        if len(self._table) >= self.MAX_LINES:
            self._table.clear()
        if len(self._runs) + len(self._letter_runs) >= self.MAX_RUNS:
            self._runs.clear()
            self._letter_runs.clear()
            self._joined.clear()

    def __call__(self, texts: Sequence[str]) -> list[list[str]] | None:
        """Tokens of each of ``texts`` (the cleaned sentences of a document); None if MeCab's
        output does not end each text with one END line (then the caller filters Morphemes)."""
        if not texts:
            return []
        lines = self.tokenizer.lines(texts)
        self._forget()
        entries = list(map(self._table.__getitem__, lines))
        codes = "".join(map(_code, entries))
        if codes.count(_BREAK) != len(texts) or not codes.endswith(_BREAK):  # pragma: no cover
            return None
        surfaces = list(map(_kept, entries))
        # sentences holding a morpheme JoinCompoundNouns cannot class by regular expression
        special = {codes.count(_BREAK, 0, m.start()) for m in _UNCLASSED.finditer(codes)}
        keys: list = lines
        if self.letters is not None and _TOUCHING.search(codes):
            keys, codes, surfaces = self._join_letters(keys, codes, surfaces)
        compounds = self.compounds
        if compounds is not None:
            max_len, runs_get, nones, plain = compounds.max_len, self._runs.get, self._nones, keys is lines
            for start, end in map(_span, compounds._RUN.finditer(codes.lower())):
                if end - start <= max_len:
                    key = tuple(keys[start:end])
                    surface = runs_get(key, _MISSING)
                    surfaces[start] = self._learn_run(key, plain) if surface is _MISSING else surface
                    surfaces[start + 1:end] = nones[end - start - 1]
        by_filters: dict[int, list[str]] = {}
        if special:
            morpheme, stages = self.tokenizer.morpheme, self.stages
            bounds = [0] + [i + 1 for i, line in enumerate(lines) if line == self.end]
            for index in special:
                sentence = lines[bounds[index]:bounds[index + 1] - 1]
                by_filters[index] = self.filter_morphemes(list(map(morpheme, sentence)), stages)
        keeps_empty = self.fused._keeps_empty
        if not by_filters and not keeps_empty:
            # sentence i is surfaces[bounds[i]:bounds[i + 1] - 1] (its END line's code is a break)
            bounds = list(accumulate(map(_plus_one, map(len, codes.split(_BREAK)[:-1])), initial=0))
            return [list(filter(None, surfaces[a:b - 1])) for a, b in zip(bounds, bounds[1:])]
        out: list[list[str]] = []
        start, find = 0, codes.find
        for index in range(len(texts)):
            end = find(_BREAK, start)
            if index in by_filters:
                out.append(by_filters[index])
            elif keeps_empty:
                out.append([s for s in surfaces[start:end] if s is not None])
            else:
                out.append(list(filter(None, surfaces[start:end])))  # no kept surface is empty
            start = end + 1
        return out
