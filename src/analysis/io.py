"""Atomic, deterministic writers for every table, figure and manifest the suite produces.

>>> import pandas as pd, tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> write_csv(pd.DataFrame({"語": ["規制"]}), out)
>>> out.read_text(encoding="utf-8")
'語\\n規制\\n'

A write goes to a temporary file in the target folder and is moved into place with
``os.replace``, so a reader never sees half a file and an interrupted run leaves the previous
output intact. The same frame always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(data: bytes, path: str | Path) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(text: str, path: str | Path) -> None:
    write_bytes(text.encode("utf-8"), path)


def write_json(obj: Any, path: str | Path) -> None:
    """Pretty, key-sorted UTF-8 JSON (Japanese kept readable)."""
    write_text(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n", path)


def write_csv(frame, path: str | Path) -> None:
    """CSV in UTF-8 with LF line ends and no index."""
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    write_text(buf.getvalue(), path)


def write_parquet(frame, path: str | Path) -> None:
    """Parquet without the index; byte-identical for identical frames.

    ``DataFrame.attrs`` (run statistics such as how many documents came from a cache) are not
    written: pandas would store them in the file's metadata, and a cached rerun would then give
    different bytes for the same table.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = frame.copy(deep=False)
    frame.attrs = {}
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def read_yaml(path: str | Path, what: str, hint: str) -> Any:
    """Parse a user-editable YAML file; missing or malformed files raise an actionable InputError.

    ``what`` names the file's role in messages ("targets file"), ``hint`` says what to pass
    instead when it does not exist ("pass --targets with a YAML file mapping ...").
    """
    import yaml

    from analysis.errors import InputError

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{what} {path} not found; {hint}")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{what} {path} is not valid YAML ({exc}); fix the syntax") from None


def read_stage_output(path: str | Path, stage: str, columns: Sequence[str] = (), *,
                      only_columns: bool = False):
    """A table written by ``analysis STAGE``, or an InputError saying what to run.

    Missing, unreadable, lacking one of ``columns``, or made from inputs that changed since
    (:func:`analysis.runstate.check_current`): the message names the file and the command that
    writes it. ``only_columns`` reads just ``columns`` (cheaper for wide tables).
    """
    import pandas as pd
    import pyarrow.parquet as pq

    from analysis.errors import InputError

    from analysis.runstate import check_current

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} not found; run `analysis {stage}` first (or point to a run's output)")
    check_current(path, command=f"analysis {stage}")
    try:
        available = set(pq.read_schema(path).names)
    except Exception as exc:  # pyarrow raises several types for a file that is not parquet
        raise InputError(f"{path} is not a readable parquet file ({exc}); rerun `analysis {stage}`") from None
    missing = [c for c in columns if c not in available]
    if missing:
        raise InputError(f"{path} lacks column(s) {missing}; rerun `analysis {stage}`")
    return pd.read_parquet(path, columns=list(columns) if only_columns else None)


def read_parquet(path: str | Path):
    import pandas as pd

    return pd.read_parquet(path)


def read_parquet_row_groups(path: str | Path, columns: Sequence[str] | None = None, *, as_arrow: bool = False):
    """The table at ``path`` one Parquet row group at a time (pandas frames, or Arrow tables with
    ``as_arrow``), so a stage can stream a big table (``tokens.parquet`` is written in row groups
    of ``tokenize.corpus.ROW_GROUP_DOCS`` documents) with memory flat in its size."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as handle:
        for index in range(handle.num_row_groups):
            table = handle.read_row_group(index, columns=list(columns) if columns else None)
            yield table if as_arrow else table.to_pandas()


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
