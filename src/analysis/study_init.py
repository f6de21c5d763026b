"""``analysis init DIR [--corpus PATH...]``: start a study with a commented study.yaml.

    $ analysis init studies/editorials --corpus ~/data/editorials.csv
    $ make run CONFIG=studies/editorials/study.yaml

Writes ``DIR/study.yaml`` (every key with its meaning; values that name nothing from the demo),
copies the bundled stance targets to ``DIR/targets.yaml`` for editing, and, for a table among the
inputs, fills in ``columns:`` with the columns it recognises and lists the table's columns in a
comment, so a header in other words (記事本文, 掲載日, 媒体名) is one edit away. Without
``--corpus`` it creates ``DIR/editorials/`` for the files. It never overwrites a study.yaml
(``--force`` does).
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from analysis import config
from analysis.errors import InputError

TEMPLATE = """\
# Study config for `analysis run --config {config}` (or `make run CONFIG={config}`).
# Relative paths are read from this file's folder. Every key is optional except inputs.
# Only what this file names is used: no events, seeded themes, KWIC terms or coding rules unless
# you list them (the demo's live in data/raw/demo/study.yaml, as an example).

name: {name}

# Files or folders of editorials: pages saved as .txt, tables (.csv .tsv .jsonl .parquet .xlsx), archives.
inputs:
{inputs}

# Outputs of this study: output/processed (tables) and output/reports (figures, notebooks,
# spreadsheet exports, manifest). Each study has its own, so runs of different studies never mix.
output: output

# Tables: which column holds what. Roles: text, published, source, title, genre, url, category ...
# Columns not named here are found by common names (本文/text, 日付/date, 新聞/source ...).
{columns}

allow_undated: false          # true: keep documents without a date (they appear in no over-time figure)
allow_other_languages: false  # true: keep documents that are not mostly Japanese
# max_chars: 200000           # longer documents are split by paragraphs (default: ingest's limit)

seed: {seed}
period: auto                  # auto, M (month), Q (quarter) or Y (year) for over-time tables
min_n_interval: {min_n}             # points from fewer documents are hollow, with no interval
show_n: false                 # true: write each over-time point's n beside it
# scheduler: tcp://host:8786  # run ingest, tokenize and stance as Dask tasks (local: a cluster here)

topics:
  methods: [nmf, lda, bertopic]
  k: 8                        # topics per model: one number or {{nmf: 8, lda: 10, bertopic: 8}}
  # themes: themes.yaml       # seeded topics: a YAML mapping theme name -> [seed words]

stance:
  targets: targets.yaml       # stance targets: name -> {{aliases: [...]}}; edit the copy beside this file
  method: syntax              # syntax (default), structural, rules, rules+tohoku, supervised
  unnamed_theses: true        # false for news or reviews: theses that do not name a target never vote for it

# events: events.yaml         # dated events drawn on over-time figures: [{{date, label, targets}}]
# kwic: [輸出規制]             # terms read in context in notebook 07
# coding_rules: rules.txt     # coding rules (YAML, or a KH Coder rule file) for notebook 07
# ground_truth: truth.csv     # known labels per document (file, stance_<target>, theme), notebook 06

notebooks: true
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", type=Path, metavar="DIR", help="folder of the study (created if absent)")
    parser.add_argument("--corpus", nargs="+", type=Path, default=None, metavar="PATH",
                        help="files or folders of editorials (default: DIR/editorials/, created empty)")
    parser.add_argument("--name", default=None, help="name of the study (default: DIR's name)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing DIR/study.yaml")


def _relative(path: Path, base: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _shown(path: Path) -> str:
    """``path`` as a user types it from here: relative to the working directory when inside it,
    else absolute (``../../tmp/s/study.yaml`` says less than ``/tmp/s/study.yaml``)."""
    relative = _relative(path, Path.cwd())
    return path.resolve().as_posix() if relative.startswith("../") or relative == ".." else relative


def _tables(inputs: list[Path]) -> list[Path]:
    from analysis.ingest.tables import TABLE_SUFFIXES

    found = []
    for path in inputs:
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        found += [p for p in candidates if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES]
    return found


def _header(path: Path) -> list[str]:
    """Column names of a table (CSV/TSV first line, JSONL first object's keys, Parquet schema,
    the first row of an .xlsx workbook's first non-empty sheet)."""
    import csv
    import io
    import json

    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    from analysis.ingest.tables import EXCEL_SUFFIXES, excel_sheets

    if suffix in EXCEL_SUFFIXES:  # the first sheet that holds anything
        return excel_sheets(path.read_bytes())[0][1]
    from analysis.ingest.decode import decode_bytes

    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
        if handle.read(1):       # more follows: cut at the last line end, not inside a character
            cut = head.rfind(b"\n")
            head = head[:cut + 1] if cut >= 0 else head[:-4]
    text, _ = decode_bytes(head, str(path), [])    # a few damaged bytes: read as ingest reads them
    if suffix in (".jsonl", ".ndjson"):
        first = next((line for line in text.splitlines() if line.strip()), "{}")
        try:
            record = json.loads(first)
        except json.JSONDecodeError:
            return []
        return list(record) if isinstance(record, dict) else []
    return next(csv.reader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ","), [])


def columns_block(tables: list[Path]) -> str:
    """The ``columns:`` lines for the first table: recognised roles filled in, the header in a comment."""
    if not tables:
        return "# columns: {text: 記事本文, published: 掲載日, source: 媒体名, title: 見出し}"
    from analysis.ingest.tables import ALIASES, REQUIRED, _norm

    table = tables[0]
    try:
        header = _header(table)
    except Exception as exc:  # an unreadable table is ingest's business; say so and leave a template
        return f"# {table.name} could not be read here ({exc}); ingest will say why\n" \
               "# columns: {text: 記事本文, published: 掲載日, source: 媒体名}"
    by_norm = {_norm(c): c for c in header}
    found: dict[str, str] = {}
    guessed: set[str] = set()
    for role, aliases in ALIASES.items():
        column = next((by_norm[a] for a in aliases if a in by_norm and by_norm[a] not in found.values()), None)
        if column is None:  # 記事本文 holds 本文, 媒体名 holds 媒体: a guess, marked for the user to check
            column = next((c for a in sorted(aliases, key=len, reverse=True) if len(a) >= 2
                           for n, c in by_norm.items() if a in n and c not in found.values()), None)
            if column is not None:
                guessed.add(role)
        if column is not None:
            found[role] = column
    lines = [f"# columns of {table.name}: {', '.join(header) or '(none found)'}"]
    missing = [r for r in (*REQUIRED, "source") if r not in found]
    if missing:
        lines.append(f"# NOT recognised: {', '.join(missing)}; name the column for each below")
    lines.append("columns:")
    for role in (*REQUIRED, "source", "title"):
        if role in found:
            lines.append(f"  {role}: {found[role]}" + ("    # guessed from the name: check" if role in guessed else ""))
        else:
            lines.append(f"  # {role}: COLUMN")
    return "\n".join(lines)


def init_study(directory: str | Path, *, corpus: list[Path] | None = None, name: str | None = None,
               force: bool = False) -> Path:
    """Write ``directory/study.yaml`` (and targets.yaml); return the config's path."""
    directory = Path(directory).expanduser().resolve()
    config_path = directory / "study.yaml"
    if config_path.exists() and not force:
        raise InputError(f"{config_path} exists; edit it, or pass --force to write a fresh one")
    inputs = [Path(c).expanduser() for c in corpus] if corpus else []
    for path in inputs:
        if not path.exists():
            raise InputError(f"--corpus {path} does not exist; pass the files or folders of your editorials")
    directory.mkdir(parents=True, exist_ok=True)
    if not inputs:
        (directory / "editorials").mkdir(exist_ok=True)
        inputs = [directory / "editorials"]
    from analysis.io import write_text

    text = TEMPLATE.format(
        config=_shown(config_path),
        name=name or directory.name,
        inputs="\n".join(f"  - {_relative(p, directory)}" for p in inputs),
        columns=columns_block(_tables(inputs)),
        seed=config.SEED,
        min_n=config.MIN_N_INTERVAL,
    )
    write_text(text, config_path)
    targets = directory / "targets.yaml"
    if not targets.exists():
        shutil.copyfile(config.resource("targets.yaml"), targets)
    return config_path


def run(args: argparse.Namespace) -> int:
    path = init_study(args.directory, corpus=args.corpus, name=args.name, force=args.force)
    from analysis.study import load_study

    study = load_study(path)  # the file it wrote must load
    print(f"wrote {path} (study {study.name!r}, {len(study.inputs)} input(s)) and {path.parent / 'targets.yaml'}")
    print(f"next: check inputs and columns in it, then `analysis run --config {_shown(path)}`")
    return 0
