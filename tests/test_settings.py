"""One settings schema: validation with messages that say what to change, and the URL round trip."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from playground.datasets import DATASETS
from playground.settings import FIELDS, MAX_SEED, Field, Settings, escape_markdown, unescape_markdown


def test_defaults_are_valid_and_match_the_schema():
    settings = Settings()
    assert set(FIELDS) == {f.name for f in dataclasses.fields(Settings)}
    for name, field in FIELDS.items():
        field.check(getattr(settings, name))


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().learning_rate = 1.0  # type: ignore[misc]


NON_DEFAULT = Settings(
    dataset="spiral3", n_samples=512, noise=0.35, test_ratio=0.25, data_seed=7, features=("x1^2", "sin(x2)"),
    hidden_sizes=(16, 8, 4), activation="leaky_relu", initializer="he", weight_seed=MAX_SEED,
    optimizer="adam", learning_rate=0.003, batch_size=32, l2=0.01, lr_decay=0.0005,
)


@pytest.mark.parametrize("settings", [Settings(), NON_DEFAULT, Settings(hidden_sizes=(), features=())])
def test_query_param_round_trip(settings):
    params = settings.to_query_params()
    assert all(isinstance(v, str) for v in params.values())
    again, problems = Settings.from_query_params(params)
    assert problems == []
    assert again == settings


def test_query_params_are_text_a_person_can_read():
    params = NON_DEFAULT.to_query_params()
    assert params["hidden_sizes"] == "16,8,4"
    assert params["features"] == "x1^2,sin(x2)"
    assert params["learning_rate"] == "0.003"


def test_missing_and_unknown_params_keep_the_defaults_and_unknown_ones_are_named():
    settings, problems = Settings.from_query_params({"utm_source": "mail", "dataset": "moons", "gate": "XOR"})
    assert settings == Settings(dataset="moons")
    assert problems == ["`utm_source` in the link is not a setting of this app and was ignored."]


def test_query_param_lists_use_the_last_value():
    settings, _ = Settings.from_query_params({"learning_rate": ["0.1", "0.2"]})
    assert settings.learning_rate == 0.2


@pytest.mark.parametrize(("name", "raw", "words", "kept"), [
    ("learning_rate", "1000", "a number between 1e-05 and 100", "0.05"),
    ("learning_rate", "fast", "a number between 1e-05 and 100", "0.05"),
    ("learning_rate", "nan", "a number between", "0.05"),
    ("n_samples", "3", "a whole number between 4 and 2000", "300"),
    ("n_samples", "2.5", "a whole number", "300"),
    ("n_samples", "9" * 400, "a whole number between 4 and 2000", "300"),
    ("data_seed", "-1", f"between 0 and {MAX_SEED}", "0"),
    ("weight_seed", "1" + "0" * 399, f"between 0 and {MAX_SEED}", "0"),
    ("batch_size", "-" + "7" * 400, "between 0 and 100000", "0"),
    ("dataset", "mnist", "one of Circles, Moons", "Circles"),
    ("activation", "swish", "one of sigmoid, tanh", "tanh"),
    ("hidden_sizes", "8,x", "comma-separated widths of 1–256 units", "8"),
    ("hidden_sizes", "8,0", "comma-separated widths", "8"),
    ("hidden_sizes", "1.5", "comma-separated widths", "8"),
    ("hidden_sizes", ",".join(["4"] * 31), "up to 30", "8"),
    ("features", "x3", "a comma-separated list of x1^2", "none"),
])
def test_bad_query_values_fall_back_with_a_message_in_the_words_of_the_page(name, raw, words, kept):
    base = Settings(learning_rate=0.05)
    settings, problems = Settings.from_query_params({name: raw, "optimizer": "adam"}, base=base)
    assert getattr(settings, name) == getattr(base, name)  # fell back
    assert settings.optimizer == "adam"  # the good values still apply
    assert len(problems) == 1
    label = FIELDS[name].label
    assert problems[0].startswith(f"**{label}**: `") and words in problems[0]
    assert problems[0].endswith(f"kept {escape_markdown(kept)}.")
    assert name not in problems[0].replace(label, "")  # no code names
    assert len(problems[0]) < 400  # a 400-digit value is not echoed whole


def test_limits_narrow_a_field_for_one_page():
    narrow = {"hidden_sizes": Field("hidden_sizes", "int_list", 0, 8, label="Hidden layer widths")}
    _, problems = Settings.from_query_params({"hidden_sizes": ",".join(["4"] * 10)}, limits=narrow)
    assert problems and "up to 8 comma-separated widths" in problems[0]


@pytest.mark.parametrize(("changes", "words"), [
    ({"learning_rate": 0.0}, "learning_rate must be between 1e-05 and 100"),
    ({"learning_rate": float("inf")}, "finite"),
    ({"learning_rate": None}, "learning_rate must be a number"),
    ({"noise": 1.5}, "noise must be between 0 and 1"),
    ({"test_ratio": 0.95}, "test_ratio must be between 0 and 0.9"),
    ({"n_samples": "300"}, "n_samples must be a number"),
    ({"batch_size": 2.5}, "batch_size must be a whole number"),
    ({"batch_size": -1}, "batch_size must be between 0 and 100000"),
    ({"hidden_sizes": (8, 300)}, "between 1 and 256"),
    ({"hidden_sizes": (4,) * 31}, "hidden_sizes needs between 0 and 30 entries"),
    ({"dataset": "mnist"}, "dataset must be one of"),
    ({"initializer": "glorot"}, "initializer must be one of zeros, small, large, xavier, he"),
    ({"optimizer": "lbfgs"}, "optimizer must be one of sgd, momentum, rmsprop, adam"),
    ({"features": ("x3",)}, "features must be chosen from"),
    ({"l2": -0.1}, "l2 must be between 0 and 10"),
])
def test_invalid_settings_raise_value_error_saying_what_to_change(changes, words):
    with pytest.raises(ValueError, match=words.replace("^", r"\^")):
        Settings(**changes)


def test_whole_number_fields_become_ints():
    settings = Settings(n_samples=np.int64(200), batch_size=32.0, hidden_sizes=[np.int64(4), 2])
    assert type(settings.n_samples) is int and type(settings.batch_size) is int
    assert settings.hidden_sizes == (4, 2) and all(type(n) is int for n in settings.hidden_sizes)


def test_lists_become_tuples_so_settings_stay_hashable():
    settings = Settings(features=["x1^2"], hidden_sizes=[8, 8])
    assert settings.features == ("x1^2",) and settings.hidden_sizes == (8, 8)
    assert hash(settings) == hash(Settings(features=("x1^2",), hidden_sizes=(8, 8)))


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_task_and_output_follow_the_dataset(dataset):
    settings = Settings(dataset=dataset)
    info = DATASETS[dataset]
    assert settings.task == info.task and settings.n_classes == info.n_classes
    expected = {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}[info.task]
    assert settings.output_activation == expected
    n_out = info.n_classes if info.task == "multiclass" else 1
    assert settings.layer_sizes(2) == (2, 8, n_out)


def test_replace_validates():
    assert Settings().replace(learning_rate=0.01).learning_rate == 0.01
    with pytest.raises(ValueError):
        Settings().replace(learning_rate=-1.0)


def test_field_format_and_parse_are_inverse():
    for name, field in FIELDS.items():
        value = getattr(NON_DEFAULT, name)
        assert field.parse(field.format(value)) == value


# -- links a careless or hostile person can send (issue: nothing a link sends breaks the app) --------
@pytest.mark.parametrize("raw", ["-0", "-0.0", "-0e5", " -0 "])
def test_minus_zero_is_zero(raw):
    settings, problems = Settings.from_query_params({"noise": raw, "l2": raw, "lr_decay": raw})
    assert problems == []
    for name in ("noise", "l2", "lr_decay"):
        value = getattr(settings, name)
        assert value == 0.0 and str(value) == "0.0"  # not -0.0: scikit-learn refuses a "negative" noise
    assert Settings(noise=-0.0).noise.hex() == "0x0.0p+0"


@pytest.mark.parametrize("name", [n for n, f in FIELDS.items() if f.kind == "int"])
@pytest.mark.parametrize("raw", ["9" * 400, "-" + "9" * 400, "1" + "0" * 5000])
def test_huge_integers_fall_back_with_a_notice_never_overflow(name, raw):
    settings, problems = Settings.from_query_params({name: raw})
    assert getattr(settings, name) == getattr(Settings(), name)
    assert len(problems) == 1 and FIELDS[name].label in problems[0] and "…" in problems[0]


def test_features_keep_the_links_order_and_repeats_are_named():
    settings, problems = Settings.from_query_params({"features": "x2^2,x1^2"})
    assert settings.features == ("x2^2", "x1^2") and problems == []
    settings, problems = Settings.from_query_params({"features": "sin(x1),x1^2,sin(x1)"})
    assert settings.features == ("sin(x1)", "x1^2")
    assert len(problems) == 1 and "more than once" in problems[0] and "`sin(x1),x1^2`" in problems[0]
    with pytest.raises(ValueError, match="more than once"):
        Settings(features=("x1^2", "x1^2"))


def test_a_page_that_refuses_a_dataset_says_where_it_lives():
    plane_only = {"dataset": dataclasses.replace(FIELDS["dataset"], choices=("circles", "moons"))}
    settings, problems = Settings.from_query_params({"dataset": "digits01"}, limits=plane_only)
    assert settings.dataset == "circles"
    assert len(problems) == 1 and "Digits 0 vs 1" in problems[0] and "**Digits**" in problems[0]
    assert "not available on this page" in problems[0]


@pytest.mark.parametrize("raw", [
    "[click me](https://evil.example)", "![x](https://evil.example/i.png)", "**bold** :red[alarm]",
    "<img src=x onerror=alert(1)>", "`code` with ``ticks``", "$\\frac{1}{0}$", "line\nbreak\x00\u202e",
])
def test_link_values_are_shown_as_literal_text(raw):
    _, problems = Settings.from_query_params({"dataset": raw})
    (problem,) = problems
    span = problem.split(" in the link")[0].split(": ", 1)[1]
    fence = span[: len(span) - len(span.lstrip("`"))]
    assert span.endswith(fence) and fence not in span[len(fence):-len(fence)]  # one code span, unbroken
    assert "\n" not in problem and "\x00" not in problem and "\u202e" not in problem


def test_unknown_keys_are_named_and_other_pages_keys_are_not():
    _, problems = Settings.from_query_params({"lr": "0.1", "hidden": "8", "present": "1", "w0": "2"})
    assert problems == ["`lr`, `hidden` in the link are not settings of this app and were ignored."]


def test_every_link_key_of_the_perceptron_is_known():
    from playground.settings import LINK_KEYS
    from playground.teaching.perceptron import FIELDS as PERCEPTRON_FIELDS
    assert set(PERCEPTRON_FIELDS) <= LINK_KEYS


def test_escape_markdown_leaves_no_markup():
    text = escape_markdown("[a](http://b) **c** :red[d] $e$ <f> www.g.com a@b.c `x` #h |t| ~~s~~ &amp;")
    for c in "[]*:$<>`#|~&@":
        assert all(text[i - 1] == "\\" for i, ch in enumerate(text) if ch == c), c
    assert "www\\.g" in text  # no autolink
    assert unescape_markdown(text) == "[a](http://b) **c** :red[d] $e$ <f> www.g.com a@b.c `x` #h |t| ~~s~~ &amp;"
