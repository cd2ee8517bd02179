"""Divergence checks and the "diverged at update N (layer l)" stop (a part of
``TrainingSession``)."""

from __future__ import annotations

import numpy as np

from ..engine import first_non_finite_layer

Array = np.ndarray
EXPLODED_COST = 1e8


class Divergence:
    """Cheap finiteness checks run during ``train`` and the stop that keeps the last finite weights."""

    def _cost_cannot_have_exploded(self, ZL: Array) -> bool:
        """A bound instead of the cost itself (computing the cost every update made training
        ~20% slower): each example's loss is at most n_y · (max|z| + max|y| + 1)² for all three
        losses (cross-entropies grow like |z|, squared error like (|z| + |y|)²), so below
        ``EXPLODED_COST`` nothing exploded. False when Z[L] is not finite."""
        z = max(float(ZL.max()), -float(ZL.min()))
        return ZL.shape[0] * (z + self._target_bound + 1.0) ** 2 <= EXPLODED_COST

    @staticmethod
    def _grads_finite(grads) -> bool:
        return bool(np.isfinite(sum(np.vdot(dW, dW) for dW in grads.dW[1:])))

    def _weights_finite(self) -> bool:
        return bool(np.isfinite(sum(np.vdot(W, W) for W in self.net.W[1:])))

    def _stop_diverged(self, cache, grads, cost: float) -> None:
        update = self.step + 1
        layer = first_non_finite_layer(cache, grads) or self.net.L
        if not self._weights_finite():  # the last update itself overflowed: undo it
            layer = next(l for l in range(1, self.net.L + 1) if not np.isfinite(self.net.W[l]).all())
            update = self.step
            self.net.restore(self._previous)
            self.step -= 1
            self.epoch = self._previous_epoch
        if np.isfinite(cost):
            what = f"the cost exploded to {cost:.3g}"
        else:
            what = "the values became NaN or infinite"
        self.status = "diverged"
        self.diverged_layer = layer
        self.message = (
            f"Training diverged at update {update} (layer {layer}): {what}. "
            f"The weights are kept from update {self.step}, the last finite ones. "
            f"Try a smaller learning rate (now {self.learning_rate:g}) or another initializer "
            f"(xavier for tanh/sigmoid, he for relu), then press Reset."
        )
