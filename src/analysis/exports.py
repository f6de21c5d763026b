"""Spreadsheet-friendly exports: every table a researcher reads, as CSV (UTF-8 with BOM) and one .xlsx.

    $ analysis export                                  # data/processed -> reports/tables
    $ analysis export --processed /tmp/run/data/processed --out /tmp/run/tables

>>> import pandas as pd, tempfile, pathlib
>>> from analysis.io import write_parquet
>>> processed, out = (pathlib.Path(tempfile.mkdtemp()) / d for d in ("processed", "tables"))
>>> write_parquet(pd.DataFrame({"doc_id": ["a1"], "target": ["輸出規制"], "method": ["rules"], "score": [0.5],
...                             "label": ["FAVOR"], "n_mentions": [2]}), processed / "stance.parquet")
>>> [p.name for p in export_tables(processed, out)]
['stance.csv', 'README.csv', 'tables.xlsx']
>>> (out / "stance.csv").read_bytes().decode("utf-8-sig").splitlines()[1]
'a1,輸出規制,rules,0.5,FAVOR,2'

Parquet cannot be opened in a spreadsheet, so this stage copies what the other stages wrote under
``data/processed`` into ``reports/tables``: one CSV per table, in UTF-8 with a byte-order mark so
Excel shows Japanese, and one workbook with a sheet per table and a ``README`` sheet saying where
each sheet came from and what its columns mean. Tables that were not produced (a topic method that
was not fitted, a stance stage that was not run) are skipped. Datetimes are written in Japan time
without an offset (Excel rejects time zones); the workbook keeps them as dates, the CSVs as
``YYYY-MM-DD[ HH:MM:SS]``. The corpus is exported without its full text (``n_chars`` gives its
length; the text stays in corpus.parquet). Both formats are deterministic: the same tables give the
same bytes, so a rerun changes no file that did not change.
"""

from __future__ import annotations

import argparse
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:  # pandas is imported where used, so `analysis export --help` starts fast
    import pandas as pd

#: Excel's limits: characters per cell, rows per sheet (header included), characters per sheet name.
EXCEL_MAX_CELL = 32_767
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_SHEET_NAME = 31
#: Zip entry times and document properties of the workbook (a fixed date, so reruns give the same bytes).
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
README_SHEET = "README"
BOM = b"\xef\xbb\xbf"

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_PERIOD_FORMS = (("M", re.compile(r"^\d{4}-\d{2}$")), ("Q", re.compile(r"^\d{4}Q[1-4]$")), ("Y", re.compile(r"^\d{4}$")))

#: What a column means, by name; TABLE_NOTES overrides where one name means different things.
COLUMN_NOTES = {
    "doc_id": "document id (first 16 hex characters of the SHA-256 of the normalised text)",
    "source": "newspaper",
    "published": "publication date and time, Japan time (JST)",
    "title": "headline",
    "genre": "genre printed on the page (e.g. 社説)",
    "url": "address of the original page",
    "n_chars": "length of the full text in characters (the text itself is in corpus.parquet)",
    "period": "period ('2024-01' month, '2024Q1' quarter, '2024' year)",
    "total": "documents of all newspapers in the period",
    "topic": "topic number (-1: documents BERTopic left unassigned)",
    "rank": "rank of the word in the topic (1 = most characteristic)",
    "word": "word",
    "seeded": "TRUE if the topic was seeded with a theme from themes.yaml",
    "size": "documents whose dominant topic this is",
    "dominant": "TRUE for the document's highest-weight topic",
    "n": "documents behind the value",
    "mean": "mean over the documents",
    "ci_low": "lower end of the 95% bootstrap confidence interval",
    "ci_high": "upper end of the 95% bootstrap confidence interval",
    "target": "stance target (policy) from targets.yaml",
    "method": "stance scoring method",
    "score": "stance score from -1 (against) to +1 (in favour)",
    "n_mentions": "mentions of the target in the document",
    "n_votes": "the author's sentences that voted on the stance",
    "confidence": "share of the vote weight on the winning side",
    "sentence_index": "position of the sentence in the document (0 = first; -1 = headline)",
    "sentence": "the sentence",
    "voice": "whose view the sentence gives: author, other (quoted) or report",
    "how": "how the sentence refers to the target: alias, reference or similarity",
    "n_validation": "hand-labelled documents behind the corrected shares",
}
TABLE_NOTES = {
    "topic_words": {"label": "topic label", "weight": "weight of the word in the topic"},
    "topic_labels": {"label": "topic label"},
    "doc_topics": {"weight": "share of the topic in the document"},
    "dominant_topics": {"label": "topic label of the dominant topic", "weight": "share of that topic in the document"},
    "topic_shares": {"label": "topic label", "mean": "share of the newspaper's documents in the period on this topic"},
    "stance": {"label": "stance label: FAVOR, AGAINST or NONE"},
    "stance_evidence": {"score": "stance score of the sentence (-1 to +1)",
                        "weight": "weight of the sentence's vote (sentences with weight 0 are left out)"},
    "stance_over_time": {"mean": "mean stance score (-1 to +1) of the documents that mention the target"},
}


@dataclass
class ExportTable:
    """One exported table: its file stem, where it came from, what it is, and the frame to write."""

    name: str
    source: str
    description: str
    frame: "pd.DataFrame"
    notes: dict[str, str] = field(default_factory=dict)
    sheet: str = ""

    def meaning(self, column: str) -> str:
        if column in self.notes:
            return self.notes[column]
        if column in COLUMN_NOTES:
            return COLUMN_NOTES[column]
        corrected = re.match(r"^(share_favor|share_against|net)_(raw|corrected)(_ci_low|_ci_high)?$", column)
        if corrected:
            what = {"share_favor": "share of documents in favour", "share_against": "share of documents against",
                    "net": "share in favour minus share against"}[corrected.group(1)]
            kind = "as classified" if corrected.group(2) == "raw" else "corrected for classifier error"
            bound = {"_ci_low": ", lower end of the 95% interval", "_ci_high": ", upper end of the 95% interval"}
            return f"{what}, {kind}{bound.get(corrected.group(3) or '', '')}"
        return ""


# ---------------------------------------------------------------- collecting the tables


def collect_tables(processed_dir: Path, *, period: str | None = None) -> list[ExportTable]:
    """The tables found under ``processed_dir``, in export order (absent ones left out).

    ``period`` is the period of the documents-per-period table; by default the one the run's
    over-time tables use (read from their labels), else ``config.PERIOD``.
    """
    import pandas as pd

    processed_dir = Path(processed_dir)
    tables: list[ExportTable] = []

    corpus = _read_parquet(processed_dir / "corpus.parquet")
    if corpus is not None:
        tables.append(ExportTable(
            "corpus", "corpus.parquet", "one row per document (without the full text)", _corpus_overview(corpus)))
        tables.append(ExportTable(
            "documents_per_period", "corpus.parquet",
            "documents per period (rows) and newspaper (columns); 'undated' counts documents without a date",
            _documents_per_period(corpus, period or _period_of_tables(processed_dir)),
            notes={"period": COLUMN_NOTES["period"], **{s: f"documents of {s}" for s in _sources(corpus)}}))

    topics_dir = processed_dir / "topics"
    methods = sorted(p.name for p in topics_dir.iterdir() if p.is_dir()) if topics_dir.is_dir() else []
    for method in methods:
        folder = topics_dir / method
        rel = f"topics/{method}"
        words = _read_parquet(folder / "topic_words.parquet")
        labels_path = folder / "topic_labels.csv"
        labels = pd.read_csv(labels_path, encoding="utf-8") if labels_path.is_file() else None
        doc_topics = _read_parquet(folder / "doc_topics.parquet")
        dominant = _read_parquet(folder / "dominant_topics.parquet")
        shares = _read_parquet(folder / "topic_shares.parquet")
        if words is not None:
            tables.append(ExportTable(f"{method}_topic_words", f"{rel}/topic_words.parquet",
                                      f"{method}: the top words of each topic", words, TABLE_NOTES["topic_words"]))
        if labels is not None:
            tables.append(ExportTable(f"{method}_topic_labels", f"{rel}/topic_labels.csv",
                                      f"{method}: each topic's label and size", labels, TABLE_NOTES["topic_labels"]))
        if doc_topics is not None:
            tables.append(ExportTable(f"{method}_doc_topics", f"{rel}/doc_topics.parquet",
                                      f"{method}: topic weights per document, one row per document and topic "
                                      "(long form; zero weights left out)", doc_topics, TABLE_NOTES["doc_topics"]))
            wide, wide_notes = _doc_topics_wide(doc_topics, _topic_labels(labels, words, dominant), corpus)
            tables.append(ExportTable(f"{method}_doc_topics_wide", f"{rel}/doc_topics.parquet",
                                      f"{method}: topic weights per document, one column per topic "
                                      "(rounded to 4 decimals; 0 where the long form has no row)",
                                      wide, wide_notes))
        if dominant is not None:
            tables.append(ExportTable(f"{method}_dominant_topics", f"{rel}/dominant_topics.parquet",
                                      f"{method}: each document's highest-weight topic", dominant,
                                      TABLE_NOTES["dominant_topics"]))
        if shares is not None:
            tables.append(ExportTable(f"{method}_topic_shares", f"{rel}/topic_shares.parquet",
                                      f"{method}: share of documents on each topic per newspaper and period",
                                      shares, TABLE_NOTES["topic_shares"]))

    stance = _read_parquet(processed_dir / "stance.parquet")
    if stance is not None:
        tables.append(ExportTable("stance", "stance.parquet", "stance toward each target per document",
                                  _with_document_context(stance, corpus), TABLE_NOTES["stance"]))
    evidence = _read_parquet(processed_dir / "stance_evidence.parquet")
    if evidence is not None:
        voted = "weight" in evidence.columns
        if voted:
            evidence = evidence[evidence["weight"] > 0].reset_index(drop=True)
        tables.append(ExportTable("stance_evidence", "stance_evidence.parquet",
                                  "sentences behind each document's stance"
                                  + (" (only those that voted: weight > 0)" if voted else ""),
                                  _with_document_context(evidence, corpus), TABLE_NOTES["stance_evidence"]))
    over_time = _read_parquet(processed_dir / "stance_over_time.parquet")
    if over_time is not None:
        tables.append(ExportTable("stance_over_time", "stance_over_time.parquet",
                                  "mean stance per newspaper, target and period", over_time,
                                  TABLE_NOTES["stance_over_time"]))

    for table in tables:
        table.frame = _spreadsheet_values(table.frame)
    for table, sheet in zip(tables, sheet_names([README_SHEET] + [t.name for t in tables])[1:]):
        table.sheet = sheet
    return tables


def _read_parquet(path: Path):
    from analysis.io import read_stage_output

    return read_stage_output(path, "run") if path.is_file() else None


def _sources(corpus) -> list[str]:
    return sorted(str(s) for s in corpus["source"].dropna().unique()) if "source" in corpus.columns else []


def _corpus_overview(corpus):
    import pandas as pd

    overview = pd.DataFrame(index=corpus.index)
    for column in ("doc_id", "source", "published", "title", "genre", "url"):
        if column in corpus.columns:
            overview[column] = corpus[column]
    if "text" in corpus.columns:
        overview["n_chars"] = corpus["text"].fillna("").astype(str).str.len().astype("int64")
    return overview.reset_index(drop=True)


def _period_of_tables(processed_dir: Path) -> str:
    """The period ("M", "Q", "Y") of the run's over-time tables, read from their labels; else config.PERIOD."""
    import pyarrow.parquet as pq

    from analysis import config

    candidates = [processed_dir / "stance_over_time.parquet"]
    topics_dir = processed_dir / "topics"
    if topics_dir.is_dir():
        candidates += sorted(topics_dir.glob("*/topic_shares.parquet"))
    for path in candidates:
        if not path.is_file():
            continue
        try:
            labels = pq.read_table(path, columns=["period"]).column("period").to_pylist()
        except Exception:  # no period column or not parquet: try the next table
            continue
        labels = [str(label) for label in labels if label is not None]
        for freq, form in _PERIOD_FORMS:
            if labels and all(form.match(label) for label in labels):
                return freq
    return config.PERIOD


def _documents_per_period(corpus, period: str):
    """``period, <one column per newspaper>, total``; an 'undated' row counts documents without a date."""
    import pandas as pd

    from analysis.stats import period_label

    published = corpus["published"] if "published" in corpus.columns else pd.Series(pd.NaT, index=corpus.index)
    sources = corpus["source"].astype(str) if "source" in corpus.columns else pd.Series("", index=corpus.index)
    dated = published.notna()
    labels = pd.Series(pd.NA, index=corpus.index, dtype="object")
    if dated.any():
        labels[dated] = period_label(published[dated], period, groups=sources[dated]).astype(str).to_numpy()
        first, last = pd.Period(labels[dated].min()), pd.Period(labels[dated].max())
        order = [str(p) for p in pd.period_range(first, last, freq=first.freq)]
    else:
        order = []
    labels = labels.fillna("undated")
    if (~dated).any():
        order.append("undated")
    counts = pd.crosstab(labels, sources).reindex(index=order, columns=_sources(corpus), fill_value=0)
    counts = counts.astype("int64")
    counts["total"] = counts.sum(axis=1).astype("int64")
    counts.index.name = "period"
    counts.columns.name = None
    return counts.reset_index()


def _topic_labels(labels, words, dominant) -> dict:
    """topic -> label from topic_labels.csv, else topic_words, else dominant_topics."""
    mapping: dict = {}
    for frame in (dominant, words, labels):  # later sources win
        if frame is not None and {"topic", "label"} <= set(frame.columns):
            mapping.update(frame.drop_duplicates("topic").set_index("topic")["label"].to_dict())
    return mapping


def _doc_topics_wide(doc_topics, labels: dict, corpus):
    """doc_id (+ source, published, title) x one column per topic label, weights rounded to 4 decimals."""
    import pandas as pd

    topics = sorted(doc_topics["topic"].unique())
    names = {t: str(labels.get(t, "外れ値" if t == -1 else f"トピック{t}")) for t in topics}
    counts = pd.Series(list(names.values())).value_counts()
    columns = {t: (name if counts[name] == 1 else f"{name} ({t})") for t, name in names.items()}
    doc_order = pd.unique(doc_topics["doc_id"])
    wide = (doc_topics.pivot_table(index="doc_id", columns="topic", values="weight", aggfunc="sum", fill_value=0.0)
            .reindex(index=doc_order, columns=topics, fill_value=0.0).round(4))
    wide.columns = [columns[t] for t in topics]
    wide.index.name = "doc_id"
    wide = _with_document_context(wide.reset_index(), corpus)
    notes = {column: f"share of topic {t} ({names[t]}) in the document" for t, column in columns.items()}
    return wide, notes


def _with_document_context(frame, corpus):
    """``frame`` with the document's source, published and title after ``doc_id`` (when the corpus is there)."""
    if corpus is None or "doc_id" not in frame.columns or "doc_id" not in corpus.columns:
        return frame
    context = [c for c in ("source", "published", "title") if c in corpus.columns and c not in frame.columns]
    if not context:
        return frame
    merged = frame.merge(corpus[["doc_id", *context]].drop_duplicates("doc_id"), on="doc_id", how="left")
    at = list(frame.columns).index("doc_id") + 1
    columns = list(frame.columns[:at]) + context + list(frame.columns[at:])
    return merged[columns]


def _spreadsheet_values(frame):
    """Datetimes in Japan time without a time zone; lists and other objects as text."""
    import numpy as np
    import pandas as pd

    from analysis import config

    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            out[column] = values.dt.tz_convert(config.DEFAULT_TZ).dt.tz_localize(None)
        elif values.dtype == object:
            stamps = values.dropna()
            if len(stamps) and all(isinstance(v, pd.Timestamp) for v in stamps):
                out[column] = pd.to_datetime(values, utc=True).dt.tz_convert(config.DEFAULT_TZ).dt.tz_localize(None)
            elif any(isinstance(v, (list, tuple, dict, np.ndarray)) for v in stamps):
                out[column] = values.map(_as_text)
    return out


def _as_text(value) -> Any:
    import numpy as np

    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return " / ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return value


# ---------------------------------------------------------------- sheet names


def sheet_names(names: Iterable[str]) -> list[str]:
    """Excel-safe, unique (case-insensitively) sheet names of at most 31 characters, in order.

    >>> sheet_names(["a/b", "x" * 40, "x" * 40, "History"])
    ['a_b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx~2', 'History_']
    """
    taken: set[str] = set()
    out = []
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", str(name)).strip("'") or "sheet"
        if base.lower() == "history":  # reserved by Excel
            base += "_"
        candidate = base[:EXCEL_MAX_SHEET_NAME]
        n = 1
        while candidate.lower() in taken:
            n += 1
            suffix = f"~{n}"
            candidate = base[:EXCEL_MAX_SHEET_NAME - len(suffix)] + suffix
        taken.add(candidate.lower())
        out.append(candidate)
    return out


# ---------------------------------------------------------------- writing


def export_tables(processed_dir: Path, out_dir: Path, *, workbook_name: str = "tables.xlsx",
                  period: str | None = None) -> list[Path]:
    """Write every table under ``processed_dir`` as ``out_dir/<name>.csv`` plus one workbook; return the paths.

    Also writes ``README.csv`` (the workbook's README sheet: each table's source file and columns).
    ``period`` is that of the documents-per-period table (default: the run's over-time tables').
    Raises InputError when ``processed_dir`` holds none of the tables.
    """
    from analysis.errors import InputError
    from analysis.io import write_bytes

    processed_dir, out_dir = Path(processed_dir), Path(out_dir)
    if not processed_dir.is_dir():
        raise InputError(f"{processed_dir} not found; run `analysis run` first or pass --processed with a "
                         "run's data/processed folder")
    if not workbook_name.lower().endswith(".xlsx"):
        raise InputError(f"--workbook {workbook_name!r}: the workbook name must end in .xlsx")
    tables = collect_tables(processed_dir, period=period)
    if not tables:
        raise InputError(f"{processed_dir} holds none of the exported tables (corpus.parquet, topics/<method>/, "
                         "stance*.parquet); run `analysis run` first or pass --processed with a run's output")
    readme = readme_frame(tables)
    written = []
    for table in tables:
        path = out_dir / f"{table.name}.csv"
        write_bytes(csv_bytes(table.frame), path)
        written.append(path)
    write_bytes(csv_bytes(readme), out_dir / "README.csv")
    written.append(out_dir / "README.csv")
    workbook = out_dir / workbook_name
    write_bytes(workbook_bytes(tables, readme), workbook)
    written.append(workbook)
    return written


def csv_bytes(frame) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel then reads Japanese correctly), LF line ends, no index."""
    import pandas as pd

    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column].dtype):
            frame[column] = _format_datetimes(frame[column])
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return BOM + buf.getvalue().encode("utf-8")


def _format_datetimes(values):
    """ISO text without an offset: the date alone when every value is at midnight."""
    import pandas as pd

    date_only = bool((values.dropna() == values.dropna().dt.normalize()).all())
    text = values.dt.strftime("%Y-%m-%d" if date_only else "%Y-%m-%d %H:%M:%S")
    return text.where(values.notna(), pd.NA)


def readme_frame(tables: list[ExportTable]):
    """``sheet, csv, source, rows, column, meaning``: per table a row describing it, then one per column."""
    import pandas as pd

    rows = []
    for table in tables:
        n = len(table.frame)
        description = table.description
        if n > EXCEL_MAX_ROWS - 1:
            description += (f"; the sheet holds the first {EXCEL_MAX_ROWS - 1:,} of {n:,} rows "
                            f"(Excel's limit), the CSV all of them")
        long_cells = _count_long_cells(table.frame)
        if long_cells:
            description += (f"; {long_cells} cell(s) longer than Excel's {EXCEL_MAX_CELL:,} characters are cut "
                            "in the sheet (marked), complete in the CSV")
        rows.append({"sheet": table.sheet, "csv": f"{table.name}.csv", "source": table.source, "rows": n,
                     "column": "", "meaning": description})
        for column in table.frame.columns:
            rows.append({"sheet": table.sheet, "csv": f"{table.name}.csv", "source": table.source, "rows": n,
                         "column": str(column), "meaning": table.meaning(str(column))})
    return pd.DataFrame(rows, columns=["sheet", "csv", "source", "rows", "column", "meaning"])


def _count_long_cells(frame) -> int:
    import pandas as pd

    count = 0
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):
            count += sum(1 for v in frame[column] if isinstance(v, str) and len(v) > EXCEL_MAX_CELL)
    return count


def workbook_bytes(tables: list[ExportTable], readme) -> bytes:
    """The workbook: a README sheet, then one sheet per table; header bold and frozen; same tables, same bytes."""
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _write_sheet(wb, README_SHEET, readme, source_csv="README.csv")
    for table in tables:
        _write_sheet(wb, table.sheet, table.frame, source_csv=f"{table.name}.csv")
    fixed = dt.datetime(*FIXED_TIME)
    wb.properties.creator = "analysis"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    raw = io.BytesIO()
    wb.save(raw)
    return _fix_zip_times(raw.getvalue())


def _write_sheet(wb, title: str, frame, *, source_csv: str) -> None:
    import pandas as pd
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    columns = [str(c) for c in frame.columns]
    datetime_columns = {i for i, c in enumerate(frame.columns)
                        if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)}
    formats = {i: _excel_date_format(frame[frame.columns[i]]) for i in datetime_columns}
    for i, column in enumerate(columns):
        ws.column_dimensions[get_column_letter(i + 1)].width = _column_width(column, frame[frame.columns[i]],
                                                                             i in datetime_columns)
    ws.freeze_panes = "A2"
    n_rows = min(len(frame), EXCEL_MAX_ROWS - 1)
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n_rows + 1}"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=_xml_safe(column))
        cell.font = bold
        cell.data_type = "s"
        header.append(cell)
    ws.append(header)
    for values in frame.head(n_rows).itertuples(index=False, name=None):
        row = []
        for i, value in enumerate(values):
            cell = WriteOnlyCell(ws, value=_excel_value(value, source_csv))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text starting with "=" stays text, never a formula
            elif i in formats and cell.value is not None:
                cell.number_format = formats[i]
            row.append(cell)
        ws.append(row)


def _excel_value(value, source_csv: str):
    import numpy as np
    import pandas as pd

    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and np.isnan(value):
            return None
    if isinstance(value, (bool, int, float)):
        return value
    text = _xml_safe(str(value))
    if len(text) > EXCEL_MAX_CELL:
        note = f"…[cut at Excel's {EXCEL_MAX_CELL:,}-character limit; full text in {source_csv}]"
        text = text[:EXCEL_MAX_CELL - len(note)] + note
    return text


def _xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub(" ", text)


def _excel_date_format(values) -> str:
    stamps = values.dropna()
    return "yyyy-mm-dd" if bool((stamps == stamps.dt.normalize()).all()) else "yyyy-mm-dd hh:mm:ss"


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _column_width(name: str, values, is_datetime: bool) -> float:
    """Room for the header and the widest of the first 1000 values, between 6 and 60 characters."""
    if is_datetime:
        widest = 19
    else:
        sample = values.head(1000).dropna()
        widest = max((_display_width(str(v).split("\n")[0]) for v in sample), default=0)
    return float(min(max(_display_width(name) + 3, widest + 2, 6), 60))


def _fix_zip_times(data: bytes) -> bytes:
    """The workbook with fixed zip entry times and document dates, so the same tables give the same bytes."""
    import zipfile

    out = io.BytesIO()
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIME).encode()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>",
                                 content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


# ---------------------------------------------------------------- command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.study import add_config_argument

    add_config_argument(parser)
    parser.add_argument("--processed", type=Path, default=None,
                        help="folder of the processed tables (default: the study's, else data/processed)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the CSVs and the workbook (default: the study's reports/tables, "
                             "replaced whole so no table of an earlier run stays)")
    parser.add_argument("--workbook", default="tables.xlsx", help="file name of the workbook (default: tables.xlsx)")
    parser.add_argument("--period", default=None, choices=("auto", "M", "Q", "Y"),
                        help="period of the documents-per-period table (default: that of the run's over-time tables)")


def run(args: argparse.Namespace) -> int:
    from analysis.errors import InputError
    from analysis.runstate import check_all, staged_dir
    from analysis.study import stage_paths

    _, paths = stage_paths(args)
    processed = args.processed if args.processed is not None else paths.processed
    problems = check_all(processed) if Path(processed).is_dir() else []
    if problems:
        raise InputError(problems[0])
    if args.out is not None:  # a folder the user chose may hold other files: write into it, delete nothing
        written = export_tables(processed, args.out, workbook_name=args.workbook, period=args.period)
    else:
        with staged_dir(paths.reports / "tables") as out:
            written = export_tables(processed, out, workbook_name=args.workbook, period=args.period)
        written = [paths.reports / "tables" / p.name for p in written]
    for path in written:
        print(path)
    return 0
