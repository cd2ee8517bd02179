"""The input plane: bounds, grid and the network's outputs over it (a part of ``TrainingSession``)."""

from __future__ import annotations

import numpy as np

from ..datasets import with_features

Array = np.ndarray


class InputPlane:
    """What the network computes over a square around the data (for the decision plots)."""

    def plane_bounds(self) -> tuple[float, float, float, float]:
        """A square around all points with a 10% margin: (x_min, x_max, y_min, y_max)."""
        points = np.vstack([self.points_train, self.points_test])
        lo, hi = points.min(axis=0), points.max(axis=0)
        centre, half = (lo + hi) / 2, max((hi - lo).max() / 2, 0.5) * 1.1
        return centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half

    def plane_grid(self, resolution: int = 100) -> tuple[Array, Array, Array]:
        """Grid axes xs, ys (resolution,) and the network input (n_x, resolution²) for it."""
        x0, x1, y0, y1 = self.plane_bounds()
        xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
        gx, gy = np.meshgrid(xs, ys)
        points = np.column_stack([gx.ravel(), gy.ravel()])
        return xs, ys, with_features(points, self.settings.features).T

    def decision_grid(self, resolution: int = 100) -> tuple[Array, Array, Array]:
        """Network output over the plane: xs, ys and (n_y, resolution, resolution) values —
        P(class 1) for binary, class probabilities for multi-class, the value for regression."""
        xs, ys, grid = self.plane_grid(resolution)
        output = self.net.predict_proba(grid)
        return xs, ys, output.reshape(output.shape[0], resolution, resolution)

    def unit_grids(self, resolution: int = 24) -> tuple[Array, Array, list[Array]]:
        """Every unit's activation over the plane: a list over layers l = 1..L of
        (n[l], resolution, resolution) arrays (what each neuron responds to)."""
        xs, ys, grid = self.plane_grid(resolution)
        cache = self.net.forward(grid, training=False)
        return xs, ys, [A.reshape(A.shape[0], resolution, resolution) for A in cache.A[1:]]
