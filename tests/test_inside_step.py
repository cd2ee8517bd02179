"""The stage-by-stage view shows the engine's own numbers, and the gradient check catches bugs."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from playground.engine import HIDDEN_ACTIVATIONS, Network, gradient_check
from playground.engine.gradcheck import default_backward
from playground.plots.inside_step import format_number, matrix_figure, truncate
from playground.teaching.inside_step import (
    PLANTED_BUGS,
    mini_batch,
    parse_hidden_sizes,
    small_network,
    trace_step,
)

CASES = [
    ("xor_gate", (3,), "tanh"),
    ("circles", (4, 2), "relu"),
    ("blobs3", (2, 3, 4), "sigmoid"),  # softmax output
    ("plane", (3,), "leaky_relu"),  # linear output
]


def batch_and_net(dataset, hidden, activation, seed=0):
    X, Y, output = mini_batch(dataset, 4, seed)
    return X, Y, small_network(X.shape[0], hidden, Y.shape[0], activation, output, seed=seed)


@pytest.mark.parametrize("dataset,hidden,activation", CASES)
@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_stage_values_are_exactly_the_engines_forward_backward_and_update(dataset, hidden, activation, l2):
    X, Y, net = batch_and_net(dataset, hidden, activation)
    trace = trace_step(net, X, Y, learning_rate=0.3, l2=l2)
    cache = net.forward(X)  # an independent run of the engine
    grads = net.backward(cache, Y, l2=l2)
    stages = {s.key: s.matrices for s in trace.stages}
    L = net.L
    assert np.array_equal(stages["forward-input"]["A[0] = X"], X)
    for l in range(1, L + 1):
        z, a = stages[f"forward-Z{l}"], stages[f"forward-A{l}"]
        assert np.array_equal(z[f"W[{l}]"], net.W[l]) and np.array_equal(z[f"b[{l}]"], net.b[l])
        assert np.array_equal(z[f"A[{l - 1}]"], cache.A[l - 1])
        assert np.array_equal(z[f"Z[{l}]"], cache.Z[l])
        assert np.array_equal(z[f"W[{l}]A[{l - 1}]"] + z[f"b[{l}] repeated"], cache.Z[l])
        assert np.array_equal(a[f"A[{l}]"], cache.A[l])
        dw = stages[f"backward-dW{l}"]
        assert np.array_equal(dw[f"dW[{l}]"], grads.dW[l]) and np.array_equal(dw[f"db[{l}]"], grads.db[l])
        assert np.array_equal(dw[f"dZ[{l}]"], grads.dZ[l])
        up = stages[f"update-{l}"]
        assert np.array_equal(up[f"new W[{l}]"], net.W[l] - 0.3 * grads.dW[l])
        assert np.array_equal(up[f"new b[{l}]"], net.b[l] - 0.3 * grads.db[l])
    for l in range(1, L):
        assert np.array_equal(stages[f"backward-dA{l}"][f"dA[{l}]"], grads.dA[l])
        assert np.array_equal(stages[f"backward-dZ{l}"][f"dZ[{l}]"], grads.dZ[l])
    assert np.array_equal(stages[f"backward-dZ{L}"][f"dZ[{L}]"], cache.A[L] - Y)
    assert stages["cost"]["J"][0, 0] == net.cost(cache, Y, l2) == trace.cost


def test_stages_follow_the_lecture_order_and_name_shapes_like_the_notes():
    X, Y, net = batch_and_net("xor_gate", (3,), "tanh")
    trace = trace_step(net, X, Y)
    assert [s.key for s in trace.stages] == [
        "forward-input", "forward-Z1", "forward-A1", "forward-Z2", "forward-A2", "cost",
        "backward-dZ2", "backward-dW2", "backward-dA1", "backward-dZ1", "backward-dW1", "update-1", "update-2",
    ]
    labels = [M.shape_label for row in trace.stages[1].rows for M in row.matrices]
    assert labels[:4] == ["W[1]: 3×2", "A[0]: 2×4", "b[1]: 3×1", "Z[1]: 3×4"]
    assert all(s.formula and s.caption and s.title for s in trace.stages)


def test_bias_broadcast_is_b_repeated_over_the_m_columns():
    X, Y, net = batch_and_net("circles", (4,), "tanh")
    repeated = trace_step(net, X, Y).stages[1].matrices["b[1] repeated"]
    assert repeated.shape == (4, 4)
    assert all(np.array_equal(repeated[:, [i]], net.b[1]) for i in range(4))


def test_tracing_a_step_leaves_the_network_untouched():
    X, Y, net = batch_and_net("xor_gate", (3,), "tanh")
    before = [W.copy() for W in net.W[1:]] + [b.copy() for b in net.b[1:]]
    trace = trace_step(net, X, Y, learning_rate=1.0)
    after = net.W[1:] + net.b[1:]
    assert all(np.array_equal(x, y) for x, y in zip(before, after))
    assert not np.array_equal(trace.updated.W[1], net.W[1])


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clean_backprop_passes_the_gradient_check_for_every_activation(activation, seed):
    X, Y, net = batch_and_net("xor_gate", (3, 2), activation, seed)
    checks = gradient_check(net, X, Y, epsilon=1e-6, l2=0.01)
    assert [c.verdict for c in checks] == ["pass"] * len(checks), [(c.name, c.relative_difference) for c in checks]


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("bug_name", list(PLANTED_BUGS))
def test_every_planted_bug_is_caught_for_every_activation(activation, bug_name):
    bug = PLANTED_BUGS[bug_name]
    X, Y, net = batch_and_net("xor_gate", (3,), activation)
    checks = gradient_check(net, X, Y, epsilon=1e-6, backward=bug.backward)
    verdicts = {c.name: c.verdict for c in checks}
    if bug.not_applicable(net):  # forgetting g'(z) = 1 of a linear layer changes nothing
        assert activation == "linear" and set(verdicts.values()) == {"pass"}
    else:
        assert "fail" in verdicts.values(), verdicts


def test_forgetting_the_derivative_in_layer_1_breaks_only_layer_1():
    X, Y, net = batch_and_net("xor_gate", (3,), "tanh")
    verdicts = {c.name: c.verdict for c in gradient_check(net, X, Y, backward=PLANTED_BUGS[
        "forget_activation_derivative"].backward)}
    assert verdicts == {"W1": "fail", "b1": "fail", "W2": "pass", "b2": "pass"}


def test_bugs_do_not_corrupt_the_engine_backward_they_reuse():
    X, Y, net = batch_and_net("xor_gate", (3,), "tanh")
    clean = default_backward(net, net.forward(X), Y, 0.0)
    for bug in PLANTED_BUGS.values():
        bug.backward(net, net.forward(X), Y, 0.0)
    again = default_backward(net, net.forward(X), Y, 0.0)
    assert all(np.array_equal(a, b) for a, b in zip(clean.dW[1:], again.dW[1:]))


def test_activation_derivative_bug_needs_a_hidden_layer():
    net = Network([2, 1], output_activation="sigmoid")
    assert "no hidden layer" in PLANTED_BUGS["forget_activation_derivative"].not_applicable(net)


@pytest.mark.parametrize("text,sizes", [("3", (3,)), ("4, 2", (4, 2)), ("1,2,3", (1, 2, 3))])
def test_parse_hidden_sizes_accepts_up_to_three_layers_of_four(text, sizes):
    assert parse_hidden_sizes(text) == sizes


@pytest.mark.parametrize("text", ["", "5", "1,1,1,1", "a", "0"])
def test_parse_hidden_sizes_says_what_to_change(text):
    with pytest.raises(ValueError, match="hidden"):
        parse_hidden_sizes(text)


def test_logic_gate_batch_is_its_truth_table_as_columns():
    X, Y, output = mini_batch("xor_gate")
    assert X.tolist() == [[0, 0, 1, 1], [0, 1, 0, 1]]
    assert Y.tolist() == [[0, 1, 1, 0]] and output == "sigmoid"


def test_classification_batches_contain_every_class():
    X, Y, output = mini_batch("blobs3", 4, seed=3)
    assert X.shape == (2, 4) and Y.shape == (3, 4) and output == "softmax"
    assert set(Y.argmax(axis=0)) == {0, 1, 2}


# -- the matrix figure ---------------------------------------------------------------------------

def test_matrix_figure_shows_numbers_and_the_shape():
    W = np.array([[0.5, -0.123456], [1.0, 0.0], [2e-5, -3.0]])
    fig = matrix_figure("W[1]", W)
    assert fig.layout.annotations[0].text == "<b>W[1]: 3×2</b>"
    assert [list(row) for row in fig.data[0].text] == [["0.5", "-0.123"], ["1", "0"], ["2.0e-5", "-3"]]
    assert fig.layout.height and fig.layout.width


def test_large_matrices_are_truncated_with_a_clear_note():
    block, note = truncate(np.zeros((64, 3)), max_rows=8, max_cols=8)
    assert block.shape == (8, 3) and note == "showing 8 of 64 rows"
    fig = matrix_figure("A[0]", np.ones((64, 300)))
    assert np.shape(fig.data[0].z) == (8, 8)
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["<b>A[0]: 64×300</b>", "showing 8 of 64 rows, 8 of 300 columns"]


def test_format_number_keeps_small_gradients_visible():
    assert format_number(0.0001234) == "1.2e-4" and format_number(-0.5) == "-0.5" and format_number(0.0) == "0"


def test_pure_modules_do_not_import_streamlit():
    code = ("import sys, playground.teaching.inside_step, playground.plots.inside_step, playground.plots.activations; "
            "assert 'streamlit' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=__file__.rsplit("/tests/", 1)[0])


def test_logistic_regression_has_no_hidden_stages():
    X, Y, _ = mini_batch("and_gate")
    net = Network([2, 1], output_activation="sigmoid", seed=0)
    keys = [s.key for s in trace_step(net, X, Y).stages]
    assert keys == ["forward-input", "forward-Z1", "forward-A1", "cost", "backward-dZ1", "backward-dW1", "update-1"]
