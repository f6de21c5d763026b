"""Covariate effects (issue 14, item 6): planted newspaper differences and time trends come back, with
intervals that cover them; the figures only draw, in Japanese."""

from __future__ import annotations

import itertools
import pickle
import re
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.errors import InputError
from analysis.topics.effects import (coefficients, difference, estimate_effect, estimate_stance_effect,
                                     expected_prevalence, expected_stance, topic_proportions)

DEMO = config.paths().demo
PAPERS = ["甲新聞", "乙新聞", "丙新聞"]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _planted(source: str, t: np.ndarray) -> np.ndarray:
    """Expected proportions of topics 0 (輸出規制), 1 (AI競争), 2 (地方交通) for a paper at years t.

    輸出規制: 0.45 in 甲新聞, 0.25 elsewhere (a source effect of +0.20); AI競争: 0.15 rising by 0.10 a year
    in every paper (a time trend); 地方交通: the rest.
    """
    export = np.full_like(t, 0.45 if source == "甲新聞" else 0.25)
    ai = 0.15 + 0.10 * t
    return np.column_stack([export, ai, 1.0 - export - ai])


SMALL_START = pd.Timestamp("2020-01-01", tz="Asia/Tokyo")
STANCE_START = pd.Timestamp("2021-01-01", tz="Asia/Tokyo")


def _years_since(dates: pd.Series, start: pd.Timestamp) -> np.ndarray:
    """Planted time (years since the generator's start), for the tz-naive Tokyo dates of the results."""
    return ((dates - start.tz_localize(None)) / pd.Timedelta(days=365.25)).to_numpy(float)


def _small_corpus(n_per_paper: int = 70, seed: int = 3):
    rng = np.random.default_rng(seed)
    start = SMALL_START
    rows, long = [], []
    for p, source in enumerate(PAPERS):
        days = np.sort(rng.integers(0, 4 * 365, size=n_per_paper))
        t = days / 365.25
        theta = np.array([rng.dirichlet(30 * m) for m in _planted(source, t)])
        for i, (day, props) in enumerate(zip(days, theta)):
            doc_id = f"{p}{i:015x}"
            rows.append({"doc_id": doc_id, "source": source, "published": start + pd.Timedelta(days=int(day))})
            long += [{"doc_id": doc_id, "topic": k, "weight": float(w)} for k, w in enumerate(props)]
    corpus = pd.DataFrame(rows)
    doc_topics = pd.DataFrame(long)
    doc_topics["dominant"] = doc_topics.groupby("doc_id")["weight"].transform("max") == doc_topics["weight"]
    return corpus, doc_topics


LABELS = {0: "輸出規制", 1: "AI競争", 2: "地方交通"}


@pytest.fixture(scope="module")
def small():
    corpus, doc_topics = _small_corpus()
    return corpus, doc_topics, estimate_effect(doc_topics, corpus, labels=LABELS, n_sims=60, seed=11)


def test_planted_source_effect_is_recovered_with_its_sign_and_covered(small):
    _, _, effect = small
    gap = difference(effect, "甲新聞", "乙新聞").set_index("topic")
    assert list(gap.columns) == ["label", "a", "b", "date", "estimate", "ci_low", "ci_high"]
    assert gap.loc[0, "label"] == "輸出規制" and gap["date"].isna().all()
    assert gap.loc[0, "ci_low"] > 0.05  # the planted +0.20, clearly not zero
    assert gap.loc[0, "ci_low"] <= 0.20 <= gap.loc[0, "ci_high"]
    assert gap.loc[2, "ci_high"] < 0  # 地方交通 takes the rest, so 甲新聞 has less of it
    same = difference(effect, "乙新聞", "丙新聞").set_index("topic")
    assert all(same.loc[k, "ci_low"] <= 0 <= same.loc[k, "ci_high"] for k in LABELS)  # nothing planted


def test_planted_time_trend_is_recovered_and_the_band_covers_the_truth(small):
    _, _, effect = small
    expected = expected_prevalence(effect, 25)
    assert list(expected.columns) == ["topic", "label", "source", "date", "estimate", "ci_low", "ci_high"]
    assert len(expected) == 3 * 3 * 25
    covered = []
    for (topic, source), rows in expected.groupby(["topic", "source"]):
        rows = rows.sort_values("date")
        truth = _planted(source, _years_since(rows["date"], SMALL_START))[:, topic]
        covered.append((rows["ci_low"] <= truth) & (truth <= rows["ci_high"]))
        if topic == 1:  # AI競争 rises by about 0.4 over four years in every paper
            assert rows["estimate"].iloc[-1] - rows["estimate"].iloc[0] > 0.25
    assert pd.concat(covered).mean() >= 0.9
    over_time = difference(effect, "甲新聞", "丙新聞", grid=5)
    assert over_time["date"].notna().all() and len(over_time) == 3 * 5


def test_demo_ground_truth_theme_mix_differences_come_back_with_the_right_sign():
    """The committed demo truth: a topic model that found each page's theme (with noise) recovers, by
    paper, the differences in theme mix the generator planted (realised shares of ground_truth.csv)."""
    truth = pd.read_csv(DEMO / "ground_truth.csv")
    themes = sorted(truth["theme"].unique())
    corpus = pd.DataFrame({"doc_id": truth["file"], "source": truth["source"],
                           "published": pd.to_datetime(truth["published"])})
    rng = np.random.default_rng(5)
    centre = 0.3 / len(themes) + 0.7 * (truth["theme"].to_numpy()[:, None] == np.array(themes)[None, :])
    weights = np.array([rng.dirichlet(20 * m) for m in centre])
    doc_topics = pd.DataFrame({"doc_id": np.repeat(truth["file"].to_numpy(), len(themes)),
                               "topic": np.tile(np.arange(len(themes)), len(truth)), "weight": weights.ravel()})
    effect = estimate_effect(doc_topics, corpus, labels=dict(enumerate(themes)), n_sims=40, seed=2)
    share = pd.crosstab(truth["source"], truth["theme"], normalize="index")
    rows = []
    for a, b in itertools.combinations(sorted(truth["source"].unique()), 2):
        for _, r in difference(effect, a, b).iterrows():
            planted = share.loc[a, r["label"]] - share.loc[b, r["label"]]
            # the topic's weight is 0.7 x the theme indicator + a constant: its difference is 0.7 x the planted one
            rows.append((planted, r["estimate"], r["ci_low"] <= 0.7 * planted <= r["ci_high"]))
    table = pd.DataFrame(rows, columns=["planted", "estimate", "covered"])
    assert len(table) == 3 * len(themes)
    clear = table[table["planted"].abs() >= 0.03]
    assert len(clear) >= 12
    assert (np.sign(clear["planted"]) == np.sign(clear["estimate"])).all()
    assert table["covered"].mean() >= 0.9


def _stance_data(seed: int = 4):
    rng = np.random.default_rng(seed)
    start = STANCE_START
    planted = {"甲新聞": 0.4, "乙新聞": -0.3}
    corpus, stance = [], []
    for p, (source, level) in enumerate(planted.items()):
        for i in range(60):
            day = int(rng.integers(0, 3 * 365))
            doc_id = f"s{p}{i:014x}"
            corpus.append({"doc_id": doc_id, "source": source, "published": start + pd.Timedelta(days=day)})
            score = level + 0.1 * day / 365.25 + rng.uniform(-0.3, 0.3)  # classification noise, symmetric
            stance.append({"doc_id": doc_id, "target": "輸出規制", "method": "rules", "score": score,
                           "label": "FAVOR" if score > 0 else "AGAINST", "n_mentions": 1})
            stance.append({"doc_id": doc_id, "target": "AI規制", "method": "rules", "score": 0.9,
                           "label": "NONE", "n_mentions": 0})  # not mentioned: never used
    return pd.DataFrame(corpus), pd.DataFrame(stance)


def test_stance_effect_recovers_the_planted_newspaper_gap_and_trend():
    corpus, stance = _stance_data()
    effect = estimate_stance_effect(stance, corpus, formula="~ source + bs(t, df=3)", n_sims=80, seed=1)
    assert effect.outcomes == ["輸出規制"]  # AI規制 was never mentioned
    gap = difference(effect, "甲新聞", "乙新聞")
    assert list(gap.columns) == ["target", "a", "b", "date", "estimate", "ci_low", "ci_high"]
    assert gap["ci_low"].iloc[0] > 0.4 and gap["ci_low"].iloc[0] <= 0.7 <= gap["ci_high"].iloc[0]
    expected = expected_stance(effect, 10)
    assert list(expected.columns) == ["target", "source", "date", "estimate", "ci_low", "ci_high"]
    first, last = expected.sort_values("date").groupby("source")["estimate"].agg(["first", "last"]).T.to_numpy()
    assert ((last - first) > 0.1).all()  # the planted +0.3 over three years
    with pytest.raises(InputError, match="expected_stance"):
        expected_prevalence(effect)
    with pytest.raises(InputError, match="methods"):
        estimate_stance_effect(pd.concat([stance, stance.assign(method="syntax")]), corpus)


def test_intervals_cover_the_planted_values_in_repeated_samples():
    """Coverage over replicate corpora (one corpus's misses come in runs along the time axis, so coverage
    is a property of repeated samples): the 95% intervals of the newspaper gap and of the expected value
    at the middle date hold the planted value in most replicates (about 95% in a 60-replicate run)."""
    topic_hits, stance_hits = [], []
    for r in range(12):
        corpus, doc_topics = _small_corpus(n_per_paper=30, seed=100 + r)
        effect = estimate_effect(doc_topics, corpus, labels=LABELS, n_sims=40, seed=r)
        gap = difference(effect, "甲新聞", "乙新聞").set_index("topic")
        topic_hits.append(gap.loc[0, "ci_low"] <= 0.20 <= gap.loc[0, "ci_high"])
        middle = corpus["published"].min() + (corpus["published"].max() - corpus["published"].min()) / 2
        at = expected_prevalence(effect, [middle])
        truth = [_planted(s, _years_since(pd.Series([d]), SMALL_START))[0, k]
                 for s, d, k in zip(at["source"], at["date"], at["topic"])]
        topic_hits += list((at["ci_low"] <= truth) & (truth <= at["ci_high"]))
    for r in range(16):
        corpus, stance = _stance_data(seed=200 + r)
        effect = estimate_stance_effect(stance, corpus, formula="~ source + bs(t, df=3)", n_sims=40, seed=r)
        gap = difference(effect, "甲新聞", "乙新聞")
        stance_hits.append(gap["ci_low"].iloc[0] <= 0.7 <= gap["ci_high"].iloc[0])
        middle = corpus["published"].min() + (corpus["published"].max() - corpus["published"].min()) / 2
        at = expected_stance(effect, [middle])
        truth = (at["source"].map({"甲新聞": 0.4, "乙新聞": -0.3}).to_numpy(float)
                 + 0.1 * _years_since(at["date"], STANCE_START))
        stance_hits += list((at["ci_low"] <= truth) & (truth <= at["ci_high"]))
    assert np.mean(topic_hits) >= 0.85, np.mean(topic_hits)
    assert np.mean(stance_hits) >= 0.85, np.mean(stance_hits)


def test_deterministic_with_the_seed_and_assignment_noise_widens_intervals(small):
    corpus, doc_topics, effect = small
    again = estimate_effect(doc_topics, corpus, labels=LABELS, n_sims=60, seed=11)
    pd.testing.assert_frame_equal(expected_prevalence(effect, 5), expected_prevalence(again, 5))
    other = estimate_effect(doc_topics, corpus, labels=LABELS, n_sims=60, seed=12)
    assert not expected_prevalence(effect, 5)["ci_low"].equals(expected_prevalence(other, 5)["ci_low"])
    reordered = estimate_effect(doc_topics.iloc[::-1], corpus.iloc[::-1], labels=LABELS, n_sims=60, seed=11)
    pd.testing.assert_frame_equal(expected_prevalence(effect, 5), expected_prevalence(reordered, 5))

    def width(concentration):
        fit = estimate_effect(doc_topics, corpus, labels=LABELS, n_sims=60, seed=11, concentration=concentration)
        gap = difference(fit, "甲新聞", "乙新聞")
        return float((gap["ci_high"] - gap["ci_low"]).mean())

    assert width(3.0) > width(np.inf)
    assert "Dirichlet" in effect.simulation and "N(beta_hat, V_hat)" in effect.simulation
    restored = pickle.loads(pickle.dumps(effect))
    pd.testing.assert_frame_equal(difference(restored, "甲新聞", "乙新聞"), difference(effect, "甲新聞", "乙新聞"))
    table = coefficients(effect)
    assert {"topic", "term", "point", "estimate", "ci_low", "ci_high"} == set(table.columns)
    assert "source[T.乙新聞]" in set(table["term"])


def test_dominant_value_and_missing_topics_and_documents():
    corpus, doc_topics = _small_corpus(n_per_paper=40)
    sparse = doc_topics[doc_topics["weight"] > 0.2]  # missing topic rows are zero weight
    assert topic_proportions(sparse, corpus["doc_id"]).shape == (120, 3)
    effect = estimate_effect(sparse, corpus.iloc[:-5], labels=LABELS, topics=[0], value="dominant", n_sims=20)
    assert effect.outcomes == [0] and effect.documents["doc_id"].nunique() == 115
    expected = expected_prevalence(effect, 4)
    assert expected["estimate"].between(-0.5, 1.5).all()
    # grid dates outside the documents are left out (the spline is not defined there)
    outside = expected_prevalence(effect, [pd.Timestamp("2019-01-01"), corpus["published"].iloc[3]])
    assert len(outside) == 3


def test_inputs_that_cannot_work_say_what_to_do(small):
    corpus, doc_topics, effect = small
    with pytest.raises(InputError, match="newspapers"):
        difference(effect, "甲新聞", "朝日新聞")
    with pytest.raises(InputError, match="published"):
        estimate_effect(doc_topics, corpus.drop(columns="published"))
    with pytest.raises(InputError, match="value"):
        estimate_effect(doc_topics, corpus, value="mass")
    with pytest.raises(InputError, match="available"):
        estimate_effect(doc_topics, corpus, topics=[7])
    with pytest.raises(InputError, match="formula"):
        estimate_effect(doc_topics, corpus, formula="~ source + bs(year, df=4)", n_sims=2)
    with pytest.raises(InputError, match="concentration"):
        estimate_effect(doc_topics, corpus, concentration={"x": 1.0}, n_sims=2)


def test_figures_only_draw_in_japanese(small):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures import effects_plots
    from analysis.figures.style import colors_for, use_style

    use_style()
    corpus, _, effect = small
    colors = colors_for(corpus["source"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = effects_plots.expected_prevalence_figure(expected_prevalence(effect, 20), colors=colors)
        fig.canvas.draw()
        axes = [ax for ax in fig.axes if ax.get_visible()]
        assert [ax.get_title() for ax in axes] == ["0: 輸出規制", "1: AI競争", "2: 地方交通"]
        assert all(len([c for c in ax.collections if (c.get_gid() or "").startswith("band:")]) == 3 for ax in axes)
        forest = effects_plots.difference_figure(difference(effect, "甲新聞", "乙新聞"))
        forest.canvas.draw()
        ax = forest.axes[0]
        assert ax.get_xlabel() == "差（甲新聞 − 乙新聞、ポイント）"
        assert [t.get_text() for t in ax.get_yticklabels()] == ["0: 輸出規制", "1: AI競争", "2: 地方交通"]
        filled = [line for line in ax.lines if line.get_gid() == "clear"][0]
        assert len(filled.get_xdata()) >= 2  # 輸出規制 and 地方交通 differ clearly
        over_time = effects_plots.difference_figure(difference(effect, "甲新聞", "乙新聞", grid=10))
        over_time.canvas.draw()
        with pytest.raises(InputError, match="plot_difference_over_time"):
            effects_plots.plot_difference(difference(effect, "甲新聞", "乙新聞", grid=10))
        stance_corpus, stance = _stance_data()
        stance_effect = estimate_stance_effect(stance, stance_corpus, n_sims=20)
        stance_fig = effects_plots.expected_prevalence_figure(expected_stance(stance_effect, 10), ncols=1)
        stance_fig.canvas.draw()
        assert stance_fig.axes[0].get_ylim() == (-1.05, 1.05)
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]
    assert glyphs == []
    assert JAPANESE.search(fig._suptitle.get_text())
    plt.close("all")


# --------------------------------------------------------------------------------------------
# The demo run: ingest, tokenize and NMF topics of the committed demo pages (about 25 s), then the
# planted theme-mix differences between papers against the estimated ones.

def demo_sign_table(processed: Path, truth: pd.DataFrame, *, n_sims: int = 100, seed: int = config.SEED) -> pd.DataFrame:
    """theme, topic, label, a, b, planted, estimate, ci_low, ci_high, sign_agrees for each seeded topic and paper pair.

    A seeded topic carries its theme's name, or the name of the theme's stance target (半導体補助金 for
    the theme 半導体産業, ``banks.THEME_TARGET``); ``planted`` is the difference of the two papers'
    shares of pages of that theme in ground_truth.csv.
    """
    from analysis.demo import banks

    corpus = pd.read_parquet(processed / "corpus.parquet")
    doc_topics = pd.read_parquet(processed / "topics" / "nmf" / "doc_topics.parquet")
    labels = pd.read_csv(processed / "topics" / "nmf" / "topic_labels.csv")
    seeded = labels[labels["seeded"]]
    theme_of = {**{t: t for t in banks.THEMES}, **{v: k for k, v in banks.THEME_TARGET.items() if v}}
    effect = estimate_effect(doc_topics, corpus, labels=dict(zip(labels["topic"], labels["label"])),
                             topics=seeded["topic"].tolist(), n_sims=n_sims, seed=seed)
    share = pd.crosstab(truth["source"], truth["theme"], normalize="index")
    rows = []
    for a, b in itertools.combinations(sorted(corpus["source"].unique()), 2):
        for _, r in difference(effect, a, b).iterrows():
            theme = theme_of[r["label"]]
            planted = float(share.loc[a, theme] - share.loc[b, theme])
            rows.append((theme, r["topic"], r["label"], a, b, planted, r["estimate"], r["ci_low"], r["ci_high"],
                         bool(np.sign(planted) == np.sign(r["estimate"]))))
    return pd.DataFrame(rows, columns=["theme", "topic", "label", "a", "b", "planted", "estimate", "ci_low",
                                       "ci_high", "sign_agrees"])


@pytest.mark.slow
def test_demo_run_planted_theme_differences_come_back_with_the_right_sign(tmp_path):
    from analysis.cli import main

    processed = tmp_path / "data" / "processed"
    assert main(["ingest", str(DEMO / "pages"), "--out", str(processed)]) == 0
    assert main(["tokenize", "--root", str(tmp_path), "--cache", str(tmp_path / "cache"), "--no-progress"]) == 0
    assert main(["topics", "--method", "nmf", "--root", str(tmp_path)]) == 0
    start = time.perf_counter()
    table = demo_sign_table(processed, pd.read_csv(DEMO / "ground_truth.csv"))
    assert time.perf_counter() - start < 60
    assert set(table["theme"]) == {"AI競争", "輸出規制", "半導体産業", "AI規制"}
    assert len(table) == 12
    assert table["sign_agrees"].all(), table.to_string()
