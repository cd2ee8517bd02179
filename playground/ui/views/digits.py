"""The handwritten-digits page's pieces: its settings sidebar, its session and its live views.

The page reuses the Playground's machinery: the same ``Settings`` (with dataset "digits01" or
"digits10"), the same ``TrainingSession`` and the same transport controls and live fragment
(``live.py``). Session-state keys start with "digits.".

Presentation mode (``present=1`` in the link, the page's "Presentation" switch) works as the
Gradients lab's: ``layout.presentation_style``, the settings collapsed, no captions, and
``big=True`` for every figure (chart text ≥ 16 px) with taller charts.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from ...datasets import DATASETS
from ...engine.activations import HIDDEN_ACTIVATIONS
from ...engine.initializers import INITIALIZERS
from ...plots.curves import cost_figure, gradient_figure
from ...plots.digits import confusion_figure, confusion_matrix, sample_images_figure, unit_weights_figure
from ...plots.style import compact_number
from ...settings import FIELDS, MAX_SEED, Settings
from ...training import TrainingSession
from .. import layout, live
from ..keys import DIGITS
from ..live_chart import live_chart
from ..sessions import session_for
from ..settings_ui import (
    INIT_LABELS,
    activation_label,
    early,
    fix_widgets,
    hidden_layers_field,
    load_settings,
    next_weight_seed,
    page_limits,
    seed_widget,
    training_widgets,
)
from ..stream.charts import cost_chart, figure_chart, gradient_chart
from ..stream.scheduler import LiveView

KEYS = DIGITS
PREFIX = KEYS.prefix
TASKS = {"digits01": "0 vs 1", "digits10": "all 10 digits"}
DEFAULTS = Settings(dataset="digits01", hidden_sizes=(32,), activation="tanh", initializer="xavier",
                    optimizer="sgd", learning_rate=0.1, batch_size=0, test_ratio=0.3)
MAX_LAYERS, MAX_WIDTH = 4, 128
LIMITS = {
    **page_limits(max_layers=MAX_LAYERS, max_width=MAX_WIDTH),
    "dataset": replace(FIELDS["dataset"], choices=tuple(TASKS)),
    "features": replace(FIELDS["features"], choices=()),  # extra x1², sin … mean nothing for pixels
    "initializer": replace(FIELDS["initializer"], choices=tuple(INITIALIZERS)),
    "test_ratio": replace(FIELDS["test_ratio"], low=0.1),
}
SAMPLE_SIZE = 24  # test images in the grid
PRESENT = KEYS.key("present")
# The views' heights: normal, and presentation mode (``big``). In presentation mode at 1280×720
# the cost and gradient charts stacked beside the confusion matrix fill the screen under the
# counter, and the two image grids fill it again one scroll further down.
HEIGHTS = {"cost": (270, 280), "gradients": (270, 280), "confusion": (560, 576), "grid": (440, 600)}
IMAGES_EVERY = 2  # rebuild the two image grids every n-th tick while playing
SAMPLE_MODES = {"sample": "a fixed sample", "mistakes": "mistakes first"}


def load() -> Settings:
    """The page's settings: from session state, or (first visit) from the link. An address bar
    that still holds another page's settings (a non-digits dataset) is not a digits link: it
    is left alone, without a warning, and the defaults are used."""
    dataset = st.query_params.get("dataset")
    if KEYS.settings not in st.session_state and dataset in DATASETS and dataset not in TASKS:
        st.session_state[KEYS.settings] = DEFAULTS
        st.session_state[KEYS.url_problems] = []
    return load_settings(PREFIX, LIMITS, DEFAULTS)


def get_session() -> TrainingSession:
    return st.session_state[KEYS.session]


def session(settings: Settings) -> TrainingSession:
    """The page's session, rebuilt when the data or the network changed."""
    return session_for(settings, PREFIX)


def new_weights() -> None:
    """Next weight seed (and a new run)."""
    next_weight_seed(PREFIX)


def settings_sidebar(settings: Settings) -> Settings:
    """Data / network / training widgets in the sidebar; returns the new settings."""
    sb = st.sidebar
    sb.header("Data")
    dataset = sb.radio("Digits to tell apart", list(TASKS), format_func=TASKS.get, horizontal=True,
                       key=seed_widget(KEYS.widget("dataset"), settings.dataset), **early(PREFIX, "dataset"),
                       help="0 vs 1: 360 images, one sigmoid output. All 10: 1,797 images, a softmax of 10.")
    test_ratio = sb.slider("Test share", 0.1, 0.9, step=0.05, key=seed_widget(KEYS.widget("test_ratio"), settings.test_ratio),
                           **early(PREFIX, "test_ratio"),
                           help="Share of the images held out: the confusion matrix and image grid use them.")
    data_seed = sb.number_input("Split seed", 0, MAX_SEED, step=1, key=seed_widget(KEYS.widget("data_seed"), settings.data_seed),
                                **early(PREFIX, "data_seed"))

    sb.header("Network")
    hidden_sizes = hidden_layers_field(
        seed_widget(KEYS.widget("hidden"), ",".join(str(n) for n in settings.hidden_sizes)), settings.hidden_sizes,
        LIMITS["hidden_sizes"], example="32 or 64,16",
        help=f"64 pixels → these widths → the output. Comma-separated, up to {MAX_LAYERS} layers of "
             f"1–{MAX_WIDTH} units; empty = no hidden layer (logistic / softmax regression).")
    activation = sb.selectbox("Hidden activation", HIDDEN_ACTIVATIONS, format_func=activation_label,
                              key=seed_widget(KEYS.widget("activation"), settings.activation), **early(PREFIX, "activation"))
    initializer = sb.selectbox("Initializer", list(INITIALIZERS), format_func=INIT_LABELS.get,
                               key=seed_widget(KEYS.widget("initializer"), settings.initializer), **early(PREFIX, "initializer"))
    weight_seed = sb.number_input("Weight seed", 0, MAX_SEED, step=1,
                                  key=seed_widget(KEYS.widget("weight_seed"), settings.weight_seed),
                                  **early(PREFIX, "weight_seed"))
    fixes = fix_widgets(PREFIX, settings, hidden_sizes)  # batch norm; residual skips (e.g. 32,32,32)

    training = training_widgets(PREFIX, settings, batch_help="Images per update. Mini-batches (e.g. 32) "
                                "learn all 10 digits much faster.")
    try:
        return settings.replace(
            dataset=dataset, test_ratio=float(test_ratio), data_seed=int(data_seed), features=(),
            hidden_sizes=hidden_sizes, activation=activation, initializer=initializer, weight_seed=int(weight_seed),
            **fixes, **training,
        )
    except ValueError as error:  # fine alone, not together (batch norm with one image per batch)
        sb.error(f"Settings not changed: {error}.")
        return settings


def architecture_caption(session: TrainingSession) -> str:
    """Layer sizes and the parameter count: weights + biases (+ γ and β with batch norm)."""
    n = session.layer_sizes
    weights = sum(n[l] * n[l - 1] for l in range(1, len(n)))
    biases = sum(n[1:])
    scales = 2 * sum(n[1:-1]) if session.net.batch_norm else 0  # one γ and one β per hidden unit
    info = DATASETS[session.settings.dataset]
    parts = f"{weights:,} weights + {biases} bias{'es' if biases > 1 else ''}"
    if scales:
        parts += f" + {scales} γ, β (batch norm)"
    if session.net.residual:
        parts += ", residual connections (no parameters)"
    return (f"**Network {' → '.join(str(k) for k in n)}** ({session.output_activation} output) · "
            f"**{weights + biases + scales:,} parameters** = {parts} · "
            f"{info.label}: {session.m_train:,} training and {len(session.y_test):,} test images")


def sample_mode() -> str:
    """Which test images the grid shows (the "Test images" control's value, also before it is drawn)."""
    return st.session_state.get(KEYS.key("sample_mode")) or "sample"


def options_row(session: TrainingSession) -> None:
    """The "Test images" choice and what the network is (layer sizes, parameters, data)."""
    options = st.columns([1.2, 2.8], vertical_alignment="center")
    options[0].segmented_control("Test images", list(SAMPLE_MODES), format_func=SAMPLE_MODES.get, default="sample",
                                 key=KEYS.key("sample_mode"))
    options[1].markdown(architecture_caption(session))


def predictions(session: TrainingSession) -> tuple[np.ndarray, np.ndarray]:
    """Predicted class and its probability for every test image: (m_test,), (m_test,)."""
    AL = session.net.predict_proba(session.X_test)
    predicted = session.net.labels_from_output(AL)
    if AL.shape[0] == 1:  # sigmoid: P(1); the confidence of answering 0 is 1 - P(1)
        return predicted, np.where(predicted == 1, AL[0], 1.0 - AL[0])
    return predicted, AL.max(axis=0)


def sample_indices(session: TrainingSession, predicted: np.ndarray, confidence: np.ndarray, mode: str) -> np.ndarray:
    """Which test images the grid shows: the first ones (a fixed sample: the split is shuffled), or
    the current mistakes first, most confident first, then the fixed sample."""
    first = np.arange(min(SAMPLE_SIZE, len(predicted)))
    if mode != "mistakes":
        return first
    wrong = np.flatnonzero(predicted != session.y_test)
    wrong = wrong[np.argsort(-confidence[wrong], kind="stable")][:SAMPLE_SIZE]
    rest = [i for i in range(len(predicted)) if i not in set(wrong)][: SAMPLE_SIZE - len(wrong)]
    return np.concatenate([wrong, np.array(rest, dtype=int)]).astype(int)


def header(session: TrainingSession) -> dict:
    """Counter and metrics above the views (also what the live socket sends)."""
    latest = session.latest
    return {"title": f"Epoch {session.epoch:,} · update {session.step:,}", "metrics": [
        ["train cost", compact_number(latest.train_cost)],
        ["test cost", compact_number(latest.test_cost)],
        ["test accuracy", f"{latest.test_metric:.1%}"],
        ["learning rate", f"{session.learning_rate:.3g}"]]}


def _height(view: str, big: bool) -> int:
    return HEIGHTS[view][big]


def _cost_figure(session: TrainingSession, big: bool):
    h = session.history
    return cost_figure(h.column("step"), h.column("train_cost"), h.column("test_cost"), h.column("train_metric"),
                       h.column("test_metric"), "accuracy", height=_height("cost", big), big=big)


def _gradient_figure(session: TrainingSession, big: bool):
    stats, h = session.latest_stats, session.history
    return gradient_figure(stats.grad_norm_W, h.column("step"), h.layer_matrix("grad_norms"), stats.saturated_fraction,
                           stats.dead_fraction, height=_height("gradients", big), big=big)


def _confusion_figure(session: TrainingSession, big: bool, predicted: np.ndarray | None = None):
    predicted = predictions(session)[0] if predicted is None else predicted
    return confusion_figure(confusion_matrix(session.y_test, predicted, session.n_classes),
                            height=_height("confusion", big), big=big)


def _images_figure(session: TrainingSession, sample_mode: str, big: bool = False):
    predicted, confidence = predictions(session)
    shown = sample_indices(session, predicted, confidence, sample_mode)
    return sample_images_figure(session.points_test[shown], session.y_test[shown], predicted[shown], confidence[shown],
                                columns=6, height=_height("grid", big), datarevision=session.step, big=big)


def _units_figure(session: TrainingSession, big: bool = False):
    W1 = session.net.W[1]
    if session.net.L == 1:  # no hidden layer: the first layer is the output layer
        labels = [f"digit {k}" for k in range(W1.shape[0])] if W1.shape[0] > 1 else ["P(digit 1)"]
        title = "Each output unit's 64 weights, as 8×8"
    else:
        labels, title = None, "Each hidden unit's 64 weights, as 8×8"
    return unit_weights_figure(W1, height=_height("grid", big), title=title, labels=labels, datarevision=session.step,
                               big=big)


def live_view(sample_mode: str = "sample", big: bool = False):
    """What the live socket streams for this page: new cost points and gradients often; the
    confusion matrix, test images and first-layer weights (whole figures) a few times a second.
    ``big``: presentation mode."""
    def view(session: TrainingSession) -> LiveView:
        return LiveView(header=header, charts=(
            cost_chart(KEYS.key("cost")), gradient_chart(KEYS.key("gradients")),
            figure_chart(KEYS.key("confusion"), lambda s: _confusion_figure(s, big), interval=0.4),
            figure_chart(KEYS.key("images"), lambda s: _images_figure(s, sample_mode, big), interval=1.0),
            figure_chart(KEYS.key("units"), lambda s: _units_figure(s, big), interval=1.0),
        ), step_updates=lambda s: live.step_updates(PREFIX, s))
    return view


def render_views(session: TrainingSession, tick: int, sample_mode: str = "sample", big: bool = False) -> None:
    """Counter and metrics; cost, gradients, confusion matrix, test images, first-layer weights.

    ``big`` (presentation mode): chart text ≥ 16 px, taller charts, and no captions (the
    teacher explains)."""
    with st.container(key=layout.METRICS):
        live.counter_row(PREFIX, header(session))
    live.divergence_notice(session)

    def caption(text: str) -> None:
        if not big:
            st.caption(text)

    predicted, _ = predictions(session)
    left, right = st.columns(2)
    with left:
        live_chart(_cost_figure(session, big), key=KEYS.key("cost"), revision=session.step)
        caption("Cost (solid) should fall and accuracy (dotted) rise; a test curve that turns up while "
                "the training curve keeps falling means overfitting.")
        live_chart(_gradient_figure(session, big), key=KEYS.key("gradients"), revision=session.step)
        caption("How big each layer's gradient is (log scale): bars far lower on the input side mean "
                "those layers barely learn.")
    with right:
        live_chart(_confusion_figure(session, big, predicted), key=KEYS.key("confusion"), revision=session.step)
        caption("Each row is a true digit, each column the network's answer: green on the diagonal = "
                "right, red elsewhere = which digits it mixes up.")

    left, right = st.columns(2)
    # The image grids change slowly and are the largest figures: rebuild them every
    # IMAGES_EVERY-th tick while playing (an unchanged ``datarevision`` lets Plotly skip them),
    # and whenever presentation mode was switched.
    fresh = tick % IMAGES_EVERY == 0 or st.session_state.get(KEYS.key("images_big")) != big
    st.session_state[KEYS.key("images_big")] = big
    with left:
        if fresh or KEYS.key("images_fig") not in st.session_state:
            st.session_state[KEYS.key("images_fig")] = _images_figure(session, sample_mode, big)
        live_chart(st.session_state[KEYS.key("images_fig")], key=KEYS.key("images"), revision=session.step)
        caption("Bold: the network's answer and how sure it is; below: the true digit. Red frames are "
                "mistakes.")
    with right:
        if fresh or KEYS.key("units_fig") not in st.session_state:
            st.session_state[KEYS.key("units_fig")] = _units_figure(session, big)
        live_chart(st.session_state[KEYS.key("units_fig")], key=KEYS.key("units"), revision=session.step)
        caption("Each tile is one first-layer unit's weights on the 64 pixels: ink on blue pixels "
                "raises it, ink on orange lowers it. Patterns appear as it learns.")
