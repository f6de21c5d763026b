# ---
# jupyter:
#   kernelspec:
#     display_name: analysis (project)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # 07 Close reading: KWIC, collocates, co-occurrence network, coding rules, correspondence analysis
# **Version 2** — the terms and coding rules are the study's (`kwic:` and `coding_rules:` in
# study.yaml); without terms the corpus's most frequent content noun is read as an example; sections
# that need two newspapers or two years say so on a corpus with one. Version 1: first version.
#
# Before trusting a topic or a stance score, read the words in context, as KH Coder users do:
# where does a term occur and what surrounds it (KWIC), which words travel with it (collocation
# statistics), which words form clusters (co-occurrence network), how often a hand-written coding
# rule fires per period and newspaper (with bootstrap intervals), and which words characterise each
# newspaper (correspondence analysis). Every step is one function of `analysis.closeread`; the CLI
# commands `analysis kwic / collocates / network / code / ca` do the same from the shell.

# %% tags=["parameters"]
STUDY = None       # study.yaml (None: the demo study; with PROCESSED set: an ad-hoc run, nothing demo-specific)
PROCESSED = None   # folder of a run's processed tables (None: the study's; data/processed for the demo)
CORPUS = None      # corpus.parquet to read (None: PROCESSED/corpus.parquet)
FIGURES = None     # folder for this notebook's figures (None: the study's reports/figures)
PERIOD = None      # period of the coded-theme shares: "auto", "M", "Q" or "Y" (None: the study's)
SEED = None        # seed of the network layout, communities and bootstrap (None: the study's)
TERMS = None       # terms read in context, e.g. ["原発"] (None: the study's kwic; none there: the most frequent noun)
RULES = None       # coding rules file (None: the study's coding_rules; none there: no coding section)
CODE = None        # the coded theme whose shares are drawn (None: the code matching most documents)
SMOKE = False      # True: fewer documents and bootstrap replicates, smaller network (CI)

# %%
from analysis.notebooks import setup

s = setup(study=STUDY, processed=PROCESSED, corpus=CORPUS, figures=FIGURES, period=PERIOD, seed=SEED, smoke=SMOKE,
          kwic=TERMS, coding_rules=RULES)

# %%
import matplotlib.pyplot as plt
from analysis.closeread import (apply_rules, build_network, ca_table, code_shares, collocates,
                                correspondence_analysis, kwic, kwic_text, plot_ca_biplot, plot_code_shares,
                                plot_network)
from analysis.closeread.coding import read_rules
from analysis.errors import InputError
from analysis.io import read_parquet
from analysis.tokenize.keywords import example_term

n_words = 30 if s.smoke else 60      # network nodes and CA rows
n_edges = 40 if s.smoke else 60      # KH Coder's default: the 60 strongest edges
corpus = s.sample(read_parquet(s.require(s.corpus, "ingest")))
tokens = read_parquet(s.require(s.processed / "tokens.parquet", "tokenize"))
tokens = tokens[tokens["doc_id"].isin(set(corpus["doc_id"]))].reset_index(drop=True)
dated = corpus["published"].dropna()
span = f", {dated.min():%Y-%m} to {dated.max():%Y-%m}" if len(dated) else ", undated"
n_papers = corpus["source"].nunique()
print(f"{len(corpus)} documents from {n_papers} newspaper{'s' if n_papers != 1 else ''}{span}; words={n_words}")

terms = list(s.kwic)
if terms:
    print(f"terms read in context: {', '.join(terms)} (kwic in {s.study.path or 'the parameters'})")
else:
    chosen = example_term(tokens)
    terms = [chosen] if chosen else []
    print(f"the study names no KWIC terms (kwic: in study.yaml), so this notebook reads the corpus's most frequent "
          f"content noun as an example: {chosen}" if chosen else
          "the study names no KWIC terms and the corpus has no frequent content noun: the term sections are skipped")
term = terms[0] if terms else None

# %% [markdown]
# ## 1. KWIC: the term in context
# Raw-string matching with 20 characters each side; sorted by the right context so the
# constructions that follow the term (the term **の**…, the term **を**…) group together.

# %%
hits = None
for each in terms:
    found = kwic(corpus, each, window=20, sort="right")
    print(f"{each}: {len(found)} occurrences in {found['doc_id'].nunique()} documents")
    print(kwic_text(found, limit=15))
    hits = found if each == term else hits
if term is None:
    print("skipped: no term")

# %%
hits.groupby("source").size().rename("occurrences").to_frame() if hits is not None else None

# %% [markdown]
# ## 2. Collocates
# Words within ±5 tokens of the term: observed frequency, expected frequency, PMI,
# log-likelihood (G2), t-score, KH Coder's distance-weighted score, and the document-level
# Jaccard coefficient. Sorted by G2; PMI alone favours rare words, G2 and t favour reliable ones.

# %%
colloc = None
if term is None:
    print("skipped: no term")
else:
    try:
        colloc = collocates(tokens, term, window=5, sort="llr")
    except InputError as reason:
        print(f"skipped: {reason}")
colloc.head(15).drop(columns=["term"]).round(3) if colloc is not None else None

# %% [markdown]
# ## 3. Co-occurrence network
# The most frequent words linked by the Jaccard coefficient of their documents (the strongest
# edges only); colours are modularity communities, disc area is word frequency. The layout is
# seeded, so the figure is the same on every run.

# %%
nodes, edges = build_network(tokens, top=n_words, top_edges=n_edges, seed=s.seed)
fig, ax = plt.subplots(figsize=(8, 7))
plot_network(nodes, edges, ax=ax, title=f"共起ネットワーク（頻出上位{n_words}語、Jaccard上位{len(edges)}本）")
s.save(fig, "nb07_network");

# %% [markdown]
# The neighbourhood of the term, each word coloured by the newspaper that uses it most (share of
# that paper's editorials containing the word); with one newspaper, by community instead.

# %%
one_paper = corpus["source"].nunique() < 2
if term is None:
    print("skipped: no term")
else:
    groups = None if one_paper else dict(zip(corpus["doc_id"], corpus["source"]))
    try:
        nodes_t, edges_t = build_network(tokens, term=term, top=n_words // 2, top_edges=n_edges, groups=groups,
                                         seed=s.seed)
    except InputError as reason:
        print(f"skipped: {reason}")
    else:
        if one_paper:
            print("one newspaper in the corpus: colouring words by newspaper would say nothing, so the colours "
                  "are communities")
        fig, ax = plt.subplots(figsize=(8, 7))
        plot_network(nodes_t, edges_t, ax=ax, color_by="community" if one_paper else "group",
                     title=f"「{term}」の共起語" + ("" if one_paper else "（最も多く使う新聞で色分け）"))
        s.save(fig, "nb07_network_term" if one_paper else "nb07_network_term_by_source");

# %% [markdown]
# ## 4. Coding rules over time
# The rules file names themes by boolean expressions (`|` OR, `&` AND, `!` NOT, parentheses,
# quoted phrases, `near(a, b, n)`). Each document either matches a code or not; the share of a
# newspaper's editorials matching it per period comes with a 95% bootstrap interval over documents.

# %%
shares, code = None, None
if s.coding_rules is None:
    print("the study names no coding rules (coding_rules: in study.yaml): this section is skipped")
else:
    rules = read_rules(s.coding_rules)
    for rule in rules:
        print(rule)
    coded = apply_rules(rules, tokens, corpus=corpus, unit="doc")
    shares = code_shares(coded, corpus, by=["source", "period"], period=s.period, n_boot=s.n_boot, seed=s.seed)
    matched = coded.groupby("code", sort=False)["hit"].sum().rename("documents")
    display(matched.to_frame())
    code = CODE if CODE is not None else sorted(matched.items(), key=lambda item: (-item[1], item[0]))[0][0]
    print(f"drawn: {code}" + ("" if CODE is not None else " (the code matching most documents)"))

# %%
if shares is not None:
    fig, ax = plt.subplots(figsize=(7, 3.6))
    plot_code_shares(shares, code=code, ax=ax)
    s.save(fig, "nb07_code_share")
    display(shares[shares["code"] == code].round(3))

# %% [markdown]
# ## 5. Correspondence analysis: which words characterise which newspaper
# Words (grey; area by mass) and newspapers (coloured) in the symmetric map of the words x
# newspapers table. A word near a paper is used relatively more by it; the axis labels give
# the share of inertia (chi2 / n) each dimension explains. It needs at least two newspapers.

# %%
try:
    table = ca_table(tokens, corpus, by="source", top=n_words)
    coords, inertia = correspondence_analysis(table)
except InputError as reason:  # TooFewGroupsError: one newspaper or one year
    print(f"skipped: {reason}")
else:
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    plot_ca_biplot(coords, inertia, ax=ax, max_words=25)
    s.save(fig, "nb07_ca_by_source")
    display(inertia.round(4))

# %% [markdown]
# By year instead of newspaper: how the vocabulary moved over the period (needs at least two years).

# %%
try:
    table_y = ca_table(tokens, corpus, by="period", period="Y", top=n_words)
    coords_y, inertia_y = correspondence_analysis(table_y)
except InputError as reason:  # TooFewGroupsError: one newspaper or one year
    print(f"skipped: {reason}")
else:
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    plot_ca_biplot(coords_y, inertia_y, ax=ax, max_words=25, title="対応分析（語 × 年）")
    s.save(fig, "nb07_ca_by_year");
