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
``run_tokenize`` does the same from corpus.parquet to tokens.parquet.
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
                  progress: bool = True, on_result=None, scheduler: str | None = None) -> list[list[list[str]]]:
    """Per-sentence tokens of each text, in order, using ``jobs`` processes (0: all cores).

    ``on_result(index, sentence_tokens)`` is called in the parent as results arrive (the cache
    writer). Small inputs and ``jobs == 1`` run in this process. With ``scheduler`` (``"local"``
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
            if scheduler is None and resolve_jobs(jobs) == 1:
                chunks = [[i] for i in range(len(texts))]  # in this process: progress per text
            else:
                chunks = _chunks(texts, executor.workers)
            batches = ([texts[i] for i in chunk] for chunk in chunks)
            # in chunk order: the output never depends on timing
            for chunk, tokens in zip(chunks, executor.map(tokenize_texts, batches, common=(settings,))):
                for i, sentence_tokens in zip(chunk, tokens):
                    results[i] = sentence_tokens
                    if on_result:
                        on_result(i, sentence_tokens)
                bar.update(sum(len(texts[i]) for i in chunk))
    finally:
        bar.close()
    return results


def tokenize_corpus(corpus, *, settings: AnalyzerSettings | None = None, jobs: int = 0,
                    cache_dir: str | Path | None = None, progress: bool = True, scheduler: str | None = None):
    """Tokens of every document of ``corpus`` (columns ``doc_id``, ``text``); see module doc.

    The result's ``attrs`` hold ``n_documents``, ``n_cached`` (served from the cache) and
    ``n_tokenized`` (distinct texts sent to the analyzer).
    """
    import pandas as pd

    settings = settings or AnalyzerSettings()
    missing = [c for c in ("doc_id", "text") if c not in corpus.columns]
    if missing:
        raise InputError(f"corpus table lacks column(s) {missing}; expected corpus.parquet from "
                         "`analysis ingest` (columns doc_id, text, ...)")
    texts = ["" if not isinstance(t, str) else t for t in corpus["text"].tolist()]
    digests = [text_hash(t) for t in texts]
    cache = TokenCache(cache_dir, settings) if cache_dir is not None else None

    found: dict[str, list[list[str]]] = {}
    todo: dict[str, str] = {}  # digest -> text, first occurrence order
    for digest, text in zip(digests, texts):
        if digest in found or digest in todo:
            continue
        cached = cache.get(text, digest) if cache else None
        if cached is not None:
            found[digest] = cached
        else:
            todo[digest] = text
    n_cached = len(found)

    todo_digests = list(todo)
    todo_texts = [todo[d] for d in todo_digests]

    def store(i: int, sentence_tokens: list[list[str]]) -> None:
        if cache:
            cache.put(todo_texts[i], sentence_tokens, todo_digests[i])

    for digest, sentence_tokens in zip(todo_digests, analyze_texts(todo_texts, settings, jobs=jobs,
                                                                   progress=progress, on_result=store,
                                                                   scheduler=scheduler)):
        found[digest] = sentence_tokens

    rows = []
    for doc_id, text, digest in zip(corpus["doc_id"].tolist(), texts, digests):
        sentences = split_sentences(text)
        sentence_tokens = found[digest]
        if len(sentences) != len(sentence_tokens):  # pragma: no cover - stale or foreign cache entry
            raise InputError(f"token cache entry for doc {doc_id} does not match its text; delete "
                             f"{cache.root if cache else 'the cache'} and rerun")
        rows.append((doc_id, [t for ts in sentence_tokens for t in ts], sentences, sentence_tokens))
    frame = pd.DataFrame(rows, columns=TOKEN_COLUMNS)
    frame.attrs.update(n_documents=len(rows), n_cached=n_cached, n_tokenized=len(todo_texts))
    return frame


def run_tokenize(corpus_path: str | Path, out_path: str | Path, *, cache_dir: str | Path | None,
                 jobs: int = 0, settings: AnalyzerSettings | None = None, progress: bool = True,
                 scheduler: str | None = None):
    """corpus.parquet -> tokens.parquet (columns ``TOKEN_COLUMNS``); returns the frame.

    ``scheduler`` (None, ``"local"`` or a Dask scheduler address) says where the analyzer runs;
    the file is the same byte for byte, and so is its stamp (the scheduler is not a parameter).
    """
    from analysis.io import read_stage_output, write_parquet

    from analysis.runstate import write_stamp

    corpus = read_stage_output(corpus_path, "ingest")
    frame = tokenize_corpus(corpus, settings=settings, jobs=jobs, cache_dir=cache_dir, progress=progress,
                            scheduler=scheduler)
    write_parquet(frame, out_path)
    write_stamp(Path(out_path).parent, "tokenize", inputs=[corpus_path], outputs=[out_path],
                parameters={"analyzer": (settings or AnalyzerSettings()).fingerprint()})
    return frame
