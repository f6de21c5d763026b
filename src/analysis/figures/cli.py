"""``analysis figures``: draw every report figure from the processed tables, and write the manifest.

    $ analysis figures
    $ analysis figures --processed data/processed --out reports/figures --events my_events.yaml

Writes PNG (300 dpi), SVG and PDF for each figure whose tables exist (see
:mod:`analysis.figures.report`) and ``reports/manifest.json`` beside the figures' folder.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    paths = config.paths()
    parser.add_argument("--processed", type=Path, default=paths.processed,
                        help=f"folder of processed tables (default: {paths.processed})")
    parser.add_argument("--out", type=Path, default=paths.figures,
                        help=f"folder for the figures (default: {paths.figures})")
    parser.add_argument("--events", type=Path, default=None,
                        help="YAML file of event markers (default: the packaged events.yaml)")
    parser.add_argument("--period", default=config.PERIOD, choices=config.PERIOD_CHOICES,
                        help="period of the corpus overview (M month, Q quarter, Y year)")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="manifest file (default: manifest.json in the folder above --out)")


def run(args: argparse.Namespace) -> int:
    from analysis.errors import InputError
    from analysis.figures.manifest import write_manifest
    from analysis.figures.report import run_figures

    if not args.processed.is_dir():
        raise InputError(f"processed folder {args.processed} not found; run `analysis run` first or pass --processed")
    written = run_figures(args.processed, args.out, events_path=args.events, period=args.period)
    manifest = args.manifest or args.out.parent / "manifest.json"
    write_manifest(manifest, processed_dir=args.processed, figures_dir=args.out,
                   parameters={"period": args.period, "events": str(args.events or "events.yaml (packaged)")},
                   seeds={"seed": config.SEED})
    print(f"wrote {len(written)} figure files to {args.out} and {manifest}")
    return 0
