"""A picklable tokenizer for scikit-learn and BERTopic vectorizers.

>>> from sklearn.feature_extraction.text import CountVectorizer
>>> vectorizer = CountVectorizer(tokenizer=JapaneseTokenizer(), lowercase=False, token_pattern=None)
>>> sorted(vectorizer.fit(["輸出規制を強化する。", "補助金は要らない。"]).vocabulary_)
['強化', '要る', '補助金', '輸出規制']

The instance holds only its settings and cache folder; the janome Tokenizer behind it is built
once per process on first use and never pickled, so a vectorizer or a saved BERTopic model
carrying it survives pickle and joblib round trips (re-attach it after BERTopic's safetensors
save, which drops custom tokenizers: FACTS.md). With ``cache_dir`` (the folder ``analysis
tokenize`` filled), texts already tokenized come from the cache without any janome work.
"""

from __future__ import annotations

from pathlib import Path

from analysis.tokenize.settings import AnalyzerSettings


class JapaneseTokenizer:
    """``JapaneseTokenizer(settings=None, cache_dir=None)(text) -> list[str]``."""

    def __init__(self, settings: AnalyzerSettings | None = None, cache_dir: str | Path | None = None):
        self.settings = settings
        self.cache_dir = cache_dir

    def _cache(self):
        from analysis.tokenize.cache import TokenCache

        cache = self.__dict__.get("_cache_obj")
        if cache is None:
            cache = TokenCache(self.cache_dir, self.settings)
            self.__dict__["_cache_obj"] = cache
        return cache

    def __call__(self, text: str) -> list[str]:
        if self.cache_dir is not None:
            cached = self._cache().get(text)
            if cached is not None:
                return [t for tokens in cached for t in tokens]
        from analysis.tokenize.analyzer import get_analyzer

        return get_analyzer(self.settings).analyze(text)

    def __getstate__(self) -> dict:
        return {"settings": self.settings, "cache_dir": self.cache_dir}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __eq__(self, other) -> bool:
        return (type(other) is type(self) and (self.settings or AnalyzerSettings()) == (other.settings or AnalyzerSettings())
                and self.cache_dir == other.cache_dir)

    def __hash__(self) -> int:
        return hash((self.settings or AnalyzerSettings(), str(self.cache_dir)))

    def __repr__(self) -> str:
        return f"JapaneseTokenizer(settings={self.settings!r}, cache_dir={self.cache_dir!r})"
