"""Feature visualization (practice exercise 10): do a hidden layer's activations cluster by digit?

Every test image gives a vector A[l] of n[l] numbers at hidden layer l. Project those vectors
to 2-D — with PCA (a linear projection onto the two directions of largest variance, instant) or
t-SNE (a non-linear map that keeps near neighbours near, seconds) — and colour each point by its
true digit. Before training the layer is a random function of the pixels; after training, images
of the same digit should land together, because the output layer has to separate them from there.

``neighbour_agreement`` puts a number on "do they cluster": the share of images whose nearest
neighbour in the 2-D map shows the same digit (chance is about 1/10 for ten digits).

t-SNE is the slow part, so results are kept in a small ``EmbeddingCache`` keyed on the trained
state (a hash of the weights and the update count): a page can redraw without recomputing.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from threadpoolctl import threadpool_limits

from ..engine import Network

Array = np.ndarray
METHODS = {"pca": "PCA", "tsne": "t-SNE"}
MAX_POINTS = 600  # test images mapped (t-SNE takes ~1–2 s for 600 on one core)
TSNE_ITERATIONS = 500
CACHE_SIZE = 8  # embeddings kept per browser session


@dataclass(frozen=True)
class Embedding:
    """A 2-D map of one hidden layer's activations on the test images."""

    points: Array  # (m, 2)
    labels: Array  # (m,) true digit of each point
    method: str  # "pca" or "tsne"
    layer: int  # l in A[l]
    width: int  # n[l]
    seconds: float  # how long the projection took
    explained: float = float("nan")  # PCA: share of the variance the two axes keep

    @property
    def agreement(self) -> float:
        return neighbour_agreement(self.points, self.labels)


def hidden_activations(net: Network, X: Array, layer: int) -> Array:
    """A[layer] for every column of X: (n[layer], m). ``layer`` counts hidden layers from 1."""
    if not 1 <= layer < net.L:
        raise ValueError(f"pick a hidden layer between 1 and {net.L - 1}, got {layer}"
                         if net.L > 1 else "this network has no hidden layer: add one (e.g. 32) to see its features")
    return net.forward(X, training=False).A[layer]  # evaluation mode: running averages, no dropout


def embed(H: Array, method: str, seed: int = 0) -> tuple[Array, float]:
    """Rows of H (m, n) → (m, 2) points, and the share of variance kept (PCA; NaN for t-SNE).

    t-SNE runs with one thread: its OpenMP threads fight the other sessions' work on a shared
    server (measured on 2 busy cores: 11–30 s with the default threads, 1.4 s with one)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    m, n = H.shape
    if m < 3:
        raise ValueError(f"need at least 3 images to draw a map, got {m}")
    if n == 1:  # one unit: nothing to project, spread the values along x
        return np.column_stack([H[:, 0], np.zeros(m)]), 1.0
    if method == "pca":
        pca = PCA(n_components=2, random_state=seed)
        return pca.fit_transform(H), float(pca.explained_variance_ratio_.sum())
    perplexity = float(min(30.0, (m - 1) / 3))
    with threadpool_limits(1):
        points = TSNE(n_components=2, perplexity=perplexity, init="pca", max_iter=TSNE_ITERATIONS,
                      random_state=seed).fit_transform(H)
    return points, float("nan")


def neighbour_agreement(points: Array, labels: Array) -> float:
    """Share of points whose nearest other point (Euclidean, in the map) has the same label."""
    points = np.asarray(points, dtype=float)
    squared = np.sum(points**2, axis=1)
    distance = squared[:, None] + squared[None, :] - 2 * points @ points.T
    np.fill_diagonal(distance, np.inf)
    nearest = np.argmin(distance, axis=1)
    return float(np.mean(labels[nearest] == labels))


def feature_map(net: Network, X: Array, labels: Array, layer: int, method: str, seed: int = 0) -> Embedding:
    """Embed layer ``layer``'s activations on the first ``MAX_POINTS`` columns of X (n_x, m)."""
    X, labels = X[:, :MAX_POINTS], np.asarray(labels)[:MAX_POINTS]
    H = hidden_activations(net, X, layer).T
    start = time.perf_counter()
    points, explained = embed(H, method, seed)
    return Embedding(points, labels, method, layer, H.shape[1], time.perf_counter() - start, explained)


def state_key(net: Network, step: int) -> str:
    """Identifies a trained state: the update count and a hash of every weight and bias."""
    digest = hashlib.blake2b(digest_size=12)
    for array in (*net.W[1:], *net.b[1:]):
        digest.update(np.ascontiguousarray(array).tobytes())
    return f"{step}:{digest.hexdigest()}"


class EmbeddingCache:
    """The last ``size`` embeddings, keyed on (trained state, layer, method); least recently
    used first out. One per browser session (kept in its session state)."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._items: OrderedDict[tuple, Embedding] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple) -> Embedding | None:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        return None

    def put(self, key: tuple, embedding: Embedding) -> None:
        self._items[key] = embedding
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def get_or_compute(self, net: Network, step: int, X: Array, labels: Array, layer: int, method: str,
                       seed: int = 0) -> tuple[Embedding, bool]:
        """(embedding, True if it came from the cache)."""
        key = (state_key(net, step), layer, method, seed, X.shape[1])
        found = self.get(key)
        if found is not None:
            return found, True
        embedding = feature_map(net, X, labels, layer, method, seed)
        self.put(key, embedding)
        return embedding, False


def agreement_sentence(before: Embedding, after: Embedding, step: int) -> str:
    """What the two maps say, in numbers: 'Nearest neighbour shows the same digit for 41% of the
    images before training and 93% after 600 updates (chance: 10%).'"""
    chance = 1.0 / max(len(np.unique(after.labels)), 1)
    change = after.agreement - before.agreement
    verdict = ("the classes cluster much more clearly after training" if change > 0.1 else
               "training made the clusters a little clearer" if change > 0.02 else
               "training has not (yet) made the clusters clearer" if change > -0.02 else
               "the clusters are less clear than at the start")
    return (f"In the {METHODS[after.method]} map of layer {after.layer}, an image's nearest neighbour shows the same "
            f"digit for **{before.agreement:.0%}** of the images before training and **{after.agreement:.0%}** "
            f"after {step:,} update{'s' if step != 1 else ''} (chance: {chance:.0%}): {verdict}.")
