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
