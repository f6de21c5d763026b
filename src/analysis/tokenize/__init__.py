"""Japanese tokenization: one configurable analyzer, a picklable tokenizer, a cached corpus stage.

>>> from analysis.tokenize import JapaneseTokenizer
>>> JapaneseTokenizer()("ディープシークがエヌビディアの先端半導体の輸出規制を批判した。")
['ディープシーク', 'エヌビディア', '先端半導体', '輸出規制', '批判']

- :class:`AnalyzerSettings` (``settings.py``): every setting, documented with its effect.
- :func:`build_analyzer` (``analyzer.py``): char filters -> morphology -> token filters
  (``filters.py``: NormalizeUnicode, RemoveURLs, RemoveEmails, RemovePatterns, JoinCompoundNouns,
  KeepPOS, DropPOS, BaseForm, DropNumbers, DropSymbols, DropStopwords, DropShort).
- :class:`JapaneseTokenizer` (``tokenizer.py``): for CountVectorizer/TfidfVectorizer/BERTopic.
- :func:`tokenize_corpus`, :func:`run_tokenize` (``corpus.py``): the ``analysis tokenize`` stage,
  cached (``cache.py``) and parallel.
- ``morphology`` (all morphemes, for stance scoring) and ``sentences`` (sentence splitting).

Submodules are imported on first use, so ``import analysis.tokenize.morphology`` stays light.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "AnalyzerSettings": "analysis.tokenize.settings",
    "build_analyzer": "analysis.tokenize.analyzer",
    "get_analyzer": "analysis.tokenize.analyzer",
    "Analyzer": "analysis.tokenize.analyzer",
    "JapaneseTokenizer": "analysis.tokenize.tokenizer",
    "tokenize_corpus": "analysis.tokenize.corpus",
    "run_tokenize": "analysis.tokenize.corpus",
    "TokenCache": "analysis.tokenize.cache",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'analysis.tokenize' has no attribute {name!r}")
