"""Handwritten digits: the same NumPy network and training, on real 8×8 images."""

import streamlit as st

from playground.ui import export_ui, layout, live
from playground.ui.exercises import exercises_help
from playground.ui.routing import ensure_app_router
from playground.ui.settings_ui import save_settings, url_problem_notice
from playground.ui.views import digits as ui
from playground.ui.views.digits_features import features_section

ensure_app_router()

st.title("Handwritten digits")
st.markdown("Does this work on real data? Train the same kind of network on scikit-learn's 1,797 handwritten "
            "digits — 8×8 pixel images, so 64 inputs — to tell 0 from 1 or all ten digits apart, and watch "
            "which digits it confuses and what its hidden units learn to look for.")
exercises_help("digits")

settings = ui.load()
url_problem_notice(ui.PREFIX)
settings = ui.settings_sidebar(settings)
save_settings(ui.PREFIX, settings)
session = ui.session(settings)
export_ui.track_run(ui.PREFIX, session)

with st.container(key=layout.TRANSPORT):  # several buttons per row on a phone
    live.transport_controls(ui.PREFIX, ui.get_session, on_new_weights=ui.new_weights, live=True)
options = st.columns([1.2, 2.8], vertical_alignment="center")
sample_mode = options[0].segmented_control("Test images", list(ui.SAMPLE_MODES), format_func=ui.SAMPLE_MODES.get,
                                           default="sample", key=ui.KEYS.key("sample_mode")) or "sample"
options[1].markdown(ui.architecture_caption(session))

live.live_area(ui.PREFIX, ui.get_session, lambda s, tick: ui.render_views(s, tick, sample_mode),
               view=ui.live_view(sample_mode))
features_section(session, live.is_playing(ui.PREFIX))

with st.expander("Download and share"):
    st.markdown("The address bar holds every setting: copy it to share this exact experiment. The notebook "
                "redoes the run in plain NumPy (the images are embedded) and ends with the same final cost.")
    export_ui.notebook_button(session, ui.PREFIX, "Handwritten digits")
