"""The decision-boundary view: the network's output over the input plane, with the data on top."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import BINARY_SCALE, DIVERGING_SCALE, class_colour, hex_to_rgb, layout


def _class_band_scale(n_classes: int) -> list:
    """Colour scale for 'class index + confidence': band k runs from a pale to a full class colour."""
    scale = []
    for k in range(n_classes):
        r, g, b = hex_to_rgb(class_colour(k))
        pale = f"rgb({(r + 3 * 255) // 4},{(g + 3 * 255) // 4},{(b + 3 * 255) // 4})"
        scale += [[k / n_classes, pale], [(k + 1) / n_classes, f"rgb({r},{g},{b})"]]
    return scale


def boundary_surface(values: np.ndarray, task: str, discretize: bool = False) -> np.ndarray:
    """Map network outputs (n_y, R, R) to the one number per pixel the heatmap colours.

    binary: P(class 1) (or 0/1 when discretized); multi-class: argmax class + confidence in
    [0, 1) so each class gets its own colour band; regression: the predicted value.
    """
    if task == "regression":
        return values[0].astype(np.float32)
    if task == "binary":
        p = values[0]
        return (p > 0.5).astype(np.float32) if discretize else p.astype(np.float32)
    k = values.shape[0]
    winner = values.argmax(axis=0)
    if discretize:
        return (winner + 0.999).astype(np.float32)
    confidence = (values.max(axis=0) - 1.0 / k) / (1.0 - 1.0 / k)
    return (winner + np.clip(confidence, 0.0, 0.999)).astype(np.float32)


def decision_boundary_figure(
    xs: np.ndarray,
    ys: np.ndarray,
    values: np.ndarray,
    points_train: np.ndarray,
    y_train: np.ndarray,
    points_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    task: str = "binary",
    discretize: bool = False,
    value_range: float | None = None,
    height: int = 480,
    big: bool = False,
    title: str = "Decision boundary",
) -> go.Figure:
    """Heatmap of the output over the plane (xs, ys: (R,); values: (n_y, R, R)) plus points.

    Training points have a white outline, test points a black one.
    """
    surface = boundary_surface(values, task, discretize)
    traces = []
    if task == "binary":
        heat = {"colorscale": BINARY_SCALE, "zmin": 0.0, "zmax": 1.0,
                "colorbar": {"title": {"text": "P(class 1)", "side": "right"}, "len": 0.8, "thickness": 14}}
    elif task == "multiclass":
        k = values.shape[0]
        heat = {"colorscale": _class_band_scale(k), "zmin": 0.0, "zmax": float(k), "showscale": False}
    else:
        vmax = value_range or float(np.abs(surface).max()) or 1.0
        heat = {"colorscale": DIVERGING_SCALE, "zmin": -vmax, "zmax": vmax,
                "colorbar": {"title": {"text": "prediction", "side": "right"}, "len": 0.8, "thickness": 14}}
    traces.append(go.Heatmap(x=xs, y=ys, z=surface, hoverinfo="skip", name="output", **heat))

    marker_size = 10 if big else 8
    for part, points, labels, outline in (
        ("train", points_train, y_train, "white"),
        ("test", points_test, y_test, "black"),
    ):
        if points is None or len(points) == 0:
            continue
        if task == "regression":
            vmax = heat["zmax"]
            traces.append(go.Scatter(
                x=points[:, 0], y=points[:, 1], mode="markers", name=f"{part} points",
                marker={"size": marker_size, "color": labels, "colorscale": DIVERGING_SCALE,
                        "cmin": -vmax, "cmax": vmax, "line": {"color": outline, "width": 1.2}},
            ))
            continue
        for k in np.unique(labels):
            mask = labels == k
            traces.append(go.Scatter(
                x=points[mask, 0], y=points[mask, 1], mode="markers",
                name=f"class {k} ({part})",
                marker={"size": marker_size, "color": class_colour(int(k)),
                        "line": {"color": outline, "width": 1.2}},
            ))
    return go.Figure(traces, layout(
        title, height, big,
        xaxis={"title": {"text": "x1"}, "range": [xs[0], xs[-1]], "constrain": "domain", "showgrid": False,
               "zeroline": False},
        yaxis={"title": {"text": "x2"}, "range": [ys[0], ys[-1]], "scaleanchor": "x", "scaleratio": 1,
               "constrain": "domain", "showgrid": False, "zeroline": False},
        legend={"orientation": "h", "y": -0.1, "yanchor": "top", "x": 0, "font": {"size": 13}},
        margin={"l": 50, "r": 10, "t": 50, "b": 40},
    ))
