"""The Playground in real headless Chromium: what a person clicking Play/Pause/Step would see."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from helpers import open_page, wait_for_idle, wait_until

pytestmark = pytest.mark.browser

COUNTER = "h3:has-text('update')"
SHOTS = Path(tempfile.gettempdir())  # screenshots to look at, outside the repository


def update_number(page) -> int:
    text = page.locator(COUNTER).first.inner_text()
    return int(re.search(r"update ([\d,]+)", text).group(1).replace(",", ""))


def metric_value(page, label: str) -> str:
    """A metric's value, drawn by the live socket's element or (rerun loop) by st.metric."""
    live = page.locator(f"div.np-metric[data-label='{label}'] .np-metric-value")
    if live.count():
        return live.first.inner_text()
    metric = page.locator("[data-testid=stMetric]", has_text=label)
    return metric.locator("[data-testid=stMetricValue]").inner_text()


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


DRAW_ORDER_JS = """() => {
  window.__drawOrder = [];
  new MutationObserver((records) => {
    for (const r of records) {
      const key = r.target.closest('[data-key]')?.dataset.key;
      if (r.target.matches('div.np-live-chart') && key && !window.__drawOrder.includes(key)) window.__drawOrder.push(key);
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
}"""


def test_the_boundary_is_drawn_before_the_other_charts(page, app_url):
    """Opening the page, the decision boundary (live_chart(first=True)) is on the screen before
    the cost, gradient and network charts (``after=``), whatever order the browser mounts them in."""
    page.add_init_script(DRAW_ORDER_JS.join(["(", ")()"]))
    open_page(page, app_url)
    assert wait_until(lambda: len(page.evaluate("window.__drawOrder")) >= 4)
    order = page.evaluate("window.__drawOrder")
    assert order[0] == "pg.boundary", order


def stream(page):
    """The live socket's element (counter and metrics; the step it shows, whether it plays)."""
    return page.locator("div.np-stream")


def test_the_page_streams_over_the_live_socket(page, app_url):
    """`streamlit run app.py` serves st.App: the page connects its socket instead of rerunning."""
    open_page(page, app_url)
    assert wait_until(lambda: stream(page).get_attribute("data-connected") == "1", timeout=30)
    assert stream(page).locator("h3").inner_text() == "Epoch 0 · update 0"


def test_play_moves_frames_pause_stops_step_adds_one_reset_returns_to_zero(page, app_url):
    open_page(page, app_url)
    assert wait_until(lambda: boundary_revision(page) == "0", timeout=30)
    assert wait_until(lambda: stream(page).get_attribute("data-connected") == "1", timeout=30)
    page.get_by_role("button", name="Play").click()
    assert wait_until(lambda: update_number(page) > 0, timeout=30), "Play should start training"
    first, first_revision = update_number(page), boundary_revision(page)
    assert wait_until(lambda: update_number(page) > first and boundary_revision(page) != first_revision,
                      timeout=30), "the counter and the boundary keep moving while playing"
    page.screenshot(path=str(SHOTS / "playing.png"))

    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=20_000)
    assert wait_until(lambda: stream(page).get_attribute("data-playing") == "", timeout=20)
    stopped = update_number(page)
    assert boundary_revision(page) == str(stopped), "the boundary shows the step the counter shows"
    # Nothing moves after Pause: one Step lands exactly one update later.
    page.get_by_role("button", name="Step").click()
    assert wait_until(lambda: update_number(page) == stopped + 1, timeout=20), (update_number(page), stopped)
    assert wait_until(lambda: boundary_revision(page) == str(stopped + 1), timeout=20)
    wait_for_idle(page)
    assert update_number(page) == stopped + 1

    page.get_by_role("button", name="Reset").click()
    assert wait_until(lambda: update_number(page) == 0, timeout=20)
    assert wait_until(lambda: boundary_revision(page) == "0", timeout=20)
    page.screenshot(path=str(SHOTS / "reset.png"))
    assert page.errors == []


def _train_cost_after_steps(page, url: str, steps: int) -> str:
    open_page(page, url)
    for expected in range(1, steps + 1):
        page.get_by_role("button", name="Step").click()
        assert wait_until(lambda n=expected: update_number(page) == n)
    wait_for_idle(page)
    return metric_value(page, "train cost")


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
    assert "Learning rate α" in notice and "banana" in notice
    assert update_number(page) == 0
    assert page.errors == []
