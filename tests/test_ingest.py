"""Ingest accounting: every input file is reported, duplicates are kept once, reruns are identical."""

from __future__ import annotations

import io
import tarfile
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.cli import main
from analysis.ingest import collect, ingest, load_corpus, print_summary
from analysis.ingest.sanity import JAPANESE_SHARE_MIN, MAX_DOCUMENT_CHARS, japanese_share
from analysis.ingest.schema import COLUMNS, doc_id_for
from analysis.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def page(title: str, date_line: str, *paragraphs: str) -> str:
    return "\n".join([title, date_line, "", *(f"\u3000{p}" for p in paragraphs)]) + "\n"


def livedoor_tarball(path: Path) -> None:
    """A tiny archive in the ldcc layout, with invented articles."""
    members = {
        "text/README.txt": "このコーパスについて\n",
        "text/it-life-hack/LICENSE.txt": "ライセンス\n",
        "text/it-life-hack/it-life-hack-1.txt": "http://news.livedoor.com/article/detail/1/\n2012-05-01T09:00:00+0900\n架空の新製品\n新しい端末が発表された。\n",
        "text/sports-watch/sports-watch-2.txt": "http://news.livedoor.com/article/detail/2/\n2012-05-02T21:15:00+0900\n架空の試合\n延長戦の末に決着した。\n",
        "text/sports-watch/sports-watch-3.txt": "http://news.livedoor.com/article/detail/3/\n2012-05-03T10:00:00+0900\n同じ記事\n新しい端末が発表された。\n",
    }
    with tarfile.open(path, "w:gz") as archive:
        for name, text in members.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 0
            archive.addfile(info, io.BytesIO(data))


@pytest.fixture
def hostile(tmp_path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    files = {
        "a_utf8.txt": page("【社説】輸出規制を問う", "2024年1月10日", "規制の強化はAI時代に同盟国と歩調を合わせるべきだ。").encode("utf-8"),
        "b_bom.txt": page("【社説】AI規制の行方", "2024-02-10", "生成AIの規制は段階的に進めたい。").encode("utf-8-sig"),
        "c_sjis_crlf.txt": page("【社説】補助金の功罪", "2024-03-10", "半導体工場への補助金は検証が必要だ。").replace("\n", "\r\n").encode("cp932"),
        "d_eucjp.txt": page("【コラム】春の訪れ", "2024-04-10", "桜の便りが各地から届いている。").encode("euc_jp"),
        "e_empty.txt": b"",
        "f_binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01",
        "g_undecodable.txt": bytes(range(0x80, 0x100)) * 3,
        "h_duplicate.txt": page("【社説】輸出規制を問う（再掲）", "2024年1月11日", "規制の強化はＡＩ時代に同盟国と歩調を合わせるべきだ。  ").encode("utf-8"),
        "i_undated.txt": "日付のない覚え書き\n\n本文はあるが日付がない。\n".encode("utf-8"),
        "j_malformed.csv": 'text,date\n"閉じていない引用,2024-01-01\n'.encode("utf-8"),
        "k_nocols.csv": "headline,paper\n見出し,新聞\n".encode("utf-8"),
        "l_table.csv": "本文,日付,新聞\n表の一行目の本文。,2024-05-01,表新聞\n,2024-05-02,表新聞\n".encode("utf-8"),
        "README.md": "# notes\n".encode("utf-8"),
        "m_page.html": b"<html><body>x</body></html>",
        "sub/2024-06-01_note.txt": "ファイル名に日付がある文書\n\n本文である。\n".encode("utf-8"),
        ".DS_Store": b"\x00\x01",
        ".git/config": b"[core]\n",
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    livedoor_tarball(root / "ldcc-mini.tgz")
    return root


EXPECTED = {
    # path relative to the input folder -> (status, fragment of the reason)
    "a_utf8.txt": ("ingested", ""),
    "b_bom.txt": ("ingested", ""),
    "c_sjis_crlf.txt": ("ingested", ""),
    "d_eucjp.txt": ("ingested", ""),
    "e_empty.txt": ("rejected", "empty file"),
    "f_binary.txt": ("rejected", "binary file (contains NUL bytes)"),
    "g_undecodable.txt": ("rejected", "undecodable"),
    "h_duplicate.txt": ("duplicate", "same text as {root}/a_utf8.txt"),
    "i_undated.txt": ("rejected", "no date: add a 登録: line"),
    "j_malformed.csv": ("rejected", "malformed CSV"),
    "k_nocols.csv": ("rejected", "lacks required column(s) text, published"),
    "l_table.csv#row=1": ("ingested", ""),
    "l_table.csv#row=2": ("rejected", "empty text"),
    "README.md": ("rejected", "not an article"),
    "m_page.html": ("rejected", "unsupported file type '.html'"),
    "sub/2024-06-01_note.txt": ("ingested", "date taken from the file name"),
    ".DS_Store": ("rejected", "hidden file: skipped"),
    ".git": ("rejected", "hidden folder (1 file(s)): skipped"),
    "ldcc-mini.tgz#text/README.txt": ("rejected", "not an article"),
    "ldcc-mini.tgz#text/it-life-hack/LICENSE.txt": ("rejected", "not an article"),
    "ldcc-mini.tgz#text/it-life-hack/it-life-hack-1.txt": ("ingested", ""),
    "ldcc-mini.tgz#text/sports-watch/sports-watch-2.txt": ("ingested", ""),
    "ldcc-mini.tgz#text/sports-watch/sports-watch-3.txt": ("duplicate", "same text as {root}/ldcc-mini.tgz#text/it-life-hack/it-life-hack-1.txt"),
}


def test_every_file_is_accounted(hostile, tmp_path):
    result = ingest([hostile], tmp_path / "out")
    root = hostile.as_posix()
    report = pd.read_csv(tmp_path / "out" / "ingest_report.csv", keep_default_na=False, dtype=str)
    assert list(report.columns) == ["path", "status", "reason", "doc_id"]
    got = {row.path[len(root) + 1:]: row for row in report.itertuples()}
    assert set(got) == set(EXPECTED)  # hidden files and folders are skipped and listed, as is everything else
    for rel, (status, fragment) in EXPECTED.items():
        row = got[rel]
        assert row.status == status, (rel, row.reason)
        assert fragment.format(root=root) in row.reason, (rel, row.reason)
        assert (row.doc_id == "") == (status == "rejected"), rel
    assert got["h_duplicate.txt"].doc_id == got["a_utf8.txt"].doc_id
    assert (result.n_ingested, result.n_duplicate, result.n_rejected) == (8, 2, 13)

    corpus = pd.read_parquet(tmp_path / "out" / "corpus.parquet")
    assert list(corpus.columns) == list(COLUMNS)
    assert len(corpus) == 8 and corpus["doc_id"].is_unique
    assert all(corpus["doc_id"] == corpus["text"].map(doc_id_for))
    for column in ("published", "updated", "original_published"):
        assert str(corpus[column].dtype) == "datetime64[ns, Asia/Tokyo]"
    assert corpus["published"].is_monotonic_increasing
    encodings = dict(zip(corpus["path"].str.slice(len(root) + 1), corpus["encoding"]))
    assert encodings["a_utf8.txt"] == "utf-8" and encodings["b_bom.txt"] == "utf-8-sig"
    assert encodings["c_sjis_crlf.txt"] == "cp932" and encodings["d_eucjp.txt"] == "euc_jp"
    sjis = corpus.set_index("encoding").loc["cp932"]
    assert (sjis["title"], sjis["genre"], sjis["text"]) == ("補助金の功罪", "社説", "半導体工場への補助金は検証が必要だ。")
    assert "\r" not in "".join(corpus["text"])
    news = corpus[corpus["source"] == "livedoor ニュース"].set_index("category")
    assert set(news.index) == {"it-life-hack", "sports-watch"}
    assert str(news.loc["sports-watch", "published"]) == "2012-05-02 21:15:00+09:00"
    assert corpus.set_index("title").loc["輸出規制を問う", "source"] == "in"  # no URL: the folder name


def test_rerun_is_byte_identical(hostile, tmp_path):
    ingest([hostile], tmp_path / "one")
    ingest([hostile], tmp_path / "two")
    ingest([hostile], tmp_path / "one")  # overwriting in place changes nothing either
    for name in ("corpus.parquet", "ingest_report.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_first_in_sorted_order_is_kept_whatever_the_argument_order(tmp_path):
    for name in ("b", "a"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text(page("題", "2024-01-01", "同じ本文。"), encoding="utf-8")
    result = collect([tmp_path / "b", tmp_path / "a"])
    kept = result.report.set_index("status").loc["ingested", "path"]
    assert kept == (tmp_path / "a" / "x.txt").as_posix()


def test_allow_undated(hostile, tmp_path, capsys):
    result = ingest([hostile / "i_undated.txt"], tmp_path / "out", allow_undated=True)
    assert result.n_ingested == 1 and result.corpus["published"].isna().all()
    assert "--allow-undated" in result.report.loc[0, "reason"]
    print_summary(result)
    assert "1 document(s) have no date" in capsys.readouterr().err


def test_summary_and_load_corpus(hostile, tmp_path, capsys):
    result = ingest([hostile], tmp_path / "out")
    print_summary(result)
    out = capsys.readouterr().out
    assert "ingested 8 / duplicate 2 / rejected 13" in out
    assert "top rejection reasons:" in out and "not an article" in out
    loaded = load_corpus(tmp_path / "out")
    assert loaded["doc_id"].tolist() == result.corpus["doc_id"].tolist()
    with pytest.raises(InputError, match="run `analysis ingest"):
        load_corpus(tmp_path / "nowhere")


def test_cli_exit_status(hostile, tmp_path, capsys):
    assert main(["ingest", str(hostile), "--out", str(tmp_path / "ok")]) == 0
    assert main(["ingest", str(hostile / "e_empty.txt"), str(hostile / "f_binary.txt"),
                 "--out", str(tmp_path / "bad")]) == 1
    assert "nothing could be ingested" in capsys.readouterr().out
    # nothing ingested: the attempt's report is written under its own name, no empty corpus
    assert (tmp_path / "bad" / "ingest_report.failed.csv").is_file()
    assert not (tmp_path / "bad" / "corpus.parquet").exists()
    # ... and a good corpus already there is left as it was
    before = (tmp_path / "ok" / "corpus.parquet").read_bytes()
    assert main(["ingest", str(hostile / "e_empty.txt"), "--out", str(tmp_path / "ok")]) == 1
    assert (tmp_path / "ok" / "corpus.parquet").read_bytes() == before
    assert "left as it was" in capsys.readouterr().out
    assert main(["ingest", str(tmp_path / "missing"), "--out", str(tmp_path / "x")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_fixture_folder(tmp_path):
    result = collect([FIXTURES])
    by_name = {Path(p.split("#")[0]).name: s for p, s in zip(result.report["path"], result.report["status"])}
    assert by_name["hankyoreh_editorial.txt"] == by_name["joongang_editorial.txt"] == "ingested"
    sources = set(result.corpus["source"])
    assert {"ハンギョレ", "中央日報", "東西新聞", "南北日報"} <= sources


@pytest.mark.parametrize("module", ["__init__", "schema", "dates", "decode", "profiles", "pages", "tables", "livedoor",
                                    "sanity", "cli"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    name = "analysis.ingest" if module == "__init__" else f"analysis.ingest.{module}"
    failures, attempted = doctest.testmod(importlib.import_module(name))
    assert attempted > 0 and failures == 0


def test_links_are_listed_not_followed(tmp_path):
    root = tmp_path / "in"
    (root / "real").mkdir(parents=True)
    (root / "real" / "2024-01-05_a.txt").write_text(page("題", "2024-01-05", "リンクの先の本文。"), encoding="utf-8")
    try:
        (root / "real" / "loop").symlink_to(root, target_is_directory=True)
        (root / "shortcut").symlink_to(root / "real", target_is_directory=True)
        (root / "gone.txt").symlink_to(root / "nowhere.txt")
    except OSError:
        pytest.skip("symbolic links not available here")
    report = collect([root]).report
    got = dict(zip(report["path"].map(lambda p: Path(p).relative_to(root).as_posix()), report["reason"]))
    assert set(got) == {"real/2024-01-05_a.txt", "real/loop", "shortcut", "gone.txt"}
    assert got["real/2024-01-05_a.txt"] == ""
    assert "link to a folder: not followed" in got["real/loop"] and "link to a folder" in got["shortcut"]
    assert "broken link" in got["gone.txt"]


def test_not_article_names_are_exact(tmp_path):
    for name in ("LICENSE-topic-news.txt", "readme.txt", "changes-in-policy.txt"):
        (tmp_path / name).write_text(page("題", "2024-01-01", f"{name}の本文。架空の社説である。"), encoding="utf-8")
    status = dict(zip(collect([tmp_path]).report["path"].map(lambda p: Path(p).name),
                      collect([tmp_path]).report["status"]))
    assert status == {"LICENSE-topic-news.txt": "rejected", "readme.txt": "rejected",
                      "changes-in-policy.txt": "ingested"}


def test_missing_input_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        collect([tmp_path / "absent"])


@pytest.mark.shared
def test_real_seed_folder(tmp_path):
    seeds = config.paths().shared / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} not available")
    result = ingest([seeds], tmp_path)
    assert result.n_ingested >= 1 and result.n_rejected == 0
    row = result.corpus.set_index("url").loc["https://www.hani.co.kr/arti/opinion/editorial/1180249.html"]
    assert row["title"] == "ディープシークの衝撃、韓国も「速い追撃者」のチャンスを生かすべき"
    assert str(row["published"]) == "2025-02-01 07:05:00+09:00"
    assert str(row["updated"]) == "2025-02-01 07:27:00+09:00"
    assert str(row["original_published"]) == "2025-01-31 19:31:00+09:00"
    assert (row["genre"], row["translator"], row["source"]) == ("社説", "H.J", "ハンギョレ")


@pytest.mark.shared
@pytest.mark.slow
def test_full_livedoor_tarball(tmp_path):
    tarball = config.paths().shared / "data" / "livedoor" / "ldcc-text.tgz"
    if not tarball.is_file():
        pytest.skip(f"{tarball} not available")
    start = time.perf_counter()
    result = ingest([tarball], tmp_path)
    elapsed = time.perf_counter() - start
    report = result.report
    articles = report[~report["path"].str.contains(r"/(?:README|CHANGES|LICENSE)\.txt$")]
    assert len(articles) == 7367
    assert set(articles["status"]) <= {"ingested", "duplicate"}
    assert result.n_ingested + result.n_duplicate == 7367
    non_articles = report[report["status"] == "rejected"]
    assert len(non_articles) == 11 and non_articles["reason"].str.startswith("not an article").all()
    corpus = result.corpus
    assert corpus["published"].notna().all()
    assert corpus["published"].min().year >= 2000 and corpus["published"].max().year == 2012
    assert corpus["category"].nunique() == 9 and (corpus["category"] != "").all()
    assert (corpus["category"] == corpus["path"].str.split("/").str[-2]).all()
    # input sanity: no article is too long or too little Japanese (lowest share measured: 0.288)
    assert result.warnings == [] and not corpus["path"].str.contains("#part=").any()
    assert corpus["text"].str.len().max() < MAX_DOCUMENT_CHARS / 10
    assert (corpus["title"] + "\n" + corpus["text"]).map(japanese_share).min() > JAPANESE_SHARE_MIN + 0.05
    assert elapsed < 60, f"livedoor ingest took {elapsed:.1f} s"


@pytest.mark.parametrize("folder", ["new_user", "new_user_test", "new_user_test2", "new_user3", "new_user_test3",
                                    "new_user4", "new_user_test4", "new_user5", "new_user_test5",
                                    "new_user6", "new_user_test6", "new_user_test7"])
def test_outside_users_folders_ingest_whole(folder):
    """The folders of editorials written as outside users would bring them (titles with and
    without 【社説】/社説：/[社説], seven forms of dateline) ingest without a rejection, each page
    dated by its dateline, which agrees with the date in its file name."""
    root = Path(__file__).parents[1] / "data" / "gold" / folder / "editorials"
    result = collect([root])
    assert (result.n_ingested, result.n_rejected, result.n_duplicate) == (40, 0, 0)
    assert len(set(result.corpus["source"])) == 3 and not result.corpus["title"].str.startswith(("社説", "[", "【")).any()
    named = result.corpus["path"].map(lambda p: Path(p).name[:10])
    assert (result.corpus["published"].dt.strftime("%Y-%m-%d") == named).all()
    assert not result.report["reason"].str.contains("file name").any()   # dated by the page, not the name
