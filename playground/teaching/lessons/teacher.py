"""Teacher links: a Playground (or Gradients lab) link that shows only what a lesson needs.

Parameters, next to the usual settings:

- ``hide=activation,initializer`` — settings (named as in the URL) whose controls are not
  drawn at all; their values still come from the link;
- ``lock=learning_rate`` — settings whose controls are drawn but disabled: the student sees
  the value and cannot change it (a hidden setting is also fixed; locking keeps it visible);
- ``title=…`` and ``question=…`` — plain text shown above the charts (never as HTML or
  markdown), at most ``MAX_TITLE`` / ``MAX_QUESTION`` characters.

Unknown names and over-long text are dropped or cut with a notice, like any bad setting.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ...settings import code_span  # link text shown literally in the page's notice

MAX_TITLE = 80
MAX_QUESTION = 300
PARAMS = ("hide", "lock", "title", "question")


@dataclass(frozen=True)
class TeacherLink:
    hide: frozenset[str] = frozenset()
    lock: frozenset[str] = frozenset()
    title: str = ""
    question: str = ""

    @property
    def active(self) -> bool:
        return bool(self.hide or self.lock or self.title or self.question)

    def to_query_params(self) -> dict[str, str]:
        params = {}
        if self.hide:
            params["hide"] = ",".join(sorted(self.hide))
        if self.lock:
            params["lock"] = ",".join(sorted(self.lock - self.hide))
        if self.title:
            params["title"] = self.title
        if self.question:
            params["question"] = self.question
        return {k: v for k, v in params.items() if v}


def plain_text(text: str, limit: int) -> str:
    """One line of printable text: control characters become spaces, runs of whitespace
    collapse, and the result is cut to ``limit`` characters."""
    cleaned = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in str(text))
    return " ".join(cleaned.split())[:limit]


def _raw(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name, "")
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return str(value)


def parse_teacher_link(params: Mapping[str, Any], settings: Iterable[str]) -> tuple[TeacherLink, list[str]]:
    """The teacher-link parameters of a query. ``settings``: the names this page can hide or
    lock. Returns the link and the problems (one message per dropped or shortened value)."""
    allowed = set(settings)
    problems: list[str] = []
    names: dict[str, frozenset[str]] = {}
    for param in ("hide", "lock"):
        text = _raw(params, param)
        parts = [p.strip() for p in text.split(",") if p.strip()]
        unknown = [p for p in parts if p not in allowed]
        if unknown:
            kept = [p for p in parts if p in allowed]
            problems.append(f"{code_span(f'{param}={plain_text(text, 200)}')} was partly ignored "
                            f"({', '.join(code_span(plain_text(u, 40)) for u in unknown)}: "
                            f"not a setting on this page; use names as they appear in the link, e.g. "
                            f"{', '.join(sorted(allowed)[:3])}); {param} {', '.join(kept) or 'nothing'}")
        names[param] = frozenset(p for p in parts if p in allowed)
    texts = {}
    for param, limit in (("title", MAX_TITLE), ("question", MAX_QUESTION)):
        raw = _raw(params, param)
        texts[param] = plain_text(raw, limit)
        if len(" ".join(raw.split())) > limit:
            problems.append(f"'{param}' was cut to its first {limit} characters")
    return TeacherLink(names["hide"], names["lock"] - names["hide"], texts["title"], texts["question"]), problems


def teacher_url(path: str, settings_params: Mapping[str, str], link: TeacherLink) -> str:
    """A relative link: the page's path, its settings and the teacher parameters."""
    return f"{path}?{urlencode({**settings_params, **link.to_query_params()})}"
