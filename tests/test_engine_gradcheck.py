"""Backprop agrees with two-sided finite differences (CONCEPTS.md §4) for every hidden
activation × output/loss pair × initializer, with and without L2, on small random networks."""

from __future__ import annotations

import itertools
import zlib

import numpy as np
import pytest

from playground.engine import (
    HIDDEN_ACTIVATIONS,
    Network,
    gradient_check,
    overall_relative_difference,
)
from playground.engine.gradcheck import verdict

OUTPUTS = ("sigmoid", "softmax", "linear")  # binary cross-entropy, categorical CE, mean squared error
RANDOM_INITIALIZERS = ("small", "large", "xavier", "he")
TOLERANCE = 1e-6


def random_problem(output: str, n_x: int, n_y: int, m: int, rng: np.random.Generator):
    X = rng.normal(size=(n_x, m))
    if output == "sigmoid":
        Y = rng.integers(0, 2, (1, m)).astype(float)
    elif output == "softmax":
        Y = np.eye(n_y)[:, rng.integers(0, n_y, m)]
    else:
        Y = rng.normal(size=(n_y, m))
    return X, Y


def random_network(activation: str, output: str, initializer: str, rng: np.random.Generator) -> Network:
    """1–3 hidden layers of width 1–5. Biases get small random values: with zero biases a
    ReLU unit can sit exactly on its kink (z = 0), where finite differences are meaningless."""
    n_x = int(rng.integers(1, 4))
    hidden = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(1, 4)))]
    n_y = int(rng.integers(2, 4)) if output == "softmax" else int(rng.integers(1, 3)) if output == "linear" else 1
    net = Network([n_x, *hidden, n_y], activation, output, initializer, seed=int(rng.integers(2**31)))
    for l in range(1, net.L + 1):
        net.set_layer(l, b=rng.normal(0.0, 0.1, net.b[l].shape))
    return net


CASES = list(itertools.product(HIDDEN_ACTIVATIONS, OUTPUTS, RANDOM_INITIALIZERS, (0.0, 0.7)))


@pytest.mark.parametrize(("activation", "output", "initializer", "l2"), CASES)
def test_backprop_matches_finite_differences(activation, output, initializer, l2):
    seed = zlib.crc32(f"{activation}/{output}/{initializer}/{l2}".encode())
    rng = np.random.default_rng(seed)
    for _ in range(3):  # three random networks per combination
        net = random_network(activation, output, initializer, rng)
        X, Y = random_problem(output, net.layer_sizes[0], net.layer_sizes[-1], int(rng.integers(2, 7)), rng)
        before = [W.copy() for W in net.W[1:]]
        checks = gradient_check(net, X, Y, epsilon=1e-6, l2=l2)
        difference = overall_relative_difference(checks)
        assert difference < TOLERANCE, f"{net}: relative difference {difference:.2e}"
        assert [c.name for c in checks] == [f"{k}{l}" for l in range(1, net.L + 1) for k in "Wb"]
        for W, W0 in zip(net.W[1:], before):  # the check restores the parameters exactly
            np.testing.assert_array_equal(W, W0)


def test_logistic_regression_gradients_match():
    """0 hidden layers: one sigmoid neuron."""
    rng = np.random.default_rng(1)
    net = Network([3, 1], initializer="small", seed=1)
    X, Y = random_problem("sigmoid", 3, 1, 8, rng)
    assert overall_relative_difference(gradient_check(net, X, Y)) < TOLERANCE


def test_gradient_check_catches_a_broken_backward():
    """A backward pass that forgets the 1/m must fail the check, layer by layer."""
    rng = np.random.default_rng(2)
    net = Network([2, 3, 1], "tanh", seed=2)
    X, Y = random_problem("sigmoid", 2, 1, 5, rng)

    def forgets_one_over_m(net, cache, Y, l2):
        grads = net.backward(cache, Y, l2)
        grads.dW[1] = grads.dW[1] * Y.shape[1]
        return grads

    checks = gradient_check(net, X, Y, backward=forgets_one_over_m)
    by_name = {c.name: c for c in checks}
    assert by_name["W1"].verdict == "fail"
    assert by_name["W2"].verdict == "pass"
    assert overall_relative_difference(checks) > 1e-3


@pytest.mark.parametrize(("value", "expected"), [(1e-9, "pass"), (1e-6, "warn"), (1e-3, "fail"), (float("nan"), "fail")])
def test_verdict_thresholds(value, expected):
    assert verdict(value) == expected


def test_step_activation_refuses_backprop():
    net = Network([2, 2, 1], hidden_activation="step", seed=0)
    X = np.array([[0.0, 1.0], [1.0, 0.0]])
    cache = net.forward(X)  # forward works: the perceptron uses it
    with pytest.raises(ValueError, match="step activation has no gradient"):
        net.backward(cache, np.array([[0.0, 1.0]]))
