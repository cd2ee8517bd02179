"""A plain-language diagnosis of a network's gradients, computed from per-layer numbers.

CONCEPTS.md §5–6: backpropagation multiplies the gradient by ``W[l]^T`` and ``g'(Z[l])`` once
per layer, so its size at layer 1 compared with the output layer L tells the story:

- vanishing: ||dW[1]|| is orders of magnitude below ||dW[L]|| (sigmoid's slope is at most 0.25;
  saturated units have slope ≈ 0; tiny weights shrink the signal);
- exploding: the gradient grows toward the input (large weights), the cost becomes NaN;
- symmetry: every unit of a layer has the same weights (zeros initialization), so all of them
  compute the same thing and receive the same gradient, forever;
- dead ReLU: units whose z ≤ 0 for every example pass no gradient at all;
- stuck: every gradient is tiny although the cost is high (a plateau);
- saturated: most sigmoid/tanh units sit where their slope is ≈ 0 (the gradients will vanish);
- healthy: the profile is roughly flat across layers.

Everything here is pure NumPy on arrays of length L (index 0 is layer 1), so a test can feed
numbers in directly; ``diagnose_network`` reads them off a ``Network`` and its ``LayerStats``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...engine import LayerStats, Network
from ...engine.activations import ACTIVATIONS

VANISHING_RATIO = 1e-2  # layer 1 gets less than 1/100 of the output layer's gradient
EXPLODING_RATIO = 1e2  # ... or more than 100 times it
STUCK_NORM = 1e-6  # every layer's ||dW|| below this while the cost is still high: a plateau
STUCK_COST = 0.05
CROWDED_SHARE = 0.5  # half a layer saturated or dead is worth a sentence
SYMMETRY_TOLERANCE = 1e-9  # relative: rows this close count as the same unit

KINDS = ("exploding", "symmetry", "dead", "vanishing", "stuck", "saturated", "healthy")
SEVERITY = {"exploding": "error", "symmetry": "error", "dead": "warning", "vanishing": "error",
            "stuck": "warning", "saturated": "warning", "healthy": "success"}
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Diagnosis:
    """What is wrong (``kind``), said in one sentence with numbers, why, and what to try."""

    kind: str
    headline: str
    details: tuple[str, ...] = ()
    advice: str = ""
    ratio: float = float("nan")  # ||dW[1]|| / ||dW[L]||

    @property
    def severity(self) -> str:
        """"error", "warning" or "success" — which coloured box the page draws."""
        return SEVERITY[self.kind]

    def markdown(self) -> str:
        parts = [f"**{self.headline}**", *self.details]
        if self.advice:
            parts.append(f"**Try:** {self.advice}")
        return " ".join(parts)


# -- numbers people can read -------------------------------------------------------------------
def power_of_ten(x: float) -> str:
    """1.4e-7 → '10⁻⁷' (the nearest power of ten, with a superscript exponent)."""
    return "10" + str(int(np.round(np.log10(x)))).translate(SUPERSCRIPT)


def share_of(ratio: float) -> str:
    """How much of the output layer's gradient layer 1 gets: '10⁻⁷ of', '0.41 of', '10⁴ times'."""
    if ratio == 0:
        return "none"
    if ratio < VANISHING_RATIO:
        return f"{power_of_ten(ratio)} of"
    if ratio > EXPLODING_RATIO:
        return f"{power_of_ten(ratio)} times"
    return f"{ratio:.2g} times" if ratio >= 1 else f"{ratio:.2g} of"


def _layers(indices: Sequence[int]) -> str:
    """[0, 1, 2] → 'layers 1–3'; [4] → 'layer 5'; [1, 2] → 'layers 2 and 3';
    [0, 1, 2, 4] → 'layers 1–3 and 5'."""
    numbers = [i + 1 for i in indices]
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [p for r in runs for p in ([f"{r[0]}–{r[-1]}"] if len(r) > 2 else map(str, r))]
    if len(numbers) == 1:
        return f"layer {numbers[0]}"
    return "layers " + (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1])


def _initializer_name(initializer: str | float) -> str:
    return f"a custom σ = {initializer:g}" if isinstance(initializer, (int, float)) else initializer


def _initial_std(initializer: str | float) -> float | None:
    """σ of a fixed-σ initializer (small, large, custom), None for the fan-in scaled ones."""
    if isinstance(initializer, (int, float)):
        return float(initializer)
    return {"small": 0.01, "large": 1.0, "zeros": 0.0}.get(initializer)


# -- symmetry ------------------------------------------------------------------------------------
def unit_spread(W: np.ndarray, b: np.ndarray) -> float:
    """How different the units of one layer are: the largest |difference| between any unit's
    (weights, bias) and unit 1's, relative to the layer's largest value. 0 = all identical.
    W: (n[l], n[l-1]), b: (n[l], 1)."""
    rows = np.hstack([W, b])
    scale = max(float(np.abs(rows).max(initial=0.0)), 1e-300)
    return float(np.abs(rows - rows[:1]).max(initial=0.0)) / scale if np.any(rows) else 0.0


def identical_units(net: Network) -> np.ndarray:
    """For each hidden layer l = 1..L-1: True if it has ≥ 2 units and all are identical."""
    return np.array([net.layer_sizes[l] >= 2 and unit_spread(net.W[l], net.b[l]) <= SYMMETRY_TOLERANCE
                     for l in range(1, net.L)], dtype=bool)


# -- the diagnosis ---------------------------------------------------------------------------------
def diagnose(
    grad_norm_W: Sequence[float],
    grad_norm_A: Sequence[float] | None = None,
    *,
    activation: str = "tanh",
    initializer: str | float = "xavier",
    widths: Sequence[int] | None = None,
    saturated: Sequence[float] | None = None,
    dead: Sequence[float] | None = None,
    identical: Sequence[bool] | None = None,
    cost: float | None = None,
    diverged: bool = False,
    batch_norm: bool = False,
) -> Diagnosis:
    """Name the problem from per-layer numbers (arrays of length L; index 0 is layer 1).

    grad_norm_W: ||dW[l]||; grad_norm_A: ||dA[l]|| (hidden layers, NaN for the output layer);
    widths: n[1..L-1], the hidden widths; saturated/dead: shares per layer (NaN = not
    applicable; with batch norm measured on Z̃ = γ Z_norm + β, what the activation sees);
    identical: per hidden layer, are all its units the same; cost: the current J; batch_norm:
    whether every hidden layer normalizes its z (then the initial σ no longer sets the spread of
    z, and a large raw Z is not saturation).
    The first matching case wins, in the order of ``KINDS``.
    """
    norms = np.asarray(grad_norm_W, dtype=float)
    L = len(norms)
    hidden = max(L - 1, 0)
    norms_A = _padded(grad_norm_A, L)
    saturated, dead = _padded(saturated, L), _padded(dead, L)
    widths = list(widths) if widths is not None else []
    identical = np.asarray(identical if identical is not None else [False] * hidden, dtype=bool)

    finite = np.isfinite(norms)
    first, last = (float(norms[0]), float(norms[-1])) if L else (0.0, 0.0)
    ratio = first / last if L and finite.all() and last > 0 else float("nan")
    growth = _growth(norms, norms_A)
    context = dict(activation=activation, initializer=initializer, widths=widths, L=L, ratio=ratio,
                   batch_norm=batch_norm)

    if diverged or not finite.all() or (cost is not None and not np.isfinite(cost)):
        return _exploding(growth, diverged=True, **context)
    if identical.any():
        return _symmetry(identical, norms, **context)
    if growth[0] > EXPLODING_RATIO:
        return _exploding(growth, diverged=False, **context)
    fully_dead = [i for i in range(hidden) if dead[i] >= 1.0]
    if ACTIVATIONS[activation].dies and (fully_dead or np.nanmax(dead[:hidden], initial=0.0) >= CROWDED_SHARE):
        return _dead(dead[:hidden], fully_dead, **context)
    if L >= 2 and (first == 0 or ratio < VANISHING_RATIO):
        return _vanishing(saturated[:hidden], **context)
    if L and cost is not None and norms.max() < STUCK_NORM and cost > STUCK_COST:
        return _stuck(norms, cost, saturated[:hidden], **context)
    if _saturating(activation) and np.nanmax(saturated[:hidden], initial=0.0) >= CROWDED_SHARE:
        return _saturated(saturated[:hidden], **context)
    return _healthy(saturated[:hidden], dead[:hidden], **context)


def diagnose_network(net: Network, stats: LayerStats, cost: float | None = None,
                     diverged: bool = False) -> Diagnosis:
    """``diagnose`` with every number read off the network and its latest statistics."""
    return diagnose(
        stats.grad_norm_W, stats.grad_norm_A, activation=net.hidden_activation, initializer=net.initializer,
        widths=net.layer_sizes[1:-1], saturated=stats.saturated_fraction, dead=stats.dead_fraction,
        identical=identical_units(net), cost=cost, diverged=diverged,
        batch_norm=bool(getattr(net, "batch_norm", False)),
    )


def _padded(values: Sequence[float] | None, L: int) -> np.ndarray:
    out = np.full(L, np.nan)
    if values is not None:
        values = np.asarray(values, dtype=float)[:L]
        out[: len(values)] = values
    return out


def _growth(norms: np.ndarray, norms_A: np.ndarray) -> tuple[float, str, int]:
    """How much larger the gradient is next to the input than at the top, from whichever of the
    dW and dA profiles grows more: (ratio, a phrase naming the two norms, layers in between)."""
    best = (1.0, "", 1)
    L = len(norms)
    if L >= 2 and np.isfinite(norms).all() and norms[-1] > 0:
        best = max(best, (norms[0] / norms[-1], f"‖dW[1]‖ is {{}} times ‖dW[{L}]‖", L - 1))
    hidden = np.flatnonzero(np.isfinite(norms_A))
    if len(hidden) >= 2 and norms_A[hidden[-1]] > 0:
        best = max(best, (norms_A[hidden[0]] / norms_A[hidden[-1]],
                          f"‖dA[{hidden[0] + 1}]‖ is {{}} times ‖dA[{hidden[-1] + 1}]‖", hidden[-1] - hidden[0]))
    return float(best[0]), best[1], int(best[2])


def _per_layer(ratio: float, L: int) -> str:
    """The average factor per layer over the L - 1 steps from layer L back to layer 1."""
    factor = ratio ** (1.0 / (L - 1))
    return f"×{factor:.2g}"


def _saturating(activation: str) -> bool:
    """Sigmoid and tanh: flat tails where the slope is almost 0."""
    return ACTIVATIONS[activation].family == "saturating"


def _halves_variance(activation: str) -> bool:
    """The rectifiers pass about half of the signal's variance (the z < 0 half is cut or
    shrunk): the initial gain per layer is σ·√(n/2) instead of σ·√n."""
    return ACTIVATIONS[activation].family == "rectifier"


def _units(activation: str) -> str:
    return f"{ACTIVATIONS[activation].label} units"


def _fix_for(activation: str) -> str:
    if ACTIVATIONS[activation].initializer == "he":
        return f"He initialization (σ = √(2/n[l-1])), the one made for {ACTIVATIONS[activation].label}"
    return "Xavier initialization (σ = √(1/n[l-1])) for tanh/sigmoid, or ReLU with He initialization"


BATCH_NORM_FIX = "batch normalization (exercise 5: it re-centres and re-scales z before every activation)"


def _causes(saturated, *, activation, initializer, widths, L, batch_norm=False) -> tuple[list[str], str]:
    """Why gradients shrink, in sentences with numbers, and the fix to try."""
    crowded = [i for i, s in enumerate(saturated) if s >= CROWDED_SHARE]
    std = _initial_std(initializer)
    if batch_norm:
        return (["Batch normalization is on, so neither the initial σ nor saturation is the cause: every layer's "
                 "z is re-scaled to mean β and spread γ before its activation."],
                "fewer layers, or a smaller learning rate if γ and β have grown large; then Reset.")
    if std is not None and std < 0.1 and widths:
        gain = std * np.sqrt(widths[0] / 2 if _halves_variance(activation) else widths[0])
        return ([f"Weights drawn with σ = {std:g} shrink the signal at every layer, forward and backward: "
                 f"each layer scales it by about {gain:.2g}, so after {L - 1} layers almost nothing is left."],
                f"{_fix_for(activation)}: it scales σ to the number of inputs so the signal keeps its size.")
    slope = ACTIVATIONS[activation].max_slope
    if 0 < slope < 1:
        return ([f"{ACTIVATIONS[activation].label.capitalize()}'s derivative is at most {slope:g} and it is "
                 f"multiplied once per layer: {slope:g} to the power {L - 1} is {power_of_ten(slope ** (L - 1))}."],
                f"ReLU with He initialization (or tanh with Xavier), or {BATCH_NORM_FIX}.")
    if crowded and _saturating(activation):
        share = max(saturated[i] for i in crowded)
        return ([f"Up to {share:.0%} of the {activation} units in {_layers(crowded)} sit in a flat region "
                 f"({ACTIVATIONS[activation].flat_region}), where the slope is almost 0."],
                f"{_fix_for(activation)}: it keeps z where {activation} is steep.")
    return [], f"{_fix_for(activation)}, or fewer layers."


def _vanishing(saturated, *, activation, initializer, widths, L, ratio, batch_norm=False) -> Diagnosis:
    if ratio == 0 or not np.isfinite(ratio):
        headline = "Vanishing gradients: layer 1 receives no gradient at all (exactly 0) — its weights never move."
    else:
        headline = (f"Vanishing gradients: layer 1 receives {share_of(ratio)} the gradient of layer {L} — "
                    "its weights barely move.")
    details = []
    if ratio > 0 and np.isfinite(ratio):
        details.append(f"On the way back the gradient shrinks by about {_per_layer(ratio, L)} per layer.")
    causes, advice = _causes(saturated, activation=activation, initializer=initializer, widths=widths, L=L,
                             batch_norm=batch_norm)
    return Diagnosis("vanishing", headline, tuple(details + causes), advice, ratio)


def _stuck(norms, cost, saturated, *, activation, initializer, widths, L, ratio, batch_norm=False) -> Diagnosis:
    headline = (f"Stuck on a plateau: every layer's gradient is below {power_of_ten(STUCK_NORM)} "
                f"(largest {float(norms.max()):.1e}) while the cost is still {cost:.3g}.")
    causes, advice = _causes(saturated, activation=activation, initializer=initializer, widths=widths, L=L,
                             batch_norm=batch_norm)
    details = ("Gradient descent has almost nothing to follow; more updates barely help.", *causes)
    return Diagnosis("stuck", headline, details, advice, ratio)


def _saturated(saturated, *, activation, initializer, widths, L, ratio, batch_norm=False) -> Diagnosis:
    crowded = [i for i, s in enumerate(saturated) if s >= CROWDED_SHARE]
    share = max(saturated[i] for i in crowded)
    headline = (f"Saturated units: up to {share:.0%} of the {activation} units in {_layers(crowded)} sit in a "
                f"flat region ({ACTIVATIONS[activation].flat_region}), where the slope is almost 0.")
    details = []
    std = _initial_std(initializer)
    if batch_norm:
        details.append("Batch normalization is on, and this is measured on what the activations see, "
                       "Z̃ = γ·Z_norm + β: γ and β have grown enough to push z into the tails.")
    elif std and widths:
        details.append(f"With σ = {std:g} and {widths[0]} inputs per unit, z has a spread of about "
                       f"σ·√n ≈ {std * np.sqrt(widths[0]):.2g}: far into the flat tails.")
    details.append("Saturated units pass back almost no gradient; as training pushes more of them there, "
                   "the gradients vanish.")
    return Diagnosis("saturated", headline, tuple(details), f"{_fix_for(activation)}: it keeps z where "
                     f"{activation} is steep.", ratio)


def _exploding(growth, *, diverged, activation, initializer, widths, L, ratio, batch_norm=False) -> Diagnosis:
    details = []
    if diverged and growth[0] <= EXPLODING_RATIO:
        headline = "Exploding: training diverged — the cost became NaN or infinite."
        details.append("The gradients reached every layer evenly, so the steps themselves were too big.")
        return Diagnosis("exploding", headline, tuple(details), "a smaller learning rate, then Reset.", ratio)
    growth, phrase, steps = growth
    grows = phrase.format(power_of_ten(growth))
    if diverged:
        headline = f"Exploding gradients: training diverged (the cost became NaN or infinite); {grows}."
    else:
        headline = f"Exploding gradients: {grows} — the gradient grows at every layer on the way back."
        details.append(f"That is about {_per_layer(growth, steps + 1)} per layer; a step with such gradients "
                       "throws the weights far away and the cost becomes NaN.")
    std = _initial_std(initializer)
    if std and widths and ACTIVATIONS[activation].max_slope == 1 and not batch_norm:  # slope 1 around z = 0
        n = widths[0]
        gain = std * np.sqrt(n / 2 if _halves_variance(activation) else n)
        formula = "σ·√(n/2)" if _halves_variance(activation) else "σ·√n"
        details.append(f"With σ = {std:g} and {n} inputs per unit, every layer multiplies the size of its "
                       f"signal by about {formula} ≈ {gain:.2g}.")
    advice = f"{_fix_for(activation)}, or a smaller learning rate; then Reset."
    return Diagnosis("exploding", headline, tuple(details), advice, ratio)


def _symmetry(identical, norms, *, activation, initializer, widths, L, ratio, batch_norm=False) -> Diagnosis:
    layers = [i for i, same in enumerate(identical) if same]
    sizes = sorted({widths[i] for i in layers}) if widths else []
    units = f"all {sizes[0]} units" if len(sizes) == 1 else "all units"
    where = "every hidden layer" if len(layers) == len(identical) else _layers(layers)
    headline = (f"Symmetry: {units} of {where} are identical — the network behaves as if each layer "
                "had a single unit.")
    details = [f"They start with the same weights ({_initializer_name(initializer)}), so they compute the same "
               "output for every example and receive the same gradient: no update can ever make them differ."]
    hidden_norms = norms[: len(identical)]
    if len(hidden_norms) and not np.any(hidden_norms):
        details.append("Here the hidden layers' gradient is exactly 0: with zero weights nothing reaches them.")
    advice = "random initial weights break the symmetry: " + _fix_for(activation) + "."
    return Diagnosis("symmetry", headline, tuple(details), advice, ratio)


def _dead(dead, fully_dead, *, activation, initializer, widths, L, ratio, batch_norm=False) -> Diagnosis:
    if fully_dead:
        deepest = max(fully_dead)
        headline = (f"Dead {_units(activation)}: every unit of {_layers(fully_dead)} outputs 0 for every example, so no "
                    f"gradient passes below layer {deepest + 1}.")
    else:
        worst = int(np.nanargmax(dead))
        headline = (f"Dead {_units(activation)}: {dead[worst]:.0%} of the units in layer {worst + 1} output 0 for every "
                    "example and stop learning.")
    details = (f"A {ACTIVATIONS[activation].label} unit that is flat ({ACTIVATIONS[activation].flat_region}) for all "
               "inputs has slope 0 everywhere, so it never gets a gradient to recover with.",)
    # the same family's members whose units cannot die (for ReLU: leaky ReLU)
    alternatives = [a.label for a in ACTIVATIONS.values()
                    if a.family == ACTIVATIONS[activation].family and not a.dies and a.grad is not None]
    advice = (f"{ACTIVATIONS[activation].initializer.capitalize()} initialization, a smaller learning rate"
              + "".join(f", or {name}, whose units can always recover"
                        for name in alternatives) + ".")
    return Diagnosis("dead", headline, details, advice, ratio)


def _healthy(saturated, dead, *, activation, initializer, widths, L, ratio, batch_norm=False) -> Diagnosis:
    if L < 2:
        return Diagnosis("healthy", "Healthy: a single layer has no depth for gradients to vanish in.",
                         ratio=ratio)
    headline = (f"Healthy: gradients reach every layer — layer 1 receives {share_of(ratio)} the gradient "
                f"of layer {L}.")
    details = [f"About {_per_layer(ratio, L)} per layer: between 1/100 and 100 times overall, every layer learns."]
    if batch_norm and _saturating(activation):
        worst = np.nanmax(saturated, initial=0.0) if np.isfinite(saturated).any() else 0.0
        details.append(f"Batch normalization re-centres and re-scales z before every {activation} (Z̃ = γ·Z_norm + β), "
                       f"so the units stay where the slope is large: at most {worst:.0%} of a layer's values sit in "
                       f"the flat region ({ACTIVATIONS[activation].flat_region}), whatever the initial weights.")
    worst_dead = np.nanmax(dead, initial=0.0) if np.isfinite(dead).any() else 0.0
    if worst_dead > 0:
        details.append(f"Up to {worst_dead:.0%} of the {ACTIVATIONS[activation].label} units in a layer are dead "
                       f"({ACTIVATIONS[activation].flat_region} for every example); the others carry the gradient.")
    return Diagnosis("healthy", headline, tuple(details), "", ratio)
