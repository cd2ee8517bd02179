"""The perceptron, its learning rule, the gate tables and the hidden-layer fix (CONCEPTS.md §8)."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import pytest

from playground.plots import perceptron as plots
from playground.teaching import perceptron as pc

# An independent reference for the 16 names: each name as a Python predicate on (x1, x2).
REFERENCE = {
    "constant 0": lambda a, b: False,
    "AND": lambda a, b: a and b,
    "x1 AND NOT x2": lambda a, b: a and not b,
    "x1": lambda a, b: a,
    "NOT x1 AND x2": lambda a, b: (not a) and b,
    "x2": lambda a, b: b,
    "XOR": lambda a, b: a != b,
    "OR": lambda a, b: a or b,
    "NOR": lambda a, b: not (a or b),
    "XNOR": lambda a, b: a == b,
    "NOT x2": lambda a, b: not b,
    "x1 OR NOT x2": lambda a, b: a or not b,
    "NOT x1": lambda a, b: not a,
    "NOT x1 OR x2": lambda a, b: (not a) or b,
    "NAND": lambda a, b: not (a and b),
    "constant 1": lambda a, b: True,
}
ALL_TABLES = [tuple(int(c) for c in code) for code in pc.TABLE_CODES]
EPOCH_BOUND = 20  # from w = 0 every separable 2-input table converges in at most 9 epochs


def reference_table(name: str) -> tuple[int, ...]:
    return tuple(int(bool(REFERENCE[name](a, b))) for a, b in pc.ROWS_2)


def grid_reachable_tables() -> set[tuple[int, ...]]:
    """Every table some weights on a grid compute — an independent check of separability."""
    values = np.arange(-3, 3.5, 0.5)
    X = np.array(pc.ROWS_2, dtype=float)
    return {tuple(int(v) for v in (w0 + X @ np.array([w1, w2]) > 0))
            for w0, w1, w2 in itertools.product(values, repeat=3)}


# -- the unit and the textbook example ---------------------------------------------------------


def test_nor_example_reproduces():
    nor = pc.make_gate("NOR")
    rows = pc.truth_table((0.5, -1, -1), nor)
    assert [r.s for r in rows] == [0.5, -0.5, -0.5, -1.5]
    assert [r.output for r in rows] == [1, 0, 0, 0]
    assert all(r.correct for r in rows)
    assert pc.computed_function((0.5, -1, -1)) == "NOR"


def test_step_outputs_zero_at_exactly_zero():
    assert list(pc.step(np.array([-1.0, 0.0, 1e-9]))) == [0, 0, 1]
    assert pc.computed_function((0, 0, 0)) == "constant 0"


def test_gate_tables_match_the_datasets_module_and_not_has_one_input():
    for name in ("AND", "OR", "NAND", "NOR", "XOR", "XNOR"):
        assert pc.make_gate(name).targets == reference_table(name)
    not_gate = pc.make_gate("NOT")
    assert not_gate.n_inputs == 1 and not_gate.targets == (1, 0)
    assert pc.computed_function((0.5, -1), n_inputs=1) == "NOT"
    assert pc.make_gate("custom", (1, 0, 0, 1)).targets == (1, 0, 0, 1)
    with pytest.raises(ValueError, match="custom table"):
        pc.make_gate("custom", (1, 2, 0, 1))
    with pytest.raises(ValueError, match="choose one of"):
        pc.make_gate("MAYBE")


# -- naming all 16 functions --------------------------------------------------------------------


def test_gate_naming_is_right_for_all_16_two_input_functions():
    names = [pc.function_name(t) for t in ALL_TABLES]
    assert len(set(names)) == 16
    for table, name in zip(ALL_TABLES, names):
        assert reference_table(name) == table, name


def test_exactly_14_functions_are_linearly_separable_and_xor_xnor_are_not():
    separable = {pc.function_name(t) for t in ALL_TABLES if pc.is_linearly_separable(pc.make_gate("custom", t))}
    assert len(separable) == 14
    assert set(REFERENCE) - separable == {"XOR", "XNOR"}
    assert {pc.function_name(t) for t in grid_reachable_tables()} == separable  # independent check


def test_naming_any_weights_agrees_with_the_outputs():
    rng = np.random.default_rng(0)
    for w in rng.uniform(-3, 3, (300, 3)):
        outputs = tuple(int(w[0] + w[1] * a + w[2] * b > 0) for a, b in pc.ROWS_2)
        assert pc.computed_function(w) == pc.function_name(outputs)


# -- the learning rule ------------------------------------------------------------------------------


@pytest.mark.parametrize("table", [t for t in ALL_TABLES if pc.function_name(t) not in pc.NOT_SEPARABLE])
def test_every_separable_table_converges_from_zero_within_a_bound(table):
    gate = pc.make_gate("custom", table)
    run = pc.run_to_convergence(pc.start_rule((0, 0, 0), gate), gate)
    assert run.status == "converged"
    assert run.epochs <= EPOCH_BOUND
    assert pc.outputs(run.weights, gate) == table
    assert run.epoch_mistakes[-1] == 0 and all(m > 0 for m in run.epoch_mistakes[:-1])
    assert run.message().startswith(f"Converged after {run.updates} update")


@pytest.mark.parametrize("name", ["AND", "OR", "NAND", "NOR", "NOT"])
def test_named_gates_converge_from_zero(name):
    gate = pc.make_gate(name)
    run = pc.run_to_convergence(pc.start_rule((0, 0, 0), gate), gate)
    assert run.status == "converged" and run.epochs <= EPOCH_BOUND
    assert pc.computed_function(run.weights, gate.n_inputs) == name


def test_first_step_on_and_is_a_mistake_with_the_update_in_numbers():
    gate = pc.make_gate("AND")
    run = pc.rule_step(pc.start_rule((0, 0, 0), gate), gate)
    step = run.steps[-1]
    assert (step.index, step.x, step.y, step.s, step.mistake) == (0, (0, 0), -1, 0.0, True)
    assert step.before == (0.0, 0.0, 0.0) and step.after == (-1.0, 0.0, 0.0)
    text = step.describe()
    assert "mistake" in text and "w0 (the bias b) ← 0 + (-1) = -1" in text
    run = pc.rule_step(run, gate)  # (0,1) target 0: s = -1, y·s = 1 > 0
    assert not run.steps[-1].mistake and "correct" in run.steps[-1].describe()
    assert run.weights == (-1.0, 0.0, 0.0)


def test_run_epoch_presents_the_rest_of_the_epoch():
    gate = pc.make_gate("OR")
    run = pc.rule_step(pc.start_rule((0, 0, 0), gate), gate)
    run = pc.run_epoch(run, gate)
    assert len(run.steps) == 4 and run.epochs == 1
    run = pc.run_epoch(run, gate)
    assert len(run.steps) == 8 and run.epochs == 2


def test_perceptron_rule_never_converges_on_xor():
    gate = pc.make_gate("XOR")
    run = pc.run_to_convergence(pc.start_rule((0, 0, 0), gate), gate)
    assert run.status == "cycle"
    assert run.weights == (0.0, 0.0, 0.0) and run.cycle_from == 1  # back to the start after 4 updates
    assert run.updates == 4
    assert "Never converges" in run.message()
    assert pc.rule_step(run, gate) is run  # a finished run does not move


@pytest.mark.parametrize("start", [(0.3, -1.2, 2.5), (-4.0, 1.0, 0.7), (2.2, 2.2, -3.1)])
@pytest.mark.parametrize("name", ["XOR", "XNOR"])
def test_cycle_is_found_from_any_start(name, start):
    gate = pc.make_gate(name)
    run = pc.run_to_convergence(pc.start_rule(start, gate), gate)
    assert run.status == "cycle"
    assert run.epochs < pc.MAX_EPOCHS


def test_weight_history_has_one_row_per_example_plus_the_start():
    gate = pc.make_gate("NAND")
    run = pc.run_to_convergence(pc.start_rule((0, 0, 0), gate), gate)
    history = pc.weight_history(run)
    assert history.shape == (len(run.steps) + 1, 3)
    assert tuple(history[0]) == (0, 0, 0) and tuple(history[-1]) == run.weights


# -- the XOR inequalities -----------------------------------------------------------------------------


def test_xor_inequalities_and_which_ones_fail():
    xor = pc.make_gate("XOR")
    texts = [q.text for q in pc.inequalities((0, 0, 0), xor)]
    assert texts == ["w0 ≤ 0", "w0 + w2 > 0", "w0 + w1 > 0", "w0 + w1 + w2 ≤ 0"]
    assert [q.holds for q in pc.inequalities((0, 0, 0), xor)] == [True, False, False, True]
    assert [q.holds for q in pc.inequalities((-0.5, 1, 1), xor)] == [True, True, True, False]


def test_no_weights_satisfy_all_four_xor_inequalities():
    xor = pc.make_gate("XOR")
    rng = np.random.default_rng(1)
    for w in rng.uniform(-5, 5, (2000, 3)):
        assert not all(q.holds for q in pc.inequalities(w, xor))


# -- the fix: a hidden layer ---------------------------------------------------------------------------


def test_a_2_4_1_tanh_network_learns_xor():
    run = pc.make_fix_run("2-4-1", "tanh", 0, (0, 1, 1, 0))
    pc.train_fix(run, 3000)
    assert run.accuracy() == 4 and run.solved
    assert run.costs[0][1] > run.costs[-1][1]


def test_a_linear_hidden_layer_cannot_learn_xor():
    run = pc.make_fix_run("2-4-1", "linear", 0, (0, 1, 1, 0))
    pc.train_fix(run, 3000)
    assert run.accuracy() <= 3


def test_fix_uses_the_engine_network_and_its_hidden_layer():
    run = pc.make_fix_run("2-2-1", "tanh", 3, (0, 1, 1, 0))
    pc.train_fix(run, 200)
    W1, b1 = pc.hidden_lines(run.net)
    assert np.array_equal(W1, run.net.W[1]) and np.array_equal(b1, run.net.b[1][:, 0])
    view = pc.hidden_space(run.net, run.X)
    assert view.exact and np.allclose(view.coords, run.net.forward(run.X).A[1].T)
    assert run.X.shape == (2, 4) and run.Y.shape == (1, 4)


def test_hidden_space_projection_keeps_the_output_units_decision():
    run = pc.make_fix_run("2-4-1", "tanh", 1, (0, 1, 1, 0))
    pc.train_fix(run, 1500)
    view = pc.hidden_space(run.net, run.X)
    assert not view.exact and view.coords.shape == (4, 2)
    # The boundary is u = 0 and u has the sign of the output unit's z.
    z = run.net.forward(run.X).Z[2][0]
    assert np.array_equal(view.coords[:, 0] > 0, z > 0)


def test_training_is_bounded():
    run = pc.make_fix_run("2-2-1", "sigmoid", 0, (0, 0, 0, 1))
    run.steps = pc.FIX_MAX_STEPS - 10
    pc.train_fix(run, 100)
    assert run.steps == pc.FIX_MAX_STEPS and run.finished


# -- settings in the URL --------------------------------------------------------------------------------


def test_settings_round_trip_through_query_params():
    s = pc.PerceptronSettings(gate="custom", table="1011", w0=0.5, w1=-1.0, w2=-1.0, net="2-4-1",
                              net_act="relu", net_seed=7)
    params = s.to_query_params()
    assert params["w0"] == "0.5" and params["w1"] == "-1" and params["table"] == "1011"
    again, problems = pc.PerceptronSettings.from_query_params(params)
    assert again == s and problems == []


def test_malformed_query_params_fall_back_and_name_the_parameter():
    params = {"gate": "MAYBE", "w1": "abc", "w2": "1e9", "table": "0120", "net_seed": "-3", "w0": "1.5",
              "dataset": "moons"}
    s, problems = pc.PerceptronSettings.from_query_params(params)
    assert s == pc.PerceptronSettings(w0=1.5)
    joined = "\n".join(problems)
    for label, raw in (("Gate", "MAYBE"), ("Weight w1", "abc"), ("Weight w2", "1e9"),
                       ("Custom truth table", "0120"), ("Seed", "-3")):
        assert f"**{label}**: `{raw}` in the link was not used" in joined  # the page's words, the link's text
    assert "dataset" not in joined and len(problems) == 5  # another page's setting is not a problem


# -- figures ----------------------------------------------------------------------------------------------


def test_half_plane_is_the_right_part_of_the_box():
    polygon = plots.half_plane(1.0, 0.0, -0.5, (0, 1, 0, 1))  # x > 0.5
    assert np.allclose(sorted(map(tuple, polygon)), [(0.5, 0), (0.5, 1), (1, 0), (1, 1)])
    assert len(plots.half_plane(0.0, 0.0, -1.0, (0, 1, 0, 1))) == 0  # s = -1 everywhere


def _font_sizes(fig: go.Figure) -> list[float]:
    sizes = [fig.layout.font.size, fig.layout.title.font.size]
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        sizes += [axis.tickfont.size, axis.title.font.size] if axis.visible is not False else []
    return sizes


def test_figures_have_fixed_heights_titles_and_projector_fonts():
    nor = pc.make_gate("NOR")
    run = pc.make_fix_run("2-4-1", "tanh", 0, (0, 1, 1, 0))
    axis, grid = pc.probability_grid(run.net)
    W1, b1 = pc.hidden_lines(run.net)
    view = pc.hidden_space(run.net, run.X)
    rule = pc.run_to_convergence(pc.start_rule((0, 0, 0), nor), nor)
    figures = [
        plots.gate_figure((0.5, -1, -1), nor.X, nor.targets),
        plots.gate_figure((0.5, -1), pc.make_gate("NOT").X, (1, 0)),
        plots.gate_figure((0, 0, 0), nor.X, nor.targets),
        plots.rule_history_figure(pc.weight_history(rule), [s.number for s in rule.steps if s.mistake],
                                  rule.epoch_mistakes),
        plots.network_boundary_figure(axis, grid, W1, b1, run.targets, run.probabilities()),
        plots.hidden_space_figure(view.coords, run.targets, view.line, view.axis_titles, run.probabilities()),
    ]
    for fig in figures:
        assert isinstance(fig, go.Figure)
        assert fig.layout.height and fig.layout.title.text
        assert min(s for s in _font_sizes(fig) if s is not None) >= 14


def test_library_and_figures_never_import_streamlit():
    code = ("import sys, playground.teaching.perceptron, playground.plots.perceptron; "
            "assert 'streamlit' not in sys.modules, 'streamlit imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
