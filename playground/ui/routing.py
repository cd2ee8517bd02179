"""Make deep links work on a freshly started server.

Streamlit 1.67 treats an app that has a ``pages/`` folder as an old-style (v1) multipage app
until ``st.navigation`` has run once in the process. So the very first visitor who opens a
deep link such as ``/perceptron?gate=XOR`` on a cold server gets that page script run on its
own: no ``app.py`` (no wide layout, no grouped navigation). Measured: the sidebar then lists
"app, activations, digits, …" and the layout is narrow until someone opens ``/``.

Every page calls ``ensure_app_router()`` first. In that situation it switches the process to
``st.navigation`` mode (exactly what any ``st.navigation`` call does) and reruns, so ``app.py``
routes the same URL properly.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_app_router() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
