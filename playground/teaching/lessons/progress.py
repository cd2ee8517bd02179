"""A student's progress in the URL: the open lesson, the lessons done, the predictions picked.

    lessons?lesson=4&done=1,2,3&picks=1b,2b,3a

so a student can close the tab and continue later, or send the link to someone. Bad values
never raise: they are dropped, and each drop is described (in the same words as the settings
notices) so the page can say what was ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...settings import code_span  # link text shown literally in the page's notice

SKIPPED = "-"  # picks=4- : the student skipped the prediction of lesson 4


@dataclass(frozen=True)
class Progress:
    lesson: int | None = None  # the open lesson (None: the list of lessons)
    done: frozenset[int] = frozenset()
    picks: Mapping[int, str] = field(default_factory=dict)  # lesson -> prediction key or SKIPPED

    def with_pick(self, number: int, key: str) -> Progress:
        return Progress(self.lesson, self.done, {**self.picks, number: key})

    def with_done(self, number: int) -> Progress:
        return Progress(self.lesson, self.done | {number}, self.picks)

    def opened(self, number: int | None) -> Progress:
        return Progress(number, self.done, self.picks)

    def to_query_params(self) -> dict[str, str]:
        params = {}
        if self.lesson is not None:
            params["lesson"] = str(self.lesson)
        if self.done:
            params["done"] = ",".join(str(n) for n in sorted(self.done))
        if self.picks:
            params["picks"] = ",".join(f"{n}{k}" for n, k in sorted(self.picks.items()))
        return params


def _raw(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    return None if value is None else str(value).strip()


def parse_progress(params: Mapping[str, Any], lessons: Mapping[int, tuple[str, ...]]) -> tuple[Progress, list[str]]:
    """Progress from a link. ``lessons``: lesson number -> its prediction keys."""
    problems: list[str] = []
    count = len(lessons)
    lesson = None
    text = _raw(params, "lesson")
    if text:
        if text.isdigit() and int(text) in lessons:
            lesson = int(text)
        else:
            problems.append(f"{code_span(f'lesson={text}')} was ignored (there are lessons 1 to {count}); showing the list of lessons")
    done: set[int] = set()
    text = _raw(params, "done")
    if text:
        bad = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            if part.isdigit() and int(part) in lessons:
                done.add(int(part))
            else:
                bad.append(part)
        if bad:
            problems.append(f"{code_span(f'done={text}')} was partly ignored ({', '.join(map(code_span, bad))}: not a lesson number 1 to {count}); "
                            f"keeping {','.join(map(str, sorted(done))) or 'nothing'}")
    picks: dict[int, str] = {}
    text = _raw(params, "picks")
    if text:
        bad = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            match = re.fullmatch(r"(\d+)([a-z]|-)", part)
            if match and int(match[1]) in lessons and (match[2] == SKIPPED or match[2] in lessons[int(match[1])]):
                picks[int(match[1])] = match[2]
            else:
                bad.append(part)
        if bad:
            problems.append(f"{code_span(f'picks={text}')} was partly ignored ({', '.join(map(code_span, bad))}: write a lesson number and a "
                            f"prediction letter, like 4b); keeping "
                            f"{','.join(f'{n}{k}' for n, k in sorted(picks.items())) or 'nothing'}")
    return Progress(lesson, frozenset(done), picks), problems
