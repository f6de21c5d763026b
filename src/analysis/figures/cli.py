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
    from analysis.study import add_config_argument

    add_config_argument(parser)
    parser.add_argument("--processed", type=Path, default=None,
                        help="folder of processed tables (default: the study's, else data/processed)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the figures (default: the study's reports/figures, else reports/figures)")
    parser.add_argument("--events", type=Path, default=None,
                        help="YAML file of event markers (default: the study's events; without --config the "
                             "demo study's, the packaged events.yaml)")
    parser.add_argument("--no-events", action="store_true", help="draw no event markers")
    parser.add_argument("--period", default=None, choices=config.PERIOD_CHOICES,
                        help="period of the corpus overview (M month, Q quarter, Y year)")
    parser.add_argument("--show-n", action="store_true", help="write each over-time point's n beside it")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="manifest file (default: manifest.json in the folder above --out)")


def run(args: argparse.Namespace) -> int:
    from analysis.errors import InputError
    from analysis.figures.manifest import write_manifest
    from analysis.figures.report import remove_stale, run_figures
    from analysis.study import demo_config, load_study, pick, stage_paths

    study, paths = stage_paths(args)
    processed = args.processed or paths.processed
    out = args.out or paths.figures
    if not processed.is_dir():
        raise InputError(f"processed folder {processed} not found; run `analysis run` first or pass --processed")
    events = None if args.no_events else (args.events or (study or load_study(demo_config())).events)
    period = pick(args.period, study, "period", config.PERIOD)
    written = run_figures(processed, out, events_path=events, period=period,
                          min_n_interval=study.min_n_interval if study else config.MIN_N_INTERVAL,
                          show_n=args.show_n)
    removed = remove_stale(out, written)
    manifest = args.manifest or out.parent / "manifest.json"
    write_manifest(manifest, processed_dir=processed, figures_dir=out,
                   parameters={"period": period, "events": str(events) if events else None,
                               **({"study": study.describe()} if study else {})},
                   seeds={"seed": study.seed if study else config.SEED})
    print(f"wrote {len(written)} figure files to {out} ({len(removed)} stale ones removed) and {manifest}")
    return 0
