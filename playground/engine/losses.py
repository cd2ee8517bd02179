"""Cost functions, each matched to the output activation it belongs with.

For all three matched pairs the gradient of the cost with respect to the output
pre-activation is the same simple expression (CONCEPTS.md §3):

    dZ[L] = A[L] - Y        (summed over the m columns later, with the 1/m)

The costs are computed from the logits ``Z[L]`` rather than from ``A[L]`` so that
``log(0)`` and ``exp`` overflow cannot happen, however confident the network is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Loss:
    """A cost J(Z[L], A[L], Y) averaged over the m examples, and the output it expects."""

    name: str
    output_activation: str
    per_example: Callable[[Array, Array, Array], Array]
    formula: str

    def cost(self, ZL: Array, AL: Array, Y: Array) -> float:
        """J: mean over the columns (examples) of the per-example loss."""
        return float(np.mean(self.per_example(ZL, AL, Y)))

    def delta(self, AL: Array, Y: Array) -> Array:
        """dZ[L] = A[L] - Y (per example; the 1/m comes in dW and db)."""
        return AL - Y


def _binary_cross_entropy(ZL: Array, AL: Array, Y: Array) -> Array:
    # -[y log σ(z) + (1-y) log(1-σ(z))] = log(1 + e^z) - y z, and logaddexp never overflows.
    return np.sum(np.logaddexp(0.0, ZL) - Y * ZL, axis=0)


def _categorical_cross_entropy(ZL: Array, AL: Array, Y: Array) -> Array:
    # -Σ_k y_k log softmax(z)_k = logsumexp(z) - Σ_k y_k z_k, with the max subtracted.
    z_max = ZL.max(axis=0, keepdims=True)
    log_sum_exp = z_max[0] + np.log(np.sum(np.exp(ZL - z_max), axis=0))
    return log_sum_exp - np.sum(Y * ZL, axis=0)


def _half_squared_error(ZL: Array, AL: Array, Y: Array) -> Array:
    return 0.5 * np.sum((AL - Y) ** 2, axis=0)


LOSSES: dict[str, Loss] = {
    "binary_cross_entropy": Loss(
        "binary_cross_entropy",
        "sigmoid",
        _binary_cross_entropy,
        r"J = -\frac{1}{m}\sum_{i=1}^{m}\left[y^{(i)}\log \hat y^{(i)} + (1-y^{(i)})\log(1-\hat y^{(i)})\right]",
    ),
    "categorical_cross_entropy": Loss(
        "categorical_cross_entropy",
        "softmax",
        _categorical_cross_entropy,
        r"J = -\frac{1}{m}\sum_{i=1}^{m}\sum_{k} y_k^{(i)}\log \hat y_k^{(i)}",
    ),
    "mean_squared_error": Loss(
        "mean_squared_error",
        "linear",
        _half_squared_error,
        r"J = \frac{1}{2m}\sum_{i=1}^{m}\left(\hat y^{(i)} - y^{(i)}\right)^2",
    ),
}

LOSS_FOR_OUTPUT = {loss.output_activation: loss for loss in LOSSES.values()}
