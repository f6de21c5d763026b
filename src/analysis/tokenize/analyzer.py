"""The topic analyzer: char filters -> morphology -> token filters, per sentence.

>>> from analysis.tokenize import AnalyzerSettings, build_analyzer
>>> analyzer = build_analyzer(AnalyzerSettings())
>>> analyzer.analyze("ディープシークがエヌビディアの輸出規制を批判した。")
['ディープシーク', 'エヌビディア', '輸出規制', '批判']
>>> analyzer.analyze_sentences("輸出規制を強化する。補助金は要らない。")
(['輸出規制を強化する。', '補助金は要らない。'], [['輸出規制', '強化'], ['補助金', '要る']])

A document is split into sentences first (``sentences.split_sentences``, on the text as given,
so stance evidence can be located in it); each sentence goes through the char filters, then the
whole document is tokenized in ONE backend call (sentences joined by line breaks: one call per
document is markedly faster than one per sentence) and the morphemes are dealt back to their
sentences by character offset. Token filters run per sentence, so compounds never cross a
sentence. ``analyze(text)`` is the concatenation of the per-sentence tokens, so the ``tokens``
column of tokens.parquet, the tokenizer handed to scikit-learn and the cache all agree.

Analyzers are built once per process and settings (:func:`get_analyzer`); janome's Tokenizer is
never pickled.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from analysis.errors import MissingExtraError
from analysis.tokenize import filters as f
from analysis.tokenize.morphology import Morpheme, morphemes
from analysis.tokenize.sentences import split_sentences
from analysis.tokenize.settings import AnalyzerSettings, stopword_list


class Analyzer:
    """janome's Analyzer shape: ``char_filters`` (str -> str), ``tokenizer`` (str -> list of
    Morpheme), ``token_filters`` (iterator -> iterator); ``analyze`` returns strings."""

    def __init__(self, char_filters: Sequence[Callable[[str], str]],
                 tokenizer: Callable[[str], list[Morpheme]],
                 token_filters: Sequence[Callable[[Iterable[Morpheme]], Iterable[Morpheme]]]):
        self.char_filters = list(char_filters)
        self.tokenizer = tokenizer
        self.token_filters = list(token_filters)

    def normalize(self, text: str) -> str:
        for char_filter in self.char_filters:
            text = char_filter(text)
        return text

    def filter(self, tokens: Iterable[Morpheme]) -> list[str]:
        for token_filter in self.token_filters:
            tokens = token_filter(tokens)
        return [t.surface for t in tokens]

    def analyze_sentences(self, text: str) -> tuple[list[str], list[list[str]]]:
        """(sentences as given, tokens of each sentence)."""
        sentences = split_sentences(text)
        return sentences, self.tokenize_sentences(sentences)

    def tokenize_sentences(self, sentences: Sequence[str]) -> list[list[str]]:
        """Tokens of each sentence, with one backend call for all of them."""
        cleaned = [self.normalize(s).strip() for s in sentences]
        joined = "\n".join(cleaned)
        per_sentence: list[list[Morpheme]] = [[] for _ in cleaned]
        if joined.strip():
            # janome strips the text it is given; start counting where it starts.
            position = len(joined) - len(joined.lstrip())
            ends, end = [], -1
            for c in cleaned:
                end += len(c) + 1
                ends.append(end)  # offset of the "\n" after each sentence
            index = 0
            for m in self.tokenizer(joined):
                while index < len(ends) - 1 and position >= ends[index]:
                    index += 1
                per_sentence[index].append(m)
                position += len(m.surface)
            if position != len(joined.rstrip()):  # pragma: no cover - backend dropped characters
                per_sentence = [self.tokenizer(c) if c else [] for c in cleaned]
        return [self.filter(ms) for ms in per_sentence]

    def analyze(self, text: str) -> list[str]:
        """Tokens of ``text`` (all sentences, in order)."""
        return [t for tokens in self.analyze_sentences(text)[1] for t in tokens]

    __call__ = analyze


class JanomeMorphology:
    """``text -> list[Morpheme]`` with janome and the user dictionary (see ``morphology``)."""

    def __init__(self, user_dictionary: str | None):
        self.user_dictionary = user_dictionary

    def __call__(self, text: str) -> list[Morpheme]:
        return morphemes(text, self.user_dictionary)


#: UniDic (pos1, pos2[, pos3]) -> IPADIC-style tags, so one set of filters serves both backends.
_UNIDIC_TO_IPADIC = {
    ("名詞", "普通名詞", "一般"): ("名詞", "一般"),
    ("名詞", "普通名詞", "サ変可能"): ("名詞", "サ変接続"),
    ("名詞", "普通名詞", "サ変形状詞可能"): ("名詞", "サ変接続"),
    ("名詞", "普通名詞", "形状詞可能"): ("名詞", "形容動詞語幹"),
    ("名詞", "普通名詞", "副詞可能"): ("名詞", "副詞可能"),
    ("名詞", "普通名詞", "助数詞可能"): ("名詞", "一般"),
    ("名詞", "固有名詞", "人名"): ("名詞", "固有名詞", "人名"),
    ("名詞", "固有名詞", "地名"): ("名詞", "固有名詞", "地域"),
    ("名詞", "固有名詞", "組織名"): ("名詞", "固有名詞", "組織"),
    ("名詞", "固有名詞", "一般"): ("名詞", "固有名詞", "一般"),
    ("名詞", "数詞"): ("名詞", "数"),
    ("名詞", "助動詞語幹"): ("名詞", "特殊"),
    ("代名詞",): ("名詞", "代名詞"),
    ("形状詞", "一般"): ("名詞", "形容動詞語幹"),
    ("形状詞", "タリ"): ("名詞", "形容動詞語幹"),
    ("形状詞", "助動詞語幹"): ("名詞", "特殊"),
    ("接尾辞", "名詞的", "一般"): ("名詞", "接尾", "一般"),
    ("接尾辞", "名詞的", "サ変可能"): ("名詞", "接尾", "サ変接続"),
    ("接尾辞", "名詞的", "形状詞可能"): ("名詞", "接尾", "一般"),
    ("接尾辞", "名詞的", "副詞可能"): ("名詞", "接尾", "副詞可能"),
    ("接尾辞", "名詞的", "助数詞"): ("名詞", "接尾", "助数詞"),
    ("接尾辞", "形状詞的"): ("名詞", "接尾", "形容動詞語幹"),
    ("接尾辞", "動詞的"): ("動詞", "接尾"),
    ("接尾辞", "形容詞的"): ("形容詞", "接尾"),
    ("接頭辞",): ("接頭詞", "名詞接続"),
    ("動詞", "一般"): ("動詞", "自立"),
    ("動詞", "非自立可能"): ("動詞", "自立"),  # する, いる, なる: stopwords catch the light ones
    ("形容詞", "一般"): ("形容詞", "自立"),
    ("形容詞", "非自立可能"): ("形容詞", "自立"),
    ("補助記号",): ("記号", "一般"),
    ("空白",): ("記号", "空白"),
}


def unidic_pos(pos1: str, pos2: str, pos3: str) -> tuple[str, str, str, str]:
    """IPADIC-style POS for a UniDic tag (unknown combinations keep UniDic's names)."""
    for key in ((pos1, pos2, pos3), (pos1, pos2), (pos1,)):
        if key in _UNIDIC_TO_IPADIC:
            mapped = _UNIDIC_TO_IPADIC[key]
            break
    else:
        mapped = (pos1, pos2, pos3)
    return tuple((list(mapped) + ["*"] * 4)[:4])


@lru_cache(maxsize=2)
def _fugashi_tagger(pid: int):
    try:
        import fugashi
        import unidic_lite  # noqa: F401  (the dictionary fugashi.Tagger() finds)
    except ImportError as exc:
        raise MissingExtraError("backend='fugashi' needs the fast extra: pip install -e '.[fast]' "
                                "(fugashi + unidic-lite), or use backend='janome'") from exc
    return fugashi.Tagger()


class FugashiMorphology:
    """``text -> list[Morpheme]`` with MeCab (fugashi + unidic-lite), tags mapped to IPADIC names.

    The user dictionary is not applied (MeCab needs a compiled one); compound joining restores
    most domain words (輸出 + 統制, 半 + 導体).
    """

    def __call__(self, text: str) -> list[Morpheme]:
        out = []
        for word in _fugashi_tagger(os.getpid())(text):
            feature = word.feature
            pos = unidic_pos(feature.pos1, feature.pos2, feature.pos3)
            base = getattr(feature, "orthBase", None) or word.surface
            reading = getattr(feature, "kana", None) or "*"
            out.append(Morpheme(word.surface, base, pos, reading))
        return out


def build_analyzer(settings: AnalyzerSettings | None = None) -> Analyzer:
    """A fresh :class:`Analyzer` for ``settings`` (use :func:`get_analyzer` to reuse one)."""
    s = settings or AnalyzerSettings()
    char_filters: list = []
    if s.normalize:
        char_filters.append(f.NormalizeUnicode())
    if s.remove_urls:
        char_filters.append(f.RemoveURLs())
    if s.remove_emails:
        char_filters.append(f.RemoveEmails())
    if s.noise_patterns:
        char_filters.append(f.RemovePatterns(s.noise_patterns))
    tokenizer = FugashiMorphology() if s.backend == "fugashi" else JanomeMorphology(s.user_dictionary)
    token_filters: list = []
    if s.join_letters_digits:
        token_filters.append(f.JoinLettersDigits())
    if s.join_compounds and s.max_compound_len > 1:
        token_filters.append(f.JoinCompoundNouns(s.max_compound_len, s.compound_break_pos))
    if s.keep_pos:
        token_filters.append(f.KeepPOS(s.keep_pos))
    if s.drop_pos:
        token_filters.append(f.DropPOS(s.drop_pos))
    if s.use_base_form:
        token_filters.append(f.BaseForm())
    if s.drop_numbers:
        token_filters.append(f.DropNumbers())
    if s.drop_symbols:
        token_filters.append(f.DropSymbols())
    words = [w for source in s.stopwords for w in stopword_list(source)] + list(s.extra_stopwords)
    if words:
        token_filters.append(f.DropStopwords(words))
    if s.min_token_length > 1:
        token_filters.append(f.DropShort(s.min_token_length))
    return Analyzer(char_filters, tokenizer, token_filters)


@lru_cache(maxsize=8)
def _cached_analyzer(settings: AnalyzerSettings, pid: int) -> Analyzer:
    return build_analyzer(settings)


def get_analyzer(settings: AnalyzerSettings | None = None) -> Analyzer:
    """This process's analyzer for ``settings``, built on first use."""
    return _cached_analyzer(settings or AnalyzerSettings(), os.getpid())


def tokenize_texts(settings: AnalyzerSettings, texts: Sequence[str]) -> list[list[list[str]]]:
    """Per-sentence tokens of each text (the unit of work sent to worker processes)."""
    analyzer = get_analyzer(settings)
    return [analyzer.analyze_sentences(text)[1] for text in texts]
