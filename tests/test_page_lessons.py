"""AppTest: the Lessons page — the list, each lesson's predict → run → reveal path, progress in
the URL, try-this variations and bad links (fragments run inline: one tick per ``at.run()``)."""

from __future__ import annotations

import helpers
import pytest
from streamlit.testing.v1 import AppTest

from playground.teaching.lessons import LESSONS, lesson_by_number, measure, reveal_text

PAGE = "pages/lessons.py"


def make_app(**query) -> AppTest:
    return helpers.make_app(PAGE, timeout=120, **query)


def param(at: AppTest, name: str):
    value = at.query_params.get(name)
    return value[-1] if isinstance(value, list) else value


def run_to_the_end(at: AppTest) -> None:
    """Click "Skip to the result" until the experiment is complete (each click trains ≤ 2 s)."""
    for _ in range(30):
        if at.session_state["lessons.run"].finished:
            at.run()
            return
        at.button(key="lessons.finish").click().run()
        assert not at.exception, [e.value for e in at.exception]
    raise AssertionError("the experiment did not finish")


def texts(at: AppTest) -> str:
    return " ".join(m.value for m in [*at.markdown, *at.success, *at.info, *at.warning])


def test_list_shows_every_lesson_in_order():
    at = make_app()
    assert at.title[0].value == "Lessons"
    content = texts(at)
    positions = [content.index(f"**{lesson.number}. {lesson.title}**") for lesson in LESSONS]
    assert positions == sorted(positions) and len(positions) >= 12
    at.button(key="lessons.open3").click().run()
    assert at.header[0].value == lesson_by_number(3).title
    assert param(at, "lesson") == "3"


def test_nothing_runs_until_a_prediction_is_committed():
    at = make_app(lesson="4")
    assert "lessons.run" not in at.session_state
    assert at.button(key="lessons.commit").disabled  # no prediction chosen yet
    assert not [b for b in at.button if b.key == "lessons.play_button"]
    at.radio[0].set_value("c").run()
    at.button(key="lessons.commit").click().run()
    assert param(at, "picks") == "4c"
    assert at.session_state["lessons.run"].step == 0  # ready, not trained
    at.button(key="lessons.play_button").click().run()  # one tick
    assert at.session_state["lessons.run"].step > 0


@pytest.mark.parametrize("number", [lesson.number for lesson in LESSONS])
def test_predict_run_reveal(number):
    lesson = lesson_by_number(number)
    at = make_app(lesson=str(number))
    assert at.header[0].value == lesson.title
    at.radio[0].set_value(lesson.predictions[0].key).run()
    at.button(key="lessons.commit").click().run()
    assert not [s for s in at.subheader if s.value == "What your run shows"]
    run_to_the_end(at)
    run = at.session_state["lessons.run"]
    assert run.step == lesson.steps
    # the reveal on the page is the text computed from this very run
    assert reveal_text(lesson, measure(run)) in texts(at)
    assert [s for s in at.subheader if s.value == "What your run shows"]
    assert [line in shown.value for line, shown in zip(lesson.formula, at.latex)] == [True] * len(lesson.formula)
    assert param(at, "done") == str(number)
    assert param(at, "picks") == f"{number}{lesson.predictions[0].key}"


def test_try_this_reruns_with_the_variation_and_an_honest_reveal():
    lesson = lesson_by_number(4)
    at = make_app(lesson="4", picks="4b")
    run_to_the_end(at)
    at.button(key="lessons.try0").click().run()  # tanh instead of sigmoid
    run = at.session_state["lessons.run"]
    assert run.variation is lesson.variations[0] and run.step == 0
    assert lesson.variations[0].look_for in texts(at)
    run_to_the_end(at)
    facts = measure(at.session_state["lessons.run"])
    assert facts.outcome == "frozen"
    assert reveal_text(lesson, facts) in texts(at)
    assert "something else" in texts(at)  # the student predicted (b): identical but moving


def test_progress_from_a_link_and_bad_values_fall_back_with_a_notice():
    at = make_app(lesson="2", done="1,99", picks="1a,2b,5q")
    assert at.header[0].value == lesson_by_number(2).title
    notice = at.warning[0].value
    assert "`done=1,99` was partly ignored" in notice and "5q" in notice
    assert param(at, "done") == "1"
    assert param(at, "picks") == "1a,2b"
    assert "Your prediction: **(b)**" in texts(at)  # lesson 2 was already predicted: straight to the run

    at = make_app(lesson="abc")
    assert at.title[0].value == "Lessons"
    assert "`lesson=abc` was ignored" in at.warning[0].value


def test_skip_the_prediction():
    at = make_app(lesson="1")
    at.button(key="lessons.skip").click().run()
    assert param(at, "picks") == "1-"
    run_to_the_end(at)
    assert "You skipped the prediction" in texts(at)


def test_presentation_mode_is_kept_in_the_link():
    at = make_app(lesson="1", picks="1a", present="1")
    assert at.toggle(key="lessons.present").value
    assert param(at, "present") == "1"
    at.toggle(key="lessons.present").set_value(False).run()
    assert param(at, "present") is None


@pytest.mark.parametrize("number", [lesson.number for lesson in LESSONS])
def test_open_in_the_full_page_reproduces_the_first_run(number):
    """The "Open this experiment" link opens its page with exactly the lesson's first run."""
    from urllib.parse import parse_qsl, urlsplit

    from playground.ui.views.lessons import PAGE_PATHS

    lesson = lesson_by_number(number)
    link = urlsplit(lesson.playground_link())
    at = helpers.make_app(PAGE_PATHS[lesson.open_in], timeout=120, **dict(parse_qsl(link.query, keep_blank_values=True)))
    assert not at.warning, [w.value for w in at.warning]  # every value was accepted
    from playground.ui.keys import BY_PAGE

    session = at.session_state[BY_PAGE[lesson.open_in].session]
    assert session.settings == lesson.run_settings()[0][1]
