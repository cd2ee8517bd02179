"""The Gradients lab in real headless Chromium: presets change the diagnosis a person reads."""

from __future__ import annotations

import pytest
from helpers import open_page, wait_for_idle, wait_until

pytestmark = pytest.mark.browser

DIAGNOSIS = "[data-testid=stAlert]"



def diagnosis_text(page) -> str:
    return " ".join(page.locator(DIAGNOSIS).all_inner_texts())


def choose_preset(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    wait_for_idle(page)


def test_vanishing_preset_then_relu_he_changes_the_diagnosis(page, app_url):
    open_page(page, f"{app_url}/gradients")
    choose_preset(page, "10-layer sigmoid (vanishing)")
    # Waits, not reads: on a busy machine the rerun may still be replacing the diagnosis.
    assert wait_until(lambda: "Vanishing gradients" in diagnosis_text(page), timeout=40)
    assert wait_until(lambda: "layer 1 receives 10⁻⁷ of the gradient of layer 11" in diagnosis_text(page)), \
        diagnosis_text(page)
    assert "Try: ReLU with He initialization" in diagnosis_text(page)
    assert wait_until(lambda: page.locator("div.np-live-chart[data-drawn]").count() >= 4), \
        "profile, heatmap, activations and cost charts should all be drawn"
    for title in ("Gradient size per layer", "Which layers learn", "What each layer outputs", "Cost and accuracy"):
        assert page.get_by_text(title).count() >= 1, title

    choose_preset(page, "ReLU + He (healthy)")
    assert wait_until(lambda: "Healthy: gradients reach every layer" in diagnosis_text(page), timeout=40)
    # the previous run's diagnosis may still be on the page until the rerun ends (stale element)
    assert wait_until(lambda: "Vanishing" not in diagnosis_text(page))
    assert "activation=relu" in page.url and "initializer=he" in page.url
    assert page.errors == []
    assert page.get_by_text("Traceback").count() == 0


def test_play_trains_over_the_live_socket_pause_stops_and_step_adds_one(page, app_url):
    open_page(page, f"{app_url}/gradients?activation=relu&initializer=he")
    stream = page.locator("div.np-stream")
    assert wait_until(lambda: stream.get_attribute("data-connected") == "1", timeout=30)
    counter = page.locator("h3:has-text('Update')").first

    def update() -> int:
        return int(counter.inner_text().split(" · ")[0].removeprefix("Update ").replace(",", ""))

    page.get_by_role("button", name="Play").click()
    assert wait_until(lambda: update() > 0, timeout=30)
    first = update()
    assert wait_until(lambda: update() > first, timeout=30), "the counter keeps moving while playing"
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=20_000)
    assert wait_until(lambda: stream.get_attribute("data-playing") == "", timeout=20)
    stopped = update()
    page.get_by_role("button", name="Step").click()  # nothing moved after Pause: one Step is one update
    assert wait_until(lambda: update() == stopped + 1, timeout=20), (update(), stopped)
    assert page.errors == []
