"""The session's data facts: layer sizes, targets, batch size, the mini-batch order and how
often the history records (a part of ``TrainingSession``)."""

from __future__ import annotations

import numpy as np

from ..datasets import one_hot
from ..engine.activations import OUTPUT_FOR_TASK

Array = np.ndarray
SHUFFLE_STREAM = 1  # the mini-batch shuffling RNG is seeded with (weight_seed, 1)
FULL_BATCH_STRIDE = 8  # full-batch runs record every 8th update in the history (see record_every)


class TrainingData:
    """Facts about the split data and the mini-batches drawn from it (``TrainingSession`` sets
    ``X_train``, ``Y_train``, ``X_test``, ``task``, ``n_classes``, ``settings``, ``shuffle_rng``
    and ``_batches``)."""

    @property
    def output_activation(self) -> str:
        return OUTPUT_FOR_TASK[self.task]

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        n_out = self.n_classes if self.task == "multiclass" else 1
        return (self.X_train.shape[0], *self.settings.hidden_sizes, n_out)

    def _targets(self, y: Array) -> Array:
        if self.task == "multiclass":
            return one_hot(y, self.n_classes)
        return y.reshape(1, -1).astype(float)

    @property
    def m_train(self) -> int:
        return self.X_train.shape[1]

    @property
    def batch_size(self) -> int:
        bs = self.settings.batch_size
        return self.m_train if bs <= 0 or bs >= self.m_train else bs

    @property
    def updates_per_epoch(self) -> int:
        return -(-self.m_train // self.batch_size)

    def record_every(self) -> int:
        """How often to evaluate the whole train and test sets for the history.

        One evaluation costs about (m_train + m_test) / batch_size updates; recording every
        ``(m_train + m_test) / (4 · batch_size)`` updates keeps it to about a fifth of the
        training time (measured: on 10-class digits with mini-batches of 32, evaluating after
        every update made training ~10× slower). Full-batch runs record every 8th update: an
        evaluation (forward on both sets, per-layer statistics, costs, accuracy) costs about one
        update there, and recording each one made ``train`` 3.2× slower than the bare engine
        (measured on 2-8-8-1, 500 points). The current step is recorded whenever it is read
        (``latest``), so a Step press always shows its effect."""
        m_all = self.X_train.shape[1] + self.X_test.shape[1]
        stride = FULL_BATCH_STRIDE if self.batch_size == self.m_train else 1
        return max(stride, m_all // (4 * self.batch_size))

    def _next_batch(self) -> tuple[Array, Array]:
        if self.batch_size == self.m_train:
            return self.X_train, self.Y_train
        if not self._batches:
            order = self.shuffle_rng.permutation(self.m_train)
            Xp, Yp = self.X_train[:, order], self.Y_train[:, order]
            bs = self.batch_size
            self._batches = [(Xp[:, i : i + bs], Yp[:, i : i + bs]) for i in range(0, self.m_train, bs)]
            self._batches.reverse()
        return self._batches.pop()
