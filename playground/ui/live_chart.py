"""A Plotly chart that updates in place (``Plotly.react``) — for views redrawn many times a second.

``st.plotly_chart`` rebuilds the chart in the browser on every data change; measured on the
2-core machine, four charts redrawn that way held the Playground at ~1–2 frames/s and delayed
Pause by seconds. This small Streamlit custom component (components v2, no iframe; its JavaScript is
``live_chart.js``, with the DOM names of ``dom.py``) keeps one Plotly graph per key and hands it each new figure with ``Plotly.react``, which
only patches what changed.

Plotly.js itself comes from the ``plotly`` Python package (same pinned version as every other
figure), served through Streamlit's static file serving (``server.enableStaticServing``):
the file is copied into ``static/`` next to ``app.py`` the first time a live chart is drawn.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import plotly
import plotly.graph_objects as go
import streamlit as st

from . import dom

APP_DIR = Path(__file__).resolve().parents[2]
STATIC_NAME = "plotly.min.js"
SOURCE = Path(plotly.__file__).parent / "package_data" / STATIC_NAME

_CSS = (f"div.{dom.LIVE_BOX} {{ position: relative; width: 100%; }}\n"
        f"div.{dom.LIVE_CHART}, div.{dom.LIVE_OVERLAY} {{ position: absolute; inset: 0; }}\n")


def ensure_plotly_js(app_dir: Path = APP_DIR) -> Path:
    """Copy plotly.min.js from the installed plotly package into ``static/`` (atomically)."""
    target = app_dir / "static" / STATIC_NAME
    if not target.exists() or target.stat().st_size != SOURCE.stat().st_size:
        target.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        os.close(fd)
        shutil.copyfile(SOURCE, tmp)
        os.replace(tmp, target)
    return target


_component = st.components.v2.component("neural_playground.live_chart", js=dom.js_module("live_chart.js", plotly=True), css=_CSS,
                                        isolate_styles=False)


def typed_array(values: np.ndarray) -> dict:
    """A float32 array in Plotly's binary JSON form (what ``fig.to_json()`` writes)."""
    values = np.ascontiguousarray(values, dtype="<f4")
    return {"dtype": "f4", "bdata": base64.b64encode(values.tobytes()).decode("ascii"),
            "shape": ", ".join(str(n) for n in values.shape)}


def live_chart(fig: go.Figure, key: str, revision: int = 0, overlay: go.Figure | None = None,
               pace: bool = False, frames: list[tuple[int, np.ndarray]] | None = None,
               animate: bool = False) -> None:
    """Draw ``fig``; on later calls with the same key, update the same chart in place.

    ``overlay`` is a second figure with the same layout drawn on top (transparent background);
    like ``fig`` it is only redrawn when it changed — put what stays still there. While
    playing, the next frame is requested once the ``pace`` charts (or, if none, all charts)
    have drawn the current one; the others finish drawing while the server computes.

    ``frames`` are earlier states of this tick, ``(revision, z)`` for the first trace, shown
    one after another (≤ 10/s) before ``fig``: several frames per round trip to the server.
    ``animate`` (while playing) queues them behind what is still being shown; otherwise the
    chart jumps straight to ``fig``.
    """
    ensure_plotly_js()
    _component(key=key, height="content", data={
        "key": key,
        "figure": fig.to_json(),
        "overlay": overlay.to_json() if overlay is not None else None,
        "revision": revision,
        "height": fig.layout.height or 400,
        "pace": pace,
        "frames": [{"revision": r, "z": typed_array(z)} for r, z in (frames or [])],
        "animate": animate,
    })
