"""One settings schema: validation with messages that say what to change, and the URL round trip."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from playground.datasets import DATASETS
from playground.settings import FIELDS, MAX_SEED, Field, Settings


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


def test_missing_and_unknown_params_keep_the_defaults():
    settings, problems = Settings.from_query_params({"utm_source": "mail", "dataset": "moons"})
    assert settings == Settings(dataset="moons") and problems == []


def test_query_param_lists_use_the_last_value():
    settings, _ = Settings.from_query_params({"learning_rate": ["0.1", "0.2"]})
    assert settings.learning_rate == 0.2


@pytest.mark.parametrize(("name", "raw", "words"), [
    ("learning_rate", "1000", "between 1e-05 and 100"),
    ("learning_rate", "fast", "not a number"),
    ("learning_rate", "nan", "finite"),
    ("n_samples", "3", "between 4 and 2000"),
    ("n_samples", "2.5", "whole number"),
    ("data_seed", "-1", f"between 0 and {MAX_SEED}"),
    ("dataset", "mnist", "one of circles"),
    ("activation", "swish", "one of sigmoid, tanh"),
    ("hidden_sizes", "8,x", "whole numbers"),
    ("hidden_sizes", "8,0", "between 1 and 256"),
    ("hidden_sizes", ",".join(["4"] * 31), "between 0 and 30 entries"),
    ("features", "x3", "chosen from x1^2"),
])
def test_bad_query_values_fall_back_with_a_message(name, raw, words):
    base = Settings(learning_rate=0.05)
    settings, problems = Settings.from_query_params({name: raw, "optimizer": "adam"}, base=base)
    assert getattr(settings, name) == getattr(base, name)  # fell back
    assert settings.optimizer == "adam"  # the good values still apply
    assert len(problems) == 1
    assert name in problems[0] and raw in problems[0] and words in problems[0]
    assert "using" in problems[0]


def test_limits_narrow_a_field_for_one_page():
    narrow = {"hidden_sizes": Field("hidden_sizes", "int_list", 0, 8)}
    _, problems = Settings.from_query_params({"hidden_sizes": ",".join(["4"] * 10)}, limits=narrow)
    assert problems and "between 0 and 8" in problems[0]


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
