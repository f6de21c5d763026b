"""``analysis notebooks``: execute the numbered notebooks into reports/notebooks (executed .ipynb + HTML).

    $ analysis notebooks                 # full run on the processed tables of the last `analysis run`
    $ analysis notebooks --smoke         # fewer documents, bootstrap replicates and k values (CI)

>>> s = settings(smoke=True)
>>> s.n_boot < settings().n_boot
True

The reviewed source of each notebook is a py:percent script ``notebooks/NN_name.py`` (paired with
``.ipynb`` through jupytext, see notebooks/jupytext.toml). Each is read with jupytext, its cell
tagged ``parameters`` is followed by an injected cell (tag ``injected-parameters``, papermill's
convention) holding this run's values, and it is executed with nbclient in a kernel running this
very interpreter. The executed copy and an HTML page land in ``--out``; the source is never
written back. Execution timing metadata is not recorded, so reruns give the same files. A failing
cell stops the run with a message naming the notebook and the cell, and a non-zero exit.

Notebooks call :func:`settings` with their parameters: it resolves paths and turns ``SMOKE`` into
smaller work (``max_docs``, ``n_boot``, ``k_range``) so the switch is wired the same way everywhere.
"""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from analysis import config
from analysis.errors import InputError

NOTEBOOK_PATTERN = "[0-9][0-9]_*.py"
#: Bootstrap replicates, documents and k values in smoke mode.
SMOKE_N_BOOT = 50
SMOKE_MAX_DOCS = 80
CELL_TIMEOUT = 600


class NotebookExecutionError(RuntimeError):
    """A notebook cell raised; the message names the notebook, the cell and the error."""


@dataclass(frozen=True)
class Settings:
    """Resolved notebook parameters; ``smoke`` shrinks the work, never the kind of work."""

    processed: Path
    corpus: Path
    figures: Path
    targets: Path | None
    period: str
    seed: int
    k: int
    smoke: bool
    n_boot: int
    max_docs: int | None
    k_range: tuple[int, ...] = field(default=())

    def sample(self, frame, *, by: str = "doc_id"):
        """All rows, or in smoke mode a seeded sample of ``max_docs`` distinct ``by`` values (row order kept)."""
        if self.max_docs is None:
            return frame
        keys = sorted(frame[by].unique())
        if len(keys) <= self.max_docs:
            return frame
        import numpy as np

        rng = np.random.default_rng(self.seed)
        keep = set(rng.choice(np.array(keys, dtype=object), size=self.max_docs, replace=False))
        return frame[frame[by].isin(keep)]

    def require(self, path: str | Path, stage: str) -> Path:
        """``path`` if it exists, else an InputError telling which stage writes it."""
        path = Path(path)
        if not path.exists():
            raise InputError(f"{path} not found; it is written by `analysis {stage}` "
                             f"(or `analysis run`); run that first or set PROCESSED to a run's folder")
        return path

    def save(self, fig, stem: str) -> list[Path]:
        """Save a notebook figure into the figures folder (PNG/SVG/PDF, deterministic)."""
        from analysis.figures.style import save_figure

        return save_figure(fig, self.figures / stem)


def settings(
    *,
    processed: str | Path | None = None,
    corpus: str | Path | None = None,
    figures: str | Path | None = None,
    targets: str | Path | None = None,
    period: str = config.PERIOD,
    seed: int = config.SEED,
    k: int = 10,
    smoke: bool = False,
) -> Settings:
    """Resolve a notebook's parameters cell (None means the project's default for that path)."""
    paths = config.paths()
    processed = Path(processed) if processed is not None else paths.processed
    if period.lower() not in config.PERIOD_CHOICES and period.upper() not in config.PERIOD_CHOICES:
        raise InputError(f"PERIOD={period!r} not supported; use 'auto', 'M', 'Q' or 'Y'")
    if k < 2:
        raise InputError(f"K={k} too small; use at least 2 topics")
    k_range = (max(2, k - 2), k) if smoke else tuple(range(max(2, k - 4), k + 5, 2))
    return Settings(
        processed=processed,
        corpus=Path(corpus) if corpus is not None else processed / "corpus.parquet",
        figures=Path(figures) if figures is not None else paths.figures,
        targets=Path(targets) if targets is not None else None,
        period=period.upper(), seed=int(seed), k=int(k), smoke=bool(smoke),
        n_boot=SMOKE_N_BOOT if smoke else config.N_BOOT,
        max_docs=SMOKE_MAX_DOCS if smoke else None,
        k_range=k_range,
    )


def match_ground_truth(corpus, truth):
    """Join ground-truth rows (``file`` relative to the demo folder) to corpus rows by their ``path``.

    Matches on the longest common trailing path (``pages/白樺新聞/2019-01_01.txt``), so pages of the
    same name under different newspapers' folders stay apart. Returns the truth columns with the
    corpus's ``doc_id`` (inner join; the truth's ``source`` is dropped in favour of the corpus's).
    """
    import pandas as pd

    def key_parts(path) -> tuple[str, ...]:
        return tuple(part for part in str(path).replace("\\", "/").split("/") if part not in ("", "."))

    lookup: dict[tuple[str, ...], int] = {}
    ambiguous: set[tuple[str, ...]] = set()
    for i, file in enumerate(truth["file"]):
        parts = key_parts(file)
        for n in range(1, len(parts) + 1):
            key = parts[-n:]
            if key in lookup and lookup[key] != i:
                ambiguous.add(key)
            lookup.setdefault(key, i)
    rows = []
    for doc_id, path in zip(corpus["doc_id"], corpus["path"]):
        parts = key_parts(path)
        for n in range(len(parts), 0, -1):
            key = parts[-n:]
            if key in lookup and key not in ambiguous:
                rows.append((doc_id, lookup[key]))
                break
    index = pd.DataFrame(rows, columns=["doc_id", "_row"])
    columns = truth.drop(columns=["source"], errors="ignore").reset_index(drop=True)
    return index.merge(columns, left_on="_row", right_index=True).drop(columns="_row").reset_index(drop=True)


def notebook_sources(notebooks_dir: str | Path | None = None) -> list[Path]:
    """Every ``NN_name.py`` notebook source in ``notebooks_dir``, in reading (name) order."""
    folder = Path(notebooks_dir) if notebooks_dir is not None else config.paths().notebooks
    return sorted(folder.glob(NOTEBOOK_PATTERN))


def _parameters_cell_index(nb) -> int:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return i
    raise InputError("no code cell tagged 'parameters'; tag the first code cell with "
                     "`# %% tags=[\"parameters\"]` in the notebook source")


def inject_parameters(nb, parameters: Mapping[str, Any]):
    """Insert a cell tagged ``injected-parameters`` after the ``parameters`` cell (papermill's convention)."""
    import nbformat

    index = _parameters_cell_index(nb)
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    if parameters:
        lines = ["# Parameters injected by `analysis notebooks`"]
        lines += [f"{name} = {value!r}" for name, value in sorted(parameters.items())]
        cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})
        cell.id = "injected-parameters"
        nb.cells.insert(index + 1, cell)
    return nb


def _stable_ids(nb, stem: str) -> None:
    """Cell ids derived from position, so reruns and re-reads give identical files."""
    for i, cell in enumerate(nb.cells):
        if cell.get("id") != "injected-parameters":
            cell["id"] = f"{re.sub(r'[^A-Za-z0-9-]', '-', stem)[:40]}-{i:03d}"


def _paths_as_str(parameters: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in parameters.items()}


def execute_notebook(
    source: str | Path,
    out_dir: str | Path,
    *,
    parameters: Mapping[str, Any] | None = None,
    kernel_name: str = "python3",
    timeout: int = CELL_TIMEOUT,
    html: bool = True,
) -> list[Path]:
    """Execute one notebook source into ``out_dir`` (``<stem>.ipynb`` and ``<stem>.html``).

    Raises :class:`NotebookExecutionError` naming the notebook and the failing cell; the partly
    executed notebook is still written so the error can be read in context.
    """
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    source, out_dir = Path(source), Path(out_dir)
    nb = jupytext.read(source)
    inject_parameters(nb, _paths_as_str(parameters or {}))
    _stable_ids(nb, source.stem)
    nb.metadata.pop("jupytext", None)
    # log_level=ERROR: ipykernel 7 otherwise warns on every start that its loopback TCP is unencrypted.
    client = NotebookClient(nb, kernel_name=kernel_name, timeout=timeout, record_timing=False,
                            allow_errors=False, resources={"metadata": {"path": str(source.parent)}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    out_ipynb = out_dir / f"{source.stem}.ipynb"
    failure = None
    try:
        client.execute(env=kernel_environment())
    except CellExecutionError as exc:
        failure = exc
    _write_notebook(nb, out_ipynb)
    written = [out_ipynb]
    if failure is not None:
        cell_no, first_line = _failed_cell(nb)
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(failure)).strip()  # no terminal colour codes
        summary = text.splitlines()[-1] if text else type(failure).__name__
        raise NotebookExecutionError(
            f"notebook {source.name} failed in code cell {cell_no} ({first_line!r}): {summary}; "
            f"the partly executed copy is {out_ipynb}")
    if html:
        written.append(_write_html(nb, out_dir / f"{source.stem}.html"))
    return written


def kernel_environment() -> dict[str, str]:
    """This process's environment for the kernel, with inline figures and a fixed hash seed.

    ``make`` exports ``MPLBACKEND=Agg`` for the CLI; the kernel needs the inline backend so figures
    appear in the executed notebook and its HTML page.
    """
    env = dict(os.environ)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env.setdefault("PYTHONHASHSEED", "0")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    return env


def _failed_cell(nb) -> tuple[int, str]:
    code_no = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        code_no += 1  # counted as in the source: the injected cell is not there
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            lines = [line for line in cell.source.splitlines() if line.strip()]
            return code_no, (lines[0][:60] if lines else "")
    return -1, ""


def _write_notebook(nb, path: Path) -> Path:
    import nbformat

    from analysis.io import write_text

    write_text(nbformat.writes(nb) + "\n", path)
    return path


def _write_html(nb, path: Path) -> Path:
    from nbconvert import HTMLExporter

    from analysis.io import write_text

    body, _ = HTMLExporter().from_notebook_node(nb)
    write_text(body, path)
    return path


def run_notebooks(
    notebooks_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    *,
    smoke: bool = False,
    parameters: Mapping[str, Any] | None = None,
    only: Sequence[str] | None = None,
    kernel_name: str = "python3",
    html: bool = True,
    verbose: bool = True,
) -> list[Path]:
    """Execute every ``NN_*.py`` notebook in order; return the executed notebooks and HTML pages.

    ``parameters`` (e.g. ``{"PROCESSED": "data/processed", "SEED": 1}``) are injected into every
    notebook; ``smoke`` sets ``SMOKE = True``. ``only`` restricts to notebooks whose stem starts
    with one of the given prefixes (e.g. ``["01", "05_stance"]``).
    """
    import time

    sources = notebook_sources(notebooks_dir)
    if only:
        sources = [s for s in sources if any(s.stem.startswith(prefix) for prefix in only)]
    if not sources:
        raise InputError(f"no notebooks matching {NOTEBOOK_PATTERN} in {notebooks_dir or config.paths().notebooks}")
    out_dir = Path(out_dir) if out_dir is not None else config.paths().executed_notebooks
    values = dict(parameters or {})
    if smoke:
        values["SMOKE"] = True
    written: list[Path] = []
    for source in sources:
        start = time.perf_counter()
        written += execute_notebook(source, out_dir, parameters=values, kernel_name=kernel_name, html=html)
        if verbose:
            print(f"   notebook {source.name}: {time.perf_counter() - start:.1f} s", flush=True)
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    paths = config.paths()
    parser.add_argument("--smoke", action="store_true",
                        help="smoke mode: fewer documents, bootstrap replicates and k values")
    parser.add_argument("--out", type=Path, default=paths.executed_notebooks,
                        help=f"folder for executed notebooks and HTML (default: {paths.executed_notebooks})")
    parser.add_argument("--notebooks", type=Path, default=paths.notebooks,
                        help=f"folder of NN_name.py notebook sources (default: {paths.notebooks})")
    parser.add_argument("--processed", type=Path, default=None,
                        help="processed tables the notebooks read (default: data/processed)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus.parquet the notebooks read (default: PROCESSED/corpus.parquet)")
    parser.add_argument("--figures", type=Path, default=None,
                        help="folder for the notebooks' figures (default: reports/figures)")
    parser.add_argument("--seed", type=int, default=None, help="seed injected as SEED")
    parser.add_argument("--only", nargs="+", default=None, metavar="PREFIX",
                        help="run only notebooks whose name starts with one of these (e.g. 01 05)")
    parser.add_argument("--kernel", default="python3",
                        help="kernel name (default python3: the interpreter running this command)")


def run(args: argparse.Namespace) -> int:
    parameters: dict[str, Any] = {}
    for name, value in (("PROCESSED", args.processed), ("CORPUS", args.corpus), ("FIGURES", args.figures),
                        ("SEED", args.seed)):
        if value is not None:
            parameters[name] = value.resolve() if isinstance(value, Path) else value
    try:
        written = run_notebooks(args.notebooks, args.out, smoke=args.smoke, parameters=parameters,
                                only=args.only, kernel_name=args.kernel)
    except NotebookExecutionError as exc:
        print(f"error: {exc}", flush=True)
        return 1
    print(f"wrote {len(written)} files to {args.out}")
    return 0
