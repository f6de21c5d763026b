"""The ``analysis`` command: one subcommand per pipeline stage.

    $ analysis --help
    $ analysis ingest data/raw/demo --out data/processed
    $ analysis run                      # every stage on the bundled demo corpus

Each subcommand lives in its stage's ``cli`` module, which defines ``add_arguments(parser)`` and
``run(args) -> int``. Only the chosen subcommand's module is imported, so ``analysis --help``
stays fast (no pandas, scikit-learn or BERTopic at start-up). Errors the user can fix
(:class:`analysis.errors.InputError`) are printed as one line with exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from analysis import __version__
from analysis.errors import InputError, MissingExtraError

#: name -> (module defining add_arguments/run, one-line help). Order is the pipeline's order.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("analysis.study_init", "start a study: write DIR/study.yaml (inputs, columns, targets, k, ...) for `run --config`"),
    "ingest": ("analysis.ingest.cli", "read pages, CSV/JSONL/Parquet tables and livedoor into corpus.parquet"),
    "demo": ("analysis.demo.cli", "regenerate the synthetic demo corpus and its ground truth"),
    "topics": ("analysis.topics.cli", "fit NMF/LDA/BERTopic (seeded by themes.yaml); topic words, labels, shares"),
    "topics-select": ("analysis.topics.select_cli", "choose k: NPMI coherence, diversity and stability table + figure"),
    "topics-validate": ("analysis.topics.validate_cli", "NMI/ARI of topics vs livedoor categories (and demo themes)"),
    "figures": ("analysis.figures.cli", "draw report figures (PNG/SVG/PDF) from processed tables and write the manifest"),
    "notebooks": ("analysis.notebooks", "execute the numbered notebooks into reports/notebooks (executed .ipynb + HTML)"),
    "tokenize": ("analysis.tokenize.cli", "corpus.parquet -> tokens.parquet (janome analyzer, cached, parallel)"),
    "bench": ("analysis.bench", "print tokenization speed (1 vs N processes, raw janome, cached rerun) and peak memory"),
    "kwic": ("analysis.closeread.cli", "KWIC concordance of a term (left/right context; CSV/HTML/Markdown export)"),
    "collocates": ("analysis.closeread.cli", "collocates of a term: frequency, PMI, log-likelihood, t-score, Jaccard"),
    "network": ("analysis.closeread.cli", "co-occurrence network figure (Jaccard/PMI, communities, deterministic layout)"),
    "code": ("analysis.closeread.cli", "apply coding rules; shares per period and newspaper with CIs + figure"),
    "ca": ("analysis.closeread.cli", "correspondence analysis of words by newspaper or period (biplot)"),
    "stance": ("analysis.stance.cli", "stance per document and target, evidence sentences, stance over time"),
    "stance-eval": ("analysis.stance.cli_eval", "evaluate a stance method on a gold CSV (text,target,label) or a filled sheet (--sheet): P/R/F, macro_f"),
    "stance-validate": ("analysis.stance.cli_validate", "correlate stance over time with the demo's planted trajectories"),
    "annotate": ("analysis.validation.cli_annotate", "draw a stratified validation sample; write the annotation sheet (CSV, .xlsx) and key"),
    "agreement": ("analysis.validation.cli_agreement", "agreement between coders' sheets: Cohen's kappa, Krippendorff's alpha, disagreements"),
    "intrusion": ("analysis.validation.cli_intrusion", "word/topic-intrusion sheets per topic model; --score scores filled ones"),
    "chabsa": ("analysis.stance.chabsa", "convert chABSA JSON to a stance gold CSV (positive->FAVOR, negative->AGAINST)"),
    "interactive": ("analysis.interactive.cli", "standalone offline HTML views: stance over time, KWIC browser, BERTopic's own views"),
    "export": ("analysis.exports", "processed tables as spreadsheet files: UTF-8-with-BOM CSV and one .xlsx workbook"),
    "run": ("analysis.pipeline", "run every stage of a study (--config study.yaml; default: the bundled demo study)"),
}


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="analysis",
        description="Topic and stance analysis of Japanese newspaper editorials.",
    )
    parser.add_argument("--version", action="version", version=f"analysis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            module = importlib.import_module(module_name)
            module.add_arguments(sp)
            sp.set_defaults(handler=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(chosen if chosen in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except (InputError, MissingExtraError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
