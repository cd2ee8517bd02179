"""Figure builders keep their promises for a projector and a phone (issue 15)."""

from __future__ import annotations

import numpy as np

from playground.plots.boundary import boundary_surface_figure, legend_html, plane_title
from playground.plots.curves import cost_figure, gradient_figure
from playground.plots.digits import (
    confusion_figure,
    confusion_matrix,
    sample_images_figure,
    unit_weights_figure,
)
from playground.plots.network import MAX_EDGES, network_figure, strongest_edges
from playground.plots.style import compact_number


def test_metric_numbers_switch_to_scientific_notation_past_a_width():
    assert compact_number(0.694147) == "0.694147"
    assert compact_number(18067712.35) == "1.807e+07"
    assert compact_number(0.0000012) == "1.200e-06"
    assert all(len(compact_number(v)) <= 9 for v in (123.456789, 99999.5, -3.2, 1e30, 0.0))
    assert compact_number(float("nan")) == "NaN"


def test_accuracy_axis_ticks_at_round_percentages():
    steps = np.arange(5)
    fig = cost_figure(steps, steps * 0.1, steps * 0.1, np.linspace(0.26, 0.79, 5), np.linspace(0.26, 0.79, 5))
    assert list(fig.layout.yaxis2.tickvals) == [0.0, 0.25, 0.5, 0.75, 1.0]


def _gradients(L: int, big: bool = False):
    norms = np.logspace(-6, -1, L)
    return gradient_figure(norms, np.arange(3), np.tile(norms[:, None], 3), np.full(L, 0.4), np.full(L, np.nan),
                           height=270, big=big)


def test_gradient_chart_grows_with_depth_and_labels_every_layer():
    heights = [_gradients(L).layout.height for L in (2, 5, 8)]
    assert heights[0] <= heights[1] < heights[2]
    ticks = _gradients(8).layout.yaxis.ticktext
    assert len(ticks) == 8 and all("sat. 40%" in t for t in ticks)
    # every row at least as tall as its two-line label at projector size
    big = _gradients(8, big=True).layout
    assert (big.height - big.margin.t - big.margin.b) / 8 >= 2 * 20


def test_regression_shows_a_prediction_surface_not_a_boundary():
    assert plane_title("regression") == "Prediction surface"
    xs = np.linspace(-1, 1, 5)
    fig = boundary_surface_figure(xs, xs, np.zeros((1, 5, 5)), task="regression")
    assert fig.layout.title.text == "Prediction surface"


def test_boundary_legend_keeps_the_test_entries():
    legend = legend_html("multiclass", [0, 1, 2], show_test=True, big=True)
    for entry in ("class 0", "class 1", "class 2", "training", "test"):
        assert entry in legend
    assert "font-size:20px" in legend
    assert "test" not in legend_html("binary", [0, 1], show_test=False)


def _net(sizes, seed=0):
    rng = np.random.default_rng(seed)
    W = [None] + [rng.normal(size=(sizes[l], sizes[l - 1])) for l in range(1, len(sizes))]
    b = [None] + [np.zeros((n, 1)) for n in sizes[1:]]
    return W, b


def test_network_diagram_has_a_thumbnail_for_every_unit_of_a_wide_network_and_labels_inputs():
    sizes = (3, 32, 32, 1)
    W, b = _net(sizes)
    grids = [np.random.default_rng(1).uniform(-1, 1, (n, 8, 8)) for n in sizes[:-1]] + [np.full((1, 8, 8), 0.5)]
    fig = network_figure(sizes, W, b, ["x1", "x2", "x1^2"], grids)
    assert len(fig.layout.images) == sum(sizes)
    labels = [t for t in fig.data if t.mode == "text"][0].text
    assert list(labels) == ["x1", "x2", "x1²"]


def test_network_diagram_draws_only_the_strongest_weights_of_a_big_network():
    sizes = (2, 32, 32, 32, 1)
    W, _ = _net(sizes)
    masks = strongest_edges(W)
    assert sum(m.sum() for m in masks[1:]) <= MAX_EDGES + len(sizes)
    for Wl, mask in zip(W[1:], masks[1:]):  # what is kept is the largest |w| of its layer
        assert np.abs(Wl[mask]).min() >= np.abs(Wl[~mask]).max() if (~mask).any() else True
    fig = network_figure(sizes, W, _net(sizes)[1])
    assert "strongest" in fig.layout.title.text


def test_small_weights_are_fainter_than_large_ones():
    W, b = _net((2, 4, 1))
    W[1][:] = np.array([[0.01, 1.0], [0.02, 2.0], [0.01, 1.5], [0.03, 1.0]])
    fig = network_figure((2, 4, 1), W, b)
    edges = [t for t in fig.data if t.mode == "lines"]
    faint = min(edges, key=lambda t: t.line.width)
    strong = max(edges, key=lambda t: t.line.width)
    assert faint.opacity < strong.opacity


def test_a_title_given_by_the_page_is_kept():
    W, b = _net((2, 4, 1))
    assert network_figure((2, 4, 1), W, b, title="Network: 3 of 12 weights have |w| < 0.01").layout.title.text \
        == "Network: 3 of 12 weights have |w| < 0.01"


def _smallest_text(fig) -> float:
    """The smallest font size a figure's layout sets (global, title, legend, trace text)."""
    sizes = [fig.layout.font.size, fig.layout.title.font.size, fig.layout.legend.font.size]
    sizes += [t.textfont.size for t in fig.data if getattr(t, "textfont", None) is not None]
    return min(s for s in sizes if s is not None)


def test_gradients_lab_figures_keep_projector_text_in_presentation_mode():
    from playground.plots.gradients import (
        activation_figure,
        compare_cost_figure,
        compare_profile_figure,
        gradient_heatmap_figure,
        gradient_profile_figure,
        unit_outputs_figure,
    )
    rng = np.random.default_rng(0)
    norms = np.logspace(-7, -1, 11)
    A = [rng.uniform(0, 1, (16, 50)) for _ in range(10)]
    steps = np.arange(4)
    figures = [
        gradient_profile_figure(norms, norms, big=True),
        gradient_heatmap_figure(steps, np.tile(norms[:, None], 4), big=True),
        activation_figure(A, np.full(10, 0.2), np.full(10, np.nan), (0.0, 1.0), big=True),
        unit_outputs_figure(A[0], 1, big=True),
        compare_cost_figure(["1. a", "2. b"], [steps, steps], [steps * 0.1, steps * 0.2], [False, True], big=True),
        compare_profile_figure(["1. a", "2. b"], [norms, norms * 10], big=True),
    ]
    for fig in figures:
        assert _smallest_text(fig) >= 16, fig.layout.title.text
    assert _smallest_text(gradient_profile_figure(norms, norms)) < 16  # normal size stays as it was


def _digit_text_sizes(fig) -> list[float]:
    """Every text size a Digits figure draws: axes, title, cell counts, tile labels, colour bar."""
    layout = fig.layout
    sizes = [layout.font.size, layout.title.font.size, *(a.font.size for a in layout.annotations)]
    for trace in fig.data:
        if trace.type == "heatmap" and trace.texttemplate:
            sizes.append(trace.textfont.size)
        if trace.type == "heatmap" and trace.showscale is not False and trace.colorbar.tickfont.size:
            sizes.append(trace.colorbar.tickfont.size)
        if trace.type == "scatter" and trace.mode == "text":  # the labels over the tiles
            sizes.append(trace.textfont.size)
    return sizes


def test_digits_figures_are_readable_and_bigger_for_a_projector():
    rng = np.random.default_rng(0)
    for big, smallest in ((False, 14), (True, 16)):
        figures = [
            confusion_figure(confusion_matrix(rng.integers(0, 10, 200), rng.integers(0, 10, 200), 10), big=big),
            sample_images_figure(rng.random((24, 64)), np.arange(24) % 10, (np.arange(24) + 1) % 10,
                                 np.full(24, 0.5), columns=6, big=big),
            unit_weights_figure(rng.standard_normal((32, 64)), big=big),
        ]
        for fig in figures:
            assert min(_digit_text_sizes(fig)) >= smallest, (fig.layout.title.text, big)
    assert len(confusion_figure(np.eye(10, dtype=int) * 5, big=True).layout.title.text) <= 32  # fits a phone at 23 px
