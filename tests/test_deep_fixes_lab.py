"""Practice exercise 5: batch normalization (and, measured honestly, residual connections) on the
notes' 10-layer sigmoid network — run headless through the engine, the effect asserted."""

import numpy as np
import pytest

from playground.settings import Settings
from playground.teaching.gradients.compare import compare
from playground.teaching.gradients.fixes import REFERENCE, STEPS, fix_runs, summarize, verdict


@pytest.fixture(scope="module")
def results():
    base = Settings(**REFERENCE)
    labels, changes, note = fix_runs(base)
    assert labels == ["no fix", "batch norm", "residual connections"] and not note
    runs = compare(base, changes, STEPS, labels=labels)
    return [summarize(label, run) for label, run in zip(labels, runs)]


def test_batch_norm_brings_the_gradient_back_to_layer_1_and_the_network_trains(results):
    none, bn, _ = results
    assert none.ratio_start < 1e-6  # the notes: ~10⁻⁷ … 10⁻⁸ of the output layer's gradient
    assert 0.05 < bn.ratio_start < 20  # comparable gradients in every layer
    assert none.train_metric < 0.65  # stuck near chance on circles
    assert bn.train_metric == 1.0 and bn.test_metric >= 0.95


def test_residual_connections_help_the_gradient_less_than_batch_norm_with_sigmoid(results):
    none, bn, residual = results
    assert none.ratio_start < residual.ratio_start < bn.ratio_start
    assert residual.ratio_start < 1e-2  # still vanishing by the diagnosis' threshold


def test_the_page_text_states_the_measured_numbers(results):
    lines = verdict(results, L=11)
    text = " ".join(lines)
    assert "layer 1 receives 10⁻" in lines[0] and "of the gradient of layer 11 without a fix" in lines[0]
    assert "With **batch norm** layer 1 gets" in text and "within a factor 100" in text
    assert "With **residual connections** layer 1 gets" in text and "still vanishes" in text
    assert f"{results[1].train_metric:.0%} with batch norm" in text
    assert "Here **batch norm** does more for the gradient than residual connections" in text


def test_shallow_lab_networks_leave_residual_out_with_a_reason():
    labels, changes, note = fix_runs(Settings(**{**REFERENCE, "hidden_sizes": (16, 16)}))
    assert labels == ["no fix", "batch norm"] and "at least 3 hidden layers" in note
    assert np.all([not c.get("residual") for c in changes])


def test_diagnosis_knows_batch_norm_a_saturating_sigmoid_net_with_it_is_not_vanishing():
    from playground.teaching.gradients.diagnosis import diagnose_network
    from playground.training import TrainingSession

    for initializer in ("large", "small", "xavier"):
        plain = TrainingSession(Settings(**{**REFERENCE, "initializer": initializer}), max_history=5)
        normed = TrainingSession(Settings(**{**REFERENCE, "initializer": initializer, "batch_norm": True}),
                                 max_history=5)
        with_bn = diagnose_network(normed.net, normed.latest_stats, normed.latest.train_cost)
        assert with_bn.kind == "healthy", (initializer, with_bn.headline)
        assert "Batch normalization re-centres and re-scales z before every sigmoid" in with_bn.markdown()
        without = diagnose_network(plain.net, plain.latest_stats, plain.latest.train_cost)
        if initializer == "xavier":  # the notes' case: sigmoid's slope ≤ 0.25, ten times over
            assert without.kind == "vanishing" and "batch normalization" in without.advice


def test_vanishing_sigmoid_advice_names_batch_norm():
    from playground.teaching.gradients.diagnosis import diagnose

    d = diagnose([1e-9] + [1e-5] * 9 + [1.0], activation="sigmoid", initializer="xavier", widths=[16] * 10)
    assert d.kind == "vanishing" and "batch normalization (exercise 5" in d.advice
    normed = diagnose([1e-9] + [1e-5] * 9 + [1.0], activation="sigmoid", widths=[16] * 10, batch_norm=True)
    assert normed.kind == "vanishing" and "neither the initial σ nor saturation" in normed.markdown()


def test_one_example_per_batch_leaves_batch_norm_out_with_a_reason():
    labels, _, note = fix_runs(Settings(**{**REFERENCE, "batch_size": 1}))
    assert labels == ["no fix", "residual connections"] and "at least 2 examples per batch" in note


def test_activation_explorer_batch_norm_pulls_a_saturated_tanh_layer_back():
    from playground.teaching.activations import layer_inputs, spread_sentence

    plain = layer_inputs("tanh", "large", 5, batch_norm=False)
    normed = layer_inputs("tanh", "large", 5, batch_norm=True)
    assert plain.flat_share > 0.3 and normed.flat_share < 0.1
    assert normed.mean_slope > plain.mean_slope
    assert abs(normed.z.mean()) < 1e-6 and abs(normed.z.std() - 1) < 1e-3  # γ = 1, β = 0 at the start
    assert "is not saturated with it" in spread_sentence("tanh", 5, plain, normed)
    calm = layer_inputs("tanh", "xavier", 5, batch_norm=False)
    assert "hardly saturated" in spread_sentence("tanh", 5, calm, normed)
