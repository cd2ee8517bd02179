"""`python -m playground.bench --quick` runs and prints every section (numbers are reported,
not asserted: they depend on the machine)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from playground.bench import suite as bench

ROOT = Path(__file__).resolve().parent.parent


def test_quick_bench_prints_every_section():
    # One BLAS thread keeps the smoke run quick on a busy 2-core machine.
    result = subprocess.run([sys.executable, "-m", "playground.bench", "--quick", "--blas-threads", "1",
                             "--tune-malloc"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for words in ("[small]", "[grid]", "[deep]", "[targets]", "engine forward/backward/update (2-8-8-1)",
                  "bare NumPy loop (2-8-8-1)", "TrainingSession.train (2-8-8-1)",
                  "scikit-learn MLPClassifier.partial_fit (2-8-8-1)", "TrainingSession.decision_grid(100)",
                  "net.predict_proba on (2, 10000)", "2-64×10-1", "median", "steps/s", "ms",
                  "BLAS", "1 threads", "malloc tuned", "per run", "[batchnorm]",
                  "engine forward/backward/update (10×16 sigmoid, batch norm)",
                  "speed with / without batch norm"):
        assert words in out, words
    assert "[ui]" not in out  # the browser measurement runs only with --ui


def test_ui_section_is_skipped_with_a_reason_without_a_browser(monkeypatch, capsys):
    import playground.bench.ui

    monkeypatch.setattr(playground.bench.ui, "CHROMIUM", "/nonexistent/chromium")
    assert bench.main(["--only", "grid", "--ui", "--quick", "--json", "--repeats", "1"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report["sections"]) == ["grid"]
    assert "chromium is not installed" in report["skipped"]["ui"]


def test_json_output_for_one_section(capsys):
    assert bench.main(["--quick", "--json", "--only", "grid", "--repeats", "2"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report["sections"]) == ["grid"]
    measurements = report["sections"]["grid"]
    assert [m["unit"] for m in measurements] == ["ms", "ms"]
    for m in measurements:
        assert len(m["runs"]) == 2 and m["min"] <= m["median"] <= m["max"]
    assert [t["what"] for t in report["targets"]] == ["grid forward ms (2-8-8-1)"]


def test_unknown_section_is_an_argument_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        bench.main(["--only", "gpu"])
    assert exit_info.value.code == 2
    assert "small" in capsys.readouterr().err


def test_bare_loop_computes_the_same_training_as_the_engine():
    """The reference loop is only a fair reference if it does the same mathematics."""
    X, Y, _ = bench.circles_data()
    net = bench.Network([2, 8, 8, 1], "tanh", "sigmoid", "xavier", seed=0)
    W = [w.copy() for w in net.W[1:]]
    b = [v.copy() for v in net.b[1:]]
    bench.engine_loop(net, X, Y)(20)
    bench.bare_numpy_loop(W, b, X, Y)(20)
    for l in range(3):
        np.testing.assert_allclose(W[l], net.W[l + 1], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(b[l], net.b[l + 1], rtol=1e-12, atol=1e-14)
