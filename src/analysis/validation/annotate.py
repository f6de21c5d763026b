"""A seeded, stratified validation sample from the researcher's own corpus, and its annotation sheet.

>>> import pandas as pd
>>> population = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(12)], "source": ["東西新聞"] * 12,
...     "period": ["2023"] * 6 + ["2024"] * 6, "predicted": ["FAVOR", "AGAINST", "NONE"] * 4})
>>> sample = draw_sample(population, 6, seed=1)
>>> sample.groupby("predicted").size().to_dict()       # balanced over predicted labels
{'AGAINST': 2, 'FAVOR': 2, 'NONE': 2}
>>> float(sample["weight"].sum())                      # weights add up to the population
12.0

The *population* is every unit the over-time tables count: each document scored as mentioning the
target (``unit="document"``), or each sentence the scorer read for it (``unit="sentence"``, from
stance_evidence.parquet). It is cut into strata by predicted label x newspaper x period. The
sample size ``n`` is first split over the predicted labels (``allocation="balanced"``: as equal as
the labels' sizes allow, so rare labels are not left with a handful of units; ``"proportional"``:
in proportion to their sizes), then within a label over its newspaper x period strata in
proportion to their sizes, at least one unit each. When a label's share is smaller than its
number of strata, the strata are collapsed (period first, then newspaper) so that every unit has
a known, positive chance to be drawn: the stratum actually used is kept in the key. Units are
drawn without replacement within strata; each keeps its inclusion probability ``n_h / N_h`` and
its weight ``N_h / n_h`` (Horvitz-Thompson), which make the validation estimates speak for the
population rather than for the sample.

The sheet lists the units in a seeded random order (a sorted sheet would reveal the strata, and so
the predictions), with the newspaper, date, headline and context, and an empty ``label`` column.
The key file beside it keeps what the coder must not see. ``annotate`` refuses to overwrite an
existing sheet (it may already hold a coder's work) unless ``force=True``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.validation.sheets import KEY_SUFFIX, SHEET_LABELS, STANCE_LABELS, write_key, write_sheet

UNITS = ("document", "sentence")
ALLOCATIONS = ("balanced", "proportional")
STRATA = ("predicted", "source", "period")

INSTRUCTIONS = """\
Stance annotation / 論調のアノテーション

Fill the column "label" of every row with one of / 各行の label 列に次のどれかを記入:
  FAVOR    the editorial (its author) supports the target: wants it introduced, kept, strengthened, expanded
           社説（筆者）が対象に賛成: 導入・維持・強化・拡充を求める
  AGAINST  the author opposes it: wants it dropped, relaxed, reviewed, or calls it a mistake
           筆者が反対: 撤廃・緩和・見直しを求める、誤りとする
  NONE     the target is discussed or mentioned without the author taking a side
           対象に触れるが筆者は立場を示さない
  SKIP     you cannot decide, or the unit is broken (it is counted, not used)
           判断できない・本文が壊れている（集計から外す）

Only the author's stance counts: positions the editorial reports (政府は…としている, 業界は…と主張)
are not the author's. Judge the target named in the "target" column only.
筆者自身の立場だけを判断する。政府や業界など他者の主張の紹介は筆者の立場ではない。target 列の対象についてだけ判断する。

Document sheets: judge the whole editorial; "mentions" lists the sentences naming the target, marked 【】.
Sentence sheets: judge the sentence in "sentence"; the context columns are there to read it right.
Do not add, delete or reorder rows, and do not edit unit_id. Use "note" for anything worth saying.
行の追加・削除・並べ替え、unit_id の編集はしないこと。気づいたことは note 列へ。
"""


@dataclass(frozen=True)
class AnnotationSample:
    """What ``annotate`` wrote: the sample's id, the sheet and key paths, the key frame."""

    sample_id: str
    sheet_paths: list[Path]
    key_path: Path
    key: pd.DataFrame
    population_size: int


# ---------------------------------------------------------------- populations


def document_population(stance: pd.DataFrame, corpus: pd.DataFrame, target: str, *, method: str,
                        period: str = config.PERIOD) -> pd.DataFrame:
    """Documents scored as mentioning ``target``: doc_id, source, published, period, predicted, score."""
    from analysis.stats import period_label

    scored = stance[(stance["target"] == target) & (stance["method"] == method) & (stance["n_mentions"] > 0)]
    meta = corpus[["doc_id", "source", "published"]].copy()
    meta["period"] = period_label(meta["published"], period, groups=meta["source"])
    out = scored[["doc_id", "label", "score"]].rename(columns={"label": "predicted"}).merge(meta, on="doc_id")
    out = out.dropna(subset=["period"])
    out["sentence_index"] = -2  # not a sentence unit
    return out.sort_values("doc_id").reset_index(drop=True)


def sentence_predictions(evidence: pd.DataFrame) -> pd.Series:
    """Each evidence sentence's own label: with the syntax scorer's ``weight``, the sign of the score
    of sentences that voted (others did not count, NONE); else the scorers' labelling rule."""
    from analysis.stance.base import BaseStanceScorer, labels_from_scores

    if "weight" in evidence.columns:
        sign = np.sign(evidence["score"].to_numpy(float)) * (evidence["weight"].to_numpy(float) > 0)
        return pd.Series(np.where(sign > 0, "FAVOR", np.where(sign < 0, "AGAINST", "NONE")), index=evidence.index)
    return pd.Series(labels_from_scores(evidence["score"], BaseStanceScorer.threshold), index=evidence.index)


def sentence_population(evidence: pd.DataFrame, corpus: pd.DataFrame, target: str, *, method: str,
                        period: str = config.PERIOD) -> pd.DataFrame:
    """Sentences the scorer read for ``target`` (one row per document and sentence index)."""
    from analysis.stats import period_label

    rows = evidence[(evidence["target"] == target) & (evidence["method"] == method)].copy()
    rows["predicted"] = sentence_predictions(rows)
    rows = rows.drop_duplicates(["doc_id", "sentence_index"], keep="first")
    meta = corpus[["doc_id", "source", "published"]].copy()
    meta["period"] = period_label(meta["published"], period, groups=meta["source"])
    out = rows[["doc_id", "sentence_index", "sentence", "predicted", "score"]].merge(meta, on="doc_id")
    out = out.dropna(subset=["period"])
    return out.sort_values(["doc_id", "sentence_index"]).reset_index(drop=True)


# ---------------------------------------------------------------- allocation and drawing


def allocate(sizes: pd.Series, n: int, *, minimum: int = 1) -> pd.Series:
    """Split ``n`` over strata of ``sizes`` in proportion to their sizes, at least ``minimum`` each
    (when ``n`` allows), never more than a stratum holds; largest remainders, ties by stratum order.

    >>> allocate(pd.Series([50, 30, 20], index=list("abc")), 10).tolist()
    [5, 3, 2]
    """
    sizes = sizes.astype(int)
    n = int(min(n, sizes.sum()))
    if n <= 0 or sizes.empty:
        return pd.Series(0, index=sizes.index)
    ideal = n * sizes / sizes.sum()
    alloc = np.minimum(np.floor(ideal).astype(int), sizes)
    if n >= minimum * (sizes > 0).sum():
        alloc = np.maximum(alloc, np.minimum(minimum, sizes))
    order = list(range(len(sizes)))
    while alloc.sum() < n:
        gap = [(ideal.iloc[i] - alloc.iloc[i], -i) for i in order if alloc.iloc[i] < sizes.iloc[i]]
        i = -max(gap)[1]
        alloc.iloc[i] += 1
    while alloc.sum() > n:
        gap = [(ideal.iloc[i] - alloc.iloc[i], i) for i in order if alloc.iloc[i] > minimum]
        i = min(gap)[1]
        alloc.iloc[i] -= 1
    return alloc.astype(int)


def _label_budget(counts: pd.Series, n: int, allocation: str) -> pd.Series:
    if allocation == "proportional":
        return allocate(counts, n)
    if allocation != "balanced":
        raise InputError(f"allocation {allocation!r} unknown; use one of {', '.join(ALLOCATIONS)}")
    budget = pd.Series(0, index=counts.index)
    left = min(n, int(counts.sum()))
    open_ = [k for k in counts.index if counts[k] > 0]
    while left > 0 and open_:  # equal shares, a label's surplus goes to the others
        share, extra = divmod(left, len(open_))
        for i, k in enumerate(open_):
            budget[k] += min(share + (1 if i < extra else 0), counts[k] - budget[k])
        left = min(n, int(counts.sum())) - int(budget.sum())
        open_ = [k for k in open_ if budget[k] < counts[k]]
    return budget


def _strata_for_label(units: pd.DataFrame, budget: int) -> tuple[pd.Series, list[str]]:
    """Stratum names within one predicted label: newspaper x period, collapsed until the budget
    gives every stratum at least one unit."""
    for keys in (["source", "period"], ["source"], []):
        if not keys:
            return pd.Series(units["predicted"].to_numpy(), index=units.index), ["predicted"]
        names = units["predicted"].str.cat([units[k].astype(str) for k in keys], sep="|")
        if names.nunique() <= budget:
            return names, ["predicted", *keys]
    raise AssertionError("unreachable")


def draw_sample(population: pd.DataFrame, n: int, *, allocation: str = "balanced",
                seed: int = config.SEED) -> pd.DataFrame:
    """A stratified random sample of ``n`` rows of ``population`` (columns predicted, source, period),
    with ``stratum``, ``stratum_by``, ``stratum_size``, ``stratum_sample``, ``inclusion_prob`` and ``weight``."""
    missing = [c for c in STRATA if c not in population.columns]
    if missing:
        raise InputError(f"population lacks column(s) {missing}")
    if n < 1:
        raise InputError(f"--n {n}: draw at least one unit (a few hundred for per-newspaper figures)")
    keys = [c for c in ("doc_id", "sentence_index") if c in population.columns]
    population = population.sort_values(keys or list(STRATA)).reset_index(drop=True)
    counts = population.groupby("predicted").size().reindex([l for l in STANCE_LABELS], fill_value=0)
    budget = _label_budget(counts, n, allocation)
    rng = np.random.default_rng(seed)
    parts = []
    for label in STANCE_LABELS:
        units = population[population["predicted"] == label]
        if units.empty or budget[label] == 0:
            continue
        names, by = _strata_for_label(units, int(budget[label]))
        sizes = names.value_counts().sort_index()
        per = allocate(sizes, int(budget[label]))
        for name in sizes.index:
            members = units[names == name]
            take = int(per[name])
            if take == 0:
                continue
            chosen = np.sort(rng.choice(len(members), size=take, replace=False))
            part = members.iloc[chosen].copy()
            part["stratum"] = name
            part["stratum_by"] = "x".join(by)
            part["stratum_size"] = len(members)
            part["stratum_sample"] = take
            parts.append(part)
    sample = pd.concat(parts, ignore_index=True)
    sample["inclusion_prob"] = sample["stratum_sample"] / sample["stratum_size"]
    sample["weight"] = sample["stratum_size"] / sample["stratum_sample"]
    return sample


def sample_id(kind: str, population: pd.DataFrame, **settings) -> str:
    """A short id of the sample: the same population, settings and seed give the same id.

    Starts with a letter so no spreadsheet reads it as a number or a date.
    """
    cols = [c for c in ("doc_id", "sentence_index", "predicted") if c in population.columns]
    payload = json.dumps({"kind": kind, **{k: str(v) for k, v in sorted(settings.items())},
                          "units": population[cols].astype(str).values.tolist()}, ensure_ascii=False)
    return kind[0].upper() + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:7].upper()


# ---------------------------------------------------------------- sheet contents


def _sentences(text: str) -> list[str]:
    from analysis.stance.targets import nfkc
    from analysis.tokenize.sentences import sentence_spans

    text = nfkc(str(text))
    return [text[a:b].strip() for a, b in sentence_spans(text)]


def _marked(sentence: str, target: str, targets) -> str:
    from analysis.stance.targets import find_mentions

    mentions = [m for m in find_mentions(sentence, targets) if m.target == target]
    for m in sorted(mentions, key=lambda m: m.start, reverse=True):
        sentence = sentence[:m.start] + "【" + sentence[m.start:m.end] + "】" + sentence[m.end:]
    return sentence


def sheet_rows(sample: pd.DataFrame, corpus: pd.DataFrame, *, target: str, unit: str, targets=None,
               context: int = 2) -> pd.DataFrame:
    """What the coder sees per sampled unit, in the sample's row order (no prediction, no weight)."""
    from analysis.stance.targets import literal_target, load_targets, nfkc

    targets = targets if targets is not None else load_targets()
    if target not in targets:
        targets = {**targets, target: literal_target(target)}
    docs = corpus.set_index("doc_id")
    rows = []
    for row in sample.itertuples():
        doc = docs.loc[row.doc_id]
        sentences = _sentences(doc["text"])
        headline = nfkc(str(doc.get("title", "") or "")).strip()
        base = {"unit_id": row.unit_id, "source": row.source,
                "date": pd.Timestamp(doc["published"]).strftime("%Y-%m-%d"), "headline": headline, "target": target}
        if unit == "document":
            mentions = [_marked(s, target, targets) for s in ([headline] + sentences)
                        if s and _marked(s, target, targets) != s]
            rows.append({**base, "mentions": "\n".join(mentions), "text": "\n".join(
                p.strip() for p in nfkc(str(doc["text"])).split("\n") if p.strip()), "label": "", "note": ""})
        else:
            i = int(row.sentence_index)
            sentence = headline if i < 0 else (sentences[i] if i < len(sentences) else str(row.sentence))
            if i >= 0 and i < len(sentences) and nfkc(str(row.sentence)).strip() != sentence:
                # the evidence was written from another split of the text: find the sentence itself
                found = [j for j, s in enumerate(sentences) if s == nfkc(str(row.sentence)).strip()]
                i = found[0] if found else i
                sentence = nfkc(str(row.sentence)).strip()
            before = sentences[max(0, i - context):i] if i >= 0 else []
            after = sentences[i + 1:i + 1 + context] if i >= 0 else sentences[:context]
            rows.append({**base, "context_before": "".join(before), "sentence": _marked(sentence, target, targets),
                         "context_after": "".join(after), "label": "", "note": ""})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the whole step


def annotate(stance: pd.DataFrame, corpus: pd.DataFrame, *, target: str, n: int, out_dir: str | Path,
             unit: str = "document", evidence: pd.DataFrame | None = None, method: str | None = None,
             period: str = config.PERIOD, allocation: str = "balanced", seed: int = config.SEED,
             targets=None, force: bool = False) -> AnnotationSample:
    """Draw the sample, write ``annotation_<target>_<unit>_<id>.csv/.xlsx`` and its ``.key.csv``."""
    if unit not in UNITS:
        raise InputError(f"--unit {unit!r} unknown; use document or sentence")
    methods = sorted(stance["method"].unique())
    if method is None:
        if len(methods) != 1:
            raise InputError(f"stance.parquet holds several methods {methods}; pass --method")
        method = methods[0]
    if method not in methods:
        raise InputError(f"stance.parquet has no rows of method {method!r} (it has {methods}); run "
                         f"`analysis stance --method {method}` or pick one of those")
    known = sorted(stance["target"].unique())
    if target not in known:
        raise InputError(f"target {target!r} is not in stance.parquet (targets: {', '.join(known)}); "
                         "pass one of those, or rerun `analysis stance --targets` with it")
    if unit == "document":
        population = document_population(stance, corpus, target, method=method, period=period)
    else:
        if evidence is None:
            raise InputError("sentence units need stance_evidence.parquet; run `analysis stance` first")
        population = sentence_population(evidence, corpus, target, method=method, period=period)
    if population.empty:
        raise InputError(f"no {unit}s scored as mentioning {target!r} with method {method}; nothing to sample")
    resolved = period.upper()
    if resolved == "AUTO":  # the period the strata were cut by, as period_label resolved it
        from analysis.stats import choose_period

        resolved = choose_period(corpus["published"], corpus["source"])
    sid = sample_id("sample", population, target=target, unit=unit, method=method, n=n, allocation=allocation,
                    seed=seed, period=resolved)
    sample = draw_sample(population, n, allocation=allocation, seed=seed)
    order = np.random.default_rng([seed, 1]).permutation(len(sample))
    sample = sample.iloc[order].reset_index(drop=True)
    sample["unit_id"] = [f"{sid}-{i:04d}" for i in range(1, len(sample) + 1)]
    stem = Path(out_dir) / f"annotation_{_safe(target)}_{unit}_{sid}"
    sheet_paths = [stem.with_name(stem.name + ".csv"), stem.with_name(stem.name + ".xlsx")]
    if not force and any(p.exists() for p in sheet_paths):
        raise InputError(f"{sheet_paths[0]} (or .xlsx) already exists and may hold a coder's work; copy it "
                         "elsewhere first, or pass --force to overwrite")
    sheet = sheet_rows(sample, corpus, target=target, unit=unit, targets=targets)
    written = write_sheet(sheet, stem, allowed=SHEET_LABELS, instructions=INSTRUCTIONS)
    key = pd.DataFrame({
        "unit_id": sample["unit_id"], "sample_id": sid, "unit": unit, "target": target, "method": method,
        "doc_id": sample["doc_id"], "sentence_index": sample["sentence_index"].astype(int),
        "source": sample["source"], "period": sample["period"].astype(str), "predicted": sample["predicted"],
        "score": sample["score"], "stratum": sample["stratum"], "stratum_by": sample["stratum_by"],
        "stratum_size": sample["stratum_size"], "stratum_sample": sample["stratum_sample"],
        "inclusion_prob": sample["inclusion_prob"], "weight": sample["weight"],
        "population_size": len(population), "period_freq": resolved, "allocation": allocation, "seed": seed,
    })
    key_path = write_key(key, stem.with_name(stem.name + KEY_SUFFIX))
    return AnnotationSample(sample_id=sid, sheet_paths=written, key_path=key_path, key=key,
                            population_size=len(population))


def _safe(text: str) -> str:
    import re

    return re.sub(r"[\s/\\:*?\"<>|]+", "_", str(text))


def strata_summary(key: pd.DataFrame) -> pd.DataFrame:
    """Population and sample per predicted label (from a key): N, n, weight range."""
    per = key.drop_duplicates("stratum").groupby("predicted")["stratum_size"].sum()
    n = key.groupby("predicted").size()
    w = key.groupby("predicted")["weight"].agg(["min", "max"])
    out = pd.DataFrame({"population": per, "sample": n}).join(w).reset_index()
    return out.rename(columns={"min": "weight_min", "max": "weight_max"})


__all__ = ["annotate", "draw_sample", "allocate", "document_population", "sentence_population",
           "sheet_rows", "strata_summary", "AnnotationSample"]
