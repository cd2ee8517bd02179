"""The comparison runner: up to four configurations, same data and seeds, same number of updates."""

from __future__ import annotations

import numpy as np
import pytest

from playground.settings import Settings
from playground.teaching.gradients.compare import MAX_CONFIGS, compare, configurations, describe

BASE = Settings(dataset="circles", hidden_sizes=(8,) * 4, weight_seed=3, data_seed=5)
INITIALIZERS = [{"activation": "relu", "initializer": name} for name in ("small", "large", "xavier", "he")]


def test_every_run_uses_the_same_data_and_seeds():
    runs = compare(BASE, INITIALIZERS, steps=20)
    for run in runs:
        for name in ("dataset", "n_samples", "noise", "test_ratio", "data_seed", "features", "weight_seed"):
            assert getattr(run.settings, name) == getattr(BASE, name)
    assert [run.label for run in runs] == ["relu + small", "relu + large", "relu + xavier", "relu + he"]


def test_same_network_and_seed_start_from_the_same_weights_on_the_same_data():
    fast, slow = compare(BASE, [{"learning_rate": 1.0}, {"learning_rate": 0.01}], steps=10)
    # Same initial weights on the same data give the very same initial gradient …
    np.testing.assert_array_equal(fast.initial_stats.grad_norm_W, slow.initial_stats.grad_norm_W)
    assert fast.history.column("train_cost")[0] == slow.history.column("train_cost")[0]
    # … and only the learning rate made them differ afterwards.
    assert fast.history.column("train_cost")[-1] != slow.history.column("train_cost")[-1]


def test_all_runs_get_the_same_number_of_updates_unless_they_diverge():
    runs = compare(BASE.replace(hidden_sizes=(16,) * 10), INITIALIZERS, steps=30)
    by_label = {run.label: run for run in runs}
    exploding = by_label["relu + large"]
    assert exploding.diverged and exploding.steps < 30 and "diverged" in exploding.message
    for label in ("relu + small", "relu + xavier", "relu + he"):
        assert by_label[label].steps == 30 and by_label[label].history.column("step")[-1] == 30
        assert not by_label[label].diverged


def test_progress_is_reported_in_order_and_ends_at_one():
    reports: list[tuple[float, str]] = []
    compare(BASE, INITIALIZERS[2:], steps=100, progress=lambda f, text: reports.append((f, text)))
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(reports) > 10
    assert any("Run 2 of 2: relu + he" in text for _, text in reports)


def test_runs_are_reproducible():
    first = compare(BASE, INITIALIZERS[2:], steps=15)
    again = compare(BASE, INITIALIZERS[2:], steps=15)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a.history.column("train_cost"), b.history.column("train_cost"))
        np.testing.assert_array_equal(a.final_stats.grad_norm_W, b.final_stats.grad_norm_W)


@pytest.mark.parametrize("change", [{"dataset": "moons"}, {"data_seed": 1}, {"weight_seed": 9}, {"noise": 0.3}])
def test_changing_data_or_seeds_is_refused(change):
    with pytest.raises(ValueError, match="same data and seeds"):
        configurations(BASE, [{}, change])


def test_between_one_and_four_configurations():
    with pytest.raises(ValueError, match=f"between 1 and {MAX_CONFIGS}"):
        compare(BASE, [{}] * (MAX_CONFIGS + 1), steps=1)
    with pytest.raises(ValueError, match="between 1 and"):
        compare(BASE, [], steps=1)


def test_custom_sigma_is_labelled_and_used():
    run, = compare(BASE, [{"activation": "tanh", "initializer": "custom", "init_std": 0.5}], steps=1)
    assert run.label == "tanh + σ=0.5" == describe(run.settings)


def test_reference_initializer_comparison_on_circles():
    """CONCEPTS.md reference: small / large / Xavier / He on circles — He learns, small stalls."""
    runs = compare(Settings(hidden_sizes=(16,) * 10), INITIALIZERS, steps=300)
    final = {run.label: run.history.column("train_cost")[-1] for run in runs}
    assert final["relu + he"] < 0.3 < final["relu + small"]


# -- bounded work: a comparison advances in time slices and is refused when it would take too long --
def test_a_comparison_advances_in_slices_to_the_same_result():
    from playground.teaching.gradients.compare import Comparison
    whole = compare(BASE, INITIALIZERS[2:], steps=60)
    sliced = Comparison(BASE, INITIALIZERS[2:], steps=60)
    calls = 0
    while not sliced.advance(time_budget=0.0):  # the smallest slice: one update per call
        calls += 1
        assert 0.0 <= sliced.fraction < 1.0 and "Run " in sliced.progress_text
    assert calls > 10 and sliced.fraction == 1.0
    for a, b in zip(whole, sliced.runs):
        np.testing.assert_array_equal(a.history.column("train_cost"), b.history.column("train_cost"))
        assert a.steps == b.steps == 60


def test_a_huge_comparison_is_estimated_before_it_starts():
    from playground.teaching.gradients.compare import Comparison
    big = Comparison(BASE.replace(hidden_sizes=(128,) * 30, n_samples=2000), INITIALIZERS, steps=3000)
    assert big.estimate_seconds() > 600  # 4 × 3,000 full-batch updates of 30 × 128 on 2,000 points
    assert big.runs == [] and big.fraction == 0.0  # estimating trained nothing
