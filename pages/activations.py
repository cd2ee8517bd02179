"""Activation explorer: every activation g next to its derivative g', and softmax on 3 logits.

CONCEPTS.md §2. The curves come from the engine's own registry (``ACTIVATIONS``: fn, grad,
saturated, note), so what is drawn is exactly what the networks use.
"""

import numpy as np
import streamlit as st

from playground.engine import ACTIVATIONS, softmax
from playground.engine.activations import SOFTMAX_LATEX
from playground.plots.activations import activation_figure, softmax_figure, spread_figure
from playground.teaching.activations import DEPTH, layer_inputs, spread_sentence
from playground.ui.exercises import exercises_help
from playground.ui.keys import ACTIVATIONS as KEYS
from playground.ui.live_chart import live_chart
from playground.ui.routing import ensure_app_router


@st.cache_data(max_entries=64, show_spinner=False)
def activation_chart(name: str, low: float, high: float) -> dict:
    """g and g' of one activation over [low, high] as a Plotly figure dict. Shared by every
    viewer (the same z range gives the same picture): opening the page or moving the range
    back rebuilds nothing."""
    z = np.linspace(low, high, 801)
    if low < 0 < high:
        z = np.union1d(z, [0.0])  # so jumps at 0 land exactly on a grid point
    activation = ACTIVATIONS[name]
    a = activation.fn(z)
    slope = activation.grad(z, a) if activation.grad else np.zeros_like(z)
    flat = activation.saturated(z, a) if activation.saturated else None
    g_jumps, dg_jumps = activation.jumps
    figure = activation_figure(z, a, slope, f"{name}: range {activation.output_range}", flat=flat,
                               flat_label=activation.flat_label,
                               g_breaks=[b for b in g_jumps if low < b < high],
                               dg_breaks=[b for b in dg_jumps if low < b < high])
    return figure.to_plotly_json()


ensure_app_router()

st.title("Activation explorer")
st.markdown(
    "A unit computes z = w·x + b and outputs a = g(z). Backpropagation multiplies the error by the "
    "slope g′(z) (dashed), so where the slope is flat (shaded) the unit stops learning."
)
exercises_help("activations")

low, high = st.slider("z range", -12.0, 12.0, (-6.0, 6.0), step=0.5, key=KEYS.key("z_range"),
                      help="Widen it to see sigmoid and tanh flatten out.")
if high - low < 1.0:
    st.warning("Pick a z range at least 1 wide; showing −6 to 6.")
    low, high = -6.0, 6.0
columns = st.columns(2, gap="medium")
for i, (name, activation) in enumerate(ACTIVATIONS.items()):
    with columns[i % 2].container(border=True):
        st.subheader(activation.title)
        st.latex(activation.latex)
        st.latex(activation.latex_grad)
        live_chart(activation_chart(name, low, high), key=KEYS.key("figure." + name))
        st.caption(ACTIVATIONS[name].note)

@st.fragment
def softmax_section() -> None:
    """Moving a logit reruns only this section, not the six charts above."""
    st.header("Softmax: three logits become probabilities")
    st.markdown(
        "A multi-class output layer turns its logits z into probabilities that are positive and sum to 1. "
        "Move a logit: raising one takes probability from the others."
    )
    defaults = (2.0, 1.0, 0.1)
    sliders = st.columns(3)
    logits = np.array([
        sliders[k].slider(f"logit z{k + 1}", -5.0, 5.0, defaults[k], step=0.1, key=KEYS.key(f"logit{k + 1}"))
        for k in range(3)
    ])
    probabilities = softmax(logits.reshape(3, 1)).ravel()
    exponentials = " + ".join(f"e^{{{v:.1f}}}" for v in logits)
    st.latex(SOFTMAX_LATEX + r",\qquad \hat y_1 = \frac{e^{" + f"{logits[0]:.1f}" + "}}{"
             + exponentials + "} = " + f"{probabilities[0]:.3f}")
    live_chart(softmax_figure(logits, probabilities, labels=("class 1", "class 2", "class 3")),
               key=KEYS.key("figure.softmax"))
    st.caption(
        f"The probabilities sum to {probabilities.sum():.3f}. Adding the same number to every logit changes "
        "nothing (only differences between logits matter); with two classes softmax is the sigmoid of "
        "z1 − z2. The engine subtracts the largest logit before exponentiating so e^z never overflows."
    )


softmax_section()

@st.cache_data(max_entries=64, show_spinner=False)
def spread(activation: str, initializer: str, layer: int, batch_norm: bool):
    """The same for every viewer: seeded, at initialization."""
    return layer_inputs(activation, initializer, layer, batch_norm)


st.header("Batch normalization keeps z where the slope is")
st.markdown(
    "In a deep network each layer's z comes from the layer below. With large weights it spreads far into the "
    "flat tails of sigmoid or tanh — saturated units pass back almost no gradient. Batch normalization "
    "re-centres and re-scales z before every activation. The notes' network (10 hidden layers of 16, circles), "
    "at initialization:"
)
c = st.columns(3)
bn_activation = c[0].selectbox("Activation", ("tanh", "sigmoid"), key=KEYS.key("bn.activation"))
bn_init = c[1].selectbox("Initializer", ("large", "xavier"), key=KEYS.key("bn.initializer"))
bn_layer = c[2].slider("Hidden layer", 1, DEPTH, 5, key=KEYS.key("bn.layer"))
plain, normed = (spread(bn_activation, bn_init, bn_layer, batch_norm) for batch_norm in (False, True))
curve = np.linspace(min(-6.0, np.percentile(plain.z, 1)), max(6.0, np.percentile(plain.z, 99)), 241)
live_chart(spread_figure(plain.z, normed.z, curve, ACTIVATIONS[bn_activation].fn(curve),
                         f"What layer {bn_layer}'s {bn_activation} receives"), key=KEYS.key("figure.bn"))
st.markdown(spread_sentence(bn_activation, bn_layer, plain, normed))

