"""Gradient checking: backprop against two-sided finite differences (CONCEPTS.md §4).

For every parameter θ_i, ``(J(θ + ε e_i) - J(θ - ε e_i)) / 2ε`` approximates ∂J/∂θ_i.
Backprop is right when the relative difference

    ||g_num - g_bp|| / (||g_num|| + ||g_bp||)

is about 1e-7 or less; above 1e-5 something is wrong. Float64 throughout.

Every learned parameter is checked: W[l], b[l], and batch norm's γ[l], β[l]. The cost is the
training-mode cost (batch statistics) the gradients belong to; dropout masks are drawn once
and then held fixed for every evaluation of J (otherwise J would be a different random
function each time), and the network's running averages and dropout generator are left as
they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .network import Cache, Gradients, Network, check_l1, check_l2, finite_real

PASS_BELOW = 1e-7
FAIL_ABOVE = 1e-5

BackwardFn = Callable[..., Gradients]  # (net, cache, Y, l2[, l1]) -> Gradients


def default_backward(net: Network, cache: Cache, Y: np.ndarray, l2: float, l1: float = 0.0) -> Gradients:
    return net.backward(cache, Y, l2=l2, l1=l1)


@dataclass(frozen=True)
class LayerCheck:
    """Numerical vs backprop gradient of one parameter block (W[l], b[l], γ[l] or β[l])."""

    name: str  # "W1", "b1", "gamma1", "beta1", ...
    layer: int
    numerical: np.ndarray
    backprop: np.ndarray

    @property
    def relative_difference(self) -> float:
        return relative_difference(self.numerical, self.backprop)

    @property
    def verdict(self) -> str:
        return verdict(self.relative_difference)


def relative_difference(g_num: np.ndarray, g_bp: np.ndarray) -> float:
    """||g_num - g_bp|| / (||g_num|| + ||g_bp||); 0 when both are exactly zero."""
    denominator = np.linalg.norm(g_num) + np.linalg.norm(g_bp)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(g_num - g_bp) / denominator)


def verdict(rel_diff: float) -> str:
    """'pass' (< 1e-7), 'warn', or 'fail' (> 1e-5)."""
    if not np.isfinite(rel_diff) or rel_diff > FAIL_ABOVE:
        return "fail"
    return "pass" if rel_diff < PASS_BELOW else "warn"


def gradient_check(
    net: Network,
    X: np.ndarray,
    Y: np.ndarray,
    epsilon: float = 1e-6,
    l2: float = 0.0,
    backward: BackwardFn = default_backward,
    l1: float = 0.0,
) -> list[LayerCheck]:
    """Compare backprop with two-sided differences for every W[l] and b[l] of ``net`` (and
    γ[l], β[l] with batch norm), in the order W1, b1, gamma1, beta1, W2, ...

    ``backward`` can be swapped for a deliberately broken one to watch the check catch it
    (called as ``backward(net, cache, Y, l2)``, plus ``l1`` when it is not 0). The network's
    parameters, running averages and dropout generator are restored exactly afterwards.
    """
    if not finite_real(epsilon) or not 0 < epsilon <= 0.1:
        raise ValueError(f"epsilon must be a small positive number (0 < ε ≤ 0.1; 1e-6 is typical), got {epsilon!r}")
    l2, l1 = check_l2(l2), check_l1(l1)
    cache = net.forward(X, update_state=False)  # draws the dropout masks once: they stay fixed
    masks = cache.D

    def J() -> float:
        return net.cost(net.forward(X, dropout_masks=masks, update_state=False), Y, l2, l1)

    grads = backward(net, cache, Y, l2, l1) if l1 else backward(net, cache, Y, l2)
    checks = []
    for l in range(1, net.L + 1):
        for key in net.trainable:
            param, g_bp = getattr(net, key)[l], getattr(grads, "d" + key)[l]
            if param is None:
                continue
            g_num = np.zeros_like(param)
            for index in np.ndindex(param.shape):
                original = param[index]
                param[index] = original + epsilon
                J_plus = J()
                param[index] = original - epsilon
                J_minus = J()
                param[index] = original
                g_num[index] = (J_plus - J_minus) / (2 * epsilon)
            checks.append(LayerCheck(f"{key}{l}", l, g_num, g_bp))
    return checks


def overall_relative_difference(checks: list[LayerCheck]) -> float:
    """The relative difference over all parameters stacked into one vector."""
    g_num = np.concatenate([c.numerical.ravel() for c in checks])
    g_bp = np.concatenate([c.backprop.ravel() for c in checks])
    return relative_difference(g_num, g_bp)
