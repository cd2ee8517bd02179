"""AppTest: the "Inside a step" page under st.navigation — Next/Back, stage selector, planted bugs, ε.

Streamlit 1.67: start from app.py (the router), run once, then ``switch_page`` to the page file.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from helpers import figure_array, html_tables, live_figures
from streamlit.testing.v1 import AppTest

from playground.settings import Settings
from playground.training import TrainingSession
from playground.ui.keys import PLAYGROUND
from playground.ui.views.inside_step import VERDICT_STYLE

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/inside_step.py"
K = "inside_step."
DEFAULT_STAGES = 13  # 2-3-1: input, 2×(Z, A), cost, dZ2, dW2, dA1, dZ1, dW1, 2 updates


def open_inside_step(playground_session=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if PLAYGROUND.session in at.session_state:
        del at.session_state[PLAYGROUND.session]  # whatever the Playground page made on its first run
    if playground_session is not None:
        at.session_state[PLAYGROUND.session] = playground_session
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def at() -> AppTest:
    return open_inside_step()


def stage(at: AppTest) -> int:
    return at.selectbox(key=K + "stage").value


def check_rows(at: AppTest) -> list[dict[str, str]]:
    """The gradient check's table, read off the page (plain HTML: no st.table, no Arrow code)."""
    assert not at.table
    [rows] = html_tables(at)
    return rows


def verdicts(at: AppTest) -> list[str]:
    return [row["verdict"] for row in check_rows(at)]


def relative_differences(at: AppTest) -> np.ndarray:
    return np.array([float(row["relative difference"]) for row in check_rows(at)])


def test_gradient_check_table_names_each_block_coloured_by_verdict(at):
    rows = check_rows(at)
    assert [(r["parameter"], r["shape"]) for r in rows] == [("W[1]", "3×2"), ("b[1]", "3×1"), ("W[2]", "1×3"),
                                                            ("b[2]", "1×1")]
    assert all(re.fullmatch(r"\d\.\d\de[-+]\d\d", r["relative difference"]) for r in rows)  # as "{:.2e}"
    assert [r["style"] for r in rows] == [VERDICT_STYLE["pass"]] * 4
    at.select_slider(key=K + "epsilon").set_value(1e-1).run()
    assert [r["style"] for r in check_rows(at)] == [VERDICT_STYLE[v.lower()] for v in verdicts(at)]


def test_the_numpy_arrays_are_drawn_only_while_open(at):
    assert not at.code  # closed: no st.code, whose syntax highlighter (1.56 MB) would load on opening the page
    at.session_state[K + "arrays.open"] = True
    at.run()
    assert at.code[0].language == "python" and at.code[0].value == (
        "A[0] = X =\n[[0., 0., 1., 1.],\n [0., 1., 0., 1.]]\n\nY =\n[[0., 1., 1., 0.]]")  # XOR's four rows
    at.button(key=K + "next").click().run()  # stays open on the next stage, with that stage's numbers
    assert [line.split(" =")[0] for line in at.code[0].value.split("\n\n")] == ["W[1]", "A[0]", "b[1]", "Z[1]",
                                                                                 "W[1]A[0]", "b[1] repeated"]


def test_page_opens_on_the_input_stage_with_typeset_formulas(at):
    assert at.title[0].value == "Inside a training step"
    assert stage(at) == 0
    assert "Input: A[0] = X" in at.subheader[0].value
    assert any(r"A^{[0]} = X" in latex.value for latex in at.latex)
    assert at.button(key=K + "back").disabled and not at.button(key=K + "next").disabled


def test_next_walks_every_stage_and_back_returns(at):
    titles = [at.subheader[0].value]
    while not at.button(key=K + "next").disabled:
        at.button(key=K + "next").click().run()
        assert not at.exception, [e.value for e in at.exception]
        titles.append(at.subheader[0].value)
    assert len(titles) == DEFAULT_STAGES and stage(at) == DEFAULT_STAGES - 1
    assert titles[5] == "Cost — The cost J" and titles[-1].startswith("Update")
    at.button(key=K + "back").click().run()
    assert stage(at) == DEFAULT_STAGES - 2 and at.subheader[0].value == titles[-2]


def test_a_stage_draws_its_equation_as_live_charts_each_as_wide_as_its_matrix(at):
    at.button(key=K + "next").click().run()  # Z[1] = W[1] A[0] + b[1], then the broadcast made visible
    assert not at.get("plotly_chart"), "st.plotly_chart would load Streamlit's own full Plotly"
    figures = {key: fig for key, fig in live_figures(at).items() if key.startswith(K + "figure.forward-Z1.")}
    titles = [fig["layout"]["annotations"][0]["text"] for fig in figures.values()]
    assert titles == ["<b>W[1]: 3×2</b>", "<b>A[0]: 2×4</b>", "<b>b[1]: 3×1</b>", "<b>Z[1]: 3×4</b>",
                      "<b>W[1]A[0]: 3×4</b>", "<b>b[1] repeated: 3×4</b>", "<b>Z[1]: 3×4</b>"]
    W, A, b, Z = (figure_array(fig["data"][0]["z"]) for fig in list(figures.values())[:4])
    assert np.allclose(W @ A + b, Z)  # the numbers drawn are the step's own
    widths = [fig["layout"]["width"] for fig in figures.values()]
    assert widths[1] > widths[0] and all(150 <= w < 400 for w in widths)  # small, side by side, not stretched


def test_the_block_comparison_is_drawn_only_while_open(at):
    assert not [key for key in live_figures(at) if key.startswith(K + "figure.check")]  # closed: nothing to draw
    at.session_state[K + "check.open"] = True
    at.run()
    figures = {key: fig for key, fig in live_figures(at).items() if key.startswith(K + "figure.check")}
    numerical, backprop = (figure_array(fig["data"][0]["z"]) for fig in figures.values())
    assert numerical.shape == backprop.shape == (3, 2) and np.allclose(numerical, backprop, atol=1e-6)


def test_stage_selector_jumps_straight_to_a_stage(at):
    at.selectbox(key=K + "stage").set_value(9).run()
    assert "dZ[1] through tanh'" in at.subheader[0].value
    assert any(r"\odot" in latex.value for latex in at.latex)


def test_a_deeper_network_has_more_stages_and_the_position_stays_in_range(at):
    at.text_input(key=K + "hidden").input("4,4,4").run()
    options = at.selectbox(key=K + "stage").options
    assert len(options) == 1 + 2 * 4 + 1 + 1 + 4 + 2 * 3 + 4  # input, Z/A, cost, dZ[L], dW, dA/dZ, updates
    at.selectbox(key=K + "stage").set_value(len(options) - 1).run()
    at.text_input(key=K + "hidden").input("2").run()
    assert not at.exception and stage(at) == DEFAULT_STAGES - 1


def test_an_impossible_architecture_says_what_to_change(at):
    at.text_input(key=K + "hidden").input("9").run()
    assert not at.exception
    assert "between 1 and 4 units" in at.error[0].value
    assert "2-3-1" in at.caption[0].value


def test_planted_bug_turns_the_check_red_then_green_again(at):
    assert verdicts(at) == ["pass"] * 4 and at.success
    at.selectbox(key=K + "bug").set_value("forget_activation_derivative").run()
    assert verdicts(at) == ["FAIL", "FAIL", "pass", "pass"]
    assert at.error and "disagrees" in at.error[0].value
    at.selectbox(key=K + "bug").set_value("drop_one_over_m").run()
    assert verdicts(at) == ["FAIL"] * 4
    at.selectbox(key=K + "bug").set_value("none").run()
    assert verdicts(at) == ["pass"] * 4 and not at.error


def test_linear_activation_explains_why_forgetting_its_derivative_is_harmless(at):
    at.selectbox(key=K + "activation").set_value("linear").run()
    at.selectbox(key=K + "bug").set_value("forget_activation_derivative").run()
    assert "g'(z) = 1" in at.info[0].value and verdicts(at) == ["pass"] * 4


def test_epsilon_slider_moves_the_relative_differences(at):
    at.select_slider(key=K + "epsilon").set_value(1e-6).run()
    fine = relative_differences(at)
    at.select_slider(key=K + "epsilon").set_value(1e-1).run()
    coarse = relative_differences(at)
    assert np.all(fine < 1e-7) and np.all(coarse > fine)
    assert "FAIL" in verdicts(at) or "warn" in verdicts(at)


def test_without_a_playground_network_the_page_says_so(at):
    at.radio(key=K + "source").set_value("playground").run()
    assert not at.exception
    assert "The Playground has no network yet" in at.info[0].value
    assert not at.table and not html_tables(at)  # nothing to walk through or check


def test_inspecting_the_playground_network_uses_a_batch_of_its_data_and_never_changes_it():
    session = TrainingSession(Settings(dataset="moons", n_samples=60, hidden_sizes=(4, 3), optimizer="adam",
                                       learning_rate=0.05, l2=0.01))
    session.train(5)
    weights = [W.copy() for W in session.net.W[1:]]
    at = open_inside_step(session)
    at.radio(key=K + "source").set_value("playground").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "2-4-3-1" in at.caption[0].value and "after 5 updates" in at.caption[0].value
    assert any("adam" in info.value for info in at.info)
    assert len(at.selectbox(key=K + "stage").options) == 1 + 6 + 1 + 1 + 3 + 4 + 3
    assert verdicts(at) == ["pass"] * 6
    at.selectbox(key=K + "stage").set_value(len(at.selectbox(key=K + "stage").options) - 1).run()
    assert all(np.array_equal(W, V) for W, V in zip(weights, session.net.W[1:]))


def test_every_widget_key_is_prefixed(at):
    widgets = [*at.button, *at.selectbox, *at.text_input, *at.number_input, *at.select_slider, *at.radio]
    assert widgets and all(w.key.startswith(K) for w in widgets)
