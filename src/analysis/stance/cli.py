"""``analysis stance``: stance per document and target, evidence sentences, stance over time.

    $ analysis stance                                   # data/processed/corpus.parquet, rules
    $ analysis stance --method rules --period Q
    $ analysis stance --method supervised --train data/gold/editorial_stance.csv
    $ analysis stance --sheet data/annotation/annotation_輸出規制_document_SXXXXXXX.xlsx   # + corrected shares
    $ analysis stance --scheduler tcp://login1:8786     # documents scored as Dask tasks (same tables)

Writes stance.parquet, stance_evidence.parquet and stance_over_time.parquet next to the corpus
(or to --out); see docs/ARCHITECTURE.md for their columns. With ``--sheet`` (filled document
annotation sheets from ``analysis annotate``, one per target) stance_over_time.parquet also gets the
shares of FAVOR and AGAINST corrected for classifier error (``analysis.validation.prevalence``).
With ``--scheduler`` the scorer is fitted here and documents are scored on Dask workers; the parse
cache stays in this process, which writes the parses workers send back (``analysis.stance.over_time``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config
from analysis.stance.methods import DEFAULT_METHOD, METHODS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.scheduler import add_scheduler_argument
    from analysis.study import add_config_argument

    add_config_argument(parser)
    parser.add_argument("--corpus", type=Path, default=None, help="corpus.parquet (default: data/processed/corpus.parquet)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: the corpus's folder)")
    parser.add_argument("--targets", type=Path, default=None, help="targets YAML (default: the study's stance.targets, else the bundled targets.yaml)")
    parser.add_argument("--method", choices=METHODS, default=None,
                        help=f"stance scorer (default {DEFAULT_METHOD}; see the README for how each measures)")
    parser.add_argument("--train", type=Path, default=None, help="training CSV text,target,label (supervised)")
    parser.add_argument("--no-unnamed-theses", action="store_true",
                        help="syntax/structural: theses that do not name a target never vote for it (news, reviews; "
                             "default: the study's stance.unnamed_theses, else they do, as in editorials)")
    parser.add_argument("--period", default=None, choices=config.PERIOD_CHOICES, help="period of the over-time table")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--sheet", type=Path, nargs="+", default=None, metavar="FILLED",
                        help="filled document annotation sheet(s) (.csv/.xlsx, one per target): add "
                             "misclassification-corrected shares to stance_over_time.parquet")
    parser.add_argument("--key", type=Path, default=None,
                        help="key file of a single --sheet (default: found beside the sheet or in data/annotation)")
    add_scheduler_argument(parser, default="this process",
                           workers="the study's jobs worker processes, else one per core")


def run(args: argparse.Namespace) -> int:
    from analysis.errors import InputError
    from analysis.scheduler import pick_scheduler
    from analysis.study import pick, stage_paths

    study, paths = stage_paths(args)
    scheduler = pick_scheduler(args.scheduler, study)  # a wrong value fails before the slow imports
    from analysis.stance.over_time import run_stance

    corpus = args.corpus or paths.corpus
    out = args.out or corpus.parent
    targets = pick(args.targets, study, "targets", None)
    if study is not None and targets is None:
        raise InputError(f"no stance targets: {study.where('stance.targets')} is empty; name a targets YAML there "
                         "or pass --targets")
    outputs = run_stance(corpus, out, targets_path=targets, method=pick(args.method, study, "stance_method", DEFAULT_METHOD),
                         period=pick(args.period, study, "period", config.PERIOD), train_path=args.train,
                         seed=pick(args.seed, study, "seed", config.SEED), sheets=args.sheet, key=args.key,
                         scheduler=scheduler, jobs=pick(None, study, "jobs", 0),
                         unnamed_theses=False if args.no_unnamed_theses else pick(None, study, "unnamed_theses", True))
    for name, path in outputs.items():
        print(f"{name}: {path}")
    return 0
