"""The close-reading commands: ``kwic``, ``collocates``, ``network``, ``code`` and ``ca``.

    $ analysis kwic 輸出規制 --window 15 --sort right --out reports/kwic_輸出規制.html
    $ analysis kwic "輸出 規制" --tokens --source 東亜日報 --from 2023-01-01 --to 2023-12-31
    $ analysis collocates 輸出規制 --window 5 --top 20 --sort llr
    $ analysis network --top 60 --out reports/figures/network
    $ analysis network --term 輸出規制 --color-by source
    $ analysis code src/analysis/resources/coding_rules.txt --unit doc --period Y
    $ analysis code my_khcoder_rules.txt            # a KH Coder coding-rule file (*コード名 lines)
    $ analysis ca --by source --top 60

All read ``corpus.parquet`` and ``tokens.parquet`` from ``--processed`` (default
``data/processed``); a missing file is reported with the command that makes it. One module serves
the five commands: ``add_arguments`` reads the command name from the sub-parser's ``prog``
("analysis kwic") and ``run`` dispatches on ``args.command``. Heavy imports (pandas, matplotlib,
networkx) happen inside ``run``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analysis import config

COMMAND_NAMES = ("kwic", "collocates", "network", "code", "ca")


# ---------------------------------------------------------------- loading


def load_corpus(processed: Path):
    """corpus.parquet of ``processed``, or an InputError saying to run ``analysis ingest``."""
    from analysis.io import read_stage_output

    return read_stage_output(Path(processed) / "corpus.parquet", "ingest", ("doc_id", "source", "text", "published"))


def load_tokens(processed: Path, *, sentences: bool = False):
    """tokens.parquet of ``processed`` (with the sentence columns only if ``sentences``), or an
    InputError saying to run ``analysis tokenize``. Token lists stay as read (arrays); the tools
    accept any sequence."""
    from analysis.io import read_stage_output

    wanted = ["doc_id", "tokens"] + (["sentences", "sentence_tokens"] if sentences else [])
    return read_stage_output(Path(processed) / "tokens.parquet", "tokenize", wanted, only_columns=True)


def filtered(processed: Path, args, *, need_tokens: bool = True, sentences: bool = False):
    """(corpus, tokens) restricted to --source/--from/--to when the command has them."""
    from analysis.closeread._common import filter_corpus

    corpus = load_corpus(processed)
    corpus = filter_corpus(corpus, source=getattr(args, "source", None),
                           date_from=getattr(args, "date_from", None), date_to=getattr(args, "date_to", None))
    if not need_tokens:
        return corpus, None
    tokens = load_tokens(processed, sentences=sentences)
    tokens = tokens[tokens["doc_id"].isin(set(corpus["doc_id"]))].reset_index(drop=True)
    return corpus, tokens


# ---------------------------------------------------------------- arguments


def _common(parser: argparse.ArgumentParser, *, filters: bool = True) -> None:
    paths = config.paths()
    parser.add_argument("--processed", type=Path, default=paths.processed,
                        help=f"folder with corpus.parquet and tokens.parquet (default: {paths.processed})")
    if filters:
        parser.add_argument("--source", action="append", default=None, metavar="S",
                            help="only this newspaper (repeat for several)")
        parser.add_argument("--from", dest="date_from", default=None, metavar="DATE",
                            help="only documents published on or after DATE (YYYY-MM-DD, JST)")
        parser.add_argument("--to", dest="date_to", default=None, metavar="DATE",
                            help="only documents published on or before DATE (inclusive)")


def add_arguments(parser: argparse.ArgumentParser, command: str | None = None) -> None:
    command = command or parser.prog.split()[-1]
    if command == "kwic":
        parser.add_argument("term", metavar="TERM", help="word or string to look up (with --tokens: tokens separated by spaces)")
        parser.add_argument("--window", type=int, default=None,
                            help="context size: characters (default 20), or tokens with --tokens (default 10)")
        parser.add_argument("--sort", choices=["left", "right"], default=None, help="sort by left or right context")
        parser.add_argument("--tokens", action="store_true", help="match token sequences in tokens.parquet instead of raw strings")
        parser.add_argument("--limit", type=int, default=50, help="rows printed (0: all; --out always gets all)")
        parser.add_argument("--out", type=Path, default=None, help="also write the concordance to FILE.csv, .html or .md")
        _common(parser)
    elif command == "collocates":
        parser.add_argument("term", metavar="TERM", help="the node word (a token of tokens.parquet)")
        parser.add_argument("--window", type=int, default=5, help="tokens on each side (default 5)")
        parser.add_argument("--top", type=int, default=20, help="rows to show (default 20)")
        parser.add_argument("--sort", choices=["pmi", "llr", "t", "jaccard", "frequency", "score"], default="llr",
                            help="ranking statistic (default llr)")
        parser.add_argument("--min-count", type=int, default=2, help="minimum co-occurrences in the windows (default 2)")
        parser.add_argument("--unit", choices=["doc", "sentence"], default="doc",
                            help="windows and Jaccard within documents (default) or sentences")
        parser.add_argument("--out", type=Path, default=None, help="also write the full table to FILE.csv")
        _common(parser)
    elif command == "network":
        parser.add_argument("--top", type=int, default=60, help="number of words (default 60)")
        parser.add_argument("--term", default=None, help="draw this word's neighbourhood instead of the top words")
        parser.add_argument("--measure", choices=["jaccard", "pmi"], default="jaccard", help="edge measure (default jaccard)")
        parser.add_argument("--min-value", type=float, default=None, help="keep edges with measure >= this")
        parser.add_argument("--edges", type=int, default=60, help="keep the strongest N edges (default 60; 0: all)")
        parser.add_argument("--min-docs", type=int, default=2, help="words must occur in at least N units (default 2)")
        parser.add_argument("--unit", choices=["doc", "sentence"], default="doc", help="co-occurrence unit (default doc)")
        parser.add_argument("--color-by", choices=["community", "source", "period"], default="community",
                            help="node colour: community, or the newspaper/period using the word most")
        parser.add_argument("--period", choices=["M", "Q", "Y"], default="Y", help="period for --color-by period")
        parser.add_argument("--out", type=Path, default=config.paths().figures / "network",
                            help="figure stem; writes STEM.png/.svg/.pdf and STEM_nodes.csv, STEM_edges.csv")
        _common(parser)
    elif command == "code":
        parser.add_argument("rules", type=Path, metavar="RULES",
                            help="coding rules file, native (名前 = 式) or KH Coder (*コード名 + conditions); "
                                 "see analysis.closeread.coding")
        parser.add_argument("--syntax", choices=["auto", "native", "khcoder"], default="auto",
                            help="rules file format (default auto: KH Coder if the first rule line starts with *)")
        parser.add_argument("--unit", choices=["doc", "sentence"], default="doc",
                            help="apply rules to documents (default) or sentences")
        parser.add_argument("--period", choices=["M", "Q", "Y"], default="Y", help="period (default Y: year)")
        parser.add_argument("--by", choices=["source", "all"], default="source",
                            help="one line per newspaper (default) or all newspapers pooled")
        parser.add_argument("--n-boot", type=int, default=config.N_BOOT, help="bootstrap replicates for the CIs")
        parser.add_argument("--out", type=Path, default=config.paths().figures / "code_shares",
                            help="figure stem; writes STEM.png/.svg/.pdf, STEM.csv and STEM_hits.csv")
        _common(parser)
    elif command == "ca":
        parser.add_argument("--by", choices=["source", "period"], default="source", help="columns of the table")
        parser.add_argument("--period", choices=["M", "Q", "Y"], default="Y", help="period for --by period")
        parser.add_argument("--top", type=int, default=60, help="most frequent words to include (default 60)")
        parser.add_argument("--labels", type=int, default=40, help="words labelled in the biplot (default 40)")
        parser.add_argument("--out", type=Path, default=None,
                            help="figure stem (default reports/figures/ca_<by>); also STEM_coords.csv, STEM_inertia.csv")
        _common(parser)
    else:
        raise ValueError(f"unknown close-reading command {command!r}; expected one of {COMMAND_NAMES}")


# ---------------------------------------------------------------- commands


def run(args: argparse.Namespace) -> int:
    handler = {"kwic": run_kwic, "collocates": run_collocates, "network": run_network,
               "code": run_code, "ca": run_ca}[args.command]
    start = time.perf_counter()
    status = handler(args)
    print(f"({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    return status


def run_kwic(args) -> int:
    from analysis.closeread.kwic import kwic, kwic_text, write_kwic

    by = "tokens" if args.tokens else "string"
    corpus, tokens = filtered(args.processed, args, need_tokens=args.tokens)
    window = args.window if args.window is not None else (10 if args.tokens else 20)
    hits = kwic(corpus, args.term, window=window, tokens=tokens, by=by, sort=args.sort)
    print(f"{args.term}: {len(hits)} hits in {hits['doc_id'].nunique()} of {len(corpus)} documents")
    if len(hits):
        print(kwic_text(hits, limit=args.limit or None))
        if args.limit and len(hits) > args.limit:
            print(f"... {len(hits) - args.limit} more (use --limit 0 or --out)")
    if args.out:
        write_kwic(hits, args.out, title=f"KWIC: {args.term}")
        print(f"wrote {args.out}")
    return 0


def run_collocates(args) -> int:
    import pandas as pd

    from analysis.closeread.collocations import collocates
    from analysis.io import write_csv

    _, tokens = filtered(args.processed, args, sentences=args.unit == "sentence")
    table = collocates(tokens, args.term, window=args.window, unit=args.unit, min_count=args.min_count,
                       sort=args.sort)
    print(f"collocates of {args.term} (window ±{args.window} tokens, {args.unit} unit; "
          f"Jaccard over {'documents' if args.unit == 'doc' else 'sentences'}), sorted by {args.sort}:")
    shown = table.head(args.top).drop(columns=["term"])
    with pd.option_context("display.max_columns", None, "display.width", 200, "display.unicode.east_asian_width", True):
        print(shown.round(3).to_string(index=False) if len(shown) else "(none)")
    if args.out:
        write_csv(table, args.out)
        print(f"wrote {args.out}")
    return 0


def run_network(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.closeread.network import build_network, plot_network
    from analysis.figures.style import save_figure, use_style
    from analysis.io import write_csv
    from analysis.stats import period_label

    corpus, tokens = filtered(args.processed, args, sentences=args.unit == "sentence")
    groups = None
    if args.color_by == "source":
        groups = dict(zip(corpus["doc_id"], corpus["source"]))
    elif args.color_by == "period":
        groups = dict(zip(corpus["doc_id"], period_label(corpus["published"], args.period)))
    nodes, edges = build_network(tokens, top=args.top, term=args.term, measure=args.measure,
                                 min_value=args.min_value, top_edges=args.edges or None, min_docs=args.min_docs,
                                 unit=args.unit, groups=groups)
    use_style()
    fig, ax = plt.subplots(figsize=(8, 7))
    what = f"「{args.term}」の周辺" if args.term else f"頻出上位{args.top}語"
    plot_network(nodes, edges, ax=ax, color_by="community" if args.color_by == "community" else "group",
                 title=f"共起ネットワーク（{what}、{args.measure}、{len(edges)}本）")
    written = save_figure(fig, args.out)
    plt.close(fig)
    stem = Path(args.out)
    write_csv(nodes, stem.with_name(stem.name + "_nodes.csv"))
    write_csv(edges, stem.with_name(stem.name + "_edges.csv"))
    print(f"{len(nodes)} words, {len(edges)} edges, {nodes['community'].nunique() if len(nodes) else 0} communities")
    print("wrote " + ", ".join(str(p) for p in written) + f" and {stem.name}_nodes.csv / _edges.csv")
    return 0


def run_code(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from analysis.closeread.coding import apply_rules, code_shares, plot_code_shares, read_rules
    from analysis.figures.style import save_figure, use_style
    from analysis.io import write_csv

    rules = read_rules(args.rules, syntax=args.syntax)
    corpus, tokens = filtered(args.processed, args,
                              sentences=args.unit == "sentence" or any(r.needs_sentences for r in rules))
    hits = apply_rules(rules, tokens, corpus=corpus, unit=args.unit)
    by = ["source", "period"] if args.by == "source" else ["period"]
    shares = code_shares(hits, corpus, by=by, period=args.period, n_boot=args.n_boot)
    stem = Path(args.out)
    write_csv(shares, stem.with_suffix(".csv"))
    write_csv(hits[hits["hit"] == 1], stem.with_name(stem.name + "_hits.csv"))
    unit_name = "documents" if args.unit == "doc" else "sentences"
    for rule in rules:
        n_hit = int(hits.loc[hits["code"] == rule.name, "hit"].sum())
        print(f"{rule.name}: {n_hit} {unit_name}   ({rule})")
    with pd.option_context("display.max_rows", 200, "display.width", 200, "display.unicode.east_asian_width", True):
        print(shares.round(3).to_string(index=False))
    use_style()
    codes = [r.name for r in rules]
    fig, axes = plt.subplots(len(codes), 1, figsize=(7.0, 2.6 * len(codes)), squeeze=False, sharex=True)
    for ax, code in zip(axes[:, 0], codes):
        plot_code_shares(shares, code=code, ax=ax, group="source" if args.by == "source" else "(none)")
    written = save_figure(fig, stem)
    plt.close(fig)
    print("wrote " + ", ".join(str(p) for p in written) + f", {stem.with_suffix('.csv')}")
    return 0


def run_ca(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.closeread.ca import ca_table, correspondence_analysis, plot_ca_biplot
    from analysis.figures.style import save_figure, use_style
    from analysis.io import write_csv

    corpus, tokens = filtered(args.processed, args)
    table = ca_table(tokens, corpus, by=args.by, top=args.top, period=args.period)
    coords, inertia = correspondence_analysis(table)
    print(f"correspondence analysis: {table.shape[0]} words x {table.shape[1]} {args.by} groups")
    print(inertia.round(4).to_string(index=False))
    words = coords[coords["kind"] == "row"]
    for d in (1, 2):
        if f"dim{d}" in coords.columns:
            order = words.sort_values([f"dim{d}", "label"])
            print(f"dim{d} negative: {' '.join(order['label'].head(8))}")
            print(f"dim{d} positive: {' '.join(order['label'].tail(8)[::-1])}")
    if len(inertia) == 1:
        print("two groups give one dimension (100% of the inertia): drawn as one axis")
    use_style()
    # a one-dimensional solution sizes its own figure to the rows of labels it needs
    ax = None if len(inertia) == 1 else plt.subplots(figsize=(7.5, 6.5))[1]
    ax = plot_ca_biplot(coords, inertia, ax=ax, max_words=args.labels,
                        title=f"対応分析（頻出{table.shape[0]}語 × {'新聞' if args.by == 'source' else '期間'}）")
    fig = ax.figure
    stem = Path(args.out) if args.out else config.paths().figures / f"ca_{args.by}"
    written = save_figure(fig, stem)
    plt.close(fig)
    write_csv(coords, stem.with_name(stem.name + "_coords.csv"))
    write_csv(inertia, stem.with_name(stem.name + "_inertia.csv"))
    print("wrote " + ", ".join(str(p) for p in written))
    return 0
