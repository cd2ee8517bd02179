"""A matrix as a heatmap with its numbers in the cells, titled with its name and shape.

``matrix_figure("W[1]", W)`` draws every entry of W with its value (orange negative, blue
positive, white at 0, on a colour scale symmetric about 0), titled "W[1]: 3×2". The figure
has a fixed size in pixels that follows the matrix (rows × columns of cells wide enough for
the longest number), so several can sit side by side like the terms of an equation and wrap
on a narrow screen. Large matrices are cut to their top-left ``MAX_ROWS × MAX_COLS`` block
and the title says so.

Pure: NumPy arrays in, ``plotly.graph_objects.Figure`` out. Numbers at 15 px in the page's font
(``style.FONT_FAMILY``, the one ``CHAR_WIDTH`` is measured for): the page draws it with
``live_chart``, without Streamlit's theme, so the figure sets its own font.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import FONT_FAMILY

MAX_ROWS = 8
MAX_COLS = 8
FONT_SIZE = 15
CELL_HEIGHT = 36
CHAR_WIDTH = 7.5  # pixels per character of a number at FONT_SIZE
MIN_WIDTH = 150  # room for the title and a hover label over a 1×1 matrix
# Negative orange, positive blue, white at 0: the Playground's convention (plots/style.py).
COLORSCALE = [[0.0, "#d9480f"], [0.5, "#f8f9fa"], [1.0, "#1864ab"]]


def truncate(values: np.ndarray, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> tuple[np.ndarray, str]:
    """The top-left ``max_rows × max_cols`` block of a 2-D array and a note saying what was cut
    ("" when nothing was)."""
    values = np.atleast_2d(np.asarray(values, dtype=float))
    rows, cols = values.shape
    notes = []
    if rows > max_rows:
        notes.append(f"{max_rows} of {rows} rows")
    if cols > max_cols:
        notes.append(f"{max_cols} of {cols} columns")
    return values[:max_rows, :max_cols], ("showing " + ", ".join(notes)) if notes else ""


def format_number(value: float) -> str:
    """Three decimals without trailing zeros ("0.5", "-0.123", "1"); scientific outside
    [0.001, 1000) so tiny gradients stay visible ("2.1e-5")."""
    if not np.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e3:
        text = f"{value:.3f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return f"{value:.1e}".replace("e-0", "e-").replace("e+0", "e")


def shape_title(name: str, values: np.ndarray) -> str:
    """"W[1]: 3×2" — a matrix's name with its full (untruncated) shape."""
    rows, cols = np.atleast_2d(values).shape
    return f"{name}: {rows}×{cols}"


def _title_lines(lines: list[tuple[str, int]]) -> list[dict]:
    """Title lines stacked upwards from the top of the cells, one annotation each (a multi-line
    Plotly title would grow into the heatmap)."""
    return [
        dict(text=text, x=0.5, y=1, xref="paper", yref="paper", xanchor="center", yanchor="bottom",
             yshift=4 + 20 * (len(lines) - 1 - i), showarrow=False, font=dict(size=size, color="#212529"))
        for i, (text, size) in enumerate(lines)
    ]


def matrix_figure(name: str, values: np.ndarray, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> go.Figure:
    """One matrix (2-D array) as a heatmap with its numbers, titled "name: rows×cols"; when cut
    to ``max_rows × max_cols`` a second title line says which part is shown."""
    block, note = truncate(values, max_rows, max_cols)
    rows, cols = block.shape
    text = [[format_number(v) for v in row] for row in block]
    longest = max(len(t) for row in text for t in row)
    cell_width = max(40.0, CHAR_WIDTH * longest + 10)
    title = shape_title(name, values)
    title_width = 9.0 * max(len(title), 0.85 * len(note))
    plot_width = cols * cell_width
    side = max(6.0, (title_width - plot_width) / 2 + 4, (MIN_WIDTH - plot_width) / 2)
    limit = float(np.max(np.abs(block[np.isfinite(block)]), initial=0.0)) or 1.0
    hidden_axis = dict(showticklabels=False, ticks="", showgrid=False, zeroline=False, fixedrange=True)
    return go.Figure(
        go.Heatmap(
            z=block, text=text, texttemplate="%{text}", textfont=dict(size=FONT_SIZE),
            x=np.arange(1, cols + 1), y=np.arange(1, rows + 1),
            colorscale=COLORSCALE, zmin=-limit, zmax=limit, showscale=False, xgap=2, ygap=2,
            hovertemplate=f"{name}" + "[row %{y}, column %{x}] = %{z:.8g}<extra></extra>",
        ),
        go.Layout(
            annotations=_title_lines([(f"<b>{title}</b>", FONT_SIZE + 1)] + ([(note, FONT_SIZE - 1)] if note else [])),
            width=int(plot_width + 2 * side), height=int(rows * CELL_HEIGHT + (62 if note else 40) + 6),
            margin=dict(l=side, r=side, t=62 if note else 40, b=6),
            xaxis=hidden_axis, yaxis=dict(autorange="reversed", **hidden_axis),
            font=dict(size=FONT_SIZE, family=FONT_FAMILY), hoverlabel=dict(font=dict(size=FONT_SIZE - 1)),
            plot_bgcolor="rgba(0,0,0,0)", paper_bgcolor="rgba(0,0,0,0)",
        ),
    )
