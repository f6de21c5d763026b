"""``analysis run``: every stage, in order, for one study.

    $ analysis run                                        # the bundled demo study (data/raw/demo/study.yaml)
    $ analysis run --config studies/mine/study.yaml       # a study written by `analysis init`
    $ analysis run --corpus path/to/editorials --jobs 2   # a corpus with default settings

Each stage is called through its own module's function with explicit paths, exactly as the stage's
own subcommand would call it; this module only chains them. Outputs land in the study's output
folder (``processed/`` and ``reports/``), or, for the demo and ``--corpus`` runs, under
data/processed and reports/ of the project root (or ``--root``).

On a machine with two or more cores (and ``--jobs`` other than 1), stages that read none of each
other's outputs run side by side: the topic models in a second process beside stance, then, in that
same process (BERTopic already imported), the interactive views and the exports beside the figures
and the notebooks; the notebooks that show none of the figures stage's figures (those that do call
``stage_figure``) run beside the figures stage, the others once it has finished. Each stage writes
only its own files from the same inputs and seeds, so the outputs are byte for byte those of the
stages run in turn; a stage's printed lines appear as one block.

A run leaves one consistent state: every stage output carries a provenance stamp
(:mod:`analysis.runstate`), folders (topics per method, figures, notebooks) are written aside and
swapped in whole, outputs of topic methods and targets the study no longer has are removed, and a
run that fails leaves the previous complete outputs of the failing stage in place.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import time
from pathlib import Path

from analysis import config
from analysis.errors import InputError
from analysis.topics.stage_defaults import TOPIC_METHODS
from analysis.study import Study, add_config_argument, demo_config, load_study


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--corpus", nargs="+", type=Path, default=None,
                        help="files or folders to ingest instead of the study's inputs (without --config: "
                             "a study with default settings and nothing from the demo)")
    parser.add_argument("--root", type=Path, default=None, help="project root for outputs of a study without "
                                                                "an output folder (default: this checkout)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes for tokenization (0: all cores)")
    parser.add_argument("--seed", type=int, default=None, help="seed for every stochastic step")
    parser.add_argument("--period", default=None, choices=config.PERIOD_CHOICES,
                        help="period of every over-time table and figure (auto: enough documents per point)")
    parser.add_argument("--topic-methods", nargs="+", choices=TOPIC_METHODS, default=None,
                        help="topic models to fit (default: the study's, else all three)")
    parser.add_argument("--k", type=int, default=None, help="topics per model (default: the study's topics.k, else 8)")
    parser.add_argument("--targets", type=Path, default=None, help="stance targets YAML (default: the study's)")
    parser.add_argument("--allow-undated", action="store_true", default=None,
                        help="ingest documents without a date instead of rejecting them")
    parser.add_argument("--no-notebooks", action="store_true", help="skip executing the notebooks at the end")
    parser.add_argument("--sheet", type=Path, nargs="+", default=None, metavar="FILLED",
                        help="filled document annotation sheet(s), one per target: stance over time and its "
                             "headline figure also show the shares corrected for classifier error")


def study_for(config_path: Path | None, corpus: list[Path] | None = None) -> Study:
    """The study a run uses: the config's, an ad-hoc one for ``--corpus``, else the bundled demo."""
    if config_path is not None:
        study = load_study(config_path)
        if corpus:
            study = dataclasses.replace(study, inputs=tuple(Path(c).resolve() for c in corpus))
        return study
    if corpus:
        return Study(path=None, name="corpus", inputs=tuple(Path(c).resolve() for c in corpus), output=None,
                     targets=config.resource("targets.yaml"))
    return load_study(demo_config())


def run(args: argparse.Namespace) -> int:
    study = study_for(args.config, args.corpus)
    overrides = {"jobs": args.jobs, "seed": args.seed, "period": args.period, "targets": args.targets,
                 "allow_undated": args.allow_undated}
    if args.topic_methods:
        overrides["topic_methods"] = tuple(args.topic_methods)
    if args.k is not None:
        overrides["k"] = {m: args.k for m in TOPIC_METHODS}
    if args.no_notebooks:
        overrides["notebooks"] = False
    study = dataclasses.replace(study, **{k: v for k, v in overrides.items() if v is not None})
    return run_study(study, root=args.root, sheets=args.sheet)


def _stage(name: str):
    print(f"== {name}", flush=True)
    return time.perf_counter()


def _done(start: float) -> None:
    print(f"   done in {time.perf_counter() - start:.1f} s", flush=True)


def _relative_to(path: Path, root: Path) -> str:
    """``path`` relative to the project root when inside it (so manifests do not depend on the checkout's place)."""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).resolve().as_posix()


def run_pipeline(corpus: list[Path] | None = None, *, root: Path | None = None, jobs: int = 0,
                 seed: int = config.SEED, period: str = config.PERIOD,
                 topic_methods: tuple[str, ...] = TOPIC_METHODS, notebooks: bool = True,
                 sheets: list[Path] | None = None, config_path: Path | None = None) -> int:
    """Keyword form of ``analysis run`` (tests, notebooks): the study of ``config_path`` / ``corpus`` with overrides."""
    study = study_for(config_path, corpus)
    study = dataclasses.replace(study, jobs=jobs, seed=seed, period=period, topic_methods=tuple(topic_methods),
                                notebooks=notebooks)
    return run_study(study, root=root, sheets=sheets)


STANCE_FILES = ("stance.parquet", "stance_evidence.parquet", "stance_over_time.parquet", "stance.stamp.json")


def _child(conn, task, kwargs) -> None:
    """Body of a :class:`_Background` process: ``task(checkpoint=..., **kwargs)`` with its printed lines
    captured; ``checkpoint()`` sends what it printed so far (a finished stage) to the parent."""
    import contextlib
    import io
    import traceback

    out = io.StringIO()

    def checkpoint() -> None:
        conn.send((True, out.getvalue(), None))
        out.seek(0)
        out.truncate()

    try:
        with contextlib.redirect_stdout(out):
            result = task(checkpoint=checkpoint, **kwargs)
        conn.send((True, out.getvalue(), result))
    except BaseException as exc:  # noqa: BLE001 - sent to the parent, raised there
        try:
            conn.send((False, out.getvalue(), exc))
        except Exception:  # an exception that does not pickle
            conn.send((False, out.getvalue(), RuntimeError("".join(traceback.format_exception(exc)))))
    finally:
        conn.close()


class _Background:
    """A chain of stages running in a spawned process beside the main one.

    Stages that read none of each other's outputs run at once on a machine with two or more cores:
    the topic models beside stance, the interactive views and exports beside the figures and
    notebooks. Each stage writes only its own files, from the same inputs and seeds as when run in
    turn, so the outputs are the same. :meth:`part` waits for the next finished stage (a
    ``checkpoint()`` of the task), prints what it printed and raises what it raised; :meth:`join`
    does so for the rest; :meth:`cancel` stops the process (the main chain failed).
    """

    def __init__(self, task, **kwargs):
        import multiprocessing

        context = multiprocessing.get_context("spawn")  # the parent may hold threads a fork would copy half-way
        self._conn, child_conn = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(child_conn, task, kwargs))
        self._process.start()
        child_conn.close()

    def part(self):
        try:
            ok, printed, value = self._conn.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"the stages running beside the others died (exit code {self._process.exitcode})") from None
        if printed:
            print(printed, end="", flush=True)
        if not ok:
            self._process.join()
            raise value
        return value

    def join(self):
        value = self.part()
        self._process.join()
        return value

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _parallel(study: Study) -> bool:
    """Stages run side by side when the machine has more than one core and ``--jobs`` is not 1."""
    import os

    return (os.cpu_count() or 1) > 1 and study.jobs != 1


def _stance_stage(study: Study, paths, period: str, sheets) -> None:
    t = _stage("stance")
    if study.targets is not None:
        from analysis.stance.over_time import run_stance

        for name, path in run_stance(paths.corpus, paths.processed, targets_path=study.targets,
                                     method=study.stance_method, seed=study.seed, period=period,
                                     sheets=sheets, scheduler=study.scheduler, jobs=study.jobs,
                                     unnamed_theses=study.unnamed_theses).items():
            print(f"   {name}: {path}")
    else:
        for name in STANCE_FILES:
            (paths.processed / name).unlink(missing_ok=True)
        print(f"   skipped: no stance targets ({study.where('stance.targets')})")
    _done(t)


def _topics_stage(study: Study, paths, root: Path | None, period: str) -> None:
    t = _stage("topics")
    from analysis.topics.stage import run_topics

    topics_dir = paths.processed / "topics"
    for stale in sorted(p for p in topics_dir.glob("*") if p.is_dir() and p.name in TOPIC_METHODS
                        and p.name not in study.topic_methods):
        shutil.rmtree(stale)
        print(f"   removed {stale.name}: not among this study's topic methods")
    for topic_method in study.topic_methods:
        try:
            summaries = run_topics(method=topic_method, k=study.k_for(topic_method), seed=study.seed,
                                   themes=study.themes, use_themes=study.themes is not None, root=root,
                                   corpus=paths.corpus, tokens=paths.tokens, out=topics_dir, period=period)
        except InputError as exc:
            raise InputError(f"{exc} (k is set by {study.where('topics.k')})") from None
        for method, summary in summaries.items():
            print(f"   {method}: {summary['n_topics']} topics, outliers {summary['outlier_share']:.1%}")
    _done(t)


def _topics_then_views(study: Study, paths, root: Path | None, period: str, stance_done, checkpoint) -> None:
    """The background chain of a run: topics; then, once stance has finished (``stance_done`` set by
    the main process), the interactive views and exports. BERTopic's views load the model the topics
    stage fitted in this same process, so its heavy imports (torch, sentence-transformers) happen once."""
    _topics_stage(study, paths, root, period)
    checkpoint()
    stance_done.wait()
    _views_and_exports(study, paths)


def _views_and_exports(study: Study, paths) -> None:
    """The interactive stage, then the exports: both read processed/ only, and write their own folders."""
    t = _stage("interactive")
    from analysis.interactive import write_interactive

    views = write_interactive(paths.processed, paths.reports / "interactive", terms=study.kwic, seed=study.seed,
                              min_n_interval=study.min_n_interval)
    print(f"   {len(views)} files in {paths.reports / 'interactive'} (plotly embedded: they open offline)")
    _done(t)

    t = _stage("exports")
    from analysis.exports import export_tables
    from analysis.runstate import staged_dir

    with staged_dir(paths.reports / "tables") as tables:
        written = export_tables(paths.processed, tables)
    print(f"   {len(written)} files in {paths.reports / 'tables'} (CSV with BOM and one .xlsx workbook)")
    _done(t)


def _notebook_parameters(study: Study, paths, period: str) -> dict:
    return {"PROCESSED": str(paths.processed), "FIGURES": str(paths.figures), "SEED": study.seed,
            "PERIOD": period, "STUDY": str(study.path) if study.path else None,
            # the study as this run resolved it (command-line overrides included)
            "TARGETS": str(study.targets) if study.targets else None}


class _NotebooksBeside:
    """The notebooks that show none of the figures stage's figures (:func:`analysis.notebooks.shows_stage_figures`),
    executed by a thread's process pool while the main thread draws the figures.

    They save their own figures into the figures folder that the figures stage is about to replace
    whole; :meth:`carry_into` moves the files they wrote there (new since the start) into the folder
    that replaces it. Their progress lines are printed by :meth:`wait`, after the figures stage's.
    """

    def __init__(self, study: Study, paths, period: str, executed: Path):
        import threading

        from analysis.notebooks import notebook_sources, shows_stage_figures

        self.stems = [s.stem for s in notebook_sources(paths.notebooks) if not shows_stage_figures(s)]
        self.figures = paths.figures
        self._before = self._listing()
        self.lines: list[str] = []
        self.error: BaseException | None = None
        self._thread = None
        if self.stems:
            self._thread = threading.Thread(
                target=self._run, args=(paths.notebooks, executed, _notebook_parameters(study, paths, period)),
                daemon=True)
            self._thread.start()

    def _listing(self) -> dict[str, tuple[int, int, int]]:
        if not self.figures.is_dir():
            return {}
        return {p.name: (st.st_ino, st.st_mtime_ns, st.st_size) for p in self.figures.iterdir()
                if p.is_file() and (st := p.stat())}

    def _run(self, notebooks_dir: Path, executed: Path, parameters: dict) -> None:
        from analysis.notebooks import run_notebooks

        try:
            run_notebooks(notebooks_dir, executed, parameters=parameters, only=self.stems, report=self.lines.append)
        except BaseException as exc:  # noqa: BLE001 - raised by the main thread (:meth:`wait`)
            self.error = exc

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def carry_into(self, staging: Path) -> None:
        """Move the files the notebooks wrote into the figures folder into ``staging`` (its replacement)."""
        before = self._before
        for name, state in sorted(self._listing().items()):
            if name.startswith(".") or before.get(name) == state or (staging / name).exists():
                continue
            os.replace(self.figures / name, staging / name)


def _notebooks_stage(study: Study, paths, period: str, executed: Path, beside: _NotebooksBeside | None):
    """Execute the notebooks into ``executed`` (those of ``beside`` already ran); the error of the
    first failing one in source order, or None."""
    from analysis.notebooks import NotebookExecutionError, notebook_sources, run_notebooks

    t = _stage("notebooks")
    for line in beside.lines if beside is not None else []:
        print(line.replace(" at a time)", " at a time, beside the figures stage)"), flush=True)
    error = beside.error if beside is not None else None
    done = set(beside.stems) if beside is not None else set()
    rest = [s.stem for s in notebook_sources(paths.notebooks) if s.stem not in done]
    if rest or not done:  # (no notebooks at all: run_notebooks says so)
        try:
            run_notebooks(paths.notebooks, executed, parameters=_notebook_parameters(study, paths, period),
                          only=rest or None)
        except NotebookExecutionError as exc:
            if error is None or (isinstance(error, NotebookExecutionError) and exc.notebook < error.notebook):
                error = exc
    if error is not None and not isinstance(error, NotebookExecutionError):
        raise error
    if error is None:
        _done(t)
    return error


def run_study(study: Study, *, root: Path | None = None, sheets: list[Path] | None = None) -> int:
    """Run every stage of ``study``; 0 on success, 1 when nothing could be ingested or a notebook failed."""
    paths = study.paths(root)
    print(f"study: {study.name} ({study.path or 'no config file'}); outputs in {paths.processed} and {paths.reports}",
          flush=True)

    t = _stage("ingest")
    from analysis.ingest import ingest, print_summary

    options = {"allow_undated": study.allow_undated, "columns": dict(study.columns) or None,
               "allow_other_languages": study.allow_other_languages}
    if study.max_chars is not None:
        options["max_chars"] = study.max_chars
    result = ingest(list(study.inputs), paths.processed, scheduler=study.scheduler, jobs=study.jobs, **options)
    print_summary(result)
    if result.n_ingested == 0:
        print("error: nothing was ingested, so the run stops here; the outputs of the previous run, if any, "
              f"are left as they were in {paths.processed}", flush=True)
        return 1
    period = study.period
    if period.lower() == "auto":
        from analysis.stats import choose_period, period_note

        period = choose_period(result.corpus["published"], result.corpus["source"])
        print(f"   period: {period_note(result.corpus['published'], result.corpus['source'])}")
    _done(t)

    t = _stage("tokenize")
    from analysis.tokenize import run_tokenize

    tokens = run_tokenize(paths.corpus, paths.tokens, cache_dir=paths.cache, jobs=study.jobs, scheduler=study.scheduler)
    print(f"   {tokens.attrs['n_documents']} documents, {tokens.attrs['n_cached']} from cache")
    _done(t)

    background = None
    if _parallel(study):
        # topics and stance read only the corpus and tokens: the topic models (then the interactive
        # views and exports, which wait for stance) run in a second process beside stance, figures
        # and notebooks
        import multiprocessing

        stance_done = multiprocessing.get_context("spawn").Event()
        background = _Background(_topics_then_views, study=study, paths=paths, root=root, period=period,
                                 stance_done=stance_done)
    from analysis.runstate import staged_dir

    # the executed notebooks are written aside and swapped in whole once all have run (kept as they
    # were when one fails)
    executed_dir = staged_dir(paths.executed_notebooks) if study.notebooks else None
    executed = executed_dir.__enter__() if executed_dir is not None else None
    error = None
    try:
        if background is None:
            _topics_stage(study, paths, root, period)
        _stance_stage(study, paths, period, sheets)
        if background is not None:
            stance_done.set()
            background.part()  # the topics stage's lines; its error, if it failed

        t = _stage("figures")
        from analysis.figures.report import run_figures

        beside = None
        with staged_dir(paths.figures) as figures:
            if executed is not None and background is not None:
                # the notebooks that show none of this stage's figures run beside it
                beside = _NotebooksBeside(study, paths, period, executed)
            try:
                run_figures(paths.processed, figures, period=period, events_path=study.events,
                            min_n_interval=study.min_n_interval, show_n=study.show_n)
            finally:
                if beside is not None:
                    beside.wait()  # they save into the folder about to be replaced
            if beside is not None:
                beside.carry_into(figures)
        _done(t)

        if background is None:
            _views_and_exports(study, paths)
        if executed is not None:
            error = _notebooks_stage(study, paths, period, executed, beside)
        if background is not None:
            background.join()  # the interactive views and exports
            background = None
    except BaseException as exc:
        if executed_dir is not None:
            executed_dir.__exit__(type(exc), exc, exc.__traceback__)  # the staged notebooks are dropped
        raise
    finally:
        if background is not None:  # the main chain failed: stop the other one
            background.cancel()
    if executed_dir is not None:
        if error is not None:
            executed_dir.__exit__(type(error), error, error.__traceback__)
        else:
            executed_dir.__exit__(None, None, None)
    elif paths.executed_notebooks.exists():
        shutil.rmtree(paths.executed_notebooks)  # notebooks of an earlier run would not match these tables
    if error is not None:
        print(f"error: {error}", flush=True)
        return 1

    from analysis.figures.manifest import write_manifest

    write_manifest(paths.reports / "manifest.json", processed_dir=paths.processed, figures_dir=paths.figures,
                   notebooks_dir=paths.executed_notebooks if study.notebooks else None, root=paths.root,
                   parameters={"corpus": [_relative_to(c, paths.root) for c in study.inputs], "period": period,
                               "n_boot": config.N_BOOT, "ci_level": config.CI_LEVEL, "notebooks": study.notebooks,
                               "topic_methods": list(study.topic_methods),
                               "study": _portable(study.describe(), paths.root),
                               "study_file": dict(study.raw),
                               **({"sheets": [_relative_to(s, paths.root) for s in sheets]} if sheets else {})},
                   seeds={"seed": study.seed})

    print(f"outputs: {paths.processed} and {paths.reports}")
    return 0


def _portable(described: dict, root: Path) -> dict:
    """Paths in a study description relative to the project root where inside it (stable manifests)."""
    def fix(value):
        if isinstance(value, str) and value.startswith("/"):
            return _relative_to(Path(value), root)
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    return {key: fix(value) for key, value in described.items()}
