"""Figures for the handwritten-digits page: confusion matrix, test images, first-layer weights.

Pure: NumPy arrays in, ``plotly.graph_objects.Figure`` out, each built in one call (they are
redrawn live). Image grids are one heatmap of 8×8 tiles separated by empty (NaN) cells, with
the labels as one text trace and the frames around mistakes as one line trace — three traces
instead of dozens of subplots. (Labels as layout annotations, and frames as shapes, made each
grid take 63–70 ms to draw in headless Chromium instead of 35: Plotly lays out every annotation
on its own.)

Chart text is ≥ 14 px (the labels over the tiles included), ≥ 16 px with ``big`` (presentation
mode: read from the back of a room on a 1280×720 projector).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import DIVERGING_SCALE, class_colour, font_sizes, layout

SIDE = 8  # the images are 8×8 pixels
INK_SCALE = [[0.0, "#ffffff"], [1.0, "#101418"]]  # pixel 0 white paper, 1 black ink
RIGHT_SCALE = [[0.0, "#d3f9d8"], [1.0, "#2b8a3e"]]  # the diagonal: correct answers
WRONG_SCALE = [[0.0, "#ffe3e3"], [1.0, "#c92a2a"]]  # off the diagonal: mistakes
RIGHT, WRONG = "#2b8a3e", "#e03131"


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """(k, k) counts: row = true class, column = predicted class."""
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(matrix, (np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int)), 1)
    return matrix


def confusion_figure(matrix: np.ndarray, height: int = 460, title: str | None = None, big: bool = False) -> go.Figure:
    """The confusion matrix as coloured cells with their counts: green diagonal (right answers),
    red elsewhere (mistakes, darker = more); empty cells are zeros."""
    size, _ = font_sizes(big)
    k = matrix.shape[0]
    diagonal = np.eye(k, dtype=bool)
    labels = [str(c) for c in range(k)]
    total = int(matrix.sum())
    right = int(np.trace(matrix))
    # presentation mode: a shorter title at the larger size (the long one ran off a phone)
    title = title or f"Confusion matrix: {right} of {total}{'' if big else ' test images'} right"
    traces = []
    for mask, scale, name in ((diagonal, RIGHT_SCALE, "right"), (~diagonal, WRONG_SCALE, "wrong")):
        z = np.where(mask & (matrix > 0), matrix, np.nan).astype(np.float32)
        text = np.where(mask & (matrix > 0), matrix.astype(str), "")
        top = float(np.nanmax(z)) if np.isfinite(z).any() else 1.0
        traces.append(go.Heatmap(
            x=labels, y=labels, z=z, text=text, texttemplate="%{text}", textfont={"size": size if k > 4 else int(size * 1.4)},
            colorscale=scale, zmin=0.0, zmax=max(top, 1.0), showscale=False, xgap=2, ygap=2, name=name,
            hovertemplate="true %{y}, predicted %{x}: %{z} images<extra>" + name + "</extra>",
        ))
    return go.Figure(traces, layout(
        title, height, big,
        xaxis={"title": {"text": "predicted digit"}, "type": "category", "side": "bottom", "constrain": "domain",
               "showgrid": False},
        yaxis={"title": {"text": "true digit"}, "type": "category", "autorange": "reversed",
               "scaleanchor": "x", "constrain": "domain", "showgrid": False},
        plot_bgcolor="#f1f3f5",
        margin={"l": int(4.7 * size), "r": 20, "t": int(2.2 * size + 17), "b": int(3.7 * size)},
    ))


def _tiles(images: np.ndarray, columns: int, gap_x: int, gap_y: int, top: int) -> np.ndarray:
    """Lay (n, 8, 8) images out on a grid: a (rows·(8+gap_y)+top, columns·(8+gap_x)) array,
    NaN between tiles. Tile i's top-left pixel is at (top + r·(8+gap_y), c·(8+gap_x))."""
    n = len(images)
    rows = max(1, -(-n // columns))
    pitch_x, pitch_y = SIDE + gap_x, SIDE + gap_y
    canvas = np.full((top + rows * pitch_y - gap_y, columns * pitch_x - gap_x), np.nan, dtype=np.float32)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        y0, x0 = top + r * pitch_y, c * pitch_x
        canvas[y0 : y0 + SIDE, x0 : x0 + SIDE] = image
    return canvas


def _labels(x: list[float], y: list[float], text: list[str], size: int, colour: str | list[str] = "#444") -> go.Scatter:
    """Text centred above each point (``y`` is the top edge of a tile: the axis runs down)."""
    return go.Scatter(x=x, y=y, text=text, mode="text", textposition="top center", cliponaxis=False,
                      textfont={"size": size, "color": colour}, hoverinfo="skip", showlegend=False)


def _frames(boxes: list[tuple[float, float, float, float]], colour: str) -> go.Scatter:
    """Rectangles (x0, y0, x1, y1) as one line trace, each closed and separated by a gap."""
    x: list[float | None] = []
    y: list[float | None] = []
    for x0, y0, x1, y1 in boxes:
        x += [x0, x1, x1, x0, x0, None]
        y += [y0, y0, y1, y1, y0, None]
    return go.Scatter(x=x, y=y, mode="lines", line={"color": colour, "width": 3}, hoverinfo="skip",
                      showlegend=False, cliponaxis=False)


def _square_axes(canvas: np.ndarray) -> dict:
    hidden = {"showticklabels": False, "ticks": "", "showgrid": False, "zeroline": False, "fixedrange": True}
    return {
        # one pixel of margin on every side, so the frames around mistakes are not clipped
        "xaxis": {"range": [-1.5, canvas.shape[1] + 0.5], "constrain": "domain", **hidden},
        "yaxis": {"range": [canvas.shape[0] + 0.5, -1.5], "scaleanchor": "x", "constrain": "domain", **hidden},
    }


def sample_images_figure(
    images: np.ndarray,
    true: np.ndarray,
    predicted: np.ndarray,
    confidence: np.ndarray,
    columns: int = 8,
    height: int = 380,
    title: str | None = None,
    datarevision: int | None = None,
    big: bool = False,
) -> go.Figure:
    """Test images (n, 64) with the predicted digit, its confidence and the true digit above
    each; mistakes in red with a red frame."""
    title = title or ("Test images: answer and truth" if big else "Test images: the network's answer and the truth")
    images = np.asarray(images, dtype=np.float32).reshape(-1, SIDE, SIDE)
    size, small = font_sizes(big)
    gap_x, gap_y = 2, 7  # two lines of labels above each tile
    canvas = _tiles(images, columns, gap_x, gap_y, top=gap_y)
    xs, ys, texts, colours, frames = [], [], [], [], []
    for i, (t, p, conf) in enumerate(zip(true, predicted, confidence)):
        r, c = divmod(i, columns)
        x0, y0 = c * (SIDE + gap_x), gap_y + r * (SIDE + gap_y)
        wrong = int(t) != int(p)
        xs.append(x0 + SIDE / 2 - 0.5)
        ys.append(y0 - 0.6)
        texts.append(f"<b>{int(p)}</b> {conf:.0%}<br>true {int(t)}" + (" ✗" if wrong else " ✓"))
        colours.append(WRONG if wrong else RIGHT)
        if wrong:
            frames.append((x0 - 0.7, y0 - 0.7, x0 + SIDE - 0.3, y0 + SIDE - 0.3))
    heat = go.Heatmap(z=canvas, colorscale=INK_SCALE, zmin=0.0, zmax=1.0, showscale=False, hoverinfo="skip")
    return go.Figure([heat, _labels(xs, ys, texts, small + 1, colours), _frames(frames, WRONG)], layout(
        title, height, big,
        margin={"l": 10, "r": 10, "t": int(2.2 * size + 12), "b": 10},
        datarevision=datarevision, **_square_axes(canvas),
    ))


def unit_weights_figure(
    W: np.ndarray,
    height: int = 380,
    title: str = "What each hidden unit looks for: its 64 weights as an 8×8 image",
    labels: list[str] | None = None,
    datarevision: int | None = None,
    big: bool = False,
) -> go.Figure:
    """Each row of W (n_units, 64) as an 8×8 tile, scaled by its own largest |weight|: blue
    pixels push the unit up when inked, orange ones push it down. ``labels``: a name per tile
    (default the unit's number: "unit 10unit 11" ran together on a phone; only drawn for up
    to 32 tiles)."""
    W = np.asarray(W, dtype=float)
    size, small = font_sizes(big)
    n = W.shape[0]
    labels = labels or [str(i + 1) for i in range(n)]
    columns = min(n, int(np.ceil(np.sqrt(n * 1.2))))  # about square: the tiles get as big as they can
    scale = np.abs(W).max(axis=1, keepdims=True)
    tiles = (W / np.where(scale > 0, scale, 1.0)).reshape(n, SIDE, SIDE)
    labelled = n <= 32
    gap_y = 4 if labelled else 1  # room above each tile for its label (at 3 they sat on the tiles above)
    canvas = _tiles(tiles, columns, 1, gap_y, top=gap_y if labelled else 0)
    traces = []
    if labelled:
        places = [divmod(i, columns) for i in range(n)]
        traces.append(_labels([c * (SIDE + 1) + SIDE / 2 - 0.5 for _, c in places],
                              [gap_y + r * (SIDE + gap_y) - 0.6 for r, _ in places], labels[:n], small + 1))
    heat = go.Heatmap(
        z=canvas, colorscale=DIVERGING_SCALE, zmin=-1.0, zmax=1.0, hoverinfo="skip",
        colorbar={"title": {"text": "weight ÷ unit's max |w|", "side": "right"}, "len": 0.9, "thickness": 12,
                  "tickvals": [-1, 0, 1], "ticktext": ["−max", "0", "+max"], "tickfont": {"size": small + 1}},
    )
    return go.Figure([heat, *traces], layout(
        title, height, big, margin={"l": 10, "r": 10, "t": int(2.2 * size + 12), "b": 10},
        datarevision=datarevision, **_square_axes(canvas),
    ))


def embedding_figure(points: np.ndarray, labels: np.ndarray, title: str, height: int = 420,
                     n_classes: int | None = None, big: bool = False) -> go.Figure:
    """A 2-D map of hidden-layer features (m, 2), one coloured trace per true digit (so the
    legend can hide a digit), the digit written on hover. Axes carry no units: only distances
    between points mean something.

    SVG ``scatter``, not WebGL: at most ``teaching.digits.MAX_POINTS`` (600) points, which the
    live charts' cartesian Plotly bundle draws in milliseconds."""
    size, _ = font_sizes(big)
    labels = np.asarray(labels, dtype=int)
    classes = range(n_classes) if n_classes else np.unique(labels)
    traces = []
    for k in classes:
        where = labels == k
        traces.append(go.Scatter(
            x=points[where, 0], y=points[where, 1], mode="markers", name=f"digit {k}",
            marker={"size": 9 if big else 7, "color": class_colour(int(k)), "line": {"width": 0.5, "color": "white"}},
            hovertemplate=f"true digit {k}<extra></extra>",
        ))
    hidden = {"showticklabels": False, "zeroline": False, "showgrid": False, "title": {"text": ""}}
    return go.Figure(traces, layout(
        title, height, big, xaxis=hidden, yaxis={**hidden, "scaleanchor": "x"},
        margin={"l": 10, "r": 10, "t": int(2.2 * size + 17), "b": 10},
        legend={"itemsizing": "constant", "font": {"size": size}},
    ))
