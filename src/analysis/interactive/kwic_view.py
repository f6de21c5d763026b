r"""A KWIC browser in one standalone HTML page: the study's terms in context, filtered in the page.

>>> import pandas as pd
>>> corpus = pd.DataFrame({
...     "doc_id": ["d1", "d2"], "source": ["A紙", "B紙"], "title": ["規制の行方", "緩和論"],
...     "text": ["政府は輸出規制を強化した。", "輸出規制の緩和を求める<声>もある。"],
...     "published": pd.to_datetime(["2024-01-05", "2024-02-01"]).tz_localize("Asia/Tokyo")})
>>> hits = concordance(corpus, ["輸出規制"], window=10, freq="M")
>>> hits[["term", "source", "period", "left", "match", "right"]].values.tolist()
[['輸出規制', 'A紙', '2024-01', '政府は', '輸出規制', 'を強化した。'], ['輸出規制', 'B紙', '2024-02', '', '輸出規制', 'の緩和を求める<声>']]
>>> page = kwic_page(hits, terms=["輸出規制"], title="KWIC")
>>> "<声>" in page, r"\u003c声\u003e" in page
(False, True)

:func:`concordance` (compute) runs :func:`analysis.closeread.kwic.kwic` for each term and adds the
document's title and period. :func:`kwic_page` (draw) writes the page: the hits as JSON inside a
``<script type="application/json">`` (``<``, ``>`` and ``&`` escaped, so a text can never close
the script), and a few lines of plain JavaScript that build the table with ``textContent`` (never
``innerHTML``), so the corpus text is shown as text, not markup. Filters: term, newspaper, period
and a substring of the context; sorting by corpus order or by the left or right context, as
concordancers do. No library and no network: the page works from disk.
"""

from __future__ import annotations

import html
from typing import Sequence

import pandas as pd

HIT_COLUMNS = ["term", "doc_id", "date", "source", "period", "title", "left", "match", "right"]

#: Rows drawn at once; the filters narrow the rest (the count says how many match).
SHOWN_ROWS = 1000


def concordance(corpus: pd.DataFrame, terms: Sequence[str], *, window: int = 20, freq: str = "auto") -> pd.DataFrame:
    """Every occurrence of each of ``terms`` in ``corpus`` with its context (:data:`HIT_COLUMNS`),
    terms in the order given, each in corpus order (date, newspaper, doc_id, position)."""
    from analysis.closeread.kwic import kwic
    from analysis.stats import period_label

    meta = corpus[["doc_id", "source", "published"]].copy()
    meta["period"] = period_label(meta["published"], freq, groups=meta["source"]).fillna("")
    meta["title"] = corpus["title"].fillna("").astype(str) if "title" in corpus.columns else ""
    parts = []
    for term in dict.fromkeys(str(t) for t in terms if str(t).strip()):
        hits = kwic(corpus, term, window=window)
        if hits.empty:
            continue
        hits = hits.merge(meta[["doc_id", "period", "title"]], on="doc_id", how="left", sort=False)
        hits["date"] = [d.strftime("%Y-%m-%d") if pd.notna(d) else "" for d in pd.to_datetime(hits["date"])]
        parts.append(hits.assign(term=term))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in HIT_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    for column in HIT_COLUMNS:
        out[column] = out[column].fillna("").astype(str)
    return out[HIT_COLUMNS]


def kwic_data(hits: pd.DataFrame, terms: Sequence[str], *, window: int = 20) -> dict:
    """The page's JSON: lists of terms, newspapers, periods and documents, and hits that index them."""
    terms = list(dict.fromkeys(str(t) for t in terms))
    sources = sorted(hits["source"].unique())
    periods = sorted(p for p in hits["period"].unique() if p)
    docs = hits.drop_duplicates("doc_id")[["doc_id", "date", "source", "period", "title"]]
    doc_index = {d: i for i, d in enumerate(docs["doc_id"])}
    source_index = {s: i for i, s in enumerate(sources)}
    period_index = {p: i for i, p in enumerate(periods)}
    term_index = {t: i for i, t in enumerate(terms)}
    return {
        "window": int(window),
        "terms": terms,
        "sources": sources,
        "periods": periods,
        "docs": [[row.doc_id, row.date, source_index[row.source], period_index.get(row.period, -1), row.title]
                 for row in docs.itertuples(index=False)],
        "hits": [[term_index[row.term], doc_index[row.doc_id], row.left, row.match, row.right]
                 for row in hits.itertuples(index=False)],
    }


_STYLE = """
body{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic","IPAexGothic",sans-serif;margin:1.2em;color:#222}
h1{font-size:1.3em;margin:0 0 .3em}
form{display:flex;flex-wrap:wrap;gap:.6em 1.2em;align-items:end;margin:.6em 0}
label{display:flex;flex-direction:column;font-size:.85em;color:#444}
select,input{font-size:1em;padding:2px 4px}
#count{margin:.4em 0;font-size:.9em;color:#444}
table{border-collapse:collapse;font-size:14px}
th{background:#eee;text-align:left;position:sticky;top:0}
td,th{padding:2px 6px;white-space:nowrap}
td.l{text-align:right}
td.m{font-weight:bold;text-align:center;color:#D55E00}
td.t{max-width:18em;overflow:hidden;text-overflow:ellipsis;color:#555}
tr:nth-child(even){background:#f6f6f6}
.note{font-size:.85em;color:#555}
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kwic-data").textContent);
  var LIMIT = %(limit)d;
  var form = document.getElementById("filters");
  function fill(id, values) {
    var select = document.getElementById(id);
    values.forEach(function (value, i) {
      var option = document.createElement("option");
      option.value = String(i);
      option.textContent = value;
      select.appendChild(option);
    });
  }
  fill("f-term", data.terms);
  fill("f-source", data.sources);
  fill("f-period", data.periods);
  function reversed(s) { return s.split("").reverse().join(""); }
  function cell(row, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    row.appendChild(td);
  }
  function render() {
    var term = form.elements.term.value, source = form.elements.source.value;
    var period = form.elements.period.value, needle = form.elements.text.value;
    var sort = form.elements.sort.value;
    var rows = data.hits.filter(function (hit) {
      var doc = data.docs[hit[1]];
      if (term !== "" && hit[0] !== Number(term)) { return false; }
      if (source !== "" && doc[2] !== Number(source)) { return false; }
      if (period !== "" && doc[3] !== Number(period)) { return false; }
      if (needle !== "" && (hit[2] + hit[3] + hit[4] + doc[4]).indexOf(needle) < 0) { return false; }
      return true;
    });
    if (sort === "right") {
      rows = rows.map(function (h, i) { return [h[4], i, h]; });
    } else if (sort === "left") {
      rows = rows.map(function (h, i) { return [reversed(h[2]), i, h]; });
    }
    if (sort !== "corpus") {
      rows.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]; });
      rows = rows.map(function (r) { return r[2]; });
    }
    var body = document.getElementById("hits");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    rows.slice(0, LIMIT).forEach(function (hit) {
      var doc = data.docs[hit[1]];
      var tr = document.createElement("tr");
      cell(tr, data.terms[hit[0]]);
      cell(tr, doc[1]);
      cell(tr, data.sources[doc[2]]);
      cell(tr, doc[3] >= 0 ? data.periods[doc[3]] : "");
      cell(tr, hit[2], "l");
      cell(tr, hit[3], "m");
      cell(tr, hit[4], "r");
      cell(tr, doc[4], "t");
      cell(tr, doc[0], "d");
      body.appendChild(tr);
    });
    var shown = Math.min(rows.length, LIMIT);
    document.getElementById("count").textContent = rows.length + " 件" +
      (rows.length > LIMIT ? "（先頭の " + shown + " 件を表示。絞り込んでください）" : "") +
      " / 全 " + data.hits.length + " 件";
  }
  form.addEventListener("input", render);
  form.addEventListener("change", render);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  render();
}());
"""


def kwic_page(hits: pd.DataFrame, *, terms: Sequence[str], title: str = "KWIC", window: int = 20,
              note: str = "") -> str:
    """The standalone page (see the module docstring)."""
    from analysis.interactive.page import embedded_json

    esc = html.escape
    data = embedded_json(kwic_data(hits, terms, window=window))
    selects = "".join(
        f'<label>{esc(label)}<select name="{name}" id="f-{name}"><option value="">すべて</option></select></label>'
        for name, label in (("term", "語"), ("source", "新聞"), ("period", "時期")))
    return (
        '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n"
        f'<p class="note">前後 {int(window)} 文字の文脈。語・新聞・時期で絞り込み、文脈の文字列で検索、左右の文脈で並べ替え。'
        f"{esc(note)}</p>\n"
        f'<form id="filters" autocomplete="off">{selects}'
        '<label>文脈に含む<input type="search" name="text" id="f-text"></label>'
        '<label>並べ替え<select name="sort" id="f-sort"><option value="corpus">日付順</option>'
        '<option value="left">左文脈（逆順）</option><option value="right">右文脈</option></select></label></form>\n'
        '<div id="count"></div>\n'
        "<table>\n<thead><tr><th>語</th><th>日付</th><th>新聞</th><th>時期</th><th>左文脈</th><th>語</th>"
        "<th>右文脈</th><th>見出し</th><th>doc_id</th></tr></thead>\n"
        '<tbody id="hits"></tbody>\n</table>\n'
        f'<script type="application/json" id="kwic-data">{data}</script>\n'
        f"<script>{_SCRIPT % {'limit': SHOWN_ROWS}}</script>\n"
        "</body>\n</html>\n"
    )
