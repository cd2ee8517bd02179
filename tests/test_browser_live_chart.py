"""Live charts (``playground/ui/live_chart.js``) in headless Chromium against ``streamlit run app.py``:
a chart below the screen is drawn after the ones on it, when the browser is idle or when it
comes near the screen."""

from __future__ import annotations

import pytest
from helpers import open_page, wait_for_idle

pytestmark = pytest.mark.browser

CHART = "div.np-live-box[data-key='{}'] div.np-live-chart"
TOP, BOTTOM = "activations.figure.sigmoid", "activations.figure.bn"  # first and last of the page's eight


def drawn(page, key: str):
    return page.locator(CHART.format(key) + "[data-drawn] .main-svg").first


def test_a_chart_below_the_screen_is_drawn_when_it_comes_near_it(page, app_url):
    page.add_init_script("window.__npIdle = () => 0;")  # a browser that is never idle
    open_page(page, app_url)  # (the router is known from the front page on: see test_browser_perceptron)
    open_page(page, f"{app_url}/activations")
    drawn(page, TOP).wait_for(state="attached")
    wait_for_idle(page)
    below = page.locator(CHART.format(BOTTOM))
    below.wait_for(state="attached")
    assert below.evaluate("(d) => d.getBoundingClientRect().top") > 2 * 800  # far below the 800 px window
    assert drawn(page, BOTTOM).count() == 0  # never idle, never near the screen: not drawn yet
    below.scroll_into_view_if_needed()
    drawn(page, BOTTOM).wait_for(state="attached")
    assert not page.errors


def test_every_chart_is_drawn_without_scrolling(page, app_url):
    open_page(page, app_url)
    open_page(page, f"{app_url}/activations")
    charts = page.locator("div.np-live-chart")
    charts.nth(7).wait_for(state="attached")
    page.wait_for_function("() => [...document.querySelectorAll('div.np-live-chart')].every("
                           "(d) => d.hasAttribute('data-drawn') && d.querySelector('.main-svg'))")
    assert charts.count() == 8 and page.evaluate("() => scrollY") == 0
    assert not page.errors
