"""deploy/: several app processes behind nginx with sticky sessions (marker ``deploy``).

Starts two ``streamlit run app.py`` processes and nginx with the configuration
``deploy/run_local.py`` generates, then talks to the app through the proxy the way a browser
does (Streamlit's websocket protocol, ``playground.bench.classroom``'s viewer). Without nginx the
tests are skipped locally; under CI (CI=true) a missing nginx is an error.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from playground.bench import classroom

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 90.0


def _load_run_local():
    spec = importlib.util.spec_from_file_location("run_local", ROOT / "deploy" / "run_local.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_local"] = module
    spec.loader.exec_module(module)
    return module


run_local = _load_run_local()


def _require_nginx() -> None:
    if shutil.which(run_local.NGINX) is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed; .ci/run installs it (apt-get install nginx)")
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")


@pytest.fixture(scope="module")
def cluster():
    _require_nginx()
    with run_local.Cluster(processes=2) as cluster:
        yield cluster


def visit(url: str, cookie: str = "") -> tuple[str, str]:
    """GET the page like a browser: (the app process that answered, the route cookie to send)."""
    request = urllib.request.Request(url + "/", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        set_cookie = response.headers.get("Set-Cookie")
        backend = response.headers.get(run_local.BACKEND_HEADER)
    if set_cookie:
        assert not cookie, "a browser that sends the route cookie must not get a new one"
        cookie = set_cookie.split(";")[0]
    assert cookie.startswith(run_local.ROUTE_COOKIE + "=")
    return backend, cookie


def run(coroutine):
    """Run the viewers' coroutine on a fresh event loop in its own thread: after the browser tests,
    Playwright's sync API keeps an event loop running in the main thread, where asyncio.run fails."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(coroutine, TIMEOUT)).result()


def test_the_shipped_configuration_is_the_generated_one_and_valid(tmp_path):
    shipped = run_local.SHIPPED.read_text()
    assert shipped == run_local.render_site([f"127.0.0.1:{8501 + i}" for i in range(4)], "80")
    for words in ("hash $np_route consistent", "proxy_set_header Upgrade $http_upgrade",
                  "proxy_set_header Connection $np_connection_upgrade", "proxy_read_timeout 1d",
                  "proxy_set_header Host $http_host"):
        assert words in shipped, words
    _require_nginx()
    (tmp_path / "nginx.conf").write_text(run_local.render_main(tmp_path, shipped.replace("listen 80;", "listen 127.0.0.1:1;")))
    tmp_path.chmod(0o755)
    check = subprocess.run([run_local.NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                            "-e", str(tmp_path / "error.log")], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr


def test_a_viewer_stays_on_its_process_across_reruns_and_reconnects(cluster):
    backend, cookie = visit(cluster.url)
    assert backend in cluster.app_pids()
    for _ in range(5):
        assert visit(cluster.url, cookie)[0] == backend

    async def scenario():
        viewer = await classroom.open_viewer(cluster.url, cookie=cookie)
        try:
            # The websocket went through the proxy to the same process as the page's requests.
            assert viewer.handshake_headers.get(run_local.BACKEND_HEADER) == backend
            await viewer.play()  # a rerun
            await viewer.wait(lambda: viewer.update >= 20, TIMEOUT / 3, "training through the proxy")
            await viewer.pause()  # another rerun
            paused_at, session_id = viewer.update, viewer.session_id
        finally:
            await viewer.close()
        # The connection drops; the browser reconnects with its cookie and session id and finds
        # its session (settings, weights, update count) where it left it.
        again = await classroom.open_viewer(cluster.url, cookie=cookie, session_id=session_id)
        try:
            assert again.handshake_headers.get(run_local.BACKEND_HEADER) == backend
            assert again.session_id == session_id
            await again.wait(lambda: again.update == paused_at, 10, "the kept session's update count")
        finally:
            await again.close()

    run(scenario())


def test_two_viewers_on_different_processes_both_train(cluster):
    cookies: dict[str, str] = {}
    for _ in range(40):  # a fresh visitor lands on a random process: find one cookie for each
        backend, cookie = visit(cluster.url)
        cookies.setdefault(backend, cookie)
        if len(cookies) == 2:
            break
    assert set(cookies) == set(cluster.app_pids()), "fresh visitors should spread over both processes"
    cpu_before = {b: _cpu_seconds(pid) for b, pid in cluster.app_pids().items()}

    async def scenario():
        viewers = await asyncio.gather(*(classroom.open_viewer(cluster.url, cookie=c) for c in cookies.values()))
        try:
            for backend, viewer in zip(cookies, viewers):
                assert viewer.handshake_headers.get(run_local.BACKEND_HEADER) == backend
            await asyncio.gather(*(v.play() for v in viewers))
            starts = [v.update for v in viewers]
            await asyncio.gather(*(v.wait(lambda v=v, s=s: v.update >= s + 20, TIMEOUT / 3, "training")
                                   for v, s in zip(viewers, starts)))
            assert len({v.session_id for v in viewers}) == 2
        finally:
            await asyncio.gather(*(v.close() for v in viewers), return_exceptions=True)

    run(scenario())
    # Both processes did the work of their own viewer.
    for backend, pid in cluster.app_pids().items():
        assert _cpu_seconds(pid) > cpu_before[backend], backend


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
