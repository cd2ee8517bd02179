"""Vectorization (CONCEPTS.md §11): the loop and W @ A + b agree, and the loop is slower."""

import numpy as np
import pytest

from playground.engine import Network
from playground.teaching.vectorization import (
    MAX_LOOP_OPS,
    columns_within_budget,
    format_seconds,
    layer_forward_loop,
    layer_forward_vectorized,
    layer_inputs,
    time_dot_product,
    time_layer,
)


def test_loop_and_matrix_product_compute_the_same_layer():
    rng = np.random.default_rng(0)
    W, A, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 7)), rng.normal(size=(5, 1))
    Z = layer_forward_loop(W, A, b)
    assert Z.shape == (5, 7)
    np.testing.assert_allclose(Z, layer_forward_vectorized(W, A, b), rtol=1e-12, atol=1e-12)
    # b is broadcast over the columns: Z[:, j] - W A[:, j] is the same b for every example j
    np.testing.assert_allclose(Z - W @ A, np.repeat(b, 7, axis=1), atol=1e-12)


def test_layer_timing_of_a_network_layer_is_equal_and_the_loop_is_slower():
    net = Network([2, 16, 16, 1], hidden_activation="tanh", seed=3)
    X = np.random.default_rng(1).normal(size=(2, 4))
    A1 = layer_inputs(net, X, layer=2, m=400)
    assert A1.shape == (16, 400)
    np.testing.assert_allclose(A1[:, 4:8], A1[:, 0:4])  # the 4 examples cycled
    timing = time_layer(net.W[2], A1, net.b[2], layer=2)
    assert timing.equal and timing.max_difference < 1e-12
    assert timing.columns_used == 400 and not timing.capped
    assert timing.operations == 16 * 16 * 400
    assert timing.ratio > 5  # in practice hundreds; a loose bound keeps a loaded machine green
    assert "Z[2] = W[2] A[1] + b[2]" in timing.what


def test_loop_work_is_capped_so_a_click_stays_short():
    assert columns_within_budget(100, 100, 10_000) == MAX_LOOP_OPS // 10_000
    assert columns_within_budget(300, 300, 10_000) == 1  # at least one example
    rng = np.random.default_rng(0)
    W, b = rng.normal(size=(100, 100)), rng.normal(size=(100, 1))
    timing = time_layer(W, rng.normal(size=(100, 1000)), b)
    assert timing.capped and timing.columns_used == 15 and timing.operations <= MAX_LOOP_OPS
    assert timing.equal


def test_dot_product_like_the_notes():
    timing = time_dot_product(20_000)
    assert timing.equal and timing.ratio > 5
    assert timing.operations == 20_000


def test_layer_inputs_rejects_a_layer_that_does_not_exist():
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match="between 1 and 2"):
        layer_inputs(net, np.zeros((2, 4)), 3, 10)


@pytest.mark.parametrize("seconds, text", [(2.5, "2.50 s"), (0.0123, "12.3 ms"), (2.1e-5, "21 µs")])
def test_seconds_are_shown_in_readable_units(seconds, text):
    assert format_seconds(seconds) == text
