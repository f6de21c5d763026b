"""janome morphology shared by every stage: one Tokenizer per process, with our user dictionary.

>>> [m.surface for m in morphemes("ディープシークが輸出規制を批判した")]
['ディープシーク', 'が', '輸出規制', 'を', '批判', 'し', 'た']
>>> morphemes("批判した")[1].base
'する'

``morphemes`` returns every morpheme (particles and auxiliaries included): the topic analyzer
filters them, the stance scorer needs them (negation ない/ず, contrast が/しかし). The janome
Tokenizer costs about 0.2 s to build, so it is built lazily, once per process, and never pickled.
The user dictionary (``resources/userdic.csv``) keeps domain words such as ディープシーク,
エヌビディア and 輸出規制 whole. It is in janome's MeCab-IPADIC user-dictionary format, not the
shorter "simpledic" one: simpledic entries get the sentence-boundary context id 0, after which
janome misreads the next particle (measured: ディープシークが -> が as 接続詞), which breaks
negation and contrast detection. Copy a line with the context ids of its kind: 1285 名詞,一般;
1288 名詞,固有名詞,一般; 1292 名詞,固有名詞,組織 (cost -20000 makes the entry win).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis import config

USER_DICTIONARY = config.resource("userdic.csv")


@dataclass(frozen=True, slots=True)
class Morpheme:
    surface: str
    base: str
    pos: tuple[str, str, str, str]
    reading: str
    infl_form: str = "*"

    @property
    def pos_major(self) -> str:
        return self.pos[0]


class _PrefixGuardedDictionary:
    """A janome user dictionary that skips its FST lookup where no entry can start.

    janome looks every text position up in the user dictionary; with a few dozen entries almost
    all of those lookups fail, yet they cost about 12% of tokenization time. An entry can only
    match where the text starts with the first two characters of some entry, so positions
    without such a prefix return no entries at once. Tokens are identical (tested).
    """

    def __init__(self, dictionary, surfaces):
        self._dictionary = dictionary
        by_length: dict[int, set[bytes]] = {}
        for surface in surfaces:
            head = surface[:2].encode("utf-8")
            by_length.setdefault(len(head), set()).add(head)
        self._heads = sorted((n, frozenset(h)) for n, h in by_length.items())

    def lookup(self, s, matcher=None):
        for n, heads in self._heads:
            if s[:n] in heads:
                return self._dictionary.lookup(s, matcher)
        return []

    def __getattr__(self, name):
        return getattr(self._dictionary, name)


def _user_surfaces(path: str) -> list[str]:
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        return [row[0] for row in csv.reader(handle) if row and row[0]]


@lru_cache(maxsize=4)
def _tokenizer(user_dictionary: str, pid: int, guarded: bool = True):
    from janome.tokenizer import Tokenizer

    if user_dictionary:
        tokenizer = Tokenizer(user_dictionary, udic_type="ipadic", udic_enc="utf8")
        if guarded and tokenizer.user_dic is not None:
            tokenizer.user_dic = _PrefixGuardedDictionary(tokenizer.user_dic, _user_surfaces(user_dictionary))
        return tokenizer
    return Tokenizer()


def janome_tokenizer(user_dictionary: str | Path | None = USER_DICTIONARY):
    """The process's janome Tokenizer for ``user_dictionary`` (``None``: system dictionary only)."""
    return _tokenizer(str(user_dictionary) if user_dictionary else "", os.getpid())


def morphemes(text: str, user_dictionary: str | Path | None = USER_DICTIONARY) -> list[Morpheme]:
    """All morphemes of ``text`` (no normalisation is applied here)."""
    out = []
    for token in janome_tokenizer(user_dictionary).tokenize(text):
        pos = tuple((token.part_of_speech.split(",") + ["*"] * 4)[:4])
        base = token.base_form if token.base_form != "*" else token.surface
        out.append(Morpheme(token.surface, base, pos, token.reading, token.infl_form))
    return out


def janome_version() -> str:
    from importlib.metadata import version

    return version("janome")
