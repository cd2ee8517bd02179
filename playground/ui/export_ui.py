"""Download the current run as a Jupyter notebook (Playground and Digits pages).

The notebook must redo the run exactly, so it needs to know when the learning rate, L2,
decay or batch size were changed while training (``TrainingSession.update_hyperparameters``
keeps no record). ``track_run`` keeps that record: the page calls it right after it got its
session, on every full run — hyperparameters only change through sidebar widgets, which rerun
the whole page, so the record sees every change at the update where it took effect.
"""

from __future__ import annotations

from dataclasses import astuple

import streamlit as st

from ..files.notebook import Phase, file_name, notebook_bytes
from ..training import TrainingSession
from .keys import Keys


def track_run(prefix: str, session: TrainingSession) -> None:
    """Record the hyperparameters in force from each update on. A new session, a Reset or
    update 0 starts the record again; several changes before the next update keep the last."""
    record = st.session_state.get(Keys(prefix).export_schedule)
    if (record is None or record["session"] is not session or session.step == 0
            or session.step < record["phases"][-1].first_update):
        record = {"session": session, "phases": [Phase.of(0, session.settings)]}
    else:
        phase, phases = Phase.of(session.step, session.settings), record["phases"]
        if _hyperparameters(phase) != _hyperparameters(phases[-1]):
            if phases[-1].first_update == session.step:
                phases[-1] = phase
            else:
                phases.append(phase)
    st.session_state[Keys(prefix).export_schedule] = record


def schedule_for(prefix: str, session: TrainingSession) -> list[Phase]:
    """The recorded schedule of ``session`` (just its current settings if none was recorded)."""
    record = st.session_state.get(Keys(prefix).export_schedule)
    if record is None or record["session"] is not session:
        return [Phase.of(0, session.settings)]
    return list(record["phases"])


def _hyperparameters(phase: Phase) -> tuple:
    return astuple(phase)[1:]  # everything but the update it starts at (α, λ, k, batch size, λ₁, dropout)


def notebook_button(session: TrainingSession, prefix: str, page: str, container=None) -> None:
    """A download button for the notebook; it is built only when clicked."""
    schedule = schedule_for(prefix, session)
    target = container or st
    target.download_button(
        "Notebook (.ipynb)", icon=":material/download:",
        data=lambda: notebook_bytes(session, schedule, page),
        file_name=file_name(session), mime="application/x-ipynb+json", on_click="ignore", width="stretch",
        key=Keys(prefix).export_notebook,
        help="A Jupyter notebook that recreates this run in plain NumPy — same data, same initial weights, "
             "same updates — plots its cost with Plotly and ends with the same final cost.",
    )
