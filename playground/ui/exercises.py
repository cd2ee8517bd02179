"""Every page's "Exercises from the notes" help: the ten practice exercises, where each is done,
and buttons that set one up (on this page, or on its own page and then go there).

A preset replaces some of the target page's settings: it is written to that page's stored
settings and the page's widget values are dropped so they are drawn again from the settings.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import streamlit as st

from ..settings import Settings
from ..teaching.exercises import EXERCISES, PAGES, Exercise, available
from . import live
from .keys import BY_PAGE, Keys

PATHS = {page: f"pages/{page}.py" for page in PAGES}
GO_KEY = "exercises.go"
OPEN_KEY = "exercises.open"  # the expander's state: its rows are drawn only while it is open
KNOWN_FIELDS = {f.name for f in fields(Settings)}


def apply_preset(page: str, changes: dict[str, Any]) -> None:
    """Write ``changes`` into ``page``'s settings, redraw its widgets from them, stop its training."""
    keys: Keys = BY_PAGE[page]  # a page with settings
    base = st.session_state.get(keys.settings)
    st.session_state[keys.settings] = (base if isinstance(base, Settings) else Settings()).replace(**changes)
    for name in [k for k in st.session_state if isinstance(k, str) and k.startswith(keys.widget(""))]:
        del st.session_state[name]
    st.session_state[keys.url_problems] = []
    live.set_playing(keys.prefix, False)


def _set_up(page: str, changes: dict[str, Any], here: str) -> None:
    apply_preset(page, changes)
    if page != here:
        st.session_state[GO_KEY] = page


def exercises_help(here: str) -> None:
    """The expander listing every exercise; this page's first, with their set-up buttons."""
    target = st.session_state.pop(GO_KEY, None)
    if target is not None and target != here:
        st.switch_page(PATHS[target])
    mine = [e for e in EXERCISES if e.page == here]
    others = [e for e in EXERCISES if e.page != here]
    # Drawn only while open: its ~60 elements (a row and buttons per exercise) would otherwise be
    # sent, laid out and rerun on every click of every page (measured: a third of the Playground's).
    expander = st.expander(f"Exercises from the notes ({len(mine)} on this page)", icon=":material/school:",
                           key=OPEN_KEY, on_change="rerun")
    if not expander.open:
        return
    with expander:
        st.markdown("*The practice exercises of the course notes, and where in this app each one is done.*")
        for exercise in mine:
            _row(exercise, here)
        if others:
            st.markdown("**On other pages**")
            for exercise in others:
                _row(exercise, here)


def _row(exercise: Exercise, here: str) -> None:
    text, buttons = st.columns([3, 1.3], vertical_alignment="center")
    place = "here" if exercise.page == here else PAGES[exercise.page]
    text.markdown(f"**{exercise.name}** — {exercise.question}  \n*{place}:* {exercise.where}")
    with buttons:
        if not available(exercise, KNOWN_FIELDS):
            st.markdown(":gray[Needs an engine feature that is not available yet.]")
            return
        for label, changes in exercise.presets:
            st.button(label, key=BY_PAGE[here].key(f"exercises.{exercise.page}.{label}"), icon=":material/tune:",
                      on_click=_set_up, args=(exercise.page, dict(changes), here), width="stretch",
                      help=f"Set up {PAGES[exercise.page]} for this exercise" + ("" if exercise.page == here
                                                                                   else " and go there"))
        if exercise.page != here and not exercise.presets:
            st.page_link(PATHS[exercise.page], label=f"Open {PAGES[exercise.page]}", icon=":material/arrow_forward:")
