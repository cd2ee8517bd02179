"""`python -m playground train …`: the table, --json, --save and the argument errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from playground.__main__ import FLAGS, main
from playground.engine import Network
from playground.settings import FIELDS, Settings
from playground.training import TrainingSession

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_train_prints_a_table():
    result = cli("train", "--dataset", "circles", "--hidden", "8,8", "--activation", "tanh", "--init", "xavier",
                 "--optimizer", "adam", "--lr", "0.01", "--batch", "32", "--steps", "200", "--seed", "0")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "2-8-8-1" in out
    for words in ("train", "test", "cost", "accuracy", "layer 1", "layer 2", "layer 3", "status: finished"):
        assert words in out
    assert "layer 4" not in out
    assert result.stderr == ""


def test_json_and_save_reproduce_the_python_api(tmp_path):
    model = tmp_path / "model.npz"
    result = cli("train", "--dataset", "moons", "--hidden", "5", "--steps", "150", "--seed", "3", "--lr", "0.2",
                 "--features", "x1^2,x1*x2", "--json", "--save", str(model))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # exactly one JSON object
    assert report["updates"] == 150 and report["status"] == "ready"
    assert report["layer_sizes"] == [4, 5, 1]
    assert report["metric"] == "accuracy" and 0 <= report["test_metric"] <= 1
    assert len(report["grad_norms"]) == 2
    assert report["saved"] == str(model)

    # The same settings through the Python API give the same numbers and weights.
    settings = Settings(**report["settings"])
    session = TrainingSession(settings)
    session.train(150)
    assert session.evaluate()["train_cost"] == pytest.approx(report["train_cost"], rel=1e-12)

    data = np.load(model)
    assert sorted(data.files) == ["W1", "W2", "b1", "b2", "settings", "training"]
    assert data["W1"].shape == (5, 4) and data["b1"].shape == (5, 1)
    assert data["W2"].shape == (1, 5) and data["b2"].shape == (1, 1)
    saved = json.loads(str(data["settings"]))
    assert Settings(**saved) == settings
    net = Network([4, 5, 1], saved["activation"], "sigmoid")
    for l in (1, 2):
        net.set_layer(l, W=data[f"W{l}"], b=data[f"b{l}"])
        np.testing.assert_array_equal(data[f"W{l}"], session.net.W[l])
    np.testing.assert_array_equal(net.predict(session.X_test), session.net.predict(session.X_test))


def test_no_hidden_layers_is_logistic_regression(capsys):
    assert main(["train", "--dataset", "linear", "--hidden", "", "--steps", "50", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["layer_sizes"] == [2, 1]
    assert main(["train", "--dataset", "linear", "--hidden", "0", "--steps", "5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["layer_sizes"] == [2, 1]


def test_regression_reports_r_squared(capsys):
    assert main(["train", "--dataset", "plane", "--steps", "100", "--lr", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "R²" in out and "accuracy" not in out


def test_diverged_run_reports_the_update_and_layer(capsys):
    result = cli("train", "--hidden", "8,8", "--activation", "linear", "--init", "large", "--lr", "100",
                 "--steps", "100", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "diverged"
    assert report["updates"] < 100
    assert f"diverged at update {report['updates'] + 1} (layer {report['diverged_layer']})" in report["message"]
    assert "RuntimeWarning" not in result.stderr
    assert main(["train", "--hidden", "8,8", "--activation", "linear", "--init", "large", "--lr", "100"]) == 0
    table = capsys.readouterr().out
    assert "status: diverged" in table and "diverged at update" in table


@pytest.mark.parametrize(("args", "words"), [
    (["--lr", "1000"], ["--lr", "between 1e-05 and 100"]),
    (["--lr", "fast"], ["--lr", "between 1e-05 and 100"]),
    (["--n-samples", "2"], ["--n-samples", "between 4 and 2000"]),
    (["--noise", "2"], ["--noise", "between 0 and 1"]),
    (["--test-ratio", "0.95"], ["--test-ratio", "between 0 and 0.9"]),
    (["--batch", "-1"], ["--batch", "between 0 and 100000"]),
    (["--hidden", "8,300"], ["--hidden", "between 1 and 256"]),
    (["--hidden", "a,b"], ["--hidden", "between 1 and 256"]),
    (["--activation", "swish"], ["--activation", "sigmoid", "leaky_relu"]),
    (["--init", "glorot"], ["--init", "xavier"]),
    (["--optimizer", "lbfgs"], ["--optimizer", "adam"]),
    (["--dataset", "mnist"], ["--dataset", "circles"]),
    (["--features", "x3"], ["--features", "x1^2"]),
    (["--steps", "-5"], ["--steps", "between 0 and"]),
    (["--seed", "-1"], ["--seed", "between 0 and 2147483647"]),
    (["--decay", "2"], ["--decay", "between 0 and 1"]),
    (["--l2", "-1"], ["--l2", "between 0 and 10"]),
    (["--init-std", "11"], ["--init-std", "between 0 and 10"]),
])
def test_bad_arguments_exit_2_naming_the_argument_and_range(args, words, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err


def test_bad_argument_exit_code_through_the_real_command_line():
    result = cli("train", "--lr", "-3")
    assert result.returncode == 2
    assert "--lr" in result.stderr and "between 1e-05 and 100" in result.stderr
    assert result.stdout == ""


def test_every_setting_has_a_flag():
    """The command line covers the whole settings schema, so a new setting needs a flag."""
    assert {name for _, name, _ in FLAGS} == set(FIELDS)


def test_custom_initializer_takes_its_standard_deviation(capsys):
    assert main(["train", "--init", "custom", "--init-std", "0.5", "--steps", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["settings"]["initializer"] == "custom" and report["settings"]["init_std"] == 0.5


def test_save_into_a_missing_folder_is_an_argument_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--steps", "1", "--save", str(tmp_path / "no" / "model.npz")])
    assert exit_info.value.code == 2
    assert "--save" in capsys.readouterr().err


def test_a_command_is_required(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


# -- bad --save paths and hostile numbers: exit 2 with a message, never a traceback ----------------
@pytest.mark.parametrize("make_path, words", [
    (lambda tmp: str(tmp), "is a folder"),
    (lambda tmp: str(tmp) + "/", "is a folder"),
    (lambda tmp: str(tmp / "missing" / "model.npz"), "does not exist"),
    (lambda tmp: "/proc/model.npz", "cannot write"),
    (lambda tmp: str(tmp / ("a" * 300)), "too long"),
    (lambda tmp: str(tmp / "bad\0name.npz"), "NUL"),
    (lambda tmp: "", "needs a file name"),
])
def test_bad_save_paths_exit_2_naming_save_before_training(tmp_path, capsys, make_path, words):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--steps", "1", "--save", make_path(tmp_path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--save" in err and words in err
    assert not (tmp_path / ".npz").exists() and not Path(str(tmp_path) + ".npz").exists()  # nothing written


def test_save_without_npz_says_the_real_name(tmp_path, capsys):
    assert main(["train", "--steps", "2", "--save", str(tmp_path / "model"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["saved"] == str(tmp_path / "model.npz")
    assert (tmp_path / "model.npz").is_file()


@pytest.mark.parametrize("flag", ["--n-samples", "--data-seed", "--seed", "--batch", "--steps"])
def test_huge_integers_are_refused_not_overflowed(capsys, flag):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", flag, "9" * 400])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert flag in err and "between" in err and "9" * 100 not in err  # not echoed whole


def test_minus_zero_noise_trains(capsys):
    assert main(["train", "--noise", "-0", "--l2", "-0.0", "--steps", "3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["settings"]["noise"] == 0.0


def test_features_order_is_kept_so_the_same_link_reproduces_the_run(capsys):
    assert main(["train", "--features", "x2^2,x1^2", "--steps", "20", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    settings = Settings(**report["settings"])
    assert settings.features == ("x2^2", "x1^2")
    again, problems = Settings.from_query_params(settings.to_query_params())
    assert again == settings and problems == []
    session = TrainingSession(again)
    session.train(20)
    assert session.evaluate()["train_cost"] == pytest.approx(report["train_cost"], rel=1e-12)
    with pytest.raises(SystemExit):
        main(["train", "--features", "x1^2,x1^2"])
    assert "more than once" in capsys.readouterr().err
