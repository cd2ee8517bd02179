"""Optimizers: turn the gradients that ``backward`` returned into a parameter update.

All update the network by *assigning new arrays* (``W[l] = W[l] - α·step``) rather than
writing in place, so a training session can keep the previous weights by reference and
restore them for free if an update turns out to be non-finite.

CONCEPTS.md §7:
- SGD:       W := W - α dW
- momentum:  v := β v + (1-β) dW;                W := W - α v
- RMSProp:   s := β s + (1-β) dW²;               W := W - α dW / (√s + ε)
- Adam:      v, s as above, bias-corrected by 1-β^t;  W := W - α v̂ / (√ŝ + ε)

The same rule updates every learned parameter list the network names in ``net.trainable``:
W and b, and batch norm's γ and β (gradients ``grads.dgamma``, ``grads.dbeta``).
"""

from __future__ import annotations

import numpy as np

from .network import Gradients, Network, finite_real


def _zeros_like_parameters(net: Network) -> dict[str, list]:
    """Per-layer zero arrays shaped like W[l], b[l] (γ[l], β[l]), for running averages."""
    return {key: [None if p is None else np.zeros_like(p) for p in getattr(net, key)] for key in net.trainable}


def _pairs(net: Network, grads: Gradients):
    """(parameter list, gradient list) for W, b (and γ, β with batch norm)."""
    return [(key, getattr(net, key), getattr(grads, "d" + key)) for key in net.trainable]


def _layers(params: list):
    """The layers l that have this parameter (γ and β: the hidden layers with batch norm)."""
    return [l for l in range(1, len(params)) if params[l] is not None]


def check_learning_rate(learning_rate) -> float:
    """α as a float > 0; ValueError otherwise (NaN or ∞ would silently turn every weight into
    NaN, a negative α climbs the cost instead of descending it)."""
    if not finite_real(learning_rate) or learning_rate <= 0:
        raise ValueError(f"the learning rate α must be a finite number > 0 (e.g. 0.1), got {learning_rate!r}")
    return float(learning_rate)


class Optimizer:
    """Base class: ``update(net, grads, learning_rate)`` applies one step."""

    name = "base"

    def update(self, net: Network, grads: Gradients, learning_rate: float) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class SGD(Optimizer):
    name = "sgd"

    def update(self, net: Network, grads: Gradients, learning_rate: float) -> None:
        learning_rate = check_learning_rate(learning_rate)
        for _, params, g in _pairs(net, grads):
            for l in _layers(params):
                params[l] = params[l] - learning_rate * g[l]


class Momentum(Optimizer):
    """Exponentially weighted average of past gradients (velocity v)."""

    name = "momentum"

    def __init__(self, beta: float = 0.9):
        self.beta = beta
        self.v: dict | None = None

    def update(self, net: Network, grads: Gradients, learning_rate: float) -> None:
        learning_rate = check_learning_rate(learning_rate)
        if self.v is None:
            self.v = _zeros_like_parameters(net)
        beta = self.beta
        for key, params, g in _pairs(net, grads):
            v = self.v[key]
            for l in _layers(params):
                v[l] = beta * v[l] + (1 - beta) * g[l]
                params[l] = params[l] - learning_rate * v[l]


class RMSProp(Optimizer):
    """Divide each step by a running root-mean-square of that parameter's gradients."""

    name = "rmsprop"

    def __init__(self, beta: float = 0.9, epsilon: float = 1e-8):
        self.beta, self.epsilon = beta, epsilon
        self.s: dict | None = None

    def update(self, net: Network, grads: Gradients, learning_rate: float) -> None:
        learning_rate = check_learning_rate(learning_rate)
        if self.s is None:
            self.s = _zeros_like_parameters(net)
        beta, eps = self.beta, self.epsilon
        for key, params, g in _pairs(net, grads):
            s = self.s[key]
            for l in _layers(params):
                s[l] = beta * s[l] + (1 - beta) * (g[l] * g[l])
                params[l] = params[l] - learning_rate * g[l] / (np.sqrt(s[l]) + eps)


class Adam(Optimizer):
    """Momentum and RMSProp together, with bias correction for the first steps."""

    name = "adam"

    def __init__(self, beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8):
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.t = 0
        self.v: dict | None = None
        self.s: dict | None = None

    def update(self, net: Network, grads: Gradients, learning_rate: float) -> None:
        learning_rate = check_learning_rate(learning_rate)
        if self.v is None:
            self.v = _zeros_like_parameters(net)
            self.s = _zeros_like_parameters(net)
        self.t += 1
        b1, b2, eps = self.beta1, self.beta2, self.epsilon
        # v̂ = v / (1-β1^t), ŝ = s / (1-β2^t). Correcting s before adding ε (not folding both
        # corrections into α) keeps ε from shrinking the early steps of tiny gradients.
        correct1, correct2 = 1.0 / (1 - b1**self.t), 1.0 / (1 - b2**self.t)
        for key, params, g in _pairs(net, grads):
            v, s = self.v[key], self.s[key]
            for l in _layers(params):
                v[l] = b1 * v[l] + (1 - b1) * g[l]
                s[l] = b2 * s[l] + (1 - b2) * (g[l] * g[l])
                params[l] = params[l] - learning_rate * (v[l] * correct1) / (np.sqrt(s[l] * correct2) + eps)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "rmsprop": RMSProp,
    "adam": Adam,
}


def make_optimizer(name: str) -> Optimizer:
    """A fresh optimizer (with empty state) by the name the user sees."""
    try:
        return OPTIMIZERS[name]()
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}") from None
