"""KWIC concordance: every occurrence of a term with its left and right context.

>>> import pandas as pd
>>> corpus = pd.DataFrame({
...     "doc_id": ["d1", "d2"], "source": ["A紙", "B紙"],
...     "text": ["政府は輸出規制を強化した。", "輸出規制の緩和を求める声もある。"],
...     "published": pd.to_datetime(["2024-01-05", "2024-02-01"]).tz_localize("Asia/Tokyo")})
>>> hits = kwic(corpus, "輸出規制", window=4, sort="right")
>>> hits[["doc_id", "left", "match", "right"]].values.tolist()
[['d2', '', '輸出規制', 'の緩和を'], ['d1', '政府は', '輸出規制', 'を強化し']]
>>> print(kwic_text(hits))  # doctest: +NORMALIZE_WHITESPACE
date        source        left  match     right
2024-02-01  B紙                 輸出規制  の緩和を
2024-01-05  A紙         政府は  輸出規制  を強化し

Two ways to match (``by``):

- ``"string"`` (default): the term is found as a substring of the raw text; ``window`` counts
  characters. Line breaks in the context are shown as spaces.
- ``"tokens"``: the term is matched against the tokens of ``tokens.parquet`` (the analyzer's
  output, so base forms and content words only); a multi-token term is written with spaces
  (``"輸出 規制"``) and matches that run of consecutive tokens; ``window`` counts tokens and
  contexts are tokens joined by spaces.

Rows come in corpus order (date, source, doc_id, position). ``sort="left"`` orders by the left
context read backwards from the match (the word just before the match first), ``"right"`` by the
right context, as concordancers do; ties keep corpus order.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from analysis import io
from analysis.closeread._common import check_choice, display_width, filter_corpus, pad, tokens_frame
from analysis.errors import InputError

COLUMNS = ["doc_id", "date", "source", "left", "match", "right"]


def kwic(corpus: pd.DataFrame, term: str, *, window: int = 20, tokens: pd.DataFrame | None = None,
         by: str = "string", source=None, date_from=None, date_to=None,
         sort: str | None = None) -> pd.DataFrame:
    """Concordance of ``term`` in ``corpus``: a row per occurrence (doc_id, date, source, left,
    match, right). See the module docstring for ``by`` and ``sort``."""
    check_choice("by", by, ("string", "tokens"))
    if sort is not None:
        check_choice("sort", sort, ("left", "right"))
    if not term or not term.strip():
        raise InputError("KWIC term is empty; give the word to look up, e.g. 輸出規制")
    if window < 0:
        raise InputError(f"window {window} is negative; give a number of characters or tokens >= 0")
    docs = filter_corpus(corpus, source=source, date_from=date_from, date_to=date_to)
    docs = docs.sort_values(["published", "source", "doc_id"], kind="mergesort")
    rows: list[tuple] = []
    if by == "string":
        for doc in docs.itertuples(index=False):
            text = doc.text or ""
            start = text.find(term)
            while start >= 0:
                end = start + len(term)
                left = _flat(text[max(0, start - window):start])
                right = _flat(text[end:end + window])
                rows.append((doc.doc_id, doc.published, doc.source, left, text[start:end], right, start))
                start = text.find(term, end)
    else:
        if tokens is None:
            raise InputError("KWIC by tokens needs tokens.parquet; run `analysis tokenize` first")
        by_doc = dict(zip(*_columns(tokens_frame(tokens))))
        parts = term.split()
        k = len(parts)
        for doc in docs.itertuples(index=False):
            toks = list(by_doc.get(doc.doc_id, ()))
            for i in range(len(toks) - k + 1):
                if toks[i:i + k] == parts:
                    left = " ".join(toks[max(0, i - window):i])
                    right = " ".join(toks[i + k:i + k + window])
                    rows.append((doc.doc_id, doc.published, doc.source, left, " ".join(parts), right, i))
    out = pd.DataFrame(rows, columns=COLUMNS + ["position"])
    if sort == "left":
        out = out.iloc[sorted(range(len(out)), key=lambda i: out["left"].iat[i][::-1])]
    elif sort == "right":
        out = out.iloc[sorted(range(len(out)), key=lambda i: out["right"].iat[i])]
    return out[COLUMNS].reset_index(drop=True)


def _columns(frame: pd.DataFrame):
    return frame["doc_id"].tolist(), frame["tokens"].tolist()


def _flat(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")


def _display(hits: pd.DataFrame) -> pd.DataFrame:
    shown = hits.copy()
    shown["date"] = [d.strftime("%Y-%m-%d") if pd.notna(d) else "" for d in pd.to_datetime(shown["date"])]
    return shown


def kwic_text(hits: pd.DataFrame, *, limit: int | None = None) -> str:
    """A plain-text table for the terminal: left context right-aligned so matches line up."""
    shown = _display(hits if limit is None else hits.head(limit))
    cols = ["date", "source", "left", "match", "right"]
    widths = {c: max([display_width(c)] + [display_width(str(v)) for v in shown[c]]) for c in cols}
    lines = ["  ".join(pad(c, widths[c], right=(c == "left")) for c in cols).rstrip()]
    for row in shown[cols].itertuples(index=False):
        cells = [pad(str(v), widths[c], right=(c == "left")) for c, v in zip(cols, row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def kwic_markdown(hits: pd.DataFrame) -> str:
    """A Markdown table (pipes in the text escaped)."""
    shown = _display(hits)
    cols = ["date", "source", "doc_id", "left", "match", "right"]
    aligns = {"left": "---:", "match": ":---:"}
    lines = ["| " + " | ".join(cols) + " |", "| " + " | ".join(aligns.get(c, "---") for c in cols) + " |"]
    for row in shown[cols].itertuples(index=False):
        cells = [str(v).replace("|", "\\|") for v in row]
        cells[4] = f"**{cells[4]}**" if cells[4] else cells[4]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def kwic_html(hits: pd.DataFrame, *, title: str = "KWIC") -> str:
    """A standalone HTML page with the concordance (left context right-aligned, match bold)."""
    shown = _display(hits)
    esc = html.escape
    body = []
    for row in shown.itertuples(index=False):
        body.append(
            f"<tr><td>{esc(row.date)}</td><td>{esc(str(row.source))}</td><td>{esc(str(row.doc_id))}</td>"
            f'<td class="l">{esc(row.left)}</td><td class="m">{esc(row.match)}</td>'
            f'<td class="r">{esc(row.right)}</td></tr>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>"
        "table{border-collapse:collapse;font-family:sans-serif;font-size:14px}"
        "td,th{padding:2px 6px;white-space:nowrap}td.l{text-align:right}"
        "td.m{font-weight:bold;text-align:center;color:#D55E00}tr:nth-child(even){background:#f4f4f4}"
        f"</style></head><body><h1>{esc(title)}</h1><p>{len(shown)} hits</p><table>\n"
        "<tr><th>date</th><th>source</th><th>doc_id</th><th>left</th><th>match</th><th>right</th></tr>\n"
        + "\n".join(body)
        + "\n</table></body></html>\n"
    )


def write_kwic(hits: pd.DataFrame, path: str | Path, *, title: str = "KWIC") -> Path:
    """Write the concordance as ``.csv``, ``.html`` or ``.md`` (chosen by the file suffix)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        shown = _display(hits)
        io.write_csv(shown[COLUMNS], path)
    elif suffix in (".html", ".htm"):
        io.write_text(kwic_html(hits, title=title), path)
    elif suffix in (".md", ".markdown"):
        io.write_text(kwic_markdown(hits), path)
    else:
        raise InputError(f"--out {path}: unknown format {suffix or '(none)'}; use .csv, .html or .md")
    return path
