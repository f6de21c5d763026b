"""One YAML file per study: what to read, where to write, and every parameter of a run.

    $ analysis init studies/my-editorials --corpus ~/editorials.csv   # writes a commented study.yaml
    $ analysis run --config studies/my-editorials/study.yaml          # or: make run CONFIG=...

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "pages").mkdir()
>>> _ = (folder / "study.yaml").write_text("name: 社説研究\\ninputs: [pages]\\noutput: out\\n", encoding="utf-8")
>>> study = load_study(folder / "study.yaml")
>>> study.name, study.inputs[0].name, study.paths().processed.relative_to(folder).as_posix()
('社説研究', 'pages', 'out/processed')
>>> study.events is None and study.kwic == () and study.coding_rules is None   # nothing from the demo
True

Relative paths in the file are read from the file's own folder. ``resource:NAME`` names a file
shipped with the package (``resource:targets.yaml``, the bundled list of stance targets). The demo
corpus is just the bundled study ``data/raw/demo/study.yaml``: the only study that names the
packaged events, themes, KWIC terms and coding rules. A study that does not name them gets none
of them (no events on figures, unseeded topics, no coding-rule section).

Each study writes into its own ``output`` folder (``processed/`` for tables, ``reports/`` for
figures, notebooks and the manifest), so two studies never mix. A study without ``output``
writes where the checkout always did (``data/processed`` and ``reports/``); only the demo does.

Every key, its meaning and its default is in :data:`KEYS`; an unknown key is an error naming
the file and the known keys (a typo must not silently fall back to a default).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from analysis import config
from analysis.errors import InputError
from analysis.topics.stage_defaults import TOPIC_METHODS

#: The bundled demo study (its inputs, ground truth and packaged resources).
def demo_config() -> Path:
    return config.paths().demo / "study.yaml"


RESOURCE_PREFIX = "resource:"

#: key -> (default, one-line meaning). Nested keys are written "topics.k".
KEYS: dict[str, tuple[Any, str]] = {
    "name": (None, "a short name for the study (default: the config folder's name)"),
    "inputs": ([], "files or folders of editorials: pages (.txt), tables (.csv/.tsv/.jsonl/.parquet), archives"),
    "output": (None, "folder for this study's outputs (processed/ tables, reports/ figures and notebooks)"),
    "columns": ({}, "table columns by role: {text: 記事本文, published: 掲載日, source: 媒体名, title: 見出し}"),
    "allow_undated": (False, "ingest documents without a date (they appear in no over-time figure)"),
    "allow_other_languages": (False, "ingest documents that are not mostly Japanese"),
    "max_chars": (None, "longest document in characters; longer ones are split by paragraphs (default: ingest's limit)"),
    "seed": (config.SEED, "seed of every stochastic step"),
    "period": (config.PERIOD, "period of over-time tables: auto, M, Q or Y"),
    "min_n_interval": (config.MIN_N_INTERVAL, "points from fewer documents are drawn without an interval"),
    "show_n": (False, "write each over-time point's n beside it on the figures"),
    "jobs": (0, "worker processes for tokenization (0: all cores)"),
    "scheduler": (None, "Dask scheduler for ingest, tokenize and stance: local, tcp://host:8786 or a scheduler file; none: the local process pool"),
    "topics.methods": (list(TOPIC_METHODS), "topic models to fit: nmf, lda, bertopic"),
    "topics.k": (None, "topics per model: one number, or per method {nmf: 8, lda: 8, bertopic: 8} (default 8)"),
    "topics.themes": (None, "YAML of seeded themes (theme: [seed words]); none: unseeded topics"),
    "stance.targets": (RESOURCE_PREFIX + "targets.yaml", "YAML of stance targets (name: {aliases: [...]}); none: no stance stage"),
    "stance.method": ("syntax", "stance method (see analysis stance --help)"),
    "stance.unnamed_theses": (True, "syntax/structural: in a document about one target, the author's theses that do not "
                                    "name it vote for it (editorials); false for news or reviews"),
    "events": (None, "YAML of dated events drawn on over-time figures; none: no events"),
    "kwic": ([], "terms read in context in notebook 07 (KWIC, collocates)"),
    "coding_rules": (None, "coding rules (YAML or KH Coder .txt) for notebook 07; none: no coding section"),
    "ground_truth": (None, "CSV of known document labels (the demo's planted truth) for notebook 06"),
    "notebooks": (True, "execute the numbered notebooks at the end of `analysis run`"),
}


@dataclass(frozen=True)
class Study:
    """A study config, validated, with paths resolved; ``raw`` is the file's content as written."""

    path: Path | None
    name: str
    inputs: tuple[Path, ...]
    output: Path | None
    columns: Mapping[str, str] = field(default_factory=dict)
    allow_undated: bool = False
    allow_other_languages: bool = False
    max_chars: int | None = None
    seed: int = config.SEED
    period: str = config.PERIOD
    min_n_interval: int = config.MIN_N_INTERVAL
    show_n: bool = False
    jobs: int = 0
    scheduler: str | None = None
    topic_methods: tuple[str, ...] = TOPIC_METHODS
    k: Mapping[str, int] = field(default_factory=dict)
    themes: Path | None = None
    targets: Path | None = None
    stance_method: str = "syntax"
    unnamed_theses: bool = True
    events: Path | None = None
    kwic: tuple[str, ...] = ()
    coding_rules: Path | None = None
    ground_truth: Path | None = None
    notebooks: bool = True
    raw: Mapping[str, Any] = field(default_factory=dict)

    def paths(self, root: str | Path | None = None) -> config.Paths:
        """Where this study's outputs go (its ``output`` folder, else the checkout's defaults)."""
        return config.paths(root, output=self.output)

    def k_for(self, method: str) -> int:
        from analysis.topics.stage_defaults import DEFAULT_K

        return int(self.k.get(method, DEFAULT_K))

    def where(self, key: str) -> str:
        """How to name a setting in a message: ``topics.k in studies/x/study.yaml``."""
        return f"{key} in {self.path}" if self.path else f"the {key} setting"

    def fingerprint(self) -> str:
        """Hash of the settings as resolved (paths and values), for provenance stamps."""
        return hashlib.sha256(json.dumps(self.describe(), sort_keys=True, ensure_ascii=False,
                                         default=str).encode()).hexdigest()[:16]

    def describe(self) -> dict[str, Any]:
        """The resolved settings as plain JSON values (what the manifest records next to the file)."""
        def p(x):
            return None if x is None else Path(x).as_posix()

        return {"name": self.name, "config": p(self.path), "inputs": [p(i) for i in self.inputs],
                "output": p(self.output), "columns": dict(self.columns), "allow_undated": self.allow_undated,
                "allow_other_languages": self.allow_other_languages, "max_chars": self.max_chars,
                "seed": self.seed, "period": self.period, "min_n_interval": self.min_n_interval,
                "show_n": self.show_n,
                "scheduler": self.scheduler, "topic_methods": list(self.topic_methods), "k": {m: self.k_for(m) for m in self.topic_methods},
                "themes": p(self.themes), "targets": p(self.targets), "stance_method": self.stance_method,
                "events": p(self.events), "kwic": list(self.kwic), "coding_rules": p(self.coding_rules),
                "ground_truth": p(self.ground_truth), "notebooks": self.notebooks}


def _flatten(data: Mapping[str, Any], path: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        if key in ("topics", "stance"):
            if value is None:
                value = {}
            if not isinstance(value, Mapping):
                raise InputError(f"study config {path}: '{key}:' must be a mapping such as "
                                 f"{key}: {{{', '.join(k.split('.')[1] + ': ...' for k in KEYS if k.startswith(key + '.'))}}}")
            for sub, sub_value in value.items():
                flat[f"{key}.{sub}"] = sub_value
        else:
            flat[key] = value
    unknown = sorted(set(flat) - set(KEYS))
    if unknown:
        raise InputError(f"study config {path}: unknown key(s) {', '.join(unknown)}; known keys: "
                         f"{', '.join(KEYS)} (topics.* and stance.* nest under topics: and stance:)")
    return flat


def _resolve(value: Any, base: Path, key: str, path: Path, *, must_exist: bool = True) -> Path | None:
    if value in (None, "", False):
        return None
    if not isinstance(value, str):
        raise InputError(f"study config {path}: {key} must be a path (text), got {value!r}")
    if value.startswith(RESOURCE_PREFIX):
        resolved = config.resource(value[len(RESOURCE_PREFIX):])
    else:
        resolved = (base / Path(value).expanduser()).resolve()
    if must_exist and not resolved.exists():
        raise InputError(f"study config {path}: {key} {value!r} does not exist ({resolved}); "
                         "fix the path (relative paths are read from the config's folder) or remove the key")
    return resolved


def _bool(flat: Mapping[str, Any], key: str, path: Path) -> bool:
    value = flat.get(key, KEYS[key][0])
    if not isinstance(value, bool):
        raise InputError(f"study config {path}: {key} must be true or false, got {value!r}")
    return value


def _int(flat: Mapping[str, Any], key: str, path: Path, *, minimum: int = 0) -> int | None:
    value = flat.get(key, KEYS[key][0])
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(f"study config {path}: {key} must be a whole number >= {minimum}, got {value!r}")
    return value


def _str_list(flat: Mapping[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = flat.get(key, KEYS[key][0])
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise InputError(f"study config {path}: {key} must be a list of text, got {value!r}")
    return tuple(str(v) for v in value)


def load_study(path: str | Path) -> Study:
    """Read and check a study config; every problem is an InputError naming the file and the key."""
    from analysis.io import read_yaml

    path = Path(path).expanduser().resolve()
    data = read_yaml(path, "study config", "write one with `analysis init DIR` (or pass an existing file)")
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise InputError(f"study config {path}: expected a mapping of keys (name:, inputs:, output:, ...)")
    flat = _flatten(data, path)
    base = path.parent

    inputs = _str_list(flat, "inputs", path)
    if not inputs:
        raise InputError(f"study config {path}: inputs is empty; list the files or folders of editorials, "
                         "e.g. inputs: [editorials/]")
    resolved_inputs = tuple(_resolve(i, base, "inputs", path) for i in inputs)

    columns = flat.get("columns") or {}
    if not isinstance(columns, Mapping):
        raise InputError(f"study config {path}: columns must map roles to column names, "
                         "e.g. columns: {text: 記事本文, published: 掲載日, source: 媒体名}")
    from analysis.ingest.tables import ALIASES

    bad = sorted(set(map(str, columns)) - set(ALIASES))
    if bad:
        raise InputError(f"study config {path}: columns has unknown role(s) {bad}; roles: {', '.join(ALIASES)}")

    period = str(flat.get("period", KEYS["period"][0]))
    if period.lower() == "auto":
        period = "auto"
    if period not in config.PERIOD_CHOICES:
        raise InputError(f"study config {path}: period must be one of {', '.join(config.PERIOD_CHOICES)}, got {period!r}")

    methods = _str_list(flat, "topics.methods", path)
    wrong = [m for m in methods if m not in TOPIC_METHODS]
    if wrong:
        raise InputError(f"study config {path}: topics.methods has {wrong}; use any of {', '.join(TOPIC_METHODS)}")
    raw_k = flat.get("topics.k")
    if raw_k is None:
        k: dict[str, int] = {}
    elif isinstance(raw_k, int) and not isinstance(raw_k, bool):
        k = {m: raw_k for m in TOPIC_METHODS}
    elif isinstance(raw_k, Mapping) and all(isinstance(v, int) and not isinstance(v, bool) for v in raw_k.values()):
        k = {str(m): int(v) for m, v in raw_k.items()}
        wrong = sorted(set(k) - set(TOPIC_METHODS))
        if wrong:
            raise InputError(f"study config {path}: topics.k names unknown method(s) {wrong}; use {', '.join(TOPIC_METHODS)}")
    else:
        raise InputError(f"study config {path}: topics.k must be a number or {{nmf: 8, lda: 8, bertopic: 8}}, got {raw_k!r}")
    if any(v < 2 for v in k.values()):
        raise InputError(f"study config {path}: topics.k must be at least 2, got {raw_k!r}")

    from analysis.stance.methods import METHODS

    stance_method = str(flat.get("stance.method", KEYS["stance.method"][0]))
    if stance_method not in METHODS:
        raise InputError(f"study config {path}: stance.method {stance_method!r} is not one of {', '.join(METHODS)}")

    output = flat.get("output")
    return Study(
        path=path,
        name=str(flat.get("name") or base.name),
        inputs=resolved_inputs,
        output=_resolve(output, base, "output", path, must_exist=False),
        columns={str(r): str(c) for r, c in columns.items()},
        allow_undated=_bool(flat, "allow_undated", path),
        allow_other_languages=_bool(flat, "allow_other_languages", path),
        max_chars=_int(flat, "max_chars", path, minimum=1000),
        seed=_int(flat, "seed", path),
        period=period,
        min_n_interval=_int(flat, "min_n_interval", path, minimum=1),
        show_n=_bool(flat, "show_n", path),
        jobs=_int(flat, "jobs", path),
        scheduler=(str(flat["scheduler"]) if flat.get("scheduler") not in (None, "", "none") else None),
        topic_methods=methods,
        k=k,
        themes=_resolve(flat.get("topics.themes"), base, "topics.themes", path),
        targets=_resolve(flat.get("stance.targets", KEYS["stance.targets"][0]), base, "stance.targets", path),
        stance_method=stance_method,
        unnamed_theses=_bool(flat, "stance.unnamed_theses", path),
        events=_resolve(flat.get("events"), base, "events", path),
        kwic=_str_list(flat, "kwic", path),
        coding_rules=_resolve(flat.get("coding_rules"), base, "coding_rules", path),
        ground_truth=_resolve(flat.get("ground_truth"), base, "ground_truth", path),
        notebooks=_bool(flat, "notebooks", path),
        raw=dict(data),
    )


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    """``--config STUDY.yaml`` for a stage command (paths and parameters from the study)."""
    parser.add_argument("--config", type=Path, default=None, metavar="STUDY.yaml",
                        help="study config (analysis init writes one): its output folder and parameters "
                             "are used unless a flag says otherwise")


def from_args(args: argparse.Namespace) -> Study | None:
    """The study named by ``--config``, or None."""
    config_path = getattr(args, "config", None)
    return load_study(config_path) if config_path else None


def stage_paths(args: argparse.Namespace) -> tuple[Study | None, config.Paths]:
    """(study or None, its paths) for a stage command: ``--config`` decides the output folder,
    else ``--root`` (if the command has it) or the checkout."""
    study = from_args(args)
    root = getattr(args, "root", None)
    return study, (study.paths(root) if study else config.paths(root))


def pick(flag: Any, study: Study | None, attribute: str, default: Any) -> Any:
    """A stage parameter: the command-line flag if given, else the study's value, else ``default``."""
    if flag is not None:
        return flag
    if study is not None:
        return getattr(study, attribute)
    return default
