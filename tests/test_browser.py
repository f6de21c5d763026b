"""In a real browser (issue 14.3): headless Chromium opens every interactive page from disk and a
notebook in JupyterLab, driven over the Chrome DevTools protocol (CDP).

The CDP client is the few lines below over ``websocket-client`` (installed with jupyter_server). Each
page is opened in a fresh tab of one ``chromium --headless=new`` with every CDP event of the tab
recorded: console errors (``Runtime.consoleAPICalled`` error/assert), uncaught exceptions
(``Runtime.exceptionThrown``), browser log errors (``Log.entryAdded``: failed loads among them) and
every request the page makes (``Network.requestWillBeSent``), which must all be ``file:`` or
``data:``. Screenshots go to the session's temporary folder (the path is printed; ``pytest -s``).
Skipped, with the reason, where there is no Chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from _synthetic_run import make_processed
from test_interactive import EVIDENCE, PLOTLY_VIEWS, synthetic_pages

pytestmark = pytest.mark.slow  # a browser and (for one test) JupyterLab: ~10-50 s each

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CONSOLE_PROBLEMS = ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")


def _browser() -> str | None:
    for name in (os.environ.get("CHROMIUM"), *BROWSERS):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def _need_browser() -> str:
    binary = _browser()
    if binary is None:
        pytest.skip("no Chromium on this machine (apt-get install -y chromium; .ci/run installs it where apt works)")
    try:
        import websocket  # noqa: F401
    except ImportError:
        pytest.skip("websocket-client is not installed (it comes with jupyter_server); no CDP client")
    return binary


class Tab:
    """One browser tab (a flattened CDP session) with the events it received."""

    def __init__(self, chrome: "Chrome", session: str, target: str):
        self.chrome, self.session, self.target = chrome, session, target
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, *, timeout: float = 30):
        return self.chrome.send(method, params, session=self.session, timeout=timeout)

    def open(self, url: str, *, timeout: float = 30) -> None:
        self.send("Page.navigate", {"url": url})
        self.chrome.wait_event(self, "Page.loadEventFired", timeout)

    def evaluate(self, expression: str, *, await_promise: bool = False, timeout: float = 30):
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                               "awaitPromise": await_promise}, timeout=timeout)
        if "exceptionDetails" in reply:
            raise AssertionError(f"page script failed: {json.dumps(reply['exceptionDetails'])[:600]}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float = 30, what: str = ""):
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what or expression}")
            time.sleep(0.2)

    def mouse(self, kind: str, x: float, y: float) -> None:
        params = {"type": kind, "x": x, "y": y, "button": "left" if kind != "mouseMoved" else "none",
                  "clickCount": 1 if kind != "mouseMoved" else 0}
        self.send("Input.dispatchMouseEvent", params)

    def click(self, x: float, y: float) -> None:
        self.mouse("mouseMoved", x, y)
        self.mouse("mousePressed", x, y)
        self.mouse("mouseReleased", x, y)

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors of this tab, as text."""
        out = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append("console error: " + " ".join(str(a.get("value", a.get("description", "")))
                                                        for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                out.append("Uncaught: " + str(details.get("exception", {}).get("description", details.get("text"))))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                out.append(f"log error: {params['entry'].get('text')} {params['entry'].get('url', '')}")
        return out

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        self.chrome.send("Target.closeTarget", {"targetId": self.target})


class Chrome:
    """``chromium --headless=new`` with a CDP connection to its browser endpoint."""

    def __init__(self, binary: str, workdir: Path, *, width: int = 1200, height: int = 900):
        import websocket

        self.profile = Path(tempfile.mkdtemp(prefix="chrome-profile-", dir=workdir))
        self.log = workdir / "chromium.log"
        self._log = open(self.log, "wb")
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--disable-gpu", "--no-sandbox", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--disable-component-update",
             "--enable-logging=stderr", "--v=0", f"--window-size={width},{height}", "--remote-debugging-port=0",
             "--remote-allow-origins=*", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=self._log)
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and len(port_file.read_text().split()) >= 2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"Chromium did not start; its log: {self.log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        port, path = port_file.read_text().split()[:2]
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=60, suppress_origin=True)
        self._id = 0
        self.tabs: dict[str, Tab] = {}

    def _dispatch(self, message: dict) -> None:
        tab = self.tabs.get(message.get("sessionId"))
        if tab is not None and "method" in message:
            tab.events.append(message)

    def send(self, method: str, params: dict | None = None, *, session: str | None = None, timeout: float = 30) -> dict:
        self._id += 1
        wanted = self._id
        message = {"id": wanted, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            reply = json.loads(self.ws.recv())
            if reply.get("id") == wanted:
                if "error" in reply:
                    raise AssertionError(f"CDP {method} failed: {reply['error']}")
                return reply.get("result", {})
            self._dispatch(reply)
            if time.monotonic() > deadline:
                raise TimeoutError(f"CDP {method}: no answer in {timeout} s")

    def wait_event(self, tab: Tab, method: str, timeout: float) -> dict:
        seen = len(tab.events)
        for event in tab.events[:seen]:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            message = json.loads(self.ws.recv())
            self._dispatch(message)
            if message.get("sessionId") == tab.session and message.get("method") == method:
                return message
        raise TimeoutError(f"no {method} within {timeout} s")

    def new_tab(self) -> Tab:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, session, target)
        self.tabs[session] = tab
        for domain in ("Page", "Runtime", "Log", "Network"):
            tab.send(f"{domain}.enable")
        return tab

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                try:
                    self.send("Browser.close", timeout=5)
                except Exception:  # noqa: BLE001 - the browser may already be gone
                    pass
                self.ws.close()
        finally:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self._log.close()
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def chrome(tmp_path_factory):
    binary = _need_browser()
    workdir = tmp_path_factory.mktemp("chromium")
    browser = Chrome(binary, workdir)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    _need_browser()
    return synthetic_pages(tmp_path_factory)[1]


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots in {folder}")
    return folder


def _offline_and_clean(tab: Tab, page: Path) -> None:
    assert tab.problems() == [], f"{page.name}: {tab.problems()}"
    remote = [u for u in tab.requests() if not u.startswith(("file:", "data:", "blob:", "about:"))]
    assert remote == [], f"{page.name} asked the network for {remote}"


RENDERED = """(() => {
  const gd = document.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullData || !document.querySelector('.main-svg')) { return null; }
  const visible = gd._fullData.filter(t => t.visible === true).length;
  const drawn = document.querySelectorAll('.cartesianlayer g.trace').length;
  const marks = document.querySelectorAll('.cartesianlayer .point, .cartesianlayer path.js-line, '
                                          + '.cartesianlayer path.js-fill').length;
  return {svg: document.querySelectorAll('svg.main-svg').length, visible: visible, drawn: drawn, marks: marks,
          title: (document.querySelector('.gtitle') || {}).textContent || ''};
})()"""


@pytest.mark.parametrize("view", PLOTLY_VIEWS)
def test_plotly_page_renders_its_traces_offline_without_console_errors(chrome, pages, shots, view):
    page = pages / f"{view}.html"
    tab = chrome.new_tab()
    try:
        tab.open(page.as_uri())
        state = tab.wait_for(RENDERED, what=f"plotly to draw {page.name}")
        assert state["svg"] >= 1 and state["visible"] >= 1, state
        assert state["drawn"] >= state["visible"] and state["marks"] > 0, state  # every visible trace is in the SVG
        tab.screenshot(shots / f"{view}.png")
        _offline_and_clean(tab, page)
    finally:
        tab.close()


def test_stance_dropdown_and_hover_show_each_target_and_the_evidence(chrome, pages, shots):
    page = pages / "stance_over_time.html"
    tab = chrome.new_tab()
    try:
        tab.open(page.as_uri())
        tab.wait_for(RENDERED, what="the stance figure")
        # the trace and point whose hover carries the planted evidence sentence, and its target's button
        where = tab.evaluate("""(() => {
          const gd = document.querySelector('.js-plotly-plot');
          const buttons = gd.layout.updatemenus[0].buttons;
          for (let c = 0; c < gd.data.length; c++) {
            const points = gd.data[c].customdata || [];
            for (let p = 0; p < points.length; p++) {
              if (String(points[p][3]).indexOf('妥当') >= 0) {
                const b = buttons.findIndex(btn => btn.args[0].visible[c]);
                return {curve: c, point: p, button: b, label: buttons[b].label};
              }
            }
          }
          return null;
        })()""")
        assert where is not None, "no point carries the evidence sentence"
        # open the dropdown and click the target, as a reader would
        header = tab.evaluate("""(() => { const r = document.querySelector('.updatemenu-header').getBoundingClientRect();
                                          return [r.x + r.width / 2, r.y + r.height / 2]; })()""")
        tab.click(*header)
        tab.wait_for("document.querySelectorAll('.updatemenu-dropdown-button').length > 0", what="the dropdown to open")
        button = tab.evaluate(f"""(() => {{ const b = [...document.querySelectorAll('.updatemenu-dropdown-button')]
                                     .find(e => e.textContent === {json.dumps(where['label'])});
                                     const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
        tab.click(*button)
        title = tab.wait_for(f"""(() => {{ const t = (document.querySelector('.gtitle') || {{}}).textContent || '';
                                      return t.endsWith({json.dumps(where['label'])}) ? t : null; }})()""",
                             what="the title to name the chosen target")
        state = tab.evaluate(RENDERED)
        assert state["drawn"] >= state["visible"] >= 1 and title.startswith("論調の推移")
        # hover the point with the mouse: the label shows n, the interval and the sentence as text
        xy = tab.evaluate(f"""(() => {{
          const gd = document.querySelector('.js-plotly-plot');
          const trace = gd._fullData[{where['curve']}], xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
          const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
          return [box.left + xa.d2p(trace.x[{where['point']}]), box.top + ya.d2p(trace.y[{where['point']}])];
        }})()""")
        tab.mouse("mouseMoved", xy[0] - 3, xy[1] - 3)
        tab.mouse("mouseMoved", *xy)
        label = "(document.querySelector('.hoverlayer .hovertext') || {}).textContent || null"
        hover = tab.wait_for(label, what="the hover label")
        assert "n=" in hover and "区間" in hover and "根拠" in hover, hover
        if EVIDENCE not in hover:  # another newspaper's point lies as close: hover exactly this one
            tab.evaluate(f"""Plotly.Fx.hover(document.querySelector('.js-plotly-plot'),
                             [{{curveNumber: {where['curve']}, pointNumber: {where['point']}}}])""")
            hover = tab.wait_for(label, what="the hover label of the evidence point")
        assert "n=" in hover and "区間" in hover and EVIDENCE in hover, hover  # the sentence as text, not markup
        tab.screenshot(shots / "stance_over_time_hover.png")
        _offline_and_clean(tab, page)
    finally:
        tab.close()


def test_kwic_page_lists_hits_and_filters_them_in_the_page(chrome, pages, shots):
    page = pages / "kwic.html"
    data = json.loads(re.search(r'id="kwic-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.S).group(1))
    total = len(data["hits"])
    tab = chrome.new_tab()
    try:
        tab.open(page.as_uri())
        rows = tab.wait_for("document.querySelectorAll('#hits tr').length", what="the KWIC rows")
        assert rows == min(total, 1000)
        assert tab.evaluate("document.getElementById('count').textContent").endswith(f"全 {total} 件")
        source = data["sources"].index("北辰新聞")
        shown = tab.evaluate(f"""(() => {{ const s = document.getElementById('f-source'); s.value = '{source}';
            s.dispatchEvent(new Event('change', {{bubbles: true}}));
            return [...document.querySelectorAll('#hits tr')].map(r => r.children[2].textContent); }})()""")
        expected = sum(1 for hit in data["hits"] if data["docs"][hit[1]][2] == source)
        assert len(shown) == expected and 0 < expected < total and set(shown) == {"北辰新聞"}
        matches = tab.evaluate("""(() => { const t = document.getElementById('f-term'); t.value = '1';
            t.dispatchEvent(new Event('change', {bubbles: true}));
            return [...document.querySelectorAll('#hits tr')].map(r => r.children[5].textContent); })()""")
        assert matches and set(matches) == {data["terms"][1]}
        tab.screenshot(shots / "kwic.png")
        _offline_and_clean(tab, page)
    finally:
        tab.close()


def test_index_page_links_every_view(chrome, pages):
    tab = chrome.new_tab()
    try:
        tab.open((pages / "index.html").as_uri())
        links = tab.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
        assert sorted(links) == sorted([f"{v}.html" for v in PLOTLY_VIEWS] + ["kwic.html"])
        _offline_and_clean(tab, pages / "index.html")
    finally:
        tab.close()


# -- JupyterLab --------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _parameters(source: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        source, n = re.subn(rf"^{name} = [^#\n]*", f"{name} = {value}  ", source, count=1, flags=re.M)
        assert n == 1, f"parameter {name} not in the notebook's parameters cell"
    return source


def test_jupyterlab_runs_a_notebook_opened_through_jupytext_and_shows_its_figure(chrome, tmp_path_factory, shots):
    """JupyterLab (token-less, on a free loopback port, the repo's notebooks/jupytext.toml) opens
    notebooks/01_corpus_overview.py as a notebook with jupytext's "Jupytext Notebook" factory and the
    "analysis" kernel; "run all cells" is executed through the lab's own command registry (the app is
    exposed with ``--LabApp.expose_app_in_browser``), and the test then finds the figure, an <img> of
    the notebook's output area, in the page, and no error output."""
    from jupyter_client.kernelspec import KernelSpecManager

    if "analysis" not in KernelSpecManager().find_kernel_specs():
        pytest.skip("no 'analysis' Jupyter kernel (make setup installs it)")
    root = tmp_path_factory.mktemp("lab")
    processed = root / "processed"
    make_processed(processed, n_docs=24)
    repo_notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    (root / "notebooks").mkdir()
    shutil.copy(repo_notebooks / "jupytext.toml", root / "notebooks" / "jupytext.toml")
    source = (repo_notebooks / "01_corpus_overview.py").read_text(encoding="utf-8")
    (root / "notebooks" / "01_corpus_overview.py").write_text(
        _parameters(source, {"PROCESSED": repr(str(processed)), "FIGURES": repr(str(root / "figures")), "SMOKE": "True"}),
        encoding="utf-8")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "JPY_"))}
    # the kernel draws inline (make exports MPLBACKEND=Agg for the CLI), as analysis.notebooks does
    env.update(MPLBACKEND="module://matplotlib_inline.backend_inline", PYTHONHASHSEED="0",
               JUPYTER_RUNTIME_DIR=str(root / ".runtime"), JUPYTERLAB_WORKSPACES_DIR=str(root / ".workspaces"))
    jupyter = Path(os.environ.get("VIRTUAL_ENV", Path(__import__("sys").executable).parents[1])) / "bin" / "jupyter"
    log = open(root / "lab.log", "wb")
    server = subprocess.Popen(
        [str(jupyter) if jupyter.is_file() else "jupyter", "lab", "--no-browser", "--ServerApp.token=",
         "--ServerApp.password=", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
         "--ServerApp.open_browser=False", "--ServerApp.allow_root=True"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    tab = None
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"JupyterLab did not start: {(root / 'lab.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.3)
        # jupytext's contents manager serves the .py script as a notebook
        with urllib.request.urlopen(f"{base}/api/contents/notebooks/01_corpus_overview.py?type=notebook", timeout=30) as r:
            model = json.load(r)
        assert model["type"] == "notebook" and model["content"]["metadata"]["kernelspec"]["name"] == "analysis"

        tab = chrome.new_tab()
        tab.open(f"{base}/lab?reset", timeout=60)
        tab.wait_for("window.jupyterapp && window.jupyterapp.started ? true : null", timeout=60, what="JupyterLab to start")
        tab.evaluate("window.jupyterapp.restored.then(() => true)", await_promise=True, timeout=60)
        factory = tab.evaluate("""window.jupyterapp.docRegistry.getWidgetFactory('Jupytext Notebook') ? 'Jupytext Notebook'
                                  : null""")
        assert factory == "Jupytext Notebook", "jupytext's JupyterLab extension is not active"
        opened = tab.evaluate("""(async () => {
            const app = window.jupyterapp;
            const panel = await app.commands.execute('docmanager:open', {path: 'notebooks/01_corpus_overview.py',
                factory: 'Jupytext Notebook', kernel: {name: 'analysis'}});
            await panel.context.ready;
            await panel.sessionContext.ready;
            app.shell.activateById(panel.id);
            window.__panel = panel;
            return {kernel: panel.sessionContext.session.kernel.name, cells: panel.content.widgets.length};
        })()""", await_promise=True, timeout=90)
        assert opened["kernel"] == "analysis" and opened["cells"] > 3, opened
        ran = tab.evaluate("""(async () => {
            const panel = window.__panel;
            const ok = await window.jupyterapp.commands.execute('notebook:run-all-cells');
            while (panel.sessionContext.session.kernel.status !== 'idle') { await new Promise(r => setTimeout(r, 200)); }
            const cells = panel.content.widgets.map(w => w.model.toJSON()).filter(c => c.cell_type === 'code');
            return {ok: ok, executed: cells.filter(c => c.execution_count).length, code: cells.length,
                    errors: cells.flatMap(c => c.outputs.filter(o => o.output_type === 'error')
                                                    .map(o => o.ename + ': ' + o.evalue))};
        })()""", await_promise=True, timeout=120)
        assert ran["errors"] == [] and ran["executed"] == ran["code"], ran
        figures = tab.wait_for("""(() => {
            const imgs = [...window.__panel.node.querySelectorAll('.jp-OutputArea-output img')]
                .filter(i => i.complete && i.naturalWidth > 100);
            return imgs.length ? imgs.map(i => [i.naturalWidth, i.naturalHeight]) : null; })()""",
                               timeout=30, what="the notebook's figure in the page")
        assert figures, figures
        tables = tab.evaluate("window.__panel.node.querySelectorAll('.jp-OutputArea-output table').length")
        assert tables >= 1  # the displayed frames render as HTML tables
        tab.evaluate("""(() => { const img = window.__panel.node.querySelector('.jp-OutputArea-output img');
                                 img.scrollIntoView(); return true; })()""")
        time.sleep(0.5)
        tab.screenshot(shots / "jupyterlab_notebook01.png")
    finally:
        if tab is not None:
            tab.close()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
