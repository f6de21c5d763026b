"""Named themes: seed words that guide topics and name them.

>>> themes = {"輸出規制": ["輸出規制", "半導体"], "AI競争": ["AI", "覇権"]}
>>> words = [["輸出規制", "半導体", "AI"], ["AI", "覇権", "競争"]]
>>> label_topics(words, themes, seeded=[0, 1])
[('輸出規制', True), ('AI競争', True)]

A themes file (``resources/themes.yaml``) maps a theme name to its seed words. Seeded NMF puts the
seed words into its initialisation (:func:`seeded_nmf_init`); BERTopic gets them as
``seed_topic_list``. Afterwards every topic is named by :func:`label_topics`: a seeded topic keeps
its theme's name while its top words still contain a seed word; any other topic is named after the
theme whose seeds it matches best (at least ``min_hits`` of them among its top words), else after its
own top three words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from analysis import config
from analysis.errors import InputError

Themes = dict[str, list[str]]


def load_themes(path: str | Path | None = None) -> Themes:
    """Theme name -> seed words from a YAML mapping (default: the bundled ``themes.yaml``)."""
    from analysis.io import read_yaml

    path = Path(path) if path is not None else config.resource("themes.yaml")
    data = read_yaml(path, "themes file", "pass --themes with a YAML file mapping theme names to lists of seed words")
    if not isinstance(data, Mapping) or not data:
        raise InputError(f"themes file {path}: expected a mapping 'theme: [seed, words, ...]'")
    themes: Themes = {}
    for name, words in data.items():
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, list) or not words or not all(isinstance(w, (str, int)) for w in words):
            raise InputError(f"themes file {path}: theme {name!r} needs a non-empty list of seed words")
        themes[str(name)] = [str(w) for w in words]
    return themes


def seed_indices(themes: Themes, vocabulary: Mapping[str, int], analyzer=None) -> dict[str, list[int]]:
    """Vocabulary columns of each theme's seed words (a compound seed also counts by its parts)."""
    out = {}
    for name, words in themes.items():
        cols: list[int] = []
        for word in words:
            candidates = [word]
            if word not in vocabulary and analyzer is not None:
                candidates = analyzer(word)
            cols.extend(vocabulary[c] for c in candidates if c in vocabulary)
        out[name] = sorted(set(cols))
    return out


def seeded_nmf_init(X, W0: np.ndarray, H0: np.ndarray, seeds: Sequence[Sequence[int]]):
    """Custom NMF initialisation: seeded topics replace the discovered ones they resemble most.

    ``W0, H0`` come from an unseeded (NNDSVD) NMF of ``X``. Each seed list is matched one-to-one
    (Hungarian, on the mass each topic puts on the seeds) to a topic; that topic's ``H`` row is
    replaced by mass on the seed words only and its ``W`` column by the documents' use of them.
    Returns ``W, H, seeded_rows`` (row index per seed list, in order).
    """
    from scipy.optimize import linear_sum_assignment

    W, H = W0.copy(), H0.copy()
    k = H.shape[0]
    if len(seeds) > k:
        raise InputError(f"--k {k} is smaller than the number of themes ({len(seeds)}); raise --k")
    Hn = H / np.maximum(H.sum(axis=1, keepdims=True), 1e-12)
    score = np.array([[Hn[t, list(cols)].sum() if len(cols) else 0.0 for t in range(k)] for cols in seeds])
    rows, cols_ = linear_sum_assignment(-score)
    order = np.empty(len(seeds), dtype=int)
    order[rows] = cols_
    peak = float(np.mean(H.max(axis=1))) or 1.0
    Xc = X.tocsc() if hasattr(X, "tocsc") else np.asarray(X)
    for cols, t in zip(seeds, order):
        if not len(cols):
            continue
        H[t, :] = peak * 1e-3
        H[t, list(cols)] = peak
        use = np.asarray(Xc[:, list(cols)].sum(axis=1)).ravel()
        scale = W[:, t].max() / use.max() if use.max() > 0 and W[:, t].max() > 0 else 1.0
        W[:, t] = use * scale + 1e-6
    return W, H, [int(t) for t in order]


def label_topics(top_words: Sequence[Sequence[str]], themes: Themes | None, *,
                 seeded: Sequence[int | None] = (), n_label_words: int = 3,
                 min_hits: int = 2, top_n: int = 10) -> list[tuple[str, bool]]:
    """(label, seeded) per topic.

    ``seeded[i]`` is the topic row seeded with the i-th theme (``None`` if it had no seed words in
    the vocabulary). A seeded topic keeps its theme name if any seed word is among its ``top_n``
    words. Unseeded topics take a theme's name when at least ``min_hits`` of its seeds are among
    their top words (and no other topic already holds it); otherwise ``top1・top2・top3``.
    """
    themes = themes or {}
    names = list(themes)
    labels: list[str | None] = [None] * len(top_words)
    flags = [False] * len(top_words)
    taken: set[str] = set()
    for name, row in zip(names, seeded):
        if row is None:
            continue
        flags[row] = True
        if set(themes[name]) & set(top_words[row][:top_n]):
            labels[row] = name
            taken.add(name)
    for t, words in enumerate(top_words):
        if labels[t] is not None or flags[t]:
            continue
        hits = {n: len(set(themes[n]) & set(words[:top_n])) for n in names if n not in taken}
        best = max(hits, key=lambda n: (hits[n], -names.index(n)), default=None)
        if best is not None and hits[best] >= min_hits:
            labels[t] = best
            taken.add(best)
    out = []
    used: dict[str, int] = {}
    for t, words in enumerate(top_words):
        label = labels[t] or "・".join(list(words[:n_label_words])) or f"topic {t}"
        used[label] = used.get(label, 0) + 1
        if used[label] > 1:
            label = f"{label} ({used[label]})"
        out.append((label, flags[t]))
    return out
