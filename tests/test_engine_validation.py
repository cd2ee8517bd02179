"""Bad calls to the engine's public API raise a ValueError that says what to change — never a
silent NaN, a silently rounded size, an OverflowError or a raw NumPy shape message."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine import Network, get_initializer, gradient_check, make_optimizer

X = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, -1.0]])
Y = np.array([[0.0, 1.0, 1.0]])


def net() -> Network:
    return Network([2, 3, 1], seed=0)


def with_value(array: np.ndarray, index, value) -> np.ndarray:
    array = array.copy()
    array[index] = value
    return array


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs_are_refused_naming_the_entry(bad):
    with pytest.raises(ValueError, match=r"X holds .* at index \(1, 2\).*finite"):
        net().forward(with_value(X, (1, 2), bad))
    with pytest.raises(ValueError, match=r"X holds"):
        net().predict_proba(with_value(X, (0, 0), bad))
    model = net()
    with pytest.raises(ValueError, match=r"Y holds .* at index \(0, 1\)"):
        model.backward(model.forward(X), with_value(Y, (0, 1), bad))
    with pytest.raises(ValueError, match=r"Y holds"):
        model.cost(X, with_value(Y, (0, 0), bad))


def test_wrong_shapes_say_which_shape_is_wanted():
    with pytest.raises(ValueError, match=r"X must have shape \(2, m\).*got \(3, 2\) — transpose it"):
        net().forward(X.T)
    with pytest.raises(ValueError, match=r"X must have shape \(2, m\)"):
        net().forward(np.ones(2))
    with pytest.raises(ValueError, match=r"X must have shape \(2, m\) with m ≥ 1"):
        net().forward(np.ones((2, 0)))
    with pytest.raises(ValueError, match="X must be an array of numbers"):
        net().forward([["a", "b"], ["c", "d"]])
    model = net()
    with pytest.raises(ValueError, match=r"Y must have shape \(1, 3\).*transpose"):
        model.backward(model.forward(X), Y.T)
    with pytest.raises(ValueError, match=r"Y must have shape \(1, 3\)"):
        model.cost(X, np.ones((1, 4)))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_set_layer_refuses_non_finite_weights(bad):
    model = net()
    before = model.W[1].copy()
    with pytest.raises(ValueError, match=r"W\[1\] holds .* finite"):
        model.set_layer(1, W=with_value(np.zeros((3, 2)), (2, 1), bad))
    with pytest.raises(ValueError, match=r"b\[2\] holds"):
        model.set_layer(2, b=[bad])
    np.testing.assert_array_equal(model.W[1], before)  # nothing was changed
    with pytest.raises(ValueError, match="layer must be between 1 and 2"):
        model.set_layer(1.5, W=np.zeros((3, 2)))


@pytest.mark.parametrize("rate", [np.nan, np.inf, -np.inf, -0.1, 0.0, True, "0.1", None])
@pytest.mark.parametrize("name", ["sgd", "momentum", "rmsprop", "adam"])
def test_optimizers_refuse_a_learning_rate_that_is_not_a_positive_number(name, rate):
    model = net()
    grads = model.backward(model.forward(X), Y)
    before = model.W[1].copy()
    with pytest.raises(ValueError, match="learning rate α must be a finite number > 0"):
        make_optimizer(name).update(model, grads, rate)
    np.testing.assert_array_equal(model.W[1], before)


@pytest.mark.parametrize("l2", [np.nan, np.inf, -0.5, True])
def test_l2_must_be_a_finite_number_at_least_zero(l2):
    model = net()
    with pytest.raises(ValueError, match="L2 strength λ must be a finite number ≥ 0"):
        model.backward(model.forward(X), Y, l2=l2)
    with pytest.raises(ValueError, match="L2 strength"):
        model.cost(X, Y, l2=l2)


@pytest.mark.parametrize("sizes, message", [
    ([2, 1.5, 1], r"layer_sizes\[1\] must be a whole number, got 1.5"),
    ([2, float("inf"), 1], r"layer_sizes\[1\] must be a whole number, got inf"),
    ([2, float("nan"), 1], r"layer_sizes\[1\] must be a whole number"),
    ([2, True, 1], r"layer_sizes\[1\] must be a whole number, got True"),
    ([2, "8", 1], r"layer_sizes\[1\] must be a whole number"),
    ([2, 10**400, 1], "every layer needs between 1 and 256 units"),
    ([10**6, 1], "the input between 1 and 4096"),
    ([2, 0, 1], "every layer needs between 1 and 256"),
    ([2], "at least an input and an output"),
])
def test_layer_sizes_must_be_whole_numbers_in_range(sizes, message):
    with pytest.raises(ValueError, match=message):
        Network(sizes)


def test_whole_floats_and_numpy_ints_are_fine_as_sizes():
    assert Network([2.0, np.int64(4), 1]).layer_sizes == (2, 4, 1)


@pytest.mark.parametrize("initializer", [True, False, np.bool_(True), None, [0.1]])
def test_initializer_must_be_a_name_or_a_number(initializer):
    with pytest.raises(ValueError, match="initializer must be one of|unknown initializer"):
        Network([2, 1], initializer=initializer)


def test_a_number_is_still_a_custom_sigma():
    assert np.all(get_initializer(0.0)(3, 2, np.random.default_rng(0)) == 0)
    with pytest.raises(ValueError, match="≥ 0"):
        get_initializer(float("nan"))


@pytest.mark.parametrize("epsilon", [0, 0.0, -1e-6, np.nan, np.inf, 1.0])
def test_gradient_check_needs_a_small_positive_epsilon(epsilon):
    with pytest.raises(ValueError, match="epsilon must be a small positive number"):
        gradient_check(net(), X, Y, epsilon=epsilon)
