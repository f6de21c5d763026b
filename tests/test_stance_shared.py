"""chABSA figures (reads ../shared): floors slightly below what was measured (see README)."""

import pytest

from analysis.config import paths
from analysis.stance.chabsa import chabsa_gold
from analysis.stance.evaluate import evaluate_gold

CHABSA = paths().shared / "data" / "chabsa"
pytestmark = [pytest.mark.shared, pytest.mark.slow,
              pytest.mark.skipif(not (CHABSA / "json").is_dir(), reason="../shared/data/chabsa absent")]


@pytest.fixture(scope="module")
def gold():
    return chabsa_gold(CHABSA)


def test_chabsa_conversion(gold):
    assert len(gold) > 5000 and set(gold["label"]) == {"FAVOR", "AGAINST", "NONE"}
    assert (gold.apply(lambda r: r.text[r.start:r.end] == r.target, axis=1)).all()


def test_chabsa_rules_macro_f(gold):
    assert evaluate_gold(gold, "rules").macro_f >= 0.74  # measured 0.764
