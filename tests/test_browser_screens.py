"""The screenshot tour's checks in CI (the full tour: ``python -m playground.bench --screens``).

Each case opens a page at a screen size in real headless Chromium, waits until every chart is
drawn, saves a screenshot under ``screenshots/`` (ignored by git) and asserts what a student at
the back of the room or on a phone needs: nothing wider than the screen, no two labels of a
chart on top of each other, no chart text cut off; in presentation mode the boundary fills
≥ 45 % of a 1280×720 projector with chart text ≥ 16 px (the Gradients lab: its gradient profile
and layer picture side by side, whole on the first screen); on a phone Play and the boundary are
on screen together; the Presentation switch reads whole beside Play (Digits, 1280×720).
"""

from __future__ import annotations

import pytest
from helpers import ROOT

from playground.bench.screens import open_and_check, problems

pytestmark = pytest.mark.browser

SHOTS = ROOT / "screenshots" / "ci"
CASES = [  # (page path, width, height, presentation)
    ("", 1280, 720, True),
    ("", 1920, 1080, True),
    ("gradients", 1280, 720, True),
    ("", 400, 800, False),
    ("", 1920, 1080, False),
    ("activations", 400, 800, False),
    ("inside_step", 400, 800, False),
    ("digits", 1280, 720, False),
]


def _open(browser, app_url: str, path: str, width: int, height: int, present: bool):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    finding = open_and_check(page, f"{app_url}/{path}" + ("?present=1" if present else ""))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path or 'playground'}-{width}x{height}{'-present' if present else ''}.png"))
    return context, page, finding


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def _presentation_fills_the_wall(page, width: int, height: int) -> None:
    boundary = _box(page, ".st-key-np-boundary div.np-live-box")
    assert boundary["width"] * boundary["height"] >= 0.45 * width * height, boundary
    assert boundary["y"] + boundary["height"] <= height  # all of it on the screen
    charts = page.locator("div.np-live-box").all()  # boundary, cost, gradients, network
    for chart in charts[1:3]:  # cost and gradients stand beside the boundary
        box = chart.bounding_box()
        assert box["x"] >= boundary["x"] + boundary["width"] - 1, box


def _right_column_fills_the_boundary_height(page, height: int) -> None:
    """No empty band under the cost and gradient charts (there was a third of a 1080 px column)."""
    boundary = _box(page, ".st-key-np-boundary div.np-live-box")
    gradients = page.locator("div.np-live-box").all()[2].bounding_box()
    bottom = gradients["y"] + gradients["height"]
    assert boundary["y"] + boundary["height"] - 24 <= bottom <= height, (gradients, boundary)


def _gradients_lab_shows_its_first_charts_whole(page, height: int) -> None:
    profile, heatmap = (_box(page, f"div.np-live-box[data-key='gradients.{key}']") for key in ("profile", "heatmap"))
    assert profile["y"] == heatmap["y"] and heatmap["x"] >= profile["x"] + profile["width"] - 1
    assert profile["y"] + profile["height"] <= height, profile


def _phone_shows_play_and_the_boundary(page) -> None:
    play = page.get_by_role("button", name="Play").bounding_box()
    boundary = _box(page, ".st-key-np-boundary div.np-live-box")
    assert 0 <= play["y"] and play["y"] + play["height"] <= 800
    visible = min(boundary["y"] + boundary["height"], 800) - boundary["y"]
    assert visible >= 0.6 * boundary["height"], (play, boundary)


def _presentation_switch_reads_whole(page) -> None:
    """The switch beside the transport row says "Presentation" on one line (it was "Presentati /
    on" at 1280 px with the sidebar open), in the row of the Play button."""
    label = page.locator(".st-key-np-present-switch [data-testid=stWidgetLabel] p").first
    height = label.evaluate("(p) => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight)")
    assert label.inner_text() == "Presentation" and height < 1.5, height
    play = page.get_by_role("button", name="Play").bounding_box()
    switch = _box(page, ".st-key-np-present-switch")
    assert switch["x"] > play["x"] + play["width"] and abs((switch["y"] + switch["height"] / 2)
                                                           - (play["y"] + play["height"] / 2)) < play["height"], (play, switch)


@pytest.mark.parametrize(("path", "width", "height", "present"), CASES,
                         ids=[f"{p or 'playground'}-{w}x{h}{'-present' if pr else ''}" for p, w, h, pr in CASES])
def test_page_fits_the_screen_and_no_chart_labels_collide(browser, app_url, path, width, height, present):
    context, page, finding = _open(browser, app_url, path, width, height, present)
    try:
        assert finding["scrollWidth"] <= width, finding
        assert problems(finding) == {}, problems(finding)
        if present:
            assert finding["smallest"]["size"] >= 16, finding["smallest"]
        if present and path == "":
            _presentation_fills_the_wall(page, width, height)
            _right_column_fills_the_boundary_height(page, height)
        if present and path == "gradients":
            _gradients_lab_shows_its_first_charts_whole(page, height)
        if path == "" and width == 400:
            _phone_shows_play_and_the_boundary(page)
        if path == "digits" and not present:
            _presentation_switch_reads_whole(page)
    finally:
        context.close()
