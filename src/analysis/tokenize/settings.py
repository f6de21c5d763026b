"""Every knob of the topic analyzer in one frozen, documented dataclass.

>>> from analysis.tokenize import AnalyzerSettings, build_analyzer
>>> build_analyzer(AnalyzerSettings()).analyze("先端半導体の輸出規制を強化した。")
['先端半導体', '輸出規制', '強化']
>>> build_analyzer(AnalyzerSettings(join_compounds=False)).analyze("先端半導体の輸出規制を強化した。")
['先端', '半導体', '輸出規制', '強化']
>>> AnalyzerSettings(min_token_length=2).fingerprint() != AnalyzerSettings().fingerprint()
True

``fingerprint()`` hashes the settings together with everything else that changes the tokens (the
janome or fugashi version, the bytes of the user dictionary and of the stopword lists, and
``ANALYZER_VERSION``, bumped whenever a filter's logic changes); it names the token cache folder, so
changing any of them invalidates cached tokens and nothing else does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analysis import config
from analysis.errors import InputError
from analysis.tokenize.morphology import USER_DICTIONARY

#: Bump when a filter's behaviour changes so old cache entries are not reused.
ANALYZER_VERSION = 2  # 2: letters+digits joined, countries break compounds and survive stopwords, 対 dropped

#: The stopword list shipped with the package (editorial boilerplate, light verbs).
EDITORIAL_STOPWORDS = "stopwords_extra.txt"


@dataclass(frozen=True)
class AnalyzerSettings:
    """Settings of the normalise -> tokenise -> filter path (defaults suit editorials).

    Char filters (text -> text), in this order:

    - ``normalize``: NFKC, so ``ＡＩ２０２５`` -> ``AI2025`` and ``（`` -> ``(`` (True).
    - ``remove_urls`` / ``remove_emails``: replace ``https://...`` and ``a@b.jp`` with a space (True).
    - ``noise_patterns``: regular expressions (applied after NFKC) replaced by a space; the defaults
      remove dates and clock times such as ``2025-02-01 07:05``.

    Morphology: ``backend`` ``"janome"`` (default) or ``"fugashi"`` (MeCab + unidic-lite, the
    ``[fast]`` extra; its UniDic tags are mapped to IPADIC names, the user dictionary is not
    applied). ``user_dictionary``: IPADIC-format CSV (default ``resources/userdic.csv``; ``None``
    for janome's system dictionary only: then 生成AI, サムスン電子 and 輸出規制 are split;
    katakana names such as エヌビディア survive only through unknown-word grouping).

    Token filters, in this order:

    - ``join_letters_digits``: join directly adjacent ASCII letters and digits, R + 1 -> R1,
      G + 7 -> G7 (model and chip names; otherwise the digits go as numbers and R is left) (True).
    - ``join_compounds``: join runs of nouns into one token, 輸出 + 規制 -> 輸出規制,
      低 + コスト -> 低コスト (a prefix may start a run, a suffix such as 的 or 者 may end it;
      numbers, symbols and the POS in ``compound_break_pos`` break runs: organisations, person
      names and countries, so 対中 + 輸出規制 keeps 輸出規制 and 中国企業 gives 中国 + 企業). Runs longer than
      ``max_compound_len`` morphemes (default 3) are left as separate tokens.
    - ``keep_pos`` / ``drop_pos``: POS prefixes as "major,minor" strings. Default: keep nouns,
      verbs, adjectives; drop non-independent nouns, suffixes, pronouns, numbers, adverbial nouns
      (最近, 今後), conjunction-like nouns (対 in 対中, 兼) and non-independent verbs (いる in ～ている).
    - ``use_base_form``: verbs and adjectives by dictionary form, 強化した -> 強化 + する,
      速かった -> 速い (True).
    - ``drop_numbers`` / ``drop_symbols``: drop 2025, 三, 4千 and tokens with no letter at all
      (janome tags ASCII ``:`` and ``(`` as nouns) (True, True).
    - ``stopwords``: sources, ``"stopwordsiso"`` (134 ja words: する, こと, ため ...) and/or
      ``"editorial"`` (``resources/stopwords_extra.txt``: 社説, 登録, 修正, 記事 ...) or a path
      to a one-word-per-line file; ``extra_stopwords``: more words inline.
    - ``min_token_length``: drop shorter tokens (1 keeps 国 and 米; 2 drops them).
    """

    backend: str = "janome"
    user_dictionary: str | None = str(USER_DICTIONARY)
    normalize: bool = True
    remove_urls: bool = True
    remove_emails: bool = True
    noise_patterns: tuple[str, ...] = (
        r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?",
        r"\b\d{1,2}:\d{2}\b",
    )
    join_letters_digits: bool = True
    join_compounds: bool = True
    max_compound_len: int = 3
    compound_break_pos: tuple[str, ...] = ("名詞,固有名詞,組織", "名詞,固有名詞,人名", "名詞,固有名詞,地域,国")
    keep_pos: tuple[str, ...] = ("名詞", "動詞", "形容詞")
    drop_pos: tuple[str, ...] = (
        "名詞,非自立", "名詞,接尾", "名詞,代名詞", "名詞,数", "名詞,特殊", "名詞,副詞可能", "名詞,接続詞的",
        "動詞,非自立", "動詞,接尾", "形容詞,非自立", "形容詞,接尾",
    )
    use_base_form: bool = True
    drop_numbers: bool = True
    drop_symbols: bool = True
    stopwords: tuple[str, ...] = ("stopwordsiso", "editorial")
    extra_stopwords: tuple[str, ...] = field(default=())
    min_token_length: int = 1

    def __post_init__(self) -> None:
        if self.backend not in ("janome", "fugashi"):
            raise InputError(f"AnalyzerSettings.backend={self.backend!r}: use 'janome' or 'fugashi'")
        if self.max_compound_len < 1:
            raise InputError("AnalyzerSettings.max_compound_len must be >= 1 (1 disables joining)")
        if self.user_dictionary and not Path(self.user_dictionary).is_file():
            raise InputError(f"user dictionary {self.user_dictionary} not found; pass an existing "
                             "IPADIC-format CSV or user_dictionary=None")
        for name in ("noise_patterns", "compound_break_pos", "keep_pos", "drop_pos", "stopwords",
                     "extra_stopwords"):
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, tuple):
                # Accept lists from callers but store tuples so settings stay hashable.
                object.__setattr__(self, name, (value,) if isinstance(value, str) else tuple(value))

    def replace(self, **changes) -> "AnalyzerSettings":
        """A copy with ``changes`` (``settings.replace(min_token_length=2)``)."""
        return dataclasses.replace(self, **changes)

    def fingerprint(self) -> str:
        """Stable 16-hex-char hash of everything that changes the tokens (names the cache folder)."""
        return _fingerprint(self)

    def describe(self) -> dict:
        """Settings plus the versions and file hashes that enter the fingerprint (JSON-ready)."""
        return _describe(self)


def stopword_list(source: str) -> list[str]:
    """Words of one stopword source (``"stopwordsiso"``, ``"editorial"`` or a file path)."""
    if source == "stopwordsiso":
        import stopwordsiso

        return sorted(stopwordsiso.stopwords("ja"))
    path = config.resource(EDITORIAL_STOPWORDS) if source == "editorial" else Path(source)
    if not path.is_file():
        raise InputError(f"stopword list {path} not found (AnalyzerSettings.stopwords); use "
                         "'stopwordsiso', 'editorial' or a path to a one-word-per-line UTF-8 file")
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return words


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "absent"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=32)
def _describe(settings: AnalyzerSettings) -> dict:
    from analysis.io import sha256_file

    described = {
        "settings": dataclasses.asdict(settings),
        "analyzer_version": ANALYZER_VERSION,
        "user_dictionary_sha256": sha256_file(settings.user_dictionary) if settings.user_dictionary else None,
        "stopwords_sha256": _sha("\n".join(w for s in settings.stopwords for w in stopword_list(s)).encode()),
    }
    # The dictionary's path is irrelevant once its bytes are hashed (moving the checkout keeps the cache).
    described["settings"]["user_dictionary"] = bool(settings.user_dictionary)
    if settings.backend == "janome":
        described["janome"] = _version("janome")
    else:
        described["fugashi"] = _version("fugashi")
        described["unidic-lite"] = _version("unidic-lite")
    return described


@lru_cache(maxsize=32)
def _fingerprint(settings: AnalyzerSettings) -> str:
    blob = json.dumps(_describe(settings), sort_keys=True, ensure_ascii=False).encode("utf-8")
    return _sha(blob)[:16]
