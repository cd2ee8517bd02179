"""The live registry and its fair scheduler: every playing session trains here, none in a rerun.

Process-wide on purpose (DESIGN.md: "a fair scheduler"): one daemon thread trains every playing
session in turn and turns their state into compact frames for their sockets. What it holds:

- :class:`Registry` — unguessable token → :class:`LiveEntry`, one entry per (browser session,
  page). Thread-safe, bounded (``capacity``; beyond it ``open`` returns None and the page says so
  and falls back to the rerun loop), and entries expire with their browser session (``sweep``:
  the Streamlit session is gone for ``orphan_grace`` seconds, or nothing touched the entry for
  ``idle_ttl`` seconds). An entry holds only its own session's TrainingSession and view.
- :class:`LiveEntry` — one session's live state. ``lock`` guards training and everything read
  from the session: the scheduler (non-blocking: a busy entry is skipped this round), the page's
  rerun (settings changes, drawing) and the controls (play/pause/step/reset) all take it, so a
  settings rerun and the scheduler never race.
- :class:`Outbox` — one websocket's send slot: at most one message waiting plus ``MAX_IN_FLIGHT``
  sent and not yet acknowledged. A client that falls behind gets *fewer, newer* frames: the
  scheduler keeps training and builds the next frame only when the slot is free (coalescing,
  never a queue). A state message (after pause/step/reset) replaces whatever waits.
- :class:`Scheduler` — round-robin over the entries that are playing *and* connected, at most
  ``SLICE`` seconds each per turn, each within a CPU share (``SESSION_SHARE`` of a core, and
  ``TOTAL_SHARE`` split evenly when many play; ``PAGE_SHARE`` while a live page reruns).
  Nothing playing: it sleeps on a condition (no CPU).

Pure Python + NumPy (no Streamlit, no Starlette): unit tests drive ``Scheduler.run_once`` with a
fake clock.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .wire import Quantized, encode

SLICE = 0.004  # seconds of work per session per turn: short turns keep Pause and fairness sharp
MIN_SLICE = 0.001  # ... shorter with many viewers, so every one gets MIN_FRAME_RATE turns a second
SESSION_SHARE = 0.6  # one viewer trains on at most 0.6 core (its frames cost about a fifth on top)
TOTAL_SHARE = 0.95  # all playing viewers together (the rest is for Streamlit's reruns and sockets;
# controls travel on the socket and rerun nothing, so little else needs the process while all play)
PAGE_SHARE = 0.25  # ... while a live page is rerunning (a burst of Play clicks gets the GIL first)
PAGE_GRACE = 0.5  # seconds a rerun counts as going on after it last said so
MAX_CREDIT = 0.02  # a session that waited cannot burst for longer than this
SNAPSHOT_INTERVAL = 1 / 30  # boundary snapshots at up to 30 per second
MIN_FRAME_RATE = 12  # ... and, however many play, at least this many (issue 10: ≥ 10 on screen)
TURN_RATE = 13  # with many viewers, turns (training + frames) short enough for this many a second each
MESSAGE_INTERVAL = 1 / 12  # a frame message at most 12 times a second; it carries the snapshots since the last
MAX_MESSAGE_INTERVAL = 0.3  # with many viewers: fewer, fuller messages (each costs an evaluation)
MAX_SNAPSHOTS = 6  # per message; a client that fell behind gets the newest ones
MAX_IN_FLIGHT = 2  # messages sent but not acknowledged by the browser
MAX_UPDATES_PER_SLICE = 5000
HISTORY_STRIDE = 8  # with many viewers, a history row every HISTORY_STRIDE·load updates at most
COARSE_LOAD = 2  # from 2·LOAD_KNEE viewers on, boundary snapshots at half resolution where the page allows
LOAD_KNEE = 4  # with more viewers playing, charts other than the boundary update proportionally less often,
# boundary snapshots come at 30·LOAD_KNEE/N per second (at least MIN_FRAME_RATE), messages less often
STEP_INLINE_SECONDS = 0.2  # a Step estimated longer is queued and run in slices (TrainingSession.queue)


def paces(load: float) -> tuple[float, float]:
    """Seconds between boundary snapshots and between frame messages at this ``load`` (playing
    viewers / LOAD_KNEE, ≥ 1): 30 snapshots and 12 messages a second for a few viewers; with
    many, the snapshots thin out to MIN_FRAME_RATE and each message carries several of them
    (a message costs an evaluation of the whole data set for its counter and cards)."""
    snapshots = max(MIN_FRAME_RATE, 1 / SNAPSHOT_INTERVAL / load)
    return 1 / snapshots, min(MAX_MESSAGE_INTERVAL, MESSAGE_INTERVAL * load)


@dataclass(frozen=True)
class Chart:
    """One live chart of a page: ``build(session, cursor) -> (ops, cursor)``.

    ``cursor`` is what the chart last sent (None: the browser needs everything, e.g. after a
    reset or a rerun); ``ops`` are Plotly updates the browser applies to the chart with this
    ``key`` (see ``stream/__init__``). ``interval``: seconds between updates while playing."""

    key: str
    build: Callable[[Any, Any], tuple[list[dict], Any]]
    interval: float = MESSAGE_INTERVAL


@dataclass(frozen=True)
class LiveView:
    """What a page streams for its session: built by the page on every rerun from its own
    settings (so one viewer's settings only ever reach that viewer's entry)."""

    header: Callable[[Any], dict]  # session -> {"title": str, "metrics": [[label, value], ...]}
    surface_key: str | None = None  # the chart whose first trace's z plays the snapshots
    surface: Callable[[Any], np.ndarray] | None = None  # session -> (R, R) values
    # session -> the same surface at half the resolution over the same extent (a quarter of the
    # work), for many viewers; the browser interpolates it back (only for smooth surfaces: a
    # page leaves it None where neighbouring values must not be blended, e.g. class bands)
    coarse_surface: Callable[[Any], np.ndarray] | None = None
    charts: tuple[Chart, ...] = ()
    step_updates: Callable[[Any], int] = field(default=lambda session: 1)  # one Step press


class Outbox:
    """One connection's send slot (thread-safe): the scheduler or a control puts, the socket's
    sender takes; ``notify`` wakes the sender (on the event loop)."""

    def __init__(self, notify: Callable[[], None] = lambda: None, max_in_flight: int = MAX_IN_FLIGHT):
        self._lock = threading.Lock()
        self._notify = notify
        self.max_in_flight = max_in_flight
        self.pending: bytes | None = None
        self.pending_kind = ""
        self.sent = 0  # sequence number of the last message taken
        self.acked = 0
        self.dropped = 0  # frames that a newer state replaced before they were sent

    def ready(self) -> bool:
        """Room for a new frame: nothing waiting and the browser keeps up."""
        with self._lock:
            return self.pending is None and self.sent - self.acked < self.max_in_flight

    def idle(self) -> bool:
        """Nothing waits and the browser has acknowledged everything sent."""
        with self._lock:
            return self.pending is None and self.sent == self.acked

    def keeping_up(self) -> bool:
        """The browser acknowledges as fast as messages go out (a message may still wait to be sent)."""
        with self._lock:
            return self.sent - self.acked < self.max_in_flight

    def put(self, message: bytes, kind: str) -> None:
        """A frame only goes into an empty slot (callers check ``ready``); a state replaces."""
        with self._lock:
            if self.pending is not None:
                if kind == "frame":
                    return
                self.dropped += 1
            self.pending, self.pending_kind = message, kind
        self._notify()

    def take(self) -> bytes | None:
        with self._lock:
            message, self.pending = self.pending, None
            if message is not None:
                self.sent += 1
            return message

    def ack(self, seq: int) -> None:
        with self._lock:
            self.acked = max(self.acked, min(int(seq), self.sent))


class LiveEntry:
    """One browser session's live page: its TrainingSession, view, controls and frames."""

    def __init__(self, token: str, owner: str, page: str, clock: Callable[[], float] = time.monotonic):
        self.token, self.owner, self.page = token, owner, page
        self.clock = clock
        self.lock = threading.RLock()
        self.session = None
        self.view: LiveView | None = None
        self.make_view: Callable[[Any], LiveView] | None = None  # the page's view of a session (live_area)
        self.playing = False
        self.version = 0  # bumps when the state jumps (reset, step, new session): stale views yield
        self.outbox: Outbox | None = None
        self.touched = clock()
        self.wake: Callable[[], None] = lambda: None  # set by the registry: wakes the scheduler
        self._seq = 0
        self._credit = 0.0
        self._credit_time = clock()
        self._snapshots: deque = deque(maxlen=MAX_SNAPSHOTS)
        self._last_snapshot = -np.inf
        self._snapshot_credit = 1.0  # snapshots owed (see run_slice)
        self._snapshot_clock = clock()
        self._last_message = -np.inf
        self._chart_due: dict[str, float] = {}
        self.owes_charts = False  # a control's state went out without the charts (see _emit_state)
        self.overhead = 0.0  # seconds a turn spends on snapshots and messages (moving average)
        self._cursors: dict[str, Any] = {}
        # facts for the bench and the tests
        self.train_seconds = 0.0
        self.work_seconds = 0.0
        self.updates = 0
        self.frames_sent = 0

    def __repr__(self) -> str:
        step = getattr(self.session, "step", None)
        return f"LiveEntry(page={self.page!r}, step={step}, playing={self.playing})"

    # -- the page (Streamlit rerun) ------------------------------------------------------------
    def attach(self, session, view: LiveView) -> None:
        """The page's current session and view (every rerun). The next frame sends everything."""
        with self.lock:
            if session is not self.session:
                self.version += 1
                self._snapshots.clear()
            self.session, self.view = session, view
            self._cursors.clear()
            self.touched = self.clock()

    def restart(self, session) -> None:
        """The page built a new session (new weights, other data or network): paused, attached
        with the page's last view, and its state (counter, boundary) sent at once — from the
        rerun's first lines, so the browser paints the new boundary while the page is still
        being drawn (the rerun reaches ``attach`` only after the sidebar and the figures)."""
        with self.lock:
            self.playing = False
            if self.make_view is None:
                self._emit_state("pause")
                return
            self.attach(session, self.make_view(session))
            self._emit_state("reset")

    def connect(self, outbox: Outbox) -> None:
        """A socket opened for this entry (a second tab replaces the first)."""
        with self.lock:
            self.outbox = outbox
            self._cursors.clear()
            self.touched = self.clock()
            self._emit_state("hello")
        self.wake()

    def disconnect(self, outbox: Outbox) -> None:
        with self.lock:
            if self.outbox is outbox:
                self.outbox = None
            self.touched = self.clock()

    @property
    def active(self) -> bool:
        """Worth the scheduler's time: playing, a session to train and a socket to watch it."""
        return self.playing and self.outbox is not None and self.session is not None

    # -- controls (from the socket or the page's buttons) --------------------------------------
    def play(self) -> None:
        with self.lock:
            if self.session is None or self.session.diverged:
                self._emit_state("diverged" if self.session is not None else "pause")
                return
            if not self.playing:
                self.playing = True
                self._credit, self._credit_time = 0.0, self.clock()
                self._last_message = -np.inf
        self.wake()

    def pause(self) -> None:
        """Stop now: when this returns no frame of a later step will be sent (the scheduler
        trains only under ``lock``), and the browser gets the final state."""
        with self.lock:
            self.playing = False
            if hasattr(self.session, "cancel_pending"):
                self.session.cancel_pending()  # a queued big Step stops too
            self._snapshots.clear()
            self._emit_state("pause")

    def step(self, updates: int | None = None) -> int:
        """Pause and train one Step (the page's step size unless ``updates`` is given)."""
        with self.lock:
            self.playing = False
            self._snapshots.clear()
            if self.session is None:
                return 0
            n = max(1, int(updates if updates is not None else self.view.step_updates(self.session) if self.view else 1))
            session = self.session
            if hasattr(session, "queue") and session.estimate_seconds(n) > STEP_INLINE_SECONDS:
                # A big Step is not trained under the lock in one go: it is queued and the
                # scheduler runs it in fair slices like playing; Pause stops it (issue 14).
                session.cancel_pending()
                refused = session.queue(n)
                if refused is None:
                    self.playing = True
                    self._credit, self._credit_time = 0.0, self.clock()
                    self._last_message = -np.inf
                    self.wake()
                else:  # too long for one click: nothing runs and the page says why
                    self._emit_state("step", notice=f"Step not run. {refused}")
                return 0
            done = session.train(n)
            self.version += 1
            self._emit_state("step")
            return done

    def reset(self) -> None:
        """Pause and go back to update 0 (the same initial weights)."""
        with self.lock:
            self.playing = False
            self._snapshots.clear()
            if self.session is not None:
                self.session.reset()
            self.version += 1
            self._cursors.clear()
            self._emit_state("reset")

    def refresh(self) -> None:
        """The browser lost track of a chart (drawn late, or redrawn by a rerun): the next
        message sends every chart's data in full (now, as a state, when paused)."""
        with self.lock:
            self._cursors.clear()
            if not self.playing:
                self._emit_state("refresh")

    def control(self, kind: str, updates: int | None = None) -> None:
        """A browser → server message: play, pause, step, reset or refresh."""
        self.touched = self.clock()
        if kind == "refresh":
            self.refresh()
        elif kind == "play":
            self.play()
        elif kind == "pause":
            self.pause()
        elif kind == "step":
            self.step(updates)
        elif kind == "reset":
            self.reset()
        else:
            raise ValueError(f"unknown control {kind!r}: use play, pause, step, reset or refresh")

    # -- the scheduler (called with ``lock`` held) ---------------------------------------------
    def allowance(self, now: float, share: float, cap: float = MAX_CREDIT) -> float:
        """CPU seconds this entry may spend now: ``share`` of the time since the last look,
        at most ``cap`` saved up (a session that waited cannot burst)."""
        self._credit = min(cap, self._credit + share * max(0.0, now - self._credit_time))
        self._credit_time = now
        return self._credit

    def run_slice(self, budget: float, load: float = 1.0) -> float:
        """Train for up to ``budget`` seconds, keep a boundary snapshot when one is due and build
        a frame message when one is due and the socket has room. Returns the seconds spent.
        ``load`` ≥ 1 stretches the charts' intervals (many viewers: the boundary and the counter
        keep their rate, the slower views update less often)."""
        # CPU time of this thread, not wall time: on a machine shared with other work the
        # kernel may pause the thread mid-slice, and charging that pause to whichever viewer was
        # being served made the shares unfair (measured: some of 10 viewers got no turns).
        started = time.thread_time()
        session, outbox = self.session, self.outbox
        if not self.active:
            return 0.0
        if not session.diverged and getattr(session, "pending", 0) > 0:  # a queued Step
            self.updates += session.run_pending(budget)
            if session.pending == 0:
                self.playing = False
                self.version += 1
                self._emit_state("step")
                self.train_seconds += time.perf_counter() - started
                return time.perf_counter() - started
        elif not session.diverged:
            if load > 1 and hasattr(session, "coarsen_history"):
                # Many viewers: their charts update about once a second, so the history needs
                # fewer rows (each costs an evaluation of both data sets: ~1/4 of the training).
                session.coarsen_history(int(HISTORY_STRIDE * load))
            done = session.train(MAX_UPDATES_PER_SLICE, time_budget=budget)
            self.updates += done
        trained = time.thread_time() - started
        self.train_seconds += trained
        if session.diverged:
            self.playing = False
            self._emit_state("diverged")
        elif outbox.keeping_up():
            # Snapshots while the browser keeps up, even if the last message still waits for the
            # event loop to send it (busy with thirty sockets): the next message carries them all.
            now = self.clock()
            view = self.view
            snapshot_interval, message_interval = paces(load)
            coarse = load > COARSE_LOAD  # many viewers: half-resolution snapshots (a quarter of the work)
            # Snapshots at 1/snapshot_interval a second on average, at most one per turn: a
            # credit, not "interval passed since the last" — with turns every 75 ms and an
            # interval of 83 ms that took one every other turn (measured 8/s instead of 12).
            self._snapshot_credit = min(1.5, self._snapshot_credit + (now - self._snapshot_clock) / snapshot_interval)
            self._snapshot_clock = now
            if view.surface is not None and self._snapshot_credit >= 1.0:
                self._snapshot_credit -= 1.0
                self._snapshot(now, coarse)
            if outbox.ready() and now - self._last_message >= message_interval:
                if view.surface is not None and (not self._snapshots or self._snapshots[-1][0] != session.step):
                    self._snapshot_credit = max(-1.0, self._snapshot_credit - 1.0)  # counts toward the rate
                    self._snapshot(now, coarse)
                outbox.put(self._message("frame", now, load=load), "frame")
                self.owes_charts = False
                self.frames_sent += 1
        spent = time.thread_time() - started
        self._credit -= spent
        self.work_seconds += spent
        self.overhead = 0.8 * self.overhead + 0.2 * (spent - trained)  # snapshots and messages, per turn
        return spent

    def _snapshot(self, now: float, coarse: bool = False) -> None:
        surface = self.view.coarse_surface if coarse and self.view.coarse_surface is not None else self.view.surface
        self._snapshots.append((self.session.step, Quantized(surface(self.session))))
        self._last_snapshot = now

    # -- messages ------------------------------------------------------------------------------
    def _emit_state(self, reason: str, notice: str = "") -> None:
        """The current state at once (after a control, on connect): step, counter, metrics and
        the boundary — small and quick to build, so thirty viewers pressing Pause together are
        all answered at once (measured: building every chart inside each answer took seconds).
        The other charts follow in a second state message (reason "charts") that the scheduler
        builds on its next round (``owes_charts``): after a reset or a refresh every chart in
        full, after pause/step only what changed (the page does not rerun after a control). On
        connect the page has just drawn every chart itself: nothing follows."""
        if self.outbox is None:
            return
        if reason in ("hello", "refresh", "reset"):
            self._cursors.clear()
        self._snapshots.clear()
        if self.session is not None and self.view is not None and self.view.surface is not None:
            self._snapshot(self.clock())
        extra = {"notice": notice} if notice else {}
        self.outbox.put(self._message("state", self.clock(), reason, charts=False, extra=extra), "state")
        self.owes_charts = reason != "hello" and bool(self.view is not None and self.view.charts)
        if self.owes_charts:
            self.wake()

    def send_owed_charts(self) -> None:
        """The charts after a control (see ``_emit_state``), once the browser has applied the
        state (nothing unacknowledged): it paints the boundary and counter first — sent at once,
        the charts' drawing kept a Step's boundary off the screen for ~0.3 s. Called by the
        scheduler with ``lock`` held."""
        if not self.owes_charts or self.outbox is None or self.session is None or not self.outbox.idle():
            return
        self.owes_charts = False
        self._snapshots.clear()
        self.outbox.put(self._message("state", self.clock(), "charts"), "state")

    def _message(self, kind: str, now: float, reason: str = "", load: float = 1.0, charts: bool = True,
                 extra: dict | None = None) -> bytes:
        session = self.session
        if kind == "frame" and load > 1 and hasattr(session, "recorded_rows_only"):
            # many viewers: the cards and charts show the last recorded history row (at most
            # HISTORY_STRIDE·load updates old) instead of evaluating the current step per message
            with session.recorded_rows_only():
                return self._build_message(kind, now, reason, load, charts, extra)
        return self._build_message(kind, now, reason, load, charts, extra)

    def _build_message(self, kind: str, now: float, reason: str, load: float, charts: bool,
                       extra: dict | None) -> bytes:
        session, view = self.session, self.view
        self._seq += 1
        header: dict[str, Any] = {"type": kind, "seq": self._seq, "version": self.version,
                                  "playing": self.playing, "page": self.page, **(extra or {})}
        if reason:
            header["reason"] = reason
        if session is not None and view is not None:
            header.update(step=session.step, epoch=session.epoch, status=session.status,
                          train_seconds=round(self.train_seconds, 4),  # CPU spent training (for the bench)
                          message=session.message, header=view.header(session))
            if view.surface_key is not None:
                header["surface"] = view.surface_key
                header["frames"] = [{"step": step, "z": z} for step, z in self._snapshots]
            updates = {}
            for chart in view.charts if charts else ():
                if kind == "state" or now >= self._chart_due.get(chart.key, -np.inf):
                    ops, self._cursors[chart.key] = chart.build(session, self._cursors.get(chart.key))
                    # with many viewers, the slow views (intervals above a message's) thin out faster
                    stretch = load if chart.interval <= MESSAGE_INTERVAL else load ** 1.5
                    self._chart_due[chart.key] = now + chart.interval * stretch
                    if ops:
                        updates[chart.key] = ops
            header["charts"] = updates
        self._snapshots.clear()
        self._last_message = now
        return encode(header)


class Registry:
    """Token → LiveEntry for the whole process (thread-safe, at most ``capacity`` entries)."""

    def __init__(self, capacity: int = 48, idle_ttl: float = 600.0, orphan_grace: float = 30.0,
                 clock: Callable[[], float] = time.monotonic):
        self.capacity, self.idle_ttl, self.orphan_grace = capacity, idle_ttl, orphan_grace
        self.clock = clock
        self._lock = threading.Lock()
        self._by_token: dict[str, LiveEntry] = {}
        self._by_owner: dict[tuple[str, str], str] = {}
        self._orphaned: dict[str, float] = {}  # token -> when its browser session was first seen gone
        self.wake: Callable[[], None] = lambda: None

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_token)

    def open(self, owner: str, page: str) -> LiveEntry | None:
        """This browser session's entry for ``page`` (created on first use); None when full."""
        with self._lock:
            token = self._by_owner.get((owner, page))
            if token is not None:
                entry = self._by_token[token]
                entry.touched = self.clock()
                return entry
            if len(self._by_token) >= self.capacity:
                return None
            token = secrets.token_urlsafe(24)
            entry = LiveEntry(token, owner, page, self.clock)
            entry.wake = lambda: self.wake()
            self._by_token[token] = entry
            self._by_owner[(owner, page)] = token
            return entry

    def get(self, token: str) -> LiveEntry | None:
        with self._lock:
            return self._by_token.get(token)

    def entries(self) -> list[LiveEntry]:
        with self._lock:
            return list(self._by_token.values())

    def close(self, token: str) -> None:
        with self._lock:
            entry = self._by_token.pop(token, None)
            self._orphaned.pop(token, None)
            if entry is not None:
                self._by_owner.pop((entry.owner, entry.page), None)
        if entry is not None:
            with entry.lock:
                entry.playing = False
                entry.session = entry.view = None  # free the session's memory now

    def sweep(self, is_alive: Callable[[str], bool] | None = None) -> list[str]:
        """Close entries whose browser session ended (``is_alive(owner)`` False for
        ``orphan_grace`` s) or that nothing touched for ``idle_ttl`` s while disconnected."""
        now = self.clock()
        expired = []
        for entry in self.entries():
            if is_alive is not None and not is_alive(entry.owner):
                since = self._orphaned.setdefault(entry.token, now)
                if now - since >= self.orphan_grace:
                    expired.append(entry.token)
                    continue
            else:
                self._orphaned.pop(entry.token, None)
            if entry.outbox is None and now - entry.touched >= self.idle_ttl:
                expired.append(entry.token)
        for token in expired:
            self.close(token)
        return expired


class Scheduler:
    """Round-robin over the active entries of a registry, in one thread (``start``) or one
    round at a time (``run_once``, for tests)."""

    def __init__(self, registry: Registry, slice_seconds: float = SLICE, session_share: float = SESSION_SHARE,
                 total_share: float = TOTAL_SHARE, is_alive: Callable[[str], bool] | None = None,
                 sweep_every: float = 5.0, max_credit: float = MAX_CREDIT):
        self.registry = registry
        self.max_credit = max_credit
        self.slice_seconds, self.session_share, self.total_share = slice_seconds, session_share, total_share
        self.is_alive = is_alive
        self.sweep_every = sweep_every
        self._turn = 0
        self._wakeup = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._last_sweep = registry.clock()
        self._page_busy_until = -np.inf
        registry.wake = self.wake

    def page_running(self) -> None:
        """A live page is rerunning (its buttons were clicked, settings changed): for the next
        ``PAGE_GRACE`` seconds the scheduler takes at most ``PAGE_SHARE`` of the time, so the
        reruns — which share this process and its GIL — finish first (measured: 30 Play clicks
        against a scheduler at full share took over 30 s to be answered)."""
        self._page_busy_until = self.registry.clock() + PAGE_GRACE

    def wake(self) -> None:
        with self._wakeup:
            self._wakeup.notify()

    def share(self, n_active: int) -> float:
        total = self.total_share
        if self.registry.clock() < self._page_busy_until:
            total = min(total, PAGE_SHARE)
        return min(self.session_share, total / max(n_active, 1))

    def run_once(self) -> float | None:
        """One round: a slice for every active entry that has CPU credit and is not locked by
        its page. Returns how long to wait before the next round (None: nothing is playing)."""
        registry = self.registry
        now = registry.clock()
        if now - self._last_sweep >= self.sweep_every:
            self._last_sweep = now
            registry.sweep(self.is_alive)
        entries = registry.entries()
        for entry in entries:  # charts owed after a control (paused entries: no slices)
            if entry.owes_charts and not entry.active and entry.lock.acquire(blocking=False):
                try:
                    entry.send_owed_charts()
                except Exception:
                    logging.getLogger(__name__).exception("live view of %r failed", entry)
                    entry.owes_charts = False
                finally:
                    entry.lock.release()
        active = [e for e in entries if e.active]
        if not active:
            return 0.01 if any(e.owes_charts and e.outbox is not None for e in entries) else None
        self._turn = (self._turn + 1) % len(active)
        share = self.share(len(active))
        load = max(1.0, len(active) / LOAD_KNEE)
        # Turns short enough that every viewer gets about TURN_RATE of them a second (a snapshot
        # is taken at most once per turn): 4 ms each for a few viewers, ~2.6 ms for thirty.
        # (Wall time, not the share: with many viewers the process is busy, and turns sized from
        # the share grew long enough to cost frames — measured 8.6/s at 30 viewers.)
        slice_seconds = (self.slice_seconds if len(active) <= LOAD_KNEE
                         else min(self.slice_seconds, max(MIN_SLICE, 1 / (TURN_RATE * len(active)))))
        wait = 0.05
        for entry in active[self._turn:] + active[:self._turn]:
            if not entry.lock.acquire(blocking=False):  # its page is rerunning: next round
                wait = min(wait, 0.002)
                continue
            try:
                credit = entry.allowance(registry.clock(), share, self.max_credit)
                if credit < slice_seconds / 4:
                    wait = min(wait, (slice_seconds / 4 - credit) / share)
                    continue
                # with many viewers a turn is its training plus its frames: together slice_seconds
                budget = slice_seconds if len(active) <= LOAD_KNEE else max(MIN_SLICE, slice_seconds - entry.overhead)
                entry.run_slice(min(budget, credit), load)
                wait = 0.0
            except Exception:  # a bug in one page's view stops that viewer, not everyone
                logging.getLogger(__name__).exception("live view of %r failed; paused", entry)
                entry.playing = False
            finally:
                entry.lock.release()
        return max(0.0, wait)

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stopping = False
            self._thread = threading.Thread(target=self._loop, name="np-live-scheduler", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping = True
        self.wake()
        if self._thread is not None:
            self._thread.join(5)

    def _loop(self) -> None:
        while not self._stopping:
            try:
                wait = self.run_once()
            except Exception:
                logging.getLogger(__name__).exception("live scheduler round failed")
                wait = 0.1
            if wait is None:
                with self._wakeup:
                    self._wakeup.wait(self.sweep_every)
            elif wait > 0:
                with self._wakeup:
                    self._wakeup.wait(wait)
