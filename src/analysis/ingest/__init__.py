"""Ingest: saved pages, CSV/JSONL/Parquet tables and the livedoor corpus -> one corpus table.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "2024-03-01_論説.txt").write_text("【社説】半導体と輸出規制\\n 政府は規制を強めた。\\n", encoding="utf-8")
>>> result = ingest([folder], folder / "out")
>>> result.n_ingested, result.corpus.loc[0, "genre"], str(result.corpus.loc[0, "published"])
(1, '社説', '2024-03-01 00:00:00+09:00')
>>> sorted(p.name for p in (folder / "out").iterdir())
['corpus.parquet', 'ingest_report.csv']

``ingest(inputs, out_dir)`` walks files and folders (recursively, in sorted order), parses every
file, drops duplicate texts, and writes ``out_dir/corpus.parquet`` (schema and sort order in
docs/ARCHITECTURE.md) and ``out_dir/ingest_report.csv`` (``path, status, reason, doc_id``: one
row per input file, per table row ``file.csv#row=N`` and per archive member ``x.tgz#member``)
through :mod:`analysis.io`. Same inputs, same bytes.

Choices (so nothing is silently dropped or invented):

* **Undated pages are rejected** by default, with a reason saying how to fix them (add a
  ``登録:`` line or a date line, or a ``YYYY-MM-DD`` in the file name). ``allow_undated=True``
  (``--allow-undated``) ingests them with ``published`` = NaT, a warning, and a note in the
  report. Undated documents cannot be placed on any over-time chart, hence the default.
* A table without a source column takes the file stem as newspaper name (noted in the report).
* Duplicates: identical text after NFKC and whitespace collapsing (:func:`doc_id_for`); the first
  in sorted path order is kept, the others are reported ``duplicate`` naming the kept path.
* README*, LICENSE*, CHANGES* files are rejected as "not an article"; unsupported file types are
  rejected naming the supported ones; hidden files and folders (``.git``, ``.DS_Store``) met while
  walking a folder are skipped, not reported.
* Paths in the report and the ``path`` column are the inputs as given, joined with what was
  found below them (POSIX separators), so reruns from the same place give the same bytes.
"""

from __future__ import annotations

import sys
import tarfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analysis import config
from analysis.errors import InputError
from analysis.ingest.decode import decode_bytes
from analysis.ingest.livedoor import looks_like_livedoor, parse_livedoor
from analysis.ingest.pages import parse_page
from analysis.ingest.schema import (COLUMNS, DATE_COLUMNS, REPORT_COLUMNS, Outcome, Rejected,
                                    doc_id_for, normalise_text)
from analysis.ingest.tables import TABLE_SUFFIXES, read_table

__all__ = ["IngestResult", "collect", "doc_id_for", "ingest", "load_corpus", "normalise_text",
           "print_summary"]

TEXT_SUFFIXES = (".txt", ".text")
ARCHIVE_SUFFIXES = (".tgz", ".tar.gz", ".tar", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
NOT_ARTICLE_STEMS = ("readme", "license", "licence", "changes", "changelog", "copying")
NOT_ARTICLE_PREFIXES = ("license-", "licence-", "license_", "readme.", "readme_")

NO_DATE = {
    "page": "no date: add a 登録: line (or a date line such as 2024年3月1日 under the title) or a "
            "YYYY-MM-DD in the file name, or pass --allow-undated",
    "row": "no date: fill in the row's date column (YYYY-MM-DD), or pass --allow-undated",
    "livedoor": "no date: line 2 of a livedoor article must be an ISO date such as "
                "2012-05-01T09:00:00+0900; re-extract the corpus, or pass --allow-undated",
}
UNDATED_NOTE = "no date (ingested undated because of --allow-undated)"


@dataclass
class IngestResult:
    """The corpus and the report of one ingest, and where they were written (None: not written)."""

    corpus: "pandas.DataFrame"  # noqa: F821
    report: "pandas.DataFrame"  # noqa: F821
    corpus_path: Path | None = None
    report_path: Path | None = None

    def _count(self, status: str) -> int:
        return int((self.report["status"] == status).sum())

    @property
    def n_ingested(self) -> int:
        return self._count("ingested")

    @property
    def n_duplicate(self) -> int:
        return self._count("duplicate")

    @property
    def n_rejected(self) -> int:
        return self._count("rejected")

    @property
    def n_undated(self) -> int:
        return int(self.corpus["published"].isna().sum())

    def top_rejections(self, n: int = 5) -> list[tuple[str, int]]:
        """The ``n`` most frequent rejection reasons with their counts."""
        reasons = self.report.loc[self.report["status"] == "rejected", "reason"]
        return sorted(Counter(reasons).items(), key=lambda kv: (-kv[1], kv[0]))[:n]


# -- finding the inputs ------------------------------------------------------------------------

def _display(path: Path) -> str:
    return path.as_posix()


def _expand(inputs) -> list[Path]:
    files: dict[str, Path] = {}
    for given in inputs:
        path = Path(given)
        if path.is_file():
            files.setdefault(_display(path), path)
        elif path.is_dir():
            for found in path.rglob("*"):
                if any(part.startswith(".") for part in found.relative_to(path).parts):
                    continue
                if found.is_file():
                    files.setdefault(_display(found), found)
        else:
            raise InputError(f"{path}: no such file or folder; give paths to pages, tables, folders "
                             "or the livedoor tarball")
    return [files[k] for k in sorted(files, key=lambda s: PurePosixPath(s).parts)]


def _suffix(name: str) -> str:
    lower = name.lower()
    for suffix in ARCHIVE_SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    return PurePosixPath(lower).suffix


# -- parsing one unit ----------------------------------------------------------------------------

def _parse_text(data: bytes, display: str, key: tuple, name: str, folder: str) -> Outcome:
    outcome = Outcome(path=display, key=key)
    text, encoding = decode_bytes(data, display)
    if looks_like_livedoor(text):
        outcome.kind = "livedoor"
        outcome.document = parse_livedoor(text, category=folder, encoding=encoding)
    else:
        outcome.document = parse_page(text, name=name, folder=folder, encoding=encoding)
    return outcome


def _parse_unit(data: bytes, display: str, key: tuple, name: str, folder: str) -> list[Outcome]:
    """Outcomes for one file (or archive member) called ``name`` in folder ``folder``."""
    suffix = _suffix(name)
    try:
        stem = PurePosixPath(name.lower()).stem
        if stem in NOT_ARTICLE_STEMS or stem.startswith(NOT_ARTICLE_PREFIXES):
            raise Rejected("not an article (README/LICENSE/CHANGES file)")
        if suffix in TEXT_SUFFIXES:
            return [_parse_text(data, display, key, name, folder)]
        if suffix in TABLE_SUFFIXES:
            rows = read_table(data, display)
            for row in rows:
                row.key, row.kind = key + row.key, "row"
            return rows
        if suffix in (".html", ".htm", ".mhtml", ".pdf", ".docx"):
            raise Rejected(f"unsupported file type {suffix!r}: save the article as plain text (.txt)")
        raise Rejected(f"unsupported file type {suffix or '(no extension)'!r}: give pages as .txt, "
                       "tables as .csv/.tsv/.jsonl/.parquet, or the livedoor .tgz/.tar.gz")
    except Rejected as exc:
        return [Outcome(path=display, key=key, reason=str(exc))]
    except Exception as exc:  # never a traceback for one bad file: account it and go on
        return [Outcome(path=display, key=key,
                        reason=f"could not be parsed ({type(exc).__name__}: {exc}); please report this")]


def _archive(path: Path, display: str, parts: tuple) -> list[Outcome]:
    outcomes: list[Outcome] = []
    try:
        with tarfile.open(path, mode="r|*") as archive:
            for member in archive:
                if member.isdir():
                    continue
                member_display = f"{display}#{member.name}"
                key = (parts, member.name, 0)
                name = PurePosixPath(member.name).name
                if not member.isfile():
                    outcomes.append(Outcome(member_display, key, reason="not a regular file in the archive"))
                    continue
                if _suffix(name) in ARCHIVE_SUFFIXES:
                    outcomes.append(Outcome(member_display, key,
                                            reason="archive inside an archive: extract it and ingest the inner one"))
                    continue
                data = archive.extractfile(member).read()
                folder = PurePosixPath(member.name).parent.name
                outcomes.extend(_parse_unit(data, member_display, key, name, folder))
    except (tarfile.TarError, EOFError, OSError) as exc:
        where = f"after {len(outcomes)} member(s)" if outcomes else "at the start"
        outcomes.append(Outcome(display, (parts, "", 0),
                                reason=f"unreadable archive ({type(exc).__name__} {where}): "
                                       "download or copy it again"))
    return outcomes


def _outcomes(path: Path) -> list[Outcome]:
    display = _display(path)
    parts = PurePosixPath(display).parts
    if _suffix(path.name) in ARCHIVE_SUFFIXES:
        return _archive(path, display, parts)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [Outcome(display, (parts, "", 0), reason=f"cannot read the file ({exc.strerror}); "
                                                        "check its permissions")]
    return _parse_unit(data, display, (parts, "", 0), path.name, path.absolute().parent.name)


# -- assembling ----------------------------------------------------------------------------------

def _dates(values):
    import pandas as pd

    series = pd.Series([v for v in values], dtype=object)
    return pd.to_datetime(series, utc=True).dt.tz_convert(config.DEFAULT_TZ).astype(
        f"datetime64[ns, {config.DEFAULT_TZ}]")


def _frames(outcomes: list[Outcome], allow_undated: bool):
    import pandas as pd

    report, rows = [], []
    kept: dict[str, str] = {}
    for outcome in sorted(outcomes, key=lambda o: o.key):
        doc = outcome.document
        if doc is not None and doc.published is None and not allow_undated:
            doc, outcome.reason = None, NO_DATE[outcome.kind]
        if doc is None:
            report.append((outcome.path, "rejected", outcome.reason, ""))
            continue
        doc_id = doc_id_for(doc.text)
        if doc_id in kept:
            report.append((outcome.path, "duplicate", f"same text as {kept[doc_id]}", doc_id))
            continue
        kept[doc_id] = outcome.path
        notes = list(doc.notes) + ([UNDATED_NOTE] if doc.published is None else [])
        report.append((outcome.path, "ingested", "; ".join(notes), doc_id))
        rows.append({"doc_id": doc_id, "source": doc.source, "genre": doc.genre, "title": doc.title,
                     "text": doc.text, "published": doc.published, "updated": doc.updated,
                     "original_published": doc.original_published, "url": doc.url,
                     "translator": doc.translator, "category": doc.category, "path": outcome.path,
                     "encoding": doc.encoding})
    corpus = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in COLUMNS:
        if column in DATE_COLUMNS:
            corpus[column] = _dates(corpus[column])
        else:
            corpus[column] = corpus[column].astype(object).fillna("").astype(str)
    corpus = corpus.sort_values(["published", "source", "doc_id"], na_position="last",
                                kind="mergesort").reset_index(drop=True)
    report_frame = pd.DataFrame(report, columns=list(REPORT_COLUMNS)).astype(str)
    return corpus, report_frame


def collect(inputs, *, allow_undated: bool = False) -> IngestResult:
    """Parse ``inputs`` (files and folders) without writing anything."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    outcomes: list[Outcome] = []
    for path in _expand(inputs):
        outcomes.extend(_outcomes(path))
    corpus, report = _frames(outcomes, allow_undated)
    return IngestResult(corpus=corpus, report=report)


def ingest(inputs, out_dir=None, *, allow_undated: bool = False) -> IngestResult:
    """Parse ``inputs`` and write ``out_dir/corpus.parquet`` and ``out_dir/ingest_report.csv``.

    ``out_dir`` defaults to ``config.paths().processed``. Raises :class:`InputError` only for a
    path that does not exist; every bad file is accounted in the report instead.
    """
    from analysis import io

    out = Path(out_dir) if out_dir is not None else config.paths().processed
    result = collect(inputs, allow_undated=allow_undated)
    result.corpus_path, result.report_path = out / "corpus.parquet", out / "ingest_report.csv"
    io.write_parquet(result.corpus, result.corpus_path)
    io.write_csv(result.report, result.report_path)
    return result


def print_summary(result: IngestResult, file=None, top: int = 5) -> None:
    """``ingested N / duplicate N / rejected N``, where it went, and the top rejection reasons."""
    file = file or sys.stdout
    print(f"ingested {result.n_ingested} / duplicate {result.n_duplicate} / "
          f"rejected {result.n_rejected}", file=file)
    if result.corpus_path is not None:
        print(f"  corpus: {result.corpus_path}\n  report: {result.report_path}", file=file)
    if result.n_undated:
        print(f"warning: {result.n_undated} document(s) have no date (published is empty); they "
              "are left out of every over-time table", file=sys.stderr)
    rejections = result.top_rejections(top)
    if rejections:
        print("top rejection reasons:", file=file)
        for reason, count in rejections:
            print(f"  {count:>5}  {reason}", file=file)
    if result.n_ingested == 0:
        print("nothing could be ingested: see the reasons above and the report", file=file)


def load_corpus(path=None):
    """Read a corpus.parquet written by :func:`ingest` (default: ``config.paths().corpus``)."""
    from analysis.io import read_stage_output

    path = Path(path) if path is not None else config.paths().corpus
    if path.is_dir():
        path = path / "corpus.parquet"
    return read_stage_output(path, "ingest")
