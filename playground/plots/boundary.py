"""The decision-boundary view: the network's output over the input plane, with the data on top."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import BINARY_SCALE, DIVERGING_SCALE, class_colour, font_sizes, hex_to_rgb, layout


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


def plane_title(task: str) -> str:
    """What the plane view shows: a boundary between classes, or a surface of predicted values."""
    return "Prediction surface" if task == "regression" else "Decision boundary"


def _heat_style(task: str, n_outputs: int, surface: np.ndarray, value_range: float | None) -> dict:
    if task == "binary":
        return {"colorscale": BINARY_SCALE, "zmin": 0.0, "zmax": 1.0,
                "colorbar": {"title": {"text": "P(class 1)", "side": "right"}, "len": 0.8, "thickness": 14,
                             "tickvals": [0, 0.5, 1]}}
    if task == "multiclass":
        return {"colorscale": _class_band_scale(n_outputs), "zmin": 0.0, "zmax": float(n_outputs),
                "showscale": False}
    vmax = value_range or float(np.abs(surface).max()) or 1.0
    return {"colorscale": DIVERGING_SCALE, "zmin": -vmax, "zmax": vmax,
            "colorbar": {"title": {"text": "ŷ", "side": "right"}, "len": 0.8, "thickness": 14}}


def plane_margins(big: bool = False) -> dict:
    """Room for the title, the x1/x2 ticks and titles and the colour bar, from the font size."""
    size = font_sizes(big)[0]
    return {"l": int(2.4 * size + 24), "r": int(4.8 * size + 16), "t": int(2.2 * size + 14),
            "b": int(2.6 * size + 22), "autoexpand": False}


def _plane_layout(xs, ys, title: str, height: int, big: bool, labels: bool = True, **overrides) -> dict:
    axis = {"constrain": "domain", "showgrid": False, "zeroline": False, "nticks": 6}
    if not labels:  # an overlay: same plot area, nothing drawn twice
        axis.update(showticklabels=False, ticks="")
    return layout(
        title, height, big,
        xaxis={"title": {"text": "x1" if labels else "", "standoff": 10}, "range": [xs[0], xs[-1]], **axis},
        yaxis={"title": {"text": "x2" if labels else ""}, "range": [ys[0], ys[-1]],
               "scaleanchor": "x", "scaleratio": 1, **axis},
        # The legend is drawn as HTML under the chart (``legend_html``): inside the figure it was
        # cut off or sat on the axis title at projector font sizes.
        showlegend=False,
        # Fixed margins (no auto-expansion for the colour bar) so that the plot area is
        # identical when the surface and the points are drawn as two stacked figures.
        margin=plane_margins(big),
        **overrides,
    )


def _surface_trace(xs, ys, values, task, discretize, value_range) -> go.Heatmap:
    surface = boundary_surface(values, task, discretize)
    # zsmooth="fast": one canvas pixel per grid cell, scaled by the browser — ~10× faster to draw
    # than the default (measured 210–280 ms per redraw for 100×100 in headless Chromium).
    return go.Heatmap(x=xs, y=ys, z=surface, hoverinfo="skip", name="output", zsmooth="fast",
                      **_heat_style(task, values.shape[0], surface, value_range))


def _point_traces(points_train, y_train, points_test, y_test, task, value_range, big) -> list:
    """Training points with a white outline, test points with a black one."""
    traces = []
    marker_size = 10 if big else 8
    vmax = value_range or float(np.abs(y_train).max()) if task == "regression" else 1.0
    for part, points, labels, outline in (
        ("train", points_train, y_train, "white"),
        ("test", points_test, y_test, "black"),
    ):
        if points is None or len(points) == 0:
            continue
        if task == "regression":
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
                name=f"class {k} ({part})", showlegend=False,
                marker={"size": marker_size, "color": class_colour(int(k)),
                        "line": {"color": outline, "width": 1.2}},
            ))
    return traces


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
    title: str | None = None,
) -> go.Figure:
    """Heatmap of the output over the plane (xs, ys: (R,); values: (n_y, R, R)) plus points.

    Training points have a white outline, test points a black one (``legend_html`` says so).
    """
    traces = [_surface_trace(xs, ys, values, task, discretize, value_range)]
    traces += _point_traces(points_train, y_train, points_test, y_test, task, value_range, big)
    return go.Figure(traces, _plane_layout(xs, ys, plane_title(task) if title is None else title, height, big))


def boundary_surface_figure(xs, ys, values, task="binary", discretize=False, value_range=None,
                            height=480, big=False, title=None) -> go.Figure:
    """Only the surface of ``decision_boundary_figure`` (the part that changes while training)."""
    return go.Figure([_surface_trace(xs, ys, values, task, discretize, value_range)],
                     _plane_layout(xs, ys, plane_title(task) if title is None else title, height, big))


def legend_html(task: str, classes, show_test: bool = True, big: bool = False) -> str:
    """The boundary chart's legend as one line of HTML (wraps on a phone, never clipped):
    a dot per class, then what the white (training) and black (test) outlines mean."""
    size = font_sizes(big)[0]
    dot = ("display:inline-block;width:0.8em;height:0.8em;border-radius:50%;vertical-align:-0.05em;"
           "margin-right:0.3em;")
    items = []
    if task != "regression":
        items += [f'<span style="white-space:nowrap"><span style="{dot}background:{class_colour(int(k))}">'
                  f"</span>class {int(k)}</span>" for k in classes]
    outlines = [("white", "training")] + ([("black", "test")] if show_test else [])
    items += [f'<span style="white-space:nowrap"><span style="{dot}background:#adb5bd;'
              f'box-shadow:0 0 0 2px {colour} inset, 0 0 0 1px #868e96">'
              f"</span>{part} ({colour} ring)</span>" for colour, part in outlines]
    return (f'<div class="np-legend" style="font-size:{size}px;display:flex;flex-wrap:wrap;'
            f'column-gap:1.2em;row-gap:0.2em">' + "".join(items) + "</div>")


def boundary_points_figure(xs, ys, points_train, y_train, points_test=None, y_test=None, task="binary",
                           value_range=None, height=480, big=False) -> go.Figure:
    """Only the points, on a transparent background with the same plot area: drawn on top of
    ``boundary_surface_figure`` it completes the picture, and it does not change while training."""
    return go.Figure(_point_traces(points_train, y_train, points_test, y_test, task, value_range, big),
                     _plane_layout(xs, ys, "", height, big, labels=False,
                                   paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)"))
