"""Activation functions, each written next to its derivative.

Every entry of ``ACTIVATIONS`` pairs ``g(z)`` with ``g'(z)``. The derivative receives both
``Z`` and ``A = g(Z)`` because several derivatives are cheapest from the output
(sigmoid: ``A(1 - A)``, tanh: ``1 - A**2``), exactly as in the lecture notes.

``saturated`` marks entries in a flat region (derivative below 5% of its maximum) and
``dead`` marks entries that pass no gradient at all; the Gradients lab counts both.

Functions never modify their input: forward caches keep ``Z`` and ``A`` for plotting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    """One activation g with its derivative g'(Z, A) and a note for the explorer."""

    name: str
    fn: Callable[[Array], Array]
    grad: Callable[[Array, Array], Array] | None
    output_range: str
    note: str
    saturated: Callable[[Array, Array], Array] | None = None

    def __call__(self, Z: Array) -> Array:
        return self.fn(Z)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def sigmoid(Z: Array) -> Array:
    """σ(z) = 1 / (1 + e^-z), in two branches so it never overflows and keeps full precision.

    With E = e^-|z| (always in (0, 1]): σ(z) = 1 / (1 + E) for z ≥ 0 and E / (1 + E) for z < 0.
    For z ≪ 0 the result is the tiny number E / (1 + E) to full relative precision, nonzero down
    to z ≈ -745 (0.5·(1 + tanh(z/2)) cancels there: already 1.7e-4 off at z = -30, 0 below -37).
    """
    Z = np.asarray(Z, dtype=float)
    E = np.exp(-np.abs(Z))
    S = 1.0 / (1.0 + E)
    return np.where(Z < 0, E * S, S)


def softmax(Z: Array) -> Array:
    """Column-wise softmax of Z: (n, m). Subtracting the column max keeps exp() finite."""
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def _relu(Z: Array) -> Array:
    return np.maximum(Z, 0.0)


def _leaky_relu(Z: Array) -> Array:
    return np.where(Z > 0, Z, LEAKY_SLOPE * Z)


def _step(Z: Array) -> Array:
    return (Z > 0).astype(float)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid",
        fn=sigmoid,
        grad=lambda Z, A: A * (1.0 - A),
        output_range="(0, 1)",
        note="Squashes to (0, 1); its slope is at most 0.25 and nearly 0 for |z| > 4, "
        "so deep sigmoid stacks pass back vanishing gradients. Use it for a binary output.",
        saturated=lambda Z, A: np.abs(Z) > 4.36,  # σ'(z) < 5% of σ'(0) = 0.25
    ),
    "tanh": Activation(
        "tanh",
        fn=np.tanh,
        grad=lambda Z, A: 1.0 - A * A,
        output_range="(-1, 1)",
        note="Zero-centred sigmoid; slope 1 at z = 0 but it still saturates for |z| > 2. "
        "A good hidden activation with Xavier initialization.",
        saturated=lambda Z, A: np.abs(Z) > 2.18,  # 1 - tanh² < 5%
    ),
    "relu": Activation(
        "relu",
        fn=_relu,
        grad=lambda Z, A: (Z > 0).astype(Z.dtype),
        output_range="[0, ∞)",
        note="No saturation for z > 0, so gradients survive depth (pair it with He "
        "initialization); a unit whose z < 0 for every input is dead and stops learning.",
        saturated=lambda Z, A: Z <= 0,
    ),
    "leaky_relu": Activation(
        "leaky_relu",
        fn=_leaky_relu,
        grad=lambda Z, A: np.where(Z > 0, 1.0, LEAKY_SLOPE),
        output_range="(-∞, ∞)",
        note="ReLU with slope 0.01 for z < 0: a unit can always recover, none stay dead.",
    ),
    "linear": Activation(
        "linear",
        fn=lambda Z: Z,
        grad=lambda Z, A: np.ones_like(Z),
        output_range="(-∞, ∞)",
        note="g(z) = z. Stacked linear layers collapse into one linear map; use it for a "
        "regression output, not for hidden layers.",
    ),
    "step": Activation(
        "step",
        fn=_step,
        grad=None,
        output_range="{0, 1}",
        note="The perceptron's threshold: 1 if z > 0 else 0. Its slope is 0 everywhere "
        "(undefined at 0), so backpropagation cannot train it; the perceptron rule can.",
    ),
}

HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
OUTPUT_ACTIVATIONS = ("sigmoid", "softmax", "linear")


def get_activation(name: str) -> Activation:
    """Look an activation up by the name the user sees; say which names exist otherwise."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None
