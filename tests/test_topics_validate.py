"""Topic recovery on real data: livedoor categories (read from ../shared at run time, never copied)."""

from __future__ import annotations

import pytest

from analysis import config
from analysis.topics.validate import agreement, load_livedoor, sample_per_category, score_methods

TARBALL = config.paths().shared / "data" / "livedoor" / "ldcc-text.tgz"

pytestmark = [pytest.mark.shared, pytest.mark.slow,
              pytest.mark.skipif(not TARBALL.is_file(), reason="../shared livedoor corpus absent")]


def test_agreement_is_label_permutation_invariant():
    assert agreement([2, 2, 0, 0, 1], ["a", "a", "b", "b", "c"])["nmi"] == 1.0
    assert agreement([0, 1, 0, 1], ["a", "a", "b", "b"])["ari"] < 0.1


def test_nmf_and_bertopic_recover_livedoor_categories(tmp_path):
    from analysis.tokenize import tokenize_corpus

    frame = sample_per_category(load_livedoor(TARBALL), 20, seed=1)
    assert frame["category"].nunique() == 9
    tokens = tokenize_corpus(frame[["doc_id", "text"]], jobs=1, cache_dir=tmp_path, progress=False)
    table = score_methods([list(t) for t in tokens["tokens"]], frame["category"].tolist(),
                          methods=["nmf", "bertopic"], k=9, seed=1, clusterings=("kmeans",))
    nmi = dict(zip(table["method"], table["nmi"]))
    assert nmi["nmf"] > 0.35 and nmi["bertopic"] > 0.35  # chance is near 0.05 for 9 classes of 20
    assert table.set_index("method").loc["bertopic", "outlier_share"] == 0.0
