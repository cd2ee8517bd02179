"""The page side of the live socket: which entry a page streams to, and the element that connects.

``live_entry(prefix)`` gives this browser session's :class:`LiveEntry` for a page when the route
is served and the socket has not failed for this session; otherwise None and the page keeps the
rerun loop (AppTest, `streamlit run` without st.App, a proxy that drops websockets, a full
server). ``stream_header`` draws the counter and metrics as the client element that owns the
socket (see ``client.js``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from .. import dom
from ..keys import Keys
from . import route
from .scheduler import LiveEntry

_component = st.components.v2.component(
    "neural_playground.live_stream",
    js=dom.js_module("stream/client.js", plotly=True),
    css=(Path(__file__).with_name("client.css")).read_text(encoding="utf-8"),
    isolate_styles=False,
)


def live_entry(prefix: str) -> LiveEntry | None:
    """This browser session's live entry for the page ``prefix``, or None for the rerun loop."""
    keys = Keys(prefix)
    if not route.mounted() or st.session_state.get(keys.stream_failed):
        return None
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    entry = route.REGISTRY.open(ctx.session_id, prefix)
    if entry is None and not st.session_state.get(keys.stream_full_noticed):
        st.session_state[keys.stream_full_noticed] = True
        st.toast(f"This server is already streaming live training to {route.CAPACITY} pages; "
                 "here the charts refresh the slower way.", icon=":material/group:")
    return entry


def page_running() -> None:
    """A live page is running its script: the scheduler steps back for a moment."""
    if route.mounted():
        route.SCHEDULER.page_running()


def current_entry(prefix: str) -> LiveEntry | None:
    """The entry the page used on its last run (for the button callbacks, which run first)."""
    entry = st.session_state.get(Keys(prefix).stream_entry)
    if entry is None or route.REGISTRY.get(entry.token) is not entry:
        return None
    return entry


def remember(prefix: str, entry: LiveEntry | None) -> None:
    st.session_state[Keys(prefix).stream_entry] = entry


def _socket_failed(prefix: str) -> None:
    """The browser could not keep the socket open: this session goes back to the rerun loop."""
    keys = Keys(prefix)
    st.session_state[keys.stream_failed] = True
    entry = current_entry(prefix)
    if entry is not None:
        playing = entry.playing
        entry.pause()
        st.session_state[keys.playing] = playing
    remember(prefix, None)


def stream_header(prefix: str, entry: LiveEntry, header: dict) -> None:
    """The counter and metrics (drawn by the client, updated by the socket while playing)."""
    session = entry.session
    _component(key=Keys(prefix).stream, height="content",
               on_failed_change=lambda: _socket_failed(prefix), on_sync_change=lambda: None,
               data={"part": "header", "token": entry.token, "path": route.PATH, "page": prefix,
                     "version": entry.version,
                     "step": session.step if session is not None else 0, "playing": entry.playing,
                     "header": header})


def stream_controls(prefix: str, entry: LiveEntry, step_updates: int, diverged: bool) -> None:
    """Play/Pause, Step and Reset drawn by the socket's element: a click goes over the socket
    (``{"type": "play"|"pause"|"reset"}``, ``{"type": "step", "updates": step_updates}``) and
    reruns nothing; the buttons follow the server's state messages. Same labels as the Streamlit
    buttons they replace (Play/Pause, Step, Reset), so a person — and a browser test — finds them
    by name."""
    session = entry.session
    _component(key=Keys(prefix).stream_controls, height="content",
               on_failed_change=lambda: _socket_failed(prefix), on_sync_change=lambda: None,
               data={"part": "controls", "token": entry.token, "path": route.PATH, "page": prefix,
                     "version": entry.version, "step": session.step if session is not None else 0,
                     "playing": entry.playing, "diverged": bool(diverged), "step_updates": int(step_updates)})
