"""A small synthetic processed folder in the documented table contracts, for figure and notebook tests.

Texts are invented here (no newspaper text); the numbers are random but seeded.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.io import write_csv, write_json, write_parquet
from analysis.stats import grouped_mean_ci, period_label

SOURCES = ["東洋日報", "北辰新聞", "Asia Herald"]
TARGETS = ["輸出規制", "AI規制", "半導体補助金"]
THEMES = {
    "輸出規制": ["輸出規制", "半導体", "中国", "米国", "安全保障", "強化"],
    "AI競争": ["生成AI", "開発", "競争", "ディープシーク", "エヌビディア", "投資"],
    "補助金": ["補助金", "工場", "半導体", "支援", "予算", "誘致"],
    "物価": ["物価", "賃金", "家計", "値上げ", "消費", "政府"],
}


def make_processed(processed: Path, *, n_docs: int = 96, seed: int = 7, sources=SOURCES, themes=THEMES,
                   targets=TARGETS, mentions: bool = True) -> pd.DataFrame:
    """Write the folder; return the ground truth (file, source, published, theme, stance_<target>).

    ``sources``, ``themes`` (name -> words) and ``targets`` replace the defaults (one newspaper, a
    vocabulary without the demo's terms); ``mentions=False`` scores every document NONE with no
    mention, as on a corpus that never names the study's targets.
    """
    rng = np.random.default_rng(seed)
    processed = Path(processed)
    SOURCES, THEMES, TARGETS = list(sources), dict(themes), list(targets)
    themes = list(THEMES)
    rows, token_rows, truth_rows = [], [], []
    for i in range(n_docs):
        theme = themes[i % len(themes)]
        source = SOURCES[i % len(SOURCES)]
        published = pd.Timestamp("2021-01-05", tz="Asia/Tokyo") + pd.Timedelta(days=int(i * 15))
        words = list(rng.choice(THEMES[theme], size=30)) + list(rng.choice(sum(THEMES.values(), []), size=8))
        text = "。".join(words) + "。"
        doc_id = f"{i:016x}"
        file = f"page_{i:03d}.txt"
        rows.append({"doc_id": doc_id, "source": source, "genre": "社説", "title": f"{theme}の社説{i}",
                     "text": text, "published": published, "path": f"data/raw/demo/{file}"})
        token_rows.append({"doc_id": doc_id, "tokens": words, "sentences": [text],
                           "sentence_tokens": [words]})
        truth_rows.append({"file": file, "source": source, "published": published.isoformat(), "theme": theme,
                           **{f"stance_{t}": int(rng.integers(-1, 2)) for t in TARGETS}})
    corpus = pd.DataFrame(rows)
    write_parquet(corpus, processed / "corpus.parquet")
    write_parquet(pd.DataFrame(token_rows), processed / "tokens.parquet")
    write_csv(pd.DataFrame({"path": corpus["path"], "status": "ingested", "reason": "", "doc_id": corpus["doc_id"]}),
              processed / "ingest_report.csv")
    truth = pd.DataFrame(truth_rows)

    stance = []
    for doc_id, t_row in zip(corpus["doc_id"], truth_rows):
        for target in TARGETS:
            gold = t_row[f"stance_{target}"]
            score = float(np.clip(gold * 0.6 + rng.normal(0, 0.3), -1, 1))
            n_mentions = int(rng.integers(0, 3))
            if not mentions:
                score, n_mentions = 0.0, 0
            stance.append({"doc_id": doc_id, "target": target, "method": "rules", "score": score,
                           "label": "FAVOR" if score > 0.1 else "AGAINST" if score < -0.1 else "NONE",
                           "n_mentions": n_mentions})
    stance = pd.DataFrame(stance)
    write_parquet(stance, processed / "stance.parquet")
    evidence = stance[stance["n_mentions"] > 0].merge(corpus[["doc_id", "text"]], on="doc_id")
    write_parquet(pd.DataFrame({"doc_id": evidence["doc_id"].astype(str), "target": evidence["target"].astype(str),
                                "method": evidence["method"].astype(str), "sentence_index": 0,
                                "sentence": evidence["text"].astype(str).str.split("。").str[0] + "。",
                                "score": evidence["score"].astype(float)}),
                  processed / "stance_evidence.parquet")
    scored = stance[stance["n_mentions"] > 0].merge(corpus[["doc_id", "source", "published"]], on="doc_id")
    if scored.empty:
        over_time = pd.DataFrame({c: pd.Series(dtype=float if c in ("mean", "ci_low", "ci_high") else
                                               int if c == "n" else str)
                                  for c in ["source", "target", "period", "n", "mean", "ci_low", "ci_high"]})
    else:
        scored["period"] = period_label(scored["published"], "Q")
        over_time = grouped_mean_ci(scored, ["source", "target", "period"], "score", n_boot=50)
    write_parquet(over_time, processed / "stance_over_time.parquet")

    folder = processed / "topics" / "nmf"
    k = len(themes)
    weights = rng.dirichlet(np.ones(k) * 0.3, size=n_docs)
    doc_topics = pd.DataFrame([(d, t, float(w[t]), bool(t == int(np.argmax(w))))
                               for d, w in zip(corpus["doc_id"], weights) for t in range(k)],
                              columns=["doc_id", "topic", "weight", "dominant"])
    write_parquet(doc_topics, folder / "doc_topics.parquet")
    write_parquet(pd.DataFrame([(t, theme, r + 1, word, 1.0 / (r + 1)) for t, theme in enumerate(themes)
                                for r, word in enumerate(THEMES[theme])],
                               columns=["topic", "label", "rank", "word", "weight"]), folder / "topic_words.parquet")
    write_csv(pd.DataFrame({"topic": range(k), "label": themes, "seeded": True,
                            "size": doc_topics[doc_topics["dominant"]].groupby("topic").size().reindex(range(k), fill_value=0).to_numpy()}),
              folder / "topic_labels.csv")
    per = doc_topics[doc_topics["dominant"]].merge(corpus[["doc_id", "source", "published"]], on="doc_id")
    per["period"] = period_label(per["published"], "Q")
    share_rows = []
    for t in range(k):
        part = per.assign(value=(per["topic"] == t).astype(float))
        out = grouped_mean_ci(part, ["source", "period"], "value", n_boot=50)
        share_rows.append(out.assign(topic=t, label=themes[t]))
    shares = pd.concat(share_rows)[["source", "period", "topic", "label", "n", "mean", "ci_low", "ci_high"]]
    write_parquet(shares.reset_index(drop=True), folder / "topic_shares.parquet")
    write_json({"method": "nmf", "k": k, "seed": seed}, folder / "summary.json")
    return truth
