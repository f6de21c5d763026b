"""Rule and lexicon stance scorer: cues, negation, contrast and attachment to the governing target.

>>> scorer = RuleStanceScorer(targets="default").fit()
>>> text = "補助金は拡充すべきだが、輸出規制の強化は見直すべきだ。"
>>> scorer.predict([(text, "半導体補助金"), (text, "輸出規制")]).tolist()
['FAVOR', 'AGAINST']
>>> scorer.predict([("AI規制が必要ないとは言えない。", "AI規制")]).tolist()
['FAVOR']

How a sentence is read (all on janome morphemes of the NFKC text):

1. **Cues** from the lexicon (``lexicon.py``): evaluation (良い/問題), direction (強化/緩和),
   attitude (支持/批判) and modal (べきだ, strengthens the cue before it). Longest match wins;
   morphemes inside a target mention are never cues.
2. **Negation**: each ない/ぬ(ず)/ん(ません) flips the latest cue before it in the clause, so
   とは言えない negates and a double negation (しないわけにはいかない) flips back.
3. **Clauses** end at contrastive connectives (が, ものの, しかし, だが, とはいえ, ...) and at a
   comma after a predicate. A clause after a contrast weighs ``1 + contrast_weight`` per contrast
   before it: the later clause weighs more.
4. **Attachment**: a cue belongs to the nearest target mention before it in its clause (cues before
   the first mention go to the first); coordinated mentions (A・B、A と B) share cues. A clause
   without a mention and without its own は/が subject continues the previous clause's target.
5. **Composition**: a direction or attitude cue right after its target (X の強化, X を批判, X 強化)
   heads the clause, and the cues that follow are about it: 輸出規制の強化は見直すべきだ =
   (+1) x (-1) -> AGAINST 輸出規制. Direction cues flip for targets that name a harm (コストの増加).
6. **Necessity** predicates (必要, 欠かせない, ...; the lexicon's ``necessity`` list) after a
   direction or attitude cue of the clause endorse that action instead of counting on their own:
   拡大には歯止めが必要だ -> AGAINST, 強化する必要はない -> AGAINST.
7. **Objects compose with their action**: a cue followed by a direction/attitude cue through a bare
   particle (を/が/の/に/は) merges with it, signs multiplied: 競争力をそぐ (-), 損失が拡大 (-),
   規制強化には反対 (-). ない after かも しれ / かね is not a negation.
8. **Conditions**: the consequence of a 〜ば/〜なら/〜たら clause about a target judges the action
   in the condition: 補助金を打ち切れば、無駄になる = (-1) x (-1) -> FAVOR.
9. **Comparison**: a mention followed by より is the alternative set aside and gets the opposite of
   its clause: AIの規制より活用を推進すべきだ -> AGAINST AI規制.

Per mention the weighted sum is squashed with tanh into [-1, 1]; a target's score in a sentence
is the mean over its mentions. ``fit`` learns nothing and returns ``self``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from analysis.stance.base import BaseStanceScorer, Item
from analysis.stance.lexicon import Cue, Lexicon, load_lexicon
from analysis.stance.targets import Mention

NEGATION_BASES = frozenset({"ない", "ぬ", "ん"})
# ない after these is not a negation: かもしれない (may), しかねない (risks doing)
NOT_NEGATING_AFTER = frozenset({"しれる", "かねる"})
CONDITIONALS = frozenset({"ば", "なら", "たら", "ならば"})
COORDINATORS = frozenset({"、", "・", "と", "や", "および", "及び", "並びに", "または", ",", "，", "/"})
HEAD_LINKS = frozenset({"の", "を", "へ", "への", "に対する", "に対しての", "について", "をめぐる"})
OBJECT_LINKS = frozenset({"", "を", "が", "の", "に", "は", "には", "へ", "も", "にも"})
MAX_CUE_MORPHEMES = 6


@dataclass(frozen=True)
class Tok:
    surface: str
    base: str
    pos0: str
    pos1: str
    start: int
    end: int


@lru_cache(maxsize=50_000)
def tokens(text: str) -> tuple[Tok, ...]:
    """janome morphemes of ``text`` with character offsets (cached per process)."""
    from analysis.tokenize.morphology import morphemes

    out, pos = [], 0
    for m in morphemes(text):
        start = text.find(m.surface, pos)
        if start < 0:
            start = pos
        end = start + len(m.surface)
        out.append(Tok(m.surface, m.base, m.pos[0], m.pos[1], start, end))
        pos = end
    return tuple(out)


@dataclass
class _CueHit:
    i: int          # first token
    j: int          # one past the last token
    cue: Cue
    sign: float     # after negation
    weight: float = 1.0
    key: str = ""   # the lexicon entry that matched


def find_cues(toks: tuple[Tok, ...], lexicon: Lexicon, blocked: set[int]) -> list[_CueHit]:
    hits, i, n = [], 0, len(toks)
    while i < n:
        found = None
        for k in range(min(MAX_CUE_MORPHEMES, n - i), 0, -1):
            span = toks[i:i + k]
            if any(t in blocked for t in range(i, i + k)):
                continue
            keys = ("".join(t.surface for t in span[:-1]) + span[-1].base,
                    "".join(t.surface for t in span), " ".join(t.base for t in span))
            key = next((key for key in keys if key in lexicon.cues), None)
            if key is None:
                continue
            cue = lexicon.cues[key]
            if k == 1 and span[0].pos0 in ("助詞", "記号") :
                continue
            if k == 1 and span[0].pos0 == "助動詞" and cue.kind != "modal":
                continue
            found = _CueHit(i, i + k, cue, float(cue.polarity), key=key)
            break
        if found:
            hits.append(found)
            i = found.j
        else:
            i += 1
    return hits


def is_negation(tok: Tok) -> bool:
    """ない, ぬ, ん as an auxiliary or adjective (強化しない, 必要ない); shared with the supervised features."""
    return tok.base in NEGATION_BASES and tok.pos0 in ("助動詞", "形容詞")


def clauses(toks: tuple[Tok, ...], lexicon: Lexicon) -> list[tuple[int, int, int]]:
    """(first token, end token, contrasts before) for each clause of a sentence."""
    bounds, start, contrasts, i, n = [], 0, 0, 0, len(toks)
    multi = sorted((c for c in lexicon.contrast if len(c) > 2), key=len, reverse=True)
    while i < n:
        t = toks[i]
        ahead = "".join(x.surface for x in toks[i:i + 5])
        lead = next((c for c in multi if ahead.startswith(c)), None)
        if (t.pos0 == "接続詞" and t.surface in lexicon.contrast) or (lead and t.pos0 != "名詞" or lead in ("一方で",)):
            if i > start:
                bounds.append((start, i, contrasts))
            contrasts += 1
            start = i
            if lead:
                width, acc = 0, ""
                while acc != lead and i + width < n and len(acc) < len(lead):
                    acc += toks[i + width].surface
                    width += 1
                i += max(width, 1)
                continue
        elif t.pos1 == "接続助詞" and t.surface in lexicon.contrast:
            bounds.append((start, i + 1, contrasts))
            contrasts += 1
            start = i + 1
        elif t.surface in ("、", ",") and i > 0 and (
                toks[i - 1].pos0 in ("動詞", "助動詞", "形容詞") or toks[i - 1].pos1 == "接続助詞"):
            bounds.append((start, i + 1, contrasts))
            start = i + 1
        i += 1
    if start < n:
        bounds.append((start, n, contrasts))
    return bounds


def _is_conditional(toks: tuple[Tok, ...], a: int, b: int) -> bool:
    """True when the clause ends in a condition (〜ば、〜なら、〜たら、)."""
    k = b - 1
    while k >= a and toks[k].pos0 == "記号":
        k -= 1
    return k >= a and toks[k].surface in CONDITIONALS and toks[k].pos0 in ("助詞", "助動詞")


def _has_subject(toks: tuple[Tok, ...], a: int, b: int) -> bool:
    return any(toks[k].surface in ("は", "が") and toks[k].pos0 == "助詞" and k > a and toks[k - 1].pos0 == "名詞"
               for k in range(a, b))


def _compose(hits: list[_CueHit], toks, clause_of: dict[int, int], blocked: set[int]) -> list[_CueHit]:
    """Merge a cue with the action cue that takes it as object (X を/が/の/は Y).

    The action's sign multiplies the object's: 競争力をそぐ (+1 x -1), 損失が拡大 (-1 x +1),
    規制強化には反対 (+1 x -1), 赤字を減らす (-1 x -1 = +1). Chains compose left to right; the
    merged cue keeps the object's kind (so harm targets still flip a direction object).
    """
    out: list[_CueHit] = []
    for h in hits:
        last = out[-1] if out else None
        if (last is not None and h.cue.kind in ("direction", "attitude") and last.cue.kind != "modal"
                and clause_of.get(last.i) == clause_of.get(h.i)
                and not any(k in blocked for k in range(last.j, h.i))
                and "".join(t.surface for t in toks[last.j:h.i]) in OBJECT_LINKS):
            out[-1] = _CueHit(last.i, h.j, last.cue, last.sign * h.sign, max(last.weight, h.weight),
                              key=last.key + "+" + h.key)
            continue
        out.append(h)
    return out


class RuleStanceScorer(BaseStanceScorer):
    """Lexicon rules with negation, contrast and target attachment; needs no training.

    Parameters: ``targets`` (None, a path, "default" for the bundled targets.yaml, or a dict of
    Target), ``tohoku`` (merge the Tohoku polarity dictionary when installed), ``lexicon`` (path
    of a cue YAML; None: the bundled one), ``contrast_weight`` (extra weight per contrast before a
    clause), ``modal_boost``, ``threshold`` (|score| below it is NONE).
    """

    def __init__(self, targets=None, tohoku=False, lexicon=None, contrast_weight=1.0, modal_boost=0.5,
                 threshold=0.1):
        self.targets = targets
        self.tohoku = tohoku
        self.lexicon = lexicon
        self.contrast_weight = contrast_weight
        self.modal_boost = modal_boost
        self.threshold = threshold

    def _targets(self):
        if isinstance(self.targets, str) and self.targets == "default":
            from analysis.stance.targets import load_targets

            return load_targets()
        return super()._targets()

    def fit(self, X=None, y=None):
        """No training: loads the lexicon (so errors surface early) and returns ``self``."""
        self.lexicon_ = load_lexicon(self.lexicon, tohoku=self.tohoku)
        return self

    def _lex(self) -> Lexicon:
        return getattr(self, "lexicon_", None) or load_lexicon(self.lexicon, tohoku=self.tohoku)

    def _score_items(self, items: list[Item]) -> np.ndarray:
        from analysis.tokenize.sentences import sentence_spans

        lex = self._lex()
        cache: dict[str, dict[Mention, float]] = {}
        out = np.zeros(len(items))
        for n, item in enumerate(items):
            if not item.mentions:
                continue
            key = item.text + "\x00" + repr(item.all_mentions)
            if key not in cache:
                raw: dict[Mention, float] = {}
                for a, b in sentence_spans(item.text):
                    inside = [m for m in item.all_mentions if a <= m.start and m.end <= b]
                    if inside:
                        shifted = [Mention(m.target, m.start - a, m.end - a, m.alias) for m in inside]
                        for m, s in zip(inside, self.score_sentence(item.text[a:b], shifted, lex)):
                            raw[m] = s
                cache[key] = raw
            raw = cache[key]
            values = [raw.get(m, 0.0) for m in item.mentions]
            out[n] = float(np.tanh(np.mean(values)))
        return out

    def score_sentence(self, sentence: str, mentions: list[Mention], lex: Lexicon | None = None) -> list[float]:
        """Raw (unsquashed) weighted cue sum for each mention of ``sentence``, in order."""
        lex = lex or self._lex()
        toks = tokens(sentence)
        if not toks or not mentions:
            return [0.0] * len(mentions)
        # token range of each mention
        spans = []
        for m in mentions:
            idx = [k for k, t in enumerate(toks) if t.end > m.start and t.start < m.end]
            spans.append((idx[0], idx[-1] + 1) if idx else (0, 0))
        blocked = {k for a, b in spans for k in range(a, b)}
        hits = find_cues(toks, lex, blocked)
        # negation flips the latest polar cue before it in the same clause; modal boosts it
        cl = clauses(toks, lex)
        clause_of = {}
        for c, (a, b, _) in enumerate(cl):
            for k in range(a, b):
                clause_of[k] = c
        inside_cue = {k for h in hits for k in range(h.i, h.j)}
        for k, t in enumerate(toks):
            if k in inside_cue or k in blocked:
                continue
            if is_negation(t) and not (k > 0 and toks[k - 1].base in NOT_NEGATING_AFTER):
                prior = [h for h in hits if h.j <= k and clause_of.get(h.i) == clause_of.get(k) and h.cue.kind != "modal"]
                if prior:
                    prior[-1].sign *= -1
        # a necessity predicate after an action cue says that action is needed: it passes its sign
        # (after negation) to that cue and strengthens it instead of counting on its own
        kept = []
        for h in hits:
            if h.key in lex.necessity:
                prior = [p for p in kept if clause_of.get(p.i) == clause_of.get(h.i)
                         and p.cue.kind in ("direction", "attitude")]
                if prior:
                    prior[-1].sign *= h.sign
                    prior[-1].weight += self.modal_boost
                    continue
            kept.append(h)
        hits = _compose(kept, toks, clause_of, blocked)
        for h in hits:
            if h.cue.kind == "modal":
                prior = [p for p in hits if p.j <= h.i and clause_of.get(p.i) == clause_of.get(h.i) and p.cue.kind != "modal"]
                if prior:
                    prior[-1].weight += self.modal_boost
        harm = [lex.is_harm(m.alias or sentence[m.start:m.end]) for m in mentions]
        # groups of coordinated mentions per clause
        scores = [0.0] * len(mentions)
        owner_by_clause: dict[int, list[list[int]]] = {}
        order = sorted(range(len(mentions)), key=lambda q: spans[q])
        for q in order:
            c = clause_of.get(spans[q][0], 0)
            groups = owner_by_clause.setdefault(c, [])
            if groups:
                last = spans[groups[-1][-1]]
                between = toks[last[1]:spans[q][0]]
                if all(t.surface in COORDINATORS for t in between):
                    groups[-1].append(q)
                    continue
            groups.append([q])
        last_group = None
        pending = None  # (group, value, weight) of a conditional clause awaiting its consequence
        for c, (a, b, contrasts) in enumerate(cl):
            weight = 1.0 + self.contrast_weight * contrasts
            chits = [h for h in hits if a <= h.i < b and h.cue.kind != "modal"]
            groups = owner_by_clause.get(c)
            if pending is not None:
                grp, cond, cond_weight = pending
                pending = None
                conseq = 0.0 if groups else self._group_value(chits, None, toks, False)
                if cond != 0 and conseq != 0:
                    # X を緩めれば、被害が広がる: the consequence judges the action in the condition
                    for q in grp:
                        scores[q] += weight * float(np.sign(cond)) * conseq
                    continue
                for q in grp:
                    scores[q] += cond_weight * cond
            if not groups:
                if last_group is not None and chits and not _has_subject(toks, a, b):
                    value = self._group_value(chits, None, toks, harm[last_group[0]])
                    for q in last_group:
                        scores[q] += weight * value
                continue
            owned: dict[int, list[_CueHit]] = {g: [] for g in range(len(groups))}
            for h in chits:
                g = max([g for g, grp in enumerate(groups) if spans[grp[0]][0] <= h.i] or [0])
                owned[g].append(h)
            conditional = _is_conditional(toks, a, b)
            for g, grp in enumerate(groups):
                value = self._group_value(owned[g], spans[grp[-1]][1], toks, harm[grp[0]])
                after = spans[grp[-1]][1]
                if after < len(toks) and toks[after].surface == "より" and toks[after].pos0 == "助詞":
                    # X より Y を…べきだ: X is the alternative set aside, so it gets the opposite
                    value = -value
                if conditional and g == len(groups) - 1:
                    pending = (grp, value, weight)
                    continue
                for q in grp:
                    scores[q] += weight * value
            last_group = groups[-1]
        if pending is not None:
            for q in pending[0]:
                scores[q] += pending[2] * pending[1]
        return scores

    @staticmethod
    def _value(h: _CueHit, harm: bool) -> float:
        v = h.sign * h.weight
        return -v if (harm and h.cue.kind == "direction") else v

    def _group_value(self, hits: list[_CueHit], mention_end, toks, harm: bool) -> float:
        if not hits:
            return 0.0
        first = hits[0]
        if mention_end is not None and first.i >= mention_end and first.cue.kind in ("direction", "attitude"):
            link = "".join(t.surface for t in toks[mention_end:first.i])
            rest = sum(self._value(h, False) for h in hits[1:])
            if (link == "" or link in HEAD_LINKS) and rest != 0:
                head = self._value(first, harm)
                return float(np.sign(head)) * rest
        return sum(self._value(h, harm) for h in hits)
