"""Why vectorize: one layer's forward pass as explicit Python loops and as ``W @ A + b``.

CONCEPTS.md §11. The notes time a dot product of two 10⁶-vectors both ways (~1.5 ms against
~500 ms, ~300×). Here the same comparison runs on the machine the app runs on, for a layer of
the current network:

    loop:        Z[i, j] = b[i] + Σ_k W[i, k] · A[k, j]     for every unit i and example j
    vectorized:  Z = W @ A + b                              (b broadcast over the m columns)

Both give the same Z (up to the rounding of a different summation order). The loop indexes the
NumPy arrays element by element, as the notes' loop does; its work is capped (``MAX_LOOP_OPS``
multiply-adds) so a click never holds the shared server for long: with more work than that the
loop runs on the first columns only, and the page says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

Array = np.ndarray
MAX_LOOP_OPS = 150_000  # multiply-adds the Python loop may do per click (~0.1–0.5 s)
DOT_SIZE = 100_000  # the notes' dot product, 10× shorter so the loop stays well under a second
VECTOR_REPEATS_SECONDS = 0.05  # repeat the fast version for ~50 ms and keep the best time
EQUAL_RTOL, EQUAL_ATOL = 1e-12, 1e-12


def layer_forward_loop(W: Array, A_prev: Array, b: Array) -> Array:
    """Z[l] with three explicit loops: units i, examples j, inputs k.
    W: (n[l], n[l-1]), A_prev: (n[l-1], m), b: (n[l], 1) → Z: (n[l], m)."""
    n_out, n_in = W.shape
    m = A_prev.shape[1]
    Z = np.zeros((n_out, m))
    for j in range(m):
        for i in range(n_out):
            z = b[i, 0]
            for k in range(n_in):
                z += W[i, k] * A_prev[k, j]
            Z[i, j] = z
    return Z


def layer_forward_vectorized(W: Array, A_prev: Array, b: Array) -> Array:
    """Z[l] = W[l] A[l-1] + b[l], one matrix product and a broadcast."""
    return W @ A_prev + b


def dot_loop(u: Array, v: Array) -> float:
    """The notes' loop: c = Σ u[i] v[i], one element at a time."""
    c = 0.0
    for i in range(len(u)):
        c += u[i] * v[i]
    return c


def _best_time(function, *args, budget: float = VECTOR_REPEATS_SECONDS) -> tuple[float, object]:
    """The fastest of repeated calls within ``budget`` seconds (at least 3): fast calls take
    microseconds, so a single measurement would mostly be timer noise. One BLAS thread, like
    the loop (on a shared machine extra threads wait for each other instead of helping)."""
    best, result, start, calls = float("inf"), None, time.perf_counter(), 0
    with threadpool_limits(1):
        while calls < 3 or (time.perf_counter() - start < budget and calls < 10_000):
            t = time.perf_counter()
            result = function(*args)
            best = min(best, time.perf_counter() - t)
            calls += 1
    return best, result


@dataclass(frozen=True)
class Timing:
    """Both ways of computing the same thing, timed on this machine."""

    what: str  # e.g. "Z[2] = W[2] A[1] + b[2] for 3 units, 2 inputs, 1,000 examples"
    operations: int  # multiply-adds the loop did
    loop_seconds: float
    vectorized_seconds: float
    max_difference: float  # largest |loop − vectorized| over every entry
    equal: bool  # np.allclose at rtol = atol = 1e-12
    columns_used: int  # examples the loop ran on (fewer than asked when capped)
    columns_asked: int

    @property
    def ratio(self) -> float:
        return self.loop_seconds / self.vectorized_seconds if self.vectorized_seconds > 0 else float("inf")

    @property
    def capped(self) -> bool:
        return self.columns_used < self.columns_asked


def columns_within_budget(n_out: int, n_in: int, m: int, max_ops: int = MAX_LOOP_OPS) -> int:
    """How many of the m examples the loop may run on: n[l]·n[l-1] multiply-adds each."""
    return int(min(m, max(1, max_ops // max(1, n_out * n_in))))


def time_layer(W: Array, A_prev: Array, b: Array, layer: int = 1, max_ops: int = MAX_LOOP_OPS) -> Timing:
    """Time one layer's forward pass both ways on the same inputs (capped to ``max_ops``
    multiply-adds for the loop) and check that the results agree."""
    n_out, n_in = W.shape
    m = A_prev.shape[1]
    used = columns_within_budget(n_out, n_in, m, max_ops)
    A = np.ascontiguousarray(A_prev[:, :used])
    start = time.perf_counter()
    Z_loop = layer_forward_loop(W, A, b)
    loop_seconds = time.perf_counter() - start
    vector_seconds, Z_vec = _best_time(layer_forward_vectorized, W, A, b)
    difference = float(np.max(np.abs(Z_loop - Z_vec))) if Z_loop.size else 0.0
    what = (f"Z[{layer}] = W[{layer}] A[{layer - 1}] + b[{layer}] for {n_out} units, {n_in} inputs, "
            f"{used:,} examples")
    return Timing(what, n_out * n_in * used, loop_seconds, vector_seconds, difference,
                  bool(np.allclose(Z_loop, Z_vec, rtol=EQUAL_RTOL, atol=EQUAL_ATOL)), used, m)


def time_dot_product(n: int = DOT_SIZE, seed: int = 0) -> Timing:
    """The notes' experiment, u·v of two random n-vectors, as a loop and as ``np.dot``."""
    rng = np.random.default_rng(seed)
    u, v = rng.random(n), rng.random(n)
    start = time.perf_counter()
    c_loop = dot_loop(u, v)
    loop_seconds = time.perf_counter() - start
    vector_seconds, c_vec = _best_time(np.dot, u, v)
    difference = abs(c_loop - float(c_vec))
    return Timing(f"u·v for two vectors of {n:,} numbers", n, loop_seconds, vector_seconds, difference,
                  bool(np.isclose(c_loop, c_vec, rtol=EQUAL_RTOL, atol=EQUAL_ATOL)), n, n)


def layer_inputs(net, X: Array, layer: int, m: int) -> Array:
    """A[layer-1] for m examples: the columns of X cycled to m (so a 4-example batch can be
    timed on 1,000 columns), forwarded through the layers below ``layer``. (n[layer-1], m)."""
    if not 1 <= layer <= net.L:
        raise ValueError(f"layer must be between 1 and {net.L}, got {layer}")
    columns = np.resize(np.arange(X.shape[1]), m)
    return net.forward(X[:, columns], training=False).A[layer - 1]  # evaluation mode: no dropout, no running-average update


def speed_sentence(timing: Timing) -> str:
    """'The loop took 183 ms, W @ A + b 0.021 ms: 8,700× faster.' with honest units."""
    return (f"The loop took {format_seconds(timing.loop_seconds)}, the vectorized version "
            f"{format_seconds(timing.vectorized_seconds)}: **{timing.ratio:,.0f}× faster**.")


def format_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"
