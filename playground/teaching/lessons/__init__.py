"""Guided lessons: predict, run, explain (no Streamlit).

    from playground.teaching.lessons import LESSONS, run_lesson, reveal_text
    lesson = LESSONS[3]                         # lesson 4: zero initialization
    run, facts = run_lesson(lesson)             # trains headless, ≤ 10 s
    print(reveal_text(lesson, facts))           # the reveal, quoting this run's numbers

Lesson texts are data (``data/NN_slug.toml``, see ``model.py``); ``runs.py`` trains a lesson's
runs side by side; ``measures.py`` turns finished runs into facts; ``progress.py`` keeps a
student's progress in the URL; ``teacher.py`` parses teacher links (hide / lock / title).
"""

from __future__ import annotations

from threadpoolctl import threadpool_limits

from .measures import MEASURES, Facts
from .model import Lesson, Prediction, Variation, load_lessons
from .runs import LessonRun

LESSONS: tuple[Lesson, ...] = load_lessons()


def lesson_by_number(number: int) -> Lesson | None:
    return LESSONS[number - 1] if 1 <= number <= len(LESSONS) else None


def measure(run: LessonRun) -> Facts:
    """The facts of a (finished) run, by the lesson's measurement."""
    return MEASURES[run.lesson.measure](run)


def run_lesson(lesson: Lesson, variation: Variation | None = None) -> tuple[LessonRun, Facts]:
    """Train a lesson's experiment to the end, headless, and measure it."""
    run = LessonRun(lesson, variation)
    with threadpool_limits(1):  # tiny matrices: BLAS threads only fight each other (see app.py)
        run.finish()
    return run, measure(run)


def reveal_text(lesson: Lesson, facts: Facts) -> str:
    """The reveal for the measured outcome, filled with the run's own numbers."""
    return lesson.reveals[facts.outcome].format(**facts.values)


def verdict(lesson: Lesson, pick: str | None, facts: Facts) -> str:
    """One sentence comparing the student's prediction with what the run showed."""
    prediction = lesson.prediction(pick) if pick else None
    if prediction is None:
        return "You skipped the prediction; here is what your run shows."
    if prediction.outcome == facts.outcome:
        return f"Your prediction ({prediction.key}) is what your run shows."
    return f"Your run shows something else than your prediction ({prediction.key}): look at the numbers below."


__all__ = ["LESSONS", "Facts", "Lesson", "LessonRun", "Prediction", "Variation", "lesson_by_number", "measure",
           "reveal_text", "run_lesson", "verdict"]
