"""The scale benchmark's bookkeeping: synthetic corpora, the cost table, growth exponents, the figure.

The stages themselves are not run here (a benchmark is not a test): ingest runs for real on the
synthetic pages, every later stage is replaced by a runner that reports made-up costs with known
growth, so the exponents and the extrapolation can be checked exactly.
"""

from __future__ import annotations

import argparse
import math

import pandas as pd
import pytest

from analysis import bench
from analysis.demo.generator import PAPERS


def test_scale_sizes_parse_sort_and_refuse_nonsense():
    assert bench.scale_sizes("5000,1_000,1000") == [1000, 5000]
    for bad in ("", "x", "5,1000"):
        with pytest.raises(argparse.ArgumentTypeError, match="--scale"):
            bench.scale_sizes(bad)


def test_synthetic_pages_are_deterministic_and_distinct():
    pages = bench.synthetic_pages(320, seed=7)  # more than one round of the demo generator (~290)
    assert len(pages) == 320 and pages == bench.synthetic_pages(320, seed=7)
    assert len(set(pages.values())) == 320
    assert {p.split("/")[2][:5] for p in pages} == {"r0000", "r0001"}
    assert {p.split("/")[1] for p in pages} == {paper.name for paper in PAPERS}
    first = bench.synthetic_pages(20, seed=7)
    assert len({p.split("/")[1] for p in first}) == 3  # a partial round still covers every paper
    assert all(pages[p] == text for p, text in first.items())


def _fake_runner(monkeypatch):
    """Ingest for real (in this process); later stages report seconds ~ n, CPU ~ n^2, memory flat."""
    from analysis.cli import main

    def runner(argv, root):
        n = sum(1 for _ in (root / "study" / "pages").rglob("*.txt"))
        if argv[0] == "ingest":
            monkeypatch.setenv("ANALYSIS_HOME", str(root))
            assert main(argv) == 0
            return {"seconds": 1.0, "cpu_seconds": 1.0, "peak_rss": 100 * 2**20, "fits": []}
        fits = [(argv[-1], 0.01 * n)] if argv[0] == "topics" else []
        return {"seconds": 0.5 * n, "cpu_seconds": 0.01 * n * n, "peak_rss": 200 * 2**20, "fits": fits}

    return runner


def test_scale_table_exponents_and_figure(monkeypatch, tmp_path, capsys):
    import matplotlib

    matplotlib.use("Agg")
    costs = bench.measure_scale([20, 40], methods=["nmf", "lda"], seed=3, runner=_fake_runner(monkeypatch),
                                progress=False)
    stages = ["ingest", "tokenize", "topics nmf", "topics lda", "stance", "figures", "export"]
    assert list(costs.columns) == ["n_pages", "n_documents", "stage", "seconds", "cpu_seconds", "peak_rss_mib",
                                   "fit_seconds"]
    assert costs["stage"].tolist() == stages * 2
    assert costs.groupby("n_pages")["n_documents"].first().to_dict() == {20: 20, 40: 40}  # all ingested
    fits = costs.set_index(["n_pages", "stage"])["fit_seconds"]
    assert fits[(40, "topics lda")] == pytest.approx(0.4) and math.isnan(fits[(40, "stance")])

    growth = bench.growth_table(costs, extrapolate=400)
    row = growth.set_index("stage").loc["stance"]
    assert (row["n_from"], row["n_to"]) == (20, 40)
    assert row["time_exponent"] == pytest.approx(1.0) and row["cpu_exponent"] == pytest.approx(2.0)
    assert row["memory_exponent"] == pytest.approx(0.0)
    assert row["seconds_at"] == pytest.approx(200.0) and row["cpu_seconds_at"] == pytest.approx(1600.0)
    assert row["rss_mib_at"] == pytest.approx(200.0)
    assert growth.set_index("stage").loc["ingest", "time_exponent"] == pytest.approx(0.0)

    verdicts = bench.scale_verdicts(costs, growth)
    assert any("fastest-growing CPU time" in v and "(exponent 2.00" in v for v in verdicts)
    assert verdicts[-1].startswith("memory grows at most linearly")
    bench.print_scale(costs, growth, 400)
    printed = capsys.readouterr().out
    assert "growth exponents" in printed and "total at 400 documents" in printed

    axes = bench.plot_scale(costs, growth, extrapolate=400)
    assert len(axes) == 3 and all(ax.get_xscale() == "log" and ax.get_yscale() == "log" for ax in axes)
    assert len(axes[0].get_legend_handles_labels()[1]) == len(stages)


def test_memory_faster_than_linear_is_named():
    costs = pd.DataFrame({"n_pages": [10, 100], "n_documents": [10, 100], "stage": ["topics x"] * 2,
                          "seconds": [1.0, 10.0], "cpu_seconds": [1.0, 10.0], "peak_rss_mib": [10.0, 1000.0],
                          "fit_seconds": [float("nan")] * 2})
    verdicts = bench.scale_verdicts(costs, bench.growth_table(costs))
    assert verdicts[-1] == "memory grows faster than linearly in: topics x (2.00)"


def test_only_runs_the_named_benchmarks_and_refuses_unknown_names(monkeypatch, capsys):
    import argparse

    from analysis import bench
    from analysis.errors import InputError

    ran = []

    def bench_fake(texts, args):
        """A fake benchmark."""
        ran.append(len(texts))
        return [("documents", str(len(texts)))]

    monkeypatch.setattr(bench, "BENCHMARKS", [bench.bench_tokenize, bench_fake])
    monkeypatch.setattr(bench, "load_texts", lambda corpus: ("three texts", ["あ", "い", "う"]))
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    assert bench.run(parser.parse_args(["--only", "fake"])) == 0
    assert ran == [3] and "== bench_fake" in capsys.readouterr().out
    with pytest.raises(InputError, match="use some of tokenize, fake"):
        bench.run(parser.parse_args(["--only", "nope"]))
