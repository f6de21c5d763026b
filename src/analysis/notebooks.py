"""``analysis notebooks``: execute the numbered notebooks into reports/notebooks (executed .ipynb + HTML).

    $ analysis notebooks                 # the demo study's tables (data/processed of the last `make run`)
    $ analysis notebooks --config studies/mine/study.yaml   # a study's tables, KWIC terms, rules, ...
    $ analysis notebooks --smoke         # quick check: fewer documents, bootstrap replicates and k values (CI)

>>> s = settings(smoke=True)
>>> s.n_boot < settings().n_boot, s.study.name
(True, 'demo')

The reviewed source of each notebook is a py:percent script ``notebooks/NN_name.py`` (paired with
``.ipynb`` through jupytext, see notebooks/jupytext.toml). Each is read with jupytext, its cell
tagged ``parameters`` is followed by an injected cell (tag ``injected-parameters``, papermill's
convention) holding this run's values, and it is executed with nbclient in a kernel running this
very interpreter. The executed copy and an HTML page land in ``--out``; the source is never
written back. Execution timing metadata is not recorded, so reruns give the same files. A failing
cell stops the run with a message naming the notebook and the cell, and a non-zero exit.

Every notebook's first code cell after its parameters is one call,
``s = setup(study=STUDY, processed=PROCESSED, ..., smoke=SMOKE)`` (:func:`setup`): it resolves the
study (:func:`settings`: the ``STUDY`` file; with neither ``STUDY`` nor ``PROCESSED`` the demo
study; with ``PROCESSED`` alone an ad-hoc study, as ``analysis run --corpus`` makes, with nothing
of the demo's), applies the house figure style and prints one line saying what the notebook reads. Later cells take everything from ``s``: paths,
the study's targets, events, KWIC terms, coding rules and ground truth, the k each topic model was
fitted with, and ``SMOKE`` turned into smaller work (``max_docs``, ``n_boot``, ``k_range``), so
each switch is wired the same way everywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from analysis import config
from analysis.errors import InputError

if TYPE_CHECKING:
    from analysis.study import Study

NOTEBOOK_PATTERN = "[0-9][0-9]_*.py"
#: Bootstrap replicates, documents and k values in smoke mode.
SMOKE_N_BOOT = 50
SMOKE_MAX_DOCS = 80
CELL_TIMEOUT = 600
#: Formats of the figures a notebook saves itself (:meth:`Settings.save`).
NOTEBOOK_FIGURE_FORMATS = ("png", "svg", "pdf")


class NotebookExecutionError(RuntimeError):
    """A notebook cell raised; the message names the notebook, the cell and the error; ``notebook``
    is the source's file name (notebooks run in order of it)."""

    def __init__(self, message: str, notebook: str = ""):
        super().__init__(message)
        self.notebook = notebook

    def __reduce__(self):  # raised in a worker process: keep ``notebook`` across pickling
        return (type(self), (str(self), self.notebook))


@dataclass(frozen=True)
class Settings:
    """Resolved notebook parameters and study; ``smoke`` shrinks the work, never the kind of work.

    ``targets``, ``events``, ``coding_rules`` and ``ground_truth`` are files or None (the study names
    none: the notebook skips what needs it, with a note); ``kwic`` the terms read in context.
    """

    study: "Study"
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
    events: Path | None = None
    kwic: tuple[str, ...] = field(default=())
    coding_rules: Path | None = None
    ground_truth: Path | None = None
    min_n_interval: int = config.MIN_N_INTERVAL

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
        """``path`` if it exists and is current (:func:`analysis.runstate.check_current`), else an
        InputError telling which stage writes it."""
        from analysis.runstate import check_current

        path = Path(path)
        if not path.exists():
            raise InputError(f"{path} not found; it is written by `analysis {stage}` "
                             f"(or `analysis run`); run that first or set PROCESSED to a run's folder")
        if path.is_file():
            check_current(path, command=f"analysis {stage}")
        return path

    def save(self, fig, stem: str) -> list[Path]:
        """Save a notebook figure into the figures folder (:data:`NOTEBOOK_FIGURE_FORMATS`: PNG at 300
        dpi, SVG and PDF, deterministic). Notebook-only figures (k selection, covariate effects,
        correspondence analysis, corrected stance) go into reports too, so they get every format;
        the vector copies are about a quarter of the notebooks' CPU time."""
        from analysis.figures.style import save_figure

        return save_figure(fig, self.figures / stem, formats=NOTEBOOK_FIGURE_FORMATS)

    def stage_figure(self, stem: str, *tables: str | Path, **parameters) -> Path | None:
        """The figures stage's ``<stem>.png`` in the figures folder, to show instead of drawing it again.

        None (the notebook draws its own) in smoke mode (a sample of the documents), when the file is
        absent, older than any of ``tables`` (the tables it is drawn from: a stage ran since), or when
        the parameters the first table was made with (its provenance stamp, or ``summary.json`` of a
        topic model) differ from ``parameters`` (e.g. ``period=s.period``).
        """
        png = self.figures / f"{stem}.png"
        if self.smoke or not png.is_file():
            return None
        drawn = png.stat().st_mtime
        if any(not Path(t).is_file() or Path(t).stat().st_mtime > drawn for t in tables):
            return None
        if parameters:
            recorded = _recorded_parameters(Path(tables[0])) if tables else {}
            if any(recorded.get(name) != value for name, value in parameters.items()):
                return None
        return png

    def show(self, png: str | Path) -> None:
        """Display a saved figure (its 300-dpi PNG) at the 100 dpi of the notebook's own figures.

        Scaled down (each pixel the mean of the 3 x 3 it replaces; deterministic) rather than embedded
        whole, so the executed notebook and its HTML page stay about the size they are with figures
        drawn inline.
        """
        import io

        from IPython.display import Image, display
        from PIL import Image as PILImage

        from analysis.figures.style import DPI

        with PILImage.open(png) as image:
            size = (max(1, round(image.width * 100 / DPI)), max(1, round(image.height * 100 / DPI)))
            small = image.resize(size, PILImage.BOX)
        buffer = io.BytesIO()
        small.save(buffer, format="png")
        display(Image(data=buffer.getvalue(), format="png"))

    def topic_methods(self) -> list[str]:
        """Topic methods with outputs under ``processed/topics/``, sorted (empty: no topics stage ran)."""
        from analysis.figures.report import topic_methods

        return topic_methods(self.processed)

    def k_for(self, method: str) -> int:
        """The k ``method`` was fitted with (``topics/<method>/summary.json``), else the study's k."""
        return _fitted_k(self.processed, method) or self.study.k_for(method)

    def load_events(self):
        """The study's dated events (DataFrame), or None when it names none (nothing is drawn)."""
        if self.events is None:
            return None
        from analysis.figures.tables import load_events

        return load_events(self.events)

    def target_names(self) -> list[str]:
        """Names of the study's stance targets, in file order (empty when it has none)."""
        if self.targets is None:
            return []
        from analysis.stance.targets import load_targets

        return list(load_targets(self.targets))

    def summary(self) -> str:
        """One line: study, tables read, and what SMOKE did (printed by :func:`setup`)."""
        where = self.study.path.as_posix() if self.study.path is not None else "no config file"
        return (f"study {self.study.name} ({where}); processed={self.processed} period={self.period} "
                f"seed={self.seed} smoke={self.smoke} n_boot={self.n_boot} max_docs={self.max_docs}")


def _recorded_parameters(table: Path) -> dict:
    """The parameters ``table`` was made with: its stamp's, with a topic model's ``summary.json`` over them."""
    from analysis.runstate import stamp_for

    found = stamp_for(table)
    recorded = dict(found[1].get("parameters", {})) if found else {}
    summary = table.parent / "summary.json"
    if summary.is_file():
        try:
            recorded.update(json.loads(summary.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass
    return recorded


def _fitted_k(processed: Path, method: str) -> int | None:
    summary = Path(processed) / "topics" / method / "summary.json"
    if not summary.is_file():
        return None
    try:
        k = json.loads(summary.read_text(encoding="utf-8")).get("k")
    except (OSError, ValueError):
        return None
    return int(k) if isinstance(k, (int, float)) and not isinstance(k, bool) else None


def resolve_study(study: str | Path | None = None, processed: str | Path | None = None) -> "Study":
    """The study a notebook reads: ``study`` if given; else the demo study when ``processed`` is None
    too (an interactive session on the checkout); else an ad-hoc study, as ``analysis run --corpus``
    makes: no ground truth, KWIC terms, coding rules, events or themes; the packaged targets."""
    from analysis.study import Study, demo_config, load_study

    if study is not None:
        return load_study(study)
    if processed is None:
        return load_study(demo_config())
    return Study(path=None, name="corpus", inputs=(), output=None, targets=config.resource("targets.yaml"))


def _optional_path(value: str | Path | None) -> Path | None:
    return Path(value).expanduser().resolve() if value not in (None, "") else None


def settings(
    *,
    processed: str | Path | None = None,
    corpus: str | Path | None = None,
    figures: str | Path | None = None,
    study: str | Path | None = None,
    targets: str | Path | None = None,
    period: str | None = None,
    seed: int | None = None,
    k: int | None = None,
    smoke: bool = False,
    kwic: Sequence[str] | str | None = None,
    coding_rules: str | Path | None = None,
    ground_truth: str | Path | None = None,
) -> Settings:
    """Resolve a notebook's parameters cell against its study; no side effects (see :func:`setup`).

    The study: ``study`` (a study.yaml) if given; with neither ``study`` nor ``processed``, the
    bundled demo study (a plain session on this checkout reads the demo's tables); with ``processed``
    but no ``study``, an ad-hoc study like ``analysis run --corpus``'s (no ground truth, KWIC terms,
    coding rules or events; the packaged targets). Every other argument left None takes the study's
    value: ``processed``/``figures`` its output folders, ``targets``, ``period``, ``seed``, ``kwic``,
    ``coding_rules``, ``ground_truth``; ``corpus`` is ``processed/corpus.parquet``. ``k`` (the
    centre of the k range explored in smoke/full mode) defaults to the k NMF was fitted with in
    ``processed`` (its summary.json), else the study's.
    """
    the_study = resolve_study(study, processed)
    paths = the_study.paths()
    processed = Path(processed).expanduser().resolve() if processed is not None else paths.processed
    period = the_study.period if period is None else str(period)
    if period.lower() == "auto":
        period = "auto"
    elif period.upper() in config.PERIOD_CHOICES:
        period = period.upper()
    else:
        raise InputError(f"PERIOD={period!r} not supported; use 'auto', 'M', 'Q' or 'Y' (or None: the study's)")
    if k is None:
        k = _fitted_k(processed, "nmf") or the_study.k_for("nmf")
    if k < 2:
        raise InputError(f"K={k} too small; use at least 2 topics")
    k_range = (max(2, k - 2), k) if smoke else tuple(range(max(2, k - 4), k + 5, 2))
    if isinstance(kwic, str):
        kwic = (kwic,)
    return Settings(
        study=the_study,
        processed=processed,
        corpus=Path(corpus).expanduser().resolve() if corpus is not None else processed / "corpus.parquet",
        figures=Path(figures).expanduser().resolve() if figures is not None else paths.figures,
        targets=_optional_path(targets) or the_study.targets,
        period=period, seed=int(the_study.seed if seed is None else seed), k=int(k), smoke=bool(smoke),
        n_boot=SMOKE_N_BOOT if smoke else config.N_BOOT,
        max_docs=SMOKE_MAX_DOCS if smoke else None,
        k_range=k_range,
        events=the_study.events,
        kwic=tuple(str(t) for t in kwic if str(t).strip()) if kwic is not None else tuple(the_study.kwic),
        coding_rules=_optional_path(coding_rules) or the_study.coding_rules,
        ground_truth=_optional_path(ground_truth) or the_study.ground_truth,
        min_n_interval=the_study.min_n_interval,
    )


def setup(
    *,
    processed: str | Path | None = None,
    corpus: str | Path | None = None,
    figures: str | Path | None = None,
    study: str | Path | None = None,
    targets: str | Path | None = None,
    period: str | None = None,
    seed: int | None = None,
    k: int | None = None,
    smoke: bool = False,
    kwic: Sequence[str] | str | None = None,
    coding_rules: str | Path | None = None,
    ground_truth: str | Path | None = None,
) -> Settings:
    """The setup cell of every notebook: :func:`settings` (same arguments), then the house figure
    style (:func:`analysis.figures.style.use_style`) and one printed line (:meth:`Settings.summary`).

    ``study=None`` with ``processed=None`` reads the demo study (a session on this checkout);
    ``study=None`` with ``processed`` set is an ad-hoc run's folder: nothing demo-specific applies.
    """
    from analysis.figures.style import use_style

    s = settings(processed=processed, corpus=corpus, figures=figures, study=study, targets=targets, period=period,
                 seed=seed, k=k, smoke=smoke, kwic=kwic, coding_rules=coding_rules, ground_truth=ground_truth)
    use_style()
    print(s.summary())
    return s


def notebook_sources(notebooks_dir: str | Path | None = None) -> list[Path]:
    """Every ``NN_name.py`` notebook source in ``notebooks_dir``, in reading (name) order."""
    folder = Path(notebooks_dir) if notebooks_dir is not None else config.paths().notebooks
    return sorted(folder.glob(NOTEBOOK_PATTERN))


def shows_stage_figures(source: str | Path) -> bool:
    """True if the notebook shows figures the figures stage drew (its source calls ``stage_figure``):
    ``analysis run`` starts it only once that stage has finished; the others start beside it."""
    return "stage_figure(" in Path(source).read_text(encoding="utf-8")


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
    # only the names this notebook's parameters cell declares (papermill's rule): a run-wide value
    # such as TARGETS reaches the notebooks that take it and adds nothing to the others
    declared = set(re.findall(r"^([A-Z][A-Z0-9_]*)\s*=", nb.cells[index].source, flags=re.M))
    parameters = {k: v for k, v in parameters.items() if k in declared}
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


#: How often a kernel that dies before it replies is started again (a port race between kernels
#: started at the same moment), before the error is raised.
KERNEL_START_ATTEMPTS = 3


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
    out_ipynb = out_dir / f"{source.stem}.ipynb"
    failure = None
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        # log_level=ERROR: ipykernel 7 otherwise warns on every start that its loopback TCP is unencrypted.
        client = NotebookClient(nb, kernel_name=kernel_name, timeout=timeout, record_timing=False,
                                allow_errors=False, resources={"metadata": {"path": str(source.parent)}},
                                extra_arguments=["--IPKernelApp.log_level=ERROR"])
        try:
            client.execute(env=kernel_environment())
        except CellExecutionError as exc:
            failure = exc
        except RuntimeError as exc:
            # the kernel could not start (seen once in CI: another process took one of the ports
            # jupyter_client had picked for it, "Address already in use"); no cell has run, so
            # starting it again is safe
            if "Kernel died before replying" not in str(exc):
                raise
            if attempt == KERNEL_START_ATTEMPTS:
                raise NotebookExecutionError(
                    f"notebook {source.name}: its kernel ({kernel_name}) died before replying, "
                    f"{KERNEL_START_ATTEMPTS} times; run it again, and if it keeps failing check the "
                    "kernel with `jupyter kernelspec list` (make setup installs it)",
                    notebook=source.name) from None
            continue
        break
    merge_adjacent_streams(nb)
    _write_notebook(nb, out_ipynb)
    written = [out_ipynb]
    if failure is not None:
        cell_no, first_line = _failed_cell(nb)
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(failure)).strip()  # no terminal colour codes
        summary = text.splitlines()[-1] if text else type(failure).__name__
        raise NotebookExecutionError(
            f"notebook {source.name} failed in code cell {cell_no} ({first_line!r}): {summary}; "
            f"the partly executed copy is {out_ipynb}", notebook=source.name)
    if html:
        written.append(_write_html(nb, out_dir / f"{source.stem}.html"))
    return written


def merge_adjacent_streams(nb):
    """Join each run of consecutive stream outputs of one name (stdout, stderr) in a cell into one.

    The kernel sends what a cell prints in pieces cut by a flush timer, so where the cuts fall
    depends on timing (a busy machine may cut a line from its newline); joined, the executed
    notebook is the same on every run, and shows the same text.
    """
    for cell in nb.cells:
        outputs = cell.get("outputs")
        if not outputs:
            continue
        merged = []
        for output in outputs:
            last = merged[-1] if merged else None
            if (output.get("output_type") == "stream" and last is not None and last.get("output_type") == "stream"
                    and last.get("name") == output.get("name")):
                last["text"] = "".join(last["text"]) + "".join(output["text"])
            else:
                merged.append(output)
        cell["outputs"] = merged
    return nb


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


def _execute_timed(source: Path, out_dir: Path, values: Mapping[str, Any], kernel_name: str,
                   html: bool) -> tuple[list[Path], float]:
    """One notebook in a worker process: its written files and its wall time."""
    import time

    start = time.perf_counter()
    return execute_notebook(source, out_dir, parameters=values, kernel_name=kernel_name, html=html), \
        time.perf_counter() - start


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
    jobs: int = 0,
    report=None,
) -> list[Path]:
    """Execute every ``NN_*.py`` notebook; return the executed notebooks and HTML pages (in order).

    ``parameters`` (e.g. ``{"PROCESSED": "data/processed", "SEED": 1}``) are injected into every
    notebook that declares them; ``smoke`` sets ``SMOKE = True``. ``only`` restricts to notebooks
    whose stem starts with one of the given prefixes (e.g. ``["01", "05_stance"]``). The notebooks
    are independent (each reads the run's tables and writes its own files), so ``jobs`` of them run
    at once, each in its own kernel (0: as many as there are cores, at most 4; 1: one after the
    other; the longest sources start first); every file is the same whatever the order. The first
    failing notebook in source order raises :class:`NotebookExecutionError` after the others have finished.
    ``report`` receives the progress lines (``verbose``; None: printed).
    """
    if report is None:
        def report(line: str) -> None:
            print(line, flush=True)
    sources = notebook_sources(notebooks_dir)
    if only:
        sources = [s for s in sources if any(s.stem.startswith(prefix) for prefix in only)]
    if not sources:
        raise InputError(f"no notebooks matching {NOTEBOOK_PATTERN} in {notebooks_dir or config.paths().notebooks}")
    out_dir = Path(out_dir) if out_dir is not None else config.paths().executed_notebooks
    values = dict(parameters or {})
    if smoke:
        values["SMOKE"] = True
    workers = max(1, min(jobs or min(os.cpu_count() or 1, 4), len(sources)))
    results: dict[Path, list[Path] | BaseException] = {}
    if workers == 1:
        for source in sources:
            try:
                results[source], seconds = _execute_timed(source, out_dir, values, kernel_name, html)
            except NotebookExecutionError as exc:
                results[source] = exc
                break
            if verbose:
                report(f"   notebook {source.name}: {seconds:.1f} s")
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # spawn: the parent may hold threads (BLAS, torch) that a fork would copy half-way
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            # the longest sources (the most work, as a rule) start first, so that no long notebook is
            # left to run alone at the end while the other cores idle
            futures = {pool.submit(_execute_timed, source, out_dir, values, kernel_name, html): source
                       for source in sorted(sources, key=lambda path: (-path.stat().st_size, path.name))}
            for future in as_completed(futures):
                source = futures[future]
                try:
                    results[source], seconds = future.result()
                except NotebookExecutionError as exc:
                    results[source] = exc
                    continue
                if verbose:
                    report(f"   notebook {source.name}: {seconds:.1f} s ({workers} at a time)")
    written: list[Path] = []
    for source in sources:
        outcome = results.get(source)
        if isinstance(outcome, BaseException):
            raise outcome
        written += outcome or []
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    paths = config.paths()
    parser.add_argument("--smoke", action="store_true",
                        help="smoke mode: fewer documents, bootstrap replicates and k values")
    parser.add_argument("--jobs", type=int, default=0,
                        help="notebooks executed at once, each in its own kernel (0: one per core, at most 4)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for executed notebooks and HTML (default: the study's reports/notebooks, "
                             f"{paths.executed_notebooks} for the demo)")
    parser.add_argument("--notebooks", type=Path, default=paths.notebooks,
                        help=f"folder of NN_name.py notebook sources (default: {paths.notebooks})")
    parser.add_argument("--config", type=Path, default=None, metavar="STUDY.yaml",
                        help="study config: its processed tables, targets, events, KWIC terms, coding rules and "
                             "ground truth (default: the demo study, or with --processed alone an ad-hoc run "
                             "without any of the demo's)")
    parser.add_argument("--processed", type=Path, default=None,
                        help="processed tables the notebooks read (default: the study's, data/processed for the demo)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus.parquet the notebooks read (default: PROCESSED/corpus.parquet)")
    parser.add_argument("--figures", type=Path, default=None,
                        help="folder for the notebooks' figures (default: the study's reports/figures)")
    parser.add_argument("--seed", type=int, default=None, help="seed injected as SEED")
    parser.add_argument("--only", nargs="+", default=None, metavar="PREFIX",
                        help="run only notebooks whose name starts with one of these (e.g. 01 05)")
    parser.add_argument("--kernel", default="python3",
                        help="kernel name (default python3: the interpreter running this command)")


def run(args: argparse.Namespace) -> int:
    parameters: dict[str, Any] = {}
    for name, value in (("STUDY", args.config), ("PROCESSED", args.processed), ("CORPUS", args.corpus),
                        ("FIGURES", args.figures), ("SEED", args.seed)):
        if value is not None:
            parameters[name] = value.resolve() if isinstance(value, Path) else value
    out = args.out
    if out is None:
        from analysis.study import load_study

        out = load_study(args.config).paths().executed_notebooks if args.config else config.paths().executed_notebooks
    try:
        written = run_notebooks(args.notebooks, out, smoke=args.smoke, parameters=parameters,
                                only=args.only, kernel_name=args.kernel, jobs=args.jobs)
    except NotebookExecutionError as exc:
        print(f"error: {exc}", flush=True)
        return 1
    print(f"wrote {len(written)} files to {out}")
    return 0
