"""Handwritten digits: the same NumPy network and training, on real 8×8 images."""

import streamlit as st

from playground.ui import export_ui, layout, live
from playground.ui.exercises import exercises_help
from playground.ui.routing import ensure_app_router
from playground.ui.settings_ui import save_settings, url_problem_notice
from playground.ui.views import digits as ui
from playground.ui.views.digits_features import features_section

ensure_app_router()

present = layout.presentation(ui.PRESENT)  # a projector: settings collapsed, larger charts and text (present=1 in the link)
if present:
    st.set_page_config(initial_sidebar_state="collapsed")
    layout.presentation_style()
else:
    st.title("Handwritten digits")
    st.markdown("Does this work on real data? Train the same kind of network on scikit-learn's 1,797 handwritten "
                "digits — 8×8 pixel images, so 64 inputs — to tell 0 from 1 or all ten digits apart, and watch "
                "which digits it confuses and what its hidden units learn to look for.")
    exercises_help("digits")

settings = ui.load()
url_problem_notice(ui.PREFIX)
settings = ui.settings_sidebar(settings)  # in presentation mode too: collapsed, one click away
save_settings(ui.PREFIX, settings, {"present": "1"} if present else {})
session = ui.session(settings)
export_ui.track_run(ui.PREFIX, session)

controls, switch = st.columns([5, 1], vertical_alignment="center")
with controls, st.container(key=layout.TRANSPORT):  # several buttons per row on a phone
    live.transport_controls(ui.PREFIX, ui.get_session, on_new_weights=ui.new_weights, live=True)
with switch:
    layout.presentation_switch(ui.PRESENT)
if not present:  # in presentation mode the charts come first, right under the buttons
    ui.options_row(session)
sample_mode = ui.sample_mode()
live.live_area(ui.PREFIX, ui.get_session, lambda s, tick: ui.render_views(s, tick, sample_mode, big=present),
               view=ui.live_view(sample_mode, big=present))
if present:
    ui.options_row(session)
features_section(session, live.is_playing(ui.PREFIX), big=present)

if not present:
    with st.expander("Download and share"):
        st.markdown("The address bar holds every setting: copy it to share this exact experiment. The notebook "
                    "redoes the run in plain NumPy (the images are embedded) and ends with the same final cost.")
        export_ui.notebook_button(session, ui.PREFIX, "Handwritten digits")
