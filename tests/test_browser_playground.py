"""The Playground in real headless Chromium: what a person clicking Play/Pause/Step would see."""

from __future__ import annotations

import re

import pytest
from conftest import open_page, wait_for_idle, wait_until

pytestmark = pytest.mark.browser

COUNTER = "h3:has-text('update')"


def update_number(page) -> int:
    text = page.locator(COUNTER).first.inner_text()
    return int(re.search(r"update ([\d,]+)", text).group(1).replace(",", ""))


def boundary_revision(page) -> str:
    return page.locator("div.np-live-chart").first.get_attribute("data-drawn") or ""



def test_page_loads_and_draws_every_view(page, app_url):
    open_page(page, app_url)
    assert update_number(page) == 0
    assert wait_until(lambda: page.locator("div.np-live-chart[data-drawn]").count() >= 4), \
        "boundary, cost, gradient and network charts should all be drawn"
    assert page.locator("div.np-live-chart .main-svg").count() >= 4
    for title in ("Decision boundary", "Cost and accuracy", "Gradient magnitude", "Network"):
        assert page.get_by_text(title).count() >= 1, title
    assert page.errors == []
    assert page.get_by_text("Traceback").count() == 0


def test_play_changes_counter_and_boundary_and_pause_stops_them(page, app_url):
    open_page(page, app_url)
    wait_until(lambda: boundary_revision(page) == "0")
    page.get_by_role("button", name="Play").click()
    assert wait_until(lambda: update_number(page) > 0), "Play should start training"
    first, first_revision = update_number(page), boundary_revision(page)
    assert wait_until(lambda: update_number(page) > first and boundary_revision(page) != first_revision)

    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=5000)
    page.wait_for_timeout(500)
    stopped, stopped_revision = update_number(page), boundary_revision(page)
    page.wait_for_timeout(1500)
    assert update_number(page) == stopped, "training must stop within half a second of Pause"
    assert boundary_revision(page) == stopped_revision
    assert page.errors == []


def test_step_adds_one_update(page, app_url):
    open_page(page, app_url)
    before = update_number(page)
    page.get_by_role("button", name="Step").click()
    wait_for_idle(page)
    assert wait_until(lambda: update_number(page) == before + 1)
    page.get_by_role("button", name="Step").click()
    assert wait_until(lambda: update_number(page) == before + 2)


def _train_cost_after_steps(page, url: str, steps: int) -> str:
    open_page(page, url)
    for expected in range(1, steps + 1):
        page.get_by_role("button", name="Step").click()
        assert wait_until(lambda n=expected: update_number(page) == n)
    wait_for_idle(page)
    metric = page.locator("[data-testid=stMetric]", has_text="train cost")
    return metric.locator("[data-testid=stMetricValue]").inner_text()


def test_shared_link_reproduces_settings_and_trajectory(page, browser, app_url):
    link = (f"{app_url}/?dataset=moons&hidden_sizes=6,3&activation=relu&initializer=he"
            f"&weight_seed=5&optimizer=momentum&learning_rate=0.1&batch_size=32&data_seed=2")
    cost = _train_cost_after_steps(page, link, 3)

    other = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    other.set_default_timeout(20_000)
    open_page(other, other_url := page.url)  # the address bar after the run is the share link
    assert "dataset=moons" in other_url and ("hidden_sizes=6%2C3" in other_url or "hidden_sizes=6,3" in other_url)
    sidebar = other.locator("[data-testid=stSidebar]")
    # Widget values arrive just after the first paint: wait for them rather than race them.
    assert wait_until(lambda: sidebar.locator("input[aria-label='Dataset']").input_value() == "Moons", timeout=10)
    assert wait_until(lambda: sidebar.locator("input[aria-label='Hidden layer widths']").input_value() == "6,3",
                      timeout=10), other_url
    assert _train_cost_after_steps(other, other_url, 3) == cost
    assert re.fullmatch(r"\d+\.\d{6}", cost), cost  # compared to 6 decimals
    other.context.close()


def test_bad_link_falls_back_with_a_notice(page, app_url):
    open_page(page, f"{app_url}/?learning_rate=banana&hidden_sizes=4")
    notice = page.locator("[data-testid=stAlert]", has_text="could not be used").inner_text()
    assert "learning_rate" in notice
    assert update_number(page) == 0
    assert page.errors == []
