"""``analysis annotate``: draw a validation sample of the corpus and write the sheet coders fill.

    $ analysis annotate --target 輸出規制 --n 200                  # documents, into data/annotation/
    $ analysis annotate --target AI規制 --n 300 --unit sentence --seed 7 --out my_sheets/

Reads stance.parquet (and stance_evidence.parquet for sentences) and corpus.parquet from
``--processed``; writes ``annotation_<target>_<unit>_<sample>.csv`` and ``.xlsx`` (what the coders
see) and ``.key.csv`` (predictions and sampling weights; keep it, do not hand it out). Prints the
population and sample per predicted label. Give each coder a copy of the sheet
(``..._coderA.xlsx``); the tools find the key through the sample id in the unit ids.
See :mod:`analysis.validation.annotate` for the design.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    paths = config.paths()
    parser.add_argument("--target", required=True, help="stance target to validate (a name in stance.parquet)")
    parser.add_argument("--n", type=int, required=True, help="units to draw (a few hundred for per-newspaper figures)")
    parser.add_argument("--unit", choices=["document", "sentence"], default="document",
                        help="label whole editorials (default; needed for the over-time correction) or sentences")
    parser.add_argument("--method", default=None, help="stance method to validate (default: the one in stance.parquet)")
    parser.add_argument("--allocation", choices=["balanced", "proportional"], default="balanced",
                        help="split of --n over predicted labels: as equal as possible (default) or proportional")
    parser.add_argument("--period", default=config.PERIOD, choices=config.PERIOD_CHOICES,
                        help="period of the strata (default auto, as the over-time tables)")
    parser.add_argument("--targets", type=Path, default=None, help="targets YAML (marks the target's aliases in the sheet)")
    parser.add_argument("--processed", type=Path, default=paths.processed, help=f"processed tables (default {paths.processed})")
    parser.add_argument("--out", type=Path, default=paths.annotation, help=f"folder for the sheets (default {paths.annotation})")
    parser.add_argument("--seed", type=int, default=config.SEED)
    parser.add_argument("--force", action="store_true", help="overwrite an existing sheet of the same sample")


def run(args: argparse.Namespace) -> int:
    from analysis.io import read_stage_output
    from analysis.stance.targets import load_targets
    from analysis.validation.annotate import annotate, strata_summary

    stance = read_stage_output(args.processed / "stance.parquet", "stance",
                               ("doc_id", "target", "method", "score", "label", "n_mentions"))
    corpus = read_stage_output(args.processed / "corpus.parquet", "ingest", ("doc_id", "source", "text", "published"))
    evidence = None
    if args.unit == "sentence":
        evidence = read_stage_output(args.processed / "stance_evidence.parquet", "stance",
                                     ("doc_id", "target", "method", "sentence_index", "sentence", "score"))
    drawn = annotate(stance, corpus, target=args.target, n=args.n, out_dir=args.out, unit=args.unit,
                     evidence=evidence, method=args.method, period=args.period, allocation=args.allocation,
                     seed=args.seed, targets=load_targets(args.targets), force=args.force)
    key = drawn.key
    print(f"sample {drawn.sample_id}: {len(key)} {args.unit}s of {drawn.population_size} scored as mentioning "
          f"{args.target} (method {key['method'].iloc[0]}, period {key['period_freq'].iloc[0]}, seed {args.seed})")
    print(strata_summary(key).to_string(index=False))
    print(f"strata: {key['stratum'].nunique()} ({', '.join(sorted(key['stratum_by'].unique()))})")
    for path in drawn.sheet_paths:
        print(f"sheet: {path}")
    print(f"key:   {drawn.key_path}   (predictions and weights: do not give it to coders)")
    return 0
