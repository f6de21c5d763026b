"""The fugashi analyzer's token filters run on MeCab's output lines (issue 15: speed).

The fugashi backend gets one ``surface<TAB>features`` line per morpheme from MeCab
(``analyzer.LINE_FORMAT``), and a corpus repeats a small vocabulary of distinct lines. When the
token filters are those :func:`~analysis.tokenize.analyzer.build_analyzer` makes (optionally
:class:`~analysis.tokenize.filters.JoinLettersDigits`, optionally
:class:`~analysis.tokenize.filters.JoinCompoundNouns`, then one
:class:`~analysis.tokenize.filters.FusedSteps`), :class:`LineFilters` gives the same tokens as
running those filters over the document's Morphemes, with far less work per morpheme:

- each distinct line is judged once, by the filter objects themselves: its compound class
  (``JoinCompoundNouns._class``), whether ``JoinLettersDigits`` may join it (``_joins``) and the
  surface the fused per-token filters keep (``FusedSteps._surface``, None: dropped). A document
  then costs two C-level dictionary passes over its lines: one to a string of one code letter per
  line, one to the kept surfaces. No Morpheme is fetched for a line seen before.
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

Code letters: the compound class (``p`` prefix, ``h`` head, ``s`` suffix, ``.`` neither, ``x``
POS and class disagree), upper case (``.`` as ``D``) for a morpheme ``JoinLettersDigits`` may
join, ``|`` for the end of a sentence. ``tests/test_tokenize_lines.py`` checks the tokens against
the filters run as Morphemes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.tokenize import filters as f
from analysis.tokenize.morphology import Morpheme

#: A run of morphemes JoinLettersDigits may join (upper-case codes), two or more.
_TOUCHING = re.compile(r"[A-Z]{2,}")
#: A morpheme JoinCompoundNouns cannot class by regular expression: its sentence is filtered as
#: Morphemes.
_UNCLASSED = re.compile(r"[xX]")
_BREAK = "|"
_MISSING = object()


class _Table(dict):
    """``line -> code letter``; a line seen for the first time is judged (``LineFilters._learn``)."""

    __slots__ = ("_learn",)

    def __init__(self, learn):
        super().__init__()
        self._learn = learn

    def __missing__(self, line: str) -> str:
        return self._learn(line)


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
        self._codes = _Table(self._learn)
        self._surfaces: dict[str, str | None] = {}
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

    def _learn(self, line: str) -> str:
        if line == self.end:
            code, surface = _BREAK, None
        else:
            morpheme = self.tokenizer.morpheme(line)
            code = self.compounds._class(morpheme) if self.compounds is not None else "."
            if self.letters is not None and self.letters._joins(morpheme):
                code = "D" if code == "." else code.upper()
            surface = self.fused._surface(morpheme)
        self._surfaces[line] = surface
        self._codes[line] = code
        return code

    def _letter_run(self, run: tuple[str, ...]) -> tuple[list, str, list]:
        """(keys, codes, surfaces) JoinLettersDigits makes of ``run``, a maximal run of lines it
        may join (``_join_one_by_one``: one joined morpheme, or the run unchanged if it has no
        letter); a joined morpheme's key is ``run`` itself."""
        entry = self._letter_runs.get(run)
        if entry is None:
            morphemes = [self.tokenizer.morpheme(line) for line in run]
            joined = self.letters._join_one_by_one(morphemes)
            if len(joined) == len(morphemes):
                entry = (list(run), "".join(map(self._codes.__getitem__, run)),
                         list(map(self._surfaces.__getitem__, run)))
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

    def _run_surface(self, keys: list) -> str | None:
        """The kept surface of the compound JoinCompoundNouns joins from ``keys`` (None: dropped);
        a key is a line, or a tuple of lines JoinLettersDigits joined (``_letter_run``)."""
        key = tuple(keys)
        surface = self._runs.get(key, _MISSING)
        if surface is _MISSING:
            morpheme, joined_runs = self.tokenizer.morpheme, self._joined
            joined = self.compounds._join([joined_runs[k] if type(k) is tuple else morpheme(k) for k in key])
            surface = self._runs[key] = self.fused._surface(joined)
        return surface

    def _forget(self) -> None:
        """Start the memories over if they have grown too big (between documents, never within one)."""
        if len(self._codes) >= self.MAX_LINES:
            self._codes.clear()
            self._surfaces.clear()
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
        codes = "".join(map(self._codes.__getitem__, lines))
        if codes.count(_BREAK) != len(texts) or not codes.endswith(_BREAK):  # pragma: no cover
            return None
        surfaces = list(map(self._surfaces.__getitem__, lines))
        # sentences holding a morpheme JoinCompoundNouns cannot class by regular expression
        special = {codes.count(_BREAK, 0, m.start()) for m in _UNCLASSED.finditer(codes)}
        keys: list = lines
        if self.letters is not None and _TOUCHING.search(codes):
            keys, codes, surfaces = self._join_letters(keys, codes, surfaces)
        compounds = self.compounds
        if compounds is not None:
            max_len, run_surface = compounds.max_len, self._run_surface
            for match in compounds._RUN.finditer(codes.lower()):
                start, end = match.span()
                if end - start <= max_len:
                    surfaces[start:end] = [run_surface(keys[start:end])] + [None] * (end - start - 1)
        by_filters: dict[int, list[str]] = {}
        if special:
            morpheme, stages = self.tokenizer.morpheme, self.stages
            bounds = [0] + [i + 1 for i, line in enumerate(lines) if line == self.end]
            for index in special:
                sentence = lines[bounds[index]:bounds[index + 1] - 1]
                by_filters[index] = self.filter_morphemes(list(map(morpheme, sentence)), stages)
        keeps_empty = self.fused._keeps_empty
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
