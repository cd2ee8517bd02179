"""Perceptron & logic gates: truth tables, the learning rule, and why XOR needs a hidden layer."""

import streamlit as st

from playground.teaching import perceptron as pc
from playground.ui.routing import ensure_app_router
from playground.ui.views import perceptron as ui

ensure_app_router()
st.title("Perceptron & logic gates")
st.write(
    "One neuron with a step function — Rosenblatt's perceptron, h(x) = step(w0 + w1·x1 + w2·x2) — "
    "can compute AND, OR, NAND, NOR and NOT, but not XOR; see why, and how a hidden layer fixes it."
)
ui.init_state()
ui.show_url_problems()

st.header("1. Pick a gate")
g = ui.gate_picker()

st.header("2. Set the weights by hand")
controls, chart = st.columns([1, 1.15], gap="large")
with controls:
    ui.weight_controls(g)
    st.markdown(f"### These weights compute: **{ui.computed_name(g)}**")
    st.caption("Whatever the target is, this names the function that step(s) gives on the input rows.")
with chart:
    ui.gate_chart(g, key=ui.KEYS.key("chart_weights"))
    st.caption("Each corner is one input row, filled with its target colour (blue = 1, orange = 0) and ringed "
               "green if the output is right. The black line is s = 0; the arrow points to the side that outputs 1.")
ui.truth_table(g, ui.settings().weights)
st.caption("The live truth table: for each input row, the weighted sum s written out, the output "
           "step(s) = 1 if s > 0 else 0, the target, and whether they agree.")

st.header("3. The perceptron rule, step by step")
st.write(
    "Labels become y = +1 (target 1) or −1 (target 0). Rows are shown in order; whenever "
    "y·(w·x + b) ≤ 0 the example is a mistake and the rule sets **w ← w + y·x**, **b ← b + y** "
    "(the bias b is w0). A whole epoch without a mistake means a separating line was found."
)
ui.rule_buttons()
left, right = st.columns([1.15, 1], gap="large")
with left:
    run = ui.rule_status()
    if run is not None and run.steps:
        ui.recent_steps(run)
        st.caption("The last few examples presented: y·s ≤ 0 is a mistake and changes the weights.")
with right:
    ui.gate_chart(g, key=ui.KEYS.key("chart_rule"))
    st.caption("The same picture as above: watch the line move after each update.")
if run is not None and run.steps:
    ui.history_chart(run)
    st.caption("Left: the weights after each example (red triangles mark mistakes). "
               "Right: mistakes per epoch — a green bar at 0 means the rule has converged.")

st.header("4. Why XOR needs a hidden layer")
xor = g if not pc.is_linearly_separable(g) else pc.make_gate("XOR")
st.write(
    f"Each row of {'this table' if xor is g else 'XOR'} demands one inequality of (w0, w1, w2). "
    "For XOR: w0 ≤ 0, w0 + w2 > 0, w0 + w1 > 0 and w0 + w1 + w2 ≤ 0. Adding the middle two gives "
    "2·w0 + w1 + w2 > 0; together with the last, w0 > 0 — which contradicts the first. "
    "So whatever the weights, at least one row is wrong: no single line separates XOR's 1s from its 0s, "
    "and the rule goes round in a cycle for ever."
)
ui.inequality_table(xor)
st.caption("What each row needs, the weighted sum at your current weights, and whether it holds — "
           "try to make all four ✓.")
st.info(
    "**Why it mattered.** Rosenblatt's perceptron (1958) raised great hopes. In *Perceptrons* (1969) "
    "Minsky and Papert proved such single-layer units cannot compute functions like XOR or parity; "
    "interest and funding for neural networks fell away, part of the first \"AI winter\" of the 1970s. "
    "Networks with hidden layers could compute XOR, but a practical way to train them — "
    "backpropagation — only spread in the mid-1980s.",
    icon=":material/history_edu:",
)

st.header("5. The fix: a hidden layer")
st.write(
    "A small network trained by gradient descent (full batch, learning rate "
    f"{pc.FIX_LEARNING_RATE}, sigmoid output) on the same four rows"
    + ("." if g.n_inputs == 2 else " — of XOR, since NOT has only one input.")
    + " Its hidden units each draw a line; the output unit combines them."
)
ui.fix_controls()
st.caption("2-2-1 can get stuck on some seeds; 2-4-1 almost always solves XOR. A linear hidden layer "
           "collapses to one line, so it cannot.")
ui.fix_view(g)
ui.sync_url()
