"""Bounded work: a big Step runs in time slices, can be stopped, and is refused up front when
it would take too long (a part of ``TrainingSession``)."""

from __future__ import annotations

import time

import numpy as np

MAX_JOB_SECONDS = 60.0  # one click may queue at most about this much training (estimated)


def duration_text(seconds: float) -> str:
    """"about 3 s", "about 2 min", "about 45 min", "about 3 h" — for a refusal up front."""
    if seconds < 90:
        return f"about {max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"about {round(seconds / 60)} min"
    return f"about {seconds / 3600:.1f} h".replace(".0 h", " h")

class BoundedWork:
    """The cost estimate per update, the queue of pending updates and the refusal message."""

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
