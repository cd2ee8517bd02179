"""The Playground's "Compare" panel: practice exercises 1, 3, 4, 7, 8 and L1 against L2.

Pick a question; the panel trains its variants of the page's current settings (same data and
seeds) with the comparison runner, then shows the overlaid cost curves, a table of numbers and
the answer in a sentence computed from them (playground/teaching/playground.py). Results are
kept in session state under ``pg.compare.*`` until the next comparison. Its charts are live
charts like the rest of the page (``st.plotly_chart`` would load a second, full Plotly).
"""

from __future__ import annotations

import streamlit as st

from ...plots.curves import race_figure
from ...plots.network import network_figure
from ...settings import Settings
from ...teaching.gradients.compare import Comparison
from ...teaching.playground import (
    EXPERIMENTS,
    NEAR_ZERO,
    Experiment,
    gap_verdict,
    near_zero_weights,
    race_rows,
    race_verdict,
    sparsity_rows,
    sparsity_verdict,
)
from .. import jobs, live
from ..exercises import apply_preset
from ..keys import PLAYGROUND
from ..live_chart import live_chart

KEYS = PLAYGROUND
PREFIX = KEYS.prefix
STEP_CHOICES = (300, 1000, 2000, 3000)
TARGETS = (0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01)


def _label(key: str) -> str:
    e = EXPERIMENTS[key]
    return f"{e.title} ({e.exercise})"


def _request() -> None:
    live.set_playing(PREFIX, False)  # the runs get the CPU
    st.session_state[KEYS.compare("requested")] = True


def compare_panel(settings: Settings) -> None:
    st.header("Compare", anchor="compare")
    st.markdown("Race variants of **this page's network and data** — same data, same initial weights, the same "
                "number of updates — and read the answer to an exercise of the notes off the curves.")
    key = st.segmented_control("Question", list(EXPERIMENTS), format_func=_label, default="activations",
                               key=KEYS.compare("experiment")) or "activations"
    experiment = EXPERIMENTS[key]
    st.markdown(f"**{experiment.exercise}.** {experiment.question}")
    if experiment.setup:
        st.button(f"Load the {experiment.setup_label}", icon=":material/tune:", key=KEYS.compare("setup"),
                  on_click=apply_preset, args=("playground", dict(experiment.setup)))
    c = st.columns([2, 2, 1.4], vertical_alignment="bottom")
    steps = c[0].select_slider("Updates per run", STEP_CHOICES, value=experiment.steps, key=KEYS.compare(f"steps.{key}"))
    target = c[1].select_slider("Target training cost", TARGETS, value=0.1, key=KEYS.compare("target"),
                                help="The table counts the updates each run needed to get this low.")
    c[2].button("Run comparison", icon=":material/compare_arrows:", key=KEYS.compare("run"), type="primary",
                width="stretch", on_click=_request)
    runs_text = " · ".join(f"{label}" for label in experiment.labels())
    st.caption(f"Runs: {runs_text} — everything else as in the sidebar.")
    if st.session_state.pop(KEYS.compare("requested"), False):
        _run(settings, experiment, steps)
    jobs.show(KEYS.compare("job"))
    _results(target)


def _run(settings: Settings, experiment: Experiment, steps: int) -> None:
    """Start the comparison; ``jobs.show`` runs it in slices (progress, Stop) or says it is too long."""
    def finish(runs) -> None:
        st.session_state[KEYS.compare("result")] = (experiment.key, runs, settings, steps)
    jobs.start(KEYS.compare("job"), Comparison(settings, experiment.changes(), steps, labels=experiment.labels()),
               finish)


def _results(target: float) -> None:
    result = st.session_state.get(KEYS.compare("result"))
    if result is None:
        return
    key, runs, settings, steps = result
    experiment = EXPERIMENTS[key]
    labels = experiment.labels()
    regression = settings.task == "regression"
    gap = experiment.kind == "gap"
    st.caption(f"Last comparison: {_label(key)}, {len(runs)} runs of {steps:,} updates on the settings of that "
               "moment.")
    if experiment.kind == "gap":
        st.markdown(gap_verdict(runs[0], runs[-1], "dropout"))
    elif experiment.kind == "sparsity":
        st.markdown(sparsity_verdict(runs, labels))
    else:
        st.markdown(race_verdict(runs, labels, target, regression))
    fig = race_figure(labels, [r.history.column("step") for r in runs], [r.history.column("train_cost") for r in runs],
                      [r.history.column("test_cost") for r in runs] if gap else None, target=None if gap else target)
    live_chart(fig, key=KEYS.compare("chart"))
    st.caption("Solid: training cost; dashed: test cost — the gap between them is what the network memorised."
               if gap else "Training cost of every run; the dotted line is the target.")
    if experiment.kind == "sparsity":
        st.dataframe(sparsity_rows(runs, labels), hide_index=True, width="stretch")
        _diagrams(runs[1:], labels[1:], settings)
    else:
        st.dataframe(race_rows(runs, labels, target, regression), hide_index=True, width="stretch")


def _diagrams(runs, labels, settings: Settings) -> None:
    """The trained networks side by side, near-zero weights dotted grey."""
    names = ["x1", "x2", *settings.features]
    for column, run, label in zip(st.columns(len(runs)), runs, labels):
        net = run.network
        off, total = near_zero_weights(net.W)
        with column:
            live_chart(network_figure(net.layer_sizes, net.W, net.b, names, height=420, near_zero=NEAR_ZERO,
                                      title=f"{label}: {off} of {total} weights below {NEAR_ZERO:g}"),
                       key=KEYS.compare(f"diagram.{label}"))
    st.caption("Lines are weights (blue positive, orange negative, thicker = larger); dotted grey lines are weights "
               f"with |w| < {NEAR_ZERO:g}, effectively switched off.")
