# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 01 Corpus overview
# **Version 2** — the study's settings are read by one setup call; works on a corpus of one newspaper
# or one period. Version 1: documents per newspaper and period, and how ingest accounted for every
# input file.
#
# The reader sees which newspapers are in the corpus, how many editorials each published per
# period, and whether any input file was rejected or found to be a duplicate.

# %% tags=["parameters"]
STUDY = None       # study.yaml (None: the demo study; with PROCESSED set: an ad-hoc run, nothing demo-specific)
PROCESSED = None   # folder of a run's processed tables (None: the study's; data/processed for the demo)
CORPUS = None      # corpus.parquet to read (None: PROCESSED/corpus.parquet)
FIGURES = None     # folder for this notebook's figures (None: the study's reports/figures)
PERIOD = None      # period of the bars: "auto", "M", "Q" or "Y" (None: the study's)
SEED = None        # seed of the smoke-mode sample (None: the study's)
SMOKE = False      # True: a sample of the documents (CI)

# %%
from analysis.notebooks import setup

s = setup(study=STUDY, processed=PROCESSED, corpus=CORPUS, figures=FIGURES, period=PERIOD, seed=SEED, smoke=SMOKE)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from analysis.figures import plots, tables
from analysis.figures.style import colors_for
from analysis.io import read_parquet

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
colors = colors_for(corpus["source"])
corpus.groupby("source").agg(documents=("doc_id", "size"), first=("published", "min"),
                             last=("published", "max"), mean_chars=("text", lambda t: round(t.str.len().mean())))

# %% [markdown]
# ## Documents per period and newspaper
# Each bar is one period; colours are newspapers (the same colours in every figure of the report).
# Gaps are periods without editorials in the corpus. Undated documents have no period and no bar.

# %%
counts = tables.documents_per_period(corpus, s.period)
if counts.empty:
    print("no dated documents: nothing to draw per period")
else:
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
