"""A lesson's experiment: one or more training runs that advance together, update by update.

``LessonRun`` looks like a ``TrainingSession`` to the live controls (``train``,
``train_epochs``, ``reset``, ``step``, ``diverged``), so the app's own Play/Pause/Step drive
it; underneath, every run trains the same number of updates, and the experiment is finished
after the lesson's ``steps``. A run that diverges stops (keeping its last finite weights)
while the others go on: that is often the lesson.

Lessons compare costs update by update, so each run records its history after every update
(the Playground thins it out for speed; the lessons' networks are small).
"""

from __future__ import annotations

import time

import numpy as np

from ...settings import Settings
from ...training import TrainingSession
from .model import Lesson, Variation

LIVE_BUDGET = 0.2  # seconds of training per live frame, at least


class EveryUpdateSession(TrainingSession):
    """A training session whose history has a row for every update (not every n-th)."""

    def record_every(self) -> int:
        return 1


class LessonRun:
    """The runs of one lesson (optionally with a "try this" variation), trained in lockstep."""

    def __init__(self, lesson: Lesson, variation: Variation | None = None):
        self.lesson = lesson
        self.variation = variation
        self.labels: list[str] = []
        self.sessions: list[TrainingSession] = []
        for label, settings in lesson.run_settings(variation):
            self.labels.append(label)
            self.sessions.append(EveryUpdateSession(settings, max_history=lesson.steps + 2))
        self.steps = lesson.steps
        # The rerun loop gives a frame 0.05 s: a lesson trains at least LIVE_BUDGET per call so
        # it ends within a few dozen frames. The live socket's scheduler sets 0 (it trains in
        # short fair turns, at up to 0.6 core, and must not be held 0.2 s by one viewer).
        self.budget_floor = LIVE_BUDGET
        self.reset()

    def reset(self) -> None:
        for session in self.sessions:
            session.reset()
        self.step = 0
        self.epoch = 0
        self.seconds = 0.0  # training time so far (all runs)
        self.initial_W = [[W.copy() if W is not None else None for W in s.net.W] for s in self.sessions]
        self.initial_stats = [s.latest_stats for s in self.sessions]

    # -- what the live controls read ---------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self.sessions[0].settings

    @property
    def finished(self) -> bool:
        return self.step >= self.steps

    @property
    def diverged(self) -> bool:
        """True when nothing can train any more (every run diverged, or the experiment is
        over): the live controls then disable Play and Step."""
        return self.finished or all(s.diverged for s in self.sessions)

    @property
    def status(self) -> str:
        return "finished" if self.finished else ("diverged" if self.diverged else "ready")

    @property
    def message(self) -> str:
        return f"The experiment is complete: {self.steps:,} updates." if self.finished else ""

    @property
    def updates_per_epoch(self) -> int:
        return self.sessions[0].updates_per_epoch

    # -- training ----------------------------------------------------------------------------
    def train(self, k: int = 1, time_budget: float | None = None) -> int:
        """Up to k updates of every run (never past the lesson's ``steps``), in chunks so the
        runs stay level; stops after ``time_budget`` seconds (at least ``budget_floor``: the
        rerun loop's budget is made for endless play, a lesson's experiment should end within
        a few dozen frames). Returns the updates done."""
        k = max(0, min(k, self.steps - self.step))
        if time_budget is not None:
            time_budget = max(time_budget, self.budget_floor)
        started = time.perf_counter()
        done = 0
        chunk = max(1, min(k, 5))  # small chunks: a time budget (the live area's) is kept closely
        while done < k:
            n = min(chunk, k - done)
            for session in self.sessions:
                if not session.diverged:
                    session.train(n)
            done += n
            if time_budget is not None and time.perf_counter() - started > time_budget:
                break
        self.step += done
        self.epoch = self.sessions[0].epoch
        self.seconds += time.perf_counter() - started
        return done

    def train_epochs(self, n: int = 1) -> int:
        return self.train(n * self.updates_per_epoch)

    def finish(self) -> None:
        """Train to the end of the experiment (what a headless run or "Skip to the result" does)."""
        self.train(self.steps - self.step)


def initial_weights_change(run: LessonRun, index: int, layer: int) -> float:
    """‖W[l]_now − W[l]_start‖ / ‖W[l]_start‖ for one run: how far a layer has moved."""
    start, now = run.initial_W[index][layer], run.sessions[index].net.W[layer]
    scale = float(np.linalg.norm(start))
    return float(np.linalg.norm(now - start)) / scale if scale > 0 else float(np.linalg.norm(now - start))
