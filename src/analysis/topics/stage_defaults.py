"""The topics stage's registry and defaults, importable without pandas or scikit-learn (CLI start-up).

Every list of topic methods in the package (the CLI's choices, the study config, the pipeline,
the validation commands, the notebooks) is ``TOPIC_METHODS``.
"""

#: Topics per model by default: the demo's 7 planted themes plus one for the rest.
DEFAULT_K = 8

#: The topic models, in the order the pipeline fits them; each writes data/processed/topics/<method>/.
TOPIC_METHODS = ("nmf", "lda", "bertopic")
#: Those fitted by :class:`analysis.topics.models.TopicModel` (the rest by BERTopicModel).
SKLEARN_METHODS = ("nmf", "lda")

#: How outputs name each method (figure titles): BERTopic says what it was built from, since its
#: default here is LSA embeddings (TF-IDF over our tokens -> SVD) with k-means, not the usual
#: sentence-transformers + UMAP + HDBSCAN (livedoor NMI 0.694 against 0.568 for UMAP + HDBSCAN).
METHOD_LABELS = {"nmf": "NMF", "lda": "LDA", "bertopic": "BERTopic（LSA埋め込み, k-means）"}
#: BERTopic's label per (embedding, clustering) as summary.json records them.
BERTOPIC_LABELS = {
    ("lsa", "kmeans"): "BERTopic（LSA埋め込み, k-means）",
    ("lsa", "hdbscan"): "BERTopic（LSA埋め込み, UMAP+HDBSCAN）",
    ("sentence-transformers", "kmeans"): "BERTopic（文埋め込み, k-means）",
    ("sentence-transformers", "hdbscan"): "BERTopic（文埋め込み, UMAP+HDBSCAN）",
}


def method_label(method: str, *, clustering: str | None = None, embedding: str | None = None) -> str:
    """The name outputs give a topic method; BERTopic's says how it embedded and clustered.

    >>> method_label("nmf"), method_label("bertopic"), method_label("bertopic", clustering="hdbscan")
    ('NMF', 'BERTopic（LSA埋め込み, k-means）', 'BERTopic（LSA埋め込み, UMAP+HDBSCAN）')
    """
    if method == "bertopic":
        return BERTOPIC_LABELS.get((embedding or "lsa", clustering or "kmeans"), METHOD_LABELS["bertopic"])
    return METHOD_LABELS.get(method, method)
