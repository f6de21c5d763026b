"""``analysis ingest PATH... [--out DIR] [--allow-undated]``.

    $ analysis ingest ../shared/seeds
    $ analysis ingest ../shared/data/livedoor/ldcc-text.tgz --out data/processed/livedoor

Prints ``ingested N / duplicate N / rejected N`` and the top rejection reasons; exits 1 when
nothing could be ingested, 2 when a path does not exist.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="pages (.txt), tables (.csv/.tsv/.jsonl/.parquet), folders, livedoor .tgz")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder for corpus.parquet and ingest_report.csv (default: data/processed)")
    parser.add_argument("--allow-undated", action="store_true",
                        help="ingest pages without a date (published left empty) instead of rejecting them")


def run(args: argparse.Namespace) -> int:
    from analysis.ingest import ingest, print_summary

    result = ingest(args.paths, args.out, allow_undated=args.allow_undated)
    print_summary(result)
    return 0 if result.n_ingested else 1
