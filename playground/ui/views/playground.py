"""The Playground page's pieces: its training session, its live views and its downloads."""

from __future__ import annotations

import io

import numpy as np
import streamlit as st

from ...datasets import to_csv
from ...plots.boundary import boundary_points_figure, boundary_surface, boundary_surface_figure
from ...plots.curves import cost_figure, gradient_figure
from ...plots.network import network_figure
from ...teaching.playground import NEAR_ZERO, near_zero_weights
from ...training import TrainingSession, write_model
from .. import live
from ..keys import PLAYGROUND, Keys
from ..live_chart import live_chart

KEYS = PLAYGROUND

DIAGRAM_EVERY = 4  # while playing, the network diagram is redrawn every 4th frame,
# cost and gradient charts every 2nd (alternating): the boundary and counter every frame.
THUMBNAILS_UP_TO = 12  # neuron thumbnails when no layer is wider than this


def architecture_caption(session: TrainingSession) -> str:
    """Parameter count as edges + biases, and every W[l] shape."""
    n = session.layer_sizes
    edges = sum(n[l] * n[l - 1] for l in range(1, len(n)))
    biases = sum(n[1:])
    shapes = ", ".join(f"W[{l}]: {n[l]}×{n[l - 1]}" for l in range(1, len(n)))
    arch = " → ".join(str(k) for k in n)
    return (f"**Network {arch}** ({session.net.output_activation} output) · **{edges + biases} parameters** "
            f"= {edges} weights (edges) + {biases} biases (one per neuron) · {shapes}")


def counter_text(session: TrainingSession) -> str:
    return f"Epoch {session.epoch:,} · update {session.step:,}"


def render_views(session: TrainingSession, tick: int, keys: Keys = KEYS, big: bool = False, show_test: bool = True,
                 discretize: bool = False) -> None:
    """Counter, decision boundary, cost curve, gradient magnitudes and network diagram; the
    charts' keys and cached figures are the page's ``keys``."""
    latest = session.latest
    metric_name = "R²" if session.task == "regression" else "accuracy"
    cols = st.columns([1.25, 1.15, 1.15, 1, 0.9])
    cols[0].markdown(f"### {counter_text(session)}")
    cols[1].metric("train cost", f"{latest['train_cost']:.6f}")
    cols[2].metric("test cost", f"{latest['test_cost']:.6f}")
    cols[3].metric(f"test {metric_name}", f"{latest['test_metric']:.1%}" if metric_name == "accuracy"
                   else f"{latest['test_metric']:.3f}")
    cols[4].metric("learning rate", f"{session.learning_rate:.3g}")
    live.divergence_notice(session)

    left, right = st.columns([1.2, 1])
    with left:
        xs, ys, values = session.decision_grid(100)
        height = 560 if big else 470
        value_range = float(np.abs(session.y_train).max()) if session.task == "regression" else None
        surface = boundary_surface_figure(xs, ys, values, session.task, discretize, value_range, height, big)
        live_chart(surface, key=keys.key("boundary"), revision=session.step, pace=True,
                   frames=st.session_state.get(keys.frames), animate=tick > 0,
                   overlay=_points(keys, session, xs, ys, show_test, value_range, height, big))
        st.caption("Shading: what the network predicts at each point of the plane; dots: the data "
                   "(white outline = training, black = test).")
    with right:
        h = session.history
        live_chart(_every(2, 0, tick, keys.key("cost_fig"), lambda: cost_figure(
            h.column("step"), h.column("train_cost"), h.column("test_cost"), h.column("train_metric"),
            h.column("test_metric"), metric_name, height=300 if big else 260, big=big)),
            key=keys.key("cost"), revision=session.step)
        st.caption("Cost should fall; if test cost rises while train cost falls, the net is overfitting.")
        stats = session.latest_stats
        live_chart(_every(2, 1, tick, keys.key("gradient_fig"), lambda: gradient_figure(
            stats.grad_norm_W, h.column("step"), h.layer_matrix("grad_norms"), stats.saturated_fraction,
            stats.dead_fraction, session.settings.activation, height=300 if big else 270, big=big)),
            key=keys.key("gradients"), revision=session.step)
        st.caption("How big each layer's weight update is (log scale). Bars far lower on the left "
                   "(input side) mean vanishing gradients: those layers barely learn.")

    live_chart(_every(DIAGRAM_EVERY, 2, tick, keys.key("diagram"), lambda: _diagram(session, big)),
               key=keys.key("network"), revision=session.step)
    st.caption("Each square shows what one neuron outputs over the input plane (blue high, orange low); "
               "lines are weights: blue positive, orange negative, thicker = larger. Hover for values.")


def boundary_snapshot(discretize: bool):
    """What the boundary chart needs of an intermediate state: its surface values."""
    def snapshot(session: TrainingSession) -> np.ndarray:
        return boundary_surface(session.decision_grid(100)[2], session.task, discretize)
    return snapshot


def _every(n: int, offset: int, tick: int, key: str, build):
    """A slow view's figure, rebuilt on every n-th tick while playing (ticks count from 1;
    ``offset`` spreads views over different ticks) and on every run while paused (tick 0)."""
    if tick == 0 or (tick + offset) % n == 0 or key not in st.session_state:
        st.session_state[key] = build()
    return st.session_state[key]


def _points(keys: Keys, session: TrainingSession, xs, ys, show_test: bool, value_range, height: int, big: bool):
    """The data points drawn over the surface; rebuilt only when the data or the view changed."""
    key = (show_test, height, big)
    cached = st.session_state.get(keys.key("points"))  # (session, key, figure): holding the session keeps `is` exact
    if cached is None or cached[0] is not session or cached[1] != key:
        fig = boundary_points_figure(
            xs, ys, session.points_train, session.y_train,
            session.points_test if show_test else None, session.y_test if show_test else None,
            session.task, value_range, height, big)
        st.session_state[keys.key("points")] = cached = (session, key, fig)
    return cached[2]


def _diagram(session: TrainingSession, big: bool):
    sizes = session.layer_sizes
    names = ["x1", "x2", *session.settings.features]
    grids = None
    if max(sizes[1:-1], default=0) <= THUMBNAILS_UP_TO:
        xs, ys, layers = session.unit_grids(24)
        _, _, inputs = session.plane_grid(24)
        grids = [inputs.reshape(inputs.shape[0], 24, 24), *layers]
    height = int(min(150 + 70 * max(sizes), 620 if big else 520))
    if not session.settings.l1:
        return network_figure(sizes, session.net.W, session.net.b, names, grids, height=height, big=big)
    # L1 switches weights off: draw them dotted grey and count them (CONCEPTS.md §10)
    off, total = near_zero_weights(session.net.W)
    return network_figure(sizes, session.net.W, session.net.b, names, grids, height=height, big=big,
                          near_zero=NEAR_ZERO, title=f"Network: {off} of {total} weights have |w| < {NEAR_ZERO:g} "
                          "(dotted grey)")


def weights_npz(session: TrainingSession) -> bytes:
    """The current weights as the command line's ``--save`` writes them (see write_model)."""
    buffer = io.BytesIO()
    write_model(buffer, session)
    return buffer.getvalue()


def downloads(session: TrainingSession) -> None:
    c1, c2 = st.columns(2)
    c1.download_button("Trained weights (.npz)", icon=":material/download:", data=lambda: weights_npz(session),
                       file_name=f"weights_step{session.step}.npz", mime="application/octet-stream",
                       on_click="ignore", width="stretch")
    if session.points_test is session.points_train:  # the 4-point gates: no separate test set
        X, y = session.points_train, session.y_train
    else:
        X = np.vstack([session.points_train, session.points_test])
        y = np.concatenate([session.y_train, session.y_test])
    c2.download_button("Dataset (.csv)", icon=":material/download:", data=lambda: to_csv(X, y), file_name=f"{session.custom.name if session.custom else session.settings.dataset}.csv",
                       mime="text/csv", on_click="ignore", width="stretch")
