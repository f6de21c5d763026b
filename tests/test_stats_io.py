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
