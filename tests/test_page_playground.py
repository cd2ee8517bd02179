"""AppTest: every Playground control does what it says (DESIGN.md: one tick per ``at.run()``)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from helpers import make_app
from streamlit.testing.v1 import AppTest

from playground.engine import Network
from playground.ui.keys import PLAYGROUND

SESSION = PLAYGROUND.session




def counter(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "update" in m.value and m.value.startswith("###"))


def session(at: AppTest):
    return at.session_state[SESSION]


def test_page_opens_at_update_zero_with_defaults_in_the_url():
    at = make_app()
    assert counter(at) == "### Epoch 0 · update 0"
    assert at.query_params["dataset"] == ["circles"] or at.query_params["dataset"] == "circles"
    assert any("33 parameters" in m.value for m in at.markdown)  # 2-8-1: 24 weights + 9 biases


def test_step_advances_exactly_one_update():
    at = make_app()
    at.button(key="pg.step_button").click().run()
    assert counter(at) == "### Epoch 1 · update 1"
    at.button(key="pg.step_button").click().run()
    assert session(at).step == 2


def test_step_size_one_epoch_runs_all_minibatches():
    at = make_app(batch_size="32")
    at.selectbox(key="pg.step_mode").select("1 epoch").run()
    at.button(key="pg.step_button").click().run()
    s = session(at)
    assert s.step == s.updates_per_epoch == int(np.ceil(s.m_train / 32))
    assert s.epoch == 1


def test_reset_restores_the_same_initial_weights():
    at = make_app()
    first = [W.copy() for W in session(at).net.W[1:]]
    at.selectbox(key="pg.step_mode").select("10 epochs").run()
    at.button(key="pg.step_button").click().run()
    assert not np.allclose(session(at).net.W[1], first[0])
    at.button(key="pg.reset_button").click().run()
    assert counter(at) == "### Epoch 0 · update 0"
    for W, W0 in zip(session(at).net.W[1:], first):
        np.testing.assert_array_equal(W, W0)
    fresh = Network((2, 8, 1), "tanh", "sigmoid", "xavier", seed=0)
    np.testing.assert_array_equal(session(at).net.W[1], fresh.W[1])


def test_new_weights_draws_the_next_seed():
    at = make_app()
    before = session(at).net.W[1].copy()
    at.button(key="pg.new_weights_button").click().run()
    assert session(at).settings.weight_seed == 1
    assert not np.allclose(session(at).net.W[1], before)
    assert at.query_params["weight_seed"] in ("1", ["1"])


@pytest.mark.parametrize("change", [
    lambda at: at.button(key="pg.new_weights_button").click(),
    lambda at: at.selectbox(key="pg.w.dataset").select("moons"),
    lambda at: at.selectbox(key="pg.w.activation").select("relu"),
    lambda at: at.slider(key="pg.w.noise").set_value(0.3),
], ids=["new weights", "dataset", "activation", "noise"])
def test_a_change_builds_its_new_session_once_before_the_page_reruns(monkeypatch, change):
    """The click's callback builds the new session (so the live socket can paint it before the
    page is drawn); the page then finds it built: one new session per change, not two."""
    import playground.ui.sessions as sessions

    at = make_app()
    at.button(key="pg.step_button").click().run()
    built = []

    class Counted(sessions.TrainingSession):
        def __init__(self, *args, **kwargs):
            in_page = any(f.filename.endswith("pages/playground.py") and f.function == "<module>" for f in inspect.stack(0))
            built.append((args[0], in_page))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(sessions, "TrainingSession", Counted)
    change(at).run()
    assert len(built) == 1
    settings, in_page = built[0]
    assert not in_page  # built by the widget's callback, before the page's script ran
    assert session(at).settings == settings and session(at).step == 0


def test_changing_the_dataset_starts_a_new_run():
    at = make_app()
    at.button(key="pg.step_button").click().run()
    at.selectbox(key="pg.w.dataset").select("moons").run()
    assert session(at).settings.dataset == "moons"
    assert session(at).step == 0


def test_learning_rate_changes_without_reset():
    at = make_app()
    at.button(key="pg.step_button").click().run()
    at.select_slider(key="pg.w.learning_rate").set_value(0.03).run()
    assert session(at).step == 1
    assert session(at).learning_rate == pytest.approx(0.03)


def test_hidden_layer_field_and_buttons():
    at = make_app()
    at.button(key="pg.w.add_layer").click().run()
    assert session(at).layer_sizes == (2, 8, 8, 1)
    at.text_input(key="pg.w.hidden").input("8,4,2").run()
    assert session(at).layer_sizes == (2, 8, 4, 2, 1)
    at.text_input(key="pg.w.hidden").input("8,x").run()
    assert session(at).layer_sizes == (2, 8, 4, 2, 1)  # refused, previous kept
    assert any("Hidden layers not changed" in e.value for e in at.error)
    at.text_input(key="pg.w.hidden").input("").run()
    assert session(at).layer_sizes == (2, 1)  # logistic regression


def test_three_class_dataset_uses_softmax():
    at = make_app(dataset="spiral3")
    s = session(at)
    assert s.layer_sizes[-1] == 3 and s.net.output_activation == "softmax"
    at.button(key="pg.step_button").click().run()
    assert not at.exception


def test_regression_dataset_reports_r2():
    at = make_app(dataset="bumps")
    assert session(at).net.output_activation == "linear"
    assert any(m.label == "test R²" for m in at.metric)


def test_diverging_run_stops_with_a_message_and_reset_recovers():
    at = make_app(activation="linear", initializer="large", learning_rate="100", hidden_sizes="8,8")
    at.selectbox(key="pg.step_mode").select("10 epochs").run()
    at.button(key="pg.step_button").click().run()
    assert session(at).diverged
    message = " ".join(e.value for e in at.error)
    assert "diverged at update" in message and "layer" in message and "learning rate" in message
    assert at.button(key="pg.play_button").disabled
    at.button(key="pg.reset_button").click().run()
    assert not session(at).diverged and not at.error


def test_bad_url_parameters_fall_back_with_a_notice():
    at = make_app(hidden_sizes="99,abc", learning_rate="-1", dataset="nope", noise="0.2")
    notice = " ".join(w.value for w in at.warning)
    for label in ("Hidden layer widths", "Learning rate α", "Dataset"):  # the page's words, not code names
        assert f"**{label}**" in notice
    s = session(at)
    assert s.settings.hidden_sizes == (8,) and s.settings.learning_rate == 0.3
    assert s.settings.dataset == "circles" and s.settings.noise == 0.2  # the good one is kept


def test_too_many_layers_for_the_playground_are_refused_from_the_url():
    at = make_app(hidden_sizes="4,4,4,4,4,4,4,4,4")
    assert "Hidden layer widths" in " ".join(w.value for w in at.warning)
    assert session(at).settings.hidden_sizes == (8,)


def test_url_reproduces_the_experiment():
    query = {"dataset": "moons", "hidden_sizes": "6,3", "weight_seed": "7", "optimizer": "adam",
             "learning_rate": "0.03", "batch_size": "16"}
    runs = []
    for _ in range(2):
        at = make_app(**query)
        at.selectbox(key="pg.step_mode").select("1 epoch").run()
        at.button(key="pg.step_button").click().run()
        runs.append(session(at).latest.train_cost)
    assert runs[0] == runs[1]


def test_presentation_mode_hides_settings():
    at = make_app(present="1")
    assert not [w for w in at.sidebar.selectbox]
    assert at.toggle(key="pg.present").value is True
    at.button(key="pg.step_button").click().run()
    assert session(at).step == 1
    at.toggle(key="pg.present").set_value(False).run()
    assert [w for w in at.sidebar.selectbox]


def test_play_trains_one_tick_per_run():
    at = make_app()
    at.button(key="pg.play_button").click().run()
    assert at.button(key="pg.play_button").label == "Pause"
    assert session(at).step > 0
    at.button(key="pg.play_button").click().run()
    assert at.button(key="pg.play_button").label == "Play"
    stopped = session(at).step
    at.run()
    assert session(at).step == stopped


def test_custom_initializer_from_the_link():
    at = make_app(initializer="custom", init_std="0.5")
    assert at.number_input(key="pg.w.init_std").value == 0.5
    W = session(at).net.W[1]
    fresh = Network((2, 8, 1), "tanh", "sigmoid", 0.5, seed=0)
    np.testing.assert_array_equal(W, fresh.W[1])


def test_weights_download_matches_the_command_line_format(tmp_path):
    import io
    import json

    from playground.settings import Settings
    from playground.ui.views.playground import weights_npz

    at = make_app()
    at.button(key="pg.step_button").click().run()
    s = session(at)
    saved = np.load(io.BytesIO(weights_npz(s)))
    np.testing.assert_array_equal(saved["W1"], s.net.W[1])
    assert saved["W1"].shape == (8, 2) and saved["b1"].shape == (8, 1)
    assert Settings(**json.loads(str(saved["settings"]))) == s.settings
    assert json.loads(str(saved["training"]))["updates"] == 1


def test_a_big_step_runs_in_slices_with_progress_and_stop():
    at = make_app(batch_size="1", n_samples="2000", hidden_sizes="32,32,32")
    at.selectbox(key="pg.step_mode").set_value("10 epochs").run()
    at.button(key="pg.step_button").click().run()
    s = session(at)
    total = 10 * s.updates_per_epoch
    assert 0 < s.step < total and s.pending == total - s.step  # one slice ran; the rest is queued
    assert at.button(key="pg.stop_step")
    at.run()  # the next slice (in the browser the clock asks for it)
    assert s.step > total - s.pending - 1 and not at.exception
    stopped_at = s.step
    at.button(key="pg.stop_step").click().run()
    assert s.pending == 0 and s.step == stopped_at and not at.exception


def test_switching_batch_size_mid_run_keeps_the_epoch_count():
    at = make_app(batch_size="1", n_samples="200", test_ratio="0")
    for _ in range(3):
        at.button(key="pg.step_button").click().run()
    assert counter(at) == "### Epoch 0 · update 3"
    at.sidebar.select_slider(key="pg.w.batch_size").set_value(0).run()
    at.button(key="pg.step_button").click().run()
    assert counter(at) == "### Epoch 1 · update 4"
