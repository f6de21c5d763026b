# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 06 Validation against known labels (ground truth)
# **Version 2** — the ground truth is the study's (`ground_truth:` in study.yaml; the demo study
# names the demo's planted truth); without one the notebook says so and skips every section; the
# metrics are `analysis.validation.truth`. Version 1: agreement of topics with planted themes (NMI,
# ARI) and of stance scores with planted stance per document.
#
# The bundled demo corpus is synthetic, with known themes and stance per document
# (data/raw/demo/ground_truth.csv). Higher NMI/ARI (max 1) means topics recover the themes; a
# positive correlation means stance scores follow the known stance. A study of real editorials
# usually has no such file; hand labels are checked in notebook 08 instead.

# %% tags=["parameters"]
STUDY = None       # study.yaml (None: the demo study; with PROCESSED set: an ad-hoc run, nothing demo-specific)
PROCESSED = None   # folder of a run's processed tables (None: the study's; data/processed for the demo)
CORPUS = None      # corpus.parquet to read (None: PROCESSED/corpus.parquet)
FIGURES = None     # folder for this notebook's figures (None: the study's reports/figures)
TARGETS = None     # stance targets YAML: the targets checked (None: the study's)
SEED = None        # seed of the smoke-mode sample (None: the study's)
SMOKE = False      # True: a sample of the documents (CI)
GROUND_TRUTH = None  # CSV of known labels (file, theme, stance_<target>) (None: the study's ground_truth)

# %%
from analysis.notebooks import setup

s = setup(study=STUDY, processed=PROCESSED, corpus=CORPUS, figures=FIGURES, targets=TARGETS, seed=SEED, smoke=SMOKE,
          ground_truth=GROUND_TRUTH)

# %%
from analysis.io import read_parquet
from analysis.validation.truth import read_ground_truth, stance_truth_agreement, topic_theme_agreement

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
truth = None
if s.ground_truth is None:
    print("There is no ground truth for this corpus (the study names no ground_truth file), so there is "
          "nothing to validate against here: the sections below are skipped. Notebook 08 checks the measures "
          "against hand labels instead.")
else:
    truth = read_ground_truth(s.ground_truth, corpus)
    if truth.empty:
        print(f"none of the {len(corpus)} documents matches a row of the ground truth {s.ground_truth} "
              "(its 'file' column names other files): the sections below are skipped")
        truth = None
    else:
        print(f"{truth['doc_id'].nunique()} of {len(corpus)} documents have ground truth ({s.ground_truth})")

# %% [markdown]
# ## Topics against known themes

# %%
if truth is None:
    print("skipped: no ground truth")
elif not s.topic_methods():
    print("skipped: no topic models in this run")
else:
    doc_topics = {method: read_parquet(s.require(s.processed / "topics" / method / "doc_topics.parquet",
                                                 f"topics --method {method}"))
                  for method in s.topic_methods()}
    topic_agreement = topic_theme_agreement(truth, doc_topics)
    if topic_agreement.empty:
        print("skipped: the ground truth has no 'theme' column")
    else:
        display(topic_agreement.round(3))

# %% [markdown]
# ## Stance against known stance
# Per target: Spearman correlation between a document's score and its known stance (-1, 0, 1),
# over the documents that mention the target, and the share whose sign agrees.

# %%
stance_path = s.processed / "stance.parquet"
if truth is None:
    print("skipped: no ground truth")
elif s.targets is None or not stance_path.is_file():
    print("skipped: no stance scores in this run (the study names no targets, or `analysis stance` did not run)")
else:
    stance = read_parquet(s.require(stance_path, "stance"))
    stance = stance[stance["doc_id"].isin(corpus["doc_id"]) & stance["target"].isin(s.target_names())]
    stance_agreement = stance_truth_agreement(stance, truth)
    if stance_agreement.empty:
        print("skipped: no target has both known stance (stance_<target> columns) and at least 3 scored mentions")
    else:
        display(stance_agreement.round(3))
