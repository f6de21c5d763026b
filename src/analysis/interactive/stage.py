"""The interactive stage: read the processed tables, write every view that their inputs allow.

Views and the inputs they need (a view whose inputs are missing is skipped with a printed note):

=========================  ====================================================================
``stance_over_time.html``  stance_over_time.parquet (+ stance_evidence.parquet, corpus.parquet
                           for the evidence sentences, stance.parquet for the scoring method)
``kwic.html``              corpus.parquet and the terms (the study's; else the stance targets)
``topics_*.html``,         topics/bertopic/ (model.joblib; the views over documents also need
``documents_map.html``     corpus.parquet, and bertopic_model/documents.parquet or the topics
                           stage's document order)
``index.html``             always: links to the views and the notes on those skipped
=========================  ====================================================================

The folder is written aside and swapped in whole (:func:`analysis.runstate.staged_dir`), so a
rerun leaves no view that the new inputs no longer give, and ``interactive.stamp.json`` records
the inputs read. Every page is byte-identical across reruns on the same inputs.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Sequence

import pandas as pd

from analysis import config

STAGE = "interactive"

#: view name -> page title (the div id of a plotly page is the name with dashes).
TITLES = {
    "stance_over_time": "論調の推移（新聞別・対象別）",
    "kwic": "KWIC：語の用例",
    "topics_map": "トピック間距離マップ（BERTopic）",
    "topics_hierarchy": "トピックの階層（BERTopic）",
    "topics_barchart": "トピックの語（BERTopic）",
    "topics_over_time": "トピックの推移（BERTopic）",
    "documents_map": "文書マップ（BERTopic）",
}


def _read(path: Path, stage: str, columns: Sequence[str] = ()) -> pd.DataFrame | None:
    """The table, or None when the file is absent (a stale or broken one still raises InputError)."""
    from analysis.io import read_stage_output

    if not path.is_file():
        return None
    return read_stage_output(path, stage, columns)


def _doc_order(topic_dir: Path, corpus: pd.DataFrame) -> list[str]:
    """The topics stage's document order: its dominant-topic (or document-topic) table's, else the corpus's."""
    for name in ("dominant_topics.parquet", "doc_topics.parquet"):
        path = topic_dir / name
        if path.is_file():
            frame = _read(path, "topics", ["doc_id"])
            return list(dict.fromkeys(frame["doc_id"].astype(str)))
    return corpus["doc_id"].astype(str).tolist()


def index_page(written: Sequence[Path], notes: Sequence[str], *, title: str = "インタラクティブ表示") -> str:
    """A page linking the views written, with the notes on the views skipped."""
    esc = html.escape
    items = "".join(f'<li><a href="{esc(p.name)}">{esc(TITLES.get(p.stem, p.stem))}</a> <code>{esc(p.name)}</code></li>'
                    for p in written)
    skipped = "".join(f"<li>{esc(n)}</li>" for n in notes)
    return ('<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(title)}</title>\n"
            "<style>body{font-family:sans-serif;margin:1.5em;line-height:1.6}code{color:#666}</style>\n"
            f"</head>\n<body>\n<h1>{esc(title)}</h1>\n"
            "<p>どのページもネットワークなしで開けます（plotly.js を埋め込み）。</p>\n"
            f"<ul>{items}</ul>\n"
            + (f"<h2>作らなかった表示</h2>\n<ul>{skipped}</ul>\n" if notes else "")
            + "</body>\n</html>\n")


def write_interactive(processed_dir: str | Path, out_dir: str | Path, *, terms: Sequence[str] = (),
                      max_documents: int = 2000, seed: int = config.SEED, period: str | None = None,
                      min_n_interval: int = config.MIN_N_INTERVAL, window: int = 20) -> list[Path]:
    """Write the interactive views of ``processed_dir`` into ``out_dir``; return the files written.

    ``terms``: KWIC terms (none: the stance targets); ``max_documents``: the document map shows a
    seeded random sample above this; ``period``: period of the KWIC filter and BERTopic's topics
    over time (None: the one stance_over_time.parquet uses, else ``config.PERIOD``);
    ``min_n_interval``: no interval for stance points from fewer documents. Notes on skipped views
    are printed and listed in ``index.html``.
    """
    from analysis.interactive.page import write_figure
    from analysis.io import write_text
    from analysis.runstate import staged_dir, write_stamp

    processed, out_dir = Path(processed_dir), Path(out_dir)
    inputs: list[Path] = []
    notes: list[str] = []
    pages: list[tuple[str, object]] = []  # (name, plotly figure or page text)

    def note(text: str) -> None:
        notes.append(text)
        print(f"   interactive: {text}")

    corpus = _read(processed / "corpus.parquet", "ingest", ["doc_id", "source", "published", "text"])
    if corpus is not None:
        inputs.append(processed / "corpus.parquet")
    over_time = _read(processed / "stance_over_time.parquet", "stance")
    freq = period
    if freq is None:
        from analysis.interactive.stance_view import label_freq

        freq = (label_freq(over_time["period"]) if over_time is not None else None) or config.PERIOD

    # stance over time, with the strongest evidence sentence of each point
    if over_time is None or over_time.empty:
        note("stance_over_time: skipped, no stance_over_time.parquet (run `analysis stance`)"
             if over_time is None else "stance_over_time: skipped, the table is empty (no document names a target)")
    else:
        from analysis.interactive.stance_view import stance_figure, stance_points

        inputs.append(processed / "stance_over_time.parquet")
        evidence = _read(processed / "stance_evidence.parquet", "stance")
        stance = _read(processed / "stance.parquet", "stance")
        if evidence is None or corpus is None:
            note("stance_over_time: drawn without evidence sentences (stance_evidence.parquet or corpus.parquet missing)")
        else:
            inputs.append(processed / "stance_evidence.parquet")
        methods = None
        if stance is not None and "method" in stance.columns:
            inputs.append(processed / "stance.parquet")
            methods = sorted(stance["method"].astype(str).unique())
        points = stance_points(over_time, evidence, corpus, methods=methods)
        pages.append(("stance_over_time", stance_figure(points, min_n_interval=min_n_interval)))

    # KWIC browser
    if corpus is None:
        note("kwic: skipped, no corpus.parquet (run `analysis ingest`)")
    else:
        from analysis.interactive.kwic_view import concordance, kwic_page

        chosen = [str(t) for t in terms if str(t).strip()]
        origin = ""
        if not chosen and over_time is not None and not over_time.empty:
            chosen = sorted(over_time["target"].astype(str).unique())
            origin = "語は論調の対象（研究設定に KWIC の語がないため）。"
        if not chosen:
            note("kwic: skipped, no terms (give --term or the study's kwic terms)")
        else:
            hits = concordance(corpus, chosen, window=window, freq=freq)
            pages.append(("kwic", kwic_page(hits, terms=chosen, title=TITLES["kwic"], window=window, note=origin)))

    # BERTopic's own views
    topic_dir = processed / "topics" / "bertopic"
    model_path = topic_dir / "model.joblib"
    if not model_path.is_file():
        note(f"BERTopic views: skipped, no fitted model at {model_path} (run `analysis topics --method bertopic`)")
    elif corpus is None:
        note("BERTopic views: skipped, no corpus.parquet")
    else:
        from analysis.interactive.topic_views import bertopic_views
        from analysis.runstate import check_current
        from analysis.topics.models import load_topic_model

        check_current(model_path, command="analysis topics")
        model = load_topic_model(topic_dir)
        inputs.append(model_path)
        documents = _read(topic_dir / "bertopic_model" / "documents.parquet", "topics")
        if documents is not None:
            inputs.append(topic_dir / "bertopic_model" / "documents.parquet")
        for view in bertopic_views(model, corpus, doc_ids=_doc_order(topic_dir, corpus), freq=freq,
                                   max_documents=max_documents, seed=seed, documents=documents):
            if view.figure is None:
                note(f"{view.name}: {view.note}")
            else:
                pages.append((view.name, view.figure))

    written: list[Path] = []
    with staged_dir(out_dir) as folder:
        for name, content in pages:
            path = folder / f"{name}.html"
            if isinstance(content, str):
                write_text(content, path)
            else:
                write_figure(content, path, div_id=name.replace("_", "-"), title=TITLES.get(name, name))
            written.append(path)
        write_text(index_page(written, notes), folder / "index.html")
        written.append(folder / "index.html")
        write_stamp(folder, STAGE, outputs=written, inputs=inputs,
                    parameters={"terms": list(terms), "max_documents": max_documents, "seed": seed,
                                "period": freq, "min_n_interval": min_n_interval, "window": window})
    return [out_dir / p.name for p in written]
