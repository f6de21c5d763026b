"""Annotation sheets: written as CSV (UTF-8 with BOM) and .xlsx, read back strictly.

>>> import pandas as pd, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> sheet = pd.DataFrame({"unit_id": ["S1A2B3C-0001"], "sentence": ["輸出規制の強化は妥当だ。"], "label": [""]})
>>> [p.suffix for p in write_sheet(sheet, folder / "annotation_輸出規制")]
['.csv', '.xlsx']
>>> read_sheet(folder / "annotation_輸出規制.xlsx")["sentence"].tolist()
['輸出規制の強化は妥当だ。']

A *sheet* is what a coder sees and fills: one row per unit with an id (``unit_id``, whose prefix
before the dash is the sample's id), the text to judge with its context, an empty answer column
and a free ``note`` column. The CSV starts with a byte-order mark so Excel shows Japanese; the
.xlsx restricts the answer column to the allowed values with a drop-down (data validation) and
carries an ``instructions`` worksheet. What the coder must not see (the model's prediction, the
sampling weights) is in a separate *key* file ``<sheet stem>.key.csv`` beside the sheets.

Reading is strict, because a silently dropped or duplicated row biases every estimate after it:
an unknown answer, a duplicated unit, a unit that is not in the sample or a missing column raises
:class:`~analysis.errors.InputError` naming the file and the spreadsheet row (the header is row 1).
CSV files saved back by Excel on Japanese Windows (CP932) are read too. Both formats are written
deterministically: the same frame gives the same bytes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from analysis.errors import InputError

STANCE_LABELS = ("FAVOR", "AGAINST", "NONE")
SKIP = "SKIP"
#: What a coder may write in a stance sheet's ``label`` column (or leave empty: not coded yet).
SHEET_LABELS = STANCE_LABELS + (SKIP,)
KEY_SUFFIX = ".key.csv"
SHEET_NAME = "annotation"
#: Excel's limit is 32,767 characters per cell; longer texts are cut with a marker.
MAX_CELL = 32000
WIDE_COLUMNS = {"text": 90, "unit": 90, "sentence": 70, "mentions": 60, "context_before": 45,
                "context_after": 45, "excerpt": 70, "headline": 30, "note": 24}
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def sample_id_of(unit_id: str) -> str:
    """The sample a unit belongs to: the part of its id before the last dash (``S1A2B3C-0001`` -> ``S1A2B3C``)."""
    return str(unit_id).rsplit("-", 1)[0]


def _cell_text(value) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = _ILLEGAL.sub(" ", text)
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL] + "…（以下略 / truncated）"
    return text


# ---------------------------------------------------------------- writing


def write_sheet(frame: pd.DataFrame, stem: str | Path, *, answer_column: str = "label",
                allowed: Sequence[str] = SHEET_LABELS, instructions: str = "") -> list[Path]:
    """Write ``frame`` as ``<stem>.csv`` and ``<stem>.xlsx``; return both paths."""
    stem = Path(stem)
    paths = [stem.with_name(stem.name + ".csv"), stem.with_name(stem.name + ".xlsx")]
    for path in paths:
        write_sheet_file(frame, path, answer_column=answer_column, allowed=allowed, instructions=instructions)
    return paths


def write_sheet_file(frame: pd.DataFrame, path: str | Path, *, answer_column: str = "label",
                     allowed: Sequence[str] = SHEET_LABELS, instructions: str = "") -> Path:
    """Write one sheet file, its format chosen by the suffix (.csv or .xlsx), atomically."""
    from analysis.io import write_bytes

    path = Path(path)
    frame = frame.drop(columns=[c for c in frame.columns if str(c).startswith("_")])
    if path.suffix.lower() == ".csv":
        buf = io.StringIO()
        frame.map(_cell_text).to_csv(buf, index=False, lineterminator="\n")
        write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"), path)
    elif path.suffix.lower() == ".xlsx":
        write_bytes(_xlsx_bytes(frame, answer_column=answer_column, allowed=allowed, instructions=instructions), path)
    else:
        raise InputError(f"{path}: sheets are written as .csv or .xlsx; choose one of those suffixes")
    return path


def _xlsx_bytes(frame: pd.DataFrame, *, answer_column: str, allowed: Sequence[str], instructions: str) -> bytes:
    import datetime as dt
    import zipfile

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    columns = [str(c) for c in frame.columns]
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False):
        ws.append([_cell_text(v) for v in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"  # never a formula, even for text starting with "="
            cell.alignment = wrap
    for i, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDE_COLUMNS.get(name, 14)
    ws.freeze_panes = "B2"
    if answer_column in columns and len(frame):
        letter = get_column_letter(columns.index(answer_column) + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="not allowed",
                                    error=f"use one of: {', '.join(allowed)} (or leave empty)")
        validation.add(f"{letter}2:{letter}{len(frame) + 1}")
        ws.add_data_validation(validation)
    if instructions:
        notes = wb.create_sheet("instructions")
        notes.column_dimensions["A"].width = 110
        for line in instructions.splitlines():
            notes.append([line])
            notes.cell(row=notes.max_row, column=1).data_type = "s"
    fixed = dt.datetime(*_FIXED_TIME)
    wb.properties.creator = "analysis"
    wb.properties.created = fixed
    raw = io.BytesIO()
    wb.save(raw)
    # openpyxl stamps the save time into docProps/core.xml and the zip entries; fix both so the
    # same sheet always gives the same bytes
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def write_key(frame: pd.DataFrame, path: str | Path) -> Path:
    """The key (predictions, weights) as plain UTF-8 CSV; never handed to coders."""
    from analysis.io import write_csv

    write_csv(frame, path)
    return Path(path)


# ---------------------------------------------------------------- reading


def read_sheet(path: str | Path) -> pd.DataFrame:
    """A sheet as text columns plus ``_row``, its spreadsheet row number (header = row 1).

    Reads .xlsx (the ``annotation`` worksheet, else the first) and .csv (UTF-8 with or without
    BOM, or CP932 as Excel saves it on Japanese Windows). Rows with every cell empty are dropped.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"sheet {path} not found; pass the filled .csv or .xlsx written by `analysis annotate` "
                         "or `analysis intrusion`")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        frame = _read_xlsx(path)
    elif suffix == ".csv":
        frame = _read_csv(path)
    else:
        raise InputError(f"{path}: sheets are read from .csv or .xlsx; save the sheet in one of those formats")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame["_row"] = range(2, len(frame) + 2)
    blank = frame.drop(columns="_row").apply(lambda col: col.str.strip() == "").all(axis=1)
    return frame[~blank].reset_index(drop=True)


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"{path} is neither UTF-8 nor CP932 text; save it again as CSV UTF-8 (or .xlsx)")
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path} is not a readable CSV ({str(exc).strip()}); save it again from the spreadsheet "
                         "as CSV UTF-8 or .xlsx") from None


def _xlsx_value(value) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value)


def _read_xlsx(path: Path) -> pd.DataFrame:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        raise InputError(f"{path} is not a readable .xlsx workbook ({exc}); save it again from the spreadsheet") from None
    try:
        ws = wb[SHEET_NAME] if SHEET_NAME in wb.sheetnames else wb.worksheets[0]
        rows = [[_xlsx_value(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows:
        raise InputError(f"{path} has an empty first worksheet; it should hold the sheet with its header row")
    header = rows[0]
    while header and header[-1] == "":
        header = header[:-1]
    body = [(r + [""] * len(header))[:len(header)] for r in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=object).astype(str)


def require_columns(frame: pd.DataFrame, path: str | Path, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{path} lacks column(s) {missing}; the sheet's header row must keep the names it was "
                         f"written with ({', '.join(c for c in frame.columns if c != '_row')})")


def check_answers(frame: pd.DataFrame, path: str | Path, *, column: str, allowed: Sequence[str],
                  id_column: str = "unit_id") -> pd.Series:
    """The answer column normalised (trimmed, upper case); an answer not in ``allowed`` raises, naming the row.

    Empty cells stay empty (not coded yet).
    """
    require_columns(frame, path, [column])
    answers = frame[column].astype(str).str.strip().str.upper()
    bad = answers[(answers != "") & ~answers.isin(list(allowed))]
    if len(bad):
        i = bad.index[0]
        more = f" (and {len(bad) - 1} more rows)" if len(bad) > 1 else ""
        raise InputError(f"{path} row {frame.at[i, '_row']} ({id_column} {frame.at[i, id_column]}): "
                         f"{column} {frame.at[i, column]!r} is not one of {', '.join(allowed)}{more}; "
                         f"correct the cell (or leave it empty if the unit is not coded yet)")
    return answers


def check_units(frame: pd.DataFrame, path: str | Path, key: pd.DataFrame, key_path: str | Path, *,
                id_column: str = "unit_id") -> None:
    """Every row has an id, no id appears twice, and every id is in the key (the sample drawn)."""
    require_columns(frame, path, [id_column])
    ids = frame[id_column].astype(str).str.strip()
    empty = ids[ids == ""]
    if len(empty):
        raise InputError(f"{path} row {frame.at[empty.index[0], '_row']}: {id_column} is empty; every row needs "
                         "the id it was written with (restore it from the original sheet)")
    dup = ids[ids.duplicated(keep=False)]
    if len(dup):
        first = dup.iloc[0]
        rows = frame.loc[dup[dup == first].index, "_row"].tolist()
        raise InputError(f"{path} rows {', '.join(map(str, rows))}: {id_column} {first} appears "
                         f"{len(rows)} times; keep one row per unit")
    known = set(key[id_column].astype(str))
    unknown = ids[~ids.isin(known)]
    if len(unknown):
        i = unknown.index[0]
        raise InputError(f"{path} row {frame.at[i, '_row']}: {id_column} {unknown.iloc[0]} is not in the sample of "
                         f"key {key_path}; the row was added or its id edited (restore it from the original "
                         "sheet, or pass the right --key)")


def read_key(path: str | Path, columns: Sequence[str] = ()) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"key {path} not found; it is written beside the sheet by `analysis annotate` or "
                         "`analysis intrusion` (pass it with --key)")
    key = pd.read_csv(path, dtype={"unit_id": str, "item_id": str, "doc_id": str, "source": str, "period": str,
                                   "sample_id": str})
    require_columns(key.assign(_row=0), path, columns)
    return key


def find_key(ids: Iterable[str], sheet_path: str | Path, *, key: str | Path | None = None,
             folders: Sequence[str | Path] = ()) -> Path:
    """The key file of the sample the ids belong to: ``key`` if given, else ``*_<sample>.key.csv`` in
    the sheet's folder, its parent, or ``folders`` (e.g. data/annotation)."""
    if key is not None:
        return Path(key)
    sheet_path = Path(sheet_path)
    samples = sorted({sample_id_of(i) for i in ids if str(i).strip()})
    if len(samples) != 1:
        raise InputError(f"{sheet_path}: its ids come from {len(samples)} samples ({', '.join(samples[:4])}); "
                         "a sheet holds units of one sample; use the sheet as written by the tool")
    sample = samples[0]
    candidates = [sheet_path.parent, sheet_path.parent.parent, *map(Path, folders)]
    for folder in candidates:
        found = sorted(folder.glob(f"*_{sample}{KEY_SUFFIX}")) if folder.is_dir() else []
        if found:
            return found[0]
    raise InputError(f"no key for sample {sample} (file *_{sample}{KEY_SUFFIX}) beside {sheet_path} or in "
                     f"{', '.join(str(f) for f in candidates[2:]) or 'the annotation folder'}; pass it with --key")


# ---------------------------------------------------------------- filled stance sheets


@dataclass(frozen=True)
class FilledSheet:
    """A checked stance sheet joined to its key.

    ``units`` has one row per unit of the sample (key columns, ``label`` as coded, ``_row``);
    ``labelled`` keeps the units coded FAVOR, AGAINST or NONE (SKIP and empty cells are reported,
    not used).
    """

    path: Path
    key_path: Path
    sample_id: str
    target: str
    method: str
    unit: str
    units: pd.DataFrame

    @property
    def labelled(self) -> pd.DataFrame:
        return self.units[self.units["label"].isin(STANCE_LABELS)].reset_index(drop=True)

    @property
    def n_skipped(self) -> int:
        return int((self.units["label"] == SKIP).sum())

    @property
    def n_blank(self) -> int:
        return int((self.units["label"] == "").sum())

    @property
    def coder(self) -> str:
        return self.path.stem


KEY_COLUMNS = ("unit_id", "sample_id", "unit", "target", "method", "doc_id", "source", "period", "predicted",
               "stratum", "stratum_size", "weight")


def load_filled(path: str | Path, *, key: str | Path | None = None,
                folders: Sequence[str | Path] = ()) -> FilledSheet:
    """Read a filled stance sheet, check it row by row against its key, and join the two."""
    from analysis import config

    path = Path(path)
    frame = read_sheet(path)
    require_columns(frame, path, ["unit_id", "label"])
    key_path = find_key(frame["unit_id"], path, key=key, folders=[*folders, config.paths().annotation])
    key_frame = read_key(key_path, KEY_COLUMNS)
    check_units(frame, path, key_frame, key_path)
    frame = frame.assign(unit_id=frame["unit_id"].str.strip(),
                         label=check_answers(frame, path, column="label", allowed=SHEET_LABELS))
    units = key_frame.merge(frame[["unit_id", "label", "_row"]], on="unit_id", how="left")
    units["label"] = units["label"].fillna("")
    first = key_frame.iloc[0]
    return FilledSheet(path=path, key_path=Path(key_path), sample_id=str(first["sample_id"]),
                       target=str(first["target"]), method=str(first["method"]), unit=str(first["unit"]),
                       units=units)


def load_filled_many(paths: Sequence[str | Path] | str | Path, *, key: str | Path | None = None) -> list[FilledSheet]:
    """``load_filled`` for one path or several (``key`` only makes sense with one sheet)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths)
    if key is not None and len(paths) > 1:
        raise InputError("--key names the key of one sheet; with several sheets leave the keys beside them")
    return [load_filled(p, key=key) for p in paths]


