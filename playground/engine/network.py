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

Three optional fixes for deep networks (CONCEPTS.md §10), each off by default, act on the
hidden layers l = 1..L-1 (``layers.py`` has their formulas and derivatives):

- ``batch_norm=True``: Z̃[l] = γ[l] Z_norm[l] + β[l], A[l] = g(Z̃[l]), with batch statistics in
  training and running averages in evaluation (``training=False``). β[l] does b[l]'s job, so
  b[l] becomes redundant: it is *kept* (every layer still has W[l] and b[l], so the views,
  the saved files and the optimizers see one layout) but hidden layers then compute
  Z[l] = W[l] A[l-1] without it — subtracting μ would cancel any b[l] anyway — so b[l] stays
  at its initial 0 and db[l] is exactly 0. The output layer has no batch norm and uses b[L].
- ``residual=True``: A[l] = g(Z̃[l]) + A[l-2] for every hidden layer l ≥ 3 (a skip between
  hidden layers; A[0] = X is not added). Widths must match two layers apart (ValueError
  naming the layers otherwise), and at least 3 hidden layers are needed for a first skip.
- ``keep_prob < 1``: inverted dropout, A[l] = g(Z̃[l]) * D[l] / keep_prob before the skip is
  added; the masks D[l] come from the generator ``default_rng([seed, 2])`` (the weight seed's
  dropout stream), are kept in the cache, reused by backward and can be passed back in to
  fix them (``forward(X, dropout_masks=cache.D)``, what the gradient check does). Evaluation
  (``training=False``) never drops.

Lists are indexed by layer number like the notes: ``net.W[1]`` is W[1]; index 0 (the input
layer, which has no weights) holds ``None``. ``backward`` *returns* the gradients; applying
them is an optimizer's job, so the gradient views can read them for free.
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, sigmoid, softmax
from .initializers import get_initializer
from .layers import (
    BN_EPSILON,
    BN_MOMENTUM,
    batch_norm_backward,
    batch_norm_eval,
    batch_norm_forward,
    column_mean,
    dropout_backward,
    dropout_forward,
    dropout_mask,
    running_average,
    unbiased,
)
from .losses import LOSS_FOR_OUTPUT

Array = np.ndarray
MAX_WIDTH = 256
MAX_HIDDEN_LAYERS = 30
PREDICT_BLOCK = 2048  # columns per block when predict_proba sweeps a large input
DROPOUT_STREAM = 2  # dropout masks come from default_rng([seed, 2]) (mini-batch shuffling uses 1)
FIRST_SKIP = 3  # residual: A[3] = g(Z̃[3]) + A[1] is the first skip between hidden layers

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


def finite_real(value) -> bool:
    """A real number (not a bool) that is finite as a float64: 10**400 is not (float() overflows)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def check_l2(l2) -> float:
    """The L2 strength λ as a float ≥ 0; ValueError otherwise."""
    if not finite_real(l2) or l2 < 0:
        raise ValueError(f"the L2 strength λ must be a finite number ≥ 0 (0 = no penalty), got {l2!r}")
    return float(l2)


def check_l1(l1) -> float:
    """The L1 strength λ₁ as a float ≥ 0; ValueError otherwise."""
    if not finite_real(l1) or l1 < 0:
        raise ValueError(f"the L1 strength λ₁ must be a finite number ≥ 0 (0 = no penalty), got {l1!r}")
    return float(l1)


def check_residual_widths(hidden_sizes: Sequence[int]) -> None:
    """Residual connections A[l] = g(Z̃[l]) + A[l-2] need at least 3 hidden layers and equal
    widths two layers apart; a ValueError names the layers and widths to change."""
    n = (None, *hidden_sizes)  # n[l] for the hidden layers l = 1..len
    if len(hidden_sizes) < FIRST_SKIP:
        raise ValueError(
            f"residual connections A[l] = g(Z[l]) + A[l-2] need at least {FIRST_SKIP} hidden layers "
            f"(the first skip is A[3] = g(Z[3]) + A[1]); this network has {len(hidden_sizes)}: "
            "add hidden layers or turn residual connections off")
    for l in range(FIRST_SKIP, len(n)):
        if n[l] != n[l - 2]:
            raise ValueError(
                f"residual connections need equal widths two layers apart: A[{l}] = g(Z[{l}]) + A[{l - 2}] "
                f"adds hidden layer {l - 2} ({n[l - 2]} units) to hidden layer {l} ({n[l]} units); "
                f"make them the same width (e.g. every hidden layer {n[1]} units) or turn residual "
                "connections off")


@dataclass
class Cache:
    """What forward propagation keeps for backward, lists indexed by layer l = 0..L.

    Z[l] = W[l] A[l-1] + b[l] and A[l] (A[0] = X, Z[0] None). For the hidden layers also
    Z_tilde[l], what the activation sees (γ Z_norm + β with batch norm, else Z[l] itself),
    G[l] = g(Z_tilde[l]) before dropout and the skip (else A[l] itself), and, where they are
    on, the batch norm's μ[l] and σ²[l] (the batch's in training, the running ones in
    evaluation), Z_norm[l] (training mode only: evaluation folds the normalization into one
    scale and shift) and the dropout masks D[l]. ``training`` says which mode made it.
    """

    Z: list
    A: list
    Z_tilde: list | None = None
    G: list | None = None
    Z_norm: list | None = None
    mu: list | None = None
    var: list | None = None
    D: list | None = None
    training: bool = True

    def __post_init__(self):
        if self.Z_tilde is None:
            self.Z_tilde = list(self.Z)
        if self.G is None:
            self.G = list(self.A)

    @property
    def output(self) -> Array:
        return self.A[-1]


@dataclass
class Gradients:
    """What backward propagation returns, indexed by layer like the parameters.

    dW[l], db[l] for l = 1..L (shapes of W[l], b[l]); dZ[l] for l = 1..L; dA[l] for
    l = 0..L-1 (dA[0], the gradient with respect to the input, only when asked for); with
    batch norm dgamma[l], dbeta[l] (shape (n[l], 1)) and dZ_tilde[l] for the hidden layers
    (None elsewhere). dA[l] is the whole gradient reaching A[l], skips included.
    """

    dW: list
    db: list
    dZ: list
    dA: list
    dgamma: list | None = None
    dbeta: list | None = None
    dZ_tilde: list | None = None

    def __post_init__(self):
        for name in ("dgamma", "dbeta", "dZ_tilde"):
            if getattr(self, name) is None:
                setattr(self, name, [None] * len(self.dW))

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
        *,
        batch_norm: bool = False,
        residual: bool = False,
        keep_prob: float = 1.0,
        bn_momentum: float = BN_MOMENTUM,
        bn_epsilon: float = BN_EPSILON,
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
        self._init_fixes(batch_norm, residual, keep_prob, bn_momentum, bn_epsilon)

    def _init_fixes(self, batch_norm, residual, keep_prob, bn_momentum, bn_epsilon) -> None:
        """Batch norm's γ, β and running averages, the residual skips, the dropout stream."""
        sizes = self.layer_sizes
        if not (isinstance(keep_prob, numbers.Real) and 0.0 < keep_prob <= 1.0):
            raise ValueError(f"keep_prob must be in (0, 1] (1 = no dropout; drop rate = 1 - keep_prob), got {keep_prob!r}")
        if not (isinstance(bn_momentum, numbers.Real) and 0.0 <= bn_momentum < 1.0):
            raise ValueError(f"bn_momentum must be in [0, 1), got {bn_momentum!r}")
        if not (isinstance(bn_epsilon, numbers.Real) and bn_epsilon > 0):
            raise ValueError(f"bn_epsilon must be a number > 0, got {bn_epsilon!r}")
        self.batch_norm = bool(batch_norm)
        self.residual = bool(residual)
        self.keep_prob = float(keep_prob)
        self.bn_momentum, self.bn_epsilon = float(bn_momentum), float(bn_epsilon)
        if self.residual:
            check_residual_widths(sizes[1:-1])
        # skip[l]: A[l] = g(Z̃[l]) + A[l-2]
        self.skip = [self.residual and FIRST_SKIP <= l < self.L for l in range(self.L + 1)]
        bn = [self.batch_norm and 1 <= l < self.L for l in range(self.L + 1)]
        self.gamma = [np.ones((sizes[l], 1)) if bn[l] else None for l in range(self.L + 1)]
        self.beta = [np.zeros((sizes[l], 1)) if bn[l] else None for l in range(self.L + 1)]
        self.running_mean = [np.zeros((sizes[l], 1)) if bn[l] else None for l in range(self.L + 1)]
        self.running_var = [np.ones((sizes[l], 1)) if bn[l] else None for l in range(self.L + 1)]
        self.dropout_rng = np.random.default_rng([self.seed, DROPOUT_STREAM])

    # -- shape facts ---------------------------------------------------------------
    @property
    def L(self) -> int:
        """Number of layers with weights (hidden layers + the output layer)."""
        return len(self.layer_sizes) - 1

    @property
    def parameter_count(self) -> int:
        """Edges (weights) plus neurons (one bias each), plus γ and β with batch norm."""
        n = self.layer_sizes
        bn = 2 * sum(n[1:-1]) if self.batch_norm else 0
        return sum(n[l] * n[l - 1] + n[l] for l in range(1, len(n))) + bn

    @property
    def trainable(self) -> tuple[str, ...]:
        """Names of the learned parameter lists: W, b, and γ, β with batch norm. The
        gradient of ``net.<name>[l]`` is ``grads.d<name>[l]``; None entries have none."""
        return ("W", "b", "gamma", "beta") if self.batch_norm else ("W", "b")

    @property
    def dropout(self) -> float:
        """The drop rate 1 - keep_prob (what the settings and the command line call dropout)."""
        return 1.0 - self.keep_prob

    def __repr__(self) -> str:
        arch = "-".join(str(n) for n in self.layer_sizes)
        fixes = "".join([", batch_norm" if self.batch_norm else "", ", residual" if self.residual else "",
                         f", keep_prob={self.keep_prob:g}" if self.keep_prob < 1 else ""])
        return (
            f"Network({arch}, hidden={self.hidden_activation}, output={self.output_activation}, "
            f"init={self.initializer}, seed={self.seed}{fixes})"
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

    def set_batch_norm(self, l: int, gamma=None, beta=None, running_mean=None, running_var=None) -> None:
        """Replace γ[l], β[l] and/or the running averages of hidden layer l (shape (n[l], 1))."""
        if not self.batch_norm:
            raise ValueError("this network has no batch normalization; build it with batch_norm=True")
        if not (isinstance(l, numbers.Integral) and 1 <= l < self.L):
            raise ValueError(f"batch norm layers are the hidden layers 1 to {self.L - 1}, got {l!r}")
        n = self.layer_sizes[l]
        for name, value in (("gamma", gamma), ("beta", beta), ("running_mean", running_mean),
                            ("running_var", running_var)):
            if value is None:
                continue
            value = np.array(value, dtype=float).reshape(-1, 1)
            if value.shape != (n, 1) or not np.isfinite(value).all():
                raise ValueError(f"{name}[{l}] must be {n} finite numbers (shape ({n}, 1)), got shape {value.shape}")
            if name == "running_var" and (value < 0).any():
                raise ValueError(f"running_var[{l}] must be ≥ 0 (it is a variance)")
            getattr(self, name)[l] = value

    STATE = ("W", "b", "gamma", "beta", "running_mean", "running_var")

    def snapshot(self) -> dict[str, list]:
        """References to every parameter and running average (updates assign new arrays, so
        this is a cheap way to keep a state and ``restore`` it, e.g. after a diverged step)."""
        return {name: list(getattr(self, name)) for name in self.STATE}

    def restore(self, snapshot: dict[str, list]) -> None:
        for name, values in snapshot.items():
            setattr(self, name, list(values))

    def copy(self) -> Network:
        """An independent copy (same architecture, copied weights, running averages and
        dropout generator state)."""
        other = object.__new__(Network)
        other.__dict__.update(self.__dict__)
        for name in self.STATE:
            setattr(other, name, [None if p is None else p.copy() for p in getattr(self, name)])
        other.skip = list(self.skip)
        other.dropout_rng = copy.deepcopy(self.dropout_rng)
        return other

    def parameters(self) -> dict[str, Array]:
        """W1..WL, b1..bL in lecture shapes (what ``--save model.npz`` writes), and with batch
        norm gamma1.., beta1.., running_mean1.., running_var1.. of the hidden layers."""
        params = {f"W{l}": self.W[l] for l in range(1, self.L + 1)}
        params.update({f"b{l}": self.b[l] for l in range(1, self.L + 1)})
        if self.batch_norm:
            for name in ("gamma", "beta", "running_mean", "running_var"):
                params.update({f"{name}{l}": getattr(self, name)[l] for l in range(1, self.L)})
        return params

    def load_parameters(self, params) -> None:
        """The inverse of ``parameters()``: set every W[l], b[l] (and γ, β, running averages
        with batch norm) from a mapping such as ``np.load("model.npz")``."""
        for l in range(1, self.L + 1):
            self.set_layer(l, W=params[f"W{l}"], b=params[f"b{l}"])
        if self.batch_norm:
            for l in range(1, self.L):
                self.set_batch_norm(l, **{name: params[f"{name}{l}"] for name in
                                          ("gamma", "beta", "running_mean", "running_var")})

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
    def forward(self, X: Array, training: bool = True, dropout_masks: list | None = None,
                update_state: bool = True, check: bool = True) -> Cache:
        """Forward propagation of X: (n[0], m). Returns the cache of every Z[l] and A[l].

        ``training=True`` (the first half of a training step): batch norm uses this batch's
        μ and σ², dropout draws masks. ``training=False`` (evaluation): running averages, no
        dropout. ``dropout_masks`` (e.g. ``cache.D`` of an earlier pass) fixes the masks
        instead of drawing new ones. A training pass moves the batch-norm running averages
        and the dropout generator on, unless ``update_state=False`` (then the network is left
        exactly as it was: masks come from a copy of the generator).
        """
        X = self.check_input(X) if check else X
        plain = not (self.batch_norm or self.residual or (training and self.keep_prob < 1.0))
        if plain:
            return self._forward_plain(X, training)
        L, m = self.L, X.shape[1]
        none = [None] * (L + 1)
        Z_list, A_list, Zt_list, G_list = [None], [X], [None], [X]
        Zn_list, mu_list, var_list, D_list = list(none), list(none), list(none), list(none)
        drop = training and self.keep_prob < 1.0
        if drop and dropout_masks is None:
            rng = self.dropout_rng if update_state else copy.deepcopy(self.dropout_rng)
        mean = column_mean(m) if self.batch_norm and training else None  # one (m, 1) column for every layer
        A = X
        for l in range(1, L):
            Z = self.W[l] @ A
            if self.batch_norm:  # b[l] is redundant: β[l] plays its role (see the module docstring)
                if training:
                    Z_norm, Z_tilde, mu, var = batch_norm_forward(Z, self.gamma[l], self.beta[l], self.bn_epsilon, mean)
                    if update_state:
                        self.running_mean[l] = running_average(self.running_mean[l], mu, self.bn_momentum)
                        self.running_var[l] = running_average(self.running_var[l], unbiased(var, m), self.bn_momentum)
                else:
                    mu, var, Z_norm = self.running_mean[l], self.running_var[l], None
                    Z_tilde = batch_norm_eval(Z, self.gamma[l], self.beta[l], mu, var, self.bn_epsilon)
                Zn_list[l], mu_list[l], var_list[l] = Z_norm, mu, var
            else:
                Z += self.b[l]
                Z_tilde = Z
            G = self._g[l].fn(Z_tilde)
            A = G
            if drop:
                if dropout_masks is not None:
                    D = dropout_masks[l]
                else:
                    D = dropout_mask(rng, G.shape, self.keep_prob)
                D_list[l] = D
                A = dropout_forward(G, D, self.keep_prob)
            if self.skip[l]:
                A = A + A_list[l - 2]
            Z_list.append(Z)
            Zt_list.append(Z_tilde)
            G_list.append(G)
            A_list.append(A)
        Z = self.W[L] @ A
        Z += self.b[L]
        AL = self._g_out(Z)
        Z_list.append(Z)
        Zt_list.append(Z)
        A_list.append(AL)
        G_list.append(AL)
        return Cache(Z_list, A_list, Zt_list, G_list, Zn_list if self.batch_norm else None,
                     mu_list if self.batch_norm else None, var_list if self.batch_norm else None,
                     D_list if drop else None, training)

    def _forward_plain(self, X: Array, training: bool = True) -> Cache:
        """Z[l] = W[l] A[l-1] + b[l], A[l] = g(Z[l]): no batch norm, skips or dropout."""
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
        return Cache(Z_list, A_list, training=training)

    def predict_proba(self, X: Array, dtype=np.float64) -> Array:
        """A[L]: (n_y, m) — probabilities for sigmoid/softmax outputs, values for linear.

        The evaluation-mode computation (batch norm with running averages, no dropout) of
        ``forward`` without keeping the cache, and for large inputs
        (a 100×100 decision grid is 10,000 columns) in blocks of ``PREDICT_BLOCK`` columns:
        columns are independent, and small blocks reuse memory instead of allocating fresh
        (n[l], 10000) arrays at every layer (measured ~3× faster for the grid).

        ``dtype=np.float32`` is for pictures (the decision boundary, drawn in 256 colour steps):
        the same formulas in single precision, ~5× faster on a 100×100 grid because NumPy's
        float32 ``tanh``/``exp`` are vectorized and its float64 ones are not (measured: tanh of
        80,000 numbers 1.8 ms vs 0.23 ms). Networks with batch norm or skips always use float64.
        Training and costs never use it.
        """
        X = self.check_input(X)
        m = X.shape[1]
        if dtype == np.float32 and not (self.batch_norm or self.residual):
            X = X.astype(np.float32)
            params = ([None] + [W.astype(np.float32) for W in self.W[1:]],
                      [None] + [b.astype(np.float32) for b in self.b[1:]])
        else:
            params = (self.W, self.b)
        if m <= PREDICT_BLOCK or X.dtype == np.float32:  # float32: one pass measured fastest (0.48 vs 0.76 ms)
            return self._output(X, *params)
        return np.concatenate([self._output(X[:, i : i + PREDICT_BLOCK], *params) for i in range(0, m, PREDICT_BLOCK)],
                              axis=1)

    def _output(self, X: Array, W: list | None = None, b: list | None = None) -> Array:
        if self.batch_norm or self.residual:
            return self.forward(X, training=False).A[-1]
        W, b = W or self.W, b or self.b
        A = X
        for l in range(1, self.L):
            Z = W[l] @ A
            Z += b[l]
            A = self._g[l].fn(Z)
        Z = W[self.L] @ A
        Z += b[self.L]
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
    def cost(self, cache_or_X: Cache | Array, Y: Array, l2: float = 0.0, l1: float = 0.0) -> float:
        """J on a batch, plus the L2 penalty (λ / 2m) Σ ||W[l]||² when λ > 0 and the L1 penalty
        (λ₁ / m) Σ |W[l]| when λ₁ > 0. Given X rather than a cache, J is the evaluation-mode
        cost (running averages, no dropout) — what the app reports."""
        cache = cache_or_X if isinstance(cache_or_X, Cache) else self.forward(cache_or_X, training=False)
        Y, l2, l1 = self.check_targets(Y, cache.A[-1].shape[1]), check_l2(l2), check_l1(l1)
        J = self.loss.cost(cache.Z[-1], cache.A[-1], Y)
        m = Y.shape[1]
        if l2:
            J += l2 / (2 * m) * sum(float(np.sum(W * W)) for W in self.W[1:])
        if l1:
            J += l1 / m * sum(float(np.sum(np.abs(W))) for W in self.W[1:])
        return J

    # -- backward ------------------------------------------------------------------------
    def backward(
        self, cache: Cache, Y: Array, l2: float = 0.0, input_gradient: bool = False, l1: float = 0.0,
        check: bool = True,
    ) -> Gradients:
        """Backward propagation. Y: (n_y, m). Returns dW, db, dZ, dA (and dγ, dβ) per layer.

        With batch norm the gradient flows through the batch statistics (a training-mode
        cache); with dropout through the cache's masks D[l]; with skips dA[l] collects both
        W[l+1]ᵀ dZ[l+1] and the skip's dA[l+2]. The penalties add (λ/m) W[l] (L2) and
        (λ₁/m) sign(W[l]) (L1) to dW[l].
        """
        if self.hidden_activation == "step" and self.L > 1:
            raise ValueError(
                "the step activation has no gradient (its slope is 0 everywhere), so "
                "backpropagation cannot train it; choose sigmoid, tanh, relu, leaky_relu or "
                "linear, or use the perceptron rule"
            )
        if check:
            Y, l2, l1 = self.check_targets(Y, cache.A[-1].shape[1]), check_l2(l2), check_l1(l1)
        if self.batch_norm and not cache.training and self.L > 1:
            raise ValueError("backward needs a training-mode cache with batch norm: forward(X, training=True)")
        L, m = self.L, Y.shape[1]
        dW: list = [None] * (L + 1)
        db: list = [None] * (L + 1)
        dZ_list: list = [None] * (L + 1)
        dA_list: list = [None] * (L + 1)
        dgamma: list = [None] * (L + 1)
        dbeta: list = [None] * (L + 1)
        dZt_list: list = [None] * (L + 1)
        dZ = self.loss.delta(cache.A[L], Y)
        mean = column_mean(m) if self.batch_norm else None
        for l in range(L, 0, -1):
            dZ_list[l] = dZ
            dW[l] = (dZ @ cache.A[l - 1].T) * (1.0 / m)
            if l2:
                dW[l] += (l2 / m) * self.W[l]
            if l1:
                dW[l] += (l1 / m) * np.sign(self.W[l])
            if self.batch_norm and l < L:
                db[l] = np.zeros_like(self.b[l])  # b[l] is not used under batch norm: ∂J/∂b[l] = 0
            else:
                db[l] = dZ.sum(axis=1, keepdims=True) * (1.0 / m)
            if l > 1 or input_gradient:
                dA = self.W[l].T @ dZ
                k = l - 1
                if k + 2 < L and self.skip[k + 2]:
                    dA = dA + dA_list[k + 2]  # the skip A[k+2] = ... + A[k] passes dA[k+2] straight back
                dA_list[k] = dA
                if k > 0:
                    dZ = self._hidden_delta(k, dA, cache, dgamma, dbeta, dZt_list, mean)
        return Gradients(dW, db, dZ_list, dA_list, dgamma, dbeta, dZt_list)

    def _hidden_delta(self, l: int, dA: Array, cache: Cache, dgamma: list, dbeta: list, dZt_list: list,
                      mean: Array | None = None) -> Array:
        """dZ[l] from dA[l]: back through dropout, g and batch norm (the ones that are on)."""
        dG = dA if cache.D is None else dropout_backward(dA, cache.D[l], self.keep_prob)
        dZ_tilde = dG * self._g[l].grad(cache.Z_tilde[l], cache.G[l])
        if not self.batch_norm:
            return dZ_tilde
        dZt_list[l] = dZ_tilde
        dZ, dgamma[l], dbeta[l] = batch_norm_backward(dZ_tilde, cache.Z_norm[l], self.gamma[l], cache.var[l],
                                                      self.bn_epsilon, mean)
        return dZ
