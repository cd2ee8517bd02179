"""Per-layer statistics: gradient norms (vanishing gradients), saturated and dead units,
and locating the first non-finite layer (CONCEPTS.md §6)."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine import Network, first_non_finite_layer, gradient_norms, layer_stats
from playground.settings import Settings
from playground.training import TrainingSession


def initial_gradient_norms(activation: str, initializer: str, seed: int) -> np.ndarray:
    """||dW[l]|| on the whole circles training set, at initialization."""
    settings = Settings(dataset="circles", hidden_sizes=(16,) * 10, activation=activation,
                        initializer=initializer, weight_seed=seed)
    return TrainingSession(settings).full_batch_stats().grad_norm_W


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sigmoid_10_layers_gradients_vanish(seed):
    norms = initial_gradient_norms("sigmoid", "xavier", seed)
    assert len(norms) == 11
    assert norms[0] * 100 <= norms[-1], f"layer 1 {norms[0]:.2e} vs last {norms[-1]:.2e}"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_relu_he_10_layers_gradients_do_not_vanish(seed):
    norms = initial_gradient_norms("relu", "he", seed)
    assert norms[0] * 100 > norms[-1], f"layer 1 {norms[0]:.2e} vs last {norms[-1]:.2e}"


def test_stats_shapes_and_gradient_norms():
    rng = np.random.default_rng(0)
    net = Network([2, 5, 4, 1], "tanh", seed=0)
    X, Y = rng.normal(size=(2, 30)), rng.integers(0, 2, (1, 30)).astype(float)
    cache = net.forward(X)
    grads = net.backward(cache, Y)
    stats = layer_stats(net, cache, grads)
    for values in (stats.grad_norm_W, stats.grad_norm_A, stats.mean_abs_dW, stats.saturated_fraction, stats.dead_fraction):
        assert values.shape == (3,)
    np.testing.assert_allclose(stats.grad_norm_W, [np.linalg.norm(grads.dW[l]) for l in (1, 2, 3)])
    np.testing.assert_allclose(gradient_norms(grads), stats.grad_norm_W)
    np.testing.assert_allclose(stats.grad_norm_A[:2], [np.linalg.norm(grads.dA[l]) for l in (1, 2)])
    assert np.isnan(stats.grad_norm_A[2])  # the output layer has no dA
    assert np.isnan(stats.dead_fraction).all()  # tanh units cannot die


def test_large_init_saturates_tanh_units():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 200))
    Y = np.ones((1, 200))
    fractions = {}
    for init in ("xavier", "large"):
        net = Network([2, 64, 64, 1], "tanh", initializer=init, seed=0)
        cache = net.forward(X)
        fractions[init] = layer_stats(net, cache, net.backward(cache, Y)).saturated_fraction[1]
    assert fractions["large"] > 0.5 > fractions["xavier"]


def test_relu_unit_with_negative_bias_is_dead():
    net = Network([2, 3, 1], "relu", initializer="he", seed=0)
    net.set_layer(1, b=[-100.0, 0.0, 0.0])  # unit 1 has z < 0 for every (small) input
    X = np.random.default_rng(0).uniform(-1, 1, (2, 50))
    cache = net.forward(X)
    grads = net.backward(cache, np.ones((1, 50)))
    stats = layer_stats(net, cache, grads)
    assert stats.dead_fraction[0] == pytest.approx(1 / 3)
    np.testing.assert_array_equal(grads.dW[1][0], 0.0)  # a dead unit gets no gradient


def test_first_non_finite_layer_in_computation_order():
    net = Network([2, 3, 3, 1], seed=0)
    X = np.ones((2, 4))
    cache = net.forward(X)
    grads = net.backward(cache, np.ones((1, 4)))
    assert first_non_finite_layer(cache, grads) is None
    cache.A[2][0, 0] = np.inf
    assert first_non_finite_layer(cache, grads) == 2
    cache = net.forward(X)
    grads.dW[1][0, 0] = np.nan
    assert first_non_finite_layer(cache, grads) == 1
    grads.db[3][0, 0] = np.nan
    assert first_non_finite_layer(None, grads) == 3  # backward runs from L down to 1
