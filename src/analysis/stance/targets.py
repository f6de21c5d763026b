"""Stance targets: names, aliases and seed words from a YAML file, and mention finding.

>>> targets = load_targets()
>>> sorted(targets)
['AI規制', '半導体補助金', '輸出規制']
>>> [(m.target, m.start, m.end) for m in find_mentions("政府は対中規制を強化した。", targets)]
[('輸出規制', 3, 7)]

The file maps each target name to ``{aliases: [...], description: ..., seed_words: {favor: [...],
against: [...]}}``; only ``aliases`` is required (the name itself always counts as an alias).
Text and aliases are NFKC-normalised before matching, so full-width ＡＩ規制 finds AI規制. Longer
aliases win over shorter ones they contain (半導体補助金 is one mention, not also 補助金), and a
character belongs to at most one mention.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from analysis import config
from analysis.errors import InputError

DEFAULT_TARGETS = config.resource("targets.yaml")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@dataclass(frozen=True)
class Target:
    """One stance target: its name, the strings that mention it, a description (used to find
    paraphrases and the target of an editorial that never names it), optional seed words."""

    name: str
    aliases: tuple[str, ...]
    description: str = ""
    favor_seeds: tuple[str, ...] = ()
    against_seeds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    target: str
    start: int
    end: int
    alias: str = field(default="", compare=False)


def literal_target(name: str) -> Target:
    """A target whose only alias is its own (normalised) name: the gold CSV's literal mentions."""
    return Target(name=name, aliases=(nfkc(name),))


def load_targets(path: str | Path | None = None) -> dict[str, Target]:
    """Targets from ``path`` (default: the package's ``resources/targets.yaml``), in file order."""
    from analysis.io import read_yaml

    path = Path(path) if path is not None else DEFAULT_TARGETS
    raw = read_yaml(path, "targets file", "pass --targets with a YAML file mapping each target name to {aliases: [...]}")
    if not isinstance(raw, dict) or not raw:
        raise InputError(f"targets file {path} must map target names to {{aliases: [...]}}; "
                         "e.g. '輸出規制: {aliases: [輸出規制, 輸出管理]}'")
    targets: dict[str, Target] = {}
    for name, spec in raw.items():
        name = nfkc(str(name))
        if spec is None:
            spec = {}
        if not isinstance(spec, dict):
            raise InputError(f"targets file {path}: entry {name!r} must be a mapping with 'aliases' "
                             f"(a list of strings), got {type(spec).__name__}")
        aliases = spec.get("aliases", [])
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, (str, int)) for a in aliases):
            raise InputError(f"targets file {path}: 'aliases' of {name!r} must be a list of strings")
        seeds = spec.get("seed_words") or {}
        if not isinstance(seeds, dict):
            raise InputError(f"targets file {path}: 'seed_words' of {name!r} must be "
                             "{favor: [...], against: [...]}")
        alias_set = [nfkc(str(a)).strip() for a in [name, *aliases]]
        alias_set = tuple(dict.fromkeys(a for a in alias_set if a))
        targets[name] = Target(
            name=name,
            aliases=alias_set,
            description=str(spec.get("description") or ""),
            favor_seeds=tuple(nfkc(str(w)) for w in seeds.get("favor") or ()),
            against_seeds=tuple(nfkc(str(w)) for w in seeds.get("against") or ()),
        )
    return targets


def find_mentions(text: str, targets: dict[str, Target]) -> list[Mention]:
    """Non-overlapping mentions of any target in ``text`` (already NFKC), sorted by position."""
    candidates = []
    for target in targets.values():
        for alias in target.aliases:
            start = text.find(alias)
            while start != -1:
                candidates.append((start, -len(alias), target.name, alias))
                start = text.find(alias, start + 1)
    taken = [False] * len(text)
    mentions = []
    for start, neg_len, name, alias in sorted(candidates, key=lambda c: (c[1], c[0], c[2])):
        end = start - neg_len
        if any(taken[start:end]):
            continue
        for i in range(start, end):
            taken[i] = True
        mentions.append(Mention(name, start, end, alias))
    return sorted(mentions, key=lambda m: (m.start, m.end, m.target))
