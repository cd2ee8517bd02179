"""A Plotly chart that updates in place (``Plotly.react``) — for views redrawn many times a second.

``st.plotly_chart`` rebuilds the chart in the browser on every data change; measured on the
2-core machine, four charts redrawn that way held the Playground at ~1–2 frames/s and delayed
Pause by seconds. This small Streamlit custom component (components v2, no iframe; its JavaScript is
``live_chart.js``, with the DOM names of ``dom.py``) keeps one Plotly graph per key and hands it each new figure with ``Plotly.react``, which
only patches what changed. Charts drawn once use it too (every page draws all its charts with
it: the Perceptron page, the Digits feature maps, the Compare panel, the Activation explorer,
Inside a step, the Gradients lab's comparisons): a tab's first ``st.plotly_chart`` loads
Streamlit's own, full Plotly, ~1.2–1.5 s of opening such a page.

Plotly.js is the *cartesian* bundle of the same plotly.js version the pinned ``plotly`` package
carries (``vendor/plotly-cartesian.min.js``, MIT, from the npm package
``plotly.js-cartesian-dist-min``): bar, box, contour, heatmap, histogram, image, pie, scatter,
violin — everything the live charts draw — in 1.5 MB instead of 4.8 MB. Measured in headless
Chromium on the 2-core machine, loading and evaluating the full bundle took 1.4–1.6 s, the
cartesian one 0.5–0.75 s: most of the time to a page's first chart. It is served through
Streamlit's static file serving (``server.enableStaticServing``): the file is copied into
``static/`` next to ``app.py`` the first time a live chart is drawn. A figure with any other
trace type (e.g. ``scattergl``) is refused with a ``ValueError``: draw it with ``st.plotly_chart``.
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
import plotly.io as pio
import streamlit as st
from _plotly_utils.utils import to_typed_array_spec

from . import dom

APP_DIR = Path(__file__).resolve().parents[2]
STATIC_NAME = "plotly-cartesian.min.js"  # plotly_loader.js loads it by this name
SOURCE = Path(__file__).parent / "vendor" / STATIC_NAME
FULL_BUNDLE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"  # its version must match
TRACE_TYPES = frozenset({"bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour",
                         "image", "pie", "scatter", "scatterternary", "violin"})  # what the bundle draws

_CSS = (f"div.{dom.LIVE_BOX} {{ position: relative; width: 100%; }}\n"
        f"div.{dom.LIVE_CHART}, div.{dom.LIVE_OVERLAY} {{ position: absolute; inset: 0; }}\n")


def ensure_plotly_js(app_dir: Path = APP_DIR) -> Path:
    """Copy the vendored Plotly bundle into ``static/`` (atomically)."""
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


TEMPLATE = go.Figure().to_dict()["layout"]["template"]  # what go.Figure adds to every layout


def figure_spec(data: list[dict], layout: dict) -> dict:
    """A figure as plain Plotly dicts (e.g. ``plots.network.network_parts``), styled like a
    ``go.Figure`` (its default template) but built without Plotly's validation: for ``live_chart``."""
    return {"data": data, "layout": {"template": TEMPLATE, **layout}}


def _binary(value):
    """A copy of trace data with NumPy arrays in Plotly's binary form, as ``fig.to_json()`` writes them."""
    if isinstance(value, dict):
        return {k: _binary(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_binary(v) for v in value]
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiub" and value.size:
        return to_typed_array_spec(value)
    return value


def _json_and_types(fig: go.Figure | dict) -> tuple[str, set[str], int | None]:
    """The figure's JSON, its trace types and its height; a dict (``figure_spec`` or
    ``to_plotly_json()``) is written as it is, NumPy arrays as binary, without validation."""
    if isinstance(fig, go.Figure):
        return fig.to_json(), {trace.type for trace in fig.data}, fig.layout.height
    spec = {"data": _binary(list(fig["data"])), "layout": fig["layout"]}
    return (pio.to_json(spec, validate=False), {trace.get("type", "scatter") for trace in spec["data"]},
            fig["layout"].get("height"))


def live_chart(fig: go.Figure | dict, key: str, revision: int = 0, overlay: go.Figure | dict | None = None,
               pace: bool = False, frames: list[tuple[int, np.ndarray]] | None = None,
               animate: bool = False, width: str = "stretch", first: bool = False, after: str | None = None) -> None:
    """Draw ``fig`` (a ``go.Figure`` or a figure dict: ``figure_spec``, ``to_plotly_json()``);
    on later calls with the same key, update the same chart in place.

    ``overlay`` is a second figure with the same layout drawn on top (transparent background);
    like ``fig`` it is only redrawn when it changed — put what stays still there. While
    playing, the next frame is requested once the ``pace`` charts (or, if none, all charts)
    have drawn the current one; the others finish drawing while the server computes.

    ``frames`` are earlier states of this tick, ``(revision, z)`` for the first trace, shown
    one after another (≤ 10/s) before ``fig``: several frames per round trip to the server.
    ``animate`` (while playing) queues them behind what is still being shown; otherwise the
    chart jumps straight to ``fig``.

    ``width``: "stretch" fills the container; "content" is the figure's own ``layout.width``
    (small figures side by side, e.g. Inside a step's matrices), never wider than the container.

    ``first`` marks the chart a person looks at first (the Playground's decision boundary), and
    ``after=`` its key on the page's other charts: when the page opens they wait until it is on
    the screen (at most 2 s). Measured in headless Chromium, they otherwise took turns with it
    once Plotly had loaded, in whatever order the browser mounted them: the boundary appeared
    0.1–0.4 s later.
    """
    ensure_plotly_js()
    figure, types, height = _json_and_types(fig)
    overlay_json, overlay_types, _ = _json_and_types(overlay) if overlay is not None else (None, set(), None)
    unknown = (types | overlay_types) - TRACE_TYPES
    if unknown:
        raise ValueError(f"live_chart draws with Plotly's cartesian bundle, which has no {sorted(unknown)} "
                         "traces: draw this figure with st.plotly_chart")
    size = fig.layout.width if isinstance(fig, go.Figure) else fig["layout"].get("width")
    _component(key=key, height="content", width=int(size) if width == "content" and size else "stretch", data={
        "key": key,
        "figure": figure,
        "overlay": overlay_json,
        "revision": revision,
        "height": height or 400,
        "pace": pace,
        "frames": [{"revision": r, "z": typed_array(z)} for r, z in (frames or [])],
        "animate": animate,
        "first": first,
        "after": after,
    })
