"""The Gradients lab's pieces: its settings widgets and presets, live views, and comparisons.

Session-state keys all start with ``gradients.``: the settings (``gradients.settings``), the
training session (``gradients.session``), widget values (``gradients.w.*``) and the last
comparison (``gradients.compare.*``), so everything survives a visit to another page.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from ...datasets import DATASETS, PLANE_DATASETS
from ...engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from ...engine.initializers import INITIALIZERS
from ...engine.optimizers import OPTIMIZERS
from ...plots.curves import cost_figure
from ...plots.gradients import (
    activation_figure,
    compare_cost_figure,
    compare_profile_figure,
    gradient_heatmap_figure,
    gradient_profile_figure,
    unit_outputs_figure,
)
from ...plots.style import compact_number
from ...settings import CUSTOM_INITIALIZER, MAX_SEED, Settings, code_span
from ...teaching.gradients.compare import MAX_CONFIGS, Comparison, describe
from ...teaching.gradients.diagnosis import Diagnosis, diagnose_network, power_of_ten
from ...training import TrainingSession
from .. import jobs, layout, live
from ..keys import GRADIENTS
from ..live_chart import live_chart
from ..settings_ui import (
    BATCH_SIZES,
    INIT_LABELS,
    LEARNING_RATES,
    OPTIMIZER_LABELS,
    SETTING_LABELS,
    activation_label,
    load_settings,
    options_with,
    page_limits,
    seed_widget,
    set_widget,
)
from ..stream.charts import cost_chart, figure_chart
from ..stream.scheduler import LiveView
from ..teacher_ui import controlled

KEYS = GRADIENTS
PREFIX = KEYS.prefix
PRESENT = KEYS.key("present")
LIMITS = page_limits(max_layers=30, max_width=128)
MIN_WIDTH, MAX_WIDTH, MAX_DEPTH = 2, 128, 30
ACTIVATION_BATCH = 200  # examples whose layer outputs the distributions show
INITIALIZER_CHOICES = (*INITIALIZERS, CUSTOM_INITIALIZER)
COMPARE_STEPS = (100, 300, 1000, 3000)
BOX = {"error": st.error, "warning": st.warning, "success": st.success}
ICONS = {"error": ":material/error:", "warning": ":material/warning:", "success": ":material/check_circle:"}

# Same data, same depth and width: only activation and initializer differ (CONCEPTS.md §5–6).
NETWORK = {"hidden_sizes": (16,) * 10, "learning_rate": 0.3, "batch_norm": False, "residual": False}
PRESETS: dict[str, dict[str, Any]] = {
    "10-layer sigmoid (vanishing)": {**NETWORK, "activation": "sigmoid", "initializer": "xavier"},
    "large init (exploding)": {**NETWORK, "activation": "relu", "initializer": "large"},
    "zeros (symmetry)": {**NETWORK, "activation": "tanh", "initializer": "zeros"},
    "ReLU + He (healthy)": {**NETWORK, "activation": "relu", "initializer": "he"},
    "tanh + Xavier (healthy)": {**NETWORK, "activation": "tanh", "initializer": "xavier"},
    # Practice exercise 5 (CONCEPTS.md §10): the vanishing network with a fix switched on.
    "sigmoid + batch norm": {**NETWORK, "activation": "sigmoid", "initializer": "xavier", "batch_norm": True},
    "sigmoid + residual": {**NETWORK, "activation": "sigmoid", "initializer": "xavier", "residual": True},
}
DEFAULTS = Settings(**PRESETS["10-layer sigmoid (vanishing)"])
# The classic initializer comparison (CONCEPTS.md reference experiments).
COMPARE_DEFAULTS = (("relu", "small"), ("relu", "large"), ("relu", "xavier"), ("relu", "he"))


def _seed(name: str, value: Any) -> str:
    """This page's widget key for ``name``, seeded with its stored value (see seed_widget)."""
    return seed_widget(KEYS.widget(name), value)


# -- settings -------------------------------------------------------------------------------------
def uniform_layers(sizes: tuple[int, ...]) -> tuple[int, int]:
    """(depth, width) of the lab's equal-width network closest to ``sizes``."""
    depth = min(max(len(sizes), 1), MAX_DEPTH)
    width = min(max(sizes[0] if sizes else DEFAULTS.hidden_sizes[0], MIN_WIDTH), MAX_WIDTH)
    return depth, width


def load_lab_settings() -> Settings:
    """The lab's settings (from session state, or from the link on the first visit). The lab
    builds equal-width networks of 1–30 layers of 2–128 units; other shapes are adjusted, and
    the page says so next to any other bad link value."""
    first_visit = KEYS.settings not in st.session_state
    settings = load_settings(PREFIX, LIMITS, DEFAULTS)
    problems = []
    depth, width = uniform_layers(settings.hidden_sizes)
    if (width,) * depth != settings.hidden_sizes:
        problems.append(f"**Hidden layer widths**: {code_span(','.join(map(str, settings.hidden_sizes)) or 'none')} in "
                        f"the link was changed to {depth} layers of {width} (the Gradients lab uses 1–{MAX_DEPTH} "
                        f"equal layers of {MIN_WIDTH}–{MAX_WIDTH} units).")
        settings = settings.replace(hidden_sizes=(width,) * depth)
    if settings.dataset not in PLANE_DATASETS:
        problems.append(f"**Dataset**: {code_span(settings.dataset)} in the link was not used (the Gradients lab "
                        f"uses 2-D datasets); kept {DATASETS[DEFAULTS.dataset].label}.")
        settings = settings.replace(dataset=DEFAULTS.dataset)
    if problems:
        if first_visit:
            st.session_state[KEYS.url_problems].extend(problems)
        st.session_state[KEYS.settings] = settings
    return settings


# What the lab's sidebar sets (a teacher link can hide or lock these), in the sidebar's words.
LAB_SETTINGS = {name: f"{SETTING_LABELS[name]} ({name})" for name in (
    "hidden_sizes", "activation", "initializer", "init_std", "weight_seed", "dataset", "n_samples", "noise",
    "data_seed", "optimizer", "learning_rate", "batch_size", "batch_norm", "residual")}
LAB_SETTINGS["hidden_sizes"] = "Hidden layers and units per layer (hidden_sizes)"
PRESET_SETTINGS = {"hidden_sizes", "activation", "initializer", "learning_rate", "batch_norm", "residual"}


def lab_sidebar(settings: Settings) -> Settings:
    """Network, data and training widgets (a smaller set than the Playground's)."""
    sb = controlled(st.sidebar, PREFIX)  # a teacher link may hide or lock settings
    sb.header("Network")
    depth, width = uniform_layers(settings.hidden_sizes)
    depth = sb.slider("Hidden layers", 1, MAX_DEPTH, key=_seed("depth", depth))
    width = sb.slider("Units per layer", MIN_WIDTH, MAX_WIDTH, key=_seed("width", width))
    activation = sb.selectbox("Hidden activation", HIDDEN_ACTIVATIONS, format_func=activation_label,
                              key=_seed("activation", settings.activation))
    initializer = sb.selectbox("Initializer", INITIALIZER_CHOICES, format_func=INIT_LABELS.get,
                               key=_seed("initializer", settings.initializer))
    init_std = sb.number_input("Custom σ", 0.0, 10.0, step=0.05, format="%.4g", key=_seed("init_std", settings.init_std),
                               disabled=initializer != CUSTOM_INITIALIZER,
                               help="Standard deviation of every initial weight: W = σ·N(0, 1). For comparison, "
                                    f"Xavier uses σ = 1/√{width} = {1 / np.sqrt(width):.3g} here and "
                                    f"He σ = √(2/{width}) = {np.sqrt(2 / width):.3g}.")
    weight_seed = sb.number_input("Weight seed", 0, MAX_SEED, step=1, key=_seed("weight_seed", settings.weight_seed))
    batch_norm = sb.toggle("Batch normalization", key=_seed("batch_norm", settings.batch_norm),
                           help="Normalize every hidden layer's z over the batch, then scale by a learned γ and "
                                "shift by a learned β, before the activation (exercise 5).")
    residual = sb.toggle("Residual connections", key=_seed("residual", settings.residual), disabled=depth < 3,
                         help="A[l] = g(Z[l]) + A[l−2]: a path around every two layers for the gradient "
                              "(needs at least 3 hidden layers).")

    sb.header("Data")
    dataset = sb.selectbox("Dataset", PLANE_DATASETS, format_func=lambda d: DATASETS[d].label,
                           key=_seed("dataset", settings.dataset))
    fixed = DATASETS[dataset].fixed_size
    n_samples = sb.slider("Number of points", 20, 2000, step=10, key=_seed("n_samples", settings.n_samples),
                          disabled=fixed)
    noise = sb.slider("Noise", 0.0, 1.0, step=0.05, key=_seed("noise", settings.noise), disabled=fixed)
    data_seed = sb.number_input("Data seed", 0, MAX_SEED, step=1, key=_seed("data_seed", settings.data_seed))

    sb.header("Training")
    optimizer = sb.selectbox("Optimizer", list(OPTIMIZERS), format_func=OPTIMIZER_LABELS.get,
                             key=_seed("optimizer", settings.optimizer))
    learning_rate = sb.select_slider("Learning rate α", options_with(LEARNING_RATES, settings.learning_rate),
                                     format_func=lambda v: f"{v:g}", key=_seed("learning_rate", settings.learning_rate))
    batch_size = sb.select_slider("Batch size", options_with(BATCH_SIZES, settings.batch_size),
                                  format_func=lambda v: "full batch" if v == 0 else str(v),
                                  key=_seed("batch_size", settings.batch_size))
    try:
        return settings.replace(
            hidden_sizes=(int(width),) * int(depth), activation=activation, initializer=initializer,
            init_std=float(init_std), weight_seed=int(weight_seed), dataset=dataset, n_samples=int(n_samples),
            noise=float(noise), data_seed=int(data_seed), optimizer=optimizer, learning_rate=float(learning_rate),
            batch_size=int(batch_size), batch_norm=bool(batch_norm), residual=bool(residual) and depth >= 3,
        )
    except ValueError as error:  # fine alone, not together (batch norm with one example per batch)
        st.sidebar.error(f"Not changed: {error}.")
        return settings


def preset_matching(settings: Settings) -> str | None:
    for name, preset in PRESETS.items():
        if all(getattr(settings, field) == value for field, value in preset.items()):
            return name
    return None


def _apply_preset(name: str) -> None:
    preset = PRESETS[name]
    depth, width = uniform_layers(preset["hidden_sizes"])
    for field, value in (("depth", depth), ("width", width), ("activation", preset["activation"]),
                         ("initializer", preset["initializer"]), ("learning_rate", preset["learning_rate"]),
                         ("batch_norm", preset["batch_norm"]), ("residual", preset["residual"])):
        set_widget(PREFIX, field, value)
    key = KEYS.settings
    st.session_state[key] = st.session_state[key].replace(**preset)
    live.set_playing(PREFIX, False)


def preset_buttons(settings: Settings, present: bool = False) -> None:
    """One button per preset; the preset the current settings match is highlighted. In
    presentation mode all of them share one row (wrapping when the screen is narrow), without
    the sentence: they are how a teacher switches networks with the settings hidden."""
    current = preset_matching(settings)
    classic = [name for name in PRESETS if not ({"batch_norm", "residual"} & {k for k, v in PRESETS[name].items() if v is True})]
    fixes = [name for name in PRESETS if name not in classic]
    rows = [(list(PRESETS), "")] if present else [(classic, ""), (fixes, "**The fixes** (exercise 5):")]
    if not present:
        st.markdown("**Presets** (same data, 10 hidden layers of 16 units; only activation and initializer differ):")
    for names, lead in rows:
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            if lead:
                st.markdown(lead, width="content")
            for name in names:  # buttons as wide as their labels, wrapping onto a new line when needed
                st.button(name, key=KEYS.key(f"preset.{name}"), on_click=_apply_preset, args=(name,),
                          type="primary" if name == current else "secondary", width="content")


def architecture_caption(session: TrainingSession) -> str:
    s = session.settings
    depth, width = len(s.hidden_sizes), s.hidden_sizes[0]
    init = f"σ = {s.init_std:g}" if s.initializer == CUSTOM_INITIALIZER else s.initializer
    fixes = " and ".join(name for name, on in (("batch norm", s.batch_norm), ("residual connections", s.residual)) if on)
    return (f"**{depth} hidden layers of {width} {activation_label(s.activation)} units**{' with ' + fixes if fixes else ''}, "
            f"{init} initialization, "
            f"{session.net.output_activation} output ({session.net.L} layers with weights, "
            f"{session.net.parameter_count:,} parameters) · {session.dataset_label}, {session.m_train} training points")


# -- live views -----------------------------------------------------------------------------------
def get_session() -> TrainingSession:
    return st.session_state[KEYS.session]


def ratio_text(ratio: float) -> str:
    if not np.isfinite(ratio):
        return "—"
    if ratio == 0:
        return "0"
    return power_of_ten(ratio) if ratio < 1e-2 or ratio > 1e2 else f"{ratio:.2g}"


def show_diagnosis(diagnosis: Diagnosis) -> None:
    BOX[diagnosis.severity](diagnosis.markdown(), icon=ICONS[diagnosis.severity])


def _diagnosis(session: TrainingSession) -> Diagnosis:
    return diagnose_network(session.net, session.latest_stats, session.latest.train_cost, session.diverged)


def header(session: TrainingSession) -> dict:
    """Counter and metrics above the views (also what the live socket sends). ``sync``: the
    diagnosis' kind — when it changes while streaming, the page reruns to show the new advice."""
    latest, net = session.latest, session.net
    metric_name = "R²" if session.task == "regression" else "accuracy"
    diagnosis = _diagnosis(session)
    return {"title": f"Update {session.step:,} · epoch {session.epoch:,}", "sync": diagnosis.kind, "metrics": [
        ["train cost", compact_number(latest.train_cost, decimals=4)],
        [f"train {metric_name}", f"{latest.train_metric:.1%}" if metric_name == "accuracy"
         else f"{latest.train_metric:.3f}"],
        [f"‖dW[1]‖ ÷ ‖dW[{net.L}]‖", ratio_text(diagnosis.ratio),
         "How much of the output layer's gradient reaches layer 1."]]}


def _hidden_outputs(session: TrainingSession) -> list[np.ndarray]:
    return session.net.forward(session.X_train[:, :ACTIVATION_BATCH]).A[1:-1]


# The views' heights: normal, and presentation mode (``big``: larger text needs larger charts).
HEIGHTS = {"profile": (360, 470), "heatmap": (360, 470), "activations": (420, 470), "cost": (420, 470),
           "units": (260, 320)}


def _height(view: str, big: bool) -> int:
    return HEIGHTS[view][big]


def _profile(s: TrainingSession, big: bool):
    return gradient_profile_figure(s.latest_stats.grad_norm_W, s.latest_stats.grad_norm_A,
                                   height=_height("profile", big), big=big)


def _heatmap(s: TrainingSession, big: bool):
    h = s.history
    return gradient_heatmap_figure(h.column("step"), h.layer_matrix("grad_norms"), height=_height("heatmap", big),
                                   big=big, **({"title": "Which layers learn: ‖dW[l]‖"} if big else {}))


def _activations(s: TrainingSession, big: bool):
    stats = s.latest_stats
    return activation_figure(_hidden_outputs(s), stats.saturated_fraction, stats.dead_fraction,
                             ACTIVATIONS[s.net.hidden_activation].output_bounds, height=_height("activations", big),
                             big=big, **({"title": "What each layer outputs"} if big else {}))


def _units(s: TrainingSession, big: bool):
    return unit_outputs_figure(_hidden_outputs(s)[0], 1, height=_height("units", big), big=big)


def live_view(big: bool = False):
    """What the live socket streams for the lab (a function of the session, built per rerun):
    new cost points often, the per-layer views (whole figures from their builders) a few times
    a second. ``big``: presentation mode."""
    def view(session: TrainingSession) -> LiveView:
        charts = [
            cost_chart(KEYS.key("cost")),
            figure_chart(KEYS.key("profile"), lambda s: _profile(s, big), interval=0.2),
            figure_chart(KEYS.key("heatmap"), lambda s: _heatmap(s, big), interval=0.5),
            figure_chart(KEYS.key("activations"), lambda s: _activations(s, big), interval=0.5),
        ]
        if _diagnosis(session).kind == "symmetry":
            charts.append(figure_chart(KEYS.key("units"), lambda s: _units(s, big), interval=0.5))
        return LiveView(header=header, charts=tuple(charts), step_updates=lambda s: live.step_updates(PREFIX, s))
    return view


def render_views(session: TrainingSession, tick: int, big: bool = False) -> None:
    """Counter, diagnosis and the four views, drawn at initialization and on every live tick.

    ``big`` (presentation mode): chart text ≥ 16 px and taller charts; the gradient profile and
    the layer × update picture come first, under the counter, and the captions are left out
    (the teacher explains)."""
    metric_name = "R²" if session.task == "regression" else "accuracy"
    diagnosis = _diagnosis(session)
    with st.container(key=layout.METRICS):
        live.counter_row(PREFIX, header(session))
    live.divergence_notice(session)
    if not big:
        show_diagnosis(diagnosis)

    def caption(text: str) -> None:
        if not big:
            st.caption(text)

    if diagnosis.kind == "symmetry" and not big:
        _symmetry_view(session, big, caption)
    left, right = st.columns(2)
    with left:
        live_chart(_profile(session, big), key=KEYS.key("profile"), revision=session.step)
        caption("How big the gradient is at each layer (log scale). A line falling toward layer 1 means "
                "vanishing gradients; rising means exploding; flat is healthy.")
    with right:
        live_chart(_heatmap(session, big), key=KEYS.key("heatmap"), revision=session.step)
        caption("Each row is a layer, each column an update; dark rows are layers that hardly ever learn.")
    if big:
        show_diagnosis(diagnosis)
        if diagnosis.kind == "symmetry":
            _symmetry_view(session, big, caption)
    left, right = st.columns(2)
    with left:
        live_chart(_activations(session, big), key=KEYS.key("activations"), revision=session.step)
        caption(f"Each shape shows how the outputs of one layer are spread over {min(ACTIVATION_BATCH, session.m_train)} "
                "examples; the bars show the share of units stuck where their slope is (almost) zero.")
    with right:
        h = session.history
        live_chart(cost_figure(h.column("step"), h.column("train_cost"), h.column("test_cost"),
                               h.column("train_metric"), h.column("test_metric"), metric_name,
                               height=_height("cost", big), big=big),
                   key=KEYS.key("cost"), revision=session.step)
        caption("The cost should fall. A flat line at the start is what vanishing gradients feel like.")


def _symmetry_view(session: TrainingSession, big: bool, caption) -> None:
    live_chart(_units(session, big), key=KEYS.key("units"), revision=session.step)
    caption("Every row is one unit of layer 1, every column one training example: identical rows "
            "mean identical units, whatever the input.")


# -- comparison -----------------------------------------------------------------------------------
def _remembered(widget, name: str, default: Any, *args, **kwargs) -> Any:
    """Draw ``widget(*args, key=…, **kwargs)`` seeded with its last value, and remember the new
    one outside widget state (which Streamlit drops on other pages), so choices survive a visit."""
    key = KEYS.compare(f"w.{name}")
    kept = st.session_state.setdefault(KEYS.compare("kept"), {})
    if key not in st.session_state:
        st.session_state[key] = kept.get(name, default)
    value = widget(*args, key=key, **kwargs)
    kept[name] = value
    return value


def compare_controls() -> tuple[list[dict[str, Any]], int]:
    """How many runs, each run's activation, initializer (and σ), and updates per run."""
    top = st.columns([1, 2, 1], vertical_alignment="bottom")
    with top[0]:
        # required: clicking the selected number keeps it (it used to empty the choice and run 2)
        count = _remembered(st.segmented_control, "count", MAX_CONFIGS, "Runs", list(range(2, MAX_CONFIGS + 1)),
                            required=True) or MAX_CONFIGS
    with top[1]:
        steps = _remembered(st.select_slider, "steps", 1000, "Updates per run", COMPARE_STEPS)
    changes = []
    for i, column in enumerate(st.columns(MAX_CONFIGS)[:count]):
        activation, initializer = COMPARE_DEFAULTS[i]
        with column.container(border=True):
            change = {
                "activation": _remembered(st.selectbox, f"activation{i}", activation, f"Run {i + 1}: activation",
                                          HIDDEN_ACTIVATIONS, format_func=activation_label),
                "initializer": _remembered(st.selectbox, f"initializer{i}", initializer, "initializer",
                                           INITIALIZER_CHOICES, format_func=INIT_LABELS.get),
            }
            if change["initializer"] == CUSTOM_INITIALIZER:
                change["init_std"] = _remembered(st.number_input, f"init_std{i}", 0.1, "σ", 0.0, 10.0, step=0.05,
                                                 format="%.4g")
        changes.append(change)
    return changes, int(steps)


def start_comparison(settings: Settings, changes: list[dict[str, Any]], steps: int) -> None:
    """Run the comparison in slices (``ui/jobs.py``), or refuse it with the estimate."""
    depth, width = uniform_layers(settings.hidden_sizes)
    what = (f"{len(changes)} runs of {steps:,} updates · {DATASETS[settings.dataset].label}, data seed "
            f"{settings.data_seed}, weight seed {settings.weight_seed} · {depth} hidden layers of {width} · "
            f"{OPTIMIZER_LABELS[settings.optimizer]} α = {settings.learning_rate:g}")

    def finish(runs) -> None:
        st.session_state[KEYS.compare("runs")] = runs
        st.session_state[KEYS.compare("what")] = what

    jobs.start(KEYS.compare("job"), Comparison(settings, changes, steps), finish)


def compare_results(big: bool = False) -> None:
    runs = st.session_state.get(KEYS.compare("runs"))
    if not runs:
        return
    st.caption(f"Compared: {st.session_state[KEYS.compare('what')]}")
    labels = [f"{i + 1}. {run.label}" for i, run in enumerate(runs)]
    left, right = st.columns(2)
    with left:
        fig = compare_cost_figure(labels, [r.history.column("step") for r in runs],
                                  [r.history.column("train_cost") for r in runs], [r.diverged for r in runs],
                                  height=460 if big else 380, big=big)
        live_chart(fig, key=KEYS.compare("cost_chart"))
        st.caption("Training cost of every run against updates: the classic initializer comparison.")
    with right:
        when = _remembered(st.segmented_control, "when", "at initialization", "Profile",
                           ["at initialization", "after training"], required=True) or "at initialization"
        final = when == "after training"
        fig = compare_profile_figure(labels, [(r.final_stats if final else r.initial_stats).grad_norm_W for r in runs],
                                     title=f"Gradient size per layer, {when}", height=460 if big else 380, big=big)
        live_chart(fig, key=KEYS.compare("profile_chart"))
        st.caption("‖dW[l]‖ per layer on a log scale: a steep fall toward layer 1 is vanishing, a rise is exploding.")
    regression = DATASETS[runs[0].settings.dataset].task == "regression"
    metric = "train R²" if regression else "train accuracy"
    st.dataframe(
        [{"run": label, "updates": run.steps, "final train cost": f"{run.history.column('train_cost')[-1]:.4g}",
          metric: f"{run.history.column('train_metric')[-1]:{'.3f' if regression else '.1%'}}",
          "‖dW[1]‖ ÷ ‖dW[L]‖ at start": ratio_text(_ratio(run.initial_stats.grad_norm_W)),
          "status": "diverged" if run.diverged else "finished"} for label, run in zip(labels, runs)],
        hide_index=True, width="stretch",
    )


def _ratio(norms: np.ndarray) -> float:
    return float(norms[0] / norms[-1]) if norms[-1] > 0 else float("nan")


def compare_section(settings: Settings, big: bool = False) -> None:
    st.header("Compare up to four configurations")
    st.markdown("Train each network on the **same data from the same seeds** for the same number of updates, "
                "then overlay their cost curves and gradient profiles. Depth, width, data and optimizer are the "
                "ones chosen above; each run picks its activation and initializer.")
    changes, steps = compare_controls()
    st.caption(" · ".join(f"Run {i + 1}: {describe(settings.replace(**c))}" for i, c in enumerate(changes)))
    st.button("Run comparison", icon=":material/compare_arrows:", key=KEYS.compare("run"), type="primary",
              on_click=_request_comparison)
    if st.session_state.pop(KEYS.compare("requested"), False):
        start_comparison(settings, changes, steps)
    jobs.show(KEYS.compare("job"))
    compare_results(big)


def _request_comparison() -> None:
    # A flag rather than the button's return value: it survives a rerun (the app router may
    # rerun a page once before drawing it), and playing stops so the runs get the CPU.
    live.set_playing(PREFIX, False)
    st.session_state[KEYS.compare("requested")] = True
