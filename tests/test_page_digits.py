"""AppTest: the handwritten-digits page — controls, views, URL settings and the notebook export.

Streamlit 1.67: start from app.py (the router), run once, then ``switch_page`` to the page file.
AppTest runs the live fragment inline: one training tick per ``at.run()`` while playing.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from helpers import live_figures
from streamlit.testing.v1 import AppTest

from playground.files.notebook import build_notebook
from playground.plots.digits import (
    RIGHT,
    WRONG,
    confusion_figure,
    confusion_matrix,
    sample_images_figure,
    unit_weights_figure,
)
from playground.ui.keys import DIGITS
from playground.ui.views.digits import predictions, sample_indices

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/digits.py"
SESSION = DIGITS.session


def open_digits(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if query:  # a link to the digits page: replace what the Playground wrote into the address
        for key in list(at.query_params):
            del at.query_params[key]
        for key, value in query.items():
            at.query_params[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def session(at: AppTest):
    return at.session_state[SESSION]


def counter(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### Epoch"))


def test_page_opens_with_a_64_32_1_network_on_zeros_and_ones():
    at = open_digits()
    s = session(at)
    assert s.layer_sizes == (64, 32, 1) and s.output_activation == "sigmoid"
    assert len(s.y_train) + len(s.y_test) == 360
    assert counter(at) == "### Epoch 0 · update 0"
    assert any("2,113 parameters" in m.value for m in at.markdown)  # 64·32 + 32 + 32 + 1
    assert at.query_params["dataset"] in ("digits01", ["digits01"])
    assert not at.warning, "the Playground's settings in the address bar are not a digits link"
    assert [m.label for m in at.metric] == ["train cost", "test cost", "test accuracy", "learning rate"]


def test_step_and_reset():
    at = open_digits()
    first = session(at).net.W[1].copy()
    at.button(key="digits.step_button").click().run()
    assert counter(at) == "### Epoch 1 · update 1"
    at.button(key="digits.reset_button").click().run()
    assert counter(at) == "### Epoch 0 · update 0"
    np.testing.assert_array_equal(session(at).net.W[1], first)


def test_all_ten_digits_use_a_softmax_of_ten():
    at = open_digits()
    at.radio(key="digits.w.dataset").set_value("digits10").run()
    s = session(at)
    assert s.layer_sizes == (64, 32, 10) and s.output_activation == "softmax"
    assert len(s.y_train) + len(s.y_test) == 1797
    assert at.query_params["dataset"] in ("digits10", ["digits10"])


def test_changing_the_digits_builds_the_new_session_once_before_the_page_reruns(monkeypatch):
    """As on the Playground: the radio's callback builds the new session (the live socket can
    show it before the page is drawn) and the page finds it built."""
    import inspect

    import playground.ui.sessions as sessions

    at = open_digits()
    built = []

    class Counted(sessions.TrainingSession):
        def __init__(self, *args, **kwargs):
            built.append(any(f.filename.endswith("pages/digits.py") and f.function == "<module>"
                             for f in inspect.stack(0)))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(sessions, "TrainingSession", Counted)
    at.radio(key="digits.w.dataset").set_value("digits10").run()
    assert built == [False]  # one session, built by the callback, not by the page's script
    assert session(at).settings.dataset == "digits10" and session(at).net.layer_sizes[-1] == 10


def test_hidden_widths_field_builds_the_network_and_refuses_nonsense():
    at = open_digits()
    at.text_input(key="digits.w.hidden").input("64,16").run()
    assert session(at).layer_sizes == (64, 64, 16, 1)
    at.text_input(key="digits.w.hidden").input("500").run()
    assert session(at).layer_sizes == (64, 64, 16, 1)
    assert any("Hidden layers not changed" in e.value for e in at.error)
    at.text_input(key="digits.w.hidden").input("").run()
    assert session(at).layer_sizes == (64, 1)  # logistic regression on the pixels


def test_play_trains_one_tick_per_run_and_pause_stops():
    at = open_digits()
    at.button(key="digits.play_button").click().run()
    assert at.button(key="digits.play_button").label == "Pause"
    assert session(at).step > 0
    at.button(key="digits.play_button").click().run()
    stopped = session(at).step
    at.run()
    assert session(at).step == stopped


def test_training_reaches_the_reference_accuracy():
    # CONCEPTS.md: digits 0 vs 1, 64-32-1, α = 0.1 → test accuracy ≈ 100% (fewer updates suffice)
    at = open_digits()
    at.selectbox(key="digits.step_mode").select("10 epochs").run()
    for _ in range(3):
        at.button(key="digits.step_button").click().run()
    assert session(at).latest.test_metric >= 0.99


def test_views_show_predictions_of_the_current_network():
    at = open_digits(dataset="digits10", batch_size="32")
    at.selectbox(key="digits.step_mode").select("1 epoch").run()
    at.button(key="digits.step_button").click().run()
    s = session(at)
    predicted, confidence = predictions(s)
    assert predicted.shape == confidence.shape == s.y_test.shape
    assert np.all((confidence >= 0.1) & (confidence <= 1.0))
    mistakes = sample_indices(s, predicted, confidence, "mistakes")
    wrong = predicted[mistakes] != s.y_test[mistakes]
    assert wrong.any() and not (np.diff(wrong.astype(int)) > 0).any(), "mistakes come first"
    captions = " ".join(c.value for c in at.caption)
    for words in ("true digit", "mistakes", "64 pixels", "log scale", "Cost"):
        assert words in captions


def test_settings_come_from_the_link_and_bad_values_are_reported():
    at = open_digits(dataset="digits10", hidden_sizes="20,10", optimizer="adam", learning_rate="0.01",
                     batch_size="64", weight_seed="3", features="x1^2")
    s = session(at)
    assert s.layer_sizes == (64, 20, 10, 10) and s.settings.optimizer == "adam"
    assert s.settings.batch_size == 64 and s.settings.weight_seed == 3
    assert s.settings.features == ()
    assert any("Extra input features" in w.value for w in at.warning)


def test_batch_norm_toggle_trains_and_rides_in_the_link():
    at = open_digits(batch_size="32")
    assert at.toggle(key="digits.w.batch_norm").value is False and not session(at).net.batch_norm
    assert at.query_params["batch_norm"] in ("0", ["0"])
    at.toggle(key="digits.w.batch_norm").set_value(True).run()
    s = session(at)
    assert s.net.batch_norm and s.settings.batch_norm
    assert at.query_params["batch_norm"] in ("1", ["1"])
    assert any("2,177 parameters" in m.value and "64 γ, β (batch norm)" in m.value for m in at.markdown)
    start = s.latest.train_cost
    at.selectbox(key="digits.step_mode").select("1 epoch").run()
    at.button(key="digits.step_button").click().run()
    s = session(at)
    assert s.step > 1 and not s.diverged
    assert s.latest.train_cost < start and s.latest.test_metric >= 0.95
    assert not np.array_equal(s.net.gamma[1], np.ones((32, 1))), "γ is learned"
    # the same link opens the same experiment: batch norm on, toggle drawn on
    again = open_digits(**{k: at.query_params[k] for k in at.query_params})
    assert again.toggle(key="digits.w.batch_norm").value is True and session(again).net.batch_norm


def test_batch_norm_refuses_one_image_per_batch():
    at = open_digits(batch_norm="1")
    assert session(at).net.batch_norm
    at.select_slider(key="digits.w.batch_size").set_value(1).run()
    assert not at.exception
    assert any("Settings not changed" in e.value and "batch" in e.value for e in at.error)
    assert session(at).settings.batch_size != 1 and session(at).net.batch_norm


def test_notebook_follows_a_learning_rate_change_mid_run(monkeypatch):
    at = open_digits(batch_size="32")
    at.button(key="digits.step_button").click().run()
    at.button(key="digits.step_button").click().run()
    at.select_slider(key="digits.w.learning_rate").set_value(0.03).run()
    at.button(key="digits.step_button").click().run()
    s = session(at)
    phases = at.session_state["digits.export.schedule"]["phases"]
    assert [(p.first_update, p.learning_rate) for p in phases] == [(0, 0.1), (2, 0.03)]
    assert [b.label for b in at.get("download_button")] == ["Notebook (.ipynb)"]

    monkeypatch.setattr(go.Figure, "show", lambda self, *args, **kwargs: None)
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in build_notebook(s, phases, "Handwritten digits").cells:
            if cell.cell_type == "code":
                exec(cell.source, namespace)
    assert namespace["J"] == s.latest.train_cost


def test_confusion_matrix_counts_and_draws_the_diagonal_apart():
    matrix = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], 3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    fig = confusion_figure(matrix)
    right, wrong = fig.data
    assert np.nansum(right.z) == 4 and np.nansum(wrong.z) == 2  # green diagonal, red mistakes
    assert fig.layout.title.text == "Confusion matrix: 4 of 6 test images right"
    assert fig.layout.xaxis.title.text == "predicted digit" and fig.layout.yaxis.title.text == "true digit"


def test_image_grids_frame_the_mistakes_and_show_every_unit():
    images = np.random.default_rng(0).random((5, 64))
    fig = sample_images_figure(images, np.array([0, 1, 2, 3, 4]), np.array([0, 1, 7, 3, 9]),
                               np.full(5, 0.9), columns=3)
    heat, labels, frames = fig.data
    assert len(labels.text) == 5 and not fig.layout.annotations and not fig.layout.shapes
    assert "true 2 ✗" in labels.text[2] and "<b>7</b> 90%" in labels.text[2] and "true 0 ✓" in labels.text[0]
    assert list(labels.textfont.color) == [RIGHT, RIGHT, WRONG, RIGHT, WRONG]
    # two closed frames (5 corners and a gap each), around tiles 2 and 4 (row 0 column 2, row 1 column 1)
    x = list(frames.x)
    assert len(x) == 12 and x[5] is None and x[11] is None and x[0] == x[4] and frames.y[0] == frames.y[4]
    assert x[0] < 2 * 10 < x[1] and x[6] < 10 < x[7]  # tile pitch: 8 pixels + a 2-pixel gap
    W1 = np.random.default_rng(1).standard_normal((12, 64))
    fig = unit_weights_figure(W1)
    z = np.asarray(fig.data[0].z, dtype=float)
    assert np.count_nonzero(np.isfinite(z)) == 12 * 64 and np.nanmax(np.abs(z)) == 1.0
    assert list(fig.data[1].text) == [str(k) for k in range(1, 13)]
    assert len(unit_weights_figure(np.ones((40, 64))).data) == 1  # over 32 tiles: no labels


def chart_text_sizes(figure: dict) -> list[float]:
    """Every font size a figure sets for text it draws (title, axes, legend, cells, labels)."""
    layout = figure["layout"]
    sizes = [layout["font"]["size"], layout["title"]["font"]["size"]]
    if any(t["type"] == "scatter" and t.get("showlegend", True) for t in figure["data"]):
        sizes.append(layout["legend"]["font"]["size"])
    sizes += [a["font"]["size"] for a in layout.get("annotations", [])]
    sizes += [t["textfont"]["size"] for t in figure["data"] if "textfont" in t]
    sizes += [t["colorbar"]["tickfont"]["size"] for t in figure["data"] if "tickfont" in t.get("colorbar", {})]
    return sizes


CHARTS = ["digits.cost", "digits.gradients", "digits.confusion", "digits.images", "digits.units"]


def test_every_chart_is_readable_and_presentation_mode_makes_them_big():
    at = open_digits(dataset="digits10")
    charts = live_figures(at)
    assert set(CHARTS) <= set(charts)
    assert at.title and at.caption and not at.toggle(key="digits.present").value
    assert "present" not in at.query_params
    for key in CHARTS:
        assert min(chart_text_sizes(charts[key])) >= 14, key
    normal_heights = {k: charts[k]["layout"]["height"] for k in CHARTS}

    at.toggle(key="digits.present").set_value(True).run()
    assert not at.exception
    assert at.query_params["present"] in ("1", ["1"]) and at.query_params["dataset"] in ("digits10", ["digits10"])
    captions = " ".join(c.value for c in at.caption)
    assert not at.title and "Cost (solid)" not in captions and "Red frames" not in captions, \
        "presentation: no title, no captions under the charts (the teacher explains)"
    big = live_figures(at)
    for key in CHARTS:
        assert min(chart_text_sizes(big[key])) >= 16, key
        assert big[key]["layout"]["height"] >= normal_heights[key], key

    at.toggle(key="digits.present").set_value(False).run()
    assert "present" not in at.query_params and at.title


def test_a_presentation_link_opens_in_presentation_mode_and_keeps_its_settings():
    at = open_digits(dataset="digits10", hidden_sizes="20", present="1")
    assert not at.exception and not at.warning, "present is a link key the Digits page reads"
    assert at.toggle(key="digits.present").value is True
    assert session(at).layer_sizes == (64, 20, 10)
    assert min(chart_text_sizes(live_figures(at)["digits.confusion"])) >= 16
    again = open_digits(**{k: at.query_params[k] for k in at.query_params})
    assert again.toggle(key="digits.present").value is True and session(again).layer_sizes == (64, 20, 10)


def test_residual_toggle_shows_a_link_with_residual_and_rides_in_the_link():
    at = open_digits(hidden_sizes="32,32,32", residual="1")
    assert at.toggle(key="digits.w.residual").value is True and session(at).net.residual
    assert not at.toggle(key="digits.w.residual").disabled
    assert any("residual connections" in m.value for m in at.markdown)  # the architecture caption says so
    at.button(key="digits.step_button").click().run()
    assert session(at).step == 1 and not session(at).diverged
    at.toggle(key="digits.w.residual").set_value(False).run()
    assert not session(at).net.residual and at.query_params["residual"] in ("0", ["0"])
    at.toggle(key="digits.w.residual").set_value(True).run()
    assert session(at).net.residual and at.query_params["residual"] in ("1", ["1"])
    again = open_digits(**{k: at.query_params[k] for k in at.query_params})
    assert again.toggle(key="digits.w.residual").value is True and session(again).net.residual


def test_residual_toggle_is_off_and_says_why_with_one_hidden_layer():
    at = open_digits()
    toggle = at.toggle(key="digits.w.residual")
    assert toggle.value is False and toggle.disabled and "at least 3 hidden layers" in toggle.help
    assert not session(at).net.residual
