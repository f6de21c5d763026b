# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 08 Validation of measures: the loop a reviewer asks for
# **Version 2** — targets, ground truth and events come from the study; a study without ground truth
# or targets, or a corpus where no document mentions them, gets the sections it can use and a note
# for the others. Version 1: validation sample, two coders, agreement, accuracy on this corpus, stance
# shares corrected for classifier error against the planted truth, intrusion sheets.
#
# A stance trend in a paper is only as good as the classifier's accuracy on *that* corpus. This
# notebook walks the validation loop of `analysis annotate`, `analysis agreement`,
# `analysis stance-eval --sheet`, `analysis stance --sheet` and `analysis intrusion` on the demo
# corpus, whose true labels are known (data/raw/demo/ground_truth.csv), so every step can be checked:
#
# 1. draw a stratified sample of documents per target (weights kept) and write the sheets;
# 2. label them: in JupyterLab with the widget; here, without a person, from the ground truth, as
#    two coders, one of whom disagrees on a planted share of the units;
# 3. agreement between the coders (Cohen's kappa, Krippendorff's alpha);
# 4. accuracy of the scorer on this corpus, weighted to the population;
# 5. the share of FAVOR and AGAINST per newspaper and period corrected for classifier error, with
#    intervals over documents and the validation sample, next to the raw shares;
# 6. both against the truth: how far each is from the documents' true labels and from the planted
#    trajectories, over many validation samples;
# 7. word- and topic-intrusion sheets for the topic models.
#
# On a corpus without ground truth (a study without `ground_truth:`) the notebook still draws the
# sheets and shows the widget for people to label, and says that it has nothing to check against.

# %% tags=["parameters"]
STUDY = None       # study.yaml (None: the demo study; with PROCESSED set: an ad-hoc run, nothing demo-specific)
PROCESSED = None   # folder of a run's processed tables (None: the study's; data/processed for the demo)
CORPUS = None      # corpus.parquet to read (None: PROCESSED/corpus.parquet)
FIGURES = None     # folder for this notebook's figures (None: the study's reports/figures)
PERIOD = None      # over-time period: "auto" (enough documents per point), "M", "Q" or "Y" (None: the study's)
TARGETS = None     # stance targets YAML: the targets sampled (None: the study's)
SEED = None        # seed of every stochastic step (None: the study's)
SMOKE = False      # True: fewer documents, bootstrap replicates, validation units and repeated draws (CI)
GROUND_TRUTH = None  # CSV of known labels that fills the coders' sheets (None: the study's ground_truth)
TRAJECTORIES = None  # planted trajectories CSV (None: trajectories.csv beside the ground truth, if there)
N_VALIDATION = 50  # documents drawn per target for hand labelling
DISAGREEMENT = 0.15  # share of units coder B labels otherwise than coder A (planted disagreements)
REPEATS = 20       # independent validation samples drawn to see how much the comparison varies
OUT = None         # folder for this notebook's sheets (None: "validation" beside FIGURES)
SHOW_WIDGET = False  # True in JupyterLab: the live labelling widget (its random ids would make reruns differ)

# %%
from analysis.notebooks import setup

s = setup(study=STUDY, processed=PROCESSED, corpus=CORPUS, figures=FIGURES, targets=TARGETS, period=PERIOD,
          seed=SEED, smoke=SMOKE, ground_truth=GROUND_TRUTH)
n_validation = min(N_VALIDATION, 30) if s.smoke else N_VALIDATION
repeats = min(REPEATS, 2) if s.smoke else REPEATS
print(f"n_validation={n_validation} repeats={repeats}")

# %%
from pathlib import Path

import pandas as pd
from analysis.figures.style import colors_for
from analysis.io import read_parquet
from analysis.validation.demo import truth_labels
from analysis.validation.truth import read_ground_truth

out = Path(OUT) if OUT is not None else s.figures.parent / "validation"
corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
stance_path = s.processed / "stance.parquet"
targets, stance, method = [], None, None
if s.targets is None:
    print("the study names no stance targets (stance.targets): no stance was scored, so there is nothing to sample")
elif not stance_path.is_file():
    print(f"no {stance_path}: `analysis stance` (or `analysis run`) writes it; nothing to sample")
else:
    stance = read_parquet(s.require(stance_path, "stance"))
    methods_scored = sorted(stance["method"].unique())
    method = s.study.stance_method if s.study.stance_method in methods_scored else (methods_scored or [None])[0]
    stance = stance[stance["doc_id"].isin(corpus["doc_id"]) & (stance["method"] == method)
                    & stance["target"].isin(s.target_names())]
    targets = sorted(stance.loc[stance["n_mentions"] > 0, "target"].unique())
    if not targets:
        print(f"no document mentions any of the targets {s.target_names()}: nothing to sample, every section is skipped")
truth = None
if s.ground_truth is None:
    print("There is no ground truth for this corpus (the study names no ground_truth file): "
          + ("the sheets are drawn for people to label; nothing is filled in or checked here." if targets
             else "nothing is checked here."))
else:
    truth = truth_labels(read_ground_truth(s.ground_truth, corpus))
    print(f"ground truth for {truth['doc_id'].nunique()} of {len(corpus)} documents ({s.ground_truth})")
    if truth.empty:
        truth = None
trajectories_path = (Path(TRAJECTORIES) if TRAJECTORIES is not None
                     else s.ground_truth.parent / "trajectories.csv" if s.ground_truth is not None else None)
trajectories = pd.read_csv(trajectories_path) if trajectories_path is not None and trajectories_path.is_file() else None
checked = truth is not None and bool(targets)  # sections 2-6 fill and check the sheets from the truth
skip_note = "skipped: " + ("no ground truth to fill the sheets from" if targets else "no sheet was drawn")
print(f"method={method}, targets={targets}, sheets go to {out}")

# %% [markdown]
# ## 1 The validation sample
# Per target, `n_validation` documents scored as mentioning it, stratified by predicted label x
# newspaper x period (balanced over the predicted labels, strata collapsed where a label has too few
# units for them), each with its sampling weight. The sheet lists them in random order without the
# prediction; the key beside it keeps prediction and weights. Same call as `analysis annotate`.

# %%
from analysis.validation.annotate import annotate, strata_summary

drawn = {}
for target in targets:
    drawn[target] = annotate(stance, corpus, target=target, n=n_validation, out_dir=out, period=s.period,
                             seed=s.seed, force=True)
    print(f"== {target}: sample {drawn[target].sample_id}, {len(drawn[target].key)} of "
          f"{drawn[target].population_size} documents")
    display(strata_summary(drawn[target].key).round(2))

# %% [markdown]
# ## 2 Labelling
# In JupyterLab, each coder labels their own copy of the sheet with the widget
# (`labelling_widget(path)`: FAVOR / AGAINST / NONE / skip / back; saved after every click;
# reopening resumes at the first unlabelled unit), or in a spreadsheet. Set `SHOW_WIDGET = True` to
# try it on a copy of the first sheet; otherwise the cell shows the first unit as the widget shows
# it. Here nobody clicks: the sheets are filled from the study's ground truth (the demo's planted
# labels) through the same session object the buttons drive; without ground truth they stay empty. Coder A labels as the truth says; coder B disagrees on a
# seeded `DISAGREEMENT` share of units and skips one.

# %%
import shutil

from IPython.display import HTML

from analysis.validation.widget import LabellingSession, labelling_widget, unit_html

if not targets:
    print("skipped: no sheet was drawn")
else:
    first = drawn[targets[0]]
    preview = out / "preview" / first.sheet_paths[1].name  # a copy, so the preview never touches a coder's sheet
    preview.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(first.sheet_paths[1], preview)
    if SHOW_WIDGET:
        display(labelling_widget(preview))
    else:
        session = LabellingSession(preview)
        print(f"progress: {session.progress[0]} of {session.progress[1]} labelled; "
              f"first unit {session.current()['unit_id']}")
        display(HTML(unit_html(session.current())))

# %%
from analysis.validation.demo import fill_sheet

coder_a, coder_b = {}, {}
if checked:
    for i, target in enumerate(targets):
        sample = drawn[target]
        xlsx, csv = sample.sheet_paths[1], sample.sheet_paths[0]
        coder_a[target] = fill_sheet(xlsx, xlsx.with_name(xlsx.stem + "_coderA.xlsx"), sample.key, truth,
                                     seed=s.seed + i)
        coder_b[target] = fill_sheet(csv, csv.with_name(csv.stem + "_coderB.csv"), sample.key, truth,
                                     disagreement=DISAGREEMENT, skip=1, seed=s.seed + 100 + i)
    print("\n".join(str(p) for p in [*coder_a.values(), *coder_b.values()]))
else:
    print(skip_note)

# %% [markdown]
# ## 3 Agreement between the coders
# Cohen's kappa (scikit-learn) on the units both labelled and Krippendorff's alpha (nominal,
# the `krippendorff` package); the same report as `analysis agreement A B`. Coder B's planted
# disagreements are what pulls them below 1.

# %%
from analysis.validation.agreement import agreement
from analysis.validation.sheets import load_filled

if checked:
    rows = []
    for target in targets:
        report = agreement([load_filled(coder_a[target]), load_filled(coder_b[target])])
        pair = report.pairs.iloc[0]
        rows.append({"target": target, "units": report.n_units, "agreement": pair["agreement"],
                     "kappa": pair["kappa"], "alpha": report.alpha, "disagreements": len(report.disagreements)})
    display(pd.DataFrame(rows).round(3))
    print(report.to_text())
else:
    print(skip_note)

# %% [markdown]
# ## 4 Accuracy on this corpus
# From coder A's sheet, as `analysis stance-eval --sheet`: precision, recall and F per label with
# every unit weighted by 1 / its inclusion probability (the sample over-represents rare predicted
# labels), stratified bootstrap intervals, and the plain sample figures beside them. Per newspaper
# and period the sample is "too small to tell" below 30 labelled units.

# %%
from analysis.validation.accuracy import accuracy_table, validation_frame

if checked:
    for target in targets:
        table = accuracy_table(validation_frame(load_filled(coder_a[target])), n_boot=s.n_boot, seed=s.seed)
        overall = table[table["group_by"] == "all"]
        print(f"== {target}")
        display(overall[["measure", "label", "support", "estimate", "ci_low", "ci_high", "sample_estimate",
                         "verdict"]].round(3))
        per = table[(table["group_by"] != "all") & (table["measure"] == "accuracy")]
        display(per[["group_by", "group", "n", "estimate", "verdict"]].round(3))
else:
    print(skip_note)

# %% [markdown]
# ## 5 Stance over time, corrected for classifier error
# `stance_over_time(..., sheet=...)` (as `analysis stance --sheet`) adds the shares of FAVOR and
# AGAINST per newspaper and period, raw and corrected with the confusion matrix estimated from the
# validation sample (matrix method), each with a 95% interval; the corrected one resamples the
# documents and the validation sample together. The headline figure then shows the net share
# (FAVOR - AGAINST) corrected on the left and raw on the right.

# %%
from analysis.figures import plots
from analysis.stance.over_time import stance_over_time
from analysis.validation.prevalence import misclassification_table

if checked:
    colors = colors_for(corpus["source"])
    sheets = [load_filled(coder_a[t]) for t in targets]
    for sheet in sheets:
        print(f"== {sheet.target}: estimated P(predicted | true)")
        display(misclassification_table(sheet, stance).round(2))
    over_time = stance_over_time(stance, corpus, period=s.period, n_boot=s.n_boot, seed=s.seed, sheet=sheets)
    shown = ["source", "target", "period", "n", "net_raw", "net_raw_ci_low", "net_raw_ci_high", "net_corrected",
             "net_corrected_ci_low", "net_corrected_ci_high"]
    display(over_time[shown].head(12).round(2))
    fig = plots.corrected_stance_figure(over_time, events=s.load_events(), colors=colors,
                                        min_n_interval=s.min_n_interval)
    s.save(fig, "nb08_corrected_stance");
else:
    print(skip_note)

# %% [markdown]
# ## 6 Against the truth
# Two truths per cell: the shares of the documents' own ground-truth labels among the documents the
# scorer counted (what the correction estimates), and the planted expectation from trajectories.csv
# (what the generator drew them around). For each: the mean absolute error of the raw and corrected
# estimates over the cells, the share of cells whose 95% interval contains the truth (coverage), and
# the mean interval width; first for the draw above, then averaged over `repeats` independent
# validation samples, at the figure's cells (newspaper x period) and at newspaper-long cells.

# %%
from analysis.validation.demo import counted_documents, error_table, planted_shares, truth_shares

if checked:
    documents = counted_documents(stance, corpus, s.period)
    references = {"truth": truth_shares(documents, truth)}
    if trajectories is not None:
        references["planted"] = planted_shares(documents, trajectories, truth)
    this_draw = pd.concat([error_table(over_time, ref, name) for name, ref in references.items()], ignore_index=True)
    this_draw = this_draw[this_draw["cells"] > 0]
    if "planted" in references and references["planted"].empty:
        print("no planted trajectories for these newspapers: compared with the ground-truth labels only")
    display(this_draw.round(3))
else:
    print(skip_note)

# %%
from analysis.validation.demo import repeated_errors, summarise_errors

if checked:
    errors = repeated_errors(stance, corpus, truth, out / "repeats", n=n_validation, period=s.period,
                             seeds=[s.seed + r for r in range(repeats)], n_boot=min(s.n_boot, 200),
                             trajectories=trajectories)
    summary = summarise_errors(errors)
    display(summary.round(3))
    for row in summary[summary["quantity"] == "net"].itertuples():
        print(f"net share, {row.cells_by} ({row.cells:.0f} cells), vs {row.reference}: MAE raw {row.mae_raw:.3f}, "
              f"corrected {row.mae_corrected:.3f} (corrected smaller in {row.corrected_better:.0%} of {repeats} draws); "
              f"coverage raw {row.coverage_raw:.2f}, corrected {row.coverage_corrected:.2f}")
else:
    print(skip_note)

# %% [markdown]
# How to read this: the correction removes the classifier's systematic error (the mislabelled
# documents do not cancel out: the scorer turns many true NONE into FAVOR, for example), but it does
# so by inverting a matrix, which also magnifies the noise of each cell's few documents and of the
# validation sample. Where a cell holds a handful of documents (the demo's newspaper x year cells)
# that noise can outweigh the bias removed; in cells of a few dozen documents the corrected estimate
# is the closer one and its interval covers the truth. Either way, the corrected interval is the
# honest one: it includes what we do not know about the classifier.

# %% [markdown]
# ## 7 Topics: intrusion sheets
# Per topic model, a word-intrusion sheet (five top words of a topic and one word from another
# topic; which one does not belong?) and a topic-intrusion sheet (a document with three of its topics
# and one it lacks), as `analysis intrusion`. Filled copies are scored with
# `analysis intrusion --score`: the share of intruders found per topic (tested against chance) says
# which topics people can read.

# %%
from analysis.validation.intrusion import write_intrusion_sheets

methods = s.topic_methods()
if methods:
    written = write_intrusion_sheets(s.processed, out, methods=methods, n_docs=8 if s.smoke else 24, seed=s.seed,
                                     force=True)
    for topic_method, paths in written.items():
        print(f"{topic_method}: {', '.join(p.name for p in paths if p.suffix == '.xlsx')}")
    from analysis.validation.sheets import read_sheet

    first_words = next(p for p in written[methods[0]] if p.name.startswith("intrusion_words") and p.suffix == ".csv")
    display(read_sheet(first_words).drop(columns="_row").head(5))
else:
    print("no topic models in this run: no intrusion sheets")
