"""Interactive views, offline: standalone HTML pages under reports/interactive/.

    $ analysis interactive                                  # the demo study's tables
    $ analysis interactive --config study.yaml --term 輸出規制 --term 補助金

>>> from analysis.interactive.kwic_view import concordance
>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["d1"], "source": ["A紙"], "text": ["政府は輸出規制を強化した。"],
...                        "published": pd.to_datetime(["2024-01-05"]).tz_localize("Asia/Tokyo")})
>>> concordance(corpus, ["輸出規制"], window=3, freq="Y")[["left", "match", "right"]].values.tolist()
[['政府は', '輸出規制', 'を強化']]

:func:`write_interactive` writes stance over time (plotly, a dropdown per target; hovers with n,
the interval and the strongest evidence sentence), a KWIC browser (plain JavaScript filters), and
BERTopic's own views of the fitted model (topic map, hierarchy, word bars, topics over time,
document map). plotly.js is embedded in each page (no CDN, no network) and every page is
byte-identical across reruns. Modules: :mod:`~analysis.interactive.page` (writing and offline
checks), :mod:`~analysis.interactive.stance_view`, :mod:`~analysis.interactive.kwic_view`,
:mod:`~analysis.interactive.topic_views`, :mod:`~analysis.interactive.stage` (orchestration) and
:mod:`~analysis.interactive.cli`.
"""

from analysis.interactive.stage import write_interactive

__all__ = ["write_interactive"]
