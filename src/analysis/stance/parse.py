"""Dependency parses of the sentences stance needs, from GiNZA, cached by content.

>>> parser = Parser(cache_dir=None)                                  # doctest: +SKIP
>>> [t.lemma for t in parser.parse(["輸出規制を急ぐべきではない。"])[0]][:4]  # doctest: +SKIP
['輸出', '規制', 'を', '急ぐ']

GiNZA (``ginza`` + ``ja_ginza``: spaCy, SudachiPy, a Universal Dependencies parser trained on
UD_Japanese-BCCWJ and GSK2014-A, with chiVe word vectors) is the field's standard Japanese
dependency parser; it installs from the package index with its model inside the wheel, so nothing
is downloaded at run time. It is slow (about 1,400 characters/s per core without NER), so the
stance scorer parses only the sentences it needs and keeps every parse in a content-addressed
SQLite cache: ``<cache_dir>/parses/<model>-<version>.sqlite``, key = sha256 of the sentence.
Deleting the file is always safe.

A parse is a tuple of :class:`Tok` with sentence-relative ``head`` indices (a root is its own
head). A text given as one unit may hold several sentences for the parser (several roots).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from analysis.errors import InputError

MODEL = "ja_ginza"
INSTALL_HINT = ("the stance parser needs GiNZA's model: run 'pip install \"ginza>=5.2,<6\" \"ja-ginza>=5.2,<6\"' "
                "in this environment (make setup does), or choose --method rules")


@dataclass(frozen=True)
class Tok:
    """One token of a parse: surface, lemma, UD part of speech, Sudachi tag, relation, head index."""

    i: int
    idx: int        # character offset in the parsed text
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    form: str = ""  # conjugation form (命令形, 意志推量形, ...) where the token inflects

    @property
    def end(self) -> int:
        return self.idx + len(self.text)


Parse = tuple[Tok, ...]

_NLP = None
_LOCK = threading.Lock()


def load_nlp():
    """GiNZA's pipeline without NER (loaded once per process); one clear line when missing."""
    global _NLP
    with _LOCK:
        if _NLP is None:
            try:
                import spacy
            except ImportError:
                raise InputError(INSTALL_HINT) from None
            try:
                _NLP = spacy.load(MODEL, exclude=["ner"])
            except (OSError, ImportError):
                raise InputError(INSTALL_HINT) from None
    return _NLP


def model_version() -> str:
    """``ja_ginza-<version>`` of the installed model, without loading it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{MODEL}-{version('ja_ginza')}"
    except PackageNotFoundError:
        raise InputError(INSTALL_HINT) from None


def quoted_stops_as_commas(text: str) -> str:
    """``text`` with each 。 inside 「」 or 『』 (not the last character of the quotation) as 、, same
    length. GiNZA splits a sentence at a full stop even inside a quotation (野党は「…土台だ。…を招く」と
    批判した), and the speaker then hangs off the quotation's first sentence instead of the reporting
    verb; read as one clause chain, the quotation stays one constituent of the sentence."""
    if "。" not in text or not any(q in text for q in "「『"):
        return text
    out, depth = [], 0
    for k, ch in enumerate(text):
        if ch in "「『":
            depth += 1
        elif ch in "」』":
            depth = max(0, depth - 1)
        elif ch == "。" and depth and k + 1 < len(text) and text[k + 1] not in "」』":
            ch = "、"
        out.append(ch)
    return "".join(out)


def _encode(doc) -> list[list]:
    return [[t.idx, t.text, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i,
             (t.morph.get("Inflection") or [""])[0].split(";")[-1]] for t in doc]


def _decode(rows: list[list]) -> Parse:
    return tuple(Tok(i, *r) for i, r in enumerate(rows))


class Parser:
    """Parses with GiNZA through a content-addressed cache (``cache_dir=None``: memory only)."""

    def __init__(self, cache_dir: str | Path | None = None, batch_size: int = 64):
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.batch_size = batch_size
        self._memory: dict[str, Parse] = {}
        self._db = None
        self.parsed = 0     # parsed in this process (cache misses)
        self.hits = 0

    def _connect(self):
        if self._db is None and self.cache_dir is not None:
            path = self.cache_dir / "parses" / f"{model_version()}.sqlite"
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=60)
            self._db.execute("CREATE TABLE IF NOT EXISTS parse (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        return self._db

    @staticmethod
    def _fed(text: str) -> tuple[str, str]:
        """(the text GiNZA parses, its cache key). A text whose quotation holds a full stop is parsed
        with that stop as a comma (``quoted_stops_as_commas``); its key says so, so that parses
        cached before are not reused."""
        fed = quoted_stops_as_commas(text)
        marked = text if fed == text else "quoted-stops:" + text
        return fed, hashlib.sha256(marked.encode("utf-8")).hexdigest()

    @staticmethod
    def key(text: str) -> str:
        return Parser._fed(text)[1]

    def parse(self, texts: Sequence[str]) -> list[Parse]:
        """One parse per text, in order (cached parses are reused, new ones stored)."""
        fed = [self._fed(t) for t in texts]
        keys = [k for _, k in fed]
        missing = [k for k in dict.fromkeys(keys) if k not in self._memory]
        db = self._connect()
        if missing and db is not None:
            for chunk in _chunks(missing, 500):
                marks = ",".join("?" * len(chunk))
                for key, value in db.execute(f"SELECT key, value FROM parse WHERE key IN ({marks})", chunk):
                    self._memory[key] = _decode(json.loads(value))
                    self.hits += 1
        todo = {}
        for text, key in fed:
            if key not in self._memory:
                todo.setdefault(key, text)
        if todo:
            nlp = load_nlp()
            rows = []
            for key, doc in zip(todo, nlp.pipe(list(todo.values()), batch_size=self.batch_size)):
                encoded = _encode(doc)
                self._memory[key] = _decode(encoded)
                rows.append((key, json.dumps(encoded, ensure_ascii=False, separators=(",", ":"))))
            self.parsed += len(rows)
            if db is not None:
                with db:
                    db.executemany("INSERT OR REPLACE INTO parse (key, value) VALUES (?, ?)", rows)
        return [self._memory[k] for k in keys]

    def __getstate__(self):
        """Pickles without its open database and in-memory parses (a fitted scorer pickles)."""
        state = dict(self.__dict__)
        state["_db"] = None
        state["_memory"] = {}
        return state

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


_VECTOR_CACHE: dict[str, object] = {}


def word_vector(word: str):
    """chiVe vector of ``word`` from ja_ginza's vocabulary (None when it has none)."""
    if word in _VECTOR_CACHE:
        return _VECTOR_CACHE[word]
    nlp = load_nlp()
    vocab = nlp.vocab
    vec = vocab[word].vector.copy() if vocab.has_vector(word) else None
    _VECTOR_CACHE[word] = vec
    return vec
