"""Widgets and renderers for the "Inside a step" page (pages/inside_step.py).

Every session-state key starts with ``inside_step.``. The only key read from another page is
``PLAYGROUND.session``: the Playground's ``TrainingSession``, whose network can be inspected
here (on a copy, so nothing this page does changes the Playground's run).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from ...datasets import DATASETS
from ...engine import HIDDEN_ACTIVATIONS, Network, gradient_check, overall_relative_difference
from ...engine.gradcheck import FAIL_ABOVE, PASS_BELOW, LayerCheck, default_backward
from ...plots.inside_step import matrix_figure
from ...teaching.inside_step import (
    BATCH_SIZE,
    PLANTED_BUGS,
    Matrix,
    Row,
    Stage,
    mini_batch,
    parse_hidden_sizes,
    small_network,
)
from ..html_table import show_table
from ..keys import INSIDE_STEP, PLAYGROUND
from ..live_chart import live_chart
from ..settings_ui import activation_label

KEYS = INSIDE_STEP
SOURCES = {"build": "A small network built here", "playground": "The Playground's current network"}
LEARNING_RATES = (0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 3.0)
EPSILONS = tuple(10.0**-k for k in range(1, 11))
NO_BUG = "none"
MAX_CHECK_PARAMETERS = 5_000  # two forward passes per parameter; keep the check interactive
DEFAULTS = {
    "source": "build", "dataset": "xor_gate", "hidden": "3", "activation": "tanh", "weight_seed": 0,
    "data_seed": 0, "learning_rate": 0.5, "stage": 0, "epsilon": 1e-6, "bug": NO_BUG,
    "batch_norm": False, "residual": False, "dropout": 0.0,
}
DROPOUT_RATES = (0.0, 0.25, 0.5)
VERDICT_STYLE = {"pass": "background-color:#d3f9d8", "warn": "background-color:#fff3bf",
                 "fail": "background-color:#ffc9c9"}
VERDICT_TEXT = {"pass": "pass", "warn": "warn", "fail": "FAIL"}


@dataclass
class Setup:
    """The network and the mini-batch the page shows: X (n_x, m), Y (n_y, m)."""

    net: Network
    X: np.ndarray
    Y: np.ndarray
    learning_rate: float
    l2: float = 0.0
    description: str = ""
    notes: list[str] = field(default_factory=list)


def _init_state() -> None:
    for name, value in DEFAULTS.items():
        st.session_state.setdefault(KEYS.key(name), value)


def setup_controls() -> Setup | None:
    """Choose what to look at. Returns None (and says why) when there is nothing to show."""
    _init_state()
    source = st.radio("Network", list(SOURCES), format_func=SOURCES.get, key=KEYS.key("source"), horizontal=True)
    if source == "playground":
        return _playground_setup()
    with st.container(border=True):
        c = st.columns([2.2, 1.3, 1.3, 1, 1, 1.6])
        dataset = c[0].selectbox("Data (4 examples)", list(DATASETS), format_func=lambda k: DATASETS[k].label,
                                 key=KEYS.key("dataset"), help="Logic gates give their 4 truth-table rows.")
        hidden_text = c[1].text_input("Hidden layers", key=KEYS.key("hidden"), help="Widths 1–4, up to 3 layers: 3 or 4,2")
        activation = c[2].selectbox("Hidden activation", HIDDEN_ACTIVATIONS, format_func=activation_label,
                                    key=KEYS.key("activation"))
        weight_seed = c[3].number_input("Weight seed", 0, 9999, step=1, key=KEYS.key("weight_seed"))
        data_seed = c[4].number_input("Data seed", 0, 9999, step=1, key=KEYS.key("data_seed"),
                                      help="Which 4 examples are drawn (logic gates always give all 4).")
        learning_rate = c[5].select_slider("Learning rate α", LEARNING_RATES, key=KEYS.key("learning_rate"))
        f = st.columns([1.6, 1.8, 2.2, 2.4], vertical_alignment="center")
        batch_norm = f[0].toggle("Batch norm", key=KEYS.key("batch_norm"),
                                 help="Normalize every hidden layer's z over the 4 examples, then γ·z + β.")
        residual = f[1].toggle("Residual skips", key=KEYS.key("residual"),
                               help="A[l] = g(Z[l]) + A[l−2]: needs 3 hidden layers with equal widths two apart, e.g. 3,3,3.")
        dropout = f[2].segmented_control("Dropout rate", DROPOUT_RATES, key=KEYS.key("dropout"),
                                         format_func=lambda v: f"{v:g}") or 0.0
    try:
        hidden = parse_hidden_sizes(hidden_text)
    except ValueError as error:
        st.error(f"{error}. Showing one hidden layer of 3 units instead.")
        hidden = (3,)
    X, Y, output = mini_batch(dataset, BATCH_SIZE, int(data_seed))
    options = {"batch_norm": batch_norm, "residual": residual, "keep_prob": 1.0 - float(dropout)}
    try:
        net = small_network(X.shape[0], hidden, Y.shape[0], activation, output, seed=int(weight_seed), **options)
    except ValueError as error:  # residual skips with widths that do not match
        st.error(f"{error}.")
        net = small_network(X.shape[0], hidden, Y.shape[0], activation, output, seed=int(weight_seed),
                            **{**options, "residual": False})
    arch = "-".join(map(str, net.layer_sizes))
    extras = [name for name, on in (("batch norm", net.batch_norm), ("residual skips", net.residual),
                                    (f"dropout rate {net.dropout:g}", net.keep_prob < 1)) if on]
    return Setup(net, X, Y, float(learning_rate), 0.0,
                 f"A {arch} network ({activation} hidden, {output} output{', ' + ', '.join(extras) if extras else ''}) "
                 f"on 4 examples of {DATASETS[dataset].label}; biases start at small random values so their "
                 "broadcast shows.")


def _playground_setup() -> Setup | None:
    session = st.session_state.get(PLAYGROUND.session)
    if session is None:
        st.info("The Playground has no network yet. Open the **Playground** page, choose a dataset and an "
                "architecture, then come back here to look inside one of its training steps.")
        return None
    m = min(BATCH_SIZE, session.X_train.shape[1])
    net = session.net.copy()
    s = session.settings
    arch = "-".join(map(str, net.layer_sizes))
    notes = []
    if s.optimizer != "sgd":
        notes.append(f"The Playground trains with {s.optimizer}; this page shows the plain gradient-descent "
                     "update W := W − α dW with the same α.")
    return Setup(net, session.X_train[:, :m], session.Y_train[:, :m], float(session.learning_rate), float(s.l2),
                 f"The Playground's {arch} network ({net.hidden_activation} hidden, {net.output_activation} "
                 f"output) after {session.step} updates, on the first {m} training examples of "
                 f"{session.dataset_label}" + (f", with L2 λ = {s.l2:g}." if s.l2 else "."), notes)


def _move(delta: int, n: int) -> None:
    key = KEYS.key("stage")
    st.session_state[key] = min(max(_stage_index(st.session_state.get(key, 0), n) + delta, 0), n - 1)


def _stage_index(value, n: int) -> int:
    """The stored stage as an index in 0..n-1. When the stages change (another network: a
    different count, or new titles such as the batch-norm stages), the browser can send back the
    old label ("3 of 9 · Layer 1: …") instead of an index: keep its number where it still fits."""
    if isinstance(value, str):
        head = value.split(" of ", 1)[0].strip()
        value = int(head) - 1 if head.isdigit() else 0
    if not isinstance(value, int):
        return 0
    return value if 0 <= value < n else n - 1


def stage_navigator(titles: list[str]) -> int:
    """Back / stage selector / Next. Returns the index of the stage to show."""
    n, key = len(titles), KEYS.key("stage")
    st.session_state[key] = _stage_index(st.session_state.get(key, 0), n)
    index = st.session_state[key]
    back, select, forward = st.columns([1.4, 5, 1.4], vertical_alignment="bottom")
    back.button("◀ Back", key=KEYS.key("back"), on_click=_move, args=(-1, n), disabled=index == 0, width="stretch")
    select.selectbox("Stage", range(n), format_func=lambda i: f"{i + 1} of {n} · {titles[i]}", key=key)
    forward.button("Next ▶", key=KEYS.key("next"), on_click=_move, args=(1, n), disabled=index == n - 1,
                   width="stretch", type="primary")
    return st.session_state[key]


@st.fragment
def stage_walker(stages: list[Stage]) -> None:
    """Navigator and the current stage. A fragment, so Back/Next redraw only this part and not
    the gradient check below (which costs two forward passes per parameter)."""
    index = stage_navigator([stage.title for stage in stages])
    render_stage(stages[index])


PHASES = {"forward": "Forward propagation", "cost": "Cost", "backward": "Backward propagation", "update": "Update"}


def _operator(text: str) -> None:
    size = "2.2rem" if len(text.strip()) <= 1 else "1.2rem"
    st.markdown(f"<div style='font-size:{size}; font-weight:600; padding:0 0.45rem'>{text}</div>",
                unsafe_allow_html=True, width="content")


def equation_row(row: Row, key: str) -> None:
    """Matrices side by side with the operators between them, wrapping when the page is narrow."""
    leads = (row.lead, *row.operators)
    with st.container(horizontal=True, vertical_alignment="center", gap=None):
        for i, M in enumerate(row.matrices):
            # An operator and the matrix after it wrap together, so a broken line starts with "=".
            with st.container(horizontal=True, vertical_alignment="center", gap=None, width="content"):
                if leads[i]:
                    _operator(leads[i])
                live_chart(matrix_figure(M.name, M.values), key=f"{key}.{i}", width="content")
    if row.caption:
        st.caption(row.caption)


def render_stage(stage: Stage) -> None:
    """Formula, plain-words caption, then each row of matrices as an equation of heatmaps."""
    st.subheader(f"{PHASES[stage.phase]} — {stage.title}")
    st.latex(stage.formula)
    st.markdown(stage.caption)
    for r, row in enumerate(stage.rows):
        equation_row(row, key=KEYS.key(f"figure.{stage.key}.{r}"))
    st.caption("Blue cells are positive, orange negative, white near 0 (each matrix on its own scale). "
               "Hover a cell for more digits; large matrices show their top-left corner only.")
    # Drawn only while open: closed, its st.code would still load Streamlit's syntax highlighter
    # (1.56 MB) on opening the page.
    expander = st.expander("These numbers as NumPy arrays (full precision, to check your own code)",
                           key=KEYS.key("arrays.open"), on_change="rerun")
    if not expander.open:
        return
    with expander:
        seen: dict[str, np.ndarray] = {}
        for row in stage.rows:
            for M in row.matrices:
                seen.setdefault(M.name, M.values)
        with np.printoptions(precision=8, suppress=False, linewidth=100, threshold=200):
            st.code("\n\n".join(f"{name} =\n{np.array2string(v, separator=', ')}" for name, v in seen.items()),
                    language="python")


def _power(x: float) -> str:
    """10⁻⁶ as "1e-6"."""
    return f"1e-{round(-math.log10(x))}"


def check_table(checks: list[LayerCheck]) -> pd.DataFrame:
    """One row per parameter block: name, shape, relative difference and verdict."""
    return pd.DataFrame({
        "parameter": [f"{c.name[0]}[{c.layer}]" for c in checks],
        "shape": ["×".join(map(str, c.backprop.shape)) for c in checks],
        "relative difference": [c.relative_difference for c in checks],
        "verdict": [VERDICT_TEXT[c.verdict] for c in checks],
    })


def gradient_check_section(net: Network, X: np.ndarray, Y: np.ndarray, l2: float) -> None:
    """ε and planted-bug controls, the coloured table and a one-line verdict."""
    st.header("Gradient check")
    st.markdown(
        "Nudge every parameter θ by ±ε, recompute the cost and compare the slope "
        "(J(θ+ε) − J(θ−ε)) / 2ε with what backpropagation returned. The relative difference "
        f"‖g_num − g_bp‖ / (‖g_num‖ + ‖g_bp‖) should be below {_power(PASS_BELOW)} (pass); above "
        f"{_power(FAIL_ABOVE)} the backprop code is wrong (fail)."
    )
    st.latex(r"\frac{\partial J}{\partial \theta_i} \approx \frac{J(\theta + \varepsilon e_i) - "
             r"J(\theta - \varepsilon e_i)}{2\varepsilon}")
    left, right = st.columns(2)
    epsilon = left.select_slider("ε (log scale)", EPSILONS, key=KEYS.key("epsilon"), format_func=_power)
    bug_key = right.selectbox("Plant a bug in backprop", [NO_BUG, *PLANTED_BUGS], key=KEYS.key("bug"),
                              format_func=lambda k: "No bug: the engine's backprop" if k == NO_BUG
                              else PLANTED_BUGS[k].label)
    if net.parameter_count > MAX_CHECK_PARAMETERS:
        st.info(f"This network has {net.parameter_count:,} parameters; the check would need "
                f"{2 * net.parameter_count:,} extra forward passes. Try a network under "
                f"{MAX_CHECK_PARAMETERS:,} parameters.")
        return
    bug = PLANTED_BUGS.get(bug_key)
    if bug is not None:
        st.markdown(f"**Planted bug:** {bug.description}")
        if reason := bug.not_applicable(net):
            st.info(f"This bug cannot show on this network: {reason}.")
    checks = gradient_check(net.copy(), X, Y, epsilon, l2, backward=bug.backward if bug else default_backward)
    table = check_table(checks)
    show_table(table, [VERDICT_STYLE[v.lower()] for v in table["verdict"]],
               formats={"relative difference": "{:.2e}".format})
    worst = max((c.verdict for c in checks), key=["pass", "warn", "fail"].index)
    overall = overall_relative_difference(checks)
    message = f"All parameters together: relative difference {overall:.2e}."
    if worst == "fail":
        st.error(f"Backprop disagrees with the numerical gradient. {message} Look at the failing rows.")
    elif worst == "warn":
        st.warning(f"Close but not clean. {message} With ReLU a kink near θ, or ε too large or too small, "
                   "can cause this.")
    else:
        st.success(f"Backprop agrees with the numerical gradient. {message}")
    st.caption("Try ε = 1e-1 (the two-sided difference's own error shows) and 1e-10 (round-off takes over): "
               "the check is only trustworthy in between.")
    # Drawn only while open (like the exercises): closed, its two heatmaps cost the page's opening nothing.
    expander = st.expander("Compare the numbers for one block", key=KEYS.key("check.open"), on_change="rerun")
    if not expander.open:
        return
    with expander:
        names = [f"{c.name[0]}[{c.layer}]" for c in checks]
        if st.session_state.get(KEYS.key("block"), 0) >= len(checks):
            st.session_state[KEYS.key("block")] = 0
        pick = st.selectbox("Parameter block", range(len(checks)), format_func=lambda i: names[i], key=KEYS.key("block"))
        c = checks[pick]
        label = f"d{c.name[0]}[{c.layer}]"
        equation_row(Row((Matrix(f"numerical {label}", "", c.numerical), Matrix(f"backprop {label}", "", c.backprop)),
                         ("vs",)), key=KEYS.key("figure.check"))
