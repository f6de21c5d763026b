"""The topic analyzer: char filters -> morphology -> token filters, per sentence.

>>> from analysis.tokenize import AnalyzerSettings, build_analyzer
>>> analyzer = build_analyzer(AnalyzerSettings())
>>> analyzer.analyze("ディープシークがエヌビディアの輸出規制を批判した。")
['ディープシーク', 'エヌビディア', '輸出規制', '批判']
>>> analyzer.analyze_sentences("輸出規制を強化する。補助金は要らない。")
(['輸出規制を強化する。', '補助金は要らない。'], [['輸出規制', '強化'], ['補助金', '要る']])

A document is split into sentences first (``sentences.split_sentences``, on the text as given,
so stance evidence can be located in it); each sentence goes through the char filters, then the
whole document is tokenized in ONE janome call (sentences joined by line breaks: one call per
document is markedly faster than one per sentence) and the morphemes are dealt back to their
sentences by character offset (fugashi is called once per sentence: MeCab drops white space, so
offsets cannot be dealt back). Token filters never join across a sentence. ``analyze(text)`` is
the concatenation of the per-sentence tokens, so the ``tokens`` column of tokens.parquet, the
tokenizer handed to scikit-learn and the cache all agree.

Analyzers are built once per process and settings (:func:`get_analyzer`); janome's Tokenizer is
never pickled.

Speed (issue 15). Profiled on 300 livedoor articles (pyinstrument, cProfile, line_profiler) and
cut where the time went, with the tokens unchanged (``tests/test_tokenize.py``: a fixture of the
tokens recorded before, and the straightforward analyzer kept as a reference for random input):

- janome: wrapping each morpheme in a janome ``Token``, decoding its dictionary entry again,
  splitting its POS string and building a Morpheme left the morphology at 0.88 x raw janome;
  ``morphology.JanomeMorphemes`` reads janome's lattice itself and keeps one shared Morpheme per
  dictionary entry: 1.12 x raw janome (see ``morphology``).
- fugashi: reading each node's features into fugashi's namedtuple held fugashi to a fifth of its
  speed (768,000 -> 162,000 chars/s). :class:`FugashiMorphology` asks MeCab for one
  ``surface<TAB>features`` line per morpheme and builds each distinct line's Morpheme once.
- token filters: the filters that judge a morpheme alone (KeepPOS ... DropShort) run as ONE step,
  :class:`~analysis.tokenize.filters.FusedSteps`, whose answer is remembered per distinct morpheme;
  the joining filters find their runs with regular expressions instead of a loop per token; and
  when the filters are those :func:`build_analyzer` makes, they run once over the whole document,
  its sentences ended by ``filters.SENTENCE_BREAK`` (a sixth of the fugashi analyzer's time went
  to calling each filter once per sentence). The filters stay separate objects in
  ``token_filters``, each usable alone; only their execution is fused.
- char filters: NFKC and the URL and e-mail filters run once over the document's sentences
  joined by line breaks, which gives the same text per sentence (``line_safe``); NFKC itself goes
  line by line, normalising only the lines that are not yet normalised (``NormalizeUnicode``).
- fugashi, second round (``bench_fugashi`` on livedoor, 500-document sample, the code before and
  after run back to back on the shared 2-core machine: first pass 0.38-0.46 -> 0.52-0.58 x raw
  fugashi, after the corpus's other documents 0.42-0.45 -> 0.62-0.73; tokens of all 7,359
  documents unchanged): MeCab's ``surface<TAB>features`` lines are filtered as lines
  (:class:`~analysis.tokenize.lines.LineFilters`): each distinct line is judged once by the filter
  objects, and a document costs two dictionary passes over its lines plus a regular expression
  over one code letter per line; no Morpheme is fetched for a line seen before. The per-token
  filters that look at the POS only (KeepPOS, DropPOS) are remembered per POS, and so is the
  compound class of a POS. MeCab itself (one call per sentence, its lines split: about 0.9 x the
  raw yardstick's time) is now well over half of the fugashi analyzer's time; what is left of the
  rest is mostly learning new vocabulary (the first pass) and NFKC.
- fugashi, third round (the first pass over the same livedoor sample; CPU time in one process,
  the code before and after alternating: 8-12 % less; ``analysis bench --only tokenize,fugashi``
  run alternately on the shared machine: first pass 0.44-0.48 -> 0.47-0.53 x raw fugashi, median
  0.51; tokens of all livedoor documents unchanged):
  on unidic-lite MeCab prints only the fields the analyzer reads (``SHORT_FORMAT``: a fifth of
  the characters to decode, split and hash; each line still stands for one Morpheme, checked
  against every dictionary entry in ``tests/test_tokenize_fugashi.py``); a sentence of up to 64
  characters is parsed once (``FugashiMorphology.MEMO_CHARS``); the date and clock-time pattern
  is applied only to the lines a cheap prefilter finds (``filters.RemovePatterns.prefilter``);
  NFKC replaces full-width ASCII before normalising a line; a new line is judged in one call
  (``lines._Table``) and its Morpheme built through its slots. What is left of the first pass
  is MeCab itself (its ``%f`` copies each node's features into a zero-padded 8 KB buffer, about
  what raw fugashi spends wrapping its nodes; ``%H`` costs as much once its longer lines are
  decoded, split and hashed) and judging each new line and compound through the filter objects
  (a fifth). The bench's second figure is taken on documents the analyzer has not seen (the
  same sample again would come from the memory of short sentences: about 1.0 x raw fugashi).
- fugashi, fourth round (first pass; the code before and after alternating in fresh processes,
  0.50-0.53 -> 0.53-0.59 x raw fugashi; tokens of all livedoor documents unchanged): one lookup
  per MeCab line instead of two (``lines._Table`` holds the code letter and the kept surface of
  a line in one entry); a known word's short line takes the shortest path to its Morpheme
  (``_MorphemeLines.__missing__``); ``JoinCompoundNouns._class`` reads the POS before the surface
  (most new morphemes whose POS gives no class then skip two regular expressions); the date
  prefilter counts line breaks from match to match (``Analyzer._lines_of``), not from the start
  of the document for each match; full-width ASCII is translated run by run
  (``NormalizeUnicode._wide_first``). Left as measured (py-spy, first pass): MeCab's
  ``tostr`` with SHORT_FORMAT about half of the time (it alone costs what raw fugashi does:
  ``%f`` fields cost MeCab's writer ~25 ms per 100,000 morphemes, ``%H`` costs the same in
  decoding, splitting and hashing its longer lines); judging new lines and compound runs through
  the filter objects about a fifth; NFKC and sentence splitting about a twelfth. One MeCab call
  per document (sentences joined by line breaks) would save only ~3 % of MeCab's time and
  changes connection costs at sentence boundaries, so it is not used.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from analysis.errors import MissingExtraError
from analysis.tokenize import filters as f
from analysis.tokenize.lines import LineFilters
from analysis.tokenize.morphology import Morpheme, janome_morphology
from analysis.tokenize.sentences import split_sentences
from analysis.tokenize.settings import AnalyzerSettings, stopword_list


#: Filters that never join ``filters.SENTENCE_BREAK`` and pass it through unchanged.
_PASS_SENTENCE_BREAKS = (f.JoinLettersDigits, f.JoinCompoundNouns)


def fuse_token_filters(token_filters: Sequence[Callable]) -> list[Callable]:
    """``token_filters`` with each run of per-token filters replaced by one
    :class:`~analysis.tokenize.filters.FusedSteps` (same tokens, one remembered step)."""
    stages: list = []
    run: list = []
    for token_filter in list(token_filters) + [None]:
        if isinstance(token_filter, f.PerTokenFilter):
            run.append(token_filter)
            continue
        if run:
            stages.append(f.FusedSteps(run))
            run = []
        if token_filter is not None:
            stages.append(token_filter)
    return stages


class Analyzer:
    """janome's Analyzer shape: ``char_filters`` (str -> str), ``tokenizer`` (str -> list of
    Morpheme), ``token_filters`` (iterator -> iterator); ``analyze`` returns strings.

    Consecutive per-token filters are executed as one remembered step (:func:`fuse_token_filters`).
    A tokenizer with ``per_sentence = True`` is called once per sentence; otherwise once per
    document, its morphemes dealt back to the sentences by character offset. When the filters are
    the joining ones followed by one fused step (as :func:`build_analyzer` makes them), they run
    once over the document's sentences, each ended by ``filters.SENTENCE_BREAK``, which nothing
    joins. With the fugashi backend they run on MeCab's output lines instead
    (:class:`~analysis.tokenize.lines.LineFilters`, same tokens) unless ``fast_lines`` is False.
    """

    #: Let ``lines.LineFilters`` stand in for the filters where it can (the tests turn it off to
    #: compare with the filters run as Morphemes).
    fast_lines = True

    def __init__(self, char_filters: Sequence[Callable[[str], str]],
                 tokenizer: Callable[[str], list[Morpheme]],
                 token_filters: Sequence[Callable[[Iterable[Morpheme]], Iterable[Morpheme]]]):
        self.char_filters = list(char_filters)
        self.tokenizer = tokenizer
        self.token_filters = list(token_filters)
        self._fused: tuple[tuple, list] = ((), [])
        self._line_filters: tuple[tuple, LineFilters | None] = ((), None)

    def normalize(self, text: str) -> str:
        for char_filter in self.char_filters:
            text = char_filter(text)
        return text

    def normalize_sentences(self, sentences: Sequence[str]) -> list[str]:
        """``[self.normalize(s).strip() for s in sentences]``; the leading char filters that are
        ``line_safe`` run once over the sentences joined by line breaks."""
        char_filters = self.char_filters
        n_safe = 0
        while n_safe < len(char_filters) and getattr(char_filters[n_safe], "line_safe", False):
            n_safe += 1
        if n_safe and len(sentences) > 1:
            joined = "\n".join(sentences)
            for char_filter in char_filters[:n_safe]:
                joined = char_filter(joined)
            lines = joined.split("\n")
            if len(lines) == len(sentences):  # no sentence held a line break
                sentences, char_filters = lines, char_filters[n_safe:]
                if char_filters and all(getattr(c, "prefilter", None) is not None for c in char_filters):
                    return self._normalize_flagged_lines(joined, lines, char_filters)
        return [self._normalize_one(text, char_filters) for text in sentences]

    @staticmethod
    def _normalize_flagged_lines(joined: str, lines: list[str], char_filters: Sequence) -> list[str]:
        """``[normalize(line).strip() for line in lines]`` with ``char_filters`` (``lines`` joined
        by line breaks is ``joined``), each filter applied only to the lines its ``prefilter``
        finds (``filters.RemovePatterns``): a line without a match would come out unchanged.
        Most documents have no date or clock time, and one search of the document replaces a
        call per sentence."""
        for index, char_filter in enumerate(char_filters):
            flagged = Analyzer._lines_of(joined, char_filter.prefilter.finditer(joined))
            for i in flagged:
                lines[i] = char_filter(lines[i])
            if flagged and index + 1 < len(char_filters):
                joined = "\n".join(lines)
                if joined.count("\n") != len(lines) - 1:  # a filter put in a line break: one by one
                    return [Analyzer._normalize_one(line, char_filters[index + 1:]) for line in lines]
        return [line.strip() for line in lines]

    @staticmethod
    def _lines_of(text: str, matches: Iterable) -> list[int]:
        """Distinct line numbers (0-based, in order) of ``text`` where ``matches`` (in order) start:
        the line breaks are counted from one match to the next, not from the start each time
        (a document with many numbers such as 3.5 or 10:00 has many matches)."""
        found: list[int] = []
        line = position = 0
        count = text.count
        for match in matches:
            start = match.start()
            line += count("\n", position, start)
            position = start
            if not found or found[-1] != line:
                found.append(line)
        return found

    @staticmethod
    def _normalize_one(text: str, char_filters: Sequence) -> str:
        for char_filter in char_filters:
            text = char_filter(text)
        return text.strip()

    def _stages(self) -> list[Callable]:
        filters = tuple(self.token_filters)
        if self._fused[0] != filters:  # built once; rebuilt if token_filters is changed
            self._fused = (filters, fuse_token_filters(filters))
        return self._fused[1]

    def _lines_filter(self, stages: list[Callable]) -> LineFilters | None:
        """The filters run on MeCab's lines (``lines.LineFilters``), if they can stand in."""
        key = (self.tokenizer, *stages)
        if self._line_filters[0] != key:
            usable = self.fast_lines and LineFilters.applies(self.tokenizer, stages)
            self._line_filters = (key, LineFilters(self.tokenizer, stages, self._filter) if usable else None)
        return self._line_filters[1]

    def filter(self, tokens: Iterable[Morpheme]) -> list[str]:
        return self._filter(tokens, self._stages())

    @staticmethod
    def _filter(tokens: Iterable[Morpheme], stages: list[Callable]) -> list[str]:
        if stages and isinstance(stages[-1], f.FusedSteps):
            for stage in stages[:-1]:
                tokens = stage(tokens)
            return stages[-1].surfaces(tokens)
        for stage in stages:
            tokens = stage(tokens)
        return [t.surface for t in tokens]

    @staticmethod
    def _filter_in_one_pass(stages: list[Callable]) -> bool:
        """May the sentences of a document be filtered together, separated by SENTENCE_BREAK?"""
        return bool(stages) and isinstance(stages[-1], f.FusedSteps) and all(
            type(stage) in _PASS_SENTENCE_BREAKS for stage in stages[:-1])

    @staticmethod
    def _filter_document(tokens: list[Morpheme], stages: list[Callable]) -> list[list[str]]:
        """Tokens of each sentence of ``tokens`` (each sentence ended by SENTENCE_BREAK)."""
        for stage in stages[:-1]:
            tokens = stage(tokens)
        return stages[-1].surfaces_by_sentence(tokens, f.SENTENCE_BREAK)

    def _filter_sentences(self, per_sentence: list[list[Morpheme]], stages: list[Callable]) -> list[list[str]]:
        if len(per_sentence) > 1 and self._filter_in_one_pass(stages):
            tokens: list[Morpheme] = []
            for morphemes in per_sentence:
                tokens += morphemes
                tokens.append(f.SENTENCE_BREAK)
            return self._filter_document(tokens, stages)
        return [self._filter(ms, stages) for ms in per_sentence]

    def analyze_sentences(self, text: str) -> tuple[list[str], list[list[str]]]:
        """(sentences as given, tokens of each sentence)."""
        sentences = split_sentences(text)
        return sentences, self.tokenize_sentences(sentences)

    def tokenize_sentences(self, sentences: Sequence[str]) -> list[list[str]]:
        """Tokens of each sentence (one janome call for all of them; fugashi: one per sentence)."""
        cleaned = self.normalize_sentences(sentences)
        stages, tokenizer = self._stages(), self.tokenizer
        if getattr(tokenizer, "per_sentence", False):
            line_filters = self._lines_filter(stages) if self.fast_lines else None
            if line_filters is not None:
                tokens = line_filters(cleaned)
                if tokens is not None:
                    return tokens
            if len(cleaned) > 1 and hasattr(tokenizer, "sentences") and self._filter_in_one_pass(stages):
                return self._filter_document(tokenizer.sentences(cleaned, f.SENTENCE_BREAK), stages)
            return self._filter_sentences([tokenizer(c) if c else [] for c in cleaned], stages)
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
        return self._filter_sentences(per_sentence, stages)

    def analyze(self, text: str) -> list[str]:
        """Tokens of ``text`` (all sentences, in order)."""
        return [t for tokens in self.analyze_sentences(text)[1] for t in tokens]

    __call__ = analyze


class JanomeMorphology:
    """``text -> list[Morpheme]`` with janome and the user dictionary (see ``morphology``)."""

    def __init__(self, user_dictionary: str | None):
        self.user_dictionary = user_dictionary

    def __call__(self, text: str) -> list[Morpheme]:
        return janome_morphology(self.user_dictionary)(text)


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


#: MeCab output options: one "surface<TAB>feature CSV" line per morpheme (known or unknown), no
#: BOS line, and a line holding only BEL ("\a") at the end of the text (fugashi strips the final
#: line break). shlex (fugashi) turns "\\t" into the "\t" MeCab reads as a tab.
LINE_FORMAT = r'-O "" -F%m\\t%H\\n -U%m\\t%H\\n -B "" -E\\a'
#: The same lines reduced to what the analyzer reads, for unidic-lite (:func:`short_format_fits`):
#: a known word prints "surface<TAB>orthBase<TAB>kana<TAB>pos1[,pos2[,pos3]]", a fifth of the
#: characters to print, decode, split and hash, read with one split. MeCab's ``%f[i]`` prints a
#: "*" field as empty, and ``%F,[0,1,2]`` leaves out "*" fields with their commas (in unidic-lite
#: pos1 is never "*" and pos3 is "*" wherever pos2 is, so the missing ones are the last); see
#: ``_MorphemeLines``. An unknown word prints its full features and a tab,
#: "surface<TAB>features<TAB>" (unknown words have 6 fields, so ``%f[10]`` would be out of range:
#: MeCab fails and fugashi crashes). The trailing tab also keeps -U apart from -F: MeCab takes a
#: -U equal to its default ("%m\t%H\n") as absent and prints unknown words with -F.
SHORT_FORMAT = r'-O "" -F%m\\t%f[10]\\t%f[17]\\t%F,[0,1,2]\\n -U%m\\t%H\\t\\n -B "" -E\\a'
#: The unidic-lite whose entries SHORT_FORMAT was checked against (``tests/test_tokenize_fugashi.py``
#: reads every entry of sys.dic): its number of entries.
UNIDIC_LITE_ENTRIES = 756_264
_END = "\a"  # the last line of every parse (no morpheme line is only this: they hold a tab)


@lru_cache(maxsize=2)
def _fugashi_tagger(pid: int, args: str = ""):
    try:
        import fugashi
        import unidic_lite  # noqa: F401  (the dictionary fugashi.Tagger() finds)
    except ImportError as exc:
        raise MissingExtraError("backend='fugashi' needs the fast extra: pip install -e '.[fast]' "
                                "(fugashi + unidic-lite), or use backend='janome'") from exc
    return fugashi.Tagger(args)


def _feature_type(tagger):
    """fugashi's namedtuple for this dictionary's features, chosen the way ``fugashi.Tagger`` does."""
    import fugashi

    n_fields = len(tagger.parseToNodeList("日本")[0].feature_raw.split(","))  # whatever the output format
    by_length = {17: fugashi.UnidicFeatures17, 26: fugashi.UnidicFeatures26, 29: fugashi.UnidicFeatures29}
    if n_fields not in by_length:
        raise MissingExtraError(f"fugashi's dictionary has {n_fields} feature fields; backend='fugashi' "
                                "expects UniDic (unidic-lite: pip install -e '.[fast]')")
    return by_length[n_fields]


def short_format_fits(tagger) -> bool:
    """Is ``tagger``'s dictionary the unidic-lite SHORT_FORMAT was checked against (its sys.dic,
    that many entries, no user dictionary)? ``tests/test_tokenize_fugashi.py`` reads all its
    entries: each has 26 fields; pos1 is never "*", pos2 and pos3 are "*" or a name, and pos3 is
    "*" wherever pos2 is; orthBase is never empty and "*" only for the word "*"; no tab in any
    field, no comma or quote in pos1-3, orthBase or kana, and no quote before them. So a short
    line gives the Morpheme its full line gives."""
    try:
        import unidic_lite
    except ImportError:
        return False
    info = tagger.dictionary_info
    sys_dic = os.path.join(unidic_lite.DICDIR, "sys.dic")
    return (len(info) == 1 and info[0]["size"] == UNIDIC_LITE_ENTRIES
            and os.path.realpath(info[0]["filename"]) == os.path.realpath(sys_dic))


@lru_cache(maxsize=2)
def _line_tagger(pid: int) -> tuple:
    """(MeCab tagger printing one line per morpheme, its format): SHORT_FORMAT on unidic-lite,
    else LINE_FORMAT."""
    tagger = _fugashi_tagger(pid, SHORT_FORMAT)
    if short_format_fits(tagger):
        return tagger, SHORT_FORMAT
    return _fugashi_tagger(pid, LINE_FORMAT), LINE_FORMAT


class FugashiMorphology:
    """``text -> list[Morpheme]`` with MeCab (fugashi + unidic-lite), tags mapped to IPADIC names.

    The user dictionary is not applied (MeCab needs a compiled one); compound joining restores
    most domain words (輸出 + 統制, 半 + 導体). MeCab skips ASCII white space, so morphemes cannot
    be dealt back to sentences by offset: the analyzer calls this once per sentence.

    MeCab prints one line per morpheme (``SHORT_FORMAT`` on unidic-lite, else ``LINE_FORMAT``);
    each distinct line becomes a Morpheme once, read exactly as from fugashi's nodes (its feature
    parsing, fields padded with None). MeCab reads a text up to its first NUL, so NUL is given to
    it as a space (fugashi's own nodes lose the rest of the text). A sentence of up to
    ``MEMO_CHARS`` characters is parsed once: its output is remembered (bylines, datelines, list
    items and captions recur across a corpus).
    """

    per_sentence = True
    END = _END  # the line that ends each text's lines (:meth:`lines`)
    MEMO_CHARS = 64
    MAX_MEMO = 50_000  # remembered sentences, then forgotten

    def __init__(self):
        self._lines = _MorphemeLines()
        #: ``morpheme(line)``: the Morpheme of one line of :meth:`lines`, shared by every equal line.
        self.morpheme = self._lines.__getitem__
        self._memo: dict[str, str] = {"": _END}  # short sentence -> MeCab's output

    def __call__(self, text: str) -> list[Morpheme]:
        lines = self.lines([text])
        return list(map(self._lines.__getitem__, lines[:-1]))  # the last line is _END

    def lines(self, texts: Sequence[str]) -> list[str]:
        """MeCab's lines for each text (one call each), each text's ended by an ``END`` line."""
        memo = self._memo
        parsed = list(map(memo.get, texts))
        if None in parsed:
            parse, memo_chars = self._lines.tagger().parse, self.MEMO_CHARS
            if len(memo) >= self.MAX_MEMO:
                memo.clear()
                memo[""] = _END
            if len(self._lines) >= self._lines.MAX_LINES:  # (checked here, not for every new line)
                self._lines.clear()
            for index, out in enumerate(parsed):
                if out is None:
                    text = texts[index]
                    out = memo.get(text)  # (a sentence met earlier in this document)
                    if out is None:
                        out = parse(text.replace("\0", " ") if "\0" in text else text)
                        if len(text) <= memo_chars:
                            memo[text] = out
                    parsed[index] = out
        return "\n".join(parsed).split("\n")

    def sentences(self, texts: Sequence[str], sentence_break: Morpheme) -> list[Morpheme]:
        """The morphemes of each text (one MeCab call each), each text's followed by ``sentence_break``."""
        lines = self.lines(texts)
        self._lines.end_of_text = self._lines[_END] = sentence_break
        return list(map(self._lines.__getitem__, lines))

    def __getstate__(self) -> dict:  # MeCab and the memories are rebuilt in the new process
        return {"fresh": True}

    def __setstate__(self, state: dict) -> None:
        self.__init__()


def _fast_morpheme_constructor():
    """``Morpheme(surface, base, pos, reading)`` at half the cost, by its slots (a frozen dataclass
    sets each field through ``object.__setattr__``): the first pass builds one per distinct MeCab
    line. Plain ``Morpheme`` if the class is not the plain five-slot dataclass this expects."""
    import dataclasses

    names = tuple(field.name for field in dataclasses.fields(Morpheme))
    if (names != ("surface", "base", "pos", "reading", "infl_form") or hasattr(Morpheme, "__post_init__")
            or getattr(Morpheme, "__slots__", None) != names):
        return Morpheme
    new = Morpheme.__new__
    set_surface, set_base, set_pos, set_reading, set_infl = (Morpheme.__dict__[n].__set__ for n in names)

    def morpheme(surface: str, base: str, pos: tuple, reading: str) -> Morpheme:
        m = new(Morpheme)
        set_surface(m, surface)
        set_base(m, base)
        set_pos(m, pos)
        set_reading(m, reading)
        set_infl(m, "*")
        return m

    return morpheme


_morpheme = _fast_morpheme_constructor()


class _MorphemeLines(dict):
    """``line -> Morpheme`` for MeCab's lines, each built on first sight (``__missing__``) the way
    fugashi reads a node: features split like fugashi's ``set_feature`` (CSV when quoted) into the
    fields of its namedtuple for this dictionary, missing ones None; base ``orthBase or surface``,
    reading ``kana or "*"``.

    With ``SHORT_FORMAT`` a known word's line holds orthBase, kana and the POS fields that are not
    "*" (pos2 and pos3 then "*"; unidic-lite has no empty POS field), "*" printed as empty: an
    empty orthBase gives the surface (unidic-lite's only "*" orthBase is the word "*" itself), an
    empty kana "*" either way (``short_format_fits``). An unknown word's line ends with a tab and
    holds its full features.
    """

    MAX_LINES = 500_000  # then forgotten and rebuilt (checked by FugashiMorphology.lines)

    def __init__(self):
        super().__init__()
        self._pid = None
        self._tagger = None
        self._short = False  # SHORT_FORMAT lines?
        self.end_of_text = None  # what the _END line stands for (FugashiMorphology.sentences)
        self._n_fields = 0  # fields of fugashi's feature namedtuple
        self._base = self._kana = 0  # their indices (n_fields where the namedtuple lacks one)
        self._pos: dict[tuple, tuple] = {}
        self._short_pos: dict[str, tuple] = {}  # "pos1[,pos2[,pos3]]" of a short line -> its POS

    def tagger(self):
        if self._pid != os.getpid():
            (self._tagger, line_format), self._pid = _line_tagger(os.getpid()), os.getpid()
            self._short = line_format == SHORT_FORMAT
        return self._tagger

    def _read_feature_type(self) -> None:
        names = _feature_type(self.tagger())._fields
        self._n_fields = len(names)
        self._base = names.index("orthBase") if "orthBase" in names else len(names)
        self._kana = names.index("kana") if "kana" in names else len(names)

    def __missing__(self, line: str) -> Morpheme:
        if self._short:  # (set with the tagger, before MeCab printed any line)
            parts = line.split("\t")
            if len(parts) == 4:  # a known word: surface, orthBase, kana, "pos1[,pos2[,pos3]]"
                surface, base, kana, tag = parts
                pos = self._short_pos.get(tag)
                if pos is None:
                    pos = self._short_pos[tag] = unidic_pos(*(tag.split(",") + ["*", "*"])[:3])
                morpheme = self[line] = _morpheme(surface, base or surface, pos, kana or "*")
                return morpheme
        return self._other_line(line)

    def _other_line(self, line: str) -> Morpheme:
        """The Morpheme of a line that is not a known word's short line: the END line, an
        unknown word's line, or a LINE_FORMAT line."""
        if line == _END and self.end_of_text is not None:  # forgotten with the other lines
            self[_END] = self.end_of_text
            return self.end_of_text
        if not self._n_fields:
            self._read_feature_type()  # (starts the tagger, which tells whether lines are short)
            if self._short and line.count("\t") == 3:
                return self[line]
        if self._short:
            # an unknown word, "surface<TAB>features<TAB>"
            surface = line.partition("\t")[0]
            raw = line[len(surface) + 1:-1]
        else:
            surface, _, raw = line.partition("\t")
        fields = next(csv.reader([raw])) if '"' in raw else raw.split(",")
        n = len(fields)
        if n > self._n_fields:  # as fugashi's namedtuple would
            raise TypeError(f"MeCab gave {n} feature fields for {surface!r}, fugashi expects at most "
                            f"{self._n_fields}")
        tag = (fields[0], fields[1] if n > 1 else None, fields[2] if n > 2 else None)
        pos = self._pos.get(tag)
        if pos is None:
            pos = self._pos[tag] = unidic_pos(*tag)
        # getattr(feature, "orthBase" / "kana", None) of fugashi's namedtuple, padded with None
        base = (fields[self._base] if self._base < n else None) or surface
        reading = (fields[self._kana] if self._kana < n else None) or "*"
        morpheme = self[line] = _morpheme(surface, base, pos, reading)
        return morpheme

    def __reduce__(self):
        return (_MorphemeLines, ())


#: noise patterns -> a prefilter for them (``filters.RemovePatterns``): every match of the default
#: patterns (dates 2025-02-01 / 2025.2.1 with an optional time, clock times 7:05) holds a digit,
#: one of "-/.:" and a digit in a row.
_NOISE_PREFILTERS = {AnalyzerSettings().noise_patterns: r"\d[-/.:]\d"}


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
        char_filters.append(f.RemovePatterns(s.noise_patterns, prefilter=_NOISE_PREFILTERS.get(s.noise_patterns)))
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
