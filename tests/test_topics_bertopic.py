"""Offline BERTopic on a tiny corpus: fitted on readable Japanese, seeded and labelled, with topic
distributions, topics over time and a hierarchy, deterministic, saved in BERTopic's own format and
reloaded in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from test_topics import THEMES, _interleaved, _texts, _truth

pytestmark = pytest.mark.slow  # importing bertopic alone takes ~8 s

SEP = "\x1f"


@pytest.fixture(scope="module")
def corpus():
    from analysis.tokenize import JapaneseTokenizer

    texts = _texts() * 2  # 48 documents, 16 per planted group
    tok = JapaneseTokenizer()
    return texts, [tok(t) for t in texts], _truth() * 2


@pytest.fixture(scope="module")
def readable(corpus):
    """The documents as the topics stage gives them: text with its stored tokens."""
    from analysis.topics.embeddings import TokenizedText

    texts, docs, _ = corpus
    return [TokenizedText(t, tuple(d)) for t, d in zip(texts, docs)]


@pytest.fixture(scope="module")
def fitted(readable):
    from analysis.topics.bertopic_model import BERTopicModel

    return BERTopicModel(n_topics=3, themes=THEMES, random_state=3).fit(readable)


def _timestamps(n: int) -> list[pd.Timestamp]:
    return [pd.Timestamp(f"2024-{1 + i % 3:02d}-01", tz="Asia/Tokyo") for i in range(n)]


class CountingTokenizer:
    """The project's tokenizer, recording every text it is asked to tokenize."""

    calls: list[str] = []

    def __init__(self):
        from analysis.tokenize import JapaneseTokenizer

        self.inner = JapaneseTokenizer()

    def __call__(self, text: str) -> list[str]:
        CountingTokenizer.calls.append(text)
        return self.inner(text)


def test_token_lookup_finds_stored_tokens_also_in_joined_texts():
    from analysis.topics.embeddings import TokenAnalyzer, TokenLookup

    lookup = TokenLookup(["輸出規制を\n強化した。", "AI", "補助金だ。"], [["輸出規制", "強化"], ["AI"], ["補助金"]])
    seen: list[str] = []

    def fallback(text):
        seen.append(text)
        return text.split()

    assert lookup.find("輸出規制を\n強化した。") == ["輸出規制", "強化"] and lookup.find("未知") is None
    # BERTopic's c-TF-IDF document of a topic: its documents joined by spaces, newlines made spaces
    assert lookup.tokens("輸出規制を 強化した。 AI 補助金だ。", fallback) == ["輸出規制", "強化", "AI", "補助金"]
    assert seen == []
    assert lookup.tokens("補助金だ。 新しい 文 AI", fallback) == ["補助金", "新しい", "文", "AI"]
    assert seen == ["新しい 文 "]  # only the unknown stretch is tokenized
    analyzer = TokenAnalyzer(tokenizer=str.split, lookup=lookup)
    assert analyzer("補助金だ。") == ["補助金"] and analyzer(f"a{SEP}b") == ["a", "b"] and analyzer("x y") == ["x", "y"]


def test_bertopic_offline_japanese_seeded_and_reloadable(corpus, tmp_path):
    from sklearn.metrics import adjusted_rand_score

    from analysis.topics.bertopic_model import BERTopicModel
    from analysis.topics.models import load_topic_model, save_topic_model

    texts, docs, truth = corpus
    model = BERTopicModel(n_topics=None, clustering="hdbscan", themes=THEMES, min_cluster_size=5,
                          random_state=1).fit(docs)
    words = {w for ws in model.topic_words_ for w in ws}
    assert {"輸出規制", "補助金"} <= words  # Japanese survived (no [A-Za-z0-9] cleaning)
    assert "" not in words
    weights = model.transform(docs)
    assert np.allclose(weights.sum(axis=1), 1.0)
    dominant = np.asarray(model.topics_)[weights.argmax(axis=1)]
    assert adjusted_rand_score(truth, dominant) > 0.6
    assert "輸出規制" in model.labels_ or "AI競争" in model.labels_
    again = BERTopicModel(n_topics=None, clustering="hdbscan", themes=THEMES, min_cluster_size=5,
                          random_state=1).fit(docs)
    assert again.topic_words_ == model.topic_words_
    save_topic_model(model, tmp_path)
    loaded = load_topic_model(tmp_path)
    assert type(loaded.bertopic_.vectorizer_model.tokenizer.tokenizer).__name__ == "JapaneseTokenizer"
    np.testing.assert_array_equal(loaded.transform(texts[:6]), model.transform(texts[:6]))


def test_bertopic_is_fitted_on_readable_text_and_shows_our_labels(fitted, corpus):
    texts, _, truth = corpus
    bertopic = fitted.bertopic_
    info = bertopic.get_topic_info()
    representative = [d for docs in info["Representative_Docs"] for d in docs]
    assert len(representative) >= 3
    assert all(SEP not in d and d in texts for d in representative)  # sentences of the inputs, not tokens
    assert all(any(d in docs for d in texts) for docs in info["Representative_Docs"])
    assert bertopic.custom_labels_ == fitted.labels_
    assert info["CustomName"].tolist() == fitted.labels_
    assert {"輸出規制", "AI競争"} <= set(fitted.labels_)
    themed = dict(zip(info["CustomName"], info["Representative_Docs"]))
    assert all("輸出規制" in d for d in themed["輸出規制"])
    assert all("開発競争" in d or "生成AI" in d for d in themed["AI競争"])


def test_topic_distribution_per_document(fitted, readable, corpus):
    from sklearn.metrics import adjusted_rand_score

    _, _, truth = corpus
    distr = fitted.topic_distr_
    assert distr.shape == (len(readable), len([t for t in fitted.topics_ if t != -1]))
    np.testing.assert_allclose(distr.sum(axis=1), 1.0)
    assert adjusted_rand_score(truth, distr.argmax(axis=1)) > 0.8
    np.testing.assert_allclose(fitted.topic_distribution(readable[:5]), distr[:5])
    # a document about two themes gets a share of each (the hard assignment would give one)
    from analysis.tokenize import JapaneseTokenizer
    from analysis.topics.embeddings import TokenizedText

    mixed = "米政府は先端半導体の輸出規制を強化した。熊本の工場に巨額の補助金が出た。"
    share = fitted.topic_distribution([TokenizedText(mixed, tuple(JapaneseTokenizer()(mixed)))])[0]
    topic_of = dict(zip(fitted.labels_, fitted.topics_))
    subsidy = next(t for t in fitted.topics_ if t not in (topic_of["輸出規制"], topic_of["AI競争"]))
    assert share[topic_of["輸出規制"]] > 0.25 and share[subsidy] > 0.25 and share.sum() == pytest.approx(1.0)


def test_topics_over_time_and_hierarchy_from_the_same_model(fitted, readable):
    docs = fitted.bertopic_documents(readable)
    assert docs == [d.text for d in readable]
    over_time = fitted.bertopic_.topics_over_time(docs, _timestamps(len(docs)))
    assert set(over_time["Topic"]) == {0, 1, 2} and over_time["Timestamp"].nunique() == 3
    assert over_time["Frequency"].sum() == len(docs)
    vocabulary = {w for ws in fitted.topic_words_ for w in ws}
    words = [w for cell in over_time["Words"] for w in cell.split(", ")]
    assert words and set(words) <= vocabulary and not any(SEP in w for w in words)
    hierarchy = fitted.bertopic_.hierarchical_topics(docs)
    assert len(hierarchy) == 2  # three topics merge in two steps
    assert set(hierarchy["Topics"].iloc[hierarchy["Distance"].argmax()]) == {0, 1, 2}


def test_stored_tokens_are_not_tokenized_again(readable):
    from analysis.topics.bertopic_model import BERTopicModel

    CountingTokenizer.calls.clear()
    model = BERTopicModel(n_topics=3, themes=THEMES, random_state=3, tokenizer=CountingTokenizer()).fit(readable)
    docs = model.bertopic_documents(readable)
    model.bertopic_.topics_over_time(docs, _timestamps(len(docs)))
    model.bertopic_.hierarchical_topics(docs)
    model.transform(readable)
    # only the seed words of the themes, which BERTopic embeds as text, reach the tokenizer
    assert sorted(CountingTokenizer.calls) == sorted(" ".join(words) for words in THEMES.values())


def test_same_seed_same_topics_distributions_and_saved_files(readable, tmp_path):
    from analysis.topics.bertopic_model import BERTopicModel
    from analysis.topics.models import save_topic_model

    # fresh fits: BERTopic's topics_over_time l1-normalises c_tf_idf_ in place, so a model it ran on
    # saves other c-TF-IDF bytes
    model, again = (BERTopicModel(n_topics=3, themes=THEMES, random_state=3).fit(readable) for _ in range(2))
    assert again.topic_words_ == model.topic_words_ and again.labels_ == model.labels_
    np.testing.assert_array_equal(again.topic_distr_, model.topic_distr_)
    first, second = model.save_bertopic(tmp_path / "a"), again.save_bertopic(tmp_path / "b")
    names = sorted(p.name for p in first.iterdir())
    assert {"topics.json", "ctfidf.safetensors", "embedding_model.joblib", "representative_docs.json"} <= set(names)
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    save_topic_model(model, tmp_path / "a")  # our joblib too (no per-process state such as an id())
    save_topic_model(again, tmp_path / "b")
    assert (tmp_path / "a" / "model.joblib").read_bytes() == (tmp_path / "b" / "model.joblib").read_bytes()


LOAD_IN_FRESH_PROCESS = """
import json, sys
import pandas as pd
from bertopic import BERTopic
from analysis.topics.bertopic_model import load_bertopic

folder, documents = sys.argv[1], pd.read_parquet(sys.argv[2])
plain = BERTopic.load(folder)  # BERTopic alone: topic info, labels, c-TF-IDF
topic_model = load_bertopic(folder)  # with the embedding pipeline and our tokenizer
info = topic_model.get_topic_info()
over_time = topic_model.topics_over_time(documents["document"].tolist(), documents["published"].tolist())
figure = topic_model.visualize_topics(custom_labels=True)
predicted, _ = topic_model.transform(["生成AIの開発競争で覇権を争う。"])
print(json.dumps({"plain_labels": plain.get_topic_info()["CustomName"].tolist(),
                  "labels": info["CustomName"].tolist(),
                  "representative": info["Representative_Docs"].tolist(),
                  "over_time_words": over_time["Words"].tolist(),
                  "over_time_frequency": int(over_time["Frequency"].sum()),
                  "map_points": len(figure.data[0].x),
                  "predicted": int(predicted[0])}, ensure_ascii=False))
"""


def test_saved_bertopic_loads_in_a_fresh_process(readable, tmp_path):
    from analysis.topics.bertopic_model import BERTopicModel

    model = BERTopicModel(n_topics=4, themes=THEMES, random_state=5).fit(readable)
    folder = model.save_bertopic(tmp_path / "bertopic_model")
    documents = tmp_path / "documents.parquet"
    pd.DataFrame({"document": model.bertopic_documents(readable),
                  "published": _timestamps(len(readable))}).to_parquet(documents)
    done = subprocess.run([sys.executable, "-c", LOAD_IN_FRESH_PROCESS, str(folder), str(documents)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["plain_labels"] == out["labels"] == model.labels_
    texts = {d.text for d in readable}
    assert all(d in texts for docs in out["representative"] for d in docs) and len(out["representative"]) == 4
    vocabulary = {w for ws in model.topic_words_ for w in ws}
    assert out["over_time_frequency"] == len(readable)
    assert {w for cell in out["over_time_words"] for w in cell.split(", ")} <= vocabulary
    assert out["map_points"] == 4
    ai_topic = model.topics_[model.labels_.index("AI競争")]
    assert out["predicted"] == ai_topic


def test_topics_stage_writes_bertopic_save_and_documents(corpus, tmp_path):
    from analysis.tokenize import JapaneseTokenizer
    from analysis.tokenize.sentences import split_sentences
    from analysis.topics.bertopic_model import load_bertopic
    from analysis.topics.stage import fit_and_write

    texts, _, _ = corpus
    tok = JapaneseTokenizer()
    bodies = [t.replace("。", "。\n", 1) for t in texts]  # two paragraphs per editorial
    sentences = [split_sentences(b) for b in bodies]
    frame = pd.DataFrame({
        "doc_id": [f"{i:016x}" for i in range(len(bodies))], "source": ["A", "B"] * (len(bodies) // 2),
        "published": _timestamps(len(bodies)), "text": bodies, "tokens": [tok(b) for b in bodies],
        "sentences": sentences, "sentence_tokens": [[tok(s) for s in ss] for ss in sentences]})
    summary = fit_and_write(frame, "bertopic", tmp_path, k=3, seed=2, themes=THEMES, paragraphs=True, period="M")
    assert summary["method_label"] == "BERTopic（LSA埋め込み, k-means）"
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["method_label"] == summary["method_label"]
    documents = pd.read_parquet(tmp_path / "bertopic_model" / "documents.parquet")
    assert len(documents) == 2 * len(bodies) and list(documents["paragraph"][:2]) == [0, 1]
    assert documents["document"].tolist()[:2] == bodies[0].split("\n")
    topic_model = load_bertopic(tmp_path)
    assert topic_model.topics_ == documents["topic"].tolist()
    representative = [d for docs in topic_model.get_topic_info()["Representative_Docs"] for d in docs]
    assert representative and set(representative) <= set(documents["document"])
    over_time = topic_model.topics_over_time(documents["document"].tolist(), documents["published"].tolist())
    assert over_time["Frequency"].sum() == len(documents)


def test_method_labels_name_the_bertopic_variant(tmp_path):
    from analysis.figures.report import method_title
    from analysis.topics.stage_defaults import METHOD_LABELS, TOPIC_METHODS, method_label

    assert set(METHOD_LABELS) == set(TOPIC_METHODS)
    assert method_label("bertopic", clustering="kmeans") == "BERTopic（LSA埋め込み, k-means）"
    assert method_label("bertopic", clustering="hdbscan") == "BERTopic（LSA埋め込み, UMAP+HDBSCAN）"
    assert method_label("lda") == "LDA"
    # figure titles: the folder's summary.json (a run from before method_label: its clustering)
    (tmp_path / "summary.json").write_text(json.dumps({"method": "bertopic", "clustering": "hdbscan"}))
    assert method_title(tmp_path, "bertopic") == "BERTopic（LSA埋め込み, UMAP+HDBSCAN）"
    assert method_title(tmp_path / "absent", "nmf") == "NMF"


def test_bertopic_paragraphs_aggregate_to_documents(corpus):
    from analysis.topics.bertopic_model import BERTopicModel

    texts, _, _ = corpus
    paragraphed = [t.replace("。", "。\n", 1) for t in texts]  # two paragraphs per document
    model = BERTopicModel(n_topics=None, clustering="hdbscan", paragraphs=True, min_cluster_size=5,
                          random_state=2)
    weights = model.fit_transform(paragraphed)
    assert weights.shape[0] == len(texts)
    assert len(model.unit_topics_) == 2 * len(texts)
    assert np.allclose(weights.sum(axis=1), 1.0)
    assert model.topic_distr_.shape[0] == len(texts)


def test_bertopic_kmeans_gives_k_topics_without_outliers(corpus):
    from sklearn.metrics import adjusted_rand_score

    from analysis.errors import InputError
    from analysis.topics.bertopic_model import BERTopicModel

    texts, docs, truth = corpus
    model = BERTopicModel(n_topics=3, themes=THEMES, random_state=3)
    weights = model.fit_transform(docs)
    assert model.topics_ == [0, 1, 2] and model.outliers_ == 0.0  # exactly k, no -1 topic
    dominant = np.asarray(model.topics_)[weights.argmax(axis=1)]
    assert adjusted_rand_score(truth, dominant) > 0.6
    again = BERTopicModel(n_topics=3, themes=THEMES, random_state=3).fit(docs)
    assert again.topic_words_ == model.topic_words_
    np.testing.assert_array_equal(model.transform(texts[:6]).argmax(axis=1), dominant[:6])
    with pytest.raises(InputError, match="k-means needs"):
        BERTopicModel(n_topics=None).fit(docs)


def test_bertopic_kmeans_uses_mini_batches_above_the_configured_size(corpus, monkeypatch):
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from sklearn.metrics import adjusted_rand_score

    from analysis import config
    from analysis.topics.bertopic_model import BERTopicModel

    texts, docs, truth = corpus
    assert isinstance(BERTopicModel(n_topics=3)._reduction_and_clustering(len(docs))[1], KMeans)
    monkeypatch.setattr(config, "MINIBATCH_KMEANS_ABOVE", len(docs) - 1)
    model = BERTopicModel(n_topics=3, random_state=3)
    assert isinstance(model._reduction_and_clustering(len(docs))[1], MiniBatchKMeans)
    weights = model.fit_transform(docs)
    assert model.topics_ == [0, 1, 2] and model.outliers_ == 0.0
    dominant = np.asarray(model.topics_)[weights.argmax(axis=1)]
    assert adjusted_rand_score(truth, dominant) > 0.6
    again = BERTopicModel(n_topics=3, random_state=3).fit(docs)
    assert again.topic_words_ == model.topic_words_


def test_bertopic_estimator_contract_and_grid_search(corpus, readable):
    import pickle

    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV

    from analysis.topics.bertopic_model import BERTopicModel
    from analysis.topics.selection import npmi_scorer

    texts, docs, _ = corpus
    model = BERTopicModel(n_topics=3, themes=THEMES, random_state=4)
    params = model.get_params()
    model.fit(docs)
    assert model.get_params() == params
    copy = clone(model)
    assert copy.get_params() == params and not [a for a in vars(copy) if a.endswith("_")]
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.transform(texts[:6]), model.transform(texts[:6]))
    assert model.set_params(n_topics=2) is model and model.fit(docs).topics_ == [0, 1]
    search = GridSearchCV(BERTopicModel(random_state=0), {"n_topics": [2, 3]}, scoring=npmi_scorer, cv=2)
    search.fit(_interleaved(docs[:24]) * 2)  # each of the two folds holds all three planted groups
    assert search.best_params_ in ({"n_topics": 2}, {"n_topics": 3})
    assert np.isfinite(np.asarray(search.cv_results_["mean_test_score"], dtype=float)).all()
    readable_search = GridSearchCV(BERTopicModel(random_state=0), {"n_topics": [3]}, scoring=npmi_scorer, cv=2)
    readable_search.fit(_interleaved(readable[:24]) * 2)  # readable documents with tokens go through too
    assert np.isfinite(np.asarray(readable_search.cv_results_["mean_test_score"], dtype=float)).all()
