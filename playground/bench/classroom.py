"""A classroom on one server: ``python -m playground.bench --classroom 1,10,30 [--json]``.

Starts a real ``streamlit run app.py`` on 127.0.0.1 (a free port; ``/_stcore/health`` polled)
for each viewer count, opens the default Playground page N times at once, presses Play in
all of them, measures while they play, then presses Pause and Step in all of them, and stops
the server. Traffic goes only to loopback, every phase has a timeout, and the server (its
whole process group) is killed on every way out.

Why viewers speak Streamlit's websocket protocol instead of driving Chromium: thirty Chromium
tabs (each running Plotly at display rate) would take most of the two cores the server under
test needs, so the bench would measure the browsers. A viewer here is a small asyncio client
(the ``websockets`` package, a dependency of Streamlit itself) that sends the same protobuf
``BackMsg`` the browser sends and reads the ``ForwardMsg`` stream — it renders nothing. It
acts exactly where the page's JavaScript acts:

- the rerun loop: Play/Pause/Step are button clicks, a ``rerun_script`` with the button's
  trigger value, the widget id taken from the page's own ``Button`` element;
- the old transport (an ``st.fragment`` re-requested by the clock component): after each
  fragment run the clock asks for the next one once the boundary chart has at most ``lead``
  frames left to show (at most 10 a second, ``live_chart.FRAME_MS``), at least ``min_ms`` after
  the run and at the latest after ``max_ms`` — the same rule as ``clock.js``, with a
  chart that draws instantly (the bench measures the server, not Plotly);
- a click on Pause/Step drops queued frames (as ``live_chart.js`` does);
- the live socket (the ``st.App`` route, PROTOCOL in ``playground/ui/stream``): the page's
  ``neural_playground.live_stream`` element gives the token, the viewer connects
  ``/_np/live?token=…``, acknowledges every message on arrival (the browser acknowledges once it
  has drawn it; the server keeps at most two unacknowledged), presses Play/Pause/Step on the
  element's own buttons — one JSON message on the socket each, no rerun (as ``client.js``
  does) — and ignores frames between a click and the server's state message.

``--transport auto`` (the default) uses whichever the page draws.

Per viewer it reports training updates/s (from the update number the server sends), boundary
frames/s (rerun loop: shown by the chart model; live socket: boundary snapshots received),
Pause latency (click → nothing moves any more: the last changed frame, or the socket's pause
state message), the time until the button shows Play again, and Step latency (click → the next
update arrives). For the server: CPU in cores over the measured interval
(``/proc/<pid>/stat`` utime+stime), how long its threads waited for a CPU (``schedstat``: on
a machine shared with other work the kernel shares CPUs per thread, so a server doing its work
on one thread gets less of a busy machine than one running thirty script threads — compare
rows taken at similar load) and peak RSS (``VmHWM``). ``--soak MINUTES`` keeps
the viewers playing that long and reports the server's RSS over time (the memory soak test).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

# Only Streamlit's message definitions (the wire protocol), never its runtime: this is a client.
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parents[2]
CLK_TCK = os.sysconf("SC_CLK_TCK")

# What live_chart.js and clock.js do in the browser.
FRAME_MS = 100  # sub-frames of one tick shown at most 10 a second
MAX_QUEUE = 8
CLOCK_POLL_S = 0.015
BOUNDARY_KEY = "pg.boundary"
CLOCK_KEY = "pg.clock"
PLAY_KEY = "pg.play_button"
STEP_KEY = "pg.step_button"
CONTROLS_KEY = "pg.stream_controls"  # the live socket's Play/Pause, Step and Reset (one element)

OPEN_TIMEOUT = 180.0  # all viewers have the page (thirty opening at once on a busy machine take long)
PHASE_TIMEOUT = 30.0  # Pause / Step settle
QUIET_S = 1.0  # Pause: nothing may move for this long to count as stopped


# -- the server -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run app.py`` on 127.0.0.1 in its own process group; ``stop()`` kills the group."""

    def __init__(self, config: dict[str, str] | None = None, root: Path = ROOT):
        self.port = free_port()
        args = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                "--server.address", "127.0.0.1", "--server.port", str(self.port),
                "--browser.gatherUsageStats", "false"]
        for key, value in (config or {}).items():
            args += [f"--{key}", value]
        # The log goes to a file: an unread pipe fills up and blocks a chatty server.
        self.log = tempfile.TemporaryFile()
        self.log_tail = ""
        self.proc = subprocess.Popen(args, cwd=root, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.pid = self.proc.pid

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("streamlit exited: " + self.log.read().decode(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit did not answer /_stcore/health within {timeout:.0f} s")

    def cpu_seconds(self) -> float:
        """utime + stime of the server process (all its threads)."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def cpu_wait_seconds(self) -> float:
        """Time the server's threads were ready to run but waited for a CPU (``schedstat``):
        how much other work on the machine held the server back."""
        total = 0
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                continue  # a thread that just ended
        return total / 1e9

    def memory_mb(self) -> tuple[float, float]:
        """(current RSS, peak RSS) in MB."""
        values = {}
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    values[line[:5]] = int(line.split()[1]) / 1024
        return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)

    def stop(self) -> None:
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self.log.seek(0)
        self.log_tail = self.log.read().decode(errors="replace")[-4000:]
        self.log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# -- Streamlit's protocol -----------------------------------------------------------------------------
def key_of(element_id: str) -> str:
    """The user key at the end of a Streamlit element id (``$$ID-<hash>-<key>``)."""
    return element_id.split("-", 2)[2] if element_id.startswith("$$ID-") and element_id.count("-") >= 2 else ""


def rerun_msg(page_script_hash: str = "", query_string: str = "", widgets: list | None = None,
              fragment_id: str = "") -> bytes:
    """A ``BackMsg.rerun_script`` as the browser sends it (widget states: only those that changed;
    the server keeps the others)."""
    msg = BackMsg()
    rerun = msg.rerun_script
    rerun.query_string = query_string
    rerun.page_script_hash = page_script_hash
    rerun.fragment_id = fragment_id
    rerun.context_info.timezone = "UTC"
    rerun.context_info.locale = "en-US"
    for widget in widgets or []:
        rerun.widget_states.widgets.append(widget)
    return msg.SerializeToString()


def button_click(widget_id: str) -> WidgetState:
    return WidgetState(id=widget_id, trigger_value=True)


def component_trigger(component_id: str, event: str, value) -> WidgetState:
    """A components-v2 ``setTriggerValue(event, value)``: one JSON payload list on the component's
    trigger aggregator widget."""
    # Streamlit's _make_trigger_id(component_id, "events"); tests/test_bench_classroom.py checks it.
    return WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{component_id}__events",
                       json_trigger_value=json.dumps([{"event": event, "value": value}]))


@dataclass
class Element:
    id: str
    fragment_id: str
    data: dict | None = None  # components: their JSON data
    label: str = ""  # buttons
    name: str = ""  # components: the component's name


def parse_elements(raw: bytes) -> tuple[ForwardMsg, list[Element]]:
    """One ForwardMsg and the buttons/components it adds (the bench's view of a delta)."""
    msg = ForwardMsg()
    msg.ParseFromString(raw)
    found = []
    if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "button":
            found.append(Element(element.button.id, msg.delta.fragment_id, label=element.button.label))
        elif kind == "bidi_component":
            component = element.bidi_component
            data = json.loads(component.json) if component.WhichOneof("data") == "json" else None
            found.append(Element(component.id, msg.delta.fragment_id, data=data, name=component.component_name))
    return msg, found


# -- viewers ---------------------------------------------------------------------------------------------
class BoundaryChart:
    """What ``live_chart.js`` does with the boundary chart's data, drawing instantly: a queue of
    revisions shown at most every FRAME_MS; ``shown`` records (time, revision)."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.queue: list[int] = []
        self.busy = False
        self.hold = False
        self.shown: list[tuple[float, int]] = []

    @property
    def pending(self) -> int:
        return len(self.queue) + (1 if self.busy else 0)

    def receive(self, data: dict) -> None:
        animate = bool(data.get("animate")) and not self.hold
        if not data.get("animate"):
            self.hold = False
        items = [int(f["revision"]) for f in data.get("frames") or []] if animate else []
        items.append(int(data.get("revision", 0)))
        self.queue = ((self.queue + items) if animate else items)[-MAX_QUEUE:]
        if not self.busy:
            self._play_next()

    def click(self) -> None:
        """Pause/Step/Reset: keep only the newest queued frame."""
        self.hold = True
        self.queue = self.queue[-1:]

    def _play_next(self) -> None:
        if not self.queue:
            self.busy = False
            return
        self.busy = True
        revision = self.queue.pop(0)
        if not self.shown or self.shown[-1][1] != revision:
            self.shown.append((time.monotonic(), revision))
        if self.queue:
            self.loop.call_later(FRAME_MS / 1000, self._play_next)
        else:
            self.loop.call_soon(self._play_next)


class Viewer:
    """One browser tab on the default Playground page, speaking Streamlit's protocol without
    rendering. Subclasses add how training is driven and measured (the transport)."""

    transport = ""

    def __init__(self, base: str, cookie: str = "", session_id: str = ""):
        self.base = base  # http://host:port
        self.cookie = cookie
        self.session_id = session_id  # set: reconnect to that session (as the browser does)
        self.ws = None
        self.page_script_hash = ""
        self.buttons: dict[str, Element] = {}
        self.components: dict[str, Element] = {}  # by component name
        self.component_keys: dict[str, Element] = {}  # by element key
        self.finished = asyncio.Event()
        self.tasks: list[asyncio.Task] = []
        self.error: str | None = None
        self.handshake_headers = None  # of the websocket upgrade response
        self.open_s = 0.0  # page open: first rerun sent → script finished with the Play button drawn
        self.timeline: list[tuple[float, int]] = []  # (arrival, update number shown)
        self.frames: list[float] = []  # arrival of each boundary frame shown

    # -- connection
    async def connect(self, path: str, protocols: list[str] | None = None):
        from websockets.asyncio.client import connect

        return await connect(self.base.replace("http", "ws", 1) + path, subprotocols=protocols, origin=self.base,
                             max_size=None, open_timeout=OPEN_TIMEOUT,
                             # Browsers send no pings of their own; a busy server would miss them.
                             ping_interval=None,
                             additional_headers={"Cookie": self.cookie} if self.cookie else None)

    async def open(self) -> None:
        """Open the page: connect, run the script, wait until the Play button is drawn."""
        # The browser offers "streamlit", its XSRF token and, when reconnecting, its session id.
        self.ws = await self.connect("/_stcore/stream", ["streamlit", "PLACEHOLDER_AUTH_TOKEN", self.session_id]
                                     if self.session_id else ["streamlit"])
        self.handshake_headers = self.ws.response.headers
        self.tasks.append(asyncio.create_task(self._read(self.ws, self._handle)))
        self.finished.clear()
        started = time.monotonic()
        await self.ws.send(rerun_msg())
        await self.wait(lambda: (PLAY_KEY in self.buttons or CONTROLS_KEY in self.component_keys)
                        and self.finished.is_set(), OPEN_TIMEOUT, "page open")
        self.open_s = time.monotonic() - started

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.ws is not None:
            await self.ws.close()

    async def _read(self, ws, handle) -> None:
        try:
            async for raw in ws:
                handle(raw)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the phase waiting on this viewer reports it
            self.error = f"{type(error).__name__}: {error}"
        else:
            self.error = self.error or f"connection closed ({ws.close_code} {ws.close_reason})"

    def _handle(self, raw: bytes) -> None:
        msg, elements = parse_elements(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self.finished.clear()  # a full script run starts
        elif kind == "script_finished":
            self.finished.set()
        for element in elements:
            if element.data is None:
                self.buttons[key_of(element.id)] = element
            else:
                self.on_component(element)

    def on_component(self, element: Element) -> None:
        self.components[element.name] = element
        self.component_keys[key_of(element.id)] = element

    async def click(self, key: str) -> float:
        """Click a transport button (a rerun with its trigger); returns the time of the click."""
        clicked = time.monotonic()
        await self.ws.send(rerun_msg(self.page_script_hash, widgets=[button_click(self.buttons[key].id)]))
        return clicked

    @property
    def label(self) -> str:
        return self.buttons[PLAY_KEY].label

    async def wait(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.error:
                raise RuntimeError(f"viewer lost its connection during {what}: {self.error}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what}: no answer within {timeout:.0f} s")
            await asyncio.sleep(0.01)

    # -- what a person does (each transport implements these)
    async def play(self) -> None:
        raise NotImplementedError

    async def pause(self) -> dict:
        """Returns pause_s (click → nothing moves any more), button_s (→ the button shows Play)
        and moved (updates that still arrived after the pause took effect)."""
        raise NotImplementedError

    async def step(self) -> float:
        raise NotImplementedError

    # -- measurements
    @property
    def update(self) -> int:
        return self.timeline[-1][1] if self.timeline else 0

    def update_at(self, t: float) -> int:
        last = 0
        for when, value in self.timeline:
            if when > t:
                break
            last = value
        return last

    def frames_between(self, t0: float, t1: float) -> int:
        return sum(1 for when in self.frames if t0 < when <= t1)


class OldViewer(Viewer):
    """The rerun loop: an ``st.fragment`` re-requested by the clock component (``live.live_area``)."""

    transport = "old"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.chart = BoundaryChart(asyncio.get_running_loop())
        self.clock_task: asyncio.Task | None = None

    async def close(self) -> None:
        if self.clock_task:
            self.clock_task.cancel()
        await super().close()

    def on_component(self, element: Element) -> None:
        super().on_component(element)
        key = key_of(element.id)
        if key == BOUNDARY_KEY:
            self.chart.receive(element.data)
            self.timeline.append((time.monotonic(), int(element.data.get("revision", 0))))
        elif key == CLOCK_KEY:
            self._clock(element)

    # what the page's JavaScript does
    def _clock(self, clock: Element) -> None:
        if self.clock_task:
            self.clock_task.cancel()
            self.clock_task = None
        if clock.data and clock.data.get("playing"):
            self.clock_task = asyncio.create_task(self._tick_when_drawn(clock))

    async def _tick_when_drawn(self, clock: Element) -> None:
        data, started = clock.data, time.monotonic()
        lead, min_s, max_s = int(data.get("lead", 0)), data["min_ms"] / 1000, data["max_ms"] / 1000
        while True:
            await asyncio.sleep(CLOCK_POLL_S)
            elapsed = time.monotonic() - started
            shown = self.chart.shown
            drawn = self.chart.pending <= lead and (lead > 0 or (shown and shown[-1][1] == data["revision"]))
            if (drawn and elapsed >= min_s) or elapsed > max_s:
                break
        self.clock_task = None
        await self.ws.send(rerun_msg(self.page_script_hash, widgets=[
            component_trigger(clock.id, "tick", data["revision"])], fragment_id=clock.fragment_id))

    async def click(self, key: str) -> float:
        if key != PLAY_KEY or self.label == "Pause":
            self.chart.click()  # live_chart.js: a click on Pause/Step/Reset drops queued frames
        if self.clock_task:  # the page's rerun replaces the clock; its pending tick no longer counts
            self.clock_task.cancel()
            self.clock_task = None
        return await super().click(key)

    def frames_between(self, t0: float, t1: float) -> int:
        return sum(1 for when, _ in self.chart.shown if t0 < when <= t1)

    async def play(self) -> None:
        await self.click(PLAY_KEY)
        await self.wait(lambda: self.label == "Pause", PHASE_TIMEOUT, "Play")

    async def pause(self) -> dict:
        clicked = await self.click(PLAY_KEY)
        await self.wait(lambda: self.label == "Play", PHASE_TIMEOUT, "Pause")
        button = time.monotonic()

        def quiet() -> bool:
            last = self.chart.shown[-1][0] if self.chart.shown else 0.0
            return not self.chart.busy and time.monotonic() - max(last, button) >= QUIET_S

        await self.wait(quiet, PHASE_TIMEOUT, "Pause (frames stopping)")
        last_move = max([when for when, _ in self.chart.shown if when > clicked], default=clicked)
        stopped = max(button, last_move)
        moved = sum(1 for when, _ in self.chart.shown if when > button)
        return {"pause_s": stopped - clicked, "button_s": button - clicked, "moved": moved}

    async def step(self) -> float:
        before = self.chart.shown[-1][1] if self.chart.shown else 0
        clicked = await self.click(STEP_KEY)
        await self.wait(lambda: self.chart.shown and self.chart.shown[-1][1] > before, PHASE_TIMEOUT, "Step")
        return self.chart.shown[-1][0] - clicked


LIVE_STREAM = "neural_playground.live_stream"


def live_header(raw: bytes) -> dict:
    """The JSON header of a live-socket message: ``uint32 LE n | n bytes JSON | arrays``."""
    n = int.from_bytes(raw[:4], "little")
    return json.loads(raw[4:4 + n])


class NewViewer(Viewer):
    """The live socket (PROTOCOL-live: ``/_np/live?token=…``): frames pushed by the server's
    scheduler, acknowledged on arrival (at most two in flight). Play/Pause/Step are the socket's
    own buttons (``client.js``): a click is one JSON message on the socket and reruns nothing."""

    transport = "new"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.live = None
        self.states: list[tuple[float, dict]] = []  # (arrival, header) of state messages
        self.hold = False
        self.playing = False  # what the socket's Play/Pause button shows
        self.chart_updates: dict[str, list[float]] = {}  # chart key → arrival of each update
        self.train_seconds: list[tuple[float, float]] = []  # (arrival, the server's CPU spent training it)

    def chart_rates(self, t0: float, t1: float) -> dict[str, float]:
        """Updates per second of each chart other than the boundary."""
        return {key.split(".", 1)[-1]: sum(1 for when in times if t0 < when <= t1) / (t1 - t0)
                for key, times in self.chart_updates.items()}

    def train_cores(self, t0: float, t1: float) -> float:
        """CPU the server spent training this viewer's network, in cores."""
        inside = [(when, seconds) for when, seconds in self.train_seconds if t0 <= when <= t1]
        if len(inside) < 2:
            return 0.0
        (a, x), (b, y) = inside[0], inside[-1]
        return (y - x) / (b - a) if b > a else 0.0

    async def open(self) -> None:
        await super().open()
        stream = self.component_keys.get(CONTROLS_KEY) or self.components.get(LIVE_STREAM)
        if stream is None:
            raise RuntimeError("the page has no live socket element (old transport?)")
        path = stream.data.get("path", "/_np/live")
        self.step_updates = int(stream.data.get("step_updates", 1))
        self.live = await self.connect(f"{path}?token={stream.data['token']}")
        self.tasks.append(asyncio.create_task(self._read(self.live, self._live_message)))
        await self.wait(lambda: self.states, OPEN_TIMEOUT, "live socket hello")

    async def close(self) -> None:
        if self.live is not None:
            await self.live.close()
        await super().close()

    @property
    def label(self) -> str:
        if PLAY_KEY in self.buttons:  # a page whose Play is a Streamlit button
            return super().label
        return "Pause" if self.playing else "Play"

    def _live_message(self, raw) -> None:
        if isinstance(raw, str):
            return
        header, now = live_header(raw), time.monotonic()
        self.tasks.append(asyncio.create_task(self.live.send(json.dumps({"type": "ack", "seq": header["seq"]}))))
        if len(self.tasks) > 64:
            self.tasks = [t for t in self.tasks if not t.done()]
        if header["type"] == "state":
            self.hold = False
            self.states.append((now, header))
        elif self.hold or not header.get("playing"):
            return  # client.js: frames after a click wait for the server's state message
        self.playing = bool(header.get("playing"))
        self.timeline.append((now, int(header["step"])))
        self.frames += [now] * len(header.get("frames") or [])
        for key in header.get("charts") or {}:
            self.chart_updates.setdefault(key, []).append(now)
        if "train_seconds" in header:
            self.train_seconds.append((now, float(header["train_seconds"])))

    async def send(self, message: dict) -> None:
        await self.live.send(json.dumps(message))

    async def play(self) -> None:
        self.hold = False
        await self.send({"type": "play"})
        await self.wait(lambda: self.playing, PHASE_TIMEOUT, "Play")

    async def pause(self) -> dict:
        """The button shows Play at the click (client.js) and the server's pause state confirms
        it: both times are the state's arrival."""
        self.hold = True
        clicked = time.monotonic()
        states = len(self.states)
        await self.send({"type": "pause"})
        await self.wait(lambda: any(h.get("reason") == "pause" for _, h in self.states[states:]), PHASE_TIMEOUT,
                        "Pause (state message)")
        stopped = next(t for t, h in self.states[states:] if h.get("reason") == "pause")
        paused_at = self.update
        await asyncio.sleep(QUIET_S)
        moved = sum(1 for when, step in self.timeline if when > stopped and step != paused_at)
        return {"pause_s": stopped - clicked, "button_s": stopped - clicked, "moved": moved}

    async def step(self) -> float:
        before = self.update
        self.hold = True
        clicked = time.monotonic()
        await self.send({"type": "step", "updates": self.step_updates})
        await self.wait(lambda: self.update > before, PHASE_TIMEOUT, "Step")
        return self.timeline[-1][0] - clicked


TRANSPORTS = {"old": OldViewer, "new": NewViewer}


async def open_viewer(base: str, transport: str = "auto", cookie: str = "", session_id: str = "") -> Viewer:
    """A viewer with the page open (``transport`` "auto": whichever the page uses)."""
    if transport == "auto":
        transport = await detect_transport(base, cookie)
    viewer = TRANSPORTS[transport](base, cookie=cookie, session_id=session_id)
    try:
        await viewer.open()
    except BaseException:
        await viewer.close()
        raise
    return viewer


async def detect_transport(base: str, cookie: str = "") -> str:
    """Which transport does the page use? Open it once and look for the live socket element."""
    viewer = Viewer(base, cookie=cookie)
    try:
        await viewer.open()
        return "new" if LIVE_STREAM in viewer.components else "old"
    finally:
        await viewer.close()


# -- one run: N viewers ------------------------------------------------------------------------------------
@dataclass
class Result:
    viewers: int
    transport: str
    seconds: float
    updates_per_s: list[float]
    frames_per_s: list[float]
    pause_s: list[float]
    button_s: list[float]
    moved_after_pause: int
    step_s: list[float]
    last_update: list[int]  # each viewer's update number after its Step
    open_s: list[float]  # opening the page, all viewers at once
    server_cpu_cores: float
    server_cpu_wait: float  # seconds per second the server's threads waited for a CPU
    server_rss_peak_mb: float
    server_rss_start_mb: float
    client_cpu_cores: float
    load: str
    rss_samples: list[tuple[float, float]] = field(default_factory=list)  # soak: (seconds, MB)
    app: str = ""  # the checkout served, when several are compared
    chart_rates: dict[str, float] = field(default_factory=dict)  # live socket: median updates/s per chart
    train_cores: float = 0.0  # live socket: CPU the server spent training, all viewers together

    def summary(self) -> dict:
        def stats(values):
            return {"min": min(values), "median": statistics.median(values), "max": max(values)}

        out = asdict(self)
        for name in ("updates_per_s", "frames_per_s", "pause_s", "button_s", "step_s", "open_s"):
            out[name] = stats(out[name])
        return out


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


async def drive(server: Server, n: int, transport: str, warmup: float, seconds: float, soak: float,
                progress) -> Result:
    base = f"http://127.0.0.1:{server.port}"
    if transport == "auto":
        transport = await detect_transport(base)
    viewers = [TRANSPORTS[transport](base) for _ in range(n)]
    try:
        await asyncio.gather(*(v.open() for v in viewers))
        rss_start = server.memory_mb()[0]
        progress(f"{n} viewer(s) opened the page ({transport} transport); RSS {rss_start:.0f} MB; pressing Play")
        await asyncio.gather(*(v.play() for v in viewers))
        await asyncio.sleep(warmup)
        samples = []
        t0, cpu0, wait0, client0 = time.monotonic(), server.cpu_seconds(), server.cpu_wait_seconds(), time.process_time()
        duration = soak or seconds
        while (elapsed := time.monotonic() - t0) < duration:
            await asyncio.sleep(min(10.0, duration - elapsed) if soak else duration - elapsed)
            for v in viewers:
                if v.error:
                    raise RuntimeError(f"a viewer lost its connection while playing: {v.error}")
            if soak:
                now = time.monotonic()
                samples.append((round(now - t0, 1), round(server.memory_mb()[0], 1)))
                moving = sum(1 for v in viewers if v.update_at(now) > v.update_at(now - 10))
                progress(f"  {samples[-1][0]:6.0f} s  RSS {samples[-1][1]:.0f} MB  {moving}/{n} viewers moved in "
                         f"the last 10 s, median update {statistics.median(v.update for v in viewers):,.0f}  "
                         f"load {load_average()}")
        t1, cpu1, wait1, client1 = time.monotonic(), server.cpu_seconds(), server.cpu_wait_seconds(), time.process_time()
        load = load_average()
        updates = [(v.update_at(t1) - v.update_at(t0)) / (t1 - t0) for v in viewers]
        frames = [v.frames_between(t0, t1) / (t1 - t0) for v in viewers]
        rates: dict[str, float] = {}
        if transport == "new":
            per_viewer = [v.chart_rates(t0, t1) for v in viewers]
            for key in sorted({k for r in per_viewer for k in r}):
                rates[key] = statistics.median(r.get(key, 0.0) for r in per_viewer)
        train_cores = sum(v.train_cores(t0, t1) for v in viewers) if transport == "new" else 0.0
        progress(f"measured {t1 - t0:.1f} s; pressing Pause")
        pauses = await asyncio.gather(*(v.pause() for v in viewers))
        progress("pressing Step")
        steps = await asyncio.gather(*(v.step() for v in viewers))
        return Result(n, transport, round(t1 - t0, 2), updates, frames, [p["pause_s"] for p in pauses],
                      [p["button_s"] for p in pauses], sum(p["moved"] for p in pauses), list(steps),
                      [v.update for v in viewers], [v.open_s for v in viewers],
                      (cpu1 - cpu0) / (t1 - t0), (wait1 - wait0) / (t1 - t0), server.memory_mb()[1], rss_start,
                      (client1 - client0) / (t1 - t0), load, samples, chart_rates=rates, train_cores=train_cores)
    finally:
        await asyncio.gather(*(v.close() for v in viewers), return_exceptions=True)


def run_classroom(n: int, transport: str = "auto", warmup: float = 3.0, seconds: float = 10.0,
                  soak: float = 0.0, config: dict[str, str] | None = None, progress=None,
                  app_dir: Path = ROOT) -> Result:
    """Start a server, drive ``n`` viewers, stop the server (whatever happens)."""
    progress = progress or (lambda text: None)
    with Server(config, app_dir) as server:
        server.wait_healthy()
        progress(f"server pid {server.pid} on port {server.port}")
        budget = 2 * OPEN_TIMEOUT + 4 * PHASE_TIMEOUT + warmup + (soak or seconds) + 60
        return asyncio.run(asyncio.wait_for(drive(server, n, transport, warmup, seconds, soak, progress), budget))


# -- output ---------------------------------------------------------------------------------------------------
def format_table(results: list[Result]) -> str:
    """One line per viewer count: per-viewer values as min / median (updates, frames) or
    median / max (latencies), the server's CPU over the measured interval and its peak RSS."""
    med = statistics.median
    lines = [f"{'viewers':>7}  {'transport':9}  {'updates/s min/med':>17}  {'frames/s min/med':>16}  "
             f"{'Pause s med/max':>15}  {'button s med/max':>16}  {'Step s med/max':>14}  {'open s med/max':>14}  "
             f"{'server CPU':>10}  {'RSS peak':>8}"]
    for r in results:
        lines.append(
            f"{r.viewers:>7}  {r.transport:9}  "
            f"{f'{min(r.updates_per_s):,.0f} / {med(r.updates_per_s):,.0f}':>17}  "
            f"{f'{min(r.frames_per_s):.1f} / {med(r.frames_per_s):.1f}':>16}  "
            f"{f'{med(r.pause_s):.2f} / {max(r.pause_s):.2f}':>15}  "
            f"{f'{med(r.button_s):.2f} / {max(r.button_s):.2f}':>16}  "
            f"{f'{med(r.step_s):.2f} / {max(r.step_s):.2f}':>14}  "
            f"{f'{med(r.open_s):.2f} / {max(r.open_s):.2f}':>14}  "
            f"{f'{r.server_cpu_cores:.2f} core':>10}  {f'{r.server_rss_peak_mb:.0f} MB':>8}"
            + (f"  {r.app}" if r.app else ""))
    moved = sum(r.moved_after_pause for r in results)
    lines.append(f"measured {results[0].seconds:.0f} s of play per row; load average (1/5/15 min) at the end of "
                 f"each row: {'; '.join(r.load for r in results)}; the server's threads waited for a CPU "
                 f"{', '.join(f'{r.server_cpu_wait:.2f}' for r in results)} s per s (other work on the "
                 f"machine); bench client CPU "
                 f"{', '.join(f'{r.client_cpu_cores:.2f}' for r in results)} core"
                 + (f"; {moved} update(s) still arrived after Pause took effect" if moved else ""))
    for r in results:
        if r.chart_rates or r.train_cores:
            lines.append(f"{r.viewers} viewer(s): chart updates/s per viewer (median) "
                         + ", ".join(f"{k} {v:.1f}" for k, v in r.chart_rates.items())
                         + f"; training {r.train_cores:.2f} core of the server's {r.server_cpu_cores:.2f}"
                         + (f" ({r.server_cpu_cores / r.train_cores:.2f}×)" if r.train_cores else ""))
    for r in results:
        if r.rss_samples:
            lines.append(f"soak, {r.viewers} viewers: RSS {r.server_rss_start_mb:.0f} MB at Play, then "
                         + ", ".join(f"{mb:.0f}" for _, mb in r.rss_samples)
                         + f" MB every ~10 s; growth after the first minute "
                         f"{soak_growth(r):+.0f} MB, peak {r.server_rss_peak_mb:.0f} MB")
    return "\n".join(lines)


def soak_growth(result: Result) -> float:
    """RSS growth over the soak, from the first sample after one minute (caches warm) to the end."""
    samples = result.rss_samples
    start = next((mb for t, mb in samples if t >= 60), samples[0][1])
    return samples[-1][1] - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m playground.bench --classroom",
        description="N viewers play the default Playground on one real server (see the module docstring).")
    parser.add_argument("--classroom", metavar="N,N,...",
                        help="viewer counts, one fresh server each (default 1,10,30; with --soak: 30)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured play per count (default 10)")
    parser.add_argument("--warmup", type=float, default=3.0, help="play before measuring (default 3)")
    parser.add_argument("--soak", type=float, default=0.0, metavar="MINUTES",
                        help="memory soak: play this long, sampling the server's RSS every 10 s")
    parser.add_argument("--transport", choices=("auto", "old", "new"), default="auto",
                        help="old: the rerun loop; new: the live socket; auto: whichever the page uses")
    parser.add_argument("--config", action="append", default=[], metavar="KEY=VALUE",
                        help="a Streamlit option for the server, e.g. runner.postScriptGC=false")
    parser.add_argument("--app-dir", type=Path, action="append",
                        help="the checkout whose app.py to serve (default: this one); give it twice, e.g. "
                             "an older checkout and this one, to measure both in turns at each viewer count")
    parser.add_argument("--json", action="store_true", help="print one JSON list instead of a table")
    args = parser.parse_args(argv)
    try:
        counts = [int(x) for x in (args.classroom or ("30" if args.soak else "1,10,30")).split(",")]
        config = dict(item.split("=", 1) for item in args.config)
    except ValueError:
        parser.error("--classroom takes viewer counts like 1,10,30 and --config KEY=VALUE")
    if any(n < 1 or n > 200 for n in counts):
        parser.error("--classroom: each viewer count must be between 1 and 200")
    if args.seconds <= 0 or args.warmup < 0 or args.soak < 0:
        parser.error("--seconds must be positive, --warmup and --soak not negative")
    def interrupted(signum, frame):
        raise KeyboardInterrupt  # unwinds through run_classroom, which stops the server

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    results = []
    app_dirs = args.app_dir or [ROOT]
    failures = []
    for n in counts:
        for app_dir in app_dirs:  # in turns, so that a change of load hits every checkout alike
            label = str(app_dir) if len(app_dirs) > 1 else ""
            try:
                result = run_classroom(n, args.transport, args.warmup, args.seconds, args.soak * 60, config,
                                       progress=lambda text: print(text, file=sys.stderr, flush=True),
                                       app_dir=app_dir)
            except (RuntimeError, TimeoutError, OSError) as error:  # report it, measure the rest
                failures.append({"viewers": n, "app": label, "error": f"{type(error).__name__}: {error}"})
                print(f"{n} viewer(s) {label}: FAILED, {failures[-1]['error']}", file=sys.stderr, flush=True)
                continue
            result.app = label
            results.append(result)
    if args.json:
        print(json.dumps([r.summary() for r in results] + failures, indent=1))
    else:
        print(format_table(results) if results else "no measurement finished")
        for failure in failures:
            print(f"{failure['viewers']} viewer(s) {failure['app']}: FAILED, {failure['error']}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
