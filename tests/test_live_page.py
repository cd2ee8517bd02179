"""AppTest of the page side of the live socket: the route served → the page streams; the socket
fails → the same session goes back to the rerun loop (AppTest cannot open websockets, so the
route is marked as served by hand)."""

from __future__ import annotations

import pytest
from helpers import make_app

from playground.ui.keys import PLAYGROUND as KEYS
from playground.ui.stream import route


def counters(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("### Epoch")]


@pytest.fixture
def served(monkeypatch):
    monkeypatch.setattr(route, "_mounted", True)
    yield route.REGISTRY
    for entry in route.REGISTRY.entries():
        route.REGISTRY.close(entry.token)


def test_a_served_route_streams_and_its_element_draws_the_controls(served):
    at = make_app()
    entry = at.session_state[KEYS.stream_entry]
    assert entry is not None and served.get(entry.token) is entry
    assert entry.session is at.session_state[KEYS.session]
    assert counters(at) == []  # the counter is the socket's element now, not a markdown line
    # Play/Pause, Step and Reset are the socket's own buttons (a click reruns nothing) ...
    keys = {button.key for button in at.button}
    assert not keys & {KEYS.play_button, KEYS.step_button, KEYS.reset_button}
    assert KEYS.new_weights_button in keys  # ... New weights still reruns the page: a new session
    entry.control("step", 1)  # what the element sends: {"type": "step", "updates": 1}
    assert entry.session.step == 1
    entry.control("play")
    at.run()  # a rerun while playing (e.g. a setting) leaves it playing
    assert entry.playing and at.session_state[KEYS.stream_entry] is entry
    entry.control("pause")
    assert not entry.playing
    entry.control("reset")
    assert entry.session.step == 0


def test_when_the_socket_fails_the_session_falls_back_to_the_rerun_loop(served):
    at = make_app()
    at.session_state[KEYS.stream_entry].control("step", 1)
    at.session_state[KEYS.stream_failed] = True  # what the element reports when it cannot connect
    at.run()
    assert at.session_state[KEYS.stream_entry] is None
    assert counters(at) == ["### Epoch 1 · update 1"]
    at.button(key=KEYS.step_button).click().run()  # the Streamlit buttons are back
    assert counters(at) == ["### Epoch 2 · update 2"]


def test_a_full_server_refuses_politely_and_the_page_still_trains(served, monkeypatch):
    monkeypatch.setattr(served, "capacity", 0)
    at = make_app()
    assert at.session_state[KEYS.stream_entry] is None
    assert any("already streaming live training" in t.body for t in at.toast)
    at.button(key=KEYS.step_button).click().run()
    assert counters(at) == ["### Epoch 1 · update 1"]


def test_a_lesson_streams_too_and_its_end_stops_the_stream(served):
    """The Lessons page uses the same transport: the scheduler trains the lesson's runs in its
    fair turns (no 0.2 s floor per call) and the experiment's end stops Play like a divergence
    (the page then reruns for the reveal)."""
    from playground.ui.stream.scheduler import Outbox, Scheduler
    from playground.ui.stream.wire import decode

    at = make_app("pages/lessons.py", timeout=120, lesson="1", picks="1a")
    entry = at.session_state["lessons.stream_entry"]
    run = at.session_state["lessons.run"]
    assert entry is not None and entry.session is run and run.budget_floor == 0.0
    outbox = Outbox()
    entry.connect(outbox)
    entry.control("step", 5)
    assert run.step == 5
    entry.control("play")
    scheduler = Scheduler(served, session_share=1.0, total_share=1.0, max_credit=10.0)
    states = []
    for _ in range(20_000):
        scheduler.run_once()
        if (raw := outbox.take()) is not None:
            outbox.ack(outbox.sent)
            message = decode(raw)
            states += [message] if message["type"] == "state" else []
        if not entry.playing:
            break
    assert run.finished and not entry.playing
    assert states[-1]["reason"] in ("diverged", "charts") and states[-1]["status"] == "finished"
