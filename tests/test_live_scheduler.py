"""The live socket's scheduler without a browser: fairness, bounded sends, pause, isolation, expiry."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from playground.plots.network import network_figure
from playground.settings import Settings
from playground.training import TrainingSession
from playground.ui.stream.charts import cost_chart, figure_chart, gradient_chart
from playground.ui.stream.scheduler import MAX_IN_FLIGHT, PAGE_SHARE, LiveView, Outbox, Registry, Scheduler
from playground.ui.stream.wire import Quantized, decode, encode, quantize


class Clock:
    """A clock the test moves by hand (snapshot and message timing, expiry)."""

    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def view_for(session: TrainingSession, marker: str = "") -> LiveView:
    grid = session.plane_grid(20)[2]

    def surface(s):
        return s.net.predict_proba(grid)[0].reshape(20, 20)

    return LiveView(
        header=lambda s: {"title": f"{marker}update {s.step}", "metrics": [["train cost", f"{s.latest.train_cost:.6f}"]]},
        surface_key="boundary", surface=surface,
        charts=(cost_chart("cost"), gradient_chart("gradients"),
                figure_chart("network", lambda s: network_figure(s.layer_sizes, s.net.W, s.net.b), interval=0.2)))


def live(registry: Registry, owner: str, settings: Settings | None = None, marker: str = ""):
    entry = registry.open(owner, "pg")
    session = TrainingSession(settings or Settings(n_samples=100))
    entry.attach(session, view_for(session, marker))
    outbox = Outbox()
    entry.connect(outbox)
    return entry, outbox


def drain(outbox: Outbox) -> list[dict]:
    """What the socket's sender would send now, acknowledged at once (a browser that keeps up)."""
    messages = []
    while (raw := outbox.take()) is not None:
        messages.append(decode(raw))
        outbox.ack(outbox.sent)
    return messages


def rounds(scheduler: Scheduler, clock: Clock, n: int, dt: float = 0.02, outboxes=()) -> list[dict]:
    out = []
    for _ in range(n):
        clock.t += dt
        scheduler.run_once()
        for box in outboxes:
            out += drain(box)
    return out


@pytest.fixture
def setup():
    clock = Clock()
    registry = Registry(capacity=4, clock=clock)
    scheduler = Scheduler(registry, session_share=1.0, total_share=1.0, max_credit=10.0)  # turns, not load
    return clock, registry, scheduler


def test_a_new_session_is_sent_at_once_with_the_pages_view(setup):
    """New weights or other data (``LiveEntry.restart``, from the page's callback or the first
    lines of its rerun): paused, the new session attached with the page's last view, and its
    state — counter and boundary — out at once, newer than anything the old session sent."""
    clock, registry, scheduler = setup
    entry, outbox = live(registry, "a")
    entry.make_view = lambda s: view_for(s, marker="new ")
    entry.play()
    rounds(scheduler, clock, 3, outboxes=[outbox])
    old_version = entry.version
    fresh = TrainingSession(Settings(n_samples=100, weight_seed=7))
    entry.restart(fresh)
    (state,) = drain(outbox)
    assert entry.session is fresh and not entry.playing
    assert state["type"] == "state" and state["step"] == 0 and state["version"] > old_version
    assert state["header"]["title"] == "new update 0" and not state["playing"]
    np.testing.assert_allclose(state["frames"][-1]["z"], fresh.net.predict_proba(fresh.plane_grid(20)[2])[0].reshape(20, 20),
                               atol=1 / 255)
    later = rounds(scheduler, clock, 3, outboxes=[outbox])  # (the charts the state owes)
    assert all(m["step"] == 0 and not m["playing"] for m in later) and entry.session.step == 0


def test_connect_sends_the_current_state_at_once(setup):
    clock, registry, scheduler = setup
    entry, outbox = live(registry, "a")
    (hello,) = drain(outbox)
    assert hello["type"] == "state" and hello["reason"] == "hello"
    assert hello["step"] == 0 and hello["header"]["title"] == "update 0"
    assert hello["charts"] == {}  # the page has just drawn them
    assert hello["frames"][-1]["z"].shape == (20, 20)
    entry.control("refresh")  # the browser missed a chart: everything again, right after the state
    (state,) = drain(outbox)
    assert state["reason"] == "refresh" and state["charts"] == {}
    (charts,) = rounds(scheduler, clock, 1, outboxes=[outbox])
    assert charts["reason"] == "charts" and set(charts["charts"]) == {"cost", "gradients", "network"}
    assert {op["op"] for op in charts["charts"]["cost"]} == {"restyle"}  # in full, not extended


def test_playing_streams_frames_with_new_steps_and_snapshots(setup):
    clock, registry, scheduler = setup
    entry, outbox = live(registry, "a")
    drain(outbox)
    entry.play()
    messages = rounds(scheduler, clock, 30, outboxes=[outbox])
    frames = [m for m in messages if m["type"] == "frame"]
    assert len(frames) >= 3
    steps = [m["step"] for m in frames]
    assert steps == sorted(steps) and steps[-1] > steps[0] > 0
    assert all(m["frames"][-1]["step"] == m["step"] for m in frames)  # the last snapshot is the step shown
    extends = [op for m in frames for op in m["charts"].get("cost", []) if op["op"] == "extend"]
    assert extends, "the cost chart gets only its new points while playing"
    assert entry.session.step == steps[-1] or entry.session.step > steps[-1]


def test_pause_sends_the_final_state_and_nothing_moves_after(setup):
    clock, registry, scheduler = setup
    entry, outbox = live(registry, "a")
    entry.play()
    rounds(scheduler, clock, 10, outboxes=[outbox])
    entry.pause()
    (state,) = drain(outbox)
    assert state["type"] == "state" and state["reason"] == "pause" and not state["playing"]
    stopped = entry.session.step
    assert state["step"] == stopped > 0
    assert state["charts"] == {}  # small: thirty viewers pausing at once are all answered at once
    followed = rounds(scheduler, clock, 10, outboxes=[outbox])  # the charts follow, then nothing
    assert [(m["reason"], m["step"], m["playing"]) for m in followed] == [("charts", stopped, False)]
    assert set(followed[0]["charts"]) == {"cost", "gradients", "network"}
    assert entry.session.step == stopped
    assert scheduler.run_once() is None  # nothing playing: the thread sleeps, no CPU


def test_step_and_reset_arrive_as_states(setup):
    clock, registry, scheduler = setup
    entry, outbox = live(registry, "a")
    drain(outbox)
    entry.step()
    (state,) = drain(outbox)
    assert state["reason"] == "step" and state["step"] == 1 and state["header"]["title"] == "update 1"
    version = state["version"]
    entry.control("step", 5)
    assert drain(outbox)[0]["step"] == 6
    entry.control("reset")
    (state,) = drain(outbox)
    assert state["reason"] == "reset" and state["step"] == 0 and state["version"] > version
    entry.play()
    first = next(m for m in rounds(scheduler, clock, 10, outboxes=[outbox]) if m["type"] == "frame")
    cost = first["charts"]["cost"][0]
    assert cost["op"] == "restyle", "after a reset the curve is rebuilt, not extended"
    assert cost["update"]["x"][0][0] == 0
    with pytest.raises(ValueError, match="play, pause, step, reset or refresh"):
        entry.control("rewind")


def test_round_robin_gives_every_playing_session_the_same_turns(setup):
    clock, registry, _ = setup
    # Credit for a whole round whatever the machine's load: the test counts turns, not seconds.
    scheduler = Scheduler(registry, slice_seconds=0.002, session_share=1.0, total_share=1.0, max_credit=10.0)
    entries = [live(registry, owner)[0] for owner in "abc"]
    for entry in entries:
        entry.play()
    slices = {id(e): 0 for e in entries}
    for _ in range(30):
        clock.t += 1.0
        before = {id(e): e.work_seconds for e in entries}
        scheduler.run_once()
        for e in entries:
            slices[id(e)] += e.work_seconds > before[id(e)]
        for e in entries:
            drain(e.outbox)
    assert set(slices.values()) == {30}, slices


def test_a_session_page_is_rerunning_is_skipped_not_waited_for(setup):
    clock, registry, scheduler = setup
    a, _ = live(registry, "a")
    b, _ = live(registry, "b")
    a.play()
    b.play()
    clock.t += 0.1
    with a.lock:  # the page holds the lock while it changes settings or draws
        done = threading.Event()
        threading.Thread(target=lambda: (scheduler.run_once(), done.set())).start()
        assert done.wait(5), "the scheduler must not block on a busy session"
        assert a.updates == 0 and b.updates > 0


def test_cpu_share_caps_one_session_and_splits_the_total():
    clock = Clock()
    registry = Registry(clock=clock)
    scheduler = Scheduler(registry, session_share=0.25, total_share=0.8)
    assert scheduler.share(1) == 0.25
    assert scheduler.share(30) == pytest.approx(0.8 / 30)
    scheduler.page_running()  # a burst of reruns (Play clicks): the scheduler steps back for a moment
    assert scheduler.share(30) == pytest.approx(PAGE_SHARE / 30)
    clock.t += 1.0
    assert scheduler.share(30) == pytest.approx(0.8 / 30)
    entry, outbox = live(registry, "a")
    entry.play()
    clock.t += 1.0  # one second of wall time: at most a quarter second of credit, capped per burst
    assert entry.allowance(clock(), 0.25) <= 0.02 + 1e-9


def test_a_client_that_stops_acknowledging_gets_no_backlog(setup):
    clock, registry, scheduler = setup
    entry, outbox = live(registry, "a")
    entry.play()
    sent = []
    for _ in range(40):  # the sender sends, the browser never acknowledges
        clock.t += 0.05
        scheduler.run_once()
        if (raw := outbox.take()) is not None:
            sent.append(decode(raw))
    assert len(sent) == MAX_IN_FLIGHT  # the hello state and one frame, then nothing until an ack
    assert outbox.pending is None or outbox.pending_kind == "frame"
    trained = entry.session.step
    assert trained > sent[-1]["step"], "training goes on while the client is behind"
    outbox.ack(outbox.sent)  # it catches up: the next frame is the newest state, not the backlog
    clock.t += 0.2
    scheduler.run_once()
    newest = decode(outbox.take())
    assert newest["step"] >= trained and len(newest["frames"]) <= 6


def test_one_viewers_settings_never_reach_another_stream(setup):
    clock, registry, scheduler = setup
    a, box_a = live(registry, "a", Settings(dataset="moons", hidden_sizes=(3,), n_samples=100), marker="A:")
    b, box_b = live(registry, "b", Settings(dataset="circles", hidden_sizes=(5, 4), n_samples=100), marker="B:")
    drain(box_a), drain(box_b)
    a.play()
    b.play()
    messages_a, messages_b = [], []
    for _ in range(15):
        clock.t += 0.05
        scheduler.run_once()
        messages_a += drain(box_a)
        messages_b += drain(box_b)
    assert messages_a and messages_b
    assert all(m["header"]["title"].startswith("A:") for m in messages_a)
    assert all(m["header"]["title"].startswith("B:") for m in messages_b)

    def layers(message):  # the gradient chart's bars: one per weight layer
        return len(message["charts"]["gradients"][0]["update"]["x"][0])

    assert {layers(m) for m in messages_a if "gradients" in m["charts"]} == {2}  # 2-3-1
    assert {layers(m) for m in messages_b if "gradients" in m["charts"]} == {3}  # 2-5-4-1
    b.pause()  # one viewer's controls act on its own session only
    drain(box_b)
    stopped = b.session.step
    rounds(scheduler, clock, 5, outboxes=[box_a, box_b])
    assert b.session.step == stopped and a.session.step > 0 and a.playing


def test_registry_is_bounded_and_tokens_are_unguessable():
    registry = Registry(capacity=2)
    first = registry.open("s1", "pg")
    assert registry.open("s1", "pg") is first  # one entry per (browser session, page)
    assert registry.open("s1", "digits") is not first
    assert registry.open("s2", "pg") is None  # full: the page falls back and says so
    assert len(first.token) >= 32 and registry.get(first.token) is first
    assert registry.get("guess") is None


def test_entries_expire_with_their_browser_session():
    clock = Clock()
    registry = Registry(idle_ttl=600, orphan_grace=30, clock=clock)
    gone, alive, idle = (registry.open(owner, "pg") for owner in ("gone", "alive", "idle"))
    session = TrainingSession(Settings(n_samples=100))
    gone.attach(session, view_for(session))
    gone.connect(Outbox())
    alive.connect(Outbox())
    is_alive = {"gone": False, "alive": True, "idle": True}.get
    assert registry.sweep(is_alive) == []  # a reload or a short network drop gets a grace period
    clock.t += 31
    assert registry.sweep(is_alive) == [gone.token]
    assert registry.get(gone.token) is None and gone.session is None  # its memory is freed
    clock.t += 600
    assert registry.sweep(is_alive) == [idle.token]  # no socket, nothing touched it for 10 min
    assert registry.get(alive.token) is alive


def test_wire_roundtrip_keeps_arrays_and_quantizes_surfaces():
    surface = np.linspace(0, 1, 100 * 100, dtype=np.float32).reshape(100, 100)
    raw = encode({"type": "frame", "steps": np.arange(5), "cost": np.array([0.5, np.nan]), "z": Quantized(surface),
                  "nothing": float("nan")})
    assert len(raw) < 100 * 100 + 1000  # one byte per pixel
    message = decode(raw)
    assert message["steps"].tolist() == [0, 1, 2, 3, 4]
    assert np.isnan(message["cost"][1]) and message["nothing"] is None
    assert np.abs(message["z"] - surface).max() <= 1 / 255 / 2 + 1e-6
    (n,) = np.frombuffer(raw[:4], "<u4")
    assert n % 4 == 0  # arrays start aligned for typed-array views in the browser


@pytest.mark.parametrize("values", [
    np.array([[np.nan, 0.25, 1.0], [0.5, 0.75, 0.0]]),
    np.array([[np.inf, 2.0, -1.0]]),
    np.array([[-np.inf, 1.0, 3.0, np.nan]]),
    np.full((2, 2), np.nan),
    np.full((3, 3), 0.7),
    np.zeros((0, 4)),
])
def test_quantize_levels_span_the_finite_values_and_put_the_rest_at_the_bottom(values):
    """A finite array takes the quick path, one with NaN/inf the careful one: both give levels
    0…255 over the finite values' range, non-finite values at level 0."""
    levels, lo, hi = quantize(values)
    finite = np.isfinite(values)
    assert levels.dtype == np.uint8 and levels.shape == values.shape
    if finite.any() and np.ptp(values[finite]) > 0:
        assert (lo, hi) == (values[finite].min(), values[finite].max())
        expected = np.rint((values[finite] - lo) * (255.0 / (hi - lo)))
        np.testing.assert_array_equal(levels[finite], expected)
    else:
        assert not levels.any()
    assert not levels[~finite].any()


def test_quantize_quick_path_matches_the_careful_one_on_finite_values():
    rng = np.random.default_rng(1)
    for _ in range(200):
        values = (rng.normal(size=(17, 23)) * 10.0 ** rng.integers(-20, 20)).astype(np.float32)
        careful = values.copy()
        careful[0, 0] = np.nan  # forces the careful path; compare everywhere else
        quick, lo, hi = quantize(values)
        slow, slow_lo, slow_hi = quantize(careful)
        if (lo, hi) == (slow_lo, slow_hi):  # (the first value was not the minimum or maximum)
            np.testing.assert_array_equal(quick.ravel()[1:], slow.ravel()[1:])


def test_a_big_step_is_run_in_fair_slices_and_pause_stops_it(setup):
    clock, registry, scheduler = setup
    entry, outbox = live(registry, "a", Settings(n_samples=2000, batch_size=1, hidden_sizes=(32, 32, 32)))
    drain(outbox)
    entry.session._seconds_per_update = 1e-3  # as measured on a busy machine: queued, not refused
    assert entry.step(14000) == 0  # queued, not trained under the lock in one go
    assert entry.playing and entry.session.pending == 14000
    rounds(scheduler, clock, 5, outboxes=[outbox])
    ran = entry.session.step
    assert 0 < ran < 14000 and entry.session.pending == 14000 - ran
    entry.pause()
    assert entry.session.pending == 0 and not entry.playing
    rounds(scheduler, clock, 5, outboxes=[outbox])
    assert entry.session.step == ran  # nothing more ran after Pause


def test_a_queued_step_ends_with_a_step_state(setup):
    clock, registry, scheduler = setup
    entry, outbox = live(registry, "a", Settings(n_samples=100, batch_size=1, hidden_sizes=(64, 64, 64)))
    drain(outbox)
    entry.session._seconds_per_update = 1.0  # pretend this machine is slow: the step is queued
    entry.step(30)
    for _ in range(200):
        if not entry.playing:
            break
        rounds(scheduler, clock, 1, outboxes=[outbox])
    assert entry.session.step == 30 and entry.session.pending == 0 and not entry.playing


def test_a_step_too_long_for_one_click_is_refused_with_the_reason(setup):
    """A Step sent over the socket (the page does not rerun) says itself why it did not run."""
    clock, registry, scheduler = setup
    entry, outbox = live(registry, "a")
    drain(outbox)
    entry.session._seconds_per_update = 1.0  # a machine on which 100,000 updates take a day
    assert entry.step(100_000) == 0
    (state,) = drain(outbox)
    assert state["reason"] == "step" and state["notice"].startswith("Step not run.") and "limit" in state["notice"]
    assert entry.session.step == 0 and not entry.playing


def test_many_viewers_get_fewer_snapshots_and_history_rows_but_every_one_turns():
    """Thirty viewers: snapshots thin out to MIN_FRAME_RATE (never below), messages carry
    several, and the history keeps fewer rows (each costs an evaluation nobody would see)."""
    from playground.ui.stream.scheduler import MAX_MESSAGE_INTERVAL, MIN_FRAME_RATE, paces

    assert paces(1.0) == (1 / 30, 1 / 12)
    snapshot, message = paces(30 / 4)
    assert snapshot == 1 / MIN_FRAME_RATE and message == MAX_MESSAGE_INTERVAL
    clock = Clock()
    registry = Registry(capacity=40, clock=clock)
    scheduler = Scheduler(registry)
    entries = [live(registry, f"viewer{i}") for i in range(30)]
    for entry, _ in entries:
        entry.play()
    for _ in range(40):
        clock.t += 0.05
        scheduler.run_once()
        for _, outbox in entries:
            drain(outbox)
    assert all(entry.session.step > 0 for entry, _ in entries)  # nobody starved
    strides = {entry.session.history.stride for entry, _ in entries}
    assert min(strides) >= 8 * 30 / 4


def test_history_coarsens_by_doubling_and_keeps_the_newest_row():
    session = TrainingSession(Settings(n_samples=100))
    session.train(40)
    last = session.latest.step
    session.coarsen_history(20)
    history = session.history
    assert history.stride == 32  # 8 → 16 → 32: the first power-of-two multiple ≥ 20
    steps = history.column("step")
    assert steps[-1] == last and all(s % 32 == 0 for s in steps[:-1])
    session.train(64)
    later = session.history.column("step")
    later = later[later > last]
    assert later.tolist() == [64, 96, 104]  # every 32nd from now on, and the current step


def test_many_viewers_get_half_resolution_snapshots_where_the_page_allows_and_states_stay_whole():
    from dataclasses import replace

    clock = Clock()
    registry = Registry(capacity=40, clock=clock)
    scheduler = Scheduler(registry)
    entries = []
    for i in range(12):  # > COARSE_LOAD · LOAD_KNEE viewers
        entry, outbox = live(registry, f"viewer{i}")
        if i % 2 == 0:  # a page whose surface may be blended (P(class 1)) offers a coarse one
            entry.view = replace(entry.view, coarse_surface=lambda s, full=entry.view.surface: full(s)[::2, ::2])
        entry.play()
        entries.append((i, entry, outbox))
    shapes = {0: set(), 1: set()}
    for _ in range(60):
        clock.t += 0.05
        scheduler.run_once()
        for i, _, outbox in entries:
            for message in drain(outbox):
                if message["type"] == "frame":
                    shapes[i % 2] |= {frame["z"].shape for frame in message["frames"]}
    assert shapes[0] == {(10, 10)} and shapes[1] == {(20, 20)}
    entry, outbox = entries[0][1], entries[0][2]
    entry.pause()
    (state,) = drain(outbox)
    assert state["frames"][-1]["z"].shape == (20, 20)  # what Pause shows is exact
