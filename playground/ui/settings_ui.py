"""Setting widgets that read and write a ``Settings`` and keep it in the URL.

Flow on every script run of a page:
1. the first time in a browser session, settings come from the link (``st.query_params``);
   bad values fall back to defaults and are listed so the page can say which;
2. each widget is seeded from the stored settings (so values survive page switches);
3. the widgets' values become the new settings (impossible values are refused with a
   message and the previous value is kept);
4. the settings are written back to the URL, so the address bar is always a share link.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from ..datasets import DATASETS, EXTRA_FEATURES, PLANE_DATASETS
from ..engine import activations
from ..engine.activations import HIDDEN_ACTIVATIONS
from ..engine.initializers import INITIALIZERS
from ..engine.network import check_residual_widths
from ..engine.optimizers import OPTIMIZERS
from ..settings import (
    CUSTOM_INITIALIZER,
    FIELDS,
    INIT_LABELS,
    MAX_SEED,
    OPTIMIZER_LABELS,
    Field,
    Settings,
)
from .keys import Keys
from .sessions import session_for
from .teacher_ui import controlled

LEARNING_RATES = (1e-5, 3e-5, 1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 0)
L2_CHOICES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
DECAY_CHOICES = (0.0, 1e-5, 1e-4, 3e-4, 0.001, 0.003, 0.01)
# The activations as the course writes them (the engine's registry keys are identifiers).
activation_label = activations.label



# Every setting in the words of the sidebar (teacher links name them as in the URL).
SETTING_LABELS = {name: field.label for name, field in FIELDS.items()}  # labels live in the schema
DROPOUT_CHOICES = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7)


def page_limits(max_layers: int, max_width: int) -> dict[str, Field]:
    """Narrower bounds for one page (the Playground draws at most 8 layers of 32, and only the
    2-D datasets: a digits link gets a notice pointing to the Digits page)."""
    return {
        "hidden_sizes": replace(FIELDS["hidden_sizes"], high=max_layers, item_high=max_width),
        "n_samples": replace(FIELDS["n_samples"], low=20, high=2000),
        "dataset": replace(FIELDS["dataset"], choices=PLANE_DATASETS),
    }


def load_settings(prefix: str, limits: dict[str, Field], defaults: Settings) -> Settings:
    """The page's settings: from session state, or (first visit) from the link."""
    keys = Keys(prefix)
    if keys.settings not in st.session_state:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        settings, problems = Settings.from_query_params(params, base=defaults, limits=limits)
        st.session_state[keys.settings] = settings
        st.session_state[keys.url_problems] = problems
    return st.session_state[keys.settings]


def save_settings(prefix: str, settings: Settings, extra: dict[str, str] | None = None) -> None:
    """Store the settings and write them (plus page-only flags) into the URL."""
    st.session_state[Keys(prefix).settings] = settings
    params = settings.to_query_params()
    params.update(extra or {})
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def url_problem_notice(prefix: str) -> None:
    problems = st.session_state.get(Keys(prefix).url_problems) or []
    if problems:
        # Each problem is markdown built by playground.settings: the link's own text is inside
        # code spans there, so a crafted link cannot show links, images or styling here.
        st.warning(
            "Some settings in the link could not be used:\n\n" + "\n".join(f"- {p}" for p in problems),
            icon="🔗",
        )


def seed_widget(key: str, value: Any) -> str:
    """Give a widget its stored value the first time it is drawn in this page visit."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def options_with(options: tuple, value: Any) -> list:
    """Options for a slider, including a value that came from a link but is not a preset."""
    return sorted(set(options) | {value}, key=lambda v: (v == 0 and options[-1] == 0, v))


def _format_hidden(sizes: tuple[int, ...]) -> str:
    return ",".join(str(n) for n in sizes)


def _change_depth(key: str, delta: int, max_layers: int) -> None:
    text = st.session_state.get(key, "")
    sizes = [p.strip() for p in text.split(",") if p.strip()]
    if delta > 0 and len(sizes) < max_layers:
        sizes.append(sizes[-1] if sizes else "4")
    elif delta < 0 and sizes:
        sizes.pop()
    st.session_state[key] = ",".join(sizes)


# Settings whose change needs a new session, and how their widget's value becomes the setting.
# Their widgets build that session in the change's callback, before the page reruns: over the
# live socket the new boundary is then painted while the page is still being drawn (the page's
# own ``session_for`` finds it built, or rebuilds it if the sidebar decided otherwise).
EARLY_SETTINGS = {"dataset": str, "n_samples": int, "noise": float, "test_ratio": float, "data_seed": int,
                  "activation": str, "initializer": str, "weight_seed": int, "optimizer": str}


def _early_session(prefix: str, name: str) -> None:
    keys = Keys(prefix)
    settings, old = st.session_state.get(keys.settings), st.session_state.get(keys.session)
    if settings is None or old is None or old.custom is not None:
        return  # (a file in use: the page decides which data to train on)
    try:
        new = settings.replace(**{name: EARLY_SETTINGS[name](st.session_state[keys.widget(name)])})
    except (ValueError, TypeError, KeyError):
        return  # the page says what is wrong when it draws the sidebar
    session_for(new, prefix)


def early(prefix: str, name: str) -> dict:
    """``on_change`` for the widget of the setting ``name`` (see ``EARLY_SETTINGS``)."""
    return {"on_change": _early_session, "args": (prefix, name)}


def settings_sidebar(prefix: str, settings: Settings, limits: dict[str, Field],
                     uploaded: tuple[str, str] | None = None) -> Settings:
    """Draw the data / network / training widgets in the sidebar and return new settings.
    ``uploaded``: (file name, dataset picked when it was loaded) while an uploaded file is
    trained on — the dataset box then says it is not in use."""
    keys = Keys(prefix)
    max_layers = int(limits["hidden_sizes"].high)
    max_width = limits["hidden_sizes"].item_high
    sb = controlled(st.sidebar, prefix)  # a teacher link may hide or lock settings
    sb.header("Data")
    file_in_use = uploaded is not None and st.session_state.get(keys.widget("dataset"), settings.dataset) == uploaded[1]
    dataset = sb.selectbox("Built-in dataset (not in use)" if file_in_use else "Dataset", PLANE_DATASETS,
                           format_func=lambda d: DATASETS[d].label, key=seed_widget(keys.widget("dataset"), settings.dataset),
                           **early(prefix, "dataset"))
    if file_in_use and dataset == uploaded[1]:
        sb.caption(f"Training on your file **{uploaded[0]}**. Pick a dataset here to go back to built-in data.")
    fixed = DATASETS[dataset].fixed_size
    n_samples = sb.slider("Number of points", 20, 2000, step=10, key=seed_widget(keys.widget("n_samples"), settings.n_samples),
                          **early(prefix, "n_samples"),
                          disabled=fixed)
    noise = sb.slider("Noise", 0.0, 1.0, step=0.05, key=seed_widget(keys.widget("noise"), settings.noise),
                      **early(prefix, "noise"), disabled=fixed)
    test_ratio = sb.slider("Test share", 0.0, 0.9, step=0.05, key=seed_widget(keys.widget("test_ratio"), settings.test_ratio),
                           **early(prefix, "test_ratio"),
                           help="Share of the points held out to measure generalisation.", disabled=fixed)
    data_seed = sb.number_input("Data seed", 0, MAX_SEED, step=1, key=seed_widget(keys.widget("data_seed"), settings.data_seed),
                                **early(prefix, "data_seed"))
    features = sb.pills("Extra input features", list(EXTRA_FEATURES), selection_mode="multi",
                        key=seed_widget(keys.widget("features"), list(settings.features)),
                        help="Computed from x1, x2 and fed to the network as extra inputs.")

    sb.header("Network")
    hidden_key = seed_widget(keys.widget("hidden"), _format_hidden(settings.hidden_sizes))
    c1, c2 = sb.columns(2)
    c1.button("Add layer", icon=":material/add:", key=keys.widget("add_layer"), on_click=_change_depth, args=(hidden_key, 1, max_layers),
              width="stretch")
    c2.button("Remove layer", icon=":material/remove:", key=keys.widget("remove_layer"), on_click=_change_depth, args=(hidden_key, -1, max_layers),
              width="stretch")
    hidden_sizes = hidden_layers_field(
        hidden_key, settings.hidden_sizes, limits["hidden_sizes"], example="8,8,4", container=sb,
        help=f"Comma-separated, e.g. 8,8,4. Up to {max_layers} layers of 1–{max_width} "
             "units; empty = no hidden layer (logistic regression).")
    activation = sb.selectbox("Hidden activation", HIDDEN_ACTIVATIONS, format_func=activation_label,
                              key=seed_widget(keys.widget("activation"), settings.activation), **early(prefix, "activation"))
    initializer = sb.selectbox("Initializer", [*INITIALIZERS, CUSTOM_INITIALIZER], format_func=INIT_LABELS.get,
                               key=seed_widget(keys.widget("initializer"), settings.initializer), **early(prefix, "initializer"))
    init_std = settings.init_std
    if initializer == CUSTOM_INITIALIZER:
        init_std = sb.number_input("Custom σ", 0.0, 10.0, step=0.05, format="%.3f",
                                   key=seed_widget(keys.widget("init_std"), settings.init_std),
                                   help="Every weight starts as σ·N(0,1); biases start at 0.")
    weight_seed = sb.number_input("Weight seed", 0, MAX_SEED, step=1,
                                  key=seed_widget(keys.widget("weight_seed"), settings.weight_seed),
                                  **early(prefix, "weight_seed"))
    fixes = fix_widgets(prefix, settings, hidden_sizes, sb)

    training = training_widgets(prefix, settings)
    try:
        return settings.replace(
            dataset=dataset, n_samples=int(n_samples), noise=float(noise), test_ratio=float(test_ratio),
            data_seed=int(data_seed), features=ordered_features(settings.features, features),
            hidden_sizes=hidden_sizes, activation=activation, initializer=initializer, init_std=float(init_std),
            weight_seed=int(weight_seed), **fixes, **training,
        )
    except ValueError as error:  # fine alone, not together (e.g. batch norm with one example per batch)
        st.sidebar.error(f"Settings not changed: {error}.")
        return settings


def fix_widgets(prefix: str, settings: Settings, hidden_sizes: tuple[int, ...], sb=None) -> dict:
    """Batch normalization and residual connections (CONCEPTS.md §10) as Settings fields; the
    residual toggle is off and disabled, with the reason, when the widths do not allow skips."""
    keys = Keys(prefix)
    sb = sb or st.sidebar
    batch_norm = sb.toggle("Batch normalization", key=seed_widget(keys.widget("batch_norm"), settings.batch_norm),
                           help="Normalize every hidden layer's z over the batch, then scale by a learned γ and "
                                "shift by a learned β, before the activation.")
    try:
        check_residual_widths(hidden_sizes)
        why_not = ""
    except ValueError as error:
        why_not = str(error)
    residual = sb.toggle("Residual connections", key=seed_widget(keys.widget("residual"), settings.residual),
                         disabled=bool(why_not), help="A[l] = g(Z[l]) + A[l−2]: a path for the gradient around "
                         "every two hidden layers." + (f" Not possible here: {why_not}." if why_not else ""))
    return {"batch_norm": bool(batch_norm), "residual": bool(residual) and not why_not}


def ordered_features(current: tuple[str, ...], selected: list[str] | None) -> tuple[str, ...]:
    """The selected extra features in the order they were chosen: the ones already in use keep
    their places (a link's x2^2,x1^2 stays x2^2,x1^2, so the run reproduces), new ones go last."""
    selected = [f for f in EXTRA_FEATURES if f in (selected or [])]
    return tuple(f for f in current if f in selected) + tuple(f for f in selected if f not in current)


def set_widget(prefix: str, name: str, value: Any) -> None:
    """Change a setting's widget from a callback (e.g. "New weights" bumps the weight seed)."""
    st.session_state[Keys(prefix).widget(name)] = value

def hidden_layers_field(key: str, current: tuple[int, ...], field: Field, example: str, help: str,
                        container=None) -> tuple[int, ...]:
    """The "Hidden layer widths" text field: new widths, or (refused with a message saying
    what to write) the current ones."""
    text = (container or st.sidebar).text_input("Hidden layer widths", key=key, help=help)
    problem = hidden_widths_problem(text, field)
    if problem is None:
        try:
            return field.parse(text)
        except ValueError as error:  # anything the check below did not foresee
            problem = f"{error}."
    st.sidebar.error(f"Hidden layers not changed: {problem} Write widths like {example}.")
    return current


def hidden_widths_problem(text: str, field: Field) -> str | None:
    """What is wrong with a hidden-layer-widths text, in the words of the sidebar (None if fine):
    "“8.5” is not a whole number of units" rather than Python's "invalid literal for int()"."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    low, high, widest = int(field.low), int(field.high), int(field.item_high)
    for part in parts:
        if not (part.isascii() and part.isdigit()):
            return f"“{part}” is not a whole number of units: use whole numbers from 1 to {widest}, separated by commas."
        if not 1 <= int(part) <= widest:
            return f"a layer of {int(part)} units is not possible here: each layer has 1 to {widest} units."
    if not low <= len(parts) <= high:
        return f"{len(parts)} layers is too many: at most {high} hidden layers here."
    return None


def training_widgets(prefix: str, settings: Settings,
                     batch_help: str = "Examples per update: 1 = stochastic, full batch = batch gradient descent.") -> dict:
    """The sidebar's Training section (optimizer, α, batch size, λ, decay) as Settings fields."""
    keys = Keys(prefix)
    sb = controlled(st.sidebar, prefix)
    sb.header("Training")
    optimizer = sb.selectbox("Optimizer", list(OPTIMIZERS), format_func=OPTIMIZER_LABELS.get,
                             key=seed_widget(keys.widget("optimizer"), settings.optimizer), **early(prefix, "optimizer"))
    learning_rate = sb.select_slider("Learning rate α", options_with(LEARNING_RATES, settings.learning_rate),
                                     format_func=lambda v: f"{v:g}", key=seed_widget(keys.widget("learning_rate"), settings.learning_rate),
                                     help="Can change while training runs.")
    batch_size = sb.select_slider("Batch size", options_with(BATCH_SIZES, settings.batch_size),
                                  format_func=lambda v: "full batch" if v == 0 else str(v),
                                  key=seed_widget(keys.widget("batch_size"), settings.batch_size),
                                  help=batch_help)
    l2 = sb.select_slider("L2 regularization λ", options_with(L2_CHOICES, settings.l2), format_func=lambda v: f"{v:g}",
                          key=seed_widget(keys.widget("l2"), settings.l2))
    l1 = sb.select_slider("L1 regularization λ₁", options_with(L2_CHOICES, settings.l1), format_func=lambda v: f"{v:g}",
                          key=seed_widget(keys.widget("l1"), settings.l1),
                          help="Adds (λ₁/m)·Σ|W| to the cost: drives many weights to (nearly) zero, where L2 only "
                               "shrinks them.")
    dropout = sb.select_slider("Dropout rate", options_with(DROPOUT_CHOICES, settings.dropout),
                               format_func=lambda v: f"{v:g}", key=seed_widget(keys.widget("dropout"), settings.dropout),
                               help="Share of hidden units switched off at random in every training update "
                                    "(keep_prob = 1 − rate); none at test time.")
    lr_decay = sb.select_slider("Learning-rate decay k", options_with(DECAY_CHOICES, settings.lr_decay),
                                format_func=lambda v: f"{v:g}", key=seed_widget(keys.widget("lr_decay"), settings.lr_decay),
                                help="α_t = α·e^(−k·t), t counting updates.")
    return {"optimizer": optimizer, "learning_rate": float(learning_rate), "batch_size": int(batch_size),
            "l2": float(l2), "l1": float(l1), "dropout": float(dropout), "lr_decay": float(lr_decay)}


def next_weight_seed(prefix: str) -> None:
    """"New weights": the next weight seed, in the widget and in the stored settings, and the new
    session built here, in the click's callback: over the live socket its boundary is on the
    screen before the page has rerun (the page's ``session_for`` then finds it built)."""
    key = Keys(prefix).settings
    seed = (st.session_state[key].weight_seed + 1) % 2**31
    set_widget(prefix, "weight_seed", seed)
    st.session_state[key] = st.session_state[key].replace(weight_seed=seed)
    old = st.session_state.get(Keys(prefix).session)
    if old is not None:
        session_for(st.session_state[key], prefix, custom=old.custom)
