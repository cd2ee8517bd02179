"""One frozen settings schema for an experiment: bounds, validation and the URL round trip.

Every setting is one row of ``FIELDS`` (name, default, kind, bounds or choices, help). The
same table validates the command line, the Streamlit widgets and shared links:

    settings = Settings(dataset="moons", hidden_sizes=(8, 8))       # ValueError if impossible
    params = settings.to_query_params()                             # {"dataset": "moons", ...}
    again, problems = Settings.from_query_params(params)            # bad values -> defaults

A bad value in a link never raises: it falls back to the default and ``problems`` says which
setting (by the label the page shows), why, and what is used instead, so the page can tell the
user. Link values in those messages are shown as literal text (``code_span``), never as markdown.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .datasets import DATASETS, EXTRA_FEATURES
from .engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_FOR_TASK
from .engine.initializers import INITIALIZERS
from .engine.network import MAX_HIDDEN_LAYERS, MAX_WIDTH, check_residual_widths
from .engine.optimizers import OPTIMIZERS

MAX_SEED = 2**31 - 1
COMBINATION_FIELDS = ("residual", "batch_norm")  # dropped from a link when they clash with the rest
CUSTOM_INITIALIZER = "custom"  # W = init_std · N(0, 1), the Gradients lab's "custom σ"


@dataclass(frozen=True)
class Field:
    """One setting: how to parse it from text, and what values are allowed."""

    name: str
    kind: str  # "int", "float", "bool", "choice", "int_list", "choice_list"
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""
    item_high: int = MAX_WIDTH  # int_list: the largest allowed entry (a layer width)
    high_open: bool = False  # float: the value must stay below ``high`` (dropout rate < 1)
    label: str = ""  # the widget's label, for messages in the words of the page
    choice_labels: tuple[tuple[str, str], ...] = ()  # (value, what the page shows for it)

    def parse(self, text: str) -> Any:
        """Text (from a URL or command line) → value; ValueError naming the allowed range.
        ``-0`` means 0; a list keeps its order, a repeated entry is an error (see ``dedupe``)."""
        text = str(text).strip()
        if self.kind == "int":
            return self.check(int(text))
        if self.kind == "float":
            return self.check(float(text) + 0.0)  # + 0.0 turns -0.0 into 0.0
        if self.kind == "choice":
            return self.check(text)
        if self.kind == "bool":
            word = text.lower()
            if word not in BOOL_WORDS:
                raise ValueError(f"{self.name} must be on or off (1/0, true/false), got {text!r}")
            return BOOL_WORDS[word]
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if self.kind == "int_list":
            return self.check(tuple(int(p) for p in parts))
        return self.check(tuple(parts))

    def check(self, value: Any) -> Any:
        if self.kind in ("int", "float"):
            # Whole-number bounds print as integers (2147483647, not 2.14748e+09).
            if self.kind == "int":
                low, high = int(self.low), int(self.high)
            else:
                low, high = f"{self.low:g}", f"{self.high:g}"
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"{self.name} must be a number between {low} and {high}, got {value!r}")
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{self.name} must be a finite number")
            if isinstance(value, numbers.Integral):
                if not self.low <= value <= self.high:  # exact for any size (float() of 10**400 overflows)
                    raise ValueError(f"{self.name} must be between {low} and {high}, got {short(value)}")
                return value
            if self.kind == "int" and not float(value).is_integer():
                raise ValueError(f"{self.name} must be a whole number between {low} and {high}, got {value}")
            if self.high_open and not self.low <= value < self.high:
                raise ValueError(f"{self.name} must be at least {low} and below {high}, got {value}")
            if not self.low <= value <= self.high:
                raise ValueError(f"{self.name} must be between {low} and {high}, got {value}")
        elif self.kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(f"{self.name} must be True or False, got {value!r}")
        elif self.kind == "choice":
            if value not in self.choices:
                raise ValueError(f"{self.name} must be one of {', '.join(self.choices)}, got {value!r}")
        elif self.kind == "int_list":
            if not self.low <= len(value) <= self.high:
                raise ValueError(
                    f"{self.name} needs between {self.low:g} and {self.high:g} entries, got {len(value)}"
                )
            if any(isinstance(n, bool) or not isinstance(n, numbers.Integral) for n in value):
                raise ValueError(f"every width in {self.name} must be a whole number of units")
            if any(not 1 <= n <= self.item_high for n in value):
                raise ValueError(f"every width in {self.name} must be between 1 and {self.item_high}")
        elif self.kind == "choice_list":
            bad = [v for v in value if v not in self.choices]
            if bad:
                raise ValueError(f"{self.name} must be chosen from {', '.join(self.choices)}; "
                                 f"unknown {[short(v) for v in bad[:5]]}")
            twice = sorted({v for v in value if value.count(v) > 1})
            if twice:
                raise ValueError(f"{self.name} lists {', '.join(twice)} more than once; name each at most once")
        return value

    def allowed(self) -> str:
        """The allowed values, in the words of the page."""
        if self.kind == "int":
            return f"a whole number between {int(self.low)} and {int(self.high)}"
        if self.kind == "float":
            if self.high_open:
                return f"a number from {self.low:g} up to (not including) {self.high:g}"
            return f"a number between {self.low:g} and {self.high:g}"
        if self.kind == "bool":
            return "on or off (1 or 0)"
        if self.kind == "choice":
            return "one of " + ", ".join(self.show(c) for c in self.choices)
        if self.kind == "int_list":
            return (f"up to {self.high:g} comma-separated widths of 1–{self.item_high} units, "
                    "e.g. 8,8,4, or empty for none")
        if not self.choices:
            return "empty here (this page has none)"
        return "a comma-separated list of " + ", ".join(self.choices)

    def show(self, value: Any) -> str:
        """A value as the page shows it: "Circles" (not circles), "none" for an empty list."""
        if self.kind == "choice":
            return dict(self.choice_labels).get(value, str(value))
        if self.kind == "bool":
            return "on" if value else "off"
        if self.kind in ("int_list", "choice_list"):
            if not value:
                return "no hidden layer" if self.kind == "int_list" else "none"
            return ",".join(str(v) for v in value)
        if self.kind == "float":
            return f"{value:g}"
        return str(value)

    @property
    def title(self) -> str:
        return self.label or self.name

    def format(self, value: Any) -> str:
        """Value → the text a URL or command line holds."""
        if self.kind in ("int_list", "choice_list"):
            return ",".join(str(v) for v in value)
        if self.kind == "float":
            return repr(float(value))
        if self.kind == "bool":
            return "1" if value else "0"
        return str(value)


def short(value: Any, limit: int = 40) -> str:
    """``value`` as text of at most ``limit`` characters (a 400-digit number is not echoed whole)."""
    try:
        text = str(value)
    except ValueError:  # an int beyond Python's 4300-digit str() limit
        return "a number too long to show"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def code_span(value: Any, limit: int = 40) -> str:
    """Markdown that shows ``value`` as literal text: an inline code span, in which links, images,
    **emphasis**, :colors[] and $maths$ are not interpreted. Control characters become "�",
    long values are cut to ``limit`` characters."""
    text = "".join("�" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in short(value, limit))
    longest = max((len(run) for run in _backtick_runs(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _backtick_runs(text: str) -> list[str]:
    runs, current = [], ""
    for c in text:
        if c == "`":
            current += c
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])


# What markdown (and Streamlit's :color[…] / :material/…: / $maths$) could read as markup once
# line breaks are gone: emphasis, code, links and images ([ ]), HTML and entities (< > &),
# headings, tables, strikethrough, maths, shortcodes and autolinks (http: and a@b need : and @).
MARKDOWN_SPECIAL = set("\\`*_[]<>#|~$:&@")


def escape_markdown(text: Any) -> str:
    """``text`` for a markdown message, shown literally: the characters that could start markup
    are backslash-escaped (the backslash is not shown), "www." loses its autolink, line breaks
    become spaces and control characters "�"."""
    out = []
    for c in str(text):
        if c in "\r\n\t":
            out.append(" ")
        elif unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp"):
            out.append("�")
        elif c in MARKDOWN_SPECIAL or (c == "." and "".join(out[-3:]).lower() == "www"):
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def unescape_markdown(text: str) -> str:
    """What the reader sees of ``escape_markdown``'s output (for tests and plain-text copies)."""
    return re.sub(r"\\([!-/:-@[-`{-~])", r"\1", text)


def _first(raw: Any) -> Any:
    if isinstance(raw, (list, tuple)):
        return raw[-1] if raw else ""
    return raw


def parse_query_params(
    fields: Mapping[str, Field], params: Mapping[str, Any], fallback: Mapping[str, Any],
    reasons: Mapping[str, str] | None = None, schema: Mapping[str, Field] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Parse the ``fields`` present in ``params`` (a link's query). Returns the good values
    and, for each bad or changed one, a markdown message naming the setting by its label, the
    link's value (as literal text), why, and the ``fallback`` value kept instead.
    ``reasons`` can replace the generic reason for a field (e.g. how a table is written);
    ``schema`` is the app-wide field table, to say "not on this page" for a value another page
    accepts."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, f in fields.items():
        if name not in params:
            continue
        raw = _first(params[name])
        try:
            values[name] = f.parse(raw)
            continue
        except (ValueError, TypeError, OverflowError):
            pass
        kept = f.show(fallback[name])
        if f.kind == "choice_list":
            parts = [p.strip() for p in str(raw).split(",") if p.strip()]
            once = tuple(dict.fromkeys(parts))
            if len(once) < len(parts):
                try:
                    values[name] = f.check(once)
                    twice = sorted({p for p in parts if parts.count(p) > 1})
                    problems.append(f"**{f.title}**: {code_span(raw)} in the link lists "
                                    f"{', '.join(code_span(p) for p in twice)} more than once; using "
                                    f"{code_span(f.show(once))}.")
                    continue
                except ValueError:
                    pass
        elsewhere = (schema or {}).get(name)
        if f.kind == "choice" and elsewhere is not None and raw in elsewhere.choices:
            reason = f"{escape_markdown(elsewhere.show(raw))} is not available on this page"
            hint = PAGE_FOR_CHOICE.get((name, raw))
            if hint:
                reason += f" — {hint}"
        else:
            reason = (reasons or {}).get(name) or f"it must be {f.allowed()}"
        problems.append(f"**{f.title}**: {code_span(raw)} in the link was not used ({reason}); "
                        f"kept {escape_markdown(kept)}.")
    return values, problems


BOOL_WORDS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False,
              "off": False, "": False}


def unknown_keys_notice(params: Mapping[str, Any], known: set[str] | frozenset[str]) -> list[str]:
    """A message naming the link's keys that no page of the app reads (e.g. a mistyped ``lr``)."""
    unknown = [key for key in params if key not in known]
    if not unknown:
        return []
    shown = ", ".join(code_span(k, 24) for k in unknown[:8]) + (f" and {len(unknown) - 8} more" if len(unknown) > 8 else "")
    verb = "is not a setting" if len(unknown) == 1 else "are not settings"
    return [f"{shown} in the link {verb} of this app and {'was' if len(unknown) == 1 else 'were'} ignored."]


OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam"}
# The activations as the course writes them (the engine's registry keys are identifiers).
ACTIVATION_LABELS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU",
                     "linear": "linear (none)", "softmax": "softmax", "step": "step"}
INIT_LABELS = {
    "zeros": "zeros (symmetry!)",
    "small": "small: 0.01·N(0,1)",
    "large": "large: 1.0·N(0,1)",
    "xavier": "Xavier: N(0, 1/n[l-1])",
    "he": "He: N(0, 2/n[l-1])",
    CUSTOM_INITIALIZER: "custom: σ·N(0,1)",
}

FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("dataset", "choice", choices=tuple(DATASETS), help="which toy dataset", label="Dataset",
              choice_labels=tuple((name, info.label) for name, info in DATASETS.items())),
        Field("n_samples", "int", 4, 2000, help="number of points", label="Number of points"),
        Field("noise", "float", 0.0, 1.0, help="how noisy the points are (0 = clean)", label="Noise"),
        Field("test_ratio", "float", 0.0, 0.9, help="share of points held out as the test set", label="Test share"),
        Field("data_seed", "int", 0, MAX_SEED, help="seed of the data and its split", label="Data seed"),
        Field("features", "choice_list", choices=tuple(EXTRA_FEATURES), help="extra input features",
              label="Extra input features"),
        Field("hidden_sizes", "int_list", 0, MAX_HIDDEN_LAYERS, help="hidden layer widths, e.g. 8,8,4",
              label="Hidden layer widths"),
        Field("activation", "choice", choices=HIDDEN_ACTIVATIONS, help="hidden activation g", label="Hidden activation",
              choice_labels=tuple(ACTIVATION_LABELS.items())),
        Field("initializer", "choice", choices=(*INITIALIZERS, CUSTOM_INITIALIZER), help="weight initializer",
              label="Initializer", choice_labels=tuple(INIT_LABELS.items())),
        Field("init_std", "float", 0.0, 10.0, help="σ of the custom initializer, W = σ·N(0,1)", label="Custom σ"),
        Field("weight_seed", "int", 0, MAX_SEED, help="seed of the initial weights and shuffling", label="Weight seed"),
        Field("optimizer", "choice", choices=tuple(OPTIMIZERS), help="update rule", label="Optimizer",
              choice_labels=tuple(OPTIMIZER_LABELS.items())),
        Field("learning_rate", "float", 1e-5, 100.0, help="step size α", label="Learning rate α"),
        Field("batch_size", "int", 0, 100_000, help="examples per update (0 = full batch)", label="Batch size"),
        Field("l2", "float", 0.0, 10.0, help="L2 penalty λ", label="L2 regularization λ"),
        Field("lr_decay", "float", 0.0, 1.0, help="learning-rate decay k in α·e^(-k·t)", label="Learning-rate decay k"),
        Field("l1", "float", 0.0, 10.0, help="L1 penalty λ₁ (cost + (λ₁/m)·Σ|W|)", label="L1 regularization λ₁"),
        Field("batch_norm", "bool", help="batch normalization before every hidden activation",
              label="Batch normalization"),
        Field("residual", "bool", help="residual connections A[l] = g(Z[l]) + A[l-2] (equal widths)",
              label="Residual connections"),
        Field("dropout", "float", 0.0, 1.0, high_open=True, label="Dropout rate",
              help="dropout rate: the fraction of hidden units dropped in training (keep_prob = 1 - rate)"),
    )
}

# Where a value that this page refuses lives instead (said in the notice).
PAGE_FOR_CHOICE = {
    ("dataset", "digits01"): "the handwritten digits have their own page: open **Digits** in the sidebar",
    ("dataset", "digits10"): "the handwritten digits have their own page: open **Digits** in the sidebar",
}

# Every key a link to any page of this app may carry. Pages keep each other's keys in the
# address bar, so only a key in none of them is reported as ignored. A page that adds a URL
# key adds it here (tests/test_settings.py checks the Perceptron's).
LINK_KEYS = frozenset(FIELDS) | {
    "present", "data",  # Playground: presentation mode, "trained on an uploaded file"
    "gate", "table", "w0", "w1", "w2", "net", "net_act", "net_seed",  # Perceptron
    "lesson", "done", "picks",  # guided lessons: progress (playground/teaching/lessons/progress.py)
    "hide", "lock", "title", "question",  # a teacher's link (playground/teaching/lessons/teacher.py)
}


@dataclass(frozen=True)
class Settings:
    """Everything that determines an experiment. Equal settings → bit-identical runs."""

    dataset: str = "circles"
    n_samples: int = 300
    noise: float = 0.1
    test_ratio: float = 0.3
    data_seed: int = 0
    features: tuple[str, ...] = ()
    hidden_sizes: tuple[int, ...] = (8,)
    activation: str = "tanh"
    initializer: str = "xavier"
    init_std: float = 0.1
    weight_seed: int = 0
    optimizer: str = "sgd"
    learning_rate: float = 0.3
    batch_size: int = 0
    l2: float = 0.0
    lr_decay: float = 0.0
    l1: float = 0.0
    batch_norm: bool = False
    residual: bool = False
    dropout: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "features", tuple(self.features))
        object.__setattr__(self, "hidden_sizes", tuple(
            n if isinstance(n, bool) or not isinstance(n, numbers.Real) or not float(n).is_integer() else int(n)
            for n in self.hidden_sizes))
        for f in FIELDS.values():
            f.check(getattr(self, f.name))
            if f.kind == "int":  # 300.0 or np.int64(300) → 300, so sizes can index and slice
                object.__setattr__(self, f.name, int(getattr(self, f.name)))
            elif f.kind == "float":  # and -0.0 → 0.0 (make_circles refuses a noise of -0.0)
                object.__setattr__(self, f.name, float(getattr(self, f.name)) + 0.0)
            if f.kind == "bool":
                object.__setattr__(self, f.name, bool(getattr(self, f.name)))
        self.check_combination()

    def check_combination(self) -> None:
        """Settings that are fine alone but not together; ValueError saying what to change."""
        if self.residual:
            check_residual_widths(self.hidden_sizes)
        if self.batch_norm and self.batch_size == 1:
            raise ValueError("batch normalization needs at least 2 examples per batch (it normalizes over the "
                             "batch); choose a larger batch size or turn batch norm off")

    @property
    def keep_prob(self) -> float:
        """The notes' keep_prob = 1 - dropout rate."""
        return 1.0 - self.dropout

    def network_options(self) -> dict[str, Any]:
        """The ``Network`` keyword arguments these settings switch on (batch norm, skips, dropout)."""
        return {"batch_norm": self.batch_norm, "residual": self.residual, "keep_prob": self.keep_prob}

    @property
    def task(self) -> str:
        return DATASETS[self.dataset].task

    @property
    def n_classes(self) -> int:
        return DATASETS[self.dataset].n_classes

    @property
    def output_activation(self) -> str:
        return OUTPUT_FOR_TASK[self.task]

    def layer_sizes(self, n_inputs: int) -> tuple[int, ...]:
        n_out = 1 if self.task != "multiclass" else self.n_classes
        return (n_inputs, *self.hidden_sizes, n_out)

    @property
    def initializer_spec(self) -> str | float:
        """What ``Network`` takes: an initializer name, or σ for the custom initializer."""
        return self.init_std if self.initializer == CUSTOM_INITIALIZER else self.initializer

    def replace(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def to_query_params(self) -> dict[str, str]:
        """Every setting as text, for a link that reproduces this exact experiment."""
        return {name: f.format(getattr(self, name)) for name, f in FIELDS.items()}

    @classmethod
    def from_query_params(
        cls, params: Mapping[str, Any], base: Settings | None = None, limits: Mapping[str, Field] | None = None
    ) -> tuple[Settings, list[str]]:
        """Parse settings from a link. A bad value keeps the default (or ``base``'s value) and
        adds a message to the returned list of problems; so does a key that no page of the app
        reads (keys of other pages are left alone). ``limits`` can narrow a field's bounds for
        one page (e.g. at most 8 hidden layers)."""
        base = base or cls()
        fields_here = {name: (limits or {}).get(name, f) for name, f in FIELDS.items()}
        current = {name: getattr(base, name) for name in FIELDS}
        values, problems = parse_query_params(fields_here, params, current, schema=FIELDS)
        problems += unknown_keys_notice(params, LINK_KEYS)
        try:
            return replace(base, **values), problems
        except ValueError as error:  # each value was fine alone but not together: drop the add-ons
            for name in COMBINATION_FIELDS:
                if name in values and values[name] != getattr(base, name):
                    f = FIELDS[name]
                    problems.append(f"**{f.title}**: {code_span(_first(params[name]))} in the link was not used "
                                    f"({escape_markdown(error)}); kept {escape_markdown(f.show(getattr(base, name)))}.")
                    del values[name]
                    try:
                        return replace(base, **values), problems
                    except ValueError as again:
                        error = again
            raise
