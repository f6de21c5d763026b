"""``analysis bench``: speed and memory figures (a measurement, not a test).

    $ analysis bench --limit 300            # quick: 300 documents spread over the corpus
    $ analysis bench --jobs 2               # the full livedoor corpus (about 10 minutes)
    $ analysis bench --corpus data/processed/corpus.parquet

Default corpus: the livedoor tarball in ../shared (read at run time, never copied), else the
bundled demo pages. Each benchmark is a function ``(texts, args) -> list of (label, value)``
listed in ``BENCHMARKS``; later stages append their own. The tokenization benchmark prints
janome's raw rate (plain ``janome.tokenizer.Tokenizer().tokenize(text)``, the yardstick), our
analyzer with one process, with N processes on a cold cache, the cached rerun and its speed-up,
and peak RSS of this process plus its workers (psutil, sampled every 50 ms), each against the
targets of issues 3 and 15. The single-process figures use an evenly spread sample (``--sample``)
so the full run stays near ten minutes; a yardstick and the analyzer it is compared with are timed
in alternating blocks of the sample (:func:`_paired`), so both see the same load on a shared
machine. The fugashi benchmark (with the ``[fast]`` extra) compares the fugashi analyzer with raw
fugashi (plain ``fugashi.Tagger()``, the words of each text) on the first pass over the sample,
and again once the analyzer has seen the corpus's other documents (its per-word memories filled,
as in a worker after its first few hundred documents).
"""

from __future__ import annotations

import argparse
import tarfile
import tempfile
import threading
import time
from pathlib import Path

from analysis import config
from analysis.errors import InputError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=None,
                        help="livedoor-style .tgz, a corpus .parquet, or a folder of .txt pages "
                             "(default: ../shared livedoor tarball, else data/raw/demo)")
    parser.add_argument("--limit", type=int, default=0, help="use N documents spread evenly over the corpus (0: all)")
    parser.add_argument("--sample", type=int, default=500, help="documents for the single-process figures")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes for the parallel figure (0: all cores)")


# -- corpora ------------------------------------------------------------------------------------


def _livedoor_texts(path: Path) -> list[str]:
    by_name = {}
    with tarfile.open(path, mode="r|*") as archive:  # one sequential pass over the gzip stream
        for member in archive:
            if member.isfile() and member.name.endswith(".txt") and "LICENSE" not in member.name \
                    and member.name.count("/") >= 2:
                lines = archive.extractfile(member).read().decode("utf-8").splitlines()
                by_name[member.name] = "\n".join(lines[2:])  # title and body; URL and date dropped
    return [by_name[name] for name in sorted(by_name)]


def load_texts(corpus: Path | None) -> tuple[str, list[str]]:
    """(description, texts) of the benchmark corpus."""
    paths = config.paths()
    if corpus is None:
        tarball = paths.shared / "data" / "livedoor" / "ldcc-text.tgz"
        corpus = tarball if tarball.is_file() else paths.demo
    corpus = Path(corpus)
    if not corpus.exists():
        raise InputError(f"benchmark corpus {corpus} not found; pass --corpus PATH")
    if corpus.suffix in (".tgz", ".gz"):
        return f"livedoor {corpus}", _livedoor_texts(corpus)
    if corpus.suffix == ".parquet":
        from analysis.io import read_parquet

        return str(corpus), [t for t in read_parquet(corpus)["text"].tolist() if isinstance(t, str)]
    files = sorted(corpus.rglob("*.txt")) if corpus.is_dir() else [corpus]
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    if not texts:
        raise InputError(f"no .txt files under {corpus}; pass --corpus PATH")
    return str(corpus), texts


def spread(texts: list[str], n: int) -> list[str]:
    """``n`` texts evenly spaced over ``texts`` (all if n is 0 or too large)."""
    if not n or n >= len(texts):
        return list(texts)
    return [texts[i * len(texts) // n] for i in range(n)]


# -- memory -------------------------------------------------------------------------------------


class PeakRSS:
    """Context manager sampling RSS of this process plus all its children; ``.peak`` in bytes."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me] + me.children(recursive=True):
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakRSS":
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# -- benchmarks ---------------------------------------------------------------------------------


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _paired(yardstick, candidate, texts: list[str], blocks: int = 10) -> tuple[float, float]:
    """Seconds ``yardstick(block)`` and ``candidate(block)`` take over all of ``texts``, timed in
    alternating blocks (the order flips each block), so drifting machine load hits both alike.

    Objects left by earlier benchmarks are frozen out of the garbage collector meanwhile: each
    collection would otherwise walk all of them, a cost that grows with whatever ran before and
    falls hardest on whichever side allocates more objects per token.
    """
    import gc

    size = max(1, -(-len(texts) // blocks))
    totals = [0.0, 0.0]
    gc.collect()
    gc.freeze()
    try:
        for index, start in enumerate(range(0, len(texts), size)):
            block = texts[start:start + size]
            order = [(0, yardstick), (1, candidate)]
            for which, fn in (order if index % 2 == 0 else order[::-1]):
                totals[which] += _timed(lambda: fn(block))[0]
    finally:
        gc.unfreeze()
    return totals[0], totals[1]


def _target(ratio: float, target: float) -> str:
    return f"target >= {target} x: {'met' if ratio >= target else 'NOT met'}"


def bench_tokenize(texts: list[str], args: argparse.Namespace) -> list[tuple[str, str]]:
    """Raw janome vs our analyzer (1 and N processes), cold vs cached, peak memory."""
    import pandas as pd
    from janome.tokenizer import Tokenizer

    from analysis.tokenize.corpus import analyze_texts, resolve_jobs, tokenize_corpus
    from analysis.tokenize.settings import AnalyzerSettings

    settings = AnalyzerSettings()
    jobs = resolve_jobs(args.jobs)
    sample = spread(texts, args.sample)
    sample_chars = sum(map(len, sample))
    chars = sum(map(len, texts))
    rows = [("documents / characters", f"{len(texts):,} / {chars:,} (single-process sample: "
                                       f"{len(sample):,} / {sample_chars:,})")]

    raw = Tokenizer()
    list(raw.tokenize(sample[0]))  # warm up like the analyzer below: page in the dictionary
    analyze_texts(sample[:1], settings, jobs=1, progress=False)  # build this process's analyzer
    raw_s, one_s = _paired(lambda block: [list(raw.tokenize(t)) for t in block],
                           lambda block: analyze_texts(block, settings, jobs=1, progress=False), sample)
    raw_rate = sample_chars / raw_s
    rows.append(("raw janome, 1 process (yardstick)", f"{raw_rate:,.0f} chars/s"))
    rows.append(("analyzer, 1 process", f"{sample_chars / one_s:,.0f} chars/s "
                                        f"({raw_s / one_s:.2f} x raw; {_target(raw_s / one_s, 0.9)})"))

    corpus = pd.DataFrame({"doc_id": [f"{i:06d}" for i in range(len(texts))], "text": texts})
    with tempfile.TemporaryDirectory(prefix="analysis-bench-") as cache_dir, PeakRSS() as memory:
        cold_s, cold = _timed(lambda: tokenize_corpus(corpus, jobs=jobs, cache_dir=cache_dir, progress=True))
        warm_s, warm = _timed(lambda: tokenize_corpus(corpus, jobs=jobs, cache_dir=cache_dir, progress=False))
    same = cold["tokens"].tolist() == warm["tokens"].tolist() and warm.attrs["n_tokenized"] == 0
    par_rate = chars / cold_s
    target = 0.9 * jobs * raw_rate
    rows += [
        (f"analyzer, {jobs} processes, cold (incl. start-up, cache writes)",
         f"{par_rate:,.0f} chars/s ({par_rate / raw_rate:.2f} x raw; target >= {0.9 * jobs:.1f} x: "
         f"{'met' if par_rate >= target else 'NOT met'})"),
        ("cold run / cached rerun", f"{cold_s:.2f} s / {warm_s:.3f} s = {cold_s / warm_s:,.0f} x "
                                    f"(target >= 50 x: {'met' if cold_s / warm_s >= 50 else 'NOT met'}; "
                                    f"rerun identical, no janome work: {same})"),
        ("peak RSS, this process + workers", f"{memory.peak / 2**20:,.0f} MiB (target < 2048 MiB: "
                                             f"{'met' if memory.peak < 2 * 2**30 else 'NOT met'})"),
    ]
    return rows


def bench_fugashi(texts: list[str], args: argparse.Namespace) -> list[tuple[str, str]]:
    """The optional fugashi + unidic-lite backend against raw fugashi and janome: speed, token overlap."""
    from analysis.tokenize.analyzer import tokenize_texts
    from analysis.tokenize.settings import AnalyzerSettings

    try:
        import fugashi
    except ImportError:
        return [("fugashi backend", "not installed (pip install -e '.[fast]')")]
    sample = spread(texts, args.sample)
    in_sample = {id(t) for t in sample}  # spread returns the corpus's own string objects
    others = [t for t in texts if id(t) not in in_sample]
    sample_chars = sum(map(len, sample))
    janome_s, janome_tokens = _timed(lambda: tokenize_texts(AnalyzerSettings(), sample))
    fugashi_settings = AnalyzerSettings(backend="fugashi")
    tagger = fugashi.Tagger()
    tagger(sample[0])
    tokenize_texts(fugashi_settings, sample[:1])

    def raw(block):
        return [tagger(t) for t in block]

    def analyzer(block):
        return tokenize_texts(fugashi_settings, block)

    def row(raw_s: float, analyzer_s: float) -> str:
        return (f"{sample_chars / analyzer_s:,.0f} chars/s ({raw_s / analyzer_s:.2f} x raw fugashi's "
                f"{sample_chars / raw_s:,.0f} chars/s alongside; {_target(raw_s / analyzer_s, 0.5)})")

    raw_s, first_s = _paired(raw, analyzer, sample)
    fugashi_tokens = analyzer(sample)
    rows = [
        ("raw fugashi, 1 process (fugashi.Tagger(), yardstick)", f"{sample_chars / raw_s:,.0f} chars/s"),
        ("fugashi analyzer, 1 process, first pass", row(raw_s, first_s)),
    ]
    if others:
        analyzer(others)  # the corpus's other documents: the analyzer's per-word memories fill
        rows.append((f"fugashi analyzer, 1 process, after {len(others):,} other documents",
                     row(*_paired(raw, analyzer, sample))))
    rows.append(("fugashi analyzer / janome analyzer, 1 process", f"{janome_s / first_s:.1f} x"))
    flat_j = [t for doc in janome_tokens for s in doc for t in s]
    flat_f = [t for doc in fugashi_tokens for s in doc for t in s]
    vocab_j, vocab_f = set(flat_j), set(flat_f)
    return rows + [
        ("tokens per 1,000 chars janome / fugashi", f"{1000 * len(flat_j) / sample_chars:.0f} / "
                                                    f"{1000 * len(flat_f) / sample_chars:.0f}"),
        ("vocabulary janome / fugashi / shared (Jaccard)",
         f"{len(vocab_j):,} / {len(vocab_f):,} / {len(vocab_j & vocab_f):,} "
         f"({len(vocab_j & vocab_f) / max(1, len(vocab_j | vocab_f)):.2f})"),
    ]


def bench_stance(texts: list[str], args: argparse.Namespace) -> list[tuple[str, str]]:
    """The default stance scorer on the corpus: GiNZA parse rate, wall time cold and cached, peak RSS."""
    import pandas as pd

    from analysis.stance.over_time import score_frame
    from analysis.stance.parse import Parser

    sample = [s for t in spread(texts, 50) for s in t.split("。")[:5] if s.strip()]
    parser = Parser(cache_dir=None)
    parser.parse(sample[:1])
    parse_s, _ = _timed(lambda: parser.parse(sample[1:]))
    chars = sum(map(len, sample[1:]))
    corpus = pd.DataFrame({"doc_id": [f"{i:06d}" for i in range(len(texts))], "text": texts})
    with tempfile.TemporaryDirectory(prefix="analysis-bench-") as cache_dir, PeakRSS() as memory:
        from analysis.stance.evaluate import make_scorer

        def score():
            scorer = make_scorer("syntax")
            scorer.cache_dir = cache_dir
            scorer.fit()
            return scorer.score_documents(corpus, scorer._targets(), method="syntax"), scorer.parser_

        cold_s, (cold, parsed) = _timed(score)
        warm_s, (warm, _) = _timed(score)
    same = cold[0].equals(warm[0])
    discussed = int((cold[0].groupby("doc_id")["n_mentions"].sum() > 0).sum())
    limit = 600
    return [
        ("GiNZA parse, 1 process (no cache)", f"{chars / parse_s:,.0f} chars/s"),
        ("documents mentioning a target (parsed whole)", f"{discussed:,} of {len(texts):,} "
                                                          f"({parsed.parsed:,} sentences parsed)"),
        ("stance, default method, cold parse cache", f"{cold_s:,.1f} s (target < {limit} s: "
                                                     f"{'met' if cold_s < limit else 'NOT met'})"),
        ("stance rerun, parses cached", f"{warm_s:,.1f} s (tables identical: {same})"),
        ("peak RSS, stance", f"{memory.peak / 2**20:,.0f} MiB (target < 3072 MiB: "
                             f"{'met' if memory.peak < 3 * 2**30 else 'NOT met'})"),
    ]


#: Benchmarks run in order; each returns (label, value) rows.
BENCHMARKS = [bench_tokenize, bench_fugashi, bench_stance]


def run(args: argparse.Namespace) -> int:
    description, texts = load_texts(args.corpus)
    texts = spread(texts, args.limit)
    print(f"corpus: {description}" + (f" (limit {args.limit})" if args.limit else ""), flush=True)
    for benchmark in BENCHMARKS:
        print(f"== {benchmark.__name__}: {benchmark.__doc__.splitlines()[0]}", flush=True)
        for label, value in benchmark(texts, args):
            print(f"  {label:<58} {value}", flush=True)
    return 0
