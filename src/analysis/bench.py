"""``analysis bench``: speed and memory figures (a measurement, not a test).

    $ analysis bench --limit 300            # quick: 300 documents spread over the corpus
    $ analysis bench --jobs 2               # the full livedoor corpus (about 10 minutes)
    $ analysis bench --corpus data/processed/corpus.parquet
    $ analysis bench --scale 1000,5000      # every stage on synthetic corpora of 1,000 and 5,000 editorials

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
and on a second sample of documents it has not seen once it has analysed the corpus's other
documents (its per-word memories filled, as in a worker after its first few hundred documents;
the first sample again would come from its memory of short sentences). The topics benchmark fits every topic model
on the corpus's token lists and prints each model's fit time and peak memory.

``--scale N1,N2,...`` is the scale benchmark instead (:func:`run_scale`): for each size, a synthetic
corpus of that many editorials (the demo generator's pages for seeds seed, seed + 1, ... until N,
:func:`synthetic_pages`) goes through every stage (ingest, tokenize, topics per method, stance,
figures, exports) in a temporary project root, each stage a fresh ``analysis <stage> --config``
process, as a user runs it (imports and caches included, caches cold). It prints wall time, CPU
time and peak RSS (the stage's process and its workers) per stage and size, each topic model's fit
time (its library imported beforehand), the growth exponent between consecutive sizes
(``log(c2/c1) / log(n2/n1)``: 1 is linear; fixed costs such as imports pull it below 1 at small
sizes), and the extrapolation to ``--extrapolate`` documents (default 110,000) with the exponent of
the two largest sizes; the table goes to ``reports/bench_scale.csv`` and the log-log figure of cost
against size to ``reports/figures/bench_scale.{png,svg,pdf}``. CPU time hardly changes with the load
other programs put on a shared machine; wall time does. The demo's sentences come from small banks,
so the stance stage's sentence parse cache hits more often than on real editorials: its time is a
lower bound.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
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
    parser.add_argument("--only", default="", metavar="NAME,...",
                        help="run only these benchmarks: " + ", ".join(b.__name__.removeprefix("bench_") for b in BENCHMARKS))
    parser.add_argument("--scale", type=scale_sizes, default=None, metavar="N1,N2,...",
                        help="scale benchmark instead: every stage on synthetic demo corpora of these sizes")
    parser.add_argument("--scale-methods", default="nmf,lda,bertopic", metavar="M1,M2",
                        help="topic methods of the scale benchmark (default: nmf,lda,bertopic)")
    parser.add_argument("--extrapolate", type=int, default=110_000, metavar="N",
                        help="corpus size the scale benchmark extrapolates to (default: 110,000)")
    parser.add_argument("--out", type=Path, default=None,
                        help="scale benchmark: folder for bench_scale.csv and figures/bench_scale.* (default: reports)")


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
    """Context manager sampling RSS of this process plus all its children; ``.peak`` in bytes.

    ``.children_cpu``: CPU seconds (user + system) of the processes started inside the context
    (children and their children, e.g. a stage and its workers), from the last sample of each, so
    at most one interval short per process.
    """

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self._cpu: dict[tuple[int, float], float] = {}
        self._stop = threading.Event()

    @property
    def children_cpu(self) -> float:
        return sum(self._cpu.values())

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me] + me.children(recursive=True):
                try:
                    total += proc.memory_info().rss
                    if proc.pid != me.pid:
                        times = proc.cpu_times()
                        self._cpu[(proc.pid, proc.create_time())] = times.user + times.system
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
    unseen = spread(others, len(sample)) if len(others) >= 2 * len(sample) else []
    if unseen:
        # the analyzer's per-word memories fill on the corpus's other documents, then it meets
        # documents it has not seen (the sample itself would come from its sentence memory)
        kept = {id(t) for t in unseen}
        fill = [t for t in others if id(t) not in kept]
        analyzer(fill)
        unseen_chars = sum(map(len, unseen))
        raw_u, warm_u = _paired(raw, analyzer, unseen)
        rows.append((f"fugashi analyzer, 1 process, {len(unseen):,} new documents after {len(fill):,} others",
                     f"{unseen_chars / warm_u:,.0f} chars/s ({raw_u / warm_u:.2f} x raw fugashi's "
                     f"{unseen_chars / raw_u:,.0f} chars/s alongside; {_target(raw_u / warm_u, 0.5)})"))
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


class FitTimes:
    """Context manager recording the seconds of every topic model ``fit`` called inside it.

    ``fit`` of :class:`~analysis.topics.models.TopicModel` and
    :class:`~analysis.topics.bertopic_model.BERTopicModel` (whose ``fit_transform`` calls it) is
    wrapped for the duration and restored afterwards; ``.rows`` holds ``(model, seconds)``, the
    model named ``nmf``, ``lda (tomotopy)``, ``bertopic (kmeans)`` and so on.
    """

    def __init__(self):
        self.rows: list[tuple[str, float]] = []

    @staticmethod
    def _name(model) -> str:
        if hasattr(model, "lda_engine"):
            return model.method + (f" ({model.lda_engine})" if model.method == "lda" else "")
        return f"bertopic ({getattr(model, 'clustering', '?')})"

    def __enter__(self) -> "FitTimes":
        import importlib

        classes = []
        for module, name in (("analysis.topics.models", "TopicModel"),
                             ("analysis.topics.bertopic_model", "BERTopicModel")):  # bertopic: imported in fit
            try:
                classes.append(getattr(importlib.import_module(module), name))
            except Exception:  # noqa: BLE001 - a model that cannot be imported is never fitted, never timed
                pass
        self._saved = [(cls, cls.fit) for cls in classes]
        for cls, fit in self._saved:
            def timed(model, *a, _fit=fit, **kw):
                start = time.perf_counter()
                try:
                    return _fit(model, *a, **kw)
                finally:
                    self.rows.append((self._name(model), time.perf_counter() - start))
            cls.fit = timed
        return self

    def __exit__(self, *exc) -> None:
        for cls, fit in self._saved:
            cls.fit = fit


def bench_topics(texts: list[str], args: argparse.Namespace) -> list[tuple[str, str]]:
    """Fit time and peak RSS of every topic model (k = 9) on the corpus's tokens (token cache: data/cache)."""
    import pandas as pd

    from analysis.tokenize import tokenize_corpus
    from analysis.topics.stage import build_model
    from analysis.topics.stage_defaults import TOPIC_METHODS

    corpus = pd.DataFrame({"doc_id": [f"{i:06d}" for i in range(len(texts))], "text": texts})
    documents = [list(t) for t in tokenize_corpus(corpus, jobs=args.jobs, cache_dir=config.paths().cache,
                                                  progress=False)["tokens"]]
    _import_model_libraries(TOPIC_METHODS)
    rows = []
    for method in TOPIC_METHODS:
        model = build_model(method, 9, seed=config.SEED, themes=None)
        with PeakRSS() as memory:
            seconds, _ = _timed(lambda: model.fit(documents))
        name = FitTimes._name(model)
        rows.append((f"{name}: fit, {len(documents):,} documents, k = 9",
                     f"{seconds:,.1f} s, peak RSS {memory.peak / 2**20:,.0f} MiB"))
    return rows


#: Benchmarks run in order; each returns (label, value) rows.
BENCHMARKS = [bench_tokenize, bench_fugashi, bench_stance, bench_topics]


# -- the scale benchmark --------------------------------------------------------------------------

#: Stages of the scale benchmark, in pipeline order (topics: one entry per method).
SCALE_STAGES = ("ingest", "tokenize", "topics", "stance", "figures", "export")
#: Growth exponent above which a stage's memory is said to grow faster than linearly.
LINEAR_TOLERANCE = 1.1
#: The child process prints its fit times after this marker.
_FITS_MARKER = "@@bench-fits@@"

SCALE_STUDY = """# scale benchmark: synthetic editorials from the demo generator
name: bench-scale
inputs: [pages]
seed: {seed}
period: auto
topics:
  methods: [{methods}]
  k: 8
  themes: resource:themes.yaml
stance:
  targets: resource:targets.yaml
  method: syntax
events: resource:events.yaml
notebooks: false
"""


def scale_sizes(value: str) -> list[int]:
    """``"1000,5000"`` -> ``[1000, 5000]`` (sorted, distinct, each at least 10)."""
    try:
        sizes = sorted({int(v.replace("_", "")) for v in value.split(",") if v.strip()})
    except ValueError:
        sizes = []
    if not sizes or sizes[0] < 10:
        raise argparse.ArgumentTypeError(f"--scale {value!r}: give corpus sizes of at least 10, e.g. 1000,5000")
    return sizes


def synthetic_pages(n: int, seed: int = config.SEED) -> dict[str, str]:
    """``n`` synthetic editorial pages (relative path -> text), the same for the same ``n`` and seed.

    The demo generator's corpus (:func:`analysis.demo.generator.build`) for ``seed``, ``seed + 1``,
    ... in turn; round ``r``'s files are ``pages/<新聞名>/r<r>_<YYYY-MM>_<nn>.txt``, taken in order
    of period and newspaper, so a partial last round covers the early months of every paper.
    """
    from analysis.demo.generator import build

    pages: dict[str, str] = {}
    round_ = 0
    while len(pages) < n:
        built, _ = build(seed + round_)
        for rel in sorted(built, key=lambda r: (Path(r).name, Path(r).parent.name)):
            if len(pages) == n:
                break
            pages[f"pages/{Path(rel).parent.name}/r{round_:04d}_{Path(rel).name}"] = built[rel]
        round_ += 1
    return pages


def _write_study(root: Path, n: int, seed: int, methods: list[str]) -> Path:
    from analysis.io import write_text

    folder = root / "study"
    for rel, text in synthetic_pages(n, seed).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    study = folder / "study.yaml"
    write_text(SCALE_STUDY.format(seed=seed, methods=", ".join(methods)), study)
    return study


def _stage_commands(study: Path, methods: list[str], jobs: int) -> list[tuple[str, list[str]]]:
    """(stage, ``analysis`` argv) in pipeline order."""
    config_arg = ["--config", str(study)]
    commands = [("ingest", ["ingest", *config_arg]),
                ("tokenize", ["tokenize", *config_arg, "--no-progress", "--jobs", str(jobs)])]
    commands += [(f"topics {m}", ["topics", *config_arg, "--method", m]) for m in methods]
    commands += [("stance", ["stance", *config_arg]), ("figures", ["figures", *config_arg]),
                 ("export", ["export", *config_arg])]
    return commands


#: Libraries each topic method imports inside ``fit``; imported before its fit is timed.
MODEL_LIBRARIES = {"nmf": ("sklearn.decomposition",), "lda": ("sklearn.decomposition", "tomotopy"),
                   "bertopic": ("sklearn.decomposition", "bertopic")}


def _import_model_libraries(methods) -> None:
    import importlib

    for method in methods:
        for name in MODEL_LIBRARIES.get(method, ()):
            try:
                importlib.import_module(name)
            except ImportError:
                pass


def stage_child(argv: list[str]) -> int:
    """Run ``analysis <argv>`` in this process, then print the topic models' fit times (JSON).

    For the topics stage the method's libraries are imported first, so a fit time is the fit alone
    (the stage's wall time still includes the imports, as in ``analysis topics``)."""
    from analysis.cli import main

    if argv and argv[0] == "topics":
        _import_model_libraries(argv[argv.index("--method") + 1:][:1] if "--method" in argv else MODEL_LIBRARIES)
    with FitTimes() as fits:
        status = main(argv)
    print(_FITS_MARKER + json.dumps(fits.rows, ensure_ascii=False), flush=True)
    return status


def _run_stage(argv: list[str], root: Path) -> dict:
    """Wall and CPU seconds, peak RSS (bytes) and fit times of ``analysis <argv>`` in a fresh interpreter.

    CPU seconds (user + system of the stage's process and its workers, :class:`PeakRSS`) hardly
    change with the load other programs put on the machine; wall seconds do.
    """
    env = {**os.environ, "ANALYSIS_HOME": str(root)}
    code = "import sys, json; from analysis.bench import stage_child; sys.exit(stage_child(json.loads(sys.argv[1])))"
    with PeakRSS() as memory:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code, json.dumps(argv)], env=env, cwd=root,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise InputError(f"scale benchmark: `analysis {' '.join(argv)}` failed (exit {done.returncode}):\n"
                         f"{(done.stdout + done.stderr)[-3000:]}")
    fits = next((json.loads(line[len(_FITS_MARKER):]) for line in done.stdout.splitlines()
                 if line.startswith(_FITS_MARKER)), [])
    return {"seconds": seconds, "cpu_seconds": memory.children_cpu, "peak_rss": memory.peak, "fits": fits, "output": done.stdout}


def _n_documents(root: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(root / "data" / "processed" / "corpus.parquet").metadata.num_rows)


def measure_scale(sizes: list[int], *, methods: list[str], seed: int = config.SEED, jobs: int = 0,
                  runner=_run_stage, progress: bool = True) -> "pd.DataFrame":
    """One row per size and stage: n_pages, n_documents, stage, seconds, cpu_seconds, peak_rss_mib,
    fit_seconds (NaN for stages that fit no topic model).

    Each size runs in a fresh temporary project root (``ANALYSIS_HOME``), so token and parse caches
    start cold. ``runner(argv, root)`` runs one stage (default: a fresh interpreter, measured).
    """
    import pandas as pd

    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"analysis-scale-{n}-") as tmp:
            root = Path(tmp)
            study = _write_study(root, n, seed, methods)
            n_documents = None
            for stage, argv in _stage_commands(study, methods, jobs):
                result = runner(argv, root)
                if n_documents is None:
                    n_documents = _n_documents(root)
                fit = sum(s for _, s in result["fits"]) if result["fits"] else float("nan")
                rows.append({"n_pages": n, "n_documents": n_documents, "stage": stage,
                             "seconds": round(result["seconds"], 2),
                             "cpu_seconds": round(result.get("cpu_seconds", float("nan")), 2),
                             "peak_rss_mib": round(result["peak_rss"] / 2**20, 1),
                             "fit_seconds": round(fit, 2)})
                if progress:
                    said = [line.strip() for line in result.get("output", "").splitlines()
                            if line.strip() and not line.startswith(_FITS_MARKER)]
                    print(f"  {n:>7,} pages  {stage:<18} {result['seconds']:>8.1f} s  "
                          f"(CPU {result.get('cpu_seconds', float('nan')):>7.1f} s)  "
                          f"{result['peak_rss'] / 2**20:>7,.0f} MiB"
                          + (f"  (fit {fit:.1f} s)" if result["fits"] else "")
                          + (f"  | {said[0][:70]}" if said else ""), flush=True)
    return pd.DataFrame(rows)


def _exponent(c1: float, c2: float, span: float) -> float:
    return math.log(max(c2, 1e-9) / max(c1, 1e-9)) / span


def growth_table(costs: "pd.DataFrame", extrapolate: int = 110_000) -> "pd.DataFrame":
    """Per stage: growth exponents between consecutive sizes, and the extrapolation.

    Columns: stage, n_from, n_to, time_exponent (wall), cpu_exponent, memory_exponent (peak RSS),
    each ``log(c2/c1) / log(n2/n1)`` over documents ingested; on the last pair of each stage
    ``seconds_at``/``cpu_seconds_at``/``rss_mib_at``: the cost at ``extrapolate`` documents,
    ``c2 * (extrapolate / n2) ** exponent`` (exponent at least 0).
    """
    import pandas as pd

    measures = (("seconds", "time_exponent", "seconds_at"), ("cpu_seconds", "cpu_exponent", "cpu_seconds_at"),
                ("peak_rss_mib", "memory_exponent", "rss_mib_at"))
    columns = ["stage", "n_from", "n_to", *[m[1] for m in measures], *[m[2] for m in measures]]
    rows = []
    for stage, group in costs.groupby("stage", sort=False):
        group = group.sort_values("n_documents")
        pairs = [(a, b) for a, b in zip(group.iloc[:-1].to_dict("records"), group.iloc[1:].to_dict("records"))
                 if b["n_documents"] > a["n_documents"]]
        for i, (a, b) in enumerate(pairs):
            span = math.log(b["n_documents"] / a["n_documents"])
            row = {"stage": stage, "n_from": int(a["n_documents"]), "n_to": int(b["n_documents"])}
            for column, exponent, at in measures:
                value = _exponent(a.get(column, float("nan")), b.get(column, float("nan")), span) \
                    if column in a else float("nan")
                row[exponent] = round(value, 3)
                row[at] = float("nan")
                if i == len(pairs) - 1 and column in b:
                    row[at] = round(b[column] * (extrapolate / b["n_documents"]) ** max(value, 0.0), 1)
            rows.append(row)
    return pd.DataFrame(rows, columns=columns)


#: Panels of the scale figure: (cost column, extrapolated column, axis label, title).
SCALE_PANELS = (("seconds", "seconds_at", "秒(壁時計)", "時間(壁時計)"),
                ("cpu_seconds", "cpu_seconds_at", "CPU秒", "CPU時間"),
                ("peak_rss_mib", "rss_mib_at", "最大RSS (MiB)", "メモリ"))


def plot_scale(costs: "pd.DataFrame", growth: "pd.DataFrame", *, extrapolate: int = 110_000, axes=None):
    """Log-log cost against corpus size, one line per stage, in the panels of :data:`SCALE_PANELS`;
    the extrapolation to ``extrapolate`` documents dashed. Only draws; returns the axes."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, len(SCALE_PANELS), figsize=(12, 3.8))
    last = growth.dropna(subset=["rss_mib_at"]).set_index("stage")
    for (stage, group), marker in zip(costs.groupby("stage", sort=False), "osD^v<>ph*XP"):
        group = group.sort_values("n_documents")
        for ax, (column, at, _, _) in zip(axes, SCALE_PANELS):
            line, = ax.plot(group["n_documents"], group[column], marker=marker, markersize=4, label=stage)
            if stage in last.index and last.loc[stage, at] == last.loc[stage, at]:
                ax.plot([group["n_documents"].iloc[-1], extrapolate], [group[column].iloc[-1], last.loc[stage, at]],
                        linestyle="--", color=line.get_color(), linewidth=0.8)
    for ax, (_, _, label, title) in zip(axes, SCALE_PANELS):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("文書数(破線: 外挿)")
        ax.set_ylabel(label)
        ax.set_title(title)
        ax.axvline(extrapolate, color="0.6", linewidth=0.6)
    axes[-1].legend(loc="upper left", fontsize=7, frameon=False)
    return axes


def scale_verdicts(costs: "pd.DataFrame", growth: "pd.DataFrame") -> list[str]:
    """Sentences: which stage grows fastest in time and memory, and whether memory stays linear."""
    last = growth.dropna(subset=["rss_mib_at"])
    if last.empty:
        return ["one corpus size only: no growth exponent"]
    lines = []
    for column, what in (("time_exponent", "wall time"), ("cpu_exponent", "CPU time"),
                         ("memory_exponent", "memory")):
        if last[column].notna().any():
            row = last.loc[last[column].idxmax()]
            lines.append(f"fastest-growing {what}: {row['stage']} (exponent {row[column]:.2f} between "
                         f"{row['n_from']:,} and {row['n_to']:,} documents)")
    over = last[last["memory_exponent"] > LINEAR_TOLERANCE]
    lines.append(f"memory grows at most linearly in every stage (exponent <= {LINEAR_TOLERANCE})" if over.empty
                 else "memory grows faster than linearly in: " + ", ".join(
                     f"{r.stage} ({r.memory_exponent:.2f})" for r in over.itertuples()))
    return lines


def run_scale(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures.style import save_figure, use_style
    from analysis.io import write_csv

    methods = [m.strip() for m in args.scale_methods.split(",") if m.strip()]
    from analysis.topics.stage_defaults import TOPIC_METHODS

    unknown = [m for m in methods if m not in TOPIC_METHODS]
    if unknown:
        raise InputError(f"--scale-methods: unknown {', '.join(unknown)}; use some of {', '.join(TOPIC_METHODS)}")
    from analysis.tokenize.corpus import resolve_jobs

    print(f"scale benchmark: {', '.join(f'{n:,}' for n in args.scale)} synthetic editorials; topic methods "
          f"{', '.join(methods)}; {resolve_jobs(args.jobs)} tokenizer processes; {os.cpu_count()} cores; "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    costs = measure_scale(args.scale, methods=methods, jobs=args.jobs)
    growth = growth_table(costs, args.extrapolate)
    print_scale(costs, growth, args.extrapolate)
    out = args.out or config.paths().reports
    write_csv(costs, out / "bench_scale.csv")
    use_style()
    fig, axes = plt.subplots(1, len(SCALE_PANELS), figsize=(12, 3.8))
    plot_scale(costs, growth, extrapolate=args.extrapolate, axes=axes)
    fig.tight_layout()
    written = save_figure(fig, out / "figures" / "bench_scale")
    plt.close(fig)
    print(f"table: {out / 'bench_scale.csv'}; figure: {', '.join(str(p) for p in written)}")
    return 0


def print_scale(costs: "pd.DataFrame", growth: "pd.DataFrame", extrapolate: int, file=None) -> None:
    import pandas as pd

    file = file or sys.stdout
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print("\n== cost per stage (wall seconds incl. interpreter start and imports; peak RSS of the stage's "
              "process and its workers; fit_seconds: the topic model's fit)", file=file)
        print(costs.to_string(index=False), file=file)
        print(f"\n== growth exponents log(c2/c1)/log(n2/n1) and extrapolation to {extrapolate:,} documents "
              "(exponent of the last pair)", file=file)
        print(growth.to_string(index=False), file=file)
        last = growth.dropna(subset=["rss_mib_at"])
        if not last.empty:
            print(f"   total at {extrapolate:,} documents: about {last['seconds_at'].sum() / 60:,.0f} min wall, "
                  f"{last['cpu_seconds_at'].sum() / 60:,.0f} CPU-min; largest peak RSS "
                  f"{last['rss_mib_at'].max():,.0f} MiB", file=file)
    for line in scale_verdicts(costs, growth):
        print(f"   {line}", file=file)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "scale", None):
        return run_scale(args)
    description, texts = load_texts(args.corpus)
    texts = spread(texts, args.limit)
    print(f"corpus: {description}" + (f" (limit {args.limit})" if args.limit else ""), flush=True)
    names = [n.strip() for n in args.only.split(",") if n.strip()] if getattr(args, "only", "") else []
    known = {b.__name__.removeprefix("bench_"): b for b in BENCHMARKS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InputError(f"--only {', '.join(unknown)}: use some of {', '.join(known)}")
    for benchmark in [known[n] for n in names] if names else BENCHMARKS:
        print(f"== {benchmark.__name__}: {benchmark.__doc__.splitlines()[0]}", flush=True)
        for label, value in benchmark(texts, args):
            print(f"  {label:<58} {value}", flush=True)
    return 0
