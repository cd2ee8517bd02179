"""Toy datasets: one signature, seeded, the right shapes and labels, stratified splits."""

from __future__ import annotations

import numpy as np
import pytest

from playground.datasets import (
    DATASETS,
    EXTRA_FEATURES,
    GATE_TABLES,
    PLANE_DATASETS,
    digits,
    logic_gate,
    make_dataset,
    one_hot,
    split,
    to_csv,
    with_features,
)

GENERATED = [name for name, info in DATASETS.items() if not info.fixed_size]


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_is_deterministic_for_a_seed(name):
    X1, y1 = make_dataset(name, 120, 0.2, seed=5)
    X2, y2 = make_dataset(name, 120, 0.2, seed=5)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("name", GENERATED)
def test_generated_datasets_change_with_the_seed_and_have_the_right_shape(name):
    X1, y1 = make_dataset(name, 150, 0.2, seed=0)
    X2, _ = make_dataset(name, 150, 0.2, seed=1)
    assert not np.array_equal(X1, X2)
    assert X1.shape == (150, 2) and y1.shape == (150,)
    assert X1.dtype == np.float64
    info = DATASETS[name]
    if info.task == "regression":
        assert y1.dtype == np.float64
    else:
        assert y1.dtype.kind == "i"
        assert set(np.unique(y1)) == set(range(info.n_classes))
    assert np.abs(X1).max() < 2.5  # roughly the [-1, 1] square, same axes for every plot


@pytest.mark.parametrize("name", GENERATED)
def test_noise_changes_the_points_or_the_targets(name):
    """Classification noise moves the points; regression noise moves the targets."""
    X0, y0 = make_dataset(name, 200, 0.0, seed=0)
    X1, y1 = make_dataset(name, 200, 1.0, seed=0)
    clean, noisy = np.column_stack([X0, y0]), np.column_stack([X1, y1])
    assert np.all(np.isfinite(clean)) and np.all(np.isfinite(noisy))
    assert not np.allclose(clean, noisy)


def test_circles_default_factor_is_point_three():
    X, y = make_dataset("circles", 400, 0.0, seed=0)
    radius = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)


def test_xor_quadrants_label_by_sign_product():
    X, y = make_dataset("xor", 400, 0.0, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(int))


@pytest.mark.parametrize(("name", "classes"), [("spiral", 2), ("spiral3", 3), ("blobs", 2), ("blobs3", 3)])
def test_class_counts_are_balanced(name, classes):
    _, y = make_dataset(name, 300, 0.1, seed=0)
    counts = np.bincount(y)
    assert len(counts) == classes
    assert counts.max() - counts.min() <= 1


def test_linear_dataset_is_linearly_separable_when_clean():
    X, y = make_dataset("linear", 300, 0.0, seed=0)
    # The classes sit either side of the line x2 = x1.
    side = (X[:, 0] - X[:, 1] > 0).astype(int)
    assert np.mean(side == y) == 1.0 or np.mean(side != y) == 1.0


@pytest.mark.parametrize(("gate", "outputs"), list(GATE_TABLES.items()))
def test_logic_gate_truth_tables(gate, outputs):
    X, y = logic_gate(gate)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, outputs)


def test_gate_tables_are_the_textbook_ones():
    assert GATE_TABLES["XOR"] == (0, 1, 1, 0)
    assert GATE_TABLES["AND"] == (0, 0, 0, 1)
    assert GATE_TABLES["NOR"] == (1, 0, 0, 0)
    with pytest.raises(ValueError, match="choose one of"):
        logic_gate("IMPLIES")


def test_gate_datasets_ignore_size_and_noise():
    X, y = make_dataset("xor_gate", 999, 0.9, seed=3)
    assert X.shape == (4, 2)
    np.testing.assert_array_equal(y, [0, 1, 1, 0])


def test_digits():
    X, y = digits(binary=True)
    assert X.shape == (360, 64) and set(np.unique(y)) == {0, 1}
    assert X.min() == 0.0 and X.max() == 1.0  # pixels scaled from 0..16
    X10, y10 = make_dataset("digits10")
    assert X10.shape == (1797, 64) and set(np.unique(y10)) == set(range(10))
    assert DATASETS["digits01"].plane is False and "digits01" not in PLANE_DATASETS


def test_unknown_dataset_names_the_choices():
    with pytest.raises(ValueError, match="choose one of circles"):
        make_dataset("mnist")


# -- splits ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("ratio", [0.1, 0.3, 0.5])
def test_stratified_split_keeps_the_class_balance(ratio):
    X, y = make_dataset("blobs3", 300, 0.1, seed=0)
    X_train, X_test, y_train, y_test = split(X, y, ratio, seed=0)
    assert len(y_test) == round(ratio * 300) and len(y_train) + len(y_test) == 300
    np.testing.assert_allclose(np.bincount(y_test) / len(y_test), np.bincount(y) / len(y), atol=0.02)
    np.testing.assert_allclose(np.bincount(y_train) / len(y_train), np.bincount(y) / len(y), atol=0.02)
    # every point lands in exactly one part
    assert sorted(map(tuple, np.vstack([X_train, X_test]))) == sorted(map(tuple, X))


def test_split_is_seeded():
    X, y = make_dataset("moons", 200, 0.1, seed=0)
    a, b, c = split(X, y, 0.3, seed=1), split(X, y, 0.3, seed=1), split(X, y, 0.3, seed=2)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_tiny_sets_and_ratio_zero_use_the_training_set_as_test_set():
    X, y = logic_gate("XOR")
    X_train, X_test, y_train, y_test = split(X, y, 0.3, seed=0)
    np.testing.assert_array_equal(X_train, X_test)
    X, y = make_dataset("circles", 100, 0.1, seed=0)
    X_train, X_test, _, _ = split(X, y, 0.0, seed=0)
    assert len(X_train) == len(X_test) == 100


def test_regression_split_is_not_stratified():
    X, y = make_dataset("plane", 100, 0.1, seed=0)
    _, _, y_train, y_test = split(X, y, 0.25, seed=0, stratify=False)
    assert len(y_test) == 25 and y_test.dtype == np.float64


@pytest.mark.parametrize("name", ["blobs3", "spiral3", "circles", "xor"])
@pytest.mark.parametrize("n_samples", [4, 5, 6, 7])
@pytest.mark.parametrize("ratio", [0.1, 0.5, 0.9])
def test_smallest_datasets_split_without_errors(name, n_samples, ratio):
    X, y = make_dataset(name, n_samples, 0.1, seed=0)
    X_train, X_test, _, _ = split(X, y, ratio, seed=0)
    assert len(X_train) > 0 and len(X_test) > 0


# -- features and helpers ------------------------------------------------------------------------
def test_extra_features_are_appended_in_order():
    X = np.array([[0.5, -1.0], [1.0, 0.25]])
    out = with_features(X, ["x1^2", "x1*x2", "sin(x1)", "x2^2", "sin(x2)"])
    np.testing.assert_allclose(out, [
        [0.5, -1.0, 0.25, -0.5, np.sin(np.pi * 0.5), 1.0, np.sin(-np.pi)],
        [1.0, 0.25, 1.0, 0.25, np.sin(np.pi), 0.0625, np.sin(np.pi * 0.25)],
    ])
    assert with_features(X, []) is X
    assert set(EXTRA_FEATURES) == {"x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"}
    with pytest.raises(ValueError, match="choose from"):
        with_features(X, ["x3"])


def test_one_hot_puts_examples_in_columns():
    np.testing.assert_array_equal(one_hot(np.array([2, 0, 1]), 3), [[0, 1, 0], [0, 0, 1], [1, 0, 0]])


def test_csv_export():
    X, y = make_dataset("circles", 5, 0.0, seed=0)
    lines = to_csv(X, y).splitlines()
    assert lines[0] == "x1,x2,label" and len(lines) == 6
    assert lines[1].endswith(f",{y[0]}")
