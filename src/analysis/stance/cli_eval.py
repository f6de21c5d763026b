"""``analysis stance-eval GOLD.csv``: precision, recall, F per label, confusion matrix, macro_f.

    $ analysis stance-eval data/gold/editorial_stance.csv --targets src/analysis/resources/targets.yaml
    $ analysis stance-eval data/processed/chabsa_gold.csv --method supervised     # 5-fold CV by group

The last line is ``macro_f=0.xxx`` (mean of F(FAVOR) and F(AGAINST), SemEval-2016 Task 6).
Without --targets the target column is the literal mention. The supervised method is trained on
--train if given, else cross-validated with GroupKFold over the ``group`` column (else the text);
``--shuffle-folds SEED`` assigns the groups to folds at random.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("gold", type=Path, help="gold CSV: text,target,label[,start,end,group]")
    parser.add_argument("--targets", type=Path, default=None, help="targets YAML: target column names a target")
    parser.add_argument("--method", choices=["rules", "rules+tohoku", "supervised", "lss"], default="rules")
    parser.add_argument("--train", type=Path, default=None, help="training CSV for the supervised method")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (supervised without --train)")
    parser.add_argument("--shuffle-folds", type=int, default=None, metavar="SEED",
                        help="assign groups to folds at random with this seed (default: GroupKFold's "
                             "deterministic size-balanced assignment); to check the CV figure is not "
                             "an accident of one split")
    parser.add_argument("--seed", type=int, default=config.SEED)


def run(args: argparse.Namespace) -> int:
    from analysis.stance.evaluate import evaluate_labels, predict_gold, read_gold
    from analysis.stance.targets import load_targets

    gold = read_gold(args.gold)
    targets = load_targets(args.targets) if args.targets else None
    train = read_gold(args.train) if args.train else None
    predicted = predict_gold(gold, args.method, targets=targets, train=train, n_splits=args.folds, seed=args.seed,
                             shuffle_folds=args.shuffle_folds)
    report = evaluate_labels(gold["label"].tolist(), list(predicted))
    print(f"method={args.method} gold={args.gold}")
    print(report.to_text())
    return 0
