"""Latent Semantic Scaling (Watanabe 2021): word polarity from seed words in a corpus SVD space.

>>> texts = ["規制の強化は必要で妥当だ。", "規制の緩和は問題で懸念がある。", "補助金は必要で良い。",
...          "補助金は悪い問題だ。", "強化は妥当で良い。", "緩和は懸念で悪い。"]
>>> lss = LSSStanceScorer(n_components=3, min_df=1, random_state=0).fit(texts)
>>> bool(lss.word_polarity()["妥当"] > lss.word_polarity()["懸念"])
True

1. Sentences of the fitted texts become bags of content-word base forms (janome); a TF-IDF
   matrix sentences x words is reduced with ``TruncatedSVD(n_components, random_state)``.
2. Each word's polarity is its mean cosine similarity to the *favor* seed words minus that to
   the *against* seed words (seeds: the target's ``seed_words`` in targets.yaml, else the
   ``lss_seeds`` of the stance lexicon; seeds absent from the corpus are ignored).
3. A (text, target) item's score is the frequency-weighted mean polarity of the words within
   ``window`` morphemes of the target's mentions (``window=None``: the whole text), centred and
   scaled by the mean and standard deviation of sentence scores in the fitted corpus, then
   squashed with tanh into [-1, 1]. ``score_with_se`` also gives the standard error (the weighted
   standard deviation of the window's word polarities over the square root of their count, on
   the same scale before squashing).

LSS needs no labels; fit it on the corpus to be scored (or any larger corpus of the same genre).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.errors import InputError
from analysis.stance.base import BaseStanceScorer, Item, make_items
from analysis.stance.targets import nfkc

CONTENT_POS = ("名詞", "動詞", "形容詞", "副詞")
SKIP_POS1 = ("数", "非自立", "接尾", "代名詞")


def content_words(text: str) -> list[tuple[str, int, int]]:
    """(base form, start, end) of content morphemes of ``text``."""
    from analysis.stance.rules import tokens

    return [(t.base, t.start, t.end) for t in tokens(text)
            if t.pos0 in CONTENT_POS and t.pos1 not in SKIP_POS1 and len(t.base) > 0]


class LSSStanceScorer(BaseStanceScorer):
    """Seeded LSS (see module docstring): ``fit(texts)`` learns the word space, no labels."""

    def __init__(self, targets=None, n_components=100, window=10, min_df=2, seeds=None, lexicon=None,
                 threshold=0.1, random_state=None):
        self.targets = targets
        self.n_components = n_components
        self.window = window
        self.min_df = min_df
        self.seeds = seeds
        self.lexicon = lexicon
        self.threshold = threshold
        self.random_state = random_state

    @staticmethod
    def _texts(X) -> list[str]:
        if isinstance(X, pd.DataFrame):
            return [nfkc(str(t)) for t in X["text"]]
        return [nfkc(str(x if isinstance(x, str) else x[0])) for x in X]

    def _seed_sets(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        from analysis.stance.lexicon import load_lexicon

        lex = load_lexicon(self.lexicon)
        default = (lex.lss_favor, lex.lss_against)
        if self.seeds:
            default = (tuple(self.seeds.get("favor", ())), tuple(self.seeds.get("against", ())))
        sets = {"": default}
        for name, target in self._targets().items():
            if target.favor_seeds and target.against_seeds:
                sets[name] = (target.favor_seeds, target.against_seeds)
        return sets

    def fit(self, X, y=None):
        from analysis.tokenize.sentences import split_sentences

        sentences = []
        for text in dict.fromkeys(self._texts(X)):
            for s in split_sentences(text):
                words = [w for w, _, _ in content_words(s)]
                if words:
                    sentences.append(" ".join(words))
        self.vectorizer_ = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", lowercase=False,
                                           min_df=min(self.min_df, max(1, len(sentences))), sublinear_tf=True)
        if not sentences:
            raise InputError("LSS needs texts with content words to learn from; the input has none")
        matrix = self.vectorizer_.fit_transform(sentences)
        if matrix.shape[0] < 3 or matrix.shape[1] < 3:
            raise InputError(f"LSS needs a larger corpus ({matrix.shape[0]} sentences, {matrix.shape[1]} words "
                             f"kept with min_df={self.min_df}); add texts or lower min_df")
        k = max(1, min(self.n_components, matrix.shape[1] - 1, matrix.shape[0] - 1))
        self.svd_ = TruncatedSVD(n_components=k, random_state=self.random_state).fit(matrix)
        vectors = self.svd_.components_.T
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        vocab = self.vectorizer_.vocabulary_
        self.polarity_ = {}
        self.seeds_used_ = {}
        for key, (favor, against) in self._seed_sets().items():
            fav = [vocab[w] for w in favor if w in vocab]
            ag = [vocab[w] for w in against if w in vocab]
            sims_f = vectors @ vectors[fav].T if fav else np.zeros((len(vocab), 1))
            sims_a = vectors @ vectors[ag].T if ag else np.zeros((len(vocab), 1))
            self.polarity_[key] = sims_f.mean(axis=1) - sims_a.mean(axis=1)
            self.seeds_used_[key] = ([w for w in favor if w in vocab], [w for w in against if w in vocab])
        # centre and scale: sentence scores of the fitted corpus under the default seeds
        raw = [self._raw(s.split(" "), "")[0] for s in sentences]
        raw = np.asarray([r for r in raw if np.isfinite(r)]) if raw else np.zeros(1)
        self.center_ = float(raw.mean()) if raw.size else 0.0
        self.scale_ = float(raw.std()) if raw.size and raw.std() > 0 else 1.0
        return self

    def word_polarity(self, target: str = "") -> pd.Series:
        """Polarity of every vocabulary word for ``target``'s seeds (or the default seeds)."""
        pol = self.polarity_.get(target, self.polarity_[""])
        words = self.vectorizer_.get_feature_names_out()
        return pd.Series(pol, index=words).sort_values(ascending=False)

    def _raw(self, words: list[str], key: str) -> tuple[float, float]:
        pol = self.polarity_.get(key, self.polarity_[""])
        vocab = self.vectorizer_.vocabulary_
        values = np.asarray([pol[vocab[w]] for w in words if w in vocab])
        if values.size == 0:
            return float("nan"), float("nan")
        mean = float(values.mean())
        se = float(values.std() / np.sqrt(values.size))
        return mean, se

    def _window_words(self, item: Item) -> list[str]:
        words = content_words(item.text)
        if self.window is None:
            return [w for w, a, b in words if not any(a < m.end and b > m.start for m in item.mentions)]
        picked = []
        for m in item.mentions:
            before = [k for k, (_, a, b) in enumerate(words) if b <= m.start]
            after = [k for k, (_, a, b) in enumerate(words) if a >= m.end]
            picked.extend(before[-self.window:] + after[:self.window])
        return [words[k][0] for k in sorted(set(picked))]

    def score_with_se(self, X) -> pd.DataFrame:
        """Per row of X: ``score`` in [-1, 1], the unsquashed ``z`` and its standard error ``se``."""
        return self._score_frame(make_items(X, self._targets()))

    def _score_frame(self, items: list[Item]) -> pd.DataFrame:
        rows = []
        for item in items:
            if not item.mentions:
                rows.append((0.0, np.nan, np.nan))
                continue
            key = item.target if item.target in self.polarity_ else ""
            mean, se = self._raw(self._window_words(item), key)
            if not np.isfinite(mean):
                rows.append((0.0, np.nan, np.nan))
                continue
            z = (mean - self.center_) / self.scale_
            rows.append((float(np.tanh(z)), z, se / self.scale_))
        return pd.DataFrame(rows, columns=["score", "z", "se"])

    def _score_items(self, items: list[Item]) -> np.ndarray:
        return self._score_frame(items)["score"].to_numpy(dtype=float)
