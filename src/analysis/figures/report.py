"""Draw every report figure from the processed tables that exist, deterministically.

>>> from analysis import config
>>> written = run_figures(config.paths().processed, config.paths().figures)  # doctest: +SKIP
>>> sorted(p.name for p in written)[:3]                                        # doctest: +SKIP
['corpus_overview.pdf', 'corpus_overview.png', 'corpus_overview.svg']

Figures (each as PNG 300 dpi, SVG and PDF, via ``style.save_figure``):

- ``corpus_overview``: documents per month per newspaper (corpus.parquet);
- ``stance_over_time`` (all targets) and ``stance_over_time_<target>`` (stance_over_time.parquet):
  mean stance with bands over documents; when the table carries the corrected shares
  (``analysis stance --sheet``), the net share corrected for classifier error with the raw one in a
  second panel, and a caption saying so (targets without a sheet keep their figure);
- ``topic_share_over_time_<method>`` (topics/<method>/topic_shares.parquet), with the study's events;
- ``top_words_<method>`` (topics/<method>/topic_words.parquet);
- ``topic_stance_heatmap_<method>`` (topics/<method>/doc_topics.parquet + stance.parquet).

A table that is absent is skipped with a note on stdout, so the command works at every stage of a
run. Newspapers get the same colour in every figure (sorted names over all tables).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.io import read_parquet

#: Topic panels drawn at most in a topic-share figure (the largest topics by mean share).
MAX_SHARE_PANELS = 12
#: Topics drawn at most in a top-words figure.
MAX_WORD_PANELS = 16


def figure_stem(*parts: str) -> str:
    """A file-name stem from parts: Japanese kept, path separators and spaces replaced by '_'."""
    text = "_".join(str(p) for p in parts if str(p) != "")
    return re.sub(r"[\s/\\:*?\"<>|]+", "_", text)


def method_title(folder: Path, method: str) -> str:
    """How a figure title names the topic method of ``folder`` (topics/<method>/): its summary.json's
    ``method_label``, else :func:`analysis.topics.stage_defaults.method_label` of its method and
    clustering, e.g. "BERTopic（LSA埋め込み, k-means）"."""
    import json

    from analysis.topics.stage_defaults import method_label

    summary_path = Path(folder) / "summary.json"
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.is_file() else {}
    except (OSError, ValueError):
        summary = {}
    return summary.get("method_label") or method_label(method, clustering=summary.get("clustering"),
                                                       embedding=summary.get("embedding"))


def topic_methods(processed_dir: Path) -> list[str]:
    """Topic methods with outputs under ``processed_dir/topics/<method>/``, sorted."""
    root = Path(processed_dir) / "topics"
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def run_figures(
    processed_dir: str | Path,
    figures_dir: str | Path,
    *,
    events_path: str | Path | None = None,
    period: str = config.PERIOD,
    verbose: bool = True,
    min_n_interval: int = config.MIN_N_INTERVAL,
    show_n: bool = False,
) -> list[Path]:
    """Write every figure whose input tables exist under ``processed_dir``; return the files written.

    In the over-time figures, points resting on fewer than ``min_n_interval`` documents are hollow
    and carry no interval (the caption says so); ``show_n`` writes each point's n beside it (the
    one-target stance figures always do).
    ``events_path`` None draws no event markers (a study names its events file; the demo study
    names the packaged one). Tables whose provenance stamps do not match (made from another
    corpus, or a stage that did not finish) are refused with the command to run.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from analysis.figures import plots, tables
    from analysis.figures.style import colors_for, save_figure, use_style

    from analysis.errors import InputError
    from analysis.runstate import check_all

    processed_dir, figures_dir = Path(processed_dir), Path(figures_dir)
    problems = check_all(processed_dir) if processed_dir.is_dir() else []
    if problems:  # tables of different runs must not be drawn side by side
        raise InputError(problems[0])
    use_style()
    events = tables.load_events(events_path) if events_path is not None else None
    written: list[Path] = []
    over = {"min_n_interval": min_n_interval, "show_n": show_n}  # every over-time figure

    def note(message: str) -> None:
        if verbose:
            print(f"   figures: {message}", flush=True)

    def save(fig, stem: str) -> None:
        written.extend(save_figure(fig, figures_dir / stem))
        plt.close(fig)
        note(f"{stem} (.png .svg .pdf)")  # progress: one line per figure

    corpus_path = processed_dir / "corpus.parquet"
    stance_over_time_path = processed_dir / "stance_over_time.parquet"
    stance_path = processed_dir / "stance.parquet"
    methods = topic_methods(processed_dir)

    corpus = read_parquet(corpus_path) if corpus_path.is_file() else None
    stance_over_time = read_parquet(stance_over_time_path) if stance_over_time_path.is_file() else None
    shares = {m: read_parquet(p) for m in methods if (p := processed_dir / "topics" / m / "topic_shares.parquet").is_file()}

    sources: set[str] = set()
    for frame in [corpus, stance_over_time, *shares.values()]:
        if frame is not None and "source" in frame.columns:
            sources |= set(frame["source"].dropna().astype(str))
    colors = colors_for(sources)

    if corpus is not None:
        counts = tables.documents_per_period(corpus, "M")  # the overview is always monthly
        fig, ax = plt.subplots(figsize=(7.0, 3.2))
        plots.plot_corpus_overview(counts, ax=ax, colors=colors)
        fig.tight_layout()
        save(fig, "corpus_overview")
    else:
        note(f"no {corpus_path}; corpus overview skipped")

    if stance_over_time is not None and not stance_over_time.empty:
        corrected = "net_corrected" in stance_over_time.columns and stance_over_time["net_corrected"].notna().any()
        if corrected:  # `analysis stance --sheet`: the corrected estimate, the raw one beside it
            save(plots.corrected_stance_figure(stance_over_time, events=events, colors=colors, **over),
                 "stance_over_time")
            note("stance_over_time: corrected for classifier error (filled validation sheet), raw in the right panels")
        else:
            save(plots.stance_over_time_figure(stance_over_time, events=events, colors=colors, **over),
                 "stance_over_time")
        for target in sorted(stance_over_time["target"].unique()):
            if corrected and stance_over_time.loc[stance_over_time["target"] == target, "net_corrected"].notna().any():
                save(plots.corrected_stance_figure(stance_over_time, targets=[target], events=events, colors=colors,
                                                   **over),
                     figure_stem("stance_over_time", target))
                continue
            fig, ax = plt.subplots(figsize=(7.0, 3.4))
            # one target per figure, room for each point's n: the figure a paper takes carries it
            plots.plot_stance_over_time(stance_over_time, target=target, ax=ax, events=events, colors=colors,
                                        **{**over, "show_n": True})
            fig.tight_layout()
            save(fig, figure_stem("stance_over_time", target))
    else:
        note(f"no {stance_over_time_path}; stance-over-time figures skipped")

    stance = read_parquet(stance_path) if stance_path.is_file() else None
    for method in methods:
        folder = processed_dir / "topics" / method
        title = method_title(folder, method)
        labels_path = folder / "topic_labels.csv"
        topic_labels = pd.read_csv(labels_path) if labels_path.is_file() else None
        if method in shares and not shares[method].empty:
            chosen = tables.largest_topics(shares[method], MAX_SHARE_PANELS)
            save(plots.topic_share_figure(shares[method], topics=chosen, colors=colors, events=events,
                                          title=f"トピックの割合の推移（{title}、新聞別）", **over),
                 figure_stem("topic_share_over_time", method))
        words_path = folder / "topic_words.parquet"
        if words_path.is_file():
            words = tables.top_words(read_parquet(words_path), n=10)
            topics = sorted(t for t in words["topic"].unique() if t != -1)[:MAX_WORD_PANELS]
            save(plots.top_words_figure(words, topics=topics, title=f"トピックごとの上位語（{title}）"),
                 figure_stem("top_words", method))
        doc_topics_path = folder / "doc_topics.parquet"
        if stance is not None and doc_topics_path.is_file():
            table = tables.topic_stance_table(read_parquet(doc_topics_path), stance, topic_labels=topic_labels)
            if not table.empty:
                n_topics = table["topic"].nunique()
                fig, ax = plt.subplots(figsize=(5.8, 1.2 + 0.42 * n_topics))
                plots.plot_topic_stance_heatmap(table, ax=ax)
                ax.set_title(f"トピック別の平均論調（{title}）", pad=18)
                fig.tight_layout()
                save(fig, figure_stem("topic_stance_heatmap", method))
    if not methods:
        note(f"no {processed_dir / 'topics'}; topic figures skipped")
    return written


#: File-name stems of the figures ``run_figures`` draws (each followed by ``_<target or method>``).
FAMILIES = ("corpus_overview", "stance_over_time", "topic_share_over_time", "top_words", "topic_stance_heatmap")


def remove_stale(figures_dir: str | Path, written: list[Path]) -> list[Path]:
    """Delete figures of ``FAMILIES`` in ``figures_dir`` that this run did not write (a dropped target
    or topic method); other files (close-reading figures of the notebooks) are left. Returns them."""
    keep = {Path(p).name for p in written}
    stale = [p for p in sorted(Path(figures_dir).glob("*")) if p.is_file() and p.name not in keep
             and p.suffix in (".png", ".svg", ".pdf")
             and any(p.stem == f or p.stem.startswith(f + "_") for f in FAMILIES)]
    for path in stale:
        path.unlink()
    return stale
