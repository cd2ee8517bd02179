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
    kind: str = "race"  # what answers it: "race" (who gets there first), "gap" (test − train), "sparsity"

    def changes(self) -> list[dict[str, Any]]:
        return [dict(change) for _, change in self.runs]

    def labels(self) -> list[str]:
        return [label for label, _ in self.runs]


# A wide network on a small, noisy training set: it memorises the noise (CONCEPTS.md §10).
NO_EXTRAS = {"l2": 0.0, "l1": 0.0, "dropout": 0.0, "lr_decay": 0.0, "batch_norm": False, "residual": False}
OVERFIT = {"dataset": "moons", "n_samples": 80, "noise": 0.35, "test_ratio": 0.5, "data_seed": 0,
           "features": (), "hidden_sizes": (32, 32), "activation": "relu", "initializer": "he",
           "weight_seed": 0, "optimizer": "adam", "learning_rate": 0.01, "batch_size": 0, **NO_EXTRAS}
# Two hidden layers of 16 on circles, plain gradient descent: more weights than the task needs.
WIDE = {"dataset": "circles", "n_samples": 300, "noise": 0.1, "test_ratio": 0.3, "data_seed": 0, "features": (),
        "hidden_sizes": (16, 16), "activation": "tanh", "initializer": "xavier", "weight_seed": 0,
        "optimizer": "sgd", "learning_rate": 0.3, "batch_size": 0, **NO_EXTRAS}

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
    Experiment("dropout", "Exercise 7", "Dropout",
               "Does dropout improve test accuracy? A network that memorises its training set, without and with "
               "dropout (half the hidden units switched off at random in every update).",
               (("no dropout", {"dropout": 0.0}), ("dropout 0.5", {"dropout": 0.5})), steps=2000,
               setup=OVERFIT, setup_label="overfitting setup (two layers of 32 on 40 noisy training points)",
               kind="gap"),
    Experiment("regularization", "§10", "L1 or L2",
               "L1 adds (λ₁/m)·Σ|W| to the cost, L2 (λ/2m)·Σ W²: which one switches weights off?",
               (("no penalty", {"l1": 0.0, "l2": 0.0}), ("L2 λ = 0.3", {"l1": 0.0, "l2": 0.3}),
                ("L1 λ₁ = 0.3", {"l1": 0.3, "l2": 0.0})), steps=2000,
               setup=WIDE, setup_label="wider network (two layers of 16, plain gradient descent)", kind="sparsity"),
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
            "epochs": f"{final(run, 'epoch'):,.0f}",
            "seconds": f"{run.seconds:.2f}",
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


def sparsity_rows(runs: Sequence[ComparisonRun], labels: Sequence[str], threshold: float = NEAR_ZERO):
    """Per run: weights with |w| < threshold, their share, the largest |w|, final costs."""
    rows = []
    for label, run in zip(labels, runs):
        off, total = near_zero_weights(run.network.W) if run.network is not None else (0, 0)
        largest = max(float(np.abs(w).max()) for w in run.network.W[1:]) if run.network is not None else float("nan")
        rows.append({"run": label, f"weights with |w| < {threshold:g}": f"{off} of {total}",
                     "share": f"{off / total:.0%}" if total else "—", "largest |w|": f"{largest:.3g}",
                     "final train cost": f"{final(run, 'train_cost'):.4g}",
                     "test accuracy": f"{final(run, 'test_metric'):.1%}"})
    return rows


def sparsity_verdict(runs: Sequence[ComparisonRun], labels: Sequence[str], threshold: float = NEAR_ZERO) -> str:
    """Which penalty switched weights off, counted: 'L1 λ₁ = 0.3 left 244 of 304 weights below 0.001 …'."""
    counts = [near_zero_weights(r.network.W) if r.network is not None else (0, 0) for r in runs]
    parts = [f"**{label}**: {off} of {total}" for label, (off, total) in zip(labels, counts)]
    most = int(np.argmax([off for off, _ in counts]))
    fewest = int(np.argmin([off for off, _ in counts]))
    text = f"Weights with |w| < {threshold:g} after training — " + ", ".join(parts) + "."
    if counts[most][0] > counts[fewest][0]:
        text += (f" {labels[most]} switched off {counts[most][0] - counts[fewest][0]} more weights than "
                 f"{labels[fewest]}: the dotted grey lines in its diagram.")
    return text
