"""The synthetic demo corpus: determinism, coverage, planted trajectories, variety and page format."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.demo import PAPERS, TARGET_ALIASES, TARGETS, THEMES, expected_stance, generate, periods
from analysis.demo.banks import THEME_TARGET
from analysis.errors import InputError
from analysis.tokenize.sentences import split_sentences

UNRELATED = [t for t in THEMES if t not in ("AI競争", "輸出規制", "半導体産業", "AI規制")]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate(out)
    return out


@pytest.fixture(scope="module")
def truth(demo) -> pd.DataFrame:
    return pd.read_csv(demo / "ground_truth.csv")


@pytest.fixture(scope="module")
def bodies(demo, truth) -> dict[str, list[str]]:
    """file -> body paragraphs (lines opening with a full-width space)."""
    return {f: [line for line in (demo / f).read_text(encoding="utf-8").split("\n") if line.startswith("\u3000")]
            for f in truth["file"]}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_regenerating_gives_the_committed_files_byte_for_byte(demo):
    committed = config.paths().demo
    assert committed.is_dir(), "data/raw/demo missing: run `analysis demo` and commit it"
    ours, theirs = _files(demo), _files(committed)
    assert sorted(ours) == sorted(theirs)
    changed = [name for name in ours if ours[name] != theirs[name]]
    assert not changed, f"regenerated files differ from the committed ones: {changed[:5]}"


def test_another_seed_gives_another_corpus(tmp_path, truth):
    other = generate(tmp_path, seed=config.SEED + 1)
    assert list(other["theme"]) != list(truth["theme"])


def test_counts_papers_and_every_month(truth):
    assert len(truth) >= 240
    assert sorted(truth["source"].unique()) == sorted(p.name for p in PAPERS)
    months = truth.assign(period=truth["published"].str[:7]).groupby("source")["period"].apply(set)
    for source, seen in months.items():
        assert seen == set(periods()), f"{source} misses months {sorted(set(periods()) - seen)[:3]}"
    assert (truth.groupby([truth["source"], truth["published"].str[:7]]).size() == 2).any()


def test_at_least_six_themes_and_a_plausible_mix(truth):
    counts = truth["theme"].value_counts()
    assert len(counts) >= 6 and counts.min() >= 15
    year = truth["published"].str[:4].astype(int)
    ai_share = truth.groupby(year)["theme"].apply(lambda t: (t == "AI競争").mean())
    assert ai_share.loc[2024:].mean() > 1.5 * ai_share.loc[:2022].mean()


def test_named_entities_respect_their_dates(demo, truth):
    for f, published in zip(truth["file"], truth["published"]):
        text = (demo / f).read_text(encoding="utf-8")
        if "ディープシーク" in text:
            assert published >= "2025-01", f
        if "ChatGPT" in text or "生成AI" in text:
            assert published >= "2022-12", f


def test_every_paper_has_a_trajectory_that_changes():
    for paper in PAPERS:
        changes = []
        for target in TARGETS:
            values = np.array([expected_stance(paper.name, target, p) for p in periods()])
            assert values.min() >= -1 and values.max() <= 1
            changes.append(values.max() - values.min() >= 1.0 or values.min() * values.max() < 0)
        assert any(changes), paper.name


def test_trajectories_csv_matches_the_function(demo):
    tr = pd.read_csv(demo / "trajectories.csv")
    assert list(tr.columns) == ["source", "target", "period", "expected"]
    assert len(tr) == len(PAPERS) * len(TARGETS) * len(periods())
    row = tr.iloc[len(tr) // 2]
    assert row["expected"] == pytest.approx(expected_stance(row["source"], row["target"], row["period"]), abs=1e-4)


def test_ground_truth_stances_follow_the_trajectories(demo, truth):
    tr = pd.read_csv(demo / "trajectories.csv")
    tr["year"] = tr["period"].str[:4]
    planted = tr.groupby(["source", "target", "year"])["expected"].mean()
    cells = []
    for target in TARGETS:
        col = truth.dropna(subset=[f"stance_{target}"])
        means = col.groupby(["source", col["published"].str[:4]])[f"stance_{target}"].mean()
        for (source, year), mean in means.items():
            cells.append((mean, planted[(source, target, year)]))
    observed, expected = np.array(cells).T
    assert len(cells) >= 50
    assert np.corrcoef(observed, expected)[0, 1] > 0.8
    # the turn of the first paper on export controls shows in the pages themselves
    first = truth[truth["source"] == PAPERS[0].name].dropna(subset=["stance_輸出規制"])
    early = first[first["published"] < "2022-12"]["stance_輸出規制"].mean()
    late = first[first["published"] >= "2024-06"]["stance_輸出規制"].mean()
    assert early > 0.3 and late < -0.3


def test_stance_is_empty_exactly_when_the_target_is_not_discussed(demo, truth):
    for _, row in truth.iterrows():
        text = "".join(line for line in (demo / row["file"]).read_text(encoding="utf-8").split("\n")
                       if line.startswith("\u3000"))
        own = THEME_TARGET[row["theme"]]
        for target in TARGETS:
            value = row[f"stance_{target}"]
            if target == own:
                assert not pd.isna(value), row["file"]
            if pd.isna(value):
                continue
            assert value in (-1, 0, 1)
            assert any(a in text for a in TARGET_ALIASES[target]), (row["file"], target)
        if row["theme"] in UNRELATED:
            assert all(pd.isna(row[f"stance_{t}"]) for t in TARGETS)
            assert not any(a in text for aliases in TARGET_ALIASES.values() for a in aliases), row["file"]
    assert (truth[[f"stance_{t}" for t in TARGETS]] == 0).any().any()
    assert (truth[[f"stance_{t}" for t in TARGETS]].notna().sum(axis=1) >= 2).sum() >= 30


def test_no_sentence_is_shared_by_more_than_eight_percent_of_pages(bodies):
    df = Counter()
    for paragraphs in bodies.values():
        df.update({s for p in paragraphs for s in split_sentences(p)})
    sentence, n = df.most_common(1)[0]
    assert n / len(bodies) <= 0.08, sentence
    assert len(df) >= 400
    per_page = [sum(len(split_sentences(p)) for p in ps) for ps in bodies.values()]
    assert min(per_page) >= 6 and np.mean(per_page) >= 7
    assert len({tuple(ps) for ps in bodies.values()}) == len(bodies), "two pages have the same body"


def test_bodies_contain_the_hard_cases(bodies):
    text = "\n".join("".join(ps) for ps in bodies.values())
    for cue in ("べきだ", "べきではない", "てもらいたい", "求められる", "とは言えない", "必要はない",
                "わけにはいかない", "見直す", "撤回", "緩和", "打ち切", "強化", "拡充", "継続",
                "エヌビディア", "H100", "TSMC", "ラピダス", "ディープシーク", "ChatGPT", "生成AI"):
        assert cue in text, cue
    # opposite stances on two targets in one sentence
    assert re.search(r"補助金[^。]*べきだが、[^。]*輸出規制|輸出規制[^。]*が、[^。]*補助金", text)


PAGE = re.compile(
    r"\A本文に移動\n\n【社説】(?P<title>[^\n]+)\n\n"
    r"登録:(?P<reg>\d{4}-\d{2}-\d{2} \d{2}:\d{2}) 修正:\d{4}-\d{2}-\d{2} \d{2}:\d{2}\n"
    r"(?:[^\n\u3000]+/(?P<credit>[^\n/]+)写真部\n)?\n"
    r"(?:\u3000[^\n]+\n\n)+"
    r"\(お問い合わせ editorial@(?P<host>[a-z-]+\.example) \)\n"
    r"https://www\.(?P=host)/opinion/editorial/\d+\.html原文入力:\d{4}-\d{2}-\d{2} \d{2}:\d{2}\n"
    r"訳[A-Z]\.[A-Z]\n\n関連記事\n\Z")


def test_every_page_has_the_seed_format(demo, truth):
    captions = 0
    for _, row in truth.iterrows():
        raw = (demo / row["file"]).read_bytes()
        assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
        m = PAGE.match(raw.decode("utf-8"))
        assert m, row["file"]
        assert m["title"] == row["title"]
        assert row["published"] == m["reg"].replace(" ", "T") + ":00+09:00"
        assert Path(row["file"]).parent.name == row["source"]
        assert row["url"].startswith(f"https://www.{m['host']}/")
        if m["credit"]:
            captions += 1
            assert m["credit"] == row["source"]
    assert 0.3 < captions / len(truth) < 0.9


def test_readme_says_synthetic_and_describes_every_trajectory(demo):
    readme = (demo / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and "analysis demo" in readme
    for paper in PAPERS:
        assert paper.name in readme
        for story in paper.story.values():
            assert story in readme


def test_generator_refuses_to_delete_or_overwrite_foreign_files(tmp_path):
    generate(tmp_path)
    stale = tmp_path / "pages" / PAPERS[0].name / "2030-01_01.txt"
    stale.write_text("old run", encoding="utf-8")
    keep = tmp_path / "notes.txt"
    keep.write_text("mine", encoding="utf-8")
    generate(tmp_path)
    assert not stale.exists() and keep.read_text(encoding="utf-8") == "mine"

    foreign = tmp_path / "pages" / "mine.txt"
    foreign.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="mine.txt"):
        generate(tmp_path)
    foreign.unlink()

    (tmp_path / "README.md").write_text("# my notes\n", encoding="utf-8")
    with pytest.raises(InputError, match="README.md"):
        generate(tmp_path)
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# my notes\n"


def test_cli_writes_the_corpus(tmp_path, capsys):
    from analysis.cli import main

    assert main(["demo", "--out", str(tmp_path), "--seed", "3"]) == 0
    assert "synthetic editorials" in capsys.readouterr().out
    assert len(list((tmp_path / "pages").rglob("*.txt"))) == len(pd.read_csv(tmp_path / "ground_truth.csv"))
    (tmp_path / "pages" / "x.txt").write_text("x", encoding="utf-8")
    assert main(["demo", "--out", str(tmp_path)]) == 2


def test_every_stance_sentence_names_its_target():
    from analysis.demo.banks import CLAUSES, STANCE

    for bank in (STANCE, CLAUSES):
        for (target, _), entries in bank.items():
            for entry in entries:
                text = entry if isinstance(entry, str) else entry[1]
                assert any(a in text for a in TARGET_ALIASES[target]), text
