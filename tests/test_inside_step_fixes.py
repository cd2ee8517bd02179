"""Inside a step with batch norm, dropout and a residual skip: the stages show the engine's own
numbers (the quality bar of issue 11), and tracing a step never changes the network."""

import numpy as np
import pytest

from playground.teaching.inside_step import mini_batch, small_network, trace_step


@pytest.fixture
def trace():
    X, Y, output = mini_batch("circles", 4, seed=0)
    net = small_network(X.shape[0], (3, 3, 3), Y.shape[0], "tanh", output, seed=1,
                        batch_norm=True, residual=True, keep_prob=0.5)
    before = net.copy()
    t = trace_step(net, X, Y, learning_rate=0.5)
    for name in ("W", "b", "gamma", "beta", "running_mean", "running_var"):
        for a, b in zip(getattr(net, name)[1:], getattr(before, name)[1:]):
            if a is not None:
                np.testing.assert_array_equal(a, b)  # the trace leaves the network as it was
    return t


def by_key(t):
    return {s.key: s for s in t.stages}


def test_batch_norm_stages_show_mu_sigma_and_the_normalized_z(trace):
    stages = by_key(trace)
    norm = stages["forward-BN1"].matrices
    Z = trace.cache.Z[1]
    np.testing.assert_allclose(norm["μ"], Z.mean(axis=1, keepdims=True))
    np.testing.assert_allclose(norm["σ²"], Z.var(axis=1, keepdims=True))
    np.testing.assert_allclose(norm["Z_norm[1]"].mean(axis=1), 0, atol=1e-12)
    np.testing.assert_array_equal(norm["Z̃[1]"], trace.cache.Z_tilde[1])
    linear = stages["forward-Z1"]
    assert "b[1]" not in linear.matrices and "no b" in linear.title
    assert "output" not in stages["forward-Z4"].title and "b[4] repeated" in stages["forward-Z4"].matrices


def test_dropout_stage_shows_the_mask_and_the_rescaling(trace):
    stages = by_key(trace)
    drop = stages["forward-D2"].matrices
    D = trace.cache.D[2]
    np.testing.assert_array_equal(drop["D[2]"], D.astype(float))
    np.testing.assert_allclose(drop["A[2]"], trace.cache.G[2] * D / 0.5)
    assert set(np.unique(drop["D[2]"])) <= {0.0, 1.0}
    back = stages["backward-D2"].matrices
    np.testing.assert_allclose(back["dG[2]"], trace.grads.dA[2] * D / 0.5)


def test_residual_stage_adds_the_activation_two_layers_down(trace):
    skip = by_key(trace)["forward-skip3"].matrices
    np.testing.assert_allclose(skip["g(Z[3])"] + skip["A[1]"], trace.cache.A[3])
    back = by_key(trace)["backward-dA1"]
    assert "+ dA^{[3]}" in back.formula
    np.testing.assert_allclose(back.matrices["W[2]ᵀ"] @ back.matrices["dZ[2]"] + back.matrices["dA[3]"],
                               trace.grads.dA[1])


def test_batch_norm_backward_and_update_show_dgamma_dbeta(trace):
    stages = by_key(trace)
    back = stages["backward-BN1"].matrices
    np.testing.assert_array_equal(back["dγ[1]"], trace.grads.dgamma[1])
    np.testing.assert_array_equal(back["dβ[1]"], trace.grads.dbeta[1])
    np.testing.assert_array_equal(back["dZ[1]"], trace.grads.dZ[1])
    update = stages["update-1"].matrices
    np.testing.assert_allclose(update["new γ[1]"], trace.net.gamma[1] - 0.5 * trace.grads.dgamma[1])
    assert "new γ[4]" not in stages["update-4"].matrices  # the output layer has no batch norm


def test_plain_networks_keep_their_stages():
    X, Y, output = mini_batch("xor_gate", 4)
    t = trace_step(small_network(2, (3,), 1, "tanh", output), X, Y)
    keys = [s.key for s in t.stages]
    assert not any(k.startswith(("forward-BN", "forward-D", "forward-skip", "backward-BN", "backward-D")) for k in keys)
    assert keys[:5] == ["forward-input", "forward-Z1", "forward-A1", "forward-Z2", "forward-A2"]
