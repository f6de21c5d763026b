"""``analysis intrusion``: word- and topic-intrusion sheets per topic model, and their scores.

    $ analysis intrusion                                  # every fitted model, into data/annotation/
    $ analysis intrusion --method nmf lda --docs 40
    $ analysis intrusion --score data/annotation/intrusion_words_nmf_W1234567_coderA.xlsx [...]

Writes ``intrusion_words_<model>_<id>.csv/.xlsx`` (one item per topic: five top words and one
intruder) and ``intrusion_topics_<model>_<id>.csv/.xlsx`` (a document with three of its topics and
one it lacks), each with a ``.key.csv``. ``--score`` reads filled sheets (several coders' copies
pool their answers) and prints per topic the share of intruders found, the binomial test against
chance and a verdict, and per model the overall share (and the topic log odds). See
:mod:`analysis.validation.intrusion`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    paths = config.paths()
    parser.add_argument("--method", nargs="+", default=None, help="topic models (default: every fitted one)")
    parser.add_argument("--docs", type=int, default=24, help="documents in each topic-intrusion sheet (default 24)")
    parser.add_argument("--processed", type=Path, default=paths.processed, help=f"processed tables (default {paths.processed})")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"folder for sheets, or with --score for the score tables (default {paths.annotation})")
    parser.add_argument("--seed", type=int, default=config.SEED)
    parser.add_argument("--force", action="store_true", help="overwrite existing sheets of the same sample")
    parser.add_argument("--score", type=Path, nargs="+", default=None, metavar="FILLED",
                        help="score filled intrusion sheets instead of writing new ones")
    parser.add_argument("--key", type=Path, default=None, help="key of a single --score sheet (default: found beside it)")


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.io import write_csv

    if args.score:
        from analysis.validation.intrusion import read_filled_intrusion, score_intrusion

        answers = pd.concat([read_filled_intrusion(p, key=args.key if len(args.score) == 1 else None)
                             for p in args.score], ignore_index=True)
        per_topic, per_model = score_intrusion(answers)
        with pd.option_context("display.width", 200, "display.max_columns", None, "display.max_colwidth", 80,
                               "display.unicode.east_asian_width", True):
            print(f"{len(answers)} answers from {answers['coder'].nunique()} sheet(s)")
            print(per_topic.round(3).to_string(index=False))
            print()
            print(per_model.round(3).to_string(index=False))
        if args.out:
            write_csv(per_topic, args.out / "intrusion_scores_per_topic.csv")
            write_csv(per_model, args.out / "intrusion_scores_per_model.csv")
            print(f"wrote {args.out}/intrusion_scores_per_topic.csv, intrusion_scores_per_model.csv")
        return 0
    from analysis.validation.intrusion import write_intrusion_sheets

    out = args.out or config.paths().annotation
    written = write_intrusion_sheets(args.processed, out, methods=args.method, n_docs=args.docs, seed=args.seed,
                                     force=args.force)
    for method, paths in written.items():
        kinds = sorted({p.name.split("_")[1] for p in paths})
        note = "" if "topics" in kinds else " (no topic-intrusion sheet: the model gives each document one topic)"
        print(f"{method}: {', '.join(kinds)}{note}")
        for path in paths:
            print(f"  {path}")
    return 0
