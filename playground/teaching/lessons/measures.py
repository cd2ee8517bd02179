"""Measurements: a finished ``LessonRun`` in, the facts its reveal quotes out.

Each function reads the runs' own networks and histories and returns ``Facts``: numbers
named as the lesson's reveal templates name them, and the ``outcome`` that picks which
reveal to show. Outcomes are decided from the numbers here, never assumed: if a student's
"try this" variation does not show the effect, the outcome says so and the honest reveal
for that case is shown instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .runs import LessonRun, initial_weights_change


@dataclass(frozen=True)
class Facts:
    outcome: str
    values: dict = field(default_factory=dict)

    def __getitem__(self, name: str):
        return self.values[name]


def _final(run: LessonRun, i: int) -> dict:
    """The last history row of run i, plus whether (and when) it diverged."""
    session = run.sessions[i]
    row = session.latest
    return {"train_cost": row.train_cost, "test_cost": row.test_cost, "train_acc": row.train_metric,
            "test_acc": row.test_metric, "diverged": session.diverged, "updates": session.step}


def _start_cost(run: LessonRun, i: int) -> float:
    return float(run.sessions[i].history.column("train_cost")[0])


def _grad_ratio(stats) -> float:
    """‖dW[1]‖ / ‖dW[L]‖: the gradient reaching the first layer relative to the last."""
    norms = stats.grad_norm_W
    return float(norms[0] / norms[-1]) if norms[-1] > 0 else float("inf")


def neuron_bias(run: LessonRun) -> Facts:
    """One sigmoid neuron: its line w·x + b = 0, its distance from the origin, and the same
    weights with b forced to 0 (the line then passes through the origin)."""
    session = run.sessions[0]
    net = session.net
    w, b = net.W[1][0], float(net.b[1][0, 0])
    accuracy = float(np.mean(net.predict(session.X_train) == session.y_train))
    no_bias = net.copy()
    no_bias.set_layer(1, b=np.zeros_like(net.b[1]))
    accuracy_no_bias = float(np.mean(no_bias.predict(session.X_train) == session.y_train))
    distance = abs(b) / float(np.linalg.norm(w)) if np.linalg.norm(w) > 0 else 0.0
    values = {"w1": float(w[0]), "w2": float(w[1]), "b": b, "distance": distance, "accuracy": accuracy,
              "accuracy_no_bias": accuracy_no_bias, "updates": session.step}
    separated = accuracy == 1.0
    return Facts("bias_needed" if separated and accuracy_no_bias < 1.0 else
                 "separated" if separated else "not_separated", values)


def linear_stack(run: LessonRun) -> Facts:
    """Run 0 stacks linear layers, run 1 is the same network with a non-linear activation.
    Measures how exactly the linear stack equals one linear map W x + b, and both accuracies."""
    linear, other = run.sessions
    net = linear.net
    _, _, grid = linear.plane_grid(40)
    W, b = net.W[1], net.b[1]
    for l in range(2, net.L + 1):  # the product W[L]…W[1] and the combined bias
        W, b = net.W[l] @ W, net.W[l] @ b + net.b[l]
    Z_stack = net.forward(grid).Z[-1]
    collapse = float(np.abs(Z_stack - (W @ grid + b)).max())
    values = {"collapse_error": collapse, "acc_linear": _final(run, 0)["test_acc"],
              "acc_other": _final(run, 1)["test_acc"], "layers": len(linear.settings.hidden_sizes),
              "other": other.settings.activation, "updates": run.step,
              "w_single_1": float(W[0, 0]), "w_single_2": float(W[0, 1]) if W.shape[1] > 1 else 0.0}
    gap = values["acc_other"] - values["acc_linear"]
    return Facts("linear_fails" if collapse < 1e-6 and gap >= 0.15 else "both_similar", values)


def xor_hidden(run: LessonRun) -> Facts:
    """Run 0 has no hidden layer, run 1 has one: accuracies on the four XOR points."""
    single, hidden = _final(run, 0), _final(run, 1)
    output = run.sessions[0].net.predict_proba(run.sessions[0].X_train)[0]
    values = {"acc_single": single["train_acc"], "acc_hidden": hidden["train_acc"],
              "single_min": float(output.min()), "single_max": float(output.max()),
              "cost_single": single["train_cost"], "cost_hidden": hidden["train_cost"],
              "hidden_units": run.sessions[1].settings.hidden_sizes[0] if run.sessions[1].settings.hidden_sizes else 0,
              "updates": run.step}
    if values["acc_single"] <= 0.75 and values["acc_hidden"] == 1.0:
        return Facts("hidden_needed", values)
    return Facts("hidden_stalled" if values["acc_hidden"] < 1.0 else "both_solve", values)


def _unit_spread(net) -> float:
    """Largest difference between any hidden unit of layer 1 and unit 1: its incoming
    weights W[1][k, :], its bias, and its outgoing weights W[2][:, k]."""
    W1, b1, W2 = net.W[1], net.b[1], net.W[2]
    return float(max(np.abs(W1 - W1[0]).max(), np.abs(b1 - b1[0]).max(), np.abs(W2 - W2[:, :1]).max()))


def symmetry(run: LessonRun) -> Facts:
    """Run 0 starts from zeros, run 1 from random weights: are the hidden units still copies?"""
    zeros, random = run.sessions
    values = {"max_diff": _unit_spread(zeros.net), "max_diff_random": _unit_spread(random.net),
              "weight_size": float(np.abs(zeros.net.W[1]).max()), "units": zeros.settings.hidden_sizes[0],
              "acc_zeros": _final(run, 0)["test_acc"], "acc_random": _final(run, 1)["test_acc"],
              "updates": run.step, "activation": zeros.settings.activation}
    if values["max_diff"] > 1e-12:
        outcome = "different"
    elif values["weight_size"] <= 1e-12:
        outcome = "frozen"  # e.g. tanh: tanh(0) = 0, so not even the output layer gets a gradient
    else:
        outcome = "identical"
    return Facts(outcome, values)


def learning_rates(run: LessonRun) -> Facts:
    """Runs with a large, a middle and a small learning rate: did the large one diverge or
    end higher than it started, did the small one crawl (keep > half its starting cost)?"""
    values = {"updates": run.step}
    for i, name in enumerate(("big", "mid", "small")):
        final = _final(run, i)
        values[f"alpha_{name}"] = run.sessions[i].settings.learning_rate
        values[f"start_{name}"] = _start_cost(run, i)
        values[f"end_{name}"] = final["train_cost"]
        values[f"diverged_{name}"] = final["diverged"]
        values[f"stopped_{name}"] = final["updates"] + 1 if final["diverged"] else final["updates"]
        values[f"left_{name}"] = final["train_cost"] / _start_cost(run, i)
        values[f"diverged_note_{name}"] = (
            f": training stopped, it diverged at update {values[f'stopped_{name}']}" if final["diverged"]
            else " — higher than where it started" if values[f"left_{name}"] > 1 else "")
    big_bad = values["diverged_big"] or values["left_big"] > 1.0
    small_slow = values["left_small"] > 0.5 and values["left_mid"] < values["left_small"] / 2
    outcome = {(True, True): "diverges_and_crawls", (True, False): "diverges_only",
               (False, True): "crawls_only", (False, False): "all_learn"}[(big_bad, small_slow)]
    return Facts(outcome, values)


def vanishing(run: LessonRun) -> Facts:
    """A deep network: gradient at layer 1 vs layer L at the start, how far layer 1 moved."""
    session = run.sessions[0]
    ratio = _grad_ratio(run.initial_stats[0])
    values = {"ratio": ratio, "orders": -float(np.log10(ratio)) if ratio > 0 else float("inf"),
              "grad_first": float(run.initial_stats[0].grad_norm_W[0]),
              "grad_last": float(run.initial_stats[0].grad_norm_W[-1]),
              "moved_first": initial_weights_change(run, 0, 1),
              "moved_last": initial_weights_change(run, 0, session.net.L),
              "accuracy": _final(run, 0)["test_acc"], "layers": session.net.L, "updates": run.step,
              "activation": session.settings.activation}
    if ratio >= 0.1:
        return Facts("healthy", values)
    return Facts("vanishes" if values["accuracy"] < 0.75 else "small_but_learns", values)


def deep_fixes(run: LessonRun) -> Facts:
    """Run 0 is the vanishing network; every other run is a fix. Gradient ratios and accuracies."""
    values = {"updates": run.step, "layers": run.sessions[0].net.L}
    fixed = []
    for i in range(len(run.sessions)):
        values[f"ratio_{i}"] = _grad_ratio(run.initial_stats[i])
        values[f"acc_{i}"] = _final(run, i)["test_acc"]
        values[f"label_{i}"] = run.labels[i]
        if i:
            fixed.append(values[f"ratio_{i}"] > 1e-2 and values[f"acc_{i}"] >= 0.9)
    broken = values["ratio_0"] < 1e-3 and values["acc_0"] < 0.75
    return Facts("fixed" if broken and all(fixed) else "partly_fixed" if broken and any(fixed) else
                 "not_broken" if not broken else "not_fixed", values)


def batch_noise(run: LessonRun) -> Facts:
    """Full batch, mini-batch and one example per update: the share of updates after which
    the cost on the whole training set went *up*, and where each ended."""
    values = {"updates": run.step}
    for i, name in enumerate(("full", "mini", "single")):
        cost = run.sessions[i].history.column("train_cost")
        values[f"rises_{name}"] = float(np.mean(np.diff(cost) > 0)) if len(cost) > 1 else 0.0
        values[f"end_{name}"] = float(cost[-1])
        values[f"epochs_{name}"] = run.step / run.sessions[i].updates_per_epoch
        values[f"batch_{name}"] = run.sessions[i].batch_size
    ordered = values["rises_full"] <= values["rises_mini"] < values["rises_single"]
    return Facts("noisier_with_smaller_batches" if ordered and values["rises_single"] > 0.2 else "similar", values)


def overfitting(run: LessonRun) -> Facts:
    """Run 0 unregularized, later runs regularized (L2, dropout): train/test cost gap (costs
    measured in evaluation mode, no units dropped) and test accuracy."""
    values = {"updates": run.step}
    for i in range(len(run.sessions)):
        final = _final(run, i)
        values[f"gap_{i}"] = final["test_cost"] - final["train_cost"]
        values[f"train_cost_{i}"] = final["train_cost"]
        values[f"test_cost_{i}"] = final["test_cost"]
        values[f"train_acc_{i}"] = final["train_acc"]
        values[f"test_acc_{i}"] = final["test_acc"]
        values[f"label_{i}"] = run.labels[i]
    values["l2"] = max(s.settings.l2 for s in run.sessions)
    values["dropout"] = max(s.settings.dropout for s in run.sessions)
    values["m_train"] = run.sessions[0].m_train
    overfit = values["gap_0"] > 0.5
    narrower = [values[f"gap_{i}"] < values["gap_0"] / 2 for i in range(1, len(run.sessions))]
    if not overfit:
        return Facts("no_overfitting", values)
    return Facts("regularization_narrows_gap" if all(narrower) else "partly_narrows" if any(narrower) else "gap_stays",
                 values)


def softmax_outputs(run: LessonRun) -> Facts:
    """A softmax network: do its outputs sum to 1 everywhere on the plane? How confident is it?"""
    session = run.sessions[0]
    _, _, values_grid = session.decision_grid(60)
    total = values_grid.sum(axis=0)
    top = values_grid.max(axis=0)
    values = {"sum_error": float(np.abs(total - 1).max()), "classes": values_grid.shape[0],
              "accuracy": _final(run, 0)["test_acc"], "confident_share": float(np.mean(top > 0.9)),
              "least_confident": float(top.min()), "updates": run.step}
    if values_grid.shape[0] < 3:
        return Facts("not_softmax", values)
    return Facts("sums_to_one" if values["sum_error"] < 1e-9 else "not_softmax", values)


def optimizers(run: LessonRun) -> Facts:
    """SGD, momentum and Adam at the same α on the same hard problem: where each ended."""
    values = {"updates": run.step, "alpha": run.sessions[0].settings.learning_rate}
    for i, name in enumerate(("sgd", "momentum", "adam")):
        final = _final(run, i)
        values[f"cost_{name}"] = final["train_cost"]
        values[f"acc_{name}"] = final["train_acc"]
    best_other = min(values["cost_sgd"], values["cost_momentum"])
    return Facts("adam_wins" if values["cost_adam"] < best_other / 2 and values["acc_adam"] >= 0.9
                 else "similar", values)


def digit_templates(run: LessonRun) -> Facts:
    """Digits 0 vs 1: how much each hidden unit's 64 weights look like "average 1 minus
    average 0" (|correlation|), at the start and after training."""
    session = run.sessions[0]
    X = np.hstack([session.X_train, session.X_test]).T
    y = np.concatenate([session.y_train, session.y_test])
    difference = X[y == 1].mean(axis=0) - X[y == 0].mean(axis=0)

    def correlations(W: np.ndarray) -> np.ndarray:
        return np.array([abs(np.corrcoef(w, difference)[0, 1]) if np.std(w) > 0 else 0.0 for w in W])

    before, after = correlations(run.initial_W[0][1]), correlations(session.net.W[1])
    values = {"corr_before": float(before.max()), "corr_after": float(np.median(after)),
              "corr_after_min": float(after.min()), "units": len(after), "accuracy": _final(run, 0)["test_acc"],
              "updates": run.step}
    return Facts("templates" if values["corr_after"] > 0.5 and values["corr_after"] > 2 * values["corr_before"]
                 else "no_templates", values)


def sparsity(run: LessonRun) -> Facts:
    """Runs without a penalty, with L2 and with L1: the share of weights within 0.01 of zero,
    the median |weight|, and test accuracy."""
    values = {"updates": run.step}
    for i, session in enumerate(run.sessions):
        W = np.concatenate([w.ravel() for w in session.net.W[1:]])
        values[f"near_zero_{i}"] = float(np.mean(np.abs(W) < 0.01))
        values[f"median_{i}"] = float(np.median(np.abs(W)))
        values[f"acc_{i}"] = _final(run, i)["test_acc"]
        values["weights"] = int(W.size)
    l2_share, l1_share = values["near_zero_1"], values["near_zero_2"]
    if l1_share > 0.3 and l1_share > 3 * l2_share:
        return Facts("l1_sparse", values)
    return Facts("both_shrink" if max(l1_share, l2_share) > 0.1 else "no_sparsity", values)


MEASURES: dict[str, Callable[[LessonRun], Facts]] = {
    "neuron_bias": neuron_bias,
    "linear_stack": linear_stack,
    "xor_hidden": xor_hidden,
    "symmetry": symmetry,
    "learning_rates": learning_rates,
    "vanishing": vanishing,
    "deep_fixes": deep_fixes,
    "batch_noise": batch_noise,
    "overfitting": overfitting,
    "softmax_outputs": softmax_outputs,
    "optimizers": optimizers,
    "digit_templates": digit_templates,
    "sparsity": sparsity,
}
