"""Progress and teacher links: parsing, round trips and notices for bad values."""

from playground.settings import FIELDS
from playground.teaching.lessons.progress import Progress, parse_progress
from playground.teaching.lessons.teacher import (
    MAX_QUESTION,
    MAX_TITLE,
    TeacherLink,
    parse_teacher_link,
    plain_text,
)

LESSONS = {n: ("a", "b", "c") for n in range(1, 13)}


def test_progress_round_trips_through_the_url():
    progress = Progress(4, frozenset({1, 2, 3}), {1: "b", 2: "a", 3: "-"})
    params = progress.to_query_params()
    assert params == {"lesson": "4", "done": "1,2,3", "picks": "1b,2a,3-"}
    assert parse_progress(params, LESSONS) == (progress, [])


def test_bad_progress_values_fall_back_with_a_notice():
    progress, problems = parse_progress({"lesson": "99", "done": "1,x,40", "picks": "1b,2z,7,3a"}, LESSONS)
    assert progress.lesson is None
    assert progress.done == {1}
    assert progress.picks == {1: "b", 3: "a"}
    assert len(problems) == 3
    assert "`lesson=99` was ignored" in problems[0] and "1 to 12" in problems[0]
    assert "`x`, `40`" in problems[1]
    assert "`2z`, `7`" in problems[2] and "like 4b" in problems[2]


def test_teacher_link_hides_and_locks_known_settings_only():
    link, problems = parse_teacher_link({"hide": "activation,initializer,colour", "lock": "learning_rate,activation"},
                                        FIELDS)
    assert link.hide == {"activation", "initializer"}
    assert link.lock == {"learning_rate"}  # hidden wins over locked
    assert len(problems) == 1 and "colour" in problems[0] and "hide activation, initializer" in problems[0]


def test_teacher_text_is_plain_one_line_and_length_limited():
    link, problems = parse_teacher_link({"title": "<b>Hi</b>\n\x00*bold*" + "x" * 200, "question": "Why?"}, FIELDS)
    assert link.title.startswith("<b>Hi</b> *bold*")  # kept literally: the page shows it as text
    assert len(link.title) == MAX_TITLE and "\n" not in link.title and "\x00" not in link.title
    assert link.question == "Why?"
    assert problems == [f"'title' was cut to its first {MAX_TITLE} characters"]
    assert len(plain_text("y" * 1000, MAX_QUESTION)) == MAX_QUESTION


def test_teacher_link_round_trip():
    link = TeacherLink(frozenset({"activation"}), frozenset({"learning_rate"}), "XOR", "What does the hidden layer do?")
    again, problems = parse_teacher_link(link.to_query_params(), FIELDS)
    assert again == link and problems == []
    assert not TeacherLink().active and link.active
