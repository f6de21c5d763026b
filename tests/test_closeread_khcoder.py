"""KH Coder coding-rule files: detection, parsing, precedence, near/seq/strings/code references,
applying them to documents, and errors that name the file and line."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.closeread._common import Unit
from analysis.closeread.coding import apply_rules, detect_syntax, parse_rules, read_rules
from analysis.closeread.khcoder import parse_khcoder_rules
from analysis.errors import InputError

RULES = """\
# 社説のコーディングルール（KH Coder 形式）
*安全保障
安全保障 or 軍事 or 防衛

＊輸出規制
輸出+規制 | 輸出管理
  | seq(輸出-規制)[3]
*規制緩和
規制 and ( 緩和 | 撤廃 ) and not 輸出
*経済安保
'経済安保' |! 景気
*規制のみ
<*輸出規制> &! <*安全保障>
*同じ文
near(半導体-中国)[b]
"""


def _tokens() -> pd.DataFrame:
    sentence_tokens = {
        "d1": [["防衛", "費", "増額"]],                          # 安全保障
        "d2": [["輸出", "規制", "強化"], ["軍事", "転用"]],       # 輸出規制 (phrase), 安全保障
        "d3": [["輸出", "の", "厳しい", "規制"]],                # 輸出規制 (seq within 3)
        "d4": [["規制", "が", "緩和"], ["景気"]],                 # 規制緩和
        "d5": [["規制", "輸出", "緩和"], ["景気"]],               # not 規制緩和 (輸出); not seq (order)
        "d6": [["半導体"], ["中国"], ["景気"]],                   # near[b] fails: two sentences
        "d7": [["中国", "と", "半導体"], ["景気"]],               # near[b] holds
    }
    return pd.DataFrame({"doc_id": list(sentence_tokens),
                         "tokens": [sum(s, []) for s in sentence_tokens.values()],
                         "sentence_tokens": list(sentence_tokens.values())})


def _corpus() -> pd.DataFrame:
    texts = {"d1": "防衛費を増額する。", "d2": "輸出規制を強化。軍事転用。", "d3": "輸出の厳しい規制。",
             "d4": "規制が緩和された。景気。", "d5": "規制、輸出、緩和。景気。", "d6": "半導体。中国。景気。",
             "d7": "中国と半導体。経済安保と景気。"}
    return pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})


def test_khcoder_files_are_detected_by_their_first_rule_line():
    assert detect_syntax(RULES) == "khcoder"
    assert detect_syntax("\ufeff# comment\n\n＊安全保障\n防衛\n") == "khcoder"
    assert detect_syntax("# comment\n安全保障 = 防衛 | 軍事\n") == "native"
    native = parse_rules("安全保障 = 防衛 | 軍事")  # the native format keeps working
    assert [str(r) for r in native] == ["安全保障 = 防衛 OR 軍事"]


def test_khcoder_rules_parse_with_sql_precedence_and_all_supported_forms():
    rules = parse_rules(RULES, filename="rules.txt")
    assert [(r.name, r.line) for r in rules] == [("安全保障", 2), ("輸出規制", 5), ("規制緩和", 8), ("経済安保", 10),
                                                 ("規制のみ", 12), ("同じ文", 14)]
    assert [str(r.expr) for r in rules] == [
        "安全保障 OR 軍事 OR 防衛",
        '"輸出 規制" OR 輸出管理 OR seq(輸出-規制)[3]',   # a condition may span lines
        "規制 AND (緩和 OR 撤廃) AND NOT 輸出",
        "'経済安保' OR NOT 景気",
        "<*輸出規制> AND NOT <*安全保障>",
        "near(半導体-中国)[b]",
    ]
    assert [r.needs_sentences for r in rules] == [False] * 5 + [True]
    # not > and > or, as in KH Coder's SQL; operators need no spaces; keywords in any case
    (rule,) = parse_khcoder_rules("*c\na OR b and NOT c")
    assert str(rule.expr) == "a OR (b AND NOT c)"
    (rule,) = parse_khcoder_rules("*c\n(a|b)&!c")
    assert str(rule.expr) == "(a OR b) AND NOT c"
    (rule,) = parse_khcoder_rules("*c\nnear(a-b-c)[0] ｜ seq(a-b)[b5] | 'it''s'")
    assert str(rule.expr) == "near(a-b-c)[0] OR seq(a-b)[b5] OR 'it''s'"


def test_khcoder_rules_code_documents_as_expected():
    rules = parse_rules(RULES)
    hits = apply_rules(rules, _tokens(), corpus=_corpus())
    coded = {code: sorted(hits.loc[(hits["code"] == code) & (hits["hit"] == 1), "doc_id"])
             for code in [r.name for r in rules]}
    assert coded == {
        "安全保障": ["d1", "d2"],
        "輸出規制": ["d2", "d3"],
        "規制緩和": ["d4"],
        "経済安保": ["d1", "d2", "d3", "d7"],  # the string, or no 景気
        "規制のみ": ["d3"],
        "同じ文": ["d7"],
    }
    # sentence units: near(...)[b] holds within the sentence itself
    by_sentence = apply_rules(rules, _tokens(), corpus=_corpus(), unit="sentence")
    same = by_sentence[(by_sentence["code"] == "同じ文") & (by_sentence["hit"] == 1)]
    assert same[["doc_id", "unit_index"]].values.tolist() == [["d7", 0]]
    with pytest.raises(InputError, match="sentence_tokens"):
        apply_rules(rules, _tokens().drop(columns="sentence_tokens"))


def _unit(tokens):
    return Unit("d", 0, tokens)


def test_near_and_seq_chain_distances_in_tokens():
    vocab = frozenset("abcx")
    near, seq, far, anywhere = (parse_khcoder_rules(f"*r\n{c}")[0] for c in
                                ("near(a-b-c)[2]", "seq(a-b-c)[2]", "near(a-b)", "near(a-b)[0]"))
    assert near.matches(_unit(["c", "x", "a", "b"]), vocab)            # any order, each within 2 of the last
    assert not near.matches(_unit(["c", "x", "x", "a", "b"]), vocab)   # c is 3 before a
    assert seq.matches(_unit(["a", "x", "b", "c"]), vocab)
    assert not seq.matches(_unit(["c", "a", "b"]), vocab)              # c must come after b
    assert seq.matches(_unit(["a", "x", "x", "a", "b", "x", "c"]), vocab)  # the later a starts the chain
    assert far.matches(_unit(["a"] + ["x"] * 9 + ["b"]), vocab)        # default distance 10
    assert not far.matches(_unit(["a"] + ["x"] * 10 + ["b"]), vocab)
    assert anywhere.matches(_unit(["a"] + ["x"] * 50 + ["b"]), vocab)


def test_read_rules_reads_khcoder_files_in_utf8_and_shift_jis(tmp_path):
    utf8 = tmp_path / "kh_utf8.txt"
    utf8.write_text(RULES, encoding="utf-8-sig")
    sjis = tmp_path / "kh_sjis.txt"
    sjis.write_bytes(RULES.encode("cp932"))
    assert [r.name for r in read_rules(utf8)] == [r.name for r in read_rules(sjis)] == [r.name for r in parse_rules(RULES)]
    with pytest.raises(InputError, match="expected '='"):
        read_rules(utf8, syntax="native")  # an explicit syntax overrides the detection


@pytest.mark.parametrize(
    ("condition", "line", "col", "message"),
    [
        ("防衛 or", 3, 6, "expected a word"),
        ("防衛 軍事", 3, 4, "expected an operator"),
        ("( 防衛 or 軍事", 3, 1, "never closed"),
        ("防衛 )", 3, 4, "unmatched ')'"),
        ("near(防衛)", 3, 1, "two or more words"),
        ("near(防衛-軍事)[x]", 3, 12, "invalid option"),
        ("near(防衛-軍事)[d]", 3, 12, "[d] (same paragraph) is not supported"),
        ("'防衛", 3, 1, "unterminated string"),
        ("<*未定義>", 3, 1, "names no code defined above it"),
        ("<>見出し1-->序論", 3, 1, "headings and variables"),
        ("防衛-->名詞", 3, 1, "part-of-speech"),
        ("防衛 >= 2", 3, 4, "counts and comparisons"),
        ("()", 3, 2, "empty parentheses"),
    ],
)
def test_khcoder_syntax_errors_name_file_line_and_column(condition, line, col, message):
    text = f"# rules\n*安全保障\n{condition}\n*外交\n外交\n"
    with pytest.raises(InputError) as info:
        parse_rules(text, filename="kh.txt")
    head, shown, caret = str(info.value).splitlines()
    assert head.startswith(f"kh.txt:{line}:{col}: ") and message in head
    assert shown.strip() == condition


def test_khcoder_file_level_errors():
    with pytest.raises(InputError, match=r"kh.txt:4:1: code '外交' is defined twice \(first on line 2\)"):
        parse_khcoder_rules("# r\n*外交\n外交\n*外交\n外務省\n", filename="kh.txt")
    with pytest.raises(InputError, match=r"kh.txt:1:1: code '外交' has no condition"):
        parse_khcoder_rules("*外交\n*防衛\n防衛\n", filename="kh.txt")
    with pytest.raises(InputError, match=r"kh.txt:1:1: condition before the first code"):
        parse_khcoder_rules("外交\n*外交\n外交\n", filename="kh.txt")
    with pytest.raises(InputError, match="no codes found"):
        parse_khcoder_rules("# only a comment\n", filename="kh.txt")
