# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 03 Topics
# **Version 4** — the top-words figures are the figures stage's, shown rather than drawn again. Version 3: representative documents and topic words per period at the end. Version 2: k is the one the run fitted (or `K`), never a number of the notebook's own; methods
# the study names but the run did not fit are reported, not failed on. Version 1: choosing k (NPMI
# coherence, diversity, stability) and the top words of the topics fitted by the run.
#
# The reader sees how topic quality changes with the number of topics around the k the run used,
# then each fitted topic's best words and its name (seeded topics carry the theme name of the
# study's themes file).

# %% tags=["parameters"]
STUDY = None       # study.yaml (None: the demo study; with PROCESSED set: an ad-hoc run, nothing demo-specific)
PROCESSED = None   # folder of a run's processed tables (None: the study's; data/processed for the demo)
CORPUS = None      # corpus.parquet to read (None: PROCESSED/corpus.parquet)
FIGURES = None     # folder for this notebook's figures (None: the study's reports/figures)
SEED = None        # seed of every stochastic step (None: the study's)
K = None           # centre of the k range explored (None: the k the run fitted NMF with, else the study's)
SMOKE = False      # True: fewer documents, seeds and k values (CI)

# %%
from analysis.notebooks import setup

s = setup(study=STUDY, processed=PROCESSED, corpus=CORPUS, figures=FIGURES, seed=SEED, k=K, smoke=SMOKE)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from analysis.figures import plots, tables
from analysis.io import read_parquet
from analysis.topics.selection import plot_k_selection, select_k

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
tokens = read_parquet(s.require(s.processed / "tokens.parquet", "tokenize"))
documents = [list(t) for t in tokens[tokens["doc_id"].isin(corpus["doc_id"])]["tokens"]]
k_range = [k for k in s.k_range if k < len(documents)]
print(f"{len(documents)} documents, k in {k_range} (around k={s.k})")

# %% [markdown]
# ## Choosing k
# Higher NPMI means a topic's words co-occur in documents; diversity is the share of distinct words
# among all topics' top words; stability is the agreement of topics across seeds.

# %%
seeds = (s.seed, s.seed + 1) if s.smoke else (s.seed, s.seed + 1, s.seed + 2)
if k_range:
    k_table = select_k(documents, k_range, methods=("nmf",), seeds=seeds)
    display(k_table.round(3))
    fig, ax = plt.subplots(figsize=(6, 3.4))
    plot_k_selection(k_table, ax=ax, fitted_k=s.k_for("nmf") if "nmf" in s.topic_methods() else None)
    fig.tight_layout()
    s.save(fig, "nb03_k_selection");
else:
    print(f"too few documents ({len(documents)}) for any k in {list(s.k_range)}: k selection skipped")

# %% [markdown]
# ## Topics of the run
# One panel per topic: its best words and their weights, for every method the run fitted (the
# figure `analysis figures` drew, reports/figures/top_words_<method>; drawn here in smoke mode or
# when the figures are older than the tables).

# %%
methods = s.topic_methods()
for method in [m for m in s.study.topic_methods if m not in methods]:
    print(f"{method}: no topics in {s.processed / 'topics' / method} (not fitted in this run): skipped")
if not methods:
    print("no topic models in this run (`analysis topics` writes them): nothing to show")
for method in methods:
    folder = s.processed / "topics" / method
    labels_path = folder / "topic_labels.csv"
    print(f"== {method}: k={s.k_for(method)}")
    if labels_path.is_file():
        display(pd.read_csv(labels_path).head(30))
    words = tables.top_words(read_parquet(s.require(folder / "topic_words.parquet", f"topics --method {method}")), n=10)
    topics = sorted(t for t in words["topic"].unique() if t != -1)[:16]
    if not topics:
        print(f"{method}: no topics with words")
        continue
    drawn = s.stage_figure(f"top_words_{method}", folder / "topic_words.parquet")
    if drawn is not None:  # the figures stage drew this figure from the same table: shown, not drawn again
        s.show(drawn)
        continue
    fig = plots.top_words_figure(words, topics=topics, title=f"トピックごとの上位語（{method}）")
    s.save(fig, f"nb03_top_words_{method}")
    plt.show()

# %% [markdown]
# ## Representative documents and how each topic's words change over time
# For every topic of every method: the editorials that carry it most (its own documents first,
# highest weight first, with title, date and newspaper), and the topic's top words per period
# (class-based TF-IDF of the topic's documents in that period; periods with fewer documents than
# the study's threshold are marked `too_few`). `analysis.topics.representative` and
# `analysis.topics.periods`; the run also writes both tables beside each model.

# %%
from analysis.topics.periods import topic_words_by_period
from analysis.topics.representative import representative_documents

for method in methods:
    folder = s.processed / "topics" / method
    doc_topics = read_parquet(folder / "doc_topics.parquet")
    doc_topics = doc_topics[doc_topics["doc_id"].isin(corpus["doc_id"])]
    labels_frame = pd.read_csv(folder / "topic_labels.csv")
    examples = representative_documents(doc_topics, corpus, n=3, labels=labels_frame)
    print(f"== {method}: representative documents")
    display(examples[["topic", "label", "rank", "weight", "published", "source", "title", "excerpt"]].head(30))
    by_period = topic_words_by_period(doc_topics, tokens, corpus, freq=s.period, n_words=8, labels=labels_frame)
    if by_period.empty or by_period["period"].nunique() < 2:
        print(f"{method}: one period only: no change of vocabulary to show")
        continue
    largest = int(doc_topics[doc_topics["dominant"] & (doc_topics["topic"] != -1)]["topic"].value_counts().index[0])
    fig = plots.plot_topic_words_by_period(by_period, topic=largest, n=8)[0].figure
    s.save(fig, f"nb03_topic_words_by_period_{method}")
    plt.show()
