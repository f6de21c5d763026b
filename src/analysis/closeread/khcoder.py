"""KH Coder coding-rule files: ``*コード名`` lines, each followed by its condition lines.

>>> rules = parse_khcoder_rules('''
... # 安全保障に関わる語
... *安全保障
... 安全保障 or 軍事 or 防衛
... *輸出規制
... 輸出+規制 | near(輸出-管理)[3] | '経済安全保障'
... *規制と安保
... <*輸出規制> and not <*安全保障>
... ''')
>>> [str(r) for r in rules]  # doctest: +NORMALIZE_WHITESPACE
['安全保障 = 安全保障 OR 軍事 OR 防衛',
 '輸出規制 = "輸出 規制" OR near(輸出-管理)[3] OR \\'経済安全保障\\'',
 '規制と安保 = <*輸出規制> AND NOT <*安全保障>']

:func:`analysis.closeread.coding.parse_rules` calls :func:`parse_khcoder_rules` for a text whose
first line that is not blank or a ``#`` comment starts with ``*``; the language is documented in
:mod:`analysis.closeread.coding`. This module only reads the syntax; the conditions become the
same expression nodes as the native rules, so applying them is the same.

How KH Coder reads a file (kh_lib/kh_cod.pm and kh_lib/kh_cod/a_code*.pm of KH Coder 3): a line
starting with ``*`` or ``＊`` names a code; the following lines, joined with spaces, are its
condition; a line starting with ``#`` is a comment. The condition is split at spaces into atoms
(words, operators, ``near(...)``, ...) and evaluated as an SQL expression, so ``and``, ``or``,
``not`` and ``&``, ``|``, ``!``, ``&!``, ``|!`` follow SQL precedence: not, then and, then or.
This reader is a little more lenient: operators and parentheses need no spaces around them, and
full-width ``（）｜＆！＜＞`` work as their ASCII forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.closeread._common import display_width
from analysis.closeread.coding import And, CodeRef, Not, Or, Proximity, Rule, Substring, Term
from analysis.errors import InputError

FULLWIDTH = str.maketrans({"｜": "|", "＆": "&", "！": "!", "（": "(", "）": ")", "＜": "<", "＞": ">",
                           "＂": '"', "＇": "'", "＃": "#", "　": " ", "\t": " "})
#: Characters that end a word.
BREAK = set(" ()|&!'\"")
KEYWORDS = {"and": "&", "or": "|", "not": "!"}
#: KH Coder's default distance for near() and seq(), in words.
DEFAULT_WINDOW = 10

UNSUPPORTED_VARIABLES = ("conditions on headings and variables (<>見出し1-->..., <>変数-->値, <>変数<>) are "
                         "not supported; restrict the documents instead (analysis code --source/--from/--to, "
                         "or code_shares(by=...))")
UNSUPPORTED_POS = ("part-of-speech, conjugation and surface-form conditions (語-->品詞, 語->活用形, 語=>表層語) "
                   "are not supported: tokens carry base forms only; write the word alone")
UNSUPPORTED_COUNTS = ("counts and comparisons (語 >= 2, lw, lc, No., arithmetic) are not supported: a word "
                      "matches a unit that contains it at least once")


@dataclass(frozen=True)
class _Tok:
    kind: str  # op ('|', '&', '!', '(', ')'), node (a finished atom), end
    text: str
    line: int
    col: int
    node: object = None


class _Reader:
    """Lexer and parser for one file; errors name file, line and column with a caret."""

    def __init__(self, text: str, filename: str):
        self.filename = filename
        self.lines = text.splitlines()
        self.codes: dict[str, tuple[str, object]] = {}  # folded name -> (name, expression), for <*name>
        self.code_lines: dict[str, int] = {}

    def error(self, lineno: int, col: int, message: str) -> InputError:
        line = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""
        caret = " " * display_width(line[:col]) + "^"
        return InputError(f"{self.filename}:{lineno}:{col + 1}: {message}\n    {line}\n    {caret}")

    # ------------------------------------------------------------ lexing

    def lex(self, lineno: int) -> list[_Tok]:
        raw = self.lines[lineno - 1]
        line = raw.translate(FULLWIDTH)
        toks: list[_Tok] = []
        i, n = 0, len(line)
        while i < n:
            ch = line[i]
            if ch == " ":
                i += 1
            elif ch == "#":
                break
            elif ch in "()":
                toks.append(_Tok("op", ch, lineno, i))
                i += 1
            elif ch in "&|":
                toks.append(_Tok("op", ch, lineno, i))
                if i + 1 < n and line[i + 1] == "!":  # &! and |! are 'and not' and 'or not'
                    toks.append(_Tok("op", "!", lineno, i + 1))
                    i += 1
                i += 1
            elif ch == "!":
                toks.append(_Tok("op", "!", lineno, i))
                i += 1
            elif ch == "'":
                i = self._string(line, lineno, i, toks)
            elif ch == '"':
                end = line.find('"', i + 1)
                if end < 0:
                    raise self.error(lineno, i, 'unterminated quote: close the phrase with "')
                parts = tuple(line[i + 1:end].split())
                if not parts:
                    raise self.error(lineno, i, 'empty phrase ""')
                toks.append(_Tok("node", line[i:end + 1], lineno, i, Term(parts)))
                i = end + 1
            elif ch == "<":
                i = self._angle(line, lineno, i, toks)
            else:
                i = self._word(line, lineno, i, toks)
        return toks

    def _string(self, line: str, lineno: int, i: int, toks: list[_Tok]) -> int:
        """``'文字列'`` with ``''`` for a quote inside."""
        j, chars = i + 1, []
        while True:
            end = line.find("'", j)
            if end < 0:
                raise self.error(lineno, i, "unterminated string: close it with ' (write '' for a quote inside)")
            chars.append(line[j:end])
            if end + 1 < len(line) and line[end + 1] == "'":
                chars.append("'")
                j = end + 2
                continue
            break
        value = "".join(chars)
        if not value:
            raise self.error(lineno, i, "empty string ''")
        toks.append(_Tok("node", line[i:end + 1], lineno, i, Substring(value)))
        return end + 1

    def _angle(self, line: str, lineno: int, i: int, toks: list[_Tok]) -> int:
        """``<*code>``; ``<>...`` and comparison operators are reported as unsupported."""
        nxt = line[i + 1] if i + 1 < len(line) else ""
        if nxt in ("*", "＊"):
            end = line.find(">", i + 2)
            if end < 0:
                raise self.error(lineno, i, "code reference is not closed: write <*コード名>")
            name = line[i + 2:end].strip()  # full-width forms already folded, as in self.codes' keys
            if name not in self.codes:
                known = ", ".join(self.codes) or "none yet"
                raise self.error(lineno, i, f"<*{name}> names no code defined above it (defined so far: {known}); "
                                            "a code can only use codes written before it")
            toks.append(_Tok("node", line[i:end + 1], lineno, i, CodeRef(*self.codes[name])))
            return end + 1
        if nxt == ">":
            raise self.error(lineno, i, UNSUPPORTED_VARIABLES)
        raise self.error(lineno, i, UNSUPPORTED_COUNTS)

    def _word(self, line: str, lineno: int, i: int, toks: list[_Tok]) -> int:
        j = i
        while j < len(line) and line[j] not in BREAK:
            j += 1
        word = line[i:j]
        lower = word.lower()
        if lower in ("near", "seq") and j < len(line) and line[j] == "(":
            return self._proximity(line, lineno, i, j, lower == "seq", toks)
        if lower in KEYWORDS:
            toks.append(_Tok("op", KEYWORDS[lower], lineno, i))
        elif "->" in word or "=>" in word:
            raise self.error(lineno, i, UNSUPPORTED_POS)
        elif lower in ("lw", "lc", "no.") or re.fullmatch(r"[0-9.]+|[<>=+*/-]+", word) or set(word) & set("<>="):
            raise self.error(lineno, i, UNSUPPORTED_COUNTS)
        elif "+" in word:  # 輸出+規制: consecutive words
            parts = tuple(word.split("+"))
            if not all(parts):
                raise self.error(lineno, i, f"phrase {word!r} has an empty word; join words with + as in 輸出+規制")
            toks.append(_Tok("node", word, lineno, i, Term(parts)))
        else:
            toks.append(_Tok("node", word, lineno, i, Term((word,))))
        return j

    def _proximity(self, line: str, lineno: int, i: int, j: int, ordered: bool, toks: list[_Tok]) -> int:
        """``near(a-b[-c...])`` or ``seq(...)``, optionally ``[n]``, ``[b]`` or ``[bn]``."""
        what = "seq" if ordered else "near"
        end = line.find(")", j)
        if end < 0:
            raise self.error(lineno, j, f"{what}( is never closed: write {what}(語-語)")
        words = [w.strip() for w in line[j + 1:end].split("-")]
        if len(words) < 2 or not all(words):
            raise self.error(lineno, i, f"{what}() needs two or more words joined by '-', e.g. {what}(輸出-規制)")
        bad = next((w for w in words if set(w) & set(" +'\"<>|&!(")), None)
        if bad is not None:
            raise self.error(lineno, i, f"{what}() takes plain words joined by '-'; {bad!r} is not one")
        window, same_sentence, stop = DEFAULT_WINDOW, False, end + 1
        if stop < len(line) and line[stop] == "[":
            close = line.find("]", stop)
            if close < 0:
                raise self.error(lineno, stop, f"option of {what}() is not closed: write [10], [b] or [b10]")
            option = line[stop + 1:close].strip()
            match = re.fullmatch(r"([bd]?)([0-9]*)", option)
            if not option or not match:
                raise self.error(lineno, stop, f"invalid option [{option}] of {what}(): use a distance [10], "
                                               "[b] (same sentence) or both [b10]")
            if match.group(1) == "d":
                raise self.error(lineno, stop, "option [d] (same paragraph) is not supported: editorials here have "
                                               "no paragraph marks; use [b] (same sentence) or a distance")
            same_sentence = match.group(1) == "b"
            if match.group(2):
                window = int(match.group(2))
            stop = close + 1
        node = Proximity(tuple(Term((w,)) for w in words), window=window, ordered=ordered,
                         same_sentence=same_sentence)
        toks.append(_Tok("node", line[i:stop], lineno, i, node))
        return stop

    # ------------------------------------------------------------ parsing

    def parse_condition(self, toks: list[_Tok], name: str, header: int):
        if not toks:
            raise self.error(header, 0, f"code {name!r} has no condition: write one on the lines below *{name}")
        last = toks[-1].line
        self.toks = toks + [_Tok("end", "", last, len(self.lines[last - 1].rstrip()))]
        self.i = 0
        expr = self.expr()
        tok = self.toks[self.i]
        if tok.kind != "end":
            if tok.text == ")":
                raise self.error(tok.line, tok.col, "unmatched ')'")
            raise self.error(tok.line, tok.col, f"expected an operator (and, or, not, &, |, !) before {tok.text!r}")
        return expr

    def _peek(self, text: str) -> bool:
        tok = self.toks[self.i]
        return tok.kind == "op" and tok.text == text

    def expr(self):
        operands = [self.conj()]
        while self._peek("|"):
            self.i += 1
            operands.append(self.conj())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def conj(self):
        operands = [self.neg()]
        while self._peek("&"):
            self.i += 1
            operands.append(self.neg())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def neg(self):
        if self._peek("!"):
            self.i += 1
            return Not(self.neg())
        return self.atom()

    def atom(self):
        tok = self.toks[self.i]
        if self._peek("("):
            self.i += 1
            if self._peek(")"):
                raise self.error(self.toks[self.i].line, self.toks[self.i].col,
                                 "empty parentheses: put a condition inside")
            inner = self.expr()
            if not self._peek(")"):
                raise self.error(tok.line, tok.col, "'(' is never closed: add ')'")
            self.i += 1
            return inner
        if tok.kind == "node":
            self.i += 1
            return tok.node
        shown = "end of the condition" if tok.kind == "end" else repr(tok.text)
        raise self.error(tok.line, tok.col, f"expected a word, 'string', near(...), seq(...), <*code> or '(', "
                                            f"found {shown}")

    # ------------------------------------------------------------ file

    def read(self) -> list[Rule]:
        rules: list[Rule] = []
        current: tuple[str, int] | None = None
        pending: list[_Tok] = []

        def finish():
            name, header = current
            expr = self.parse_condition(pending, name, header)
            self.codes[name.translate(FULLWIDTH)] = (name, expr)
            rules.append(Rule(name, expr, header, self.filename))

        for lineno, raw in enumerate(self.lines, start=1):
            stripped = raw.strip().lstrip("\ufeff").strip()
            if not stripped or stripped.startswith(("#", "＃")):
                continue
            if stripped.startswith(("*", "＊")):
                if current is not None:
                    finish()
                name = stripped[1:].strip()
                col = len(raw) - len(raw.lstrip())
                if not name:
                    raise self.error(lineno, col, "a code line needs a name after '*', e.g. *安全保障")
                if name.translate(FULLWIDTH) in self.code_lines:
                    raise self.error(lineno, col, f"code {name!r} is defined twice (first on line "
                                                  f"{self.code_lines[name.translate(FULLWIDTH)]}); rename one")
                self.code_lines[name.translate(FULLWIDTH)] = lineno
                current, pending = (name, lineno), []
                continue
            if current is None:
                raise self.error(lineno, 0, "condition before the first code: start the file with a line *コード名")
            pending.extend(self.lex(lineno))
        if current is not None:
            finish()
        if not rules:
            raise InputError(f"{self.filename}: no codes found; a KH Coder rules file has lines *コード名 "
                             "followed by a condition, e.g. *安全保障 / 安全保障 or 軍事")
        return rules


def parse_khcoder_rules(text: str, *, filename: str = "<rules>") -> list[Rule]:
    """Parse a KH Coder coding-rule file's text into :class:`~analysis.closeread.coding.Rule`
    objects, in file order; a syntax error raises :class:`~analysis.errors.InputError` naming
    ``filename``, line and column."""
    return _Reader(text, filename).read()
