"""A page's training session in session state: kept while only hyperparameters change."""

from __future__ import annotations

import streamlit as st

from ..datasets import CustomData
from ..settings import Settings
from ..training import TrainingSession
from . import live
from .keys import Keys

HYPERPARAMETERS = ("learning_rate", "l2", "l1", "dropout", "lr_decay", "batch_size")
# How the restart notice names a changed setting (the words of the sidebar).
CHANGE_LABELS = {"dataset": "dataset", "n_samples": "number of points", "noise": "noise", "test_ratio": "test share",
                 "data_seed": "data seed", "features": "input features", "hidden_sizes": "hidden layers",
                 "activation": "activation", "initializer": "initializer", "init_std": "custom σ",
                 "weight_seed": "initial weights", "optimizer": "optimizer", "batch_norm": "batch norm",
                 "residual": "residual connections"}


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
        if session is not None and session.step > 0:
            restart_notice(session, settings, custom)
        session = TrainingSession(settings, custom=custom)
        st.session_state[key] = session
        live.restart(prefix, session)  # paused; over the live socket its boundary is painted at once
    else:
        changes = {n: getattr(settings, n) for n in HYPERPARAMETERS if getattr(settings, n) != getattr(session.settings, n)}
        if changes:
            with live.session_lock(prefix):  # the live scheduler may be training this session
                session.update_hyperparameters(**changes)
    return session


def changed_settings(old: Settings, new: Settings) -> list[str]:
    """The sidebar names of the settings that differ and need a new session."""
    return [label for name, label in CHANGE_LABELS.items() if getattr(old, name) != getattr(new, name)]


def restart_notice(old: TrainingSession, settings: Settings, custom: CustomData | None) -> None:
    """Say that training went back to update 0, and why (it used to happen silently)."""
    changed = changed_settings(old.settings, settings)
    if old.custom is not custom:
        changed.insert(0, "data file" if custom is not None or old.custom is not None else "data")
    what = ", ".join(changed) or "settings"
    st.toast(f"New {what}: training restarted at update 0 (it was at update {old.step:,}).",
             icon=":material/restart_alt:")
