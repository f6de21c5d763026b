"""The coding-rule language: parsing, precedence, evaluation (near, phrases, fallback), errors, shares."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config
from analysis.closeread._common import Unit
from analysis.closeread.coding import apply_rules, code_shares, parse_rules, plot_code_shares, read_rules
from analysis.errors import InputError


def _one(text: str):
    (rule,) = parse_rules(text)
    return rule


def test_precedence_keywords_fullwidth_and_comments():
    assert str(_one("c = a | b & !c")) == "c = a OR (b AND NOT c)"
    assert str(_one("c = (a | b) & c")) == "c = (a OR b) AND c"
    assert str(_one("c = a OR b AND NOT c  # comment")) == "c = a OR (b AND NOT c)"
    assert str(_one("c ＝ （a ｜ b）＆ ！c")) == "c = (a OR b) AND NOT c"
    assert str(_one('c = "輸出 規制" | near(AI, 規制, 5)')) == 'c = "輸出 規制" OR near(AI, 規制, 5)'
    assert str(_one('c = "OR"')) == "c = OR"  # quoted keywords are words
    rules = parse_rules("# header\n\n安全保障 = 安全保障 | 軍事 | 防衛\n  \n外交 = 外交  # trailing\n")
    assert [(r.name, r.line) for r in rules] == [("安全保障", 3), ("外交", 5)]


def test_packaged_example_rules_parse():
    rules = read_rules(config.resource("coding_rules.txt"))
    assert {"安全保障", "輸出規制"} <= {r.name for r in rules}


@pytest.mark.parametrize(
    ("line", "col", "message"),
    [
        ("安全保障 = 軍事 | | 防衛", 13, "expected a word"),
        ("安全保障 軍事 | 防衛", 6, "expected '='"),
        ("安全保障 = (軍事 | 防衛", 8, "never closed"),
        ("安全保障 = 軍事 | 防衛)", 15, "unmatched ')'"),
        ("安全保障 = near(軍事, 防衛, x)", 21, "whole number"),
        ("安全保障 = near(軍事 防衛, 3)", 16, "','"),
        ('安全保障 = "軍事 | 防衛', 8, "unterminated quote"),
        ("安全保障 = ", 7, "no expression"),
        ("安全保障 = 軍事 防衛", 11, "expected an operator"),
        ("= 軍事", 1, "code name"),
        ("安全保障 = ()", 9, "empty parentheses"),
    ],
)
def test_malformed_rules_report_file_line_column_and_caret(line, col, message):
    text = "# rules\n外交 = 外交\n" + line + "\n"
    with pytest.raises(InputError) as info:
        parse_rules(text, filename="rules.txt")
    msg = str(info.value)
    head, shown, caret = msg.splitlines()
    assert head.startswith(f"rules.txt:3:{col}: ") and message in head
    assert shown.strip() == line.strip()
    # the caret sits under column `col`, counting wide characters as two terminal columns
    from analysis.closeread._common import display_width

    assert caret.index("^") - 4 == display_width(line[: col - 1])


def test_duplicate_names_and_empty_files_are_errors(tmp_path):
    with pytest.raises(InputError, match=r"r.txt:2:1: code '外交' is defined twice \(first on line 1\)"):
        parse_rules("外交 = 外交\n外交 = 外務省", filename="r.txt")
    with pytest.raises(InputError, match="no rules"):
        parse_rules("# only a comment\n")
    with pytest.raises(InputError, match="not found"):
        read_rules(tmp_path / "missing.txt")


def _unit(tokens, text=""):
    return Unit("d", 0, tokens, text)


def test_near_counts_token_distance_in_either_order():
    rule = _one("c = near(輸出, 規制, 2)")
    vocab = frozenset({"輸出", "規制", "の", "強化", "が"})
    assert rule.matches(_unit(["輸出", "の", "規制"]), vocab)          # distance 2
    assert rule.matches(_unit(["規制", "が", "輸出"]), vocab)          # reversed order
    assert not rule.matches(_unit(["輸出", "の", "強化", "規制"]), vocab)  # distance 3
    assert not rule.matches(_unit(["輸出", "強化"]), vocab)
    phrase = _one('c = near("輸出 規制", 強化, 1)')
    assert phrase.matches(_unit(["輸出", "規制", "強化"]), vocab)
    assert not phrase.matches(_unit(["輸出", "規制", "の", "強化"]), vocab)


def test_terms_match_tokens_phrases_and_fall_back_to_text_for_split_compounds():
    vocab = frozenset({"防衛", "費", "経済", "安全", "保障", "輸出", "規制"})
    defence = _one("c = 防衛")
    assert defence.matches(_unit(["防衛", "費"]), vocab)
    assert not defence.matches(_unit(["防衛費"], "防衛費を増やす"), vocab)  # a vocabulary word matches tokens only
    compound = _one("c = 経済安全保障")  # not a token: substring of the text, else token concatenation
    assert compound.matches(_unit(["経済", "安全", "保障"], "経済安全保障の強化"), vocab)
    assert compound.matches(_unit(["経済", "安全", "保障"]), vocab)
    assert not compound.matches(_unit(["経済", "安全"], "経済安全"), vocab)
    phrase = _one('c = "輸出 規制"')
    assert phrase.matches(_unit(["輸出", "規制"]), vocab)
    assert not phrase.matches(_unit(["規制", "輸出"]), vocab)
    logic = _one("c = (防衛 | 経済) & !規制")
    assert logic.matches(_unit(["経済"]), vocab) and not logic.matches(_unit(["経済", "規制"]), vocab)


def _corpus():
    return pd.DataFrame({
        "doc_id": ["a1", "a2", "a3", "b1", "b2"],
        "source": ["A紙", "A紙", "A紙", "B紙", "B紙"],
        "text": ["防衛費を増やす。景気が悪い。", "景気の話。", "軍事の話。防衛の話。", "景気の話。", "防衛の話。"],
        "published": pd.to_datetime(["2023-01-05", "2023-06-01", "2024-02-01", "2023-03-03", "2024-04-04"]
                                    ).tz_localize("Asia/Tokyo"),
    })


def _tokens():
    sentence_tokens = [[["防衛", "費", "増やす"], ["景気", "悪い"]], [["景気", "話"]], [["軍事", "話"], ["防衛", "話"]],
                       [["景気", "話"]], [["防衛", "話"]]]
    return pd.DataFrame({
        "doc_id": ["a1", "a2", "a3", "b1", "b2"],
        "tokens": [sum(s, []) for s in sentence_tokens],
        "sentences": [["防衛費を増やす。", "景気が悪い。"], ["景気の話。"], ["軍事の話。", "防衛の話。"], ["景気の話。"], ["防衛の話。"]],
        "sentence_tokens": sentence_tokens,
    })


def test_apply_rules_per_document_and_sentence():
    rules = parse_rules("安保 = 防衛 | 軍事\n景気 = 景気 & !防衛")
    hits = apply_rules(rules, _tokens(), corpus=_corpus())
    assert hits.columns.tolist() == ["doc_id", "unit_index", "code", "hit"]
    got = {(r.doc_id, r.code): r.hit for r in hits.itertuples()}
    assert [got[(d, "安保")] for d in ["a1", "a2", "a3", "b1", "b2"]] == [1, 0, 1, 0, 1]
    assert [got[(d, "景気")] for d in ["a1", "a2", "a3", "b1", "b2"]] == [0, 1, 0, 1, 0]
    by_sentence = apply_rules(rules, _tokens(), corpus=_corpus(), unit="sentence")
    keiki = by_sentence[by_sentence["code"] == "景気"]
    assert keiki[["doc_id", "unit_index", "hit"]].values.tolist()[:2] == [["a1", 0, 0], ["a1", 1, 1]]


def test_code_shares_per_source_and_year_with_intervals():
    rules = parse_rules("安保 = 防衛 | 軍事")
    shares = code_shares(apply_rules(rules, _tokens(), corpus=_corpus()), _corpus(), period="Y", n_boot=200)
    assert shares.columns.tolist() == ["code", "source", "period", "n", "hits", "mean", "ci_low", "ci_high"]
    table = {(r.source, r.period): (r.n, r.hits, r.mean) for r in shares.itertuples()}
    assert table == {("A紙", "2023"): (2, 1, 0.5), ("A紙", "2024"): (1, 1, 1.0),
                     ("B紙", "2023"): (1, 0, 0.0), ("B紙", "2024"): (1, 1, 1.0)}
    assert ((shares["ci_low"] <= shares["mean"]) & (shares["mean"] <= shares["ci_high"])).all()
    # sentence unit: the per-document value is the share of its sentences (a1: 1 of 2)
    per_sentence = code_shares(apply_rules(rules, _tokens(), corpus=_corpus(), unit="sentence"), _corpus(),
                               by=["period"], period="Y", n_boot=200)
    row = per_sentence.set_index("period").loc["2023"]
    assert row["n"] == 3 and row["hits"] == 1 and row["mean"] == pytest.approx((0.5 + 0 + 0) / 3)


def test_plot_code_shares_one_line_per_source(recwarn):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures.style import use_style

    use_style()
    rules = parse_rules("安保 = 防衛 | 軍事\n景気 = 景気")
    shares = code_shares(apply_rules(rules, _tokens(), corpus=_corpus()), _corpus(), period="Y", n_boot=50)
    ax = plot_code_shares(shares, code="安保")
    ax.figure.canvas.draw()
    assert len(ax.lines) == 2 and [t.get_text() for t in ax.get_xticklabels()] == ["2023", "2024"]
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
    with pytest.raises(InputError, match="pass code="):
        plot_code_shares(shares)
    plt.close("all")


def test_plot_code_shares_keeps_equal_series_visible():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures.style import use_style

    use_style()
    rows = [("安保", source, period, 4, 2, 0.5, 0.2, 0.8) for source in ("A紙", "B紙", "C紙")
            for period in ("2023", "2024")]
    shares = pd.DataFrame(rows, columns=["code", "source", "period", "n", "hits", "mean", "ci_low", "ci_high"])
    ax = plot_code_shares(shares, code="安保")
    lines = ax.lines
    assert len(lines) == 3 and [t.get_text() for t in ax.get_legend().get_texts()] == ["A紙", "B紙", "C紙"]
    # identical shares: the series are shifted sideways and marked differently, so none hides another
    xs = [tuple(ln.get_xdata()) for ln in lines]
    assert len(set(xs)) == 3 and all(abs(x[0] - round(x[0])) <= 0.15 for x in xs)
    assert len({ln.get_marker() for ln in lines}) == 3
    assert [list(ln.get_ydata()) for ln in lines] == [[0.5, 0.5]] * 3
    plt.close("all")
