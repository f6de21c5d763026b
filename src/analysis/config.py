"""Paths and parameters: the one place that knows where data lives and what the defaults are.

>>> from analysis import config
>>> config.paths().processed.name
'processed'
>>> config.SEED
20250120

Importing this module has no side effects (nothing is created or read). The project root is
``$ANALYSIS_HOME`` if set, else the checkout this package was installed from (editable install),
else the current directory. ``paths(root)`` builds every path from one root so tests and notebooks
can point the whole pipeline at a temporary folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Seed used by every stochastic step unless a caller passes its own.
SEED = 20250120

#: Time zone assumed for dates printed without an offset (all supported papers print JST).
DEFAULT_TZ = "Asia/Tokyo"

#: Bootstrap replicates for confidence intervals, and their level.
N_BOOT = 1000
CI_LEVEL = 0.95

#: Default period for over-time tables: "M" month, "Q" quarter, "Y" year, or "auto": the
#: shortest of those in which the median (newspaper, period) count reaches MIN_DOCS_PER_PERIOD
#: (monthly points from one editorial each are noise, not a trend); if even years fall short, "Y"
#: and ``stats.period_note`` says so. Points below MIN_N_INTERVAL are drawn without an interval.
PERIOD = "auto"
PERIOD_CHOICES = ("auto", "M", "Q", "Y")
MIN_DOCS_PER_PERIOD = 5

#: A point of an over-time figure built from fewer documents than this is drawn as a hollow marker
#: with its n and no interval (a bootstrap interval over 1-4 documents is not an interval); the
#: caption says so. Study configs may change it (``min_n_interval``).
MIN_N_INTERVAL = 5

#: Validation of measures (issue 12): a group of hand-labelled units smaller than this is "too small
#: to tell" (per newspaper, per period); a per-label precision or recall needs at least
#: MIN_VALIDATION_SUPPORT units in its denominator. With 30 units a proportion's 95% interval is
#: still up to +-0.18 wide, so these are floors, not targets.
MIN_VALIDATION_UNITS = 30
MIN_VALIDATION_SUPPORT = 10

#: BERTopic's k-means clusters with scikit-learn's MiniBatchKMeans above this many units (documents,
#: or paragraphs with --paragraphs), full KMeans below. Measured on synthetic demo corpora (issue 15):
#: mini-batches lost 0.03-0.10 NMI while full k-means took only 7-8 s at 110,000 documents, so they
#: pay off only for corpora far beyond that.
MINIBATCH_KMEANS_ABOVE = 200_000


def _find_root() -> Path:
    env = os.environ.get("ANALYSIS_HOME")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "src" / "analysis").is_dir():
            return parent
    return Path.cwd().resolve()


@dataclass(frozen=True)
class Paths:
    """Every path the pipeline reads or writes, derived from one project root.

    ``output`` (a study's output folder, :mod:`analysis.study`) moves the run's own files there:
    ``output/processed`` for tables and ``output/reports`` for figures, notebooks and the manifest,
    ``output/annotation`` for validation sheets. Without it they sit in the checkout
    (``data/processed``, ``reports``, ``data/annotation``), where the demo study writes. The token
    and parse caches stay in the checkout's ``data/cache``: they are addressed by content, so
    studies share them safely.
    """

    root: Path
    output: Path | None = None

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def demo(self) -> Path:
        """The bundled synthetic demo corpus (pages in the Hankyoreh Japanese-edition format)."""
        return self.raw / "demo"

    @property
    def demo_pages(self) -> Path:
        """The demo corpus's pages alone (its README and ground-truth tables are not documents)."""
        return self.demo / "pages"

    @property
    def processed(self) -> Path:
        return self.output / "processed" if self.output else self.root / "data" / "processed"

    @property
    def annotation(self) -> Path:
        """Annotation sheets and their keys (``analysis annotate``, ``analysis intrusion``).

        Outside ``data/processed`` on purpose: filled sheets are human work, and ``make clean``
        must not delete them or the keys that make them usable.
        """
        return self.output / "annotation" if self.output else self.root / "data" / "annotation"

    @property
    def cache(self) -> Path:
        """Content-addressed intermediates (token cache); safe to delete."""
        return self.root / "data" / "cache"

    @property
    def reports(self) -> Path:
        return self.output / "reports" if self.output else self.root / "reports"

    @property
    def figures(self) -> Path:
        return self.reports / "figures"

    @property
    def executed_notebooks(self) -> Path:
        return self.reports / "notebooks"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def shared(self) -> Path:
        """``../shared`` beside the checkout (livedoor, chABSA, seed page); may be absent."""
        return Path(os.environ.get("ANALYSIS_SHARED", self.root.parent / "shared"))

    # Files of the processed stage, one per stage output.
    @property
    def corpus(self) -> Path:
        return self.processed / "corpus.parquet"

    @property
    def ingest_report(self) -> Path:
        return self.processed / "ingest_report.csv"

    @property
    def tokens(self) -> Path:
        return self.processed / "tokens.parquet"

    @property
    def stance(self) -> Path:
        return self.processed / "stance.parquet"


def paths(root: str | Path | None = None, *, output: str | Path | None = None) -> Paths:
    """Paths under ``root`` (default: the project root), with a study's ``output`` folder if given."""
    return Paths(Path(root).resolve() if root is not None else _find_root(),
                 Path(output).resolve() if output is not None else None)


def resource(name: str) -> Path:
    """A file shipped inside the package (user dictionary, lexicons, default YAML files)."""
    return Path(__file__).resolve().parent / "resources" / name
