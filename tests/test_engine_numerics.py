"""Sigmoid and the cross-entropies at extreme logits, against references computed with 800
significant digits (Python's ``decimal``): full relative precision where float64 can hold it.

These are teaching numbers: a cost printed as 0 where it is 1e-14, or 1.3% off at z = 30,
would be a wrong lesson about what a confident network pays."""

from __future__ import annotations

from decimal import Decimal, getcontext

import numpy as np
import pytest

from playground.engine import LOSS_FOR_OUTPUT, sigmoid
from playground.engine.losses import log_softmax

getcontext().prec = 800  # enough for ln(1 + e^-700) to keep its digits
ULP_TOLERANCE = 4e-16  # a couple of units in the last place


def exact_sigmoid(z: float) -> float:
    return float(1 / (1 + (-Decimal(z)).exp()))


def exact_softplus(z: float) -> float:
    """log(1 + e^z), computed with 800 digits."""
    return float((1 + Decimal(z).exp()).ln())


def exact_log_softmax(column: list[float]) -> list[float]:
    total = sum(Decimal(v).exp() for v in column)
    return [float(Decimal(v) - total.ln()) for v in column]


def relative_error(got: float, want: float) -> float:
    return abs(got - want) / abs(want)


@pytest.mark.parametrize("z", [-700.0, -300.0, -37.5, -30.0, -10.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 10.0, 30.0, 700.0])
def test_sigmoid_has_full_relative_precision(z):
    assert relative_error(float(sigmoid(np.array([z]))[0]), exact_sigmoid(z)) <= ULP_TOLERANCE


def test_sigmoid_stays_nonzero_down_to_minus_745_and_never_overflows():
    with np.errstate(over="raise", invalid="raise"):
        values = sigmoid(np.array([-745.0, -740.0, -1000.0, 1000.0]))
    assert values[0] > 0 and values[1] > 0  # σ(-745) ≈ 5e-324, the smallest float64 above 0
    assert values[2] == 0.0 and values[3] == 1.0


def test_sigmoid_below_minus_37_is_not_zero_as_the_tanh_form_was():
    z = np.array([-40.0])
    old_form = 0.5 * (1.0 + np.tanh(0.5 * z))
    assert old_form[0] == 0.0  # what 0.5·(1 + tanh(z/2)) gives: every digit lost
    assert sigmoid(z)[0] == pytest.approx(4.248354255291589e-18, rel=1e-15)


BCE = LOSS_FOR_OUTPUT["sigmoid"]


@pytest.mark.parametrize("y, z", [(1, 30.0), (1, 37.0), (1, 50.0), (0, -30.0), (0, -50.0), (1, -30.0),
                                  (0, 30.0), (1, -800.0), (0, 800.0), (1, 0.0), (0, 1e-9), (1, 5.0)])
def test_binary_cross_entropy_is_precise_at_extreme_logits(y, z):
    # -[y log σ(z) + (1-y) log(1-σ(z))] = softplus(-z) for y = 1, softplus(z) for y = 0
    want = exact_softplus(-z) if y == 1 else exact_softplus(z)
    Z, Y = np.array([[z]]), np.array([[float(y)]])
    got = BCE.cost(Z, sigmoid(Z), Y)
    assert relative_error(got, want) <= ULP_TOLERANCE


def test_binary_cross_entropy_no_longer_cancels_for_a_confident_right_answer():
    z, y = 30.0, 1.0
    old_form = np.logaddexp(0.0, z) - y * z  # log(1 + e^z) - y·z: two ~30s subtracted
    assert relative_error(old_form, exact_softplus(-z)) > 1e-3
    assert relative_error(BCE.cost(np.array([[z]]), None, np.array([[y]])), exact_softplus(-z)) <= ULP_TOLERANCE


CCE = LOSS_FOR_OUTPUT["softmax"]


@pytest.mark.parametrize("column, k", [
    ([40.0, 0.0, 0.0], 0),       # confident and right: J = log(1 + 2e^-40) ≈ 8.5e-18
    ([20.0, -3.0, 1.0], 0),
    ([0.0, 40.0, -40.0], 0),     # confident and wrong: J ≈ 40
    ([700.0, -700.0, 0.0], 0),
    ([1e-3, 0.0, -1e-3], 2),
    ([5.0, 5.0, -5.0], 1),       # a tie at the top
])
def test_categorical_cross_entropy_is_log_softmax_precise(column, k):
    Z = np.array(column).reshape(-1, 1)
    Y = np.zeros_like(Z)
    Y[k] = 1.0
    want = -exact_log_softmax(column)[k]
    assert relative_error(CCE.cost(Z, None, Y), want) <= ULP_TOLERANCE


def test_log_softmax_matches_the_reference_entrywise():
    Z = np.array([[30.0, -30.0, 0.0, 3.0], [0.0, 0.0, 1e-3, 3.0], [-5.0, 2.0, 3.0, -600.0]])
    got = log_softmax(Z)
    for j in range(Z.shape[1]):
        for i, want in enumerate(exact_log_softmax(list(Z[:, j]))):
            assert relative_error(got[i, j], want) <= 2 * ULP_TOLERANCE, (i, j)


def test_categorical_cross_entropy_is_better_than_adding_z_max_back():
    Z, Y = np.array([[36.0], [0.0], [0.0]]), np.array([[1.0], [0.0], [0.0]])
    want = -exact_log_softmax([36.0, 0.0, 0.0])[0]
    z_max = Z.max(axis=0)
    old_form = float(z_max[0] + np.log(np.sum(np.exp(Z - z_max), axis=0))[0] - Z[0, 0])
    assert relative_error(old_form, want) > 1e-2
    assert relative_error(CCE.cost(Z, None, Y), want) <= ULP_TOLERANCE
