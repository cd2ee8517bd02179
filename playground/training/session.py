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

import numpy as np

from ..datasets import DATASETS, CustomData, make_dataset, split, with_features
from ..engine import Network, layer_stats, make_optimizer
from ..settings import Settings
from .bounded import BoundedWork
from .data import SHUFFLE_STREAM, TrainingData
from .divergence import EXPLODED_COST, Divergence
from .evaluation import Evaluation
from .history import History
from .plane import InputPlane

Array = np.ndarray


class TrainingSession(TrainingData, Divergence, BoundedWork, Evaluation, InputPlane):
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

    @property
    def learning_rate(self) -> float:
        """α_t = α_0 · e^(−k·t), t counting updates."""
        s = self.settings
        return s.learning_rate * float(np.exp(-s.lr_decay * self.step)) if s.lr_decay else s.learning_rate

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"
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
            # X, Y and λ were checked when the session was made: no checks per update
            cache = self._reuse_train_forward(X) or net.forward(X, check=False)
            grads = net.backward(cache, Y, l2=l2, l1=l1, check=False)
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
