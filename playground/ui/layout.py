"""Page layout shared by every page: the CSS that keeps views readable on a phone and a
projector (``layout.css``), and presentation mode (``presentation.css``).

Streamlit has no layout API for "two buttons per row on a phone": rows that need it are
wrapped in ``st.container(key="np-…")`` and the CSS targets their ``st-key-np-…`` class.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from .live_chart import ensure_plotly_js

_HERE = Path(__file__).parent
LAYOUT_CSS = (_HERE / "layout.css").read_text(encoding="utf-8")
PRELOAD_JS = (_HERE / "plotly_loader.js").read_text(encoding="utf-8")
PRESENTATION_CSS = (_HERE / "presentation.css").read_text(encoding="utf-8")

TRANSPORT = "np-transport"  # Play/Step/Reset/New weights row
SCOREBOARD = "np-scoreboard"  # the counter and the metric cards
OPTIONS = "np-options"  # view toggles under the transport row
INTRO = "np-intro"  # a page's introduction (left out on a phone, where the sidebar explains)
METRICS = "np-metrics"  # a counter and metric cards in one row (Digits, Gradients lab)
BOUNDARY = "np-boundary"  # the decision-boundary chart: its height comes from the CSS
PRESENT_SWITCH = "np-present-switch"  # a page's Presentation switch (left out on a phone)


def page_style() -> None:
    """Add the shared CSS to the page (app.py, on every page)."""
    ensure_plotly_js()
    st.html(f"<style>{LAYOUT_CSS}</style><script id=\"np-preload\">{PRELOAD_JS}loadPlotly();</script>", unsafe_allow_javascript=True)


def presentation_style() -> None:
    """Presentation mode: no header bar, little padding, larger cards (the page's charts
    enlarge themselves through their figure builders' ``big``)."""
    st.html(f"<style>{PRESENTATION_CSS}</style>")


def presentation(key: str) -> bool:
    """Is a page in presentation mode? ``present=1`` in the link on the first visit, then the
    page's switch (whose key this is: ``presentation_switch``); the page keeps it in the link."""
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get("present") == "1"
    return st.session_state[key]


def presentation_switch(key: str) -> None:
    """The page's Presentation switch (left out on a phone: layout.css)."""
    with st.container(key=PRESENT_SWITCH):
        st.toggle("Presentation", key=key,
                  help="Hides the settings and enlarges the charts and text for a projector; it is kept in the link.")
