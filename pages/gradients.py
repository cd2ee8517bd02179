"""Gradients lab: watch gradients vanish or explode in a deep network, and what fixes them.

CONCEPTS.md §5–6. Widgets, presets, views and comparisons live in playground/ui/views/gradients.py;
the diagnosis and the comparison runner in playground/teaching/gradients/.
"""

import streamlit as st

from playground.ui import layout, live, teacher_ui
from playground.ui.exercises import exercises_help
from playground.ui.routing import ensure_app_router
from playground.ui.sessions import session_for
from playground.ui.settings_ui import save_settings, url_problem_notice
from playground.ui.views import gradients as ui
from playground.ui.views.gradients_fixes import fixes_section

ensure_app_router()

settings = ui.load_lab_settings()
link = teacher_ui.load_link(ui.PREFIX, ui.LAB_SETTINGS)  # a teacher's hide=/lock=/title=/question=
settings = ui.lab_sidebar(settings)
save_settings(ui.PREFIX, settings, link.to_query_params())
session = session_for(settings, ui.PREFIX)

if not teacher_ui.heading(link):
    st.title("Gradients lab")
    st.markdown(
        "Backpropagation multiplies the gradient by every layer's weights and activation slope on its way "
        "back to the input. Build a deep network, look at how much gradient each layer receives, and try "
        "what fixes vanishing and exploding gradients."
    )
if not link.active:  # a teacher link shows only what its lesson needs
    exercises_help("gradients")
url_problem_notice(ui.PREFIX)
if not (link.hide | link.lock) & ui.PRESET_SETTINGS:  # presets would change what the teacher fixed
    ui.preset_buttons(settings)
st.markdown(ui.architecture_caption(session))

with st.container(key=layout.TRANSPORT):  # several buttons per row on a phone
    live.transport_controls(ui.PREFIX, ui.get_session, live=True)
live.live_area(ui.PREFIX, ui.get_session, ui.render_views, view=ui.live_view)

if not (link.hide or link.lock):  # its "load the notes' network" would change what the teacher fixed
    st.divider()
    fixes_section(settings)
st.divider()
ui.compare_section(settings)
teacher_ui.share_panel(ui.PREFIX, settings.to_query_params(), ui.LAB_SETTINGS, url_path="gradients")
