"""Representative documents of every topic: the editorials a reader should open to see what it is.

>>> import pandas as pd
>>> doc_topics = pd.DataFrame({"doc_id": ["a", "b", "c", "c"], "topic": [0, 0, 0, 1],
...                            "weight": [0.9, 0.6, 0.3, 0.7], "dominant": [True, True, False, True]})
>>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "source": ["東西新聞"] * 3,
...     "title": ["輸出規制を強めよ", "禁輸の効果を問う", "生成AIと規制"],
...     "text": ["米政府は先端半導体の\\n輸出規制を強化した。", "禁輸は効くのか。", "生成AIの規制が進む。"],
...     "published": pd.to_datetime(["2022-10-08", "2023-01-05", "2024-03-01"]).tz_localize("Asia/Tokyo")})
>>> reps = representative_documents(doc_topics, corpus, n=2, labels={0: "輸出規制", 1: "AI規制"})
>>> reps[["topic", "label", "rank", "doc_id", "title"]].values.tolist()
[[0, '輸出規制', 1, 'a', '輸出規制を強めよ'], [0, '輸出規制', 2, 'b', '禁輸の効果を問う'], [1, 'AI規制', 1, 'c', '生成AIと規制']]
>>> reps["excerpt"].iloc[0]
'米政府は先端半導体の 輸出規制を強化した。'

``doc_topics`` is the long table of ``data/processed/topics/<method>/doc_topics.parquet``
(``doc_id, topic, weight, dominant``), so the same function serves NMF, LDA and BERTopic.
:func:`write_topic_extras` writes this table and :func:`analysis.topics.periods.topic_words_by_period`
beside the other outputs of a method.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd

from analysis import config
from analysis.errors import InputError

#: Characters of the body shown in ``excerpt`` (whitespace collapsed first).
EXCERPT_CHARS = 120
OUTLIER_LABEL = "外れ値"
COLUMNS = ["topic", "label", "rank", "doc_id", "weight", "dominant", "title", "published", "source", "excerpt"]
_WHITESPACE = re.compile(r"\s+")  # str patterns match the ideographic space U+3000 as well


def excerpt(text, width: int = EXCERPT_CHARS) -> str:
    """The first ``width`` characters of ``text`` with every run of whitespace (newlines, the
    ideographic space) collapsed to one space. A longer text is cut and ends in "…": after the last
    "。" in the window when that keeps at least half of it (the excerpt ends on a whole sentence),
    else at ``width`` characters.

    >>> excerpt("国内外で\\n記録的な猛暑が　相次ぐ。")
    '国内外で 記録的な猛暑が 相次ぐ。'
    >>> excerpt("一文目です。二文目はとても長いので途中で切られる", width=12)
    '一文目です。…'
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    flat = _WHITESPACE.sub(" ", str(text)).strip()
    if len(flat) <= width:
        return flat
    window = flat[:width]
    stop = window.rfind("。")
    if stop >= 0 and stop + 1 >= width // 2:
        window = window[: stop + 1]
    return window.rstrip() + "…"


def label_map(labels: Mapping[int, str] | pd.DataFrame | None) -> dict[int, str]:
    """topic -> label from a mapping or a ``topic_labels.csv`` frame (``topic, label, ...``)."""
    if labels is None:
        return {}
    if isinstance(labels, pd.DataFrame):
        missing = [c for c in ("topic", "label") if c not in labels.columns]
        if missing:
            raise InputError(f"topic labels lack column(s) {missing}; pass topic_labels.csv of `analysis topics` "
                             "(topic, label, seeded, size)")
        return {int(t): str(lab) for t, lab in zip(labels["topic"], labels["label"])}
    return {int(t): str(lab) for t, lab in dict(labels).items()}


def topic_label(topic: int, labels: Mapping[int, str]) -> str:
    """The topic's label; "外れ値" for -1 and the topic number for a topic without one."""
    topic = int(topic)
    if topic in labels:
        return labels[topic]
    return OUTLIER_LABEL if topic == -1 else str(topic)


def check_columns(frame: pd.DataFrame, columns: Sequence[str], what: str, command: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what} lacks column(s) {missing}; pass the table written by `{command}` "
                         "(docs/ARCHITECTURE.md)")


def published_date(published: pd.Series) -> pd.Series:
    """Calendar dates in Japan time (``datetime.date``; None where the date is missing)."""
    ts = pd.to_datetime(published)
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_convert(config.DEFAULT_TZ)
    return pd.Series([d.date() if pd.notna(d) else None for d in ts], index=published.index, dtype=object)


def representative_documents(doc_topics: pd.DataFrame, corpus: pd.DataFrame, *, n: int = 5,
                             labels: Mapping[int, str] | pd.DataFrame | None = None,
                             include_outliers: bool = False, excerpt_chars: int = EXCERPT_CHARS) -> pd.DataFrame:
    """The ``n`` documents that represent each topic best, with what a reader needs to find them.

    Returns ``topic, label, rank, doc_id, weight, dominant, title, published, source, excerpt``,
    one row per (topic, rank), rank 1 first, topics in ascending order. ``published`` is the
    calendar date in Japan time, ``excerpt`` the body's first ``excerpt_chars`` characters with
    whitespace collapsed (:func:`excerpt`).

    Which documents: a topic's own documents come first, the ones whose dominant topic it is
    (``dominant`` True), by ``weight`` (highest first); only when it has fewer than ``n`` of them
    do other documents follow, again by weight, with ``dominant`` False, so a reader sees that
    the topic is only a side theme there. A document with a high weight for a topic that is still
    not its main one (LDA spreads weight widely) would otherwise stand for a topic it is not
    about. Ties (BERTopic gives every document of a topic weight 1.0) are broken by ``doc_id``,
    so the same tables give the same rows in every run. The outlier topic -1 (BERTopic) is left
    out unless ``include_outliers``.

    ``labels`` maps topic -> label (a mapping or the ``topic_labels.csv`` frame); a topic missing
    from it is labelled with its number, -1 with "外れ値".
    """
    if n < 1:
        raise InputError(f"n={n}: ask for at least one representative document per topic")
    check_columns(doc_topics, ["doc_id", "topic", "weight", "dominant"], "doc_topics", "analysis topics")
    check_columns(corpus, ["doc_id", "title", "text", "published", "source"], "corpus", "analysis ingest")
    names = label_map(labels)
    rows = doc_topics[["doc_id", "topic", "weight", "dominant"]].copy()
    rows["doc_id"] = rows["doc_id"].astype(str)
    rows["topic"] = rows["topic"].astype(int)
    rows["dominant"] = rows["dominant"].astype(bool)
    if not include_outliers:
        rows = rows[rows["topic"] != -1]
    rows = rows[rows["weight"] > 0]
    docs = corpus[["doc_id", "title", "text", "published", "source"]].drop_duplicates("doc_id").copy()
    docs["doc_id"] = docs["doc_id"].astype(str)
    unknown = sorted(set(rows["doc_id"]) - set(docs["doc_id"]))
    if unknown:
        raise InputError(f"doc_topics names {len(unknown)} document(s) not in the corpus (e.g. {unknown[0]}); "
                         "the topics were fitted on another corpus: rerun `analysis topics` (or `analysis run`)")
    rows = rows.sort_values(["topic", "dominant", "weight", "doc_id"], ascending=[True, False, False, True],
                            kind="mergesort")
    best = rows.groupby("topic", sort=True).head(n).copy()
    best["rank"] = best.groupby("topic", sort=True).cumcount() + 1
    best = best.merge(docs, on="doc_id", how="left", validate="many_to_one")
    best["label"] = best["topic"].map(lambda t: topic_label(t, names))
    best["published"] = published_date(best["published"])
    best["excerpt"] = [excerpt(text, excerpt_chars) for text in best["text"]]
    best["title"] = best["title"].astype(str)
    best["source"] = best["source"].astype(str)
    out = best.sort_values(["topic", "rank"], kind="mergesort")[COLUMNS].reset_index(drop=True)
    out["rank"] = out["rank"].astype(int)
    out["weight"] = out["weight"].astype(float)
    return out


def _frame(value: pd.DataFrame | str | Path, stage: str, columns: Sequence[str]) -> pd.DataFrame:
    if isinstance(value, pd.DataFrame):
        return value
    from analysis.io import read_stage_output

    return read_stage_output(Path(value), stage, columns)


def write_topic_extras(method_dir: str | Path, corpus: pd.DataFrame | str | Path, tokens: pd.DataFrame | str | Path,
                       *, n_docs: int = 5, n_words: int = 10, freq: str = "Y",
                       periods: Sequence[str] | None = None, min_docs: int = config.MIN_DOCS_PER_PERIOD) -> list[Path]:
    """Write ``representative_documents.parquet`` and ``topic_words_by_period.parquet`` into ``method_dir``.

    Reads ``method_dir/doc_topics.parquet`` and ``method_dir/topic_labels.csv`` (written by
    ``analysis topics``). ``corpus`` and ``tokens`` are the frames of corpus.parquet (needs
    ``doc_id, title, text, published, source``) and tokens.parquet (``doc_id, tokens``), or their
    paths. ``n_docs`` documents per topic (:func:`representative_documents`), ``n_words`` words
    per topic and period, periods by ``freq`` or the cut dates ``periods``, and ``min_docs`` marks
    thin periods (:func:`analysis.topics.periods.topic_words_by_period`). Returns the paths written.
    """
    from analysis.io import read_stage_output, write_parquet
    from analysis.topics.periods import topic_words_by_period

    method_dir = Path(method_dir)
    doc_topics = read_stage_output(method_dir / "doc_topics.parquet", "topics", ["doc_id", "topic", "weight", "dominant"])
    labels_path = method_dir / "topic_labels.csv"
    if not labels_path.is_file():
        raise InputError(f"{labels_path} not found; run `analysis topics` first (or point to a run's output)")
    labels = pd.read_csv(labels_path, dtype={"label": str}, keep_default_na=False)
    corpus = _frame(corpus, "ingest", ["doc_id", "title", "text", "published", "source"])
    tokens = _frame(tokens, "tokenize", ["doc_id", "tokens"])
    reps = representative_documents(doc_topics, corpus, n=n_docs, labels=labels)
    words = topic_words_by_period(doc_topics, tokens, corpus, periods=periods, freq=freq, n_words=n_words,
                                  min_docs=min_docs, labels=labels)
    written = [method_dir / "representative_documents.parquet", method_dir / "topic_words_by_period.parquet"]
    write_parquet(reps, written[0])
    write_parquet(words, written[1])
    return written
