"""Training curves: cost and accuracy over updates, and per-layer gradient magnitudes."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import layer_colour, layout

TINY = 1e-12  # zero gradients are drawn at this floor (log axes cannot show 0) and labelled "0"


def cost_figure(
    steps: np.ndarray,
    train_cost: np.ndarray,
    test_cost: np.ndarray,
    train_metric: np.ndarray,
    test_metric: np.ndarray,
    metric_name: str = "accuracy",
    height: int = 340,
    big: bool = False,
) -> go.Figure:
    """Train/test cost (left axis) and accuracy or R² (right axis, dotted) over updates."""
    width = 3 if big else 2
    traces = [
        go.Scatter(x=steps, y=train_cost, name="train cost", line={"color": "#1c7ed6", "width": width}),
        go.Scatter(x=steps, y=test_cost, name="test cost", line={"color": "#e8590c", "width": width}),
        go.Scatter(x=steps, y=train_metric, name=f"train {metric_name}", yaxis="y2",
                   line={"color": "#1c7ed6", "width": width, "dash": "dot"}),
        go.Scatter(x=steps, y=test_metric, name=f"test {metric_name}", yaxis="y2",
                   line={"color": "#e8590c", "width": width, "dash": "dot"}),
    ]
    low = 0.0 if metric_name == "accuracy" else max(-1.0, min(0.0, float(np.nanmin(test_metric, initial=0.0))))
    grid = {"showgrid": True, "gridcolor": "#eee", "zeroline": False}
    return go.Figure(traces, layout(
        "Cost and " + metric_name, height, big,
        xaxis={"title": {"text": "update"}, "rangemode": "tozero", **grid},
        yaxis={"title": {"text": "cost J"}, "rangemode": "tozero", **grid},
        yaxis2={"title": {"text": metric_name}, "range": [low, 1.02], "overlaying": "y", "side": "right",
                "showgrid": False, "tickformat": ".0%" if metric_name == "accuracy" else ".2f"},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right",
                "font": {"size": 13}},
        hovermode="x unified",
        margin={"l": 60, "r": 60, "t": 95, "b": 45},
    ))


def _log_safe(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values) & (values > TINY), values, TINY)


def layer_fraction_labels(saturated: np.ndarray, dead: np.ndarray, activation: str) -> list[str]:
    """Short per-layer labels like 'dead 25%' or 'saturated 60%' (output layer: '')."""
    labels = []
    for sat, dd in zip(saturated, dead):
        if np.isfinite(dd) and activation in ("relu", "leaky_relu"):
            labels.append(f"dead {dd:.0%}")
        elif np.isfinite(sat):
            labels.append(f"sat. {sat:.0%}")
        else:
            labels.append("")
    return labels


def gradient_figure(
    norms: np.ndarray,
    steps: np.ndarray,
    norm_history: np.ndarray,
    saturated: np.ndarray,
    dead: np.ndarray,
    activation: str,
    height: int = 340,
    big: bool = False,
    title: str = "Gradient magnitude ||dW[l]|| per layer",
) -> go.Figure:
    """Left: ||dW[l]|| per layer now (log scale) with dead/saturated shares; right: the same
    norms over training, one line per layer. norms: (L,), norm_history: (L, T)."""
    L = len(norms)
    fractions = layer_fraction_labels(saturated, dead, activation)
    text = ["<br>".join(p for p in ("zero" if not n > TINY else "", f) if p) for n, f in zip(norms, fractions)]
    traces = [go.Bar(
        x=[str(l) for l in range(1, L + 1)], y=_log_safe(norms), text=text, textposition="outside",
        cliponaxis=False, showlegend=False, marker_color=[layer_colour(l) for l in range(1, L + 1)],
        hovertemplate="layer %{x}<br>||dW|| = %{y:.3g}<extra></extra>", name="||dW|| now",
        textfont={"size": 12 if L > 4 else 14}, constraintext="none",
    )]
    for l in range(1, L + 1):
        traces.append(go.Scatter(
            x=steps, y=_log_safe(norm_history[l - 1]) if norm_history.size else [], name=f"layer {l}",
            xaxis="x2", yaxis="y2", line={"color": layer_colour(l), "width": 2.5 if big else 1.8},
            hovertemplate=f"layer {l}<br>update %{{x}}<br>||dW|| = %{{y:.3g}}<extra></extra>",
        ))
    values = _log_safe(np.concatenate([norms, norm_history.ravel()]) if norm_history.size else norms)
    top = np.log10(max(values.max(), TINY * 10)) + 1.0
    bottom = max(np.log10(max(values.min(), TINY)) - 0.5, -12.5)
    bottom = min(bottom, top - 2.5)  # show at least two labelled decades
    log_axis = {"type": "log", "range": [bottom, top], "showgrid": True, "gridcolor": "#eee",
                "exponentformat": "power", "dtick": 1 if top - bottom < 8 else 2}
    return go.Figure(traces, layout(
        title, height, big,
        xaxis={"domain": [0, 0.36], "title": {"text": "layer (now)"}, "type": "category"},
        yaxis={"title": {"text": "||dW|| (log)"}, **log_axis},
        xaxis2={"domain": [0.46, 1], "title": {"text": "update"}, "rangemode": "tozero", "anchor": "y2"},
        yaxis2={"anchor": "x2", **log_axis},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right",
                "font": {"size": 13}},
        margin={"l": 60, "r": 20, "t": 95, "b": 45},
    ))


def race_figure(
    labels: list[str],
    steps: list[np.ndarray],
    train_costs: list[np.ndarray],
    test_costs: list[np.ndarray] | None = None,
    target: float | None = None,
    height: int = 380,
    title: str = "Cost during training, run by run",
) -> go.Figure:
    """Overlaid cost curves of several runs on the same data: training cost solid, test cost
    (when given) dashed in the same colour, and the target cost as a dotted line."""
    traces = []
    finite = [c[np.isfinite(c)] for c in [*train_costs, *(test_costs or [])]]
    top = max([float(np.percentile(c, 99)) for c in finite if c.size] + [0.05]) * 1.08
    for i, label in enumerate(labels):
        colour = layer_colour(i + 1)
        curves = [("train", train_costs[i], "solid")]
        if test_costs is not None:
            curves.append(("test", test_costs[i], "dash"))
        for part, cost, dash in curves:
            y = np.asarray(cost, dtype=float)
            traces.append(go.Scatter(
                x=steps[i], y=np.where(np.isfinite(y), np.minimum(y, top), top), mode="lines",
                name=f"{label}: {part}" if test_costs is not None else label, legendgroup=label,
                line={"color": colour, "width": 2.5, "dash": dash}, customdata=y,
                hovertemplate=f"{label}, {part}<br>update %{{x}}: J = %{{customdata:.4g}}<extra></extra>",
            ))
    shapes = []
    if target is not None:
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": target, "y1": target,
                       "line": {"color": "#495057", "width": 1.5, "dash": "dot"}})
    grid = {"showgrid": True, "gridcolor": "#eee", "zeroline": False}
    return go.Figure(traces, layout(
        title, height, shapes=shapes,
        xaxis={"title": {"text": "update"}, "rangemode": "tozero", **grid},
        yaxis={"title": {"text": "cost J"}, "range": [0, top], **grid},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0, "font": {"size": 13}},
        margin={"l": 60, "r": 20, "t": 50, "b": 100},
    ))
