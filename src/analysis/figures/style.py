"""One figure style for the whole suite, with Japanese glyphs, and deterministic saving.

>>> import matplotlib.pyplot as plt, tempfile, pathlib
>>> use_style()
>>> fig, ax = plt.subplots()
>>> _ = ax.set_title("輸出規制への論調")
>>> paths = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "demo")
>>> sorted(p.suffix for p in paths)
['.pdf', '.png', '.svg']

Japanese text is drawn with IPAexGothic from the ``matplotlib-fontja`` package (no system font
needed). SVG text is stored as paths, so the SVG renders the same everywhere; PDF embeds the font
as TrueType. ``save_figure`` writes PNG (300 dpi), SVG and PDF atomically with fixed metadata (no
dates, fixed ``svg.hashsalt``), so the same figure gives the same bytes on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from analysis.io import atomic_path

FONT_FAMILY = "IPAexGothic"
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
DPI = 300

#: Okabe-Ito colour-blind-safe palette; newspapers get colours in sorted-name order.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
#: Marker shapes of the series (:func:`series_style`).
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Line styles of the series: solid for the first ``len(PALETTE)`` series, then dashed, dotted, dash-dot.
LINESTYLES = ("-", (0, (4.0, 1.6)), (0, (1.0, 1.4)), (0, (4.0, 1.4, 1.0, 1.4)))

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def use_style() -> None:
    """Apply the house style to matplotlib's global rcParams (idempotent)."""
    import matplotlib
    import matplotlib_fontja  # noqa: F401  registers IPAexGothic with matplotlib's font manager

    matplotlib_fontja.japanize()
    matplotlib.rcParams.update(
        {
            "font.family": FONT_FAMILY,
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.labelsize": 9,
            "legend.fontsize": 8,
            "xtick.labelsize": 8,
            "ytick.labelsize": 8,
            "axes.unicode_minus": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "grid.linewidth": 0.5,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "figure.dpi": 100,
            "figure.figsize": (7.0, 4.0),
            "savefig.dpi": DPI,
            "savefig.bbox": "tight",
            "svg.hashsalt": "analysis",
            "svg.fonttype": "path",
            "pdf.fonttype": 42,
            "path.simplify": True,
        }
    )


def colors_for(names: Iterable[str]) -> dict[str, str]:
    """A stable colour per name (sorted order), e.g. one per newspaper across all figures.

    Colours repeat after ``len(PALETTE)`` names; the marker and line style of :func:`series_style`
    (by the same sorted position) tell those names apart.
    """
    return {name: series_style(i).color for i, name in enumerate(sorted(set(names)))}


@dataclass(frozen=True)
class SeriesStyle:
    """How the ``i``-th series (e.g. newspaper in sorted order) is drawn: colour, marker, line style."""

    color: str
    marker: str
    linestyle: object


def series_style(i: int) -> SeriesStyle:
    """The style of the ``i``-th series: distinct (colour, marker, line style) for i < 256.

    The colour cycles through the Okabe-Ito :data:`PALETTE` (8); each further cycle of 8 shifts the
    marker by one and changes the line style, so the first 8 series are solid lines with the markers
    of :data:`MARKERS` in order, the 9th is blue again but with squares and a dashed line, and so on.

    >>> [(s.color, s.marker) for s in map(series_style, (0, 8, 16))]
    [('#0072B2', 'o'), ('#0072B2', 's'), ('#0072B2', '^')]
    >>> len({series_style(i) for i in range(256)})
    256
    """
    i = int(i)
    if i < 0:
        raise ValueError(f"series index {i} < 0")
    cycle = i // len(PALETTE)
    return SeriesStyle(color=PALETTE[i % len(PALETTE)],
                       marker=MARKERS[(i + cycle) % len(MARKERS)],
                       linestyle=LINESTYLES[(cycle + cycle // len(MARKERS)) % len(LINESTYLES)])


#: The plotly names of :data:`MARKERS` and :data:`LINESTYLES` (interactive views draw the same series).
PLOTLY_SYMBOLS = {"o": "circle", "s": "square", "^": "triangle-up", "D": "diamond", "v": "triangle-down",
                  "P": "cross", "X": "x", "*": "star"}
PLOTLY_DASHES = ("solid", "dash", "dot", "dashdot")


def plotly_style(style: SeriesStyle) -> tuple[str, str]:
    """(marker symbol, line dash) of a :class:`SeriesStyle` in plotly's names.

    >>> plotly_style(series_style(9))
    ('triangle-up', 'dash')
    """
    return PLOTLY_SYMBOLS[style.marker], PLOTLY_DASHES[LINESTYLES.index(style.linestyle)]


def styles_for(names: Iterable[str]) -> dict[str, SeriesStyle]:
    """:func:`series_style` per name in sorted order (its colour is that of :func:`colors_for`).

    >>> styles = styles_for(f"paper{i:02d}" for i in range(20))
    >>> len({(s.color, s.marker) for s in styles.values()})
    20
    """
    return {name: series_style(i) for i, name in enumerate(sorted(set(names)))}


def save_figure(fig, stem: str | Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Save ``fig`` as ``stem.png``/``.svg``/``.pdf`` atomically and deterministically."""
    stem = Path(stem)
    written = []
    for fmt in formats:
        out = stem.with_suffix(f".{fmt}")
        with atomic_path(out) as tmp:
            fig.savefig(tmp, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
        written.append(out)
    return written
