"""Representative documents and topic words per period (issue 14, items 4 and 5) on tiny inline
Japanese corpora: ranking and ties, readable excerpts, a planted vocabulary shift, thin periods,
the per-period figure, and identical outputs across runs."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.io import write_csv, write_parquet
from analysis.topics.periods import cut_periods, period_sort_key, topic_words_by_period
from analysis.topics.representative import excerpt, representative_documents, write_topic_extras

LABELS = {0: "輸出規制", 1: "AI競争"}

# Topic 0 (輸出規制): before 2022-10-07 the editorials say 禁輸 and 韓国, after it 輸出管理 and 製造装置;
# 輸出規制 and 半導体 run through all of them. Topic 1 (AI競争) is another subject, in 2023 only.
BEFORE = [["輸出規制", "禁輸", "韓国", "半導体", "禁輸"], ["禁輸", "輸出規制", "韓国", "素材"],
          ["輸出規制", "禁輸", "半導体", "韓国"], ["禁輸", "韓国", "輸出規制", "協議"],
          ["輸出規制", "禁輸", "韓国", "半導体"]]
AFTER = [["輸出規制", "輸出管理", "製造装置", "半導体", "輸出管理"], ["輸出管理", "製造装置", "輸出規制", "中国"],
         ["輸出規制", "輸出管理", "製造装置", "半導体"], ["輸出管理", "中国", "輸出規制", "同盟国"],
         ["輸出規制", "輸出管理", "製造装置", "中国"]]
AI = [["生成AI", "開発競争", "覇権"], ["生成AI", "開発競争", "米中"], ["覇権", "生成AI", "開発競争"]]
BEFORE_DATES = ["2019-07-04 05:00", "2019-08-02 05:00", "2020-03-10 05:00", "2021-05-20 05:00", "2022-10-06 23:30"]
AFTER_DATES = ["2022-10-07 00:10", "2023-01-13 05:00", "2023-06-01 05:00", "2024-02-02 05:00", "2025-01-15 05:00"]
AI_DATES = ["2023-02-01 05:00", "2023-05-01 05:00", "2023-09-01 05:00"]


def _ids(prefix, n):
    return [f"{prefix}{i:015x}" for i in range(n)]


@pytest.fixture()
def corpus():
    ids = _ids("a", 5) + _ids("b", 5) + _ids("c", 3)
    titles = [f"輸出規制を問う（{i}）" for i in range(10)] + [f"生成AIの覇権（{i}）" for i in range(3)]
    texts = ["日本政府は\n\n半導体素材の　輸出規制を強化した。" + "禁輸は効くのか。" * 30] * 5 \
        + ["米政府は先端半導体の輸出管理を強めた。"] * 5 + ["生成AIの開発競争が激しい。"] * 3
    published = pd.to_datetime(BEFORE_DATES + AFTER_DATES + AI_DATES).tz_localize("Asia/Tokyo")
    return pd.DataFrame({"doc_id": ids, "source": ["東西新聞", "南北日報"] * 6 + ["東西新聞"], "title": titles,
                         "text": texts, "published": published})


@pytest.fixture()
def tokens(corpus):
    return pd.DataFrame({"doc_id": corpus["doc_id"], "tokens": [np.array(t, dtype=object) for t in BEFORE + AFTER + AI]})


@pytest.fixture()
def doc_topics(corpus):
    rows = []
    weights0 = [0.9, 0.8, 0.8, 0.7, 0.95, 0.9, 0.6, 0.85, 0.9, 0.75]
    for doc_id, w in zip(corpus["doc_id"][:10], weights0):
        rows += [(doc_id, 0, w, True), (doc_id, 1, round(1 - w, 2), False)]
    for doc_id in corpus["doc_id"][10:]:
        rows += [(doc_id, 1, 0.85, True), (doc_id, 0, 0.15, False)]
    return pd.DataFrame(rows, columns=["doc_id", "topic", "weight", "dominant"])


# --- representative documents -------------------------------------------------------------------

def test_representative_ranks_by_weight_dominant_first(doc_topics, corpus):
    reps = representative_documents(doc_topics, corpus, n=4, labels=LABELS)
    assert list(reps.columns) == ["topic", "label", "rank", "doc_id", "weight", "dominant", "title", "published",
                                  "source", "excerpt"]
    zero = reps[reps["topic"] == 0]
    assert zero["rank"].tolist() == [1, 2, 3, 4]
    assert zero["weight"].tolist() == sorted(zero["weight"], reverse=True)
    assert zero["weight"].iloc[0] == 0.95 and zero["label"].unique().tolist() == ["輸出規制"]
    # topic 1 has 3 documents of its own; the 4th is a side theme of a topic-0 document, flagged as such
    one = reps[reps["topic"] == 1]
    assert one["dominant"].tolist() == [True, True, True, False]
    assert one["weight"].iloc[3] == 0.4  # the highest non-dominant weight (1 - 0.6)
    assert isinstance(reps["published"].iloc[0], datetime.date)


def test_representative_ties_broken_by_doc_id(corpus):
    ids = list(corpus["doc_id"][:6])
    shuffled = [ids[i] for i in (4, 1, 5, 0, 3, 2)]
    doc_topics = pd.DataFrame({"doc_id": shuffled, "topic": 2, "weight": 1.0, "dominant": True})  # BERTopic-like
    reps = representative_documents(doc_topics, corpus, n=3)
    assert reps["doc_id"].tolist() == sorted(ids)[:3]
    assert reps["label"].unique().tolist() == ["2"]
    again = representative_documents(doc_topics.iloc[::-1], corpus.iloc[::-1], n=3)
    pd.testing.assert_frame_equal(reps, again)


def test_representative_outliers_only_when_asked(doc_topics, corpus):
    extra = pd.DataFrame({"doc_id": [corpus["doc_id"].iloc[12]], "topic": [-1], "weight": [1.0], "dominant": [False]})
    frame = pd.concat([doc_topics, extra], ignore_index=True)
    assert -1 not in set(representative_documents(frame, corpus)["topic"])
    with_outliers = representative_documents(frame, corpus, include_outliers=True)
    assert with_outliers[with_outliers["topic"] == -1]["label"].tolist() == ["外れ値"]


def test_excerpt_is_readable(doc_topics, corpus):
    reps = representative_documents(doc_topics, corpus, n=1, labels=LABELS)
    text = reps[reps["topic"] == 0]["excerpt"].iloc[0]
    assert text.startswith("日本政府は 半導体素材の 輸出規制を強化した。禁輸は")
    assert "\n" not in text and "\u3000" not in text and "  " not in text
    assert 60 <= len(text) <= 121 and text.endswith("。…")  # cut after a whole sentence
    assert excerpt("短い社説。") == "短い社説。"
    assert excerpt("あ" * 200, width=50) == "あ" * 50 + "…"
    assert excerpt(None) == ""


def test_representative_labels_from_csv_frame_and_unknown_documents(doc_topics, corpus):
    frame = pd.DataFrame({"topic": [0, 1], "label": ["輸出規制", "AI競争"], "seeded": [True, True], "size": [10, 3]})
    reps = representative_documents(doc_topics, corpus, labels=frame)
    assert reps.drop_duplicates("topic")["label"].tolist() == ["輸出規制", "AI競争"]
    with pytest.raises(InputError, match="not in the corpus"):
        representative_documents(doc_topics, corpus.iloc[:5])


# --- topic words by period -------------------------------------------------------------------------

def _words(table, topic, period):
    part = table[(table["topic"] == topic) & (table["period"] == period)]
    return part.sort_values("rank")["word"].tolist()


def test_planted_vocabulary_shift_at_a_cut_date(doc_topics, tokens, corpus):
    table = topic_words_by_period(doc_topics, tokens, corpus, periods=["2022-10-07"], n_words=3, labels=LABELS)
    assert list(table.columns) == ["topic", "label", "period", "rank", "word", "weight", "doc_freq", "n_docs",
                                   "too_few"]
    assert table[table["topic"] == 0]["period"].unique().tolist() == ["〜2022-10-06", "2022-10-07〜"]
    before, after = _words(table, 0, "〜2022-10-06"), _words(table, 0, "2022-10-07〜")
    assert before[0] == "禁輸" and after[0] == "輸出管理"
    assert "禁輸" not in after and "韓国" in before and "輸出管理" not in before and "製造装置" in after
    cells = table.drop_duplicates(["topic", "period"]).set_index(["topic", "period"])
    assert cells.loc[(0, "〜2022-10-06"), "n_docs"] == 5  # 23:30 on the 6th is before the cut
    assert cells.loc[(0, "2022-10-07〜"), "n_docs"] == 5  # 00:10 on the 7th is after it
    assert table[(table["topic"] == 0) & (table["word"] == "禁輸")]["doc_freq"].tolist() == [5]
    # the AI topic has its own words and is untouched by the export-control vocabulary
    assert set(_words(table, 1, "2022-10-07〜")) == {"生成AI", "開発競争", "覇権"}


def test_weight_is_weighted_relative_frequency_times_corpus_idf():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"],
                           "published": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01"]).tz_localize("Asia/Tokyo")})
    tokens = pd.DataFrame({"doc_id": ["a", "b", "c"], "tokens": [["禁輸", "禁輸", "韓国"], ["輸出管理"], ["韓国"]]})
    doc_topics = pd.DataFrame({"doc_id": ["a", "b", "c"], "topic": [0, 0, 1], "weight": [0.5, 1.0, 1.0],
                               "dominant": [True, True, True]})
    table = topic_words_by_period(doc_topics, tokens, corpus, freq="Y", n_words=5, min_docs=1)
    got = table[table["topic"] == 0].set_index("word")["weight"]
    total = 0.5 * 3 + 1.0 * 1  # weighted word total of topic 0's documents
    assert got["禁輸"] == pytest.approx(0.5 * 2 / total * np.log1p(3 / 1))
    assert got["韓国"] == pytest.approx(0.5 * 1 / total * np.log1p(3 / 2))
    assert got["輸出管理"] == pytest.approx(1.0 / total * np.log1p(3 / 1))
    # 禁輸 and 輸出管理 tie (0.5 x 2 = 1.0 x 1 weighted counts, same idf): broken by the word
    assert table[table["topic"] == 0]["word"].tolist() == ["禁輸", "輸出管理", "韓国"]


def test_yearly_periods_and_thin_periods_flagged_not_dropped(doc_topics, tokens, corpus):
    table = topic_words_by_period(doc_topics, tokens, corpus, freq="Y", n_words=4, min_docs=2, labels=LABELS)
    cells = table[table["topic"] == 0].drop_duplicates("period").set_index("period")
    assert cells.index.tolist() == ["2019", "2020", "2021", "2022", "2023", "2024", "2025"]
    assert cells["n_docs"].to_dict() == {"2019": 2, "2020": 1, "2021": 1, "2022": 2, "2023": 2, "2024": 1, "2025": 1}
    assert cells["too_few"].to_dict() == {p: n < 2 for p, n in cells["n_docs"].items()}
    assert _words(table, 0, "2020")  # a one-editorial year still shows its words
    none_thin = topic_words_by_period(doc_topics, tokens, corpus, freq="Y", min_docs=1)
    assert not none_thin["too_few"].any()


def test_undated_and_outlier_documents_left_out(doc_topics, tokens, corpus):
    undated = corpus.copy()
    undated.loc[0, "published"] = pd.NaT
    table = topic_words_by_period(doc_topics, tokens, undated, periods=["2022-10-07"])
    assert table[(table["topic"] == 0) & (table["period"] == "〜2022-10-06")]["n_docs"].iloc[0] == 4
    outliers = doc_topics.copy()
    outliers.loc[outliers["topic"] == 1, "topic"] = -1
    assert -1 not in set(topic_words_by_period(outliers, tokens, corpus)["topic"])
    assert -1 in set(topic_words_by_period(outliers, tokens, corpus, include_outliers=True)["topic"])


def test_bad_periods_are_input_errors(doc_topics, tokens, corpus):
    with pytest.raises(InputError, match="not a date"):
        topic_words_by_period(doc_topics, tokens, corpus, periods=["2022-13-45"])
    with pytest.raises(InputError, match="freq="):
        topic_words_by_period(doc_topics, tokens, corpus, freq="W")
    with pytest.raises(InputError, match="lacks column"):
        topic_words_by_period(doc_topics, tokens.rename(columns={"tokens": "words"}), corpus)


def test_cut_periods_with_several_cuts_sort_in_time_order():
    dates = pd.Series(pd.to_datetime(["2019-05-01", "2021-01-01", "2024-01-01", None]).tz_localize("Asia/Tokyo"))
    labels = cut_periods(dates, ["2022-10-07", "2020-01-01"])
    assert labels.iloc[:3].tolist() == ["〜2019-12-31", "2020-01-01〜2022-10-06", "2022-10-07〜"]
    assert pd.isna(labels.iloc[3])
    assert sorted(reversed(labels.iloc[:3].tolist()), key=period_sort_key) == labels.iloc[:3].tolist()


def test_two_runs_give_identical_tables_and_files(tmp_path, doc_topics, tokens, corpus):
    first = topic_words_by_period(doc_topics, tokens, corpus, periods=["2022-10-07"])
    second = topic_words_by_period(doc_topics.sample(frac=1, random_state=3), tokens.iloc[::-1],
                                   corpus.sample(frac=1, random_state=4), periods=["2022-10-07"])
    pd.testing.assert_frame_equal(first, second)
    method_dir = tmp_path / "topics" / "nmf"
    write_parquet(doc_topics, method_dir / "doc_topics.parquet")
    write_csv(pd.DataFrame({"topic": [0, 1], "label": ["輸出規制", "AI競争"], "seeded": [True, True],
                            "size": [10, 3]}), method_dir / "topic_labels.csv")
    contents = []
    for _ in range(2):
        written = write_topic_extras(method_dir, corpus, tokens, n_docs=3, n_words=4, periods=["2022-10-07"])
        assert [p.name for p in written] == ["representative_documents.parquet", "topic_words_by_period.parquet"]
        contents.append([p.read_bytes() for p in written])
    assert contents[0] == contents[1]
    reps = pd.read_parquet(written[0])
    assert reps.groupby("topic").size().to_dict() == {0: 3, 1: 3}
    words = pd.read_parquet(written[1])
    assert _words(words, 0, "〜2022-10-06")[0] == "禁輸" and words["label"].iloc[0] == "輸出規制"


# --- figure -----------------------------------------------------------------------------------------

@pytest.fixture()
def _style():
    import matplotlib

    matplotlib.use("Agg")
    from analysis.figures.style import use_style

    use_style()
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def test_figure_draws_one_panel_per_period(_style, tmp_path, doc_topics, tokens, corpus):
    from matplotlib.colors import to_hex

    from analysis.figures.plots import SHARED_COLOR, SHIFT_COLOR, plot_topic_words_by_period
    from analysis.figures.style import save_figure

    table = topic_words_by_period(doc_topics, tokens, corpus, freq="Y", n_words=10, min_docs=2, labels=LABELS)
    axes = plot_topic_words_by_period(table.sample(frac=1, random_state=1), topic=0, n=3)
    years = ["2019", "2020", "2021", "2022", "2023", "2024", "2025"]
    assert len(axes) == len(years)
    titles = [ax.get_title() for ax in axes]
    assert [t.split("（")[0] for t in titles] == years
    assert titles[0] == "2019（2本）" and titles[1] == "2020（1本・少数）"
    assert all(len(ax.patches) <= 3 for ax in axes)
    assert "輸出規制" in axes[0].figure._suptitle.get_text()

    cut = topic_words_by_period(doc_topics, tokens, corpus, periods=["2022-10-07"], n_words=4, labels=LABELS)
    axes = plot_topic_words_by_period(cut, topic=0, n=4)
    assert [ax.get_title() for ax in axes] == ["〜2022-10-06（5本）", "2022-10-07〜（5本）"]
    words = {ax.get_title(): [t.get_text() for t in ax.get_yticklabels()] for ax in axes}
    assert words["〜2022-10-06（5本）"][0] == "禁輸"
    colors = {t.get_text(): to_hex(p.get_facecolor()) for t, p in zip(axes[0].get_yticklabels(), axes[0].patches)}
    assert colors["禁輸"] == SHIFT_COLOR.lower() and colors["輸出規制"] == SHARED_COLOR.lower()

    pngs = []
    for i in range(2):
        axes = plot_topic_words_by_period(cut, topic=0, n=4)
        pngs.append(save_figure(axes[0].figure, tmp_path / f"words_{i}", formats=("png",))[0].read_bytes())
    assert pngs[0] == pngs[1]
    with pytest.raises(InputError, match="not in the table"):
        plot_topic_words_by_period(cut, topic=7)


def test_figure_in_a_given_axes(_style, doc_topics, tokens, corpus):
    import matplotlib.pyplot as plt

    from analysis.figures.plots import plot_topic_words_by_period

    table = topic_words_by_period(doc_topics, tokens, corpus, periods=["2022-10-07"], labels=LABELS)
    fig, (top, bottom) = plt.subplots(2, 1)
    axes = plot_topic_words_by_period(table, topic=0, ax=top)
    assert len(axes) == 2 and top not in fig.axes and bottom in fig.axes
    assert all(ax.figure is fig for ax in axes)
