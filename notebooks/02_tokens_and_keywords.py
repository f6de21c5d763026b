# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 02 Tokens and keywords
# **Version 2** — word frequencies come from `analysis.tokenize.keywords`; the study's settings are
# read by one setup call. Version 1: token counts and the most frequent words per newspaper.
#
# The reader sees what the janome analyzer kept (nouns including compounds joined into one word,
# verbs and adjectives in base form) and which words each newspaper uses most.

# %% tags=["parameters"]
STUDY = None       # study.yaml (None: the demo study; with PROCESSED set: an ad-hoc run, nothing demo-specific)
PROCESSED = None   # folder of a run's processed tables (None: the study's; data/processed for the demo)
CORPUS = None      # corpus.parquet to read (None: PROCESSED/corpus.parquet)
FIGURES = None     # folder for this notebook's figures (None: the study's reports/figures)
SEED = None        # seed of the smoke-mode sample (None: the study's)
SMOKE = False      # True: a sample of the documents (CI)
N_WORDS = 12       # words shown per newspaper

# %%
from analysis.notebooks import setup

s = setup(study=STUDY, processed=PROCESSED, corpus=CORPUS, figures=FIGURES, seed=SEED, smoke=SMOKE)

# %%
from analysis.figures import plots
from analysis.io import read_parquet
from analysis.tokenize.keywords import keyword_frequencies

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
tokens = read_parquet(s.require(s.processed / "tokens.parquet", "tokenize"))
tokens = tokens[tokens["doc_id"].isin(corpus["doc_id"])]
sizes = corpus[["doc_id", "source"]].merge(tokens["doc_id"].to_frame().assign(n_tokens=tokens["tokens"].map(len)),
                                           on="doc_id")
sizes.groupby("source")["n_tokens"].describe().round(1)

# %% [markdown]
# ## Most frequent words per newspaper
# Bars show each word's share of the newspaper's tokens (the `N_WORDS` most frequent; ties by word).

# %%
keywords = keyword_frequencies(tokens, corpus, by="source", top=N_WORDS)
display(keywords.pivot(index="rank", columns="source", values="word"))
panels = keywords.rename(columns={"source": "topic", "share": "weight"}).assign(label=lambda f: f["topic"])
fig = plots.top_words_figure(panels, n=N_WORDS, ncols=min(3, max(1, panels["topic"].nunique())),
                             title="新聞ごとの頻出語（語の割合）")
s.save(fig, "nb02_keywords_by_newspaper");
