"""The activation explorer: its figures (pure) and the page (AppTest under st.navigation)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from helpers import figure_array, live_figures
from streamlit.testing.v1 import AppTest

from playground.engine import ACTIVATIONS, softmax
from playground.plots.activations import activation_figure, flat_intervals, softmax_figure, spread_figure
from playground.plots.style import FONT_FAMILY

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
    spread = spread_figure(np.linspace(-9, 9, 50), np.linspace(-2, 2, 50), z, a, "layer 5")
    for fig in (activation_figure(z, a, slope, "tanh"), softmax_figure([2.0, 1.0, 0.1], [0.66, 0.24, 0.1]), spread):
        assert fig.layout.height >= 300 and fig.layout.font.size >= 14
        # drawn by live_chart under plain Plotly's template: the page's font, no text under 14 px
        assert fig.layout.font.family == FONT_FAMILY
        assert min(fig.layout.legend.font.size, fig.layout.hoverlabel.font.size, fig.layout.title.font.size) >= 14
    for fig in (activation_figure(z, a, slope, "tanh"), spread):  # the z title below the tick labels, not on them
        assert fig.layout.xaxis.automargin and fig.layout.yaxis.automargin and fig.layout.legend.yref == "container"


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


def test_every_chart_is_a_live_chart_with_its_figure():
    at = open_activations()
    assert not at.get("plotly_chart"), "st.plotly_chart would load Streamlit's own full Plotly"
    figures = live_figures(at)
    assert set(figures) == {K + "figure." + name for name in ACTIVATIONS} | {K + "figure.softmax", K + "figure.bn"}
    sigmoid = figures[K + "figure.sigmoid"]
    assert sigmoid["layout"]["title"]["text"].startswith("sigmoid: range")
    assert len([s for s in sigmoid["layout"]["shapes"] if s["type"] == "rect"]) == 2  # both saturated tails
    assert np.allclose(figure_array(figures[K + "figure.softmax"]["data"][1]["y"]).sum(), 1.0)
    assert "What layer 5's tanh receives" in figures[K + "figure.bn"]["layout"]["title"]["text"]


def test_z_range_and_logit_sliders_update_the_page():
    at = open_activations()
    at.slider(key=K + "z_range").set_value((-10.0, 10.0)).run()
    assert not at.exception
    assert live_figures(at)[K + "figure.relu"]["layout"]["xaxis"]["range"] == [-10.0, 10.0]
    at.slider(key=K + "logit1").set_value(0.1).run()
    at.slider(key=K + "logit2").set_value(0.1).run()
    assert "= 0.333" in at.latex[-1].value  # equal logits, equal probabilities
    assert "sum to 1.000" in at.caption[-1].value
    assert np.allclose(figure_array(live_figures(at)[K + "figure.softmax"]["data"][1]["y"]), 1 / 3, atol=1e-3)


def test_too_narrow_a_z_range_falls_back_with_a_warning():
    at = open_activations()
    at.slider(key=K + "z_range").set_value((1.0, 1.5)).run()
    assert not at.exception and "at least 1 wide" in at.warning[0].value
