"""The Playground's comparisons (practice exercises 1, 3, 4, 8): each race runs headless through
the engine and its numbers say who won."""

import numpy as np
import pytest

from playground.plots.curves import race_figure
from playground.settings import Settings
from playground.teaching.gradients.compare import compare
from playground.teaching.playground import (
    EXPERIMENTS,
    generalisation_gap,
    near_zero_weights,
    race_rows,
    race_verdict,
    updates_to_reach,
)

BASE = Settings()  # the Playground's default: circles, 8 tanh units, α = 0.3, full batch


def run(key, steps=None, base=BASE):
    experiment = EXPERIMENTS[key]
    return compare(base, experiment.changes(), steps or experiment.steps, labels=experiment.labels()), experiment


def test_activation_race_sigmoid_is_slowest_on_circles():
    """Exercise 1: same data, same network and seeds; sigmoid's small slope makes it crawl."""
    runs, experiment = run("activations")
    assert [r.settings.activation for r in runs] == ["sigmoid", "tanh", "relu"]
    by = dict(zip(experiment.labels(), runs))
    assert updates_to_reach(by["sigmoid"], 0.1) is None  # not in 1,000 updates
    assert updates_to_reach(by["tanh"], 0.1) < 1000 and updates_to_reach(by["ReLU"], 0.1) < 1000
    assert by["sigmoid"].history.column("test_metric")[-1] < 0.9 <= by["tanh"].history.column("test_metric")[-1]
    verdict = race_verdict(runs, experiment.labels(), 0.1)
    assert "sigmoid did not reach it in 1,000 updates" in verdict
    rows = race_rows(runs, experiment.labels(), 0.1)
    assert rows[0]["updates to J ≤ 0.1"] == "not in 1,000"
    assert rows[1]["updates to J ≤ 0.1"] == f"{updates_to_reach(by['tanh'], 0.1):,}"


def test_updates_to_reach_reads_the_first_recorded_update_below_the_target():
    runs, _ = run("activations", steps=200)
    tanh = runs[1]
    steps, costs = tanh.history.column("step"), tanh.history.column("train_cost")
    target = float(costs[len(costs) // 2])
    reached = updates_to_reach(tanh, target)
    assert costs[list(steps).index(reached)] <= target
    assert all(c > target for s, c in zip(steps, costs) if s < reached)


def test_full_batch_goes_steadily_down_and_one_example_per_update_is_cheaper_but_noisier():
    """Exercise 4: the same number of updates. Full batch: every update sees all 210 points (one
    epoch each) and the cost only goes down; stochastic: 300 updates are under 2 epochs, and
    following one example at a time ends higher."""
    runs, _ = run("batch", steps=300)
    full, mini, single = runs
    assert np.all(np.diff(full.history.column("train_cost")) <= 1e-12)
    assert full.history.column("epoch")[-1] == 300
    assert single.history.column("epoch")[-1] == 300 // 210
    assert single.history.column("train_cost")[-1] > full.history.column("train_cost")[-1]
    assert single.seconds > 0 and full.seconds > 0


def test_decay_makes_later_steps_smaller():
    """Exercise 8: α_t = α·e^(−k·t) shrinks the steps, so a decayed run ends higher here."""
    runs, _ = run("decay", steps=500)
    assert runs[0].history.column("learning_rate")[-1] == pytest.approx(0.3)
    assert runs[2].history.column("learning_rate")[-1] == pytest.approx(0.3 * np.exp(-0.003 * 500))
    finals = [r.history.column("train_cost")[-1] for r in runs]
    assert finals[0] < finals[1] < finals[2]


def test_momentum_race_has_both_optimizers():
    runs, experiment = run("momentum", steps=100)
    assert [r.settings.optimizer for r in runs] == ["sgd", "momentum"]
    assert "momentum β = 0.9" in race_verdict(runs, experiment.labels(), 10.0)


def test_gap_and_near_zero_counts():
    runs, _ = run("activations", steps=50)
    for r in runs:
        assert generalisation_gap(r) == pytest.approx(r.history.column("test_cost")[-1]
                                                      - r.history.column("train_cost")[-1])
    W = [None, np.array([[0.0, 5e-4], [-2e-3, 1.0]]), np.array([[1e-4]])]
    assert near_zero_weights(W) == (3, 5)


def test_race_figure_draws_train_and_test_and_the_target():
    steps = [np.arange(5), np.arange(5)]
    costs = [np.linspace(1, 0.1, 5), np.linspace(1, 0.5, 5)]
    fig = race_figure(["a", "b"], steps, costs, [c + 0.1 for c in costs], target=0.2)
    assert [t.name for t in fig.data] == ["a: train", "a: test", "b: train", "b: test"]
    assert fig.layout.shapes[0].y0 == 0.2


def test_dropout_narrows_the_gap_of_a_network_that_memorises_its_training_set():
    """Exercise 7: two layers of 32 on 40 noisy points; dropout 0.5 closes most of the gap."""
    from playground.teaching.playground import OVERFIT, gap_verdict

    base = Settings(**OVERFIT)
    runs, experiment = run("dropout", base=base)
    without, with_dropout = runs
    assert without.history.column("train_cost")[-1] < 0.05  # memorised
    assert generalisation_gap(without) > 1.0  # test cost far above train cost
    assert generalisation_gap(with_dropout) < generalisation_gap(without) / 2
    assert with_dropout.history.column("test_metric")[-1] >= without.history.column("test_metric")[-1]
    text = gap_verdict(without, with_dropout, "dropout")
    narrowed = generalisation_gap(without) - generalisation_gap(with_dropout)
    assert f"narrowed by **{narrowed:.3g}**" in text


def test_gap_verdict_says_when_there_is_nothing_to_close():
    from playground.teaching.playground import gap_verdict

    runs, _ = run("dropout", steps=30)  # the default circles network does not overfit
    if generalisation_gap(runs[0]) <= 0:
        assert "does not overfit" in gap_verdict(runs[0], runs[1], "dropout")


def test_l1_switches_weights_off_where_l2_only_shrinks_them():
    """§10: same network and λ; L1 leaves most weights below 1e-3, L2 almost none."""
    from playground.teaching.playground import WIDE, sparsity_rows, sparsity_verdict

    runs, experiment = run("regularization", base=Settings(**WIDE))
    (none, _), (l2, total), (l1, _) = (near_zero_weights(r.network.W) for r in runs)
    assert total == 2 * 16 + 16 * 16 + 16
    assert l1 > total / 2 and l2 < total / 10 and none < total / 10
    text = sparsity_verdict(runs, experiment.labels())
    assert f"**L1 λ₁ = 0.3**: {l1} of {total}" in text and "L1 λ₁ = 0.3 switched off" in text
    assert sparsity_rows(runs, experiment.labels())[2]["weights with |w| < 0.001"] == f"{l1} of {total}"
