"""The Playground page's pieces: its training session, its live views and its downloads."""

from __future__ import annotations

import io

import numpy as np
import streamlit as st

from ...datasets import to_csv
from ...files.csv_upload import download_name
from ...plots.boundary import boundary_points_figure, boundary_surface, boundary_surface_figure, legend_html
from ...plots.curves import cost_figure, gradient_figure
from ...plots.network import network_parts
from ...plots.style import compact_number
from ...teaching.playground import NEAR_ZERO, near_zero_weights
from ...training import TrainingSession, write_model
from .. import export_ui, layout, live, upload_ui
from ..keys import PLAYGROUND, Keys
from ..live_chart import figure_spec, live_chart
from ..stream.charts import cost_chart, gradient_chart, parts_chart
from ..stream.scheduler import LiveView

KEYS = PLAYGROUND

DIAGRAM_EVERY = 4  # while playing, the network diagram is redrawn every 4th frame,
# cost and gradient charts every 2nd (alternating): the boundary and counter every frame.
THUMBNAILS_UP_TO = 12  # full-resolution neuron thumbnails when no layer is wider than this


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


def header(session: TrainingSession) -> dict:
    """The counter, then train/test cost, the test metric and α (costs in scientific notation
    once they would not fit their card): drawn by ``scoreboard``, sent by the live socket."""
    latest = session.latest
    metric_name = "R²" if session.task == "regression" else "accuracy"
    return {"title": counter_text(session), "metrics": [
        ["train cost", compact_number(latest.train_cost)],
        ["test cost", compact_number(latest.test_cost)],
        [f"test {metric_name}", f"{latest.test_metric:.1%}" if metric_name == "accuracy"
         else compact_number(latest.test_metric, decimals=3)],
        ["learning rate", f"{session.learning_rate:.3g}"]]}


def scoreboard(session: TrainingSession, keys: Keys = KEYS) -> None:
    """The counter on one line, then the metrics as cards (``header``)."""
    with st.container(key=layout.SCOREBOARD):
        live.counter_row(keys.prefix, header(session))


def live_view(discretize: bool = False, keys: Keys = KEYS, big: bool = False):
    """What the live socket streams for this page: boundary snapshots, new cost points,
    gradient bars and lines, and the network diagram (built per rerun from this viewer's own
    settings)."""
    def view(session: TrainingSession) -> LiveView:
        grids = {R: session.plane_grid(R)[2] for R in (100, 50)}  # the plane's input, once per rerun

        def surface(s: TrainingSession, R: int = 100) -> np.ndarray:
            out = s.net.predict_proba(grids[R], dtype=np.float32)  # a picture: float32 is ~5× faster
            return boundary_surface(out.reshape(out.shape[0], R, R), s.task, discretize)

        # Half resolution for many viewers only where blending neighbours is right: P(class 1)
        # and regression values, not class bands (multi-class) or 0/1 (discretized).
        smooth = session.task in ("binary", "regression") and not discretize
        return LiveView(
            header=header, surface_key=keys.key("boundary"), surface=surface,
            coarse_surface=(lambda s: surface(s, 50)) if smooth else None,
            charts=(cost_chart(keys.key("cost")), gradient_chart(keys.key("gradients")),
                    parts_chart(keys.key("network"), lambda s: network_parts(**_diagram_arguments(s, big)),
                                interval=1 / 6)),  # every 2nd message: 6 a second
            step_updates=lambda s: live.step_updates(keys.prefix, s))
    return view


def render_views(session: TrainingSession, tick: int, keys: Keys = KEYS, big: bool = False, show_test: bool = True,
                 discretize: bool = False) -> None:
    """Counter, decision boundary, cost curve, gradient magnitudes and network diagram; the
    charts' keys and cached figures are the page's ``keys``.

    ``big`` (presentation mode): the boundary fills the left of a 1280×720 screen, the counter,
    cards, cost and gradients stand beside it, captions are left out; chart text ≥ 16 px."""
    metric_name = "R²" if session.task == "regression" else "accuracy"
    if not big:
        scoreboard(session, keys)
    live.divergence_notice(session)

    left, right = st.columns([1.3, 1] if big else [1.2, 1], gap="small" if big else "medium")
    with left:
        xs, ys, values = session.decision_grid(100)
        height = 615 if big else 470
        value_range = float(np.abs(session.y_train).max()) if session.task == "regression" else None
        surface = boundary_surface_figure(xs, ys, values, session.task, discretize, value_range, height, big)
        surface.layout.height = None  # the chart's box sets it (layout.css: fills a projector, square on a phone)
        with st.container(key=layout.BOUNDARY):
            live_chart(surface, key=keys.key("boundary"), revision=session.step, pace=True, first=True,
                       frames=st.session_state.get(keys.frames), animate=tick > 0,
                       overlay=_points(keys, session, xs, ys, show_test, value_range, height, big))
        st.html(legend_html(session.task, np.unique(session.y_train) if session.task != "regression" else (),
                            show_test, big))
        if not big:
            st.caption("Shading: what the network predicts at each point of the plane; dots: the data.")
    with right:
        if big:
            scoreboard(session, keys)
        h = session.history
        live_chart(_every(2, 0, tick, keys.key("cost_fig"), lambda: cost_figure(
            h.column("step"), h.column("train_cost"), h.column("test_cost"), h.column("train_metric"),
            h.column("test_metric"), metric_name, height=250 if big else 260, big=big)),
            key=keys.key("cost"), revision=session.step, after=keys.key("boundary"))
        if not big:
            st.caption("Cost should fall; if test cost rises while train cost falls, the net is overfitting.")
        stats = session.latest_stats
        live_chart(_every(2, 1, tick, keys.key("gradient_fig"), lambda: gradient_figure(
            stats.grad_norm_W, h.column("step"), h.layer_matrix("grad_norms"), stats.saturated_fraction,
            stats.dead_fraction, height=250 if big else 270, big=big)),
            key=keys.key("gradients"), revision=session.step, after=keys.key("boundary"))
        if not big:
            st.caption("How big each layer's weight update is (log scale). Bars far shorter for the first "
                       "layers (input side) mean vanishing gradients: those layers barely learn.")

    if not big:
        st.markdown(architecture_caption(session))
    live_chart(_every(DIAGRAM_EVERY, 2, tick, keys.key("diagram"), lambda: _diagram(session, big)),
               key=keys.key("network"), revision=session.step, after=keys.key("boundary"))
    if not big:
        st.caption("Each square shows what one neuron outputs over the input plane (blue high, orange low); "
                   "lines are weights: blue positive, orange negative, thicker and darker = larger. "
                   "Hover for values.")


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
        fig.layout.height = None  # as the surface's: the box decides
        st.session_state[keys.key("points")] = cached = (session, key, fig)
    return cached[2]


def _diagram_arguments(session: TrainingSession, big: bool) -> dict:
    """What ``network_figure``/``network_parts`` draw for this session."""
    sizes = session.layer_sizes
    names = ["x1", "x2", *session.settings.features]
    # Thumbnails for every layer; coarser ones when layers are wide (they are drawn small anyway).
    R = 24 if max(sizes[1:-1], default=0) <= THUMBNAILS_UP_TO else 12
    xs, ys, layers = session.unit_grids(R)
    _, _, inputs = session.plane_grid(R)
    grids = [inputs.reshape(inputs.shape[0], R, R), *layers]
    height = int(min(max(150 + 42 * max(sizes), 300), 640 if big else 560))
    arguments = dict(layer_sizes=sizes, W=session.net.W, b=session.net.b, input_names=names, unit_grids=grids,
                     height=height, big=big)
    if session.settings.l1:  # L1 switches weights off: draw them dotted grey and count them (CONCEPTS.md §10)
        off, total = near_zero_weights(session.net.W)
        arguments.update(near_zero=NEAR_ZERO, title=f"Network: {off} of {total} weights have |w| < {NEAR_ZERO:g} "
                         "(dotted grey)")
    return arguments


def _diagram(session: TrainingSession, big: bool) -> dict:
    """The network diagram as plain dicts: no Plotly validation (for 8 layers of 32, 25 ms
    instead of 70 ms, measured), the same JSON."""
    return figure_spec(*network_parts(**_diagram_arguments(session, big)))


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
    c2.download_button("Dataset (.csv)", icon=":material/download:", data=lambda: to_csv(X, y), file_name=download_name(session.custom.name) if session.custom else f"{session.settings.dataset}.csv",
                       mime="text/csv", on_click="ignore", width="stretch")


def download_panel(session: TrainingSession, keys: Keys = KEYS) -> None:
    """"Download and share": the weights, the data and the notebook. Drawn only while open, so
    the other clicks on the page do not send and lay out its buttons again."""
    panel = st.expander("Download and share", key=keys.key("downloads.open"), on_change="rerun")
    if not panel.open:
        return
    with panel:
        st.markdown("The address bar holds every setting: copy it to share this exact experiment "
                    "(same data, same initial weights, same training). Pause before downloading "
                    "to get the current weights.")
        upload_ui.share_note(keys.prefix)
        downloads(session)
        export_ui.notebook_button(session, keys.prefix, "Playground")
