"""Ingest: saved pages, CSV/JSONL/Parquet tables and the livedoor corpus -> one corpus table.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "2024-03-01_論説.txt").write_text("【社説】半導体と輸出規制\\n 政府は規制を強めた。\\n", encoding="utf-8")
>>> result = ingest([folder], folder / "out")
>>> result.n_ingested, result.corpus.loc[0, "genre"], str(result.corpus.loc[0, "published"])
(1, '社説', '2024-03-01 00:00:00+09:00')
>>> sorted(p.name for p in (folder / "out").iterdir())
['corpus.parquet', 'ingest.stamp.json', 'ingest_report.csv']

``ingest(inputs, out_dir)`` walks files and folders (recursively, in sorted order), parses every
file, drops duplicate texts, and writes ``out_dir/corpus.parquet`` (schema and sort order in
docs/ARCHITECTURE.md) and ``out_dir/ingest_report.csv`` (``path, status, reason, doc_id``: one
row per input file, per table row ``file.csv#row=N``, per archive member ``x.tgz#member`` and per
part ``...#part=K`` of a split oversize document) through :mod:`analysis.io`. Same inputs, same
bytes. Every rejection has a reason; a bad file never raises.

Choices (so nothing is silently dropped or invented):

* **Undated pages are rejected** by default, with a reason saying how to fix them (add a
  ``登録:`` line or a date line, or a ``YYYY-MM-DD`` in the file name). ``allow_undated=True``
  (``--allow-undated``) ingests them with ``published`` = NaT, a warning, and a note in the
  report. Undated documents cannot be placed on any over-time chart, hence the default.
* **Documents that are not mostly Japanese are rejected**: below ``JAPANESE_SHARE_MIN`` (20%)
  kana/kanji among the letters of title and body (:mod:`analysis.ingest.sanity`, which says how
  the threshold was measured). ``allow_other_languages=True`` (``--allow-other-languages``)
  keeps them with a note in the report.
* **Oversize documents are split**: a body over ``max_chars`` (default ``MAX_DOCUMENT_CHARS`` =
  200,000 characters, ``--max-chars``) becomes parts of at most that length, cut between
  paragraphs (else sentences, else hard), reported as ``path#part=K`` with titles ending in
  `` (K/N)``; ``oversize="reject"`` (``--oversize reject``) rejects it instead. Either way a
  warning naming the file is printed to stderr.
* Table columns are found by alias (:mod:`analysis.ingest.tables`); ``columns={"text": "記事本文",
  "published": "掲載日", "source": "媒体名"}`` (``--columns text=記事本文,...``) maps them
  explicitly, over the aliases, for every table of the run. A table lacking a mapped column is
  rejected naming it; an unknown field name raises :class:`InputError` before anything is read.
* A table without a source column takes the file stem as newspaper name: a warning naming the
  file is printed to stderr and every row's report reason says so.
* Warnings (printed to stderr as they happen) are also kept in ``IngestResult.warnings``.
* Duplicates: identical text after NFKC and whitespace collapsing (:func:`doc_id_for`); the first
  in sorted path order is kept, the others are reported ``duplicate`` naming the kept path.
* README*, LICENSE*, CHANGES* files are rejected as "not an article"; unsupported file types are
  rejected naming the supported ones; hidden files and folders (``.DS_Store``,
  ``.ipynb_checkpoints``) met while walking a folder are skipped and reported (a folder as one row
  with its file count), as are links to folders (not followed: a link can loop) and broken links.
* ``scheduler="local"`` or ``"tcp://host:8786"`` (``--scheduler``) parses files and archive
  members as Dask tasks of ``UNITS_PER_TASK``: this process reads them (workers need no access to
  the inputs; all their bytes are held in memory at once) and assembles the corpus and report,
  identical to a run without Dask. Parsing is rarely the slow part: the livedoor corpus (7,367
  articles) ingests in about 5 s on one core.
* Paths in the report and the ``path`` column are the inputs as given, joined with what was
  found below them (POSIX separators), so reruns from the same place give the same bytes.
"""

from __future__ import annotations

import sys
import tarfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator, Mapping

from analysis import config
from analysis.errors import InputError
from analysis.ingest.decode import decode_bytes
from analysis.ingest.livedoor import looks_like_livedoor, parse_livedoor
from analysis.ingest.pages import parse_page
from analysis.ingest.sanity import (JAPANESE_SHARE_MIN, MAX_DOCUMENT_CHARS, OVERSIZE_CHOICES,
                                    check_outcomes, check_settings, warn_stderr)
from analysis.ingest.schema import (COLUMNS, DATE_COLUMNS, REPORT_COLUMNS, Outcome, Rejected,
                                    doc_id_for, normalise_text)
from analysis.ingest.tables import TABLE_SUFFIXES, check_column_mapping, read_table
from analysis.scheduler import check_scheduler

__all__ = ["JAPANESE_SHARE_MIN", "MAX_DOCUMENT_CHARS", "OVERSIZE_CHOICES", "IngestResult", "collect",
           "doc_id_for", "ingest", "load_corpus", "normalise_text", "print_summary"]

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
#: Where the report of an ingest that ingested nothing goes (the previous corpus is left as it was).
FAILED_REPORT = "ingest_report.failed.csv"
UNDATED_NOTE = "no date (ingested undated because of --allow-undated)"
#: Files (or archive members) per Dask task when a scheduler is named.
UNITS_PER_TASK = 200


@dataclass
class IngestResult:
    """The corpus and the report of one ingest, and where they were written (None: not written);
    ``inputs`` as given and the warnings printed while reading them."""

    corpus: "pandas.DataFrame"  # noqa: F821
    report: "pandas.DataFrame"  # noqa: F821
    corpus_path: Path | None = None
    report_path: Path | None = None
    inputs: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)

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

    def top_rejections(self, n: int | None = 5) -> list[tuple[str, int]]:
        """The ``n`` most frequent rejection reasons with their counts (None: all of them)."""
        reasons = self.report.loc[self.report["status"] == "rejected", "reason"]
        return sorted(Counter(reasons).items(), key=lambda kv: (-kv[1], kv[0]))[:n]


# -- finding the inputs ------------------------------------------------------------------------

def _display(path: Path) -> str:
    return path.as_posix()


def _expand(inputs) -> tuple[list[Path], list[Outcome]]:
    """The files below ``inputs`` in sorted order, and an outcome for each thing met while walking
    a folder that is not read: a hidden file, a hidden folder (one row, with its file count), a
    link to a folder (not followed, so a loop cannot hang the walk) and a broken link."""
    import os

    files: dict[str, Path] = {}
    skipped: dict[str, str] = {}
    for given in inputs:
        path = Path(given)
        if path.is_file():
            files.setdefault(_display(path), path)
            continue
        if not path.is_dir():
            raise InputError(f"{path}: no such file or folder; give paths to pages, tables, folders "
                             "or the livedoor tarball")
        for root, dirs, names in os.walk(path):
            here = Path(root)
            walked = []
            for name in sorted(dirs):
                found = here / name
                if name.startswith("."):
                    count = sum(len(f) for _, _, f in os.walk(found))
                    skipped[_display(found)] = (f"hidden folder ({count} file(s)): skipped; names "
                                                "starting with '.' are tool or system folders, rename "
                                                "it to ingest what it holds")
                elif found.is_symlink():
                    skipped[_display(found)] = ("link to a folder: not followed (a link can loop); "
                                                "give the folder it points to as an input")
                else:
                    walked.append(name)
            dirs[:] = walked
            for name in names:
                found = here / name
                if name.startswith("."):
                    skipped[_display(found)] = ("hidden file: skipped; names starting with '.' are "
                                                "editor or system files, rename it to ingest it")
                elif found.is_file():
                    files.setdefault(_display(found), found)
                else:
                    skipped[_display(found)] = ("broken link or special file: nothing to read; "
                                                "fix the link or give the file itself")
    order = lambda s: PurePosixPath(s).parts  # noqa: E731
    outcomes = [Outcome(path=d, key=(order(d), "", 0), reason=skipped[d]) for d in sorted(skipped, key=order)]
    return [files[k] for k in sorted(files, key=order)], outcomes


def _suffix(name: str) -> str:
    lower = name.lower()
    for suffix in ARCHIVE_SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    return PurePosixPath(lower).suffix


# -- parsing one unit ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Options:
    """What the readers of one run share: the explicit column mapping and where warnings go."""

    columns: Mapping[str, str]
    warn: Callable[[str], None]


def _parse_text(data: bytes, display: str, key: tuple, name: str, folder: str) -> Outcome:
    outcome = Outcome(path=display, key=key)
    notes: list[str] = []
    text, encoding = decode_bytes(data, display, notes)
    if looks_like_livedoor(text):
        outcome.kind = "livedoor"
        outcome.document = parse_livedoor(text, category=folder, encoding=encoding)
    else:
        outcome.document = parse_page(text, name=name, folder=folder, encoding=encoding)
    if outcome.document is not None:
        outcome.document.notes[:0] = notes      # said in the report beside the ingested page
    return outcome


def _parse_unit(data: bytes, display: str, key: tuple, name: str, folder: str,
                options: _Options) -> list[Outcome]:
    """Outcomes for one file (or archive member) called ``name`` in folder ``folder``."""
    suffix = _suffix(name)
    try:
        stem = PurePosixPath(name.lower()).stem
        if stem in NOT_ARTICLE_STEMS or stem.startswith(NOT_ARTICLE_PREFIXES):
            raise Rejected("not an article (README/LICENSE/CHANGES file)")
        if suffix in TEXT_SUFFIXES:
            return [_parse_text(data, display, key, name, folder)]
        if suffix in TABLE_SUFFIXES:
            rows = read_table(data, display, columns=options.columns, warn=options.warn)
            for row in rows:
                row.key, row.kind = key + row.key, "row"
            return rows
        if suffix in (".html", ".htm", ".mhtml", ".pdf", ".docx"):
            raise Rejected(f"unsupported file type {suffix!r}: save the article as plain text (.txt)")
        if suffix in (".xls", ".ods", ".numbers"):
            raise Rejected(f"unsupported spreadsheet type {suffix!r}: save it as .xlsx or export it as "
                           "CSV (UTF-8)")
        raise Rejected(f"unsupported file type {suffix or '(no extension)'!r}: give pages as .txt, "
                       "tables as .csv/.tsv/.jsonl/.parquet/.xlsx, or the livedoor .tgz/.tar.gz")
    except Rejected as exc:
        return [Outcome(path=display, key=key, reason=str(exc))]
    except Exception as exc:  # never a traceback for one bad file: account it and go on
        return [Outcome(path=display, key=key,
                        reason=f"could not be parsed ({type(exc).__name__}: {exc}); please report this")]


@dataclass(frozen=True)
class _Unit:
    """One file or archive member to parse: its bytes and where they came from."""

    data: bytes
    display: str
    key: tuple
    name: str
    folder: str


def _archive_units(path: Path, display: str, parts: tuple) -> Iterator[_Unit | Outcome]:
    done = 0  # members read whole (for the message when the archive breaks off)
    try:
        with tarfile.open(path, mode="r|*") as archive:
            for member in archive:
                if member.isdir():
                    continue
                member_display = f"{display}#{member.name}"
                key = (parts, member.name, 0)
                name = PurePosixPath(member.name).name
                if not member.isfile():
                    item = Outcome(member_display, key, reason="not a regular file in the archive")
                elif _suffix(name) in ARCHIVE_SUFFIXES:
                    item = Outcome(member_display, key,
                                   reason="archive inside an archive: extract it and ingest the inner one")
                else:
                    item = _Unit(archive.extractfile(member).read(), member_display, key, name,
                                 PurePosixPath(member.name).parent.name)
                done += 1
                yield item
    except (tarfile.TarError, EOFError, OSError) as exc:
        where = f"after {done} member(s)" if done else "at the start"
        yield Outcome(display, (parts, "", 0), reason=f"unreadable archive ({type(exc).__name__} {where}): "
                                                      "download or copy it again")


def _units(path: Path) -> Iterator[_Unit | Outcome]:
    """What ``path`` holds, in order: units to parse, and outcomes known without parsing
    (unreadable files, archive members that are not articles)."""
    display = _display(path)
    parts = PurePosixPath(display).parts
    if _suffix(path.name) in ARCHIVE_SUFFIXES:
        yield from _archive_units(path, display, parts)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Outcome(display, (parts, "", 0), reason=f"cannot read the file ({exc.strerror}); check its permissions")
        return
    yield _Unit(data, display, (parts, "", 0), path.name, path.absolute().parent.name)


def _parse_units(columns: Mapping[str, str], units: list[_Unit]) -> tuple[list[list[Outcome]], list[str]]:
    """One Dask task: the outcomes of each unit and the warnings raised reading them, in order."""
    warnings: list[str] = []
    options = _Options(columns=columns, warn=warnings.append)
    return [_parse_unit(u.data, u.display, u.key, u.name, u.folder, options) for u in units], warnings


def _outcomes_on(paths: list[Path], options: _Options, scheduler: str, jobs: int) -> list[Outcome]:
    """The outcomes of ``paths`` with the units parsed as Dask tasks of ``UNITS_PER_TASK``.

    The files are read here (the workers need no access to them); warnings come back with the
    results and go to ``options.warn`` in the order a run without Dask gives them.
    """
    from analysis.scheduler import map_chunks

    found = [item for path in paths for item in _units(path)]
    units = [item for item in found if isinstance(item, _Unit)]
    if not units:
        return found
    chunks = [units[i:i + UNITS_PER_TASK] for i in range(0, len(units), UNITS_PER_TASK)]
    parsed: list[list[Outcome]] = []
    for outcomes, warnings in map_chunks(_parse_units, chunks, common=(dict(options.columns),),
                                         scheduler=scheduler, jobs=jobs):
        parsed.extend(outcomes)
        for message in warnings:
            options.warn(message)
    by_unit = iter(parsed)
    return [outcome for item in found for outcome in (next(by_unit) if isinstance(item, _Unit) else [item])]


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


def collect(inputs, *, allow_undated: bool = False, allow_other_languages: bool = False,
            max_chars: int = MAX_DOCUMENT_CHARS, oversize: str = "split",
            columns: Mapping[str, str] | None = None, scheduler: str | None = None,
            jobs: int = 0) -> IngestResult:
    """Parse ``inputs`` (files and folders) without writing anything; the keywords are those of
    :func:`ingest`. Warnings are printed to stderr and kept in ``result.warnings``."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = list(inputs)
    check_settings(max_chars, oversize)
    scheduler = check_scheduler(scheduler)
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(message)
        warn_stderr(message)

    options = _Options(columns=check_column_mapping(columns), warn=warn)
    paths, outcomes = _expand(inputs)
    if scheduler is not None:
        outcomes += _outcomes_on(paths, options, scheduler, jobs)
    else:
        for path in paths:
            for item in _units(path):
                outcomes.extend(_parse_unit(item.data, item.display, item.key, item.name, item.folder, options)
                                if isinstance(item, _Unit) else [item])
    outcomes = check_outcomes(outcomes, allow_other_languages=allow_other_languages,
                              max_chars=max_chars, oversize=oversize, warn=warn)
    corpus, report = _frames(outcomes, allow_undated)
    return IngestResult(corpus=corpus, report=report, warnings=warnings,
                        inputs=tuple(_display(Path(p)) for p in inputs))


def ingest(inputs, out_dir=None, *, allow_undated: bool = False, allow_other_languages: bool = False,
           max_chars: int = MAX_DOCUMENT_CHARS, oversize: str = "split",
           columns: Mapping[str, str] | None = None, scheduler: str | None = None,
           jobs: int = 0) -> IngestResult:
    """Parse ``inputs`` and write ``out_dir/corpus.parquet`` and ``out_dir/ingest_report.csv``.

    ``out_dir`` defaults to ``config.paths().processed``. ``allow_undated`` keeps documents
    without a date, ``allow_other_languages`` documents that are not mostly Japanese; a body over
    ``max_chars`` characters is split into parts (``oversize="split"``) or rejected
    (``"reject"``); ``columns`` maps schema fields to table columns (``{"text": "記事本文"}``);
    ``scheduler`` (``"local"`` with ``jobs`` workers, or a Dask scheduler address) parses the files
    as Dask tasks, with the same outputs byte for byte (the scheduler is not recorded).
    Raises :class:`InputError` only for a path that does not exist or a bad setting; every bad
    file is accounted in the report instead.
    """
    from analysis import io

    out = Path(out_dir) if out_dir is not None else config.paths().processed
    result = collect(inputs, allow_undated=allow_undated, allow_other_languages=allow_other_languages,
                     max_chars=max_chars, oversize=oversize, columns=columns, scheduler=scheduler, jobs=jobs)
    if result.n_ingested == 0:
        # a failed ingest must not replace a good corpus with an empty one (the tokens, topics and
        # figures of the earlier run would then sit beside a corpus they do not belong to): the
        # previous state stays, and this attempt's report goes beside it under its own name
        result.report_path = out / FAILED_REPORT
        io.write_csv(result.report, result.report_path)
        return result
    from analysis.runstate import relative_name, write_stamp

    result.corpus_path, result.report_path = out / "corpus.parquet", out / "ingest_report.csv"
    io.write_parquet(result.corpus, result.corpus_path)
    io.write_csv(result.report, result.report_path)
    (out / FAILED_REPORT).unlink(missing_ok=True)
    write_stamp(out, "ingest", outputs=[result.corpus_path, result.report_path],
                parameters={"inputs": [relative_name(Path(p), out) for p in ([inputs] if isinstance(inputs, (str, Path)) else inputs)], "allow_undated": allow_undated,
                            "allow_other_languages": allow_other_languages, "max_chars": max_chars,
                            "oversize": oversize, "columns": dict(columns or {})})
    return result


def print_summary(result: IngestResult, file=None, top: int = 5) -> None:
    """``ingested N / duplicate N / rejected N``, where it went, and the top rejection reasons.

    When nothing was ingested it prints every rejection reason (with a path showing it), or says
    that no files were found under the inputs.
    """
    file = file or sys.stdout
    print(f"ingested {result.n_ingested} / duplicate {result.n_duplicate} / "
          f"rejected {result.n_rejected}", file=file)
    if result.corpus_path is not None:
        print(f"  corpus: {result.corpus_path}\n  report: {result.report_path}", file=file)
    elif result.report_path is not None:
        print(f"  report: {result.report_path} (nothing ingested: the corpus of an earlier ingest, if any, "
              "is left as it was)", file=file)
    if result.n_undated:
        print(f"warning: {result.n_undated} document(s) have no date (published is empty); they "
              "are left out of every over-time table", file=sys.stderr)
    if result.n_ingested:
        rejections = result.top_rejections(top)
        if rejections:
            print("top rejection reasons:", file=file)
            for reason, count in rejections:
                print(f"  {count:>5}  {reason}", file=file)
        return
    if result.report.empty:
        where = ", ".join(result.inputs) or "(no inputs given)"
        print(f"nothing could be ingested: no files found under {where} (hidden files and folders "
              "are skipped); give pages (.txt), tables or the livedoor .tgz", file=file)
        return
    rejected = result.report[result.report["status"] == "rejected"]
    example = dict(zip(rejected["reason"][::-1], rejected["path"][::-1]))  # first path per reason
    print(f"nothing could be ingested; every rejection reason ({len(rejected)} rejected):", file=file)
    for reason, count in result.top_rejections(None):
        print(f"  {count:>5}  {reason}  (e.g. {example[reason]})", file=file)


def load_corpus(path=None):
    """Read a corpus.parquet written by :func:`ingest` (default: ``config.paths().corpus``)."""
    from analysis.io import read_stage_output

    path = Path(path) if path is not None else config.paths().corpus
    if path.is_dir():
        path = path / "corpus.parquet"
    return read_stage_output(path, "ingest")
