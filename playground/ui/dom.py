"""DOM names shared by the Python side and the JavaScript of the live views.

The JavaScript lives in sibling ``.js`` files; ``js_module`` reads one at import and puts these
names in front of it as the constant ``DOM``, so a class or attribute is spelled once:

- ``live_chart.js`` draws each live chart into ``div.{LIVE_CHART}`` (inside ``div.{LIVE_BOX}``,
  with an overlay ``div.{LIVE_OVERLAY}`` on top) and stamps ``{DRAWN}`` with the revision it
  last finished drawing;
- ``clock.js`` (the live area's clock, ``live.py``) asks for the next frame once the charts have
  drawn, and marks the transport buttons whose click stops playback (Pause, Step, Reset) with
  ``{STOPS_PLAYBACK}``; ``live_chart.js`` drops its queued frames when one of them is clicked.

Streamlit gives no way to put an attribute on a button, but it puts a class made from the
widget's key on the button's container (``key_class``): the clock finds the buttons by their
keys (``Keys``), never by their label.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

LIVE_BOX = "np-live-box"
LIVE_CHART = "np-live-chart"
LIVE_OVERLAY = "np-live-overlay"
DRAWN = "data-drawn"
PACE = "data-pace"  # "1" on the charts the clock waits for
PENDING = "data-pending"  # frames a chart still has to show
STOPS_PLAYBACK = "data-np-stops-playback"

_NAMES = {"liveBox": LIVE_BOX, "liveChart": LIVE_CHART, "liveOverlay": LIVE_OVERLAY, "drawn": DRAWN,
          "pace": PACE, "pending": PENDING, "stopsPlayback": STOPS_PLAYBACK}


def key_class(key: str) -> str:
    """The class Streamlit puts on the container of the element with this key (as its
    frontend does: ``st-key-`` + the key with every character outside [a-zA-Z0-9_-] as ``-``)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def js_module(name: str, *, plotly: bool = False) -> str:
    """The file ``name`` (an ES module, relative to ``playground/ui/``), with ``const DOM = {...}``
    in front and, with ``plotly``, the shared ``loadPlotly()`` of ``plotly_loader.js``."""
    here = Path(__file__).parent
    source = (here / name).read_text(encoding="utf-8")
    loader = (here / "plotly_loader.js").read_text(encoding="utf-8") if plotly else ""
    return f"const DOM = {json.dumps(_NAMES)};\n{loader}{source}"
