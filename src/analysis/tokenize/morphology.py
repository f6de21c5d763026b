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

Speed (issue 15): janome's ``Tokenizer.tokenize`` wraps every morpheme of the best path in a
``Token`` (two Python-level ``__setattr__`` calls, a ``__getattr__`` call per attribute read) and
decodes its dictionary entry again (``lookup_extra``, an LRU cache of 1,024 entries, far below the
vocabulary of a corpus); then each POS string was split and a Morpheme built. Measured on 50
livedoor articles (median of 5): raw janome 18,000 chars/s; asking it for surfaces only
(``wakati=True``) 1.16 x that; Morphemes through Tokens (as before) 0.88 x; :class:`JanomeMorphemes`,
which walks janome's lattice itself (the same ``Lattice``, dictionaries and steps as janome 0.5's
``Tokenizer.__tokenize_partial``, Apache-2.0) and turns each node of the best path into a
Morpheme through a table keyed by the dictionary entry, 1.12 x: a word seen before costs one dict
lookup, and the Morpheme objects are shared. It also avoids janome's copying of the rest of the
text for every chunk. The morphemes are identical to those built from janome's Tokens (tested;
``morphemes_from_tokens`` is that reference, and the fallback for other janome versions).
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


def morphemes_from_tokens(tokenizer, text: str) -> list[Morpheme]:
    """All morphemes of ``text`` through janome's public ``Tokenizer.tokenize`` (the reference)."""
    out = []
    for token in tokenizer.tokenize(text):
        pos = tuple((token.part_of_speech.split(",") + ["*"] * 4)[:4])
        base = token.base_form if token.base_form != "*" else token.surface
        out.append(Morpheme(token.surface, base, pos, token.reading, token.infl_form))
    return out


def _to_morpheme(surface: str, part_of_speech: str, base_form: str, reading: str, infl_form: str) -> Morpheme:
    pos = tuple((part_of_speech.split(",") + ["*"] * 4)[:4])
    return Morpheme(surface, base_form if base_form != "*" else surface, pos, reading, infl_form)


#: janome versions whose Tokenizer internals :class:`JanomeMorphemes` follows (pyproject: <0.6).
_LATTICE_VERSIONS = ("0.5.",)
_PUNCT = frozenset("、。,.？?！!")


class JanomeMorphemes:
    """``text -> list[Morpheme]`` from janome's lattice, one shared Morpheme per dictionary entry.

    Follows ``janome.tokenizer.Tokenizer.__tokenize_stream`` and ``__tokenize_partial`` of janome
    0.5 (Apache-2.0) step for step: the text is stripped and cut into chunks of at most 1,024
    characters (after 500, at the first punctuation or blank line), every position is looked up
    in the user and system dictionaries, unknown-word candidates are grouped by character class,
    and the lattice's best path is read back. Only the last step differs: instead of a ``Token``
    per node, the node's dictionary entry number (or, for an unknown word, its surface and POS)
    selects a Morpheme built once. See the module docstring for the measurement.
    """

    MAX_CHUNK_SIZE = 1024
    CHUNK_SIZE = 500
    #: Unknown words are remembered up to this many distinct (surface, POS), then forgotten.
    MAX_UNKNOWN = 200_000

    def __init__(self, tokenizer):
        from janome.lattice import Lattice, Node, NodeType, SurfaceNode

        self.tokenizer = tokenizer
        self._lattice, self._node, self._surface_node = Lattice, Node, SurfaceNode
        self._sys, self._user, self._unknown_type = NodeType.SYS_DICT, NodeType.USER_DICT, NodeType.UNKNOWN
        sys_dic = tokenizer.sys_dic
        # (invoked even where a dictionary word matched, maximum length) per character class.
        self._classes = {
            cate: (sys_dic.unknown_invoked_always(cate),
                   sys_dic.unknown_length(cate) if not sys_dic.unknown_grouping(cate) else tokenizer.max_unknown_length)
            for cate in sys_dic.char_categories
        }
        self._system_entries: dict[int, Morpheme] = {}  # at most one per dictionary entry
        self._user_entries: dict[int, Morpheme] = {}
        self._unknown_words: dict[tuple[str, str], Morpheme] = {}

    def __call__(self, text: str) -> list[Morpheme]:
        return [self._morpheme(node) for node in self.best_path(text)]

    def best_path(self, text: str) -> list:
        """janome's lattice nodes of the best path through ``text`` (BOS and EOS left out)."""
        text = text.strip()
        nodes: list = []
        processed, length = 0, len(text)
        while processed < length:
            # janome passes text[processed:]; a chunk never reads past MAX_CHUNK_SIZE characters.
            path, advanced = self._best_path_of_chunk(text[processed:processed + self.MAX_CHUNK_SIZE])
            nodes += path
            processed += advanced
        return nodes

    def _splittable(self, text: str, pos: int) -> bool:
        return text[pos - 1] in _PUNCT or text.endswith("\n\n", 0, pos) or text.endswith("\r\n\r\n", 0, pos)

    def _best_path_of_chunk(self, text: str) -> tuple[list, int]:
        tokenizer = self.tokenizer
        sys_dic, user_dic, matcher = tokenizer.sys_dic, tokenizer.user_dic, tokenizer.matcher
        Node, SurfaceNode = self._node, self._surface_node
        sys_type, user_type, unknown_type = self._sys, self._user, self._unknown_type
        get_char_categories, unknowns, classes = sys_dic.get_char_categories, sys_dic.unknowns, self._classes

        chunk_size = len(text)  # at most MAX_CHUNK_SIZE (see best_path)
        lattice = self._lattice(chunk_size, sys_dic)
        add = lattice.add
        pos = 0
        while not (pos >= chunk_size or (pos >= self.CHUNK_SIZE and self._splittable(text, pos))):
            encoded_partial_text = text[pos:pos + min(50, chunk_size - pos)].encode("utf-8")
            if user_dic:
                for e in user_dic.lookup(encoded_partial_text):
                    add(SurfaceNode(e, user_type))
            entries = sys_dic.lookup(encoded_partial_text, matcher)
            for e in entries:
                add(SurfaceNode(e, sys_type))
            matched = len(entries) > 0  # janome's rule: user-dictionary matches do not count here

            cates = get_char_categories(text[pos])
            if cates:
                for cate in cates:
                    invoked_always, length = classes.get(cate, (False, -1))
                    if matched and not invoked_always:
                        continue
                    assert length >= 0
                    buf = text[pos]
                    for p in range(pos + 1, min(chunk_size, pos + length + 1)):
                        _cates = get_char_categories(text[p])
                        if cate in _cates or any(cate in compat for compat in _cates.values()):
                            buf += text[p]
                        else:
                            break
                    unknown_entries = unknowns.get(cate)
                    assert unknown_entries
                    for left_id, right_id, cost, part_of_speech in unknown_entries:
                        add(Node((buf, left_id, right_id, cost, part_of_speech, "*", "*", buf, "*", "*"),
                                 unknown_type))
            pos += lattice.forward()
        lattice.end()
        return lattice.backward()[1:-1], pos

    def _morpheme(self, node) -> Morpheme:
        if type(node) is self._surface_node:
            if node.node_type is self._sys:
                table, dictionary = self._system_entries, self.tokenizer.sys_dic
            elif node.node_type is self._user and self.tokenizer.user_dic is not None:
                table, dictionary = self._user_entries, self.tokenizer.user_dic
            else:  # pragma: no cover - janome builds SurfaceNodes for dictionary entries only
                raise TypeError(f"unexpected janome node {node!r} ({node.node_type})")
            morpheme = table.get(node.num)
            if morpheme is None:
                part_of_speech, _infl_type, infl_form, base_form, reading, _phonetic = dictionary.lookup_extra(node.num)
                morpheme = table[node.num] = _to_morpheme(node.surface, part_of_speech, base_form, reading, infl_form)
            return morpheme
        key = (node.surface, node.part_of_speech)
        morpheme = self._unknown_words.get(key)
        if morpheme is None:
            if len(self._unknown_words) >= self.MAX_UNKNOWN:
                self._unknown_words.clear()
            morpheme = self._unknown_words[key] = _to_morpheme(
                node.surface, node.part_of_speech, node.base_form, node.reading, node.infl_form)
        return morpheme


@lru_cache(maxsize=4)
def _morphology(user_dictionary: str, pid: int):
    tokenizer = _tokenizer(user_dictionary, pid)
    if janome_version().startswith(_LATTICE_VERSIONS):
        return JanomeMorphemes(tokenizer)
    return lambda text: morphemes_from_tokens(tokenizer, text)


def janome_morphology(user_dictionary: str | Path | None = USER_DICTIONARY):
    """This process's ``text -> list[Morpheme]`` for ``user_dictionary`` (built on first use)."""
    return _morphology(str(user_dictionary) if user_dictionary else "", os.getpid())


def morphemes(text: str, user_dictionary: str | Path | None = USER_DICTIONARY) -> list[Morpheme]:
    """All morphemes of ``text`` (no normalisation is applied here)."""
    return janome_morphology(user_dictionary)(text)


@lru_cache(maxsize=1)
def janome_version() -> str:
    from importlib.metadata import version

    return version("janome")
