"""Toy datasets, seeded, with scikit-learn's generators and splitter wherever it has one.

Datasets hold rows like scikit-learn: ``X`` is ``(m, n_features)`` and ``y`` is ``(m,)``
(integer class labels, or float targets for regression). Training transposes once, when it
hands the data to the network (``X.T`` is the lecture's ``(n_x, m)``).

Every 2-D generator has one signature, ``make(n_samples, noise, rng_seed) -> (X, y)``, and
scales its points to roughly the square [-1, 1]², so the decision-boundary plot can use the
same axes for all of them. ``noise`` is a number in [0, 1]: 0 is clean, 1 is very noisy.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn import datasets as skd
from sklearn.model_selection import train_test_split

Array = np.ndarray
MAX_POINTS = 100_000  # a generous ceiling: the app's settings allow at most 2,000


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset as the user sees it: a label, its task and how many classes it has."""

    name: str
    label: str
    task: str  # "binary", "multiclass" or "regression"
    n_classes: int  # 1 for regression
    make: Callable[[int, float, int], tuple[Array, Array]]
    description: str
    fixed_size: bool = False  # logic gates and digits ignore n_samples and noise
    plane: bool = True  # 2-D inputs that the decision-boundary plot can draw


def circles(n_samples: int, noise: float, seed: int, factor: float = 0.3) -> tuple[Array, Array]:
    """Two concentric rings (class 1 inside). Only a non-linear boundary separates them."""
    return skd.make_circles(n_samples, noise=noise, factor=factor, random_state=seed)


def moons(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """Two interleaving half-moons."""
    X, y = skd.make_moons(n_samples, noise=noise * 1.5, random_state=seed)
    return (X - [0.5, 0.25]) / 1.5, y


def xor(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """Gaussian blobs in the four quadrants; class 1 where x1·x2 > 0 (like XOR of the signs)."""
    centres = [[0.5, 0.5], [-0.5, -0.5], [0.5, -0.5], [-0.5, 0.5]]
    X, blob = skd.make_blobs(
        n_samples, centers=centres, cluster_std=0.05 + 0.3 * noise, random_state=seed
    )
    return X, (blob < 2).astype(int)


def spiral(n_samples: int, noise: float, seed: int, arms: int = 2) -> tuple[Array, Array]:
    """Interleaved spiral arms, one class per arm (scikit-learn has no spiral generator)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % arms
    t = rng.uniform(0.0, 1.0, n_samples)
    radius = 0.05 + 0.95 * t
    angle = 1.75 * 2 * np.pi * t + 2 * np.pi * y / arms
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    X += rng.normal(0.0, 0.08 * noise, X.shape)
    return X, y


def blobs(n_samples: int, noise: float, seed: int, classes: int = 2) -> tuple[Array, Array]:
    """Gaussian clusters, one per class."""
    angles = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
    centres = 0.6 * np.column_stack([np.cos(angles), np.sin(angles)])
    return skd.make_blobs(
        n_samples, centers=centres, cluster_std=0.1 + 0.4 * noise, random_state=seed
    )


def linear(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """Two elongated clusters that a straight line separates (when noise is low)."""
    X, y = skd.make_blobs(
        n_samples, centers=[[-0.45, 0.45], [0.45, -0.45]], cluster_std=0.12 + 0.4 * noise,
        random_state=seed,
    )
    # Stretch along the separating direction so the classes look like two bands.
    along = np.array([1.0, 1.0]) / np.sqrt(2)
    X = X + np.outer((X @ along) * 1.5, along)
    return X, y


def plane_regression(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """Regression: a tilted plane, target = (x1 + 2·x2) / 3 plus noise, on the unit square."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (n_samples, 2))
    y = (X[:, 0] + 2 * X[:, 1]) / 3 + rng.normal(0.0, 0.3 * noise, n_samples)
    return X, y


BUMPS = ((-0.5, -0.5, 1.0), (0.5, 0.5, 1.0), (-0.5, 0.5, -1.0), (0.5, -0.5, -1.0), (0.0, 0.0, 0.6))


def bumps_regression(n_samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """Regression: a mixture of signed Gaussian bumps (peaks +1 and pits -1)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (n_samples, 2))
    y = sum(sign * np.exp(-((X[:, 0] - cx) ** 2 + (X[:, 1] - cy) ** 2) / (2 * 0.25**2))
            for cx, cy, sign in BUMPS)
    return X, y + rng.normal(0.0, 0.3 * noise, n_samples)


# The 4-point truth tables of CONCEPTS.md §8 (inputs 0/1, rows 00, 01, 10, 11).
GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
GATE_TABLES = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
    "XNOR": (1, 0, 0, 1),
}


def logic_gate(gate: str) -> tuple[Array, Array]:
    """The four corners of the unit square and the gate's truth-table outputs."""
    if gate not in GATE_TABLES:
        raise ValueError(f"unknown gate {gate!r}; choose one of {', '.join(GATE_TABLES)}")
    return GATE_INPUTS.copy(), np.array(GATE_TABLES[gate])


@functools.cache
def _digit_pixels() -> tuple[Array, Array]:
    """scikit-learn's digits, read once per process (a constant: one entry, read-only)."""
    bunch = skd.load_digits()
    X, y = bunch.data / 16.0, bunch.target
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def digits(binary: bool = True) -> tuple[Array, Array]:
    """The 8×8 handwritten digits bundled with scikit-learn (1,797 images), pixels in [0, 1].

    ``binary=True`` keeps only 0s and 1s (360 images); otherwise all 10 classes. Fresh arrays
    on every call, copied from ``_digit_pixels`` (scikit-learn parses a gzipped CSV: ~30 ms of
    each new Digits session's first page run, now done once per process).
    """
    pixels, labels = _digit_pixels()
    X, y = pixels.copy(), labels.copy()
    if binary:
        keep = y < 2
        X, y = X[keep], y[keep]
    return X, y


def _gate_maker(gate: str) -> Callable[[int, float, int], tuple[Array, Array]]:
    return lambda n_samples, noise, seed: logic_gate(gate)


DATASETS: dict[str, DatasetInfo] = {
    "circles": DatasetInfo("circles", "Circles", "binary", 2, circles, "Two concentric rings."),
    "moons": DatasetInfo("moons", "Moons", "binary", 2, moons, "Two interleaving half-moons."),
    "xor": DatasetInfo("xor", "XOR", "binary", 2, xor, "Four Gaussian quadrants; class = sign(x1·x2)."),
    "spiral": DatasetInfo("spiral", "Spiral (2 arms)", "binary", 2, spiral, "Two interleaved spiral arms."),
    "spiral3": DatasetInfo(
        "spiral3", "Spiral (3 arms)", "multiclass", 3,
        lambda n, noise, seed: spiral(n, noise, seed, arms=3), "Three spiral arms, three classes.",
    ),
    "blobs": DatasetInfo("blobs", "Blobs (2 classes)", "binary", 2, blobs, "Two Gaussian clusters."),
    "blobs3": DatasetInfo(
        "blobs3", "Blobs (3 classes)", "multiclass", 3,
        lambda n, noise, seed: blobs(n, noise, seed, classes=3), "Three Gaussian clusters.",
    ),
    "linear": DatasetInfo("linear", "Linearly separable", "binary", 2, linear, "A straight line separates the classes."),
    "xor_gate": DatasetInfo(
        "xor_gate", "XOR gate (4 points)", "binary", 2, _gate_maker("XOR"),
        "The XOR truth table: no single line separates it.", fixed_size=True,
    ),
    "and_gate": DatasetInfo(
        "and_gate", "AND gate (4 points)", "binary", 2, _gate_maker("AND"),
        "The AND truth table.", fixed_size=True,
    ),
    "or_gate": DatasetInfo(
        "or_gate", "OR gate (4 points)", "binary", 2, _gate_maker("OR"),
        "The OR truth table.", fixed_size=True,
    ),
    "plane": DatasetInfo(
        "plane", "Regression: tilted plane", "regression", 1, plane_regression,
        "Predict a number that rises linearly across the plane.",
    ),
    "bumps": DatasetInfo(
        "bumps", "Regression: Gaussian bumps", "regression", 1, bumps_regression,
        "Predict a surface of two peaks and two pits.",
    ),
    "digits01": DatasetInfo(
        "digits01", "Digits 0 vs 1 (8×8)", "binary", 2, lambda n, noise, seed: digits(True),
        "360 handwritten 0s and 1s, 64 pixels each.", fixed_size=True, plane=False,
    ),
    "digits10": DatasetInfo(
        "digits10", "Digits 0–9 (8×8)", "multiclass", 10, lambda n, noise, seed: digits(False),
        "1,797 handwritten digits, 64 pixels each.", fixed_size=True, plane=False,
    ),
}

PLANE_DATASETS = tuple(name for name, info in DATASETS.items() if info.plane)


@dataclass(frozen=True)
class CustomData:
    """A dataset that did not come from a generator (an uploaded CSV): rows like sklearn."""

    X: Array  # (m, 2)
    y: Array  # (m,) int labels or float targets
    task: str  # "binary", "multiclass" or "regression"
    n_classes: int
    name: str = "uploaded"


def make_dataset(name: str, n_samples: int = 300, noise: float = 0.1, seed: int = 0) -> tuple[Array, Array]:
    """Generate dataset ``name``: X (m, n_features) float; y (m,) int labels 0..k-1, or
    float targets for a regression dataset."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    info = DATASETS[name]
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral) or not 1 <= n_samples <= MAX_POINTS:
        raise ValueError(f"n_samples must be a whole number between 1 and {MAX_POINTS:,}, got {n_samples!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a whole number between 0 and {2**32 - 1}, got {seed!r}")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not 0 <= noise <= 1:
        raise ValueError(f"noise must be a number between 0 and 1, got {noise!r}")
    # + 0.0: -0.0 is a valid 0 here, but scikit-learn's generators refuse a "negative" scale.
    X, y = info.make(int(n_samples), float(noise) + 0.0, int(seed))
    return np.asarray(X, dtype=float), np.asarray(y, dtype=float if info.task == "regression" else int)


def split(
    X: Array, y: Array, test_ratio: float, seed: int, stratify: bool = True
) -> tuple[Array, Array, Array, Array]:
    """Seeded (stratified) train/test split: X_train, X_test, y_train, y_test.

    With too few points to hold any out (the 4-point gates) the test set is the training set.
    """
    n_classes = len(np.unique(y)) if stratify else 1
    n_test = int(round(test_ratio * len(y)))
    if test_ratio <= 0 or n_test < max(n_classes, 1) or len(y) - n_test < max(n_classes, 1):
        return X, X, y, y
    return train_test_split(
        X, y, test_size=n_test, random_state=seed, stratify=y if stratify else None
    )


EXTRA_FEATURES: dict[str, Callable[[Array], Array]] = {
    "x1^2": lambda X: X[:, 0] ** 2,
    "x2^2": lambda X: X[:, 1] ** 2,
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin(x1)": lambda X: np.sin(np.pi * X[:, 0]),
    "sin(x2)": lambda X: np.sin(np.pi * X[:, 1]),
}


def with_features(X: Array, extra: tuple[str, ...] | list[str]) -> Array:
    """Append the chosen extra input features (TensorFlow Playground's x1², x1·x2, sin …).

    sin uses π·x so that one period spans the [-1, 1] plane.
    """
    unknown = [name for name in extra if name not in EXTRA_FEATURES]
    if unknown:
        raise ValueError(f"unknown feature(s) {unknown}; choose from {', '.join(EXTRA_FEATURES)}")
    if not extra:
        return X
    return np.column_stack([X] + [EXTRA_FEATURES[name](X) for name in extra])


def one_hot(y: Array, n_classes: int) -> Array:
    """Labels (m,) → one-hot Y (n_classes, m), examples as columns."""
    return np.eye(n_classes)[:, y]


def to_csv(X: Array, y: Array) -> str:
    """The dataset as CSV text with header x1,x2,…,label."""
    header = ",".join([f"x{i + 1}" for i in range(X.shape[1])] + ["label"])
    rows = [",".join(f"{v:.6g}" for v in row) + f",{label}" for row, label in zip(X, y)]
    return "\n".join([header, *rows]) + "\n"
