"""``analysis stance-validate``: do the demo corpus's planted stance trajectories come back?

    $ analysis ingest data/raw/demo && analysis stance-validate --method rules

Scores the corpus (or reads --stance), averages per (paper, target, year) over documents that
mention the target, and prints the Pearson correlation with the demo's trajectories.csv averaged
the same way; the last line is ``r=0.xxx``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config
from analysis.stance.methods import DEFAULT_METHOD, METHODS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=None, help="corpus.parquet of the demo corpus")
    parser.add_argument("--trajectories", type=Path, default=None,
                        help="planted trajectories CSV (default: data/raw/demo/trajectories.csv)")
    parser.add_argument("--stance", type=Path, default=None, help="existing stance.parquet (default: score now)")
    parser.add_argument("--method", choices=METHODS, default=DEFAULT_METHOD,
                        help=f"stance scorer (default {DEFAULT_METHOD}; see the README for how each measures)")
    parser.add_argument("--train", type=Path, default=None, help="training CSV for the supervised method")
    parser.add_argument("--seed", type=int, default=config.SEED)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.errors import InputError
    from analysis.io import read_parquet
    from analysis.stance.evaluate import read_gold
    from analysis.stance.over_time import score_corpus, trajectory_correlation

    paths = config.paths()
    corpus_path = args.corpus or paths.corpus
    traj_path = args.trajectories or paths.demo / "trajectories.csv"
    for p in (corpus_path, traj_path):
        if not Path(p).is_file():
            raise InputError(f"{p} not found; run 'analysis ingest data/raw/demo' (and keep the demo's trajectories.csv)")
    corpus = read_parquet(corpus_path)
    if args.stance:
        stance = read_parquet(args.stance)
    else:
        train = read_gold(args.train) if args.train else None
        stance, _ = score_corpus(corpus, method=args.method, train=train, seed=args.seed)
    r, table = trajectory_correlation(stance, corpus, pd.read_csv(traj_path))
    print(table.to_string(index=False))
    print(f"cells={len(table)}")
    print(f"r={r:.3f}")
    return 0
