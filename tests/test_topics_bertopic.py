"""Offline BERTopic on a tiny corpus: Japanese kept, seeded, deterministic, reloads with our tokenizer."""

from __future__ import annotations

import numpy as np
import pytest

from test_topics import THEMES, _interleaved, _texts, _truth

pytestmark = pytest.mark.slow  # importing bertopic alone takes ~8 s


@pytest.fixture(scope="module")
def corpus():
    from analysis.tokenize import JapaneseTokenizer

    texts = _texts() * 2  # 48 documents, 16 per planted group
    tok = JapaneseTokenizer()
    return texts, [tok(t) for t in texts], _truth() * 2


def test_bertopic_offline_japanese_seeded_and_reloadable(corpus, tmp_path):
    from sklearn.metrics import adjusted_rand_score

    from analysis.topics.bertopic_model import BERTopicModel
    from analysis.topics.models import load_topic_model, save_topic_model

    texts, docs, truth = corpus
    model = BERTopicModel(n_topics=None, clustering="hdbscan", themes=THEMES, min_cluster_size=5,
                          random_state=1).fit(docs)
    words = {w for ws in model.topic_words_ for w in ws}
    assert {"輸出規制", "補助金"} <= words  # Japanese survived (no [A-Za-z0-9] cleaning)
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
    assert type(loaded.bertopic_.vectorizer_model.analyzer.tokenizer).__name__ == "JapaneseTokenizer"
    np.testing.assert_array_equal(loaded.transform(texts[:6]), model.transform(texts[:6]))


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


def test_bertopic_estimator_contract_and_grid_search(corpus):
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
