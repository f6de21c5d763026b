"""``analysis topics``, ``analysis topics-select`` and ``analysis topics-validate``.

    $ analysis topics --method all --k 10 --seed 20250120
    $ analysis topics --method bertopic --paragraphs --period Q
    $ analysis topics-select --method nmf --k-range 4 16 2
    $ analysis topics-validate --per-category 150

Heavy libraries (pandas, scikit-learn, BERTopic, matplotlib) are imported inside ``run``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import config
from analysis.topics.stage_defaults import DEFAULT_K, SKLEARN_METHODS, TOPIC_METHODS


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=None, help=f"random_state of every model (default: the study's, else {config.SEED})")
    parser.add_argument("--root", type=Path, default=None, help="project root (default: this checkout)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.study import add_config_argument

    add_config_argument(parser)
    parser.add_argument("--method", choices=[*TOPIC_METHODS, "all"], default=None,
                        help="default: nmf, or with --config every method of the study (topics.methods)")
    parser.add_argument("--k", type=int, default=None,
                        help=f"number of topics, themes included (default: the study's topics.k, else {DEFAULT_K})")
    parser.add_argument("--themes", type=Path, default=None,
                        help="YAML theme -> seed words (default: the study's topics.themes; without --config "
                             "the bundled themes.yaml)")
    parser.add_argument("--no-themes", action="store_true", help="fit unseeded topics only")
    parser.add_argument("--paragraphs", action="store_true", help="BERTopic: cluster paragraphs, not whole documents")
    parser.add_argument("--period", choices=config.PERIOD_CHOICES, default=None, help="period of topic shares")
    parser.add_argument("--clustering", choices=["kmeans", "hdbscan"], default="kmeans",
                        help="BERTopic: k-means into --k topics (default) or HDBSCAN, which finds the number "
                             "itself and leaves outliers (then merged down to --k)")
    parser.add_argument("--embedding-model", default=None,
                        help="BERTopic: LOCAL folder of a sentence-transformers model (default: TF-IDF+SVD)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: data/processed/topics)")
    _common(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.study import pick, stage_paths
    from analysis.topics.stage import run_topics

    study, paths = stage_paths(args)
    methods = [args.method] if args.method else (list(study.topic_methods) if study else ["nmf"])
    themes = args.themes if args.themes is not None else (study.themes if study else None)
    use_themes = not args.no_themes and (study is None or themes is not None)
    results = {}
    for method in methods:
        k = args.k if args.k is not None else (study.k_for(method) if study and method != "all" else DEFAULT_K)
        results.update(run_topics(method=method, k=k, seed=pick(args.seed, study, "seed", config.SEED),
                                  themes=themes, use_themes=use_themes, paragraphs=args.paragraphs,
                                  period=pick(args.period, study, "period", config.PERIOD),
                                  corpus=paths.corpus, tokens=paths.tokens, out=args.out or paths.processed / "topics",
                                  embedding_model=args.embedding_model, clustering=args.clustering))
    for method, summary in results.items():
        print(f"{method}: {summary['n_topics']} topics on {summary['n_documents']} documents "
              f"in {summary['seconds']} s (outliers {summary['outlier_share']:.1%})")
    return 0


# -- topics-select -----------------------------------------------------------------------------
def add_select_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.study import add_config_argument

    add_config_argument(parser)
    parser.add_argument("--method", nargs="+", choices=TOPIC_METHODS, default=list(SKLEARN_METHODS))
    parser.add_argument("--k-range", nargs=3, type=int, metavar=("START", "STOP", "STEP"), default=[4, 16, 2],
                        help="k values range(START, STOP + 1, STEP)")
    parser.add_argument("--n-seeds", type=int, default=3, help="seeds per k for stability")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: data/processed/topics)")
    _common(parser)


def run_select(args: argparse.Namespace) -> int:
    from analysis.errors import InputError
    from analysis.figures.style import save_figure, use_style
    from analysis.io import write_csv
    from analysis.topics.selection import plot_k_selection, select_k
    from analysis.topics.stage import load_tokenized

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import json

    from analysis.study import pick, stage_paths

    study, paths = stage_paths(args)
    seed = pick(args.seed, study, "seed", config.SEED)
    start, stop, step = args.k_range
    ks = list(range(start, stop + 1, step))
    if not ks or min(ks) < 2 or args.n_seeds < 1:
        raise InputError("--k-range START STOP STEP must give k >= 2, and --n-seeds >= 1")
    frame = load_tokenized(paths.corpus, paths.tokens)
    docs = [list(t) for t in frame["tokens"]]
    table = select_k(docs, ks, methods=args.method, seeds=[seed + i for i in range(args.n_seeds)])
    out = args.out or paths.processed / "topics"
    write_csv(table, out / "k_selection.csv")
    use_style()
    fig, ax = plt.subplots()
    summaries = [paths.processed / "topics" / m / "summary.json" for m in args.method]
    fitted = [json.loads(p.read_text(encoding="utf-8")).get("k") for p in summaries if p.is_file()]
    plot_k_selection(table, ax=ax, fitted_k=fitted[0] if fitted else None)  # the k this run's models use
    save_figure(fig, paths.figures / "topics_k_selection")
    print(table.to_string(index=False))
    return 0




# -- topics-validate ---------------------------------------------------------------------------
def add_validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--per-category", type=int, default=150,
                        help="livedoor articles per category (0: all 7,367; tokenizing all takes ~12 CPU-min)")
    parser.add_argument("--method", nargs="+", choices=TOPIC_METHODS, default=list(TOPIC_METHODS))
    parser.add_argument("--clustering", nargs="+", choices=["kmeans", "hdbscan"], default=["kmeans", "hdbscan"],
                        help="BERTopic clusterings to score (one row each)")
    parser.add_argument("--livedoor", type=Path, default=None, help="path of ldcc-text.tgz (default: ../shared)")
    parser.add_argument("--demo", action="store_true", help="also score the demo corpus against its planted themes")
    parser.add_argument("--no-livedoor", action="store_true", help="skip livedoor")
    parser.add_argument("--jobs", type=int, default=0, help="tokenizer processes (0: all cores)")
    parser.add_argument("--out", type=Path, default=None, help="CSV of the table (default: data/processed/topics/validation.csv)")
    _common(parser)


def run_validate(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.io import write_csv
    from analysis.topics.validate import validate_demo, validate_livedoor

    if args.seed is None:
        args.seed = config.SEED
    tables = []
    if not args.no_livedoor:
        tables.append(validate_livedoor(per_category=args.per_category or None, methods=args.method,
                                        seed=args.seed, tarball=args.livedoor, jobs=args.jobs,
                                        clusterings=args.clustering))
    if args.demo:
        tables.append(validate_demo(root=args.root, methods=args.method, seed=args.seed,
                                    clusterings=args.clustering))
    if not tables:
        return 0
    table = pd.concat(tables, ignore_index=True)
    write_csv(table.drop(columns=["seconds"]), args.out or config.paths(args.root).processed / "topics" / "validation.csv")
    print(table.to_string(index=False))
    return 0
