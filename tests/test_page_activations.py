"""The activation explorer: its figures (pure) and the page (AppTest under st.navigation)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from playground.engine import ACTIVATIONS, softmax
from playground.plots.activations import activation_figure, flat_intervals, softmax_figure

ROOT = Path(__file__).resolve().parent.parent
K = "activations."


def curve(name, low=-6.0, high=6.0):
    z = np.union1d(np.linspace(low, high, 601), [0.0])
    act = ACTIVATIONS[name]
    a = act.fn(z)
    return z, a, (act.grad(z, a) if act.grad else np.zeros_like(z)), act


def test_sigmoid_saturation_regions_are_shaded_on_both_sides():
    z, a, slope, act = curve("sigmoid")
    fig = activation_figure(z, a, slope, "sigmoid", flat=act.saturated(z, a), flat_label="saturated")
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 2
    assert rects[0].x0 == -6.0 and rects[0].x1 < -4.3 and rects[1].x0 > 4.3 and rects[1].x1 == 6.0
    assert {t.name for t in fig.data} >= {"g(z)", "g′(z)", "saturated"}


def test_flat_intervals_finds_contiguous_runs():
    z = np.arange(6.0)
    assert flat_intervals(z, np.array([1, 1, 0, 0, 1, 1], bool)) == [(0.0, 1.0), (4.0, 5.0)]
    assert flat_intervals(z, np.zeros(6, bool)) == []


def test_step_is_drawn_with_a_jump_and_an_undefined_slope_at_zero():
    z, a, slope, _ = curve("step")
    fig = activation_figure(z, a, slope, "step", g_breaks=(0.0,), dg_breaks=(0.0,))
    g = next(t for t in fig.data if t.name == "g(z)")
    assert np.isnan(np.array(g.y, dtype=float)).sum() == 1  # the line breaks instead of drawing a wall
    assert any("undefined" in ann.text for ann in fig.layout.annotations)


def test_figures_are_fixed_height_and_projector_sized():
    z, a, slope, _ = curve("tanh")
    for fig in (activation_figure(z, a, slope, "tanh"), softmax_figure([2.0, 1.0, 0.1], [0.66, 0.24, 0.1])):
        assert fig.layout.height >= 300 and fig.layout.font.size >= 14


def test_softmax_figure_shows_logits_and_probabilities():
    logits = np.array([2.0, 1.0, 0.1])
    probabilities = softmax(logits.reshape(3, 1)).ravel()
    fig = softmax_figure(logits, probabilities)
    assert list(fig.data[0].y) == list(logits)
    assert np.isclose(sum(fig.data[1].y), 1.0) and fig.data[1].text[0] == "0.659"


def open_activations() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/activations.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_shows_all_six_activations_with_formulas_and_notes():
    at = open_activations()
    assert at.title[0].value == "Activation explorer"
    titles = [s.value for s in at.subheader]
    assert len(titles) == 6 and titles[-1].startswith("Step")
    captions = " ".join(c.value for c in at.caption)
    assert all(ACTIVATIONS[name].note in captions for name in ("sigmoid", "relu", "step"))
    assert len(at.latex) >= 13  # g and g' for each, and softmax


def test_z_range_and_logit_sliders_update_the_page():
    at = open_activations()
    at.slider(key=K + "z_range").set_value((-10.0, 10.0)).run()
    assert not at.exception
    at.slider(key=K + "logit1").set_value(0.1).run()
    at.slider(key=K + "logit2").set_value(0.1).run()
    assert "= 0.333" in at.latex[-1].value  # equal logits, equal probabilities
    assert "sum to 1.000" in at.caption[-1].value


def test_too_narrow_a_z_range_falls_back_with_a_warning():
    at = open_activations()
    at.slider(key=K + "z_range").set_value((1.0, 1.5)).run()
    assert not at.exception and "at least 1 wide" in at.warning[0].value
