"""``analysis stance-eval GOLD.csv``: precision, recall, F per label, confusion matrix, macro_f.

    $ analysis stance-eval data/gold/stance_test.csv --targets data/gold/targets.yaml
    $ analysis stance-eval data/processed/chabsa_gold.csv --method supervised     # 5-fold CV by group
    $ analysis stance-eval --documents data/gold/editorial_documents.csv --split test

The last line is ``macro_f=0.xxx`` (mean of F(FAVOR) and F(AGAINST), SemEval-2016 Task 6).
``--targets`` defaults to the bundled targets file; a target the file does not name is searched
as its literal string. A gold CSV with a ``construction`` column also gets accuracy and macro_f per
construction. The supervised method is trained on --train if given, else cross-validated with
GroupKFold over the ``group`` column (else the text); ``--shuffle-folds SEED`` assigns the groups to
folds at random; ``--bundled-train`` trains it on the bundled editorial training set instead.
``--cv-bundled-train`` (instead of GOLD) cross-validates the method over the bundled training set,
folds grouped by target, the learned part of the default trained on the other folds: a development
figure that no rule was written against (the dev parts were).

``--documents DOCS.csv`` (columns file,target,label[,kind,split]; files relative to ``--folder``,
by default the folder named like the CSV beside it, else ``editorials/`` beside it) scores whole
editorials as the ``stance`` stage does and prints each document's label, score and the sentences
that decided it, then the same report with ``balanced_accuracy=`` (mean recall over the labels
present) before the last line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config
from analysis.stance.methods import DEFAULT_METHOD, METHODS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("gold", type=Path, nargs="?", default=None,
                        help="gold CSV: text,target,label[,start,end,group,construction]")
    parser.add_argument("--documents", type=Path, default=None,
                        help="document gold CSV file,target,label[,kind,split] (instead of GOLD)")
    parser.add_argument("--folder", type=Path, default=None,
                        help="folder the --documents files are relative to (default: the folder named like "
                             "the CSV beside it, else editorials/ beside it)")
    parser.add_argument("--split", default=None, help="keep only rows whose split column equals this (dev/test)")
    parser.add_argument("--targets", type=Path, default=None,
                        help="targets YAML (default: the bundled src/analysis/resources/targets.yaml)")
    parser.add_argument("--method", choices=METHODS, default=DEFAULT_METHOD)
    parser.add_argument("--train", type=Path, default=None,
                        help="training CSV for the supervised method and the default's learned part")
    parser.add_argument("--bundled-train", action="store_true",
                        help="supervised: train on the bundled data/gold/stance_train*.csv instead of cross-validating")
    parser.add_argument("--cv-bundled-train", action="store_true",
                        help="instead of GOLD: cross-validate the method over the bundled training set, folds "
                             "grouped by target (the learned part trained on the other folds); a development "
                             "figure no rule was written against")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (supervised without --train)")
    parser.add_argument("--shuffle-folds", type=int, default=None, metavar="SEED",
                        help="assign groups to folds at random with this seed (default: GroupKFold's "
                             "deterministic size-balanced assignment); to check the CV figure is not "
                             "an accident of one split")
    parser.add_argument("--seed", type=int, default=config.SEED)
    # issue 12: --sheet FILLED (a filled annotation sheet of the user's corpus), see analysis.validation.cli_eval_sheet
    from analysis.validation.cli_eval_sheet import add_sheet_arguments

    add_sheet_arguments(parser)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "sheet", None) is not None:  # issue 12: population-weighted P/R/F from a filled sheet
        from analysis.validation.cli_eval_sheet import run_sheet

        return run_sheet(args)
    from analysis.errors import InputError
    from analysis.stance.evaluate import (evaluate_labels, predict_documents, predict_gold, read_document_gold,
                                          read_gold)
    from analysis.stance.targets import load_targets

    targets = load_targets(args.targets)
    train = read_gold(args.train) if args.train else None
    if args.documents is not None:
        gold = read_document_gold(args.documents)
        if args.split:
            gold = gold[gold.get("split", "") == args.split].reset_index(drop=True)
        if gold.empty:
            raise InputError(f"no rows in {args.documents} with split={args.split!r}")
        folder = args.folder or (args.documents.parent / args.documents.stem
                                 if (args.documents.parent / args.documents.stem).is_dir()
                                 else args.documents.parent / "editorials")
        table = predict_documents(gold, folder, args.method, targets=targets,
                                  train=train, seed=args.seed)
        for row in table.itertuples():
            mark = "ok " if row.label == row.predicted else "XX "
            print(f"{mark}{row.file} {row.target}: gold={row.label} predicted={row.predicted} "
                  f"score={row.score:.2f} kind={getattr(row, 'kind', '')}")
            if row.evidence:
                print(f"     evidence: {row.evidence[:300]}")
        predicted = table["predicted"].tolist()
        source = args.documents
    elif args.cv_bundled_train:
        from analysis.stance.supervised import read_default_train

        gold = read_default_train()
        gold["group"] = gold["target"].astype(str)
        predicted = list(predict_gold(gold, args.method, targets=targets, n_splits=args.folds, seed=args.seed,
                                      shuffle_folds=args.shuffle_folds, cross_validate_any=True))
        source = "bundled training set, grouped by target"
    else:
        if args.gold is None:
            raise InputError("give a gold CSV (text,target,label), --documents DOCS.csv or --cv-bundled-train")
        gold = read_gold(args.gold)
        if args.split and "split" in gold.columns:
            gold = gold[gold["split"] == args.split].reset_index(drop=True)
        predicted = list(predict_gold(gold, args.method, targets=targets, train=train, n_splits=args.folds,
                                      seed=args.seed, shuffle_folds=args.shuffle_folds,
                                      cross_validate=not args.bundled_train))
        source = args.gold
    report = evaluate_labels(gold["label"].tolist(), predicted)
    print(f"method={args.method} gold={source}")
    by = "construction" if "construction" in gold.columns else ("kind" if "kind" in gold.columns else None)
    if by:
        print(f"{by:<20} {'n':>4} {'accuracy':>9} {'macro_f':>8}")
        for name, idx in gold.groupby(by).groups.items():
            part = evaluate_labels(gold.loc[idx, "label"].tolist(), [predicted[i] for i in idx])
            acc = sum(gold.loc[i, "label"] == predicted[i] for i in idx) / len(idx)
            print(f"{name:<20} {len(idx):>4} {acc:>9.3f} {part.macro_f:>8.3f}")
        print()
    text = report.to_text().splitlines()
    if args.documents is not None:
        recalls = [report.recall[label] for label in report.support if report.support[label]]
        text.insert(len(text) - 1, f"balanced_accuracy={sum(recalls) / len(recalls):.3f}")
    print("\n".join(text))
    return 0
