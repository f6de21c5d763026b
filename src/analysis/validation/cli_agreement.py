"""``analysis agreement SHEET_A SHEET_B ...``: do the coders agree?

    $ analysis agreement data/annotation/annotation_輸出規制_document_S1234567_coderA.xlsx \\
                         data/annotation/annotation_輸出規制_document_S1234567_coderB.csv --out reports/agreement

Prints Cohen's kappa and raw agreement for every pair of coders, the confusion between them, the
units they disagree on, and Krippendorff's alpha (nominal) over all coders as the last line
(``alpha=0.xxx``). With ``--out``, writes agreement_pairs.csv, agreement_disagreements.csv and
agreement_table.csv (units x coders). A sheet with an unknown label, a duplicated unit or a unit not
in the sample is refused with the row named.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sheets", type=Path, nargs="+", metavar="SHEET",
                        help="filled copies (.csv/.xlsx) of one annotation sheet, one per coder")
    parser.add_argument("--out", type=Path, default=None, help="folder for the tables (default: print only)")


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.errors import InputError
    from analysis.io import write_csv
    from analysis.validation.agreement import agreement
    from analysis.validation.sheets import load_filled

    if len(args.sheets) < 2:
        raise InputError("give at least two filled sheets (one per coder) of the same sample")
    sheets = [load_filled(p) for p in args.sheets]
    report = agreement(sheets)
    print(f"sample {sheets[0].sample_id}: target {sheets[0].target}, {sheets[0].unit}s")
    with pd.option_context("display.width", 200, "display.max_columns", None, "display.unicode.east_asian_width", True):
        print(report.to_text())
    if args.out:
        write_csv(report.pairs, args.out / "agreement_pairs.csv")
        write_csv(report.disagreements, args.out / "agreement_disagreements.csv")
        write_csv(report.table.fillna("").reset_index().rename(columns={"index": "unit_id"}),
                  args.out / "agreement_table.csv")
        print(f"wrote {args.out}/agreement_pairs.csv, agreement_disagreements.csv, agreement_table.csv")
    print(f"alpha={report.alpha:.3f}")
    return 0
