"""Evaluation and recording: cost and accuracy / R² on both sets, rows for the history and
the lazily recorded current step (a part of ``TrainingSession``)."""

from __future__ import annotations

import contextlib

import numpy as np

from ..engine import Network, layer_stats
from ..engine.stats import LayerStats
from .history import History, HistoryRow

Array = np.ndarray


def metric(task: str, y: Array, output: Array, net: Network) -> float:
    """Accuracy for classification, R² for regression."""
    if task == "regression":
        residual = np.sum((output[0] - y) ** 2)
        total = np.sum((y - y.mean()) ** 2)
        return float(1.0 - residual / total) if total > 0 else 0.0
    return float(np.mean(net.labels_from_output(output) == y))


class Evaluation:
    """Whole-set evaluation, the history rows it records and the views of the latest one."""

    def full_batch_stats(self) -> LayerStats:
        """Per-layer statistics of the gradient on the whole training set (no update; a
        training-mode pass that leaves running averages and the dropout stream alone)."""
        cache = self.net.forward(self.X_train, update_state=False)
        grads = self.net.backward(cache, self.Y_train, l2=self.settings.l2, l1=self.settings.l1)
        return layer_stats(self.net, cache, grads)

    def evaluate(self) -> dict[str, float]:
        """Cost (with the L2/L1 penalties) and accuracy / R² on the train and test sets, in
        evaluation mode (batch norm's running averages, no dropout)."""
        net, l2, l1 = self.net, self.settings.l2, self.settings.l1
        out: dict[str, float] = {}
        for part, X, Y, y in (("train", self.X_train, self.Y_train, self.y_train), ("test", self.X_test, self.Y_test, self.y_test)):
            if part == "test" and X is self.X_train:
                out["test_cost"], out["test_metric"] = out["train_cost"], out["train_metric"]
                break
            cache = net.forward(X, training=False)
            if part == "train" and not (net.batch_norm or net.keep_prob < 1):
                # the next full-batch update starts with exactly this forward pass (only when
                # evaluation and training compute the same thing: no batch norm, no dropout)
                self._train_forward = (list(net.W), list(net.b), cache)
            out[f"{part}_cost"] = net.cost(cache, Y, l2, l1)
            out[f"{part}_metric"] = metric(self.task, y, cache.output, net)
        return out

    def _reuse_train_forward(self, X: Array):
        """The cache of the last evaluation's forward pass on the whole training set, if the
        batch is that set and the weights are still the same arrays (updates make new ones):
        full-batch training then runs one forward pass per update instead of two."""
        kept = getattr(self, "_train_forward", None)
        if kept is None or X is not self.X_train or self.net.batch_norm or self.net.keep_prob < 1:
            return None
        W, b, cache = kept
        same = all(x is y for x, y in zip(W, self.net.W)) and all(x is y for x, y in zip(b, self.net.b))
        return cache if same and len(W) == len(self.net.W) else None

    def _record(self, stats: LayerStats) -> LayerStats:
        e = self.evaluate()
        row = HistoryRow(self.step, self.epoch, e["train_cost"], e["test_cost"], e["train_metric"], e["test_metric"],
                         self.learning_rate)
        self._history.append(row, stats)
        return stats

    def _flush(self) -> None:
        """Record the current step if the last ``train`` call ended between recorded rows."""
        if self._unrecorded is not None and not getattr(self, "_rows_only", False):
            cache, grads = self._unrecorded
            self._unrecorded = None
            self._latest_stats = self._record(layer_stats(self.net, cache, grads))

    @contextlib.contextmanager
    def recorded_rows_only(self):
        """Inside it, ``history``/``latest``/``latest_stats`` show the last recorded row instead of
        recording the current step (an evaluation of both data sets). For the live scheduler's
        frames when many viewers play: the counter still shows the current step, the cards and
        charts may be a few dozen updates behind; a Pause or Step shows the exact state."""
        self._rows_only = True
        try:
            yield self
        finally:
            self._rows_only = False

    def coarsen_history(self, stride: int) -> None:
        """Record at most every ``stride``-th update from now on (``History.coarsen``)."""
        self._history.coarsen(stride)

    @property
    def history(self) -> History:
        """Every recorded row, the last one for the current step."""
        self._flush()
        return self._history

    @property
    def latest_stats(self) -> LayerStats:
        """Per-layer statistics of the last update (of the whole training set at step 0)."""
        self._flush()
        return self._latest_stats

    @property
    def latest(self) -> HistoryRow:
        """The most recent history row (``latest.train_cost``, ``latest.step``, …): the current step."""
        return self.history.rows[-1]
