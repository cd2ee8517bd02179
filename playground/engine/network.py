"""A dense feed-forward network in the lecture notation (CONCEPTS.md §3).

Examples are columns. With ``L`` layers of sizes ``n[0] .. n[L]``:

    X        : (n[0], m)          A[0] = X
    W[l]     : (n[l], n[l-1])     b[l] : (n[l], 1)
    Z[l]     = W[l] A[l-1] + b[l]            (b broadcast over the m columns)
    A[l]     = g[l](Z[l])

and backward, for the matched output/loss pairs:

    dZ[L]    = A[L] - Y
    dW[l]    = (1/m) dZ[l] A[l-1]^T + (λ/m) W[l]
    db[l]    = (1/m) Σ_columns dZ[l]
    dA[l-1]  = W[l]^T dZ[l]
    dZ[l-1]  = dA[l-1] * g'[l-1](Z[l-1])

Lists are indexed by layer number like the notes: ``net.W[1]`` is W[1]; index 0 (the input
layer, which has no weights) holds ``None``. ``backward`` *returns* the gradients; applying
them is an optimizer's job, so the gradient views can read them for free.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, sigmoid, softmax
from .initializers import get_initializer
from .losses import LOSS_FOR_OUTPUT

Array = np.ndarray
MAX_WIDTH = 256
MAX_HIDDEN_LAYERS = 30
PREDICT_BLOCK = 2048  # columns per block when predict_proba sweeps a large input

OUTPUT_FUNCTIONS = {"sigmoid": sigmoid, "softmax": softmax, "linear": lambda Z: Z}

MAX_INPUTS = 4096  # n[0]: the digits have 64 pixels, the planes 2 to 7 features


def whole_number(value, what: str) -> int:
    """``value`` as an int if it is a whole number (3, 3.0, np.int64(3)); ValueError otherwise.
    (``int(1.5)`` would silently give 1, ``int(inf)`` an OverflowError, ``True`` a 1.)"""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if not math.isfinite(value) or not float(value).is_integer():
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    return int(value)


def finite_array(values, what: str, shape_hint: str) -> Array:
    """``values`` as a float64 array; ValueError naming the first NaN/infinite entry."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be an array of numbers {shape_hint}") from None
    if not np.isfinite(array).all():
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(
            f"{what} holds {array[index]} at index {index}: every entry must be a finite number "
            "(NaN and infinity cannot be trained on); fix or drop that value"
        )
    return array


def check_l2(l2) -> float:
    """The L2 strength λ as a float ≥ 0; ValueError otherwise."""
    if isinstance(l2, (bool, np.bool_)) or not isinstance(l2, numbers.Real) or not math.isfinite(l2) or l2 < 0:
        raise ValueError(f"the L2 strength λ must be a finite number ≥ 0 (0 = no penalty), got {l2!r}")
    return float(l2)


@dataclass
class Cache:
    """What forward propagation keeps for backward: Z[l] and A[l], l = 0..L (Z[0] is None)."""

    Z: list
    A: list

    @property
    def output(self) -> Array:
        return self.A[-1]


@dataclass
class Gradients:
    """What backward propagation returns, indexed by layer like the parameters.

    dW[l], db[l] for l = 1..L (shapes of W[l], b[l]); dZ[l] for l = 1..L; dA[l] for
    l = 0..L-1 (dA[0], the gradient with respect to the input, only when asked for).
    """

    dW: list
    db: list
    dZ: list
    dA: list

    @property
    def L(self) -> int:
        return len(self.dW) - 1


class Network:
    """Fully connected network built from layer sizes ``[n_x, n[1], ..., n_y]``.

    >>> net = Network([2, 4, 1], hidden_activation="tanh", initializer="xavier", seed=0)
    >>> net.W[1].shape, net.b[1].shape
    ((4, 2), (4, 1))
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        hidden_activation: str = "tanh",
        output_activation: str = "sigmoid",
        initializer: str | float = "xavier",
        seed: int = 0,
    ):
        sizes = tuple(whole_number(n, f"layer_sizes[{i}]") for i, n in enumerate(layer_sizes))
        if len(sizes) < 2:
            raise ValueError("layer_sizes needs at least an input and an output size, e.g. [2, 1]")
        if len(sizes) - 2 > MAX_HIDDEN_LAYERS:
            raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(sizes) - 2}")
        if any(n < 1 or n > MAX_WIDTH for n in sizes[1:]) or not 1 <= sizes[0] <= MAX_INPUTS:
            raise ValueError(f"every layer needs between 1 and {MAX_WIDTH} units (the input between 1 and "
                             f"{MAX_INPUTS}), got {list(sizes)}")
        if hidden_activation not in ACTIVATIONS:
            raise ValueError(
                f"unknown hidden activation {hidden_activation!r}; "
                f"choose one of {', '.join(HIDDEN_ACTIVATIONS)}"
            )
        if output_activation not in OUTPUT_ACTIVATIONS:
            raise ValueError(
                f"unknown output activation {output_activation!r}; "
                f"choose one of {', '.join(OUTPUT_ACTIVATIONS)}"
            )
        self.layer_sizes = sizes
        self.hidden_activation = hidden_activation
        self.output_activation = output_activation
        self.initializer = initializer
        self.seed = seed
        self.loss = LOSS_FOR_OUTPUT[output_activation]
        self._g = [None] + [ACTIVATIONS[hidden_activation]] * (self.L - 1)
        self._g_out = OUTPUT_FUNCTIONS[output_activation]

        init = get_initializer(initializer)
        rng = np.random.default_rng(seed)
        self.W: list = [None]
        self.b: list = [None]
        for l in range(1, self.L + 1):
            self.W.append(init(sizes[l], sizes[l - 1], rng))
            self.b.append(np.zeros((sizes[l], 1)))

    # -- shape facts ---------------------------------------------------------------
    @property
    def L(self) -> int:
        """Number of layers with weights (hidden layers + the output layer)."""
        return len(self.layer_sizes) - 1

    @property
    def parameter_count(self) -> int:
        """Edges (weights) plus neurons (one bias each)."""
        n = self.layer_sizes
        return sum(n[l] * n[l - 1] + n[l] for l in range(1, len(n)))

    def __repr__(self) -> str:
        arch = "-".join(str(n) for n in self.layer_sizes)
        return (
            f"Network({arch}, hidden={self.hidden_activation}, output={self.output_activation}, "
            f"init={self.initializer}, seed={self.seed})"
        )

    def set_layer(self, l: int, W: Array | None = None, b: Array | None = None) -> None:
        """Replace W[l] and/or b[l], checking the lecture shapes (n[l], n[l-1]) and (n[l], 1)."""
        if isinstance(l, (bool, np.bool_)) or not isinstance(l, numbers.Integral) or not 1 <= l <= self.L:
            raise ValueError(f"layer must be between 1 and {self.L} (a whole number), got {l!r}")
        n_out, n_in = self.layer_sizes[l], self.layer_sizes[l - 1]
        if W is not None:
            W = np.array(finite_array(W, f"W[{l}]", f"of shape ({n_out}, {n_in})"))
            if W.shape != (n_out, n_in):
                raise ValueError(f"W[{l}] must have shape ({n_out}, {n_in}), got {W.shape}")
            self.W[l] = W
        if b is not None:
            b = np.array(finite_array(b, f"b[{l}]", f"of shape ({n_out}, 1)")).reshape(-1, 1)
            if b.shape != (n_out, 1):
                raise ValueError(f"b[{l}] must have shape ({n_out}, 1), got {b.shape}")
            self.b[l] = b

    def copy(self) -> Network:
        """An independent copy (same architecture, copied weights)."""
        other = object.__new__(Network)
        other.__dict__.update(self.__dict__)
        other.W = [None] + [W.copy() for W in self.W[1:]]
        other.b = [None] + [b.copy() for b in self.b[1:]]
        return other

    def parameters(self) -> dict[str, Array]:
        """W1..WL, b1..bL in lecture shapes (what ``--save model.npz`` writes)."""
        params = {f"W{l}": self.W[l] for l in range(1, self.L + 1)}
        params.update({f"b{l}": self.b[l] for l in range(1, self.L + 1)})
        return params

    # -- input checks ------------------------------------------------------------------
    def check_input(self, X: Array) -> Array:
        """X as float64 of shape (n[0], m), m ≥ 1, all finite; a ValueError says what to change."""
        n_x = self.layer_sizes[0]
        X = finite_array(X, "X", f"of shape ({n_x}, m), one column per example")
        if X.ndim != 2 or X.shape[0] != n_x or X.shape[1] < 1:
            hint = " — transpose it (X.T): examples are columns" if X.ndim == 2 and X.shape[1] == n_x else ""
            raise ValueError(f"X must have shape ({n_x}, m) with m ≥ 1 examples as columns, got {X.shape}{hint}")
        return X

    def check_targets(self, Y: Array, m: int) -> Array:
        """Y as float64 of shape (n[L], m), all finite; a ValueError says what to change."""
        n_y = self.layer_sizes[-1]
        Y = finite_array(Y, "Y", f"of shape ({n_y}, {m})")
        if Y.shape != (n_y, m):
            hint = " — transpose it (Y.T): examples are columns" if Y.shape == (m, n_y) else ""
            raise ValueError(f"Y must have shape ({n_y}, {m}) (outputs × the examples of X), got {Y.shape}{hint}")
        return Y

    # -- forward -----------------------------------------------------------------------
    def forward(self, X: Array) -> Cache:
        """Forward propagation of X: (n[0], m). Returns the cache of every Z[l] and A[l]."""
        X = self.check_input(X)
        Z_list: list = [None]
        A_list: list = [X]
        A = X
        for l in range(1, self.L):
            Z = self.W[l] @ A
            Z += self.b[l]  # in place: one (n[l], m) array fewer to allocate
            A = self._g[l].fn(Z)
            Z_list.append(Z)
            A_list.append(A)
        Z = self.W[self.L] @ A
        Z += self.b[self.L]
        Z_list.append(Z)
        A_list.append(self._g_out(Z))
        return Cache(Z_list, A_list)

    def predict_proba(self, X: Array) -> Array:
        """A[L]: (n_y, m) — probabilities for sigmoid/softmax outputs, values for linear.

        The same computation as ``forward`` without keeping the cache, and for large inputs
        (a 100×100 decision grid is 10,000 columns) in blocks of ``PREDICT_BLOCK`` columns:
        columns are independent, and small blocks reuse memory instead of allocating fresh
        (n[l], 10000) arrays at every layer (measured ~3× faster for the grid).
        """
        X = self.check_input(X)
        m = X.shape[1]
        if m <= PREDICT_BLOCK:
            return self._output(X)
        return np.concatenate([self._output(X[:, i : i + PREDICT_BLOCK]) for i in range(0, m, PREDICT_BLOCK)], axis=1)

    def _output(self, X: Array) -> Array:
        A = X
        for l in range(1, self.L):
            Z = self.W[l] @ A
            Z += self.b[l]
            A = self._g[l].fn(Z)
        Z = self.W[self.L] @ A
        Z += self.b[self.L]
        return self._g_out(Z)

    def predict(self, X: Array) -> Array:
        """Class labels (m,) for classification, predicted values (m,) for regression."""
        return self.labels_from_output(self.predict_proba(X))

    def labels_from_output(self, AL: Array) -> Array:
        if self.output_activation == "softmax":
            return np.argmax(AL, axis=0)
        if self.output_activation == "sigmoid":
            return (AL[0] > 0.5).astype(int)
        return AL[0]

    # -- cost ----------------------------------------------------------------------------
    def cost(self, cache_or_X: Cache | Array, Y: Array, l2: float = 0.0) -> float:
        """J on a batch, plus the L2 penalty (λ / 2m) Σ ||W[l]||² when λ > 0."""
        cache = cache_or_X if isinstance(cache_or_X, Cache) else self.forward(cache_or_X)
        Y, l2 = self.check_targets(Y, cache.A[-1].shape[1]), check_l2(l2)
        J = self.loss.cost(cache.Z[-1], cache.A[-1], Y)
        if l2:
            m = Y.shape[1]
            J += l2 / (2 * m) * sum(float(np.sum(W * W)) for W in self.W[1:])
        return J

    # -- backward ------------------------------------------------------------------------
    def backward(
        self, cache: Cache, Y: Array, l2: float = 0.0, input_gradient: bool = False
    ) -> Gradients:
        """Backward propagation. Y: (n_y, m). Returns dW, db, dZ, dA per layer."""
        if self.hidden_activation == "step" and self.L > 1:
            raise ValueError(
                "the step activation has no gradient (its slope is 0 everywhere), so "
                "backpropagation cannot train it; choose sigmoid, tanh, relu, leaky_relu or "
                "linear, or use the perceptron rule"
            )
        Y, l2 = self.check_targets(Y, cache.A[-1].shape[1]), check_l2(l2)
        L, m = self.L, Y.shape[1]
        dW: list = [None] * (L + 1)
        db: list = [None] * (L + 1)
        dZ_list: list = [None] * (L + 1)
        dA_list: list = [None] * (L + 1)
        dZ = self.loss.delta(cache.A[L], Y)
        for l in range(L, 0, -1):
            dZ_list[l] = dZ
            dW[l] = (dZ @ cache.A[l - 1].T) * (1.0 / m)
            if l2:
                dW[l] += (l2 / m) * self.W[l]
            db[l] = dZ.sum(axis=1, keepdims=True) * (1.0 / m)
            if l > 1 or input_gradient:
                dA = self.W[l].T @ dZ
                dA_list[l - 1] = dA
                if l > 1:
                    dZ = dA * self._g[l - 1].grad(cache.Z[l - 1], cache.A[l - 1])
        return Gradients(dW, db, dZ_list, dA_list)
