# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 05 Stance over time
# **Version 5** — the figures the figures stage drew from the same tables are shown, not drawn again. Version 4: targets, stance method and events come from the study; a study without targets, or
# a corpus where no document mentions them, is reported instead of failing; the evidence ranking is
# `analysis.stance.evidence`. Version 3: evidence sentences are the author's judgements that decided
# the labels (syntax scorer). Version 2: the evidence sentences behind the scores. Version 1: each
# newspaper's mean stance toward each target per period, with bootstrap confidence intervals, event
# markers, and stance by topic.
#
# The reader sees, per target of the study, whether a newspaper favours (+1) or opposes (-1) it and
# how that moves around dated events. Only documents that mention the target count; `n` is the
# number of such documents behind each point.

# %% tags=["parameters"]
STUDY = None       # study.yaml (None: the demo study; with PROCESSED set: an ad-hoc run, nothing demo-specific)
PROCESSED = None   # folder of a run's processed tables (None: the study's; data/processed for the demo)
CORPUS = None      # corpus.parquet to read (None: PROCESSED/corpus.parquet)
FIGURES = None     # folder for this notebook's figures (None: the study's reports/figures)
PERIOD = None      # over-time period: "auto" (enough documents per point), "M", "Q" or "Y" (None: the study's)
TARGETS = None     # stance targets YAML: the targets shown (None: the study's)
SEED = None        # seed of every stochastic step (None: the study's)
SMOKE = False      # True: fewer documents, bootstrap replicates and evidence sentences (CI)

# %%
from analysis.notebooks import setup

s = setup(study=STUDY, processed=PROCESSED, corpus=CORPUS, figures=FIGURES, targets=TARGETS, period=PERIOD,
          seed=SEED, smoke=SMOKE)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from analysis.figures import plots, tables
from analysis.figures.style import colors_for
from analysis.io import read_parquet
from analysis.stance.over_time import stance_over_time as over_time

corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
colors = colors_for(corpus["source"])
events = s.load_events()
stance_path = s.processed / "stance.parquet"
stance, mentioned = None, None
if s.targets is None:
    print("the study names no stance targets (stance.targets): no stance was scored; this notebook has nothing to show")
elif not stance_path.is_file():
    print(f"no {stance_path}: `analysis stance` (or `analysis run`) writes it; the stance sections are skipped")
else:
    stance = read_parquet(s.require(stance_path, "stance"))
    stance = stance[stance["doc_id"].isin(corpus["doc_id"]) & stance["target"].isin(s.target_names())]
    methods_scored = sorted(stance["method"].unique())
    method = s.study.stance_method if s.study.stance_method in methods_scored else (methods_scored or [None])[0]
    stance = stance[stance["method"] == method]
    mentioned = stance[stance["n_mentions"] > 0]
    print(f"targets {s.target_names()} ({s.targets}); method={method}; "
          f"{mentioned['doc_id'].nunique()} of {len(corpus)} documents mention one")
    if mentioned.empty:
        print("no document mentions any target: every label is NONE and the stance sections have nothing to show "
              "(check the aliases in the targets file)")
    display(stance.groupby(["target", "label"]).size().unstack("label", fill_value=0))

# %% [markdown]
# ## Stance per newspaper, target and period
# Recomputed here from stance.parquet with this notebook's `PERIOD` and bootstrap replicates, by
# the stance stage's own function (`analysis.stance.over_time.stance_over_time`).

# %%
if mentioned is not None and not mentioned.empty:
    stance_over_time = over_time(stance, corpus, period=s.period, n_boot=s.n_boot, seed=s.seed)
    print(f"{len(stance_over_time)} (source, target, period) cells")
    drawn = s.stage_figure("stance_over_time", s.processed / "stance_over_time.parquet", period=s.period, seed=s.seed,
                           n_boot=s.n_boot, method=method)
    if drawn is not None:  # the figures stage drew it from the same table and settings: shown, not drawn again
        s.show(drawn)
    else:
        fig = plots.stance_over_time_figure(stance_over_time, events=events, colors=colors,
                                            min_n_interval=s.min_n_interval)
        s.save(fig, "nb05_stance_over_time");
else:
    print("skipped: no scored mentions")

# %% [markdown]
# ## Stance by topic
# Mean stance toward each target among the documents of each topic (dominant topic), with `n`.

# %%
topic_methods = s.topic_methods() if mentioned is not None and not mentioned.empty else []
if not topic_methods:
    print("skipped: " + ("no topic models in this run" if mentioned is not None and not mentioned.empty
                         else "no scored mentions"))
for topic_method in topic_methods:
    folder = s.processed / "topics" / topic_method
    topic_labels = pd.read_csv(folder / "topic_labels.csv") if (folder / "topic_labels.csv").is_file() else None
    table = tables.topic_stance_table(read_parquet(folder / "doc_topics.parquet"), stance,
                                      topic_labels=topic_labels, method=method)
    if table.empty:
        print(f"{topic_method}: no scored documents")
        continue
    drawn = s.stage_figure(f"topic_stance_heatmap_{topic_method}", folder / "doc_topics.parquet", stance_path)
    if drawn is not None and len(methods_scored) == 1:  # the figures stage's, from the same tables
        s.show(drawn)
        continue
    fig, ax = plt.subplots(figsize=(5.8, 1.2 + 0.42 * table["topic"].nunique()))
    plots.plot_topic_stance_heatmap(table, ax=ax)
    fig.tight_layout()
    s.save(fig, f"nb05_topic_stance_heatmap_{topic_method}")
    plt.show()

# %% [markdown]
# ## Evidence: the sentences behind the scores
# Every score can be checked against the sentences that produced it (stance_evidence.parquet).
# Below, per target, the sentences with the strongest FAVOR and AGAINST scores, with newspaper and
# date; read a few before trusting a trend. With the default syntax scorer these are the sentences
# that decided the documents' labels: the author's own judgements (``voice == "author"``, weight
# above 0); sentences that only report another actor's position or a fact are listed in the table
# but do not vote, and are not shown here.

# %%
from analysis.stance.evidence import deciding_evidence, strongest_evidence

evidence_path = s.processed / "stance_evidence.parquet"
if mentioned is None or mentioned.empty:
    print("skipped: no scored mentions")
elif not evidence_path.is_file():
    print(f"skipped: no {evidence_path} (`analysis stance` writes it)")
else:
    evidence = read_parquet(s.require(evidence_path, "stance"))
    evidence = evidence[evidence["target"].isin(s.target_names())]
    if "voice" in evidence.columns:
        print("evidence sentences by voice:", evidence["voice"].value_counts().sort_index().to_dict())
    strongest = strongest_evidence(deciding_evidence(evidence, corpus, method=method), n=2 if s.smoke else 3)
    if strongest.empty:
        print("no sentence voted: nothing to show")
    for target, rows in strongest.groupby("target", sort=True):
        print(f"== {target}")
        for row in rows.itertuples():
            print(f"  {row.score:+.2f}  {row.source} {row.date}  {row.sentence}")
