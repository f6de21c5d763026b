"""Collocates of a term: words within a window of it, with association statistics.

>>> tokens = {"d1": ["政府", "輸出規制", "強化"], "d2": ["輸出規制", "強化", "懸念"], "d3": ["景気", "回復"]}
>>> table = collocates(tokens, "輸出規制", window=1, min_count=1)
>>> table[["word", "frequency", "left", "right"]].values.tolist()[0]
['強化', 2, 0, 2]

Counting (window level). Every token position except the term's own is one trial: it is *in* a
window when it lies within ``window`` tokens (same document) of an occurrence of the term. For a
candidate word w this gives the 2x2 table

=============  ===================  ======================
               w                    not w
=============  ===================  ======================
in window      a = ``frequency``    b = span - a
outside        c = f(w) - a         d = N - span - c
=============  ===================  ======================

with ``span`` the number of positions in windows (overlapping windows counted once) and ``N`` all
positions except the term's. From it:

- ``expected`` = f(w) * span / N;  ``pmi`` = log2(a / expected)
- ``llr``: Dunning's log-likelihood G2 = 2 * sum(O ln(O/E)) over the four cells; it is large for
  attraction *and* repulsion, so read it with ``pmi``'s sign (words with a < expected are dropped
  unless ``keep_repelled``)
- ``t``: t-score (a - expected) / sqrt(a)
- ``score``: KH Coder's collocation score, sum over occurrences of 1/distance to the term
- ``left``/``right``: occurrences before/after the nearest occurrence of the term

``jaccard`` is *document level* (as KH Coder's 関連語検索 with the document unit): documents
containing both the term and w over documents containing either. Pass ``unit="sentence"`` to count
windows and Jaccard within sentences instead (needs the ``sentence_tokens`` column).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from analysis.closeread._common import check_choice, token_units
from analysis.errors import InputError

SORT_KEYS = {"pmi": "pmi", "llr": "llr", "t": "t", "jaccard": "jaccard", "frequency": "frequency",
             "score": "score"}
COLUMNS = ["term", "word", "frequency", "left", "right", "score", "word_total", "expected", "pmi",
           "llr", "t", "co_docs", "word_docs", "jaccard"]


def collocates(tokens, term: str, *, window: int = 5, unit: str = "doc", min_count: int = 2,
               sort: str = "llr", top: int | None = None, keep_repelled: bool = False) -> pd.DataFrame:
    """Tidy table of collocates of ``term`` (see the module docstring for every column).

    ``tokens`` is the tokens table (doc_id, tokens[, sentence_tokens]) or a mapping doc_id ->
    tokens. ``min_count`` drops words seen fewer times in the windows; ``top`` keeps the first
    rows after sorting by ``sort`` (one of pmi, llr, t, jaccard, frequency, score; descending,
    ties by word).
    """
    check_choice("sort", sort, tuple(SORT_KEYS))
    if window < 1:
        raise InputError(f"window {window} must be at least 1 token")
    units = token_units(tokens, unit=unit)
    totals: Counter = Counter()
    unit_freq: Counter = Counter()
    near: Counter = Counter()
    left: Counter = Counter()
    score: Counter = Counter()
    co_units: Counter = Counter()
    n_term_units = 0
    span = 0
    n_positions = 0
    for u in units:
        toks = u.tokens
        totals.update(toks)
        uniq = set(toks)
        unit_freq.update(uniq)
        hits = [i for i, t in enumerate(toks) if t == term]
        n_positions += len(toks) - len(hits)
        if not hits:
            continue
        n_term_units += 1
        co_units.update(uniq - {term})
        hit_set = set(hits)
        # nearest occurrence of the term for every position within a window of one
        nearest: dict[int, int] = {}
        for h in hits:
            for j in range(max(0, h - window), min(len(toks), h + window + 1)):
                if j in hit_set:
                    continue
                if j not in nearest or abs(j - h) < abs(j - nearest[j]):
                    nearest[j] = h
        span += len(nearest)
        for j, h in nearest.items():
            w = toks[j]
            near[w] += 1
            score[w] += 1.0 / abs(j - h)
            if j < h:
                left[w] += 1
    if totals[term] == 0:
        raise InputError(f"term {term!r} does not occur in the tokens; check the spelling or try "
                         f"`analysis kwic {term}` (string match) first")
    rows = []
    for w, a in near.items():
        if a < min_count:
            continue
        fw = totals[w]
        expected = fw * span / n_positions
        pmi = math.log2(a / expected)
        if pmi < 0 and not keep_repelled:
            continue
        union = n_term_units + unit_freq[w] - co_units[w]
        rows.append({
            "term": term, "word": w, "frequency": a, "left": left[w], "right": a - left[w],
            "score": score[w], "word_total": fw, "expected": expected, "pmi": pmi,
            "llr": log_likelihood(a, span - a, fw - a, n_positions - span - (fw - a)),
            "t": (a - expected) / math.sqrt(a), "co_docs": co_units[w], "word_docs": unit_freq[w],
            "jaccard": co_units[w] / union if union else 0.0,
        })
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out.sort_values([SORT_KEYS[sort], "word"], ascending=[False, True], kind="mergesort")
    if top is not None:
        out = out.head(top)
    return out.reset_index(drop=True)


def log_likelihood(a: float, b: float, c: float, d: float) -> float:
    """Dunning's G2 for the 2x2 table [[a, b], [c, d]] (cells with 0 contribute 0)."""
    table = np.array([[a, b], [c, d]], dtype=float)
    n = table.sum()
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / n
    mask = table > 0
    return float(2.0 * np.sum(table[mask] * np.log(table[mask] / expected[mask])))
