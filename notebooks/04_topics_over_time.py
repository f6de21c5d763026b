# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 04 Topics over time
# **Version 1** — first version: each topic's share of editorials per period and newspaper, with
# bootstrap confidence intervals.
#
# The reader sees when a subject (for example export controls) rises or falls in each newspaper.
# A document counts for its dominant topic; bands are 95% percentile-bootstrap intervals over
# documents (`n_boot` replicates; fewer in smoke mode). Dashed lines mark dated events.

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
from analysis.topics.shares import topic_shares

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
colors = colors_for(corpus["source"])
events = tables.load_events()
s.require(s.processed / "topics", "topics")
methods = topic_methods(s.processed)
methods

# %%
for method in methods:
    folder = s.processed / "topics" / method
    doc_topics = read_parquet(folder / "doc_topics.parquet")
    doc_topics = doc_topics[doc_topics["doc_id"].isin(corpus["doc_id"])]
    if "dominant" not in doc_topics.columns:
        best = tables.dominant_topics(doc_topics)
        doc_topics = doc_topics.merge(best[["doc_id", "topic"]].assign(dominant=True), on=["doc_id", "topic"], how="left")
        doc_topics["dominant"] = doc_topics["dominant"].fillna(False).astype(bool)
    labels_frame = pd.read_csv(folder / "topic_labels.csv")
    labels = dict(zip(labels_frame["topic"].astype(int), labels_frame["label"].astype(str)))
    shares = topic_shares(doc_topics, corpus, labels, freq=s.period, n_boot=s.n_boot, seed=s.seed)
    display(shares.groupby(["topic", "label"])["mean"].mean().sort_values(ascending=False).round(3).head(12))
    chosen = tables.largest_topics(shares, 8 if s.smoke else 12)
    fig = plots.topic_share_figure(shares, topics=chosen, colors=colors, events=events,
                                   title=f"トピックの割合の推移（{method}、新聞別、95%信頼区間）")
    s.save(fig, f"nb04_topic_share_over_time_{method}")
    plt.show()
