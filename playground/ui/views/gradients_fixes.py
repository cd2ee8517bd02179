"""The Gradients lab's "Batch norm and residual connections" section (practice exercise 5).

Trains the lab's network three times from the same seeds — no fix, batch normalization,
residual connections — and shows the cost curves, the gradient profiles at initialization and
after training, a table, and what the numbers say (playground/teaching/gradients/fixes.py).
"""

from __future__ import annotations

import streamlit as st

from ...plots.gradients import compare_cost_figure, compare_profile_figure
from ...settings import Settings
from ...teaching.gradients.compare import Comparison
from ...teaching.gradients.fixes import REFERENCE, STEPS, fix_runs, summarize, verdict
from .. import jobs, live
from ..exercises import apply_preset
from ..keys import GRADIENTS
from ..live_chart import live_chart

KEYS = GRADIENTS
PREFIX = "gradients"
STEP_CHOICES = (300, 1000, 2000, 3000)
WHEN = ("at initialization", "after training")


def _request() -> None:
    live.set_playing(PREFIX, False)
    st.session_state[KEYS.key("fixes.requested")] = True


def fixes_section(settings: Settings, big: bool = False) -> None:
    """The section; ``big`` (presentation mode): its charts' text ≥ 16 px."""
    st.header("Batch norm and residual connections", anchor="fixes")
    st.markdown(
        "The notes' two fixes for a deep network whose gradient vanishes (exercise 5). **Batch normalization** "
        "normalizes every hidden layer's z over the batch, then lets the network scale and shift it: "
        "the activation always sees values near 0 with a learned spread. **Residual connections** add a layer's "
        "input two layers up, a path around the layers for the gradient. Train the lab's network three ways "
        "from the same seeds and compare."
    )
    # Short lines: on one line the formulas ran past the column at 1280 px (and a phone's screen).
    st.latex(r"\mu = \tfrac1m\textstyle\sum_i z^{(i)},\quad \sigma^2 = \tfrac1m\sum_i (z^{(i)}-\mu)^2")
    st.latex(r"z_{\text{norm}} = \frac{z-\mu}{\sqrt{\sigma^2+\varepsilon}},\quad \tilde z = \gamma z_{\text{norm}} + \beta")
    st.latex(r"A^{[l]} = g(Z^{[l]}) + A^{[l-2]}")
    labels, changes, note = fix_runs(settings)
    # The long label on a line of its own, as wide as its text (in a column it was cut to "Xavier…").
    st.button("Load the notes' network: 10 × 16 sigmoid, Xavier, circles, α = 0.1", icon=":material/tune:",
              key=KEYS.key("fixes.reference"), on_click=apply_preset, args=("gradients", dict(REFERENCE)),
              width="content")
    c = st.columns([2, 1], vertical_alignment="bottom")
    steps = c[0].select_slider("Updates per run", STEP_CHOICES, value=STEPS, key=KEYS.key("fixes.steps"))
    c[1].button("Run comparison", icon=":material/compare_arrows:", key=KEYS.key("fixes.run"), type="primary",
                width="stretch", on_click=_request)
    st.caption(f"Runs: {', '.join(labels)} — the network, data and training of the sidebar otherwise." +
               (f" {note}" if note else ""))
    if st.session_state.pop(KEYS.key("fixes.requested"), False):
        def finish(runs) -> None:
            st.session_state[KEYS.key("fixes.result")] = (labels, runs, steps)
        jobs.start(KEYS.key("fixes.job"), Comparison(settings.replace(batch_norm=False, residual=False), changes,
                                                     steps, labels=labels), finish)
    jobs.show(KEYS.key("fixes.job"))  # bounded work per rerun: slices, progress, Stop (issue 14)
    _results(big)


def _results(big: bool) -> None:
    result = st.session_state.get(KEYS.key("fixes.result"))
    if result is None:
        return
    labels, runs, steps = result
    L = runs[0].network.L if runs[0].network is not None else len(runs[0].initial_stats.grad_norm_W)
    regression = runs[0].settings.task == "regression"
    st.markdown("\n\n".join(verdict([summarize(label, run) for label, run in zip(labels, runs)], L, regression)))
    left, right = st.columns(2)
    with left:
        when = st.segmented_control("Gradient profile", WHEN, default=WHEN[0], key=KEYS.key("fixes.when")) or WHEN[0]
        final = when == WHEN[1]
        live_chart(compare_profile_figure(labels, [(r.final_stats if final else r.initial_stats).grad_norm_W
                                                   for r in runs], title=f"‖dW[l]‖ per layer, {when}",
                                          height=460 if big else 380, big=big),
                   key=KEYS.key("fixes.profile"))
        st.caption("A line falling steeply toward layer 1 is a vanishing gradient; a flat line reaches every layer.")
    with right:
        live_chart(compare_cost_figure(labels, [r.history.column("step") for r in runs],
                                       [r.history.column("train_cost") for r in runs], [r.diverged for r in runs],
                                       height=460 if big else 380, big=big),
                   key=KEYS.key("fixes.cost"))
        st.caption("Training cost of each run: a flat line is a network that is not learning.")
    metric = "R²" if regression else "accuracy"
    rows = []
    for label, run, s in zip(labels, runs, [summarize(label, run) for label, run in zip(labels, runs)]):
        rows.append({"run": label, "‖dW[1]‖ ÷ ‖dW[L]‖ at start": f"{s.ratio_start:.2g}",
                     "after training": f"{s.ratio_end:.2g}", f"train {metric}": f"{s.train_metric:.1%}"
                     if not regression else f"{s.train_metric:.3f}", f"test {metric}": f"{s.test_metric:.1%}"
                     if not regression else f"{s.test_metric:.3f}", "final cost": f"{s.train_cost:.4g}",
                     "updates": f"{s.steps:,}", "seconds": f"{run.seconds:.1f}"})
    st.dataframe(rows, hide_index=True, width="stretch")
