"""Dask distributed gives what this machine gives (issue 15.2): the same bytes, the same tables.

One two-worker ``LocalCluster`` serves the module through its tcp:// address (the path a real
cluster takes, with its environment check); one test starts its own with ``--scheduler local``.
The corpus is every seventh demo page (41 pages, three newspapers).
"""

from __future__ import annotations

import hashlib
import logging

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

from analysis import config  # noqa: E402
from analysis.cli import main  # noqa: E402
from analysis.errors import InputError  # noqa: E402
from analysis.ingest import ingest  # noqa: E402
from analysis.scheduler import check_scheduler, environment_differences, map_chunks  # noqa: E402
from analysis.stance.over_time import run_stance, score_documents_on  # noqa: E402
from analysis.tokenize.corpus import run_tokenize, tokenize_corpus  # noqa: E402


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def scheduler():
    """The address of a two-worker local cluster; the module is skipped when none can start."""
    try:
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=logging.ERROR)
    except Exception as exc:  # no free port, no /dev/shm, a sandbox without sockets ...
        pytest.skip(f"a local Dask cluster cannot start here ({type(exc).__name__}: {exc})")
    yield cluster.scheduler_address
    cluster.close()


@pytest.fixture(scope="module")
def pages():
    return sorted(config.paths().demo_pages.rglob("*.txt"))[::7]


@pytest.fixture(scope="module")
def corpus_path(pages, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    ingest(pages, out)
    return out / "corpus.parquet"


def test_scheduler_values():
    assert check_scheduler(None) is None and check_scheduler("none") is None and check_scheduler(" ") is None
    assert check_scheduler("local") == "local"
    assert check_scheduler("tcp://10.0.0.1:8786") == "tcp://10.0.0.1:8786"
    with pytest.raises(InputError, match="not understood"):
        check_scheduler("10.0.0.1")
    with pytest.raises(InputError, match="does not exist"):
        check_scheduler("missing-scheduler.json")
    here = {"python": "3.11.7", "janome": "0.5.1"}
    assert environment_differences(here, dict(here)) == []
    assert environment_differences(here, {"python": "3.11.7", "janome": "0.4.2"}) == ["janome 0.4.2 there, 0.5.1 here"]


def test_results_come_back_in_chunk_order(scheduler):
    chunks = [list(range(n)) for n in (5, 0, 3, 9, 1, 7, 2)]
    assert list(map_chunks(len, chunks, scheduler=scheduler)) == [5, 0, 3, 9, 1, 7, 2]
    assert list(map_chunks(len, chunks, jobs=1)) == [5, 0, 3, 9, 1, 7, 2]


def test_ingest_same_bytes_and_warnings(pages, scheduler, tmp_path):
    table = tmp_path / "in" / "社説表.csv"  # no source column: a warning read on a worker
    table.parent.mkdir()
    table.write_text("published,title,text\n2024-03-01,輸出規制,政府は輸出規制を強めた。妥当な判断だ。\n",
                     encoding="utf-8")
    inputs = [*pages, table]
    here = ingest(inputs, tmp_path / "here")
    there = ingest(inputs, tmp_path / "there", scheduler=scheduler)
    assert there.n_ingested == len(pages) + 1
    assert there.warnings == here.warnings and any("社説表" in w for w in here.warnings)
    for name in ("corpus.parquet", "ingest_report.csv", "ingest.stamp.json"):
        assert sha(tmp_path / "there" / name) == sha(tmp_path / "here" / name), name


def test_tokenize_same_bytes_and_the_client_keeps_the_cache(corpus_path, scheduler, tmp_path):
    run_tokenize(corpus_path, tmp_path / "here" / "tokens.parquet", cache_dir=tmp_path / "cache-here",
                 jobs=2, progress=False)
    run_tokenize(corpus_path, tmp_path / "there" / "tokens.parquet", cache_dir=tmp_path / "cache-there",
                 progress=False, scheduler=scheduler)
    for name in ("tokens.parquet", "tokenize.stamp.json"):
        assert sha(tmp_path / "there" / name) == sha(tmp_path / "here" / name), name
    again = tokenize_corpus(pd.read_parquet(corpus_path), cache_dir=tmp_path / "cache-there", jobs=1, progress=False)
    assert again.attrs["n_tokenized"] == 0 and again.attrs["n_cached"] == again.attrs["n_documents"]


def test_cli_tokenize_with_a_local_cluster(corpus_path, tmp_path):
    run_tokenize(corpus_path, tmp_path / "here" / "tokens.parquet", cache_dir=None, jobs=1, progress=False)
    out = tmp_path / "there" / "tokens.parquet"
    assert main(["tokenize", "--corpus", str(corpus_path), "--out", str(out), "--no-cache", "--no-progress",
                 "--jobs", "2", "--scheduler", "local"]) == 0
    assert sha(out) == sha(tmp_path / "here" / "tokens.parquet")


def test_cli_refuses_a_scheduler_it_does_not_understand(corpus_path, tmp_path, capsys):
    assert main(["stance", "--corpus", str(corpus_path), "--out", str(tmp_path), "--method", "rules",
                 "--scheduler", "somewhere"]) == 2
    assert "not understood" in capsys.readouterr().err


def test_stance_rules_same_tables(corpus_path, scheduler, tmp_path):
    here = run_stance(corpus_path, tmp_path / "here", method="rules", n_boot=200)
    there = run_stance(corpus_path, tmp_path / "there", method="rules", n_boot=200, scheduler=scheduler)
    assert len(pd.read_parquet(here["evidence"])) > 0
    for name in here:
        assert sha(there[name]) == sha(here[name]), name


def _ginza():
    spacy = pytest.importorskip("spacy")
    try:
        spacy.load("ja_ginza", exclude=["ner"])
    except OSError:  # pragma: no cover - the project installs it
        pytest.skip("ja_ginza not installed (pip install ginza ja-ginza)")


def _parse_keys(cache_dir) -> set[str]:
    import sqlite3

    (db,) = (cache_dir / "parses").glob("*.sqlite")
    with sqlite3.connect(db) as connection:
        return {key for (key,) in connection.execute("SELECT key FROM parse")}


def test_stance_structural_same_tables_and_parses_come_back(corpus_path, scheduler, tmp_path):
    """Cold parse caches on both sides: the workers parse with GiNZA, this process stores it."""
    _ginza()
    from analysis.stance.syntax import SyntaxStanceScorer
    from analysis.stance.targets import load_targets

    docs = pd.read_parquet(corpus_path).iloc[:8]
    targets = load_targets()
    here = SyntaxStanceScorer(targets=targets, learned=False, cache_dir=tmp_path / "here").fit()
    there = SyntaxStanceScorer(targets=targets, learned=False, cache_dir=tmp_path / "there").fit()
    expected = here.score_documents(docs, targets, method="structural")
    got = score_documents_on(there, docs, targets, method="structural", scheduler=scheduler)
    for want, have in zip(expected, got):
        pd.testing.assert_frame_equal(have, want, check_exact=True)
    assert got[1]["weight"].gt(0).any()  # some sentences voted
    assert _parse_keys(tmp_path / "there") == _parse_keys(tmp_path / "here")


@pytest.mark.slow
def test_stance_syntax_same_tables(corpus_path, scheduler, tmp_path):
    """The default scorer (fitted here, about a minute; its learned part travels to the workers)."""
    _ginza()
    here = run_stance(corpus_path, tmp_path / "here", n_boot=200)
    there = run_stance(corpus_path, tmp_path / "there", n_boot=200, scheduler=scheduler)
    for name in here:
        assert sha(there[name]) == sha(here[name]), name
