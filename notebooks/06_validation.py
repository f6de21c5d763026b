# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 06 Validation against the demo corpus's ground truth
# **Version 1** — first version: agreement of topics with planted themes (NMI, ARI) and of stance
# scores with planted stance per document.
#
# The bundled demo corpus is synthetic, with known themes and stance per document
# (data/raw/demo/ground_truth.csv). On another corpus without that file this notebook says so and
# stops checking. Higher NMI/ARI (max 1) means topics recover the themes; a positive correlation
# means stance scores follow the planted stance.

# %% tags=["parameters"]
PROCESSED = None   # folder of processed tables of a run (None: data/processed of this checkout)
CORPUS = None      # corpus.parquet to read (None: PROCESSED/corpus.parquet)
FIGURES = None     # folder for this notebook's figures (None: reports/figures)
PERIOD = "auto"    # over-time period: "auto" (enough documents per point), "M", "Q" or "Y"
TARGETS = None     # stance targets YAML (None: the packaged targets.yaml)
SEED = 20250120    # seed of every stochastic step
K = 10             # number of topics (03 explores a range around it)
SMOKE = False      # True: fewer documents, bootstrap replicates and k values (CI)
GROUND_TRUTH = None  # demo ground_truth.csv (None: data/raw/demo/ground_truth.csv)

# %%
import pandas as pd
from analysis.figures.style import use_style, colors_for
from analysis.notebooks import settings

s = settings(processed=PROCESSED, corpus=CORPUS, figures=FIGURES, targets=TARGETS, period=PERIOD,
             seed=SEED, k=K, smoke=SMOKE)
use_style()
print(f"processed={s.processed} smoke={s.smoke} n_boot={s.n_boot} max_docs={s.max_docs}")

# %%
from pathlib import Path

import numpy as np
from analysis import config
from analysis.figures import tables
from analysis.figures.report import topic_methods
from analysis.io import read_parquet
from analysis.notebooks import match_ground_truth
from analysis.topics.validate import agreement

truth_path = Path(GROUND_TRUTH) if GROUND_TRUTH is not None else config.paths().demo / "ground_truth.csv"
corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
if truth_path.is_file():
    truth = pd.read_csv(truth_path)
    truth = match_ground_truth(corpus, truth).merge(corpus[["doc_id", "source"]], on="doc_id")
    print(f"{len(truth)} of {len(corpus)} documents have ground truth ({truth_path})")
else:
    truth = None
    print(f"no ground truth at {truth_path}: nothing to validate against on this corpus")

# %% [markdown]
# ## Topics against planted themes

# %%
if truth is not None:
    rows = []
    for method in topic_methods(s.processed):
        dominant = tables.dominant_topics(read_parquet(s.processed / "topics" / method / "doc_topics.parquet"))
        joined = truth.merge(dominant, on="doc_id")
        rows.append({"method": method, **agreement(joined["topic"].tolist(), joined["theme"].astype(str).tolist())})
    display(pd.DataFrame(rows).round(3))

# %% [markdown]
# ## Stance against planted stance
# Per target: Spearman correlation between a document's score and its planted stance (-1, 0, 1),
# over the documents that mention the target, and the share whose sign agrees.

# %%
if truth is not None and (s.processed / "stance.parquet").is_file():
    stance = read_parquet(s.processed / "stance.parquet")
    stance = stance[stance["n_mentions"] > 0] if "n_mentions" in stance.columns else stance
    rows = []
    for (method, target), part in stance.groupby(["method", "target"]):
        column = f"stance_{target}"
        if column not in truth.columns:
            continue
        joined = part.merge(truth[["doc_id", column]], on="doc_id").dropna(subset=[column])
        if len(joined) < 3:
            continue
        rows.append({"method": method, "target": target, "n": len(joined),
                     "spearman": joined["score"].corr(joined[column], method="spearman"),
                     "sign_agreement": float((np.sign(joined["score"]) == np.sign(joined[column])).mean())})
    display(pd.DataFrame(rows).round(3))
