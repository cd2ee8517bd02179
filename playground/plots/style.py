"""Shared look of every figure: class colours, colour scales, fonts big enough for a projector."""

from __future__ import annotations

import plotly.graph_objects as go

# TensorFlow Playground's orange/blue, plus a third class colour for 3-class datasets.
CLASS_COLOURS = ("#f08c00", "#1c7ed6", "#2f9e44", "#ae3ec9", "#e03131", "#0c8599", "#5c940d", "#d6336c", "#495057", "#845ef7")
POSITIVE, NEGATIVE = "#1c7ed6", "#f08c00"  # weights > 0 blue, < 0 orange (as TF Playground)
LAYER_COLOURS = ("#1971c2", "#e8590c", "#2b8a3e", "#9c36b5", "#c92a2a", "#0b7285", "#5f3dc4", "#a61e4d",
                 "#364fc7", "#087f5b", "#d9480f", "#862e9c")

# P(class 1) from 0 (orange) through white (undecided) to 1 (blue).
BINARY_SCALE = [[0.0, "#f08c00"], [0.5, "#ffffff"], [1.0, "#1c7ed6"]]
# A diverging scale for regression values (negative orange, positive blue).
DIVERGING_SCALE = [[0.0, "#d9480f"], [0.5, "#f8f9fa"], [1.0, "#1864ab"]]

FONT_SIZE = 15
BIG_FONT_SIZE = 20
# The smallest text a chart draws (legends, bar labels, hover): ≥ 16 px in presentation mode,
# readable from the back of a room on a 1280×720 projector.
SMALL_FONT_SIZE = 13
BIG_SMALL_FONT_SIZE = 16
FONT_FAMILY = "'Source Sans', 'Source Sans Pro', 'Helvetica Neue', Arial, sans-serif"  # the page's own font


def font_sizes(big: bool = False) -> tuple[int, int]:
    """(normal, small) chart text sizes in px."""
    return (BIG_FONT_SIZE, BIG_SMALL_FONT_SIZE) if big else (FONT_SIZE, SMALL_FONT_SIZE)


def compact_number(value: float, width: int = 8, decimals: int = 6) -> str:
    """A number for a metric card that never runs out of its box: fixed-point with up to
    ``decimals`` decimals within ``width`` characters (0.694147, 123.4568), scientific notation
    past that (18067712.35 → "1.807e+07", 0.0000012 → "1.200e-06"), "NaN"/"∞" as such."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "−∞"
    magnitude = abs(value)
    if magnitude >= 10 ** (width - 2) or 0 < magnitude < 1e-4:
        return f"{value:.3e}"
    digits = len(str(int(magnitude))) + (value < 0)
    return f"{value:.{max(0, min(decimals, width - digits - 1))}f}"


def layout(title: str, height: int, big: bool = False, **overrides) -> dict:
    """Title, font and margins used by every figure; fixed height so the page never jumps.

    Figures are built in one ``go.Figure(traces, layout)`` call: Plotly's ``make_subplots``
    and repeated ``update_*`` calls cost 10–40 ms each, too slow for a live view.
    """
    size = BIG_FONT_SIZE if big else FONT_SIZE
    spec = {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "y": 0.985, "yanchor": "top", "yref": "container",
                  "font": {"size": size + 3}},
        "font": {"size": size, "family": FONT_FAMILY},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "legend": {"font": {"size": font_sizes(big)[1]}},
        "hoverlabel": {"font": {"size": font_sizes(big)[1]}},
    }
    spec.update(overrides)
    return spec


def base_layout(fig: go.Figure, title: str, height: int, big: bool = False, **overrides) -> go.Figure:
    """Apply ``layout`` to an existing figure (for figures that are not redrawn live)."""
    return fig.update_layout(**layout(title, height, big, **overrides))


def class_colour(k: int) -> str:
    return CLASS_COLOURS[k % len(CLASS_COLOURS)]


def layer_colour(l: int) -> str:
    return LAYER_COLOURS[(l - 1) % len(LAYER_COLOURS)]


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))
