"""Comparisons as bounded work: run in slices, with a progress bar and Stop, or refused up front.

A "Run comparison" click must not hold the shared server for the whole comparison (4 × 3,000
updates of a 30 × 128 network is about 45 minutes of one core). ``start`` estimates the work
(``Comparison.estimate_seconds``) and refuses it with the estimate when it is longer than
``MAX_JOB_SECONDS``; otherwise it keeps the ``Comparison`` in session state. ``show`` then draws a
progress bar and a Stop button, and a fragment rerunning every ``TICK`` seconds advances the
comparison by at most ``SLICE`` seconds per run; when it is done, ``finish(runs)`` stores the
result and the page reruns to draw it. AppTest fires no timers: each ``at.run()`` is one slice.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ..teaching.gradients.compare import Comparison, ComparisonRun
from ..training import MAX_JOB_SECONDS, duration_text

SLICE = 0.2  # seconds of training per fragment run
TICK = 0.3  # seconds between fragment runs (the browser's timer)


def start(key: str, comparison: Comparison, finish: Callable[[list[ComparisonRun]], None]) -> None:
    """Keep ``comparison`` under ``key`` to be run by ``show``, or remember why it is refused."""
    seconds = comparison.estimate_seconds()
    if seconds > MAX_JOB_SECONDS:
        st.session_state[f"{key}.refused"] = (
            f"{len(comparison.settings)} runs × {comparison.steps:,} updates of this network would take "
            f"{duration_text(seconds)} here (the limit is {duration_text(MAX_JOB_SECONDS)}) — lower the updates "
            "per run or the size (fewer or narrower layers, fewer points, larger batches).")
        st.session_state.pop(key, None)
        return
    st.session_state[key] = (comparison, finish)


def running(key: str) -> bool:
    return key in st.session_state


def stop(key: str) -> None:
    st.session_state.pop(key, None)


def show(key: str) -> None:
    """The refusal, or the progress and Stop of the comparison under ``key`` (nothing if none)."""
    refused = st.session_state.pop(f"{key}.refused", None)
    if refused:
        st.warning(f"**Comparison not run.** {refused}", icon=":material/timer_off:")
    if not running(key):
        return
    st.button("Stop comparison", icon=":material/stop:", key=f"{key}.stop", on_click=stop, args=(key,))

    @st.fragment(run_every=TICK)
    def _advance() -> None:
        job = st.session_state.get(key)
        if job is None:
            return
        comparison, finish = job
        comparison.advance(time_budget=SLICE)
        st.progress(comparison.fraction, text=comparison.progress_text)
        if comparison.done:
            st.session_state.pop(key, None)
            finish(comparison.runs)
            st.rerun(scope="app")  # draw the results; the timer stops with the fragment

    _advance()
