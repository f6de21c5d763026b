"""Standalone, offline, byte-stable HTML pages: plotly figures with the library inside, and checks.

>>> import plotly.graph_objects as go
>>> page = figure_html(go.Figure(go.Scatter(x=[1, 2], y=[0.1, -0.2], name="東洋日報")),
...                    div_id="demo", title="論調")
>>> page == figure_html(go.Figure(go.Scatter(x=[1, 2], y=[0.1, -0.2], name="東洋日報")),
...                     div_id="demo", title="論調")
True
>>> external_references(page)
[]
>>> external_references('<script src="https://cdn.example.org/x.js"></script>')
['<script src="https://cdn.example.org/x.js">', 'cdn.example.org']

plotly's ``to_html`` gives every figure a random ``div`` id; :func:`figure_html` passes a fixed
one, so the same figure gives the same bytes on every run. The plotly.js bundle is embedded
(``include_plotlyjs=True``, about 4.8 MB minified for plotly 7): the page opens from disk with no
network. The bundle itself mentions CDN hosts in strings it never loads (topojson, MathJax
defaults), so :func:`external_references` looks at everything except the embedded bundle.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from analysis import io

#: plotly's own config for every page: no "produced with plotly" logo link.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

_TAG_WITH_URL = re.compile(
    r"<(?:script|link|img|iframe|embed|source|audio|video)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"@import\s+(?:url\()?\s*[\"']?\s*(?:https?:)?//[^\s\"')]+|url\(\s*[\"']?\s*(?:https?:)?//[^\s\"')]+",
                      re.IGNORECASE)
_CDN_HOST = re.compile(r"\bcdn\.[a-z0-9.-]+|\b[a-z0-9-]+\.cdn\.[a-z0-9.-]+|\bcdnjs\.[a-z0-9.-]+|\bunpkg\.com\b|\bjsdelivr\.net\b",
                       re.IGNORECASE)


@lru_cache(maxsize=1)
def plotly_bundle() -> str:
    """The plotly.js source that ``include_plotlyjs=True`` embeds."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def figure_html(fig, *, div_id: str, title: str) -> str:
    """The whole page of ``fig``: plotly.js embedded, a fixed ``div_id`` and an escaped ``<title>``."""
    page = fig.to_html(include_plotlyjs=True, full_html=True, div_id=div_id, config=PLOTLY_CONFIG,
                       include_mathjax=False, auto_play=False)
    head = "<head>"
    at = page.find(head)
    if at < 0:  # pragma: no cover - plotly always writes a head
        raise RuntimeError("plotly's page has no <head>; cannot add a title")
    at += len(head)
    page = page[:at] + f'\n    <title>{html.escape(title)}</title>' + page[at:]
    bundle = plotly_bundle()
    cut = page.find(bundle)
    if cut < 0:  # pragma: no cover - include_plotlyjs=True always embeds it
        raise RuntimeError("plotly did not embed plotly.js; cannot write an offline page")
    cut += len(bundle)
    return page[:cut] + readable_json(page[cut:])


_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9a-fA-F]{4})")


def readable_json(script: str) -> str:
    r"""plotly's figure JSON with non-ASCII characters written as themselves instead of ``\uXXXX``.

    Japanese text then takes 3 bytes a character instead of 6 and can be read and searched in the
    file. ASCII escapes (``<``, ``>``, ``&``: they keep ``</script>`` out of the script), surrogates
    and the line separators U+2028/U+2029 stay escaped, and so does an escaped backslash.

    >>> print(readable_json(r'["\u6771\u003c", "\\u6771"]'))
    ["東\u003c", "\\u6771"]
    """
    def unescape(match: re.Match) -> str:
        code = int(match.group(2), 16)
        if code < 0x80 or 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029):
            return match.group(0)
        return match.group(1) + chr(code)

    return _ESCAPE.sub(unescape, script)


def write_figure(fig, path: str | Path, *, div_id: str, title: str) -> Path:
    """Write :func:`figure_html` atomically to ``path``."""
    path = Path(path)
    io.write_text(figure_html(fig, div_id=div_id, title=title), path)
    return path


def without_bundle(page: str) -> str:
    """``page`` with the embedded plotly.js bundle cut out (the rest is what this package wrote)."""
    return page.replace(plotly_bundle(), "")


def external_references(page: str) -> list[str]:
    """What in ``page`` (outside the plotly bundle) would reach the network: tags loading a URL,
    CSS ``url()``/``@import`` of one, and CDN host names. Empty for an offline page."""
    rest = without_bundle(page)
    found = [m.group(0) for m in _TAG_WITH_URL.finditer(rest)]
    found += [m.group(0) for m in _CSS_URL.finditer(rest)]
    found += [m.group(0) for m in _CDN_HOST.finditer(rest)]
    return found


def embedded_json(data) -> str:
    """``data`` as JSON safe inside ``<script type="application/json">`` (``<``, ``>``, ``&`` and the
    line separators escaped, so no text can close the script or open a comment)."""
    import json

    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def hover_text(text: str, *, width: int = 36, limit: int = 180) -> str:
    """Escaped text for a plotly hover label, cut at ``limit`` characters and broken every ``width``.

    >>> hover_text("<b>規制</b>は妥当だ。", width=6)
    '&lt;b&gt;規制&lt;<br>/b&gt;は妥当<br>だ。'
    """
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    lines = [text[i:i + width] for i in range(0, len(text), width)] or [""]
    return "<br>".join(html.escape(line, quote=False) for line in lines)
