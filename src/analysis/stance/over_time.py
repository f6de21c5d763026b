"""Scoring a corpus, stance over time, and checking planted trajectories on the demo corpus.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["X", "X"],
...     "published": pd.to_datetime(["2024-01-05", "2024-01-20"]).tz_localize("Asia/Tokyo"),
...     "text": ["輸出規制の強化は妥当だ。", "輸出規制は撤廃すべきだ。"]})
>>> stance, evidence = score_corpus(corpus, method="rules")  # the default, "syntax", needs GiNZA
>>> stance.query("target == '輸出規制'")["label"].tolist()
['FAVOR', 'AGAINST']
>>> stance_over_time(stance, corpus, period="M", n_boot=50)[["source", "target", "period", "n"]].values.tolist()
[['X', '輸出規制', '2024-01', 2]]

With ``scheduler`` (``"local"`` or a Dask scheduler address, :mod:`analysis.scheduler`) the
scorer is fitted here, sent once to every worker, and documents are scored in chunks of at most
``DOCS_PER_TASK`` as Dask tasks; the tables are the same as without. The syntax scorers' parse
cache (SQLite under data/cache/parses) stays here: each task takes the parses of its sentences
that the cache already has, parses the rest with GiNZA in memory and sends those back, and this
process writes them to the cache. (The learned part of the default scorer still opens the parse
cache where a worker runs; see ``_score_chunk``.)

``stance_over_time`` averages document scores per source, target and period over the documents
that mention the target (``analysis.stats.grouped_mean_ci``: bootstrap interval over documents).
``trajectory_correlation`` compares per (source, target, year) mean scores with the demo corpus's
``trajectories.csv`` aggregated the same way (Pearson r over the cells both have).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.scheduler import check_scheduler, open_executor
from analysis.stance.evaluate import DEFAULT_METHOD
from analysis.stance.parse import Parser, _chunks, _decode
from analysis.stance.targets import load_targets

OVER_TIME_COLUMNS = ["source", "target", "period", "n", "mean", "ci_low", "ci_high"]
#: Most documents in one Dask task (fewer when that leaves under 4 tasks per worker).
DOCS_PER_TASK = 200


def score_corpus(corpus: pd.DataFrame, *, targets_path=None, method: str = DEFAULT_METHOD, train=None,
                 seed: int = config.SEED, scheduler: str | None = None, jobs: int = 0, unnamed_theses: bool = True):
    """``(stance_df, evidence_df)`` for every document (doc_id, text) and target."""
    return score_frame(corpus, targets=load_targets(targets_path), method=method, train=train, seed=seed,
                       scheduler=scheduler, jobs=jobs, unnamed_theses=unnamed_theses)


def score_frame(corpus: pd.DataFrame, *, targets=None, method: str = DEFAULT_METHOD, train=None,
                seed: int = config.SEED, scheduler: str | None = None, jobs: int = 0, unnamed_theses: bool = True):
    """``score_corpus`` with targets given as a dict (None: the bundled targets).

    Every scorer is fitted the same way, ``fit(X, y)``: the supervised scorer on ``train``
    (default: the bundled editorial training set), the rule scorer on nothing, the syntax
    scorer's learned part on the bundled editorial training set. ``scheduler`` (``"local"``, a
    Dask scheduler address) scores the documents as Dask tasks (``jobs`` local workers): see
    :func:`score_documents_on`. ``unnamed_theses``: see :func:`analysis.stance.evaluate.make_scorer`.
    """
    for col in ("doc_id", "text"):
        if col not in corpus.columns:
            raise InputError(f"corpus lacks column {col!r}; run 'analysis ingest' to build corpus.parquet")
    scheduler = check_scheduler(scheduler)
    targets = targets if targets is not None else load_targets()
    if scheduler is None:
        return _fitted(corpus, targets, method, train, seed, unnamed_theses).score_documents(corpus, targets,
                                                                                              method=method)
    with open_executor(scheduler, jobs) as executor:  # a cluster that cannot be reached fails before the fit
        return _score_on(executor, _fitted(corpus, targets, method, train, seed, unnamed_theses), corpus, targets,
                         method)


def _fitted(corpus: pd.DataFrame, targets, method: str, train, seed: int, unnamed_theses: bool = True):
    from analysis.stance.evaluate import gold_X, make_scorer

    scorer = make_scorer(method, targets=targets, seed=seed, unnamed_theses=unnamed_theses)
    if train is not None:
        scorer.fit(gold_X(train), train["label"].to_numpy())
    else:
        scorer.fit(corpus[["text"]].assign(target=""), None)
    return scorer


def score_documents_on(scorer, corpus: pd.DataFrame, targets, *, method: str = "", scheduler: str | None = None,
                       jobs: int = 0):
    """``scorer.score_documents(corpus, targets, method=method)`` in chunks of documents as Dask tasks
    (``scheduler``: ``"local"`` with ``jobs`` workers, or a scheduler address).

    The fitted ``scorer`` is sent once to every worker; the tables are those of the single call
    (same rows, order and types). A scorer with a parse cache (``parser_`` with a ``cache_dir``)
    keeps it here: see the module docstring.
    """
    with open_executor(scheduler, jobs) as executor:
        return _score_on(executor, scorer, corpus, targets, method)


def _score_on(executor, scorer, corpus: pd.DataFrame, targets, method: str):
    docs = corpus[[c for c in ("doc_id", "text", "title") if c in corpus.columns]].reset_index(drop=True)
    if docs.empty:
        return scorer.score_documents(docs, targets, method=method)
    cache = _ParseCache.of(scorer)
    size = max(1, min(DOCS_PER_TASK, -(-len(docs) // (4 * executor.workers))))
    chunks = (docs.iloc[i:i + size] for i in range(0, len(docs), size))
    payloads = ((chunk, cache.rows(_texts_to_parse(chunk, targets)) if cache is not None else {}) for chunk in chunks)
    stances, evidences = [], []
    try:
        for stance, evidence, parsed in executor.map(_score_chunk, payloads, common=(scorer, targets, method)):
            stances.append(stance)
            evidences.append(evidence)
            if cache is not None and parsed:
                cache.store(parsed)
    finally:
        if cache is not None:
            cache.close()
    return _concat(stances), _concat(evidences)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Chunk tables as one (empty chunks left out: their columns may lack the dtypes of full ones)."""
    filled = [f for f in frames if len(f)]
    return pd.concat(filled, ignore_index=True) if filled else frames[0].reset_index(drop=True)


def _texts_to_parse(docs: pd.DataFrame, targets) -> list[str]:
    """Every text a syntax scorer may parse for ``docs``: sentences and the targets' own words."""
    from analysis.stance.targets import nfkc
    from analysis.tokenize.sentences import sentence_spans

    texts = [x for name, t in targets.items() for x in (name, *t.aliases, t.description) if x]
    for text in docs["text"]:
        text = nfkc(str(text))
        texts.extend(text[a:b] for a, b in sentence_spans(text))
    return texts


def _score_chunk(scorer, targets, method: str, payload):
    """One Dask task: ``(stance, evidence, new parses)`` for a chunk of documents.

    ``payload`` is the chunk and the parses (key -> stored JSON) the client's cache has for its
    texts. A scorer with a parser gets a memory-only one holding those; what it parses beyond
    them goes back to the client, which writes the cache. (The learned part of the syntax scorer
    builds its own reader with the default parse cache, ``config.paths().cache`` as the worker
    resolves it: on this machine the client's cache; elsewhere the worker's checkout, or
    ``$ANALYSIS_HOME/data/cache``, which a cluster on a shared filesystem should point at a
    node-local folder, since SQLite must not be written from several machines.)
    """
    import copy

    docs, rows = payload
    parser = None
    if isinstance(getattr(scorer, "parser_", None), Parser):
        scorer = copy.copy(scorer)  # the worker's copy of the scorer is shared by its tasks
        scorer.parser_ = parser = _WorkerParser(rows)
    stance, evidence = scorer.score_documents(docs, targets, method=method)
    return stance, evidence, parser.new_rows() if parser is not None else {}


class _ParseCache(Parser):
    """The client's side of a parse cache: the rows to send to workers, the rows they send back."""

    @classmethod
    def of(cls, scorer) -> "_ParseCache | None":
        parser = getattr(scorer, "parser_", None)
        if isinstance(parser, Parser) and parser.cache_dir is not None:
            return cls(parser.cache_dir)
        return None

    def rows(self, texts) -> dict[str, str]:
        """key -> stored JSON for those of ``texts`` the cache has."""
        keys = list(dict.fromkeys(self.key(t) for t in texts))
        found: dict[str, str] = {}
        for chunk in _chunks(keys, 500):
            marks = ",".join("?" * len(chunk))
            found.update(self._connect().execute(f"SELECT key, value FROM parse WHERE key IN ({marks})", chunk))
        return found

    def store(self, rows: dict[str, str]) -> None:
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO parse (key, value) VALUES (?, ?)", sorted(rows.items()))


class _WorkerParser(Parser):
    """The memory-only parser of one task: starts with the client's rows, hands back what it parsed."""

    def __init__(self, rows: dict[str, str]):
        super().__init__(cache_dir=None)
        self._memory.update((key, _decode(json.loads(value))) for key, value in rows.items())
        self._given = set(rows)

    def new_rows(self) -> dict[str, str]:
        """key -> JSON as the cache stores it, for every text parsed here."""
        return {key: json.dumps([[t.idx, t.text, t.lemma, t.pos, t.tag, t.dep, t.head, t.form] for t in parse],
                                ensure_ascii=False, separators=(",", ":"))
                for key, parse in self._memory.items() if key not in self._given}


def stance_over_time(stance_df: pd.DataFrame, corpus_df: pd.DataFrame, period: str = config.PERIOD,
                     n_boot: int = config.N_BOOT, seed: int = config.SEED, sheet=None) -> pd.DataFrame:
    """Mean stance per source, target and period, with bootstrap CI and counts (documents mentioning it).

    ``sheet``: filled document annotation sheet(s) (paths, or ``FilledSheet`` objects from
    ``analysis.validation.sheets.load_filled``), one per target. With it, the table also has the
    shares of FAVOR and AGAINST and their difference (net), raw and corrected for classifier error,
    with intervals over documents and the validation sample
    (``analysis.validation.prevalence.CORRECTED_COLUMNS``; NaN for targets without a sheet).
    Without it the table is exactly ``OVER_TIME_COLUMNS``.
    """
    from analysis.stats import grouped_mean_ci, period_label

    meta = corpus_df[["doc_id", "source", "published"]].copy()
    meta["period"] = period_label(meta["published"], period, groups=meta["source"])
    mentioned = stance_df[stance_df["n_mentions"] > 0].merge(meta, on="doc_id", how="inner")
    if mentioned.empty:
        table = pd.DataFrame(columns=OVER_TIME_COLUMNS)
    else:
        table = grouped_mean_ci(mentioned, ["source", "target", "period"], "score", n_boot=n_boot, seed=seed)
        table = table[OVER_TIME_COLUMNS]
    if sheet is None:
        return table
    from analysis.validation.prevalence import CORRECTED_COLUMNS, corrected_shares
    from analysis.validation.sheets import FilledSheet, load_filled_many

    sheets = [sheet] if isinstance(sheet, FilledSheet) else list(sheet) if isinstance(sheet, (list, tuple)) else [sheet]
    sheets = [s if isinstance(s, FilledSheet) else load_filled_many(s)[0] for s in sheets]
    if table.empty:
        return pd.DataFrame(columns=OVER_TIME_COLUMNS + CORRECTED_COLUMNS)
    corrected = corrected_shares(stance_df, corpus_df, sheets, period=period, n_boot=n_boot, seed=seed)
    return table.merge(corrected.drop(columns="n"), on=["source", "target", "period"], how="left")


def run_stance(corpus_path, out_dir, *, targets_path=None, method: str = DEFAULT_METHOD, period: str = config.PERIOD,
               train_path=None, seed: int = config.SEED, n_boot: int = config.N_BOOT, sheets=None,
               key=None, scheduler: str | None = None, jobs: int = 0, unnamed_theses: bool = True) -> dict[str, Path]:
    """Read corpus.parquet, write stance.parquet, stance_evidence.parquet, stance_over_time.parquet.

    ``sheets`` (filled document annotation sheets, one per target; ``key`` for a single sheet whose
    key is not beside it) add the misclassification-corrected shares to stance_over_time.parquet.
    ``scheduler`` (``"local"`` with ``jobs`` workers, or a Dask scheduler address) scores the
    documents as Dask tasks; the files are the same byte for byte (the scheduler is not recorded).
    """
    from analysis.io import read_stage_output, write_parquet

    out_dir = Path(out_dir)
    filled = None
    if sheets:
        from analysis.validation.sheets import load_filled_many

        from analysis.validation.prevalence import sheets_by_target

        filled = load_filled_many(sheets, key=key)  # read and check before the long scoring step
        sheets_by_target(filled)
    corpus = read_stage_output(corpus_path, "ingest")
    train = None
    if train_path is not None:
        from analysis.stance.evaluate import read_gold

        train = read_gold(train_path)
    stance, evidence = score_corpus(corpus, targets_path=targets_path, method=method, train=train, seed=seed,
                                    scheduler=scheduler, jobs=jobs, unnamed_theses=unnamed_theses)
    over_time = stance_over_time(stance, corpus, period=period, n_boot=n_boot, seed=seed, sheet=filled)
    outputs = {"stance": out_dir / "stance.parquet", "evidence": out_dir / "stance_evidence.parquet",
               "over_time": out_dir / "stance_over_time.parquet"}
    write_parquet(stance, outputs["stance"])
    write_parquet(evidence, outputs["evidence"])
    write_parquet(over_time, outputs["over_time"])
    from analysis.runstate import write_stamp

    write_stamp(out_dir, "stance", inputs=[corpus_path, *([targets_path] if targets_path else []),
                                           *(sheets or [])],
                outputs=outputs.values(), parameters={"method": method, "period": period, "seed": seed,
                                                      "n_boot": n_boot, "unnamed_theses": unnamed_theses})
    return outputs


def trajectory_correlation(stance_df: pd.DataFrame, corpus_df: pd.DataFrame,
                           trajectories: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    """Pearson r between estimated and planted stance per (source, target, year).

    ``trajectories`` has columns source, target, period, expected; its periods are reduced to the
    year and averaged, as are the documents' scores (documents that mention the target only).
    Returns ``(r, table)`` with table columns source, target, year, estimated, expected, n.
    """
    need = {"source", "target", "period", "expected"}
    if not need <= set(trajectories.columns):
        raise InputError(f"trajectories table needs columns {sorted(need)}; got {list(trajectories.columns)}")
    traj = trajectories.copy()
    traj["year"] = traj["period"].astype(str).str.slice(0, 4)
    expected = traj.groupby(["source", "target", "year"], as_index=False)["expected"].mean()
    meta = corpus_df[["doc_id", "source", "published"]].copy()
    meta["year"] = pd.to_datetime(meta["published"]).dt.strftime("%Y")
    est = stance_df[stance_df["n_mentions"] > 0].merge(meta, on="doc_id")
    estimated = est.groupby(["source", "target", "year"], as_index=False).agg(estimated=("score", "mean"),
                                                                              n=("score", "size"))
    table = estimated.merge(expected, on=["source", "target", "year"], how="inner")
    if len(table) < 3 or table["expected"].std() == 0 or table["estimated"].std() == 0:
        return float("nan"), table
    r = float(np.corrcoef(table["estimated"], table["expected"])[0, 1])
    return r, table[["source", "target", "year", "estimated", "expected", "n"]]
