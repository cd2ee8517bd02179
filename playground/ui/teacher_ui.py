"""Teacher links on the Playground and the Gradients lab: hide or lock settings, add a title
and a question, and share it ("Share as a lesson").

- ``load_link`` reads ``hide=``, ``lock=``, ``title=``, ``question=`` from the link once per
  page visit (parsing and limits: ``teaching/lessons/teacher.py``); unknown names join the
  page's usual notice of bad link values (``{prefix}.url_problems``).
- ``controlled(st.sidebar, prefix)`` is the sidebar as the settings widgets see it: a widget
  whose setting is hidden is **not drawn at all** and returns the value it holds (from the
  link); a locked one is drawn **disabled** — the student sees the value and cannot change it.
  Widgets are matched to settings by their key, ``{prefix}.w.<name>``.
- ``heading`` shows the title and question above the charts as plain text (HTML-escaped,
  never markdown); ``share_panel`` builds a link and shows it with a copy button.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st

from ..teaching.lessons.teacher import MAX_QUESTION, MAX_TITLE, TeacherLink, parse_teacher_link
from .keys import Keys

WIDGETS = {"selectbox", "slider", "select_slider", "number_input", "text_input", "text_area", "pills",
           "button", "toggle", "checkbox", "multiselect", "radio", "segmented_control"}
# widget key suffix → the setting it edits, where the two names differ
SETTING_OF_WIDGET = {"hidden": "hidden_sizes", "add_layer": "hidden_sizes", "remove_layer": "hidden_sizes",
                     "depth": "hidden_sizes", "width": "hidden_sizes"}


def link_key(prefix: str) -> str:
    return Keys(prefix).key("teacher")


def load_link(prefix: str, names: Iterable[str]) -> TeacherLink:
    """The page's teacher link: from session state, or (first visit) from the URL."""
    key = link_key(prefix)
    if key not in st.session_state:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        link, problems = parse_teacher_link(params, names)
        st.session_state[key] = link
        st.session_state.setdefault(Keys(prefix).url_problems, []).extend(problems)
    return st.session_state[key]


class _Controlled:
    """A Streamlit container whose settings widgets obey the teacher link (see module doc)."""

    def __init__(self, container, prefix: str, link: TeacherLink):
        self._container, self._prefix, self._link = container, prefix, link

    def _setting(self, key: Any) -> str | None:
        start = f"{self._prefix}.w."
        if not isinstance(key, str) or not key.startswith(start):
            return None
        suffix = key[len(start):]
        return SETTING_OF_WIDGET.get(suffix, suffix)

    def __getattr__(self, name: str):
        attr = getattr(self._container, name)
        if name == "columns":
            return lambda *a, **k: [_Controlled(c, self._prefix, self._link) for c in attr(*a, **k)]
        if name not in WIDGETS:
            return attr

        def widget(*args, **kwargs):
            key = kwargs.get("key")
            setting = self._setting(key)
            if setting in self._link.hide:
                return False if name == "button" else st.session_state.get(key)
            if setting in self._link.lock:
                kwargs["disabled"] = True
            return attr(*args, **kwargs)

        return widget


def controlled(container, prefix: str):
    """``container`` as the settings widgets should see it on this page (no link: unchanged)."""
    link = st.session_state.get(link_key(prefix))
    return _Controlled(container, prefix, link) if link is not None and (link.hide or link.lock) else container


def heading(link: TeacherLink) -> bool:
    """The link's title and question above the charts, as plain text. True if any was shown."""
    if link.title:
        st.html(f"<h2 class='np-teacher-title' style='margin:0;font-size:2.25rem;line-height:1.2'>{html.escape(link.title)}</h2>")
    if link.question:
        st.html(f"<p class='np-teacher-question' style='font-size:1.25rem;margin:0'>{html.escape(link.question)}</p>")
    return bool(link.title or link.question)


def _base_url(url_path: str) -> str:
    try:
        parts = urlsplit(st.context.url or "")
        root = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    except Exception:  # no browser context (e.g. AppTest)
        root = ""
    return f"{root}/{url_path}"


SHARE_WIDGETS = ("share.hide", "share.lock", "share.title", "share.question")


def share_panel(prefix: str, settings_params: Mapping[str, str], names: Mapping[str, str], url_path: str = "") -> None:
    """"Share as a lesson": choose settings to hide or lock, a title and a question; the link."""
    keys = Keys(prefix)
    # Drawn only while open (its widgets would otherwise be sent and laid out on every click);
    # while closed, what was chosen in it is kept for the next time it opens.
    expander = st.expander("Share as a lesson", icon=":material/school:", key=keys.key("share.open"),
                           on_change="rerun")
    if not expander.open:
        for name in SHARE_WIDGETS:
            if keys.key(name) in st.session_state:
                st.session_state[keys.key(name)] = st.session_state[keys.key(name)]
        return
    with expander:
        st.markdown("Make a link that opens this exact experiment with only the controls your lesson needs. "
                    "**Hidden** settings are not shown at all; **locked** ones are shown but cannot be changed. "
                    "Both keep the value they have now.")
        label = names.get
        hide = st.multiselect("Hide these settings", list(names), format_func=label, key=keys.key("share.hide"))
        lock = st.multiselect("Lock these settings (shown, not changeable)", [n for n in names if n not in hide],
                              format_func=label, key=keys.key("share.lock"))
        title = st.text_input("Title (optional)", max_chars=MAX_TITLE, key=keys.key("share.title"),
                              help="Shown above the charts, as plain text.")
        question = st.text_area("Question for the students (optional)", max_chars=MAX_QUESTION,
                                key=keys.key("share.question"), height=80,
                                help="Shown under the title, as plain text.")
        link, _ = parse_teacher_link({"hide": ",".join(hide), "lock": ",".join(lock), "title": title,
                                      "question": question}, names)
        url = f"{_base_url(url_path)}?{urlencode({**settings_params, **link.to_query_params()})}"
        st.caption("The link (copy it with the button at its right):")
        st.code(url, language=None, wrap_lines=True)
