"""Issue 15: the fugashi backend's reduced MeCab output (``analyzer.SHORT_FORMAT``), its sentence
memory, NUL and the date prefilter give the tokens they gave before."""

from __future__ import annotations

import csv
import os
import struct
import subprocess
import sys

import pytest

from analysis.tokenize import AnalyzerSettings, build_analyzer
from analysis.tokenize import analyzer as analyzer_module
from analysis.tokenize.morphology import Morpheme
from analysis.tokenize.sentences import split_sentences

from test_tokenize import FIXTURE_TEXTS

fugashi = pytest.importorskip("fugashi")
unidic_lite = pytest.importorskip("unidic_lite")

FUGASHI = AnalyzerSettings(backend="fugashi")
#: unknown words (ASCII, katakana names, digits), the word "*", quotes and commas, a control character
ODD = ["XYZほげほげとｶﾀｶﾅのACME社", "a*b＊c\x01d", 'a,b "c" ＂d＂ ,,', "彼は、ＡＩを「,」と言った", "2025年2月1日"]


def _full_lines_morphology():
    """A FugashiMorphology reading MeCab's full lines (LINE_FORMAT), as before issue 15's third round."""
    full = analyzer_module.FugashiMorphology()
    lines = full._lines
    lines.tagger()
    lines._tagger, lines._short = analyzer_module._fugashi_tagger(os.getpid(), analyzer_module.LINE_FORMAT), False
    return full


def test_the_dictionary_is_the_checked_unidic_lite_and_short_lines_are_used():
    morphology = analyzer_module.FugashiMorphology()
    tagger = morphology._lines.tagger()
    (info,) = tagger.dictionary_info
    assert os.path.realpath(info["filename"]) == os.path.realpath(os.path.join(unidic_lite.DICDIR, "sys.dic"))
    assert info["size"] == analyzer_module.UNIDIC_LITE_ENTRIES
    assert analyzer_module.short_format_fits(tagger) and morphology._lines._short
    line = morphology.lines(["日本"])[0]
    assert line == "日本\t日本\tニッポン\t名詞,固有名詞,地名"


def _features(path: str) -> list[str]:
    """The distinct feature strings of a MeCab binary dictionary (sys.dic, unk.dic): a header of
    ten uint32 and a 32-byte charset, then the double array, the tokens (16 bytes each, the
    offset of the feature at byte 8) and the NUL-terminated features."""
    with open(path, "rb") as file:
        data = file.read()
    _magic, _version, _type, lexsize, _lsize, _rsize, dsize, tsize, fsize, _ = struct.unpack_from("<10I", data)
    assert tsize == 16 * lexsize
    tokens = data[72 + dsize:72 + dsize + tsize]
    features = data[72 + dsize + tsize:72 + dsize + tsize + fsize]
    offsets = sorted({token[4] for token in struct.iter_unpack("<HHHhII", tokens)})
    return [features[o:features.index(b"\0", o)].decode("utf-8") for o in offsets]


def test_every_unidic_lite_entry_reads_the_same_from_its_short_line():
    """The facts ``short_format_fits`` relies on, for every entry of unidic-lite's sys.dic."""
    seen_star_base = []
    sys_dic = os.path.join(unidic_lite.DICDIR, "sys.dic")
    for feature in _features(sys_dic):
        fields = next(csv.reader([feature])) if '"' in feature else feature.split(",")
        assert len(fields) == 26, feature
        pos1, pos2, pos3, orth, base, kana = fields[0], fields[1], fields[2], fields[8], fields[10], fields[17]
        assert pos1 not in ("", "*") and pos2 != "" and pos3 != "", feature
        assert pos2 != "*" or pos3 == "*", feature  # %F,[0,1,2] leaves out the last ones only
        assert base != "", feature
        if base == "*":
            seen_star_base.append(orth)
        for field in (pos1, pos2, pos3, base, kana):
            assert not set(field) & set(',"\t'), feature
        assert '"' not in ",".join(feature.split(",")[:18]) and "\t" not in feature, feature
    assert seen_star_base == ["*"]  # the word "*": its base is its surface either way
    for feature in _features(os.path.join(unidic_lite.DICDIR, "unk.dic")):
        assert "\t" not in feature and "\n" not in feature


def test_short_lines_give_the_morphemes_of_full_lines():
    short, full = analyzer_module.FugashiMorphology(), _full_lines_morphology()
    sentences = [s for t in FIXTURE_TEXTS for s in split_sentences(t)] + ODD + ["*", "＊", " ", ""]
    for sentence in sentences:
        assert short(sentence) == full(sentence), sentence
    assert short.lines(ODD) != full.lines(ODD)  # (not the same lines)
    unknown = [line for line in short.lines(ODD) if line.endswith("\t")]
    assert unknown and all(len(line.split("\t")) == 3 for line in unknown)


def test_the_fast_morpheme_constructor_builds_equal_morphemes():
    made = analyzer_module._morpheme("言う", "言う", ("動詞", "自立", "*", "*"), "イウ")
    plain = Morpheme("言う", "言う", ("動詞", "自立", "*", "*"), "イウ")
    assert made == plain and hash(made) == hash(plain) and type(made) is Morpheme
    assert made.infl_form == "*" and repr(made) == repr(plain)
    with pytest.raises(AttributeError):  # still frozen
        made.surface = "x"


_CHILD = """
import sys, fugashi
tagger = fugashi.Tagger(sys.argv[1])
out = tagger.parse("XYZほげほげとｶﾀｶﾅ、ACME社と日本")
sys.stdout.write(repr(out))
"""


def _parse_in_child(args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _CHILD, args], capture_output=True, text=True, timeout=120)


def test_mecab_failing_on_a_format_crashes_only_a_child_process():
    """A format whose -U MeCab ignores makes it print unknown words with -F, whose ``%f[10]`` is
    out of range for them: MeCab fails and fugashi crashes the process (a segfault), which is why
    SHORT_FORMAT's -U ends with a tab. Each format is tried in a child process."""
    good = _parse_in_child(analyzer_module.SHORT_FORMAT)
    assert good.returncode == 0, good.stderr
    assert "ACME\\t名詞,普通名詞,一般,*,*,*\\t\\n" in good.stdout  # unknown: full features and a tab
    naive = analyzer_module.SHORT_FORMAT.replace(r"-U%m\\t%H\\t\\n", r"-U%m\\t%H\\n")
    assert naive != analyzer_module.SHORT_FORMAT
    bad = _parse_in_child(naive)
    assert bad.returncode != 0  # the child died; this process did not


def test_nul_is_given_to_mecab_as_a_space():
    analyzer = build_analyzer(FUGASHI)
    assert analyzer.analyze("政府は輸出\0規制を強化した。") == analyzer.analyze("政府は輸出 規制を強化した。")
    assert "強化" in analyzer.analyze("政府は輸出\0規制を強化した。")  # MeCab alone stops at the NUL
    morphology = analyzer_module.FugashiMorphology()
    assert [m.surface for m in morphology("日本\0規制")] == ["日本", "規制"]


class _CountingTagger:
    def __init__(self, tagger):
        self.tagger, self.calls = tagger, []

    def parse(self, text):
        self.calls.append(text)
        return self.tagger.parse(text)


def test_short_sentences_are_parsed_once():
    morphology = analyzer_module.FugashiMorphology()
    morphology._lines.tagger()
    counting = morphology._lines._tagger = _CountingTagger(morphology._lines._tagger)
    long_sentence = "輸出規制" * 20
    texts = ["関連記事。", long_sentence, "関連記事。", "", long_sentence]
    first = morphology.lines(texts)
    assert morphology.lines(texts) == first
    assert counting.calls == ["関連記事。"] + [long_sentence] * 4  # long sentences are not remembered
    morphology.MAX_MEMO = 3
    for i in range(10):
        morphology.lines([f"文{i}。"])
    assert len(morphology._memo) <= 3 and morphology.lines(texts) == first


def test_the_date_prefilter_finds_every_line_the_noise_patterns_change():
    import random
    import re

    patterns = AnalyzerSettings().noise_patterns
    prefilter = re.compile(analyzer_module._NOISE_PREFILTERS[patterns])
    noise = re.compile("|".join(f"(?:{p})" for p in patterns))
    rng = random.Random(15)
    alphabet = "0123456789-/.: 年月日時分aA　\t"
    for _ in range(20_000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        if noise.search(line):
            assert prefilter.search(line), line
    with_prefilter, without = build_analyzer(AnalyzerSettings()), build_analyzer(AnalyzerSettings())
    assert with_prefilter.char_filters[-1].prefilter is not None
    without.char_filters[-1].prefilter = None
    texts = FIXTURE_TEXTS + ["2025-02-01 07:05に発表。\n会見は10:30から。1.5倍。\n\n日付なし。", "7:05\n2025/2/1"]
    for text in texts:
        sentences = split_sentences(text)
        assert with_prefilter.normalize_sentences(sentences) == without.normalize_sentences(sentences)
