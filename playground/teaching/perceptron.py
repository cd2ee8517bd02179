"""Rosenblatt's perceptron, its learning rule and the logic-gate truth tables (CONCEPTS.md §8).

Pure NumPy, no Streamlit: everything the Perceptron page shows is computed here.

Weights are written like the lecture's worked example, bias first: ``w = (w0, w1, w2)`` with

    s = w0 + w1·x1 + w2·x2          h(x) = step(s) = 1 if s > 0 else 0

so ``(0.5, -1, -1)`` outputs 1, 0, 0, 0 on the rows 00, 01, 10, 11 — that is NOR. A gate
with one input (NOT) uses ``(w0, w1)`` only.

The learning rule uses labels y = ±1 (target 1 → +1, target 0 → −1) and presents the rows in
a fixed order, one at a time. It is *mistake-driven*: when ``y·s ≤ 0`` it sets
``w ← w + y·x`` and ``b ← b + y`` (``w0`` is the bias b). A whole epoch without a mistake means
a separating line was found. On XOR no line exists; because every update adds whole numbers,
the weights can only visit finitely many values, so they must come back to a state they held
before — the rule is then in a cycle it can never leave, and ``run_to_convergence`` stops and
says so.

The "fix" — a 2-2-1 or 2-4-1 network — is trained with the engine's own ``Network`` and
optimizer on the same four points (``X`` is ``(2, 4)``, ``Y`` is ``(1, 4)``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..datasets import GATE_INPUTS, GATE_TABLES
from ..engine import Network, Optimizer, make_optimizer
from ..engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from ..settings import LINK_KEYS, Field, parse_query_params, unknown_keys_notice

Array = np.ndarray
Weights = tuple[float, ...]

# -- gates ------------------------------------------------------------------------------------

ROWS_2 = tuple(tuple(int(v) for v in row) for row in GATE_INPUTS)  # (0,0), (0,1), (1,0), (1,1)
ROWS_1 = ((0,), (1,))


@dataclass(frozen=True)
class Gate:
    """A truth table: input rows (m, n_inputs) of 0/1 and one 0/1 target per row."""

    name: str
    rows: tuple[tuple[int, ...], ...]
    targets: tuple[int, ...]

    @property
    def n_inputs(self) -> int:
        return len(self.rows[0])

    @property
    def X(self) -> Array:
        """Inputs as rows, (m, n_inputs) floats."""
        return np.array(self.rows, dtype=float)

    @property
    def y(self) -> Array:
        """Labels for the perceptron rule: target 1 → +1, target 0 → −1."""
        return 2 * np.array(self.targets) - 1


GATE_NAMES = ("AND", "OR", "NAND", "NOR", "NOT", "XOR", "XNOR")
CUSTOM = "custom"
GATE_CHOICES = (*GATE_NAMES, CUSTOM)
TABLE_CODES = tuple(f"{i:04b}" for i in range(16))  # outputs on rows 00, 01, 10, 11 as text


def make_gate(name: str, custom_table: Sequence[int] = (0, 1, 1, 0)) -> Gate:
    """The gate the user picked; ``custom`` uses ``custom_table`` (outputs on 00, 01, 10, 11)."""
    if name == "NOT":
        return Gate("NOT", ROWS_1, (1, 0))
    if name == CUSTOM:
        table = tuple(int(v) for v in custom_table)
        if len(table) != 4 or any(v not in (0, 1) for v in table):
            raise ValueError(f"a custom table needs four outputs of 0 or 1, got {custom_table!r}")
        return Gate(CUSTOM, ROWS_2, table)
    if name not in GATE_TABLES:
        raise ValueError(f"unknown gate {name!r}; choose one of {', '.join(GATE_CHOICES)}")
    return Gate(name, ROWS_2, tuple(GATE_TABLES[name]))


# Every Boolean function of two inputs, keyed by its outputs on the rows 00, 01, 10, 11.
TWO_INPUT_NAMES: dict[tuple[int, ...], str] = {
    (0, 0, 0, 0): "constant 0",
    (0, 0, 0, 1): "AND",
    (0, 0, 1, 0): "x1 AND NOT x2",
    (0, 0, 1, 1): "x1",
    (0, 1, 0, 0): "NOT x1 AND x2",
    (0, 1, 0, 1): "x2",
    (0, 1, 1, 0): "XOR",
    (0, 1, 1, 1): "OR",
    (1, 0, 0, 0): "NOR",
    (1, 0, 0, 1): "XNOR",
    (1, 0, 1, 0): "NOT x2",
    (1, 0, 1, 1): "x1 OR NOT x2",
    (1, 1, 0, 0): "NOT x1",
    (1, 1, 0, 1): "NOT x1 OR x2",
    (1, 1, 1, 0): "NAND",
    (1, 1, 1, 1): "constant 1",
}
ONE_INPUT_NAMES: dict[tuple[int, ...], str] = {
    (0, 0): "constant 0",
    (0, 1): "x1 (identity)",
    (1, 0): "NOT",
    (1, 1): "constant 1",
}
NOT_SEPARABLE = ("XOR", "XNOR")


def function_name(outputs: Sequence[int]) -> str:
    """The name of the Boolean function with these outputs (rows 00, 01, 10, 11, or 0, 1)."""
    key = tuple(int(v) for v in outputs)
    names = TWO_INPUT_NAMES if len(key) == 4 else ONE_INPUT_NAMES
    if key not in names:
        raise ValueError(f"expected 2 or 4 outputs of 0 or 1, got {outputs!r}")
    return names[key]


# -- the unit ---------------------------------------------------------------------------------


def weighted_sums(weights: Sequence[float], X: Array) -> Array:
    """s = w0 + w1·x1 (+ w2·x2) for every row of X: (m, n_inputs) → (m,)."""
    w = np.asarray(weights, dtype=float)
    return w[0] + X @ w[1 : 1 + X.shape[1]]


def step(s: Array) -> Array:
    """The threshold: 1 where s > 0, else 0 (s = 0 counts as 0, as in CONCEPTS.md §2)."""
    return (np.asarray(s) > 0).astype(int)


def outputs(weights: Sequence[float], gate: Gate) -> tuple[int, ...]:
    """h(x) = step(w·x + b) on each row of the gate."""
    return tuple(int(v) for v in step(weighted_sums(weights, gate.X)))


def computed_function(weights: Sequence[float], n_inputs: int = 2) -> str:
    """Which gate these weights compute, e.g. (0.5, -1, -1) → "NOR"."""
    gate = Gate("?", ROWS_2 if n_inputs == 2 else ROWS_1, (0,) * (4 if n_inputs == 2 else 2))
    return function_name(outputs(weights, gate))


@dataclass(frozen=True)
class TruthRow:
    """One row of the live truth table."""

    x: tuple[int, ...]
    s: float
    output: int
    target: int

    @property
    def correct(self) -> bool:
        return self.output == self.target


def truth_table(weights: Sequence[float], gate: Gate) -> list[TruthRow]:
    """x, s = w0 + w1·x1 + w2·x2, step(s) and the target, for each row of the gate."""
    sums = weighted_sums(weights, gate.X)
    return [
        TruthRow(row, float(s), int(s > 0), t) for row, s, t in zip(gate.rows, sums, gate.targets)
    ]


def sum_formula(weights: Sequence[float], x: Sequence[int]) -> str:
    """'0.5 + (-1)·0 + (-1)·1 = -0.5' — the weighted sum written out for one row."""
    terms = [_num(weights[0])] + [f"{_paren(weights[i + 1])}·{v}" for i, v in enumerate(x)]
    return " + ".join(terms) + f" = {_num(weighted_sums(weights, np.array([x], float))[0])}"


# -- which inequalities a table imposes --------------------------------------------------------


@dataclass(frozen=True)
class Inequality:
    """What one row demands of (w0, w1, w2): s > 0 if its target is 1, s ≤ 0 if it is 0."""

    x: tuple[int, ...]
    target: int
    text: str  # e.g. "w0 + w2 > 0"
    value: float  # s at the given weights
    holds: bool


def inequalities(weights: Sequence[float], gate: Gate) -> list[Inequality]:
    """The inequality each row imposes, evaluated at ``weights``.

    For XOR: w0 ≤ 0, w0 + w2 > 0, w0 + w1 > 0, w0 + w1 + w2 ≤ 0. Adding the middle two gives
    2·w0 + w1 + w2 > 0; with the last one that forces w0 > 0 — against the first. So at least
    one of the four always fails.
    """
    result = []
    for row in truth_table(weights, gate):
        terms = ["w0"] + [f"w{i + 1}" for i, v in enumerate(row.x) if v]
        sign = ">" if row.target else "≤"
        holds = row.s > 0 if row.target else row.s <= 0
        result.append(Inequality(row.x, row.target, f"{' + '.join(terms)} {sign} 0", row.s, holds))
    return result


# -- the perceptron learning rule -------------------------------------------------------------

MAX_EPOCHS = 1000  # "Run to convergence" gives up here (never reached on a 4-row table)


@dataclass(frozen=True)
class RuleStep:
    """One example presented to the rule: what it saw, whether it erred, what it changed."""

    number: int  # 1, 2, … examples presented so far
    epoch: int  # 1-based
    index: int  # which row of the table
    x: tuple[int, ...]
    y: int  # ±1
    s: float  # w·x + b before the update
    mistake: bool  # y·s ≤ 0
    before: Weights
    after: Weights

    def describe(self) -> str:
        """The step in words and numbers, in Markdown."""
        xs = ", ".join(str(v) for v in self.x)
        head = (
            f"Epoch {self.epoch}, example {self.index + 1}: x = ({xs}), target "
            f"{(self.y + 1) // 2} so y = {self.y:+d}. s = {sum_formula(self.before, self.x)}; "
            f"y·s = {_num(self.y * self.s)}"
        )
        if not self.mistake:
            return head + " > 0 → **correct**, no update."
        changes = [f"w0 (the bias b) ← {_num(self.before[0])} + ({self.y:+d}) = {_num(self.after[0])}"]
        for i, v in enumerate(self.x):
            changes.append(
                f"w{i + 1} ← {_num(self.before[i + 1])} + ({self.y:+d})·{v} = {_num(self.after[i + 1])}"
            )
        return head + " ≤ 0 → **mistake**, update: " + "; ".join(changes) + "."


@dataclass(frozen=True)
class RuleRun:
    """The rule's whole run as data. ``status``: "running", "converged", "cycle" or "gave up".

    ``epoch_starts`` holds the weights at the start of every epoch; a repeat means a cycle.
    """

    weights: Weights
    steps: tuple[RuleStep, ...] = ()
    epoch_mistakes: tuple[int, ...] = ()  # one entry per finished epoch
    status: str = "running"
    epoch_starts: tuple[Weights, ...] = ()
    cycle_from: int | None = None  # the earlier epoch whose starting weights came back

    @property
    def updates(self) -> int:
        return sum(s.mistake for s in self.steps)

    @property
    def epochs(self) -> int:
        """Finished epochs."""
        return len(self.epoch_mistakes)

    @property
    def done(self) -> bool:
        return self.status != "running"

    def message(self) -> str:
        """What the run found so far, in plain words."""
        n, k = self.updates, self.epochs
        if self.status == "converged":
            return (
                f"Converged after {n} update{'s' * (n != 1)} in {k} epoch{'s' * (k != 1)}: the "
                "last pass over the table made no mistake, so this line separates the 1s from the 0s."
            )
        if self.status == "cycle":
            period = k + 1 - self.cycle_from
            w = _weights_text(self.weights)
            return (
                f"Never converges: at the start of epoch {k + 1} the weights {w} are the same as at "
                f"the start of epoch {self.cycle_from}, so the rule repeats the same "
                f"{period} epoch{'s' * (period != 1)} forever. No line separates this table."
            )
        if self.status == "gave up":
            return f"Stopped after {MAX_EPOCHS} epochs ({n} updates) without converging."
        shown = len(self.steps)
        return (f"{shown} example{'s' * (shown != 1)} presented, {n} update{'s' * (n != 1)}, "
                f"{k} epoch{'s' * (k != 1)} finished.")


def start_rule(weights: Sequence[float], gate: Gate) -> RuleRun:
    """A fresh run of the rule starting from ``weights`` (use zeros for the textbook start)."""
    w = tuple(float(v) for v in weights[: gate.n_inputs + 1])
    return RuleRun(weights=w, epoch_starts=(w,))


def _key(weights: Weights) -> tuple[float, ...]:
    return tuple(round(v, 9) for v in weights)


def rule_step(run: RuleRun, gate: Gate) -> RuleRun:
    """Present the next example: on a mistake (y·s ≤ 0) set w ← w + y·x and b ← b + y."""
    if run.done:
        return run
    m = len(gate.rows)
    index = len(run.steps) % m
    x, y = gate.rows[index], int(gate.y[index])
    w = np.array(run.weights)
    s = float(w[0] + np.dot(w[1:], x))
    mistake = y * s <= 0
    if mistake:
        w = w + y * np.array((1, *x), dtype=float)  # the bias is a weight on a constant input 1
    after = tuple(round(float(v), 12) for v in w)
    record = RuleStep(len(run.steps) + 1, run.epochs + 1, index, x, y, s, mistake, run.weights, after)
    run = replace(run, weights=after, steps=(*run.steps, record))
    if index < m - 1:
        return run
    # The epoch is over: converged, a cycle, the bound, or on to the next epoch.
    mistakes = sum(st.mistake for st in run.steps[-m:])
    run = replace(run, epoch_mistakes=(*run.epoch_mistakes, mistakes))
    if mistakes == 0:
        return replace(run, status="converged")
    seen = [_key(w) for w in run.epoch_starts]
    if _key(after) in seen:
        return replace(run, status="cycle", cycle_from=seen.index(_key(after)) + 1)
    if run.epochs >= MAX_EPOCHS:
        return replace(run, status="gave up")
    return replace(run, epoch_starts=(*run.epoch_starts, after))


def run_epoch(run: RuleRun, gate: Gate) -> RuleRun:
    """Present examples until the current epoch ends (or the run stops)."""
    m = len(gate.rows)
    run = rule_step(run, gate)
    while not run.done and len(run.steps) % m:
        run = rule_step(run, gate)
    return run


def run_to_convergence(run: RuleRun, gate: Gate) -> RuleRun:
    """Whole epochs until the rule converges, cycles, or reaches MAX_EPOCHS."""
    while not run.done:
        run = run_epoch(run, gate)
    return run


def is_linearly_separable(gate: Gate) -> bool:
    """Decided by the rule itself: from zero it converges iff some line separates the table."""
    return run_to_convergence(start_rule((0.0, 0.0, 0.0), gate), gate).status == "converged"


def weight_history(run: RuleRun) -> Array:
    """(n_steps + 1, n_weights): the weights before the first example and after each one."""
    first = run.steps[0].before if run.steps else run.weights
    return np.array([first] + [s.after for s in run.steps])


# -- the fix: a network with a hidden layer ----------------------------------------------------

ARCHITECTURES = {"2-2-1": (2, 2, 1), "2-4-1": (2, 4, 1)}
FIX_LEARNING_RATE = 0.5  # CONCEPTS.md reference experiment: 2-4-1, tanh, Xavier, α = 0.5
FIX_MAX_STEPS = 20_000
SOLVED_COST = 0.05  # all four rows right and J below this: playing stops by itself


def initializer_for(activation: str) -> str:
    """He for the ReLU family, Xavier otherwise (CONCEPTS.md §5): the registry's choice."""
    return ACTIVATIONS[activation].initializer


@dataclass
class FixRun:
    """A small network learning one truth table by gradient descent (full batch, 4 points)."""

    architecture: str
    activation: str
    seed: int
    targets: tuple[int, ...]
    net: Network
    optimizer: Optimizer
    steps: int = 0
    costs: list = field(default_factory=list)  # (step, cost), thinned to stay short

    @property
    def X(self) -> Array:
        """The four corners as columns, (2, 4)."""
        return GATE_INPUTS.T.copy()

    @property
    def Y(self) -> Array:
        return np.array([self.targets], dtype=float)

    @property
    def config(self) -> tuple:
        return (self.architecture, self.activation, self.seed, self.targets)

    def cost(self) -> float:
        return float(self.net.cost(self.X, self.Y))

    def probabilities(self) -> Array:
        """P(output = 1) at the four corners, (4,)."""
        return self.net.predict_proba(self.X)[0]

    def accuracy(self) -> int:
        """How many of the four rows the thresholded output gets right."""
        return int(np.sum((self.probabilities() > 0.5) == np.array(self.targets, bool)))

    @property
    def solved(self) -> bool:
        return self.accuracy() == 4 and self.cost() < SOLVED_COST

    @property
    def finished(self) -> bool:
        """Solved, or out of steps: live play stops here."""
        return self.solved or self.steps >= FIX_MAX_STEPS


def make_fix_run(architecture: str, activation: str, seed: int, targets: Sequence[int]) -> FixRun:
    """A freshly initialised 2-2-1 or 2-4-1 network for the table ``targets`` (rows 00..11)."""
    if architecture not in ARCHITECTURES:
        raise ValueError(f"architecture must be one of {', '.join(ARCHITECTURES)}, got {architecture!r}")
    net = Network(
        ARCHITECTURES[architecture], hidden_activation=activation,
        initializer=initializer_for(activation), seed=int(seed),
    )
    run = FixRun(architecture, activation, int(seed), tuple(int(t) for t in targets), net, make_optimizer("sgd"))
    run.costs.append((0, run.cost()))
    return run


def train_fix(run: FixRun, steps: int, learning_rate: float = FIX_LEARNING_RATE) -> FixRun:
    """``steps`` full-batch gradient-descent updates with the engine (at most FIX_MAX_STEPS)."""
    X, Y = run.X, run.Y
    for _ in range(max(0, min(steps, FIX_MAX_STEPS - run.steps))):
        cache = run.net.forward(X)
        run.optimizer.update(run.net, run.net.backward(cache, Y), learning_rate)
        run.steps += 1
    run.costs.append((run.steps, run.cost()))
    if len(run.costs) > 400:  # bounded history: keep every other point
        run.costs[:] = run.costs[::2]
    return run


def hidden_lines(net: Network) -> tuple[Array, Array]:
    """Each hidden unit's own line W[1][j]·x + b[1][j] = 0: returns W[1] (n_h, 2), b[1] (n_h,)."""
    return net.W[1].copy(), net.b[1][:, 0].copy()


@dataclass(frozen=True)
class HiddenView:
    """The four points drawn in hidden-unit space, with the output unit's line in that space.

    ``coords`` is (4, 2). The output line is ``line[0]·u + line[1]·v + line[2] = 0``.
    """

    coords: Array
    line: tuple[float, float, float]
    axis_titles: tuple[str, str]
    exact: bool  # False when 4 hidden units are projected onto a plane


def hidden_space(net: Network, X: Array) -> HiddenView:
    """Where the hidden layer puts the four points, A[1]: (n_h, 4).

    With 2 hidden units that is a plane already. With 4 we project: the horizontal axis is the
    direction the output unit looks along (signed distance to its boundary, so the boundary is
    the vertical line u = 0), the vertical axis is the widest spread perpendicular to it.
    """
    A1 = net.forward(X).A[1]
    w, b = net.W[2][0], float(net.b[2][0, 0])
    if A1.shape[0] == 2:
        return HiddenView(A1.T.copy(), (float(w[0]), float(w[1]), b), ("hidden unit 1 (a₁)", "hidden unit 2 (a₂)"), True)
    norm = float(np.linalg.norm(w)) or 1.0
    direction = w / norm
    u = direction @ A1 + b / norm
    rest = A1 - np.outer(direction, direction @ A1)
    rest = rest - rest.mean(axis=1, keepdims=True)
    _, _, vt = np.linalg.svd(rest.T, full_matrices=False)
    v = vt[0] @ A1
    v = v - v.mean()
    coords = np.column_stack([u, v])
    titles = ("along the output unit's weights", "widest other direction")
    return HiddenView(coords, (1.0, 0.0, 0.0), titles, False)


def probability_grid(net: Network, low: float = -0.25, high: float = 1.25, resolution: int = 61) -> tuple[Array, Array]:
    """The network's P(output = 1) on a square grid: axis (r,), probabilities (r, r) [x2, x1]."""
    axis = np.linspace(low, high, resolution)
    x1, x2 = np.meshgrid(axis, axis)
    grid = np.vstack([x1.ravel(), x2.ravel()])
    return axis, net.predict_proba(grid)[0].reshape(resolution, resolution)


# -- the page's settings, in the URL -----------------------------------------------------------

WEIGHT_LIMIT = 50.0
FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("gate", "choice", choices=GATE_CHOICES, help="which truth table", label="Gate"),
        Field("table", "choice", choices=TABLE_CODES, help="custom table outputs on 00,01,10,11",
              label="Custom truth table"),
        Field("w0", "float", -WEIGHT_LIMIT, WEIGHT_LIMIT, help="bias w0", label="Bias w0"),
        Field("w1", "float", -WEIGHT_LIMIT, WEIGHT_LIMIT, help="weight w1 on x1", label="Weight w1"),
        Field("w2", "float", -WEIGHT_LIMIT, WEIGHT_LIMIT, help="weight w2 on x2", label="Weight w2"),
        Field("net", "choice", choices=tuple(ARCHITECTURES), help="network for the fix", label="Network"),
        Field("net_act", "choice", choices=HIDDEN_ACTIVATIONS, help="hidden activation of the fix",
              label="Hidden activation"),
        Field("net_seed", "int", 0, 9999, help="weight seed of the fix", label="Seed"),
    )
}


@dataclass(frozen=True)
class PerceptronSettings:
    """What a link to the Perceptron page reproduces."""

    gate: str = "AND"
    table: str = "0110"
    w0: float = 0.0
    w1: float = 0.0
    w2: float = 0.0
    net: str = "2-2-1"
    net_act: str = "tanh"
    net_seed: int = 0

    def __post_init__(self):
        for f in FIELDS.values():
            f.check(getattr(self, f.name))

    @property
    def weights(self) -> Weights:
        return (self.w0, self.w1, self.w2)

    @property
    def custom_table(self) -> tuple[int, ...]:
        return tuple(int(c) for c in self.table)

    def to_query_params(self) -> dict[str, str]:
        params = {name: f.format(getattr(self, name)) for name, f in FIELDS.items()}
        params.update({k: _num(getattr(self, k), 6) for k in ("w0", "w1", "w2")})
        return params

    @classmethod
    def from_query_params(cls, params: Mapping[str, Any], base: PerceptronSettings | None = None
                          ) -> tuple[PerceptronSettings, list[str]]:
        """Parse this page's keys from a link; a bad value keeps ``base``'s and is reported."""
        base = base or cls()
        current = {name: getattr(base, name) for name in FIELDS}
        values, problems = parse_query_params(FIELDS, params, current,
                                              reasons={"table": "it needs four 0/1 digits, e.g. 0110"})
        if "net_seed" in values:
            values["net_seed"] = int(values["net_seed"])
        return replace(base, **values), problems + unknown_keys_notice(params, LINK_KEYS)


# -- number formatting shared by the messages ----------------------------------------------------


def _num(value: float, digits: int = 2) -> str:
    """Short text for a number: 0.5, -1, 2.25 (no trailing zeros, no '-0')."""
    value = round(float(value), digits)
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def _paren(value: float) -> str:
    text = _num(value)
    return f"({text})" if text.startswith("-") else text


def _weights_text(weights: Sequence[float]) -> str:
    return "(" + ", ".join(_num(v) for v in weights) + ")"


def weights_text(weights: Sequence[float]) -> str:
    """'(0.5, -1, -1)' — weights as the page prints them."""
    return _weights_text(weights)
