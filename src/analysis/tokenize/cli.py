"""``analysis tokenize``: corpus.parquet -> tokens.parquet, cached and parallel.

    $ analysis tokenize                                  # data/processed/corpus.parquet
    $ analysis tokenize --jobs 2 --min-token-length 2
    $ analysis tokenize --backend fugashi --no-cache     # the optional MeCab backend
    $ analysis tokenize --scheduler local                # as Dask tasks (same tokens.parquet)
    $ analysis tokenize --scheduler tcp://login1:8786    # on a running Dask cluster (README)

With ``--scheduler`` the analyzer runs on Dask workers and this process keeps the token cache
(workers only tokenize the texts the cache lacks and send the tokens back).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from analysis import config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.scheduler import add_scheduler_argument
    from analysis.study import add_config_argument

    add_config_argument(parser)
    parser.add_argument("--root", type=Path, default=None, help="project root (default: this checkout)")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus.parquet (default: data/processed/corpus.parquet)")
    parser.add_argument("--out", type=Path, default=None, help="tokens.parquet (default: data/processed/tokens.parquet)")
    parser.add_argument("--cache", type=Path, default=None, help="cache folder (default: data/cache)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the token cache")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (0: all cores; default: the study's jobs, else 0)")
    parser.add_argument("--backend", choices=("janome", "fugashi"), default="janome",
                        help="morphological analyzer (fugashi needs the [fast] extra)")
    parser.add_argument("--min-token-length", type=int, default=1, help="drop shorter tokens")
    parser.add_argument("--no-compounds", action="store_true", help="do not join compound nouns")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_scheduler_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.tokenize.corpus import run_tokenize
    from analysis.tokenize.settings import AnalyzerSettings

    from analysis.scheduler import pick_scheduler
    from analysis.study import pick, stage_paths

    study, paths = stage_paths(args)
    settings = AnalyzerSettings(backend=args.backend, min_token_length=args.min_token_length,
                                join_compounds=not args.no_compounds)
    out = args.out or paths.tokens
    start = time.perf_counter()
    frame = run_tokenize(args.corpus or paths.corpus, out,
                         cache_dir=None if args.no_cache else (args.cache or paths.cache),
                         jobs=pick(args.jobs, study, "jobs", 0), settings=settings, progress=not args.no_progress,
                         scheduler=pick_scheduler(args.scheduler, study))
    a = frame.attrs
    print(f"tokenized {a['n_documents']} documents ({a['n_cached']} from cache, {a['n_tokenized']} "
          f"analysed) in {time.perf_counter() - start:.1f} s -> {out}")
    return 0
