# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 02 Tokens and keywords
# **Version 1** — first version: token counts and the most frequent words per newspaper.
#
# The reader sees what the janome analyzer kept (nouns incl. compounds such as 輸出規制, verbs and
# adjectives in base form) and which words each newspaper uses most.

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
from analysis.figures import plots
from analysis.io import read_parquet

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
tokens = read_parquet(s.require(s.processed / "tokens.parquet", "tokenize"))
docs = corpus[["doc_id", "source"]].merge(tokens[["doc_id", "tokens"]], on="doc_id", how="inner")
docs.assign(n_tokens=docs["tokens"].map(len)).groupby("source")["n_tokens"].describe().round(1)

# %% [markdown]
# ## Most frequent words per newspaper
# Bars show each word's share of the newspaper's tokens (top 12).

# %%
words = docs[["source", "tokens"]].explode("tokens").dropna().rename(columns={"tokens": "word"})
freq = words.groupby(["source", "word"]).size().rename("count").reset_index()
freq["weight"] = freq["count"] / freq.groupby("source")["count"].transform("sum")
freq = freq.sort_values(["source", "count", "word"], ascending=[True, False, True])
freq["rank"] = freq.groupby("source").cumcount() + 1
keywords = freq[freq["rank"] <= 12].rename(columns={"source": "topic"}).assign(label=lambda f: f["topic"])
fig = plots.top_words_figure(keywords, n=12, ncols=3, title="新聞ごとの頻出語（語の割合）")
s.save(fig, "nb02_keywords_by_newspaper");
