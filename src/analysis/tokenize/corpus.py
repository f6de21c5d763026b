"""Tokenize a whole corpus: cached, in parallel, identical output whatever ``jobs`` is.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["輸出規制を強化する。補助金は要らない。"]})
>>> tokenize_corpus(corpus, jobs=1, progress=False).loc[0, "tokens"]
['輸出規制', '強化', '補助金', '要る']

``tokenize_corpus`` looks every text up in the token cache (if ``cache_dir`` is given), sends
only the misses to worker processes in ordered chunks (or, with ``scheduler="local"`` or
``"tcp://host:8786"``, to Dask workers: :mod:`analysis.scheduler`), writes their results to the
cache here, in this process, as they arrive, and returns one row per input row: ``doc_id``, ``tokens`` (the document's tokens, equal to
the concatenation of ``sentence_tokens``), ``sentences`` (as in the text) and ``sentence_tokens``.
``run_tokenize`` does the same from corpus.parquet to tokens.parquet, streamed (issue 15.3): a
window of about ``WINDOW_CHARS`` characters is tokenized, written as Parquet row groups of
``ROW_GROUP_DOCS`` documents and dropped before the next (:func:`iter_token_rows`,
:func:`write_token_rows`), so memory stays flat in corpus size; the bytes depend on the corpus
only (not on ``jobs``, the cache or the scheduler). :func:`iter_token_lists` reads the token lists
back one row group at a time. Measured on livedoor (7,359 documents, warm cache, fugashi, jobs 1):
peak RSS 284 / 383 / 584 MiB for a quarter / half / all of it before, 256 / 281 / 307 MiB streamed
(what is left growing is the corpus text itself, read whole).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from analysis.errors import InputError
from analysis.scheduler import check_scheduler, open_executor, resolve_jobs
from analysis.tokenize.analyzer import tokenize_texts
from analysis.tokenize.cache import TokenCache, text_hash
from analysis.tokenize.sentences import split_sentences
from analysis.tokenize.settings import AnalyzerSettings

#: Columns of tokens.parquet (docs/ARCHITECTURE.md).
TOKEN_COLUMNS = ["doc_id", "tokens", "sentences", "sentence_tokens"]

#: Characters per unit of work sent to a worker (big enough to amortise pickling, small enough
#: to balance two cores to the last few seconds).
CHUNK_CHARS = 40_000
#: ``run_tokenize`` tokenizes and writes about this many characters at a time (each window starts a
#: fresh pool of workers: about a second against a minute or more of analysis).
WINDOW_CHARS = 2_000_000
#: Documents per Parquet row group of tokens.parquet (fixed: the bytes never depend on ``jobs``).
ROW_GROUP_DOCS = 1_000


def _chunks(texts: Sequence[str], jobs: int) -> list[list[int]]:
    """Consecutive index chunks of about CHUNK_CHARS characters, at least 4 per worker."""
    total = sum(len(t) for t in texts)
    target = max(1, min(CHUNK_CHARS, total // (4 * jobs) + 1))
    chunks, current, size = [], [], 0
    for i, text in enumerate(texts):
        current.append(i)
        size += len(text)
        if size >= target:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="char", unit_scale=True, desc="tokenize", file=sys.stderr,
                disable=not (enabled and sys.stderr.isatty()), mininterval=0.5)


def analyze_texts(texts: Sequence[str], settings: AnalyzerSettings, *, jobs: int = 0,
                  progress: bool = True, scheduler: str | None = None) -> list[list[list[str]]]:
    """Per-sentence tokens of each text, in order, using ``jobs`` processes (0: all cores).

    Small inputs and ``jobs == 1`` run in this process. With ``scheduler`` (``"local"``
    or a Dask scheduler address, :mod:`analysis.scheduler`) the chunks are Dask tasks instead;
    the tokens are the same.
    """
    results: list = [None] * len(texts)
    scheduler = check_scheduler(scheduler)
    if not texts:
        return results
    bar = _progress_bar(sum(len(t) for t in texts), progress)
    try:
        with open_executor(scheduler, jobs) as executor:
            for i, sentence_tokens in _analyze(executor, texts, settings, bar,
                                               in_process=scheduler is None and resolve_jobs(jobs) == 1):
                results[i] = sentence_tokens
    finally:
        bar.close()
    return results


def _analyze(executor, texts: Sequence[str], settings: AnalyzerSettings, bar, *, in_process: bool):
    """``(index, sentence_tokens)`` of each of ``texts``, in order, from ``executor``'s workers."""
    if in_process:
        chunks = [[i] for i in range(len(texts))]  # in this process: progress per text
    else:
        chunks = _chunks(texts, executor.workers)
    batches = ([texts[i] for i in chunk] for chunk in chunks)
    # in chunk order: the output never depends on timing
    for chunk, tokens in zip(chunks, executor.map(tokenize_texts, batches, common=(settings,))):
        yield from zip(chunk, tokens)
        bar.update(sum(len(texts[i]) for i in chunk))


def _windows(texts: Sequence[str], size: int) -> list[range]:
    """Consecutive document ranges of about ``size`` characters (at least one document each)."""
    windows, start, chars = [], 0, 0
    for i, text in enumerate(texts):
        chars += len(text)
        if chars >= size:
            windows.append(range(start, i + 1))
            start, chars = i + 1, 0
    if start < len(texts):
        windows.append(range(start, len(texts)))
    return windows


def iter_token_rows(corpus, *, settings: AnalyzerSettings | None = None, jobs: int = 0,
                    cache_dir: str | Path | None = None, progress: bool = True, scheduler: str | None = None,
                    window_chars: int | None = None, stats: dict | None = None):
    """``(doc_id, tokens, sentences, sentence_tokens)`` of each document of ``corpus`` (columns
    ``doc_id``, ``text``), in order, a window of about ``window_chars`` characters
    (:data:`WINDOW_CHARS`) at a time: the texts of a window the cache lacks are analysed (in
    parallel), its rows yielded, and their tokens dropped, except a text's that occurs again later.
    Memory therefore stays flat in corpus size. Each distinct text is looked up in the cache, and
    analysed if missing, once. ``stats`` (a dict) receives ``n_documents``, ``n_cached`` and
    ``n_tokenized`` when the last row has been yielded.
    """
    settings = settings or AnalyzerSettings()
    missing = [c for c in ("doc_id", "text") if c not in corpus.columns]
    if missing:
        raise InputError(f"corpus table lacks column(s) {missing}; expected corpus.parquet from "
                         "`analysis ingest` (columns doc_id, text, ...)")
    texts = ["" if not isinstance(t, str) else t for t in corpus["text"].tolist()]
    doc_ids = corpus["doc_id"].tolist()
    digests = [text_hash(t) for t in texts]
    last = {digest: i for i, digest in enumerate(digests)}  # a text's tokens are held until then
    cache = TokenCache(cache_dir, settings) if cache_dir is not None else None
    scheduler = check_scheduler(scheduler)
    held: dict[str, list[list[str]]] = {}
    n_cached = n_tokenized = 0
    bar = _progress_bar(sum({d: len(t) for d, t in zip(digests, texts)}.values()), progress)  # each distinct text once
    try:
        with open_executor(scheduler, jobs) as executor:
            in_process = scheduler is None and resolve_jobs(jobs) == 1
            for window in _windows(texts, window_chars or WINDOW_CHARS):
                todo: dict[str, str] = {}  # digest -> text, first occurrence order
                for i in window:
                    digest = digests[i]
                    if digest in held or digest in todo:
                        continue
                    cached = cache.get(texts[i], digest) if cache else None
                    if cached is not None:
                        held[digest] = cached
                        n_cached += 1
                        bar.update(len(texts[i]))
                    else:
                        todo[digest] = texts[i]
                todo_digests, todo_texts = list(todo), list(todo.values())
                for j, sentence_tokens in _analyze(executor, todo_texts, settings, bar, in_process=in_process):
                    if cache:
                        cache.put(todo_texts[j], sentence_tokens, todo_digests[j])
                    held[todo_digests[j]] = sentence_tokens
                n_tokenized += len(todo_texts)
                for i in window:
                    digest = digests[i]
                    sentences = split_sentences(texts[i])
                    sentence_tokens = held[digest] if last[digest] > i else held.pop(digest)
                    if len(sentences) != len(sentence_tokens):  # pragma: no cover - stale or foreign cache entry
                        raise InputError(f"token cache entry for doc {doc_ids[i]} does not match its text; delete "
                                         f"{cache.root if cache else 'the cache'} and rerun")
                    yield doc_ids[i], [t for ts in sentence_tokens for t in ts], sentences, sentence_tokens
    finally:
        bar.close()
    if stats is not None:
        stats.update(n_documents=len(texts), n_cached=n_cached, n_tokenized=n_tokenized)


def tokenize_corpus(corpus, *, settings: AnalyzerSettings | None = None, jobs: int = 0,
                    cache_dir: str | Path | None = None, progress: bool = True, scheduler: str | None = None):
    """Tokens of every document of ``corpus`` (columns ``doc_id``, ``text``); see module doc.

    The result's ``attrs`` hold ``n_documents``, ``n_cached`` (served from the cache) and
    ``n_tokenized`` (distinct texts sent to the analyzer). All in memory: ``run_tokenize`` streams.
    """
    import pandas as pd

    stats: dict = {}
    rows = list(iter_token_rows(corpus, settings=settings, jobs=jobs, cache_dir=cache_dir, progress=progress,
                                scheduler=scheduler, window_chars=sys.maxsize, stats=stats))
    frame = pd.DataFrame(rows, columns=TOKEN_COLUMNS)
    frame.attrs.update(stats)
    return frame


class TokenizeResult:
    """What :func:`run_tokenize` wrote: ``path`` (tokens.parquet) and ``attrs`` (``n_documents``,
    ``n_cached``, ``n_tokenized``); ``read()`` gives the whole table, :func:`iter_token_lists`
    reads it row group by row group."""

    def __init__(self, path: Path, attrs: dict):
        self.path, self.attrs = Path(path), dict(attrs)

    def read(self, columns: Sequence[str] | None = None):
        import pandas as pd

        return pd.read_parquet(self.path, columns=list(columns) if columns else None)

    def __repr__(self) -> str:
        return f"TokenizeResult({str(self.path)!r}, {self.attrs})"


def _token_schema(corpus):
    """tokens.parquet's Arrow schema (with pandas' metadata, as ``io.write_parquet`` writes it)."""
    import pandas as pd
    import pyarrow as pa

    doc_id = pa.Array.from_pandas(corpus["doc_id"].iloc[:0]).type if len(corpus) else pa.string()
    strings = pa.list_(pa.string())
    schema = pa.schema([("doc_id", doc_id), ("tokens", strings), ("sentences", strings),
                        ("sentence_tokens", pa.list_(strings))])
    template = pd.DataFrame({c: pd.Series([], dtype=corpus["doc_id"].dtype if c == "doc_id" else object)
                             for c in TOKEN_COLUMNS})
    return pa.Table.from_pandas(template, schema=schema, preserve_index=False).schema


def write_token_rows(rows, out_path: str | Path, schema) -> int:
    """Write ``rows`` (``TOKEN_COLUMNS`` tuples) to ``out_path`` as they come, one Parquet row
    group per :data:`ROW_GROUP_DOCS` documents (zstd, like ``io.write_parquet``; atomic). The
    bytes depend on the rows only. Returns the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.io import atomic_path

    n = 0
    with atomic_path(out_path) as tmp, pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        group: list = []

        def flush() -> None:
            columns = list(zip(*group)) if group else [[] for _ in TOKEN_COLUMNS]
            writer.write_table(pa.Table.from_arrays(
                [pa.array(list(values), type=field.type) for values, field in zip(columns, schema)], schema=schema),
                row_group_size=ROW_GROUP_DOCS)

        for row in rows:
            group.append(row)
            n += 1
            if len(group) == ROW_GROUP_DOCS:
                flush()
                group = []
        if group:
            flush()
    return n


def iter_token_lists(path: str | Path, column: str = "tokens"):
    """The token lists (``list[str]``, or per-sentence lists for ``sentence_tokens``) of
    tokens.parquet, document by document, reading one row group at a time (memory stays flat)."""
    from analysis.io import read_parquet_row_groups

    for table in read_parquet_row_groups(path, [column], as_arrow=True):
        yield from table.column(column).to_pylist()


def run_tokenize(corpus_path: str | Path, out_path: str | Path, *, cache_dir: str | Path | None,
                 jobs: int = 0, settings: AnalyzerSettings | None = None, progress: bool = True,
                 scheduler: str | None = None) -> TokenizeResult:
    """corpus.parquet -> tokens.parquet (columns ``TOKEN_COLUMNS``), streamed: a window of documents
    at a time is tokenized and written as it is done (:func:`iter_token_rows`,
    :func:`write_token_rows`), so memory stays flat in corpus size. Returns a
    :class:`TokenizeResult` (``.attrs``: the run's counts; ``.read()``: the table).

    ``scheduler`` (None, ``"local"`` or a Dask scheduler address) says where the analyzer runs;
    the file is the same byte for byte, and so is its stamp (the scheduler is not a parameter).
    """
    from analysis.io import read_stage_output

    from analysis.runstate import write_stamp

    corpus = read_stage_output(corpus_path, "ingest", ["doc_id", "text"], only_columns=True)
    stats: dict = {}
    rows = iter_token_rows(corpus, settings=settings, jobs=jobs, cache_dir=cache_dir, progress=progress,
                           scheduler=scheduler, stats=stats)
    write_token_rows(rows, out_path, _token_schema(corpus))
    write_stamp(Path(out_path).parent, "tokenize", inputs=[corpus_path], outputs=[out_path],
                parameters={"analyzer": (settings or AnalyzerSettings()).fingerprint()})
    return TokenizeResult(Path(out_path), stats)
