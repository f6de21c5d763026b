"""Covariate effects on topic prevalence and stance, stm-style: newspaper and a smooth of time, with uncertainty.

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> dates = pd.date_range("2021-01-01", "2024-12-31", periods=120, tz="Asia/Tokyo")
>>> corpus = pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(120)], "source": ["甲新聞", "乙新聞"] * 60,
...                        "published": dates})
>>> share = np.where(corpus["source"] == "甲新聞", 0.7, 0.3)  # 甲新聞 writes more on 輸出規制
>>> weight = np.clip(share + rng.normal(0, 0.1, 120), 0.01, 0.99)
>>> doc_topics = pd.concat([pd.DataFrame({"doc_id": corpus["doc_id"], "topic": 0, "weight": weight}),
...                         pd.DataFrame({"doc_id": corpus["doc_id"], "topic": 1, "weight": 1 - weight})])
>>> effect = estimate_effect(doc_topics, corpus, labels={0: "輸出規制", 1: "AI競争"}, n_sims=50, seed=1)
>>> gap = difference(effect, "甲新聞", "乙新聞")
>>> gap[["label", "a", "b"]].values.tolist()
[['輸出規制', '甲新聞', '乙新聞'], ['AI競争', '甲新聞', '乙新聞']]
>>> bool(gap["ci_low"].iloc[0] > 0.3 and gap["ci_high"].iloc[1] < -0.3)
True
>>> expected_prevalence(effect, 3).columns.tolist()
['topic', 'label', 'source', 'date', 'estimate', 'ci_low', 'ci_high']

What this is: the analogue of stm's ``estimateEffect`` for any topic model of the suite. Each topic's
document proportion is regressed by OLS (statsmodels) on the newspaper and a B-spline of time
(``formula``, patsy; ``t`` is fractional years, 365.25 days, since the first document's date;
``source`` is treatment-coded against the first newspaper in sorted order). The default
``~ source + bs(t, df=4)`` lets every newspaper have its own level and all share one smooth
trend; ``~ source * bs(t, df=4)`` lets each paper have its own trend.

What is simulated (``estimate_effect``), stm's "method of composition", ``n_sims`` times:

1. every document's topic proportions are drawn from a Dirichlet centred on the model's estimate,
   ``theta_d ~ Dirichlet(c_d * theta_hat_d)`` over the topics the model gave weight (zero weights
   stay zero; weight the table does not place, 1 - the row sum, is one more component), so
   ``E[theta_d] = theta_hat_d`` and ``Var(theta_dk) = theta_hat_dk (1 - theta_hat_dk) / (c_d + 1)``;
   with ``value="dominant"`` the outcome is the indicator of the drawn proportions' largest topic;
2. OLS is fitted per topic on the drawn proportions (covariance ``cov_type``, heteroskedasticity-
   robust HC1 by default: a proportion's variance depends on its mean; stm uses the classical one);
3. one coefficient vector per topic is drawn from the fitted sampling distribution,
   ``N(beta_hat, V_hat)``, and every prediction of that simulation is made with it.

Estimates are the mean of the simulated predictions (as in stm's ``plot.estimateEffect``), intervals
their ``level`` percentiles. So the interval carries both the sampling of documents (step 3) and
the uncertainty of each document's topic proportions (step 1), which a regression on the point
estimates alone would ignore.

Why a Dirichlet with concentration ``c_d``: under the generative model of LDA (and stm) every word
of a document takes a topic drawn from ``theta_d``; the posterior of ``theta_d`` given ``c_d``
assignments in proportions ``theta_hat_d`` is ``Dirichlet(c_d * theta_hat_d)`` (flat prior
aside). ``c_d`` is therefore the number of independent topic assignments a document's proportions
rest on. Pass the documents' token counts (``tokens.parquet``, what the model saw) to let long
documents be known better than short ones; the default, ``DEFAULT_CONCENTRATION`` = 50, is the
median token count of a demo editorial and deliberately low for longer texts: adjacent words are
not independent draws and NMF weights are not posteriors, so token counts overstate the evidence.
``concentration=np.inf`` switches step 1 off (only the regression's own uncertainty remains).

Stance (``estimate_stance_effect``): a document's score in [-1, 1] toward a target is the outcome,
over the documents that mention the target. The scorer gives no distribution around a score, so
the simulation is a bootstrap over documents, stratified by newspaper (each paper keeps its count):
each replicate refits OLS on the resampled documents, and its coefficients make the predictions
(no further coefficient draw, which would count the sampling twice). A scorer's random errors are
part of each document's score, so the resampled documents carry them and the interval widens with
them; a systematic error (a bias shared by every document) is not in any interval: correct it with
a validation sheet (``analysis.validation.prevalence``).

Tidy results: :func:`expected_prevalence` (topic, label, source, date, estimate, ci_low, ci_high),
:func:`expected_stance` (target, source, date, ...), :func:`difference` (newspaper a minus b, over a
grid of dates or averaged over the documents' dates) and :func:`coefficients`. The figures are in
:mod:`analysis.figures.effects_plots`. Everything is deterministic given ``seed``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError

DEFAULT_FORMULA = "~ source + bs(t, df=4)"
#: Dirichlet concentration of a document's simulated topic proportions when no per-document value
#: (e.g. token counts) is given: the median number of tokens of a demo editorial (see module text).
DEFAULT_CONCENTRATION = 50.0
DEFAULT_SIMS = 100
#: Points of the default date grid of :func:`expected_prevalence` / :func:`expected_stance`.
DEFAULT_GRID = 50
YEAR_DAYS = 365.25
VALUES = ("weight", "dominant")


@dataclass(frozen=True)
class EffectModel:
    """Simulated regression coefficients of one or more outcomes (topics or stance targets).

    ``outcome`` names what the outcomes are ("topic" or "target"); ``labels`` maps each outcome, in
    order, to its label; ``documents`` (outcome, doc_id, source, date, t) holds the documents each
    outcome was fitted on (``date`` tz-naive Tokyo time; ``t`` years since ``origin``); ``draws``
    maps each outcome to an (n_sims, n_coefficients) array of simulated coefficients (the columns
    named by ``terms``); ``point`` to the OLS coefficients on the observed outcomes; ``skipped``
    to why an outcome was left out. ``simulation`` says in words what was simulated. The design
    matrix is rebuilt from ``formula`` and ``documents`` on demand, so the object pickles.
    """

    outcome: str
    labels: dict
    formula: str
    value: str
    simulation: str
    n_sims: int
    seed: int
    origin: pd.Timestamp
    documents: pd.DataFrame
    terms: dict
    draws: dict
    point: dict
    skipped: dict = field(default_factory=dict)
    _designs: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getstate__(self):  # patsy designs do not pickle; they are rebuilt on demand
        return {**self.__dict__, "_designs": {}}

    def __setstate__(self, state):
        self.__dict__.update(state)

    @property
    def outcomes(self) -> list:
        return list(self.labels)

    @property
    def sources(self) -> list[str]:
        return sorted(self.documents["source"].unique())

    def design(self, outcome) -> "patsy.DesignInfo":  # noqa: F821
        """The patsy design of ``outcome`` (spline knots from its documents' dates)."""
        import patsy

        if outcome not in self._designs:
            docs = self.documents[self.documents["outcome"] == outcome]
            self._designs[outcome] = patsy.dmatrix(self.formula, docs, return_type="dataframe").design_info
        return self._designs[outcome]


# --------------------------------------------------------------------------------------------
# Inputs

def _rhs(formula: str) -> str:
    formula = str(formula).strip()
    if "~" not in formula:
        formula = "~ " + formula
    return "~" + formula.split("~", 1)[1]


def _local_dates(published: pd.Series) -> pd.Series:
    ts = pd.to_datetime(published)
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_convert(config.DEFAULT_TZ).dt.tz_localize(None)
    return ts


def _documents(corpus: pd.DataFrame, what: str) -> tuple[pd.DataFrame, pd.Timestamp]:
    """doc_id, source, date of the dated corpus documents, sorted; the first date."""
    missing = [c for c in ("doc_id", "source", "published") if c not in corpus.columns]
    if missing:
        raise InputError(f"corpus lacks column(s) {missing} needed for {what}; re-run `analysis ingest` "
                         "(corpus.parquet has doc_id, source, published)")
    docs = corpus[["doc_id", "source", "published"]].drop_duplicates("doc_id").copy()
    docs["date"] = _local_dates(docs["published"])
    docs = docs.dropna(subset=["date", "source"]).drop(columns="published")
    docs["source"] = docs["source"].astype(str)
    docs["doc_id"] = docs["doc_id"].astype(str)
    if docs.empty:
        raise InputError(f"no dated documents with a newspaper for {what}; check the corpus's published column")
    docs = docs.sort_values(["date", "source", "doc_id"], kind="mergesort").reset_index(drop=True)
    return docs, docs["date"].min()


def _years(dates: pd.Series | pd.DatetimeIndex, origin: pd.Timestamp) -> np.ndarray:
    return np.asarray((pd.DatetimeIndex(dates) - origin) / pd.Timedelta(days=YEAR_DAYS), dtype=float)


def _design(docs: pd.DataFrame, formula: str, what: str):
    import patsy

    try:
        frame = patsy.dmatrix(formula, docs, return_type="dataframe")
    except patsy.PatsyError as error:
        raise InputError(f"formula {formula!r} for {what}: {error}; use the variables source and t "
                         "(years since the first document), e.g. '~ source + bs(t, df=4)'") from error
    if len(frame) <= frame.shape[1]:
        raise InputError(f"{what}: {len(frame)} documents for {frame.shape[1]} coefficients of {formula!r}; "
                         "use a simpler formula (fewer spline df) or more documents")
    return frame.to_numpy(float), list(frame.columns)


def _concentrations(concentration, doc_ids: pd.Series) -> np.ndarray:
    if isinstance(concentration, (Mapping, pd.Series)):
        lookup = pd.Series(concentration, dtype=float) if isinstance(concentration, Mapping) else concentration
        lookup.index = lookup.index.astype(str)
        values = doc_ids.map(lookup).to_numpy(float)
        absent = int(np.isnan(values).sum())
        if absent:
            raise InputError(f"concentration has no value for {absent} document(s), e.g. "
                             f"{doc_ids[np.isnan(values)].iloc[0]!r}; give one per doc_id (e.g. token counts)")
    else:
        values = np.full(len(doc_ids), float(concentration))
    if (values <= 0).any() or np.isnan(values).any():
        raise InputError("concentration must be positive (np.inf: no topic-assignment noise)")
    return values


def _dirichlet(rng: np.random.Generator, centre: np.ndarray, concentration: np.ndarray) -> np.ndarray:
    """One draw per row of Dirichlet(c_d * centre_d); zero entries stay zero, c = inf returns the centre."""
    finite = np.isfinite(concentration)
    out = centre.copy()
    if finite.any():
        gamma = rng.standard_gamma(centre[finite] * concentration[finite, None])
        total = gamma.sum(axis=1, keepdims=True)
        fallback = total[:, 0] <= 0  # every component underflowed: keep the centre
        gamma[fallback] = centre[finite][fallback]
        total[fallback] = 1.0
        out[finite] = gamma / total
    return out


def _fit_draw(y: np.ndarray, X: np.ndarray, cov_type: str, rng: np.random.Generator | None):
    """OLS coefficients; with ``rng``, one draw from their fitted sampling distribution as well."""
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = sm.OLS(y, X).fit(cov_type=cov_type)
    params = np.asarray(fit.params, dtype=float)
    if rng is None:
        return params
    cov = np.asarray(fit.cov_params(), dtype=float)
    cov = np.nan_to_num((cov + cov.T) / 2.0)
    return rng.multivariate_normal(params, cov, method="eigh")


# --------------------------------------------------------------------------------------------
# Estimation

def topic_proportions(doc_topics: pd.DataFrame, doc_ids: Sequence[str]) -> pd.DataFrame:
    """Document x topic weights from the long ``doc_id, topic, weight`` table (missing = 0).

    Rows follow ``doc_ids``; columns are every topic in the table (outliers, -1, included).

    >>> dt = pd.DataFrame({"doc_id": ["a", "a", "b"], "topic": [0, 1, 1], "weight": [0.25, 0.75, 1.0]})
    >>> topic_proportions(dt, ["a", "b"]).values.tolist()
    [[0.25, 0.75], [0.0, 1.0]]
    """
    missing = [c for c in ("doc_id", "topic", "weight") if c not in doc_topics.columns]
    if missing:
        raise InputError(f"doc_topics lacks column(s) {missing}; expected the long table doc_id, topic, weight "
                         "of data/processed/topics/<method>/doc_topics.parquet")
    long = doc_topics.assign(doc_id=doc_topics["doc_id"].astype(str), topic=doc_topics["topic"].astype(int))
    wide = long.pivot_table(index="doc_id", columns="topic", values="weight", aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(index=list(doc_ids), fill_value=0.0).fillna(0.0)
    wide.columns = [int(c) for c in wide.columns]
    return wide.sort_index(axis=1).astype(float)


def estimate_effect(
    doc_topics: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    topics: Sequence[int] | None = None,
    labels: Mapping[int, str] | None = None,
    formula: str = DEFAULT_FORMULA,
    n_sims: int = DEFAULT_SIMS,
    seed: int = config.SEED,
    value: str = "weight",
    concentration: float | Mapping[str, float] | pd.Series = DEFAULT_CONCENTRATION,
    cov_type: str = "HC1",
) -> EffectModel:
    """Regress topic proportions on newspaper and time, with stm's method of composition (module text).

    ``doc_topics``: long ``doc_id, topic, weight`` (``doc_topics.parquet``); ``corpus``: ``doc_id,
    source, published``. Documents in both and dated are used. ``topics`` (default: every topic but
    the outliers, -1) are the outcomes; ``labels`` names them (``topic_labels.csv``; default: the
    id). ``value="weight"``: the outcome is the topic's proportion in the document; ``"dominant"``:
    whether it is the document's largest topic. ``concentration``: the Dirichlet concentration of a
    document's simulated proportions, one number or one per doc_id (e.g. token counts).
    """
    if value not in VALUES:
        raise InputError(f"value {value!r}: use 'weight' (topic proportions) or 'dominant' (largest topic)")
    if n_sims < 2:
        raise InputError(f"n_sims={n_sims}: at least 2 simulations are needed for an interval (stm uses 25+; 100 is the default)")
    docs, origin = _documents(corpus, "topic effects")
    modelled = set(doc_topics["doc_id"].astype(str)) if "doc_id" in doc_topics.columns else set()
    docs = docs[docs["doc_id"].isin(modelled)].reset_index(drop=True)
    if docs.empty:
        raise InputError("no document of doc_topics is in the corpus (with a date); were they made from the same corpus?")
    docs["t"] = _years(docs["date"], origin)
    weights = topic_proportions(doc_topics, docs["doc_id"])
    all_topics = list(weights.columns)
    chosen = [t for t in all_topics if t != -1] if topics is None else [int(t) for t in topics]
    unknown = [t for t in chosen if t not in all_topics]
    if unknown or not chosen:
        raise InputError(f"topic(s) {unknown or chosen} not in doc_topics; available: {all_topics}")
    theta = weights.to_numpy(float)
    if (theta < 0).any():
        raise InputError("doc_topics has negative weights; topic proportions must be >= 0")
    total = theta.sum(axis=1)
    if (total > 1 + 1e-6).any():  # unnormalised weights (e.g. raw NMF loadings): scale each document to 1
        theta = np.divide(theta, total[:, None], out=np.zeros_like(theta), where=total[:, None] > 0)
        total = theta.sum(axis=1)
    rest = np.clip(1.0 - total, 0.0, None)
    if (rest > 1e-9).any():  # mass the table does not place is one more component of the composition
        theta = np.column_stack([theta, rest])
    columns = [all_topics.index(t) for t in chosen]
    X, terms = _design(docs, formula, "topic effects")
    conc = _concentrations(concentration, docs["doc_id"])
    rng = np.random.default_rng(seed)

    def outcome(draw: np.ndarray) -> np.ndarray:
        if value == "weight":
            return draw[:, columns]
        best = draw[:, : len(all_topics)].argmax(axis=1)
        placed = draw[:, : len(all_topics)].sum(axis=1) > 0
        return np.stack([(best == j) & placed for j in columns], axis=1).astype(float)

    observed = outcome(theta)
    point = {t: _fit_draw(observed[:, i], X, cov_type, None) for i, t in enumerate(chosen)}
    draws = {t: np.empty((n_sims, X.shape[1])) for t in chosen}
    for s in range(n_sims):
        y = outcome(_dirichlet(rng, theta, conc))
        for i, t in enumerate(chosen):
            draws[t][s] = _fit_draw(y[:, i], X, cov_type, rng)
    labels = dict(labels or {})
    named = {t: str(labels.get(t, labels.get(str(t), t))) for t in chosen}
    finite = np.isfinite(conc)
    described = ("Dirichlet(c * theta_hat) per document" + (
        f" (c = {conc[0]:g})" if np.unique(conc).size == 1 and finite.all() else
        " (no noise: c = inf)" if not finite.any() else f" (c per document, median {np.median(conc[finite]):g})"))
    simulation = (f"{n_sims} simulations: {described}, "
                  f"{'its largest topic as outcome, ' if value == 'dominant' else ''}"
                  f"OLS per topic ({cov_type}), one coefficient draw from N(beta_hat, V_hat)")
    documents = pd.concat([docs.assign(outcome=t) for t in chosen], ignore_index=True)
    return EffectModel(outcome="topic", labels=named, formula=formula, value=value, simulation=simulation,
                       n_sims=int(n_sims), seed=int(seed), origin=origin,
                       documents=documents[["outcome", "doc_id", "source", "date", "t"]],
                       terms={t: terms for t in chosen}, draws=draws, point=point)


def _stratified_resample(rng: np.random.Generator, groups: np.ndarray) -> np.ndarray:
    index = []
    for g in np.unique(groups):
        members = np.flatnonzero(groups == g)
        index.append(members[rng.integers(0, len(members), size=len(members))])
    return np.sort(np.concatenate(index))


def estimate_stance_effect(
    stance: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    targets: Sequence[str] | None = None,
    method: str | None = None,
    formula: str = DEFAULT_FORMULA,
    n_sims: int = DEFAULT_SIMS,
    seed: int = config.SEED,
    min_mentions: int = 1,
) -> EffectModel:
    """Regress document stance scores on newspaper and time per target, bootstrap intervals (module text).

    ``stance``: ``stance.parquet`` (doc_id, target, method, score, n_mentions); documents with at
    least ``min_mentions`` mentions of the target are used (as in ``stance_over_time``). ``method``
    picks the scorer when the table holds several. A target with too few documents for the formula
    is left out and listed in ``skipped``.
    """
    missing = [c for c in ("doc_id", "target", "score") if c not in stance.columns]
    if missing:
        raise InputError(f"stance table lacks column(s) {missing}; expected stance.parquet from `analysis stance`")
    if n_sims < 2:
        raise InputError(f"n_sims={n_sims}: at least 2 bootstrap replicates are needed for an interval")
    frame = stance
    if "method" in frame.columns:
        methods = sorted(frame["method"].astype(str).unique())
        if method is None and len(methods) > 1:
            raise InputError(f"stance table holds methods {methods}; pick one with method=")
        if method is not None:
            if method not in methods:
                raise InputError(f"method {method!r} not in the stance table; available: {methods}")
            frame = frame[frame["method"].astype(str) == method]
    if "n_mentions" in frame.columns:
        frame = frame[frame["n_mentions"] >= min_mentions]
    frame = frame.dropna(subset=["score"]).assign(doc_id=lambda f: f["doc_id"].astype(str))
    docs, origin = _documents(corpus, "stance effects")
    available = sorted(frame["target"].astype(str).unique())
    chosen = available if targets is None else [str(t) for t in targets]
    unknown = [t for t in chosen if t not in available]
    if unknown:
        raise InputError(f"target(s) {unknown} have no scored document mentioning them; available: {available}")
    rng = np.random.default_rng(seed)
    draws, point, terms, skipped, documents = {}, {}, {}, {}, []
    for target in chosen:
        scores = frame[frame["target"].astype(str) == target].drop_duplicates("doc_id")[["doc_id", "score"]]
        data = docs.merge(scores, on="doc_id", how="inner")
        data["t"] = _years(data["date"], origin)
        try:
            X, names = _design(data, formula, f"stance toward {target}")
        except InputError as error:
            skipped[target] = str(error)
            continue
        y = data["score"].to_numpy(float)
        point[target] = _fit_draw(y, X, "nonrobust", None)
        groups = data["source"].to_numpy()
        reps = np.empty((n_sims, X.shape[1]))
        for s in range(n_sims):
            index = _stratified_resample(rng, groups)
            reps[s] = _fit_draw(y[index], X[index], "nonrobust", None)
        draws[target], terms[target] = reps, names
        documents.append(data.assign(outcome=target)[["outcome", "doc_id", "source", "date", "t"]])
    if not draws:
        raise InputError(f"no target has enough scored documents for {formula!r}: {skipped}")
    simulation = (f"{n_sims} bootstrap replicates over documents (stratified by newspaper), "
                  "OLS refitted on each; classification noise enters through the resampled scores")
    return EffectModel(outcome="target", labels={t: t for t in draws}, formula=formula, value="score",
                       simulation=simulation, n_sims=int(n_sims), seed=int(seed), origin=origin,
                       documents=pd.concat(documents, ignore_index=True), terms=terms, draws=draws,
                       point=point, skipped=skipped)


# --------------------------------------------------------------------------------------------
# Tidy results

def _grid_dates(effect: EffectModel, grid) -> pd.DatetimeIndex:
    if grid is None:
        grid = DEFAULT_GRID
    if isinstance(grid, (int, np.integer)) and not isinstance(grid, bool):
        if grid < 2:
            raise InputError(f"grid={grid}: give at least 2 dates or a list of dates")
        dates = effect.documents["date"]
        return pd.date_range(dates.min(), dates.max(), periods=int(grid))
    if isinstance(grid, pd.DataFrame):
        if "date" not in grid.columns:
            raise InputError("grid frame lacks a 'date' column")
        grid = grid["date"]
    stamps = [pd.Timestamp(d) for d in grid]
    local = [s.tz_convert(config.DEFAULT_TZ).tz_localize(None) if s.tzinfo is not None else s for s in stamps]
    return pd.DatetimeIndex([s for s in local if not pd.isna(s)]).unique().sort_values()


def _simulated(effect: EffectModel, outcome, rows: pd.DataFrame) -> np.ndarray:
    """(n_sims, len(rows)) predictions for rows with source and t inside the outcome's data."""
    import patsy

    X = np.asarray(patsy.build_design_matrices([effect.design(outcome)], rows)[0], dtype=float)
    return effect.draws[outcome] @ X.T


def _interval(sims: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(sims, [tail, 100.0 - tail], axis=0)
    return sims.mean(axis=0), low, high


def _inside(effect: EffectModel, outcome, dates: pd.DatetimeIndex) -> tuple[pd.DatetimeIndex, np.ndarray]:
    docs = effect.documents[effect.documents["outcome"] == outcome]
    lo, hi = docs["t"].min(), docs["t"].max()
    t = _years(dates, effect.origin)
    keep = (t >= lo - 1e-9) & (t <= hi + 1e-9)
    return dates[keep], np.clip(t[keep], lo, hi)


def _expected(effect: EffectModel, grid, level: float) -> pd.DataFrame:
    dates = _grid_dates(effect, grid)
    frames = []
    for outcome in effect.outcomes:
        docs = effect.documents[effect.documents["outcome"] == outcome]
        inside, t = _inside(effect, outcome, dates)
        if len(t) == 0:
            continue
        sources = sorted(docs["source"].unique())
        rows = pd.DataFrame({"source": np.repeat(sources, len(t)), "t": np.tile(t, len(sources))})
        estimate, low, high = _interval(_simulated(effect, outcome, rows), level)
        frames.append(pd.DataFrame({effect.outcome: outcome, "source": rows["source"],
                                    "date": np.tile(inside, len(sources)),
                                    "estimate": estimate, "ci_low": low, "ci_high": high}))
    columns = [effect.outcome, "source", "date", "estimate", "ci_low", "ci_high"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _need(effect: EffectModel, kind: str, function: str, other: str) -> None:
    if effect.outcome != kind:
        raise InputError(f"{function} needs an effect of {kind}s; this one is of {effect.outcome}s: use {other}")


def expected_prevalence(effect: EffectModel, grid=None, *, level: float = config.CI_LEVEL) -> pd.DataFrame:
    """``topic, label, source, date, estimate, ci_low, ci_high``: expected topic prevalence per newspaper.

    ``grid``: the dates (a list, a frame with ``date``, or a number of evenly spaced dates between
    the first and last document; default 50). Dates outside the documents' span are left out (the
    spline is not defined there). ``estimate`` is the mean, ``ci_low``/``ci_high`` the ``level``
    percentiles of the simulations (:func:`estimate_effect`).
    """
    _need(effect, "topic", "expected_prevalence", "expected_stance")
    table = _expected(effect, grid, level)
    table.insert(1, "label", table["topic"].map(effect.labels))
    return table


def expected_stance(effect: EffectModel, grid=None, *, level: float = config.CI_LEVEL) -> pd.DataFrame:
    """``target, source, date, estimate, ci_low, ci_high``: expected stance score per newspaper and date.

    As :func:`expected_prevalence`, for an effect from :func:`estimate_stance_effect`; a target's
    rows cover the newspapers and dates of the documents mentioning it.
    """
    _need(effect, "target", "expected_stance", "expected_prevalence")
    return _expected(effect, grid, level)


def difference(effect: EffectModel, a: str, b: str, *, grid=None, level: float = config.CI_LEVEL) -> pd.DataFrame:
    """Newspaper ``a`` minus newspaper ``b``: ``topic, label`` (stance: ``target``), ``a, b, date, estimate, ci_low, ci_high``.

    Without ``grid`` one row per outcome, ``date`` NaT: the difference averaged over the dates of
    the outcome's documents (with the additive default formula it is the same on every date). With
    ``grid`` (as in :func:`expected_prevalence`) one row per date. Intervals are percentiles of the
    simulated differences, so they carry the same uncertainty as the expected values.
    """
    sources = effect.sources
    for name in (a, b):
        if name not in sources:
            raise InputError(f"newspaper {name!r} not in the model; newspapers: {sources}")
    frames = []
    for outcome in effect.outcomes:
        docs = effect.documents[effect.documents["outcome"] == outcome]
        present = set(docs["source"])
        if a not in present or b not in present:
            continue
        if grid is None:
            t, dates = docs["t"].to_numpy(float), None
        else:
            dates, t = _inside(effect, outcome, _grid_dates(effect, grid))
            if len(t) == 0:
                continue
        diff = (_simulated(effect, outcome, pd.DataFrame({"source": a, "t": t}))
                - _simulated(effect, outcome, pd.DataFrame({"source": b, "t": t})))
        if dates is None:
            diff, dates = diff.mean(axis=1, keepdims=True), pd.DatetimeIndex([pd.NaT])
        estimate, low, high = _interval(diff, level)
        frames.append(pd.DataFrame({effect.outcome: outcome, "a": a, "b": b, "date": dates,
                                    "estimate": estimate, "ci_low": low, "ci_high": high}))
    columns = [effect.outcome, "a", "b", "date", "estimate", "ci_low", "ci_high"]
    table = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    if effect.outcome == "topic":
        table.insert(1, "label", table["topic"].map(effect.labels))
    return table


def coefficients(effect: EffectModel, *, level: float = config.CI_LEVEL) -> pd.DataFrame:
    """``<outcome>, term, point, estimate, ci_low, ci_high``: each coefficient, like stm's ``summary``.

    ``point`` is the OLS estimate on the observed outcomes, ``estimate`` and the interval come from
    the simulations. Spline coefficients are not interpretable one by one; read the figures.
    """
    rows = []
    for outcome in effect.outcomes:
        estimate, low, high = _interval(effect.draws[outcome], level)
        for j, term in enumerate(effect.terms[outcome]):
            rows.append((outcome, term, float(effect.point[outcome][j]), float(estimate[j]), float(low[j]),
                         float(high[j])))
    return pd.DataFrame(rows, columns=[effect.outcome, "term", "point", "estimate", "ci_low", "ci_high"])
