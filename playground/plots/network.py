"""The network diagram: neurons as nodes, weights as edges, and what each neuron responds to.

Edges are coloured by the sign of the weight (blue > 0, orange < 0) and drawn thicker for
larger |w|; hovering an edge's midpoint shows W[l][j, i]. When ``unit_grids`` is given, every
neuron is drawn as a thumbnail of its activation over the input plane (TensorFlow
Playground's best feature).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import BINARY_SCALE, NEGATIVE, POSITIVE, layout

THUMB_HALF = 0.42  # half the side of a thumbnail (node spacing within a layer is 1)
ASPECT = 2.6  # width / height the diagram aims for, so layers spread across the page
WIDTH_BINS = (0.25, 0.75, 1.5)  # |w| thresholds for thin / medium / thick edges
NEAR_ZERO_COLOUR = "#ced4da"


def node_positions(layer_sizes: tuple[int, ...]) -> list[np.ndarray]:
    """y coordinate of every node, centred on 0 with spacing 1."""
    return [np.arange(n) - (n - 1) / 2 for n in layer_sizes]


def layer_gap(layer_sizes: tuple[int, ...]) -> float:
    """Horizontal distance between layers, so the whole diagram is about ASPECT times wider
    than tall (nodes stay square because the axes share one scale)."""
    height = max(layer_sizes) + 0.5
    return max(1.2, ASPECT * height / max(len(layer_sizes) - 1, 1))


def network_figure(
    layer_sizes: tuple[int, ...],
    W: list,
    b: list,
    input_names: list[str] | None = None,
    unit_grids: list[np.ndarray] | None = None,
    height: int = 420,
    big: bool = False,
    near_zero: float | None = None,
    title: str = "Network: weights and what each neuron responds to",
) -> go.Figure:
    """W, b: the network's lists (index 0 unused). unit_grids: list over layers 0..L of
    (n[l], R, R) activation grids (layer 0 = the input features) or None for plain nodes.
    near_zero: weights with |w| below it are drawn as thin dotted grey lines (switched off,
    e.g. by L1) instead of by sign and size."""
    ys = node_positions(layer_sizes)
    max_n = max(layer_sizes)
    gap = layer_gap(layer_sizes)
    traces: list = []

    # Edges, grouped into a few traces (sign × thickness) so large nets stay fast to draw.
    groups: dict[tuple[str, int], tuple[list, list]] = {}
    mid_x, mid_y, mid_text = [], [], []
    scale = max(max(float(np.abs(Wl).max()) for Wl in W[1:]), 1e-12)
    for l in range(1, len(layer_sizes)):
        Wl = W[l]
        for j in range(layer_sizes[l]):
            for i in range(layer_sizes[l - 1]):
                w = float(Wl[j, i])
                width_bin = int(np.searchsorted(WIDTH_BINS, abs(w) / scale * 2))
                colour = POSITIVE if w >= 0 else NEGATIVE
                if near_zero is not None and abs(w) < near_zero:
                    colour, width_bin = NEAR_ZERO_COLOUR, -1
                xs_, ys_ = groups.setdefault((colour, width_bin), ([], []))
                xs_ += [(l - 1) * gap + THUMB_HALF, l * gap - THUMB_HALF, None]
                ys_ += [ys[l - 1][i], ys[l][j], None]
                mid_x.append((l - 0.5) * gap)
                mid_y.append((ys[l - 1][i] + ys[l][j]) / 2)
                mid_text.append(f"W[{l}][{j + 1},{i + 1}] = {w:.3f}")
    for (colour, width_bin), (xs_, ys_) in sorted(groups.items(), key=lambda item: item[0][1]):
        faint = width_bin < 0  # near-zero weights: underneath the others, dotted
        traces.append(go.Scatter(
            x=xs_, y=ys_, mode="lines", hoverinfo="skip", showlegend=False,
            line={"color": colour, "width": 1.0 if faint else 0.6 + 1.6 * width_bin, "dash": "dot" if faint else "solid"},
            opacity=0.75,
        ))
    traces.append(go.Scatter(
        x=mid_x, y=mid_y, mode="markers", marker={"size": 6, "color": "rgba(0,0,0,0)"},
        text=mid_text, hoverinfo="text", showlegend=False, name="weights",
    ))

    # Nodes: thumbnails of each unit's response, or plain squares coloured by bias.
    node_x, node_y, node_text = [], [], []
    for l, n in enumerate(layer_sizes):
        for j in range(n):
            node_x.append(l * gap)
            node_y.append(ys[l][j])
            if l == 0:
                name = input_names[j] if input_names and j < len(input_names) else f"x{j + 1}"
                node_text.append(f"input {name}")
            else:
                node_text.append(f"layer {l}, unit {j + 1}<br>b = {float(b[l][j, 0]):.3f}")
            if unit_grids is not None:
                grid = unit_grids[l][j]
                R = grid.shape[0]
                lim = float(np.abs(unit_grids[l]).max()) or 1.0
                output_probability = l == len(layer_sizes) - 1 and grid.min() >= 0 and grid.max() <= 1
                traces.append(go.Heatmap(
                    x=np.linspace(l * gap - THUMB_HALF, l * gap + THUMB_HALF, R),
                    y=np.linspace(ys[l][j] - THUMB_HALF, ys[l][j] + THUMB_HALF, R),
                    z=grid.astype(np.float32), colorscale=BINARY_SCALE, showscale=False,
                    zmin=0.0 if output_probability else -lim, zmax=1.0 if output_probability else lim,
                    hoverinfo="skip", zsmooth="fast",
                ))
    traces.append(go.Scatter(
        x=node_x, y=node_y, mode="markers", text=node_text, hoverinfo="text", showlegend=False,
        marker={"symbol": "square", "size": 1 if unit_grids is not None else 18,
                "color": "#dee2e6", "line": {"color": "#495057", "width": 1}},
        hoverlabel={"font": {"size": 14}},
    ))
    labels = ["input"] + [f"layer {l}" for l in range(1, len(layer_sizes) - 1)] + ["output"]
    return go.Figure(traces, layout(
        title, height, big,
        xaxis={"tickvals": [l * gap for l in range(len(layer_sizes))], "ticktext": labels, "showgrid": False,
               "zeroline": False, "range": [-0.6, (len(layer_sizes) - 1) * gap + 0.6]},
        yaxis={"visible": False, "range": [-max_n / 2 - 0.1, max_n / 2 + 0.1], "scaleanchor": "x",
               "scaleratio": 1, "constrain": "domain"},
        margin={"l": 20, "r": 20, "t": 50, "b": 40},
    ))
