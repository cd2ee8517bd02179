"""The network diagram: neurons as nodes, weights as edges, and what each neuron responds to.

Edges are coloured by the sign of the weight (blue > 0, orange < 0) and drawn thicker for
larger |w|; hovering an edge's midpoint shows W[l][j, i]. When ``unit_grids`` is given, every
neuron is drawn as a thumbnail of its activation over the input plane (TensorFlow
Playground's best feature).
"""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np
import plotly.graph_objects as go

from .style import BINARY_SCALE, NEGATIVE, POSITIVE, font_sizes, hex_to_rgb, layout

THUMB_SIZE = 0.84  # a thumbnail's box: 0.84 of the node spacing (1) high, and at most
LAYER_SHARE = 0.55  # this share of the distance between two layers wide; drawn square inside it
WIDTH_BINS = (0.1, 0.25, 0.5)  # |w| / max|w| thresholds for faint / thin / medium / thick edges
EDGE_STYLE = ((0.5, 0.12), (1.0, 0.35), (2.0, 0.6), (3.4, 0.85))  # (width px, opacity) per bin: small weights fade
MAX_EDGES = 600  # beyond this, only the strongest weights of each layer are drawn (the title says so)
FEATURE_LABELS = {"x1^2": "x1²", "x2^2": "x2²", "x1*x2": "x1·x2"}
LABEL_ROOM = 0.95  # x units left of the inputs for their names ("sin(x1)")
NEAR_ZERO_COLOUR = "#ced4da"


def feature_label(name: str) -> str:
    """How an input feature is written on the diagram (x1^2 → x1²)."""
    return FEATURE_LABELS.get(name, name)


def node_positions(layer_sizes: tuple[int, ...]) -> list[np.ndarray]:
    """y coordinate of every node, centred on 0 with spacing 1 (layer l sits at x = l)."""
    return [np.arange(n) - (n - 1) / 2 for n in layer_sizes]


def strongest_edges(W: list, budget: int = MAX_EDGES) -> list[np.ndarray]:
    """Per layer, a boolean mask of the edges to draw: all of them while the network has at
    most ``budget`` weights, else the largest |w| of each layer (each layer keeps its share)."""
    total = sum(Wl.size for Wl in W[1:])
    masks = [np.ones((0, 0), bool)]
    for Wl in W[1:]:
        if total <= budget:
            masks.append(np.ones(Wl.shape, bool))
            continue
        keep = max(1, int(budget * Wl.size / total))
        threshold = np.partition(np.abs(Wl).ravel(), Wl.size - keep)[Wl.size - keep]
        masks.append(np.abs(Wl) >= threshold)
    return masks


def _rgb_table(scale: list, n: int = 256) -> np.ndarray:
    """A colour scale as an (n, 3) uint8 lookup table."""
    stops = np.array([s for s, _ in scale])
    colours = np.array([hex_to_rgb(c) for _, c in scale], dtype=float)
    t = np.linspace(0, 1, n)
    return np.stack([np.interp(t, stops, colours[:, k]) for k in range(3)], axis=1).round().astype(np.uint8)


_TABLE = None


def thumbnail_png(values: np.ndarray) -> str:
    """A (R, R) array in [0, 1] (row 0 = bottom of the plane) as a PNG data URI coloured with
    BINARY_SCALE: a few hundred bytes, drawn by the browser as an image that stays square."""
    global _TABLE
    if _TABLE is None:
        _TABLE = _rgb_table(BINARY_SCALE)
    index = np.clip(np.nan_to_num(values, nan=0.5) * 255, 0, 255).astype(np.uint8)
    rgb = _TABLE[index[::-1]]  # image rows run top to bottom
    height, width = rgb.shape[:2]
    raw = b"".join(b"\x00" + row.tobytes() for row in rgb)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def network_figure(*args, **kwargs) -> go.Figure:
    """The network diagram (arguments and drawing: ``network_parts``)."""
    return go.Figure(*network_parts(*args, **kwargs))


def network_parts(
    layer_sizes: tuple[int, ...],
    W: list,
    b: list,
    input_names: list[str] | None = None,
    unit_grids: list[np.ndarray] | None = None,
    height: int = 420,
    big: bool = False,
    near_zero: float | None = None,
    title: str | None = None,
) -> tuple[list[dict], dict]:
    """The diagram's traces and layout as plain Plotly dicts (no validation: the live socket
    rebuilds them several times a second; ``network_figure`` wraps them in a Figure).

    W, b: the network's lists (index 0 unused). unit_grids: list over layers 0..L of
    (n[l], R, R) activation grids (layer 0 = the input features) or None for plain nodes.
    near_zero: weights with |w| below it are drawn as thin dotted grey lines (switched off,
    e.g. by L1) instead of by sign and size.

    Edges: blue > 0, orange < 0, thicker and more opaque for larger |w| (small weights fade);
    past ``MAX_EDGES`` weights only the strongest of each layer are drawn. Thumbnails are
    images that stay square at any width, so the diagram fills a phone as well as a wall.
    Inputs are labelled (x1, x2, x1², …) beside their nodes."""
    ys = node_positions(layer_sizes)
    max_n = max(layer_sizes)
    L = len(layer_sizes) - 1
    size, small = font_sizes(big)
    traces: list = []

    # Edges, grouped into a few traces (sign × thickness) so large nets stay fast to draw.
    masks = strongest_edges(W)
    shown = int(sum(m.sum() for m in masks[1:]))
    total = sum(Wl.size for Wl in W[1:])
    groups: dict[tuple[str, int], tuple[list, list]] = {}
    mid_x, mid_y, mid_text = [], [], []
    scale = max(max(float(np.abs(Wl).max()) for Wl in W[1:]), 1e-12)
    for l in range(1, L + 1):
        Wl = W[l]
        for j, i in zip(*np.nonzero(masks[l])):
            w = float(Wl[j, i])
            width_bin = int(np.searchsorted(WIDTH_BINS, abs(w) / scale))
            colour = POSITIVE if w >= 0 else NEGATIVE
            if near_zero is not None and abs(w) < near_zero:
                colour, width_bin = NEAR_ZERO_COLOUR, -1
            xs_, ys_ = groups.setdefault((colour, width_bin), ([], []))
            xs_ += [l - 1, l, np.nan]  # NaN: a gap between segments (arrays, not lists with None,
            ys_ += [ys[l - 1][i], ys[l][j], np.nan]  # skip Plotly's per-element validation)
            mid_x.append(l - 0.5)
            mid_y.append((ys[l - 1][i] + ys[l][j]) / 2)
            mid_text.append(f"W[{l}][{j + 1},{i + 1}] = {w:.3f}")
    for (colour, width_bin), (xs_, ys_) in sorted(groups.items(), key=lambda item: item[0][1]):
        faint = width_bin < 0  # near-zero weights: underneath the others, dotted
        width, opacity = (1.0, 0.75) if faint else EDGE_STYLE[width_bin]
        traces.append(dict(
            type="scatter", x=np.array(xs_), y=np.array(ys_), mode="lines", hoverinfo="skip", showlegend=False,
            line={"color": colour, "width": width * (1.3 if big else 1.0), "dash": "dot" if faint else "solid"},
            opacity=opacity,
        ))
    traces.append(dict(
        type="scatter", x=np.array(mid_x), y=np.array(mid_y), mode="markers",
        marker={"size": 6, "color": "rgba(0,0,0,0)"}, text=mid_text, hoverinfo="text", showlegend=False,
        name="weights",
    ))

    # Nodes: a thumbnail of each unit's response over the plane (layout images, on top of the
    # edges' ends), or plain squares; an invisible marker per node carries the hover text.
    names = [feature_label(n) for n in (input_names or [])]
    names += [f"x{j + 1}" for j in range(len(names), layer_sizes[0])]
    images = []
    if unit_grids is not None:
        for l in range(L + 1):
            grids = np.asarray(unit_grids[l], dtype=float)
            if l == L and grids.min() >= 0 and grids.max() <= 1:
                unit = grids  # output probabilities: 0 → orange, 1 → blue
            else:
                lim = float(np.abs(grids).max()) or 1.0
                unit = (grids / lim + 1) / 2
            for j in range(layer_sizes[l]):
                images.append({"source": thumbnail_png(unit[j]), "xref": "x", "yref": "y", "x": l, "y": ys[l][j],
                               "sizex": LAYER_SHARE, "sizey": THUMB_SIZE, "sizing": "contain", "xanchor": "center",
                               "yanchor": "middle", "layer": "above"})
    node_x, node_y, node_text = [], [], []
    for l, n in enumerate(layer_sizes):
        for j in range(n):
            node_x.append(l)
            node_y.append(ys[l][j])
            node_text.append(f"input {names[j]}" if l == 0 else f"layer {l}, unit {j + 1}<br>b = {float(b[l][j, 0]):.3f}")
    traces.append(dict(
        type="scatter", x=np.array(node_x), y=np.array(node_y), mode="markers", text=node_text, hoverinfo="text",
        showlegend=False, marker={"symbol": "square", "size": 2 if unit_grids is not None else 18,
                "color": "#dee2e6" if unit_grids is None else "rgba(0,0,0,0)",
                "line": {"color": "#495057", "width": 1 if unit_grids is None else 0}},
    ))
    # Input names beside the input nodes, as large as the room between two nodes allows.
    margin = {"l": 8, "r": 8, "t": int(1.7 * (size + 3) + 8), "b": int(1.6 * size + 14)}
    unit_px = (height - margin["t"] - margin["b"]) / (max_n + 0.2)
    label_size = int(max(11, min(size, 0.75 * unit_px)))
    traces.append(dict(
        type="scatter", x=[-LAYER_SHARE / 2 - 0.05] * layer_sizes[0], y=list(ys[0]), mode="text", text=names,
        textposition="middle left", textfont={"size": label_size}, hoverinfo="skip", showlegend=False,
    ))
    labels = ["input"] + [f"layer {l}" if L <= 5 else str(l) for l in range(1, L)] + ["output"]
    if title is None:
        title = (f"The {shown:,} strongest of {total:,} weights" if shown < total
                 else "What each neuron responds to")
    elif shown < total:
        title = f"{title} ({shown:,} of {total:,} drawn)"
    return traces, layout(
        title, height, big,
        xaxis={"tickvals": list(range(L + 1)), "ticktext": labels, "showgrid": False, "zeroline": False,
               "range": [-LAYER_SHARE / 2 - LABEL_ROOM, L + LAYER_SHARE / 2 + 0.05], "fixedrange": True},
        yaxis={"visible": False, "range": [-max_n / 2 - 0.1, max_n / 2 + 0.1], "fixedrange": True},
        images=images,
        margin=margin,
    )
