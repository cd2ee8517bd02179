"""AppTest: teacher links on the Playground and the Gradients lab — hidden controls are not
drawn (their values still come from the link), locked ones are disabled, the title and question
are plain text above the charts, unknown names get the usual notice, the share panel's link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import helpers

from playground.ui.keys import PLAYGROUND


def labels(at, kind: str) -> list[str]:
    return [w.label for w in getattr(at.sidebar, kind)]


def html_texts(at) -> list[str]:
    return [e.proto.body for e in at.get("html")]


def param(at, name: str):
    value = at.query_params.get(name)
    return value[-1] if isinstance(value, list) else value


def test_playground_teacher_link_hides_locks_and_titles():
    at = helpers.make_app(None, activation="relu", initializer="he", learning_rate="0.03",
                           hide="activation,initializer", lock="learning_rate",
                           title="<b>XOR</b> needs *depth*", question="Why does one neuron fail?")
    assert "Hidden activation" not in labels(at, "selectbox")
    assert "Initializer" not in labels(at, "selectbox")
    assert "Dataset" in labels(at, "selectbox")  # not hidden: drawn as usual
    rate = next(s for s in at.sidebar.select_slider if s.label == "Learning rate α")
    assert rate.disabled and rate.value == 0.03
    session = at.session_state[PLAYGROUND.session]
    assert (session.settings.activation, session.settings.initializer) == ("relu", "he")  # from the link
    shown = " ".join(html_texts(at))
    assert "&lt;b&gt;XOR&lt;/b&gt; needs *depth*" in shown  # escaped: shown as the literal text
    assert "Why does one neuron fail?" in shown
    assert not [t for t in at.title if t.value == "Neural Playground"]  # the teacher's title replaces it
    # the link keeps the teacher parameters while the student works
    assert param(at, "hide") == "activation,initializer" and param(at, "lock") == "learning_rate"
    at.sidebar.slider(key="pg.w.noise").set_value(0.2).run()
    assert param(at, "hide") == "activation,initializer" and param(at, "title") == "<b>XOR</b> needs *depth*"


def test_unknown_hidden_names_get_the_usual_notice():
    at = helpers.make_app(None, hide="activation,colour")
    notice = at.warning[0].value
    assert "colour" in notice and "not a setting on this page" in notice
    assert "Hidden activation" not in labels(at, "selectbox")


def test_share_panel_builds_the_link():
    at = helpers.make_app(None, activation="sigmoid")
    at.session_state["pg.share.open"] = True  # "Share as a lesson" is drawn only once opened
    at.run()
    at.multiselect(key="pg.share.hide").set_value(["activation", "initializer"]).run()
    at.multiselect(key="pg.share.lock").set_value(["learning_rate"]).run()
    at.text_input(key="pg.share.title").input("Vanishing gradients").run()
    url = at.code[-1].value
    query = parse_qs(urlsplit(url).query)
    assert query["hide"] == ["activation,initializer"] and query["lock"] == ["learning_rate"]
    assert query["title"] == ["Vanishing gradients"] and query["activation"] == ["sigmoid"]
    at.session_state["pg.share.open"] = False  # closed and opened again: the choices are kept
    at.run()
    assert not at.get("multiselect") or "pg.share.hide" not in [m.key for m in at.multiselect]
    at.session_state["pg.share.open"] = True
    at.run()
    assert at.multiselect(key="pg.share.hide").value == ["activation", "initializer"]
    assert at.text_input(key="pg.share.title").value == "Vanishing gradients"


def test_gradients_lab_teacher_link():
    at = helpers.make_app("pages/gradients.py", timeout=90, hide="hidden_sizes,activation",
                           title="Ten sigmoid layers")
    assert "Hidden layers" not in labels(at, "slider") and "Units per layer" not in labels(at, "slider")
    assert "Hidden activation" not in labels(at, "selectbox")
    assert at.session_state["gradients.session"].layer_sizes == (2, *[16] * 10, 1)  # the lab's default, kept
    assert any("Ten sigmoid layers" in t for t in html_texts(at))
    assert not [b for b in at.button if "sigmoid" in (b.label or "")]  # presets would undo the hidden choice
    assert param(at, "hide") == "activation,hidden_sizes"
