# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 03 Topics
# **Version 1** — first version: choosing k (NPMI coherence, diversity, stability) and the top
# words of the topics fitted by the run.
#
# The reader sees how topic quality changes with the number of topics around `K`, then each
# fitted topic's best words and its name (seeded topics carry the theme name from themes.yaml).

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
from analysis.topics.selection import plot_k_selection, select_k

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
tokens = read_parquet(s.require(s.processed / "tokens.parquet", "tokenize"))
documents = [list(t) for t in tokens[tokens["doc_id"].isin(corpus["doc_id"])]["tokens"]]
print(f"{len(documents)} documents, k in {list(s.k_range)}")

# %% [markdown]
# ## Choosing k
# Higher NPMI means a topic's words co-occur in documents; diversity is the share of distinct words
# among all topics' top words; stability is the agreement of topics across seeds.

# %%
seeds = (s.seed, s.seed + 1) if s.smoke else (s.seed, s.seed + 1, s.seed + 2)
k_table = select_k(documents, s.k_range, methods=("nmf",), seeds=seeds)
display(k_table.round(3))
fig, ax = plt.subplots(figsize=(6, 3.4))
plot_k_selection(k_table, ax=ax)
fig.tight_layout()
s.save(fig, "nb03_k_selection");

# %% [markdown]
# ## Topics of the run
# One panel per topic: its best words and their weights, for every method the run fitted.

# %%
s.require(s.processed / "topics", "topics")
methods = topic_methods(s.processed)
for method in methods:
    folder = s.processed / "topics" / method
    display(pd.read_csv(folder / "topic_labels.csv").head(30))
    words = tables.top_words(read_parquet(folder / "topic_words.parquet"), n=10)
    topics = sorted(t for t in words["topic"].unique() if t != -1)[:16]
    fig = plots.top_words_figure(words, topics=topics, title=f"トピックごとの上位語（{method}）")
    s.save(fig, f"nb03_top_words_{method}")
    plt.show()
