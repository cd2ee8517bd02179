"""An activation is one registry entry (playground/engine/activations.py): every place that shows,
exports or diagnoses activations derives from it and covers every entry, and no module outside
the engine decides anything by an activation's name."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
from helpers import make_app

from playground.engine import Network
from playground.engine.activations import ACTIVATIONS, FAMILIES, HIDDEN_ACTIVATIONS, sigmoid
from playground.engine.initializers import INITIALIZERS
from playground.engine.stats import layer_stats
from playground.files import notebook
from playground.teaching.gradients.diagnosis import diagnose
from playground.teaching.inside_step import mini_batch, small_network, trace_step
from playground.ui.settings_ui import activation_label

ROOT = Path(__file__).resolve().parent.parent
NAMES = set(ACTIVATIONS) | {"softmax"}


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_every_entry_says_everything_the_app_shows(name):
    a = ACTIVATIONS[name]
    assert a.name == name and a.family in FAMILIES and a.initializer in INITIALIZERS
    assert a.title and a.label and a.latex and a.latex_grad and a.note and a.output_range
    if a.saturated is not None:
        assert a.flat_region and a.flat_label, "a flat region is named where it is drawn and diagnosed"
    if a.grad is not None:
        assert a.code and a.code_grad and a.code_comment, "the notebook export needs its code"
    assert activation_label(name) == a.label


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_notebook_code_computes_what_the_engine_computes(name):
    a = ACTIVATIONS[name]
    Z = np.linspace(-6, 6, 61).reshape(1, -1)
    Z = Z[Z != 0].reshape(1, -1)  # g' is not defined at the kinks
    A = a.fn(Z)
    g, dg, _ = notebook._hidden_code(name)
    namespace = {"np": np, "sigmoid": sigmoid, "Z": Z, "A": A}
    np.testing.assert_allclose(eval(g, namespace), A)
    np.testing.assert_allclose(eval(dg, namespace), a.grad(Z, A))


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_inside_a_step_typesets_every_hidden_activation(name):
    X, Y, output = mini_batch("xor_gate", 4, 0)
    trace = trace_step(small_network(2, (3,), 1, name, output), X, Y)
    latex = " ".join(stage.formula for stage in trace.stages)
    assert ACTIVATIONS[name].latex in latex and ACTIVATIONS[name].latex_grad in latex


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_the_diagnosis_speaks_about_every_hidden_activation(name):
    vanishing = diagnose([1e-9, 1e-6, 1e-3, 1.0], activation=name, initializer="xavier", widths=[8, 8, 8],
                         saturated=[0.9, 0.9, 0.9, np.nan], dead=[np.nan] * 4)
    assert vanishing.kind == "vanishing" and vanishing.advice
    exploding = diagnose([1e4, 1e2, 1.0], activation=name, initializer="large", widths=[64, 64])
    assert exploding.kind == "exploding" and exploding.advice
    dead = diagnose([0.0, 0.1, 1.0], activation=name, widths=[8, 8], dead=[1.0, 0.0, np.nan])
    assert (dead.kind == "dead") == ACTIVATIONS[name].dies
    for d in (vanishing, exploding, dead):  # never advises the network's own activation as the fix
        assert f", or {ACTIVATIONS[name].label}," not in d.advice


def test_leaky_relu_units_are_never_counted_dead_and_never_told_to_use_leaky_relu():
    net = Network([2, 4, 1], "leaky_relu", "sigmoid", "xavier", seed=0)
    X = -np.abs(np.random.default_rng(0).normal(size=(2, 8)))
    net.set_layer(1, W=np.abs(net.W[1]), b=np.zeros((4, 1)))  # z < 0 for every example
    cache = net.forward(X)
    stats = layer_stats(net, cache, net.backward(cache, np.ones((1, 8))))
    assert np.isnan(stats.dead_fraction).all()
    d = diagnose([0.5, 1.0], activation="leaky_relu", widths=[4], dead=[1.0, np.nan])
    assert d.kind != "dead" and "leaky ReLU" not in d.advice


def test_relu_units_with_no_gradient_are_dead_and_leaky_relu_is_the_advice():
    d = diagnose([0.0, 0.1, 1.0], activation="relu", widths=[8, 8], dead=[1.0, 0.0, np.nan])
    assert d.kind == "dead" and "leaky ReLU" in d.advice


def test_the_activation_explorer_draws_every_entry():
    at = make_app("pages/activations.py")
    assert sorted(h.value for h in at.subheader) == sorted(a.title for a in ACTIVATIONS.values())


def test_every_page_offers_every_hidden_activation():
    labels = {ACTIVATIONS[name].label for name in HIDDEN_ACTIVATIONS}
    for page, key in ((None, "pg.w.activation"), ("pages/gradients.py", "gradients.w.activation"),
                      ("pages/digits.py", "digits.w.activation"), ("pages/inside_step.py", "inside_step.activation")):
        at = make_app(page)
        assert set(at.selectbox(key=key).options) == labels, page
    at = make_app("pages/perceptron.py")
    assert set(at.selectbox(key="perceptron.net_act").options) == labels


def _name_comparisons(path: Path) -> list[str]:
    """`x == "relu"`, `x in ("relu", "leaky_relu")` … where x reads like an activation."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        parts = [node.left, *node.comparators]
        constants = set()
        for part in parts:
            elements = part.elts if isinstance(part, (ast.Tuple, ast.List, ast.Set)) else [part]
            constants |= {e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        subject = " ".join(ast.unparse(p) for p in parts)
        if constants & NAMES and "activation" in subject and ".family" not in subject:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_outside_the_engine_branches_on_activation_names():
    files = [p for p in (ROOT / "playground").rglob("*.py") if "engine" not in p.relative_to(ROOT).parts]
    files += list((ROOT / "pages").glob("*.py"))
    found = [hit for path in files for hit in _name_comparisons(path)]
    assert not found, "\n".join(found)
