"""``analysis ingest PATH... [--out DIR] [--allow-undated] [--allow-other-languages]
[--max-chars N] [--oversize split|reject] [--columns FIELD=COLUMN,...] [--scheduler ADDRESS]``.

    $ analysis ingest ../shared/seeds
    $ analysis ingest ../shared/data/livedoor/ldcc-text.tgz --out data/processed/livedoor
    $ analysis ingest export.csv --columns text=記事本文,published=掲載日,source=媒体名
    $ analysis ingest folder_of_many_pages --scheduler tcp://login1:8786   # files parsed as Dask tasks

Prints ``ingested N / duplicate N / rejected N`` and the top rejection reasons (every reason when
nothing was ingested); exits 1 when nothing could be ingested, 2 when a path does not exist or a
setting is wrong (one line, no traceback).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.errors import InputError
from analysis.ingest.sanity import MAX_DOCUMENT_CHARS, OVERSIZE_CHOICES


def parse_columns(specs) -> dict[str, str]:
    """The values of ``--columns`` (repeatable) as one mapping field -> column.

    >>> parse_columns(["text=記事本文,published=掲載日", "source=媒体名"])
    {'text': '記事本文', 'published': '掲載日', 'source': '媒体名'}

    Raises :class:`InputError` (one line) for an item without ``=``, an empty field or column
    name, or a field given twice; field names are checked by the ingest itself.
    """
    mapping: dict[str, str] = {}
    for spec in specs or ():
        for item in spec.split(","):
            field_name, eq, column = (part.strip() for part in item.partition("="))
            if not eq or not field_name or not column:
                raise InputError(f"--columns: cannot read {item.strip()!r}; write FIELD=COLUMN pairs "
                                 "separated by commas, e.g. --columns text=記事本文,published=掲載日")
            if field_name in mapping:
                raise InputError(f"--columns: field {field_name!r} is given twice "
                                 f"({mapping[field_name]!r} and {column!r}); keep one")
            mapping[field_name] = column
    return mapping


def _first(*values):
    return next(v for v in values if v is not None)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.scheduler import add_scheduler_argument
    from analysis.study import add_config_argument

    add_config_argument(parser)
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="pages (.txt), tables (.csv/.tsv/.jsonl/.parquet), folders, livedoor .tgz "
                             "(default with --config: the study's inputs)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder for corpus.parquet and ingest_report.csv (default: data/processed)")
    parser.add_argument("--allow-undated", action="store_true", default=None,
                        help="ingest pages without a date (published left empty) instead of rejecting them")
    parser.add_argument("--allow-other-languages", action="store_true", default=None,
                        help="keep documents that are not mostly Japanese instead of rejecting them")
    parser.add_argument("--max-chars", type=int, default=None, metavar="N",
                        help=f"longest text kept as one document (default: {MAX_DOCUMENT_CHARS})")
    parser.add_argument("--oversize", choices=OVERSIZE_CHOICES, default="split",
                        help="a longer text is split into parts by paragraphs (default) or rejected")
    parser.add_argument("--columns", action="append", default=None, metavar="FIELD=COLUMN,...",
                        help="table columns for schema fields, over the built-in names, e.g. "
                             "text=記事本文,published=掲載日,source=媒体名")
    add_scheduler_argument(parser, default="this process",
                           workers="the study's jobs worker processes, else one per core")


def run(args: argparse.Namespace) -> int:
    from analysis.ingest import ingest, print_summary
    from analysis.scheduler import pick_scheduler
    from analysis.study import pick, stage_paths

    study, paths = stage_paths(args)
    inputs = args.paths or (list(study.inputs) if study else [])
    if not inputs:
        raise InputError("name the files or folders to ingest (analysis ingest PATH...), or pass --config STUDY.yaml")
    columns = parse_columns(args.columns) or (dict(study.columns) if study else {})
    result = ingest(inputs, args.out or (paths.processed if study else None),
                    allow_undated=bool(pick(args.allow_undated, study, "allow_undated", False)),
                    allow_other_languages=bool(pick(args.allow_other_languages, study, "allow_other_languages", False)),
                    max_chars=_first(args.max_chars, study.max_chars if study else None, MAX_DOCUMENT_CHARS),
                    oversize=args.oversize, columns=columns,
                    scheduler=pick_scheduler(args.scheduler, study), jobs=pick(None, study, "jobs", 0))
    print_summary(result)
    return 0 if result.n_ingested else 1
