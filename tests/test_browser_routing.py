"""Deep links work on a freshly started server (see playground/ui/routing.py)."""

from __future__ import annotations

import pytest
from helpers import open_page, start_streamlit, wait_until

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/perceptron?gate=XOR", "/?dataset=moons", "/gradients", "/inside_step"])
def test_first_visit_by_deep_link_is_routed_by_app_py(browser, path):
    proc, url = start_streamlit()  # a cold server: nobody has opened "/" yet
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        open_page(page, url + path)
        # The first run may be the old-style one; the router's rerun follows within moments.
        nav = wait_until(lambda: (lambda text: text if "Gradients lab" in text else None)(
            page.locator("[data-testid=stSidebarNav]").inner_text()), timeout=15) or \
            page.locator("[data-testid=stSidebarNav]").inner_text()
        assert "Perceptron & logic gates" in nav and "Gradients lab" in nav, nav
        assert "app" not in nav.split()  # not the file-name list of an old-style pages/ app
        assert page.locator("[role=dialog]", has_text="Page not found").count() == 0
        page.close()
    finally:
        proc.terminate()
        proc.wait(10)
