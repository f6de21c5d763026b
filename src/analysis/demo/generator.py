"""Deterministic generator of the synthetic demo corpus and its ground truth.

>>> import tempfile
>>> from analysis.demo.generator import generate, expected_stance
>>> truth = generate(tempfile.mkdtemp())
>>> len(truth) >= 240, truth["source"].nunique()
(True, 3)
>>> round(expected_stance("青嶺経済新報", "輸出規制", "2019-01"), 2)
0.7

Three fictional newspapers publish editorials every month from 2019-01 to 2025-12. Each editorial
has one theme; the theme decides which stance targets it discusses (always the theme's own target,
sometimes a second one). For every discussed target the stance (-1, 0, +1) is drawn so that its
expected value is the paper's trajectory for that month: P(0) = 0.15 (1 - |e|) and
P(+1) - P(-1) = e. The uniforms come from one low-discrepancy stream per paper and target
(random start, golden-ratio steps), so realised label frequencies follow the trajectory closely
even over the few documents a paper writes on a target in a year; each label is still a draw.
Themes are drawn the same way from yearly weights (AI競争 rising after 2023, unrelated themes
receding), scaled by each paper's emphasis. The page text is assembled from the sentence banks in :mod:`analysis.demo.banks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config, io
from analysis.demo import banks
from analysis.errors import InputError

FIRST_PERIOD = "2019-01"
LAST_PERIOD = "2025-12"
#: Probability that a paper publishes a second editorial in a month.
P_SECOND = 0.15
#: Probability of a neutral (0) stance when the target is discussed, scaled by 1 - |expected|.
P_NEUTRAL = 0.15
#: Step of the per-target low-discrepancy sequence of uniforms (golden ratio conjugate).
GOLDEN = 0.6180339887498949
#: Probability that a page carries a photo caption.
P_CAPTION = 0.6

GROUND_TRUTH_COLUMNS = ["file", "source", "published", "theme"] + [
    f"stance_{t}" for t in banks.TARGETS] + ["title", "url"]
TRAJECTORY_COLUMNS = ["source", "target", "period", "expected"]
README_MARKER = "# SYNTHETIC demo corpus"


@dataclass(frozen=True)
class Paper:
    """A fictional newspaper: its name, web host, translators, theme emphasis and stance knots."""

    name: str
    host: str
    profile: str
    translators: tuple[str, ...]
    emphasis: dict[str, float]
    #: target -> ((period, expected), ...) knots, linearly interpolated by month.
    knots: dict[str, tuple[tuple[str, float], ...]]
    #: target -> the trajectory in words (for the README).
    story: dict[str, str] = field(default_factory=dict)


PAPERS: tuple[Paper, ...] = (
    Paper(
        name="青嶺経済新報", host="seirei-keizai.example",
        profile="経済紙。産業界、とくに半導体と製造装置の企業に近い論調。",
        translators=("K.S", "M.T", "A.N"),
        emphasis={"半導体産業": 1.5, "AI競争": 1.3, "輸出規制": 1.2, "地方交通": 0.5, "少子化対策": 0.8},
        knots={
            "輸出規制": (("2019-01", 0.7), ("2022-12", 0.6), ("2023-12", -0.4), ("2025-12", -0.8)),
            "AI規制": (("2019-01", -0.6), ("2025-12", -0.4)),
            "半導体補助金": (("2019-01", 0.8), ("2025-12", 0.7)),
        },
        story={
            "輸出規制": "2022年までは同盟国と足並みをそろえた輸出規制を支持(+0.7→+0.6)。2023年に反対へ転じ"
                        "(2023-12に-0.4)、製造装置メーカーの中国市場喪失とディープシークを理由に2025年末には"
                        "明確に反対(-0.8)。",
            "AI規制": "一貫して法規制に慎重で、自主規制を推す(-0.6→-0.4、わずかに軟化)。",
            "半導体補助金": "一貫して強く支持(+0.8→+0.7)。",
        },
    ),
    Paper(
        name="潮見日報", host="shiomi-nippo.example",
        profile="全国紙。人権と財政規律を重んじる論調。",
        translators=("H.Y", "R.K"),
        emphasis={"AI規制": 1.5, "少子化対策": 1.3, "輸出規制": 0.9},
        knots={
            "輸出規制": (("2019-01", 0.3), ("2025-12", 0.4)),
            "AI規制": (("2019-01", -0.6), ("2022-12", -0.5), ("2023-12", 0.6), ("2025-12", 0.8)),
            "半導体補助金": (("2019-01", -0.5), ("2025-12", -0.3)),
        },
        story={
            "輸出規制": "穏やかな支持でほぼ一定(+0.3→+0.4)。",
            "AI規制": "2022年までは規制に反対し活用を優先(-0.6→-0.5)。ChatGPTの登場後の2023年に賛成へ転じ"
                      "(2023-12に+0.6)、2025年末には強い支持(+0.8)。",
            "半導体補助金": "財政規律の立場から反対、やや軟化(-0.5→-0.3)。",
        },
    ),
    Paper(
        name="白樺新聞", host="shirakaba-shimbun.example",
        profile="地方紙。地域経済と暮らし、気候と地方交通に紙面を割く。",
        translators=("Y.O", "T.I", "S.M"),
        emphasis={"地方交通": 1.8, "気候変動・エネルギー": 1.3, "AI競争": 0.8, "半導体産業": 1.1},
        knots={
            "輸出規制": (("2019-01", -0.3), ("2025-12", -0.7)),
            "AI規制": (("2019-01", 0.4), ("2025-12", 0.7)),
            "半導体補助金": (("2019-01", 0.8), ("2022-06", 0.8), ("2025-12", -0.3)),
        },
        story={
            "輸出規制": "一貫して反対、次第に強まる(-0.3→-0.7)。",
            "AI規制": "一貫して賛成、次第に強まる(+0.4→+0.7)。",
            "半導体補助金": "工場誘致を歓迎して強く支持(2022年半ばまで+0.8)。その後、水資源や人手の圧迫と"
                           "費用の膨張から軟化し、2025年末にはやや反対(-0.3)。",
        },
    ),
)

#: Base theme weights per year (before each paper's emphasis), in the order of banks.THEMES.
THEME_WEIGHTS = {
    2019: (0.08, 0.16, 0.12, 0.12, 0.18, 0.19, 0.15),
    2020: (0.08, 0.16, 0.14, 0.12, 0.17, 0.17, 0.16),
    2021: (0.08, 0.14, 0.22, 0.14, 0.15, 0.16, 0.11),
    2022: (0.11, 0.20, 0.22, 0.12, 0.13, 0.13, 0.09),
    2023: (0.22, 0.17, 0.16, 0.20, 0.10, 0.09, 0.06),
    2024: (0.24, 0.17, 0.15, 0.18, 0.10, 0.09, 0.07),
    2025: (0.30, 0.18, 0.13, 0.14, 0.09, 0.09, 0.07),
}


def periods() -> list[str]:
    """Every month of the demo corpus, 'YYYY-MM', in order."""
    return [str(p) for p in pd.period_range(FIRST_PERIOD, LAST_PERIOD, freq="M")]


def _month_index(period: str) -> int:
    year, month = map(int, period.split("-"))
    return year * 12 + month - 1


def _paper(source: str) -> Paper:
    for paper in PAPERS:
        if paper.name == source:
            return paper
    raise InputError(f"unknown demo newspaper {source!r}; expected one of {[p.name for p in PAPERS]}")


def expected_stance(source: str, target: str, period: str) -> float:
    """The planted expected stance in [-1, 1] of ``source`` toward ``target`` in month ``period``."""
    knots = _paper(source).knots[target]
    xs = [_month_index(p) for p, _ in knots]
    ys = [v for _, v in knots]
    return float(np.interp(_month_index(period), xs, ys))


def trajectories() -> pd.DataFrame:
    """Tidy table ``source, target, period, expected`` for every paper, target and month."""
    rows = [(paper.name, target, period, round(expected_stance(paper.name, target, period), 4))
            for paper in PAPERS for target in banks.TARGETS for period in periods()]
    return pd.DataFrame(rows, columns=TRAJECTORY_COLUMNS)


# --------------------------------------------------------------------------------------------
# Sentence selection

def _text(entry) -> tuple[str, str]:
    return (entry, "0000-00") if isinstance(entry, str) else (entry[1], entry[0])


#: ``{A|B|C}`` in a bank entry: one of the alternatives, drawn per use.
_ALTERNATIVES = re.compile(r"\{([^{}]*\|[^{}]*)\}")


class _Writer:
    """Picks sentences for one editorial: respects 'since' dates, never repeats within a page."""

    def __init__(self, rng: np.random.Generator, period: str):
        self.rng = rng
        self.period = period
        self.year = int(period[:4])
        self.used: set[str] = set()

    def fill(self, text: str) -> str:
        text = text.replace("{y}", str(self.year)).replace("{py}", str(self.year - 1))
        return _ALTERNATIVES.sub(lambda m: m.group(1).split("|")[int(self.rng.integers(m.group(1).count("|") + 1))],
                                 text)

    def pick(self, bank, k: int = 1) -> list[str]:
        available = [t for t, since in map(_text, bank) if since <= self.period and t not in self.used]
        k = min(k, len(available))
        if k == 0:
            return []
        chosen = self.rng.choice(len(available), size=k, replace=False)
        out = [available[i] for i in sorted(chosen)] if self.rng.random() < 0.5 else [available[i] for i in chosen]
        self.used.update(out)
        return [self.fill(t) for t in out]

    def one(self, bank) -> str:
        picked = self.pick(bank, 1)
        return picked[0] if picked else ""


def _double(w: _Writer, first: tuple[str, int], second: tuple[str, int]) -> list[str]:
    """A sentence (or two) taking a side on two targets; opposite sides share one sentence."""
    a = w.one(banks.CLAUSES[first])
    b = w.one(banks.CLAUSES[second])
    if first[1] != second[1]:
        return [f"{a}が、{b}。"]
    joiner = ["同様に、", "あわせて、", "また、"][int(w.rng.integers(3))]
    return [f"{a}。", f"{joiner}{b}。"]


def _compose(rng: np.random.Generator, period: str, theme: str, labels: dict[str, int]):
    """Title, caption and paragraphs (lists of sentences) of one editorial."""
    w = _Writer(rng, period)
    primary = banks.THEME_TARGET[theme]
    background = banks.THEME_BACKGROUND[theme]
    normative = banks.THEME_NORMATIVE.get(theme, [])
    paragraphs: list[list[str]] = [w.pick(background, 2), w.pick(background, int(rng.integers(1, 3)))]

    others = [t for t in banks.TARGETS if t in labels and t != primary]
    if primary is not None:
        s = labels[primary]
        paragraphs.append(w.pick(banks.STANCE[(primary, s)], 2))
    else:
        paragraphs.append(w.pick(normative, 2 if not others else 1))
    doubled = False
    for target in others:
        s = labels[target]
        lead = primary if primary is not None else (others[0] if target != others[0] else None)
        if (not doubled and lead is not None and labels[lead] != 0 and s != 0 and rng.random() < 0.5):
            para = w.pick(background, 1) + _double(w, (lead, labels[lead]), (target, s))
            doubled = True
        else:
            para = w.pick(banks.STANCE[(target, s)], int(rng.integers(1, 3)))
        paragraphs.append([x for x in para if x])

    closing: list[str] = []
    if primary is not None and rng.random() < 0.7:
        closing += w.pick(banks.STANCE[(primary, labels[primary])], 1)
    elif primary is None and normative and rng.random() < 0.6:
        closing += w.pick(normative, 1)
    closing += w.pick(banks.CLOSINGS, 1)
    paragraphs.append(closing)
    paragraphs = [p for p in paragraphs if p]

    key = (theme, labels[primary]) if primary is not None else (theme, None)
    title = w.one(banks.TITLES[key])
    caption = w.one(banks.CAPTIONS[theme]) if rng.random() < P_CAPTION else ""
    return title, caption, paragraphs


def _page(paper: Paper, title: str, caption: str, paragraphs, registered: datetime,
          modified: datetime, original: datetime, number: int, translator: str) -> tuple[str, str]:
    fmt = "%Y-%m-%d %H:%M"
    url = f"https://www.{paper.host}/opinion/editorial/{number}.html"
    lines = ["本文に移動", "", f"【社説】{title}", "",
             f"登録:{registered.strftime(fmt)} 修正:{modified.strftime(fmt)}"]
    if caption:
        lines.append(f"{caption}/{paper.name}写真部")
    lines.append("")
    for para in paragraphs:
        lines += ["\u3000" + "".join(para), ""]
    lines += [f"(お問い合わせ editorial@{paper.host} )",
              f"{url}原文入力:{original.strftime(fmt)}",
              f"訳{translator}", "", "関連記事"]
    return "\n".join(lines) + "\n", url


# --------------------------------------------------------------------------------------------
# The corpus

def _theme_probabilities(paper: Paper, year: int) -> np.ndarray:
    weights = np.array([w * paper.emphasis.get(theme, 1.0)
                        for theme, w in zip(banks.THEMES, THEME_WEIGHTS[year])])
    return weights / weights.sum()


def _draw_stance(u: float, expected: float) -> int:
    """Stance for uniform draw ``u``: P(0) = P_NEUTRAL (1 - |e|), P(+1) - P(-1) = e."""
    e = float(np.clip(expected, -1.0, 1.0))
    p_neutral = P_NEUTRAL * (1.0 - abs(e))
    p_favor = (1.0 - p_neutral + e) / 2.0
    return 1 if u < p_favor else (0 if u < p_favor + p_neutral else -1)


def build(seed: int = config.SEED) -> tuple[dict[str, str], pd.DataFrame]:
    """Pages (relative path -> text) and the ground-truth table, without writing anything."""
    rng = np.random.default_rng(seed)
    pages: dict[str, str] = {}
    rows = []
    for paper in PAPERS:
        number = 100000 + int(rng.integers(0, 50000))
        # One low-discrepancy stream of uniforms per target (random start, golden-ratio steps):
        # realised label frequencies follow the trajectory closely even over a few documents.
        stream = {t: float(rng.random()) for t in banks.TARGETS}
        theme_u = float(rng.random())  # the same kind of stream for the theme mix
        for period in periods():
            year, month = map(int, period.split("-"))
            n_docs = 2 if rng.random() < P_SECOND else 1
            days = sorted(int(d) for d in rng.choice(np.arange(1, 29), size=n_docs, replace=False))
            probs = _theme_probabilities(paper, year)
            for k, day in enumerate(days, start=1):
                theme_u = (theme_u + GOLDEN) % 1.0
                theme = banks.THEMES[min(int(np.searchsorted(np.cumsum(probs), theme_u, side="right")),
                                         len(banks.THEMES) - 1)]
                discussed = []
                if banks.THEME_TARGET[theme] is not None:
                    discussed.append(banks.THEME_TARGET[theme])
                for target, p in banks.SECONDARY.get(theme, {}).items():
                    if rng.random() < p:
                        discussed.append(target)
                labels = {}
                for target in banks.TARGETS:
                    if target in discussed:
                        e = expected_stance(paper.name, target, period)
                        stream[target] = (stream[target] + GOLDEN) % 1.0
                        labels[target] = _draw_stance(stream[target], e)
                title, caption, paragraphs = _compose(rng, period, theme, labels)
                registered = datetime(year, month, day, int(rng.integers(4, 9)), int(rng.integers(0, 60)))
                modified = registered + timedelta(minutes=int(rng.integers(0, 50)))
                original = (registered.replace(hour=0, minute=0) - timedelta(days=1)
                            + timedelta(hours=int(rng.integers(17, 24)), minutes=int(rng.integers(0, 60))))
                number += int(rng.integers(150, 900))
                translator = paper.translators[int(rng.integers(len(paper.translators)))]
                text, url = _page(paper, title, caption, paragraphs, registered, modified, original,
                                  number, translator)
                rel = f"pages/{paper.name}/{period}_{k:02d}.txt"
                pages[rel] = text
                rows.append({"file": rel, "source": paper.name,
                             "published": registered.strftime("%Y-%m-%dT%H:%M:00+09:00"), "theme": theme,
                             **{f"stance_{t}": labels.get(t) for t in banks.TARGETS},
                             "title": title, "url": url})
    truth = pd.DataFrame(rows, columns=GROUND_TRUTH_COLUMNS)
    for target in banks.TARGETS:
        truth[f"stance_{target}"] = truth[f"stance_{target}"].astype("Int64")
    truth = truth.sort_values(["published", "source", "file"], kind="mergesort").reset_index(drop=True)
    return pages, truth


# --------------------------------------------------------------------------------------------
# Writing

_PAGE_NAME = re.compile(r"^\d{4}-\d{2}_\d{2}\.txt$")


def _check_out_dir(out_dir: Path) -> list[Path]:
    """Our own stale page files under pages/; refuse to touch anything we did not write."""
    ours = {p.name for p in PAPERS}
    stale = []
    pages_dir = out_dir / "pages"
    if pages_dir.exists():
        for path in sorted(pages_dir.rglob("*")):
            rel = path.relative_to(pages_dir)
            if path.is_dir() and len(rel.parts) == 1 and rel.parts[0] in ours:
                continue
            if (path.is_file() and len(rel.parts) == 2 and rel.parts[0] in ours
                    and _PAGE_NAME.match(rel.parts[1])):
                stale.append(path)
                continue
            raise InputError(f"{path}: not a file of the demo generator; move it out of {pages_dir} "
                             "or choose another --out folder")
    checks = {"README.md": README_MARKER, "ground_truth.csv": ",".join(GROUND_TRUTH_COLUMNS),
              "trajectories.csv": ",".join(TRAJECTORY_COLUMNS)}
    for name, first_line in checks.items():
        path = out_dir / name
        if path.exists():
            head = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
            if not head.startswith(first_line):
                raise InputError(f"{path}: exists and was not written by the demo generator; "
                                 "move it away or choose another --out folder")
    return stale


def _readme(truth: pd.DataFrame, seed: int) -> str:
    lines = [
        f"{README_MARKER} (generated by `analysis demo`, do not edit by hand)",
        "",
        "**Everything in this folder is SYNTHETIC.** The newspapers, articles, URLs, photo captions and",
        "translators are invented; every sentence was written for this project (sentence banks in",
        "`src/analysis/demo/banks.py`) and assembled by a deterministic generator",
        f"(`analysis demo --seed {seed}` rewrites these files byte for byte). No text was copied from a",
        "newspaper. Do not cite it as evidence about any real newspaper.",
        "",
        "## What it is for",
        "- a demo: the bundled default corpus of `make run` / `analysis run`;",
        "- validation: themes and stances are known per page (`ground_truth.csv`) and each paper's stance",
        "  follows a planted trajectory (`trajectories.csv`), so topic recovery and stance-over-time",
        "  estimates can be checked against the truth.",
        "",
        "## Files",
        "- `pages/<新聞名>/<YYYY-MM>_<nn>.txt`: one editorial page each, UTF-8, LF, in the page format of the",
        "  Hankyoreh Japanese edition (本文に移動, 【社説】title, 登録/修正 line, optional photo caption",
        "  ending in `/<新聞名>写真部`, paragraphs opening with a full-width space, お問い合わせ line, URL",
        "  glued to `原文入力:`, translator line `訳X.Y`, 関連記事). The `.example` hosts are not real;",
        "  the newspaper is the parent folder's name.",
        "- `ground_truth.csv`: one row per page: `file` (relative to this folder), `source`, `published`",
        "  (ISO 8601, +09:00), `theme`, `stance_輸出規制`, `stance_AI規制`, `stance_半導体補助金` (1 FAVOR,",
        "  -1 AGAINST, 0 discussed without taking a side, EMPTY when the page does not discuss the",
        "  target), `title`, `url`.",
        "- `trajectories.csv`: `source, target, period (YYYY-MM), expected` in [-1, 1]: the expected",
        "  stance of each paper toward each target in each month, from which page stances were drawn",
        "  (P(0) = 0.15(1-|e|), P(FAVOR) - P(AGAINST) = e; uniforms from a golden-ratio sequence per paper",
        "  and target with a random start, so a few pages per year already follow the curve).",
        "- `study.yaml`: the demo study (`analysis run` without `--config` runs it): these pages, the",
        "  packaged themes, targets, events, KWIC term and coding rules, and this ground truth.",
        "",
        f"## Counts: {len(truth)} editorials, {FIRST_PERIOD} .. {LAST_PERIOD}, every paper every month",
        "",
        "| paper | editorials | " + " | ".join(banks.THEMES) + " |",
        "|---|---|" + "---|" * len(banks.THEMES),
    ]
    for paper in PAPERS:
        sub = truth[truth["source"] == paper.name]
        counts = [int((sub["theme"] == theme).sum()) for theme in banks.THEMES]
        lines.append(f"| {paper.name} | {len(sub)} | " + " | ".join(map(str, counts)) + " |")
    lines += [
        "",
        "## Themes",
        "AI競争 (AI competition: 生成AI, ChatGPT from 2022-12, エヌビディア/H100, ディープシーク from 2025-01;",
        "rises after 2023), 輸出規制 (chip export controls; up from 2022-10), 半導体産業 (subsidies and supply",
        "chains: TSMC熊本, ラピダス; peak 2021-2022), AI規制 (AI regulation; peak 2023-2024), and three",
        "unrelated themes: 少子化対策, 気候変動・エネルギー, 地方交通 (more frequent before 2023).",
        "A theme's pages always discuss its own target (輸出規制 -> 輸出規制, 半導体産業 -> 半導体補助金,",
        "AI規制 -> AI規制); AI競争 pages and some others discuss further targets, sometimes taking opposite",
        "sides in one sentence (「半導体補助金は拡充すべきだが、輸出規制の強化は見直すべきだ。」).",
        "Unrelated themes use the same cue words (拡充すべきだ, 見直し, 残業規制, 財政支援) about no target.",
        "",
        "Target mentions use these words: " + "; ".join(
            f"{t}: {'、'.join(a)}" for t, a in banks.TARGET_ALIASES.items()) + ".",
        "",
        "## Papers and their stance trajectories",
    ]
    for paper in PAPERS:
        lines += ["", f"### {paper.name} (`www.{paper.host}`)", paper.profile, ""]
        for target in banks.TARGETS:
            knots = ", ".join(f"{p} {v:+.1f}" for p, v in paper.knots[target])
            lines.append(f"- {target}: {paper.story[target]} Knots: {knots}.")
    return "\n".join(lines) + "\n"


#: The demo's study config (``analysis run`` without --config runs it; see analysis.study).
STUDY_YAML = """# The bundled demo study: what `make run` and `analysis run` do without CONFIG / --config.
#
# It is the only study that uses the packaged themes, events, KWIC terms and coding rules, and the
# only one with ground truth (the demo corpus is synthetic and its themes and stances are planted).
# Your own study: `analysis init DIR` writes a commented study.yaml for your corpus.
# Relative paths are read from this file's folder; resource:NAME is a file shipped with the package.

name: demo
inputs: [pages]
# no output: key, so the demo writes where the checkout always did: data/processed and reports/

seed: 20250120
period: auto

topics:
  methods: [nmf, lda, bertopic]
  k: 8                              # the 7 planted themes and one for the rest
  themes: resource:themes.yaml      # seed words of the planted themes

stance:
  targets: resource:targets.yaml
  method: syntax

events: resource:events.yaml
kwic: [輸出規制]
coding_rules: resource:coding_rules.txt
ground_truth: ground_truth.csv
notebooks: true
"""


def generate(out_dir: str | Path | None = None, seed: int = config.SEED) -> pd.DataFrame:
    """Write the demo corpus into ``out_dir`` (default data/raw/demo); return the ground truth.

    Writes ``pages/``, ``ground_truth.csv``, ``trajectories.csv``, ``README.md`` and the demo
    study's config ``study.yaml`` (:data:`STUDY_YAML`). Stale pages of
    an earlier run are removed; any other file under ``pages/``, or a README/CSV of the same name
    that the generator did not write, stops the run with :class:`InputError` instead of being
    overwritten or deleted. Files outside ``pages/`` and those three names are left alone.
    """
    out_dir = Path(out_dir) if out_dir is not None else config.paths().demo
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: is a file; --out must be a folder")
    stale = _check_out_dir(out_dir)
    pages, truth = build(seed)
    for path in stale:
        if path.relative_to(out_dir).as_posix() not in pages:
            path.unlink()
    for rel in sorted(pages):
        target = out_dir / rel
        if not (target.exists() and target.read_bytes() == pages[rel].encode("utf-8")):
            io.write_text(pages[rel], target)
    io.write_csv(truth, out_dir / "ground_truth.csv")
    io.write_csv(trajectories(), out_dir / "trajectories.csv")
    io.write_text(_readme(truth, seed), out_dir / "README.md")
    io.write_text(STUDY_YAML, out_dir / "study.yaml")
    return truth
