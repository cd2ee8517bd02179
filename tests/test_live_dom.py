"""The live views' DOM names are spelled once (playground/ui/dom.py) and reach the JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

from playground.ui import dom
from playground.ui.keys import PLAYGROUND

UI = Path(dom.__file__).parent


def test_key_class_is_what_streamlit_puts_on_a_keyed_element():
    # Streamlit's frontend: "st-key-" + the key with every character outside [a-zA-Z0-9_-] as "-"
    assert dom.key_class(PLAYGROUND.play_button) == "st-key-pg-play_button"
    assert dom.key_class("a b/c.d") == "st-key-a-b-c-d"


def test_javascript_gets_the_names_from_python_and_spells_none_itself():
    for name in ("live_chart.js", "clock.js"):
        source = (UI / name).read_text(encoding="utf-8")
        module = dom.js_module(name)
        assert module.endswith(source) and module.startswith("const DOM = {")
        for value in (dom.LIVE_BOX, dom.LIVE_CHART, dom.LIVE_OVERLAY, dom.DRAWN, dom.PACE, dom.PENDING,
                      dom.STOPS_PLAYBACK):
            assert value in module.splitlines()[0]
            assert value not in source, f"{name} spells {value!r} instead of using DOM"
        assert "innerText" not in source  # buttons are found by their keys, never by their labels
        used = set(re.findall(r"\bDOM\.(\w+)", source))
        assert used <= set(dom._NAMES), used - set(dom._NAMES)
