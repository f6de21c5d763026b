"""Stance over time as an interactive plotly figure: a line per newspaper, a target per dropdown entry.

>>> import pandas as pd
>>> over_time = pd.DataFrame({"source": ["A紙", "A紙"], "target": "輸出規制", "period": ["2023", "2024"],
...                           "n": [6, 2], "mean": [0.4, -0.1], "ci_low": [0.1, -0.5], "ci_high": [0.7, 0.3]})
>>> corpus = pd.DataFrame({"doc_id": ["d1"], "source": ["A紙"], "title": ["社説"],
...                        "published": pd.to_datetime(["2023-05-01"]).tz_localize("Asia/Tokyo")})
>>> evidence = pd.DataFrame({"doc_id": ["d1"], "target": ["輸出規制"], "method": ["syntax"], "sentence_index": [2],
...                          "sentence": ["規制の強化は妥当だ。"], "score": [0.8], "voice": ["author"], "weight": [1.0]})
>>> points = stance_points(over_time, evidence, corpus)
>>> points[["period", "n", "evidence"]].values.tolist()
[['2023', 6, '規制の強化は妥当だ。'], ['2024', 2, '']]
>>> fig = stance_figure(points, min_n_interval=5)
>>> [t.name for t in fig.data if t.showlegend is not False]
['A紙']

:func:`stance_points` (compute) joins each (newspaper, target, period) point of
``stance_over_time.parquet`` with its strongest evidence sentence: among the sentences of
``stance_evidence.parquet`` in the author's own voice (``voice == "author"`` where the scorer
records voices) of the point's documents, the one with the highest ``|weight * score|`` (weight 1
where the scorer records none; sentences that did not vote, weight 0, are never evidence). Ties go
to the earlier document and sentence, so the choice is the same on every run.
:func:`stance_figure` (draw) draws what it is given: bands of the interval over consecutive points
with ``n >= min_n_interval``, a whisker for a lone such point, and hollow markers without any
interval below it, as the matplotlib figures do (:func:`analysis.figures.plots.interval_caption`).
The hover of a point shows its n, its interval and its evidence sentence.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import InputError

POINT_COLUMNS = ["source", "target", "period", "n", "mean", "ci_low", "ci_high",
                 "evidence", "evidence_date", "evidence_title", "evidence_doc_id", "evidence_score"]

_FREQ_PATTERNS = {"M": re.compile(r"^\d{4}-\d{2}$"), "Q": re.compile(r"^\d{4}Q[1-4]$"), "Y": re.compile(r"^\d{4}$")}


def label_freq(periods) -> str | None:
    """The period of labels like '2024-01' (M), '2024Q1' (Q) or '2024' (Y); None if mixed or other.

    >>> label_freq(["2024Q1", "2024Q2"]), label_freq(["2024"]), label_freq(["2024", "2024-01"])
    ('Q', 'Y', None)
    """
    labels = {str(p) for p in periods if not pd.isna(p)}
    if not labels:
        return None
    for freq, pattern in _FREQ_PATTERNS.items():
        if all(pattern.match(label) for label in labels):
            return freq
    return None


def strongest_sentences(evidence: pd.DataFrame, corpus: pd.DataFrame, freq: str, *,
                        methods=None) -> pd.DataFrame:
    """``source, target, period, evidence, evidence_date, evidence_title, evidence_doc_id,
    evidence_score``: the strongest author sentence per (newspaper, target, period)."""
    from analysis.stats import period_label

    rows = evidence
    if methods is not None and "method" in rows.columns:
        rows = rows[rows["method"].isin(list(methods))]
    if "voice" in rows.columns:
        rows = rows[rows["voice"] == "author"]
    weight = rows["weight"].astype(float) if "weight" in rows.columns else 1.0
    rows = rows.assign(strength=(weight * rows["score"].astype(float)).abs())
    rows = rows[rows["strength"] > 0]
    meta = corpus[["doc_id", "source", "published"] + (["title"] if "title" in corpus.columns else [])].copy()
    meta["period"] = period_label(meta["published"], freq)
    rows = rows.merge(meta, on="doc_id", how="inner").dropna(subset=["period"])
    columns = ["source", "target", "period", "evidence", "evidence_date", "evidence_title", "evidence_doc_id",
               "evidence_score"]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c == "evidence_score" else object) for c in columns})
    rows = rows.sort_values(["source", "target", "period", "strength", "doc_id", "sentence_index"],
                            ascending=[True, True, True, False, True, True], kind="mergesort")
    best = rows.drop_duplicates(["source", "target", "period"], keep="first")
    return pd.DataFrame({
        "source": best["source"].astype(str).to_numpy(),
        "target": best["target"].astype(str).to_numpy(),
        "period": best["period"].astype(str).to_numpy(),
        "evidence": best["sentence"].astype(str).to_numpy(),
        "evidence_date": best["published"].dt.strftime("%Y-%m-%d").to_numpy(),
        "evidence_title": (best["title"].fillna("").astype(str).to_numpy() if "title" in best.columns
                           else np.full(len(best), "", dtype=object)),
        "evidence_doc_id": best["doc_id"].astype(str).to_numpy(),
        "evidence_score": best["score"].astype(float).to_numpy(),
    })


def stance_points(over_time: pd.DataFrame, evidence: pd.DataFrame | None, corpus: pd.DataFrame | None, *,
                  methods=None) -> pd.DataFrame:
    """``stance_over_time`` rows (``source, target, period, n, mean, ci_low, ci_high``) with their
    strongest evidence sentence (:data:`POINT_COLUMNS`; empty strings where there is none)."""
    missing = [c for c in ("source", "target", "period", "n", "mean", "ci_low", "ci_high") if c not in over_time.columns]
    if missing:
        raise InputError(f"stance over time lacks column(s) {missing}; rerun `analysis stance`")
    points = over_time[["source", "target", "period", "n", "mean", "ci_low", "ci_high"]].copy()
    points = points.astype({"source": str, "target": str, "period": str})
    freq = label_freq(points["period"])
    if evidence is not None and corpus is not None and freq is not None and not evidence.empty:
        best = strongest_sentences(evidence, corpus, freq, methods=methods)
        points = points.merge(best, on=["source", "target", "period"], how="left")
    for column in POINT_COLUMNS[7:]:
        if column not in points.columns:
            points[column] = np.nan if column == "evidence_score" else ""
        elif column != "evidence_score":
            points[column] = points[column].fillna("").astype(str)
    points = points.sort_values(["target", "source", "period"], kind="mergesort").reset_index(drop=True)
    return points[POINT_COLUMNS]


def _runs(mask) -> list[list[int]]:
    runs, current = [], []
    for i, ok in enumerate(mask):
        if ok:
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _with_gaps(rows: pd.DataFrame, breaks) -> tuple[pd.DataFrame, np.ndarray]:
    """``rows`` with an empty row before each period that does not follow the one before it, and the
    mask of those rows: plotly breaks a line (``connectgaps=False``) and a band run at them, so no
    line or band joins points across periods without data."""
    parts, mask = [], []
    for i in range(len(rows)):
        if breaks[i]:
            parts.append(pd.DataFrame({c: [np.nan] for c in rows.columns}).astype(
                {c: "object" for c in rows.columns}))
            mask.append(True)
        parts.append(rows.iloc[[i]].astype("object"))
        mask.append(False)
    out = pd.concat(parts, ignore_index=True) if parts else rows
    return out, np.asarray(mask, dtype=bool)


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _x(periods: pd.Series) -> list[str]:
    from analysis.figures.tables import period_midpoint

    return [t.strftime("%Y-%m-%d") for t in period_midpoint(periods.reset_index(drop=True))]


def stance_figure(points: pd.DataFrame, *, min_n_interval: int = config.MIN_N_INTERVAL,
                  level: float = config.CI_LEVEL, title: str = "論調の推移"):
    """A plotly figure of :func:`stance_points`: one dropdown entry per target, a line per newspaper."""
    import plotly.graph_objects as go

    from analysis.figures.plots import interval_caption, period_breaks
    from analysis.figures.style import plotly_style, styles_for
    from analysis.interactive.page import hover_text

    targets = sorted(points["target"].unique())
    styles = styles_for(points["source"])
    fig = go.Figure()
    owner: list[str] = []
    for target in targets:
        for source, style in styles.items():
            color = style.color
            symbol, dash = plotly_style(style)
            rows = points[(points["target"] == target) & (points["source"] == source)].sort_values("period")
            if rows.empty:
                continue
            rows = rows.reset_index(drop=True)
            breaks = period_breaks(rows["period"])
            rows, breaks = _with_gaps(rows, breaks)
            x = _x(rows["period"].where(~breaks, rows["period"].shift(-1)))
            x = [None if gap else v for v, gap in zip(x, breaks)]
            n = rows["n"].fillna(0).astype(int).to_numpy()
            low, high, mean = (rows[c].astype(float).to_numpy() for c in ("ci_low", "ci_high", "mean"))
            ok = (n >= min_n_interval) & np.isfinite(low) & np.isfinite(high) & ~breaks
            runs = _runs(ok)
            visible = target == targets[0]
            for run in runs:
                if len(run) < 2:
                    continue
                fig.add_trace(go.Scatter(
                    x=[x[i] for i in run] + [x[i] for i in reversed(run)],
                    y=[float(high[i]) for i in run] + [float(low[i]) for i in reversed(run)],
                    fill="toself", fillcolor=_rgba(color, 0.18), line={"width": 0}, mode="lines",
                    hoverinfo="skip", showlegend=False, legendgroup=source, name=source, visible=visible))
                owner.append(target)
            lone = {run[0] for run in runs if len(run) == 1}
            plus = [float(high[i] - mean[i]) if i in lone else None for i in range(len(rows))]
            minus = [float(mean[i] - low[i]) if i in lone else None for i in range(len(rows))]
            interval = [f"{level:.0%}区間 {low[i]:+.2f} … {high[i]:+.2f}" if ok[i] else f"区間なし（n<{min_n_interval}）"
                        for i in range(len(rows))]
            said = []
            for row in rows.itertuples(index=False):
                if isinstance(row.evidence, str) and row.evidence:
                    head = f"{row.evidence_date} {row.evidence_title}".strip()
                    said.append(f"根拠（{hover_text(head, width=40, limit=60)}）：<br>{hover_text(row.evidence)}")
                else:
                    said.append("根拠文なし")
            fig.add_trace(go.Scatter(
                x=x, y=[None if gap else float(v) for v, gap in zip(mean, breaks)], mode="lines+markers",
                name=source, legendgroup=source, connectgaps=False,
                line={"color": color, "width": 2, "dash": dash},
                marker={"color": color, "size": 9, "symbol": [symbol if k >= min_n_interval else f"{symbol}-open"
                                                               for k in n], "line": {"color": color, "width": 2}},
                error_y={"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
                         "color": color, "thickness": 1.5, "width": 0},
                customdata=[[str(p), int(k), iv, s] for p, k, iv, s in zip(rows["period"], n, interval, said)],
                hovertemplate=("<b>%{fullData.name}</b>　%{customdata[0]}<br>平均 %{y:+.2f}（n=%{customdata[1]}）"
                               "<br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>"),
                visible=visible))
            owner.append(target)
    caption = interval_caption(min_n_interval, level) + "。点にカーソルを置くと n・区間・最も強い根拠文（筆者の文）を表示"
    buttons = [{"label": target, "method": "update",
                "args": [{"visible": [t == target for t in owner]}, {"title.text": f"{title}：{target}"}]}
               for target in targets]
    fig.update_layout(
        title={"text": f"{title}：{targets[0]}" if targets else title, "x": 0.02},
        template="simple_white", hovermode="closest", height=620,
        yaxis={"title": {"text": "論調（-1 反対 … +1 賛成）"}, "range": [-1.05, 1.05], "zeroline": True,
               "zerolinecolor": "black", "zerolinewidth": 1, "tickvals": [-1, -0.5, 0, 0.5, 1]},
        xaxis={"title": {"text": "時期"}, "type": "date",
               "tickformat": "%Y" if label_freq(points["period"]) == "Y" else "%Y-%m"},
        legend={"orientation": "h", "y": -0.18, "x": 0, "title": {"text": "新聞"}},
        margin={"b": 130},
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 1.0, "xanchor": "right", "y": 1.12,
                      "yanchor": "top", "showactive": True, "active": 0}] if len(targets) > 1 else [],
        annotations=[{"text": caption, "xref": "paper", "yref": "paper", "x": 0, "y": -0.34, "showarrow": False,
                      "xanchor": "left", "font": {"size": 11, "color": "#555555"}}],
    )
    return fig
