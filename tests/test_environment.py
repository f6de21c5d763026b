"""The conda environment and pyproject.toml declare the same dependencies; CLI starts fast."""

import subprocess
import sys
import time
import tomllib
from pathlib import Path

import yaml

from analysis import config

ROOT = config.paths().root


def _normalise(spec: str) -> str:
    return spec.replace(" ", "").lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_normalise(s) for s in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    conda_specs = {_normalise(s) for s in pip_section if not s.startswith("-e")}
    assert conda_specs == declared, (
        f"only in environment.yml: {sorted(conda_specs - declared)}; "
        f"only in pyproject.toml: {sorted(declared - conda_specs)}"
    )
    assert any(str(s).startswith("python>=3.11") for s in env["dependencies"] if isinstance(s, str))


def test_cli_help_is_fast_and_imports_nothing_heavy():
    code = (
        "import sys, time; t = time.perf_counter();\n"
        "from analysis import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'sklearn', 'bertopic', 'torch', 'matplotlib', 'janome') if m in sys.modules]\n"
        "print(repr(heavy), time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    heavy, seconds = out.strip().splitlines()[-1].rsplit(" ", 1)
    assert heavy == "[]"
    assert float(seconds) < 1.0


def test_every_registered_command_has_a_parser():
    from analysis import cli

    for name in cli.COMMANDS:
        parser = cli.build_parser(name)
        sub = parser._subparsers._group_actions[0].choices[name]
        assert sub.get_default("handler") is not None, name


def test_analysis_help_command_runs():
    start = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).parent / "analysis"), "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "ingest" in done.stdout
    assert time.perf_counter() - start < 3.0
