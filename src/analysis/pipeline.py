"""``analysis run``: every stage, in order, on one corpus.

    $ analysis run                                   # the bundled demo corpus
    $ analysis run --corpus path/to/editorials --jobs 2

Each stage is called through its own module's function with explicit paths, exactly as the stage's
own subcommand would call it; this module only chains them. Outputs land under data/processed and
reports/ of the project root (or ``--root``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from analysis import config

TOPIC_METHODS = ("nmf", "lda", "bertopic")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", nargs="+", type=Path, default=None,
                        help="files or folders to ingest (default: the bundled demo corpus data/raw/demo/pages)")
    parser.add_argument("--root", type=Path, default=None, help="project root for all outputs (default: this checkout)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes for tokenization (0: all cores)")
    parser.add_argument("--seed", type=int, default=config.SEED, help="seed for every stochastic step")
    parser.add_argument("--period", default=config.PERIOD, choices=config.PERIOD_CHOICES,
                        help="period of every over-time table and figure (auto: enough documents per point)")
    parser.add_argument("--topic-methods", nargs="+", choices=TOPIC_METHODS, default=list(TOPIC_METHODS),
                        help="topic models to fit (default: all three)")
    parser.add_argument("--no-notebooks", action="store_true", help="skip executing the notebooks at the end")
    parser.add_argument("--sheet", type=Path, nargs="+", default=None, metavar="FILLED",
                        help="filled document annotation sheet(s), one per target: stance over time and its "
                             "headline figure also show the shares corrected for classifier error")


def run(args: argparse.Namespace) -> int:
    return run_pipeline(args.corpus, root=args.root, jobs=args.jobs, seed=args.seed, period=args.period,
                        topic_methods=tuple(args.topic_methods), notebooks=not args.no_notebooks,
                        sheets=args.sheet)


def _stage(name: str):
    print(f"== {name}", flush=True)
    return time.perf_counter()


def _done(start: float) -> None:
    print(f"   done in {time.perf_counter() - start:.1f} s", flush=True)


def _relative_to(path: Path, root: Path) -> str:
    """``path`` relative to the project root when inside it (so manifests do not depend on the checkout's place)."""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).resolve().as_posix()


def run_pipeline(corpus: list[Path] | None = None, *, root: Path | None = None, jobs: int = 0,
                 seed: int = config.SEED, period: str = config.PERIOD,
                 topic_methods: tuple[str, ...] = TOPIC_METHODS, notebooks: bool = True,
                 sheets: list[Path] | None = None) -> int:
    paths = config.paths(root)
    inputs = [Path(c) for c in corpus] if corpus else [paths.demo_pages]

    t = _stage("ingest")
    from analysis.ingest import ingest, print_summary

    result = ingest(inputs, paths.processed)
    print_summary(result)
    if result.n_ingested == 0:
        return 1
    if period.lower() == "auto":
        from analysis.stats import choose_period

        period = choose_period(result.corpus["published"], result.corpus["source"])
        print(f"   period: {period} (auto: at least {config.MIN_DOCS_PER_PERIOD} documents per newspaper and period)")
    _done(t)

    # -- tokenize (issue 3) --
    t = _stage("tokenize")
    from analysis.tokenize import run_tokenize

    tokens = run_tokenize(paths.corpus, paths.tokens, cache_dir=paths.cache, jobs=jobs)
    print(f"   {tokens.attrs['n_documents']} documents, {tokens.attrs['n_cached']} from cache")
    _done(t)

    # -- topics (issue 4) --
    t = _stage("topics")
    from analysis.topics.stage import run_topics

    for topic_method in topic_methods:
        for method, summary in run_topics(method=topic_method, seed=seed, root=root, period=period).items():
            print(f"   {method}: {summary['n_topics']} topics, outliers {summary['outlier_share']:.1%}")
    _done(t)

    # -- stance (issue 5) --
    t = _stage("stance")
    from analysis.stance.over_time import run_stance

    for name, path in run_stance(paths.corpus, paths.processed, seed=seed, period=period, sheets=sheets).items():
        print(f"   {name}: {path}")
    _done(t)

    # -- figures (issue 6) --
    t = _stage("figures")
    from analysis.figures.report import run_figures

    run_figures(paths.processed, paths.figures, period=period)
    _done(t)

    # -- notebooks (issue 6) --
    if notebooks:
        t = _stage("notebooks")
        from analysis.notebooks import NotebookExecutionError, run_notebooks

        try:
            run_notebooks(paths.notebooks, paths.executed_notebooks,
                          parameters={"PROCESSED": str(paths.processed), "FIGURES": str(paths.figures), "SEED": seed,
                                      "PERIOD": period})
        except NotebookExecutionError as exc:
            print(f"error: {exc}", flush=True)
            return 1
        _done(t)
    from analysis.figures.manifest import write_manifest

    write_manifest(paths.reports / "manifest.json", processed_dir=paths.processed, figures_dir=paths.figures,
                   notebooks_dir=paths.executed_notebooks if notebooks else None, root=paths.root,
                   parameters={"corpus": [_relative_to(c, paths.root) for c in inputs], "period": period,
                               "n_boot": config.N_BOOT, "ci_level": config.CI_LEVEL, "notebooks": notebooks,
                               "topic_methods": list(topic_methods),
                               **({"sheets": [_relative_to(s, paths.root) for s in sheets]} if sheets else {})},
                   seeds={"seed": seed})

    print(f"outputs: {paths.processed} and {paths.reports}")
    return 0
