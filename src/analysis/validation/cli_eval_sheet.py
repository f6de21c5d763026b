"""``analysis stance-eval --sheet FILLED``: the stance scorer's accuracy on the researcher's own corpus.

    $ analysis stance-eval --sheet data/annotation/annotation_輸出規制_document_S1234567_coderA.xlsx
    $ analysis stance-eval --sheet filled.csv --key elsewhere/annotation_..._S1234567.key.csv --sheet-report acc.csv

Reads a sheet filled by a coder (or adjudicated from several) and its key, and prints precision,
recall and F per label weighted to the population (each unit counts ``1 / inclusion probability``),
with stratified bootstrap intervals and the plain sample figures beside them; accuracy and macro F
per newspaper and per period, or "too small to tell" where fewer than ``--min-n`` units were
labelled; the estimated population confusion matrix. The last line is ``macro_f=0.xxx`` (mean of
F(FAVOR) and F(AGAINST), weighted), as for the other forms of ``stance-eval``. Hooked into
:mod:`analysis.stance.cli_eval` (``--sheet`` is handled before anything else there).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config


def add_sheet_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sheet", type=Path, default=None, metavar="FILLED",
                        help="a filled annotation sheet (.csv/.xlsx from `analysis annotate`): population-weighted "
                             "P/R/F on your corpus, per newspaper and period")
    parser.add_argument("--key", type=Path, default=None, help="key of --sheet (default: found beside it or in data/annotation)")
    parser.add_argument("--sheet-report", type=Path, default=None, help="also write the tidy accuracy table to this CSV")
    parser.add_argument("--min-n", type=int, default=config.MIN_VALIDATION_UNITS,
                        help=f"labelled units a newspaper or period needs before its figures are shown "
                             f"(default {config.MIN_VALIDATION_UNITS})")


def run_sheet(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.errors import InputError
    from analysis.io import write_csv
    from analysis.validation.accuracy import accuracy_table, overall_macro_f, report_text, validation_frame
    from analysis.validation.sheets import load_filled

    sheet = load_filled(args.sheet, key=args.key)
    validation = validation_frame(sheet)
    if validation.empty:
        raise InputError(f"{args.sheet} has no unit labelled FAVOR, AGAINST or NONE; fill the label column")
    table = accuracy_table(validation, min_n=args.min_n, seed=args.seed)
    with pd.option_context("display.width", 200, "display.unicode.east_asian_width", True):
        print(report_text(sheet, validation, table, min_n=args.min_n))
    if args.sheet_report:
        write_csv(table, args.sheet_report)
        print(f"wrote {args.sheet_report}")
    if len(validation) < args.min_n:
        print(f"warning: {len(validation)} labelled units < {args.min_n}: the overall figures are too small to tell")
    print(f"macro_f={overall_macro_f(validation):.3f}")
    return 0
