"""Shared fixtures: a real ``streamlit run`` server and headless Debian Chromium via Playwright.

Browser tests are marked ``browser``. Without /usr/bin/chromium they are skipped locally, but
under CI (CI=true) a missing browser is an error, so CI cannot pass by skipping them.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, start_streamlit


@pytest.fixture(scope="session")
def app_url():
    proc, url = start_streamlit()
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must apt-get install chromium")
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh 1280×800 page; console errors are collected in ``page.errors``."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.set_default_timeout(20_000)
    yield pg
    context.close()
