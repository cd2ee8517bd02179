"""Helpers the tests share: a real ``streamlit run`` server on a free port, waiting for a
condition (never a fixed sleep), opening a page in Chromium, and an AppTest of the whole app.

Test modules import these from here; ``conftest.py`` holds only the pytest fixtures.
"""

from __future__ import annotations

import base64
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
    page.goto(url)
    wait_for_idle(page)
    page.wait_for_selector("[data-testid=stMainBlockContainer]")


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
