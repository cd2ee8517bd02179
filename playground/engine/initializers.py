"""Weight initializers. Each returns W[l] with shape (n[l], n[l-1]); biases start at zero.

The choice matters (CONCEPTS.md §5):
- zeros: every unit of a layer computes the same function forever (the symmetry problem);
- small, 0.01·N(0,1): breaks symmetry, but signals shrink layer after layer in deep nets;
- large, 1.0·N(0,1): sigmoid/tanh saturate (gradients vanish), ReLU nets can explode;
- xavier (Glorot): variance 1/n[l-1], keeps tanh/sigmoid signals at a steady size;
- he: variance 2/n[l-1], the same idea for ReLU, which zeroes half its inputs.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np

Initializer = Callable[[int, int, np.random.Generator], np.ndarray]


def _scaled_normal(std_of_fan_in: Callable[[int], float]) -> Initializer:
    def init(n_out: int, n_in: int, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal((n_out, n_in)) * std_of_fan_in(n_in)

    return init


INITIALIZERS: dict[str, Initializer] = {
    "zeros": lambda n_out, n_in, rng: np.zeros((n_out, n_in)),
    "small": _scaled_normal(lambda n_in: 0.01),
    "large": _scaled_normal(lambda n_in: 1.0),
    "xavier": _scaled_normal(lambda n_in: np.sqrt(1.0 / n_in)),
    "he": _scaled_normal(lambda n_in: np.sqrt(2.0 / n_in)),
}


def normal_initializer(std: float) -> Initializer:
    """A custom σ·N(0,1) initializer (the Gradients lab's "custom σ")."""
    if not np.isfinite(std) or std < 0:
        raise ValueError(f"initializer standard deviation must be a number ≥ 0, got {std}")
    return _scaled_normal(lambda n_in: std)


def get_initializer(name: str | float) -> Initializer:
    """An initializer by name, or a number meaning a custom standard deviation."""
    if isinstance(name, (bool, np.bool_)):  # True is an int to Python, but not a σ anyone meant
        raise ValueError(f"initializer must be one of {', '.join(INITIALIZERS)} or a number σ ≥ 0, got {name!r}")
    if isinstance(name, numbers.Real):
        return normal_initializer(float(name))
    try:
        return INITIALIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown initializer {name!r}; choose one of {', '.join(INITIALIZERS)}"
        ) from None
