"""Two consecutive runs of the pipeline on the demo corpus give byte-identical tables and figures."""

import hashlib
from pathlib import Path

import pytest

from analysis import config
from analysis.pipeline import run_pipeline

DEMO = config.paths().demo_pages


def _digests(root: Path) -> dict[str, str]:
    out = {}
    for folder in (root / "data" / "processed", root / "reports"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.mark.slow
def test_two_runs_on_the_demo_corpus_are_byte_identical(tmp_path, capsys):
    assert run_pipeline([DEMO], root=tmp_path, jobs=2, topic_methods=("nmf",), notebooks=False) == 0
    first = _digests(tmp_path)
    out = capsys.readouterr().out
    assert "ingested 288 / duplicate 0 / rejected 0" in out
    assert "period: Y (auto" in out

    assert run_pipeline([DEMO], root=tmp_path, jobs=2, topic_methods=("nmf",), notebooks=False) == 0
    assert "288 from cache" in capsys.readouterr().out
    second = _digests(tmp_path)

    assert first == second
    names = set(first)
    for expected in ("data/processed/corpus.parquet", "data/processed/tokens.parquet",
                     "data/processed/topics/nmf/topic_shares.parquet", "data/processed/stance_over_time.parquet",
                     "reports/figures/stance_over_time.svg", "reports/figures/topic_share_over_time_nmf.png",
                     "reports/figures/corpus_overview.pdf", "reports/manifest.json"):
        assert expected in names, expected
