"""A training session as data (see ``session.py``), split into its parts: ``data`` (layer sizes,
targets, mini-batches, how often to record), ``divergence`` (checks and the stop), ``bounded``
(time slices, the queue, refusals), ``evaluation`` (costs, accuracy / R², history rows),
``history`` (the bounded ``History`` of ``HistoryRow``) and ``plane`` (outputs over the input
plane). Everything is imported from ``playground.training`` as before."""

from .bounded import MAX_JOB_SECONDS, duration_text
from .data import FULL_BATCH_STRIDE, SHUFFLE_STREAM
from .divergence import EXPLODED_COST
from .evaluation import metric
from .history import History, HistoryRow
from .session import TrainingSession, write_model

__all__ = ["EXPLODED_COST", "FULL_BATCH_STRIDE", "MAX_JOB_SECONDS", "SHUFFLE_STREAM", "History", "HistoryRow",
           "TrainingSession", "duration_text", "metric", "write_model"]
