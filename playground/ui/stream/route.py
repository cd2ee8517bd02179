"""The live websocket route (``/_np/live``) that ``app.py`` mounts when served as ``st.App``.

One socket per live page: the browser sends small JSON controls and acks, the server sends the
frames the scheduler builds (see ``playground/ui/stream/__init__`` for the protocol). The
process-wide registry and scheduler live here; ``mounted()`` tells a page whether the route is
being served (it is not under AppTest, or when someone runs the router without ``st.App``), so
the page falls back to the rerun loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from .scheduler import Outbox, Registry, Scheduler

PATH = "/_np/live"
CAPACITY = 48  # live pages per server process; more viewers get the slower rerun loop and a notice
MAX_STEP_UPDATES = 100_000  # a "step" message cannot ask for more (a click holds nobody for long)
CLOSE_UNKNOWN_TOKEN = 4404
CLOSE_REPLACED = 4409


def _streamlit_session_alive(session_id: str) -> bool:
    """Is this Streamlit session still connected (or waiting to reconnect)?"""
    try:
        from streamlit.runtime import Runtime

        return Runtime.instance().is_active_session(session_id)
    except Exception:  # no runtime (tests): let the idle TTL decide
        return True


REGISTRY = Registry(capacity=CAPACITY)
SCHEDULER = Scheduler(REGISTRY, is_alive=_streamlit_session_alive)
_mounted = False


def routes() -> list:
    """The Starlette routes to pass to ``st.App(..., routes=routes())``."""
    global _mounted
    _mounted = True
    return [WebSocketRoute(PATH, live_socket)]


def mounted() -> bool:
    return _mounted


async def live_socket(websocket: WebSocket) -> None:
    entry = REGISTRY.get(websocket.query_params.get("token", ""))
    await websocket.accept()
    if entry is None:
        await websocket.close(CLOSE_UNKNOWN_TOKEN, "unknown or expired token: reload the page")
        return
    loop = asyncio.get_running_loop()
    ready = asyncio.Event()
    outbox = Outbox(lambda: loop.call_soon_threadsafe(ready.set))
    SCHEDULER.start()
    await asyncio.to_thread(entry.connect, outbox)
    sender = asyncio.create_task(_send(websocket, outbox, ready))
    try:
        while True:
            try:
                message = json.loads(await websocket.receive_text())
                kind = message["type"]
            except (ValueError, KeyError, TypeError):
                continue  # not ours: ignore rather than drop the viewer
            if kind == "ack":
                outbox.ack(message.get("seq", 0))
                entry.touched = REGISTRY.clock()
                entry.wake()
            elif kind in ("play", "pause", "step", "reset", "refresh"):
                updates = message.get("updates")
                updates = None if updates is None else max(1, min(int(updates), MAX_STEP_UPDATES))
                await asyncio.to_thread(entry.control, kind, updates)
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        sender.cancel()
        await asyncio.to_thread(entry.disconnect, outbox)


async def _send(websocket: WebSocket, outbox: Outbox, ready: asyncio.Event) -> None:
    with contextlib.suppress(WebSocketDisconnect, RuntimeError, asyncio.CancelledError):
        while True:
            await ready.wait()
            ready.clear()
            message = outbox.take()
            if message is not None:
                await websocket.send_bytes(message)
