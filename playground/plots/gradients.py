"""Figures of the Gradients lab: per-layer gradient profiles, their history, activations.

Gradient norms span many orders of magnitude, so they are drawn on log axes — and a log axis
cannot show 0. Exact zeros (a layer that receives no gradient at all) are drawn on a floor one
decade below the smallest non-zero value, and the floor's tick reads "0": never -inf, never a
broken axis. Each figure is one ``go.Figure(traces, layout)`` call (cheap enough to redraw
several times a second); NumPy arrays in, figures out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .style import LAYER_COLOURS, font_sizes, layout

MAX_COLUMNS = 200  # the layer × update heatmap never draws more columns than this
BINS = 40
SHAPE_COLOUR = "#1c7ed6"
ZERO_COLOUR = "#dee2e6"
GRID = {"showgrid": True, "gridcolor": "#eee", "zeroline": False}
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


# -- log axes that can show zero ------------------------------------------------------------------
def power_label(k: int) -> str:
    return "10" + str(k).translate(SUPERSCRIPT) if k not in (0, 1) else ("1" if k == 0 else "10")


def log_scale(values: np.ndarray) -> tuple[float, float, float | None]:
    """Decades for a log axis showing ``values``: (low, high, floor), as powers of ten.

    ``floor`` is where exact zeros are drawn (one decade below the smallest positive value),
    None when there are no zeros. NaN and ±inf are left out (they are not drawn)."""
    values = np.asarray(values, dtype=float).ravel()
    finite = values[np.isfinite(values)]
    positive = finite[finite > 0]
    has_zero = bool(np.any(finite == 0))
    if positive.size == 0:  # nothing to draw but zeros: the axis is just the "0" floor
        return 0.0, 0.0, (0.0 if has_zero else None)
    low = float(np.floor(np.log10(positive.min())))
    high = float(np.ceil(np.log10(positive.max())))
    if high == low:
        low -= 1
    return low, high, (low - 1 if has_zero else None)


def on_log_scale(values: np.ndarray, floor: float | None) -> np.ndarray:
    """Values to plot: zeros moved to 10**floor; NaN, ±inf and negatives become gaps (NaN)."""
    values = np.asarray(values, dtype=float)
    out = np.where(np.isfinite(values) & (values > 0), values, np.nan)
    if floor is not None:
        out = np.where(values == 0, 10.0**floor, out)
    return out


def _ticks(low: float, high: float, floor: float | None, exponent: bool = False) -> dict:
    """Tick values at whole decades (at most ~8 of them) plus "0" at the floor."""
    step = max(1, int(np.ceil((high - low) / 8)))
    powers = list(range(int(high), int(low) - 1, -step))[::-1] if high > low else []
    values = [float(k) if exponent else 10.0**k for k in powers]
    text = [power_label(k) for k in powers]
    if floor is not None:
        values.insert(0, float(floor) if exponent else 10.0**floor)
        text.insert(0, "0")
    return {"tickvals": values, "ticktext": text}


def log_axis(values: np.ndarray, title: str) -> tuple[dict, float | None]:
    """A log y-axis spec for ``values`` (with the zero floor) and the floor used."""
    low, high, floor = log_scale(values)
    bottom = (floor if floor is not None else low) - 0.4
    top = high + 0.3 if high > low else bottom + 2
    axis = {"type": "log", "range": [bottom, top], "title": {"text": title}, **GRID,
            **_ticks(low, high, floor)}
    return axis, floor


def _floor_line(floor: float | None, yref: str = "y") -> list[dict]:
    if floor is None:
        return []
    return [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": yref, "y0": 10.0**floor,
             "y1": 10.0**floor, "line": {"color": "#adb5bd", "width": 1, "dash": "dot"}}]


def _norm_text(values: np.ndarray) -> list[str]:
    return ["" if not np.isfinite(v) else ("0" if v == 0 else f"{v:.2e}") for v in values]


def _layer_dtick(L: int, big: bool) -> int:
    """Every layer's number on the axis while they fit (fewer, larger numbers when ``big``)."""
    return 1 if L <= (12 if big else 16) else (2 if L <= (24 if big else 32) else 5)


def _margin(big: bool, left: int = 60, top: int = 50, bottom: int = 50, right: int = 20) -> dict:
    """Margins for the normal text size, grown with the text in presentation mode."""
    grow = font_sizes(True)[0] / font_sizes(False)[0] if big else 1.0
    return {"l": int(left * grow), "r": right, "t": int(top * grow), "b": int(bottom * grow)}


# -- 1. the profile: one number per layer ---------------------------------------------------------
def gradient_profile_figure(
    grad_norm_W: np.ndarray,
    grad_norm_A: np.ndarray,
    height: int = 360,
    title: str = "Gradient size per layer",
    big: bool = False,
) -> go.Figure:
    """||dW[l]|| and ||dA[l]|| for l = 1..L on a log axis (L,) each; NaN = not defined (no dA
    for the output layer). The slope of this profile is the vanishing/exploding story.
    ``big``: presentation mode (chart text ≥ 16 px, thicker lines)."""
    small = font_sizes(big)[1]
    norm_W, norm_A = np.asarray(grad_norm_W, dtype=float), np.asarray(grad_norm_A, dtype=float)
    L = len(norm_W)
    layers = np.arange(1, L + 1)
    yaxis, floor = log_axis(np.concatenate([norm_W, norm_A]), "gradient norm (log scale)")
    traces = [
        go.Scatter(x=layers, y=on_log_scale(norm_W, floor), name="‖dW[l]‖ weights", mode="lines+markers",
                   line={"color": "#1c7ed6", "width": 3.5 if big else 2.5}, marker={"size": 10 if big else 7},
                   customdata=_norm_text(norm_W), hovertemplate="layer %{x}: ‖dW‖ = %{customdata}<extra></extra>"),
        go.Scatter(x=layers, y=on_log_scale(norm_A, floor), name="‖dA[l]‖ layer outputs", mode="lines+markers",
                   line={"color": "#e8590c", "width": 3 if big else 2, "dash": "dash"},
                   marker={"size": 9 if big else 6, "symbol": "diamond"},
                   customdata=_norm_text(norm_A), hovertemplate="layer %{x}: ‖dA‖ = %{customdata}<extra></extra>"),
    ]
    return go.Figure(traces, layout(
        title, height, big,
        xaxis={"title": {"text": "layer l (1 = next to the input)" if big else
                         f"layer l (1 = next to the input, {L} = output)"}, "range": [0.5, L + 0.5],
               "dtick": _layer_dtick(L, big), **GRID},
        yaxis=yaxis, shapes=_floor_line(floor),
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right", "font": {"size": small}},
        margin=_margin(big, left=70, top=80),
    ))


# -- 2. layer × update heatmap --------------------------------------------------------------------
def downsample_columns(steps: np.ndarray, matrix: np.ndarray, max_columns: int = MAX_COLUMNS):
    """At most ``max_columns`` evenly spaced columns of an (L, T) history (the first and the
    latest are always kept), with their update numbers."""
    steps = np.asarray(steps)
    T = len(steps)
    if T <= max_columns:
        return steps, matrix
    keep = np.unique(np.linspace(0, T - 1, max_columns).round().astype(int))
    return steps[keep], matrix[:, keep]


def column_edges(steps: np.ndarray) -> np.ndarray:
    """Cell edges (T + 1,) for columns at update numbers ``steps`` (T,): each column reaches
    halfway to its neighbours, the last one 1 update past its own."""
    steps = np.asarray(steps, dtype=float)
    if steps.size == 0:
        return np.array([0.0, 1.0])
    middles = (steps[:-1] + steps[1:]) / 2
    return np.concatenate([[steps[0]], middles, [steps[-1] + 1]])


def gradient_heatmap_figure(
    steps: np.ndarray,
    norm_history: np.ndarray,
    height: int = 360,
    title: str = "Which layers learn: log₁₀ ‖dW[l]‖ over training",
    big: bool = False,
) -> go.Figure:
    """steps: (T,) update numbers; norm_history: (L, T) ||dW[l]|| per recorded update.
    Dark = almost no gradient, bright = large; exact zeros are grey and labelled "0"."""
    norm_history = np.asarray(norm_history, dtype=float)
    steps, norm_history = downsample_columns(np.asarray(steps), norm_history)
    L = norm_history.shape[0]
    low, high, floor = log_scale(norm_history)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log10(np.where(norm_history > 0, norm_history, np.nan))
    z = np.where(np.isfinite(z), z, np.nan)
    ticks = _ticks(low, high, floor, exponent=True)
    zmin, zmax = (floor if floor is not None else low), high
    if floor is not None:
        z = np.where(norm_history == 0, floor, z)
    if high == low:  # nothing but zeros
        scale, zmax = [[0.0, ZERO_COLOUR], [1.0, ZERO_COLOUR]], zmin + 1
    elif floor is not None:
        # Zeros (at the floor) are grey; real values start one decade higher, at ``low``.
        cut = 0.5 / (high - floor)
        scale = [[0.0, ZERO_COLOUR], [cut, ZERO_COLOUR], [cut, "#440154"], [cut + (1 - cut) * 0.5, "#21918c"],
                 [1.0, "#fde725"]]
    else:
        scale = "Viridis"
    # The colour bar's title beside it (on top it sat on the highest tick label).
    colourbar = {"title": {"text": "‖dW‖", "side": "right"}, "thickness": 14, "len": 0.9, **ticks}
    edges = column_edges(steps)
    trace = go.Heatmap(
        x=edges, y=np.arange(1, L + 1), z=z.astype(np.float32), zmin=zmin, zmax=zmax, colorscale=scale,
        colorbar=colourbar, customdata=norm_history.astype(np.float32),
        hovertemplate="layer %{y}, update %{x:.0f}<br>‖dW‖ = %{customdata:.2e}<extra></extra>",
    )
    return go.Figure([trace], layout(
        title, height, big,
        xaxis={"title": {"text": "update", "standoff": 12}, "range": [edges[0], max(edges[-1], 10)], "nticks": 5},
        yaxis={"title": {"text": "layer l"}, "dtick": _layer_dtick(L, big), "range": [0.5, L + 0.5]},
        margin=_margin(big, bottom=60),
    ))


# -- 3. activation distributions --------------------------------------------------------------------
def _value_range(activations: Sequence[np.ndarray], bounds: tuple[float, float] | None) -> tuple[float, float]:
    if bounds is not None:
        return bounds
    low, high = 0.0, 0.0  # mean ± 3 std of every layer, within its actual min and max
    for A in activations:
        mean, std = float(A.mean()), float(A.std())
        low = min(low, max(mean - 3 * std, float(A.min())))
        high = max(high, min(mean + 3 * std, float(A.max())))
    return low, (high if high > low else low + 1.0)


def activation_shapes(activations: Sequence[np.ndarray], bounds: tuple[float, float] | None = None,
                      drop_zeros: bool = False, bins: int = BINS):
    """Histogram 'violins' of each hidden layer's outputs A[l] (n[l], m) over a common value
    range (``bounds`` where the activation's outputs are bounded): x and y arrays of closed
    outlines separated by NaN (one per layer), and the value range. ``drop_zeros`` (ReLU) leaves
    the exact zeros out: their share is drawn as a bar instead."""
    low, high = _value_range(activations, bounds)
    edges = np.linspace(low, high, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    xs, ys = [], []
    gap = np.array([np.nan])
    for l, A in enumerate(activations, start=1):
        values = A[A != 0] if drop_zeros else A
        counts, _ = np.histogram(values, bins=edges)  # rare values beyond the range are left out
        if counts.max(initial=0) == 0:
            continue
        nonzero = np.flatnonzero(counts)
        a, b = nonzero[0], nonzero[-1] + 1  # trim empty bins at both ends
        width = 0.42 * counts[a:b] / counts.max()
        xs += [l - width, (l + width)[::-1], gap]
        ys += [centres[a:b], centres[a:b][::-1], gap]
    if not xs:
        return np.array([]), np.array([]), (low, high)
    return np.concatenate(xs).astype(np.float32), np.concatenate(ys).astype(np.float32), (low, high)


def activation_figure(
    activations: Sequence[np.ndarray],
    saturated: np.ndarray,
    dead: np.ndarray,
    bounds: tuple[float, float] | None = None,
    height: int = 420,
    title: str = "What each layer outputs: A[l] over a batch",
    big: bool = False,
) -> go.Figure:
    """Top: the distribution of every hidden layer's outputs (one histogram 'violin' per layer),
    over ``bounds`` where the outputs are bounded. Bottom: the share of saturated units
    (sigmoid/tanh), or inactive (z ≤ 0) and dead units where units can die (``dead`` finite:
    ReLU), per layer. activations: hidden A[1..L-1], each (n[l], m); saturated, dead: (≥ L-1,)."""
    n = len(activations)
    layers = np.arange(1, n + 1)
    can_die = bool(np.isfinite(np.asarray(dead, float)[:n]).any())
    xs, ys, (low, high) = activation_shapes(activations, bounds, drop_zeros=can_die)
    means = [float(A.mean()) for A in activations]
    spreads = [float(A.std()) for A in activations]
    traces = [
        go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor="rgba(28,126,214,0.35)",
                   line={"color": SHAPE_COLOUR, "width": 1}, hoverinfo="skip", showlegend=False),
        go.Scatter(x=layers, y=means, mode="markers", marker={"color": "#212529", "size": 5}, name="mean",
                   customdata=spreads, showlegend=False,
                   hovertemplate="layer %{x}<br>mean %{y:.3g}, std %{customdata:.3g}<extra></extra>"),
    ]
    saturated, dead = np.asarray(saturated, float)[:n], np.asarray(dead, float)[:n]
    if can_die:
        bars = [("z ≤ 0 (output 0)", saturated, "#adb5bd"), ("dead units", dead, "#c92a2a")]
    else:
        bars = [("saturated", saturated, "#e8590c")]
    for name, values, colour in bars:
        if np.isfinite(values).any():
            traces.append(go.Bar(x=layers, y=np.nan_to_num(values), name=name, marker_color=colour, yaxis="y2",
                                 hovertemplate=f"layer %{{x}}: %{{y:.0%}} {name}<extra></extra>"))
    pad = 0.04 * (high - low)
    return go.Figure(traces, layout(
        title, height, big,
        xaxis={"title": {"text": "hidden layer l"}, "range": [0.4, n + 0.6], "dtick": _layer_dtick(n, big),
               "anchor": "y2"},
        yaxis={"title": {"text": "output value a"}, "domain": [0.36, 1.0], "range": [low - pad, high + pad], **GRID},
        yaxis2={"title": {"text": "share"}, "domain": [0.0, 0.26], "range": [0, 1], "tickformat": ".0%",
                "dtick": 0.5, **GRID},
        barmode="group", bargap=0.25,
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right",
                "font": {"size": font_sizes(big)[1]}},
        margin=_margin(big, left=70, top=80),
    ))


# -- symmetry: identical units ----------------------------------------------------------------------
def unit_outputs_figure(A: np.ndarray, layer: int, height: int = 260, max_examples: int = 60,
                        big: bool = False) -> go.Figure:
    """One layer's outputs, unit × example (A: (n[l], m)). Identical units = identical rows."""
    A = np.asarray(A, dtype=float)[:, :max_examples]
    low, high = float(A.min()), float(A.max())
    if high - low < 1e-9:
        low, high = low - 0.5, high + 0.5
    trace = go.Heatmap(z=A.astype(np.float32), x=np.arange(1, A.shape[1] + 1), y=np.arange(1, A.shape[0] + 1),
                       zmin=low, zmax=high, colorscale="Viridis", colorbar={"title": {"text": "a"}, "thickness": 14},
                       ygap=2,
                       hovertemplate="unit %{y}, example %{x}: a = %{z:.4g}<extra></extra>")
    return go.Figure([trace], layout(
        f"Layer {layer} outputs, unit by example", height, big,
        margin=_margin(big),
        xaxis={"title": {"text": "training example"}},
        yaxis={"title": {"text": "unit"}, "dtick": 1 if A.shape[0] <= 8 else 4},
    ))


# -- comparisons (drawn once, not live) ------------------------------------------------------------
def _legend_below(count: int, big: bool) -> tuple[dict, int]:
    """A comparison's legend under the x-axis title, one run per line (the chart's width is not
    known here, so nothing wraps), and the height it takes: the figure grows by it."""
    small = font_sizes(big)[1]
    return ({"orientation": "v", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0, "font": {"size": small}},
            count * round(1.6 * small) + 6)


def _compare_axes(x: dict, y: dict) -> dict:
    """Axis titles and tick labels that make room for themselves (``automargin``): the page draws
    these with ``live_chart``, without Streamlit's theme, which used to set that."""
    return {"xaxis": {**x, "title": {**x["title"], "standoff": 8}, "automargin": True},
            "yaxis": {**y, "ticklabelstandoff": 6, "automargin": True}}


def compare_cost_figure(
    labels: Sequence[str],
    steps: Sequence[np.ndarray],
    costs: Sequence[np.ndarray],
    diverged: Sequence[bool],
    height: int = 380,
    title: str = "Cost during training",
    big: bool = False,
) -> go.Figure:
    """Overlaid training-cost curves. A run that diverged ends with an × at the top."""
    finite = [c[np.isfinite(c)] for c, d in zip(costs, diverged) if not d]
    top = max([float(c.max()) for c in finite if c.size] + [0.1]) * 1.08
    traces = []
    for i, (label, x, y, bad) in enumerate(zip(labels, steps, costs, diverged)):
        colour = LAYER_COLOURS[i % len(LAYER_COLOURS)]
        y = np.asarray(y, dtype=float)
        shown = np.where(np.isfinite(y), np.minimum(y, top), top)
        name = f"{label} (diverged at update {int(x[-1]) + 1})" if bad else label
        traces.append(go.Scatter(x=x, y=shown, name=name, mode="lines", line={"color": colour, "width": 2.5},
                                 customdata=y, hovertemplate=f"{label}<br>update %{{x}}: J = %{{customdata:.4g}}"
                                 "<extra></extra>"))
        if bad:
            traces.append(go.Scatter(x=[x[-1]], y=[top], mode="markers+text", text=["diverged"], cliponaxis=False,
                                     textposition="middle right", marker={"symbol": "x", "size": 13, "color": colour},
                                     textfont={"color": colour},
                                     showlegend=False, hoverinfo="skip"))
    legend, below = _legend_below(len(labels), big)
    return go.Figure(traces, layout(
        title, height + below, big,
        **_compare_axes({"title": {"text": "update"}, "rangemode": "tozero", **GRID},
                        {"title": {"text": "training cost J"}, "range": [0, top], **GRID}),
        legend=legend, margin={**_margin(big, bottom=60), "b": _margin(big, bottom=60)["b"] + below},
    ))


def compare_profile_figure(
    labels: Sequence[str],
    norms: Sequence[np.ndarray],
    height: int = 380,
    title: str = "Gradient size per layer, ‖dW[l]‖",
    big: bool = False,
) -> go.Figure:
    """Overlaid per-layer gradient profiles (each (L_i,)), on one zero-safe log axis."""
    yaxis, floor = log_axis(np.concatenate([np.asarray(n, float) for n in norms]), "‖dW[l]‖ (log scale)")
    longest = max(len(n) for n in norms)
    traces = []
    for i, (label, values) in enumerate(zip(labels, norms)):
        values = np.asarray(values, dtype=float)
        traces.append(go.Scatter(
            x=np.arange(1, len(values) + 1), y=on_log_scale(values, floor), name=label, mode="lines+markers",
            line={"color": LAYER_COLOURS[i % len(LAYER_COLOURS)], "width": 2.5}, customdata=_norm_text(values),
            hovertemplate=f"{label}<br>layer %{{x}}: ‖dW‖ = %{{customdata}}<extra></extra>",
        ))
    legend, below = _legend_below(len(labels), big)
    return go.Figure(traces, layout(
        title, height + below, big,
        **_compare_axes({"title": {"text": "layer l (1 = next to the input)"}, "range": [0.5, longest + 0.5],
                         "dtick": _layer_dtick(longest, big), **GRID}, yaxis),
        shapes=_floor_line(floor), legend=legend,
        margin={**_margin(big, left=70, bottom=60), "b": _margin(big, bottom=60)["b"] + below},
    ))
