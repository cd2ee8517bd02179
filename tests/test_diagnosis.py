"""The Gradients lab's diagnosis names the problem from per-layer numbers (CONCEPTS.md §5–6)."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine import Network, make_optimizer
from playground.settings import Settings
from playground.teaching.gradients.diagnosis import (
    diagnose,
    diagnose_network,
    identical_units,
    power_of_ten,
    share_of,
    unit_spread,
)
from playground.training import TrainingSession

NAN = float("nan")


def sigmoid_like_profile(L: int = 11) -> np.ndarray:
    """||dW[l]|| shrinking by 0.25 per layer toward the input: layer 1 gets 0.25^(L-1)."""
    return 0.25 ** np.arange(L - 1, -1, -1) * 0.05


def test_powers_of_ten_read_like_the_notes():
    assert power_of_ten(1.4e-7) == "10⁻⁷"
    assert power_of_ten(2.6e4) == "10⁴"
    assert share_of(1e-7) == "10⁻⁷ of"
    assert share_of(0.41) == "0.41 of"
    assert share_of(3e3) == "10³ times"
    assert share_of(0.0) == "none"


def test_sigmoid_profile_is_named_vanishing_with_the_numbers():
    d = diagnose(sigmoid_like_profile(), activation="sigmoid", initializer="xavier", widths=[16] * 10)
    assert d.kind == "vanishing" and d.severity == "error"
    assert "layer 1 receives 10⁻⁶ of the gradient of layer 11" in d.headline
    text = d.markdown()
    assert "Sigmoid's derivative is at most 0.25" in text and "ReLU with He" in text
    assert d.ratio == pytest.approx(0.25**10)


def test_small_init_names_sigma_as_the_cause():
    d = diagnose(sigmoid_like_profile(), activation="tanh", initializer="small", widths=[16] * 10)
    assert d.kind == "vanishing"
    assert "σ = 0.01" in d.markdown() and "Xavier" in d.advice


def test_a_layer_with_exactly_zero_gradient_reads_as_zero_not_nan():
    norms = np.array([0.0, 1e-3, 1e-2, 1e-1])
    d = diagnose(norms, activation="sigmoid", widths=[4, 4, 4])
    assert d.kind == "vanishing"
    assert "no gradient at all (exactly 0)" in d.headline
    assert "nan" not in d.markdown().lower() and "inf" not in d.markdown().lower()


def test_growing_profile_is_exploding():
    norms_A = np.array([1.4e5, 4.9e4, 2.4e4, 9e3, 5.7e3, 2.3e3, 7.6e2, 3.5e2, 1.4e2, 49.0, NAN])
    norms_W = np.full(11, 1e3)
    d = diagnose(norms_W, norms_A, activation="relu", initializer="large", widths=[16] * 10)
    assert d.kind == "exploding"
    assert "‖dA[1]‖ is 10³ times ‖dA[10]‖" in d.headline
    assert "σ·√(n/2) ≈ 2.8" in d.markdown()
    assert "He initialization" in d.advice


def test_divergence_is_exploding_and_says_nan():
    norms_A = np.array([1e5, 1e4, 1e3, 1e2, NAN])
    d = diagnose(np.ones(5), norms_A, activation="relu", initializer="large", widths=[8] * 4, diverged=True)
    assert d.kind == "exploding" and "NaN" in d.headline


def test_divergence_with_an_even_profile_blames_the_learning_rate():
    d = diagnose(np.ones(4), activation="tanh", widths=[8] * 3, cost=float("nan"))
    assert d.kind == "exploding"
    assert "learning rate" in d.advice


def test_identical_units_are_named_symmetry_and_zero_gradients_said():
    d = diagnose(np.zeros(4), np.zeros(4), activation="tanh", initializer="zeros", widths=[8, 8, 8],
                 identical=[True, True, True])
    assert d.kind == "symmetry"
    assert "all 8 units of every hidden layer are identical" in d.headline
    assert "exactly 0" in d.markdown() and "random initial weights" in d.advice


def test_fully_dead_relu_layer_blocks_everything_below():
    dead = np.array([0.0, 0.1, 1.0, 0.2, NAN])
    d = diagnose(np.array([0.0, 0.0, 0.0, 0.1, 0.2]), activation="relu", initializer="he", widths=[8] * 4,
                 dead=dead)
    assert d.kind == "dead"
    assert "every unit of layer 3 outputs 0" in d.headline and "below layer 3" in d.headline
    assert "leaky ReLU" in d.advice


def test_tiny_gradients_with_a_high_cost_are_a_plateau_but_with_a_low_cost_convergence():
    norms = np.full(6, 1e-8)
    stuck = diagnose(norms, activation="sigmoid", widths=[16] * 5, cost=0.693)
    assert stuck.kind == "stuck" and "0.693" in stuck.headline
    assert diagnose(norms, activation="sigmoid", widths=[16] * 5, cost=1e-4).kind == "healthy"


def test_mostly_saturated_tanh_is_a_warning():
    saturated = np.array([0.1, 0.6, 0.7, NAN])
    d = diagnose(np.ones(4), activation="tanh", initializer="large", widths=[16] * 3, saturated=saturated)
    assert d.kind == "saturated" and d.severity == "warning"
    assert "70%" in d.headline and "layers 2 and 3" in d.headline


def test_flat_profile_is_healthy():
    d = diagnose(np.array([0.01, 0.04, 0.06, 0.05, 0.02]), activation="relu", initializer="he", widths=[16] * 4)
    assert d.kind == "healthy" and d.severity == "success"
    assert "layer 1 receives 0.5 of the gradient of layer 5" in d.headline


# -- from real networks --------------------------------------------------------------------------
def diagnosis_at_init(**settings) -> str:
    session = TrainingSession(Settings(hidden_sizes=(16,) * 10, **settings))
    return diagnose_network(session.net, session.latest_stats, session.latest.train_cost).kind


@pytest.mark.parametrize(("activation", "initializer", "kind"), [
    ("sigmoid", "xavier", "vanishing"),
    ("relu", "large", "exploding"),
    ("tanh", "zeros", "symmetry"),
    ("relu", "he", "healthy"),
    ("tanh", "xavier", "healthy"),
    ("tanh", "large", "saturated"),
])
def test_lab_presets_are_diagnosed_as_named(activation, initializer, kind):
    assert diagnosis_at_init(activation=activation, initializer=initializer) == kind


def test_zero_init_keeps_hidden_units_identical_while_they_learn():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 40))
    Y = (rng.random((1, 40)) < 0.8).astype(float)  # unbalanced, so the output bias moves
    net = Network([2, 5, 5, 1], "sigmoid", initializer="zeros", seed=0)
    sgd = make_optimizer("sgd")
    for _ in range(50):
        cache = net.forward(X)
        sgd.update(net, net.backward(cache, Y), 0.5)
    assert np.abs(net.W[2]).max() > 1e-3  # they did learn ...
    assert identical_units(net).all()  # ... but every unit of a layer learned the same thing
    assert unit_spread(net.W[1], net.b[1]) <= 1e-9


def test_random_init_breaks_the_symmetry():
    net = Network([2, 5, 5, 1], "tanh", initializer="xavier", seed=0)
    assert not identical_units(net).any()
    assert unit_spread(net.W[1], net.b[1]) > 0.1
