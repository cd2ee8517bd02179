"""Update rules of CONCEPTS.md §7, checked against their formulas, and that each one learns."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine import OPTIMIZERS, Network, make_optimizer
from playground.engine.network import Gradients


def problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(2, 60))
    Y = (X[0:1] + 0.5 * X[1:2] > 0).astype(float)
    return X, Y


def constant_gradients(net: Network, value: float) -> Gradients:
    dW = [None] + [np.full_like(W, value) for W in net.W[1:]]
    db = [None] + [np.full_like(b, value) for b in net.b[1:]]
    return Gradients(dW, db, [None] * (net.L + 1), [None] * (net.L + 1))


def test_sgd_is_w_minus_alpha_dw():
    net = Network([2, 3, 1], seed=0)
    X, Y = problem()
    grads = net.backward(net.forward(X), Y)
    before = net.copy()
    make_optimizer("sgd").update(net, grads, learning_rate=0.1)
    for l in (1, 2):
        np.testing.assert_array_equal(net.W[l], before.W[l] - 0.1 * grads.dW[l])
        np.testing.assert_array_equal(net.b[l], before.b[l] - 0.1 * grads.db[l])


def test_updates_assign_new_arrays_so_old_weights_survive():
    """The training session keeps the previous weights by reference to undo a bad update."""
    for name in OPTIMIZERS:
        net = Network([2, 3, 1], seed=0)
        old = list(net.W)
        kept = [W.copy() for W in net.W[1:]]
        make_optimizer(name).update(net, constant_gradients(net, 1.0), 0.1)
        for W_old, W_copy, W_new in zip(old[1:], kept, net.W[1:]):
            np.testing.assert_array_equal(W_old, W_copy)
            assert W_new is not W_old


def test_momentum_averages_the_gradients():
    net = Network([2, 1], initializer="zeros")
    optimizer = make_optimizer("momentum")
    g = constant_gradients(net, 1.0)
    optimizer.update(net, g, 1.0)  # v = 0.1
    np.testing.assert_allclose(net.W[1], -0.1)
    optimizer.update(net, g, 1.0)  # v = 0.9·0.1 + 0.1 = 0.19
    np.testing.assert_allclose(net.W[1], -0.29)


def test_rmsprop_divides_by_the_root_mean_square():
    net = Network([2, 1], initializer="zeros")
    make_optimizer("rmsprop").update(net, constant_gradients(net, 2.0), 0.01)
    # s = 0.1·4 = 0.4, step = 0.01·2/√0.4
    np.testing.assert_allclose(net.W[1], -0.01 * 2.0 / np.sqrt(0.4), rtol=1e-6)


@pytest.mark.parametrize("g", [1e-4, 3.0, -50.0])
def test_adam_first_step_is_alpha_times_the_sign(g):
    """Bias correction makes Adam's very first step α·sign(g), whatever the gradient's size."""
    net = Network([2, 1], initializer="zeros")
    make_optimizer("adam").update(net, constant_gradients(net, g), 0.01)
    np.testing.assert_allclose(net.W[1], -0.01 * np.sign(g), rtol=1e-4)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_reduces_the_cost(name):
    X, Y = problem()
    net = Network([2, 4, 1], "tanh", seed=1)
    optimizer = make_optimizer(name)
    start = net.cost(X, Y)
    learning_rate = 0.5 if name in ("sgd", "momentum") else 0.02
    for _ in range(100):
        optimizer.update(net, net.backward(net.forward(X), Y), learning_rate)
    assert net.cost(X, Y) < 0.5 * start


def test_unknown_optimizer_names_the_choices():
    with pytest.raises(ValueError, match="choose one of sgd, momentum, rmsprop, adam"):
        make_optimizer("lbfgs")


def test_make_optimizer_gives_fresh_state():
    a, b = make_optimizer("adam"), make_optimizer("adam")
    net = Network([2, 1])
    a.update(net, constant_gradients(net, 1.0), 0.1)
    assert a.t == 1 and b.t == 0
