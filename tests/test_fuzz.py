"""Property-based fuzzing of everything a link, a file, a command line or a notebook can send.

What must hold, whatever arrives (issue 14):
- no exception but a named one: links never raise; a CSV raises only ``CSVError``; the command
  line exits 0 or 2 with a message naming the flag; the engine raises only ``ValueError``;
- a notice for every value that was changed: a link value that is not used as written is named
  (by the page's label) in a problem;
- nothing non-finite enters training: every dataset a session trains on is finite.

Derandomized (the same examples on every run, so CI is reproducible) with a fixed number of
examples per property; the whole file takes well under a minute.
"""

from __future__ import annotations

import io
import math
import string
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.__main__ import FLAGS, main
from playground.engine import Network, gradient_check, make_optimizer
from playground.files.csv_upload import CSVError, load_csv
from playground.settings import FIELDS, LINK_KEYS, Settings, unescape_markdown
from playground.teaching.perceptron import FIELDS as PERCEPTRON_FIELDS
from playground.teaching.perceptron import PerceptronSettings
from playground.training import TrainingSession

FUZZ = settings(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def fuzz(examples: int) -> settings:
    return settings(FUZZ, max_examples=examples)

# -- text a person (or an attacker) might put in a link value -----------------------------------------
NASTY = ["-0", "-0.0", "+0", "0x10", "1e400", "-1e400", "nan", "inf", "-inf", "1_000", " 8 ", "٣", "８",
         "9" * 400, "-" + "9" * 400, "1" + "0" * 5000, "", ",", ",,8,,", "8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,"
         "8,8,8,8,8,8,8,8,8,8,8,8", "x1^2,x1^2", "x2^2,x1^2", "[a](http://e.example)", "![i](http://e.example/i)",
         "**b**", ":red[x]", "<script>", "`", "$x$", "\x00", "\n", "\u202e", "digits01", "digits10", "circles"]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-10**6, max_value=10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet=string.printable + "αβγ−–é中😀\u200b", max_size=30),
    st.sampled_from([c for f in FIELDS.values() for c in f.choices]),
)
KEYS = st.one_of(st.sampled_from(sorted(FIELDS)), st.sampled_from(["lr", "hidden", "seed", "present", "gate", "x"]),
                 st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8))
PARAMS = st.dictionaries(KEYS, st.one_of(VALUES, st.lists(VALUES, max_size=3)), max_size=8)


def _last(raw):
    if isinstance(raw, list):
        return raw[-1] if raw else ""
    return raw


def _finite_settings(s: Settings) -> None:
    for name, f in FIELDS.items():
        value = getattr(s, name)
        if f.kind in ("int", "float"):
            assert math.isfinite(value) and not (f.kind == "float" and math.copysign(1, value) < 0 and value == 0)
        f.check(value)  # a valid setting


@fuzz(300)
@given(PARAMS)
def test_any_link_gives_valid_settings_and_names_every_value_it_did_not_use(params):
    s, problems = Settings.from_query_params(params)
    _finite_settings(s)
    text = unescape_markdown(" ".join(problems))
    assert "\n" not in " ".join(problems) and "\x00" not in " ".join(problems)
    for name, raw in params.items():
        if name not in FIELDS:
            if name not in LINK_KEYS:
                assert f"`{name}`" in " ".join(problems) or "more" in " ".join(problems), name
            continue
        raw = _last(raw)
        try:
            parsed = FIELDS[name].parse(raw)
        except (ValueError, TypeError, OverflowError):
            parsed = None
        if parsed is not None and getattr(s, name) == parsed:
            continue  # used as written
        assert FIELDS[name].label in text, (name, raw, problems)  # changed → named, in the page's words


@fuzz(150)
@given(st.dictionaries(st.sampled_from(sorted(PERCEPTRON_FIELDS) + ["lr", "dataset"]), VALUES, max_size=6))
def test_any_perceptron_link_gives_valid_settings_with_a_notice_per_changed_value(params):
    s, problems = PerceptronSettings.from_query_params(params)
    for name, f in PERCEPTRON_FIELDS.items():
        f.check(getattr(s, name))
    text = unescape_markdown(" ".join(problems))
    for name, raw in params.items():
        if name in PERCEPTRON_FIELDS:
            try:
                used = getattr(s, name) == PERCEPTRON_FIELDS[name].parse(raw)
            except (ValueError, TypeError, OverflowError):
                used = False
            assert used or PERCEPTRON_FIELDS[name].label in text, (name, raw)


@fuzz(25)
@given(st.fixed_dictionaries({}, optional={name: VALUES for name in ("dataset", "n_samples", "noise", "test_ratio",
                                                                      "features", "hidden_sizes", "batch_size")}))
def test_a_session_from_any_link_trains_on_finite_data(params):
    s, _ = Settings.from_query_params(params)
    s = s.replace(hidden_sizes=s.hidden_sizes[:3], n_samples=min(s.n_samples, 300))  # keep it quick
    session = TrainingSession(s)
    for array in (session.X_train, session.X_test, session.Y_train, session.Y_test):
        assert np.isfinite(array).all()
    session.train(3)
    assert session.diverged or np.isfinite(session.latest.train_cost)


# -- CSV files ------------------------------------------------------------------------------------------
CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64).map(repr),
    st.sampled_from(["1e-320", "5e-324", "-1.7e308", "1.7e308", "1e400", "inf", "-Infinity", "nan", "NaN", "",
                     "na", "?", "0", "1", "2", "-0", "cat", "dog", '"1,5"', "0x1p3", "١", "[x](http://e)"]),
    st.integers(min_value=-3, max_value=3).map(str),
    st.text(alphabet=string.ascii_letters + string.digits + ".-+e ,;\"'", max_size=8),
)


@st.composite
def csv_texts(draw) -> str:
    header = draw(st.sampled_from(["x1,x2,label", "a,b,y", "x1,x2", "label,x1,x2", "x1,x1,y", "1,2,3", "a;b;c"]))
    rows = draw(st.lists(st.lists(CELLS, min_size=2, max_size=4), min_size=0, max_size=12))
    return "\n".join([header] + [",".join(r) for r in rows]) + "\n"


@fuzz(300)
@given(csv_texts(), st.sampled_from(["auto", "classification", "regression"]))
def test_any_csv_loads_finite_data_or_says_why(text, task):
    try:
        data = load_csv(text, task=task)
    except CSVError as error:
        assert str(error) and str(error)[0].isupper()  # a sentence saying what is wrong
        return
    assert data.X.shape == (len(data.y), 2)
    assert np.isfinite(data.X).all() and np.isfinite(np.asarray(data.y, dtype=float)).all()
    assert all(math.isfinite(v) and v > 0 for v in data.stds)


@fuzz(100)
@given(st.binary(max_size=300))
def test_any_bytes_load_or_say_why(content):
    try:
        data = load_csv(content)
    except CSVError:
        return
    assert np.isfinite(data.X).all()


# -- the command line ---------------------------------------------------------------------------------
FLAG_NAMES = [flag for flag, _, _ in FLAGS]
ARGS = st.lists(st.tuples(st.sampled_from(FLAG_NAMES + ["--steps", "--save", "--bogus"]), VALUES), max_size=4)


@fuzz(60)
@given(ARGS)
def test_any_command_line_exits_0_or_2_with_a_message_naming_the_flag(tmp_path_factory, args):
    folder = tmp_path_factory.mktemp("cli")
    argv = ["train", "--steps", "2", "--n-samples", "60"]
    for flag, value in args:
        if flag == "--save" and "\x00" not in value and value.strip():
            value = str(folder / value.replace("/", "_")[:40])
        argv += [flag, value]
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), np.errstate(all="ignore"):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code
    assert code in (0, 2), (argv, err.getvalue())
    if code == 2:
        message = err.getvalue().strip().splitlines()[-1]
        assert "error:" in message and "Traceback" not in err.getvalue()
        assert any(flag in message for flag in FLAG_NAMES + ["--steps", "--save", "unrecognized", "expected one"]), message
    else:
        assert "status:" in out.getvalue()


# -- the engine's public API ------------------------------------------------------------------------
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5), st.booleans(),
                    st.none(), st.just("0.1"), st.just(10**400))


@fuzz(200)
@given(st.lists(NUMBERS, min_size=0, max_size=4), NUMBERS)
def test_network_constructor_accepts_sizes_or_raises_value_error(sizes, initializer):
    try:
        net = Network(sizes, initializer=initializer if not isinstance(initializer, str) else "xavier")
    except ValueError as error:
        assert str(error)
        return
    assert all(isinstance(n, int) and n >= 1 for n in net.layer_sizes)
    assert all(np.isfinite(W).all() for W in net.W[1:])


@fuzz(200)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=12),
       st.integers(1, 4), NUMBERS, NUMBERS, st.sampled_from(["sgd", "momentum", "rmsprop", "adam"]))
def test_engine_calls_give_finite_results_or_value_error(values, columns, learning_rate, l2, optimizer):
    net = Network([2, 3, 1], seed=0)
    X = np.resize(np.array(values), (2, columns))
    Y = (np.arange(columns) % 2).reshape(1, -1).astype(float)
    try:
        with np.errstate(all="ignore"):
            grads = net.backward(net.forward(X), Y, l2=l2)
            make_optimizer(optimizer).update(net, grads, learning_rate)
    except ValueError as error:
        assert str(error)
        return
    # Everything that was accepted was finite, so training saw nothing non-finite.
    assert np.isfinite(X).all() and math.isfinite(learning_rate) and learning_rate > 0 and l2 >= 0


@fuzz(60)
@given(NUMBERS)
def test_gradient_check_epsilon_is_checked(epsilon):
    net = Network([2, 2, 1], seed=0)
    X, Y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.0, 1.0]])
    try:
        checks = gradient_check(net, X, Y, epsilon=epsilon)
    except ValueError as error:
        assert "epsilon" in str(error)
        return
    assert 0 < epsilon <= 0.1 and all(np.isfinite(c.numerical).all() for c in checks)


@pytest.mark.parametrize("layer", [0, 3, -1, 1.5, True, "1"])
def test_set_layer_index_is_checked(layer):
    with pytest.raises(ValueError, match="layer must be between 1 and 2"):
        Network([2, 3, 1]).set_layer(layer, W=np.zeros((3, 2)))
