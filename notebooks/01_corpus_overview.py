# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 01 Corpus overview
# **Version 1** — first version: documents per newspaper and period, and how ingest accounted for
# every input file.
#
# The reader sees which newspapers are in the corpus, how many editorials each published per
# period, and whether any input file was rejected or found to be a duplicate.

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
from analysis.io import read_parquet

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
colors = colors_for(corpus["source"])
corpus.groupby("source").agg(documents=("doc_id", "size"), first=("published", "min"),
                             last=("published", "max"), mean_chars=("text", lambda t: round(t.str.len().mean())))

# %% [markdown]
# ## Documents per period and newspaper
# Each bar is one period; colours are newspapers (the same colours in every figure of the report).
# Gaps are periods without editorials in the corpus.

# %%
counts = tables.documents_per_period(corpus, s.period)
fig, ax = plt.subplots(figsize=(7, 3.2))
plots.plot_corpus_overview(counts, ax=ax, colors=colors)
fig.tight_layout()
s.save(fig, "nb01_corpus_overview");

# %% [markdown]
# ## What ingest did with every input file
# `ingested`, `duplicate` (same text as another file) or `rejected` (with the reason).

# %%
report_path = s.processed / "ingest_report.csv"
if report_path.is_file():
    report = pd.read_csv(report_path)
    display(report["status"].value_counts().rename_axis("status").reset_index(name="files"))
    display(report[report["status"] != "ingested"].head(20))
else:
    print(f"{report_path} not present (corpus given directly as a table)")
