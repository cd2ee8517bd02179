"""AppTest: the practice exercises in the pages — every page's "Exercises from the notes" help
and its set-up buttons, the Playground's Compare panel, the Digits feature maps and Inside a
step's vectorization timing."""

from __future__ import annotations

import helpers
import pytest

from playground.teaching.exercises import EXERCISES, PAGES
from playground.ui.exercises import OPEN_KEY
from playground.ui.keys import DIGITS


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def open_exercises(at):
    """Click the "Exercises from the notes" expander open (its rows are drawn only while open)."""
    at.session_state[OPEN_KEY] = True
    return at.run()


def expander_text(at) -> str:
    exp = next(e for e in at.expander if e.label.startswith("Exercises from the notes"))
    return " ".join(m.value for m in exp.markdown)


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_names_every_exercise_and_where_it_is_done(page):
    at = helpers.make_app(f"pages/{page}.py", timeout=120)
    assert not next(e for e in at.expander if e.label.startswith("Exercises")).children  # closed: not drawn
    text = expander_text(open_exercises(at))
    for exercise in EXERCISES:
        assert exercise.name in text, exercise.name
    mine = [e for e in EXERCISES if e.page == page]
    assert f"({len(mine)} on this page)" in next(e.label for e in at.expander if e.label.startswith("Exercises"))


def test_a_preset_on_another_page_sets_it_up_and_goes_there():
    at = open_exercises(helpers.make_app("pages/playground.py", timeout=120))
    button(at, "3 hidden layers (64, 32, 16)").click().run()
    assert not at.exception
    assert at.title[0].value == "Handwritten digits"
    settings = at.session_state["digits.settings"]
    assert settings.dataset == "digits10" and settings.hidden_sizes == (64, 32, 16)
    assert at.session_state[DIGITS.session].layer_sizes == (64, 64, 32, 16, 10)


def test_a_preset_on_this_page_changes_its_widgets():
    at = helpers.make_app("pages/gradients.py", timeout=120)
    at.session_state["gradients.settings"] = at.session_state["gradients.settings"].replace(hidden_sizes=(8,) * 3)
    open_exercises(at)
    button(at, "10-layer sigmoid (vanishing)").click().run()
    assert not at.exception
    assert at.session_state["gradients.settings"].hidden_sizes == (16,) * 10
    assert next(s for s in at.slider if s.label == "Hidden layers").value == 10


def test_playground_compare_races_the_three_activations():
    at = helpers.make_app("pages/playground.py", timeout=180)
    at.select_slider(key="pg.compare.steps.activations").set_value(300).run()
    button(at, "Run comparison").click().run()
    finish_comparisons(at)
    assert not at.exception
    key, runs, _, steps = at.session_state["pg.compare.result"]
    assert key == "activations" and steps == 300
    assert [r.settings.activation for r in runs] == ["sigmoid", "tanh", "relu"]
    table = at.dataframe[-1].value
    assert list(table["run"]) == ["sigmoid", "tanh", "ReLU"]
    verdict = " ".join(m.value for m in at.markdown)
    assert "reached J ≤ 0.1 first" in verdict or "did not reach it in 300 updates" in verdict


def test_inside_step_times_a_layer_both_ways_and_checks_they_are_equal():
    at = helpers.make_app("pages/inside_step.py", timeout=120)
    button(at, "Time both").click().run()
    assert not at.exception
    timing, dot = at.session_state["inside_step.vectorize.result"]
    assert timing.equal and timing.columns_used == 1000 and timing.ratio > 1
    assert any("Same result" in s.value for s in at.success)
    assert [m.label for m in at.metric][-3:] == ["Python loops", "W @ A + b", "vectorized is faster by"]
    assert dot.equal and "The notes' experiment" in " ".join(m.value for m in at.markdown)
    button(at, "Show how b[1] is broadcast (stage above)").click().run()
    assert at.session_state["inside_step.stage"] == 1  # "Layer 1: linear step Z[1]"


def test_digits_feature_maps_before_and_after_training():
    at = helpers.make_app("pages/digits.py", timeout=180)
    session = at.session_state[DIGITS.session]
    session.train(200)
    button(at, "Draw the maps").click().run()
    assert not at.exception
    before, after, step = at.session_state["digits.features.shown"]
    assert step == 200 and before.method == after.method == "pca" and before.layer == 1
    assert before.points.shape == (len(session.y_test), 2)
    assert any("nearest neighbour shows the same digit" in m.value for m in at.markdown)
    cache = at.session_state["digits.features.cache"]
    assert len(cache) == 2
    button(at, "Draw the maps").click().run()  # same state: from the cache
    assert len(cache) == 2


def test_gradients_lab_batch_norm_preset_and_the_fixes_comparison():
    at = helpers.make_app("pages/gradients.py", timeout=300)
    button(at, "sigmoid + batch norm").click().run()
    assert not at.exception
    session = at.session_state["gradients.session"]
    assert session.net.batch_norm and session.settings.activation == "sigmoid"
    assert next(t for t in at.toggle if t.label == "Batch normalization").value
    assert any("Batch normalization re-centres" in s.value for s in at.success)  # the diagnosis knows it
    at.select_slider(key="gradients.fixes.steps").set_value(300).run()
    button(at, "Run comparison").click().run()
    finish_comparisons(at)
    assert not at.exception
    labels, runs, steps = at.session_state["gradients.fixes.result"]
    assert labels == ["no fix", "batch norm", "residual connections"] and steps == 300
    assert [(r.settings.batch_norm, r.settings.residual) for r in runs] == [(False, False), (True, False), (False, True)]
    text = " ".join(m.value for m in at.markdown)
    assert "**At initialization** layer 1 receives" in text and "With **batch norm** layer 1 gets" in text
    assert list(at.dataframe[0].value["run"]) == labels
    figures = helpers.live_figures(at)  # the runs' gradient profiles and cost curves, one line per run
    assert [t["name"] for t in figures["gradients.fixes.profile"]["data"]] == labels
    assert [t["name"] for t in figures["gradients.fixes.cost"]["data"]][:3] == labels


def test_playground_dropout_from_the_overfitting_setup_says_how_much_the_gap_narrowed():
    at = helpers.make_app("pages/playground.py", timeout=300)
    at.segmented_control(key="pg.compare.experiment").set_value("dropout").run()
    button(at, "Load the overfitting setup (two layers of 32 on 40 noisy training points)").click().run()
    assert not at.exception
    assert at.session_state["pg.settings"].hidden_sizes == (32, 32)
    assert at.text_input(key="pg.w.hidden").value == "32,32"  # the sidebar follows the preset
    at.select_slider(key="pg.compare.steps.dropout").set_value(1000).run()
    button(at, "Run comparison").click().run()
    finish_comparisons(at)
    assert not at.exception
    key, runs, settings, _ = at.session_state["pg.compare.result"]
    assert key == "dropout" and [r.settings.dropout for r in runs] == [0.0, 0.5]
    text = " ".join(m.value for m in at.markdown)
    assert "Test cost − training cost:" in text and "narrowed by" in text


def test_playground_l1_against_l2_counts_and_draws_the_near_zero_weights():
    at = helpers.make_app("pages/playground.py", timeout=300)
    at.segmented_control(key="pg.compare.experiment").set_value("regularization").run()
    button(at, "Load the wider network (two layers of 16, plain gradient descent)").click().run()
    at.select_slider(key="pg.compare.steps.regularization").set_value(1000).run()
    button(at, "Run comparison").click().run()
    finish_comparisons(at)
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Weights with |w| < 0.001 after training" in text
    table = at.dataframe[-1].value
    assert list(table["run"]) == ["no penalty", "L2 λ = 0.3", "L1 λ₁ = 0.3"]
    charts = helpers.live_figures(at)
    assert {"pg.compare.chart", "pg.compare.diagram.L2 λ = 0.3", "pg.compare.diagram.L1 λ₁ = 0.3"} <= set(charts)
    assert "0.001" in charts["pg.compare.diagram.L1 λ₁ = 0.3"]["layout"]["title"]["text"]  # its near-zero count


def test_inside_step_shows_batch_norm_and_dropout_stages_with_real_numbers():
    at = helpers.make_app("pages/inside_step.py", timeout=120)
    at.text_input(key="inside_step.hidden").input("3,3,3").run()
    at.toggle(key="inside_step.batch_norm").set_value(True).run()
    at.toggle(key="inside_step.residual").set_value(True).run()
    at.segmented_control(key="inside_step.dropout").set_value(0.5).run()
    assert not at.exception
    stage = at.selectbox(key="inside_step.stage")
    titles = stage.options  # "3 of 38 · Layer 1: …", as drawn
    text = " ".join(titles)
    for words in ("batch normalization of Z[1]", "inverted dropout, keep_prob = 0.5", "residual connection from A[1]",
                  "back through batch normalization", "back through dropout"):
        assert words in text, words
    bn = next(i for i, t in enumerate(titles) if "batch normalization of Z[1]" in str(t))
    stage.set_value(bn).run()
    assert not at.exception
    assert any("normalized over the m = 4 examples" in m.value for m in at.markdown)


def finish_comparisons(at, limit: int = 400) -> None:
    """A comparison runs in slices, one per rerun (AppTest fires no timers): rerun until done."""
    for _ in range(limit):
        if not any(key in at.session_state for key in ("gradients.fixes.job", "pg.compare.job", "gradients.compare.job")):
            return
        at.run()
    raise AssertionError("the comparison did not finish")
