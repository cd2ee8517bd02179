"""The Activation explorer's batch-norm question: where do a deep layer's z values fall on g?

Take the notes' deep network (10 hidden layers of 16, circles) and look at what one hidden
layer's activation receives — Z[l] without batch normalization, Z̃[l] = γ Z_norm + β with it —
for every training example, at initialization. With large initial weights a sigmoid or tanh
layer's z spreads far into the flat tails (slope ≈ 0: saturated); batch normalization puts it
back around 0 with spread 1, where the slope is large, whatever the weights. Numbers from the
engine's own forward pass and its activation registry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import ACTIVATIONS, Network
from ..settings import Settings
from ..training import TrainingSession

DEPTH, WIDTH = 10, 16


@dataclass(frozen=True)
class Spread:
    """The values one hidden layer's activation receives, and how many sit where g' ≈ 0."""

    z: np.ndarray  # every (unit, example) value of Z̃[layer], flattened
    flat_share: float  # share in the activation's flat region (the registry's ``saturated``)
    mean_slope: float  # mean g'(z): how much gradient passes this layer on average


def layer_inputs(activation: str, initializer: str, layer: int, batch_norm: bool, seed: int = 0) -> Spread:
    """Z̃[layer] of the notes' 10 × 16 network on circles at initialization (a training-mode
    pass: batch norm uses the batch's μ and σ², as in a training step)."""
    if not 1 <= layer <= DEPTH:
        raise ValueError(f"layer must be between 1 and {DEPTH}, got {layer}")
    settings = Settings(hidden_sizes=(WIDTH,) * DEPTH, activation=activation, initializer=initializer,
                        weight_seed=seed, batch_norm=batch_norm)
    X = TrainingSession(settings, max_history=2).X_train
    net = Network(settings.layer_sizes(X.shape[0]), activation, "sigmoid", settings.initializer_spec, seed,
                  **settings.network_options())
    cache = net.forward(X, update_state=False)
    z, g = cache.Z_tilde[layer], cache.G[layer]
    act = ACTIVATIONS[activation]
    flat = float(act.saturated(z, g).mean()) if act.saturated is not None else 0.0
    return Spread(z.ravel(), flat, float(act.grad(z, g).mean()))


def spread_sentence(activation: str, layer: int, without: Spread, with_bn: Spread) -> str:
    """What the two spreads say, with their numbers."""
    text = (f"Layer {layer}: without batch normalization **{without.flat_share:.0%}** of the values reaching "
            f"{activation} sit in its flat region (mean slope g′(z) = {without.mean_slope:.3g}); with batch "
            f"normalization **{with_bn.flat_share:.0%}** (mean slope {with_bn.mean_slope:.3g}).")
    if without.flat_share >= 0.1 and with_bn.flat_share < without.flat_share / 2:
        return text + (f" Batch normalization pulls z back to where {activation} is steep, so this saturated "
                       "network is not saturated with it: its gradient does not vanish for that reason.")
    return text + (" Here even the plain network is hardly saturated: pick the large initializer (and tanh) "
                   "to see batch normalization pull z back from the flat tails.")
