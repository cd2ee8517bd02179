"""Activation functions with their derivatives, and softmax on a few logits.

``activation_figure`` draws g(z) (solid) and g'(z) (dashed) over a z grid, shades the regions
where the slope is (nearly) zero and breaks the curves at jumps (step at 0, ReLU's slope at 0)
with open circles, so a non-differentiable point looks like one. ``softmax_figure`` shows
logits next to the probabilities softmax turns them into.

Pure: arrays in, ``plotly.graph_objects.Figure`` out. Fixed heights, fonts ≥ 14 px, and the
font and margins of ``style.layout``. The page draws them with ``live_chart``: no Streamlit
theme, and in the app not Plotly's "plotly" template either (importing Streamlit makes its
"streamlit" template, colours only, the default), so Plotly.js's own defaults apply — e.g. no
automargin — and every figure sets what it needs itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .style import FONT_SIZE, layout

HEIGHT = 340
G_COLOUR = "#1c7ed6"
DG_COLOUR = "#e8590c"
SHADE_COLOUR = "rgba(250, 176, 5, 0.22)"


def flat_intervals(z: np.ndarray, mask: np.ndarray) -> list[tuple[float, float]]:
    """Contiguous runs of ``mask`` over the sorted grid ``z`` as (z_start, z_end) pairs."""
    mask = np.asarray(mask, dtype=bool)
    intervals, start = [], None
    for i, flag in enumerate(mask):
        if flag and start is None:
            start = i
        if start is not None and (not flag or i == len(mask) - 1):
            end = i if flag else i - 1
            intervals.append((float(z[start]), float(z[end])))
            start = None
    return intervals


def _split_at(z: np.ndarray, y: np.ndarray, breaks: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Insert a gap (NaN) at each break so Plotly does not draw a vertical line across a jump;
    the grid point exactly at the break is dropped (the markers show the value there)."""
    keep = ~np.isin(z, breaks)
    z, y = z[keep], y[keep]
    for b in sorted(breaks):
        i = int(np.searchsorted(z, b))
        if 0 < i < len(z):
            z, y = np.insert(z, i, np.nan), np.insert(y, i, np.nan)
    return z, y


def _limits(z: np.ndarray, y: np.ndarray, b: float) -> tuple[float | None, float | None]:
    left, right = z < b, z > b
    return (float(y[left][-1]) if left.any() else None, float(y[right][0]) if right.any() else None)


def activation_figure(
    z: np.ndarray,
    g: np.ndarray,
    dg: np.ndarray,
    title: str,
    flat: np.ndarray | None = None,
    flat_label: str = "flat: g′ ≈ 0",
    g_breaks: Sequence[float] = (),
    dg_breaks: Sequence[float] = (),
    height: int = HEIGHT,
) -> go.Figure:
    """g and g' over the sorted grid z (all 1-D, same length). ``flat`` (bool per z) is shaded
    and labelled ``flat_label``; ``g_breaks`` / ``dg_breaks`` are z values where g / g' jump
    (g keeps its value there — a filled dot — while g' is drawn as undefined: open dots)."""
    z, g, dg = (np.asarray(a, dtype=float) for a in (z, g, dg))
    fig = go.Figure()
    zg, yg = _split_at(z, g, g_breaks)
    fig.add_trace(go.Scatter(x=zg, y=yg, mode="lines", name="g(z)", line=dict(color=G_COLOUR, width=3.5)))
    zd, yd = _split_at(z, dg, dg_breaks)
    fig.add_trace(go.Scatter(x=zd, y=yd, mode="lines", name="g′(z)", line=dict(color=DG_COLOUR, width=3, dash="dash")))
    for b in dg_breaks:
        limits = [v for v in _limits(z, dg, b) if v is not None]
        fig.add_trace(go.Scatter(x=[b] * len(limits), y=limits, mode="markers", showlegend=False, hoverinfo="skip",
                                 marker=dict(size=11, color="white", line=dict(color=DG_COLOUR, width=2.5))))
        fig.add_annotation(x=b, y=max(limits), yshift=24, text="g′ undefined at 0", showarrow=False,
                           font=dict(size=FONT_SIZE - 1, color=DG_COLOUR), bgcolor="rgba(255,255,255,0.8)")
    for b in g_breaks:  # drawn after g′'s open dots so g's own value at the jump stays visible
        left, right = _limits(z, g, b)
        at = g[np.isclose(z, b)]
        value = float(at[0]) if at.size else left
        other = right if value == left else left
        fig.add_trace(go.Scatter(x=[b], y=[value], mode="markers", showlegend=False, hoverinfo="skip",
                                 marker=dict(size=11, color=G_COLOUR)))
        fig.add_trace(go.Scatter(x=[b], y=[other], mode="markers", showlegend=False, hoverinfo="skip",
                                 marker=dict(size=11, color="white", line=dict(color=G_COLOUR, width=2.5))))
    if flat is not None and np.any(flat):
        for lo, hi in flat_intervals(z, flat):
            fig.add_vrect(x0=lo, x1=hi, fillcolor=SHADE_COLOUR, line_width=0, layer="below")
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=flat_label,
                                 marker=dict(symbol="square", size=16, color=SHADE_COLOUR)))
    fig.update_layout(**layout(
        title, height, margin=dict(l=50, r=20, t=50, b=80),
        # The legend sits at the very bottom of the chart, under the z title (it used to sit on it).
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0.0, x=0, font=dict(size=FONT_SIZE - 1)),
        hoverlabel=dict(font=dict(size=FONT_SIZE - 1)), hovermode="x unified",
    ))
    fig.update_xaxes(title=dict(text="z", standoff=4, font=dict(size=FONT_SIZE)), range=[float(z[0]), float(z[-1])],
                     gridcolor="#e9ecef", zerolinecolor="#adb5bd", fixedrange=True, tickfont=dict(size=FONT_SIZE - 1),
                     automargin=True)  # the z title below the tick labels, not on them
    fig.update_yaxes(gridcolor="#e9ecef", zerolinecolor="#adb5bd", fixedrange=True, tickfont=dict(size=FONT_SIZE - 1),
                     automargin=True)
    return fig


def softmax_figure(logits: np.ndarray, probabilities: np.ndarray, labels: Sequence[str] | None = None,
                   height: int = HEIGHT) -> go.Figure:
    """Logits z (left) and softmax(z) (right) as bars with their values; probabilities on [0, 1]."""
    logits, probabilities = np.ravel(logits).astype(float), np.ravel(probabilities).astype(float)
    labels = list(labels or [f"class {k + 1}" for k in range(len(logits))])
    colours = ["#1c7ed6", "#e8590c", "#2f9e44", "#7048e8", "#c2255c"][: len(logits)]
    fig = make_subplots(rows=1, cols=2, subplot_titles=("logits z", "softmax(z): probabilities"),
                        horizontal_spacing=0.12)
    fig.add_trace(go.Bar(x=labels, y=logits, marker_color=colours, text=[f"{v:.2f}" for v in logits],
                         textposition="outside", cliponaxis=False, showlegend=False), row=1, col=1)
    fig.add_trace(go.Bar(x=labels, y=probabilities, marker_color=colours, text=[f"{p:.3f}" for p in probabilities],
                         textposition="outside", cliponaxis=False, showlegend=False), row=1, col=2)
    span = max(5.0, float(np.max(np.abs(logits))) if logits.size else 5.0) * 1.25
    fig.update_yaxes(range=[-span, span], row=1, col=1, zerolinecolor="#868e96")
    fig.update_yaxes(range=[0, 1.15], row=1, col=2)
    fig.update_yaxes(gridcolor="#e9ecef", fixedrange=True, tickfont=dict(size=FONT_SIZE - 1))
    fig.update_xaxes(fixedrange=True, tickfont=dict(size=FONT_SIZE))
    fig.update_annotations(font=dict(size=FONT_SIZE + 2))
    fig.update_layout(**layout("", height, margin=dict(l=50, r=20, t=50, b=40),
                               hoverlabel=dict(font=dict(size=FONT_SIZE - 1)), legend=dict(font=dict(size=FONT_SIZE - 1)),
                               uniformtext=dict(minsize=FONT_SIZE - 1, mode="show")))
    return fig


def spread_figure(z_without: np.ndarray, z_with: np.ndarray, z: np.ndarray, g: np.ndarray, title: str,
                  height: int = 340) -> go.Figure:
    """Histograms of a layer's z without and with batch normalization, over the curve g(z)
    (right axis): where the bars sit on the curve is where the units work."""
    low = float(min(z.min(), np.percentile(z_without, 1)))
    high = float(max(z.max(), np.percentile(z_without, 99)))
    bins = {"start": low, "end": high, "size": (high - low) / 60}
    traces = [
        go.Histogram(x=z_without, name="without batch norm", xbins=bins, histnorm="probability",
                     marker={"color": "#e8590c"}, opacity=0.6),
        go.Histogram(x=z_with, name="with batch norm", xbins=bins, histnorm="probability",
                     marker={"color": "#1c7ed6"}, opacity=0.6),
        go.Scatter(x=z, y=g, name="g(z)", yaxis="y2", mode="lines", line={"color": "#212529", "width": 2}),
    ]
    return go.Figure(traces, layout(
        title, height, barmode="overlay",
        xaxis={"title": {"text": "z reaching the activation", "standoff": 4}, "range": [low, high], "automargin": True},
        yaxis={"title": {"text": "share of values"}, "tickformat": ".0%", "automargin": True},
        yaxis2={"overlaying": "y", "side": "right", "showgrid": False, "zeroline": False, "tickmode": "auto",
                "title": {"text": "g(z)"}, "automargin": True},
        # at the very bottom of the chart, under the z title (as activation_figure's)
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0, "x": 0,
                "font": {"size": FONT_SIZE - 1}},
        hoverlabel={"font": {"size": FONT_SIZE - 1}},
        margin={"l": 60, "r": 60, "t": 50, "b": 90},
    ))
