"""A training session as data: determinism, batch modes, optimizers, decay, L2, history and
divergence (CONCEPTS.md §7)."""

from __future__ import annotations

import numpy as np
import pytest

from playground.datasets import CustomData, make_dataset
from playground.settings import Settings
from playground.training import History, TrainingSession

EASY = {"dataset": "blobs", "n_samples": 200, "noise": 0.1, "hidden_sizes": (4,)}


def weights(session: TrainingSession) -> list[np.ndarray]:
    return [*session.net.W[1:], *session.net.b[1:]]


def run(steps: int = 60, **changes) -> TrainingSession:
    session = TrainingSession(Settings(**changes))
    session.train(steps)
    return session


# -- determinism ---------------------------------------------------------------------------------
@pytest.mark.parametrize("changes", [
    {"batch_size": 0},
    {"batch_size": 16, "optimizer": "adam", "learning_rate": 0.01},
    {"batch_size": 1, "optimizer": "momentum", "l2": 0.1, "lr_decay": 0.001},
])
def test_same_seeds_give_bit_identical_history_and_weights(changes):
    a, b = run(80, **changes), run(80, **changes)
    assert a.history.rows == b.history.rows  # exact floats, not approximately
    for x, y in zip(a.history.grad_norms, b.history.grad_norms):
        np.testing.assert_array_equal(x, y)
    for Wa, Wb in zip(weights(a), weights(b)):
        np.testing.assert_array_equal(Wa, Wb)


def test_different_weight_seed_gives_different_weights_on_the_same_data():
    a = TrainingSession(Settings(weight_seed=0))
    b = TrainingSession(Settings(weight_seed=1))
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.net.W[1], b.net.W[1])
    a.train(20)
    b.train(20)
    assert not np.array_equal(a.net.W[1], b.net.W[1])


def test_data_seed_changes_the_data_but_not_the_initial_weights():
    a = TrainingSession(Settings(data_seed=0))
    b = TrainingSession(Settings(data_seed=1))
    assert not np.array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.net.W[1], b.net.W[1])


def test_mini_batch_shuffling_depends_on_the_weight_seed():
    a = TrainingSession(Settings(batch_size=8, weight_seed=0))
    b = TrainingSession(Settings(batch_size=8, weight_seed=1))
    b.net = a.net.copy()  # same starting weights; only the shuffling differs
    a.train(10)
    b.train(10)
    assert not np.array_equal(a.net.W[1], b.net.W[1])


def test_reset_returns_to_the_initial_weights():
    session = TrainingSession(Settings())
    initial = [W.copy() for W in weights(session)]
    session.train(30)
    session.reset()
    assert session.step == 0 and len(session.history) == 1
    for W, W0 in zip(weights(session), initial):
        np.testing.assert_array_equal(W, W0)


# -- batch modes, optimizers, decay, L2 ----------------------------------------------------------
@pytest.mark.parametrize("batch_size", [0, 32, 1])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "rmsprop", "adam"])
def test_every_batch_mode_and_optimizer_reduces_the_cost(batch_size, optimizer):
    learning_rate = 0.3 if optimizer in ("sgd", "momentum") else 0.01
    session = run(60, **EASY, batch_size=batch_size, optimizer=optimizer, learning_rate=learning_rate)
    costs = session.history.column("train_cost")
    assert session.status != "diverged"
    assert costs[-1] < 0.7 * costs[0]


def test_batch_sizes_set_the_updates_per_epoch():
    full = TrainingSession(Settings(**EASY, test_ratio=0.3))
    assert full.m_train == 140
    assert full.batch_size == 140 and full.updates_per_epoch == 1
    mini = TrainingSession(Settings(**EASY, test_ratio=0.3, batch_size=32))
    assert mini.updates_per_epoch == 5  # 32, 32, 32, 32, 12
    mini.train(10)
    assert mini.epoch == 2
    stochastic = TrainingSession(Settings(**EASY, test_ratio=0.3, batch_size=1))
    assert stochastic.updates_per_epoch == 140
    assert TrainingSession(Settings(**EASY, batch_size=100_000)).batch_size == 140


def test_an_epoch_of_mini_batches_visits_every_example_once():
    session = TrainingSession(Settings(**EASY, batch_size=32))
    seen = []
    for _ in range(session.updates_per_epoch):
        X, _ = session._next_batch()
        seen.append(X)
    columns = np.hstack(seen)
    assert columns.shape == session.X_train.shape
    np.testing.assert_array_equal(np.sort(columns, axis=1), np.sort(session.X_train, axis=1))


def test_learning_rate_decays_exponentially():
    session = run(100, **EASY, learning_rate=0.5, lr_decay=0.01)
    assert session.learning_rate == pytest.approx(0.5 * np.exp(-0.01 * 100))
    rates = session.history.column("learning_rate")
    assert rates[0] == 0.5 and np.all(np.diff(rates) < 0)


def test_l2_shrinks_the_weights():
    plain = run(300, **EASY, learning_rate=0.5)
    regularised = run(300, **EASY, learning_rate=0.5, l2=5.0)
    norm = lambda s: sum(float(np.sum(W**2)) for W in s.net.W[1:])  # noqa: E731
    assert norm(regularised) < 0.5 * norm(plain)
    assert regularised.history.column("train_cost")[-1] < regularised.history.column("train_cost")[0]


def test_update_hyperparameters_mid_run():
    session = run(5, **EASY, batch_size=16)
    session.update_hyperparameters(learning_rate=0.05, batch_size=8, l2=0.1, lr_decay=0.0)
    assert session.settings.learning_rate == 0.05 and session.batch_size == 8
    assert session.train(3) == 3
    with pytest.raises(ValueError, match="cannot change during a run"):
        session.update_hyperparameters(hidden_sizes=(3,))


# -- tasks ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("dataset", "sizes", "metric_floor"), [
    ("blobs3", (2, 4, 3), 0.9),
    ("plane", (2, 4, 1), 0.8),
    ("moons", (2, 4, 1), 0.8),
])
def test_multiclass_and_regression_learn(dataset, sizes, metric_floor):
    session = TrainingSession(Settings(dataset=dataset, hidden_sizes=(4,), learning_rate=0.1,
                                       optimizer="adam", batch_size=32))
    assert session.layer_sizes == sizes
    session.train(400)
    assert session.latest.train_metric >= metric_floor  # accuracy, or R² for regression


def test_extra_features_widen_the_input_layer():
    session = TrainingSession(Settings(features=("x1^2", "x2^2", "x1*x2")))
    assert session.layer_sizes[0] == 5
    assert session.points_train.shape[1] == 2  # the plane still shows 2-D points


def test_custom_data():
    X, y = make_dataset("moons", 100, 0.1, 0)
    session = TrainingSession(Settings(), custom=CustomData(X, y, "binary", 2))
    assert session.m_train + session.X_test.shape[1] == 100
    session.train(20)
    assert session.step == 20


# -- history -------------------------------------------------------------------------------------
def test_history_stays_bounded_and_keeps_the_whole_run():
    session = TrainingSession(Settings(**EASY), max_history=50)
    session.train(500)
    steps = session.history.column("step")
    assert len(session.history) < 50
    assert steps[0] == 0 and steps[-1] == 500
    assert np.all(np.diff(steps) > 0)
    assert session.history.layer_matrix().shape == (2, len(session.history))


def test_latest_row_is_the_current_step_even_when_history_is_thinned():
    """After thinning, the history records only every 2nd (4th …) update, but each train()
    call still ends on a row for the current step: one Step press shows its effect."""
    session = TrainingSession(Settings(**EASY), max_history=8)
    session.train(30)
    assert session.history.stride > 1
    for _ in range(5):
        session.train(1)
        assert session.latest.step == session.step
    assert len(session.history) < 8


def test_full_batch_history_records_every_8th_update_and_the_current_one():
    """An evaluation costs about one full-batch update: recording every 8th keeps
    ``TrainingSession`` near the bare engine's speed; the current step is always there."""
    session = run(20)
    np.testing.assert_array_equal(session.history.column("step"), [0, 8, 16, 20])
    assert session.latest._fields == History.COLUMNS


def test_many_short_train_calls_evaluate_once_per_look():
    """The live scheduler trains in short slices: the row for the current step is recorded
    when it is read, not after every call (and a row that was never read is not kept)."""
    session = run(0)
    for _ in range(5):
        session.train(3)
    assert session.latest.step == 15
    np.testing.assert_array_equal(session.history.column("step"), [0, 8, 15])
    session.train(1)
    assert session.latest_stats is session.latest_stats  # reading again evaluates nothing more
    np.testing.assert_array_equal(session.history.column("step"), [0, 8, 15, 16])


def test_time_budget_stops_early():
    session = TrainingSession(Settings())
    done = session.train(10**6, time_budget=0.05)
    assert 0 < done < 10**6 and session.step == done


# -- the input plane -----------------------------------------------------------------------------
def test_decision_grid_shapes():
    session = TrainingSession(Settings())
    xs, ys, probs = session.decision_grid(30)
    assert xs.shape == ys.shape == (30,)
    assert probs.shape == (1, 30, 30)
    assert np.all((probs >= 0) & (probs <= 1))
    points = np.vstack([session.points_train, session.points_test])
    assert xs[0] < points[:, 0].min() and xs[-1] > points[:, 0].max()
    _, _, units = session.unit_grids(10)
    assert [u.shape for u in units] == [(8, 10, 10), (1, 10, 10)]
    _, _, multi = TrainingSession(Settings(dataset="spiral3")).decision_grid(20)
    np.testing.assert_allclose(multi.sum(axis=0), 1.0)


# -- divergence ----------------------------------------------------------------------------------
DIVERGING = {"hidden_sizes": (8, 8), "activation": "linear", "initializer": "large", "learning_rate": 100.0}


@pytest.mark.parametrize("dataset", ["circles", "plane", "blobs3"])
def test_overflow_stops_with_a_diverged_status_and_finite_weights(dataset):
    session = TrainingSession(Settings(dataset=dataset, **DIVERGING))
    with np.errstate(all="ignore"):
        done = session.train(200)
    assert session.status == "diverged" and session.diverged
    assert done == session.step < 200
    assert f"diverged at update {session.step + 1}" in session.message
    assert f"(layer {session.diverged_layer})" in session.message
    assert 1 <= session.diverged_layer <= session.net.L
    assert "learning rate" in session.message  # says what to change
    assert all(np.isfinite(W).all() for W in weights(session))
    assert session.train(10) == 0  # a diverged session refuses to go on, without raising
    assert session.step == done
    assert np.isfinite(session.history.column("train_cost")).all()


def test_reset_clears_divergence():
    session = TrainingSession(Settings(**DIVERGING))
    with np.errstate(all="ignore"):
        session.train(200)
    session.reset()
    assert session.status != "diverged" and session.message == "" and session.step == 0


@pytest.mark.parametrize("max_history", [1000, 4])  # 4: the faulty update is not recorded
def test_non_finite_weights_are_rolled_back_to_the_last_finite_update(max_history):
    """If an update itself overflows the weights, the session undoes it, whether the check
    happens right after the update or at the next forward pass."""
    session = TrainingSession(Settings(**EASY), max_history=max_history)
    session.train(4)
    good = [W.copy() for W in weights(session)]
    real_update = session.optimizer.update

    def overflowing_update(net, grads, learning_rate):
        real_update(net, grads, learning_rate)
        net.W[1] = net.W[1] * np.inf

    session.optimizer.update = overflowing_update
    with np.errstate(all="ignore"):
        session.train(5)
    assert session.status == "diverged"
    assert session.step == 4
    assert "diverged at update 5 (layer 1)" in session.message
    assert "kept from update 4" in session.message
    for W, W0 in zip(weights(session), good):
        np.testing.assert_array_equal(W, W0)


# -- epochs are counted as they happen; big steps are queued, sliced, stoppable, or refused ---------
def test_switching_batch_size_mid_run_does_not_rewrite_the_epoch_count():
    session = TrainingSession(Settings(n_samples=200, test_ratio=0.0, batch_size=1))
    session.train(30)
    assert session.epoch == 0  # 30 of 200 examples: no pass completed yet
    session.update_hyperparameters(batch_size=0)
    session.train(1)
    assert session.epoch == 1  # one full-batch update is one epoch ("Epoch 31" before)
    session.update_hyperparameters(batch_size=64)
    session.train(4)  # 64, 64, 64, 8: one more pass
    assert session.epoch == 2 and session.step == 35


def test_a_queued_step_runs_in_slices_and_can_be_stopped():
    session = TrainingSession(Settings(n_samples=400, batch_size=1))
    assert session.queue(10 * session.updates_per_epoch) is None
    total = session.pending
    done = session.run_pending(time_budget=0.01)
    assert 0 < done < total and session.pending == total - done and session.step == done
    session.cancel_pending()
    assert session.pending == 0 and session.run_pending(0.01) == 0 and session.step == done


def test_a_queued_step_finishes_exactly():
    session = TrainingSession(Settings(n_samples=100, batch_size=10))
    session.queue(25)
    while session.pending:
        session.run_pending(time_budget=0.005)
    assert session.step == 25 and session.latest.step == 25


def test_too_much_work_for_one_click_is_refused_with_an_estimate():
    session = TrainingSession(Settings(n_samples=2000, hidden_sizes=(128,) * 30, batch_size=0))
    message = session.queue(4 * 3000)
    assert message is not None and "would take about" in message and "lower" in message
    assert session.pending == 0 and session.step == 0  # nothing ran, nothing queued
    assert session.queue(1) is None


def test_duration_text_reads_like_a_person_would_say_it():
    from playground.training import duration_text
    assert duration_text(3.2) == "about 3 s"
    assert duration_text(45 * 60) == "about 45 min"
    assert duration_text(3 * 3600) == "about 3 h"
