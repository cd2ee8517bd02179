"""Compare up to four network configurations on the same data, from the same seeds.

The classic "initializer comparison" (CONCEPTS.md §5, reference experiments): train each
configuration for the same number of updates and overlay the cost curves and the per-layer
gradient profiles. Fair by construction: every run is ``base.replace(**changes)`` and a
change may touch the network and the optimizer, never the data or the seeds.

Pure Python + NumPy (no Streamlit); progress is reported through a callback, so a page can
draw a progress bar and a notebook can print.
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
CHUNKS = 50  # progress reports per run
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


def compare(
    base: Settings,
    changes: Sequence[Mapping[str, Any]],
    steps: int,
    progress: Progress | None = None,
    labels: Sequence[str] | None = None,
) -> list[ComparisonRun]:
    """Train every configuration for ``steps`` updates (a run that diverges stops early) and
    return the runs in order. ``progress(fraction, text)`` is called ~50 times per run."""
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between 1 and {MAX_STEPS}, got {steps}")
    all_settings = configurations(base, changes)
    labels = list(labels) if labels is not None else [describe(s) for s in all_settings]
    chunk = max(1, steps // CHUNKS)
    runs = []
    for i, (label, settings) in enumerate(zip(labels, all_settings)):
        started = time.perf_counter()
        session = TrainingSession(settings, max_history=HISTORY_POINTS)
        initial = session.latest_stats
        while session.step < steps and not session.diverged:
            if session.train(min(chunk, steps - session.step)) == 0:
                break
            if progress is not None:
                done = (i + min(session.step, steps) / steps) / len(all_settings)
                progress(done, f"Run {i + 1} of {len(all_settings)}: {label}, update {session.step:,} of {steps:,}")
        final = session.latest_stats if session.diverged else session.full_batch_stats()
        runs.append(ComparisonRun(label, settings, session.history, initial, final, session.step,
                                  session.status, session.message, session.net, time.perf_counter() - started))
    if progress is not None:
        progress(1.0, f"Done: {len(runs)} runs of {steps:,} updates")
    return runs
