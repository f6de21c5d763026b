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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", nargs="+", type=Path, default=None,
                        help="files or folders to ingest (default: the bundled demo corpus data/raw/demo)")
    parser.add_argument("--root", type=Path, default=None, help="project root for all outputs (default: this checkout)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes for tokenization (0: all cores)")
    parser.add_argument("--seed", type=int, default=config.SEED, help="seed for every stochastic step")
    parser.add_argument("--no-notebooks", action="store_true", help="skip executing the notebooks at the end")


def run(args: argparse.Namespace) -> int:
    return run_pipeline(args.corpus, root=args.root, jobs=args.jobs, seed=args.seed,
                        notebooks=not args.no_notebooks)


def _stage(name: str):
    print(f"== {name}", flush=True)
    return time.perf_counter()


def _done(start: float) -> None:
    print(f"   done in {time.perf_counter() - start:.1f} s", flush=True)


def run_pipeline(corpus: list[Path] | None = None, *, root: Path | None = None, jobs: int = 0,
                 seed: int = config.SEED, notebooks: bool = True) -> int:
    paths = config.paths(root)
    inputs = [Path(c) for c in corpus] if corpus else [paths.demo]

    t = _stage("ingest")
    from analysis.ingest import ingest, print_summary

    result = ingest(inputs, paths.processed)
    print_summary(result)
    if result.n_ingested == 0:
        return 1
    _done(t)

    # -- tokenize (issue 3) --

    # -- topics (issue 4) --

    # -- stance (issue 5) --

    # -- figures (issue 6) --

    # -- notebooks (issue 6) --

    print(f"outputs: {paths.processed} and {paths.reports}")
    return 0
