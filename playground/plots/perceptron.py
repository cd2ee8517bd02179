"""Figures for the Perceptron page: arrays in, ``plotly.graph_objects.Figure`` out.

Colours follow one rule on every figure: blue means output/target 1, orange means 0. Points
are filled with their *target* colour; the shaded half-planes show what the unit *outputs*,
so a point sitting on the wrong colour is a row the weights get wrong. Sizes are fixed and
fonts are at least 14 px so the figures read on a projector.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

Array = np.ndarray

ONE, ZERO = "#1c7ed6", "#f08c00"  # class 1 blue, class 0 orange, as on the other pages
ONE_FILL, ZERO_FILL = "rgba(28, 126, 214, 0.16)", "rgba(240, 140, 0, 0.18)"
RIGHT, WRONG = "#2b8a3e", "#c92a2a"
LINE = "#212529"
HIDDEN_COLOURS = ("#7048e8", "#0ca678", "#f08c00", "#d6336c")
FONT = {"size": 16}
TITLE_FONT = {"size": 19}
TICK_FONT = {"size": 14}
WEIGHT_COLOURS = {"w0": "#495057", "w1": "#7048e8", "w2": "#0ca678"}


def _axis(title: str, **extra) -> dict:
    return {"title": {"text": title, "font": FONT}, "tickfont": TICK_FONT, "zeroline": False,
            "gridcolor": "#e9ecef", **extra}


def _layout(title: str, height: int, xaxis: dict, yaxis: dict, **extra) -> dict:
    """One layout dict (built once: repeated ``update_*`` calls are slow in a live view)."""
    return {
        "title": {"text": title, "font": TITLE_FONT, "x": 0.01, "xanchor": "left"},
        "height": height,
        "font": FONT,
        "margin": {"l": 64, "r": 24, "t": 56, "b": 110},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "legend": {"font": {"size": 15}, "orientation": "h", "yref": "container", "yanchor": "bottom",
                   "y": 0.0, "x": 0.0},
        "xaxis": xaxis,
        "yaxis": yaxis,
        **extra,
    }


def half_plane(a: float, b: float, c: float, box: Sequence[float]) -> Array:
    """Polygon (k, 2) of the part of ``box = (u0, u1, v0, v1)`` where a·u + b·v + c > 0.

    One clipping pass (Sutherland–Hodgman) of the box's corners against the line; an empty
    (0, 2) array when the whole box is on the other side.
    """
    u0, u1, v0, v1 = box
    corners = np.array([[u0, v0], [u1, v0], [u1, v1], [u0, v1]], dtype=float)
    side = corners @ np.array([a, b]) + c
    polygon = []
    for i in range(4):
        p, q = corners[i], corners[(i + 1) % 4]
        sp, sq = side[i], side[(i + 1) % 4]
        if sp > 0:
            polygon.append(p)
        if (sp > 0) != (sq > 0) and sp != sq:
            polygon.append(p + (q - p) * sp / (sp - sq))
    return np.array(polygon).reshape(-1, 2)


def _fill(polygon: Array, colour: str, name: str, showlegend: bool) -> go.Scatter:
    closed = np.vstack([polygon, polygon[:1]])
    return go.Scatter(x=closed[:, 0], y=closed[:, 1], fill="toself", fillcolor=colour, mode="none",
                      name=name, hoverinfo="skip", showlegend=showlegend)


def _line_segment(a: float, b: float, c: float, box: Sequence[float]) -> Array | None:
    """The part of the line a·u + b·v + c = 0 inside the box, as two points (or None)."""
    u0, u1, v0, v1 = box
    points = []
    if abs(b) > 1e-12:
        points += [(u, -(a * u + c) / b) for u in (u0, u1)]
    if abs(a) > 1e-12:
        points += [(-(b * v + c) / a, v) for v in (v0, v1)]
    inside = [(u, v) for u, v in points if u0 - 1e-9 <= u <= u1 + 1e-9 and v0 - 1e-9 <= v <= v1 + 1e-9]
    if len(inside) < 2:
        return None
    inside = np.array(inside)
    pairs = [(i, j) for i in range(len(inside)) for j in range(i + 1, len(inside))]
    i, j = max(pairs, key=lambda ij: np.sum((inside[ij[0]] - inside[ij[1]]) ** 2))
    return inside[[i, j]]


def _halves(a: float, b: float, c: float, box: Sequence[float], line_name: str = "boundary s = 0",
            showlegend: bool = True) -> list:
    """Traces shading a·u + b·v + c > 0 blue and the rest orange, then the line itself."""
    traces = []
    for polygon, colour, name in (
        (half_plane(a, b, c, box), ONE_FILL, "outputs 1 here"),
        (half_plane(-a, -b, -c + 1e-12, box), ZERO_FILL, "outputs 0 here"),
    ):
        if len(polygon):
            traces.append(_fill(polygon, colour, name, showlegend=False))
    segment = _line_segment(a, b, c, box)
    if segment is not None:
        traces.append(go.Scatter(x=segment[:, 0], y=segment[:, 1], mode="lines", name=line_name,
                                 line={"color": LINE, "width": 4}, showlegend=showlegend, hoverinfo="skip"))
    return traces


def _label_side(coords: Array, i: int) -> str:
    """Above the point, unless another point sits just above it (rows that land close together
    in hidden-unit space): then below, so the two labels do not cover each other."""
    span = max(float(np.ptp(coords, axis=0).max()), 1e-9)
    dx, dy = np.abs(coords[:, 0] - coords[i, 0]), coords[:, 1] - coords[i, 1]
    earlier = np.arange(len(coords)) < i  # two points at the same height: the later one goes below
    crowded = (dx < 0.35 * span) & ((dy > 0) | ((dy == 0) & earlier)) & (dy < 0.35 * span)
    return "bottom center" if crowded.any() else "top center"


def _points(coords: Array, targets: Sequence[int], correct: Sequence[bool], labels: Sequence[str]) -> list:
    """The truth-table rows: filled by target colour, ringed green (right) or red (wrong)."""
    targets, correct = np.asarray(targets), np.asarray(correct, dtype=bool)
    traces = []
    for value, colour in ((1, ONE), (0, ZERO)):
        keep = np.flatnonzero(targets == value)
        if not len(keep):
            continue
        traces.append(go.Scatter(
            x=coords[keep, 0], y=coords[keep, 1], mode="markers+text",
            marker={"size": 26, "color": colour, "line": {"color": [RIGHT if correct[i] else WRONG for i in keep],
                                                          "width": 4}},
            text=[f"{labels[i]} {'✓' if correct[i] else '✗'}" if labels[i] else "" for i in keep],
            textposition=[_label_side(coords, i) for i in keep],
            textfont={"size": 17, "color": LINE},
            name=f"target {value}", showlegend=False, hovertemplate="(%{x:.2f}, %{y:.2f})<extra>target " + str(value) + "</extra>",
        ))
    return traces


CORNER_LABELS = ("(0,0)", "(0,1)", "(1,0)", "(1,1)")


def gate_figure(weights: Sequence[float], rows: Array, targets: Sequence[int],
                title: str = "The input rows and the line s = 0") -> go.Figure:
    """The corner points with the decision line w0 + w1·x1 + w2·x2 = 0 and shaded half-planes.

    rows: (m, n_inputs) of 0/1. With one input (NOT) the points sit on the x1 axis and the
    boundary is the point x1 = -w0 / w1, drawn as a vertical line.
    """
    rows = np.asarray(rows, dtype=float)
    w = np.asarray(weights, dtype=float)
    one_input = rows.shape[1] == 1
    box = (-0.5, 1.5, -0.6, 0.6) if one_input else (-0.5, 1.5, -0.5, 1.5)
    if one_input:
        coords = np.column_stack([rows[:, 0], np.zeros(len(rows))])
        a, b, c = w[1], 0.0, w[0]
        labels = [f"x1={int(r[0])}" for r in rows]
    else:
        coords, (a, b, c) = rows, (w[1], w[2], w[0])
        labels = [f"({int(r[0])},{int(r[1])})" for r in rows]
    correct = ((c + coords @ np.array([a, b])) > 0).astype(int) == np.asarray(targets)
    annotations = []
    segment = _line_segment(a, b, c, box)
    if segment is not None:  # an arrow along (w1, w2), towards the side where s grows
        normal = np.array([a, b]) / np.hypot(a, b)
        spots = [segment[0] + t * (segment[1] - segment[0]) for t in (0.5, 0.35, 0.65, 0.2, 0.8)]
        clear = [p for p in spots if np.min(np.hypot(*(coords - p).T)) > 0.3]  # not on top of a row
        foot = (clear or spots)[0]
        tip = foot + 0.3 * normal
        annotations.append({"x": tip[0], "y": tip[1], "ax": foot[0], "ay": foot[1], "xref": "x", "yref": "y",
                            "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 3, "arrowwidth": 3,
                            "arrowcolor": LINE, "text": ""})
    xaxis = _axis("x1", range=box[:2], dtick=0.5)
    yaxis = ({"range": box[2:], "visible": False} if one_input
             else _axis("x2", range=box[2:], dtick=0.5, scaleanchor="x", scaleratio=1))
    layout = _layout(title, 360 if one_input else 470, xaxis, yaxis, annotations=annotations, showlegend=False)
    layout["margin"]["b"] = 60
    return go.Figure(_halves(a, b, c, box) + _points(coords, targets, correct, labels), layout)


def rule_history_figure(history: Array, mistake_steps: Sequence[int], epoch_mistakes: Sequence[int],
                        title: str = "The perceptron rule: weights and mistakes") -> go.Figure:
    """Left: w0, w1 (, w2) after each example (x = examples presented; mistakes marked).
    Right: mistakes per finished epoch.

    history: (n + 1, k) weights before the first example and after each; mistake_steps: the
    example numbers (1-based) that were mistakes.
    """
    history = np.asarray(history, dtype=float)
    steps = np.arange(len(history))
    traces = [
        go.Scatter(x=steps, y=history[:, k], mode="lines", name=f"w{k}" + (" (bias)" if k == 0 else ""),
                   line={"color": WEIGHT_COLOURS[f"w{k}"], "width": 3, "shape": "hv"}, xaxis="x", yaxis="y")
        for k in range(history.shape[1])
    ]
    if len(mistake_steps):
        low = history.min() - 0.4
        traces.append(go.Scatter(x=list(mistake_steps), y=[low] * len(mistake_steps), mode="markers",
                                 marker={"symbol": "triangle-up", "size": 12, "color": WRONG},
                                 name="mistake → update", xaxis="x", yaxis="y"))
    epochs = list(range(1, len(epoch_mistakes) + 1))
    traces.append(go.Bar(  # a clean epoch gets a thin green bar so that "0" is visible
        x=epochs, y=[max(m, 0.06) for m in epoch_mistakes], text=[str(m) for m in epoch_mistakes],
        textposition="outside", textfont={"size": 15}, marker_color=[WRONG if m else RIGHT for m in epoch_mistakes],
        name="mistakes in the epoch", showlegend=False, xaxis="x2", yaxis="y2", cliponaxis=False,
        hovertemplate="epoch %{x}: %{text} mistakes<extra></extra>"))
    layout = _layout(
        title, 420,
        _axis("examples presented", domain=[0, 0.6], rangemode="tozero"),
        _axis("weight value"),
        xaxis2=_axis("epoch", domain=[0.72, 1], anchor="y2", dtick=1 if len(epochs) <= 12 else None),
        yaxis2=_axis("mistakes in the epoch", anchor="x2", range=[0, 4.8], dtick=1),
    )
    return go.Figure(traces, layout)


def network_boundary_figure(axis: Array, probabilities: Array, W1: Array, b1: Array,
                            targets: Sequence[int], outputs: Sequence[float],
                            title: str = "Network boundary and hidden-unit lines") -> go.Figure:
    """P(output = 1) over the unit square (shaded), its 0.5 contour, and one dashed line per
    hidden unit (W1[j]·x + b1[j] = 0).

    axis: (r,) grid coordinates; probabilities: (r, r) indexed [x2, x1]; W1: (n_h, 2);
    b1: (n_h,); outputs: the network's P(1) at the four corners (rows 00, 01, 10, 11).
    """
    lo, hi = float(axis[0]), float(axis[-1])
    traces = [
        go.Heatmap(x=axis, y=axis, z=probabilities.astype(np.float32), zmin=0, zmax=1, opacity=0.6, zsmooth="best",
                   colorscale=[[0, ZERO], [0.5, "#ffffff"], [1, ONE]], showscale=False,
                   hovertemplate="x1=%{x:.2f}, x2=%{y:.2f}<br>P(1)=%{z:.2f}<extra></extra>"),
        go.Contour(x=axis, y=axis, z=probabilities, contours={"start": 0.5, "end": 0.5, "size": 1, "coloring": "none"},
                   line={"color": LINE, "width": 4}, showscale=False, name="P = 0.5", showlegend=True,
                   hoverinfo="skip"),
    ]
    for j in range(len(b1)):
        segment = _line_segment(W1[j, 0], W1[j, 1], b1[j], (lo, hi, lo, hi))
        if segment is not None:
            traces.append(go.Scatter(x=segment[:, 0], y=segment[:, 1], mode="lines", name=f"unit {j + 1}",
                                     line={"color": HIDDEN_COLOURS[j % len(HIDDEN_COLOURS)], "width": 3, "dash": "dash"},
                                     hoverinfo="skip"))
    correct = (np.asarray(outputs) > 0.5).astype(int) == np.asarray(targets)
    traces += _points(np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float), targets, correct, CORNER_LABELS)
    layout = _layout(title, 520, _axis("x1", range=[lo, hi], showgrid=False),
                     _axis("x2", range=[lo, hi], showgrid=False, scaleanchor="x", scaleratio=1))
    return go.Figure(traces, layout)


def hidden_space_figure(coords: Array, targets: Sequence[int], line: Sequence[float],
                        axis_titles: Sequence[str], outputs: Sequence[float],
                        title: str = "The four rows in hidden-unit space") -> go.Figure:
    """The rows where the hidden layer puts them (coords (4, 2)) and the output unit's line
    line[0]·u + line[1]·v + line[2] = 0 there, with its two sides shaded."""
    coords = np.asarray(coords, dtype=float)
    span = float(np.ptp(coords, axis=0).max())
    centre = (coords.min(axis=0) + coords.max(axis=0)) / 2
    half = max(span / 2 + max(0.25 * span, 0.3), 0.6)
    box = (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)
    correct = (np.asarray(outputs) > 0.5).astype(int) == np.asarray(targets)
    labels = list(CORNER_LABELS)
    for i, j in itertools.combinations(range(len(coords)), 2):  # rows the hidden layer merged: one label
        if labels[i] and labels[j] and np.hypot(*(coords[i] - coords[j])) < 0.06 * 2 * half:
            labels[i], labels[j] = f"{labels[i]} & {labels[j]}", ""
    traces = _halves(*line, box, line_name="output unit's line") + _points(coords, targets, correct, labels)
    layout = _layout(title, 520, _axis(axis_titles[0], range=box[:2]),
                     _axis(axis_titles[1], range=box[2:], scaleanchor="x", scaleratio=1), showlegend=False)
    layout["margin"]["b"] = 90
    return go.Figure(traces, layout)
