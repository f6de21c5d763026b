"""The kwic / collocates / network / code / ca commands on a tiny processed folder."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import io
from analysis.cli import main


@pytest.fixture()
def processed(tmp_path):
    docs = [
        ("a1", "A紙", "2023-01-10", [["政府", "輸出規制", "強化"], ["半導体", "輸出規制", "米国"]]),
        ("a2", "A紙", "2024-02-10", [["輸出規制", "半導体", "中国"], ["景気", "回復"]]),
        ("a3", "A紙", "2024-05-10", [["防衛", "予算", "増額"]]),
        ("b1", "B紙", "2023-03-10", [["景気", "物価", "賃金"], ["輸出規制", "懸念"]]),
        ("b2", "B紙", "2024-04-10", [["物価", "賃金", "景気"], ["軍事", "予算"]]),
        ("b3", "B紙", "2024-08-10", [["半導体", "補助金", "工場"], ["輸出規制", "半導体"]]),
    ]
    corpus = pd.DataFrame({
        "doc_id": [d[0] for d in docs], "source": [d[1] for d in docs], "title": ["t"] * len(docs),
        "text": ["。".join("".join(s) for s in d[3]) + "。" for d in docs],
        "published": pd.to_datetime([d[2] for d in docs]).tz_localize("Asia/Tokyo"),
        "category": [None] * len(docs),
    })
    tokens = pd.DataFrame({
        "doc_id": [d[0] for d in docs], "tokens": [sum(d[3], []) for d in docs],
        "sentences": [["".join(s) + "。" for s in d[3]] for d in docs], "sentence_tokens": [d[3] for d in docs],
    })
    out = tmp_path / "processed"
    io.write_parquet(corpus, out / "corpus.parquet")
    io.write_parquet(tokens, out / "tokens.parquet")
    return out


def test_kwic_command_prints_aligned_table_and_exports(processed, tmp_path, capsys):
    out = tmp_path / "kwic.html"
    assert main(["kwic", "輸出規制", "--window", "4", "--processed", str(processed), "--source", "A紙",
                 "--sort", "right", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "輸出規制: 3 hits in 2 of 3 documents" in printed
    assert out.read_text(encoding="utf-8").count('class="m">輸出規制<') == 3
    assert main(["kwic", "輸出 規制", "--tokens", "--processed", str(processed)]) == 0  # no such token run
    assert "0 hits" in capsys.readouterr().out


def test_collocates_command(processed, tmp_path, capsys):
    out = tmp_path / "coll.csv"
    assert main(["collocates", "輸出規制", "--window", "2", "--min-count", "1", "--sort", "jaccard",
                 "--processed", str(processed), "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert "半導体" in set(table["word"]) and {"pmi", "llr", "t", "jaccard"} <= set(table.columns)
    assert "Jaccard over documents" in capsys.readouterr().out


def test_network_code_and_ca_commands_write_figures_and_tables(processed, tmp_path, capsys):
    stem = tmp_path / "fig" / "network"
    assert main(["network", "--top", "12", "--processed", str(processed), "--out", str(stem)]) == 0
    assert all((stem.parent / f"network.{ext}").is_file() for ext in ("png", "svg", "pdf"))
    nodes = pd.read_csv(stem.parent / "network_nodes.csv")
    assert {"word", "community", "x", "y"} <= set(nodes.columns)
    first_svg = (stem.parent / "network.svg").read_bytes()
    assert main(["network", "--top", "12", "--processed", str(processed), "--out", str(stem)]) == 0
    assert (stem.parent / "network.svg").read_bytes() == first_svg  # byte-identical rerun
    assert main(["network", "--term", "輸出規制", "--color-by", "source", "--min-docs", "1",
                 "--processed", str(processed), "--out", str(tmp_path / "fig" / "nb")]) == 0

    rules = tmp_path / "rules.txt"
    rules.write_text("安保 = 防衛 | 軍事\n輸出規制 = 輸出規制 | near(輸出, 規制, 2)\n", encoding="utf-8")
    code_stem = tmp_path / "fig" / "codes"
    assert main(["code", str(rules), "--processed", str(processed), "--n-boot", "100", "--out", str(code_stem)]) == 0
    shares = pd.read_csv(code_stem.with_suffix(".csv"))
    row = shares.query("code == '輸出規制' and source == 'B紙' and period == 2024").iloc[0]
    assert row["n"] == 2 and row["mean"] == pytest.approx(0.5)
    assert (code_stem.parent / "codes.png").is_file()
    assert main(["code", str(rules), "--unit", "sentence", "--by", "all", "--processed", str(processed),
                 "--n-boot", "50", "--out", str(code_stem)]) == 0

    ca_stem = tmp_path / "fig" / "ca"
    assert main(["ca", "--by", "source", "--top", "15", "--processed", str(processed), "--out", str(ca_stem)]) == 0
    coords = pd.read_csv(ca_stem.parent / "ca_coords.csv")
    assert set(coords.loc[coords["kind"] == "column", "label"]) == {"A紙", "B紙"}
    assert main(["ca", "--by", "period", "--processed", str(processed), "--out", str(ca_stem)]) == 0
    capsys.readouterr()


def test_missing_inputs_and_bad_rules_are_one_line_errors(processed, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["kwic", "輸出規制", "--processed", str(empty)]) == 2
    assert "run `analysis ingest` first" in capsys.readouterr().err
    (processed / "tokens.parquet").rename(tmp_path / "moved.parquet")
    assert main(["collocates", "輸出規制", "--processed", str(processed)]) == 2
    assert "`analysis tokenize`" in capsys.readouterr().err
    (tmp_path / "moved.parquet").rename(processed / "tokens.parquet")
    bad = tmp_path / "bad.txt"
    bad.write_text("安保 = 防衛 |\n", encoding="utf-8")
    assert main(["code", str(bad), "--processed", str(processed)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:1:" in err and "^" in err and "Traceback" not in err
    assert main(["kwic", "輸出規制", "--processed", str(processed), "--from", "someday"]) == 2
    assert "--from" in capsys.readouterr().err


def test_code_command_reads_khcoder_rule_files(processed, tmp_path, capsys):
    rules = tmp_path / "kh_rules.txt"
    rules.write_text("# KH Coder\n*安保\n防衛 or 軍事\n*規制\nnear(輸出規制-半導体)[b]\n", encoding="utf-8")
    stem = tmp_path / "fig" / "kh"
    assert main(["code", str(rules), "--processed", str(processed), "--n-boot", "50", "--out", str(stem)]) == 0
    printed = capsys.readouterr().out
    assert "安保: 2 documents" in printed and "規制: 3 documents" in printed  # a1, a2, b3 in one sentence
    assert main(["code", str(rules), "--syntax", "native", "--processed", str(processed), "--out", str(stem)]) == 2
    assert f"{rules}:2:" in capsys.readouterr().err


def test_ca_with_two_papers_draws_one_axis_and_one_paper_is_refused(processed, tmp_path, capsys):
    stem = tmp_path / "fig" / "ca"
    assert main(["ca", "--by", "source", "--processed", str(processed), "--out", str(stem)]) == 0
    assert "drawn as one axis" in capsys.readouterr().out
    inertia = pd.read_csv(stem.parent / "ca_inertia.csv")
    assert inertia["dimension"].tolist() == [1]
    first = (stem.parent / "ca.svg").read_bytes()
    assert main(["ca", "--by", "source", "--processed", str(processed), "--out", str(stem)]) == 0
    assert (stem.parent / "ca.svg").read_bytes() == first  # byte-identical rerun
    capsys.readouterr()
    assert main(["ca", "--source", "A紙", "--processed", str(processed), "--out", str(stem)]) == 2
    err = capsys.readouterr().err
    assert "needs at least two groups" in err and "A紙" in err and "Traceback" not in err
