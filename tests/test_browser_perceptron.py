"""The Perceptron page in headless Chromium against a real ``streamlit run app.py``."""

from __future__ import annotations

import re

import pytest
from helpers import open_page, wait_for_idle, wait_until

from playground.ui import html_table

pytestmark = pytest.mark.browser

NOR_PRESET = "NOR (0.5, −1, −1)"


@pytest.fixture
def perceptron(page, app_url):
    """Open the app's front page once, then the Perceptron page.

    On a freshly started server, Streamlit 1.67 serves a first deep link from the legacy
    ``pages/`` folder without running ``app.py`` (streamlit/streamlit#9624); opening the entry
    point first makes the router known, as it is for every later visitor.
    """
    open_page(page, app_url)

    def go(query: str = ""):
        open_page(page, f"{app_url}/perceptron{query}")
        page.get_by_role("heading", name="1. Pick a gate").wait_for()
        return page

    return go


def click(page, label: str, shows: str | re.Pattern) -> None:
    """Click a button and wait until the page shows what the click leads to, then for the rerun
    to finish (waiting for idle alone can see the page before the click reached the server)."""
    page.get_by_role("button", name=label, exact=True).click()
    page.get_by_text(shows).first.wait_for()
    wait_for_idle(page)


def table_rows(page, index: int = 0) -> list[dict[str, str]]:
    """The index-th table on the page (plain HTML, ``html_table``) as a list of {column header: cell text}."""
    table = page.locator(f"[data-testid=stMarkdown] table.{html_table.CLASS}").nth(index)
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    rows = []
    for row in table.locator("tbody tr").all():
        cells = [c.strip() for c in row.locator("td, th").all_inner_texts()]
        rows.append(dict(zip(headers[-len(cells):], cells)))
    return rows


def test_nor_preset_truth_table_is_read_off_the_page(perceptron):
    page = perceptron()
    click(page, NOR_PRESET, re.compile("These weights compute: NOR"))
    rows = table_rows(page)
    assert [(r["x1"], r["x2"]) for r in rows] == [("0", "0"), ("0", "1"), ("1", "0"), ("1", "1")]
    assert [r["output"] for r in rows] == ["1", "0", "0", "0"]
    assert rows[0]["s = w0 + w1·x1 + w2·x2"] == "0.5 + (-1)·0 + (-1)·0 = 0.5"
    # Plain HTML, styled as written: no st.table (its Arrow code loads on opening the page), right rows green.
    assert page.locator("[data-testid=stTable]").count() == 0
    first = page.locator(f"table.{html_table.CLASS}").first
    assert float(first.locator("td").first.evaluate("c => getComputedStyle(c).fontSize")[:-2]) >= 14
    colours = [r.evaluate("r => getComputedStyle(r).backgroundColor") for r in first.locator("tbody tr").all()]
    green, red = "rgb(235, 251, 238)", "rgb(255, 245, 245)"
    assert colours == [green if r["right?"] == "✓" else red for r in rows] and len(set(colours)) == 2  # AND's target
    assert "w0=0.5" in page.url and "w1=-1" in page.url
    assert not page.errors


def test_rule_on_xor_never_converges(perceptron):
    page = perceptron("?gate=XOR")
    click(page, "Run to convergence", re.compile("Never converges"))
    message = page.get_by_text(re.compile("Never converges"))
    assert "No line separates this table" in message.inner_text()
    assert page.get_by_role("button", name="Next example").is_disabled()
    assert not page.errors


def test_state_survives_a_trip_to_another_page(perceptron):
    page = perceptron("?gate=NOR")
    click(page, NOR_PRESET, re.compile("These weights compute: NOR"))
    page.get_by_role("link", name="Gradients lab").click()
    page.wait_for_url(re.compile(r"/gradients"))
    wait_for_idle(page)
    page.get_by_role("link", name="Perceptron & logic gates").click()
    page.wait_for_url(re.compile(r"/perceptron"))
    wait_for_idle(page)
    page.get_by_text(re.compile("These weights compute: NOR")).wait_for()
    assert [r["right?"] for r in table_rows(page)] == ["✓"] * 4
    assert "gate=NOR" in page.url and "w0=0.5" in page.url


def _fix_step(page) -> int:
    text = page.get_by_text(re.compile(r"^Step [\d,]+ ·")).first.inner_text()
    return int(re.match(r"Step ([\d,]+)", text).group(1).replace(",", ""))


def test_play_trains_live_and_pause_lands(perceptron):
    page = perceptron("?gate=XOR&net=2-2-1&net_act=sigmoid&net_seed=1")
    assert _fix_step(page) == 0
    page.get_by_role("button", name="▶ Play", exact=True).click()
    assert wait_until(lambda: _fix_step(page) >= 100, timeout=15)
    page.get_by_role("button", name="Pause", exact=True).click()
    page.get_by_role("button", name="▶ Play", exact=True).and_(page.locator(":enabled")).wait_for(timeout=5000)
    wait_for_idle(page)
    paused_at = _fix_step(page)
    # Paused, nothing trains: Step ×100 adds exactly 100 updates, and the page settles there.
    page.get_by_role("button", name="Step ×100", exact=True).click()
    assert wait_until(lambda: _fix_step(page) == paused_at + 100)
    wait_for_idle(page)
    assert _fix_step(page) == paused_at + 100, "nothing may train after Pause"
    assert not page.errors
