"""Shared building blocks: periods, bootstrap intervals, atomic deterministic writers."""

import numpy as np
import pandas as pd
import pytest

from analysis import io, stats
from analysis.tokenize.sentences import sentence_spans, split_sentences


def test_period_labels_use_japan_time():
    published = pd.Series(pd.to_datetime(["2024-01-31T15:30:00+00:00", "2024-03-01T00:10:00+09:00", None], utc=True))
    assert stats.period_label(published, "M").tolist()[:2] == ["2024-02", "2024-03"]
    assert stats.period_label(published, "Q").tolist()[:2] == ["2024Q1", "2024Q1"]
    assert stats.period_label(published, "Y").tolist()[:2] == ["2024", "2024"]
    assert pd.isna(stats.period_label(published, "M").iloc[2])
    with pytest.raises(ValueError):
        stats.period_label(published, "W")


def test_bootstrap_interval_brackets_mean_and_is_seeded():
    x = np.r_[np.zeros(30), np.ones(70)]
    mean, lo, hi = stats.bootstrap_mean_ci(x, n_boot=2000, seed=3)
    assert mean == pytest.approx(0.7)
    assert lo < mean < hi
    # normal approximation: 0.7 +- 1.96 * sqrt(.21/100) = [0.61, 0.79]
    assert lo == pytest.approx(0.61, abs=0.025) and hi == pytest.approx(0.79, abs=0.025)
    assert stats.bootstrap_mean_ci(x, n_boot=500, seed=3) == stats.bootstrap_mean_ci(x, n_boot=500, seed=3)
    assert stats.bootstrap_mean_ci([0.5]) == (0.5, 0.5, 0.5)
    assert all(np.isnan(stats.bootstrap_mean_ci([])))


def test_grouped_mean_ci_counts_and_order_independence():
    frame = pd.DataFrame({"source": list("AABBB"), "value": [1.0, -1.0, 1.0, 1.0, np.nan]})
    out = stats.grouped_mean_ci(frame, ["source"], "value", n_boot=100)
    assert out["n"].tolist() == [2, 2]
    assert out["mean"].tolist() == [0.0, 1.0]
    shuffled = stats.grouped_mean_ci(frame.iloc[::-1], ["source"], "value", n_boot=100)
    pd.testing.assert_frame_equal(out, shuffled)


def test_writers_are_atomic_and_deterministic(tmp_path):
    frame = pd.DataFrame({"語": ["輸出規制", "補助金"], "n": [1, 2]})
    io.write_parquet(frame, tmp_path / "a.parquet")
    with_attrs = frame.copy()
    with_attrs.attrs["n_cached"] = 2  # run statistics must not reach the file
    io.write_parquet(with_attrs, tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    assert with_attrs.attrs == {"n_cached": 2}
    io.write_csv(frame, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "語,n\n輸出規制,1\n補助金,2\n"

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with io.atomic_path(tmp_path / "a.csv") as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise Boom
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").startswith("語,n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "a.parquet", "b.parquet"]


def test_sentences_keep_quotes_and_offsets():
    text = "AIは重要だ。しかし「規制は要らない。」と言う！\n\n次の段落だ"
    assert split_sentences(text) == ["AIは重要だ。", "しかし「規制は要らない。」と言う！", "次の段落だ"]
    assert [text[a:b] for a, b in sentence_spans(text)] == split_sentences(text)


def test_auto_period_needs_enough_documents_per_newspaper():
    monthly = pd.Series(pd.date_range("2020-01-01", periods=48, freq="MS", tz="Asia/Tokyo"))
    one_paper_monthly = pd.concat([monthly] * 6, ignore_index=True)  # 6 a month: months suffice
    assert stats.choose_period(one_paper_monthly) == "M"
    three_papers = pd.Series([p for p in "AABBCC" for _ in range(48)])  # 2 a month per paper; 6 a quarter
    assert stats.choose_period(one_paper_monthly, three_papers) == "Q"
    assert stats.choose_period(monthly, pd.Series(["A"] * 48)) == "Y"
    labels = stats.period_label(monthly, "auto", groups=pd.Series(["A"] * 48))
    assert labels.iloc[0] == "2020" and labels.nunique() == 4


def _four_a_year_per_paper():
    """The new user's corpus: 40 editorials, two papers, four a year each over five years."""
    dates = pd.Series(pd.date_range("2020-01-01", periods=20, freq="QS", tz="Asia/Tokyo") + pd.Timedelta(days=14))
    published = pd.concat([dates, dates], ignore_index=True)
    papers = pd.Series(["東西新聞"] * 20 + ["南北日報"] * 20)
    return published, papers


def test_period_support_counts_documents_per_paper_and_period():
    published, papers = _four_a_year_per_paper()
    support = stats.period_support(published, papers, "Y")
    assert list(support.columns) == ["group", "period", "n"]
    assert len(support) == 10 and set(support["n"]) == {4}
    assert support.iloc[0].to_dict() == {"group": "南北日報", "period": "2020", "n": 4}
    assert stats.period_support(published, None, "Q")["n"].tolist() == [2] * 20
    undated = pd.Series(pd.to_datetime([None, "2024-01-02"]).tz_localize("Asia/Tokyo"))
    assert stats.period_support(undated, None, "M").to_dict("records") == [{"group": "", "period": "2024-01", "n": 1}]


def test_auto_period_says_when_it_cannot_keep_its_promise():
    published, papers = _four_a_year_per_paper()
    assert stats.choose_period(published, papers) == "Y"  # the longest period, and still only 4 per point
    note = stats.period_note(published, papers)
    assert note.startswith("Y (auto; NOT the promised 5 documents") and "median is 4" in note and "minimum 4" in note
    assert "NOT" not in stats.period_note(published, papers, min_docs=4)
    assert stats.choose_period(published, papers, min_docs=4) == "Y"
    assert stats.choose_period(published, papers, min_docs=1) == "M"


def test_auto_period_is_the_shortest_whose_median_cell_reaches_min_docs():
    # one paper: 7 documents in each quarter's first month only; the other: 1 a month
    busy = pd.Series(pd.to_datetime([f"2024-{m:02d}-{d:02d}" for m in (1, 4, 7, 10) for d in range(1, 8)]))
    quiet = pd.Series(pd.to_datetime([f"2024-{m:02d}-15" for m in range(1, 13)]))
    published = pd.concat([busy, quiet], ignore_index=True).dt.tz_localize("Asia/Tokyo")
    papers = pd.Series(["甲"] * len(busy) + ["乙"] * len(quiet))
    monthly = stats.period_support(published, papers, "M")["n"]
    assert monthly.median() < 5  # 4 busy months of 7 and 12 quiet months of 1
    quarterly = stats.period_support(published, papers, "Q")
    assert quarterly["n"].median() >= 5 and quarterly["n"].min() == 3  # median kept, minimum not promised
    assert stats.choose_period(published, papers) == "Q"
    note = stats.period_note(published, papers)
    assert note.startswith("Q (auto: median") and "minimum 3" in note and "4 of 8 newspaper-quarter points" in note


def test_stats_docstring_examples_run():
    import doctest

    failures, attempted = doctest.testmod(stats)
    assert attempted > 0 and failures == 0
