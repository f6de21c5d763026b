"""Notebooks: every numbered notebook executes in smoke mode, failures are loud, reruns are identical."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from analysis import config
from analysis.errors import InputError
from analysis.io import write_csv
from analysis.notebooks import (NotebookExecutionError, inject_parameters, notebook_sources, run_notebooks,
                                settings)
from analysis.study import demo_config

from _synthetic_run import make_processed

NOTEBOOKS = config.paths().notebooks


def test_every_notebook_has_a_parameters_cell_first_a_version_header_and_pairing():
    import jupytext

    sources = notebook_sources(NOTEBOOKS)
    assert [s.stem[:2] for s in sources] == ["01", "02", "03", "04", "05", "06", "07", "08"]
    toml = (NOTEBOOKS / "jupytext.toml").read_text(encoding="utf-8")
    assert re.search(r'formats\s*=\s*"ipynb,py:percent"', toml)
    for source in sources:
        nb = jupytext.read(source)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", []), source.name
        names = set(re.findall(r"^([A-Z_]+)\s*=", code[0].source, flags=re.M))
        assert {"STUDY", "PROCESSED", "CORPUS", "FIGURES", "SEED", "SMOKE"} <= names, source.name
        assert "K" not in names or re.search(r"^K = None", code[0].source, flags=re.M), source.name  # never a K of its own
        later = "\n".join(c.source for c in code[1:])
        unwired = sorted(n for n in names if not re.search(rf"\b{n}\b", later))
        assert not unwired, f"{source.name}: parameters {unwired} are not used by any cell"
        assert re.search(r"^s = setup\(", code[1].source, flags=re.M), f"{source.name}: setup cell is not setup(...)"
        assert "settings(" not in later and "use_style()" not in later, source.name  # one helper for the setup
        header = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert re.search(r"\*\*Version \d+\*\*", header), f"{source.name} states no version"


def test_smoke_settings_really_shrink_the_work():
    import pandas as pd

    full, smoke = settings(k=10), settings(k=10, smoke=True)
    assert smoke.n_boot < full.n_boot and smoke.max_docs is not None and full.max_docs is None
    assert len(smoke.k_range) < len(full.k_range) and 10 in smoke.k_range and 10 in full.k_range
    frame = pd.DataFrame({"doc_id": [f"{i:03d}" for i in range(500)]})
    assert len(smoke.sample(frame)) == smoke.max_docs and len(full.sample(frame)) == 500
    assert smoke.sample(frame).equals(settings(k=10, smoke=True).sample(frame))  # seeded
    with pytest.raises(InputError, match="PERIOD"):
        settings(period="W")


def test_a_figure_of_the_figures_stage_is_shown_only_when_it_matches(tmp_path):
    import os

    from analysis.io import write_json

    processed, figures = tmp_path / "processed", tmp_path / "figures"
    table = processed / "topics" / "nmf" / "topic_shares.parquet"
    table.parent.mkdir(parents=True)
    table.write_bytes(b"table")
    write_json({"period": "Y", "seed": 1}, table.parent / "summary.json")
    figures.mkdir()
    png = figures / "topic_share_over_time_nmf.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + (900).to_bytes(4, "big") + (300).to_bytes(4, "big"))
    full = settings(processed=processed, figures=figures, period="Y", seed=1)
    assert full.stage_figure("topic_share_over_time_nmf", table, period="Y", seed=1) == png
    assert full.stage_figure("topic_share_over_time_nmf", table, period="Q") is None  # made with another period
    assert full.stage_figure("top_words_nmf", table) is None  # the stage did not draw it
    assert settings(processed=processed, figures=figures, smoke=True).stage_figure(
        "topic_share_over_time_nmf", table) is None  # smoke mode draws from its sample
    later = png.stat().st_mtime + 10
    os.utime(table, (later, later))
    assert full.stage_figure("topic_share_over_time_nmf", table) is None  # the table is newer than the figure


def _tiny_study(root: Path, **extra) -> Path:
    """A study.yaml without ground truth, KWIC terms, coding rules or events; one target never mentioned."""
    (root / "pages").mkdir(parents=True, exist_ok=True)
    (root / "targets.yaml").write_text("原発再稼働:\n  aliases: [再稼働]\n", encoding="utf-8")
    lines = ["name: tiny", "inputs: [pages]", "output: .", "period: Y", "topics:", "  methods: [nmf, lda]",
             "  k: 4", "stance:", "  targets: targets.yaml", *[f"{k}: {v}" for k, v in extra.items()]]
    (root / "study.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root / "study.yaml"


def test_settings_resolve_the_study_demo_ad_hoc_or_a_config(tmp_path):
    demo = settings()
    assert demo.study.path == demo_config() and demo.kwic == ("輸出規制",) and demo.ground_truth.is_file()
    assert demo.events is not None and demo.coding_rules is not None and demo.processed == config.paths().processed

    ad_hoc = settings(processed=tmp_path / "processed")  # `analysis run --corpus`: nothing demo-specific
    assert ad_hoc.study.path is None and ad_hoc.processed == (tmp_path / "processed").resolve()
    assert (ad_hoc.kwic, ad_hoc.ground_truth, ad_hoc.coding_rules, ad_hoc.events) == ((), None, None, None)
    assert ad_hoc.targets == config.resource("targets.yaml")

    study = _tiny_study(tmp_path / "study")
    own = settings(study=study, smoke=True)
    assert own.processed == tmp_path / "study" / "processed" and own.figures == tmp_path / "study" / "reports" / "figures"
    assert own.period == "Y" and own.k == 4 and own.k_for("lda") == 4 and own.k_range == (2, 4)
    assert own.target_names() == ["原発再稼働"] and own.load_events() is None
    assert (own.kwic, own.ground_truth, own.coding_rules) == ((), None, None)
    overridden = settings(study=study, period="q", seed=3, kwic="原発", k=6)
    assert (overridden.period, overridden.seed, overridden.kwic, overridden.k) == ("Q", 3, ("原発",), 6)

    make_processed(own.processed, n_docs=12)  # its summary.json says NMF was fitted with k=4
    (own.processed / "topics" / "nmf" / "summary.json").write_text('{"k": 5}', encoding="utf-8")
    fitted = settings(study=study)
    assert fitted.k == 5 and fitted.k_for("nmf") == 5 and fitted.k_for("lda") == 4  # lda: not fitted, the study's


def test_keyword_frequencies_and_the_example_term():
    import pandas as pd

    from analysis.tokenize.keywords import example_term, keyword_frequencies

    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "source": ["東洋日報", "東洋日報", "北辰新聞"]})
    tokens = pd.DataFrame({"doc_id": ["a", "b", "c", "z"],
                           "tokens": [["原発", "電力", "原発"], ["電力", "こと"], ["学校"], ["幽霊"]]})
    table = keyword_frequencies(tokens, corpus, top=2)
    assert table.to_dict("records") == [
        {"source": "北辰新聞", "word": "学校", "count": 1, "share": 1.0, "rank": 1},
        {"source": "東洋日報", "word": "原発", "count": 2, "share": 0.4, "rank": 1},
        {"source": "東洋日報", "word": "電力", "count": 2, "share": 0.4, "rank": 2}]  # ties by word
    assert example_term(pd.DataFrame({"tokens": [["こと", "こと", "それ", "2024", "2024", "電力"]]})) == "電力"
    assert example_term(pd.DataFrame({"tokens": [["こと", "する"]]})) is None


def test_strongest_evidence_per_target_and_side():
    import pandas as pd

    from analysis.stance.evidence import deciding_evidence, strongest_evidence

    corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["東洋日報", "北辰新聞"],
                           "published": pd.to_datetime(["2024-01-05", "2024-03-01"]).tz_localize("Asia/Tokyo")})
    evidence = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "x"], "target": "原発再稼働",
                             "method": ["syntax", "syntax", "syntax", "lexicon", "syntax"],
                             "sentence_index": [0, 1, 0, 0, 0], "score": [0.9, 0.4, -0.7, -0.9, 0.95],
                             "weight": [1.0, 1.0, 1.0, 1.0, 1.0], "sentence": ["s1", "s2", "s3", "s4", "s5"]})
    voting = deciding_evidence(evidence, corpus, method="syntax")
    assert sorted(voting["sentence"]) == ["s1", "s2", "s3"]  # other method and documents left out
    table = strongest_evidence(voting, n=1)
    assert table[["side", "rank", "sentence", "date"]].values.tolist() == [["FAVOR", 1, "s1", "2024-01-05"],
                                                                           ["AGAINST", 1, "s3", "2024-03-01"]]
    assert strongest_evidence(voting.iloc[0:0], n=2).empty


def test_validation_against_ground_truth_metrics():
    import pandas as pd

    from analysis.validation.truth import match_ground_truth, stance_truth_agreement, topic_theme_agreement

    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(6)], "source": "東洋日報",
                           "path": [f"pages/東洋日報/{i}.txt" for i in range(6)]})
    truth = match_ground_truth(corpus, pd.DataFrame({"file": [f"東洋日報/{i}.txt" for i in range(5)],
                                                     "theme": list("aabbc"), "stance_X": [1, 1, -1, -1, None]}))
    assert truth["doc_id"].tolist() == [f"d{i}" for i in range(5)]  # d5 has no row
    doc_topics = pd.DataFrame({"doc_id": [f"d{i}" for i in range(6)], "topic": [0, 0, 1, 1, 2, 2], "weight": 1.0})
    agreement = topic_theme_agreement(truth, {"nmf": doc_topics})
    assert agreement.to_dict("records") == [{"method": "nmf", "n": 5, "nmi": 1.0, "ari": 1.0}]
    assert topic_theme_agreement(truth.drop(columns="theme"), {"nmf": doc_topics}).empty
    stance = pd.DataFrame({"doc_id": ["d0", "d1", "d2", "d3", "d4"], "target": "X", "method": "rules",
                           "score": [0.8, -0.1, -0.5, -0.9, 0.3], "n_mentions": [1, 1, 1, 1, 1]})
    row = stance_truth_agreement(stance, truth).iloc[0]
    assert (row["n"], row["sign_agreement"]) == (4, 0.75) and row["spearman"] > 0.7
    assert stance_truth_agreement(stance.assign(target="Y"), truth).empty  # no stance_Y column


def test_stream_pieces_are_joined_whatever_the_flush_timing():
    import nbformat

    from analysis.notebooks import merge_adjacent_streams

    def stream(name, text):
        return nbformat.v4.new_output("stream", name=name, text=text)

    cell = nbformat.v4.new_code_cell("print('a'); display(1); print('b')")
    cell.outputs = [stream("stdout", "progress: 0"), stream("stdout", "\n"), stream("stderr", "w\n"),
                    nbformat.v4.new_output("display_data", data={"text/plain": "1"}), stream("stdout", "b\n")]
    nb = nbformat.v4.new_notebook(cells=[cell])
    merge_adjacent_streams(nb)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in nb.cells[0].outputs] == [
        ("stream", "stdout", "progress: 0\n"), ("stream", "stderr", "w\n"), ("display_data", None, None),
        ("stream", "stdout", "b\n")]


def test_parameters_are_injected_after_the_parameters_cell():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# t"),
                nbformat.v4.new_code_cell("SMOKE = False", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print(SMOKE)")]
    inject_parameters(nb, {"SMOKE": True, "PROCESSED": "/x"})
    assert nb.cells[2].metadata["tags"] == ["injected-parameters"]
    assert "SMOKE = True" in nb.cells[2].source
    assert "PROCESSED" not in nb.cells[2].source   # not a parameter of this notebook: not injected
    inject_parameters(nb, {"SMOKE": False})  # re-injection replaces, never stacks
    assert sum("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1
    nb.cells[1].metadata["tags"] = []
    with pytest.raises(InputError, match="parameters"):
        inject_parameters(nb, {"SMOKE": True})


@pytest.mark.slow
def test_a_failing_cell_is_loud_and_named(tmp_path, capsys):
    from analysis.cli import main

    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "01_ok.py").write_text('# %% tags=["parameters"]\nSMOKE = False\n\n# %%\nprint("fine")\n', encoding="utf-8")
    (folder / "02_broken.py").write_text('# %% tags=["parameters"]\nSMOKE = False\n\n# %%\nx = 1\n\n# %%\n'
                                         'raise RuntimeError("boom in the third cell")\n', encoding="utf-8")
    with pytest.raises(NotebookExecutionError) as info:
        run_notebooks(folder, tmp_path / "out", smoke=True, verbose=False, only=["02"])
    message = str(info.value)
    assert "02_broken.py" in message and "code cell 3" in message and "boom in the third cell" in message
    assert (tmp_path / "out" / "02_broken.ipynb").is_file()  # the partly executed copy, for reading
    assert main(["notebooks", "--notebooks", str(folder), "--out", str(tmp_path / "out2"), "--smoke"]) == 1
    assert "02_broken.py" in capsys.readouterr().out


def test_a_kernel_that_dies_before_replying_is_started_again(tmp_path, monkeypatch):
    """A kernel start lost to a port race (two kernels started at once) is retried, not reported as
    the notebook's failure; a kernel that never starts is still an error."""
    from nbclient import NotebookClient

    from analysis.notebooks import KERNEL_START_ATTEMPTS, execute_notebook

    source = tmp_path / "01_ok.py"
    source.write_text('# %% tags=["parameters"]\nSMOKE = False\n\n# %%\nprint("fine")\n', encoding="utf-8")
    real, calls = NotebookClient.execute, []

    def flaky(self, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(self, **kwargs)

    monkeypatch.setattr(NotebookClient, "execute", flaky)
    written = execute_notebook(source, tmp_path / "out", html=False)
    assert len(calls) == 2 and "fine" in written[0].read_text(encoding="utf-8")

    def dead(self, **kwargs):
        calls.append(1)
        raise RuntimeError("Kernel died before replying to kernel_info")

    calls.clear()
    monkeypatch.setattr(NotebookClient, "execute", dead)
    with pytest.raises(NotebookExecutionError, match="01_ok.py: its kernel .* died before replying, 3 times"):
        execute_notebook(source, tmp_path / "out2", html=False)
    assert len(calls) == KERNEL_START_ATTEMPTS


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    processed = root / "processed"
    truth = make_processed(processed)
    write_csv(truth, root / "ground_truth.csv")
    (root / "pages").mkdir()
    (root / "study.yaml").write_text(  # the demo's resources, this folder's ground truth
        "inputs: [pages]\noutput: .\nperiod: auto\ntopics: {methods: [nmf]}\nstance: {method: rules}\n"
        "events: resource:events.yaml\nkwic: [輸出規制]\ncoding_rules: resource:coding_rules.txt\n"
        "ground_truth: ground_truth.csv\n", encoding="utf-8")
    parameters = {"STUDY": str(root / "study.yaml"), "FIGURES": str(root / "figures")}
    written = run_notebooks(NOTEBOOKS, root / "out", smoke=True, parameters=parameters, verbose=False)
    return root, written, parameters


@pytest.mark.slow
def test_every_notebook_executes_in_smoke_mode(executed):
    root, written, _ = executed
    stems = [s.stem for s in notebook_sources(NOTEBOOKS)]
    assert sorted(p.name for p in written) == sorted([f"{s}.ipynb" for s in stems] + [f"{s}.html" for s in stems])
    for stem in stems:
        nb = json.loads((root / "out" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
        assert not [o for o in outputs if o["output_type"] == "error"], stem
        streams = "".join("".join(o.get("text", "")) for o in outputs if o["output_type"] == "stream")
        assert "Glyph" not in streams and "missing from font" not in streams, stem
        assert "execution" not in json.dumps([c.get("metadata", {}) for c in nb["cells"]]), stem
    first = json.loads((root / "out" / "01_corpus_overview.ipynb").read_text(encoding="utf-8"))
    printed = "".join("".join(o.get("text", "")) for c in first["cells"] for o in c.get("outputs", []))
    assert "smoke=True n_boot=50" in printed  # the switch reached the notebook
    figures = {p.name for p in (root / "figures").iterdir()}
    for stem in ["nb01_corpus_overview", "nb03_k_selection", "nb04_topic_share_over_time_nmf",
                 "nb05_stance_over_time", "nb05_topic_stance_heatmap_nmf", "nb08_corrected_stance"]:
        assert {f"{stem}.png", f"{stem}.svg", f"{stem}.pdf"} <= figures, stem
    html = (root / "out" / "05_stance_over_time.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in html
    validation = json.loads((root / "out" / "08_validation_of_measures.ipynb").read_text(encoding="utf-8"))
    printed = "".join("".join(o.get("text", "")) for c in validation["cells"] for o in c.get("outputs", []))
    assert "n_validation=30 repeats=2" in printed  # SMOKE reached the sample size and the repeated draws
    assert "net share, newspaper x period" in printed and "MAE raw" in printed
    sheets = {p.name for p in (root / "validation").iterdir()}
    assert any(n.endswith("_coderA.xlsx") for n in sheets) and any(n.endswith("_coderB.csv") for n in sheets)
    assert any(n.startswith("intrusion_words_nmf_") for n in sheets)


@pytest.mark.slow
def test_rerunning_a_notebook_gives_identical_files(executed):
    root, _, parameters = executed
    again = run_notebooks(NOTEBOOKS, root / "again", smoke=True, parameters=parameters, only=["01"], verbose=False)
    for path in again:
        assert path.read_bytes() == (root / "out" / path.name).read_bytes(), path.name


#: A vocabulary without any of the demo's terms.
NEUTRAL_THEMES = {
    "エネルギー": ["原発", "電力", "料金", "供給", "脱炭素", "安全"],
    "教育": ["学校", "教員", "授業", "子ども", "負担", "改革"],
    "外交": ["首脳", "会談", "同盟", "協力", "対話", "緊張"],
    "物価": ["物価", "賃金", "家計", "値上げ", "消費", "政府"],
}
DEMO_STRINGS = ("ラピダス", "TSMC", "輸出規制", "半導体")


def _printed(nb: dict) -> str:
    return "".join("".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code"
                   for o in c.get("outputs", []))


@pytest.mark.slow
def test_notebooks_on_one_newspaper_without_ground_truth_terms_rules_or_mentions(tmp_path):
    """A user's study: one newspaper, one year, a target no editorial names, lda not fitted, nothing of the demo's."""
    study = _tiny_study(tmp_path)
    make_processed(tmp_path / "processed", n_docs=24, sources=["東洋日報"], themes=NEUTRAL_THEMES,
                   targets=["原発再稼働"], mentions=False)
    written = run_notebooks(NOTEBOOKS, tmp_path / "out", smoke=True, parameters={"STUDY": str(study)}, verbose=False)
    assert len(written) == 2 * len(notebook_sources(NOTEBOOKS))  # every notebook ran, none raised
    nbs = {p.stem[:2]: json.loads(p.read_text(encoding="utf-8")) for p in written if p.suffix == ".ipynb"}
    for number, nb in nbs.items():
        assert not [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
                    if o["output_type"] == "error"], number
        text = json.dumps(nb, ensure_ascii=False)
        assert not [w for w in DEMO_STRINGS if w in text], f"notebook {number} shows the demo's {DEMO_STRINGS}"
    printed = {number: _printed(nb) for number, nb in nbs.items()}
    assert "study tiny" in printed["01"] and "period=Y" in printed["01"]
    assert "lda: no topics" in printed["03"] and "k=4" in printed["03"]
    assert "no document mentions any target" in printed["05"] and "skipped: no scored mentions" in printed["05"]
    assert "There is no ground truth for this corpus" in printed["06"]
    assert printed["06"].count("skipped: no ground truth") == 2
    assert "most frequent content noun as an example" in printed["07"]
    assert "the study names no coding rules" in printed["07"]
    assert "colouring words by newspaper would say nothing" in printed["07"]
    assert printed["07"].count("skipped: correspondence analysis") == 2  # one newspaper, one year
    assert "There is no ground truth for this corpus" in printed["08"] and "no document mentions" in printed["08"]
    figures = {p.name for p in (tmp_path / "reports" / "figures").iterdir()}  # the study's own figures folder
    assert "nb07_network_term.png" in figures and "nb07_ca_by_source.png" not in figures


def test_notebook_error_keeps_the_notebook_name_across_processes():
    import pickle

    from analysis.notebooks import NotebookExecutionError

    error = pickle.loads(pickle.dumps(NotebookExecutionError("notebook 03_topics.py failed", notebook="03_topics.py")))
    assert (str(error), error.notebook) == ("notebook 03_topics.py failed", "03_topics.py")
