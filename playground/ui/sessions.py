"""A page's training session in session state: kept while only hyperparameters change."""

from __future__ import annotations

import streamlit as st

from ..datasets import CustomData
from ..settings import Settings
from ..training import TrainingSession
from . import live
from .keys import Keys

HYPERPARAMETERS = ("learning_rate", "l2", "l1", "dropout", "lr_decay", "batch_size")


def _structure(settings: Settings) -> Settings:
    """The settings that need a new session (everything except the live hyperparameters)."""
    return settings.replace(**{name: getattr(Settings(), name) for name in HYPERPARAMETERS})


def session_for(settings: Settings, prefix: str, custom: CustomData | None = None) -> TrainingSession:
    """The page's session (kept under ``Keys(prefix).session``): rebuilt when data or network
    changed (which resets training), updated in place when only learning rate, L2, decay or
    batch size changed. ``custom``: an uploaded dataset to train on instead of the settings' one."""
    key = Keys(prefix).session
    session = st.session_state.get(key)
    if session is None or session.custom is not custom or _structure(session.settings) != _structure(settings):
        session = TrainingSession(settings, custom=custom)
        st.session_state[key] = session
        live.set_playing(prefix, False)
    else:
        changes = {n: getattr(settings, n) for n in HYPERPARAMETERS if getattr(settings, n) != getattr(session.settings, n)}
        if changes:
            session.update_hyperparameters(**changes)
    return session
