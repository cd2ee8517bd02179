"""How fast is the engine? ``python -m playground.bench [--quick] [--json] [--only SECTIONS]``

For a 2-8-8-1 tanh/sigmoid network on 500 circles points, full batch, plain SGD:

- engine: ``Network.forward`` → ``Network.backward`` → ``optimizer.update``, steps/s
  (the issue's target: ≥ 8,000 steps/s and within 1.3× of the bare loop);
- bare NumPy: the same mathematics written inline here, the reference for the engine's overhead;
- ``TrainingSession.train``: the engine plus divergence checks, evaluation and history;
- scikit-learn ``MLPClassifier.partial_fit`` (one call = one full-batch step);
- the 100×100 decision grid: ``TrainingSession.decision_grid(100)`` and the raw
  ``net.predict_proba`` on a (2, 10000) grid (target ≤ 1 ms);

and the same for a deep case, 10 hidden layers of width 64; and a batch-norm case: the notes'
10 × 16 sigmoid network with and without batch normalization, engine loop and
TrainingSession (target: batch norm at ≥ 1/2 the speed without it). Each number is measured
``--repeats`` times (default 7; each timed run lasts about a quarter of a second) and
reported as the median with min and max.

Two process-wide knobs change the numbers a lot on a small shared machine, so they are
options rather than defaults: ``--blas-threads 1`` (BLAS threads cost more than they save on
matrices this small, far more when the CPUs are busy) and ``--tune-malloc`` (see
``tune_malloc``). The report header says which were in effect.

Each section is one function ``bench_<name>(cfg) -> list[Measurement]``, listed in
``SECTIONS``; ``--ui`` adds the live app in headless Chromium (``playground.bench.ui``:
first render, frames/s and updates/s while playing, Pause and Step latency).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..datasets import make_dataset
from ..engine import Network, make_optimizer
from ..engine.activations import sigmoid
from ..settings import Settings
from ..training import TrainingSession

N_POINTS = 500
LEARNING_RATE = 0.1
SMALL_HIDDEN = (8, 8)
DEEP_HIDDEN = (64,) * 10
GRID_RESOLUTION = 100

TARGET_ENGINE_STEPS = 8000.0
TARGET_BARE_RATIO = 1.3
TARGET_GRID_MS = 1.0

Run = Callable[[int], object]  # run(k): k training steps


@dataclass
class Config:
    repeats: int = 7
    seconds: float = 0.25  # the length each timed run is calibrated to
    min_steps: int = 10  # at least this many steps (or calls) per timed run


QUICK = Config(repeats=3, seconds=0.01, min_steps=2)


@dataclass
class Measurement:
    """One quantity measured ``len(runs)`` times; ``unit`` is "steps/s" or "ms"."""

    name: str
    unit: str
    runs: list[float]
    per_run: int  # steps or calls in each timed run
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def as_dict(self) -> dict:
        return {**asdict(self), "median": self.median, "min": min(self.runs), "max": max(self.runs)}


# -- timing ---------------------------------------------------------------------------------------
def time_interleaved(make_runs: list[Callable[[], Run]], cfg: Config) -> list[tuple[list[float], int]]:
    """Iterations per second of each ``make_run()(k)``, measured in turns (A, B, C, A, B, C …)
    so that a burst of load from other processes cannot favour one of them. Every timed run
    starts from a fresh ``make_run()`` (same initial weights; building it is not timed). A
    first, untimed run warms up and picks k so that one run lasts about ``cfg.seconds``."""
    counts = []
    for make_run in make_runs:
        run = make_run()
        start = time.perf_counter()
        run(cfg.min_steps)
        elapsed = time.perf_counter() - start
        counts.append(max(cfg.min_steps, int(cfg.min_steps * cfg.seconds / max(elapsed, 1e-9))))
    rates: list[list[float]] = [[] for _ in make_runs]
    for _ in range(cfg.repeats):
        for i, make_run in enumerate(make_runs):
            run = make_run()
            start = time.perf_counter()
            run(counts[i])
            rates[i].append(counts[i] / (time.perf_counter() - start))
    return list(zip(rates, counts))


def repeat_call(call: Callable[[], object]) -> Callable[[], Run]:
    """A call that needs no fresh state, as a ``make_run`` for ``time_interleaved``."""

    def run(k: int) -> None:
        for _ in range(k):
            call()

    return lambda: run


# -- what is timed ----------------------------------------------------------------------------------
def circles_data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """500 circles points: X (2, m) as the lecture's columns, Y (1, m), labels y (m,)."""
    X, y = make_dataset("circles", N_POINTS, 0.1, 0)
    return X.T.copy(), y.reshape(1, -1).astype(float), y


def fresh_network(hidden: tuple[int, ...]) -> Network:
    return Network([2, *hidden, 1], "tanh", "sigmoid", "xavier", seed=0)


def engine_loop(net: Network, X: np.ndarray, Y: np.ndarray) -> Run:
    """The engine as a notebook would use it."""
    optimizer = make_optimizer("sgd")

    def run(steps: int) -> None:
        for _ in range(steps):
            cache = net.forward(X)
            grads = net.backward(cache, Y)
            optimizer.update(net, grads, LEARNING_RATE)

    return run


def bare_numpy_loop(W: list[np.ndarray], b: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> Run:
    """Full-batch gradient descent for tanh hidden layers, a sigmoid output and cross-entropy,
    written inline without classes or caches (W, b: 0-indexed lists, updated in place)."""
    L, m = len(W), X.shape[1]

    def run(steps: int) -> None:
        for _ in range(steps):
            A = [X]
            for l in range(L - 1):
                A.append(np.tanh(W[l] @ A[-1] + b[l]))
            A.append(sigmoid(W[L - 1] @ A[-1] + b[L - 1]))
            dZ = A[L] - Y
            for l in range(L - 1, -1, -1):
                dW = (dZ @ A[l].T) / m
                db = dZ.sum(axis=1, keepdims=True) / m
                if l > 0:
                    dZ = (W[l].T @ dZ) * (1.0 - A[l] * A[l])
                W[l] -= LEARNING_RATE * dW
                b[l] -= LEARNING_RATE * db

    return run


def sklearn_loop(hidden: tuple[int, ...], X: np.ndarray, y: np.ndarray) -> Run:
    """scikit-learn's MLPClassifier, one ``partial_fit`` on all 500 points per step."""
    from sklearn.neural_network import MLPClassifier

    rows = X.T.copy()
    model = MLPClassifier(hidden_layer_sizes=hidden, activation="tanh", solver="sgd", batch_size=N_POINTS,
                          learning_rate_init=LEARNING_RATE, momentum=0.0, random_state=0)
    model.partial_fit(rows, y, classes=[0, 1])

    def run(steps: int) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(steps):
                model.partial_fit(rows, y)

    return run


def session_settings(hidden: tuple[int, ...]) -> Settings:
    """The same problem as a TrainingSession: all 500 points train (no test split)."""
    return Settings(dataset="circles", n_samples=N_POINTS, noise=0.1, test_ratio=0.0, hidden_sizes=hidden,
                    activation="tanh", initializer="xavier", optimizer="sgd", learning_rate=LEARNING_RATE)


def training_loops(label: str, hidden: tuple[int, ...], cfg: Config) -> list[Measurement]:
    """Engine, bare NumPy, TrainingSession and scikit-learn steps/s for one architecture."""
    X, Y, y = circles_data()

    def bare() -> Run:
        net = fresh_network(hidden)
        return bare_numpy_loop([W.copy() for W in net.W[1:]], [b.copy() for b in net.b[1:]], X, Y)

    timed = [
        (f"engine forward/backward/update ({label})", lambda: engine_loop(fresh_network(hidden), X, Y), ""),
        (f"bare NumPy loop ({label})", bare, ""),
        (f"TrainingSession.train ({label})", lambda: TrainingSession(session_settings(hidden)).train,
         "+ divergence checks, evaluation, history"),
        (f"scikit-learn MLPClassifier.partial_fit ({label})", lambda: sklearn_loop(hidden, X, y), ""),
    ]
    timings = time_interleaved([make_run for _, make_run, _ in timed], cfg)
    return [Measurement(name, "steps/s", rates, steps, note) for (name, _, note), (rates, steps) in zip(timed, timings)]


def grid_forward(label: str, hidden: tuple[int, ...], cfg: Config) -> list[Measurement]:
    """The 100×100 decision grid, through the session and through the raw network."""
    session = TrainingSession(session_settings(hidden))
    _, _, grid = session.plane_grid(GRID_RESOLUTION)
    net = session.net
    timed = [
        (f"TrainingSession.decision_grid(100) ({label})", lambda: session.decision_grid(GRID_RESOLUTION),
         "builds the grid + forward"),
        (f"net.predict_proba on (2, 10000) ({label})", lambda: net.predict_proba(grid), ""),
    ]
    timings = time_interleaved([repeat_call(call) for _, call, _ in timed], cfg)
    return [Measurement(name, "ms", [1000.0 / r for r in rates], calls, note)
            for (name, _, note), (rates, calls) in zip(timed, timings)]


# -- sections -------------------------------------------------------------------------------------
def bench_small(cfg: Config) -> list[Measurement]:
    """2-8-8-1 tanh/sigmoid on 500 circles points, full batch, SGD."""
    return training_loops("2-8-8-1", SMALL_HIDDEN, cfg)


def bench_grid(cfg: Config) -> list[Measurement]:
    """The 100×100 decision grid of the 2-8-8-1 network."""
    return grid_forward("2-8-8-1", SMALL_HIDDEN, cfg)


def bench_deep(cfg: Config) -> list[Measurement]:
    """10 hidden layers of width 64: the training loops and the decision grid."""
    label = "2-64×10-1"
    return training_loops(label, DEEP_HIDDEN, cfg) + grid_forward(label, DEEP_HIDDEN, cfg)


BN_HIDDEN = (16,) * 10


def bench_batchnorm(cfg: Config) -> list[Measurement]:
    """10 hidden sigmoid layers of 16 (the notes' vanishing-gradient net), Xavier, 500 circles
    points, full batch, SGD: the engine loop and TrainingSession without and with batch norm
    (the issue's target: batch norm trains at ≥ 1/2 the speed without it)."""
    X, Y, _ = circles_data()

    def network(batch_norm: bool) -> Network:
        return Network([2, *BN_HIDDEN, 1], "sigmoid", "sigmoid", "xavier", seed=0, batch_norm=batch_norm)

    def session(batch_norm: bool) -> Run:
        settings = session_settings(BN_HIDDEN).replace(activation="sigmoid", batch_norm=batch_norm)
        return TrainingSession(settings).train

    timed = [
        ("engine forward/backward/update (10×16 sigmoid)", lambda: engine_loop(network(False), X, Y), ""),
        ("engine forward/backward/update (10×16 sigmoid, batch norm)", lambda: engine_loop(network(True), X, Y),
         "+ μ, σ², γ, β per hidden layer"),
        ("TrainingSession.train (10×16 sigmoid)", lambda: session(False), "+ divergence checks, evaluation, history"),
        ("TrainingSession.train (10×16 sigmoid, batch norm)", lambda: session(True),
         "+ an evaluation-mode pass (running averages) per record"),
    ]
    timings = time_interleaved([make_run for _, make_run, _ in timed], cfg)
    return [Measurement(name, "steps/s", rates, steps, note) for (name, _, note), (rates, steps) in zip(timed, timings)]


class Skipped(Exception):
    """A section that cannot run here (say why)."""


UI_UNITS = {"first_render_s": ("first render: open → boundary drawn", "s"),
            "frames_per_s": ("boundary frames drawn while playing", "frames/s"),
            "updates_per_s": ("training updates while playing", "updates/s"),
            "pause_latency_s": ("Pause: click → last changed frame", "s"),
            "step_latency_s": ("Step: click → next update drawn", "s")}


def bench_ui(cfg: Config) -> list[Measurement]:
    """The live app in headless Chromium (``playground.bench.ui``: a real ``streamlit run``,
    Playwright). Needs the development tools and /usr/bin/chromium."""
    from . import ui as live

    if not Path(live.CHROMIUM).exists():
        raise Skipped(f"{live.CHROMIUM} is not installed")
    try:
        import playwright  # noqa: F401
    except ImportError:
        raise Skipped("Playwright is not installed (pip install -r requirements-dev.txt)") from None
    quick = cfg.seconds < Config.seconds
    results = []
    for prefix, path, query in UI_CASES:
        values = live.run(query, repeats=1 if quick else min(cfg.repeats, 3),
                          play_seconds=2.0 if quick else 6.0, path=path)
        results += [Measurement(f"{prefix}{label}", unit, values[key], 1) for key, (label, unit) in UI_UNITS.items()]
        if quick:
            break
    return results


def bench_responsiveness(cfg: Config) -> list[Measurement]:
    """One viewer's clicks on a warm server, click → drawn (``playground.bench.ui.responsiveness``)."""
    from . import ui as live

    if not Path(live.CHROMIUM).exists():
        raise Skipped(f"{live.CHROMIUM} is not installed")
    try:
        import playwright  # noqa: F401
    except ImportError:
        raise Skipped("Playwright is not installed (pip install -r requirements-dev.txt)") from None
    values = live.responsiveness(repeats=1 if cfg.seconds < Config.seconds else min(cfg.repeats, 5))
    return [Measurement(name, "s", runs, 1) for name, runs in values.items()]


# Playground default network on 500 points; the Gradients lab's 20 × 64 ReLU/He network;
# the Digits page (0–9, mini-batches of 32).
UI_CASES = (
    ("", "/", "n_samples=500"),
    ("gradients lab 20×64: ", "/gradients", "n_samples=500&hidden_sizes=" + ",".join(["64"] * 20)
     + "&activation=relu&initializer=he&learning_rate=0.01"),
    ("digits 0–9: ", "/digits", "dataset=digits10&batch_size=32"),
)


def bench_lessons(cfg: Config) -> list[Measurement]:
    """Seconds of training each guided lesson needs to make its point, headless (the runner the
    claim tests use; one BLAS thread, as in the app). The lessons promise ≤ 10 s each."""
    from ..teaching.lessons import LESSONS, run_lesson

    lessons = LESSONS[:2] if cfg.seconds < Config.seconds else LESSONS
    repeats = 1 if cfg.seconds < Config.seconds else min(cfg.repeats, 3)
    results = []
    for lesson in lessons:
        runs = []
        for _ in range(repeats):
            run, _facts = run_lesson(lesson)
            runs.append(run.seconds)
        results.append(Measurement(f"lesson {lesson.number} ({lesson.slug}): training", "s", runs,
                                   lesson.steps * len(lesson.runs), note=f"{len(lesson.runs)} runs × {lesson.steps} updates"))
    return results


SECTIONS: dict[str, tuple[str, Callable[[Config], list[Measurement]]]] = {
    "small": ("2-8-8-1 tanh/sigmoid, 500 circles points, full batch, SGD", bench_small),
    "grid": ("100×100 decision-grid forward, 2-8-8-1", bench_grid),
    "deep": ("deep: 10 hidden layers of 64, 500 circles points, full batch, SGD", bench_deep),
    "batchnorm": ("batch norm: 10 hidden sigmoid layers of 16, 500 circles points, full batch, SGD", bench_batchnorm),
    "ui": ("the live app in headless Chromium: default page, 500 circles points", bench_ui),
    "responsiveness": ("one viewer's clicks on a warm server, click → drawn (targets: issue 15)", bench_responsiveness),
    "lessons": ("the guided lessons: seconds of training per lesson (promised ≤ 10 s)", bench_lessons),
}
DEFAULT_SECTIONS = ("small", "grid", "deep", "batchnorm")
TARGET_BN_RATIO = 0.5  # batch norm trains at ≥ 1/2 the speed without it


def run_sections(sections: list[str], cfg: Config) -> tuple[dict[str, list[Measurement]], dict[str, str]]:
    """Run the chosen sections in order: their measurements, and why any were skipped."""
    results: dict[str, list[Measurement]] = {}
    skipped: dict[str, str] = {}
    for name in sections:
        try:
            results[name] = SECTIONS[name][1](cfg)
        except Skipped as reason:
            skipped[name] = str(reason)
    return results, skipped


# -- process-wide knobs -----------------------------------------------------------------------------
def tune_malloc() -> bool:
    """glibc only, process-wide: keep freed memory for reuse instead of handing every large
    array (> 128 KB: a layer of the 100×100 grid, a 64×500 activation) back to the OS and
    page-faulting it in again on the next call. Returns False where unavailable.

    Whether the app should do this (in app.py) is a deployment decision; the bench shows
    what it buys."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    return bool(libc.mallopt(M_MMAP_THRESHOLD, 64 << 20)) and bool(libc.mallopt(M_TRIM_THRESHOLD, 256 << 20))


def limit_blas_threads(n: int) -> None:
    """Process-wide: let BLAS use at most n threads (threadpoolctl comes with scikit-learn)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=n, user_api="blas")


def machine(malloc_tuned: bool) -> dict:
    """What the numbers depend on: versions, CPUs, BLAS threads, allocator."""
    from threadpoolctl import threadpool_info

    blas = sorted({f"{p.get('internal_api')} {p.get('num_threads')} threads" for p in threadpool_info()
                   if p.get("user_api") == "blas"})
    return {"python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count(),
            "blas": ", ".join(blas) or "unknown", "malloc": "tuned" if malloc_tuned else "default"}


# -- verdicts and output ------------------------------------------------------------------------------
def targets(results: dict[str, list[Measurement]]) -> list[tuple[str, float, str, bool]]:
    """The issue's targets, checked against the medians: (what, value, goal, met)."""
    checks = []
    small = {m.name: m for m in results.get("small", [])}
    engine = small.get("engine forward/backward/update (2-8-8-1)")
    bare = small.get("bare NumPy loop (2-8-8-1)")
    if engine:
        checks.append(("engine steps/s (2-8-8-1)", engine.median, f"≥ {TARGET_ENGINE_STEPS:,.0f}",
                       engine.median >= TARGET_ENGINE_STEPS))
    if engine and bare:
        ratio = bare.median / engine.median
        checks.append(("engine time / bare-loop time", ratio, f"≤ {TARGET_BARE_RATIO}", ratio <= TARGET_BARE_RATIO))
    bn = {m.name: m for m in results.get("batchnorm", [])}
    for what in ("engine forward/backward/update", "TrainingSession.train"):
        plain, with_bn = bn.get(f"{what} (10×16 sigmoid)"), bn.get(f"{what} (10×16 sigmoid, batch norm)")
        if plain and with_bn:
            ratio = with_bn.median / plain.median
            checks.append((f"{what.split()[0]} speed with / without batch norm", ratio, f"≥ {TARGET_BN_RATIO:g}",
                           ratio >= TARGET_BN_RATIO))
    for m in results.get("grid", []):
        if m.name.startswith("net.predict_proba"):
            checks.append(("grid forward ms (2-8-8-1)", m.median, f"≤ {TARGET_GRID_MS:g}", m.median <= TARGET_GRID_MS))
    from .ui import RESPONSIVENESS_TARGETS

    for m in results.get("responsiveness", []):
        goal = RESPONSIVENESS_TARGETS.get("open" if m.name.startswith("open ") else m.name)
        if goal is None:  # context, e.g. Streamlit's own floor
            continue
        checks.append((f"{m.name} s", m.median, f"≤ {goal:g}", m.median <= goal))
    return checks


def format_value(value: float, unit: str) -> str:
    return f"{value:,.0f}" if unit == "steps/s" else f"{value:,.3f}"


def format_report(results: dict[str, list[Measurement]], skipped: dict[str, str], cfg: Config, env: dict) -> str:
    lines = [
        f"Neural Playground benchmark: median of {cfg.repeats} timed runs (min, max)",
        f"Python {env['python']}, NumPy {env['numpy']}, {env['cpus']} CPUs, BLAS {env['blas']}, "
        f"malloc {env['malloc']}",
    ]
    for name, measurements in results.items():
        lines += ["", f"[{name}] {SECTIONS[name][0]}",
                  f"  {'measurement':56}{'median':>10}{'min':>10}{'max':>10}  unit     per run"]
        for m in measurements:
            values = "".join(f"{format_value(v, m.unit):>10}" for v in (m.median, min(m.runs), max(m.runs)))
            count = {"steps/s": f"{m.per_run} steps", "ms": f"{m.per_run} calls"}.get(m.unit, "")
            lines.append(f"  {m.name:56}{values}  {m.unit:8} {count}" + (f"  ({m.note})" if m.note else ""))
    for name, reason in skipped.items():
        lines += ["", f"[{name}] {SECTIONS[name][0]}: skipped, {reason}"]
    checks = targets(results)
    if checks:
        lines += ["", "[targets]"]
        for what, value, goal, met in checks:
            lines.append(f"  {what:36}{value:>12,.3f}   goal {goal:9} {'met' if met else 'MISSED'}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m playground.bench",
                                     description="Time the NumPy engine (see the module docstring).")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (very short runs, 3 repeats)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--repeats", type=int, metavar="N", help="timed runs per number (default 7)")
    parser.add_argument("--only", metavar="SECTIONS",
                        help=f"comma-separated sections from {', '.join(SECTIONS)} (default {','.join(DEFAULT_SECTIONS)})")
    parser.add_argument("--ui", action="store_true", help="add the live app in headless Chromium (slow)")
    parser.add_argument("--classroom", metavar="N,N,...",
                        help="instead: N viewers on one real server (see --classroom --help)")
    parser.add_argument("--blas-threads", type=int, metavar="N", help="limit BLAS to N threads (default: untouched)")
    parser.add_argument("--tune-malloc", action="store_true", help="glibc: keep freed memory for reuse")
    parser.add_argument("--screens", action="store_true",
                        help="instead: the screenshot tour of every page and size (see --screens --help)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if any(arg.split("=")[0] in ("--classroom", "--soak") for arg in argv):
        from .classroom import main as classroom_main  # N viewers against a real server

        return classroom_main(argv)
    if "--screens" in argv:
        from .screens import main as screens_main  # the screenshot tour

        return screens_main(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    cfg = Config(**asdict(QUICK)) if args.quick else Config()
    if args.repeats is not None:
        if args.repeats < 1:
            parser.error("argument --repeats: must be at least 1")
        cfg.repeats = args.repeats
    sections = list(DEFAULT_SECTIONS)
    if args.only:
        sections = [s.strip() for s in args.only.split(",") if s.strip()]
        unknown = [s for s in sections if s not in SECTIONS]
        if unknown:
            parser.error(f"argument --only: unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    if args.ui:
        sections += [s for s in ("ui", "responsiveness") if s not in sections]
    if args.blas_threads is not None:
        if args.blas_threads < 1:
            parser.error("argument --blas-threads: must be at least 1")
        limit_blas_threads(args.blas_threads)
    malloc_tuned = tune_malloc() if args.tune_malloc else False

    results, skipped = run_sections(sections, cfg)
    env = machine(malloc_tuned)
    if args.json:
        print(json.dumps({
            "config": asdict(cfg), "machine": env, "skipped": skipped,
            "sections": {name: [m.as_dict() for m in ms] for name, ms in results.items()},
            "targets": [{"what": w, "value": v, "goal": g, "met": ok} for w, v, g, ok in targets(results)],
        }, ensure_ascii=False))
    else:
        print(format_report(results, skipped, cfg, env))
    return 0


if __name__ == "__main__":
    sys.exit(main())
