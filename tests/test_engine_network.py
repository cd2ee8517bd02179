"""The network in lecture notation: shapes, activations beside their derivatives, stable
losses, initializers, and the symmetry problem of zero initialization."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine import (
    ACTIVATIONS,
    HIDDEN_ACTIVATIONS,
    INITIALIZERS,
    LOSS_FOR_OUTPUT,
    Network,
    get_initializer,
    make_optimizer,
    sigmoid,
    softmax,
)
from playground.engine.activations import LEAKY_SLOPE, get_activation
from playground.engine.network import MAX_WIDTH

# -- activations ----------------------------------------------------------------------------------
# Points away from the ReLU kink at 0, where the derivative is undefined.
Z_POINTS = np.array([[-6.0, -2.0, -0.7, -0.1, 0.1, 0.6, 2.5, 7.0]])


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_activation_derivative_matches_its_function(name):
    g = ACTIVATIONS[name]
    h = 1e-6
    numerical = (g(Z_POINTS + h) - g(Z_POINTS - h)) / (2 * h)
    np.testing.assert_allclose(g.grad(Z_POINTS, g(Z_POINTS)), numerical, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_activation_does_not_modify_its_input(name):
    Z = Z_POINTS.copy()
    A = ACTIVATIONS[name](Z)
    ACTIVATIONS[name].grad(Z, A)
    np.testing.assert_array_equal(Z, Z_POINTS)


def test_activation_values_from_the_table():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"](z), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(ACTIVATIONS["tanh"](z), np.tanh(z))
    np.testing.assert_array_equal(ACTIVATIONS["relu"](z), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(ACTIVATIONS["leaky_relu"](z), [-2.0 * LEAKY_SLOPE, 0.0, 3.0])
    assert LEAKY_SLOPE == 0.01
    np.testing.assert_array_equal(ACTIVATIONS["linear"](z), z)
    np.testing.assert_array_equal(ACTIVATIONS["step"](z), [0.0, 0.0, 1.0])
    assert ACTIVATIONS["step"].grad is None
    assert ACTIVATIONS["sigmoid"].grad(np.zeros(1), sigmoid(np.zeros(1)))[0] == 0.25  # its maximum


def test_sigmoid_and_softmax_never_overflow():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        s = sigmoid(np.array([-1000.0, 1000.0]))
        p = softmax(np.array([[1000.0, -1000.0], [0.0, -999.0], [-1000.0, -1001.0]]))
    np.testing.assert_array_equal(s, [0.0, 1.0])
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=0), 1.0)


def test_unknown_activation_names_the_choices():
    with pytest.raises(ValueError, match="choose one of"):
        get_activation("swish")
    with pytest.raises(ValueError, match="choose one of"):
        Network([2, 1], hidden_activation="swish")
    with pytest.raises(ValueError, match="choose one of"):
        Network([2, 1], output_activation="relu")


# -- losses ------------------------------------------------------------------------------------------
def test_losses_are_stable_for_confident_wrong_outputs():
    """log(0) and exp overflow cannot happen: the costs are computed from the logits."""
    Z = np.array([[800.0, -800.0]])
    Y = np.array([[0.0, 1.0]])
    bce = LOSS_FOR_OUTPUT["sigmoid"]
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        cost = bce.cost(Z, sigmoid(Z), Y)
    assert cost == pytest.approx(800.0)
    Zs = np.array([[900.0], [-900.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        cce = LOSS_FOR_OUTPUT["softmax"].cost(Zs, softmax(Zs), np.array([[0.0], [1.0]]))
    assert cce == pytest.approx(1800.0)


def test_loss_values_match_the_formulas():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(1, 6))
    Y = rng.integers(0, 2, (1, 6)).astype(float)
    A = sigmoid(Z)
    expected = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    assert LOSS_FOR_OUTPUT["sigmoid"].cost(Z, A, Y) == pytest.approx(expected)
    Zk = rng.normal(size=(3, 6))
    Yk = np.eye(3)[:, rng.integers(0, 3, 6)]
    assert LOSS_FOR_OUTPUT["softmax"].cost(Zk, softmax(Zk), Yk) == pytest.approx(
        -np.mean(np.sum(Yk * np.log(softmax(Zk)), axis=0))
    )
    Yr = rng.normal(size=(1, 6))
    assert LOSS_FOR_OUTPUT["linear"].cost(Z, Z, Yr) == pytest.approx(np.sum((Z - Yr) ** 2) / (2 * 6))


# -- shapes --------------------------------------------------------------------------------------
def test_shapes_follow_the_lecture_notation():
    net = Network([3, 5, 4, 2], "relu", "softmax", "he", seed=0)
    m = 7
    X = np.random.default_rng(0).normal(size=(3, m))
    cache = net.forward(X)
    assert net.L == 3
    assert net.W[0] is None and net.b[0] is None
    for l, (n_out, n_in) in enumerate([(5, 3), (4, 5), (2, 4)], start=1):
        assert net.W[l].shape == (n_out, n_in)
        assert net.b[l].shape == (n_out, 1)
        assert cache.Z[l].shape == cache.A[l].shape == (n_out, m)
    assert cache.A[0] is X
    Y = np.eye(2)[:, [0, 1, 1, 0, 1, 0, 0]]
    grads = net.backward(cache, Y, input_gradient=True)
    for l in range(1, 4):
        assert grads.dW[l].shape == net.W[l].shape
        assert grads.db[l].shape == net.b[l].shape
        assert grads.dZ[l].shape == cache.Z[l].shape
        assert grads.dA[l - 1].shape == cache.A[l - 1].shape
    np.testing.assert_allclose(cache.output.sum(axis=0), 1.0)
    assert net.predict(X).shape == (m,)


def test_parameter_count_is_edges_plus_neurons():
    assert Network([2, 4, 1]).parameter_count == (2 * 4 + 4 * 1) + (4 + 1)
    assert Network([2, 1]).parameter_count == 3  # logistic regression: two weights and a bias


def test_depth_and_width_limits():
    deep = Network([2] + [8] * 20 + [1], "relu", initializer="he", seed=0)
    assert deep.L == 21
    assert np.all(np.isfinite(deep.predict_proba(np.ones((2, 3)))))
    Network([2, MAX_WIDTH, 1])
    with pytest.raises(ValueError, match="between 1 and"):
        Network([2, MAX_WIDTH + 1, 1])
    with pytest.raises(ValueError, match="between 1 and"):
        Network([2, 0, 1])
    with pytest.raises(ValueError, match="at least an input and an output"):
        Network([2])


def test_set_layer_checks_shapes_and_changes_the_output():
    net = Network([2, 3, 1], seed=0)
    net.set_layer(1, W=np.zeros((3, 2)), b=[1.0, 2.0, 3.0])
    assert net.b[1].shape == (3, 1)
    np.testing.assert_array_equal(net.forward(np.ones((2, 4))).Z[1], np.array([[1.0], [2.0], [3.0]]) * np.ones((1, 4)))
    with pytest.raises(ValueError, match=r"W\[1\] must have shape \(3, 2\)"):
        net.set_layer(1, W=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="layer must be between 1 and 2"):
        net.set_layer(3, b=[0.0])


def test_parameters_and_copy_are_independent():
    net = Network([2, 3, 1], seed=0)
    params = net.parameters()
    assert sorted(params) == ["W1", "W2", "b1", "b2"]
    other = net.copy()
    other.W[1][0, 0] += 1.0
    assert other.W[1][0, 0] != net.W[1][0, 0]


def test_predict_labels_by_output_kind():
    X = np.zeros((2, 3))
    binary = Network([2, 1], output_activation="sigmoid")
    binary.set_layer(1, b=[2.0])
    np.testing.assert_array_equal(binary.predict(X), [1, 1, 1])
    multi = Network([2, 3], output_activation="softmax")
    multi.set_layer(1, b=[0.0, 5.0, 1.0])
    np.testing.assert_array_equal(multi.predict(X), [1, 1, 1])
    regression = Network([2, 1], output_activation="linear")
    regression.set_layer(1, b=[0.25])
    np.testing.assert_array_equal(regression.predict(X), [0.25, 0.25, 0.25])


def test_l2_adds_lambda_over_m_times_w():
    net = Network([2, 3, 1], seed=0)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(2, 5)), rng.integers(0, 2, (1, 5)).astype(float)
    cache = net.forward(X)
    plain, penalised = net.backward(cache, Y), net.backward(cache, Y, l2=0.5)
    for l in (1, 2):
        np.testing.assert_allclose(penalised.dW[l] - plain.dW[l], 0.5 / 5 * net.W[l])
        np.testing.assert_array_equal(penalised.db[l], plain.db[l])
    penalty = 0.5 / (2 * 5) * sum(np.sum(W**2) for W in net.W[1:])
    assert net.cost(X, Y, l2=0.5) == pytest.approx(net.cost(X, Y) + penalty)


# -- initializers ------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "std"), [("small", lambda n: 0.01), ("large", lambda n: 1.0),
                                           ("xavier", lambda n: np.sqrt(1 / n)), ("he", lambda n: np.sqrt(2 / n))])
def test_initializer_scales(name, std):
    n_in = 200
    W = get_initializer(name)(300, n_in, np.random.default_rng(0))
    assert W.shape == (300, n_in)
    assert W.std() == pytest.approx(std(n_in), rel=0.02)
    assert abs(W.mean()) < 0.02 * std(n_in) * 5


def test_initializers_are_seeded_and_biases_start_at_zero():
    for name in INITIALIZERS:
        a, b = Network([2, 5, 1], initializer=name, seed=3), Network([2, 5, 1], initializer=name, seed=3)
        for l in (1, 2):
            np.testing.assert_array_equal(a.W[l], b.W[l])
            np.testing.assert_array_equal(a.b[l], 0.0)
    assert not np.array_equal(Network([2, 5, 1], seed=3).W[1], Network([2, 5, 1], seed=4).W[1])
    np.testing.assert_array_equal(Network([2, 5, 1], initializer="zeros").W[1], 0.0)


def test_custom_standard_deviation_and_unknown_names():
    W = get_initializer(0.5)(400, 100, np.random.default_rng(0))
    assert W.std() == pytest.approx(0.5, rel=0.02)
    with pytest.raises(ValueError, match="choose one of"):
        get_initializer("glorot")
    with pytest.raises(ValueError, match="≥ 0"):
        get_initializer(-1.0)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_zero_init_keeps_hidden_units_identical(activation):
    """The symmetry problem (CONCEPTS.md §5): with W = 0 every unit of a hidden layer computes
    the same function and receives the same gradient, so training never tells them apart."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 40))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    net = Network([2, 4, 3, 1], activation, initializer="zeros", seed=0)
    optimizer = make_optimizer("sgd")
    for _ in range(50):
        optimizer.update(net, net.backward(net.forward(X), Y), learning_rate=0.5)
    for l in (1, 2):
        n = net.layer_sizes[l]
        # Identical up to round-off (BLAS may sum rows in a different order, ~1e-18 apart).
        same = {"rtol": 1e-12, "atol": 1e-15}
        np.testing.assert_allclose(net.W[l], np.repeat(net.W[l][:1], n, axis=0), **same)
        np.testing.assert_allclose(net.b[l], np.repeat(net.b[l][:1], n, axis=0), **same)
        # ... and the next layer reads every one of those units with the same weight.
        np.testing.assert_allclose(net.W[l + 1], np.repeat(net.W[l + 1][:, :1], n, axis=1), **same)
    cache = net.forward(X)
    for l in (1, 2):
        np.testing.assert_allclose(cache.A[l], np.repeat(cache.A[l][:1], net.layer_sizes[l], axis=0), **same)


def test_zero_init_sigmoid_net_learns_but_only_symmetrically():
    """So the test above is not vacuous: with sigmoid (σ(0) = 0.5) the weights do move away
    from zero; they just stay identical within a layer. (With tanh or ReLU, g(0) = 0 and the
    hidden weights never move at all.)"""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 40))
    Y = (X[0:1] > 0).astype(float)
    net = Network([2, 4, 1], "sigmoid", initializer="zeros", seed=0)
    optimizer = make_optimizer("sgd")
    for _ in range(50):
        optimizer.update(net, net.backward(net.forward(X), Y), learning_rate=0.5)
    assert np.any(net.W[1] != 0) and np.any(net.W[2] != 0)
    np.testing.assert_allclose(net.W[1], np.repeat(net.W[1][:1], 4, axis=0), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_predict_proba_equals_the_forward_output(output):
    """predict_proba skips the cache for speed; it must compute exactly what forward does."""
    net = Network([2, 6, 5, 3 if output == "softmax" else 1], "relu", output, "he", seed=4)
    net.set_layer(2, b=np.linspace(-0.5, 0.5, 5))
    X = np.random.default_rng(4).normal(size=(2, 50))
    np.testing.assert_array_equal(net.predict_proba(X), net.forward(X).output)


def test_predict_proba_in_blocks_equals_the_forward_output():
    """A 100×100 grid (10,000 columns) goes through predict_proba in blocks of columns."""
    net = Network([2, 8, 8, 3], "tanh", "softmax", "xavier", seed=5)
    X = np.random.default_rng(5).uniform(-1, 1, (2, 10_000))
    out = net.predict_proba(X)
    assert out.shape == (3, 10_000)
    np.testing.assert_allclose(out, net.forward(X).output, rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(net.predict(X), np.argmax(net.forward(X).output, axis=0))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_float32_pictures_match_the_float64_prediction(activation, output):
    """``predict_proba(X, dtype=np.float32)`` (the decision boundary's pictures) is the same
    computation in single precision: equal to float64 within what 256 colour steps can show."""
    n_y = 3 if output == "softmax" else 1
    net = Network([2, 8, 8, n_y], activation, output, "xavier", seed=1)
    X = np.random.default_rng(2).uniform(-3, 3, size=(2, 5000))
    single = net.predict_proba(X, dtype=np.float32)
    assert single.dtype == np.float32 and single.shape == (n_y, 5000)
    np.testing.assert_allclose(single, net.predict_proba(X), rtol=1e-4, atol=1e-5)
