"""chABSA (target-level polarity in Japanese securities reports) as a stance gold CSV.

>>> gold = chabsa_gold(paths().shared / "data" / "chabsa")      # doctest: +SKIP
>>> gold.columns.tolist()                                         # doctest: +SKIP
['text', 'target', 'label', 'start', 'end', 'group']

    $ analysis chabsa ../shared/data/chabsa --out data/processed/chabsa_gold.csv
    $ analysis stance-eval data/processed/chabsa_gold.csv --method rules

Each opinion ``sentences[].opinions[]`` becomes one row: the sentence, the target string, the
label (positive -> FAVOR, negative -> AGAINST, neutral -> NONE), the target's character span
``from``/``to`` as ``start``/``end``, and ``group`` = the document id (E00008), so cross-validation
can keep a document's sentences together. Opinions whose span does not spell the target are
located by searching the target in the sentence (the first occurrence), or dropped if absent.
chABSA is CC BY 4.0 and is read where it lies; nothing of it is copied into the repository.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from analysis.config import paths
from analysis.errors import InputError

POLARITY = {"positive": "FAVOR", "negative": "AGAINST", "neutral": "NONE"}


def chabsa_gold(folder: str | Path) -> pd.DataFrame:
    """Gold rows (text, target, label, start, end, group) from chABSA's ``json/*.json`` files."""
    folder = Path(folder)
    files = sorted((folder / "json").glob("*.json")) or sorted(folder.glob("*.json"))
    if not files:
        raise InputError(f"no chABSA JSON files under {folder} (expected {folder}/json/*.json); "
                         "point at the unpacked chABSA-dataset folder")
    rows = []
    for path in files:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path} is not valid JSON ({exc}); re-extract the chABSA archive") from None
        group = str(doc.get("header", {}).get("document_id") or path.stem)
        for sentence in doc.get("sentences", []):
            text = sentence.get("sentence", "")
            for op in sentence.get("opinions", []):
                label = POLARITY.get(op.get("polarity"))
                target = op.get("target", "")
                if label is None or not target:
                    continue
                start, end = op.get("from"), op.get("to")
                if not (isinstance(start, int) and isinstance(end, int) and text[start:end] == target):
                    start = text.find(target)
                    if start < 0:
                        continue
                    end = start + len(target)
                rows.append((text, target, label, start, end, group))
    return pd.DataFrame(rows, columns=["text", "target", "label", "start", "end", "group"])


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, nargs="?", default=None,
                        help="chABSA folder with json/*.json (default: ../shared/data/chabsa)")
    parser.add_argument("--out", type=Path, default=None,
                        help="gold CSV to write (default: data/processed/chabsa_gold.csv)")


def run(args: argparse.Namespace) -> int:
    from analysis.io import write_csv

    folder = args.folder or paths().shared / "data" / "chabsa"
    out = args.out or paths().processed / "chabsa_gold.csv"
    gold = chabsa_gold(folder)
    write_csv(gold, out)
    counts = gold["label"].value_counts().to_dict()
    print(f"{len(gold)} opinions from {gold['group'].nunique()} documents -> {out} ({counts})")
    return 0
