"""Token analyzer, stored-token lookup and offline document embeddings for the topic models.

>>> analyzer = TokenAnalyzer(tokenizer=str.split)
>>> analyzer(["輸出", "規制"]), analyzer(join_tokens(["輸出", "規制"])), analyzer("輸出 規制")
(['輸出', '規制'], ['輸出', '規制'], ['輸出', '規制'])
>>> lookup = TokenLookup(["輸出規制を強化した。", "補助金は要らない。"], [["輸出規制", "強化"], ["補助金", "要る"]])
>>> stored = TokenAnalyzer(tokenizer=str.split, lookup=lookup)
>>> stored("輸出規制を強化した。"), stored("補助金は要らない。 輸出規制を強化した。")
(['輸出規制', '強化'], ['補助金', '要る', '輸出規制', '強化'])

Every vectorizer of the topic models gets a :class:`TokenAnalyzer`: it takes a document already
tokenized (a list of tokens from ``tokens.parquet``, or tokens joined by :data:`SEP`) or as text.
Text is looked up first in the analyzer's :class:`TokenLookup` (the stored tokens of the texts a
model was fitted on, so readable text handed to BERTopic maps back to ``tokens.parquet`` without a
second janome pass, also when BERTopic joins a topic's documents with spaces), and only text the
lookup does not know is tokenized with the project's ``JapaneseTokenizer``. The analyzer and the
lookup are module-level classes with picklable state, so a saved model reloads and still splits
Japanese the same way (FACTS.md: BERTopic's safetensors save drops a custom tokenizer; re-attach it).

The embedding model for BERTopic is a scikit-learn pipeline (TF-IDF over our tokens -> TruncatedSVD
-> Normalizer), given to BERTopic as ``embedding_model`` (BERTopic wraps a scikit-learn
``Pipeline`` itself). Nothing here downloads anything; a sentence-transformers model is only used
when the caller gives a local path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from analysis import config
from analysis.errors import InputError

#: Separator of pre-tokenized text (ASCII unit separator); never produced by the tokenizer.
SEP = "\x1f"


def join_tokens(tokens: Sequence[str]) -> str:
    """Tokens as one string that :class:`TokenAnalyzer` splits back without re-tokenizing."""
    return SEP + SEP.join(str(t) for t in tokens) + SEP


def default_tokenizer():
    """The project's Japanese tokenizer (picklable, module-level class)."""
    from analysis.tokenize import JapaneseTokenizer

    return JapaneseTokenizer()


@dataclass(frozen=True)
class TokenizedText:
    """A readable text with its stored tokens (a row of ``tokens.parquet``, or one paragraph of it).

    It iterates over its tokens, so code that reads token lists (NMF/LDA, NPMI references) reads it
    as one; :class:`TokenAnalyzer` and BERTopic's wrapper also use its ``text``.
    """

    text: str
    tokens: Sequence[str]

    def __iter__(self):
        return iter(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)


def _lookup_key(text: str) -> str:
    # BERTopic replaces newlines and tabs by spaces before its vectorizer sees a document (and joins a
    # topic's documents with spaces), so keys and queries are compared in that form.
    return text.replace("\n", " ").replace("\t", " ")


def _digest(key: str) -> bytes:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()


class TokenLookup:
    """The stored tokens of known texts, found by the text itself or in a space-joined run of them.

    ``TokenLookup(texts, token_lists)``; ``lookup.find(text)`` -> tokens or None;
    ``lookup.tokens(text, fallback)`` -> the tokens of ``text``, where ``text`` may be several known
    texts joined by spaces (how BERTopic builds a topic's c-TF-IDF document, in ``fit``,
    ``topics_over_time``, ``hierarchical_topics``); stretches it does not know go to ``fallback``
    (the tokenizer). Texts are kept as 16-byte digests and tokens as integer codes, so a fitted
    model carries its corpus's tokenization, not a second copy of the corpus.
    """

    #: Characters of a text's start used to find the candidates at a position of a joined string.
    PREFIX = 8

    def __init__(self, texts: Iterable[str], token_lists: Iterable[Sequence[str]]):
        words: dict[str, int] = {}
        index: dict[bytes, int] = {}
        starts: dict[str, set[int]] = {}
        codes: list[int] = []
        offsets = [0]
        for text, tokens in zip(texts, token_lists):
            key = _lookup_key(str(text))
            digest = _digest(key)
            if digest in index or not key:
                continue
            index[digest] = len(offsets) - 1
            codes.extend(words.setdefault(str(t), len(words)) for t in tokens)
            offsets.append(len(codes))
            starts.setdefault(key[: self.PREFIX], set()).add(len(key))
        self.words = list(words)
        self.index = index
        self.codes = np.asarray(codes, dtype=np.int32)
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.starts = {k: tuple(sorted(v, reverse=True)) for k, v in starts.items()}
        self.short = tuple(sorted({n for v in starts.values() for n in v if n < self.PREFIX}, reverse=True))

    def __len__(self) -> int:
        return len(self.index)

    def _tokens_at(self, i: int) -> list[str]:
        return [self.words[c] for c in self.codes[self.offsets[i]:self.offsets[i + 1]]]

    def find(self, text: str) -> list[str] | None:
        """The stored tokens of ``text`` if it is one known text, else None."""
        i = self.index.get(_digest(_lookup_key(text)))
        return None if i is None else self._tokens_at(i)

    def _match(self, key: str, p: int) -> tuple[int, int] | None:
        """(text number, length) of the longest known text at ``key[p:]`` ending at a space or the end."""
        n = len(key)
        for length in (*self.starts.get(key[p:p + self.PREFIX], ()), *self.short):
            q = p + length
            if q <= n and (q == n or key[q] == " "):
                i = self.index.get(_digest(key[p:q]))
                if i is not None:
                    return i, length
        return None

    def tokens(self, text: str, fallback: Callable[[str], Sequence[str]]) -> list[str]:
        """Tokens of ``text``: stored ones for the known texts in it, ``fallback(stretch)`` for the rest."""
        key = _lookup_key(text)
        whole = self.index.get(_digest(key))
        if whole is not None:
            return self._tokens_at(whole)
        out: list[str] = []
        n, p, gap = len(key), 0, 0
        while p < n:
            match = self._match(key, p)
            if match is None:  # unknown here: try again after the next space
                q = key.find(" ", p)
                if q < 0:
                    break
                p = q + 1
                continue
            if key[gap:p].strip():
                out.extend(str(t) for t in fallback(key[gap:p]))
            out.extend(self._tokens_at(match[0]))
            p = gap = p + match[1] + 1
        if key[gap:].strip():
            out.extend(str(t) for t in fallback(key[gap:]))
        return out

    def __repr__(self) -> str:
        return f"TokenLookup({len(self)} texts, {len(self.words)} words)"


class TokenAnalyzer:
    """Callable ``document -> list[str]`` for scikit-learn vectorizers (``analyzer=`` or ``tokenizer=``).

    A list/array of tokens is passed through; a :class:`TokenizedText` gives its tokens; a string
    containing :data:`SEP` is split on it (pieces stripped); any other string is looked up in
    ``lookup`` (a :class:`TokenLookup`, stored tokens of known texts) and what it does not know is
    tokenized with ``tokenizer`` (default: ``analysis.tokenize.JapaneseTokenizer()``).
    """

    def __init__(self, tokenizer: Any = None, lookup: TokenLookup | None = None):
        self.tokenizer = tokenizer if tokenizer is not None else default_tokenizer()
        self.lookup = lookup

    def tokenize(self, text: str) -> list[str]:
        """``text`` through the tokenizer, ignoring the lookup."""
        return [str(t) for t in self.tokenizer(text)]

    def __call__(self, document) -> list[str]:
        if isinstance(document, str):
            if SEP in document:
                return [piece.strip() for piece in document.split(SEP) if piece.strip()]
            if self.lookup is not None:
                return self.lookup.tokens(document, self.tokenize)
            return self.tokenize(document)
        if isinstance(document, TokenizedText):
            return [str(t) for t in document.tokens]
        return [str(t) for t in document]

    def __repr__(self) -> str:
        lookup = f", lookup={self.lookup!r}" if self.lookup is not None else ""
        return f"TokenAnalyzer(tokenizer={self.tokenizer!r}{lookup})"


def min_max_df(n_documents: int, min_df: int | float | None = None, max_df: float | None = None):
    """Vocabulary limits sized to the corpus: drop hapaxes and near-ubiquitous words."""
    if min_df is None:
        min_df = 2 if n_documents >= 20 else 1
    if max_df is None:
        max_df = 0.7 if n_documents >= 20 else 1.0
    return min_df, max_df


def embedding_pipeline(analyzer: TokenAnalyzer, *, n_documents: int, n_components: int = 100,
                       random_state: int = config.SEED):
    """TF-IDF (our tokens) -> TruncatedSVD -> L2 normalisation, unfitted (BERTopic fits it)."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    min_df, max_df = min_max_df(n_documents)
    n_components = int(max(2, min(n_components, n_documents - 1)))
    return make_pipeline(
        TfidfVectorizer(analyzer=analyzer, min_df=min_df, max_df=max_df, sublinear_tf=True),
        TruncatedSVD(n_components=n_components, random_state=random_state),
        Normalizer(copy=False),
    )


def fitted_embedding_pipeline(documents, analyzer: TokenAnalyzer, *, n_components: int = 100,
                              random_state: int = config.SEED):
    """:func:`embedding_pipeline` fitted on ``documents``, with a vocabulary-sized SVD."""
    pipe = embedding_pipeline(analyzer, n_documents=len(documents), n_components=n_components,
                              random_state=random_state)
    tfidf = pipe.steps[0][1]
    X = tfidf.fit_transform(documents)
    svd = pipe.steps[1][1]
    svd.set_params(n_components=int(max(2, min(svd.n_components, X.shape[1] - 1, X.shape[0] - 1))))
    svd.fit(X)
    pipe.steps[2][1].fit(svd.transform(X))
    return pipe


def sentence_transformer(path: str | Path):
    """A sentence-transformers model from a LOCAL folder (never downloaded)."""
    path = Path(path)
    if not path.is_dir():
        raise InputError(f"--embedding-model {path}: not a folder; give the local path of a "
                         "sentence-transformers model (nothing is downloaded)")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path), local_files_only=True)
