"""Batch norm, residual connections, dropout and L1 through the settings, a training session,
the command line and the saved .npz (issue 11, engine half)."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from playground.__main__ import main
from playground.engine import Network
from playground.settings import Settings
from playground.training import TrainingSession, write_model

DEEP = dict(hidden_sizes=(8, 8, 8), n_samples=120, learning_rate=0.1)


# -- settings -------------------------------------------------------------------------------------------
def test_new_settings_round_trip_through_a_link():
    s = Settings(**DEEP, batch_norm=True, residual=True, dropout=0.25, l1=0.003)
    params = s.to_query_params()
    assert params["batch_norm"] == "1" and params["residual"] == "1"
    assert params["dropout"] == "0.25" and params["l1"] == "0.003"
    again, problems = Settings.from_query_params(params)
    assert again == s and problems == []
    assert s.keep_prob == 0.75
    assert s.network_options() == {"batch_norm": True, "residual": True, "keep_prob": 0.75}


@pytest.mark.parametrize("name,value,label,words", [
    ("dropout", "1", "Dropout rate", "up to (not including) 1"),
    ("dropout", "-0.1", "Dropout rate", "from 0"),
    ("l1", "11", "L1 regularization", "between 0 and 10"),
    ("batch_norm", "maybe", "Batch normalization", "on or off"),
])
def test_bad_values_in_a_link_fall_back_with_a_notice(name, value, label, words):
    s, problems = Settings.from_query_params({name: value})
    assert getattr(s, name) == getattr(Settings(), name)
    # The notice names the setting as the sidebar does, quotes the value and says what is allowed.
    assert len(problems) == 1
    assert label in problems[0] and f"`{value}`" in problems[0] and words in problems[0]


def test_residual_with_unequal_widths_is_refused_with_the_layers_named():
    with pytest.raises(ValueError, match=r"hidden layer 1 \(8 units\).*hidden layer 3 \(4 units\)"):
        Settings(hidden_sizes=(8, 8, 4), residual=True)
    # in a link the skip is dropped (the widths stay) and the notice says why
    s, problems = Settings.from_query_params({"hidden_sizes": "8,8,4", "residual": "1"})
    assert s.hidden_sizes == (8, 8, 4) and not s.residual
    assert len(problems) == 1 and "residual" in problems[0] and "hidden layer 3" in problems[0]


def test_batch_norm_needs_two_examples_per_batch():
    with pytest.raises(ValueError, match="at least 2 examples per batch"):
        Settings(batch_norm=True, batch_size=1)


# -- a training session -----------------------------------------------------------------------------------
def test_session_builds_the_network_the_settings_describe():
    session = TrainingSession(Settings(**DEEP, batch_norm=True, residual=True, dropout=0.2))
    net = session.net
    assert net.batch_norm and net.residual and net.keep_prob == pytest.approx(0.8)
    assert net.gamma[1].shape == (8, 1) and net.skip[3]


def test_session_evaluates_in_evaluation_mode():
    session = TrainingSession(Settings(**DEEP, batch_norm=True, dropout=0.5, l1=0.01))
    session.train(30)
    e = session.evaluate()
    net = session.net
    expected = net.cost(net.forward(session.X_train, training=False), session.Y_train, 0.0, 0.01)
    assert e["train_cost"] == expected
    assert e["train_cost"] == session.evaluate()["train_cost"]  # no dropout noise, no running-average drift
    assert session.latest.train_cost == e["train_cost"]


def test_equal_settings_give_identical_runs_with_dropout_and_batch_norm():
    s = Settings(**DEEP, batch_norm=True, dropout=0.3, batch_size=16)
    a, b = TrainingSession(s), TrainingSession(s)
    a.train(40)
    b.train(40)
    np.testing.assert_array_equal(a.net.W[1], b.net.W[1])
    np.testing.assert_array_equal(a.net.running_var[2], b.net.running_var[2])
    assert a.history.rows == b.history.rows


def test_dropout_narrows_the_train_test_gap_of_an_overfitting_wide_network():
    """A wide network on a small noisy training set: train cost far below test cost; dropout
    brings them closer."""
    base = dict(dataset="circles", n_samples=80, noise=0.25, test_ratio=0.5, hidden_sizes=(64, 64),
                activation="relu", initializer="he", optimizer="adam", learning_rate=0.01)
    gaps = {}
    for rate in (0.0, 0.5):
        session = TrainingSession(Settings(**base, dropout=rate))
        session.train(1000)
        e = session.evaluate()
        gaps[rate] = e["test_cost"] - e["train_cost"]
    # measured: gap 4.8 without dropout (train cost 0.000, test 4.8), 2.5 with half the units dropped
    assert gaps[0.0] > 1.0 and gaps[0.5] < 0.7 * gaps[0.0], gaps


def test_divergence_with_batch_norm_names_update_and_layer_and_keeps_finite_state():
    session = TrainingSession(Settings(dataset="plane", hidden_sizes=(8, 8, 8), n_samples=120, learning_rate=5.0,
                                       batch_norm=True))
    session.train(200)
    assert session.diverged
    assert "diverged at update" in session.message and "(layer " in session.message
    net = session.net
    for name in Network.STATE:
        assert all(p is None or np.isfinite(p).all() for p in getattr(net, name)), name


def test_snapshot_and_restore_cover_gamma_beta_and_running_averages():
    session = TrainingSession(Settings(**DEEP, batch_norm=True))
    net = session.net
    kept = net.snapshot()
    gamma, running = net.gamma[1], net.running_mean[1]
    session.train(3)
    assert net.gamma[1] is not gamma and net.running_mean[1] is not running
    net.restore(kept)
    assert net.gamma[1] is gamma and net.running_mean[1] is running


def test_unit_grids_and_decision_grid_use_the_running_averages():
    session = TrainingSession(Settings(**DEEP, batch_norm=True))
    session.train(20)
    state = session.net.snapshot()
    _, _, grid = session.decision_grid(10)
    session.unit_grids(6)
    assert all(a is b for a, b in zip(session.net.running_mean, state["running_mean"]))
    assert np.isfinite(grid).all()


def test_update_hyperparameters_changes_l1_and_dropout_mid_run():
    session = TrainingSession(Settings(**DEEP, dropout=0.2))
    session.train(5)
    session.update_hyperparameters(l1=0.01, dropout=0.5)
    assert session.net.keep_prob == 0.5 and session.settings.l1 == 0.01
    session.train(5)
    assert session.step == 10
    with pytest.raises(ValueError, match="cannot change during a run"):
        session.update_hyperparameters(batch_norm=True)


# -- saved model ------------------------------------------------------------------------------------------
def test_saved_npz_carries_gamma_beta_and_running_statistics():
    session = TrainingSession(Settings(**DEEP, batch_norm=True))
    session.train(25)
    buffer = io.BytesIO()
    write_model(buffer, session)
    buffer.seek(0)
    data = np.load(buffer)
    for l in (1, 2, 3):
        for name in ("gamma", "beta", "running_mean", "running_var"):
            np.testing.assert_array_equal(data[f"{name}{l}"], getattr(session.net, name)[l])
    assert "gamma4" not in data.files
    settings = Settings(**json.loads(str(data["settings"])))
    assert settings.batch_norm
    rebuilt = TrainingSession(settings).net
    rebuilt.load_parameters(data)
    np.testing.assert_array_equal(rebuilt.predict_proba(session.X_test), session.net.predict_proba(session.X_test))


# -- command line ----------------------------------------------------------------------------------------------
def test_command_line_flags(capsys, tmp_path):
    model = tmp_path / "m.npz"
    code = main(["train", "--hidden", "6,6,6", "--n-samples", "80", "--steps", "20", "--batch-norm", "--residual",
                 "--dropout", "0.2", "--l1", "0.001", "--json", "--save", str(model)])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    s = report["settings"]
    assert s["batch_norm"] and s["residual"] and s["dropout"] == 0.2 and s["l1"] == 0.001
    assert len(report["grad_norms"]) == 4 and all(g is not None for g in report["grad_norms"])
    assert "gamma3" in np.load(model).files


@pytest.mark.parametrize("args,words", [
    (["--dropout", "1"], "--dropout"),
    (["--dropout", "1.5"], "up to (not including) 1"),
    (["--l1", "-1"], "--l1"),
    (["--hidden", "8,8", "--residual"], "at least 3 hidden layers"),
])
def test_bad_flags_exit_2_with_a_message(args, words, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *args])
    assert exit_info.value.code == 2
    assert words in capsys.readouterr().err


def test_table_names_the_fixes(capsys):
    main(["train", "--hidden", "4,4,4", "--n-samples", "40", "--steps", "3", "--batch-norm", "--dropout", "0.1",
          "--l1", "0.01"])
    out = capsys.readouterr().out
    assert "batch norm" in out and "dropout 0.1" in out and "L1 λ₁=0.01" in out
