"""Lessons and teacher links in real headless Chromium, clicking what a student or teacher clicks."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import open_page, wait_for_idle, wait_until

from playground.teaching.lessons import LESSONS

pytestmark = pytest.mark.browser


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_a_student_does_a_whole_lesson(page, app_url):
    page.goto(f"{app_url}/lessons")
    # A cold, busy server can take a while for the first page. Wait for the whole list (the last
    # lesson's row) and the script to be done, then press Start in lesson 1's own row: once (CI,
    # load ~3) the bare first "Start" of a list still being drawn opened lesson 4 instead.
    starts = page.get_by_role("button", name="Start", exact=True)
    starts.nth(len(LESSONS) - 1).wait_for(timeout=90_000)
    wait_for_idle(page)
    row = page.locator("[data-testid=stHorizontalBlock]").filter(has_text=f"1. {LESSONS[0].title}")
    row.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("heading", name="A neuron is linear + activation").wait_for()
    assert wait_until(lambda: query(page).get("lesson") == "1"), page.url
    assert page.get_by_role("button", name="Play").count() == 0  # nothing runs before a prediction
    commit = page.get_by_role("button", name="Commit to this prediction")
    assert commit.is_disabled()
    page.get_by_text("(a) Yes. Its boundary is a straight line").click()
    wait_for_idle(page)
    commit.click()
    page.get_by_role("button", name="Play").click()
    assert page.locator("div.np-controls").count() == 1  # Play/Step/Reset travel on the live socket
    # the experiment plays to its end by itself, then the reveal appears
    page.get_by_role("heading", name="What your run shows").wait_for(timeout=120_000)
    wait_for_idle(page)
    assert page.get_by_text("Update 1,000 of 1,000").count() == 1
    reveal = page.locator("[data-testid=stMarkdownContainer]", has_text="After 1000 updates your neuron").inner_text()
    assert "classifies 100% of the four points" in reveal
    assert page.get_by_text("Your prediction (a) is what your run shows.").count() == 1
    assert wait_until(lambda: query(page).get("done") == "1" and query(page).get("picks") == "1a")
    link = page.get_by_role("link", name="Open this experiment in the Playground").get_attribute("href")
    assert "dataset=and_gate" in link and "hidden_sizes=" in link

    page.get_by_role("button", name="Learn XOR").click()  # try this: the run starts over
    page.get_by_text("Update 0 of 1,000").wait_for()
    page.get_by_role("button", name="Skip to the result").click()
    page.get_by_text("classifies only 50% of the points").wait_for(timeout=60_000)
    assert page.get_by_text("Your run shows something else than your prediction (a)").count() == 1

    # the address bar continues where the student left off
    other = page.context.browser.new_context(viewport={"width": 400, "height": 800}).new_page()
    other.set_default_timeout(20_000)
    open_page(other, f"{app_url}/lessons?{urlsplit(page.url).query}")
    other.get_by_text("Your prediction: (a)").wait_for()
    assert page.errors == [] and other.get_by_text("Traceback").count() == 0
    other.context.close()


def test_teacher_link_hides_a_control_and_shows_the_title(page, app_url):
    # The Playground's first load on a cold, busy server can take a while: wait longer for it.
    page.goto(f"{app_url}/?dataset=xor&activation=relu&hide=activation,initializer&lock=learning_rate"
              "&title=Why+XOR+needs+depth&question=What+does+the+hidden+layer+do%3F")
    wait_for_idle(page, timeout=90_000)
    sidebar = page.locator("[data-testid=stSidebar]")
    assert wait_until(lambda: sidebar.locator("input[aria-label='Dataset']").input_value() == "XOR", timeout=10)
    # Wait until the sidebar is drawn down to the network's settings (Weight seed is not hidden),
    # then the hidden controls must be absent, not merely not drawn yet.
    sidebar.get_by_text("Weight seed", exact=True).wait_for(timeout=30_000)
    assert sidebar.get_by_text("Weight seed", exact=True).count() == 1
    assert sidebar.get_by_text("Hidden activation", exact=True).count() == 0
    assert sidebar.get_by_text("Initializer", exact=True).count() == 0
    page.locator("h2.np-teacher-title", has_text="Why XOR needs depth").wait_for()
    assert page.get_by_text("What does the hidden layer do?").count() == 1
    assert page.locator("[data-testid=stHeading]", has_text="Neural Playground").count() == 0
    q = query(page)
    assert q["hide"] == "activation,initializer" and q["activation"] == "relu"
    assert page.errors == []
