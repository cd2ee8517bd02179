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


def test_the_vendored_plotly_bundle_is_the_packages_version_and_the_one_the_loader_loads():
    from playground.ui import live_chart

    def version(path: Path) -> str:
        return re.search(r"plotly\.js (?:\(cartesian - minified\) )?v(\d+\.\d+\.\d+)",
                         path.read_text(encoding="utf-8")[:300]).group(1)

    assert version(live_chart.SOURCE) == version(live_chart.FULL_BUNDLE)
    assert f'"app/static/{live_chart.STATIC_NAME}"' in (UI / "plotly_loader.js").read_text(encoding="utf-8")
    assert live_chart.ensure_plotly_js().name == live_chart.STATIC_NAME


def test_a_live_chart_refuses_traces_the_cartesian_bundle_cannot_draw():
    import plotly.graph_objects as go
    import pytest

    from playground.ui.live_chart import live_chart

    with pytest.raises(ValueError, match="scattergl"):
        live_chart(go.Figure([go.Scattergl(x=[1], y=[1])]), key="x")
