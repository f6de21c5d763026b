"""The topics stage: fit a topic model on the tokenized corpus and write its tables and model.

    >>> from analysis.topics.stage import run_topics
    >>> run_topics(method="nmf", k=10)          # doctest: +SKIP
    {'nmf': PosixPath('.../data/processed/topics/nmf')}

Reads ``corpus.parquet`` and ``tokens.parquet`` (never re-tokenizes: the models are fitted on the
stored tokens; their vectorizers still carry ``JapaneseTokenizer`` for new raw text) and writes,
under ``data/processed/topics/<method>/``: ``topic_words.parquet`` (topic, label, rank, word,
weight), ``doc_topics.parquet`` (doc_id, topic, weight, dominant; long form, non-zero weights),
``dominant_topics.parquet`` (doc_id, source, published, topic, label, weight),
``topic_labels.csv`` (topic, label, seeded, size), ``topic_shares.parquet`` (source, period, topic,
label, n, mean, ci_low, ci_high), ``model.joblib`` (reload with
:func:`analysis.topics.models.load_topic_model`) and ``summary.json`` (``method_label`` names the
variant in figure titles: :func:`analysis.topics.stage_defaults.method_label`).

BERTopic is fitted on readable documents (:func:`readable_documents`: the body text, or its
paragraphs with ``--paragraphs``), each carrying its stored tokens, so BERTopic's own views
(``get_topic_info``, representative documents, hovers) show Japanese sentences while its embeddings
and c-TF-IDF still count the tokens of ``tokens.parquet``. Its folder also gets ``bertopic_model/``:
BERTopic's own save (safetensors with c-TF-IDF), the embedding pipeline, and ``documents.parquet``
(doc_id, paragraph, source, published, topic, document: the documents in the order BERTopic saw
them), so that::

    from analysis.topics.bertopic_model import load_bertopic
    topic_model = load_bertopic("data/processed/topics/bertopic/bertopic_model")
    docs = pd.read_parquet("data/processed/topics/bertopic/bertopic_model/documents.parquet")
    topic_model.topics_over_time(docs["document"].tolist(), docs["published"].tolist())
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Sequence

import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.io import write_csv, write_json, write_parquet
from analysis.topics.stage_defaults import DEFAULT_K, SKLEARN_METHODS, TOPIC_METHODS, method_label

ALL_METHODS = TOPIC_METHODS  # "all" on the command line


def _paragraph_groups(text: str, sentences: Sequence[str], sentence_tokens: Sequence[Sequence[str]]) -> dict[int, list[str]]:
    """Line number of ``text`` -> tokens of the sentences that start on it (stored sentence tokens)."""
    groups: dict[int, list[str]] = {}
    pos = 0
    line = 0
    for sentence, toks in zip(sentences, sentence_tokens):
        start = text.find(sentence, pos) if sentence else -1
        if start >= 0:
            line = text.count("\n", 0, start)
            pos = start + len(sentence)
        groups.setdefault(line, []).extend(str(t) for t in toks)
    return groups


def paragraph_tokens(text: str, sentences: Sequence[str], sentence_tokens: Sequence[Sequence[str]]) -> list[list[str]]:
    """Token lists per paragraph (line of ``text``), built from the stored sentence tokens."""
    return [toks for _, toks in sorted(_paragraph_groups(text, sentences, sentence_tokens).items()) if toks]


def paragraph_units(text: str, sentences: Sequence[str], sentence_tokens: Sequence[Sequence[str]]) -> list:
    """Paragraphs as :class:`~analysis.topics.embeddings.TokenizedText`: the text of the lines from one
    token-bearing line up to the next, with the stored tokens of the sentences starting there.

    >>> [(u.text, list(u.tokens)) for u in paragraph_units("輸出規制だ。\\n補助金だ。", ["輸出規制だ。", "補助金だ。"],
    ...                                                     [["輸出規制"], ["補助金"]])]
    [('輸出規制だ。', ['輸出規制']), ('補助金だ。', ['補助金'])]
    """
    from analysis.topics.embeddings import TokenizedText

    groups = {line: toks for line, toks in _paragraph_groups(text, sentences, sentence_tokens).items() if toks}
    lines = text.split("\n")
    starts = sorted(groups)
    units = []
    for start, end in zip(starts, [*starts[1:], len(lines)]):
        paragraph = "\n".join(lines[start:end]).strip()
        if paragraph:
            units.append(TokenizedText(paragraph, tuple(groups[start])))
    return units


def load_tokenized(corpus_path: Path, tokens_path: Path) -> pd.DataFrame:
    """Corpus rows joined with their tokens (corpus order)."""
    from analysis.io import read_stage_output

    corpus = read_stage_output(corpus_path, "ingest", ["doc_id", "source", "published", "text"])
    tokens = read_stage_output(tokens_path, "tokenize", ["doc_id", "tokens"])
    merged = corpus.merge(tokens, on="doc_id", how="inner", validate="one_to_one")
    if merged.empty:
        raise InputError(f"{tokens_path} shares no doc_id with {corpus_path}; re-run `analysis tokenize`")
    return merged.reset_index(drop=True)


def build_model(method: str, k: int, *, seed: int, themes: dict | None, paragraphs: bool = False,
                embedding_model: str | None = None, clustering: str = "kmeans"):
    if method == "bertopic":
        from analysis.topics.bertopic_model import BERTopicModel

        return BERTopicModel(n_topics=k, clustering=clustering, themes=themes, paragraphs=paragraphs,
                             random_state=seed, embedding_model=embedding_model)
    if method in SKLEARN_METHODS:
        from analysis.topics.models import TopicModel

        return TopicModel(method, n_topics=k, themes=themes, random_state=seed)
    raise InputError(f"--method {method!r}: use one of nmf, lda, bertopic, all")


def documents_for(frame: pd.DataFrame, paragraphs: bool) -> list:
    """Token lists (paragraphs: a list of token lists per document) from the stored tokens (NMF, LDA)."""
    if paragraphs and "sentence_tokens" in frame.columns and "sentences" in frame.columns:
        return [paragraph_tokens(t, s, st) for t, s, st in
                zip(frame["text"], frame["sentences"], frame["sentence_tokens"])]
    return [list(t) for t in frame["tokens"]]


def readable_documents(frame: pd.DataFrame, paragraphs: bool) -> list:
    """What BERTopic is fitted on: each document's body text with its stored tokens
    (:class:`~analysis.topics.embeddings.TokenizedText`), or with ``paragraphs`` a list of them, one per
    paragraph (:func:`paragraph_units`; needs the ``sentences``/``sentence_tokens`` of tokens.parquet)."""
    from analysis.topics.embeddings import TokenizedText

    if paragraphs:
        if not {"sentences", "sentence_tokens"} <= set(frame.columns):
            raise InputError("paragraph mode needs the sentences and sentence_tokens columns of tokens.parquet; "
                             "rerun `analysis tokenize`")
        return [paragraph_units(t, s, st) or [TokenizedText(t, tuple(str(x) for x in tokens))]
                for t, s, st, tokens in zip(frame["text"], frame["sentences"], frame["sentence_tokens"],
                                            frame["tokens"])]
    return [TokenizedText(t, tuple(str(x) for x in tokens)) for t, tokens in zip(frame["text"], frame["tokens"])]


def bertopic_documents_frame(frame: pd.DataFrame, model, documents: list) -> pd.DataFrame:
    """``doc_id, paragraph, source, published, topic, document``: one row per document BERTopic saw
    (a paragraph in paragraph mode), in its order; ``documents`` as given to ``model.fit``."""
    owner = model.unit_owner_
    paragraph = pd.Series(owner).groupby(owner).cumcount().to_numpy()
    rows = frame.iloc[owner].reset_index(drop=True)
    return pd.DataFrame({"doc_id": rows["doc_id"], "paragraph": paragraph, "source": rows["source"],
                         "published": rows["published"], "topic": model.unit_topics_,
                         "document": model.bertopic_documents(documents)})


def fit_and_write(frame: pd.DataFrame, method: str, out_dir: Path, *, k: int, seed: int,
                  themes: dict | None, paragraphs: bool = False, period: str = config.PERIOD,
                  embedding_model: str | None = None, clustering: str = "kmeans", n_words: int = 20) -> dict:
    """Fit one method on ``frame`` (corpus joined with tokens) and write every output to ``out_dir``."""
    from analysis.topics.models import save_topic_model, topic_labels_frame
    from analysis.topics.shares import doc_topics_frame, topic_shares

    start = time.perf_counter()
    model = build_model(method, k, seed=seed, themes=themes, paragraphs=paragraphs,
                        embedding_model=embedding_model, clustering=clustering)
    if method == "bertopic":
        documents = readable_documents(frame, paragraphs)
    else:
        documents = documents_for(frame, False)
    weights = model.fit_transform(documents)
    doc_topics = doc_topics_frame(frame["doc_id"].tolist(), weights, model.topics_)
    labels = dict(zip(model.topics_, model.labels_))
    if (doc_topics["topic"] == -1).any() and -1 not in labels:
        labels[-1] = "外れ値"
    label_frame = topic_labels_frame(model, doc_topics)
    words = model.topic_words(n_words)
    shares = topic_shares(doc_topics, frame, labels, freq=period, seed=seed)
    dominant = doc_topics[doc_topics["dominant"]][["doc_id", "topic", "weight"]]
    dominant = frame[["doc_id", "source", "published"]].merge(dominant, on="doc_id", how="left")
    dominant.insert(4, "label", dominant["topic"].map(labels))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_parquet(words, out_dir / "topic_words.parquet")
    write_parquet(doc_topics, out_dir / "doc_topics.parquet")
    write_parquet(dominant, out_dir / "dominant_topics.parquet")
    write_csv(label_frame, out_dir / "topic_labels.csv")
    write_parquet(shares, out_dir / "topic_shares.parquet")
    save_topic_model(model, out_dir)
    if method == "bertopic":  # BERTopic's own save, loadable with BERTopic.load / load_bertopic
        from analysis.topics.bertopic_model import BERTOPIC_DIR, DOCUMENTS_FILE

        model.save_bertopic(out_dir / BERTOPIC_DIR)
        write_parquet(bertopic_documents_frame(frame, model, documents), out_dir / BERTOPIC_DIR / DOCUMENTS_FILE)
    summary = {"method": method, "k": k, "seed": seed, "paragraphs": bool(paragraphs and method == "bertopic"),
               "period": period, "n_documents": int(len(frame)), "n_topics": int(len(model.topics_)),
               "themes": list(themes or {}), "seconds": round(time.perf_counter() - start, 1),
               "outlier_share": float((doc_topics[doc_topics["dominant"]]["topic"] == -1).mean())}
    if method == "bertopic":
        summary["clustering"] = clustering
        summary["embedding"] = "sentence-transformers" if embedding_model else "lsa"
        summary["unit_outliers_before_reduction"] = getattr(model, "outliers_before_", None)
    summary["method_label"] = method_label(method, clustering=summary.get("clustering"),
                                           embedding=summary.get("embedding"))
    write_json({k_: v for k_, v in summary.items() if k_ != "seconds"}, out_dir / "summary.json")
    return summary


def run_topics(*, method: str = "nmf", k: int = DEFAULT_K, seed: int = config.SEED,
               themes: str | Path | None = None, use_themes: bool = True, paragraphs: bool = False,
               period: str = config.PERIOD, root: str | Path | None = None,
               corpus: str | Path | None = None, tokens: str | Path | None = None,
               out: str | Path | None = None, embedding_model: str | None = None,
               clustering: str = "kmeans") -> dict[str, dict]:
    """Fit ``method`` ("nmf", "lda", "bertopic" or "all") and write outputs; returns summaries by method."""
    from analysis.topics.seeded import load_themes

    paths = config.paths(root)
    frame = load_tokenized(Path(corpus or paths.corpus), Path(tokens or paths.tokens))
    if len(frame) < 3:
        raise InputError(f"topics need at least 3 tokenized documents; the corpus has {len(frame)}")
    theme_words = load_themes(themes) if use_themes else None
    methods = ALL_METHODS if method == "all" else (method,)
    out_root = Path(out) if out else paths.processed / "topics"
    from analysis.runstate import staged_dir, write_stamp
    from analysis.topics.representative import write_topic_extras

    corpus_path, tokens_path = Path(corpus or paths.corpus), Path(tokens or paths.tokens)
    results = {}
    for m in methods:
        # the method's folder is written aside and swapped in whole: a failed fit leaves the previous
        # complete outputs, a refit leaves no file of the old one
        with staged_dir(out_root / m) as folder:
            results[m] = fit_and_write(frame, m, folder, k=k, seed=seed, themes=theme_words,
                                       paragraphs=paragraphs, period=period, embedding_model=embedding_model,
                                       clustering=clustering)
            # representative documents and topic words per period (issue 14.4, 14.5), part of the stage
            write_topic_extras(folder, corpus_path, tokens_path, freq=period)
            write_stamp(folder, "topics", inputs=[corpus_path, tokens_path, *([themes] if themes and use_themes else [])],
                        outputs=sorted(p for p in folder.iterdir() if p.is_file()),
                        parameters={"method": m, "k": k, "seed": seed, "period": period, "paragraphs": paragraphs,
                                    "themes": bool(theme_words), "clustering": clustering})
    return results
