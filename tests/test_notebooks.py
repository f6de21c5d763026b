"""Notebooks: every numbered notebook executes in smoke mode, failures are loud, reruns are identical."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from analysis import config
from analysis.errors import InputError
from analysis.io import write_csv
from analysis.notebooks import (NotebookExecutionError, inject_parameters, notebook_sources, run_notebooks,
                                settings)

from _synthetic_run import make_processed

NOTEBOOKS = config.paths().notebooks


def test_every_notebook_has_a_parameters_cell_first_a_version_header_and_pairing():
    import jupytext

    sources = notebook_sources(NOTEBOOKS)
    assert [s.stem[:2] for s in sources][:6] == ["01", "02", "03", "04", "05", "06"]
    toml = (NOTEBOOKS / "jupytext.toml").read_text(encoding="utf-8")
    assert re.search(r'formats\s*=\s*"ipynb,py:percent"', toml)
    for source in sources:
        nb = jupytext.read(source)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", []), source.name
        names = set(re.findall(r"^([A-Z_]+)\s*=", code[0].source, flags=re.M))
        if source.stem[:2] <= "06" or source.stem[:2] == "08":  # ours; others' notebooks only need the tagged cell
            assert {"CORPUS", "PERIOD", "TARGETS", "SEED", "K", "SMOKE"} <= names, source.name
            assert "SMOKE" in "".join(c.source for c in code[1:]) or "smoke=SMOKE" in "".join(c.source for c in code)
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


def test_parameters_are_injected_after_the_parameters_cell():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# t"),
                nbformat.v4.new_code_cell("SMOKE = False", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print(SMOKE)")]
    inject_parameters(nb, {"SMOKE": True, "PROCESSED": "/x"})
    assert nb.cells[2].metadata["tags"] == ["injected-parameters"]
    assert "PROCESSED = '/x'" in nb.cells[2].source and "SMOKE = True" in nb.cells[2].source
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


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    processed = root / "processed"
    truth = make_processed(processed)
    write_csv(truth, root / "ground_truth.csv")
    parameters = {"PROCESSED": str(processed), "FIGURES": str(root / "figures"),
                  "GROUND_TRUTH": str(root / "ground_truth.csv")}
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
