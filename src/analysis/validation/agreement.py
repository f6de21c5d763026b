"""Agreement between coders: Cohen's kappa per pair, Krippendorff's alpha over all, their confusion.

>>> import pandas as pd
>>> table = pd.DataFrame({"a": ["FAVOR", "AGAINST", "NONE", "FAVOR"],
...                       "b": ["FAVOR", "AGAINST", "FAVOR", "FAVOR"]}, index=["u1", "u2", "u3", "u4"])
>>> round(cohen_kappa(table["a"], table["b"]), 3), round(krippendorff_alpha(table), 3)
(0.556, 0.588)

The well-kept implementations do the arithmetic: scikit-learn's ``cohen_kappa_score`` and the
``krippendorff`` package (nominal level, missing values allowed). A *reliability table* has one row
per unit and one column per coder; a unit a coder marked SKIP or left empty is missing for that
coder. Kappa is computed on the units both coders labelled; alpha uses every unit at least two
coders labelled (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"). Coders are
named after their sheet files (``annotation_..._coderA.xlsx`` -> that stem).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.validation.sheets import STANCE_LABELS, FilledSheet


def cohen_kappa(a: pd.Series, b: pd.Series, labels: Sequence[str] | None = None) -> float:
    """Cohen's kappa of two coders over the units both labelled (NaN when undefined)."""
    from sklearn.metrics import cohen_kappa_score

    both = pd.DataFrame({"a": a, "b": b}).dropna()
    if len(both) < 2:
        return float("nan")
    used = list(labels) if labels is not None else sorted(set(both["a"]) | set(both["b"]))
    if len(set(both["a"]) | set(both["b"])) < 2:
        return float("nan")  # one label only: chance agreement is 1, kappa undefined
    return float(cohen_kappa_score(both["a"], both["b"], labels=used))


def krippendorff_alpha(table: pd.DataFrame, level: str = "nominal") -> float:
    """Krippendorff's alpha of a reliability table (units x coders; NaN = not coded)."""
    import krippendorff

    values = sorted({v for v in table.to_numpy().ravel() if pd.notna(v)}, key=str)
    if len(values) < 2:
        return float("nan")
    codes = {v: float(i) for i, v in enumerate(values)}
    data = table.apply(lambda col: col.map(codes)).to_numpy(dtype=float).T  # coders x units
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    if pairable.sum() < 1:
        return float("nan")
    try:
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    except (ValueError, ZeroDivisionError):
        return float("nan")


def coder_names(sheets: Sequence[FilledSheet]) -> list[str]:
    """Each sheet's file stem without the part all share (``..._coderA`` -> ``coderA``); parent folder
    added where stems repeat."""
    import os

    names = [s.path.stem for s in sheets]
    prefix = os.path.commonprefix(names)
    prefix = prefix[:prefix.rfind("_") + 1] if "_" in prefix else ""
    short = [n[len(prefix):] for n in names]
    if prefix and all(short) and len(set(short)) == len(short):
        names = short  # annotation_輸出規制_document_S1234567_coderA -> coderA
    if len(set(names)) < len(names):
        names = [f"{s.path.parent.name}/{s.path.stem}" for s in sheets]
    if len(set(names)) < len(names):
        raise InputError(f"the same sheet was given twice: {', '.join(str(s.path) for s in sheets)}")
    return names


def reliability_table(sheets: Sequence[FilledSheet]) -> pd.DataFrame:
    """Units x coders of the stance labels (SKIP and empty cells as missing)."""
    if len(sheets) < 2:
        raise InputError("agreement needs at least two filled sheets of the same sample (one per coder)")
    first = sheets[0]
    for other in sheets[1:]:
        if other.sample_id != first.sample_id:
            raise InputError(f"{other.path} is a sheet of sample {other.sample_id}, {first.path} of "
                             f"{first.sample_id}; compare coders on copies of the same sheet")
    names = coder_names(sheets)
    table = pd.DataFrame({name: s.units.set_index("unit_id")["label"] for name, s in zip(names, sheets)})
    table = table.where(table.isin(STANCE_LABELS))
    return table.sort_index()


def pairwise(table: pd.DataFrame) -> pd.DataFrame:
    """Per pair of coders: units both labelled, raw agreement, Cohen's kappa."""
    rows = []
    coders = list(table.columns)
    for i, a in enumerate(coders):
        for b in coders[i + 1:]:
            both = table[[a, b]].dropna()
            rows.append({"coder_a": a, "coder_b": b, "n_units": len(both),
                         "agreement": float((both[a] == both[b]).mean()) if len(both) else float("nan"),
                         "kappa": cohen_kappa(table[a], table[b], labels=STANCE_LABELS)})
    return pd.DataFrame(rows, columns=["coder_a", "coder_b", "n_units", "agreement", "kappa"])


def coder_confusion(table: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Counts of coder ``a``'s label (rows) against coder ``b``'s (columns) over units both labelled."""
    both = table[[a, b]].dropna()
    index = pd.Index(list(STANCE_LABELS), name=a)
    columns = pd.Index(list(STANCE_LABELS), name=b)
    return pd.crosstab(both[a], both[b]).reindex(index=index, columns=columns, fill_value=0).rename_axis(
        index=a, columns=b)


def disagreements(table: pd.DataFrame, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Units at least two coders labelled differently, with each coder's label (and the unit's key columns)."""
    coded = table.notna().sum(axis=1) >= 2
    differ = table.apply(lambda row: row.dropna().nunique() > 1, axis=1)
    out = table[coded & differ].fillna("").reset_index().rename(columns={"index": "unit_id"})
    if units is not None and len(out):
        keep = [c for c in ("unit_id", "doc_id", "source", "period") if c in units.columns]
        if "sentence_index" in units.columns and (units["sentence_index"] >= -1).any():
            keep.append("sentence_index")  # sentence units (document units carry -2)
        out = out.merge(units[keep], on="unit_id", how="left")
    return out


@dataclass(frozen=True)
class AgreementReport:
    coders: list[str]
    table: pd.DataFrame
    pairs: pd.DataFrame
    alpha: float
    confusions: dict = field(default_factory=dict)
    disagreements: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def n_units(self) -> int:
        """Units labelled by at least two coders (those alpha uses)."""
        return int((self.table.notna().sum(axis=1) >= 2).sum())

    def to_text(self) -> str:
        lines = [f"coders: {', '.join(self.coders)}",
                 f"units labelled by >= 2 coders: {self.n_units} of {len(self.table)}"]
        for name in self.coders:
            lines.append(f"  {name}: {int(self.table[name].notna().sum())} labelled")
        lines.append("")
        lines.append(self.pairs.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        for (a, b), confusion in self.confusions.items():
            lines += ["", f"confusion: rows {a}, columns {b}", confusion.to_string()]
        lines += ["", f"disagreements: {len(self.disagreements)} units"]
        if len(self.disagreements):
            lines.append(self.disagreements.head(20).to_string(index=False))
            if len(self.disagreements) > 20:
                lines.append(f"... {len(self.disagreements) - 20} more (see --out)")
        return "\n".join(lines)


def agreement(sheets: Sequence[FilledSheet]) -> AgreementReport:
    """Kappa per pair, alpha over all coders, confusion per pair, disagreements, for filled sheets of one sample."""
    table = reliability_table(sheets)
    coders = list(table.columns)
    pairs = pairwise(table)
    confusions = {(r.coder_a, r.coder_b): coder_confusion(table, r.coder_a, r.coder_b) for r in pairs.itertuples()}
    return AgreementReport(coders=coders, table=table, pairs=pairs, alpha=krippendorff_alpha(table),
                           confusions=confusions, disagreements=disagreements(table, sheets[0].units))
