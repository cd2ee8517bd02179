"""The Playground's comparisons: practice exercises 1, 3, 4, 7, 8 and L1 against L2, each a race.

Every comparison trains a few variants of the page's current settings — same data, same seeds,
same number of updates — with the Gradients lab's runner (``compare``), and reads the answer
off the runs: overlaid cost curves, how many updates each needed to reach a target cost, the
final accuracy, the gap between test and training cost, the number of near-zero weights. The
sentences that state the answer are computed from those numbers, never written in advance.

An ``Experiment`` may come with a ``setup``: settings that make the effect visible (dropout only
helps a network that overfits), which the page can load before running.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .gradients.compare import ComparisonRun

NEAR_ZERO = 1e-3  # |w| below this counts as "switched off" (L1 makes many; L2 only shrinks)


@dataclass(frozen=True)
class Experiment:
    """One question from the notes, as a set of runs that differ in one thing."""

    key: str
    exercise: str  # "Exercise 1", "§10" …
    title: str
    question: str
    runs: tuple[tuple[str, Mapping[str, Any]], ...]  # (label, changes to the base settings)
    steps: int = 1000
    setup: Mapping[str, Any] = field(default_factory=dict)  # settings that show the effect best
    setup_label: str = ""

    def changes(self) -> list[dict[str, Any]]:
        return [dict(change) for _, change in self.runs]

    def labels(self) -> list[str]:
        return [label for label, _ in self.runs]


# A wide network on a small, noisy training set: it memorises the noise (CONCEPTS.md §10).
OVERFIT = {"dataset": "moons", "n_samples": 80, "noise": 0.35, "test_ratio": 0.5, "data_seed": 0,
           "features": (), "hidden_sizes": (32, 32), "activation": "relu", "initializer": "he",
           "weight_seed": 0, "optimizer": "adam", "learning_rate": 0.01, "batch_size": 0, "l2": 0.0,
           "lr_decay": 0.0}

EXPERIMENTS: dict[str, Experiment] = {e.key: e for e in (
    Experiment("activations", "Exercise 1", "Sigmoid, tanh or ReLU?",
               "Same data and network, three hidden activations: which converges fastest, and which ends best?",
               (("sigmoid", {"activation": "sigmoid"}), ("tanh", {"activation": "tanh"}),
                ("ReLU", {"activation": "relu"}))),
    Experiment("momentum", "Exercise 3", "Momentum",
               "Plain gradient descent against momentum (β = 0.9, same α): faster, or more stable?",
               (("gradient descent", {"optimizer": "sgd"}), ("momentum β = 0.9", {"optimizer": "momentum"}))),
    Experiment("batch", "Exercise 4", "Mini-batch or full batch",
               "The same number of updates with the whole training set, 32 examples, or 1 example per update.",
               (("full batch", {"batch_size": 0}), ("mini-batch 32", {"batch_size": 32}),
                ("stochastic (1)", {"batch_size": 1}))),
    Experiment("decay", "Exercise 8", "Learning-rate decay",
               "α_t = α₀·e^(−k·t): a constant rate against two decay rates k.",
               (("k = 0", {"lr_decay": 0.0}), ("k = 0.001", {"lr_decay": 0.001}), ("k = 0.003", {"lr_decay": 0.003}))),
)}


# -- reading the runs --------------------------------------------------------------------------
def updates_to_reach(run: ComparisonRun, target: float) -> int | None:
    """The first recorded update at which the training cost was ≤ ``target`` (None if never).
    The history keeps every few updates on long runs, so this is exact to within ``stride``."""
    steps, costs = run.history.column("step"), run.history.column("train_cost")
    below = np.flatnonzero(np.isfinite(costs) & (costs <= target))
    return int(steps[below[0]]) if below.size else None


def final(run: ComparisonRun, column: str) -> float:
    return float(run.history.column(column)[-1])


def generalisation_gap(run: ComparisonRun) -> float:
    """Test cost minus training cost at the end: large when the network memorised the training set."""
    return final(run, "test_cost") - final(run, "train_cost")


def near_zero_weights(W: Sequence[np.ndarray | None], threshold: float = NEAR_ZERO) -> tuple[int, int]:
    """(how many weights have |w| < threshold, how many weights there are), over W[1..L]."""
    arrays = [w for w in W if w is not None]
    return int(sum(int(np.sum(np.abs(w) < threshold)) for w in arrays)), int(sum(w.size for w in arrays))


def race_rows(runs: Sequence[ComparisonRun], labels: Sequence[str], target: float, regression: bool = False):
    """One table row per run: updates to the target, final costs, gap, accuracy (or R²)."""
    metric = "test R²" if regression else "test accuracy"
    rows = []
    for label, run in zip(labels, runs):
        reached = updates_to_reach(run, target)
        test_metric = final(run, "test_metric")
        rows.append({
            "run": label,
            f"updates to J ≤ {target:g}": f"{reached:,}" if reached is not None else f"not in {run.steps:,}",
            "final train cost": f"{final(run, 'train_cost'):.4g}",
            "final test cost": f"{final(run, 'test_cost'):.4g}",
            "test − train": f"{generalisation_gap(run):+.3g}",
            metric: f"{test_metric:.3f}" if regression else f"{test_metric:.1%}",
            "status": "diverged" if run.diverged else "finished",
        })
    return rows


def race_verdict(runs: Sequence[ComparisonRun], labels: Sequence[str], target: float, regression: bool = False) -> str:
    """Who reached the target first and who ended best, in one or two sentences with numbers."""
    reached = [(updates_to_reach(r, target), label) for r, label in zip(runs, labels)]
    arrived = sorted((n, label) for n, label in reached if n is not None)
    missed = [label for n, label in reached if n is None]
    parts = []
    if arrived:
        n, first = arrived[0]
        parts.append(f"**{first}** reached J ≤ {target:g} first, after about {n:,} updates")
        if len(arrived) > 1:
            parts[-1] += " (" + ", ".join(f"{label}: {m:,}" for m, label in arrived[1:]) + ")"
    if missed:
        parts.append(f"{' and '.join(missed)} did not reach it in {max(r.steps for r in runs):,} updates")
    finished = [(final(r, "test_metric"), label) for r, label in zip(runs, labels) if not r.diverged]
    if finished:
        best, who = max(finished)
        value = f"{best:.3f}" if regression else f"{best:.1%}"
        parts.append(f"the best test {'R²' if regression else 'accuracy'} at the end is **{who}**'s ({value})")
    diverged = [label for r, label in zip(runs, labels) if r.diverged]
    if diverged:
        parts.append(f"{' and '.join(diverged)} diverged")
    return "; ".join(parts) + "."


def gap_verdict(without: ComparisonRun, with_: ComparisonRun, what: str) -> str:
    """How much ``with_`` narrowed the test − train gap of ``without`` (dropout, L2, L1)."""
    before, after = generalisation_gap(without), generalisation_gap(with_)
    if before <= 0:
        return (f"Without {what} the test cost is not above the training cost ({before:+.3g}): this network "
                "does not overfit, so there is no gap to close. Load the overfitting setup first.")
    change = before - after
    if change > 0:
        trend = f"narrowed by **{change:.3g}** ({change / before:.0%})"
    else:
        trend = f"did not narrow (it changed by {-change:+.3g})"
    acc = (f" Test accuracy: {final(without, 'test_metric'):.1%} without, {final(with_, 'test_metric'):.1%} with.")
    return (f"Test cost − training cost: **{before:.3g}** without {what}, **{after:.3g}** with it — the gap "
            f"{trend}.{acc}")
