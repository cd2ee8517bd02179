"""A Plotly chart that updates in place (``Plotly.react``) — for views redrawn many times a second.

``st.plotly_chart`` rebuilds the chart in the browser on every data change; measured on the
2-core machine, four charts redrawn that way held the Playground at ~1–2 frames/s and delayed
Pause by seconds. This small Streamlit custom component (components v2: inline JS, no iframe)
keeps one Plotly graph per key and hands it each new figure with ``Plotly.react``, which
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

APP_DIR = Path(__file__).resolve().parents[2]
STATIC_NAME = "plotly.min.js"
SOURCE = Path(plotly.__file__).parent / "package_data" / STATIC_NAME

_JS = """
function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__npPlotlyLoading) {
    window.__npPlotlyLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL("app/static/plotly.min.js", document.baseURI.replace(/[^/]*$/, "")).href;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => { window.__npPlotlyLoading = null; reject(new Error("plotly.min.js")); };
      document.head.appendChild(script);
    });
  }
  return window.__npPlotlyLoading;
}

const FRAME_MS = 100;  // sub-frames of one tick are shown at most 10 per second
const MAX_QUEUE = 8;  // never fall further behind than this: drop the oldest frames

function draw(div, figure) {
  // Redraw only when the figure changed (slow views are kept between ticks).
  if (div.__figure === figure) return Promise.resolve();
  div.__figure = figure;
  const spec = JSON.parse(figure);
  spec.layout.autosize = true;
  delete spec.layout.width;
  div.__spec = spec;
  return loadPlotly().then((Plotly) =>
    Plotly.react(div, spec.data, spec.layout, {displayModeBar: false, responsive: true}));
}

function drawSurface(div, z) {
  // An intermediate frame: the last figure with only the first trace's z replaced.
  const spec = div.__spec;
  if (!spec) return Promise.resolve();
  div.__figure = null;
  const data = spec.data.map((trace, i) => (i === 0 ? {...trace, z: z} : trace));
  return loadPlotly().then((Plotly) => Plotly.react(div, data, spec.layout));
}

async function playNext(div) {
  const item = div.__queue.shift();
  if (!item) { div.__busy = false; div.dataset.pending = 0; return; }
  div.__busy = true;
  const started = performance.now();
  try {
    await (item.figure !== undefined ? draw(div, item.figure) : drawSurface(div, item.z));
    div.dataset.drawn = item.revision;
  } catch (error) {
    div.textContent = "Could not draw the chart: " + error.message;
  }
  div.dataset.pending = div.__queue.length;
  const wait = div.__queue.length ? Math.max(0, FRAME_MS - (performance.now() - started)) : 0;
  setTimeout(() => playNext(div), wait);
}

// A click on Pause (or Step/Reset) skips every queued frame to the newest state at once, so
// nothing keeps moving while Streamlit reruns the page (measured: the queued frames made
// Pause look 0.6 s late).
if (!window.__npStopOnClick) {
  window.__npStopOnClick = true;
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button");
    if (button && /Pause|Step|Reset/.test(button.innerText)) {
      window.__npHold = true;  // until the page's rerun arrives: no more in-between frames
      document.querySelectorAll("div.np-live-chart").forEach((div) => {
        if (div.__queue && div.__queue.length) div.__queue = div.__queue.slice(-1);
      });
    }
  }, true);
}

export default function (component) {
  const { data, parentElement } = component;
  let box = parentElement.querySelector("div.np-live-box");
  if (!box) {
    box = document.createElement("div");
    box.className = "np-live-box";
    box.innerHTML = '<div class="np-live-chart"></div><div class="np-live-overlay"></div>';
    parentElement.appendChild(box);
  }
  const [div, overlay] = box.children;
  box.dataset.key = data.key;  // the live socket's client finds the chart by its key
  box.style.height = data.height + "px";
  div.dataset.pace = data.pace ? "1" : "";
  overlay.style.display = data.overlay ? "block" : "none";
  if (data.overlay) draw(overlay, data.overlay).catch(() => {});
  // Frames of this tick (states between the last tick and now), then the full figure.
  const animate = data.animate && !window.__npHold;
  if (!data.animate) window.__npHold = false;
  const items = animate ? (data.frames || []).map((f) => ({revision: f.revision, z: f.z})) : [];
  items.push({revision: data.revision, figure: data.figure});
  div.__queue = (animate ? (div.__queue || []).concat(items) : items).slice(-MAX_QUEUE);
  div.dataset.pending = div.__queue.length + (div.__busy ? 1 : 0);
  if (!div.__busy) playNext(div);
  return () => {
    div.__queue = [];
    if (window.Plotly) { window.Plotly.purge(div); window.Plotly.purge(overlay); }
  };
}
"""

_CSS = """
div.np-live-box { position: relative; width: 100%; }
div.np-live-chart, div.np-live-overlay { position: absolute; inset: 0; }
"""


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


_component = st.components.v2.component("neural_playground.live_chart", js=_JS, css=_CSS,
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
