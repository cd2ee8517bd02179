"""Live training in Streamlit: transport buttons and the self-refreshing live area.

The pattern measured in DESIGN.md:
- Play/Pause/Step/Reset are drawn *outside* the live area and act through ``on_click``
  callbacks, so a click always lands (Pause within ~0.1 s);
- the live area is an ``st.fragment``; while playing, each run trains for a time budget (pure
  NumPy, no ``st.*`` calls) and redraws, and a tiny clock component asks for the next run
  once the browser has drawn every live chart (back-pressure instead of ``run_every``).

Several pages share this (Playground, Gradients lab, Digits). Each passes a ``prefix`` for its
session-state keys and a function that returns its ``TrainingSession``.

Where the live socket is served (``streamlit run app.py``, see ``playground/ui/stream``) and a
page passes its ``view``, none of the above runs per frame: the page draws its figures once per
rerun, the scheduler trains and the socket patches the charts. Then Play/Pause, Step and Reset
are the socket element's own buttons (``transport_controls(..., live=True)``): a click goes over
the socket and reruns nothing, and ``is_playing`` reads the entry; everywhere else (AppTest, a
socket that failed) the Streamlit buttons and the rerun loop above are used unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import streamlit as st

from ..training import TrainingSession
from . import dom
from .keys import Keys
from .stream import component as stream
from .stream.scheduler import LiveView

# While playing, the browser asks for the next frame only after it has drawn the current one
# (back-pressure, clock.js). A timer (``run_every``) made the server produce frames faster than
# Plotly could draw them: a backlog built up and Pause took over a second to show (measured).
_clock = st.components.v2.component("neural_playground.clock", js=dom.js_module("clock.js"))
MIN_FRAME_MS = 30  # at most ~30 requests a second
MAX_WAIT_MS = 2000  # if a chart never reports, ask anyway

STEP_MODES = {"1 update": ("updates", 1), "1 epoch": ("epochs", 1), "10 epochs": ("epochs", 10)}
TRAIN_BUDGET = 0.05  # seconds of NumPy per frame: caps CPU per viewer on a shared server
MAX_UPDATES_PER_TICK = 5000
# A Step estimated to take longer than this is not run inside the click: it is queued in the
# session and the live area runs it in slices of STEP_SLICE seconds, with a progress bar and
# Stop (see TrainingSession.queue / run_pending); one too long for one click is refused.
STEP_INLINE_SECONDS = 0.2
STEP_SLICE = 0.2


def is_playing(prefix: str) -> bool:
    entry = stream.current_entry(prefix)
    if entry is not None:
        return entry.playing
    return bool(st.session_state.get(Keys(prefix).playing, False))


def streaming(prefix: str) -> bool:
    """Is the page's live socket drawing its counter and charts on this run?"""
    return stream.current_entry(prefix) is not None


def set_playing(prefix: str, playing: bool) -> None:
    st.session_state[Keys(prefix).playing] = playing
    entry = stream.current_entry(prefix)
    if entry is not None:
        entry.play() if playing else entry.pause()


def restart(prefix: str, session) -> None:
    """The page replaced its session (new weights, other data or network): paused; with the live
    socket the new session's counter and boundary go to the browser at once (``LiveEntry.restart``)."""
    st.session_state[Keys(prefix).playing] = False
    entry = stream.current_entry(prefix)
    if entry is not None:
        entry.restart(session)


def session_lock(prefix: str):
    """Hold this while changing the page's session (settings reruns): the scheduler may be
    training it. A no-op without the live socket."""
    entry = stream.current_entry(prefix)
    return entry.lock if entry is not None else contextlib.nullcontext()


def step_updates(prefix: str, session: TrainingSession) -> int:
    """How many updates one Step press trains (the page's Step size selector)."""
    unit, count = STEP_MODES[st.session_state.get(Keys(prefix).step_mode, "1 update")]
    return count if unit == "updates" else count * session.updates_per_epoch


def _toggle_play(prefix: str, get_session: Callable[[], TrainingSession], play: bool) -> None:
    """``play``: what the button said when it was drawn (Play → True), not a toggle of the
    current state, so a click that arrives after the state changed elsewhere does what its
    label said. (Streamlit's buttons: the rerun loop. With the live socket the element's own
    buttons act instead, see ``transport_controls``.)"""
    session = get_session()
    _cancel(session)
    set_playing(prefix, play and not session.diverged)


def _step(prefix: str, get_session: Callable[[], TrainingSession]) -> None:
    """A small Step trains right here; a big one is queued (run by the live area in slices) or,
    if it would take too long for one click, refused with the estimate."""
    set_playing(prefix, False)
    entry = stream.current_entry(prefix)
    if entry is not None:  # the scheduler runs a big Step in slices (Pause stops it) …
        session, updates = get_session(), step_updates(prefix, get_session())
        refused = session.refusal(updates) if hasattr(session, "refusal") else None
        if refused:  # … unless it is too long for one click: then nothing runs and the page says why
            st.session_state[Keys(prefix).key("step_refused")] = refused
            return
        entry.step(updates)
        return
    unit, count = STEP_MODES[st.session_state.get(Keys(prefix).step_mode, "1 update")]
    session = get_session()
    _cancel(session)
    updates = count if unit == "updates" else count * session.updates_per_epoch
    if not hasattr(session, "queue") or session.estimate_seconds(updates) <= STEP_INLINE_SECONDS:
        session.train(updates)  # (a lesson's run has no queue: its runs are small)
        return
    st.session_state[Keys(prefix).key("step_refused")] = refused = session.queue(updates)
    if refused is None:
        st.session_state[Keys(prefix).key("step_from")] = (session.step, updates)


def _stop_step(prefix: str, get_session: Callable[[], TrainingSession]) -> None:
    _cancel(get_session())


def _cancel(session) -> None:
    if hasattr(session, "cancel_pending"):
        session.cancel_pending()


def _pending(session) -> int:
    """Updates a queued Step still has to run (0 for a session without a queue)."""
    return getattr(session, "pending", 0)


def _reset(prefix: str, get_session: Callable[[], TrainingSession]) -> None:
    entry = stream.current_entry(prefix)
    if entry is not None:
        entry.reset()
        return
    set_playing(prefix, False)
    get_session().reset()  # also drops a queued step


def transport_controls(
    prefix: str,
    get_session: Callable[[], TrainingSession],
    on_new_weights: Callable[[], None] | None = None,
    live: bool = False,
) -> None:
    """Play/Pause, Step (with its size), Reset and (optionally) New weights, in one row.

    ``live``: the page streams over the live socket (it passes a ``view`` to ``live_area``).
    Where the socket is served, Play/Pause, Step and Reset are then drawn by the socket's own
    element and act over the socket alone: a click reruns nothing, so thirty students pressing
    Pause at once wait for no page rerun (issue 10). Step size and New weights stay Streamlit
    widgets (they change what the page draws)."""
    stream.page_running()
    keys = Keys(prefix)
    session = get_session()
    entry = stream.live_entry(prefix) if live else None
    if entry is not None:
        stream.remember(prefix, entry)
        _live_controls(prefix, entry, session, on_new_weights)
        return
    playing = is_playing(prefix)
    cols = st.columns([1.1, 1, 1.2, 1, 1.3], vertical_alignment="bottom")
    cols[0].button(
        "Pause" if playing else "Play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        key=keys.play_button,
        type="primary",
        on_click=_toggle_play,
        args=(prefix, get_session, not playing),
        disabled=session.diverged,
        width="stretch",
    )
    cols[1].button("Step", icon=":material/skip_next:", key=keys.step_button, on_click=_step, args=(prefix, get_session),
                   disabled=session.diverged, width="stretch")
    cols[2].selectbox("Step size", list(STEP_MODES), key=keys.step_mode, label_visibility="collapsed")
    cols[3].button("Reset", icon=":material/replay:", key=keys.reset_button, on_click=_reset, args=(prefix, get_session),
                   help="Back to the same initial weights (same seed), step 0.", width="stretch")
    if on_new_weights is not None:
        cols[4].button("New weights", icon=":material/casino:", key=keys.new_weights_button, on_click=on_new_weights,
                       help="Draw new initial weights (next weight seed) and start again.",
                       width="stretch")
    refused = st.session_state.pop(keys.key("step_refused"), None)
    if refused:
        st.warning(f"**Step not run.** {refused}", icon=":material/timer_off:")


def _live_controls(prefix: str, entry, session: TrainingSession,
                   on_new_weights: Callable[[], None] | None) -> None:
    """The live socket's Play/Pause, Step and Reset (``stream.stream_controls``), then the Step
    size and New weights as Streamlit widgets."""
    keys = Keys(prefix)
    cols = st.columns([3.3, 1.2, 1.3], vertical_alignment="bottom")
    with cols[0]:
        stream.stream_controls(prefix, entry, step_updates(prefix, session), session.diverged)
    cols[1].selectbox("Step size", list(STEP_MODES), key=keys.step_mode, label_visibility="collapsed")
    if on_new_weights is not None:
        cols[2].button("New weights", icon=":material/casino:", key=keys.new_weights_button, on_click=on_new_weights,
                       help="Draw new initial weights (next weight seed) and start again.",
                       width="stretch")


def live_area(
    prefix: str,
    get_session: Callable[[], TrainingSession],
    render: Callable[[TrainingSession, int], None],
    frames: int = 1,
    snapshot: Callable[[TrainingSession], object] | None = None,
    view: Callable[[TrainingSession], LiveView] | None = None,
) -> None:
    """Draw ``render(session, tick)`` and, while playing, train and redraw every tick.

    With ``view`` (what the page streams, built from the session) and the live socket served,
    ``render`` runs once per rerun under the entry's lock and the socket does the rest.

    ``tick`` counts redraws while playing so slow views can refresh every n-th tick. With
    ``frames`` > 1 a tick trains in that many chunks and keeps ``snapshot(session)`` after each
    but the last, in ``st.session_state[Keys(prefix).frames]`` as (step, snapshot) pairs, for a
    chart to show in between (one server round trip then yields several frames).
    """
    keys = Keys(prefix)
    entry = stream.live_entry(prefix) if view is not None else None
    stream.remember(prefix, entry)
    if entry is not None:
        with entry.lock:
            session = get_session()
            stream.page_running()
            entry.make_view = view  # for a new session built before the next rerun gets here
            entry.attach(session, view(session))
            if st.session_state.pop(keys.playing, False) and not session.diverged:
                entry.play()  # the rerun loop was playing before the socket took over
            render(session, 0)
        return

    @st.fragment
    def _live() -> None:
        session = get_session()
        tick_key = keys.tick
        snapshots = []
        stepping = _pending(session) > 0 and not is_playing(prefix)
        if stepping:  # a queued Step: one slice per run, then the clock asks for the next
            session.run_pending(STEP_SLICE)
            _step_progress(prefix, session, get_session)
            if session.diverged or _pending(session) == 0:
                st.rerun(scope="app")  # the transport buttons and notices follow the new state
        elif is_playing(prefix) and not session.diverged:
            for chunk in range(frames):
                session.train(MAX_UPDATES_PER_TICK // frames, time_budget=TRAIN_BUDGET / frames)
                if snapshot is not None and chunk < frames - 1 and not session.diverged:
                    snapshots.append((session.step, snapshot(session)))
            st.session_state[tick_key] = st.session_state.get(tick_key, 0) + 1
            if session.diverged:
                # A full rerun redraws the transport buttons (Play disabled) and the message.
                set_playing(prefix, False)
                st.rerun(scope="app")
        st.session_state[keys.frames] = snapshots
        render(session, st.session_state.get(tick_key, 0) if is_playing(prefix) else 0)
        playing = is_playing(prefix) and not session.diverged
        running = (is_playing(prefix) or _pending(session) > 0) and not session.diverged
        _clock(key=keys.clock, on_tick_change=_next_frame,
               data={"playing": running, "revision": session.step, "stops": _stop_classes(keys, playing),
                     "min_ms": MIN_FRAME_MS, "max_ms": MAX_WAIT_MS, "lead": min(frames - 1, 2)})

    _live()


def _stop_classes(keys: Keys, playing: bool) -> list[str]:
    """The transport buttons whose click stops playback: Step, Reset and, while playing, the
    Play/Pause button (then showing Pause). A click on one drops the frames still queued in
    the live charts (``dom``: the clock marks them, ``live_chart.js`` listens)."""
    stops = [keys.step_button, keys.reset_button] + ([keys.play_button] if playing else [])
    return [dom.key_class(key) for key in stops]


def _step_progress(prefix: str, session: TrainingSession, get_session: Callable[[], TrainingSession]) -> None:
    """The progress of a queued Step, with the button that stops it."""
    start, total = st.session_state.get(Keys(prefix).key("step_from"), (session.step, session.pending))
    done = min(max(session.step - start, 0), total)
    cols = st.columns([5, 1], vertical_alignment="center")
    cols[0].progress(done / max(total, 1), text=f"Step: update {done:,} of {total:,}")
    cols[1].button("Stop", icon=":material/stop:", key=Keys(prefix).key("stop_step"), on_click=_stop_step,
                   args=(prefix, get_session), width="stretch")


def _next_frame() -> None:
    """The browser drew the last frame: the fragment reruns (trains and draws the next)."""


def counter_row(prefix: str, header: dict) -> None:
    """The counter (``header["title"]``, on its own line) and the metrics as cards
    (``[label, value]`` or ``[label, value, help]``) above the live views: drawn by the live
    socket's element when it streams."""
    entry = stream.current_entry(prefix)
    if entry is not None:
        stream.stream_header(prefix, entry, header)
        return
    metrics = header["metrics"]
    st.markdown(f"### {header['title']}")
    for column, (label, value, *rest) in zip(st.columns(len(metrics)), metrics):
        column.metric(label, value, help=rest[0] if rest else None)


def divergence_notice(session: TrainingSession) -> None:
    """The clear message and the way out when a run diverged."""
    if session.diverged:
        st.error(f"**Training stopped.** {session.message}", icon="🛑")
