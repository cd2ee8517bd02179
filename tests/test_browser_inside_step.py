"""Browser: walk every stage of "Inside a step" in headless Chromium; the maths must typeset."""

from __future__ import annotations

import re

import pytest
from helpers import open_page, wait_for_idle
from playwright.sync_api import expect

from playground.ui import html_table

pytestmark = pytest.mark.browser


def dismiss_page_not_found(page) -> None:
    """Streamlit 1.67 shows a "Page not found" dialog over the right page when the very first
    request after a server start is a deep link (streamlit/streamlit#9992); close it."""
    dialog = page.get_by_role("dialog").filter(has_text="Page not found")
    if dialog.count():
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")


def test_walks_all_stages_without_an_error_and_katex_renders(app_url, page):
    open_page(page, app_url)  # a first visit to the root keeps the deep link below clean
    open_page(page, f"{app_url}/inside_step")
    dismiss_page_not_found(page)
    stage = page.get_by_role("combobox", name="Stage")  # the selector shows "k of n · title"
    expect(stage).to_have_value(re.compile(r"^1 of \d+ ·"))  # values arrive just after the first paint
    total = int(re.match(r"1 of (\d+) ·", stage.input_value()).group(1))
    assert total == 13
    next_button = page.get_by_role("button", name="Next ▶")
    seen = []
    for k in range(1, total + 1):
        expect(stage).to_have_value(re.compile(rf"^{k} of {total} ·"))
        wait_for_idle(page)
        page.locator("div.np-live-chart[data-drawn] .main-svg").first.wait_for()
        assert page.locator("[data-testid=stException]").count() == 0
        assert page.locator("[data-testid=stMain] .katex").count() >= 2  # stage formula + gradient check
        assert page.locator(".katex-error").count() == 0
        seen.append(page.locator("[data-testid=stMain] h3").first.inner_text())
        if k == 2:  # Z[1] = W[1] A[0] + b[1]: small heatmaps side by side, each as wide as its matrix
            boxes = [b for b in (c.bounding_box() for c in page.locator("div.np-live-box").all()) if b and b["width"]]
            assert boxes and all(box["width"] < 300 for box in boxes), boxes
            assert len({round(box["y"] + box["height"] / 2) for box in boxes[:4]}) == 1, boxes  # one row, centred
        if k < total:
            next_button.click()
    assert next_button.is_disabled()
    assert seen[0].endswith("Input: A[0] = X") and seen[-1].endswith("Update layer 2")
    assert len(set(seen)) == total
    # The gradient check table is there and green for the engine's own backprop.
    assert page.get_by_text("Backprop agrees with the numerical gradient").count() == 1
    rows = page.locator(f"[data-testid=stMarkdown] table.{html_table.CLASS} tbody tr")
    assert rows.count() == 4 and rows.first.locator("td").first.inner_text() == "W[1]"
    # Neither st.table nor st.code on the page: their element code would load on opening it.
    assert page.locator("[data-testid=stTable], [data-testid=stCode]").count() == 0
    assert page.errors == []
