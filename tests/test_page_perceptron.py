"""AppTest for the Perceptron page's controls (runs the real router, then switches page).

``AppTest.from_file("pages/perceptron.py")`` cannot be used: run on its own, the page's folder
comes first on ``sys.path`` and ``pages/playground.py`` shadows the ``playground`` package.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import html_tables
from streamlit.testing.v1 import AppTest

from playground.ui.html_table import RIGHT, WRONG

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "pages/perceptron.py"
NOR_PRESET = "NOR (0.5, −1, −1)"


def open_page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(PAGE)
    if query:
        at.query_params.clear()
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def at() -> AppTest:
    return open_page()


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}"
    return matches[0]


def columns(rows: list[dict[str, str]]) -> dict[str, list[str]]:
    """A table read off the page as {column: its cells, top to bottom} (the row colours under "style")."""
    return {name: [row[name] for row in rows] for name in rows[0]}


def truth_table(at: AppTest) -> dict[str, list[str]]:
    return columns(html_tables(at)[0])


def table_with(at: AppTest, column: str) -> dict[str, list[str]]:
    return next(columns(t) for t in html_tables(at) if column in t[0])


def test_tables_are_html_with_right_rows_green_and_wrong_rows_red(at):
    """No st.table: its Arrow table code would load on opening the page (issue 15)."""
    assert not at.table
    table = truth_table(at)  # AND at the default weights (0, 0, 0): s = 0, output 0 everywhere
    assert table["right?"] == ["✓", "✓", "✓", "✗"]
    assert table["style"] == [RIGHT, RIGHT, RIGHT, WRONG]
    fix = table_with(at, "P(output = 1)")  # the hidden-layer network's truth table, on AND's rows
    assert list(fix) == ["x1", "x2", "target", "P(output = 1)", "output", "right?", "style"]
    assert fix["target"] == ["0", "0", "0", "1"] and all(len(p) == 5 for p in fix["P(output = 1)"])
    assert fix["style"] == [RIGHT if mark == "✓" else WRONG for mark in fix["right?"]]


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_page_renders_every_section(at):
    assert at.title[0].value == "Perceptron & logic gates"
    headers = [h.value for h in at.header]
    assert headers == ["1. Pick a gate", "2. Set the weights by hand", "3. The perceptron rule, step by step",
                       "4. Why XOR needs a hidden layer", "5. The fix: a hidden layer"]
    assert len(at.caption) >= 8  # every view has its plain-words caption
    assert truth_table(at)["target"] == ["0", "0", "0", "1"]  # AND by default


def test_nor_preset_computes_nor(at):
    button(at, NOR_PRESET).click().run()
    assert "These weights compute: **NOR**" in markdown_text(at)
    table = truth_table(at)
    assert table["output"] == ["1", "0", "0", "0"]
    assert table["s = w0 + w1·x1 + w2·x2"][0] == "0.5 + (-1)·0 + (-1)·0 = 0.5"
    assert at.slider(key="perceptron.w0").value == 0.5
    assert (at.query_params["w0"], at.query_params["w1"], at.query_params["w2"]) == ("0.5", "-1", "-1")


def test_sliders_set_the_weights_and_the_name_follows(at):
    at.slider(key="perceptron.w0").set_value(-1.5).run()
    at.slider(key="perceptron.w1").set_value(1.0).run()
    at.slider(key="perceptron.w2").set_value(1.0).run()
    assert "These weights compute: **AND**" in markdown_text(at)
    assert truth_table(at)["right?"] == ["✓"] * 4
    assert at.query_params["w0"] == "-1.5"


def test_picking_a_gate_changes_targets_and_url(at):
    at.button_group(key="perceptron.gate").set_value("XOR").run()
    assert truth_table(at)["target"] == ["0", "1", "1", "0"]
    assert any("**not** linearly separable" in c.value for c in at.caption)
    assert at.query_params["gate"] == "XOR"
    at.button_group(key="perceptron.gate").set_value("NOT").run()
    assert list(truth_table(at))[:2] == ["x1", "s = w0 + w1·x1"]
    assert at.slider(key="perceptron.w2").disabled


def test_custom_table_flips_outputs_by_clicking(at):
    at.button_group(key="perceptron.gate").set_value("custom").run()
    assert truth_table(at)["target"] == ["0", "1", "1", "0"]  # starts as XOR
    button(at, "x1=0, x2=0 → 0").click().run()
    button(at, "x1=1, x2=1 → 0").click().run()
    assert truth_table(at)["target"] == ["1", "1", "1", "1"]
    assert at.query_params["table"] == "1111"
    assert any("constant 1, linearly separable" in c.value for c in at.caption)


def test_rule_step_by_step_then_to_convergence_on_and(at):
    button(at, "Reset (w = 0, b = 0)").click().run()
    button(at, "Next example").click().run()
    text = markdown_text(at)
    assert "Epoch 1, example 1" in text and "**mistake**" in text
    steps = table_with(at, "y·s ≤ 0?")
    assert steps["y·s ≤ 0?"] == ["mistake"] and steps["style"] == [WRONG]
    assert steps["epoch"] == ["1"] and steps["x"] == ["0,0"] and steps["y"] == ["-1"]
    assert at.slider(key="perceptron.w0").value == -1.0
    button(at, "Run epoch").click().run()
    assert "4 examples presented" in at.info[0].value
    button(at, "Run to convergence").click().run()
    assert at.success[0].value.startswith("Converged after 18 updates in 9 epochs")
    steps = table_with(at, "y·s ≤ 0?")
    assert len(steps["epoch"]) == 8 and steps["epoch"][-1] == "9" and steps["y·s ≤ 0?"][-4:] == ["ok"] * 4
    assert steps["style"][-4:] == [RIGHT] * 4
    assert truth_table(at)["right?"] == ["✓"] * 4
    assert button(at, "Next example").disabled
    button(at, "Reset (w = 0, b = 0)").click().run()
    assert at.query_params["w0"] == "0" and not at.success


def test_rule_on_xor_never_converges():
    at = open_page({"gate": "XOR"})
    button(at, "Run to convergence").click().run()
    assert "Never converges" in at.error[0].value
    inequalities = table_with(at, "needs")
    # non-breaking spaces: a narrow column breaks these only after a "+"
    assert inequalities["needs"] == ["w0\u00a0≤\u00a00", "w0\u00a0+ w2\u00a0>\u00a00", "w0\u00a0+ w1\u00a0>\u00a00",
                                     "w0\u00a0+ w1\u00a0+ w2\u00a0≤\u00a00"]
    assert inequalities["holds?"] == ["✓", "✗", "✗", "✓"]
    assert inequalities["style"] == [RIGHT, WRONG, WRONG, RIGHT]


def test_link_restores_the_page():
    at = open_page({"gate": "NOR", "w0": "0.5", "w1": "-1", "w2": "-1", "net": "2-4-1", "net_act": "sigmoid"})
    assert at.button_group(key="perceptron.gate").value == "NOR"
    assert truth_table(at)["right?"] == ["✓"] * 4
    assert at.selectbox(key="perceptron.net_act").value == "sigmoid"
    assert not at.warning


def test_malformed_link_values_fall_back_with_a_warning():
    at = open_page({"gate": "MAYBE", "w1": "abc", "w2": "0.5", "dataset": "moons"})
    warnings = " ".join(w.value for w in at.warning)
    assert "**Gate**: `MAYBE`" in warnings and "**Weight w1**: `abc`" in warnings
    assert at.button_group(key="perceptron.gate").value == "AND"
    assert at.slider(key="perceptron.w2").value == 0.5
    assert at.query_params["gate"] == "AND" and at.query_params["w1"] == "0"
    assert at.query_params["dataset"] == "moons"  # another page's parameter is left alone


def test_state_survives_switching_pages_and_back(at):
    at.button_group(key="perceptron.gate").set_value("NOR").run()
    button(at, NOR_PRESET).click().run()
    at.switch_page("pages/gradients.py").run()
    at.switch_page(PAGE).run()
    assert at.button_group(key="perceptron.gate").value == "NOR"
    assert at.slider(key="perceptron.w0").value == 0.5
    assert "These weights compute: **NOR**" in markdown_text(at)


def test_fix_network_steps_plays_and_pauses():
    at = open_page({"gate": "XOR"})
    assert "**Step 0**" in markdown_text(at)
    button(at, "Step ×100").click().run()
    assert "**Step 100**" in markdown_text(at)
    button(at, "▶ Play").click().run()  # AppTest runs the fragment once per run: one tick
    assert "**Step 125**" in markdown_text(at)
    assert button(at, "▶ Play").disabled and not button(at, "Pause").disabled
    button(at, "Pause").click().run()
    assert "**Step 125**" in markdown_text(at)
    assert not button(at, "▶ Play").disabled


def test_fix_settings_live_in_the_url_and_reset_the_network(at):
    button(at, "Step ×100").click().run()
    at.button_group(key="perceptron.net").set_value("2-4-1").run()
    at.selectbox(key="perceptron.net_act").set_value("relu").run()
    at.number_input(key="perceptron.net_seed").set_value(3).run()
    assert (at.query_params["net"], at.query_params["net_act"], at.query_params["net_seed"]) == ("2-4-1", "relu", "3")
    assert "**Step 0**" in markdown_text(at)
