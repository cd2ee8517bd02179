"""Practice exercise 10: a hidden layer's features, mapped to 2-D, cluster by digit after training."""

import numpy as np
import pytest
from helpers import live_figures, make_app

from playground.engine import Network
from playground.plots.digits import embedding_figure
from playground.settings import Settings
from playground.teaching.digits import (
    CACHE_SIZE,
    EmbeddingCache,
    agreement_sentence,
    embed,
    feature_map,
    hidden_activations,
    neighbour_agreement,
    state_key,
)
from playground.training import TrainingSession


@pytest.fixture(scope="module")
def trained():
    """10-class digits, 64-32-16-10 ReLU: the network at initialization and after 600 updates."""
    session = TrainingSession(Settings(dataset="digits10", hidden_sizes=(32, 16), activation="relu",
                                       initializer="he", learning_rate=0.1, batch_size=32), max_history=50)
    initial = session.net.copy()
    session.train(600)
    assert session.latest.test_metric > 0.9
    return session, initial


def test_hidden_layer_features_cluster_by_digit_after_training(trained):
    session, initial = trained
    for method in ("pca", "tsne"):
        before = feature_map(initial, session.X_test, session.y_test, layer=2, method=method)
        after = feature_map(session.net, session.X_test, session.y_test, layer=2, method=method)
        assert before.points.shape == after.points.shape == (session.X_test.shape[1], 2)
        assert after.width == 16 and after.layer == 2
        assert after.agreement > before.agreement + 0.15, method
        assert after.agreement > 0.5  # chance is 10%
        text = agreement_sentence(before, after, session.step)
        assert f"{after.agreement:.0%}" in text and "cluster" in text


def test_pca_keeps_a_share_of_the_variance_and_tsne_does_not_say(trained):
    session, _ = trained
    pca = feature_map(session.net, session.X_test, session.y_test, 1, "pca")
    assert 0 < pca.explained <= 1
    assert np.isnan(embed(np.random.default_rng(0).normal(size=(40, 5)), "tsne")[1])


def test_neighbour_agreement_of_separated_and_mixed_clusters():
    points = np.array([[0, 0], [0, 0.1], [5, 5], [5, 5.1]], dtype=float)
    assert neighbour_agreement(points, np.array([0, 0, 1, 1])) == 1.0
    assert neighbour_agreement(points, np.array([0, 1, 0, 1])) == 0.0


def test_cache_keys_on_the_trained_state_and_is_bounded(trained):
    session, initial = trained
    cache = EmbeddingCache()
    X, y = session.X_test[:, :100], session.y_test[:100]
    first, cached = cache.get_or_compute(session.net, session.step, X, y, 1, "pca")
    assert not cached
    again, cached = cache.get_or_compute(session.net, session.step, X, y, 1, "pca")
    assert cached and again is first
    _, cached = cache.get_or_compute(initial, 0, X, y, 1, "pca")
    assert not cached and len(cache) == 2
    assert state_key(initial, 0) != state_key(session.net, 0)  # same step, other weights
    for layer_seed in range(CACHE_SIZE + 3):
        cache.get_or_compute(initial, 0, X, y, 1, "pca", seed=layer_seed)
    assert len(cache) == CACHE_SIZE


def test_a_network_without_hidden_layer_says_what_to_change():
    net = Network([64, 10], output_activation="softmax")
    with pytest.raises(ValueError, match="no hidden layer"):
        hidden_activations(net, np.zeros((64, 5)), 1)


def test_embedding_figure_has_one_trace_per_digit():
    points = np.random.default_rng(0).normal(size=(30, 2))
    labels = np.arange(30) % 10
    fig = embedding_figure(points, labels, "layer 1", n_classes=10)
    assert [t.name for t in fig.data] == [f"digit {k}" for k in range(10)]
    assert sum(len(t.x) for t in fig.data) == 30
    # SVG scatter: the live charts' cartesian Plotly bundle has no WebGL (scattergl) traces
    assert {t.type for t in fig.data} == {"scatter"}
    assert fig.layout.legend.font.size >= 14 and fig.layout.font.size >= 14
    big = embedding_figure(points, labels, "layer 1", n_classes=10, big=True)
    assert big.layout.legend.font.size >= 16 and big.layout.font.size >= 16


def test_the_page_draws_both_maps_as_live_charts():
    at = make_app("pages/digits.py", timeout=120, dataset="digits10", batch_size="32")
    at.button(key="digits.step_button").click().run()
    at.button(key="digits.features.draw").click().run()
    assert not at.exception
    assert not at.get("plotly_chart"), "st.plotly_chart would load Streamlit's own full Plotly"
    maps = live_figures(at)
    before, after = maps["digits.features.before"], maps["digits.features.after"]
    assert before["layout"]["title"]["text"] == "Before training: layer 1, PCA"
    assert after["layout"]["title"]["text"].startswith("After 1 update: layer 1")
    for fig in (before, after):
        assert [t["name"] for t in fig["data"]] == [f"digit {k}" for k in range(10)]
        assert {t["type"] for t in fig["data"]} == {"scatter"}
    assert any("keep" in c.value and "variance" in c.value for c in at.caption)
