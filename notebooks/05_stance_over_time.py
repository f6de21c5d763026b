# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 05 Stance over time
# **Version 3** — evidence sentences are the author's judgements that decided the labels (syntax scorer).
# **Version 2** — adds the evidence sentences behind the scores. Version 1: each newspaper's mean
# stance toward each target per period, with bootstrap confidence intervals, event markers, and
# stance by topic.
#
# The reader sees, per target (輸出規制, AI規制, 半導体補助金, ...), whether a newspaper favours (+1)
# or opposes (-1) it and how that moves around dated events. Only documents that mention the target
# count; `n` is the number of such documents behind each point.

# %% tags=["parameters"]
PROCESSED = None   # folder of processed tables of a run (None: data/processed of this checkout)
CORPUS = None      # corpus.parquet to read (None: PROCESSED/corpus.parquet)
FIGURES = None     # folder for this notebook's figures (None: reports/figures)
PERIOD = "auto"    # over-time period: "auto" (enough documents per point), "M", "Q" or "Y"
TARGETS = None     # stance targets YAML (None: the packaged targets.yaml)
SEED = 20250120    # seed of every stochastic step
K = 10             # number of topics (03 explores a range around it)
SMOKE = False      # True: fewer documents, bootstrap replicates and k values (CI)

# %%
import pandas as pd
from analysis.figures.style import use_style, colors_for
from analysis.notebooks import settings

s = settings(processed=PROCESSED, corpus=CORPUS, figures=FIGURES, targets=TARGETS, period=PERIOD,
             seed=SEED, k=K, smoke=SMOKE)
use_style()
print(f"processed={s.processed} smoke={s.smoke} n_boot={s.n_boot} max_docs={s.max_docs}")

# %%
import matplotlib.pyplot as plt
from analysis.figures import plots, tables
from analysis.figures.report import topic_methods
from analysis.io import read_parquet
from analysis.stance.over_time import stance_over_time as over_time

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
colors = colors_for(corpus["source"])
events = tables.load_events()
stance = read_parquet(s.require(s.processed / "stance.parquet", "stance"))
stance = stance[stance["doc_id"].isin(corpus["doc_id"])]
if s.targets is not None:  # TARGETS restricts the figures to the targets of that file
    from analysis.stance.targets import load_targets

    stance = stance[stance["target"].isin(list(load_targets(s.targets)))]
stance.groupby(["method", "target", "label"]).size().unstack("label", fill_value=0)

# %% [markdown]
# ## Stance per newspaper, target and period
# Recomputed here from stance.parquet with this notebook's `PERIOD` and bootstrap replicates, by
# the stance stage's own function (`analysis.stance.over_time.stance_over_time`).

# %%
method = sorted(stance["method"].unique())[0] if "method" in stance.columns else None
scored = stance[stance["method"] == method] if method is not None else stance
stance_over_time = over_time(scored, corpus, period=s.period, n_boot=s.n_boot, seed=s.seed)
print(f"method={method}, {len(stance_over_time)} (source, target, period) cells")
fig = plots.stance_over_time_figure(stance_over_time, events=events, colors=colors)
s.save(fig, "nb05_stance_over_time");

# %% [markdown]
# ## Stance by topic
# Mean stance toward each target among the documents of each topic (dominant topic), with `n`.

# %%
methods = topic_methods(s.processed)
for topic_method in methods:
    folder = s.processed / "topics" / topic_method
    topic_labels = pd.read_csv(folder / "topic_labels.csv") if (folder / "topic_labels.csv").is_file() else None
    table = tables.topic_stance_table(read_parquet(folder / "doc_topics.parquet"), stance,
                                      topic_labels=topic_labels, method=method)
    if table.empty:
        print(f"{topic_method}: no scored documents")
        continue
    fig, ax = plt.subplots(figsize=(5.8, 1.2 + 0.42 * table["topic"].nunique()))
    plots.plot_topic_stance_heatmap(table, ax=ax)
    fig.tight_layout()
    s.save(fig, f"nb05_topic_stance_heatmap_{topic_method}")
    plt.show()

# %% [markdown]
# ## Evidence: the sentences behind the scores
# Every score can be checked against the sentences that produced it (stance_evidence.parquet).
# Below, per target, the sentences with the strongest FAVOR and AGAINST scores, with newspaper and
# date; read a few before trusting a trend. With the default syntax scorer these are the sentences
# that decided the documents' labels: the author's own judgements (``voice == "author"``, weight
# above 0); sentences that only report another actor's position or a fact are listed in the table
# but do not vote, and are not shown here.

# %%
evidence = read_parquet(s.require(s.processed / "stance_evidence.parquet", "stance"))
evidence = evidence[evidence["doc_id"].isin(corpus["doc_id"]) & (evidence["method"] == method)]
if "weight" in evidence.columns:
    print("evidence sentences by voice:", evidence["voice"].value_counts().to_dict())
    evidence = evidence[evidence["weight"] > 0]
evidence = evidence.merge(corpus[["doc_id", "source", "published"]], on="doc_id")
evidence["date"] = evidence["published"].dt.strftime("%Y-%m-%d")
n_shown = 2 if s.smoke else 3
for target, rows in evidence.groupby("target", sort=True):
    rows = rows.sort_values(["score", "doc_id", "sentence_index"])
    shown = pd.concat([rows.tail(n_shown).iloc[::-1], rows.head(n_shown)])
    print(f"== {target}")
    for row in shown.itertuples():
        print(f"  {row.score:+.2f}  {row.source} {row.date}  {row.sentence}")
