"""Coding rules: name a theme by a boolean expression over words, count it per period and paper.

>>> rules = parse_rules('''
... # 安全保障に関わる語
... 安全保障 = 安全保障 | 軍事 | 防衛
... 輸出規制 = "輸出 規制" | 輸出規制 | near(輸出, 管理, 3)
... ''')
>>> [r.name for r in rules]
['安全保障', '輸出規制']
>>> tokens = {"d1": ["防衛", "費", "増額"], "d2": ["輸出", "の", "管理", "強化"]}
>>> apply_rules(rules, tokens).query("hit == 1")[["doc_id", "code"]].values.tolist()
[['d1', '安全保障'], ['d2', '輸出規制']]

The language (one rule per line; ``#`` starts a comment; blank lines are ignored)::

    rule    := NAME '=' expr
    expr    := and  ( ('|' | 'OR')  and )*          lowest precedence
    and     := not  ( ('&' | 'AND') not )*
    not     := ('!' | 'NOT') not  |  atom           highest precedence
    atom    := '(' expr ')'  |  near  |  term
    near    := 'near' '(' term ',' term ',' INTEGER ')'
    term    := WORD  |  '"' words separated by spaces '"'

So ``a | b & !c`` means ``a | (b & (!c))``. Full-width ``｜＆！（），＝`` work like their ASCII
forms. ``OR``/``AND``/``NOT`` are keywords only in capitals; quote a word to use it literally.

How a term matches a unit (a document, or a sentence with ``unit="sentence"``):

- A single word that occurs as a token somewhere in the corpus (the vocabulary) matches units
  whose tokens contain it. Tokens are the analyzer's output (base forms), so 防衛 does not match
  the token 防衛費, and a conjugated form matches through its base form.
- A quoted phrase ``"輸出 規制"`` matches that run of consecutive tokens.
- Fallback for multiword expressions: a word or phrase that is *not* a token of the corpus (a
  compound the tokenizer splits, e.g. 経済安全保障 -> 経済/安全/保障) matches as a substring of
  the unit's raw text (spaces of a phrase removed), or, when no text is given, as a run of
  consecutive tokens whose concatenation equals it.
- ``near(a, b, n)``: a and b occur (in either order, not overlapping) with at most ``n - 1``
  tokens between them, i.e. |i - j| <= n for single-token terms. Positions come from tokens only.

A malformed rule raises :class:`~analysis.errors.InputError` naming the file, line and column,
with the line and a caret under the fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from analysis import config
from analysis.closeread._common import Unit, check_choice, display_width, token_units, tokens_frame
from analysis.errors import InputError

FULLWIDTH = str.maketrans({"｜": "|", "＆": "&", "！": "!", "（": "(", "）": ")", "，": ",", "＝": "=",
                           "＂": '"', "　": " "})
SPECIAL = set('|&!(),="#')
KEYWORDS = {"OR": "|", "AND": "&", "NOT": "!"}


# ---------------------------------------------------------------- AST


@dataclass(frozen=True)
class Term:
    parts: tuple[str, ...]

    @property
    def joined(self) -> str:
        return "".join(self.parts)

    def positions(self, unit: Unit) -> list[tuple[int, int]]:
        """(start, end) token spans where the term occurs in ``unit``."""
        toks = unit.tokens
        k = len(self.parts)
        spans = [(i, i + k) for i in range(len(toks) - k + 1) if tuple(toks[i:i + k]) == self.parts]
        if spans or (k == 1 and self.parts[0] in unit.token_set):
            return spans
        target = self.joined
        for i, tok in enumerate(toks):  # a compound split into several tokens
            if not target.startswith(tok):
                continue
            acc, j = tok, i + 1
            while len(acc) < len(target) and j < len(toks):
                acc += toks[j]
                j += 1
            if acc == target and j - i > 1:
                spans.append((i, j))
        return spans

    def matches(self, unit: Unit, vocab: frozenset) -> bool:
        if len(self.parts) == 1 and self.parts[0] in unit.token_set:
            return True
        if len(self.parts) == 1 and self.parts[0] in vocab:
            return False
        if unit.text:
            return self.joined in unit.text
        return bool(self.positions(unit))

    def __str__(self) -> str:
        return self.parts[0] if len(self.parts) == 1 else '"' + " ".join(self.parts) + '"'


@dataclass(frozen=True)
class Not:
    operand: object

    def matches(self, unit, vocab):
        return not self.operand.matches(unit, vocab)

    def __str__(self):
        return f"NOT {_wrap(self.operand)}"


@dataclass(frozen=True)
class And:
    operands: tuple

    def matches(self, unit, vocab):
        return all(o.matches(unit, vocab) for o in self.operands)

    def __str__(self):
        return " AND ".join(_wrap(o) for o in self.operands)


@dataclass(frozen=True)
class Or:
    operands: tuple

    def matches(self, unit, vocab):
        return any(o.matches(unit, vocab) for o in self.operands)

    def __str__(self):
        return " OR ".join(_wrap(o) for o in self.operands)


@dataclass(frozen=True)
class Near:
    a: Term
    b: Term
    window: int

    def matches(self, unit, vocab):
        if not (self.a.matches(unit, vocab) and self.b.matches(unit, vocab)):
            return False
        spans_b = self.b.positions(unit)
        for a0, a1 in self.a.positions(unit):
            for b0, b1 in spans_b:
                if a1 <= b0 and b0 - (a1 - 1) <= self.window:
                    return True
                if b1 <= a0 and a0 - (b1 - 1) <= self.window:
                    return True
        return False

    def __str__(self):
        return f"near({self.a}, {self.b}, {self.window})"


def _wrap(node) -> str:
    return str(node) if isinstance(node, (Term, Near, Not)) else f"({node})"


@dataclass(frozen=True)
class Rule:
    """One coding rule: ``name = expr`` from ``line`` of ``filename``."""

    name: str
    expr: object
    line: int
    filename: str = "<rules>"

    def matches(self, unit: Unit, vocab: frozenset = frozenset()) -> bool:
        return bool(self.expr.matches(unit, vocab))

    def __str__(self) -> str:
        return f"{self.name} = {self.expr}"


# ---------------------------------------------------------------- lexer and parser


@dataclass(frozen=True)
class _Tok:
    kind: str  # word, quoted, op ('|', '&', '!', '(', ')', ',', '='), end
    text: str
    col: int  # 0-based character offset in the line


class _Parser:
    def __init__(self, line: str, lineno: int, filename: str):
        self.line = line
        self.lineno = lineno
        self.filename = filename
        self.toks = self._lex(line.translate(FULLWIDTH))
        self.i = 0

    def error(self, col: int, message: str) -> InputError:
        caret = " " * display_width(self.line[:col]) + "^"
        return InputError(f"{self.filename}:{self.lineno}:{col + 1}: {message}\n    {self.line}\n    {caret}")

    def _lex(self, line: str) -> list[_Tok]:
        toks: list[_Tok] = []
        i, n = 0, len(line)
        while i < n:
            ch = line[i]
            if ch.isspace():
                i += 1
            elif ch == "#":
                break
            elif ch == '"':
                end = line.find('"', i + 1)
                if end < 0:
                    raise self.error(i, 'unterminated quote: close the phrase with "')
                toks.append(_Tok("quoted", line[i + 1:end], i))
                i = end + 1
            elif ch in SPECIAL:
                toks.append(_Tok("op", ch, i))
                i += 1
            else:
                j = i
                while j < n and not line[j].isspace() and line[j] not in SPECIAL:
                    j += 1
                word = line[i:j]
                toks.append(_Tok("op", KEYWORDS[word], i) if word in KEYWORDS else _Tok("word", word, i))
                i = j
        toks.append(_Tok("end", "", len(line.rstrip())))
        return toks

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, text: str, what: str) -> _Tok:
        if self.tok.kind == "op" and self.tok.text == text:
            return self.take()
        raise self.error(self.tok.col, f"expected {what}, found {self._show(self.tok)}")

    @staticmethod
    def _show(tok: _Tok) -> str:
        if tok.kind == "end":
            return "end of line"
        return f'"{tok.text}"' if tok.kind == "quoted" else f"'{tok.text}'"

    def rule(self) -> tuple[str, object, int]:
        first = self.tok
        if first.kind != "word":
            raise self.error(first.col, "a rule starts with its code name: 名前 = 式")
        name = self.take().text
        if not (self.tok.kind == "op" and self.tok.text == "="):
            raise self.error(self.tok.col, f"expected '=' after the code name {name!r} (a rule is 名前 = 式)")
        self.take()
        if self.tok.kind == "end":
            raise self.error(self.tok.col, f"rule {name!r} has no expression after '='")
        expr = self.expr()
        if self.tok.kind != "end":
            if self.tok.kind == "op" and self.tok.text == ")":
                raise self.error(self.tok.col, "unmatched ')'")
            raise self.error(self.tok.col, f"expected an operator (| & or end of line), found {self._show(self.tok)}")
        return name, expr, first.col

    def expr(self):
        operands = [self.conj()]
        while self.tok.kind == "op" and self.tok.text == "|":
            self.take()
            operands.append(self.conj())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def conj(self):
        operands = [self.neg()]
        while self.tok.kind == "op" and self.tok.text == "&":
            self.take()
            operands.append(self.neg())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def neg(self):
        if self.tok.kind == "op" and self.tok.text == "!":
            self.take()
            return Not(self.neg())
        return self.atom()

    def atom(self):
        tok = self.tok
        if tok.kind == "op" and tok.text == "(":
            self.take()
            if self.tok.kind == "op" and self.tok.text == ")":
                raise self.error(self.tok.col, "empty parentheses: put an expression inside")
            inner = self.expr()
            if not (self.tok.kind == "op" and self.tok.text == ")"):
                raise self.error(tok.col, "'(' is never closed: add ')'")
            self.take()
            return inner
        if tok.kind == "word" and tok.text.lower() == "near" and self.toks[self.i + 1].text == "(" \
                and self.toks[self.i + 1].kind == "op":
            return self.near()
        if tok.kind in ("word", "quoted"):
            return self.term()
        raise self.error(tok.col, f"expected a word, a quoted phrase, '(' or near(...), found {self._show(tok)}")

    def term(self) -> Term:
        tok = self.take()
        if tok.kind == "quoted":
            parts = tuple(tok.text.split())
            if not parts:
                raise self.error(tok.col, 'empty phrase ""')
            return Term(parts)
        if tok.kind == "word":
            return Term((tok.text,))
        raise self.error(tok.col, f"expected a word or a quoted phrase, found {self._show(tok)}")

    def near(self) -> Near:
        self.take()
        self.expect("(", "'(' after near")
        a = self.term()
        self.expect(",", "',' after the first word of near(a, b, window)")
        b = self.term()
        self.expect(",", "',' and a window: near(a, b, window)")
        tok = self.tok
        if tok.kind != "word" or not tok.text.isdigit() or int(tok.text) < 1:
            raise self.error(tok.col, f"near() window must be a whole number >= 1, found {self._show(tok)}")
        self.take()
        self.expect(")", "')' to close near(")
        return Near(a, b, int(tok.text))


def parse_rules(text: str, *, filename: str = "<rules>") -> list[Rule]:
    """Parse a rules text (see the module docstring) into :class:`Rule` objects, in file order."""
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.rstrip("\r")
        if not line.translate(FULLWIDTH).split("#", 1)[0].strip():
            continue
        parser = _Parser(line, lineno, filename)
        name, expr, col = parser.rule()
        if name in seen:
            raise parser.error(col, f"code {name!r} is defined twice (first on line {seen[name]}); rename one")
        seen[name] = lineno
        rules.append(Rule(name, expr, lineno, filename))
    if not rules:
        raise InputError(f"{filename}: no rules found; write one rule per line, e.g. 安全保障 = 安全保障 | 軍事 | 防衛")
    return rules


def read_rules(path: str | Path) -> list[Rule]:
    """Parse a rules file (UTF-8, BOM allowed)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"rules file {path} not found; see src/analysis/resources/coding_rules.txt for an example")
    return parse_rules(path.read_text(encoding="utf-8-sig"), filename=str(path))


# ---------------------------------------------------------------- applying rules


def apply_rules(rules: Sequence[Rule] | str, tokens, *, corpus: pd.DataFrame | None = None,
                unit: str = "doc") -> pd.DataFrame:
    """Long table (doc_id, unit_index, code, hit) with hit 1 when the unit matches the rule.

    ``unit_index`` is the sentence index for ``unit="sentence"`` and 0 for documents. ``corpus``
    (with doc_id and text) supplies the raw text for the substring fallback at document level;
    sentence text comes from the tokens table's ``sentences`` column.
    """
    check_choice("unit", unit, ("doc", "sentence"))
    if isinstance(rules, str):
        rules = parse_rules(rules)
    frame = tokens_frame(tokens)
    texts = dict(zip(corpus["doc_id"], corpus["text"])) if corpus is not None else None
    doc_ids = corpus["doc_id"].tolist() if corpus is not None else None
    units = token_units(frame, unit=unit, texts=texts, doc_ids=doc_ids)
    vocab = frozenset(t for toks in frame["tokens"] for t in toks)
    doc_col, idx_col, code_col, hit_col = [], [], [], []
    for rule in rules:
        for u in units:
            doc_col.append(u.doc_id)
            idx_col.append(u.index)
            code_col.append(rule.name)
            hit_col.append(1 if rule.matches(u, vocab) else 0)
    return pd.DataFrame({"doc_id": doc_col, "unit_index": np.asarray(idx_col, dtype=np.int64),
                         "code": code_col, "hit": np.asarray(hit_col, dtype=np.int64)})


def code_shares(hits: pd.DataFrame, corpus: pd.DataFrame, *, by: Sequence[str] = ("source", "period"),
                period: str = "Y", n_boot: int = config.N_BOOT, level: float = config.CI_LEVEL,
                seed: int = config.SEED) -> pd.DataFrame:
    """Share of documents per code and group: ``code, by..., n, hits, mean, ci_low, ci_high``.

    Per document the value is 1/0 (``unit="doc"``) or the share of its sentences that match
    (``unit="sentence"``); ``mean`` averages it over the group's ``n`` documents with a seeded
    bootstrap interval over documents (:func:`analysis.stats.grouped_mean_ci`). ``hits`` counts
    the matching units (documents or sentences). ``by`` may name ``source``, ``period`` and any
    corpus column.
    """
    from analysis.stats import grouped_mean_ci, period_label

    by = list(by)
    per_doc = hits.groupby(["doc_id", "code"], sort=True).agg(value=("hit", "mean"), hits=("hit", "sum")).reset_index()
    meta = corpus.copy()
    if "period" in by:
        meta["period"] = period_label(meta["published"], period, groups=meta.get("source"))
    missing = [c for c in by if c not in meta.columns]
    if missing:
        raise InputError(f"cannot group coded shares by {missing[0]!r}: the corpus has no such column")
    frame = per_doc.merge(meta[["doc_id"] + by], on="doc_id", how="inner")
    out = []
    for code in [r for r in dict.fromkeys(hits["code"])]:
        part = frame[frame["code"] == code]
        table = grouped_mean_ci(part, by, "value", n_boot=n_boot, level=level, seed=seed)
        counts = part.groupby(by, sort=True)["hits"].sum().reset_index()
        table = table.merge(counts, on=by, how="left")
        table.insert(0, "code", code)
        out.append(table)
    columns = ["code"] + by + ["n", "hits", "mean", "ci_low", "ci_high"]
    if not out:
        return pd.DataFrame(columns=columns)
    result = pd.concat(out, ignore_index=True)
    result["hits"] = result["hits"].astype(int)
    return result[columns]


def plot_code_shares(shares: pd.DataFrame, *, code: str | None = None, ax=None, group: str = "source",
                     title: str | None = None):
    """Share of documents with ``code`` per period, one line per ``group`` value with its CI band."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import colors_for

    codes = list(dict.fromkeys(shares["code"]))
    if code is None:
        if len(codes) != 1:
            raise InputError(f"several codes in the table ({', '.join(codes)}); pass code= to choose one")
        code = codes[0]
    if code not in codes:
        raise InputError(f"code {code!r} not in the table; available: {', '.join(codes)}")
    data = shares[shares["code"] == code]
    if ax is None:
        _, ax = plt.subplots()
    periods = sorted(data["period"].astype(str).unique())
    xpos = {p: i for i, p in enumerate(periods)}
    groups = sorted(data[group].astype(str).unique()) if group in data.columns else ["(all)"]
    colours = colors_for(groups)
    for name in groups:
        part = data if group not in data.columns else data[data[group].astype(str) == name]
        part = part.sort_values("period")
        x = [xpos[str(p)] for p in part["period"]]
        ax.plot(x, part["mean"], marker="o", markersize=3, color=colours[name], label=name)
        ax.fill_between(x, part["ci_low"], part["ci_high"], color=colours[name], alpha=0.15, linewidth=0)
    ax.set_xticks(range(len(periods)), periods, rotation=0 if len(periods) <= 12 else 90)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("文書に占める割合")
    ax.set_title(title or f"コード「{code}」の割合（95%信頼区間）")
    if group in data.columns:
        ax.legend(frameon=False)
    return ax
