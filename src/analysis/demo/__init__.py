"""The bundled synthetic demo corpus: three fictional newspapers, 2019-01 .. 2025-12.

>>> import tempfile
>>> from analysis.demo import generate
>>> truth = generate(tempfile.mkdtemp(), seed=1)
>>> sorted(truth["source"].unique())
['潮見日報', '白樺新聞', '青嶺経済新報']

``generate(out_dir, seed)`` writes pages in the Hankyoreh Japanese-edition page format plus
``ground_truth.csv``, ``trajectories.csv`` and ``README.md``; the same seed gives byte-identical
files. All text is original and synthetic (see :mod:`analysis.demo.banks`).
"""

from analysis.demo.banks import TARGET_ALIASES, TARGETS, THEMES
from analysis.demo.generator import PAPERS, build, expected_stance, generate, periods, trajectories

__all__ = ["PAPERS", "TARGETS", "TARGET_ALIASES", "THEMES", "build", "expected_stance", "generate",
           "periods", "trajectories"]
