"""Lessons as data: one TOML file per lesson in ``data/``, loaded into frozen dataclasses.

A lesson file holds everything a student reads (question, predictions, the reveal for every
possible outcome, the why with its formula, "try this" variations) and the experiment
(``[settings]`` plus the runs that differ from it, the number of updates, the measurement
that turns the finished runs into facts). No page code holds lesson text.

The reveal is never written as a fixed result: ``[reveal.<outcome>]`` holds one template per
outcome a measurement can report, and the template's ``{placeholders}`` are filled with the
measured facts, so the text always quotes the run the student just watched.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...settings import FIELDS, Settings

DATA = Path(__file__).with_name("data")
MAX_TRAINING_SECONDS = 10.0  # no lesson trains longer than this to make its point
VIEWS = ("boundary", "cost", "gradients", "network", "weights")
PAGES = {"playground": "", "gradients": "gradients", "digits": "digits"}  # url paths


@dataclass(frozen=True)
class Prediction:
    key: str  # "a", "b", …: what the URL keeps (picks=4b)
    text: str
    outcome: str  # the measured outcome that would prove this prediction right


@dataclass(frozen=True)
class Run:
    """One arm of the experiment: a label and the settings changes from the lesson's base."""

    label: str
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class Variation:
    """A "try this": a settings change to the base and what to look for afterwards."""

    label: str
    changes: Mapping[str, Any]
    look_for: str


@dataclass(frozen=True)
class Lesson:
    number: int
    slug: str
    title: str
    concept: str  # the CONCEPTS.md section it teaches
    question: str
    predictions: tuple[Prediction, ...]
    settings: Settings
    runs: tuple[Run, ...]
    steps: int
    measure: str  # name of the measurement in measures.MEASURES
    expect: str  # the outcome the lesson's own experiment shows (checked by its test)
    views: tuple[str, ...]
    reveals: Mapping[str, str]  # outcome -> template filled with the facts
    why: str  # markdown with LaTeX ($…$)
    formula: tuple[str, ...]  # LaTeX lines, each shown with st.latex (short enough for a phone)
    variations: tuple[Variation, ...]
    open_in: str = "playground"

    def run_settings(self, variation: Variation | None = None) -> list[tuple[str, Settings]]:
        """(label, settings) for every run; a variation changes the base before each run's own
        changes, so a run's defining difference (e.g. its learning rate) always holds."""
        base = self.settings.replace(**dict(variation.changes)) if variation else self.settings
        return [(run.label, base.replace(**dict(run.changes))) for run in self.runs]

    def prediction(self, key: str) -> Prediction | None:
        return next((p for p in self.predictions if p.key == key), None)

    def variation(self, index: int | None) -> Variation | None:
        return self.variations[index] if index is not None and 0 <= index < len(self.variations) else None

    def playground_link(self, variation: Variation | None = None, run: int = 0) -> str:
        """The full page (Playground, Gradients lab or Digits) with this lesson's first run."""
        from urllib.parse import urlencode

        settings = self.run_settings(variation)[run][1]
        return f"/{PAGES[self.open_in]}?{urlencode(settings.to_query_params())}"

    def placeholders(self) -> set[str]:
        """Every fact name a reveal template quotes."""
        names = set()
        for template in self.reveals.values():
            names |= {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
        return names


def _settings(values: Mapping[str, Any], where: str) -> dict[str, Any]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"{where}: unknown settings {sorted(unknown)}")
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}


def parse_lesson(data: Mapping[str, Any], source: str = "<lesson>") -> Lesson:
    """A lesson from its TOML table; ValueError naming the file and what is wrong."""
    try:
        predictions = tuple(Prediction(p["key"], p["text"], p["outcome"]) for p in data["predictions"])
        runs = tuple(Run(r["label"], _settings(r.get("changes", {}), source)) for r in data["runs"])
        variations = tuple(Variation(v["label"], _settings(v["changes"], source), v["look_for"])
                           for v in data.get("try", []))
        lesson = Lesson(
            number=int(data["number"]), slug=data["slug"], title=data["title"], concept=data["concept"],
            question=data["question"], predictions=predictions,
            settings=Settings(**_settings(data["settings"], source)), runs=runs, steps=int(data["steps"]),
            measure=data["measure"], expect=data["expect"], views=tuple(data["views"]),
            reveals={k: v["text"] for k, v in data["reveal"].items()}, why=data["why"],
            formula=(data["formula"],) if isinstance(data["formula"], str) else tuple(data["formula"]),
            variations=variations, open_in=data.get("open_in", "playground"),
        )
    except KeyError as missing:
        raise ValueError(f"{source}: missing {missing}") from None
    if not 2 <= len(predictions) <= 4:
        raise ValueError(f"{source}: a lesson offers 2–4 predictions, not {len(predictions)}")
    if len({p.key for p in predictions}) != len(predictions):
        raise ValueError(f"{source}: prediction keys repeat")
    if bad := [v for v in lesson.views if v not in VIEWS]:
        raise ValueError(f"{source}: unknown views {bad}; choose from {VIEWS}")
    if lesson.open_in not in PAGES:
        raise ValueError(f"{source}: open_in must be one of {tuple(PAGES)}")
    for p in predictions:
        if p.outcome not in lesson.reveals:
            raise ValueError(f"{source}: prediction {p.key} expects outcome {p.outcome!r} that has no reveal")
    if lesson.expect not in lesson.reveals:
        raise ValueError(f"{source}: expected outcome {lesson.expect!r} has no reveal")
    for variation in variations:  # every variation must give valid settings for every run
        lesson.run_settings(variation)
    return lesson


def load_lessons(folder: Path = DATA) -> tuple[Lesson, ...]:
    """All lessons in ``folder``, ordered by number (which must run 1, 2, … without gaps)."""
    lessons = []
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as f:
            lessons.append(parse_lesson(tomllib.load(f), path.name))
    lessons.sort(key=lambda lesson: lesson.number)
    numbers = [lesson.number for lesson in lessons]
    if numbers != list(range(1, len(lessons) + 1)):
        raise ValueError(f"lesson numbers must be 1..{len(lessons)} without gaps, got {numbers}")
    return tuple(lessons)
