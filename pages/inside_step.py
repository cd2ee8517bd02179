"""Inside a step: one training step of a small network, stage by stage, with real numbers.

Forward, cost, backward and update in the lecture notation (CONCEPTS.md §3), computed by the
engine itself, then a gradient check with bugs you can plant (§4). Helpers live in
playground/ui/views/inside_step.py; the stages in playground/teaching/inside_step.py.
"""

import streamlit as st

from playground.teaching.inside_step import trace_step
from playground.ui.exercises import exercises_help
from playground.ui.routing import ensure_app_router
from playground.ui.views import inside_step as ui
from playground.ui.views.inside_step_vectorization import vectorization_section

ensure_app_router()

st.title("Inside a training step")
st.markdown(
    "Follow one step of gradient descent through a small network, matrix by matrix: the same "
    "numbers the engine computes, in the notation of the lecture notes. Use them to check your own "
    "hand-written backprop."
)
exercises_help("inside_step")

setup = ui.setup_controls()
if setup is not None:
    st.caption(setup.description)
    for note in setup.notes:
        st.info(note)
    trace = trace_step(setup.net, setup.X, setup.Y, setup.learning_rate, setup.l2)

    st.header("One step, stage by stage")
    ui.stage_walker(trace.stages)

    st.divider()
    ui.gradient_check_section(setup.net, setup.X, setup.Y, setup.l2)

    st.divider()
    vectorization_section(setup.net, setup.X, [stage.key for stage in trace.stages])
