"""Word frequencies of the analyzer's output: the most frequent words per newspaper, an example term.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["d1", "d2"], "source": ["A紙", "B紙"]})
>>> tokens = pd.DataFrame({"doc_id": ["d1", "d2"],
...                        "tokens": [["輸出規制", "強化", "輸出規制"], ["補助金", "工場"]]})
>>> keyword_frequencies(tokens, corpus, top=1)[["source", "word", "count", "share", "rank"]].values.tolist()
[['A紙', '輸出規制', 2, 0.6666666666666666, 1], ['B紙', '工場', 1, 0.5, 1]]
>>> example_term(pd.DataFrame({"doc_id": ["d1"], "tokens": [["こと", "それ", "政府", "政府", "こと", "それ"]]}))
'政府'

Both read ``tokens.parquet`` rows (doc_id, tokens): nouns including compounds, verbs and
adjectives in base form, as the analyzer kept them. Ties are broken by the word, so the tables are
the same on every run.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

KEYWORD_COLUMNS = ["word", "count", "share", "rank"]
#: Noun subclasses (IPADIC) that make poor example terms: pronouns, numbers, dependent nouns, suffixes,
#: adverbial nouns (今後, 今日).
NOT_CONTENT = frozenset({"代名詞", "数", "非自立", "接尾", "副詞可能", "特殊"})


def keyword_frequencies(tokens: pd.DataFrame, corpus: pd.DataFrame, *, by: str = "source",
                        top: int | None = 12) -> pd.DataFrame:
    """``by, word, count, share, rank``: each group's ``top`` most frequent words (all with None).

    ``share`` is the word's share of the group's tokens; ``rank`` 1 is the most frequent (ties by
    word). Rows are sorted by group, then rank. Documents missing from either table are left out.
    """
    columns = [by, *KEYWORD_COLUMNS]
    docs = corpus[["doc_id", by]].merge(tokens[["doc_id", "tokens"]], on="doc_id", how="inner")
    counts: dict[str, Counter] = {}
    for group, words in zip(docs[by], docs["tokens"]):
        counts.setdefault(str(group), Counter()).update(str(w) for w in words)
    rows = []
    for group in sorted(counts):
        total = sum(counts[group].values())
        ranked = sorted(counts[group].items(), key=lambda item: (-item[1], item[0]))
        for rank, (word, count) in enumerate(ranked[:top] if top is not None else ranked, start=1):
            rows.append((group, word, count, count / total, rank))
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"count": "int64", "rank": "int64", "share": "float64"})


def is_content_noun(word: str) -> bool:
    """True for a word of two or more characters whose morphemes are all nouns but none a pronoun,
    number, dependent noun or suffix (政府, 輸出規制; not それ, こと, 2024)."""
    from analysis.tokenize.morphology import morphemes

    if len(word) < 2:
        return False
    parts = morphemes(word)
    return bool(parts) and all(m.pos[0] == "名詞" and m.pos[1] not in NOT_CONTENT for m in parts)


def example_term(tokens: pd.DataFrame, *, candidates: int = 200) -> str | None:
    """The corpus's most frequent content noun (ties by word), or None if none of the ``candidates``
    most frequent words is one; a term to read in context when the study names none."""
    totals: Counter = Counter()
    for words in tokens["tokens"]:
        totals.update(str(w) for w in words)
    for word, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:candidates]:
        if is_content_noun(word):
            return word
    return None
