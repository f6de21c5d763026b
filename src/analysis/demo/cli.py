"""``analysis demo``: regenerate the synthetic demo corpus and its ground truth.

    $ analysis demo                      # rewrite data/raw/demo (byte-identical for the same seed)
    $ analysis demo --out /tmp/demo --seed 7
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: data/raw/demo of this checkout)")
    parser.add_argument("--seed", type=int, default=config.SEED, help="random seed (default: %(default)s)")


def run(args: argparse.Namespace) -> int:
    from analysis.demo.generator import generate

    out = args.out if args.out is not None else config.paths().demo
    truth = generate(out, seed=args.seed)
    discussed = {t: int(truth[f"stance_{t}"].notna().sum()) for t in ("輸出規制", "AI規制", "半導体補助金")}
    print(f"wrote {len(truth)} synthetic editorials from {truth['source'].nunique()} newspapers "
          f"({truth['published'].min()[:7]} .. {truth['published'].max()[:7]}) to {out}")
    print("themes: " + ", ".join(f"{k} {v}" for k, v in truth["theme"].value_counts().sort_index().items()))
    print("pages discussing each target: " + ", ".join(f"{k} {v}" for k, v in discussed.items()))
    return 0
