"""Content-addressed token cache: one small JSON file per distinct text and analyzer fingerprint.

>>> import tempfile
>>> from analysis.tokenize import AnalyzerSettings
>>> cache = TokenCache(tempfile.mkdtemp(), AnalyzerSettings())
>>> cache.get("輸出規制。") is None
True
>>> cache.put("輸出規制。", [["輸出規制"]])
>>> cache.get("輸出規制。")
[['輸出規制']]

Layout: ``<cache_dir>/tokens/<fingerprint>/<aa>/<sha256 of the text>.json`` holding the
per-sentence tokens (sentences themselves are re-split from the text, which is cheap). The
fingerprint (``AnalyzerSettings.fingerprint()``) covers the settings, janome's version, the user
dictionary's and stopword lists' bytes, so changing any of them starts a fresh folder; a text
edited by one character gets a new hash. ``settings.json`` in each fingerprint folder says what
produced it. Writes are atomic (``analysis.io``); deleting the folder is always safe. One file
per document was measured against the alternatives: reading 7,367 entries takes well under a
second, far below the 50x-faster-than-cold target, and needs no locking across processes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from analysis.io import write_json, write_text
from analysis.tokenize.settings import AnalyzerSettings


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TokenCache:
    """Per-sentence tokens of texts under one analyzer fingerprint."""

    def __init__(self, cache_dir: str | Path, settings: AnalyzerSettings | None = None):
        self.settings = settings or AnalyzerSettings()
        self.fingerprint = self.settings.fingerprint()
        self.root = Path(cache_dir) / "tokens" / self.fingerprint

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / f"{digest}.json"

    def get(self, text: str, digest: str | None = None) -> list[list[str]] | None:
        try:
            raw = self.path(digest or text_hash(text)).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            return json.loads(raw)
        except ValueError:  # a damaged entry is a miss; it will be rewritten
            return None

    def put(self, text: str, sentence_tokens: list[list[str]], digest: str | None = None) -> None:
        if not (self.root / "settings.json").exists():
            write_json(self.settings.describe(), self.root / "settings.json")
        write_text(json.dumps(sentence_tokens, ensure_ascii=False, separators=(",", ":")),
                   self.path(digest or text_hash(text)))
