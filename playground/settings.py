"""One frozen settings schema for an experiment: bounds, validation and the URL round trip.

Every setting is one row of ``FIELDS`` (name, default, kind, bounds or choices, help). The
same table validates the command line, the Streamlit widgets and shared links:

    settings = Settings(dataset="moons", hidden_sizes=(8, 8))       # ValueError if impossible
    params = settings.to_query_params()                             # {"dataset": "moons", ...}
    again, problems = Settings.from_query_params(params)            # bad values -> defaults

A bad value in a link never raises: it falls back to the default and ``problems`` says which
parameter and why, so the page can tell the user.
"""

from __future__ import annotations

import math
import numbers
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

    def parse(self, text: str) -> Any:
        """Text (from a URL or command line) → value; ValueError naming the allowed range."""
        text = str(text).strip()
        if self.kind == "int":
            return self.check(int(text))
        if self.kind == "float":
            return self.check(float(text))
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
            if any(not 1 <= n <= self.item_high for n in value):
                raise ValueError(f"every width in {self.name} must be between 1 and {self.item_high}")
        elif self.kind == "choice_list":
            bad = [v for v in value if v not in self.choices]
            if bad:
                raise ValueError(f"{self.name} must be chosen from {', '.join(self.choices)}; unknown {bad}")
        return value

    def format(self, value: Any) -> str:
        """Value → the text a URL or command line holds."""
        if self.kind in ("int_list", "choice_list"):
            return ",".join(str(v) for v in value)
        if self.kind == "float":
            return repr(float(value))
        if self.kind == "bool":
            return "1" if value else "0"
        return str(value)


def parse_query_params(
    fields: Mapping[str, Field], params: Mapping[str, Any], fallback: Mapping[str, str],
    reasons: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Parse the ``fields`` present in ``params`` (a link's query). Returns the good values
    and, for each bad one, a message naming it, why, and the ``fallback`` text kept instead.
    ``reasons`` can replace the generic reason for a field (e.g. how a table is written)."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, f in fields.items():
        if name not in params:
            continue
        raw = params[name]
        if isinstance(raw, (list, tuple)):
            raw = raw[-1] if raw else ""
        try:
            values[name] = f.parse(raw)
        except (ValueError, TypeError) as error:
            reason = (reasons or {}).get(name) or (
                str(error) if "must" in str(error) or "needs" in str(error) else KIND_WORDS.get(f.kind, "not valid"))
            problems.append(f"'{name}={raw}' was ignored ({reason}); using {fallback[name]}")
    return values, problems


BOOL_WORDS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False,
              "off": False, "": False}

KIND_WORDS = {
    "bool": "not on or off (1 or 0)",
    "int": "not a whole number",
    "float": "not a number",
    "choice": "not one of the choices",
    "int_list": "not a comma-separated list of whole numbers",
    "choice_list": "not a comma-separated list of choices",
}

FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("dataset", "choice", choices=tuple(DATASETS), help="which toy dataset"),
        Field("n_samples", "int", 4, 2000, help="number of points"),
        Field("noise", "float", 0.0, 1.0, help="how noisy the points are (0 = clean)"),
        Field("test_ratio", "float", 0.0, 0.9, help="share of points held out as the test set"),
        Field("data_seed", "int", 0, MAX_SEED, help="seed of the data and its split"),
        Field("features", "choice_list", choices=tuple(EXTRA_FEATURES), help="extra input features"),
        Field("hidden_sizes", "int_list", 0, MAX_HIDDEN_LAYERS, help="hidden layer widths, e.g. 8,8,4"),
        Field("activation", "choice", choices=HIDDEN_ACTIVATIONS, help="hidden activation g"),
        Field("initializer", "choice", choices=(*INITIALIZERS, CUSTOM_INITIALIZER), help="weight initializer"),
        Field("init_std", "float", 0.0, 10.0, help="σ of the custom initializer, W = σ·N(0,1)"),
        Field("weight_seed", "int", 0, MAX_SEED, help="seed of the initial weights and shuffling"),
        Field("optimizer", "choice", choices=tuple(OPTIMIZERS), help="update rule"),
        Field("learning_rate", "float", 1e-5, 100.0, help="step size α"),
        Field("batch_size", "int", 0, 100_000, help="examples per update (0 = full batch)"),
        Field("l2", "float", 0.0, 10.0, help="L2 penalty λ"),
        Field("lr_decay", "float", 0.0, 1.0, help="learning-rate decay k in α·e^(-k·t)"),
        Field("l1", "float", 0.0, 10.0, help="L1 penalty λ₁ (cost + (λ₁/m)·Σ|W|)"),
        Field("batch_norm", "bool", help="batch normalization before every hidden activation"),
        Field("residual", "bool", help="residual connections A[l] = g(Z[l]) + A[l-2] (equal widths)"),
        Field("dropout", "float", 0.0, 1.0, high_open=True,
              help="dropout rate: the fraction of hidden units dropped in training (keep_prob = 1 - rate)"),
    )
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
        object.__setattr__(self, "hidden_sizes", tuple(int(n) for n in self.hidden_sizes))
        for f in FIELDS.values():
            f.check(getattr(self, f.name))
            if f.kind == "int":  # 300.0 or np.int64(300) → 300, so sizes can index and slice
                object.__setattr__(self, f.name, int(getattr(self, f.name)))
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
        """Parse settings from a link. Unknown keys are ignored; a bad value keeps the
        default (or ``base``'s value) and adds a message to the returned list of problems.
        ``limits`` can narrow a field's bounds for one page (e.g. at most 8 hidden layers)."""
        base = base or cls()
        fields_here = {name: (limits or {}).get(name, f) for name, f in FIELDS.items()}
        values, problems = parse_query_params(fields_here, params, base.to_query_params())
        try:
            return replace(base, **values), problems
        except ValueError as error:  # each value was fine alone but not together: drop the add-ons
            fallback = base.to_query_params()
            for name in COMBINATION_FIELDS:
                if name in values and values[name] != getattr(base, name):
                    raw = params[name][-1] if isinstance(params[name], (list, tuple)) else params[name]
                    problems.append(f"'{name}={raw}' was ignored ({error}); using {fallback[name]}")
                    del values[name]
                    try:
                        return replace(base, **values), problems
                    except ValueError as again:
                        error = again
            raise
