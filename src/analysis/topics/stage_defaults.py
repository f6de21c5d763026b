"""Defaults of the topics stage, importable without pandas or scikit-learn (CLI start-up)."""

#: Topics per model by default: the demo's 7 planted themes plus one for the rest.
DEFAULT_K = 8
