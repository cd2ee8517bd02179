"""playground.ui.html_table: small tables as escaped HTML (instead of st.table's Arrow code)."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import read_html_tables

from playground.ui.html_table import CLASS, RIGHT, WRONG, html_table, marked


def test_columns_values_and_row_styles_round_trip():
    rows = [{"x1": 0, "s": "0.5 + (-1)·0 = 0.5", "right?": "✓"}, {"x1": 1, "s": "-0.5", "right?": "✗"}]
    text = html_table(rows, marked("right?"), wrap=["s"])
    [table] = read_html_tables(text)
    assert table["class"] == CLASS and table["header"] == ["x1", "s", "right?"]
    assert [r["cells"] for r in table["rows"]] == [["0", "0.5 + (-1)·0 = 0.5", "✓"], ["1", "-0.5", "✗"]]
    assert [r["style"] for r in table["rows"]] == [RIGHT, WRONG]
    assert "\n" not in text  # one line: a blank line would end markdown's HTML block


def test_text_is_escaped_not_markup():
    hostile = '<img src=x onerror="alert(1)"> & **bold** `code`'
    text = html_table([{'"><script>': hostile}], [RIGHT])
    assert "<img" not in text and "<script>" not in text
    [table] = read_html_tables(text)
    assert table["header"] == ['"><script>'] and table["rows"][0]["cells"] == [hostile]


def test_a_data_frame_with_formats_and_a_style_per_row():
    frame = pd.DataFrame({"parameter": ["W[1]", "b[1]"], "relative difference": [1.234e-9, 0.5]})
    text = html_table(frame, ["background-color:#d3f9d8", "background-color:#ffc9c9"],
                      formats={"relative difference": "{:.2e}".format})
    [table] = read_html_tables(text)
    assert [r["cells"] for r in table["rows"]] == [["W[1]", "1.23e-09"], ["b[1]", "5.00e-01"]]
    assert table["rows"][1]["style"] == "background-color:#ffc9c9"


def test_readable_and_scrolling_inside_its_own_box():
    text = html_table([{"a": 1}])
    assert text.startswith('<div style="overflow-x:auto')  # wider than a phone: the table scrolls, not the page
    assert "font-size:16px" in text


def test_one_style_per_row():
    with pytest.raises(ValueError, match="1 row styles for 2 rows"):
        html_table([{"a": 1}, {"a": 2}], [RIGHT])
