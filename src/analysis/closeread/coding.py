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

Coding rules come in two formats; :func:`read_rules` and :func:`parse_rules` tell them apart by
the first line that is neither blank nor a ``#`` comment: if it starts with ``*`` (or ``＊``) the
file is a KH Coder coding-rule file, otherwise it is in the native format. (Both are plain text
files, usually ``.txt``, so the extension cannot tell them apart; pass ``syntax="native"`` or
``"khcoder"``, CLI ``--syntax``, to choose explicitly.)

**Native format**: one rule per line, ``名前 = 式``; ``#`` starts a comment; blank lines are
ignored::

    # 安全保障に関わる語
    安全保障 = 安全保障 | 軍事 | 防衛
    輸出規制 = "輸出 規制" | 輸出規制 | near(輸出, 管理, 3)
    米中対立 = (米中 | 米国 & 中国) & (対立 | 摩擦) & !協調

    rule    := NAME '=' expr
    expr    := and  ( ('|' | 'OR')  and )*          lowest precedence
    and     := not  ( ('&' | 'AND') not )*
    not     := ('!' | 'NOT') not  |  atom           highest precedence
    atom    := '(' expr ')'  |  near  |  term
    near    := 'near' '(' term ',' term ',' INTEGER ')'
    term    := WORD  |  '"' words separated by spaces '"'

So ``a | b & !c`` means ``a | (b & (!c))``. Full-width ``｜＆！（），＝`` work like their ASCII
forms. ``OR``/``AND``/``NOT`` are keywords only in capitals; quote a word to use it literally.
``near(a, b, n)``: a and b occur (in either order, not overlapping) with at most ``n - 1`` tokens
between them, i.e. |i - j| <= n for single-token terms.

**KH Coder format** (KH Coder 3's coding-rule files, read by :mod:`analysis.closeread.khcoder`):
a line ``*コード名`` (or ``＊コード名``) starts a code; the lines after it, up to the next code,
are its condition (they are joined, so a long condition may span lines); a line starting with
``#`` is a comment::

    # 安全保障に関わる語
    *安全保障
    安全保障 or 軍事 or 防衛
    *輸出規制
    輸出+規制 | 輸出規制 | near(輸出-管理)[3]
    *米中対立
    ( 米中 | 米国 & 中国 ) and ( 対立 | 摩擦 ) and not 協調
    *規制と安保
    <*輸出規制> and <*安全保障>

Supported in conditions:

- words (``防衛``) and ``語+語`` (consecutive words, like a quoted phrase above);
- ``and``, ``or``, ``not`` (any case) and ``&``, ``|``, ``!``, ``&!`` (and not), ``|!`` (or not),
  with parentheses; precedence as in KH Coder (SQL): not, then and, then or;
- ``near(a-b-c)``: every word occurs, each within 10 tokens of the previous one in text order;
  ``near(a-b)[5]`` sets the distance (``[0]``: any distance), ``[b]`` requires one sentence and
  ``[b5]`` both;
- ``seq(a-b-c)``: the same, with the words in the order written; options as for near;
- ``'文字列'``: a string anywhere in the unit's raw text (``''`` for a quote inside);
- ``<*コード名>``: the condition of a code defined earlier in the file.

Operators and parentheses need no spaces around them here (KH Coder requires spaces); full-width
``（）｜＆！＜＞`` work as their ASCII forms. Not supported, each reported as an error on its
line: conditions on headings and external variables (``<>見出し1-->...``, ``<>変数-->値``), parts
of speech and conjugations (``語-->品詞``, ``語->活用形``, ``語=>表層語``), counts and comparisons
(``語 >= 2``, ``lw``, ``lc``, ``No.``, arithmetic), and near/seq option ``[d]`` (same paragraph:
the corpus has no paragraph marks).

How a term matches a unit (a document, or a sentence with ``unit="sentence"``), in both formats:

- A single word that occurs as a token somewhere in the corpus (the vocabulary) matches units
  whose tokens contain it. Tokens are the analyzer's output (base forms), so 防衛 does not match
  the token 防衛費, and a conjugated form matches through its base form.
- A phrase (``"輸出 規制"`` or ``輸出+規制``) matches that run of consecutive tokens.
- Fallback for multiword expressions: a word or phrase that is *not* a token of the corpus (a
  compound the tokenizer splits, e.g. 経済安全保障 -> 経済/安全/保障) matches as a substring of
  the unit's raw text (spaces of a phrase removed), or, when no text is given, as a run of
  consecutive tokens whose concatenation equals it. (KH Coder would find no such word; use
  ``'経済安全保障'`` there to ask for the string explicitly.)
- Distances (``near``, ``seq``) count tokens of ``tokens.parquet``, which hold content words
  only; KH Coder counts every morpheme, particles included, so the same number reaches further
  here. ``[b]`` at ``unit="doc"`` uses the ``sentence_tokens`` column.

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


@dataclass(frozen=True)
class Substring:
    """A string found anywhere in the unit's raw text (KH Coder's ``'文字列'``); without text,
    in the unit's tokens joined without spaces."""

    text: str

    def matches(self, unit, vocab):
        return self.text in (unit.text or "".join(unit.tokens))

    def __str__(self):
        return "'" + self.text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Proximity:
    """Words close together (KH Coder's ``near(a-b)`` and, with ``ordered``, ``seq(a-b)``).

    Matches when the unit has one occurrence of every word such that, taken in text order (for
    ``ordered``: in the order written), each follows the previous one by at most ``window``
    tokens (0: any distance); with ``same_sentence``, all within one sentence of the unit.
    """

    terms: tuple
    window: int = 10
    ordered: bool = False
    same_sentence: bool = False

    def matches(self, unit, vocab):
        if not all(t.matches(unit, vocab) for t in self.terms):
            return False
        if self.same_sentence and unit.sentences is not None:
            return any(self._chain(Unit(unit.doc_id, unit.index, list(s))) for s in unit.sentences)
        return self._chain(unit)

    def _chain(self, unit: Unit) -> bool:
        starts: dict[int, list[int]] = {}
        for j, term in enumerate(self.terms):
            for start, _ in term.positions(unit):
                starts.setdefault(start, []).append(j)
        n = len(self.terms)
        full = (1 << n) - 1 if not self.ordered else n
        best: dict[int, int] = {}  # state -> latest position of its last word
        for pos in sorted(starts):
            updates: dict[int, int] = {}
            for j in starts[pos]:
                if self.ordered:
                    if j == 0:
                        updates[1] = pos
                    elif j in best and self._close(best[j], pos):
                        updates[j + 1] = pos
                else:
                    bit = 1 << j
                    updates[bit] = pos
                    for mask, last in best.items():
                        if not mask & bit and self._close(last, pos):
                            updates[mask | bit] = pos
            best.update(updates)
            if full in best:
                return True
        return False

    def _close(self, last: int, pos: int) -> bool:
        return last < pos and (self.window == 0 or pos - last <= self.window)

    def __str__(self):
        option = ("b" if self.same_sentence else "") + (str(self.window) if self.window != 10 else "")
        return f"{'seq' if self.ordered else 'near'}({'-'.join(str(t) for t in self.terms)})" + \
            (f"[{option}]" if option else "")


@dataclass(frozen=True)
class CodeRef:
    """Another, earlier code of the same file (KH Coder's ``<*コード名>``)."""

    name: str
    expr: object

    def matches(self, unit, vocab):
        return self.expr.matches(unit, vocab)

    def __str__(self):
        return f"<*{self.name}>"


def _wrap(node) -> str:
    return str(node) if isinstance(node, (Term, Near, Not, Substring, Proximity, CodeRef)) else f"({node})"


def _nodes(node):
    """``node`` and everything below it (code references included)."""
    yield node
    for child in getattr(node, "operands", ()):
        yield from _nodes(child)
    if isinstance(node, (Not, CodeRef)):
        yield from _nodes(node.operand if isinstance(node, Not) else node.expr)


@dataclass(frozen=True)
class Rule:
    """One coding rule: ``name = expr`` from ``line`` of ``filename``."""

    name: str
    expr: object
    line: int
    filename: str = "<rules>"

    def matches(self, unit: Unit, vocab: frozenset = frozenset()) -> bool:
        return bool(self.expr.matches(unit, vocab))

    @property
    def needs_sentences(self) -> bool:
        """True when a condition must hold within one sentence (``near(...)[b]``), so applying
        the rule to whole documents needs their sentences' tokens."""
        return any(isinstance(n, Proximity) and n.same_sentence for n in _nodes(self.expr))

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


SYNTAXES = ("auto", "native", "khcoder")


def detect_syntax(text: str) -> str:
    """``"khcoder"`` when the first line that is neither blank nor a ``#`` comment starts with
    ``*`` or ``＊`` (a KH Coder code name), else ``"native"`` (``名前 = 式`` lines)."""
    for line in text.splitlines():
        stripped = line.strip().lstrip("\ufeff").strip()
        if not stripped or stripped.startswith(("#", "＃")):
            continue
        return "khcoder" if stripped.startswith(("*", "＊")) else "native"
    return "native"


def parse_rules(text: str, *, filename: str = "<rules>", syntax: str = "auto") -> list[Rule]:
    """Parse a rules text into :class:`Rule` objects, in file order.

    ``syntax`` is ``"native"`` (``名前 = 式``, one rule per line), ``"khcoder"`` (KH Coder's
    coding-rule files: ``*コード名`` then condition lines) or ``"auto"`` (default:
    :func:`detect_syntax`). Both are described in the module docstring.
    """
    check_choice("syntax", syntax, SYNTAXES)
    if syntax == "auto":
        syntax = detect_syntax(text)
    if syntax == "khcoder":
        from analysis.closeread.khcoder import parse_khcoder_rules

        return parse_khcoder_rules(text, filename=filename)
    return _parse_native(text, filename=filename)


def _parse_native(text: str, *, filename: str) -> list[Rule]:
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


def read_rules(path: str | Path, *, syntax: str = "auto") -> list[Rule]:
    """Parse a rules file (UTF-8, BOM allowed; KH Coder files saved as Shift_JIS are read too)
    in either syntax (see :func:`parse_rules`)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"rules file {path} not found; see src/analysis/resources/coding_rules.txt for an example")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp932")  # KH Coder on Windows saves Shift_JIS
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 or Shift_JIS text; save the rules file as UTF-8") from exc
    return parse_rules(text, filename=str(path), syntax=syntax)


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
    per_sentence = [r.name for r in rules if r.needs_sentences]
    if unit == "doc" and per_sentence and "sentence_tokens" not in frame.columns:
        raise InputError(f"code {per_sentence[0]!r} uses near(...)[b] or seq(...)[b] (within one sentence), which "
                         "needs the sentence_tokens column of tokens.parquet; rerun `analysis tokenize`")
    units = token_units(frame, unit=unit, texts=texts, doc_ids=doc_ids,
                        with_sentences=unit == "doc" and bool(per_sentence))
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
                     title: str | None = None, dodge: float | None = None):
    """Share of documents with ``code`` per period, one line per ``group`` value with its 95% CI.

    Every series has its own marker shape and is shifted sideways by ``dodge`` (in units of the
    spacing between periods; default: the series together span at most 0.3), so equal shares
    and their interval bars never hide one another. Intervals are drawn as vertical bars.
    """
    import matplotlib.pyplot as plt

    from analysis.figures.style import styles_for   # colour, marker and line style per series

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
    grouped = group in data.columns
    groups = sorted(data[group].astype(str).unique()) if grouped else ["全体"]
    styles = styles_for(groups)
    n = len(groups)
    step = (0.3 / (n - 1) if n > 1 else 0.0) if dodge is None else float(dodge)
    for i, name in enumerate(groups):
        part = data[data[group].astype(str) == name] if grouped else data
        part = part.assign(_p=part["period"].astype(str)).sort_values("_p")
        offset = (i - (n - 1) / 2) * step
        x = np.array([xpos[p] for p in part["_p"]], dtype=float) + offset
        mean = part["mean"].to_numpy(dtype=float)
        below = np.clip(mean - part["ci_low"].to_numpy(dtype=float), 0, None)
        above = np.clip(part["ci_high"].to_numpy(dtype=float) - mean, 0, None)
        style = styles[name]
        ax.errorbar(x, mean, yerr=[below, above], color=style.color, marker=style.marker, linestyle=style.linestyle,
                    markersize=5, markeredgecolor="white", markeredgewidth=0.6, linewidth=1.2,
                    elinewidth=0.8, capsize=0, alpha=0.95, label=name, zorder=3 + i)
    ax.set_xticks(range(len(periods)), periods, rotation=0 if len(periods) <= 12 else 90)
    ax.set_xlim(-0.5, len(periods) - 0.5)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("期間")
    ax.set_ylabel("文書に占める割合")
    ax.set_title(title or f"コード「{code}」の割合（95%信頼区間）")
    if grouped:
        ax.legend(frameon=False)
    return ax
