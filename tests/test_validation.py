"""Validation of measures (issue 12): agreement, weighted accuracy, prevalence correction, sheets, intrusion.

Numbers are computed by hand in the comments; the synthetic processed folder of _synthetic_run is the
corpus for the end-to-end command tests.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import InputError
from analysis.validation.accuracy import accuracy_table, metrics, weighted_confusion
from analysis.validation.agreement import cohen_kappa, krippendorff_alpha
from analysis.validation.annotate import allocate, annotate, draw_sample
from analysis.validation.intrusion import read_filled_intrusion, score_intrusion, word_intrusion
from analysis.validation.prevalence import corrected_shares, misclassification_matrix, solve_shares
from analysis.validation.sheets import (FilledSheet, load_filled, read_sheet, write_key, write_sheet,
                                        write_sheet_file)
from analysis.validation.widget import LabellingSession

from _synthetic_run import make_processed

L = ("FAVOR", "AGAINST", "NONE")


# ---------------------------------------------------------------- agreement


def test_cohen_kappa_by_hand():
    # 10 units, two coders:            B: FAVOR AGAINST NONE
    #                        A: FAVOR      4      1      0      (5)
    #                           AGAINST    0      3      1      (4)
    #                           NONE       0      0      1      (1)
    #                                     (4)    (4)    (2)
    # p_o = (4 + 3 + 1) / 10 = 0.8;  p_e = (5*4 + 4*4 + 1*2) / 100 = 0.38
    # kappa = (0.8 - 0.38) / (1 - 0.38) = 0.42 / 0.62 = 0.677419...
    a = ["FAVOR"] * 5 + ["AGAINST"] * 4 + ["NONE"]
    b = ["FAVOR"] * 4 + ["AGAINST"] + ["AGAINST"] * 3 + ["NONE"] + ["NONE"]
    assert cohen_kappa(pd.Series(a), pd.Series(b), labels=L) == pytest.approx(0.42 / 0.62)
    # units one coder did not label (NaN) are left out, not counted as disagreement
    assert cohen_kappa(pd.Series(a + ["FAVOR"]), pd.Series(b + [np.nan]), labels=L) == pytest.approx(0.42 / 0.62)


def test_krippendorff_alpha_matches_krippendorffs_own_worked_example():
    # Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
    # Communication, University of Pennsylvania, section C, "Nominal data, any number of observers,
    # missing data": 4 observers (A-D) x 12 units, values 1-5, "." missing; alpha = 0.743.
    nan = np.nan
    observers = {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        "C": [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    }
    table = pd.DataFrame(observers).apply(lambda col: col.map(lambda v: f"v{int(v)}" if pd.notna(v) else np.nan))
    assert round(krippendorff_alpha(table), 3) == 0.743


def test_krippendorff_alpha_by_hand_on_a_small_table():
    # units: (F,F) (A,A) (N,F) (F,F): pairable values n = 8: F 5, A 2, N 1
    # observed disagreement: the (N,F) unit contributes o_NF = o_FN = 1 -> D_o = 2/8
    # expected: D_e = (2*(5*2 + 5*1 + 2*1)) / (8*7) = 34/56;  alpha = 1 - (2/8)/(34/56) = 20/34
    table = pd.DataFrame({"a": ["FAVOR", "AGAINST", "NONE", "FAVOR"], "b": ["FAVOR", "AGAINST", "FAVOR", "FAVOR"]})
    assert krippendorff_alpha(table) == pytest.approx(20 / 34)


# ---------------------------------------------------------------- sampling and sheets


def _population(n_per=12):
    rows = []
    for i in range(3 * n_per):
        rows.append({"doc_id": f"d{i:03d}", "source": ["東西新聞", "南北日報"][i % 2], "period": str(2020 + (i // 2) % 3),
                     "predicted": L[i % 3], "score": 0.0})
    return pd.DataFrame(rows)


def test_allocation_and_weights_speak_for_the_population():
    assert allocate(pd.Series([50, 30, 20]), 10).tolist() == [5, 3, 2]
    assert allocate(pd.Series([50, 1, 1]), 5).tolist() == [3, 1, 1]  # at least one each when n allows
    population = _population()
    sample = draw_sample(population, 12, seed=3)
    assert sample.groupby("predicted").size().to_dict() == {"AGAINST": 4, "FAVOR": 4, "NONE": 4}
    assert (sample["inclusion_prob"] > 0).all() and (sample["inclusion_prob"] <= 1).all()
    # each stratum's weights add up to its size; all strata together to the population
    per = sample.groupby("stratum").agg(w=("weight", "sum"), size=("stratum_size", "first"))
    assert np.allclose(per["w"], per["size"]) and sample["weight"].sum() == pytest.approx(len(population))
    # every unit of the population lies in a stratum that was sampled (collapsed where needed)
    assert sample.drop_duplicates("stratum")["stratum_size"].sum() == len(population)
    again = draw_sample(population.sample(frac=1, random_state=1), 12, seed=3)  # row order does not matter
    assert sorted(again["doc_id"]) == sorted(sample["doc_id"])
    assert sorted(draw_sample(population, 12, seed=4)["doc_id"]) != sorted(sample["doc_id"])


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("processed")
    truth = make_processed(folder)
    return folder, truth


def _draw(processed, out, n=24, target="輸出規制"):
    folder, _ = processed
    stance = pd.read_parquet(folder / "stance.parquet")
    corpus = pd.read_parquet(folder / "corpus.parquet")
    return annotate(stance, corpus, target=target, n=n, out_dir=out, seed=5), stance, corpus


def test_annotate_writes_a_sheet_without_the_prediction_and_a_key_with_it(processed, tmp_path):
    drawn, stance, corpus = _draw(processed, tmp_path)
    csv, xlsx = drawn.sheet_paths
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Japanese
    sheet = read_sheet(csv)
    assert list(sheet.columns) == ["unit_id", "source", "date", "headline", "target", "mentions", "text", "label",
                                   "note", "_row"]
    assert (sheet["label"] == "").all() and len(sheet) == 24
    assert not {"predicted", "score", "weight"} & set(sheet.columns)
    assert set(drawn.key["predicted"]) <= set(L) and drawn.key["weight"].gt(0).all()
    assert drawn.key_path.name == f"annotation_輸出規制_document_{drawn.sample_id}.key.csv"
    assert read_sheet(xlsx).equals(sheet)
    with pytest.raises(InputError, match="already exists"):  # a coder's work is never overwritten
        annotate(stance, corpus, target="輸出規制", n=24, out_dir=tmp_path, seed=5)
    with pytest.raises(InputError, match="not in stance.parquet"):
        annotate(stance, corpus, target="原発", n=5, out_dir=tmp_path, seed=5)


def test_xlsx_round_trips_japanese_and_restricts_the_label_column(tmp_path):
    from openpyxl import load_workbook

    frame = pd.DataFrame({"unit_id": ["S0000001-0001", "S0000001-0002"],
                          "sentence": ["輸出規制の強化は妥当だ。", "＝半導体補助金は見直すべきだ、と㈱は言う。"],
                          "label": ["", ""]})
    paths = write_sheet(frame, tmp_path / "シート")
    back = read_sheet(tmp_path / "シート.xlsx")
    assert back["sentence"].tolist() == frame["sentence"].tolist()
    ws = load_workbook(paths[1])["annotation"]
    validation = ws.data_validations.dataValidation[0]
    assert validation.formula1 == '"FAVOR,AGAINST,NONE,SKIP"' and str(validation.sqref) == "C2:C3"
    assert ws["B3"].data_type == "s"  # text starting like a formula stays text
    first = paths[1].read_bytes()
    write_sheet(frame, tmp_path / "シート")
    assert paths[1].read_bytes() == first  # deterministic bytes (no save time inside)
    with zipfile.ZipFile(paths[1]) as z:
        assert b"2000-01-01T00:00:00Z" in z.read("docProps/core.xml")
    # a CSV saved back by Excel on Japanese Windows is CP932
    (tmp_path / "cp932.csv").write_bytes("unit_id,sentence,label\nS0000001-0001,輸出規制は必要だ。,FAVOR\n".encode("cp932"))
    assert read_sheet(tmp_path / "cp932.csv")["sentence"].tolist() == ["輸出規制は必要だ。"]


def _fill(sheet, path, labels):
    """A coder's copy of ``sheet`` at ``path`` with ``labels`` in the label column."""
    frame = read_sheet(sheet).drop(columns="_row")
    frame["label"] = labels
    write_sheet_file(frame, path)
    return path


def test_sheet_errors_name_the_row(processed, tmp_path):
    drawn, _, _ = _draw(processed, tmp_path)
    csv = drawn.sheet_paths[0]
    base = read_sheet(csv).drop(columns="_row")

    def broken(edit, name):
        frame = base.copy()
        frame["label"] = "FAVOR"
        frame = edit(frame)
        path = tmp_path / name
        write_sheet_file(frame, path)
        return path

    bad_label = broken(lambda f: f.assign(label=["FAVOR", "AGAINST", "FAVOUR"] + ["NONE"] * (len(f) - 3)), "a.csv")
    with pytest.raises(InputError, match=r"a\.csv row 4 \(unit_id .*-0003\): label 'FAVOUR' is not one of FAVOR"):
        load_filled(bad_label)
    duplicated = broken(lambda f: pd.concat([f, f.iloc[[1]]], ignore_index=True), "b.csv")
    with pytest.raises(InputError, match=r"b\.csv rows 3, 26: unit_id .*-0002 appears 2 times"):
        load_filled(duplicated)
    stranger = broken(lambda f: f.assign(unit_id=f["unit_id"].where(f.index != 5, f["unit_id"].iloc[0][:-4] + "9999")),
                      "c.csv")
    with pytest.raises(InputError, match=r"c\.csv row 7: unit_id .*-9999 is not in the sample"):
        load_filled(stranger)
    lowercase = broken(lambda f: f.assign(label=" favor "), "d.csv")  # case and spaces are forgiven
    assert set(load_filled(lowercase).units["label"]) == {"FAVOR"}
    other = broken(lambda f: f.assign(unit_id="S9999999-" + f["unit_id"].str[-4:]), "e.csv")
    with pytest.raises(InputError, match="no key for sample S9999999"):
        load_filled(other)


# ---------------------------------------------------------------- accuracy


def test_weighted_precision_and_recall_by_hand():
    # predicted FAVOR stratum: 100 documents, 4 drawn (weight 25): 3 truly FAVOR, 1 NONE
    # predicted NONE stratum: 20 documents, 4 drawn (weight 5): 2 truly FAVOR, 2 NONE
    # estimated population: FAVOR->FAVOR 75, NONE->FAVOR 25, FAVOR->NONE 10, NONE->NONE 10
    # precision(FAVOR) = 75/100 = 0.75; recall(FAVOR) = 75/(75+10) = 0.882; the plain sample says 3/5 = 0.6
    v = pd.DataFrame({"true": ["FAVOR"] * 3 + ["NONE"] + ["FAVOR"] * 2 + ["NONE"] * 2,
                      "predicted": ["FAVOR"] * 4 + ["NONE"] * 4,
                      "weight": [25.0] * 4 + [5.0] * 4, "stratum": ["F"] * 4 + ["N"] * 4,
                      "source": ["東西新聞"] * 8})
    m = metrics(weighted_confusion(v["true"], v["predicted"], v["weight"]))
    assert float(m["precision"]["FAVOR"]) == pytest.approx(0.75)
    assert float(m["recall"]["FAVOR"]) == pytest.approx(75 / 85)
    table = accuracy_table(v, min_n=5, min_support=3, n_boot=200, seed=1)
    row = table[(table["group"] == "all") & (table["measure"] == "recall") & (table["label"] == "FAVOR")].iloc[0]
    assert row["estimate"] == pytest.approx(75 / 85) and row["sample_estimate"] == pytest.approx(0.6)
    assert row["ci_low"] <= row["estimate"] <= row["ci_high"]
    small = accuracy_table(v, min_n=30, n_boot=50, seed=1)
    acc = small[(small["group_by"] == "source") & (small["measure"] == "accuracy")].iloc[0]
    assert np.isnan(acc["estimate"]) and acc["verdict"] == "too small to tell: 8 labelled units < 30"


# ---------------------------------------------------------------- prevalence correction


def test_solve_shares_inverts_inside_the_simplex_and_projects_outside():
    M = np.array([[0.8, 0.1, 0.2], [0.1, 0.8, 0.2], [0.1, 0.1, 0.6]])
    p = np.array([0.5, 0.3, 0.2])
    assert np.allclose(solve_shares(M, M @ p), p)
    q = np.array([0.95, 0.05, 0.0])  # no p in the simplex gives this: least squares on the simplex
    got = solve_shares(M, q)
    grid = [np.array([a, b, 1 - a - b]) for a in np.linspace(0, 1, 201) for b in np.linspace(0, 1, 201) if a + b <= 1]
    best = min(grid, key=lambda x: np.sum((M @ x - q) ** 2))
    assert got.min() >= 0 and got.sum() == pytest.approx(1)
    assert np.sum((M @ got - q) ** 2) <= np.sum((M @ best - q) ** 2) + 1e-12
    # the prior keeps an unseen true label from making M singular
    m = misclassification_matrix(np.array([[4.0, 0, 0], [0, 4, 0], [0, 0, 0]]), prior=1.0)
    assert np.allclose(m.sum(axis=0), 1) and np.allclose(m[:, 2], 1 / 3)


def _constructed(tmp_path, scale=1, name="v"):
    """A cell of 100 documents whose true shares are (0.5, 0.3, 0.2) and a classifier with
    P(predicted | true) = [[.8, .1, .2], [.1, .8, .2], [.1, .1, .6]] (columns true FAVOR, AGAINST, NONE):
    predicted counts are M @ (50, 30, 20) = (47, 33, 20). The validation sample holds 10*scale true
    FAVOR (8 F, 1 A, 1 N predicted), 10*scale true AGAINST (1, 8, 1) and 5*scale true NONE (1, 1, 3),
    so its confusion is exactly M."""
    predicted = ["FAVOR"] * 47 + ["AGAINST"] * 33 + ["NONE"] * 20
    corpus = pd.DataFrame({"doc_id": [f"c{i:03d}" for i in range(100)], "source": "東西新聞",
                           "published": pd.Timestamp("2024-05-01", tz="Asia/Tokyo")})
    stance = pd.DataFrame({"doc_id": corpus["doc_id"], "target": "輸出規制", "method": "rules",
                           "score": 0.0, "label": predicted, "n_mentions": 1})
    pairs = ([("FAVOR", "FAVOR")] * 8 + [("FAVOR", "AGAINST")] + [("FAVOR", "NONE")]
             + [("AGAINST", "FAVOR")] + [("AGAINST", "AGAINST")] * 8 + [("AGAINST", "NONE")]
             + [("NONE", "FAVOR"), ("NONE", "AGAINST")] + [("NONE", "NONE")] * 3) * scale
    pools = {label: [d for d, p in zip(corpus["doc_id"], predicted) if p == label] for label in L}
    used = {label: 0 for label in L}
    rows = []
    for i, (true, pred) in enumerate(pairs, start=1):
        doc = pools[pred][used[pred] % len(pools[pred])] if scale == 1 else f"v{i:04d}"
        used[pred] += 1
        rows.append({"unit_id": f"S{name.upper():0>7}-{i:04d}", "sample_id": f"S{name.upper():0>7}", "unit": "document",
                     "target": "輸出規制", "method": "rules", "doc_id": doc, "source": "東西新聞", "period": "2024",
                     "predicted": pred, "stratum": pred, "stratum_size": 0, "weight": 1.0, "label": true})
    units = pd.DataFrame(rows)
    units["stratum_size"] = units.groupby("stratum")["unit_id"].transform("size")  # weights 1
    if scale != 1:  # validation documents outside the cell (same classifier, another part of the corpus)
        extra_corpus = pd.DataFrame({"doc_id": units["doc_id"], "source": "東西新聞",
                                     "published": pd.Timestamp("2023-05-01", tz="Asia/Tokyo")})
        extra = pd.DataFrame({"doc_id": units["doc_id"], "target": "輸出規制", "method": "rules", "score": 0.0,
                              "label": units["predicted"], "n_mentions": 1})
        corpus, stance = pd.concat([corpus, extra_corpus]), pd.concat([stance, extra])
    sheet = FilledSheet(path=tmp_path / f"{name}.csv", key_path=tmp_path / f"{name}.key.csv",
                        sample_id=f"S{name.upper():0>7}", target="輸出規制", method="rules", unit="document",
                        units=units)
    return stance.reset_index(drop=True), corpus.reset_index(drop=True), sheet


def test_shared_kkt_inverses_give_the_same_shares():
    from analysis.validation.prevalence import kkt_inverses

    rng = np.random.default_rng(3)
    M = rng.dirichlet(np.ones(3) * 2, size=(40, 3)).swapaxes(-1, -2)  # (40, K, K), columns sum to 1
    q = rng.dirichlet(np.ones(3), size=40)
    assert np.array_equal(solve_shares(M, q, kkt_inverses(M)), solve_shares(M, q))
    assert np.array_equal(solve_shares(M[0], q, kkt_inverses(M[0])), solve_shares(M[0], q))  # one M, many cells


def test_prevalence_correction_recovers_a_constructed_truth(tmp_path):
    stance, corpus, sheet = _constructed(tmp_path)
    table = corrected_shares(stance, corpus, [sheet], period="Y", n_boot=200, seed=1, prior=0.0)
    row = table.iloc[0]
    assert (row["source"], row["period"], row["n"], row["n_validation"]) == ("東西新聞", "2024", 100, 25)
    assert row["share_favor_raw"] == pytest.approx(0.47) and row["share_against_raw"] == pytest.approx(0.33)
    assert row["share_favor_corrected"] == pytest.approx(0.5)
    assert row["share_against_corrected"] == pytest.approx(0.3)
    assert row["net_corrected"] == pytest.approx(0.2) and row["net_raw"] == pytest.approx(0.14)
    for name in ("share_favor", "share_against", "net"):
        for kind in ("raw", "corrected"):
            assert row[f"{name}_{kind}_ci_low"] <= row[f"{name}_{kind}"] <= row[f"{name}_{kind}_ci_high"]


def test_intervals_widen_as_the_validation_sample_shrinks(tmp_path):
    widths = {}
    for scale in (1, 8):
        stance, corpus, sheet = _constructed(tmp_path, scale=scale, name=f"s{scale}")
        table = corrected_shares(stance, corpus, [sheet], period="Y", n_boot=400, seed=2)
        row = table[table["period"] == "2024"].iloc[0]
        widths[scale] = {k: row[f"{k}_ci_high"] - row[f"{k}_ci_low"]
                         for k in ("share_favor_corrected", "net_corrected", "share_favor_raw")}
    assert widths[1]["share_favor_corrected"] > widths[8]["share_favor_corrected"]
    assert widths[1]["net_corrected"] > widths[8]["net_corrected"]
    assert widths[1]["share_favor_raw"] == pytest.approx(widths[8]["share_favor_raw"])  # documents only
    assert widths[8]["net_corrected"] > widths[8]["share_favor_raw"]  # both sources of uncertainty


def test_stance_over_time_keeps_its_columns_without_a_sheet_and_adds_corrected_ones_with_it(tmp_path):
    from analysis.stance.over_time import OVER_TIME_COLUMNS, stance_over_time
    from analysis.validation.prevalence import CORRECTED_COLUMNS

    stance, corpus, sheet = _constructed(tmp_path)
    plain = stance_over_time(stance, corpus, period="Y", n_boot=50)
    assert list(plain.columns) == OVER_TIME_COLUMNS
    with_sheet = stance_over_time(stance, corpus, period="Y", n_boot=50, sheet=sheet)
    assert list(with_sheet.columns) == OVER_TIME_COLUMNS + CORRECTED_COLUMNS
    assert with_sheet[OVER_TIME_COLUMNS].equals(plain)


# ---------------------------------------------------------------- the loop through the commands


def test_annotate_agreement_and_stance_eval_commands(processed, tmp_path, capsys):
    folder, truth = processed
    out = tmp_path / "sheets"
    assert main(["annotate", "--target", "AI規制", "--n", "30", "--processed", str(folder), "--out", str(out),
                 "--seed", "3"]) == 0
    printed = capsys.readouterr().out
    assert "30 documents of" in printed and "do not give it to coders" in printed
    key = pd.read_csv(next(out.glob("*.key.csv")))
    sheet = next(p for p in out.glob("*.csv") if not p.name.endswith(".key.csv"))
    corpus = pd.read_parquet(folder / "corpus.parquet")
    files = dict(zip(corpus["doc_id"], corpus["path"].str.rsplit("/", n=1).str[-1]))
    gold = dict(zip(truth["file"], truth["stance_AI規制"].map({1: "FAVOR", -1: "AGAINST", 0: "NONE"})))
    frame = read_sheet(sheet).drop(columns="_row")
    labels = frame["unit_id"].map(dict(zip(key["unit_id"], key["doc_id"]))).map(files).map(gold)
    a = _fill(sheet, sheet.with_name(sheet.stem + "_coderA.csv"), labels.tolist())
    flipped = labels.copy()
    flipped.iloc[:3] = ["NONE" if x != "NONE" else "FAVOR" for x in flipped.iloc[:3]]
    flipped.iloc[3] = "SKIP"
    b = _fill(sheet, sheet.with_name(sheet.stem + "_coderB.xlsx"), flipped.tolist())
    assert main(["agreement", str(a), str(b), "--out", str(tmp_path / "agr")]) == 0
    printed = capsys.readouterr().out
    both = pd.DataFrame({"a": labels.iloc[4:], "b": flipped.iloc[4:]})
    both = pd.concat([both, pd.DataFrame({"a": labels.iloc[:3], "b": flipped.iloc[:3]})])
    expected = cohen_kappa(both["a"], both["b"], labels=L)
    assert "coderA  coderB       29" in printed and f"{expected:.3f}" in printed
    assert printed.strip().splitlines()[-1].startswith("alpha=")
    assert (tmp_path / "agr" / "agreement_disagreements.csv").is_file()
    assert main(["stance-eval", "--sheet", str(a), "--sheet-report", str(tmp_path / "acc.csv")]) == 0
    printed = capsys.readouterr().out
    assert "population-level estimates" in printed and "too small to tell" in printed
    last = printed.strip().splitlines()[-1]
    assert last.startswith("macro_f=") and 0 <= float(last.split("=")[1]) <= 1
    assert set(pd.read_csv(tmp_path / "acc.csv")["measure"]) == {"precision", "recall", "f1", "accuracy", "macro_f"}


def test_a_sheet_adds_corrected_columns_and_switches_the_headline_figure(processed, tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures import plots, style
    from analysis.figures.report import run_figures
    from analysis.stance.over_time import stance_over_time

    drawn, stance, corpus = _draw(processed, tmp_path, n=30, target="AI規制")
    labels = ["FAVOR", "AGAINST", "NONE"] * 10
    filled = _fill(drawn.sheet_paths[0], drawn.sheet_paths[0].with_name("filled.csv"), labels)
    table = stance_over_time(stance, corpus, period="Y", n_boot=50, sheet=[filled])
    assert table.loc[table["target"] == "AI規制", "net_corrected"].notna().all()
    assert table.loc[table["target"] != "AI規制", "net_corrected"].isna().all()  # no sheet: not corrected
    run = tmp_path / "processed"
    run.mkdir()
    table.to_parquet(run / "stance_over_time.parquet")
    drawn_figures = {}

    def keep_title(fig, stem, formats=style.FORMATS):  # what would be saved, without the slow PDF/SVG writing
        drawn_figures[Path(stem).name] = fig._suptitle.get_text() if fig._suptitle else fig.axes[0].get_title()
        return [Path(f"{stem}.png")]

    monkeypatch.setattr(style, "save_figure", keep_title)
    run_figures(run, tmp_path / "figures", verbose=False)
    assert drawn_figures["stance_over_time"].startswith("新聞別・対象別の論調の推移：分類誤りを補正した推定（左）と補正前（右）")
    assert drawn_figures["stance_over_time_AI規制"].startswith("新聞別・対象別の論調の推移：分類誤りを補正")
    assert drawn_figures["stance_over_time_輸出規制"] == "輸出規制"  # no sheet for it: the usual figure
    table[["source", "target", "period", "n", "mean", "ci_low", "ci_high"]].to_parquet(run / "stance_over_time.parquet")
    run_figures(run, tmp_path / "figures", verbose=False)
    assert drawn_figures["stance_over_time"] == "新聞別・対象別の論調の推移（平均、-1 反対 … +1 賛成）"  # without: as before
    fig = plots.corrected_stance_figure(table)
    titles = [ax.get_title() for ax in fig.axes]
    assert "AI規制：誤分類を補正（検証 30 件）" in titles and "AI規制：補正前" in titles
    assert any("誤分類を補正" in t.get_text() and "同時ブートストラップ" in t.get_text() for t in fig.texts)
    plt.close("all")


# ---------------------------------------------------------------- widget


def test_labelling_session_saves_every_click_and_resumes(processed, tmp_path):
    drawn, _, _ = _draw(processed, tmp_path, n=6)
    path = drawn.sheet_paths[1]
    session = LabellingSession(path)
    first = session.current()["unit_id"]
    session.label("FAVOR")
    session.skip()
    assert read_sheet(path)["label"].tolist()[:3] == ["FAVOR", "SKIP", ""]  # on disk after each click
    again = LabellingSession(path)  # reopening resumes at the first unit without a label
    assert again.position == 2 and again.progress == (2, 6)
    again.back()
    again.label("against")
    assert read_sheet(path)["label"].tolist()[:3] == ["FAVOR", "AGAINST", ""]
    with pytest.raises(ValueError, match="not one of"):
        again.label("MAYBE")
    assert first == read_sheet(path)["unit_id"].iloc[0]
    from analysis.validation.widget import labelling_widget

    box = labelling_widget(path)
    favor = box.children[2].children[0]
    favor.click()  # the button writes through the same session
    assert read_sheet(path)["label"].tolist()[2] == "FAVOR" and box.session.progress == (3, 6)


def test_a_session_without_autosave_writes_the_file_the_last_click_would(processed, tmp_path):
    import shutil

    drawn, _, _ = _draw(processed, tmp_path, n=6)
    clicked, deferred = tmp_path / "clicked.xlsx", tmp_path / "deferred.xlsx"
    shutil.copyfile(drawn.sheet_paths[1], clicked)
    shutil.copyfile(drawn.sheet_paths[1], deferred)
    before = deferred.read_bytes()
    one, other = LabellingSession(clicked), LabellingSession(deferred, autosave=False)
    for label in ["FAVOR", "SKIP", "NONE", "AGAINST", "FAVOR", "NONE"]:
        one.label(label)
        other.label(label)
    assert deferred.read_bytes() == before and other.done  # nothing written until save()
    other.save()
    assert read_sheet(deferred)["label"].tolist() == read_sheet(clicked)["label"].tolist()
    assert deferred.read_bytes() == clicked.read_bytes()


# ---------------------------------------------------------------- intrusion


def test_word_intrusion_items_take_the_intruder_from_another_topic():
    words = pd.DataFrame({"topic": [0] * 7 + [1] * 7 + [2] * 7, "rank": list(range(1, 8)) * 3, "word":
                          ["半導体", "補助金", "工場", "支援", "予算", "誘致", "熊本",
                           "物価", "賃金", "家計", "値上げ", "消費", "年金", "円安",
                           "生成AI", "規制", "開発", "投資", "競争", "半導体", "法案"]})
    sheet, key = word_intrusion(words, method="nmf", seed=2)
    assert len(sheet) == 3 and list(sheet.columns)[:7] == ["item_id"] + [f"word_{i}" for i in range(1, 7)]
    listed = {t: set(g["word"]) for t, g in words.groupby("topic")}
    for row in key.itertuples():
        assert row.intruder not in listed[row.topic] and row.intruder in listed[row.intruder_topic]
        shown = row.shown.split("|")
        assert shown[row.intruder_position - 1] == row.intruder and len(set(shown)) == 6
    again, _ = word_intrusion(words, method="nmf", seed=2)
    assert again.equals(sheet)


def test_intrusion_scores_by_hand(tmp_path):
    from scipy.stats import binom

    # topic 0: 3 coders, all find the intruder -> 1.0, p = (1/6)^3 = 0.00463 < 0.05: interpretable
    # topic 1: 1 of 3 finds it -> 0.333, p = P(X >= 1 | n=3, 1/6) = 1 - (5/6)^3 = 0.4213
    # topic intrusion item: weights of the shown topics (0.6, 0.3, 0.002, 0.08); intruder at 3;
    #   coder picks 4 -> log odds = log(0.002) - log(0.08) = -3.689; another finds it -> 0
    rows = []
    for coder in range(3):
        rows.append({"task": "word", "model": "nmf", "topic": 0, "options": 6, "item_id": "W-1", "found": True,
                     "answer": 2, "intruder_position": 2, "weights": "", "coder": coder})
        rows.append({"task": "word", "model": "nmf", "topic": 1, "options": 6, "item_id": "W-2", "found": coder == 0,
                     "answer": 5 if coder == 0 else 1, "intruder_position": 5, "weights": "", "coder": coder})
    for coder, answer in ((0, 4), (1, 3)):
        rows.append({"task": "topic", "model": "nmf", "topic": 0, "options": 4, "item_id": "T-1",
                     "found": answer == 3, "answer": answer, "intruder_position": 3,
                     "weights": "0.6|0.3|0.002|0.08", "coder": coder})
    per_topic, per_model = score_intrusion(pd.DataFrame(rows))
    words0 = per_topic[(per_topic["task"] == "word") & (per_topic["topic"] == 0)].iloc[0]
    words1 = per_topic[(per_topic["task"] == "word") & (per_topic["topic"] == 1)].iloc[0]
    assert words0["share_found"] == 1.0 and words0["p_value"] == pytest.approx((1 / 6) ** 3)
    assert words0["verdict"].startswith("interpretable")
    assert words1["share_found"] == pytest.approx(1 / 3) and words1["p_value"] == pytest.approx(1 - (5 / 6) ** 3)
    assert words1["p_value"] == pytest.approx(binom.sf(0, 3, 1 / 6))
    assert words1["verdict"].startswith("not better than chance")
    topic = per_topic[per_topic["task"] == "topic"].iloc[0]
    assert topic["mean_log_odds"] == pytest.approx((np.log(0.002) - np.log(0.08) + 0.0) / 2)
    assert topic["verdict"].startswith("too few answers to tell")  # (1/4)^2 = 0.0625 >= 0.05
    model = per_model.set_index("task").loc["word"]
    assert model["share_found"] == pytest.approx(4 / 6) and model["topics_better_than_chance"] == 1


def test_intrusion_command_writes_and_scores_sheets(processed, tmp_path, capsys):
    folder, _ = processed
    out = tmp_path / "intrusion"
    assert main(["intrusion", "--processed", str(folder), "--out", str(out), "--docs", "6"]) == 0
    words = next(p for p in out.glob("intrusion_words_nmf_*.csv") if not p.name.endswith(".key.csv"))
    assert next(out.glob("intrusion_topics_nmf_*.xlsx")).is_file()
    key = pd.read_csv(next(out.glob("intrusion_words_nmf_*.key.csv")))
    frame = read_sheet(words).drop(columns="_row")
    right = frame["item_id"].map(dict(zip(key["item_id"], key["intruder_position"])))
    frame["answer"] = [str(v) if i % 2 == 0 else str(v % 6 + 1) for i, v in enumerate(right)]
    write_sheet_file(frame, tmp_path / "filled.csv", answer_column="answer", allowed=[str(i) for i in range(1, 7)])
    assert main(["intrusion", "--score", str(tmp_path / "filled.csv"), "--key",
                 str(next(out.glob("intrusion_words_nmf_*.key.csv")))]) == 0
    answers = read_filled_intrusion(tmp_path / "filled.csv", key=next(out.glob("intrusion_words_nmf_*.key.csv")))
    assert answers["found"].tolist() == [i % 2 == 0 for i in range(len(frame))]
    frame.loc[1, "answer"] = "7"
    write_sheet_file(frame, tmp_path / "bad.csv", answer_column="answer")
    with pytest.raises(InputError, match=r"bad\.csv row 3 .*answer '7' is not a number from 1 to 6"):
        read_filled_intrusion(tmp_path / "bad.csv", key=next(out.glob("intrusion_words_nmf_*.key.csv")))


def test_write_key_is_plain_utf8(tmp_path):
    path = write_key(pd.DataFrame({"unit_id": ["S0000001-0001"], "target": ["輸出規制"]}), tmp_path / "k.key.csv")
    assert path.read_text(encoding="utf-8") == "unit_id,target\nS0000001-0001,輸出規制\n"
