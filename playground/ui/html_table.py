"""Small tables as plain HTML in a markdown element, instead of ``st.table``.

``st.table`` (and ``st.dataframe``) send the table as Arrow: the first one a browser tab draws
fetches and evaluates Streamlit's Arrow table code (``arrowFormatUtils…js``, 743 kB, plus its
Table chunks), ~0.4 s of opening the Perceptron page. A markdown element's code is loaded on
every page already (titles, sentences), so a table written as HTML costs its opening nothing.

Every cell and header is escaped; the whole table is one line of HTML (a blank line would end
the HTML block and let markdown read the rest). The table scrolls sideways inside its own box
if it is wider than the screen, never the page.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence

import streamlit as st

CLASS = "np-table"  # tests and CSS find the tables by it
FONT_PX = 16  # readable on a phone (≥ 14 px) and in a lecture hall
TEXT = "#262730"  # Streamlit's light-theme text colour: the row colours below are light
CELL = "padding:0.3rem 0.55rem;text-align:center;border-bottom:1px solid #d0d4da;"
RIGHT = "background-color:#ebfbee"
WRONG = "background-color:#fff5f5"


def _cell(tag: str, value: object, style: str) -> str:
    return f'<{tag} style="{html.escape(style)}">{html.escape(str(value))}</{tag}>'


def html_table(
    rows: Iterable[Mapping[str, object]],
    row_style: Callable[[Mapping[str, object]], str] | Sequence[str] | None = None,
    *,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    wrap: Iterable[str] = (),
    font_px: int = FONT_PX,
) -> str:
    """``rows`` (dicts with the same keys, or a DataFrame) as one line of HTML.

    ``row_style``: a CSS declaration per row (a list, or a function of the row), e.g. ``RIGHT``;
    ``formats``: column → function from value to text; ``wrap``: columns whose long text may
    break over lines (the others' cells stay on one line; headers may always wrap).
    """
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    rows = list(rows)
    columns = list(rows[0]) if rows else []
    formats = formats or {}
    wrap = set(wrap)
    if row_style is None:
        styles = [""] * len(rows)
    elif callable(row_style):
        styles = [row_style(row) for row in rows]
    else:
        styles = list(row_style)
        if len(styles) != len(rows):
            raise ValueError(f"{len(styles)} row styles for {len(rows)} rows")

    def space(column: str) -> str:
        return "white-space:normal;" if column in wrap else "white-space:nowrap;"

    head = "".join(_cell("th", c, CELL + "white-space:normal;font-weight:600;") for c in columns)  # headers may wrap
    body = "".join(
        f'<tr style="{html.escape(style)}">'
        + "".join(_cell("td", formats.get(c, str)(row[c]), CELL + space(c)) for c in columns)
        + "</tr>"
        for row, style in zip(rows, styles)
    )
    table = (f'<table class="{CLASS}" style="border-collapse:collapse;border:none;margin:0;'
             f'font-size:{font_px}px;color:{TEXT};width:auto;max-width:none">'
             f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    return f'<div style="overflow-x:auto;max-width:100%;margin-bottom:0.5rem">{table}</div>'


def show_table(rows, row_style=None, **options) -> None:
    """Draw ``html_table(rows, row_style, **options)`` as a markdown element."""
    st.markdown(html_table(rows, row_style, **options), unsafe_allow_html=True)


def marked(column: str, good: str = "✓") -> Callable[[Mapping[str, object]], str]:
    """Row style: green where ``row[column] == good``, red otherwise (right / wrong rows)."""
    return lambda row: RIGHT if row[column] == good else WRONG
