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

present = layout.presentation(ui.PRESENT)  # a projector: settings collapsed, larger charts and text (present=1 in the link)
if present:
    st.set_page_config(initial_sidebar_state="collapsed")
    layout.presentation_style()
settings = ui.load_lab_settings()
link = teacher_ui.load_link(ui.PREFIX, ui.LAB_SETTINGS)  # a teacher's hide=/lock=/title=/question=
settings = ui.lab_sidebar(settings)  # in presentation mode too: collapsed, one click away
save_settings(ui.PREFIX, settings, ({"present": "1"} if present else {}) | link.to_query_params())
session = session_for(settings, ui.PREFIX)

if not teacher_ui.heading(link) and not present:
    st.title("Gradients lab")
    st.markdown(
        "Backpropagation multiplies the gradient by every layer's weights and activation slope on its way "
        "back to the input. Build a deep network, look at how much gradient each layer receives, and try "
        "what fixes vanishing and exploding gradients."
    )
if not link.active and not present:  # a teacher link shows only what its lesson needs
    exercises_help("gradients")
url_problem_notice(ui.PREFIX)
if not (link.hide | link.lock) & ui.PRESET_SETTINGS:  # presets would change what the teacher fixed
    ui.preset_buttons(settings, present)
st.markdown(ui.architecture_caption(session))

controls, switch = st.columns([5, 1], vertical_alignment="center")
with controls, st.container(key=layout.TRANSPORT):  # several buttons per row on a phone
    live.transport_controls(ui.PREFIX, ui.get_session, live=True)
with switch:
    layout.presentation_switch(ui.PRESENT)
live.live_area(ui.PREFIX, ui.get_session, lambda s, tick: ui.render_views(s, tick, big=present),
               view=ui.live_view(big=present))

if not (link.hide or link.lock):  # its "load the notes' network" would change what the teacher fixed
    st.divider()
    fixes_section(settings, big=present)
st.divider()
ui.compare_section(settings, big=present)
if not present:
    teacher_ui.share_panel(ui.PREFIX, settings.to_query_params(), ui.LAB_SETTINGS, url_path="gradients")
