"""Word- and topic-intrusion tests of fitted topic models (Chang et al. 2009), and their scoring.

>>> import pandas as pd
>>> words = pd.DataFrame({"topic": [0] * 6 + [1] * 6, "rank": list(range(1, 7)) * 2,
...     "word": ["半導体", "補助金", "工場", "支援", "予算", "誘致", "物価", "賃金", "家計", "値上げ", "消費", "年金"]})
>>> sheet, key = word_intrusion(words, method="nmf", seed=1)
>>> len(sheet), sorted(key["intruder_topic"].tolist())   # one item per topic, intruder from the other
(2, [0, 1])

Chang, Boyd-Graber, Gerrish, Wang and Blei (2009), "Reading tea leaves: how humans interpret topic
models" (NIPS). *Word intrusion*: a topic's five most probable words plus one *intruder*, a word
that is among the top words of another topic but not listed for this one, in random order; a
coder who can tell the intruder finds the topic coherent. The share of answers that find it is
the topic's *model precision* (chance: 1/6). *Topic intrusion*: a document (headline and the
opening of its text) with its three heaviest topics and one topic it does not contain (weight
below ``INTRUDER_MAX_WEIGHT``), each shown as its top words; the *topic log odds* of an answer is
``log θ(intruder) - log θ(chosen)`` (0 when the intruder is found, more negative the heavier the
topic wrongly picked; weights floored at ``WEIGHT_FLOOR``). Documents are taken round-robin over
their dominant topics so every topic gets items. A model that gives each document one topic
(BERTopic's hard assignment) has no topic mixture to test: only its word-intrusion sheet is written.

Several coders fill copies of the same sheet; :func:`score_intrusion` pools their answers. Each
topic's share is tested against chance with a one-sided binomial test, so a topic is called
interpretable only when its answers say so (one coder's single answer cannot).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.validation.annotate import sample_id
from analysis.validation.sheets import (KEY_SUFFIX, check_units, find_key, read_key, read_sheet, require_columns,
                                        write_key, write_sheet)

N_TOP_WORDS = 5
INTRUDER_POOL = 10          # the intruder is among another topic's top 10 words
N_TOP_TOPICS = 3
N_TOPIC_WORDS = 6           # words shown per topic in topic intrusion
MIN_TOPIC_WEIGHT = 0.05     # the second heaviest topic must reach this for a document to be used
INTRUDER_MAX_WEIGHT = 0.01  # an intruder topic weighs less than this in the document
WEIGHT_FLOOR = 1e-3
EXCERPT_CHARS = 400
ALPHA = 0.05

WORD_INSTRUCTIONS = """\
Word intrusion / 語の侵入テスト
Each row shows six words. Five belong together (one topic of a model); one does not.
Write the position (1-6) of the word that does not belong in "answer". Guess if unsure; leave it
empty only if the words mean nothing to you. Do not reorder rows or edit item_id.
各行に6語。5語は同じ話題に属し、1語だけ仲間外れ。その語の番号（1-6）を answer 列に記入。迷っても推測で答える。
"""

TOPIC_INSTRUCTIONS = """\
Topic intrusion / 話題の侵入テスト
Each row shows an editorial (headline and opening) and four topics, each as its most typical words.
Three topics are in the editorial; one is not. Write the number (1-4) of the topic that is NOT in
it in "answer". Do not reorder rows or edit item_id.
各行に社説（見出しと冒頭）と4つの話題（代表語）。3つは社説に含まれ、1つは含まれない。含まれない話題の番号（1-4）を answer 列に記入。
"""


def _topics(topic_words: pd.DataFrame) -> list:
    return sorted(t for t in topic_words["topic"].unique() if t != -1)


def _ranked(topic_words: pd.DataFrame) -> dict:
    ordered = topic_words.sort_values(["topic", "rank"])
    return {t: list(dict.fromkeys(g["word"].astype(str))) for t, g in ordered.groupby("topic")}


def word_intrusion(topic_words: pd.DataFrame, *, method: str, n_top: int = N_TOP_WORDS, pool: int = INTRUDER_POOL,
                   seed: int = config.SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(sheet, key)``: one item per topic (outlier topic -1 left out)."""
    require_columns(topic_words.assign(_row=0), "topic_words", ["topic", "rank", "word"])
    ranked = _ranked(topic_words)
    topics = _topics(topic_words)
    labels = topic_words.drop_duplicates("topic").set_index("topic")["label"] if "label" in topic_words else {}
    rng = np.random.default_rng([seed, 11])
    items = []
    for topic in topics:
        top = ranked[topic][:n_top]
        own = set(ranked[topic])
        sources = {}
        for other in topics:
            if other != topic:
                for word in ranked[other][:pool]:
                    if word not in own:
                        sources.setdefault(word, other)
        candidates = sorted(sources)
        if len(top) < n_top or not candidates:
            continue  # too few words, or no word of another topic outside this one's list
        intruder = candidates[int(rng.integers(len(candidates)))]
        shown = top + [intruder]
        order = rng.permutation(len(shown))
        shown = [shown[i] for i in order]
        items.append({"topic": topic, "label": str(labels.get(topic, "")) if len(labels) else "",
                      "words": shown, "intruder": intruder, "intruder_position": shown.index(intruder) + 1,
                      "intruder_topic": sources[intruder]})
    if not items:
        raise InputError(f"{method}: no topic has {n_top} words and a possible intruder; fit more topics or words")
    order = rng.permutation(len(items))
    items = [items[i] for i in order]
    sid = sample_id("word", pd.DataFrame({"doc_id": [f"{method}:{it['topic']}:{'|'.join(it['words'])}" for it in items],
                                          "predicted": ""}), method=method, seed=seed)
    n_words = n_top + 1
    sheet = pd.DataFrame([{"item_id": f"{sid}-{i:04d}", **{f"word_{j + 1}": w for j, w in enumerate(it["words"])},
                           "answer": "", "note": ""} for i, it in enumerate(items, start=1)])
    key = pd.DataFrame([{"item_id": f"{sid}-{i:04d}", "sample_id": sid, "task": "word", "model": method,
                         "topic": it["topic"], "label": it["label"], "options": n_words,
                         "intruder": it["intruder"], "intruder_position": it["intruder_position"],
                         "intruder_topic": it["intruder_topic"], "shown": "|".join(it["words"]),
                         "weights": "", "doc_id": ""} for i, it in enumerate(items, start=1)])
    return sheet, key


def topic_intrusion(doc_topics: pd.DataFrame, topic_words: pd.DataFrame, corpus: pd.DataFrame, *, method: str,
                    n_docs: int = 24, n_top: int = N_TOP_TOPICS, n_words: int = N_TOPIC_WORDS,
                    seed: int = config.SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(sheet, key)`` for up to ``n_docs`` documents with a topic mixture; empty frames when none has one."""
    ranked = _ranked(topic_words)
    topics = _topics(topic_words)
    weights = (doc_topics[doc_topics["topic"] != -1].pivot_table(index="doc_id", columns="topic", values="weight",
                                                                   aggfunc="sum")
               .reindex(columns=topics).fillna(0.0).sort_index())
    rng = np.random.default_rng([seed, 12])
    eligible: dict = {}
    for doc_id, row in weights.iterrows():
        ordered = row.sort_values(ascending=False, kind="mergesort")
        if len(ordered) <= n_top or ordered.iloc[1] < MIN_TOPIC_WEIGHT:
            continue
        outside = [t for t in ordered.index[n_top:] if ordered[t] < INTRUDER_MAX_WEIGHT]
        if outside:
            eligible.setdefault(ordered.index[0], []).append(doc_id)
    picked: list = []
    queues = {t: list(rng.permutation(np.array(docs, dtype=object))) for t, docs in sorted(eligible.items())}
    while len(picked) < n_docs and any(queues.values()):
        for t in sorted(queues):
            if queues[t] and len(picked) < n_docs:
                picked.append(queues[t].pop(0))
    if not picked:
        return pd.DataFrame(), pd.DataFrame()
    docs = corpus.set_index("doc_id")
    items = []
    for doc_id in picked:
        row = weights.loc[doc_id].sort_values(ascending=False, kind="mergesort")
        top = list(row.index[:n_top])
        outside = sorted(t for t in row.index[n_top:] if row[t] < INTRUDER_MAX_WEIGHT)
        intruder = outside[int(rng.integers(len(outside)))]
        shown = top + [intruder]
        shown = [shown[i] for i in rng.permutation(len(shown))]
        text = str(docs.at[doc_id, "text"]) if doc_id in docs.index else ""
        title = str(docs.at[doc_id, "title"]) if doc_id in docs.index and "title" in docs.columns else ""
        items.append({"doc_id": doc_id, "headline": title, "excerpt": " ".join(text.split())[:EXCERPT_CHARS] + "…",
                      "shown": shown, "weights": [float(row[t]) for t in shown], "intruder": intruder,
                      "intruder_position": shown.index(intruder) + 1, "dominant": top[0]})
    sid = sample_id("topic", pd.DataFrame({"doc_id": [f"{method}:{it['doc_id']}" for it in items], "predicted": ""}),
                    method=method, seed=seed, n_docs=n_docs)
    sheet = pd.DataFrame([{"item_id": f"{sid}-{i:04d}", "headline": it["headline"], "excerpt": it["excerpt"],
                           **{f"topic_{j + 1}": "・".join(ranked[t][:n_words]) for j, t in enumerate(it["shown"])},
                           "answer": "", "note": ""} for i, it in enumerate(items, start=1)])
    key = pd.DataFrame([{"item_id": f"{sid}-{i:04d}", "sample_id": sid, "task": "topic", "model": method,
                         "topic": it["dominant"], "label": "", "options": n_top + 1, "intruder": str(it["intruder"]),
                         "intruder_position": it["intruder_position"], "intruder_topic": it["intruder"],
                         "shown": "|".join(str(t) for t in it["shown"]),
                         "weights": "|".join(f"{w:.6f}" for w in it["weights"]), "doc_id": it["doc_id"]}
                        for i, it in enumerate(items, start=1)])
    return sheet, key


def write_intrusion_sheets(processed: str | Path, out_dir: str | Path, *, methods: Sequence[str] | None = None,
                           n_docs: int = 24, seed: int = config.SEED, force: bool = False) -> dict[str, list[Path]]:
    """Word- and topic-intrusion sheets (+ keys) for every fitted model under ``processed/topics``."""
    from analysis.io import read_stage_output

    processed, out_dir = Path(processed), Path(out_dir)
    root = processed / "topics"
    fitted = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    methods = list(methods) if methods else fitted
    if not methods:
        raise InputError(f"no topic models under {root}; run `analysis topics` first")
    corpus = read_stage_output(processed / "corpus.parquet", "ingest", ("doc_id", "text"))
    written: dict[str, list[Path]] = {}
    for method in methods:
        folder = root / method
        words = read_stage_output(folder / "topic_words.parquet", f"topics --method {method}", ("topic", "rank", "word"))
        doc_topics = read_stage_output(folder / "doc_topics.parquet", f"topics --method {method}",
                                       ("doc_id", "topic", "weight"))
        paths: list[Path] = []
        for task, (sheet, key), instructions in (
                ("words", word_intrusion(words, method=method, seed=seed), WORD_INSTRUCTIONS),
                ("topics", topic_intrusion(doc_topics, words, corpus, method=method, n_docs=n_docs, seed=seed),
                 TOPIC_INSTRUCTIONS)):
            if sheet.empty:
                continue
            stem = out_dir / f"intrusion_{task}_{method}_{key['sample_id'].iloc[0]}"
            if not force and stem.with_name(stem.name + ".csv").exists():
                raise InputError(f"{stem}.csv already exists and may hold a coder's answers; copy it elsewhere "
                                 "first, or pass --force")
            options = int(key["options"].iloc[0])
            paths += write_sheet(sheet, stem, answer_column="answer", allowed=[str(i) for i in range(1, options + 1)],
                                 instructions=instructions)
            paths.append(write_key(key, stem.with_name(stem.name + KEY_SUFFIX)))
        written[method] = paths
    return written


# ---------------------------------------------------------------- scoring


def read_filled_intrusion(path: str | Path, *, key: str | Path | None = None) -> pd.DataFrame:
    """A filled intrusion sheet joined to its key: one row per answered item (answer 1..options, found)."""
    path = Path(path)
    frame = read_sheet(path)
    require_columns(frame, path, ["item_id", "answer"])
    key_path = find_key(frame["item_id"], path, key=key, folders=[config.paths().annotation])
    key_frame = read_key(key_path, ["item_id", "task", "model", "topic", "options", "intruder_position", "shown"])
    check_units(frame, path, key_frame, key_path, id_column="item_id")
    frame = frame[["item_id", "answer", "_row"]].assign(item_id=frame["item_id"].str.strip())
    frame = frame.merge(key_frame, on="item_id", how="left")
    answers = []
    for raw, shown, options, task, row_no, item in zip(frame["answer"], frame["shown"], frame["options"],
                                                        frame["task"], frame["_row"], frame["item_id"]):
        raw = str(raw).strip()
        if raw == "":
            answers.append(np.nan)
            continue
        shown = str(shown).split("|")
        value = None
        if raw.isdigit() and 1 <= int(raw) <= int(options):
            value = int(raw)
        elif task == "word" and raw in shown:
            value = shown.index(raw) + 1
        if value is None:
            raise InputError(f"{path} row {row_no} (item_id {item}): answer {raw!r} is not a number from 1 to "
                             f"{options}; write the position of the intruder (or leave the cell empty)")
        answers.append(value)
    frame["answer"] = answers
    frame["coder"] = path.stem
    frame = frame.dropna(subset=["answer"]).copy()
    frame["answer"] = frame["answer"].astype(int)
    frame["found"] = frame["answer"] == frame["intruder_position"].astype(int)
    return frame.drop(columns=["_row"]).reset_index(drop=True)


def _log_odds(row) -> float:
    weights = [float(w) for w in str(row.weights).split("|")] if str(row.weights) not in ("", "nan") else []
    if not weights:
        return float("nan")
    intruder = max(weights[int(row.intruder_position) - 1], WEIGHT_FLOOR)
    chosen = max(weights[int(row.answer) - 1], WEIGHT_FLOOR)
    return float(np.log(intruder) - np.log(chosen))


def score_intrusion(answers: pd.DataFrame, *, alpha: float = ALPHA) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(per_topic, per_model)`` from the answers of one or more coders (:func:`read_filled_intrusion`).

    per_topic: task, model, topic, n_answers, n_found, share_found, chance, p_value (one-sided
    binomial test of share_found > chance), mean_log_odds (topic task), verdict.
    per_model: task, model, n_items, n_answers, share_found, mean_log_odds, topics_better_than_chance.
    """
    from scipy.stats import binomtest

    answers = answers.copy()
    answers["log_odds"] = [(_log_odds(r) if r.task == "topic" else float("nan")) for r in answers.itertuples()]
    rows = []
    for (task, model, topic), group in answers.groupby(["task", "model", "topic"], sort=True):
        n, k = len(group), int(group["found"].sum())
        chance = 1.0 / int(group["options"].iloc[0])
        p_value = float(binomtest(k, n, chance, alternative="greater").pvalue) if n else float("nan")
        if p_value < alpha:
            verdict = f"interpretable: found {k} of {n} (chance {chance:.2f}, p={p_value:.3f})"
        elif n and chance ** n >= alpha:  # even all n found could not beat chance
            needed = int(np.ceil(np.log(alpha) / np.log(chance)))
            verdict = f"too few answers to tell: found {k} of {n}; at least {needed} answers needed"
        else:
            verdict = f"not better than chance: found {k} of {n} (chance {chance:.2f}, p={p_value:.3f})"
        rows.append({"task": task, "model": model, "topic": topic, "n_answers": n, "n_found": k,
                     "share_found": k / n if n else float("nan"), "chance": chance, "p_value": p_value,
                     "mean_log_odds": float(group["log_odds"].mean()) if task == "topic" else float("nan"),
                     "verdict": verdict})
    per_topic = pd.DataFrame(rows, columns=["task", "model", "topic", "n_answers", "n_found", "share_found", "chance",
                                            "p_value", "mean_log_odds", "verdict"])
    per_model = (answers.groupby(["task", "model"], sort=True)
                 .agg(n_items=("item_id", "nunique"), n_answers=("found", "size"), share_found=("found", "mean"),
                      mean_log_odds=("log_odds", "mean"))
                 .reset_index())
    better = per_topic.assign(ok=per_topic["p_value"] < alpha).groupby(["task", "model"])["ok"].sum()
    per_model["topics_better_than_chance"] = [int(better.get((t, m), 0)) for t, m in zip(per_model["task"], per_model["model"])]
    return per_topic, per_model
