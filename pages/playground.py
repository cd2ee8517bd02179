"""Playground: choose data and a network, press Play, watch it learn."""

import streamlit as st

from playground.settings import Settings
from playground.ui import export_ui, layout, live, teacher_ui, upload_ui
from playground.ui.exercises import exercises_help
from playground.ui.keys import PLAYGROUND
from playground.ui.routing import ensure_app_router
from playground.ui.sessions import session_for
from playground.ui.settings_ui import (
    SETTING_LABELS,
    load_settings,
    next_weight_seed,
    page_limits,
    save_settings,
    settings_sidebar,
    url_problem_notice,
)
from playground.ui.views.playground import boundary_snapshot, download_panel, live_view, render_views
from playground.ui.views.playground_compare import compare_panel

KEYS = PLAYGROUND
PREFIX = KEYS.prefix
LIMITS = page_limits(max_layers=8, max_width=32)
FRAMES_PER_TICK = 4  # boundary frames per server round trip (see live.live_area)

ensure_app_router()

settings = load_settings(PREFIX, LIMITS, Settings())
link = teacher_ui.load_link(PREFIX, SETTING_LABELS)  # a teacher's hide=/lock=/title=/question=
present = layout.presentation(KEYS.key("present"))  # present=1 in the link, then the switch below
if present:
    st.set_page_config(initial_sidebar_state="collapsed")
    layout.presentation_style()

if not teacher_ui.heading(link) and not present:
    st.title("Neural Playground")
    st.container(key=layout.INTRO).markdown("Pick a dataset and a network in the sidebar, press **Play**, and watch a NumPy "
                "network learn: the boundary it draws, its cost, and the gradients in every layer.")
    if not link.active:  # a teacher link shows only what its lesson needs
        exercises_help("playground")
url_problem_notice(PREFIX)

if present:
    settings = st.session_state[KEYS.settings]
else:
    upload_slot = st.sidebar.container()
    uploaded = upload_ui.upload_in_use(PREFIX)
    settings = settings_sidebar(PREFIX, settings, LIMITS, uploaded=uploaded)
custom = upload_ui.upload_sidebar(PREFIX, settings, None if present else upload_slot)
if not present and custom is not None and uploaded is None:
    st.rerun()  # a file was just accepted: redraw the sidebar, whose dataset box is now not in use
upload_ui.link_notice(PREFIX, settings)  # before save_settings rewrites the link
save_settings(PREFIX, settings, ({"present": "1"} if present else {}) | upload_ui.link_params(PREFIX)
              | link.to_query_params())
session = session_for(settings, PREFIX, custom=custom)
export_ui.track_run(PREFIX, session)
upload_ui.data_notice(PREFIX)


controls, options = (st.columns([2.9, 1.9], vertical_alignment="bottom") if present
                     else (st.container(), st.container()))
with controls, st.container(key=layout.TRANSPORT):
    live.transport_controls(PREFIX, lambda: st.session_state[KEYS.session],
                            on_new_weights=lambda: next_weight_seed(PREFIX), live=True)
with options, st.container(key=layout.OPTIONS):
    toggles = st.columns(3 if present else [1, 1, 1, 1.6])
    show_test = toggles[0].toggle("Test points", value=True, key=KEYS.key("show_test"),
                                  help="Show the held-out test points (black outline) on the boundary plot.")
    discretize = toggles[1].toggle("Discretize", value=False, key=KEYS.key("discretize"),
                                   disabled=session.task == "regression",
                                   help="Colour each point of the plane by the predicted class only.")
    toggles[2].toggle("Presentation", key=KEYS.key("present"),
                      help="Hides the settings and enlarges the charts for a projector; it is kept in the link.")

live.live_area(
    PREFIX,
    lambda: st.session_state[KEYS.session],
    lambda s, tick: render_views(s, tick, KEYS, big=present, show_test=show_test, discretize=discretize),
    frames=FRAMES_PER_TICK,
    snapshot=boundary_snapshot(discretize),
    view=live_view(discretize, KEYS, big=present),
)

if not present:
    download_panel(session)
    teacher_ui.share_panel(PREFIX, settings.to_query_params() | upload_ui.link_params(PREFIX),
                           {name: f"{label} ({name})" for name, label in SETTING_LABELS.items()})
    compare_panel(settings)
