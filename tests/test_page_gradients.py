"""AppTest: the Gradients lab's presets, controls, diagnosis, comparison and URL (one tick per run)."""

from __future__ import annotations

import helpers
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.ui.keys import GRADIENTS

PAGE = "pages/gradients.py"
SESSION = GRADIENTS.session


def make_app(**query) -> AppTest:
    return helpers.make_app(PAGE, timeout=90, **query)


def session(at: AppTest):
    return at.session_state[SESSION]


def diagnosis(at: AppTest) -> str:
    boxes = [*at.error, *at.warning, *at.success]
    return " ".join(b.value for b in boxes)


def counter(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### Update"))


def param(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[-1] if isinstance(value, list) else value


def test_opens_on_the_vanishing_preset_with_its_diagnosis_and_views():
    at = make_app()
    assert at.title[0].value == "Gradients lab"
    assert counter(at) == "### Update 0 · epoch 0"
    assert session(at).layer_sizes == (2, *[16] * 10, 1)
    text = diagnosis(at)
    assert "Vanishing gradients: layer 1 receives 10⁻⁷ of the gradient of layer 11" in text
    assert "Sigmoid's derivative is at most 0.25" in text
    assert param(at, "activation") == "sigmoid" and param(at, "hidden_sizes") == ",".join(["16"] * 10)
    assert len(at.caption) >= 4  # every view has its one-line caption


@pytest.mark.parametrize(("preset", "words", "activation", "initializer"), [
    ("large init (exploding)", "Exploding gradients", "relu", "large"),
    ("zeros (symmetry)", "Symmetry: all 16 units of every hidden layer are identical", "tanh", "zeros"),
    ("ReLU + He (healthy)", "Healthy: gradients reach every layer", "relu", "he"),
    ("tanh + Xavier (healthy)", "Healthy: gradients reach every layer", "tanh", "xavier"),
])
def test_presets_set_the_network_and_the_diagnosis_follows(preset, words, activation, initializer):
    at = make_app()
    at.button(key=f"gradients.preset.{preset}").click().run()
    assert not at.exception
    s = session(at).settings
    assert (s.activation, s.initializer, s.hidden_sizes) == (activation, initializer, (16,) * 10)
    assert words in diagnosis(at)
    assert "Vanishing" not in diagnosis(at)
    assert at.button(key=f"gradients.preset.{preset}").proto.type == "primary"  # the active preset is marked
    assert at.selectbox(key="gradients.w.activation").value == activation


def test_step_play_and_reset():
    at = make_app()
    at.button(key="gradients.step_button").click().run()
    assert counter(at) == "### Update 1 · epoch 1"
    at.button(key="gradients.play_button").click().run()
    assert at.button(key="gradients.play_button").label == "Pause" and session(at).step > 1
    at.button(key="gradients.play_button").click().run()
    stopped = session(at).step
    at.run()
    assert session(at).step == stopped
    at.button(key="gradients.reset_button").click().run()
    assert counter(at) == "### Update 0 · epoch 0"


def test_depth_width_and_custom_sigma_build_the_network():
    at = make_app()
    at.slider(key="gradients.w.depth").set_value(20).run()
    at.slider(key="gradients.w.width").set_value(64).run()
    assert session(at).layer_sizes == (2, *[64] * 20, 1)
    assert at.number_input(key="gradients.w.init_std").disabled
    at.selectbox(key="gradients.w.initializer").select("custom").run()
    at.number_input(key="gradients.w.init_std").set_value(2.0).run()
    net = session(at).net
    assert net.initializer == 2.0
    assert np.std(net.W[5]) == pytest.approx(2.0, rel=0.05)
    assert param(at, "initializer") == "custom" and param(at, "init_std") == "2.0"


def test_exploding_run_diverges_with_a_message_and_play_is_disabled():
    at = make_app()
    at.button(key="gradients.preset.large init (exploding)").click().run()
    at.selectbox(key="gradients.step_mode").select("10 epochs").run()
    at.button(key="gradients.step_button").click().run()
    assert session(at).diverged
    assert "diverged at update" in diagnosis(at) and "NaN" in diagnosis(at)
    assert at.button(key="gradients.play_button").disabled


def test_zero_gradients_are_shown_as_zero_and_identical_units_are_drawn():
    at = make_app()
    at.button(key="gradients.preset.zeros (symmetry)").click().run()
    assert "exactly 0" in diagnosis(at)
    assert any("identical rows mean identical units" in c.value for c in at.caption)
    assert next(m for m in at.metric if m.label.startswith("‖dW[1]‖")).value == "—"


def test_settings_come_from_the_link_and_bad_values_are_reported():
    at = make_app(activation="tanh", initializer="he", hidden_sizes="8,4,4", learning_rate="banana",
                  init_std="-3", dataset="moons")
    notice = " ".join(w.value for w in at.warning if "link" in w.value)
    for words in ("Learning rate α", "Custom σ", "Hidden layer widths", "`8,4,4`"):
        assert words in notice
    s = session(at).settings
    assert s.hidden_sizes == (8, 8, 8) and s.activation == "tanh" and s.dataset == "moons"
    assert s.learning_rate == 0.3 and s.init_std == 0.1
    assert param(at, "hidden_sizes") == "8,8,8"  # the address bar now holds what runs


def test_too_wide_or_not_2d_from_the_link_falls_back():
    at = make_app(hidden_sizes=",".join(["200"] * 3), dataset="digits01")
    notice = " ".join(w.value for w in at.warning)
    assert "Hidden layer widths" in notice and "`digits01`" in notice and "**Digits**" in notice
    assert session(at).layer_sizes == (2, *[16] * 10, 1)
    assert session(at).settings.dataset == "circles" and param(at, "dataset") == "circles"


def test_state_survives_a_visit_to_another_page():
    at = make_app()
    at.button(key="gradients.preset.ReLU + He (healthy)").click().run()
    at.button(key="gradients.step_button").click().run()
    at.segmented_control(key="gradients.compare.w.count").set_value(3).run()
    before = session(at)
    at.switch_page("pages/playground.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert session(at) is before and before.step == 1
    assert at.selectbox(key="gradients.w.activation").value == "relu"
    assert at.segmented_control(key="gradients.compare.w.count").value == 3
    assert "Healthy" in diagnosis(at)


def test_comparison_trains_every_run_and_overlays_them():
    at = make_app()
    at.segmented_control(key="gradients.compare.w.count").set_value(3).run()
    at.select_slider(key="gradients.compare.w.steps").set_value(100).run()
    at.button(key="gradients.compare.run").click().run()
    for _ in range(200):  # AppTest fires no timers: each run() is one slice of the comparison
        if "gradients.compare.job" not in at.session_state:
            break
        at.run()
    assert not at.exception
    runs = at.session_state["gradients.compare.runs"]
    assert [r.label for r in runs] == ["relu + small", "relu + large", "relu + xavier"]
    assert [r.steps for r in runs if not r.diverged] == [100, 100]
    table = at.dataframe[0].value
    assert len(table) == 3 and "diverged" in set(table["status"])
    assert any("Compared: 3 runs of 100 updates" in c.value for c in at.caption)
    figures = helpers.live_figures(at)  # overlaid: one cost curve and one gradient profile per run
    cost, profile = figures["gradients.compare.cost_chart"], figures["gradients.compare.profile_chart"]
    labels = [f"{i + 1}. {r.label}" for i, r in enumerate(runs)]
    named = [t["name"] for t in cost["data"] if t.get("showlegend", True)]
    assert len(named) == 3 and all(name.startswith(label) for name, label in zip(named, labels))
    assert [t["name"] for t in profile["data"]] == labels
    L = len(runs[0].initial_stats.grad_norm_W)
    assert [len(helpers.figure_array(t["y"])) for t in profile["data"]] == [L] * 3  # ‖dW[l]‖ of every layer


# -- the figures behind the views: zero gradients stay readable on log axes ------------------------
def test_zero_gradients_sit_on_a_floor_labelled_zero_never_minus_infinity():
    from playground.plots.gradients import gradient_heatmap_figure, gradient_profile_figure

    norms_W = np.array([0.0, 1e-7, 1e-3, 0.1])
    norms_A = np.array([0.0, 1e-6, 1e-2, np.nan])
    fig = gradient_profile_figure(norms_W, norms_A)
    floor = fig.layout.yaxis.tickvals[0]
    assert fig.layout.yaxis.ticktext[0] == "0" and floor == pytest.approx(1e-8)
    assert fig.data[0].y[0] == floor and np.all(np.isfinite(fig.data[0].y))
    assert np.isnan(fig.data[1].y[3])  # the output layer has no dA: a gap, not a zero
    heat = gradient_heatmap_figure(np.arange(3), np.array([[0.0, 0.0, 1e-9], [1e-2, 1e-3, 1e-1]]))
    assert np.all(np.isfinite(np.asarray(heat.data[0].z)))
    assert heat.data[0].colorbar.ticktext[0] == "0"
    everything_zero = gradient_profile_figure(np.zeros(3), np.zeros(3))
    assert list(everything_zero.layout.yaxis.ticktext) == ["0"]


def test_comparison_figures_make_room_for_their_titles_and_a_line_per_run_without_streamlits_theme():
    from playground.plots.gradients import compare_cost_figure, compare_profile_figure

    steps, norms = np.arange(5), np.logspace(-6, -1, 4)
    for big in (False, True):
        for n in (2, 4):
            labels = [f"{i + 1}. run" for i in range(n)]
            cost = compare_cost_figure(labels, [steps] * n, [steps * 0.1] * n, [False] * n, height=380, big=big)
            profile = compare_profile_figure(labels, [norms] * n, height=380, big=big)
            for fig in (cost, profile):
                layout = fig.layout
                assert layout.xaxis.automargin and layout.yaxis.automargin  # live_chart: no theme sets them
                assert layout.legend.yref == "container" and layout.legend.orientation == "v"
                below = layout.margin.b - int(60 * (20 / 15 if big else 1))  # the legend's lines under the x title
                assert below >= n * 1.5 * layout.legend.font.size
                assert layout.height - layout.margin.t - layout.margin.b >= 200  # the plot keeps its room


def test_heatmap_never_draws_more_than_200_columns():
    from playground.plots.gradients import gradient_heatmap_figure

    fig = gradient_heatmap_figure(np.arange(1000), np.ones((30, 1000)))
    assert np.asarray(fig.data[0].z).shape == (30, 200)
    assert len(fig.data[0].x) == 201  # cell edges


def test_a_comparison_too_big_for_one_click_is_refused_with_an_estimate():
    at = make_app(hidden_sizes=",".join(["128"] * 30), n_samples="2000", batch_size="0")
    at.select_slider(key="gradients.compare.w.steps").set_value(3000).run()
    at.button(key="gradients.compare.run").click().run()
    text = " ".join(w.value for w in at.warning)
    assert "Comparison not run" in text and "would take about" in text and "lower" in text
    assert "gradients.compare.job" not in at.session_state and "gradients.compare.runs" not in at.session_state


def test_a_running_comparison_can_be_stopped():
    at = make_app()
    at.select_slider(key="gradients.compare.w.steps").set_value(3000).run()
    at.button(key="gradients.compare.run").click().run()
    assert "gradients.compare.job" in at.session_state  # one slice ran, more to come
    at.button(key="gradients.compare.job.stop").click().run()
    assert "gradients.compare.job" not in at.session_state and not at.exception


def test_presentation_mode_is_kept_in_the_link_and_leaves_out_the_page_text():
    at = make_app(present="1")
    assert not at.exception
    assert at.toggle(key="gradients.present").value is True
    assert param(at, "present") == "1"
    assert not at.title  # no title or introduction, and no captions under the charts: the teacher explains
    assert not [c for c in at.caption if "How big the gradient" in c.value or "cost should fall" in c.value]
    assert at.button(key="gradients.preset.ReLU + He (healthy)")  # presets: how a teacher switches networks
    assert "Vanishing gradients" in diagnosis(at)
    at.button(key="gradients.preset.ReLU + He (healthy)").click().run()
    assert param(at, "present") == "1" and param(at, "activation") == "relu"
    at.toggle(key="gradients.present").set_value(False).run()
    assert at.title[0].value == "Gradients lab"
    assert "present" not in at.query_params
