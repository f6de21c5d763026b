"""Issue 15: the fugashi analyzer's filters run on MeCab's lines (``tokenize.lines.LineFilters``)
and NFKC line by line give the same tokens as the filters run as Morphemes."""

from __future__ import annotations

import random
import unicodedata

import pytest

from analysis import config
from analysis.tokenize import AnalyzerSettings, build_analyzer
from analysis.tokenize import filters as f
from analysis.tokenize.analyzer import Analyzer
from analysis.tokenize.lines import LineFilters

from test_tokenize import FIXTURE_TEXTS, _random_morphemes

DEFAULT = AnalyzerSettings()


class _PoolLines:
    """A stand-in for FugashiMorphology: a "sentence" is pool indices ("3 17 5"), each index a
    line, so equal morphemes share a line as MeCab's do."""

    END = "\a"

    def __init__(self, pool):
        self.pool = pool

    def lines(self, texts):
        return [line for text in texts for line in [f"m\t{i}" for i in text.split()] + [self.END]]

    def morpheme(self, line):
        return self.pool[int(line.split("\t")[1])]


SETTINGS = [
    DEFAULT, DEFAULT.replace(max_compound_len=5, min_token_length=2, use_base_form=False),
    DEFAULT.replace(keep_pos=(), drop_pos=(), drop_symbols=False, drop_numbers=False, stopwords=()),
    DEFAULT.replace(join_letters_digits=False, extra_stopwords=("規制",)),
    DEFAULT.replace(join_compounds=False), DEFAULT.replace(max_compound_len=1, join_letters_digits=False),
]
IDS = ["default", "long-runs", "unfiltered", "no-letter-digit-joins", "no-compounds", "per-token-only"]


@pytest.mark.parametrize("settings", SETTINGS, ids=IDS)
def test_line_filters_match_the_filters_on_random_morphemes(settings):
    rng = random.Random(1515)
    analyzer = build_analyzer(settings)
    stages = analyzer._stages()
    pool = []
    for _ in range(6):  # several draws of odd morphemes: empty surfaces, commas in POS fields, ...
        pool += list(dict.fromkeys(_random_morphemes(rng, 200)))
    tokenizer = _PoolLines(pool)
    assert LineFilters.applies(tokenizer, stages)
    line_filters = LineFilters(tokenizer, stages, Analyzer._filter)
    for _ in range(400):
        document = [[rng.randrange(len(pool)) for _ in range(rng.randint(0, 14))] for _ in range(rng.randint(1, 6))]
        texts = [" ".join(map(str, sentence)) for sentence in document]
        expected = [analyzer.filter([pool[i] for i in sentence]) for sentence in document]
        assert line_filters(texts) == expected
    assert line_filters([]) == []


def test_line_filters_forget_and_rebuild():
    rng = random.Random(7)
    analyzer = build_analyzer(DEFAULT)
    pool = list(dict.fromkeys(_random_morphemes(rng, 300)))
    line_filters = LineFilters(_PoolLines(pool), analyzer._stages(), Analyzer._filter)
    line_filters.MAX_LINES, line_filters.MAX_RUNS = 5, 3
    for _ in range(200):
        document = [[rng.randrange(len(pool)) for _ in range(rng.randint(0, 10))] for _ in range(3)]
        texts = [" ".join(map(str, sentence)) for sentence in document]
        assert line_filters(texts) == [analyzer.filter([pool[i] for i in s]) for s in document]


def test_line_filters_stand_in_only_for_the_filters_they_know():
    analyzer = build_analyzer(DEFAULT)
    stages = analyzer._stages()
    tokenizer = _PoolLines([])
    assert LineFilters.applies(tokenizer, stages)
    assert not LineFilters.applies(object(), stages)  # janome's morphology has no lines
    assert not LineFilters.applies(tokenizer, stages[::-1])
    assert not LineFilters.applies(tokenizer, stages[:-1])
    assert not LineFilters.applies(tokenizer, [f.DropStopwords(["x"]), *stages])
    assert build_analyzer(DEFAULT)._lines_filter(stages) is None  # janome


# Sentences where MeCab makes letters and digits touch (it drops the space of "Eee PC"), numbers
# only, long noun runs, URLs, full-width text, and a blank sentence.
SENTENCES = ("ASUSのEee PC 1025Cとthe iPhone 4Sを比べた。Core i7-2600Kと3Dと5G、1 2 3も。"
             "ＡＩ半導体輸出管理規制強化法案の審議が始まった。https://example.jp/a?b=1 を参照。\n\n"
             "G7とR1とx-1。ｶﾀｶﾅ　全角　ﾃﾞｰﾀ。Presented by HP ENVY 14 SPECTRE 3000")


@pytest.mark.parametrize("settings", SETTINGS[:2] + SETTINGS[3:], ids=IDS[:2] + IDS[3:])
def test_fugashi_lines_give_the_tokens_of_the_filters(settings):
    pytest.importorskip("fugashi")
    settings = settings.replace(backend="fugashi")
    fast, slow = build_analyzer(settings), build_analyzer(settings)
    slow.fast_lines = False
    assert fast._lines_filter(fast._stages()) is not None
    assert slow._lines_filter(slow._stages()) is None
    for text in [SENTENCES, *FIXTURE_TEXTS, "", "。", "\n\n"]:
        assert fast.analyze_sentences(text) == slow.analyze_sentences(text)
    for text in [SENTENCES, *FIXTURE_TEXTS[::4]]:  # again, from the memories
        assert fast.analyze_sentences(text) == slow.analyze_sentences(text)


@pytest.mark.shared
def test_fugashi_lines_on_livedoor():
    pytest.importorskip("fugashi")
    from analysis.bench import load_texts, spread

    tarball = config.paths().shared / "data" / "livedoor" / "ldcc-text.tgz"
    if not tarball.is_file():
        pytest.skip(f"{tarball} not present")
    settings = DEFAULT.replace(backend="fugashi")
    fast, slow = build_analyzer(settings), build_analyzer(settings)
    slow.fast_lines = False
    for text in spread(load_texts(tarball)[1], 60):
        assert fast.analyze_sentences(text) == slow.analyze_sentences(text)


@pytest.mark.parametrize("form", ["NFKC", "NFC", "NFD", "NFKD"])
def test_normalisation_line_by_line_equals_the_whole_text(form):
    normalize = f.NormalizeUnicode(form)
    step = 2048
    for start in range(0, 0x110000, step):
        chars = [chr(c) for c in range(start, start + step) if not 0xD800 <= c <= 0xDFFF]
        # every code point at the start and at the end of a line, next to combining marks and jamo
        text = "\n".join(chars) + "\n" + "\n".join(c + "\u0301\u3099" + c for c in chars[::7]) + "\nか\n\u3099ᄀ\nᅡ"
        assert normalize(text) == unicodedata.normalize(form, text), hex(start)
    if form == "NFKC":
        assert normalize("ＡＩ\nｶﾞ\n\n") == "AI\nガ\n\n"
        assert normalize("ＡＩ") == "AI"
