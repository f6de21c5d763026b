"""A topic's words per period: how its vocabulary shifts, e.g. 輸出規制 before and after 2022-10-07.

>>> import pandas as pd
>>> doc_topics = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "topic": [0, 0, 0, 0],
...                            "weight": [1.0, 1.0, 1.0, 1.0], "dominant": [True] * 4})
>>> tokens = pd.DataFrame({"doc_id": ["a", "b", "c", "d"],
...     "tokens": [["輸出規制", "禁輸", "韓国"], ["輸出規制", "禁輸"], ["輸出規制", "輸出管理", "中国"], ["輸出管理", "中国"]]})
>>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c", "d"],
...     "published": pd.to_datetime(["2019-07-04", "2019-08-02", "2022-10-08", "2023-01-13"]).tz_localize("Asia/Tokyo")})
>>> words = topic_words_by_period(doc_topics, tokens, corpus, periods=["2022-10-07"], n_words=2, min_docs=3,
...                               labels={0: "輸出規制"})
>>> words.groupby("period", sort=False)["word"].apply(list).to_dict()
{'〜2022-10-06': ['禁輸', '輸出規制'], '2022-10-07〜': ['中国', '輸出管理']}
>>> words[["label", "period", "n_docs", "too_few"]].drop_duplicates().values.tolist()
[['輸出規制', '〜2022-10-06', 2, True], ['輸出規制', '2022-10-07〜', 2, True]]

Periods are calendar periods (``freq`` "Y", "Q", "M", or "auto") or the spans between explicit cut
dates (``periods=["2022-10-07"]`` gives "〜2022-10-06" and "2022-10-07〜"). The table is in
chronological order of periods; :func:`period_sort_key` restores that order after any re-sorting
(the label "〜…" of the first span would otherwise sort last).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.stats import period_label
from analysis.topics.representative import check_columns, label_map, topic_label

#: Between the dates of a span: "2020-01-01〜2022-10-06"; an open end has no date ("〜2019-12-31").
SPAN = "〜"
COLUMNS = ["topic", "label", "period", "rank", "word", "weight", "doc_freq", "n_docs", "too_few"]


def period_sort_key(label) -> tuple[int, str]:
    """Chronological order of period labels: "2019" < "2020", "2019Q4" < "2020Q1", and the open
    first span "〜2022-10-06" before "2022-10-07〜".

    >>> sorted(["2022-10-07〜", "〜2022-10-06"], key=period_sort_key)
    ['〜2022-10-06', '2022-10-07〜']
    """
    label = str(label)
    return (0, label) if label.startswith(SPAN) else (1, label)


def parse_cuts(cuts: Sequence) -> list[pd.Timestamp]:
    """Sorted distinct cut dates as midnight in Japan time (``config.DEFAULT_TZ``)."""
    out = set()
    for cut in cuts:
        try:
            ts = pd.Timestamp(cut)
        except (ValueError, TypeError):
            ts = pd.NaT
        if pd.isna(ts):
            raise InputError(f"period cut {cut!r} is not a date; give cut dates like '2022-10-07' "
                             "(the first day of the later period)")
        ts = ts.tz_localize(config.DEFAULT_TZ) if ts.tzinfo is None else ts.tz_convert(config.DEFAULT_TZ)
        out.add(ts.normalize())
    return sorted(out)


def span_labels(cuts: Sequence[pd.Timestamp]) -> list[str]:
    """Labels of the len(cuts) + 1 spans: "〜2022-10-06", "2022-10-07〜" (each cut opens a span)."""
    starts = [None, *cuts]
    ends = [*cuts, None]
    labels = []
    for start, end in zip(starts, ends):
        first = start.strftime("%Y-%m-%d") if start is not None else ""
        last = (end - pd.Timedelta(days=1)).strftime("%Y-%m-%d") if end is not None else ""
        labels.append(f"{first}{SPAN}{last}")
    return labels


def cut_periods(published: pd.Series, cuts: Sequence) -> pd.Series:
    """The span label of every date; a document published on a cut date belongs to the later span.

    >>> dates = pd.Series(pd.to_datetime(["2022-10-06 23:59", "2022-10-07 00:00"]).tz_localize("Asia/Tokyo"))
    >>> cut_periods(dates, ["2022-10-07"]).tolist()
    ['〜2022-10-06', '2022-10-07〜']
    """
    bounds = parse_cuts(cuts)
    labels = np.array(span_labels(bounds), dtype=object)
    ts = pd.to_datetime(published)
    ts = ts.dt.tz_localize(config.DEFAULT_TZ) if ts.dt.tz is None else ts.dt.tz_convert(config.DEFAULT_TZ)
    position = np.searchsorted(np.array([b.value for b in bounds], dtype=np.int64),
                               ts.to_numpy(dtype="datetime64[ns]").astype(np.int64), side="right")
    out = pd.Series(labels[position], index=published.index, dtype="string")
    return out.where(ts.notna(), pd.NA)


def count_matrix(token_lists: Sequence[Sequence[str]]):
    """(vocabulary sorted, documents x words CSR matrix of counts)."""
    from collections import Counter

    from scipy import sparse

    counted = [Counter(str(t) for t in tokens) for tokens in token_lists]
    vocabulary = sorted(set().union(*counted)) if counted else []
    index = {word: j for j, word in enumerate(vocabulary)}
    rows, cols, data = [], [], []
    for i, counts in enumerate(counted):
        for word, count in counts.items():
            rows.append(i)
            cols.append(index[word])
            data.append(count)
    matrix = sparse.csr_matrix((np.asarray(data, dtype=float), (rows, cols)), shape=(len(counted), len(vocabulary)))
    matrix.sort_indices()
    return vocabulary, matrix


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"topic": pd.Series(dtype=int), "label": pd.Series(dtype=str),
                         "period": pd.Series(dtype=str), "rank": pd.Series(dtype=int),
                         "word": pd.Series(dtype=str), "weight": pd.Series(dtype=float),
                         "doc_freq": pd.Series(dtype=int), "n_docs": pd.Series(dtype=int),
                         "too_few": pd.Series(dtype=bool)})[COLUMNS]


def topic_words_by_period(doc_topics: pd.DataFrame, tokens: pd.DataFrame, corpus: pd.DataFrame, *,
                          periods: Sequence | None = None, freq: str = "Y", n_words: int = 10,
                          min_docs: int = config.MIN_DOCS_PER_PERIOD,
                          labels: Mapping[int, str] | pd.DataFrame | None = None,
                          include_outliers: bool = False) -> pd.DataFrame:
    """Each topic's ``n_words`` most characteristic words in each period.

    Returns ``topic, label, period, rank, word, weight, doc_freq, n_docs, too_few``: per topic
    (ascending) and period (chronological), the words by ``weight`` (highest first, ties by word),
    ``doc_freq`` of the period's topic documents containing the word, ``n_docs`` those documents,
    and ``too_few`` when ``n_docs < min_docs``. Thin periods are kept, flagged, not dropped: a topic
    that appears twice in 2019 still shows what those two editorials said, and the flag (and the
    figure's grey panel) says not to read a trend into it. Periods without any document of the topic
    have no rows.

    Documents: a topic's documents in a period are those whose dominant topic it is (as in the
    topic shares), dated in the period; undated ones are left out. The outlier topic -1 is left out
    unless ``include_outliers``. Periods: ``periods`` as cut dates (``["2022-10-07"]``: each date is
    the first day of a new span, in Japan time), else ``freq`` ("Y", "Q", "M", or "auto": the
    shortest whose median number of documents per (topic, period) reaches
    ``config.MIN_DOCS_PER_PERIOD``, :func:`analysis.stats.choose_period` with the topic as group).

    Weight: class-based TF-IDF as in BERTopic's ``topics_over_time``, with the (topic, period) as
    the class. ``tf`` is the count of the word in the class's documents, each document counted
    with its weight for the topic (a document that is 40% about the topic adds 0.4 of its words),
    divided by the class's weighted word total, so periods of different size are comparable;
    ``idf = log(1 + N / df)`` with ``df`` the number of documents containing the word among all
    ``N`` documents of ``tokens`` (the whole corpus). ``weight = tf * idf``.

    Why this and not log-odds of a period against the topic's other periods: the cells are small
    (a topic has a few dozen editorials spread over years), and c-TF-IDF needs no estimate from
    them beyond the counts: the idf comes from the whole corpus, so it is stable however thin the
    period, and a single-document period still yields that editorial's distinctive words. A
    log-odds contrast (even with an informative Dirichlet prior, Monroe et al. 2008) needs a
    comparison set from the same topic, which is empty for a topic seen in one period and itself
    thin otherwise; its z-scores would mostly reflect the prior. The price: words that define the
    topic in every period rank high in each of them, so the shift shows in the words a period does
    not share with the others (the figure marks those), not in the first rank alone.
    """
    if n_words < 1:
        raise InputError(f"n_words={n_words}: ask for at least one word per topic and period")
    check_columns(doc_topics, ["doc_id", "topic", "weight", "dominant"], "doc_topics", "analysis topics")
    check_columns(tokens, ["doc_id", "tokens"], "tokens", "analysis tokenize")
    check_columns(corpus, ["doc_id", "published"], "corpus", "analysis ingest")
    names = label_map(labels)

    tok = tokens[["doc_id", "tokens"]].copy()
    tok["doc_id"] = tok["doc_id"].astype(str)
    tok = tok.drop_duplicates("doc_id").sort_values("doc_id", kind="mergesort").reset_index(drop=True)
    vocabulary, counts = count_matrix([list(t) if t is not None else [] for t in tok["tokens"]])
    words = np.asarray(vocabulary, dtype=object)
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log1p(len(tok) / np.maximum(df, 1))
    row_of = pd.Series(np.arange(len(tok)), index=tok["doc_id"])

    own = doc_topics.loc[doc_topics["dominant"].astype(bool), ["doc_id", "topic", "weight"]].copy()
    own["doc_id"] = own["doc_id"].astype(str)
    own["topic"] = own["topic"].astype(int)
    if not include_outliers:
        own = own[own["topic"] != -1]
    dates = corpus[["doc_id", "published"]].copy()
    dates["doc_id"] = dates["doc_id"].astype(str)
    own = own.merge(dates.drop_duplicates("doc_id"), on="doc_id", how="inner")
    own = own[own["doc_id"].isin(row_of.index)]
    if own.empty:
        if len(doc_topics) and not set(doc_topics["doc_id"].astype(str)) & set(row_of.index):
            raise InputError("doc_topics shares no doc_id with tokens; the topics were fitted on other tokens: "
                             "rerun `analysis topics` (or `analysis run`)")
        return _empty()
    if periods is not None and len(periods):
        own["period"] = cut_periods(own["published"], periods)
    else:
        try:
            own["period"] = period_label(own["published"], freq, groups=own["topic"].astype(str))
        except ValueError as exc:
            raise InputError(f"freq={freq!r}: {exc}; or give cut dates as periods=['2022-10-07']") from None
    own = own.dropna(subset=["period"])
    own["period"] = own["period"].astype(str)
    own["row"] = row_of.loc[own["doc_id"]].to_numpy()

    rows = []
    for (topic, period), cell in own.groupby(["topic", "period"], sort=True):
        cell = cell.sort_values("row", kind="mergesort")
        sub = counts[cell["row"].to_numpy()]
        tf = np.asarray(sub.T @ cell["weight"].to_numpy(float)).ravel()
        total = tf.sum()
        if not total > 0:
            continue
        score = tf / total * idf
        present = np.flatnonzero(tf > 0)  # ascending index = alphabetical, so a stable sort breaks ties by word
        top = present[np.argsort(-score[present], kind="stable")[:n_words]]
        doc_freq = np.asarray((sub[:, top] > 0).sum(axis=0)).ravel()
        n_docs = int(len(cell))
        for rank, (j, k) in enumerate(zip(top, doc_freq), start=1):
            rows.append((int(topic), topic_label(topic, names), str(period), rank, str(words[j]), float(score[j]),
                         int(k), n_docs, n_docs < min_docs))
    if not rows:
        return _empty()
    out = pd.DataFrame(rows, columns=COLUMNS)
    order = {p: i for i, p in enumerate(sorted(out["period"].unique(), key=period_sort_key))}
    out = out.assign(_order=out["period"].map(order)).sort_values(["topic", "_order", "rank"], kind="mergesort")
    return out.drop(columns="_order").reset_index(drop=True)
