"""Inside a step's "Why vectorize" section: one layer's forward pass timed as Python loops and
as ``W @ A + b`` on the server, with the results checked equal (CONCEPTS.md §11).

The timing itself lives in playground/teaching/vectorization.py; this draws its controls and
results, and links to the stage above that shows b being broadcast.
"""

from __future__ import annotations

import streamlit as st

from ...engine import Network
from ...teaching.vectorization import (
    MAX_LOOP_OPS,
    format_seconds,
    layer_inputs,
    speed_sentence,
    time_dot_product,
    time_layer,
)
from ..keys import INSIDE_STEP

KEYS = INSIDE_STEP

EXAMPLE_COUNTS = (4, 100, 1_000, 10_000)
NOTES_RATIO = 300  # the notes: ~1.5 ms vectorized against ~500 ms looped for a 10⁶ dot product


def _show_stage(key: str, stage_keys: list[str]) -> None:
    if key in stage_keys:
        st.session_state[KEYS.key("stage")] = stage_keys.index(key)


def vectorization_section(net: Network, X, stage_keys: list[str]) -> None:
    """Controls, the two timings, the equality check and the notes' dot product."""
    st.header("Why vectorize: one layer, two ways")
    st.markdown(
        "The notes' advice — *whenever possible, avoid explicit for-loops* — measured on this server. "
        "The same layer of the network above computes Z for many examples twice: once with three nested Python "
        "loops over examples, units and inputs, once as one matrix product plus a broadcast."
    )
    st.latex(r"\text{loop: } Z_{ij} = b_i + \sum_k W_{ik} A_{kj} \quad \text{for every } i, j"
             r"\qquad\qquad \text{vectorized: } Z = W A + b")
    c = st.columns([1, 1.6, 1.2], vertical_alignment="bottom")
    layer = c[0].selectbox("Layer", range(1, net.L + 1), format_func=lambda l: f"layer {l}: "
                           f"{net.layer_sizes[l]}×{net.layer_sizes[l - 1]}", key=KEYS.key("vectorize.layer"))
    m = c[1].select_slider("Examples m", EXAMPLE_COUNTS, value=1_000, key=KEYS.key("vectorize.m"), format_func=lambda v: f"{v:,}",
                           help="The page's examples repeated to m columns.")
    c[2].button("Time both", icon=":material/timer:", key=KEYS.key("vectorize.run"), type="primary", width="stretch",
                on_click=st.session_state.__setitem__, args=(KEYS.key("vectorize.requested"), True))
    stage = f"forward-Z{layer}"
    st.button(f"Show how b[{layer}] is broadcast (stage above)", key=KEYS.key("vectorize.stage"), icon=":material/arrow_upward:",
              on_click=_show_stage, args=(stage, stage_keys), type="tertiary")
    if st.session_state.pop(KEYS.key("vectorize.requested"), False):
        A_prev = layer_inputs(net, X, layer, m)
        with st.spinner("Timing the loop and the matrix product…"):
            st.session_state[KEYS.key("vectorize.result")] = (time_layer(net.W[layer], A_prev, net.b[layer], layer), time_dot_product())
    result = st.session_state.get(KEYS.key("vectorize.result"))
    if result is None:
        st.caption("Press **Time both**: the loop runs for well under a second.")
        return
    timing, dot = result
    st.markdown(f"**{timing.what}** ({timing.operations:,} multiply-adds)")
    cols = st.columns(3)
    cols[0].metric("Python loops", format_seconds(timing.loop_seconds))
    cols[1].metric("W @ A + b", format_seconds(timing.vectorized_seconds))
    cols[2].metric("vectorized is faster by", f"{timing.ratio:,.0f}×")
    if timing.equal:
        detail = ("every entry is exactly equal" if timing.max_difference == 0 else
                  f"the largest difference between the two Z is {timing.max_difference:.1e} (rounding: the sums "
                  "are added in a different order)")
        st.success(f"Same result, checked entry by entry: {detail}.", icon=":material/check_circle:")
    else:
        st.error(f"The two results differ by up to {timing.max_difference:.3g}.")
    if timing.capped:
        st.caption(f"The loop ran on the first {timing.columns_used:,} of the {timing.columns_asked:,} examples "
                   f"(at most {MAX_LOOP_OPS:,} multiply-adds per click, so the shared server stays responsive); "
                   "both versions were timed on the same columns.")
    st.markdown(
        f"**The notes' experiment**, measured here: a dot product of two vectors of {dot.operations:,} numbers. "
        f"{speed_sentence(dot)} The notes quote about {NOTES_RATIO}× for 10⁶ numbers (≈1.5 ms against ≈500 ms); "
        "the ratio depends on the machine, and on the size: for tiny arrays NumPy's fixed cost per call "
        "dominates, so try m = 4 against m = 10,000."
    )
