"""Helpers the tests share: a real ``streamlit run`` server on a free port, waiting for a
condition (never a fixed sleep), opening a page in Chromium, and an AppTest of the whole app.

Test modules import these from here; ``conftest.py`` holds only the pytest fixtures.
"""

from __future__ import annotations

import base64
import html.parser
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(port: int | None = None) -> tuple[subprocess.Popen, str]:
    """Start the app headless on 127.0.0.1 and wait until /_stcore/health answers."""
    port = port or free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    # The log goes to a file, not a pipe: an unread pipe fills up and blocks a chatty server.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError("streamlit exited:\n" + log.read().decode(errors="replace"))
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy within 60 s")


def make_app(page: str | None = None, timeout: float = 60, **query):
    """AppTest of the whole app (router included) on ``page`` (default: the Playground),
    opened with ``query`` in the link, run once and checked for exceptions."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def wait_until(predicate, timeout: float = 20.0, interval: float = 0.1):
    """Poll ``predicate`` until it returns something other than None/False, and return that
    (None if ``timeout`` seconds pass first)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value is not None and value is not False:
            return value
        time.sleep(interval)
    return None


def wait_for_idle(page, timeout: float = 20_000) -> None:
    """Wait until Streamlit has finished running the script (DESIGN.md)."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)


def open_page(page, url: str) -> None:
    """Open ``url`` and wait until its script has run. (Before the script starts, Streamlit's state
    is "notRunning" too, with nothing on the page: wait for its first element first.)"""
    page.goto(url)
    page.wait_for_selector("[data-testid=stMainBlockContainer] [data-testid=stElementContainer]", state="attached")
    wait_for_idle(page)


def live_figures(at) -> dict[str, dict]:
    """The figures an AppTest run drew with ``live_chart``, by key (Plotly JSON as dicts)."""
    figures = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name == "neural_playground.live_chart":
            data = json.loads(element.proto.json)
            figures[data["key"]] = json.loads(data["figure"])
    return figures


def figure_array(value):
    """A trace's array from a figure's JSON: a plain list, or Plotly's binary form (dtype, bdata, shape)."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        return array.reshape([int(n) for n in str(shape).split(",")]) if shape else array
    return np.asarray(value)


class _TableReader(html.parser.HTMLParser):
    """Every <table> in a piece of HTML: header cells, then rows of (cell texts, row style)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"class": attrs.get("class", ""), "header": [], "rows": []})
        elif tag == "tr":
            self._row = {"cells": [], "style": attrs.get("style") or "", "head": False}
        elif tag in ("td", "th"):
            self._cell = []
            self._row["head"] |= tag == "th"

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._row["cells"].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr":
            table = self.tables[-1]
            if self._row["head"] and not table["header"]:
                table["header"] = self._row["cells"]
            else:
                table["rows"].append(self._row)
            self._row = None


def read_html_tables(text: str) -> list[dict]:
    """The tables in ``text``: {"class", "header": [...], "rows": [{"cells": [...], "style": css}]}."""
    reader = _TableReader()
    reader.feed(text)
    reader.close()
    return reader.tables


def html_tables(at) -> list[list[dict[str, str]]]:
    """The pages's HTML tables (``playground.ui.html_table``) in an AppTest run, in page order,
    each as a list of {column header: cell text}, with the row's CSS under the key "style"."""
    tables = []
    for element in at.markdown:
        for table in read_html_tables(element.value):
            if "np-table" in table["class"].split():
                tables.append([{**dict(zip(table["header"], row["cells"], strict=True)), "style": row["style"]}
                               for row in table["rows"]])
    return tables
