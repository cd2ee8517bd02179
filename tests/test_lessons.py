"""Every lesson's claim, checked by running its experiment headless through the engine.

A lesson can never say something its run does not show: each test runs the lesson's own
experiment (the settings and updates of its data file) and asserts the effect its reveal
describes, with the numbers the reveal quotes.
"""

from __future__ import annotations

import functools
import string

import pytest

from playground.teaching.lessons import LESSONS, lesson_by_number, reveal_text, run_lesson, verdict
from playground.teaching.lessons.measures import MEASURES
from playground.teaching.lessons.model import MAX_TRAINING_SECONDS, parse_lesson


@functools.cache
def facts(number: int):
    return run_lesson(lesson_by_number(number))[1]


def test_at_least_twelve_lessons_in_course_order():
    assert len(LESSONS) >= 12
    assert [lesson.number for lesson in LESSONS] == list(range(1, len(LESSONS) + 1))
    slugs = [lesson.slug for lesson in LESSONS]
    # the course order of CONCEPTS.md: neuron → linear stack → XOR → init → α → vanishing → fixes …
    order = ["neuron", "linear-stack", "xor", "zero-init", "learning-rate", "vanishing", "relu-he", "batches",
             "overfitting", "softmax", "optimizers", "digit-features", "l1-sparsity"]
    assert [s for s in slugs if s in order] == order


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_lesson_is_complete(lesson):
    assert lesson.question.strip().endswith("?")
    assert 2 <= len(lesson.predictions) <= 4
    assert lesson.measure in MEASURES
    assert lesson.variations, "every lesson offers something to try"
    assert lesson.why and lesson.formula
    assert lesson.playground_link().startswith("/")
    # every outcome a prediction names has its own reveal
    assert {p.outcome for p in lesson.predictions} <= set(lesson.reveals)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_reveal_quotes_only_measured_facts(lesson):
    measured = facts(lesson.number)
    assert measured.outcome == lesson.expect, reveal_text(lesson, measured)
    for template in lesson.reveals.values():  # every branch can be filled by this measurement
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert names <= set(measured.values), names - set(measured.values)
    text = reveal_text(lesson, measured)
    assert "{" not in text and "nan" not in text.lower()


def test_lesson_1_bias_moves_the_line_off_the_origin():
    f = facts(1)
    assert f["accuracy"] == 1.0  # one neuron learns AND
    assert f["distance"] > 0.5  # its line lies well away from the origin …
    assert f["accuracy_no_bias"] < 1.0  # … and the same weights without b fail


def test_lesson_2_stacked_linear_layers_stay_linear():
    f = facts(2)
    assert f["collapse_error"] < 1e-9  # the stack equals one linear map
    assert f["acc_linear"] < 0.7 <= 0.95 <= f["acc_other"]


def test_lesson_3_xor_needs_a_hidden_layer():
    f = facts(3)
    assert f["acc_single"] <= 0.75
    assert f["acc_hidden"] == 1.0


def test_lesson_4_zero_init_keeps_hidden_units_identical():
    f = facts(4)
    assert f["max_diff"] == 0.0  # exactly identical after every update …
    assert f["weight_size"] > 0.5  # … although the weights did change
    assert f["acc_zeros"] < 0.7 and f["acc_random"] > 0.9


def test_lesson_5_large_learning_rate_diverges_small_one_crawls():
    f = facts(5)
    assert f["diverged_big"]
    assert f["left_small"] > 0.5  # more than half the starting cost is left
    assert f["left_mid"] < 0.1


def test_lesson_6_sigmoid_10_layers_gradient_vanishes():
    f = facts(6)
    assert f["ratio"] < 1e-5
    assert f["moved_first"] < 1e-4  # layer 1 hardly moves
    assert f["accuracy"] < 0.7


def test_lesson_7_relu_he_and_batch_norm_keep_gradients_comparable_and_train():
    f = facts(7)
    assert f["ratio_0"] < 1e-5
    assert f["ratio_1"] > 0.05  # ReLU + He
    assert f["ratio_2"] > 0.05  # sigmoid + batch norm
    assert f["acc_0"] < 0.7 and f["acc_1"] > 0.9 and f["acc_2"] > 0.9


def test_lesson_8_smaller_batches_are_noisier():
    f = facts(8)
    assert f["rises_full"] == 0.0
    assert f["rises_full"] < f["rises_mini"] < f["rises_single"]
    assert f["rises_single"] > 0.3


def test_lesson_9_l2_and_dropout_narrow_the_gap_between_train_and_test_cost():
    f = facts(9)
    assert f["gap_0"] > 1.0  # overfits: test cost far above training cost
    assert f["gap_1"] < f["gap_0"] / 4  # L2
    assert f["gap_2"] < f["gap_0"] / 4  # dropout
    assert f["test_acc_1"] >= f["test_acc_0"]


def test_lesson_10_softmax_outputs_sum_to_one():
    f = facts(10)
    assert f["classes"] == 3
    assert f["sum_error"] < 1e-12
    assert f["accuracy"] > 0.9


def test_lesson_11_adam_beats_sgd_and_momentum_on_the_spiral():
    f = facts(11)
    assert f["cost_adam"] < 0.05 < 0.5 < min(f["cost_sgd"], f["cost_momentum"])
    assert f["acc_adam"] >= 0.95


def test_lesson_12_hidden_units_become_digit_templates():
    f = facts(12)
    assert f["corr_before"] < 0.3
    assert f["corr_after"] > 0.6
    assert f["accuracy"] > 0.95


def test_lesson_13_l1_makes_weights_sparse_l2_only_shrinks_them():
    f = facts(13)
    assert f["near_zero_2"] > 0.4  # L1: a large share of the weights at (nearly) zero …
    assert f["near_zero_1"] < 0.1 and f["near_zero_0"] < 0.1  # … L2 and no penalty: hardly any
    assert f["median_2"] < f["median_1"] / 10
    assert min(f["acc_0"], f["acc_1"], f["acc_2"]) > 0.9


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_every_variation_gets_an_honest_reveal(lesson):
    """A "try this" may or may not show the effect; whichever happens, the reveal names it."""
    for variation in lesson.variations:
        run, measured = run_lesson(lesson, variation)
        assert run.finished
        assert measured.outcome in lesson.reveals
        assert "{" not in reveal_text(lesson, measured)


def test_bench_times_the_lessons():
    from playground.bench.suite import QUICK, bench_lessons

    measured = bench_lessons(QUICK)
    assert [m.name for m in measured] == ["lesson 1 (neuron): training", "lesson 2 (linear-stack): training"]
    assert all(m.unit == "s" and m.median > 0 for m in measured)


def test_lessons_train_briefly():
    """No lesson needs more than its update budget (the 10 s limit is checked by the bench)."""
    for lesson in LESSONS:
        updates = lesson.steps * len(lesson.runs)
        assert updates <= 3000, lesson.slug  # a few seconds on one core (see the closing note)
    assert MAX_TRAINING_SECONDS == 10.0


def test_verdict_compares_the_pick_with_the_outcome():
    lesson = lesson_by_number(4)
    measured = facts(4)
    right = next(p.key for p in lesson.predictions if p.outcome == measured.outcome)
    wrong = next(p.key for p in lesson.predictions if p.outcome != measured.outcome)
    assert "is what your run shows" in verdict(lesson, right, measured)
    assert "something else" in verdict(lesson, wrong, measured)
    assert "skipped" in verdict(lesson, None, measured)


def test_bad_lesson_file_names_what_is_wrong():
    good = {"number": 1, "slug": "x", "title": "t", "concept": "c", "question": "q?", "measure": "symmetry",
            "expect": "identical", "steps": 10, "views": ["cost"], "why": "w", "formula": "f",
            "settings": {}, "runs": [{"label": "r"}],
            "predictions": [{"key": "a", "text": "t", "outcome": "identical"},
                            {"key": "b", "text": "t", "outcome": "identical"}],
            "reveal": {"identical": {"text": "x"}}}
    parse_lesson(good)
    with pytest.raises(ValueError, match="unknown settings"):
        parse_lesson({**good, "settings": {"colour": "red"}}, "bad.toml")
    with pytest.raises(ValueError, match="2–4 predictions"):
        parse_lesson({**good, "predictions": good["predictions"][:1]}, "bad.toml")
    with pytest.raises(ValueError, match="no reveal"):
        parse_lesson({**good, "expect": "different"}, "bad.toml")
    with pytest.raises(ValueError, match="missing 'question'"):
        parse_lesson({k: v for k, v in good.items() if k != "question"}, "bad.toml")
