"""Chart updates for the live socket: only the new numbers of the figures the page drew.

Each function returns a :class:`Chart` whose ``build(session, cursor)`` gives Plotly ops (see
``stream/__init__``) for a figure made by a pure builder in ``playground/plots``: the same
traces in the same order, so the browser patches what the page drew. The cursor remembers what
was sent; None (after a rerun, reset or step) sends everything again.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...plots.curves import gradient_row_labels, gradient_scale, gradient_value_text, log_safe
from ...training import History
from .scheduler import MESSAGE_INTERVAL, Chart

COST_SERIES = ("train_cost", "test_cost", "train_metric", "test_metric")  # cost_figure's traces 0–3


def _column(history: History, name: str, start: int) -> np.ndarray:
    index = History.COLUMNS.index(name)
    return np.array([row[index] for row in history.rows[start:]], dtype=float)


def history_ops(history: History, cursor, series: Callable[[int], list[np.ndarray]], traces: list[int]):
    """Ops that bring lines drawn from ``history`` up to date: new rows appended
    (``extendTraces``) while the history only grew, all rows otherwise (a new history, or one
    that thinned itself out). ``series(start)`` gives one y array per trace from row ``start``."""
    n = len(history.rows)
    if cursor is not None and cursor[0] is history and cursor[1] == history.stride and cursor[2] <= n:
        start = cursor[2]
        if start == n:
            return [], cursor
        steps = _column(history, "step", start)
        ys = series(start)
        return [{"op": "extend", "traces": traces, "x": [steps] * len(ys), "y": ys}], (history, history.stride, n)
    steps = _column(history, "step", 0)
    ys = series(0)
    return ([{"op": "restyle", "traces": traces, "update": {"x": [steps] * len(ys), "y": ys}}],
            (history, history.stride, n))


def cost_chart(key: str, interval: float = MESSAGE_INTERVAL) -> Chart:
    """``cost_figure``: train/test cost and metric over updates."""
    def build(session, cursor):
        h = session.history
        return history_ops(h, cursor, lambda start: [_column(h, name, start) for name in COST_SERIES],
                           list(range(len(COST_SERIES))))
    return Chart(key, build, interval)


def gradient_chart(key: str, interval: float = MESSAGE_INTERVAL) -> Chart:
    """``gradient_figure``: the bars (now, horizontal, log x) and one line per layer (over
    training); the axes' ranges and the row labels (saturated/dead shares) when they change."""
    def build(session, cursor):
        h, stats = session.history, session.latest_stats
        norms = stats.grad_norm_W
        L = len(norms)
        lines, axes = (None, None) if cursor is None else cursor

        def series(start: int) -> list[np.ndarray]:
            matrix = np.array(h.grad_norms[start:]).T  # (L, rows)
            return [log_safe(matrix[l]) for l in range(L)]

        ops = [{"op": "restyle", "traces": [0], "update": {"x": [log_safe(norms)], "text": [gradient_value_text(norms)]}}]
        line_ops, lines = history_ops(h, lines, series, list(range(1, L + 1)))
        ops += line_ops
        bottom, top, dtick = gradient_scale(norms, h.layer_matrix("grad_norms"))
        span = top - bottom
        layout = {"xaxis.range": [bottom, top + 0.25 * span + 0.6], "xaxis.dtick": dtick,
                  "yaxis2.range": [bottom, top], "yaxis2.dtick": dtick,
                  "yaxis.ticktext": gradient_row_labels(stats.saturated_fraction, stats.dead_fraction)}
        if layout != axes:
            ops.append({"op": "relayout", "update": layout})
        return ops, (lines, layout)
    return Chart(key, build, interval)


def parts_chart(key: str, parts: Callable[[object], tuple[list[dict], dict]], interval: float = 0.2) -> Chart:
    """A view whose builder also gives its traces and layout as plain dicts (e.g.
    ``plots.network.network_parts``): no Plotly validation on the server, arrays as binary."""
    def build(session, cursor):
        data, layout = parts(session)
        return [{"op": "react", "data": data, "layout": layout}], None
    return Chart(key, build, interval)


def figure_chart(key: str, figure: Callable[[object], object], interval: float = 0.5) -> Chart:
    """Any view: the whole figure from its builder (for the slower views of the other pages)."""
    def build(session, cursor):
        return [{"op": "figure", "figure": figure(session).to_json()}], None
    return Chart(key, build, interval)
