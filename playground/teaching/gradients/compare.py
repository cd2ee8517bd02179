"""Compare up to four network configurations on the same data, from the same seeds.

The classic "initializer comparison" (CONCEPTS.md §5, reference experiments): train each
configuration for the same number of updates and overlay the cost curves and the per-layer
gradient profiles. Fair by construction: every run is ``base.replace(**changes)`` and a
change may touch the network and the optimizer, never the data or the seeds.

Pure Python + NumPy (no Streamlit). ``Comparison`` is the work as a resumable object: a page
advances it in time slices (bounded work per rerun, stoppable, refused up front when
``estimate_seconds`` is too long); ``compare`` runs it to the end with a progress callback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...engine import LayerStats, Network
from ...settings import CUSTOM_INITIALIZER, Settings
from ...training import History, TrainingSession

MAX_CONFIGS = 4
MAX_STEPS = 5000
# What a configuration may change. Data, split and seeds stay those of the base settings.
VARIABLE = ("activation", "initializer", "init_std", "hidden_sizes", "optimizer", "learning_rate",
            "batch_size", "l2", "lr_decay", "l1", "dropout", "batch_norm", "residual")
CHUNKS = 50  # updates are trained in steps // CHUNKS pieces (a progress report after each)
HISTORY_POINTS = 250  # per run: enough for a curve, and evaluating fewer rows keeps runs quick

Progress = Callable[[float, str], None]  # (fraction done 0..1, what is running)


@dataclass(frozen=True)
class ComparisonRun:
    """One configuration's result: its history and its gradient profile before and after."""

    label: str
    settings: Settings
    history: History
    initial_stats: LayerStats  # full training set, before any update
    final_stats: LayerStats  # full training set, after the last update (or the last finite one)
    steps: int  # updates actually applied (fewer than asked if it diverged)
    status: str  # "ready" or "diverged"
    message: str = ""
    network: Network | None = None  # the trained network (its weights, e.g. to count the near-zero ones)
    seconds: float = 0.0  # wall-clock time of the run on this machine

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"


def describe(settings: Settings) -> str:
    """A short label: 'relu + he', 'tanh + σ=0.5'."""
    init = f"σ={settings.init_std:g}" if settings.initializer == CUSTOM_INITIALIZER else settings.initializer
    return f"{settings.activation} + {init}"


def configurations(base: Settings, changes: Sequence[Mapping[str, Any]]) -> list[Settings]:
    """``base`` with each set of changes applied; ValueError if a change would alter the data or
    the seeds (then the runs would not be comparable) or if there are not 1..4 of them."""
    if not 1 <= len(changes) <= MAX_CONFIGS:
        raise ValueError(f"compare between 1 and {MAX_CONFIGS} configurations, got {len(changes)}")
    out = []
    for change in changes:
        fixed = sorted(set(change) - set(VARIABLE))
        if fixed:
            raise ValueError(f"{', '.join(fixed)} must be the same for every run (same data and seeds); "
                             f"a configuration may change only {', '.join(VARIABLE)}")
        out.append(base.replace(**change))
    return out


class Comparison:
    """A comparison as resumable work: ``advance(time_budget)`` trains for at most that long and
    returns; call it again (a page does, from its next rerun) until ``done``. So a click never
    holds the server for longer than one slice, and a Stop between slices is just not calling
    it again. ``estimate_seconds`` says up front how long the whole thing would take here."""

    def __init__(self, base: Settings, changes: Sequence[Mapping[str, Any]], steps: int,
                 labels: Sequence[str] | None = None):
        if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
            raise ValueError(f"steps must be a whole number between 1 and {MAX_STEPS}, got {steps!r}")
        self.settings = configurations(base, changes)
        self.labels = list(labels) if labels is not None else [describe(s) for s in self.settings]
        self.steps = steps
        self.runs: list[ComparisonRun] = []
        self._session: TrainingSession | None = None
        self._initial: LayerStats | None = None
        self._seconds = 0.0  # wall-clock time of the run in progress so far

    @property
    def done(self) -> bool:
        return len(self.runs) == len(self.settings)

    @property
    def fraction(self) -> float:
        current = self._session.step / self.steps if self._session is not None else 0.0
        return min(1.0, (len(self.runs) + current) / len(self.settings))

    @property
    def progress_text(self) -> str:
        if self.done:
            return f"Done: {len(self.runs)} runs of {self.steps:,} updates"
        i = len(self.runs)
        step = self._session.step if self._session is not None else 0
        return f"Run {i + 1} of {len(self.settings)}: {self.labels[i]}, update {step:,} of {self.steps:,}"

    def estimate_seconds(self) -> float:
        """All runs, from the first run's measured cost of one update (same shapes for all)."""
        probe = TrainingSession(self.settings[0], max_history=HISTORY_POINTS)
        return probe.estimate_seconds(self.steps) * len(self.settings)

    def advance(self, time_budget: float | None = None, chunks: int | None = None) -> bool:
        """Train for at most ``time_budget`` seconds (at least one update) and at most
        ``chunks`` pieces of steps // CHUNKS updates (None: no limit). Returns ``done``."""
        started = time.perf_counter()
        deadline = None if time_budget is None else started + time_budget
        pieces = 0
        while not self.done:
            if self._session is None:
                self._seconds = 0.0
                self._session = TrainingSession(self.settings[len(self.runs)], max_history=HISTORY_POINTS)
                self._initial = self._session.latest_stats
            session = self._session
            if session.step < self.steps and not session.diverged:
                left = None if deadline is None else max(0.0, deadline - time.perf_counter())
                session.train(min(max(1, self.steps // CHUNKS), self.steps - session.step), time_budget=left)
                pieces += 1
            if session.step >= self.steps or session.diverged:
                final = session.latest_stats if session.diverged else session.full_batch_stats()
                now = time.perf_counter()
                self._seconds += now - started
                started = now
                self.runs.append(ComparisonRun(self.labels[len(self.runs)], session.settings, session.history,
                                               self._initial, final, session.step, session.status,
                                               session.message, session.net, self._seconds))
                self._session = None
            if (deadline is not None and time.perf_counter() >= deadline) or (chunks is not None and pieces >= chunks):
                break
        if self._session is not None:  # time spent on the unfinished run counts toward its seconds
            self._seconds += time.perf_counter() - started
        return self.done


def compare(
    base: Settings,
    changes: Sequence[Mapping[str, Any]],
    steps: int,
    progress: Progress | None = None,
    labels: Sequence[str] | None = None,
) -> list[ComparisonRun]:
    """Train every configuration for ``steps`` updates (a run that diverges stops early) and
    return the runs in order, in one call (a notebook; the page advances a ``Comparison`` in
    slices). ``progress(fraction, text)`` is called ~50 times per run."""
    comparison = Comparison(base, changes, steps, labels)
    while not comparison.done:
        comparison.advance(chunks=1 if progress is not None else None)
        if progress is not None:
            progress(comparison.fraction, comparison.progress_text)
    return comparison.runs
