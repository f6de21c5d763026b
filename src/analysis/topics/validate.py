"""Do the topic models recover real structure? NMI/ARI against livedoor categories and demo themes.

    $ analysis topics-validate --per-category 150          # livedoor, 9 categories, k=9
    $ analysis topics-validate --demo                      # planted themes of the demo corpus

>>> agreement([0, 0, 1, 1], ["a", "a", "b", "b"])
{'nmi': 1.0, 'ari': 1.0, 'n': 4}

livedoor (../shared/data/livedoor/ldcc-text.tgz, CC BY-ND: read where it lies, never copied) is
read by the ingest stage (``analysis.ingest.collect``; the folder is the category). A seeded random
sample of ``per_category`` articles per category (all with ``None``) is tokenized with
``analysis.tokenize.tokenize_corpus`` (token cache under data/cache, so reruns are fast), each
method is fitted with k = number of categories, and each document's dominant topic is compared
with its category: normalised mutual information and adjusted Rand index. BERTopic is scored with
both clusterings, k-means into k topics and HDBSCAN (merged down to k; its remaining outliers count
as one more cluster and their share is reported).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.topics.stage_defaults import TOPIC_METHODS

LIVEDOOR_TARBALL = Path("data") / "livedoor" / "ldcc-text.tgz"
#: BERTopic is scored with both clusterings (see analysis.topics.bertopic_model).
BERTOPIC_CLUSTERINGS = ("kmeans", "hdbscan")


def agreement(topics: Sequence[int], classes: Sequence[str]) -> dict:
    """NMI (arithmetic normalisation) and ARI between topic assignments and known classes."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return {"nmi": round(float(normalized_mutual_info_score(classes, topics)), 4),
            "ari": round(float(adjusted_rand_score(classes, topics)), 4), "n": int(len(classes))}


def load_livedoor(tarball: str | Path | None = None) -> pd.DataFrame:
    """livedoor articles: doc_id, source, title, text, published, category (sorted by doc_id)."""
    tarball = Path(tarball) if tarball else config.paths().shared / LIVEDOOR_TARBALL
    if not tarball.is_file():
        raise InputError(f"livedoor tarball {tarball} not found; pass --livedoor PATH (ldcc-text.tgz "
                         "or RONDHUIT's ldcc-20140209.tar.gz)")
    from analysis.ingest import collect

    frame = collect([tarball]).corpus
    frame = frame[frame["category"].notna() & (frame["category"].astype(str) != "")]
    return frame.sort_values("doc_id").reset_index(drop=True)


def sample_per_category(frame: pd.DataFrame, per_category: int | None, seed: int = config.SEED) -> pd.DataFrame:
    if not per_category:
        return frame
    parts = [group.sample(min(per_category, len(group)), random_state=seed)
             for _, group in frame.groupby("category", sort=True)]
    return pd.concat(parts).sort_values("doc_id").reset_index(drop=True)


def tokenized_documents(frame: pd.DataFrame, *, jobs: int = 0, cache_dir: Path | None = None) -> list[list[str]]:
    """Token lists of the body text, through the project's tokenizer and its cache.

    The body alone, as ``analysis tokenize`` and the topic stage see it, so the figures validate the
    pipeline as it runs (and a corpus tokenized once is never tokenized again here).
    """
    from analysis.tokenize import tokenize_corpus

    docs = frame[["doc_id", "text"]].copy()
    cache_dir = cache_dir or config.paths().cache  # the cache `analysis run` fills
    tokens = tokenize_corpus(docs, jobs=jobs, cache_dir=cache_dir)
    by_id = dict(zip(tokens["doc_id"], tokens["tokens"]))
    return [list(by_id[d]) for d in frame["doc_id"]]


def score_methods(documents: list, classes: Sequence[str], *, methods: Sequence[str], k: int,
                  seed: int = config.SEED, paragraphs: bool = False,
                  clusterings: Sequence[str] = BERTOPIC_CLUSTERINGS) -> pd.DataFrame:
    """One row per method (BERTopic: per clustering): method, clustering, k, nmi, ari, n, outlier_share,
    n_topics_found, seconds."""
    from analysis.topics.stage import build_model

    rows = []
    runs = [(m, c) for m in methods for c in (clusterings if m == "bertopic" else ("",))]
    for method, clustering in runs:
        start = time.perf_counter()
        model = build_model(method, k, seed=seed, themes=None, paragraphs=paragraphs,
                            clustering=clustering or "kmeans")
        weights = model.fit_transform(documents)
        topics = np.asarray(model.topics_)[weights.argmax(axis=1)]
        topics[weights.sum(axis=1) == 0] = -1
        row = {"method": method, "clustering": clustering, "k": k, **agreement(topics, classes),
               "outlier_share": round(float(np.mean(topics == -1)), 4),
               "n_topics_found": int(len([t for t in model.topics_ if t != -1])),
               "seconds": round(time.perf_counter() - start, 1)}
        rows.append(row)
    return pd.DataFrame(rows)


def validate_livedoor(*, per_category: int | None = 150, methods: Sequence[str] = TOPIC_METHODS,
                      seed: int = config.SEED, tarball: str | Path | None = None, jobs: int = 0,
                      cache_dir: Path | None = None, clusterings: Sequence[str] = BERTOPIC_CLUSTERINGS) -> pd.DataFrame:
    """NMI/ARI of dominant topic vs livedoor category, k = number of categories."""
    frame = sample_per_category(load_livedoor(tarball), per_category, seed)
    documents = tokenized_documents(frame, jobs=jobs, cache_dir=cache_dir)
    k = int(frame["category"].nunique())
    table = score_methods(documents, frame["category"].tolist(), methods=methods, k=k, seed=seed,
                          clusterings=clusterings)
    table.insert(0, "corpus", f"livedoor ({per_category or 'all'}/category)")
    return table


def validate_demo(*, root: str | Path | None = None, methods: Sequence[str] = TOPIC_METHODS,
                  seed: int = config.SEED, k: int | None = None,
                  clusterings: Sequence[str] = BERTOPIC_CLUSTERINGS) -> pd.DataFrame:
    """NMI/ARI of dominant topic vs the demo's planted ``theme`` (ground_truth.csv, joined on file name)."""
    from analysis.topics.stage import load_tokenized

    paths = config.paths(root)
    truth_path = paths.demo / "ground_truth.csv"
    if not truth_path.is_file():
        raise InputError(f"{truth_path} not found; run `analysis demo` to generate the demo corpus")
    truth = pd.read_csv(truth_path)
    frame = load_tokenized(paths.corpus, paths.tokens)
    depth = len(Path(str(truth["file"].iloc[0])).parts)  # e.g. pages/<newspaper>/<file>.txt
    frame["file"] = frame["path"].astype(str).map(lambda p: "/".join(Path(p).parts[-depth:]))
    truth["file"] = truth["file"].astype(str).map(lambda p: Path(p).as_posix())
    frame = frame.merge(truth[["file", "theme"]], on="file", how="inner")
    if frame.empty:
        raise InputError(f"no corpus document matches a file of {truth_path}; ingest data/raw/demo first "
                         "(`analysis ingest data/raw/demo` then `analysis tokenize`)")
    k = k or int(frame["theme"].nunique())
    documents = [list(t) for t in frame["tokens"]]
    table = score_methods(documents, frame["theme"].astype(str).tolist(), methods=methods, k=k, seed=seed,
                          clusterings=clusterings)
    table.insert(0, "corpus", "demo (planted themes)")
    return table
