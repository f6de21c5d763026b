"""Topic models on a tiny inline corpus: fit, determinism, seeded themes, save/reload, shares, NPMI,
the scikit-learn estimator contract (clone, get/set_params, pickle, GridSearchCV over k); both LDA
engines (tomotopy's Gibbs sampler, the default, and scikit-learn's variational EM)."""

from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis.topics.models import GibbsLDA, TopicModel, load_topic_model, save_topic_model
from analysis.topics.selection import (npmi_coherence, npmi_scorer, reference_tokens, select_k, stability,
                                       topic_diversity)
from analysis.topics.seeded import label_topics, load_themes
from analysis.topics.shares import doc_topics_frame, dominant_topics, topic_shares

EXPORT = ["米政府は先端半導体の輸出規制を強化した。", "中国向けの輸出規制は同盟国にも協調を求める。",
          "エヌビディアの半導体は輸出規制の対象となった。", "商務省が輸出規制の対象企業を追加した。"]
AI = ["生成AIの開発競争で米中が覇権を争う。", "ディープシークの生成AIが開発競争を揺さぶった。",
      "人工知能の覇権をめぐる開発競争が激しい。", "オープンAIも生成AIの開発競争に追われる。"]
SUBSIDY = ["政府は工場誘致に補助金を投じる。", "熊本の工場に巨額の補助金が出た。",
           "補助金で国内の工場を増やす政策だ。", "ラピダスの工場への補助金は妥当か。"]
THEMES = {"輸出規制": ["輸出規制", "商務省"], "AI競争": ["生成AI", "開発競争", "覇権"]}


def _texts() -> list[str]:
    # 24 documents: each theme's sentences combined in pairs, so words co-occur within a theme.
    out = []
    for group in (EXPORT, AI, SUBSIDY):
        for i in range(len(group)):
            out.append(group[i] + group[(i + 1) % len(group)])
            out.append(group[i] + group[(i + 2) % len(group)])
    return out


@pytest.fixture(scope="module")
def texts():
    return _texts()


@pytest.fixture(scope="module")
def token_docs(texts):
    from analysis.tokenize import JapaneseTokenizer

    tok = JapaneseTokenizer()
    return [tok(t) for t in texts]


def _truth():
    return [g for g in range(3) for _ in range(8)]


@pytest.mark.parametrize("method,engine", [("nmf", "tomotopy"), ("lda", "tomotopy"), ("lda", "sklearn")])
def test_tiny_corpus_recovers_groups(method, engine, token_docs):
    from sklearn.metrics import adjusted_rand_score

    model = TopicModel(method, n_topics=3, random_state=1, lda_engine=engine).fit(token_docs)
    weights = model.transform(token_docs)
    assert weights.shape == (24, 3)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    assert adjusted_rand_score(_truth(), weights.argmax(axis=1)) > 0.8
    words = model.topic_words(5)
    assert list(words.columns) == ["topic", "label", "rank", "word", "weight"]
    assert set(words["topic"]) == {0, 1, 2}


@pytest.mark.parametrize("method,engine", [("nmf", "tomotopy"), ("lda", "tomotopy"), ("lda", "sklearn")])
def test_same_seed_same_topics(method, engine, token_docs):
    a = TopicModel(method, n_topics=3, random_state=7, lda_engine=engine).fit(token_docs)
    b = TopicModel(method, n_topics=3, random_state=7, lda_engine=engine).fit(token_docs)
    pd.testing.assert_frame_equal(a.topic_words(10), b.topic_words(10))
    np.testing.assert_array_equal(a.transform(token_docs), b.transform(token_docs))


def test_gibbs_lda_is_deterministic_and_per_document(token_docs):
    # same seed -> the identical doc-topic matrix, also from a fresh model, a pickled copy and
    # whatever other documents are transformed alongside (inference is per document)
    a = TopicModel("lda", n_topics=3, random_state=11).fit(token_docs)
    b = TopicModel("lda", n_topics=3, random_state=11).fit(token_docs)
    assert isinstance(a.model_, GibbsLDA)
    theta = a.transform(token_docs)
    np.testing.assert_array_equal(theta, b.transform(token_docs))
    np.testing.assert_array_equal(theta, a.fit_transform(token_docs))
    np.testing.assert_array_equal(theta[5:9], a.transform(token_docs[5:9]))
    np.testing.assert_array_equal(theta, pickle.loads(pickle.dumps(a)).transform(token_docs))
    np.testing.assert_array_equal(a.model_.components_, b.model_.components_)
    np.testing.assert_allclose(a.model_.components_.sum(axis=1), 1.0)
    # a document with no word of the vocabulary gets no weight; another seed gives another sample
    assert not a.transform([["未知語だけ"]]).any()
    other = TopicModel("lda", n_topics=3, random_state=12).fit(token_docs)
    assert not np.array_equal(other.model_.components_, a.model_.components_)


@pytest.mark.parametrize("engine", ["tomotopy", "sklearn"])
def test_lda_topics_are_named_after_themes(engine, token_docs):
    # LDA is not seeded (tomotopy's word priors kept the seed words on their topic but not the
    # documents); its topics take a theme's name when two of the theme's seeds are among their top words
    model = TopicModel("lda", n_topics=3, themes=THEMES, random_state=3, lda_engine=engine).fit(token_docs)
    assert model.seeded_ == [None, None] and not any(model.is_seeded_)
    assert "AI競争" in model.labels_
    ai = model.labels_.index("AI競争")
    assert len(set(THEMES["AI競争"]) & set(model.topic_words_[ai][:10])) >= 2
    assert (model.transform(token_docs).argmax(axis=1)[8:16] == ai).mean() >= 0.75


def test_unknown_lda_engine_is_input_error(token_docs):
    from analysis.errors import InputError

    with pytest.raises(InputError, match="lda_engine"):
        TopicModel("lda", n_topics=3, lda_engine="gensim").fit(token_docs)


def test_seeded_theme_appears_under_its_name(token_docs):
    model = TopicModel("nmf", n_topics=3, themes=THEMES, random_state=3).fit(token_docs)
    assert "輸出規制" in model.labels_ and "AI競争" in model.labels_
    words = model.topic_words(10)
    export_topic = model.labels_.index("輸出規制")
    assert "輸出規制" in set(words[words["topic"] == export_topic]["word"])
    assert model.is_seeded_[export_topic]
    # the seeded topic holds the export-control documents
    dominant = model.transform(token_docs).argmax(axis=1)
    assert (dominant[:8] == export_topic).mean() >= 0.75
    # the unseeded topic is named after its own words, not a theme
    free = [lab for lab, s in zip(model.labels_, model.is_seeded_) if not s]
    assert free and all(lab not in THEMES for lab in free)


def test_label_falls_back_to_top_words_when_seed_lost():
    labels = label_topics([["工場", "補助金"], ["生成AI", "覇権"]], THEMES, seeded=[0, None])
    assert labels[0] == ("工場・補助金", True)  # seeded with 輸出規制 but drifted away
    assert labels[1] == ("AI競争", False)        # named post hoc: two AI seeds among its words


def test_raw_text_and_tokens_agree_and_reload_keeps_japanese(texts, token_docs, tmp_path):
    model = TopicModel("nmf", n_topics=3, themes=THEMES, random_state=5).fit(token_docs)
    # raw Japanese text goes through JapaneseTokenizer inside the vectorizer
    np.testing.assert_allclose(model.transform(texts), model.transform(token_docs))
    save_topic_model(model, tmp_path)
    again = load_topic_model(tmp_path)
    np.testing.assert_allclose(again.transform(texts), model.transform(texts))
    # a fresh interpreter unpickles it and tokenizes Japanese identically
    code = ("import sys, numpy as np; from analysis.topics.models import load_topic_model;"
            "m = load_topic_model(sys.argv[1]); print(np.round(m.transform([sys.argv[2]]), 6).tolist());"
            "print(type(m.vectorizer_.analyzer.tokenizer).__name__)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path), texts[0]], capture_output=True,
                         text=True, check=True).stdout.split("\n")
    assert out[1] == "JapaneseTokenizer"
    assert np.allclose(eval(out[0]), np.round(model.transform([texts[0]]), 6))
    assert pickle.loads(pickle.dumps(model)).transform([texts[0]]).argmax() == model.transform([texts[0]]).argmax()


def test_too_many_themes_is_input_error(token_docs):
    from analysis.errors import InputError

    themes = {f"t{i}": ["輸出規制"] for i in range(3)}
    with pytest.raises(InputError, match="--k"):
        TopicModel("nmf", n_topics=2, themes=themes).fit(token_docs)


def test_bundled_themes_load():
    themes = load_themes()
    assert {"AI競争", "輸出規制", "AI規制"} <= set(themes)
    assert all(isinstance(w, str) for words in themes.values() for w in words)


def test_bad_themes_file(tmp_path):
    from analysis.errors import InputError

    bad = tmp_path / "t.yaml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(InputError, match="t.yaml"):
        load_themes(bad)


def test_shares_consistent_with_counts():
    rng = np.random.default_rng(0)
    n = 60
    weights = rng.dirichlet([1, 1, 1], size=n)
    ids = [f"d{i}" for i in range(n)]
    dt = doc_topics_frame(ids, weights, [0, 1, 2])
    published = pd.Timestamp("2024-01-01", tz="Asia/Tokyo") + pd.to_timedelta(rng.integers(0, 180, n), unit="D")
    corpus = pd.DataFrame({"doc_id": ids, "source": rng.choice(["朝日", "読売"], n), "published": published})
    labels = {0: "a", 1: "b", 2: "c"}
    shares = topic_shares(dt, corpus, labels, freq="Q", n_boot=100)
    dom = dominant_topics(dt)
    corpus["topic"] = corpus["doc_id"].map(dom)
    corpus["period"] = corpus["published"].dt.tz_localize(None).dt.to_period("Q").astype(str)
    counts = corpus.groupby(["source", "period"]).size()
    hits = corpus.groupby(["source", "period", "topic"]).size()
    for row in shares.itertuples():
        assert row.n == counts[(row.source, row.period)]
        assert row.mean == pytest.approx(hits.get((row.source, row.period, row.topic), 0) / row.n)
        assert row.ci_low <= row.mean <= row.ci_high
    assert np.allclose(shares.groupby(["source", "period"])["mean"].sum(), 1.0)
    mass = topic_shares(dt, corpus, labels, freq="Y", value="mass", by=(), n_boot=50)
    assert np.allclose(mass["mean"].to_numpy(), weights.mean(axis=0))


def test_npmi_hand_computed():
    ref = [["a", "b"], ["a", "b"], ["c"], ["c", "a"], ["b"]]
    # p(a)=3/5 p(b)=3/5 p(ab)=2/5 ; p(c)=2/5 p(ac)=1/5 ; p(bc)=0 -> -1
    ab = np.log((2 / 5) / (9 / 25)) / -np.log(2 / 5)
    ac = np.log((1 / 5) / (6 / 25)) / -np.log(1 / 5)
    got = npmi_coherence([["a", "b"], ["a", "b", "c"]], ref)
    assert got[0] == pytest.approx(ab)
    assert got[1] == pytest.approx((ab + ac - 1) / 3)
    assert topic_diversity([["a", "b"], ["b", "c"]]) == pytest.approx(3 / 4)
    assert stability([[["a", "b"], ["c"]], [["a", "b"], ["c"]]]) == 1.0


def test_select_k_table(token_docs):
    table = select_k(token_docs, [2, 3], methods=["nmf"], seeds=[1, 2])
    assert list(table["k"]) == [2, 3]
    assert table[["npmi", "diversity", "stability"]].apply(lambda c: c.between(-1, 1)).all().all()
    # fitted topics are more coherent than word lists that mix the planted groups
    mixed = [["輸出規制", "補助金", "生成AI"], ["商務省", "工場", "覇権"]]
    assert table["npmi"].min() > float(np.mean(npmi_coherence(mixed, token_docs))) + 0.5


def test_plot_k_selection_only_draws():
    import matplotlib

    matplotlib.use("Agg")
    from analysis.figures.style import use_style
    from analysis.topics.selection import plot_k_selection

    use_style()
    df = pd.DataFrame({"method": ["nmf"] * 2, "k": [2, 3], "npmi": [0.1, 0.2], "npmi_sd": [0, 0],
                       "diversity": [0.9, 0.8], "stability": [0.5, 0.6], "n_seeds": [2, 2]})
    ax = plot_k_selection(df)
    assert len(ax.get_lines()) == 3


# -- the scikit-learn estimator contract ---------------------------------------------------------

def _unfitted_models():
    from analysis.topics.bertopic_model import BERTopicModel  # bertopic itself is imported in fit only

    return [TopicModel("nmf", n_topics=3, random_state=1), TopicModel("lda", n_topics=3, random_state=1),
            TopicModel("lda", n_topics=3, random_state=1, lda_engine="sklearn"),
            TopicModel("nmf", n_topics=3, themes=THEMES, random_state=1),
            TopicModel("lda", n_topics=3, themes=THEMES, random_state=1),
            BERTopicModel(n_topics=3, themes=THEMES, random_state=1)]


def _interleaved(items):
    # one document of each planted group in turn, so each of cv=2's contiguous folds holds all three
    return [d for trio in zip(items[:8], items[8:16], items[16:]) for d in trio]


@pytest.mark.parametrize("check", ["check_parameters_default_constructible", "check_no_attributes_set_in_init",
                                   "check_get_params_invariance", "check_set_params",
                                   "check_do_not_raise_errors_in_init_or_set_params",
                                   "check_estimator_cloneable", "check_estimator_repr", "check_mixin_order"])
def test_estimator_api_checks(check):
    # sklearn's checks that need no data; the rest assume a numeric 2-D X (ours: texts or token lists)
    from sklearn.utils import estimator_checks

    for model in [*_unfitted_models(), GibbsLDA(3, random_state=1)]:
        getattr(estimator_checks, check)(type(model).__name__, model)


def test_clone_gives_unfitted_model_with_equal_params(token_docs):
    from sklearn.base import BaseEstimator, TransformerMixin, clone
    from sklearn.exceptions import NotFittedError

    for model in _unfitted_models():
        assert isinstance(model, BaseEstimator) and isinstance(model, TransformerMixin)
        params = model.get_params()
        assert params["n_topics"] == 3 and params["random_state"] == 1
        if isinstance(model, TopicModel):
            model.fit(token_docs)
            assert model.get_params() == params  # fit leaves the parameters as given
        copy = clone(model)
        assert type(copy) is type(model) and copy.get_params() == params
        assert not [a for a in vars(copy) if a.endswith("_")]
        with pytest.raises(NotFittedError):
            copy.transform(token_docs[:2])


def test_set_params_changes_behaviour(token_docs):
    from sklearn.decomposition import NMF, LatentDirichletAllocation

    model = TopicModel("nmf", n_topics=3, random_state=1)
    assert model.fit(token_docs).transform(token_docs).shape == (24, 3)
    assert model.set_params(n_topics=2, method="lda") is model
    assert model.get_params()["n_topics"] == 2
    weights = model.fit(token_docs).transform(token_docs)
    assert weights.shape == (24, 2) and isinstance(model.model_, GibbsLDA)
    model.set_params(lda_engine="sklearn")
    assert isinstance(model.fit(token_docs).model_, LatentDirichletAllocation)
    model.set_params(method="nmf", themes=THEMES, n_topics=3)
    model.fit(token_docs)
    assert isinstance(model.model_, NMF) and "輸出規制" in model.labels_


@pytest.mark.parametrize("method,themes", [("nmf", None), ("lda", None), ("nmf", THEMES), ("lda", THEMES)])
def test_fitted_model_pickles_with_identical_transform(method, themes, texts, token_docs):
    model = TopicModel(method, n_topics=3, themes=themes, random_state=2).fit(token_docs)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.transform(token_docs), model.transform(token_docs))
    np.testing.assert_array_equal(again.transform(texts[:4]), model.transform(texts[:4]))
    assert again.get_params() == model.get_params() and again.topic_words_ == model.topic_words_


def test_npmi_scorer_is_select_k_npmi(texts, token_docs):
    model = TopicModel("nmf", n_topics=3, random_state=1).fit(token_docs)
    table = select_k(token_docs, [3], methods=["nmf"], seeds=[1])
    assert npmi_scorer(model, token_docs) == pytest.approx(table["npmi"].iloc[0])
    # raw text is tokenized with the model's tokenizer; paragraph lists are flattened
    assert reference_tokens(texts) == token_docs
    assert reference_tokens([[d[:3], d[3:]] for d in token_docs]) == token_docs
    assert npmi_scorer(model, texts) == npmi_scorer(model, token_docs)


@pytest.mark.parametrize("method,themes", [("nmf", None), ("nmf", THEMES), ("lda", None), ("lda", THEMES)])
def test_grid_search_over_k_with_npmi_scorer(method, themes, texts):
    from sklearn.model_selection import GridSearchCV

    search = GridSearchCV(TopicModel(method, themes=themes, random_state=0), {"n_topics": [2, 3]},
                          scoring=npmi_scorer, cv=2)
    search.fit(_interleaved(texts))  # raw Japanese text, tokenized by JapaneseTokenizer inside
    assert search.best_params_ in ({"n_topics": 2}, {"n_topics": 3})
    for key in ("mean_test_score", "split0_test_score", "split1_test_score"):
        scores = np.asarray(search.cv_results_[key], dtype=float)
        assert scores.shape == (2,) and np.isfinite(scores).all() and (np.abs(scores) <= 1).all()
    best = search.best_estimator_
    assert best.n_topics == search.best_params_["n_topics"] == len(best.topics_)
