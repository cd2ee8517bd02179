"""The bounded training history: one ``HistoryRow`` per recorded update."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..engine.stats import LayerStats

Array = np.ndarray


class HistoryRow(NamedTuple):
    """What the history records at one update: the counters, cost and accuracy / R² on the
    train and test sets, and the learning rate in force."""

    step: int
    epoch: int
    train_cost: float
    test_cost: float
    train_metric: float
    test_metric: float
    learning_rate: float


class History:
    """Bounded training history. Every ``stride``-th update is recorded until ``max_points``
    rows exist; then every other row is dropped and the stride doubles, so a long run keeps its whole shape in constant
    memory. The newest row always survives the thinning, and the session's ``latest`` is
    always a row for the current step (``TrainingSession`` records it when it is read)."""

    COLUMNS = HistoryRow._fields

    def __init__(self, max_points: int = 1000, stride: int = 1):
        self.max_points = max_points
        self.stride = stride
        self.rows: list[HistoryRow] = []
        self.grad_norms: list[Array] = []  # ||dW[l]|| per layer, one array per row
        self.saturated: list[Array] = []
        self.dead: list[Array] = []

    def __len__(self) -> int:
        return len(self.rows)

    def wants(self, step: int) -> bool:
        return step % self.stride == 0

    def append(self, row: HistoryRow, stats: LayerStats) -> None:
        self.rows.append(row)
        self.grad_norms.append(stats.grad_norm_W)
        self.saturated.append(stats.saturated_fraction)
        self.dead.append(stats.dead_fraction)
        if len(self.rows) >= self.max_points:
            self._thin()

    def coarsen(self, stride: int) -> None:
        """Record at most every ``stride``-th update from now on (the stride doubles until it is
        at least that), thinning the rows kept so far the same way. The live scheduler does this
        when many viewers play: their charts update about once a second, so rows in between
        would cost an evaluation each and never be seen."""
        while self.stride < stride:
            self._thin()

    def _thin(self) -> None:
        self.stride *= 2
        last = len(self.rows) - 1  # the newest row always stays: it is the current state
        keep = [i for i, r in enumerate(self.rows) if r.step % self.stride == 0 or i == last]
        for name in ("rows", "grad_norms", "saturated", "dead"):
            values = getattr(self, name)
            setattr(self, name, [values[i] for i in keep])

    def column(self, name: str) -> Array:
        if name not in self.COLUMNS:
            raise ValueError(f"no history column {name!r}; the columns are {', '.join(self.COLUMNS)}")
        return np.array([getattr(r, name) for r in self.rows], dtype=float)

    def layer_matrix(self, name: str = "grad_norms") -> Array:
        """(L, n_rows) array of a per-layer statistic over time."""
        values = getattr(self, name)
        return np.array(values).T if values else np.zeros((0, 0))
