"""Token analyzer and offline document embeddings for the topic models.

>>> analyzer = TokenAnalyzer(tokenizer=str.split)
>>> analyzer(["輸出", "規制"]), analyzer(join_tokens(["輸出", "規制"])), analyzer("輸出 規制")
(['輸出', '規制'], ['輸出', '規制'], ['輸出', '規制'])

Every vectorizer of the topic models gets a :class:`TokenAnalyzer`: it takes a document either
already tokenized (a list of tokens from ``tokens.parquet``, or tokens joined by :data:`SEP`, the
form handed to BERTopic so that its per-topic concatenations need no second janome pass) or as raw
text, which it tokenizes with the project's ``JapaneseTokenizer``. The analyzer is a module-level
class holding a picklable tokenizer, so a saved model reloads and still splits Japanese the same
way (FACTS.md: BERTopic's safetensors save drops a custom tokenizer).

The embedding model for BERTopic is a scikit-learn pipeline (TF-IDF over our tokens -> TruncatedSVD
-> Normalizer); BERTopic wraps it as ``SklearnEmbedder``. Nothing here downloads anything; a
sentence-transformers model is only used when the caller gives a local path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

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


class TokenAnalyzer:
    """Callable ``document -> list[str]`` for scikit-learn vectorizers (``analyzer=``).

    A list/array of tokens is passed through; a string containing :data:`SEP` is split on it
    (BERTopic joins documents of a topic with spaces, so pieces are stripped); any other string is
    tokenized with ``tokenizer`` (default: ``analysis.tokenize.JapaneseTokenizer()``).
    """

    def __init__(self, tokenizer: Any = None):
        self.tokenizer = tokenizer if tokenizer is not None else default_tokenizer()

    def __call__(self, document) -> list[str]:
        if isinstance(document, str):
            if SEP in document:
                return [piece.strip() for piece in document.split(SEP) if piece.strip()]
            return [str(t) for t in self.tokenizer(document)]
        return [str(t) for t in document]

    def __repr__(self) -> str:
        return f"TokenAnalyzer(tokenizer={self.tokenizer!r})"


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
