"""``analysis interactive``: standalone offline HTML views of the processed tables.

    $ analysis interactive
    $ analysis interactive --processed data/processed --out reports/interactive --term 輸出規制 補助金

Writes into ``reports/interactive/`` (the study's reports folder with ``--config``); see
:mod:`analysis.interactive.stage` for the views and what each needs.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis import config
    from analysis.study import add_config_argument

    add_config_argument(parser)
    parser.add_argument("--processed", type=Path, default=None,
                        help="folder of processed tables (default: the study's, else data/processed)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the pages (default: the study's reports/interactive, else reports/interactive)")
    parser.add_argument("--term", nargs="+", action="extend", default=None, metavar="T",
                        help="KWIC term(s) (default: the study's kwic terms; without --config the demo study's; "
                             "none: the stance targets)")
    parser.add_argument("--max-documents", type=int, default=2000,
                        help="the document map shows a seeded random sample above this many documents (default 2000)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the document sample and map")
    parser.add_argument("--period", default=None, choices=config.PERIOD_CHOICES,
                        help="period of the KWIC filter and of BERTopic's topics over time "
                             "(default: the one of stance_over_time.parquet)")


def run(args: argparse.Namespace) -> int:
    from analysis import config
    from analysis.errors import InputError
    from analysis.interactive.stage import write_interactive
    from analysis.study import demo_config, load_study, pick, stage_paths

    study, paths = stage_paths(args)
    processed = args.processed or paths.processed
    out = args.out or paths.reports / "interactive"
    if not processed.is_dir():
        raise InputError(f"processed folder {processed} not found; run `analysis run` first or pass --processed")
    if args.max_documents < 3:
        raise InputError(f"--max-documents {args.max_documents}: give at least 3")
    terms = args.term if args.term else (study or load_study(demo_config())).kwic
    written = write_interactive(processed, out, terms=terms, max_documents=args.max_documents,
                                seed=pick(args.seed, study, "seed", config.SEED), period=args.period,
                                min_n_interval=study.min_n_interval if study else config.MIN_N_INTERVAL)
    for path in written:
        print(f"   {path} ({path.stat().st_size / 1e6:.2f} MB)")
    print(f"wrote {len(written)} interactive pages to {out}")
    return 0
