"""Batch normalization and inverted dropout, each forward written next to its backward
(CONCEPTS.md §10). ``Network`` calls these for its hidden layers; they are plain functions of
arrays so a notebook (or a test) can check them on their own.

Gradients follow the engine's convention: ``dZ`` is m·∂J/∂Z (the 1/m comes in dW, db, dγ, dβ),
so ``dZ[L] = A[L] - Y`` at the output.

Batch normalization of one layer's Z: (n, m), per unit (row) over the m examples (columns):

    μ       = (1/m) Σ_columns Z                      (n, 1)
    σ²      = (1/m) Σ_columns (Z - μ)²               (n, 1)   the biased batch variance
    Z_norm  = (Z - μ) / √(σ² + ε)                    (n, m)
    Z̃       = γ Z_norm + β                            γ, β: (n, 1), learned

and backward, from dZ̃ (every example's Z moves μ and σ², hence the two mean terms):

    dγ      = (1/m) Σ_columns dZ̃ * Z_norm
    dβ      = (1/m) Σ_columns dZ̃
    dZ      = γ / √(σ² + ε) · (dZ̃ - dβ - Z_norm * dγ)

At evaluation time μ and σ² are replaced by running (exponentially weighted) averages kept
during training, so a prediction never depends on which other examples share its batch.
As in PyTorch, the running variance averages the *unbiased* batch variance m/(m-1)·σ²
(an estimate of the population's), while training normalizes with the biased σ² above.

Inverted dropout of a hidden layer's activation G: (n, m) with keep probability p:

    D       = (rand(n, m) < p)                        the mask, drawn once per forward pass
    A       = G * D / p                               dividing by p keeps E[A] = G
    dG      = dA * D / p                              the same mask in backward
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray
BN_EPSILON = 1e-5  # ε inside √(σ² + ε); the same default as PyTorch's BatchNorm1d
BN_MOMENTUM = 0.9  # β of the running averages: running := β·running + (1-β)·batch (PyTorch: 0.1 = 1-β)


def column_mean(m: int) -> Array:
    """The (m, 1) column 1/m: ``Z @ column_mean(m)`` is the mean over the m examples, per row
    (a matrix-vector product: several times faster than ``Z.mean(axis=1)`` at these sizes)."""
    return np.full((m, 1), 1.0 / m)


def batch_norm_forward(Z: Array, gamma: Array, beta: Array, epsilon: float = BN_EPSILON, mean: Array | None = None):
    """Training mode: normalize with this batch's μ and σ². Returns Z_norm, Z̃, μ, σ².
    (``mean``: ``column_mean(m)``, if the caller has it already.)"""
    mean = column_mean(Z.shape[1]) if mean is None else mean
    mu = Z @ mean
    Z_norm = Z - mu
    var = (Z_norm * Z_norm) @ mean
    Z_norm *= 1.0 / np.sqrt(var + epsilon)  # in place: (Z - μ) becomes Z_norm
    Z_tilde = gamma * Z_norm
    Z_tilde += beta
    return Z_norm, Z_tilde, mu, var


def batch_norm_backward(dZ_tilde: Array, Z_norm: Array, gamma: Array, var: Array, epsilon: float = BN_EPSILON,
                        mean: Array | None = None):
    """Backward through training-mode batch norm (through μ and σ² too). Returns dZ, dγ, dβ."""
    mean = column_mean(dZ_tilde.shape[1]) if mean is None else mean
    dgamma = (dZ_tilde * Z_norm) @ mean
    dbeta = dZ_tilde @ mean
    dZ = dZ_tilde - dbeta
    dZ -= Z_norm * dgamma
    dZ *= gamma * (1.0 / np.sqrt(var + epsilon))
    return dZ, dgamma, dbeta


def batch_norm_eval(Z: Array, gamma: Array, beta: Array, running_mean: Array, running_var: Array,
                    epsilon: float = BN_EPSILON) -> Array:
    """Evaluation mode: Z̃ = γ (Z - running μ) / √(running σ² + ε) + β, computed as one
    per-unit scale and shift of Z (the same numbers, two passes over Z instead of four)."""
    scale = gamma * (1.0 / np.sqrt(running_var + epsilon))
    Z_tilde = Z * scale
    Z_tilde += beta - running_mean * scale
    return Z_tilde


def running_average(running: Array, batch: Array, momentum: float = BN_MOMENTUM) -> Array:
    """running := β·running + (1-β)·batch (a new array: snapshots keep the old one)."""
    return momentum * running + (1.0 - momentum) * batch


def unbiased(var: Array, m: int) -> Array:
    """m/(m-1)·σ², the batch's estimate of the population variance (σ² itself when m = 1)."""
    return var * (m / (m - 1)) if m > 1 else var


def dropout_mask(rng: np.random.Generator, shape: tuple[int, int], keep_prob: float) -> Array:
    """D = (rand < keep_prob): True for the units kept, each with probability keep_prob."""
    return rng.random(shape) < keep_prob


def dropout_forward(G: Array, D: Array, keep_prob: float) -> Array:
    """A = G * D / keep_prob (inverted dropout: no rescaling needed at test time)."""
    return G * D / keep_prob


def dropout_backward(dA: Array, D: Array, keep_prob: float) -> Array:
    """dG = dA * D / keep_prob: a dropped unit passes no gradient back."""
    return dA * D / keep_prob
