"""Training curves: cost and accuracy over updates, and per-layer gradient magnitudes."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import font_sizes, layer_colour, layout

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
    size, small = font_sizes(big)
    # Two legend entries (train, test) in the title row: solid = cost, dotted = the metric, as the
    # axis titles say. Four entries took two rows above a squashed plot at projector sizes.
    traces = [
        go.Scatter(x=steps, y=train_cost, name="train", legendgroup="train", line={"color": "#1c7ed6", "width": width},
                   hovertemplate="train cost %{y:.4g}<extra></extra>"),
        go.Scatter(x=steps, y=test_cost, name="test", legendgroup="test", line={"color": "#e8590c", "width": width},
                   hovertemplate="test cost %{y:.4g}<extra></extra>"),
        go.Scatter(x=steps, y=train_metric, name=f"train {metric_name}", yaxis="y2", legendgroup="train",
                   showlegend=False, line={"color": "#1c7ed6", "width": width, "dash": "dot"},
                   hovertemplate=f"train {metric_name} %{{y:.3g}}<extra></extra>"),
        go.Scatter(x=steps, y=test_metric, name=f"test {metric_name}", yaxis="y2", legendgroup="test",
                   showlegend=False, line={"color": "#e8590c", "width": width, "dash": "dot"},
                   hovertemplate=f"test {metric_name} %{{y:.3g}}<extra></extra>"),
    ]
    low = 0.0 if metric_name == "accuracy" else max(-1.0, min(0.0, float(np.nanmin(test_metric, initial=0.0))))
    # Round ticks (0, 25, 50, 75, 100 %): left to itself the overlaid axis picked 26 %, 53 %, 79 %.
    ticks = np.arange(np.floor(low * 4) / 4, 1.001, 0.25 if low > -0.5 else 0.5)
    grid = {"showgrid": True, "gridcolor": "#eee", "zeroline": False}
    return go.Figure(traces, layout(
        "Cost and " + metric_name, height, big,
        # At update 0 alone the axis spanned 0…1 in fractions ("200m"), tilted onto its title on a phone;
        # 0…9 (not 10) keeps a tick off the corner where the accuracy axis writes "0%".
        xaxis={"title": {"text": "update"}, "rangemode": "tozero", "autorangeoptions": {"include": [0, 9]}, "nticks": 6,
               "tickformat": "~s", **grid},
        yaxis={"title": {"text": "cost J (solid)"}, "rangemode": "tozero", "nticks": 5, "ticklabelstandoff": 4, **grid},
        yaxis2={"title": {"text": f"{metric_name} (dotted)"}, "range": [low, 1.02], "overlaying": "y", "side": "right",
                "showgrid": False, "tickmode": "array", "tickvals": ticks.tolist(), "ticklabelstandoff": 4,
                "tickformat": ".0%" if metric_name == "accuracy" else ".2f"},
        legend={"orientation": "h", "yref": "container", "y": 0.985, "yanchor": "top", "xref": "container", "x": 0.99,
                "xanchor": "right", "font": {"size": size}},
        hovermode="x unified",
        margin={"l": int(4.3 * size), "r": int(4.6 * size), "t": int(2.2 * size + 16), "b": int(2.6 * size + 10)},
    ))


def log_safe(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values) & (values > TINY), values, TINY)


def layer_fraction_labels(saturated: np.ndarray, dead: np.ndarray) -> list[str]:
    """Short per-layer labels like 'dead 25%' or 'sat. 60%' (output layer: ''). ``dead`` is NaN
    where units cannot die (every activation but ReLU): then the saturated share is shown."""
    labels = []
    for sat, dd in zip(saturated, dead):
        if np.isfinite(dd):
            labels.append(f"dead {dd:.0%}")
        elif np.isfinite(sat):
            labels.append(f"sat. {sat:.0%}")
        else:
            labels.append("")
    return labels


def gradient_value_text(norms: np.ndarray) -> list[str]:
    """The value written beside each layer's bar ("3.2e-4"; "0" for a zero gradient)."""
    return ["0" if not n > TINY else f"{n:.1e}".replace("e-0", "e-").replace("e+00", "") for n in norms]


def gradient_row_labels(saturated: np.ndarray, dead: np.ndarray) -> list[str]:
    """Row labels: the layer in its colour (the lines on the right use the same colours) and,
    under it, its saturated or dead share."""
    fractions = layer_fraction_labels(saturated, dead)
    return [f'<span style="color:{layer_colour(l)}">layer {l}</span>' + (f"<br>{f}" if f else "")
            for l, f in enumerate(fractions, 1)]


def gradient_scale(norms: np.ndarray, norm_history: np.ndarray) -> tuple[float, float, int]:
    """(bottom, top, dtick) of the gradient chart's log axes, in decades: everything visible
    and at least two labelled decades."""
    values = log_safe(np.concatenate([norms, norm_history.ravel()]) if norm_history.size else norms)
    top = np.log10(max(values.max(), TINY * 10)) + 0.5
    bottom = max(np.log10(max(values.min(), TINY)) - 0.5, -12.5)
    bottom = min(bottom, top - 2.5)  # show at least two labelled decades
    span = top - bottom
    return float(bottom), float(top), 1 if span < 5 else 2 if span < 9 else 3


def gradient_figure(
    norms: np.ndarray,
    steps: np.ndarray,
    norm_history: np.ndarray,
    saturated: np.ndarray,
    dead: np.ndarray,
    height: int = 340,
    big: bool = False,
    title: str = "Gradient magnitude ||dW[l]|| per layer",
) -> go.Figure:
    """Left: ||dW[l]|| per layer now (log scale), one row per layer with its dead/saturated
    share written beside the bar; right: the same norms over training, one line per layer in
    the layer's colour (the row labels double as the legend). norms: (L,), norm_history: (L, T).

    The figure grows with depth (``height`` is a minimum): every layer gets a row tall enough
    for its label, so 8 or 20 layers stay as readable as 2."""
    L = len(norms)
    size, small = font_sizes(big)
    text = gradient_value_text(norms)
    names = [f"layer {l}" for l in range(1, L + 1)]
    ticktext = gradient_row_labels(saturated, dead)
    traces = [go.Bar(
        y=names, x=log_safe(norms), orientation="h", text=text, textposition="outside",
        cliponaxis=False, showlegend=False, marker_color=[layer_colour(l) for l in range(1, L + 1)],
        hovertemplate="%{y}<br>||dW|| = %{x:.3g}<extra></extra>", name="||dW|| now",
        textfont={"size": small + 1}, constraintext="none",  # 14 px, 17 px with big
    )]
    for l in range(1, L + 1):
        traces.append(go.Scatter(
            x=steps, y=log_safe(norm_history[l - 1]) if norm_history.size else [], name=f"layer {l}",
            xaxis="x2", yaxis="y2", line={"color": layer_colour(l), "width": 2.5 if big else 1.8},
            showlegend=False,
            hovertemplate=f"layer {l}<br>update %{{x}}<br>||dW|| = %{{y:.3g}}<extra></extra>",
        ))
    bottom, top, dtick = gradient_scale(norms, norm_history)
    span = top - bottom
    log_axis = {"type": "log", "showgrid": True, "gridcolor": "#eee", "exponentformat": "power", "dtick": dtick}
    row = 2.6 * size + 6  # px per layer row: a two-line label and a little air
    margin = {"l": int(4.6 * size + 6), "r": int(1.2 * size), "t": int(1.7 * (size + 3) + 10), "b": int(2.4 * size + 14)}
    height = max(height, int(L * row + margin["t"] + margin["b"]))
    return go.Figure(traces, layout(
        title, height, big,
        # Left panel: room on the right of the longest bar for its "sat. 60%" label.
        # Left panel: the value is written beside each bar (no ticks to crowd), with room on the
        # right of the longest bar for it.
        xaxis={"domain": [0, 0.4], "title": {"text": "now (log)"}, **log_axis, "showticklabels": False,
               "range": [bottom, top + 0.25 * span + 0.6]},
        yaxis={"type": "category", "autorange": "reversed", "tickmode": "array", "tickvals": names,
               "ticktext": ticktext, "ticklabelstandoff": 4},
        # "2k", never rotated: Plotly turned "2000 4000 6000" on end, onto the axis title
        xaxis2={"domain": [0.62, 1], "title": {"text": "update"}, "rangemode": "tozero", "anchor": "y2", "nticks": 5,
                "autorangeoptions": {"include": [0, 9]}, "tickformat": "~s", "tickangle": 0},
        yaxis2={"anchor": "x2", "range": [bottom, top], "ticklabelstandoff": 6, **log_axis},
        bargap=0.25,
        margin=margin,
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
    size, _ = font_sizes()
    # The legend on its own row at the bottom of the chart, under the axis title (beside it, the
    # title and "ReLU" ran into each other on a phone); the y labels stand off the x axis' "0".
    return go.Figure(traces, layout(
        title, height, shapes=shapes,
        xaxis={"title": {"text": "update", "standoff": 8}, "automargin": True, "rangemode": "tozero", "tickformat": "~s",
               "tickangle": 0, **grid},
        yaxis={"title": {"text": "cost J"}, "automargin": True, "range": [0, top], "ticklabelstandoff": 6, **grid},
        legend={"orientation": "h", "yref": "container", "y": 0.01, "yanchor": "bottom", "x": 0, "font": {"size": size}},
        margin={"l": int(4 * size), "r": 20, "t": int(2.2 * size + 16), "b": int(4.6 * size + 24)},
    ))
