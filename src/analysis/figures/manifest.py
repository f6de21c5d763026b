"""The run manifest: what produced the figures and tables, with a hash of each (no timestamps).

>>> import pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> m = write_manifest(root / "manifest.json", processed_dir=root / "p", figures_dir=root / "f",
...                    parameters={"k": 8}, seeds={"seed": 1})
>>> sorted(m)
['corpus', 'figures', 'git_commit', 'notebooks', 'packages', 'parameters', 'seeds', 'tables']

Two runs on the same inputs with the same code write the same bytes: paths are relative to the
manifest's folder's parent (the project root for ``reports/manifest.json``), keys are sorted, and
the corpus is identified by a hash of its content (doc_ids and texts), not by file times.
"""

from __future__ import annotations

import hashlib
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

from analysis.io import sha256_file, write_json

#: Distributions whose versions the manifest records.
PACKAGES = ("analysis", "janome", "scikit-learn", "bertopic", "matplotlib", "pandas", "numpy")
#: File suffixes counted as tables under the processed folder.
TABLE_SUFFIXES = (".parquet", ".csv", ".json", ".jsonl")
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def package_versions(names=PACKAGES) -> dict[str, str]:
    """Installed version of each distribution, or "not installed" (read from metadata; nothing imported)."""
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit(root: str | Path) -> str:
    """HEAD commit of the checkout at ``root`` (suffix "+dirty" if tracked files changed), or "unknown"."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}+dirty" if dirty else (head or "unknown")


def corpus_content_hash(corpus_path: str | Path) -> dict[str, Any]:
    """sha256 over the corpus's (doc_id, text) pairs in doc_id order, and the number of documents."""
    import pandas as pd

    corpus = pd.read_parquet(corpus_path, columns=["doc_id", "text"]).sort_values("doc_id", kind="stable")
    digest = hashlib.sha256()
    for doc_id, text in zip(corpus["doc_id"], corpus["text"]):
        digest.update(str(doc_id).encode("utf-8") + b"\x00" + str(text).encode("utf-8") + b"\x00")
    return {"content_sha256": digest.hexdigest(), "n_documents": int(len(corpus))}


def _hashes(folder: Path, suffixes: tuple[str, ...], base: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    return {_relative(p, base): sha256_file(p) for p in files}


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def build_manifest(
    *,
    processed_dir: str | Path,
    figures_dir: str | Path,
    notebooks_dir: str | Path | None = None,
    parameters: Mapping[str, Any] | None = None,
    seeds: Mapping[str, Any] | None = None,
    root: str | Path | None = None,
) -> dict[str, Any]:
    """The manifest as a dict (see :func:`write_manifest`); paths relative to ``root``."""
    processed_dir, figures_dir = Path(processed_dir), Path(figures_dir)
    base = Path(root) if root is not None else figures_dir.parent.parent
    corpus_path = processed_dir / "corpus.parquet"
    corpus = {"path": _relative(corpus_path, base)}
    if corpus_path.is_file():
        corpus.update(corpus_content_hash(corpus_path))
    notebooks = (_hashes(Path(notebooks_dir), (".ipynb", ".html"), base) if notebooks_dir is not None else {})
    return {
        "git_commit": git_commit(base),
        "packages": package_versions(),
        "parameters": dict(parameters or {}),
        "seeds": dict(seeds or {}),
        "corpus": corpus,
        "tables": _hashes(processed_dir, TABLE_SUFFIXES, base),
        "figures": _hashes(figures_dir, FIGURE_SUFFIXES, base),
        "notebooks": notebooks,
    }


def write_manifest(
    path: str | Path,
    *,
    processed_dir: str | Path,
    figures_dir: str | Path,
    notebooks_dir: str | Path | None = None,
    parameters: Mapping[str, Any] | None = None,
    seeds: Mapping[str, Any] | None = None,
    root: str | Path | None = None,
) -> dict[str, Any]:
    """Write ``path`` (e.g. reports/manifest.json) and return its content.

    Records: git commit (or "unknown"), package versions, parameters and seeds as given, the
    corpus content hash (doc_ids + texts), and the sha256 of every table under ``processed_dir``
    (.parquet/.csv/.json), every figure under ``figures_dir`` (.png/.svg/.pdf) and, when
    ``notebooks_dir`` is given, every executed notebook and HTML page. Paths are relative to
    ``root`` (default: the manifest's folder's parent, i.e. the project root for reports/).
    """
    path = Path(path)
    manifest = build_manifest(processed_dir=processed_dir, figures_dir=figures_dir, notebooks_dir=notebooks_dir,
                              parameters=parameters, seeds=seeds,
                              root=root if root is not None else path.resolve().parent.parent)
    write_json(manifest, path)
    return manifest
