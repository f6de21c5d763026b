"""Provenance stamps: which inputs and parameters made each stage's outputs, checked before reading.

>>> import pathlib, tempfile, pandas as pd
>>> from analysis.io import write_csv
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_csv(pd.DataFrame({"a": [1]}), folder / "corpus.csv")
>>> write_csv(pd.DataFrame({"b": [2]}), folder / "tokens.csv")
>>> _ = write_stamp(folder, "tokenize", outputs=[folder / "tokens.csv"], inputs=[folder / "corpus.csv"])
>>> check_current(folder / "tokens.csv") is None
True
>>> write_csv(pd.DataFrame({"a": [3]}), folder / "corpus.csv")      # a new ingest ran since
>>> check_current(folder / "tokens.csv")                            # doctest: +ELLIPSIS
Traceback (most recent call last):
...
analysis.errors.InputError: .../tokens.csv was made by `analysis tokenize` from another corpus.csv ...

A stage writes ``<folder>/<stage>.stamp.json`` beside its outputs, after them: the stage's name,
its parameters, and the SHA-256 of every input file it read and every output file it wrote. A
reader of an output (``io.read_stage_output``, the figures, the notebooks' setup) calls
:func:`check_current`: it refuses, with the command to run, an output whose stamp says it was
made from inputs that have changed since (a newer corpus, other tokens) or that was itself
changed after the stage wrote it (a stage interrupted half-way, a file copied in by hand).
Outputs without a stamp (tables a user or a test wrote) are read as they are.

:func:`staged_dir` writes a whole folder aside and swaps it in only when the stage succeeded, so a
failed stage leaves the previous complete state, and a rerun leaves no file the new parameters no
longer produce (figures of a target dropped from the study).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from analysis.errors import InputError

STAMP_SUFFIX = ".stamp.json"

_HASHES: dict[tuple[str, int, int], str] = {}


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file, remembered per (path, size, mtime) within this process."""
    from analysis.io import sha256_file

    path = Path(path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _HASHES:
        _HASHES[key] = sha256_file(path)
    return _HASHES[key]


def relative_name(path: Path, folder: Path) -> str:
    """A path as the stamp records it: relative to the stamp's folder where possible."""
    try:
        return Path(os.path.relpath(Path(path).resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(path).resolve().as_posix()


def stamp_path(folder: str | Path, stage: str) -> Path:
    return Path(folder) / f"{stage}{STAMP_SUFFIX}"


def write_stamp(folder: str | Path, stage: str, *, outputs: Iterable[str | Path],
                inputs: Iterable[str | Path] = (), parameters: Mapping[str, Any] | None = None) -> Path:
    """Record what made ``outputs`` (call it after they are all written); returns the stamp's path."""
    from analysis.io import write_json

    folder = Path(folder)
    record = {
        "stage": stage,
        "parameters": dict(parameters or {}),
        "inputs": {relative_name(p, folder): file_hash(p) for p in sorted(map(Path, inputs)) if Path(p).is_file()},
        "outputs": {relative_name(p, folder): file_hash(p) for p in sorted(map(Path, outputs)) if Path(p).is_file()},
    }
    path = stamp_path(folder, stage)
    write_json(record, path)
    return path


def read_stamp(path: str | Path) -> dict[str, Any] | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stamp_for(output: str | Path) -> tuple[Path, dict[str, Any]] | None:
    """The stamp in ``output``'s folder that lists it among its outputs, or None."""
    output = Path(output)
    folder = output.parent
    if not folder.is_dir():
        return None
    for candidate in sorted(folder.glob(f"*{STAMP_SUFFIX}")):
        record = read_stamp(candidate)
        if record and relative_name(output, folder) in record.get("outputs", {}):
            return candidate, record
    return None


def check_current(output: str | Path, *, command: str | None = None) -> None:
    """Raise InputError if ``output`` no longer matches its stamp or the inputs it was made from."""
    output = Path(output)
    found = stamp_for(output)
    if found is None:
        return None
    _check_record(*found, output, command=command)
    return None


def _check_record(stamp: Path, record: dict[str, Any], output: Path, *, command: str | None = None) -> None:
    """The checks of :func:`check_current` for a stamp already found and read."""
    folder = stamp.parent
    stage = record.get("stage", stamp.name[: -len(STAMP_SUFFIX)])
    rerun = command or f"analysis {stage.split('/')[0]}"
    for name, digest in record.get("outputs", {}).items():
        path = (folder / name)
        if not path.is_file():
            raise InputError(f"{path} is missing but `{rerun}` wrote it with the other outputs of {stamp.name}; "
                             f"the stage did not finish: rerun `{rerun}` (or `analysis run`)")
        if file_hash(path) != digest:
            raise InputError(f"{path} changed after `{rerun}` wrote it (an interrupted stage or a file replaced "
                             f"by hand); rerun `{rerun}` (or `analysis run`)")
    for name, digest in record.get("inputs", {}).items():
        path = (folder / name)
        if not path.is_file():
            raise InputError(f"{output} was made by `{rerun}` from {path}, which is gone; "
                             f"rerun the stages from the one that writes it (`analysis run`)")
        if file_hash(path) != digest:
            raise InputError(f"{output} was made by `{rerun}` from another {path.name} than the one there now "
                             f"(an earlier stage ran since); rerun `{rerun}` (or `analysis run`) so the outputs "
                             "belong to one run")


def check_all(folder: str | Path) -> list[str]:
    """Problems of every stamped output under ``folder`` (recursively), as messages; empty if consistent."""
    problems = []
    for stamp in sorted(Path(folder).rglob(f"*{STAMP_SUFFIX}")):
        record = read_stamp(stamp) or {}
        outputs = sorted(record.get("outputs", {}))
        if not outputs:
            continue
        try:  # the stamp is already read: check it directly instead of searching its folder again
            _check_record(stamp, record, stamp.parent / outputs[0])
        except InputError as exc:
            problems.append(str(exc))
    return problems


@contextmanager
def staged_dir(final: str | Path) -> Iterator[Path]:
    """Yield an empty folder beside ``final``; on success it replaces ``final`` whole.

    On an exception the folder is deleted and ``final`` is untouched. The swap is two renames
    (old aside, new in place), then the old folder is deleted.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.new-", dir=final.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        old.rmdir()
        os.replace(final, old)
    os.replace(staging, final)
    os.chmod(final, 0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
