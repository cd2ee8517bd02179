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


def _softplus(Z: Array) -> Array:
    """log(1 + e^z) without overflow: max(z, 0) + log1p(e^-|z|) (numpy's logaddexp(0, z))."""
    return np.logaddexp(0.0, Z)


def _binary_cross_entropy(ZL: Array, AL: Array, Y: Array) -> Array:
    # -log σ(z) = softplus(-z) and -log(1 - σ(z)) = softplus(z), so
    # -[y log σ(z) + (1-y) log(1-σ(z))] = y·softplus(-z) + (1-y)·softplus(z).
    # Each term is computed from the logit's own sign: no cancellation for y = 1, z ≫ 0
    # (log(1 + e^z) - y·z loses every digit there: 1.3% off at z = 30, 0 beyond z ≈ 37).
    return np.sum(Y * _softplus(-ZL) + (1.0 - Y) * _softplus(ZL), axis=0)


def log_softmax(Z: Array) -> Array:
    """Column-wise (Z: (n, m)) log softmax(z)_k = (z_k - z_max) - log Σ_j e^(z_j - z_max).

    The max entry contributes exactly e^0 = 1 to the sum; adding the others with log1p keeps
    full precision when the network is confident (the sum is 1 + something tiny)."""
    shifted = Z - Z.max(axis=0, keepdims=True)
    E = np.exp(shifted)
    E[np.argmax(Z, axis=0), np.arange(Z.shape[1])] = 0.0  # the max's own 1, added back through log1p below
    return shifted - np.log1p(E.sum(axis=0, keepdims=True))


def _categorical_cross_entropy(ZL: Array, AL: Array, Y: Array) -> Array:
    # -Σ_k y_k log softmax(z)_k, straight from the log-softmax (z_max is never added back).
    return -np.sum(Y * log_softmax(ZL), axis=0)


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
