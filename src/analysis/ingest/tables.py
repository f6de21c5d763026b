"""CSV, TSV, JSONL, Parquet and Excel tables: one document per row, columns mapped by an alias table.

>>> rows = read_table("本文,日付,新聞\\n輸出規制を強化すべきだ。,2024-03-01,東西新聞\\n".encode(), "t.csv")
>>> [(o.path, o.document.source, o.document.published.isoformat()) for o in rows]
[('t.csv#row=1', '東西新聞', '2024-03-01T00:00:00+09:00')]
>>> data = "記事本文,掲載日,媒体名\\n輸出規制を強化すべきだ。,2024-03-01,東西新聞\\n".encode()
>>> columns = {"text": "記事本文", "published": "掲載日", "source": "媒体名"}
>>> [o.document.source for o in read_table(data, "t.csv", columns=columns)]
['東西新聞']

Column names are compared after NFKC, lower-casing and trimming, against ``ALIASES`` (the first
alias present wins when several are). An explicit mapping ``columns={"text": "記事本文", ...}``
(``--columns text=記事本文,...``) wins over the aliases, and a column it names is not matched to
another field by alias; a table lacking a mapped column is rejected as a whole, with a reason
naming the column and listing the table's columns; an unknown field name in the mapping raises
:class:`~analysis.errors.InputError` naming the valid fields (``FIELDS``).
``text`` and ``published`` are required: a table lacking either is rejected as a whole, with a
reason listing the missing columns and the accepted names.
``source`` is optional: without a source column every row takes the file's stem as newspaper name
(``朝日新聞.csv`` -> 朝日新聞); a warning naming the file goes to stderr (``warn``) and each row's
report reason says so. Row ``N`` (1-based, header not counted) is
reported as ``file.csv#row=N``; a row with empty text or an unreadable date is rejected alone, a
row with an empty date is undated (rejected unless ``--allow-undated``). A malformed CSV
(unterminated quote, rows with more or fewer fields than the header) is rejected as a whole,
since its rows cannot be trusted.

An ``.xlsx`` workbook is read with openpyxl (cell values, not formulas; date cells as dates): the
first non-empty row of a sheet is its header. A workbook of one sheet reads as a CSV would; with
several sheets each is a table of its own, its rows reported as ``file.xlsx#sheet=NAME#row=N``,
and a sheet without a source column takes the sheet's name as newspaper (one sheet per paper is
a common layout). Empty sheets hold no documents and are passed over.
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from pathlib import PurePath
from typing import Callable, Mapping

from analysis.errors import InputError
from analysis.ingest.dates import parse_datetime
from analysis.ingest.decode import decode_bytes
from analysis.ingest.sanity import warn_stderr
from analysis.ingest.schema import Document, Outcome, Rejected, clean_paragraphs

#: schema field -> accepted column names (normalised: NFKC, lower case).
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "本文", "content", "article", "記事", "記事本文", "全文", "本文テキスト",
             "full_text", "fulltext", "article_text", "body_text"),
    "published": ("published", "date", "日付", "datetime", "published_at", "pubdate", "掲載日", "発行日",
                  "掲載日付", "掲載日時", "発行日付", "公開日", "公開日時", "配信日", "配信日時", "年月日",
                  "published_date", "pub_date", "publication_date", "timestamp"),
    "source": ("source", "newspaper", "paper", "新聞", "新聞名", "媒体", "publisher", "媒体名", "新聞社",
               "紙名", "出典", "掲載紙", "media", "outlet", "publication"),
    "title": ("title", "見出し", "headline", "タイトル", "表題", "記事見出し", "題名"),
    "genre": ("genre", "ジャンル", "種別", "kind"),
    "updated": ("updated", "updated_at", "modified", "修正", "更新日", "更新", "更新日時"),
    "original_published": ("original_published", "原文入力", "original_date"),
    "url": ("url", "link", "リンク", "uri"),
    "translator": ("translator", "訳", "翻訳", "翻訳者"),
    "category": ("category", "カテゴリ", "カテゴリー", "section", "分類", "面名"),
}
#: The schema fields a table column can be mapped to (``columns=`` / ``--columns``).
FIELDS = tuple(ALIASES)
REQUIRED = ("text", "published")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet", ".pq") + EXCEL_SUFFIXES


def _norm(name) -> str:
    return unicodedata.normalize("NFKC", str(name)).strip().lower()


def check_column_mapping(columns: Mapping[str, str] | None) -> dict[str, str]:
    """An explicit mapping schema field -> column name, checked; ``{}`` for None.

    Raises :class:`InputError` for a field that is not in ``FIELDS`` or an empty column name.
    """
    if not columns:
        return {}
    if not isinstance(columns, Mapping):
        raise InputError(f"columns must map schema fields to column names, such as "
                         f"{{'text': '記事本文'}}, not {type(columns).__name__}")
    unknown = [str(f) for f in columns if f not in ALIASES]
    if unknown:
        raise InputError(f"column mapping names unknown field(s) {', '.join(unknown)}; valid fields: "
                         f"{', '.join(FIELDS)} (write FIELD=COLUMN, e.g. --columns text=記事本文)")
    empty = [f for f, c in columns.items() if c is None or not str(c).strip()]
    if empty:
        raise InputError(f"column mapping gives no column name for {', '.join(empty)}; write "
                         "FIELD=COLUMN, e.g. --columns text=記事本文")
    return {f: str(c).strip() for f, c in columns.items()}


def map_columns(columns, path: str, explicit: Mapping[str, str] | None = None) -> dict[str, str]:
    """schema field -> column of the table: ``explicit`` first, then ``ALIASES``; raises
    :class:`Rejected` naming a mapped column the table lacks, or missing required fields."""
    explicit = check_column_mapping(explicit)
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(_norm(column), column)
    mapping = {f: by_norm[_norm(c)] for f, c in explicit.items() if _norm(c) in by_norm}
    absent = [f"'{c}' (mapped to {f})" for f, c in explicit.items() if f not in mapping]
    if absent:
        found = ", ".join(str(c) for c in columns) or "(none)"
        raise Rejected(f"table lacks the column(s) {', '.join(absent)} named by the column mapping; "
                       f"its columns are: {found}; fix --columns or the table's header")
    taken = set(mapping.values())
    for field_name, aliases in ALIASES.items():
        if field_name in mapping:
            continue
        for alias in aliases:
            if alias in by_norm and by_norm[alias] not in taken:
                mapping[field_name] = by_norm[alias]
                break
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        accepted = "; ".join(f"{f}: {', '.join(ALIASES[f])}" for f in missing)
        found = ", ".join(str(c) for c in columns) or "(none)"
        raise Rejected(f"table lacks required column(s) {', '.join(missing)} (found: {found}); "
                       f"accepted names: {accepted}; rename or add the column(s)")
    return mapping


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    try:
        if value != value:  # NaT, pd.NA raises TypeError
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def _row_document(row: dict, mapping: dict[str, str], stem: str, encoding: str) -> Document:
    text_column = mapping["text"]
    text = clean_paragraphs(_cell(row.get(text_column)).replace("\r\n", "\n").split("\n"))
    if not text:
        raise Rejected(f"empty text in column '{text_column}': fill it in or delete the row")
    dates = {}
    for field_name in ("published", "updated", "original_published"):
        column = mapping.get(field_name)
        raw = row.get(column) if column else None
        if column is None or _cell(raw) == "":
            dates[field_name] = None
            continue
        value = raw if not isinstance(raw, str) else raw.strip()
        parsed = parse_datetime(value)
        if parsed is None:
            raise Rejected(f"unreadable date {_cell(raw)!r} in column '{column}': write it as "
                           "YYYY-MM-DD or YYYY-MM-DD HH:MM (Japan time unless an offset is given)")
        dates[field_name] = parsed
    notes = []
    source = _cell(row.get(mapping["source"])) if "source" in mapping else ""
    if not source:
        source = stem
        notes.append(f"source taken from the file name '{stem}' (no source column: map one with "
                     "--columns source=COLUMN)" if "source" not in mapping else
                     f"source taken from the file name '{stem}' (empty cell in column "
                     f"'{mapping['source']}')")
    return Document(
        text=text, published=dates["published"], updated=dates["updated"],
        original_published=dates["original_published"], source=source,
        **{f: _cell(row.get(mapping[f])) if f in mapping else ""
           for f in ("genre", "title", "url", "translator", "category")},
        encoding=encoding, notes=notes,
    )


def _csv_records(data: bytes, path: str, delimiter: str,
                 notes: list[str] | None = None) -> tuple[list[str], list[dict], str]:
    text, encoding = decode_bytes(data, path, notes)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise Rejected(f"malformed CSV ({exc}); usually an unterminated quote: check that every "
                       "\" is closed, or re-export the table") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise Rejected("empty table: no header row; delete the file or export it again")
    header = rows[0]
    for n, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            raise Rejected(f"malformed CSV: data row {n} has {len(row)} fields, the header has "
                           f"{len(header)}; quote fields that contain '{delimiter}' or fix the row")
    return header, [dict(zip(header, row)) for row in rows[1:]], encoding


def read_table(data: bytes, path: str, *, stem: str | None = None,
               columns: Mapping[str, str] | None = None,
               warn: Callable[[str], None] | None = None) -> list[Outcome]:
    """One :class:`Outcome` per row of the table in ``data`` (named ``path``).

    ``columns`` maps schema fields to column names (over the aliases); ``warn`` receives the
    warning for a table without a source column (default: printed to stderr).
    """
    explicit = check_column_mapping(columns)
    suffix = PurePath(path.split("#", 1)[0]).suffix.lower()
    stem = stem or PurePath(path.split("#", 1)[0]).stem
    row_errors: dict[int, str] = {}
    damaged: list[str] = []      # a text table that is UTF-8 but for a few damaged bytes
    if suffix in (".csv", ".tsv"):
        header, records, encoding = _csv_records(data, path, "\t" if suffix == ".tsv" else ",", damaged)
    elif suffix in (".jsonl", ".ndjson"):
        text, encoding = decode_bytes(data, path, damaged)
        records, header = [], []
        for n, line in enumerate((ln for ln in text.split("\n") if ln.strip()), start=1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                record, row_errors[n] = {}, f"not valid JSON ({exc.msg} at column {exc.colno}): fix the line"
            if not isinstance(record, dict):
                record, row_errors[n] = {}, "not a JSON object ({...}): each line must be one document"
            records.append(record)
            header.extend(k for k in record if k not in header)
        if not records:
            raise Rejected("empty JSONL table: no lines; delete the file")
    elif suffix in (".parquet", ".pq"):
        import pandas as pd

        try:
            frame = pd.read_parquet(io.BytesIO(data))
        except Exception as exc:  # pyarrow raises many types for corrupt files
            raise Rejected(f"not a readable Parquet file ({type(exc).__name__}); re-export it") from None
        header, encoding = list(frame.columns), "parquet"
        records = frame.to_dict("records")
    elif suffix in EXCEL_SUFFIXES:
        sheets = excel_sheets(data)
        if len(sheets) > 1:
            outcomes = []
            for i, (name, header, records) in enumerate(sheets):
                sheet_path = f"{path}#sheet={name}"
                try:  # a workbook of several sheets is often one sheet per newspaper
                    sheet_rows = _table_outcomes(header, records, {}, sheet_path, name, "xlsx", explicit, warn)
                except Rejected as exc:
                    sheet_rows = [Outcome(path=sheet_path, key=(0,), reason=str(exc))]
                for outcome in sheet_rows:
                    outcome.key = (i,) + outcome.key
                outcomes.extend(sheet_rows)
            return outcomes
        _, header, records = sheets[0]
        encoding = "xlsx"
    else:
        raise Rejected(f"unsupported table type {suffix!r}")
    outcomes = _table_outcomes(header, records, row_errors, path, stem, encoding, explicit, warn)
    for outcome in outcomes if damaged else ():
        doc = outcome.document
        if doc is not None and any("\ufffd" in str(v) for v in (doc.text, doc.title, doc.source)):
            doc.notes.append(f"this row holds damaged bytes of the table, now U+FFFD ({damaged[0]})")
    return outcomes


def excel_sheets(data: bytes) -> list[tuple[str, list[str], list[dict]]]:
    """(sheet name, header, records) of each sheet of an .xlsx workbook that holds anything; the
    header is the first non-empty row. Cells are read as values (a formula's last computed result)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors for a damaged workbook
        raise Rejected(f"not a readable Excel workbook ({type(exc).__name__}); open it in a spreadsheet "
                       "and save it again as .xlsx, or export it as CSV (UTF-8)") from None
    sheets = []
    try:
        for sheet in workbook.worksheets:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)
                    if any(_cell(v) != "" for v in r)]
            if not rows:
                continue
            header = [_cell(v) or f"column {j + 1}" for j, v in enumerate(rows[0])]
            width = len(header)
            records = [dict(zip(header, (r + [None] * width)[:width])) for r in rows[1:]]
            sheets.append((sheet.title, header, records))
    finally:
        workbook.close()
    if not sheets:
        raise Rejected("empty workbook: no sheet holds a header row; delete the file or export it again")
    return sheets


def _table_outcomes(header, records, row_errors, path, stem, encoding, explicit, warn) -> list[Outcome]:
    """One outcome per record of a table whose columns are ``header``."""
    mapping = map_columns(header, path, explicit)
    if "source" not in mapping:
        (warn or warn_stderr)(
            f"{path} has no source column (looked for: {', '.join(ALIASES['source'])}); all "
            f"{len(records)} rows take '{stem}' as newspaper. Map one with --columns source=COLUMN")
    outcomes = []
    for n, record in enumerate(records, start=1):
        outcome = Outcome(path=f"{path}#row={n}", key=(n,))
        try:
            if n in row_errors:
                raise Rejected(row_errors[n])
            outcome.document = _row_document(record, mapping, stem, encoding)
        except Rejected as exc:
            outcome.reason = str(exc)
        outcomes.append(outcome)
    return outcomes
