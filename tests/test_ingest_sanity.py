"""Input sanity (issue 13, item 3): language, oversize documents, explicit table columns, warnings
and the summary when nothing was ingested; every rejection has a reason, never a traceback."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config
from analysis.cli import main
from analysis.errors import InputError
from analysis.ingest import collect, ingest, print_summary
from analysis.ingest.cli import parse_columns
from analysis.ingest.sanity import (JAPANESE_SHARE_MIN, MAX_DOCUMENT_CHARS, japanese_share,
                                    split_text)
from analysis.ingest.tables import ALIASES, FIELDS

ENGLISH = "Export controls\n2024-03-01\n\nExport rules tightened.\n"  # 23 characters of body
#: three paragraphs of 20 characters: two never fit in 30 characters, so 3 parts.
PARAGRAPHS = ["半導体の輸出規制について政府は方針を改めた。"[:20],
              "同盟国との協調が欠かせないと社説は主張する。"[:20],
              "補助金の効果は検証されなければならないだろう。"[:20]]
BIG = "【社説】長すぎる社説\n2024-03-01\n\n" + "\n".join(f"\u3000{p}" for p in PARAGRAPHS) + "\n"


def rows(result) -> dict[str, pd.Series]:
    return {row.path: row for row in result.report.itertuples()}


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


# -- language --------------------------------------------------------------------------------------

def test_english_page_is_rejected_with_a_reason(tmp_path):
    english = write(tmp_path / "english.txt", ENGLISH)
    result = collect([english])
    (row,) = result.report.itertuples()
    assert row.status == "rejected" and row.doc_id == ""
    assert row.reason == ("not Japanese: 0% of letters are kana/kanji (need 20%); "
                          "pass --allow-other-languages to keep it")
    assert result.corpus.empty


def test_allow_other_languages_keeps_it_with_a_note(tmp_path):
    english = write(tmp_path / "english.txt", ENGLISH)
    result = collect([english], allow_other_languages=True)
    assert result.n_ingested == 1
    assert "kept although not Japanese" in result.report.loc[0, "reason"]
    assert result.corpus.loc[0, "title"] == "Export controls"


def test_japanese_share_counts_letters_only():
    assert japanese_share("輸出規制、2024年。") == 1.0  # digits and punctuation are not letters
    assert japanese_share("AI規制") == 0.5
    assert japanese_share("정부는 규제를 강화했다") == 0.0  # Hangul is not Japanese script
    assert japanese_share("12345") == 0.0
    assert 0 < JAPANESE_SHARE_MIN < 0.288  # below livedoor's lowest article (see sanity.py)


def test_japanese_headline_over_english_text_is_still_rejected(tmp_path):
    body = "The government tightened export controls on advanced chips this week. " * 5
    write(tmp_path / "mixed.txt", f"【社説】半導体の輸出規制を強化\n2024-03-01\n\n{body}\n")
    reason = collect([tmp_path]).report.loc[0, "reason"]
    assert reason.startswith("not Japanese: ") and "(need 20%)" in reason


def test_demo_pages_pass_the_checks():
    result = collect([config.paths().demo_pages])
    assert (result.n_ingested, result.n_rejected, result.warnings) == (288, 0, [])
    assert result.corpus["text"].map(japanese_share).min() > 0.9  # measured lowest: 0.912


# -- oversize --------------------------------------------------------------------------------------

def test_oversize_page_is_split_into_parts(tmp_path, capsys):
    big = write(tmp_path / "big.txt", BIG)
    result = collect([big], max_chars=30)
    path = big.as_posix()
    report = rows(result)
    assert list(report) == [f"{path}#part={k}" for k in (1, 2, 3)]
    for k, row in enumerate(report.values(), start=1):
        assert row.status == "ingested"
        assert row.reason.startswith(f"part {k} of 3: split into 3 parts of at most 30 characters: "
                                     "over the 30-character limit (62 characters)")
    corpus = result.corpus.set_index("path")
    assert corpus["doc_id"].is_unique and len(corpus) == 3
    assert [corpus.loc[f"{path}#part={k}", "title"] for k in (1, 2, 3)] == [
        "長すぎる社説 (1/3)", "長すぎる社説 (2/3)", "長すぎる社説 (3/3)"]
    assert [corpus.loc[f"{path}#part={k}", "text"] for k in (1, 2, 3)] == PARAGRAPHS
    assert (corpus["genre"] == "社説").all() and (corpus["published"].dt.day == 1).all()
    err = capsys.readouterr().err
    assert f"warning: {path} has 62 characters, over the 30-character limit: split into 3 parts" in err
    assert result.warnings and path in result.warnings[0]


def test_oversize_reject(tmp_path, capsys):
    big = write(tmp_path / "big.txt", BIG)
    result = collect([big], max_chars=30, oversize="reject")
    (row,) = result.report.itertuples()
    assert row.status == "rejected" and row.path == big.as_posix()
    assert row.reason.startswith("too long: 62 characters, over the 30-character limit")
    assert f"warning: {big.as_posix()} has 62 characters" in capsys.readouterr().err


def test_default_limit_keeps_an_ordinary_page_whole(tmp_path, capsys):
    result = collect([write(tmp_path / "big.txt", BIG)])
    assert result.n_ingested == 1 and result.warnings == [] and capsys.readouterr().err == ""
    assert MAX_DOCUMENT_CHARS == 200_000


def test_split_text_prefers_paragraphs_then_sentences_then_the_limit():
    assert split_text("一。\n二。\n三。", max_chars=5) == ["一。\n二。", "三。"]
    assert split_text("一文目です。二文目です。三文目です。", max_chars=13) == [
        "一文目です。二文目です。", "三文目です。"]
    assert split_text("「そうだ。」と言った。次。", max_chars=7) == ["「そうだ。」", "と言った。次。"]
    assert split_text("あ" * 25, max_chars=10) == ["あ" * 10, "あ" * 10, "あ" * 5]
    long = "\n".join(["短い段落。", "長い文です。" * 6, "終わり。"])
    parts = split_text(long, max_chars=14)
    assert all(len(p) <= 14 for p in parts)
    assert "".join(parts).replace("\n", "") == long.replace("\n", "")


def test_table_row_over_the_limit_is_split(tmp_path):
    table = write(tmp_path / "t.csv", "本文,日付,新聞\n\"" + "\n".join(PARAGRAPHS) + "\",2024-03-01,東西新聞\n")
    result = collect([table], max_chars=30)
    assert list(rows(result)) == [f"{table.as_posix()}#row=1#part={k}" for k in (1, 2, 3)]
    titles = result.corpus.sort_values("path")["title"].tolist()
    assert titles == ["(1/3)", "(2/3)", "(3/3)"]  # no title column: the suffix alone


@pytest.mark.parametrize("settings, fragment", [
    ({"max_chars": 0}, "max_chars (--max-chars) must be a positive"),
    ({"max_chars": "100"}, "max_chars (--max-chars) must be a positive"),
    ({"oversize": "truncate"}, "oversize (--oversize) must be one of split, reject"),
])
def test_bad_settings_are_input_errors(tmp_path, settings, fragment):
    with pytest.raises(InputError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        collect([write(tmp_path / "a.txt", BIG)], **settings)


# -- explicit columns ------------------------------------------------------------------------------

EXPORT = "本文データ,日付データ,社名\n輸出規制の強化は避けられない。,2024-04-01,南北日報\n補助金の検証が必要だ。,2024-04-02,東西新聞\n"
MAPPING = {"text": "本文データ", "published": "日付データ", "source": "社名"}


def test_columns_map_a_table_the_aliases_do_not_know(tmp_path, capsys):
    table = write(tmp_path / "export.csv", EXPORT)
    assert collect([table]).report.loc[0, "reason"].startswith("table lacks required column(s) text")
    result = collect([table], columns=MAPPING)
    assert result.n_ingested == 2
    assert result.corpus["source"].tolist() == ["南北日報", "東西新聞"]
    assert result.corpus["text"].tolist() == ["輸出規制の強化は避けられない。", "補助金の検証が必要だ。"]
    assert "no source column" not in capsys.readouterr().err


def test_explicit_mapping_wins_over_aliases(tmp_path):
    table = write(tmp_path / "t.csv", "本文,要約,日付,新聞\n長い本文である。,要約である。,2024-04-01,南北日報\n")
    assert collect([table]).corpus.loc[0, "text"] == "長い本文である。"
    corpus = collect([table], columns={"text": "要約", "title": "本文"}).corpus
    assert (corpus.loc[0, "text"], corpus.loc[0, "title"]) == ("要約である。", "長い本文である。")


def test_mapped_column_missing_rejects_the_table(tmp_path):
    table = write(tmp_path / "export.csv", EXPORT)
    result = collect([table], columns={**MAPPING, "source": "新聞社"})
    (row,) = result.report.itertuples()
    assert row.status == "rejected" and row.path == table.as_posix()
    assert "lacks the column(s) '新聞社' (mapped to source)" in row.reason
    assert "its columns are: 本文データ, 日付データ, 社名" in row.reason


def test_unknown_field_in_mapping_is_an_input_error(tmp_path):
    table = write(tmp_path / "export.csv", EXPORT)
    with pytest.raises(InputError, match="unknown field\\(s\\) body; valid fields: text, published"):
        collect([table], columns={"body": "記事本文"})
    assert FIELDS[:3] == ("text", "published", "source")


def test_parse_columns():
    assert parse_columns(["text=本文データ, published = 日付データ", "source=社名"]) == MAPPING
    assert parse_columns(None) == {}
    for bad in ("text", "text=", "=記事本文", "text=記事本文,,"):
        with pytest.raises(InputError, match="--columns: cannot read"):
            parse_columns([bad])
    with pytest.raises(InputError, match="given twice"):
        parse_columns(["text=a,text=b"])


def test_cli_columns_and_bad_syntax(tmp_path, capsys):
    table = write(tmp_path / "export.csv", EXPORT)
    out = tmp_path / "out"
    assert main(["ingest", str(table), "--out", str(out),
                 "--columns", "text=本文データ,published=日付データ,source=社名"]) == 0
    assert "ingested 2 / duplicate 0 / rejected 0" in capsys.readouterr().out
    assert main(["ingest", str(table), "--out", str(out), "--columns", "text:記事本文"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --columns: cannot read 'text:記事本文'") and err.count("\n") == 1
    assert main(["ingest", str(table), "--out", str(out), "--columns", "body=記事本文"]) == 2
    assert "valid fields: text, published" in capsys.readouterr().err


def test_cli_language_and_size_flags(tmp_path, capsys):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    write(inputs / "english.txt", ENGLISH)
    write(inputs / "big.txt", BIG)
    assert main(["ingest", str(inputs), "--out", str(out), "--max-chars", "30"]) == 0
    report = pd.read_csv(out / "ingest_report.csv", keep_default_na=False, dtype=str)
    assert report["status"].tolist() == ["ingested"] * 3 + ["rejected"]
    assert main(["ingest", str(inputs), "--out", str(out), "--max-chars", "30",
                 "--oversize", "reject", "--allow-other-languages"]) == 0
    report = pd.read_csv(out / "ingest_report.csv", keep_default_na=False, dtype=str)
    assert report["status"].tolist() == ["rejected", "ingested"]
    assert main(["ingest", str(inputs), "--out", str(out), "--max-chars", "0"]) == 2
    assert "must be a positive" in capsys.readouterr().err


# -- warnings and the summary ----------------------------------------------------------------------

def test_table_without_source_column_warns(tmp_path, capsys):
    table = write(tmp_path / "東西新聞.csv", "本文,日付\n一行目の本文。,2024-05-01\n二行目の本文。,2024-05-02\n")
    result = ingest([table], tmp_path / "out")
    err = capsys.readouterr().err
    assert (f"warning: {table.as_posix()} has no source column (looked for: source, newspaper, paper, "
            f"新聞, 新聞名, 媒体, publisher, {', '.join(ALIASES['source'][7:])}); all 2 rows take '東西新聞' as newspaper. "
            "Map one with --columns source=COLUMN") in err
    assert set(result.corpus["source"]) == {"東西新聞"}
    assert result.report["reason"].str.contains("source taken from the file name '東西新聞'").all()
    assert result.report["reason"].str.contains("--columns source=COLUMN").all()


def test_empty_folder_summary_names_the_folder(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = ingest([empty], tmp_path / "out")
    print_summary(result)
    out = capsys.readouterr().out
    assert "ingested 0 / duplicate 0 / rejected 0" in out
    assert f"nothing could be ingested: no files found under {empty.as_posix()}" in out
    assert "see the reasons above" not in out
    assert main(["ingest", str(empty), "--out", str(tmp_path / "out")]) == 1
    (empty / ".DS_Store").write_bytes(b"\x00")  # hidden: skipped and listed, with the reason
    print_summary(ingest([empty], tmp_path / "out"))
    out = capsys.readouterr().out
    assert "ingested 0 / duplicate 0 / rejected 1" in out and "hidden file: skipped" in out


def test_nothing_ingested_summary_prints_every_reason(tmp_path, capsys):
    files = {
        "a.txt": "", "b.txt": ENGLISH, "c.html": "<p>x</p>", "d.csv": "headline\n見出し\n",
        "e.txt": "日付のない覚え書き\n\n本文はあるが日付がない。\n", "README.txt": "説明\n",
        "f.jsonl": "not json\n",
    }
    for name, text in files.items():
        write(tmp_path / name, text)
    result = collect([tmp_path])
    reasons = set(result.report["reason"])
    assert result.n_ingested == 0 and len(reasons) == 7  # more than the 5 a normal summary shows
    print_summary(result)
    out = capsys.readouterr().out
    assert "nothing could be ingested; every rejection reason (7 rejected):" in out
    for reason in reasons:
        assert reason in out
    assert f"(e.g. {(tmp_path / 'b.txt').as_posix()})" in out
    assert "see the reasons above" not in out and "top rejection reasons" not in out
