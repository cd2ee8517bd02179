"""Activation functions, each written next to its derivative.

Every entry of ``ACTIVATIONS`` pairs ``g(z)`` with ``g'(z)``. The derivative receives both
``Z`` and ``A = g(Z)`` because several derivatives are cheapest from the output
(sigmoid: ``A(1 - A)``, tanh: ``1 - A**2``), exactly as in the lecture notes.

Each entry also carries everything else the app says about it, so a new activation is one
entry here (plus its gradient check) and every page, the notebook export and the diagnosis
follow: the title and LaTeX the pages show, its family ("saturating", "rectifier", "linear",
"threshold"), where it is flat (``saturated``: slope below 5% of its maximum; ``flat_region``
in words), whether a unit flat for every example is dead (``dies``: ReLU, not leaky ReLU), the
initializer made for it, and the NumPy code the exported notebook writes for it.

Functions never modify their input: forward caches keep ``Z`` and ``A`` for plotting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
LEAKY_SLOPE = 0.01


FAMILIES = ("saturating", "rectifier", "linear", "threshold")


@dataclass(frozen=True)
class Activation:
    """One activation g with its derivative g'(Z, A), and what the app shows and says about it."""

    name: str
    fn: Callable[[Array], Array]
    grad: Callable[[Array, Array], Array] | None  # None: no useful gradient (step)
    output_range: str
    note: str
    title: str  # as the pages show it, as a heading
    label: str  # as the course writes it in a sentence or a list ("leaky ReLU")
    family: str  # one of FAMILIES
    latex: str  # g(z) = … as typeset in the notes
    latex_grad: str  # g'(z) = …
    symbol: str = "g"  # its name in A = g(Z)
    saturated: Callable[[Array, Array], Array] | None = None  # where the slope is (almost) 0
    flat_region: str = ""  # the same in words, e.g. "|z| > 4.4"
    flat_label: str = ""  # the explorer's label for the shaded flat region
    dies: bool = False  # a unit that is flat for every example passes no gradient at all
    max_slope: float = 1.0  # the largest g'(z): backprop multiplies by at most this per layer
    output_bounds: tuple[float, float] | None = None  # (low, high) when the outputs are bounded
    jumps: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())  # z where g and g' jump
    initializer: str = "xavier"  # the initialization made for it (CONCEPTS.md §5)
    code: str = ""  # NumPy for g(Z) in the exported notebook ("" = not a hidden activation there)
    code_grad: str = ""  # NumPy for g'(z) from Z and A
    code_comment: str = ""

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
    Z = np.asarray(Z)
    if Z.dtype != np.float32:  # float32 only for pictures (Network.predict_proba); else float64
        Z = Z.astype(float, copy=False)
    E = np.exp(-np.abs(Z))
    S = 1.0 / (1.0 + E)
    # S·E where z < 0 and S where z ≥ 0 (E ≤ 1, so max(E, 1) = 1 and max(E, 0) = E): the same
    # numbers as np.where(Z < 0, E * S, S), without its branch per entry (mixed signs, e.g. after
    # batch norm, made np.where ~2× slower: measured 21 vs 8.6 µs per layer)
    S *= np.maximum(E, Z >= 0)
    return S


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
        title="Sigmoid σ",
        label="sigmoid",
        family="saturating",
        latex=r"\sigma(z) = \frac{1}{1 + e^{-z}}",
        latex_grad=r"\sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)",
        symbol=r"\sigma",
        saturated=lambda Z, A: np.abs(Z) > 4.36,  # σ'(z) < 5% of σ'(0) = 0.25
        flat_region="|z| > 4.4",
        flat_label="saturated: g′ < 5% of max",
        max_slope=0.25,
        output_bounds=(0.0, 1.0),
        code="sigmoid(Z)",
        code_grad="A * (1.0 - A)",
        code_comment="sigmoid σ(z) = 1/(1 + e^-z); σ' = σ(1 - σ)",
    ),
    "tanh": Activation(
        "tanh",
        fn=np.tanh,
        grad=lambda Z, A: 1.0 - A * A,
        output_range="(-1, 1)",
        note="Zero-centred sigmoid; slope 1 at z = 0 but it still saturates for |z| > 2. "
        "A good hidden activation with Xavier initialization.",
        title="tanh",
        label="tanh",
        family="saturating",
        latex=r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}",
        latex_grad=r"\tanh'(z) = 1 - \tanh^2(z)",
        symbol=r"\tanh",
        saturated=lambda Z, A: np.abs(Z) > 2.18,  # 1 - tanh² < 5%
        flat_region="|z| > 2.2",
        flat_label="saturated: g′ < 5% of max",
        output_bounds=(-1.0, 1.0),
        code="np.tanh(Z)",
        code_grad="1.0 - A * A",
        code_comment="tanh; g'(z) = 1 - tanh²(z)",
    ),
    "relu": Activation(
        "relu",
        fn=_relu,
        grad=lambda Z, A: (Z > 0).astype(Z.dtype),
        output_range="[0, ∞)",
        note="No saturation for z > 0, so gradients survive depth (pair it with He "
        "initialization); a unit whose z < 0 for every input is dead and stops learning.",
        title="ReLU",
        label="ReLU",
        family="rectifier",
        latex=r"\mathrm{relu}(z) = \max(0, z)",
        latex_grad=r"\mathrm{relu}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z < 0 \end{cases}",
        symbol=r"\mathrm{relu}",
        saturated=lambda Z, A: Z <= 0,
        flat_region="z ≤ 0",
        flat_label="g′ = 0: the dead zone",
        dies=True,
        jumps=((), (0.0,)),
        initializer="he",
        code="np.maximum(Z, 0.0)",
        code_grad="(Z > 0).astype(Z.dtype)",
        code_comment="ReLU max(0, z); slope 1 for z > 0, else 0",
    ),
    "leaky_relu": Activation(
        "leaky_relu",
        fn=_leaky_relu,
        grad=lambda Z, A: np.where(Z > 0, 1.0, LEAKY_SLOPE),
        output_range="(-∞, ∞)",
        note="ReLU with slope 0.01 for z < 0: a unit can always recover, none stay dead.",
        title="Leaky ReLU",
        label="leaky ReLU",
        family="rectifier",
        latex=rf"g(z) = \max({LEAKY_SLOPE}\,z,\; z)",
        latex_grad=rf"g'(z) = \begin{{cases}} 1 & z > 0 \\ {LEAKY_SLOPE} & z < 0 \end{{cases}}",
        jumps=((), (0.0,)),
        initializer="he",
        code=f"np.where(Z > 0, Z, {LEAKY_SLOPE} * Z)",
        code_grad=f"np.where(Z > 0, 1.0, {LEAKY_SLOPE})",
        code_comment=f"leaky ReLU, slope {LEAKY_SLOPE} for z < 0",
    ),
    "linear": Activation(
        "linear",
        fn=lambda Z: Z,
        grad=lambda Z, A: np.ones_like(Z),
        output_range="(-∞, ∞)",
        note="g(z) = z. Stacked linear layers collapse into one linear map; use it for a "
        "regression output, not for hidden layers.",
        title="Linear (identity)",
        label="linear (none)",
        family="linear",
        latex=r"g(z) = z",
        latex_grad=r"g'(z) = 1",
        code="Z",
        code_grad="np.ones_like(Z)",
        code_comment="linear g(z) = z",
    ),
    "step": Activation(
        "step",
        fn=_step,
        grad=None,
        output_range="{0, 1}",
        note="The perceptron's threshold: 1 if z > 0 else 0. Its slope is 0 everywhere "
        "(undefined at 0), so backpropagation cannot train it; the perceptron rule can.",
        title="Step (the perceptron's threshold)",
        label="step",
        family="threshold",
        latex=r"\mathrm{step}(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
        latex_grad=r"\mathrm{step}'(z) = 0 \text{ for } z \ne 0,\ \text{undefined at } 0",
        symbol=r"\mathrm{step}",
        saturated=lambda Z, A: np.ones_like(Z, dtype=bool),
        flat_region="every z",
        flat_label="g′ = 0 everywhere",
        dies=True,
        max_slope=0.0,
        output_bounds=(0.0, 1.0),
        jumps=((0.0,), (0.0,)),
    ),
}

# Softmax is an output only (it couples the units of a layer): not an entry of ACTIVATIONS.
SOFTMAX_LATEX = r"\mathrm{softmax}(z)_k = \frac{e^{z_k}}{\sum_j e^{z_j}}"
SOFTMAX_SYMBOL = r"\mathrm{softmax}"

HIDDEN_ACTIVATIONS = tuple(name for name, a in ACTIVATIONS.items() if a.grad is not None)
OUTPUT_ACTIVATIONS = ("sigmoid", "softmax", "linear")
OUTPUT_FOR_TASK = {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}


def label(name: str) -> str:
    """How the course writes a hidden or output activation ('leaky_relu' → 'leaky ReLU')."""
    return "softmax" if name == "softmax" else ACTIVATIONS[name].label


def symbol(name: str) -> str:
    """The LaTeX name of a hidden or output activation in A = g(Z) ("g" where it has none)."""
    return SOFTMAX_SYMBOL if name == "softmax" else ACTIVATIONS[name].symbol


def get_activation(name: str) -> Activation:
    """Look an activation up by the name the user sees; say which names exist otherwise."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None
