"""Per-layer statistics read off what forward and backward already computed.

These feed the gradient views: ||dW[l]|| and ||dA[l]|| per layer (the slope of that profile
is the vanishing/exploding story), mean |dW[l]|, and the share of a layer's units that sit in
a flat region (saturated sigmoid/tanh) or pass no gradient for any example (dead ReLU).
Saturation is read on what the activation actually sees: Z̃[l] = γ Z_norm + β with batch norm
(a sigmoid layer whose raw Z[l] is huge is not saturated once batch norm rescales it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .network import Cache, Gradients, Network


@dataclass(frozen=True)
class LayerStats:
    """Arrays of length L (index 0 is layer 1). NaN where a quantity does not apply."""

    grad_norm_W: np.ndarray  # ||dW[l]||_F
    grad_norm_A: np.ndarray  # ||dA[l]||_F (hidden layers; NaN for the output layer)
    mean_abs_dW: np.ndarray
    saturated_fraction: np.ndarray  # share of (unit, example) entries in a flat region
    dead_fraction: np.ndarray  # share of units with no gradient for every example
    grad_norm_gamma: np.ndarray | None = None  # ||dγ[l]|| with batch norm (NaN for the output layer)
    grad_norm_beta: np.ndarray | None = None  # ||dβ[l]||


def gradient_norms(grads: Gradients) -> np.ndarray:
    """||dW[l]||_F for l = 1..L, as an array of length L. Cheap: run every training step."""
    return np.array([np.sqrt(np.vdot(dW, dW)) for dW in grads.dW[1:]])


def layer_stats(net: Network, cache: Cache, grads: Gradients) -> LayerStats:
    """All per-layer statistics for the batch that produced ``cache`` and ``grads``."""
    L = net.L
    norm_A = np.full(L, np.nan)
    saturated = np.full(L, np.nan)
    dead = np.full(L, np.nan)
    activation = ACTIVATIONS[net.hidden_activation]
    for l in range(1, L):
        if grads.dA[l] is not None:
            norm_A[l - 1] = np.linalg.norm(grads.dA[l])
        Z, A = cache.Z_tilde[l], cache.G[l]  # the activation's input and output
        if activation.saturated is not None:
            flat = activation.saturated(Z, A)
            saturated[l - 1] = flat.mean()
            # A unit is dead when it is flat for every example (ReLU: z ≤ 0 everywhere). A
            # leaky ReLU unit is never dead: its slope is 0.01, not 0 (Activation.dies).
            if activation.dies:
                dead[l - 1] = flat.all(axis=1).mean()
    bn_norms = {}
    if net.batch_norm:
        for key in ("dgamma", "dbeta"):
            bn_norms[key] = np.array([np.nan if g is None else np.linalg.norm(g) for g in getattr(grads, key)[1:]])
    return LayerStats(
        grad_norm_W=gradient_norms(grads),
        grad_norm_A=norm_A,
        mean_abs_dW=np.array([np.mean(np.abs(dW)) for dW in grads.dW[1:]]),
        saturated_fraction=saturated,
        dead_fraction=dead,
        grad_norm_gamma=bn_norms.get("dgamma"),
        grad_norm_beta=bn_norms.get("dbeta"),
    )


def first_non_finite_layer(cache: Cache | None, grads: Gradients | None) -> int | None:
    """The first layer whose values stopped being finite, in the order they were computed:
    forward (l = 1..L), then backward (l = L..1). None if everything is finite."""
    if cache is not None:
        for l in range(1, len(cache.A)):
            if not np.isfinite(cache.A[l]).all() or not np.isfinite(cache.Z[l]).all():
                return l
    if grads is not None:
        for l in range(grads.L, 0, -1):
            if not (np.isfinite(grads.dW[l]).all() and np.isfinite(grads.db[l]).all()):
                return l
    return None
