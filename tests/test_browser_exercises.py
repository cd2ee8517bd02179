"""In headless Chromium: a student opens "Exercises from the notes" on the Playground, clicks an
exercise on another page, lands there set up for it; then draws the Digits feature maps."""

from __future__ import annotations

import pytest
from helpers import open_page, wait_for_idle

pytestmark = pytest.mark.browser


def test_an_exercise_button_sets_up_its_page_and_goes_there_and_the_feature_maps_draw(page, app_url):
    open_page(page, app_url + "/")
    page.get_by_text("Exercises from the notes").first.click()
    page.get_by_role("button", name="All 10 digits").click()
    page.wait_for_url("**/digits**")
    wait_for_idle(page)
    page.get_by_role("heading", name="Handwritten digits").wait_for()
    assert page.get_by_role("radio", name="all 10 digits").is_checked()
    page.wait_for_function("() => new URLSearchParams(location.search).get('dataset') === 'digits10'")

    page.get_by_role("button", name="Draw the maps").click()
    page.get_by_text("nearest neighbour shows the same digit").wait_for(timeout=60_000)
    wait_for_idle(page)
    page.locator(".gtitle").filter(has_text="Before training: layer 1, PCA").first.wait_for()
    page.locator(".gtitle").filter(has_text="After 0 updates: layer 1, PCA").first.wait_for()
    assert not page.errors
