# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 04 Topics over time
# **Version 4** — the share figures are the figures stage's (same table, period and seed), shown rather than drawn again. Version 3: covariate effects (stm-style) at the end. Version 2: events come from the study (none drawn when it names none); a run without topics
# is reported, not failed on. Version 1: each topic's share of editorials per period and newspaper,
# with bootstrap confidence intervals.
#
# The reader sees when a subject rises or falls in each newspaper. A document counts for its
# dominant topic; bands are 95% percentile-bootstrap intervals over documents (`n_boot`
# replicates; fewer in smoke mode). Dashed lines mark the study's dated events.

# %% tags=["parameters"]
STUDY = None       # study.yaml (None: the demo study; with PROCESSED set: an ad-hoc run, nothing demo-specific)
PROCESSED = None   # folder of a run's processed tables (None: the study's; data/processed for the demo)
CORPUS = None      # corpus.parquet to read (None: PROCESSED/corpus.parquet)
FIGURES = None     # folder for this notebook's figures (None: the study's reports/figures)
PERIOD = None      # over-time period: "auto" (enough documents per point), "M", "Q" or "Y" (None: the study's)
SEED = None        # seed of every stochastic step (None: the study's)
SMOKE = False      # True: fewer documents and bootstrap replicates (CI)

# %%
from analysis.notebooks import setup

s = setup(study=STUDY, processed=PROCESSED, corpus=CORPUS, figures=FIGURES, period=PERIOD, seed=SEED, smoke=SMOKE)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from analysis.figures import plots, tables
from analysis.figures.style import colors_for
from analysis.io import read_parquet
from analysis.topics.shares import topic_shares

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
colors = colors_for(corpus["source"])
events = s.load_events()
methods = s.topic_methods()
for method in [m for m in s.study.topic_methods if m not in methods]:
    print(f"{method}: no topics in this run: skipped")
if not methods:
    print("no topic models in this run (`analysis topics` writes them): nothing to show")
print(f"events: {0 if events is None else len(events)} ({s.events or 'the study names none'})")

# %%
for method in methods:
    folder = s.processed / "topics" / method
    doc_topics = read_parquet(s.require(folder / "doc_topics.parquet", f"topics --method {method}"))
    doc_topics = doc_topics[doc_topics["doc_id"].isin(corpus["doc_id"])]
    if "dominant" not in doc_topics.columns:
        best = tables.dominant_topics(doc_topics)
        doc_topics = doc_topics.merge(best[["doc_id", "topic"]].assign(dominant=True), on=["doc_id", "topic"], how="left")
        doc_topics["dominant"] = doc_topics["dominant"].fillna(False).astype(bool)
    labels_frame = pd.read_csv(folder / "topic_labels.csv")
    labels = dict(zip(labels_frame["topic"].astype(int), labels_frame["label"].astype(str)))
    shares = topic_shares(doc_topics, corpus, labels, freq=s.period, n_boot=s.n_boot, seed=s.seed)
    if shares.empty:
        print(f"{method}: no dated documents with a topic: nothing to draw")
        continue
    n_periods = shares["period"].nunique()
    if n_periods < 2:
        print(f"{method}: one period only ({shares['period'].iloc[0]}): each topic is one point, not a trend")
    display(shares.groupby(["topic", "label"])["mean"].mean().sort_values(ascending=False).round(3).head(12))
    drawn = s.stage_figure(f"topic_share_over_time_{method}", folder / "topic_shares.parquet", period=s.period,
                           seed=s.seed)
    if drawn is not None:  # the figures stage drew it from the same table: shown, not drawn again
        s.show(drawn)
        continue
    chosen = tables.largest_topics(shares, 8 if s.smoke else 12)
    fig = plots.topic_share_figure(shares, topics=chosen, colors=colors, events=events,
                                   min_n_interval=s.min_n_interval, title=f"トピックの割合の推移（{method}、新聞別、95%信頼区間）")
    s.save(fig, f"nb04_topic_share_over_time_{method}")
    plt.show()

# %% [markdown]
# ## Covariate effects (stm-style)
# How the newspaper and time shift each topic's prevalence, as stm's `estimateEffect` does: every
# document's topic proportions are regressed (OLS) on the newspaper and a B-spline of time
# (`~ source + bs(t, df=4)`, t in years since the first editorial). The bands and intervals come from
# `n_sims` simulations that redraw each document's topic proportions from a Dirichlet around the
# model's estimate (concentration = the document's token count) and then the coefficients from their
# sampling distribution, so they carry the topic model's uncertainty as well as the sampling of
# documents (`analysis.topics.effects`). With the additive formula a difference between two papers
# is the same on every date; `~ source * bs(t, df=4)` lets each paper have its own trend. The pair
# compared is the two newspapers with the most editorials.

# %%
from analysis.errors import InputError
from analysis.figures import effects_plots
from analysis.topics.effects import DEFAULT_CONCENTRATION, difference, estimate_effect, expected_prevalence

n_sims = 25 if s.smoke else 100
by_size = corpus["source"].value_counts()
pair = sorted(by_size.index[:2])  # the two newspapers with the most editorials (ties: name order)
n_tokens = read_parquet(s.require(s.processed / "tokens.parquet", "tokenize")).set_index("doc_id")["tokens"].str.len()
concentration = n_tokens.reindex(corpus["doc_id"].to_numpy()).fillna(DEFAULT_CONCENTRATION).clip(lower=1)
if len(pair) < 2:
    print("one newspaper only: no newspaper effect to estimate (skipped)")
for method in methods if len(pair) == 2 else []:
    folder = s.processed / "topics" / method
    doc_topics = read_parquet(s.require(folder / "doc_topics.parquet", f"topics --method {method}"))
    doc_topics = doc_topics[doc_topics["doc_id"].isin(corpus["doc_id"])]
    labels_frame = pd.read_csv(folder / "topic_labels.csv")
    labels = dict(zip(labels_frame["topic"].astype(int), labels_frame["label"].astype(str)))
    topics = [int(t) for t in doc_topics[doc_topics["topic"] != -1].groupby("topic")["weight"].sum()
              .sort_values(ascending=False).index[: 8 if s.smoke else 12]]
    try:
        effect = estimate_effect(doc_topics, corpus, topics=topics, labels=labels, n_sims=n_sims, seed=s.seed,
                                 concentration=concentration)
    except InputError as error:
        print(f"{method}: covariate effects not estimated: {error}")
        continue
    print(f"{method}: {effect.simulation}")
    expected = expected_prevalence(effect)
    fig = effects_plots.expected_prevalence_figure(
        expected, colors=colors, title=f"トピックの期待割合の推移（{method}、新聞別、時間はBスプライン）")
    s.save(fig, f"nb04_effects_prevalence_{method}")
    plt.show()
    gap = difference(effect, *pair)
    display(gap.drop(columns="date").round(3))
    fig = effects_plots.difference_figure(gap, title=f"{pair[0]} と {pair[1]} の差（{method}、塗りつぶし：区間が0を含まない）")
    s.save(fig, f"nb04_effects_difference_{method}")
    plt.show()
