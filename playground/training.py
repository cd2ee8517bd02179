"""A training session as data: settings → data + network + optimizer, then steps.

``TrainingSession`` owns everything one experiment needs and nothing global, so every browser
session (and every notebook) has its own. One call trains k updates and appends to a bounded
``History``; a step that produces NaN/inf (or a cost that explodes) stops the session with a
"diverged at update N (layer l)" status and keeps the last finite weights.

Equal settings give bit-identical runs: data, split, initial weights and mini-batch shuffling
all come from the two seeds in the settings.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from typing import NamedTuple

import numpy as np

from .datasets import DATASETS, CustomData, make_dataset, one_hot, split, with_features
from .engine import Network, first_non_finite_layer, layer_stats, make_optimizer
from .engine.activations import OUTPUT_FOR_TASK
from .engine.stats import LayerStats
from .settings import Settings

Array = np.ndarray
EXPLODED_COST = 1e8
SHUFFLE_STREAM = 1  # the mini-batch shuffling RNG is seeded with (weight_seed, 1)
FULL_BATCH_STRIDE = 8  # full-batch runs record every 8th update in the history (see record_every)
MAX_JOB_SECONDS = 60.0  # one click may queue at most about this much training (estimated)


def duration_text(seconds: float) -> str:
    """"about 3 s", "about 2 min", "about 45 min", "about 3 h" — for a refusal up front."""
    if seconds < 90:
        return f"about {max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"about {round(seconds / 60)} min"
    return f"about {seconds / 3600:.1f} h".replace(".0 h", " h")


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


def metric(task: str, y: Array, output: Array, net: Network) -> float:
    """Accuracy for classification, R² for regression."""
    if task == "regression":
        residual = np.sum((output[0] - y) ** 2)
        total = np.sum((y - y.mean()) ** 2)
        return float(1.0 - residual / total) if total > 0 else 0.0
    return float(np.mean(net.labels_from_output(output) == y))


class TrainingSession:
    """One experiment: data, network, optimizer, counters, status and history."""

    def __init__(self, settings: Settings, custom: CustomData | None = None, max_history: int = 1000):
        self.settings = settings
        self.custom = custom
        if custom is not None:
            X, y = custom.X, custom.y
            self.task, self.n_classes, self.dataset_label = custom.task, custom.n_classes, custom.name
        else:
            info = DATASETS[settings.dataset]
            X, y = make_dataset(settings.dataset, settings.n_samples, settings.noise, settings.data_seed)
            self.task, self.n_classes, self.dataset_label = info.task, info.n_classes, info.label
        X_train, X_test, y_train, y_test = split(
            X, y, settings.test_ratio, settings.data_seed, stratify=self.task != "regression"
        )
        # Rows (m, 2) are kept for plotting; the network sees columns (n_x, m).
        self.points_train, self.points_test = X_train, X_test
        self.y_train, self.y_test = y_train, y_test
        self.X_train = with_features(X_train, settings.features).T
        self.Y_train = self._targets(y_train)
        if X_test is X_train:  # no held-out set (test ratio 0, the 4-point gates): one evaluation serves both
            self.X_test, self.Y_test = self.X_train, self.Y_train
        else:
            self.X_test = with_features(X_test, settings.features).T
            self.Y_test = self._targets(y_test)
        self._target_bound = float(np.abs(self.Y_train).max(initial=0.0))
        self.max_history = max_history
        self.reset()

    # -- construction --------------------------------------------------------------------
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

    def reset(self) -> None:
        """Back to the initial weights of the weight seed, step 0, empty history."""
        s = self.settings
        self.net = Network(self.layer_sizes, s.activation, self.output_activation, s.initializer_spec, s.weight_seed,
                           **s.network_options())
        self.optimizer = make_optimizer(s.optimizer)
        self.shuffle_rng = np.random.default_rng([s.weight_seed, SHUFFLE_STREAM])
        self.step = 0
        self.epoch = 0  # passes over the training set completed, counted as they happen
        self.pending = 0  # updates a Step asked for and not yet run (see queue / run_pending)
        self._seconds_per_update: float | None = None
        self._batches: list[tuple[Array, Array]] = []
        self._previous = self.net.snapshot()
        self._previous_epoch = 0
        self._train_forward = None
        self.status = "ready"
        self.message = ""
        self.diverged_layer: int | None = None
        self._unrecorded = None
        self._history = History(self.max_history, self.record_every())
        self._latest_stats = self._record(self.full_batch_stats())

    def update_hyperparameters(self, **changes) -> None:
        """Change learning rate, L2, L1, dropout rate, decay or batch size mid-run, without a
        reset. (Batch norm and skips change the network itself: a new session.)"""
        allowed = {"learning_rate", "l2", "l1", "dropout", "lr_decay", "batch_size"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"{sorted(unknown)} cannot change during a run; start a new session")
        if "batch_size" in changes and changes["batch_size"] != self.settings.batch_size:
            self._batches = []  # the new size applies from the next mini-batch on
        self.settings = self.settings.replace(**changes)
        self.net.keep_prob = self.settings.keep_prob  # masks from the same stream, at the new rate

    # -- facts ---------------------------------------------------------------------------
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

    @property
    def learning_rate(self) -> float:
        """α_t = α_0 · e^(−k·t), t counting updates."""
        s = self.settings
        return s.learning_rate * float(np.exp(-s.lr_decay * self.step)) if s.lr_decay else s.learning_rate

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"

    # -- training ------------------------------------------------------------------------
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

    def train(self, k: int = 1, time_budget: float | None = None) -> int:
        """Run up to k updates (stopping early after ``time_budget`` seconds or on
        divergence). Returns how many updates were applied."""
        if self.diverged:
            return 0
        net, l2, l1 = self.net, self.settings.l2, self.settings.l1
        started = time.perf_counter()
        deadline = None if time_budget is None else started + time_budget
        done = 0
        while done < k:
            X, Y = self._next_batch()
            cache = self._reuse_train_forward(X) or net.forward(X)
            grads = net.backward(cache, Y, l2=l2, l1=l1)
            if not (self._cost_cannot_have_exploded(cache.Z[-1]) and self._grads_finite(grads)):
                cost = net.loss.cost(cache.Z[-1], cache.A[-1], Y)
                if not np.isfinite(cost) or cost > EXPLODED_COST or not self._grads_finite(grads):
                    self._stop_diverged(cache, grads, cost)
                    break
            self._previous = net.snapshot()  # references: updates make new arrays
            self._previous_epoch = self.epoch
            self.optimizer.update(net, grads, self.learning_rate)
            self.step += 1
            done += 1
            self._unrecorded = None
            if not self._batches:  # that batch ended a pass over the training set (every
                self.epoch += 1  # full-batch update does); a batch-size change starts a new pass
            if self._history.wants(self.step):
                if not self._weights_finite():
                    self._stop_diverged(None, None, float("inf"))
                    break
                self._latest_stats = self._record(layer_stats(net, cache, grads))
            if deadline is not None and time.perf_counter() > deadline:
                break
        if done and not self.diverged and self._history.rows[-1].step != self.step:
            # ``latest`` must show the current step even when the history keeps only every
            # n-th update (one Step press must show its effect): the row for it is recorded
            # when someone reads it (``_flush``), so a caller that trains in many short calls
            # (the live scheduler) evaluates at most once per look, not once per call.
            if self._weights_finite():
                self._unrecorded = (cache, grads)
            else:
                self._stop_diverged(None, None, float("inf"))
        if done:
            self._seconds_per_update = (time.perf_counter() - started) / done
        return done

    def train_epochs(self, n: int = 1) -> int:
        return self.train(n * self.updates_per_epoch)

    def _cost_cannot_have_exploded(self, ZL: Array) -> bool:
        """A bound instead of the cost itself (computing the cost every update made training
        ~20% slower): each example's loss is at most n_y · (max|z| + max|y| + 1)² for all three
        losses (cross-entropies grow like |z|, squared error like (|z| + |y|)²), so below
        ``EXPLODED_COST`` nothing exploded. False when Z[L] is not finite."""
        z = max(float(ZL.max()), -float(ZL.min()))
        return ZL.shape[0] * (z + self._target_bound + 1.0) ** 2 <= EXPLODED_COST

    # -- bounded work: a big Step runs in slices, can be stopped, and is refused if too long ----
    def seconds_per_update(self) -> float:
        """Measured cost of one update (with its share of history evaluations): from the last
        ``train`` call, or — before any — by timing one forward and backward pass on a batch
        (nothing changes). Times 1.3 for the periodic evaluations of the whole data."""
        if self._seconds_per_update is None:
            X, Y = self.X_train[:, : self.batch_size], self.Y_train[:, : self.batch_size]
            probe = self.net.copy()  # a training pass moves batch-norm averages and the dropout stream
            best = float("inf")
            for _ in range(3):  # the fastest of three: one pass can be hit by a busy machine
                started = time.perf_counter()
                with np.errstate(all="ignore"):
                    probe.backward(probe.forward(X), Y, l2=self.settings.l2, l1=self.settings.l1)
                best = min(best, time.perf_counter() - started)
            self._seconds_per_update = 1.3 * best + 2e-5
        return self._seconds_per_update

    def estimate_seconds(self, updates: int) -> float:
        return updates * self.seconds_per_update()

    def queue(self, updates: int, max_seconds: float = MAX_JOB_SECONDS) -> str | None:
        """Ask for ``updates`` more updates, to be run by ``run_pending`` in time slices. Refused
        (returns the message saying why, and nothing is queued) when they would take longer
        than ``max_seconds`` on this machine, or the run has diverged."""
        refused = self.refusal(updates, max_seconds)
        if refused is None:
            self.pending += int(updates)
        return refused

    def refusal(self, updates: int, max_seconds: float = MAX_JOB_SECONDS) -> str | None:
        """Why ``queue(updates)`` would refuse (None: it would not)."""
        if self.diverged:
            return "Training stopped (diverged): press Reset first."
        seconds = self.estimate_seconds(updates)
        if seconds > max_seconds:
            return (f"{updates:,} updates of this network would take {duration_text(seconds)} here "
                    f"(the limit for one click is {duration_text(max_seconds)}) — lower the number of "
                    "updates (a smaller step) or the size (fewer or narrower layers, fewer points, "
                    "larger batches).")
        return None

    def run_pending(self, time_budget: float) -> int:
        """Run queued updates for at most ``time_budget`` seconds; returns how many ran."""
        if self.pending <= 0:
            return 0
        done = self.train(self.pending, time_budget=time_budget)
        self.pending = 0 if self.diverged or done == 0 else self.pending - done
        return done

    def cancel_pending(self) -> None:
        """Stop: drop the updates still queued (the ones already run stay)."""
        self.pending = 0

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

    # -- evaluation ----------------------------------------------------------------------
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
        if self._unrecorded is not None:
            cache, grads = self._unrecorded
            self._unrecorded = None
            self._latest_stats = self._record(layer_stats(self.net, cache, grads))

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

    # -- the input plane -----------------------------------------------------------------
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


def write_model(file, session: TrainingSession) -> None:
    """``np.savez`` to a path or binary file: W1..WL, b1..bL in lecture shapes (with batch norm
    also gamma1.., beta1.., running_mean1.., running_var1.. of the hidden layers), the settings as
    JSON under "settings" (``Settings(**json.loads(...))`` rebuilds them) and facts about the
    run (layer sizes, activations, updates, status) as JSON under "training". The command
    line's ``--save`` and the app's download both write this."""
    net = session.net
    training = {"layer_sizes": list(net.layer_sizes), "hidden_activation": net.hidden_activation,
                "output_activation": net.output_activation, "updates": session.step, "status": session.status}
    np.savez(file, **net.parameters(), settings=json.dumps(asdict(session.settings)),
             training=json.dumps(training))
