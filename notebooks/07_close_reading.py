# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 07 Close reading: KWIC, collocates, co-occurrence network, coding rules, correspondence analysis
# **Version 1** — first version.
#
# Before trusting a topic or a stance score, read the words in context, as KH Coder users do:
# where does 輸出規制 occur and what surrounds it (KWIC), which words travel with it (collocation
# statistics), which words form clusters (co-occurrence network), how often a hand-written coding
# rule fires per year and newspaper (with bootstrap intervals), and which words characterise each
# newspaper (correspondence analysis). Every step is one function of `analysis.closeread`; the CLI
# commands `analysis kwic / collocates / network / code / ca` do the same from the shell.

# %% tags=["parameters"]
PROCESSED = None   # folder of processed tables of a run (None: data/processed of this checkout)
CORPUS = None      # corpus.parquet to read (None: PROCESSED/corpus.parquet)
FIGURES = None     # folder for this notebook's figures (None: reports/figures)
PERIOD = "Y"       # period of the coded-theme shares: "M" month, "Q" quarter, "Y" year
SEED = 20250120    # seed of the network layout, communities and bootstrap
TERM = "輸出規制"   # the word read in context
RULES = None       # coding rules file (None: the packaged example src/analysis/resources/coding_rules.txt)
CODE = "輸出規制"   # the coded theme whose yearly share is drawn
SMOKE = False      # True: fewer documents and bootstrap replicates, smaller network (CI)

# %%
import pandas as pd

from analysis import config
from analysis.closeread import (apply_rules, build_network, ca_table, code_shares, collocates,
                                correspondence_analysis, kwic, kwic_text, plot_ca_biplot, plot_code_shares,
                                plot_network)
from analysis.closeread.coding import read_rules
from analysis.figures.style import use_style
from analysis.io import read_parquet
from analysis.notebooks import settings

s = settings(processed=PROCESSED, corpus=CORPUS, figures=FIGURES, period=PERIOD, seed=SEED, smoke=SMOKE)
use_style()
n_words = 30 if s.smoke else 60      # network nodes and CA rows
n_edges = 40 if s.smoke else 60      # KH Coder's default: the 60 strongest edges
print(f"processed={s.processed} smoke={s.smoke} n_boot={s.n_boot} max_docs={s.max_docs} words={n_words}")

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
tokens = read_parquet(s.require(s.processed / "tokens.parquet", "tokenize"))
tokens = tokens[tokens["doc_id"].isin(set(corpus["doc_id"]))].reset_index(drop=True)
print(f"{len(corpus)} documents from {corpus['source'].nunique()} newspapers, "
      f"{corpus['published'].min():%Y-%m} to {corpus['published'].max():%Y-%m}")

# %% [markdown]
# ## 1. KWIC: the term in context
# Raw-string matching with 20 characters each side; sorted by the right context so the
# constructions that follow the term (輸出規制**の**…, 輸出規制**を**…) group together.

# %%
hits = kwic(corpus, TERM, window=20, sort="right")
print(f"{TERM}: {len(hits)} occurrences in {hits['doc_id'].nunique()} documents")
print(kwic_text(hits, limit=15))

# %%
hits.groupby("source").size().rename("occurrences").to_frame()

# %% [markdown]
# ## 2. Collocates
# Words within ±5 tokens of the term: observed frequency, expected frequency, PMI,
# log-likelihood (G2), t-score, KH Coder's distance-weighted score, and the document-level
# Jaccard coefficient. Sorted by G2; PMI alone favours rare words, G2 and t favour reliable ones.

# %%
colloc = collocates(tokens, TERM, window=5, sort="llr")
colloc.head(15).drop(columns=["term"]).round(3)

# %% [markdown]
# ## 3. Co-occurrence network
# The most frequent words linked by the Jaccard coefficient of their documents (the strongest
# edges only); colours are modularity communities, disc area is word frequency. The layout is
# seeded, so the figure is the same on every run.

# %%
import matplotlib.pyplot as plt

nodes, edges = build_network(tokens, top=n_words, top_edges=n_edges, seed=s.seed)
fig, ax = plt.subplots(figsize=(8, 7))
plot_network(nodes, edges, ax=ax, title=f"共起ネットワーク（頻出上位{n_words}語、Jaccard上位{len(edges)}本）")
s.save(fig, "nb07_network");

# %% [markdown]
# The neighbourhood of the term, each word coloured by the newspaper that uses it most (share of
# that paper's editorials containing the word).

# %%
groups = dict(zip(corpus["doc_id"], corpus["source"]))
nodes_t, edges_t = build_network(tokens, term=TERM, top=n_words // 2, top_edges=n_edges, groups=groups, seed=s.seed)
fig, ax = plt.subplots(figsize=(8, 7))
plot_network(nodes_t, edges_t, ax=ax, color_by="group", title=f"「{TERM}」の共起語（最も多く使う新聞で色分け）")
s.save(fig, "nb07_network_term_by_source");

# %% [markdown]
# ## 4. Coding rules over time
# The rules file names themes by boolean expressions (`|` OR, `&` AND, `!` NOT, parentheses,
# quoted phrases, `near(a, b, n)`). Each document either matches a code or not; the share of a
# newspaper's editorials matching it per year comes with a 95% bootstrap interval over documents.

# %%
rules = read_rules(RULES or config.resource("coding_rules.txt"))
for rule in rules:
    print(rule)
coded = apply_rules(rules, tokens, corpus=corpus, unit="doc")
shares = code_shares(coded, corpus, by=["source", "period"], period=s.period, n_boot=s.n_boot, seed=s.seed)
coded.groupby("code", sort=False)["hit"].sum().rename("documents").to_frame()

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
plot_code_shares(shares, code=CODE, ax=ax)
s.save(fig, "nb07_code_share");
shares[shares["code"] == CODE].round(3)

# %% [markdown]
# ## 5. Correspondence analysis: which words characterise which newspaper
# Words (grey; area by mass) and newspapers (coloured) in the symmetric map of the words x
# newspapers table. A word near a paper is used relatively more by it; the axis labels give
# the share of inertia (chi2 / n) each dimension explains.

# %%
table = ca_table(tokens, corpus, by="source", top=n_words)
coords, inertia = correspondence_analysis(table)
fig, ax = plt.subplots(figsize=(7.5, 6.5))
plot_ca_biplot(coords, inertia, ax=ax, max_words=25)
s.save(fig, "nb07_ca_by_source");
inertia.round(4)

# %% [markdown]
# By year instead of newspaper: how the vocabulary moved over the period.

# %%
table_y = ca_table(tokens, corpus, by="period", period="Y", top=n_words)
coords_y, inertia_y = correspondence_analysis(table_y)
fig, ax = plt.subplots(figsize=(7.5, 6.5))
plot_ca_biplot(coords_y, inertia_y, ax=ax, max_words=25, title="対応分析（語 × 年）")
s.save(fig, "nb07_ca_by_year");
