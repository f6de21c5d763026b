"""Close reading as in KH Coder: KWIC concordance, collocations, co-occurrence networks, coding
rules over time, and correspondence analysis of words by newspaper or period.

>>> import pandas as pd
>>> from analysis.closeread import kwic
>>> corpus = pd.DataFrame({"doc_id": ["d1"], "source": ["A紙"], "text": ["政府は輸出規制を強化した。"],
...                        "published": pd.to_datetime(["2024-01-05"]).tz_localize("Asia/Tokyo")})
>>> kwic(corpus, "輸出規制", window=3)[["left", "match", "right"]].values.tolist()
[['政府は', '輸出規制', 'を強化']]

Every function returns a tidy DataFrame; every ``plot_*`` function only draws. The CLI commands
``kwic``, ``collocates``, ``network``, ``code`` and ``ca`` read ``data/processed/corpus.parquet``
and ``tokens.parquet`` (see :mod:`analysis.closeread.cli`).
"""

from analysis.closeread.ca import TooFewGroupsError, ca_table, correspondence_analysis, plot_ca_axis, plot_ca_biplot
from analysis.closeread.coding import apply_rules, code_shares, parse_rules, plot_code_shares, read_rules
from analysis.closeread.collocations import collocates
from analysis.closeread.kwic import kwic, kwic_text, write_kwic
from analysis.closeread.network import build_network, plot_network

__all__ = [
    "TooFewGroupsError",
    "apply_rules",
    "build_network",
    "ca_table",
    "code_shares",
    "collocates",
    "correspondence_analysis",
    "kwic",
    "kwic_text",
    "parse_rules",
    "plot_ca_axis",
    "plot_ca_biplot",
    "plot_code_shares",
    "plot_network",
    "read_rules",
    "write_kwic",
]
