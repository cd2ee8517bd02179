"""Batch normalization and residual connections against vanishing gradients (practice exercise 5,
CONCEPTS.md §10), measured rather than claimed.

The notes' deep network — 10 hidden sigmoid layers of 16, Xavier, circles, α = 0.1, full batch —
is trained three times from the same seeds: without a fix, with batch normalization, with residual
connections. What the page says about them is computed from the runs: how much of the output
layer's gradient reaches layer 1 at initialization, how that changes, and where each run ends.
(Reference, PyTorch: ‖dW[1]‖/‖dW[11]‖ ≈ 10⁻⁸ without, ≈ 0.5 with batch norm; after 2,000 updates
≈ 50% accuracy without, 100% with. With sigmoid, skips help the gradient far less.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...settings import Settings
from .compare import ComparisonRun
from .diagnosis import EXPLODING_RATIO, VANISHING_RATIO, power_of_ten, share_of

REFERENCE = {"dataset": "circles", "n_samples": 300, "noise": 0.1, "data_seed": 0, "features": (),
             "hidden_sizes": (16,) * 10, "activation": "sigmoid", "initializer": "xavier", "weight_seed": 0,
             "optimizer": "sgd", "learning_rate": 0.1, "batch_size": 0, "l2": 0.0, "l1": 0.0, "lr_decay": 0.0,
             "dropout": 0.0, "batch_norm": False, "residual": False}
STEPS = 2000
FIXES = (("no fix", {"batch_norm": False, "residual": False}),
         ("batch norm", {"batch_norm": True, "residual": False}),
         ("residual connections", {"batch_norm": False, "residual": True}))
MIN_RESIDUAL_DEPTH = 3  # the first skip is A[3] = g(Z[3]) + A[1]


def fix_runs(base: Settings) -> tuple[list[str], list[dict], str]:
    """Labels and changes for the comparison on ``base``, and a note on any fix left out."""
    runs, notes = list(FIXES), []
    if base.batch_size == 1:
        runs = [r for r in runs if not r[1]["batch_norm"]]
        notes.append("Batch normalization needs at least 2 examples per batch, so it is left out: pick a larger "
                     "batch size.")
    if len(base.hidden_sizes) < MIN_RESIDUAL_DEPTH:
        runs = [r for r in runs if not r[1]["residual"]]
        notes.append(f"Residual connections need at least {MIN_RESIDUAL_DEPTH} hidden layers (the first skip is "
                     "A[3] = g(Z[3]) + A[1]), so they are left out.")
    return [label for label, _ in runs], [dict(change) for _, change in runs], " ".join(notes)


def gradient_ratio(norms: np.ndarray) -> float:
    """‖dW[1]‖ / ‖dW[L]‖ (NaN when the top gradient is 0 or not finite)."""
    norms = np.asarray(norms, dtype=float)
    if norms.size == 0 or not np.isfinite(norms).all() or norms[-1] <= 0:
        return float("nan")
    return float(norms[0] / norms[-1])


@dataclass(frozen=True)
class FixResult:
    label: str
    ratio_start: float
    ratio_end: float
    train_metric: float
    test_metric: float
    train_cost: float
    steps: int
    diverged: bool


def summarize(label: str, run: ComparisonRun) -> FixResult:
    h = run.history
    return FixResult(label, gradient_ratio(run.initial_stats.grad_norm_W), gradient_ratio(run.final_stats.grad_norm_W),
                     float(h.column("train_metric")[-1]), float(h.column("test_metric")[-1]),
                     float(h.column("train_cost")[-1]), run.steps, run.diverged)


def healthy(ratio: float) -> bool:
    return bool(np.isfinite(ratio) and VANISHING_RATIO <= ratio <= EXPLODING_RATIO)


def _gain(fix: FixResult, none: FixResult) -> str:
    """'10³ times more than without' / 'about the same as without'."""
    if not (np.isfinite(fix.ratio_start) and np.isfinite(none.ratio_start)) or none.ratio_start <= 0:
        return ""
    factor = fix.ratio_start / none.ratio_start
    if factor >= 10:
        return f"{power_of_ten(factor)} times more than without a fix"
    if factor <= 0.1:
        return f"{power_of_ten(1 / factor)} times less than without a fix"
    return "about as much as without a fix"


def verdict(results: Sequence[FixResult], L: int, regression: bool = False) -> list[str]:
    """What the runs say, sentence by sentence, from their numbers only."""
    none, fixes = results[0], results[1:]
    metric = "R²" if regression else "training accuracy"

    def value(x: float) -> str:
        return f"{x:.3f}" if regression else f"{x:.0%}"

    lines = [f"**At initialization** layer 1 receives {share_of(none.ratio_start)} the gradient of layer {L} "
             "without a fix" + "".join(f"; {share_of(f.ratio_start)} it with {f.label}" for f in fixes) + "."]
    for f in fixes:
        state = ("every layer now gets a gradient within a factor 100 of the output layer's" if healthy(f.ratio_start)
                 else "still far too little: the gradient still vanishes" if f.ratio_start < VANISHING_RATIO
                 else "now the gradient grows toward the input")
        gain = _gain(f, none)
        lines.append(f"With **{f.label}** layer 1 gets {gain + ' — ' if gain else ''}{state}.")
    steps = max(r.steps for r in results)
    lines.append(f"**After {steps:,} updates** the {metric} is {value(none.train_metric)} without a fix"
                 + "".join(f", {value(f.train_metric)} with {f.label}" for f in fixes) + ".")
    if len(fixes) == 2 and all(np.isfinite([f.ratio_start for f in fixes])):
        closer = min(fixes, key=lambda f: abs(np.log10(max(f.ratio_start, 1e-300))))
        other = fixes[1] if closer is fixes[0] else fixes[0]
        better = max(fixes, key=lambda f: (f.train_metric, -f.train_cost))
        sentence = (f"Here **{closer.label}** does more for the gradient than {other.label} "
                    f"({share_of(closer.ratio_start)} against {share_of(other.ratio_start)} at the start)")
        if better is closer:
            sentence += f", and it also trains better ({value(closer.train_metric)} against {value(other.train_metric)})."
        else:
            sentence += (f", but {better.label} trains better here ({value(better.train_metric)} against "
                         f"{value(closer.train_metric)}).")
        lines.append(sentence)
    return lines
