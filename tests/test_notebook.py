"""The exported notebook redoes the run in plain NumPy and ends with the app's final cost.

Three notebooks are executed for real with nbclient (one "python3" ipykernel, reset between
them, to keep this fast); the wider grid of configurations (every optimizer and activation,
digits, uploads, mid-run changes) runs the same generated code in-process, where the final
cost must match the engine's to the last bit.
"""

from __future__ import annotations

import contextlib
import io
import re

import nbformat
import numpy as np
import plotly.graph_objects as go
import pytest
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

from playground.files.csv_upload import load_csv
from playground.files.notebook import Phase, build_notebook, notebook_bytes
from playground.settings import Settings
from playground.training import TrainingSession

FINAL = re.compile(r"final training cost J = (\S+)")


def trained(settings: Settings, updates: int, custom=None) -> TrainingSession:
    session = TrainingSession(settings, custom=custom)
    session.train(updates)
    assert not session.diverged
    return session


def app_cost(session: TrainingSession) -> float:
    return session.latest.train_cost


def run_in_process(nb, monkeypatch) -> tuple[dict, str]:
    """Execute the code cells in one namespace (as a kernel would); return it and the output."""
    monkeypatch.setattr(go.Figure, "show", lambda self, *args, **kwargs: None)
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for cell in nb.cells:
            if cell.cell_type == "code":
                exec(compile(cell.source, "<notebook>", "exec"), namespace)
    return namespace, out.getvalue()


# -- executed with nbclient -----------------------------------------------------------------
@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="python3")
    kc.stop_channels()
    yield km
    km.shutdown_kernel(now=True)


NBCLIENT_CASES = {
    "binary mini-batch adam": dict(dataset="moons", hidden_sizes=(6, 3), activation="relu", initializer="he",
                                   optimizer="adam", learning_rate=0.03, batch_size=16, l2=0.01, lr_decay=0.001,
                                   features=("x1^2", "sin(x1)")),
    "multiclass momentum": dict(dataset="spiral3", hidden_sizes=(8,), activation="sigmoid", optimizer="momentum",
                                batch_size=32, learning_rate=0.3),
    "regression rmsprop": dict(dataset="bumps", hidden_sizes=(8, 8), activation="leaky_relu", optimizer="rmsprop",
                               learning_rate=0.01, batch_size=8, features=("x1*x2",)),
    "batch norm residual dropout l1 adam": dict(hidden_sizes=(6, 6, 6, 6), activation="sigmoid", optimizer="adam",
                                                learning_rate=0.02, batch_size=32, batch_norm=True, residual=True,
                                                dropout=0.2, l1=0.01, l2=0.01),
}


@pytest.mark.parametrize("case", list(NBCLIENT_CASES))
def test_executed_notebook_prints_the_apps_final_cost(case, kernel):
    session = trained(Settings(**NBCLIENT_CASES[case]), 60)
    nb = nbformat.reads(notebook_bytes(session).decode(), as_version=4)  # what the user downloads
    nbformat.validate(nb)
    nb.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))  # one kernel for all cases
    NotebookClient(nb, km=kernel, timeout=120, kernel_name="python3").execute()

    outputs = nb.cells[-1].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    final = FINAL.findall(text)
    assert final and text.rstrip().endswith(final[-1]), "the notebook must end by printing the final cost"
    assert final[-1] == f"{app_cost(session):.6g}"
    assert "same as the app: True" in text
    plots = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "display_data"]
    assert any("application/vnd.plotly.v1+json" in o.data for o in plots), "the cost curve is plotted with Plotly"


# -- the same code, in-process: every configuration, bit for bit --------------------------
IN_PROCESS_CASES = {
    "default sgd full batch": (dict(), 40),
    "tanh zeros init": (dict(initializer="zeros", hidden_sizes=(3,)), 10),
    "logistic regression small init": (dict(dataset="linear", hidden_sizes=(), initializer="small"), 30),
    "linear hidden large init": (dict(dataset="xor", hidden_sizes=(4,), activation="linear", initializer="large",
                                      learning_rate=0.01, features=("x2^2", "sin(x2)")), 30),
    "relu sgd batch 1": (dict(dataset="blobs", activation="relu", initializer="he", batch_size=1), 50),
    "adam l2 decay full batch": (dict(dataset="circles", optimizer="adam", learning_rate=0.01, l2=0.1,
                                      lr_decay=0.01), 40),
    "rmsprop multiclass": (dict(dataset="blobs3", optimizer="rmsprop", learning_rate=0.01, batch_size=64), 25),
    "momentum regression l2": (dict(dataset="plane", optimizer="momentum", learning_rate=0.1, l2=0.03,
                                    batch_size=32), 30),
    "digits 0 vs 1": (dict(dataset="digits01", hidden_sizes=(16,), learning_rate=0.1), 20),
    "digits 10 adam": (dict(dataset="digits10", hidden_sizes=(16,), optimizer="adam", learning_rate=0.01,
                            batch_size=64), 20),
    "gate with test = train": (dict(dataset="xor_gate", hidden_sizes=(4,), learning_rate=0.5), 50),
    "batch norm sgd full batch": (dict(hidden_sizes=(5, 5, 5), activation="sigmoid", batch_norm=True), 40),
    "batch norm momentum multiclass": (dict(dataset="blobs3", hidden_sizes=(5, 5), batch_norm=True,
                                            optimizer="momentum", batch_size=16), 30),
    "batch norm rmsprop regression": (dict(dataset="plane", hidden_sizes=(4, 4), batch_norm=True, optimizer="rmsprop",
                                           learning_rate=0.01, batch_size=16), 30),
    "residual tanh": (dict(hidden_sizes=(4, 5, 4, 5), residual=True, learning_rate=0.1), 30),
    "dropout relu mini-batch": (dict(hidden_sizes=(8, 8), activation="relu", initializer="he", dropout=0.3,
                                     batch_size=20), 40),
    "l1 only": (dict(hidden_sizes=(6,), l1=0.05), 30),
    "everything on, adam digits": (dict(dataset="digits10", hidden_sizes=(8, 8, 8), optimizer="adam",
                                        learning_rate=0.01, batch_size=64, batch_norm=True, residual=True,
                                        dropout=0.1, l1=0.001), 15),
}


@pytest.mark.parametrize("case", list(IN_PROCESS_CASES))
def test_generated_code_reproduces_the_engine_exactly(case, monkeypatch):
    config, updates = IN_PROCESS_CASES[case]
    session = trained(Settings(**config), updates)
    namespace, out = run_in_process(build_notebook(session), monkeypatch)
    assert namespace["J"] == app_cost(session)
    assert out.rstrip().endswith(f"final training cost J = {app_cost(session):.6g}")
    np.testing.assert_array_equal(namespace["W"][1], session.net.W[1])


def test_custom_initializer_sigma_is_reproduced(monkeypatch):
    if "init_std" not in Settings.__dataclass_fields__:
        pytest.skip("this Settings has no custom initializer")
    session = trained(Settings(initializer="custom", init_std=0.5, hidden_sizes=(5,)), 20)
    namespace, _ = run_in_process(build_notebook(session), monkeypatch)
    assert namespace["J"] == app_cost(session)


def test_uploaded_csv_run_is_embedded_and_reproduced(monkeypatch):
    lines = ["length,width,kind"] + [f"{i * 1.7:.2f},{(i * 37) % 23 / 3:.3f},{'ab'[i % 3 == 0]}" for i in range(60)]
    data = load_csv(("\n".join(lines) + "\n").encode(), name="leaves.csv")
    session = trained(Settings(hidden_sizes=(5,), optimizer="adam", learning_rate=0.05, batch_size=10), 30, custom=data)
    nb = build_notebook(session)
    assert "leaves.csv" in nb.cells[2].source and "x1 = (length −" in nb.cells[2].source
    namespace, _ = run_in_process(nb, monkeypatch)
    assert namespace["J"] == app_cost(session)


def test_mid_run_changes_follow_the_schedule(monkeypatch):
    settings = Settings(dataset="moons", optimizer="adam", learning_rate=0.03, batch_size=16, lr_decay=0.001)
    session = trained(settings, 25)
    session.update_hyperparameters(learning_rate=0.01, batch_size=32)
    session.train(13)
    session.update_hyperparameters(l2=0.1, batch_size=0)
    session.train(7)
    session.update_hyperparameters(batch_size=16, lr_decay=0.0)
    session.train(9)
    schedule = [Phase.of(0, settings), Phase(25, 0.01, 0.0, 0.001, 32), Phase(38, 0.01, 0.1, 0.001, 0),
                Phase(45, 0.01, 0.1, 0.0, 16)]
    namespace, _ = run_in_process(build_notebook(session, schedule), monkeypatch)
    assert namespace["J"] == app_cost(session)
    # without the schedule the notebook would train differently: the schedule is what makes it exact
    namespace, _ = run_in_process(build_notebook(session), monkeypatch)
    assert namespace["J"] != app_cost(session)


@pytest.mark.parametrize("batch_norm", [False, True])
def test_mid_run_l1_and_dropout_changes_follow_the_schedule(batch_norm, monkeypatch):
    settings = Settings(hidden_sizes=(6, 6), optimizer="momentum", learning_rate=0.1, batch_size=32,
                        batch_norm=batch_norm)
    session = trained(settings, 20)
    session.update_hyperparameters(dropout=0.3, l1=0.02)
    session.train(15)
    session.update_hyperparameters(dropout=0.0)
    session.train(10)
    schedule = [Phase.of(0, settings), Phase(20, 0.1, 0.0, 0.0, 32, 0.02, 0.3), Phase(35, 0.1, 0.0, 0.0, 32, 0.02, 0.0)]
    namespace, _ = run_in_process(build_notebook(session, schedule), monkeypatch)
    assert namespace["J"] == app_cost(session)


def test_notebook_needs_nothing_from_this_app():
    session = trained(Settings(dataset="spiral3", optimizer="adam"), 5)
    nb = build_notebook(session)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    imports = [line for line in code.splitlines() if line.startswith(("import ", "from "))]
    assert imports == ["import numpy as np", "import plotly.graph_objects as go"]
    assert "playground" not in code
    assert nb.metadata["kernelspec"]["name"] == "python3"
