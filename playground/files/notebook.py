"""Export a run as a Jupyter notebook that redoes it in plain NumPy (and plots it with Plotly).

``build_notebook(session)`` writes, with ``nbformat``, a notebook that

1. holds the run's data (the training and test rows exactly as the app split them),
2. draws the same initial weights from the same seed (``np.random.default_rng(weight_seed)``,
   layer after layer, like ``playground.engine.initializers``),
3. trains the same number of updates with the same mini-batch order
   (``np.random.default_rng([weight_seed, 1])``), optimizer, L2, learning-rate decay and any
   mid-run changes of those (the ``schedule``),
4. plots the cost curve with Plotly, and
5. ends by printing the final training cost, which equals the app's to 6 significant digits.

Nothing in it imports this app: a student can take it home. The generated code repeats the
engine's arithmetic operation for operation (the two-branch sigmoid, costs from the logits via
softplus and log-softmax, Adam's bias corrections …), so the two agree to the last bit on the same machine;
``tests/test_notebook.py`` executes it and checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import nbformat
import numpy as np
from nbformat import v4

from ..datasets import DATASETS, EXTRA_FEATURES
from ..engine.activations import ACTIVATIONS
from ..engine.layers import BN_EPSILON, BN_MOMENTUM
from ..engine.network import DROPOUT_STREAM
from ..settings import escape_markdown
from ..training import TrainingSession
from .csv_upload import download_name

HYPERPARAMETERS = ("learning_rate", "l2", "lr_decay", "batch_size", "l1", "dropout")
CURVE_POINTS = 500  # the notebook records the cost about this many times


@dataclass(frozen=True)
class Phase:
    """From update ``first_update`` on, these hyperparameters applied (they can change mid-run)."""

    first_update: int
    learning_rate: float
    l2: float
    lr_decay: float
    batch_size: int
    l1: float = 0.0
    dropout: float = 0.0

    @classmethod
    def of(cls, first_update: int, settings) -> Phase:
        return cls(first_update, *(getattr(settings, name) for name in HYPERPARAMETERS))


# -- data ------------------------------------------------------------------------------------
def _float_text(value: float) -> str:
    return repr(float(value))  # shortest text that reads back as exactly the same float64


def _array_literal(name: str, values: np.ndarray, comment: str = "") -> str:
    """``name = np.array([...])`` that reads back bit-identical: whole numbers as ints, pixel
    values k/16 as ints divided by 16, anything else as full-precision floats."""
    values = np.asarray(values)
    divide = ""
    if values.dtype.kind == "f":
        sixteenths = values * 16.0
        if values.ndim == 2 and values.shape[1] > 8 and np.array_equal(sixteenths, np.round(sixteenths)):
            values, divide = np.round(sixteenths).astype(int), " / 16.0"
    fmt = str if values.dtype.kind in "iub" else _float_text
    if values.ndim == 1:
        body = ", ".join(fmt(v) for v in values)
        text = f"{name} = np.array([{body}]){divide}"
    else:
        rows = ",\n".join("    [" + ", ".join(fmt(v) for v in row) + "]" for row in values)
        text = f"{name} = np.array([\n{rows},\n]){divide}"
        if len(values) == 0:
            text = f"{name} = np.zeros((0, {values.shape[1]})){divide}"
    return (f"# {comment}\n" if comment else "") + text


def _data_description(session: TrainingSession) -> str:
    s = session.settings
    custom = session.custom
    m_train, m_test = len(session.y_train), len(session.y_test)
    split = f"{m_train} training and {m_test} test rows (test share {s.test_ratio:g}, split seed {s.data_seed})"
    if custom is not None:
        lines = [f"Your uploaded file **{escape_markdown(custom.name)}**: {split}."]
        describe = getattr(custom, "standardization_lines", None)
        if describe is not None:
            lines.append("The app standardized it before training: " + "; ".join(f"`{t}`" for t in describe()) + ".")
            lines += [f"- {t}" for t in custom.label_lines()]
        return "\n".join(lines)
    info = DATASETS[s.dataset]
    if not info.plane:
        return (f"**{info.label}** — {info.description} Pixels are scikit-learn's `load_digits` values "
                f"0–16 divided by 16. {split}.")
    size = "" if info.fixed_size else f" ({s.n_samples} points, noise {s.noise:g})"
    return f"**{info.label}**{size}: {info.description} {split}."


def _features_code(features: Sequence[str]) -> str:
    formulas = {
        "x1^2": "x1 ** 2", "x2^2": "x2 ** 2", "x1*x2": "x1 * x2",
        "sin(x1)": "np.sin(np.pi * x1)", "sin(x2)": "np.sin(np.pi * x2)",
    }
    assert set(formulas) == set(EXTRA_FEATURES), "every extra feature needs its formula here"
    if not features:
        return ("X_train = points_train.T   # (n_x, m_train): examples are columns\n"
                "X_test = points_test.T")
    extra = ", ".join(formulas[f] for f in features)
    return (
        f"# Extra input features {', '.join(features)}, computed from x1 and x2 (sin uses π·x).\n"
        "def with_features(points):\n"
        "    x1, x2 = points[:, 0], points[:, 1]\n"
        f"    return np.column_stack([points, {extra}])\n\n"
        "X_train = with_features(points_train).T   # (n_x, m_train): examples are columns\n"
        "X_test = with_features(points_test).T"
    )


def _targets_code(task: str, n_classes: int) -> str:
    if task == "multiclass":
        return (f"Y_train = np.eye({n_classes})[:, y_train]   # one-hot: ({n_classes}, m_train)\n"
                f"Y_test = np.eye({n_classes})[:, y_test]")
    what = "labels 0/1" if task == "binary" else "targets"
    return (f"Y_train = y_train.reshape(1, -1).astype(float)   # {what} as a (1, m_train) row\n"
            "Y_test = y_test.reshape(1, -1).astype(float)")


# -- network ---------------------------------------------------------------------------------
INIT_CODE = {
    "zeros": ("np.zeros((n_out, n_in))", "zeros: every unit of a layer stays identical (the symmetry problem)"),
    "small": ("rng.standard_normal((n_out, n_in)) * 0.01", "small: 0.01·N(0, 1)"),
    "large": ("rng.standard_normal((n_out, n_in)) * 1.0", "large: 1.0·N(0, 1)"),
    "xavier": ("rng.standard_normal((n_out, n_in)) * np.sqrt(1.0 / n_in)", "Xavier: variance 1/n[l-1]"),
    "he": ("rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)", "He: variance 2/n[l-1]"),
}

def _hidden_code(activation: str) -> tuple[str, str, str]:
    """g(Z), g'(Z, A) and a comment, as NumPy code (from the engine's activation registry)."""
    a = ACTIVATIONS[activation]
    return a.code, a.code_grad, a.code_comment


def _uses_sigmoid(hidden_code: str, output_activation: str) -> bool:
    """Whether the notebook calls its ``sigmoid`` helper (in the hidden layers or the output)."""
    return "sigmoid(" in hidden_code + OUTPUT_CODE[output_activation][0]


OUTPUT_CODE = {
    "sigmoid": ("    return sigmoid(Z)   # P(class 1)",
                "np.sum(Y * np.logaddexp(0.0, -ZL) + (1.0 - Y) * np.logaddexp(0.0, ZL), axis=0)\n"
                "    # -[y log σ(z) + (1-y) log(1-σ(z))] = y·softplus(-z) + (1-y)·softplus(z), softplus(z) = log(1 + e^z)",
                "binary cross-entropy"),
    "softmax": ("    E = np.exp(Z - Z.max(axis=0, keepdims=True))   # softmax, minus the column max\n"
                "    return E / E.sum(axis=0, keepdims=True)",
                None, "categorical cross-entropy"),
    "linear": ("    return Z   # linear output: the predicted value",
               "0.5 * np.sum((AL - Y) ** 2, axis=0)   # ½ (ŷ - y)²", "½ mean squared error"),
}

SOFTMAX_COST = (
    "    # log softmax(z)_k = (z_k - z_max) - log Σ_j e^(z_j - z_max); the max's own term is e^0 = 1,\n"
    "    # added back by log1p (precise when the network is confident)\n"
    "    shifted = ZL - ZL.max(axis=0, keepdims=True)\n"
    "    E = np.exp(shifted)\n"
    "    E[np.argmax(ZL, axis=0), np.arange(ZL.shape[1])] = 0.0\n"
    "    per_example = -np.sum(Y * (shifted - np.log1p(E.sum(axis=0, keepdims=True))), axis=0)   # -Σ y_k log softmax_k\n"
)

SIGMOID_CODE = (
    "def sigmoid(Z):   # σ(z) = 1/(1 + e^-z) in two branches: never overflows, precise for z ≪ 0\n"
    "    E = np.exp(-np.abs(Z))   # e^-|z|, in (0, 1]\n"
    "    S = 1.0 / (1.0 + E)\n"
    "    return np.where(Z < 0, E * S, S)   # E/(1+E) for z < 0, 1/(1+E) for z ≥ 0\n\n"
)


def _network_code(session: TrainingSession) -> str:
    s = session.settings
    if s.initializer in INIT_CODE:
        init, init_note = INIT_CODE[s.initializer]
    else:  # "custom": σ·N(0, 1) with the σ chosen on the page
        sigma = _float_text(s.init_std)
        init, init_note = f"rng.standard_normal((n_out, n_in)) * {sigma}", f"custom: {sigma}·N(0, 1)"
    return (
        f"layer_sizes = {list(session.layer_sizes)}   # n[0] inputs, hidden widths, n[L] outputs\n"
        "L = len(layer_sizes) - 1\n"
        f"rng = np.random.default_rng({s.weight_seed})   # the weight seed\n"
        "W, b = [None], [None]   # W[l], b[l] for l = 1..L, numbered like the lecture notes\n"
        "for l in range(1, L + 1):\n"
        "    n_out, n_in = layer_sizes[l], layer_sizes[l - 1]\n"
        f"    W.append({init})   # {init_note}\n"
        "    b.append(np.zeros((n_out, 1)))\n"
        "print('shapes:', [(W[l].shape, b[l].shape) for l in range(1, L + 1)])"
        + _fixes_setup_code(session)
    )


def _has_fixes(s) -> bool:
    """Batch norm, skips or dropout: the notebook's forward and backward grow those steps."""
    return bool(s.batch_norm or s.residual or s.dropout > 0)


def _fixes_setup_code(session: TrainingSession) -> str:
    s = session.settings
    lines = []
    if s.batch_norm:
        lines += [
            "",
            "# Batch normalization of every hidden layer: learned scale γ[l] (starts at 1) and shift β[l]",
            "# (starts at 0), and the running averages of μ and σ² that evaluation uses.",
            f"bn_momentum, bn_epsilon = {_float_text(BN_MOMENTUM)}, {_float_text(BN_EPSILON)}",
            "bn_gamma, bn_beta = [None] * (L + 1), [None] * (L + 1)",
            "running_mean, running_var = [None] * (L + 1), [None] * (L + 1)",
            "for l in range(1, L):",
            "    bn_gamma[l], bn_beta[l] = np.ones((layer_sizes[l], 1)), np.zeros((layer_sizes[l], 1))",
            "    running_mean[l], running_var[l] = np.zeros((layer_sizes[l], 1)), np.ones((layer_sizes[l], 1))",
        ]
    if s.dropout > 0:
        lines += [
            "",
            f"keep_prob = {_float_text(s.keep_prob)}   # dropout rate {s.dropout:g}: each hidden unit is kept with this probability",
            f"drop_rng = np.random.default_rng([{s.weight_seed}, {DROPOUT_STREAM}])   # dropout masks: (weight seed, {DROPOUT_STREAM})",
        ]
    if s.residual:
        lines += ["", "residual = True   # A[l] = g(Z[l]) + A[l-2] for the hidden layers l ≥ 3"]
    return "\n".join(lines) and "\n" + "\n".join(lines)


def _l1_lines(session: TrainingSession) -> tuple[str, str, str]:
    """The L1 strength, its cost term and its gradient term (empty without L1)."""
    l1 = session.settings.l1
    if not l1:
        return "", "", ""
    return (f"l1 = {_float_text(l1)}   # L1 strength λ₁: cost + (λ₁/m) Σ|W|, gradient + (λ₁/m) sign(W)\n\n",
            "    J += l1 / m * sum(float(np.sum(np.abs(W[l]))) for l in range(1, L + 1))\n",
            "        dW[l] = dW[l] + (l1 / m) * np.sign(W[l])\n")


def _maths_code(session: TrainingSession) -> str:
    hidden, derivative, hidden_note = _hidden_code(session.settings.activation)
    output, per_example, _ = OUTPUT_CODE[session.output_activation]
    cost_line = SOFTMAX_COST if per_example is None else f"    per_example = {per_example}\n"
    uses_sigmoid = _uses_sigmoid(hidden, session.output_activation)
    l1_value, l1_cost, l1_grad = _l1_lines(session)
    if _has_fixes(session.settings):
        return _fixes_maths_code(session, cost_line, l1_value, l1_cost, l1_grad)
    return (
        l1_value
        + (SIGMOID_CODE if uses_sigmoid else "")
        + f"def g(Z):   # hidden activation: {hidden_note}\n"
        f"    return {hidden}\n\n"
        "def g_prime(Z, A):   # its derivative, from the cached Z and A\n"
        f"    return {derivative}\n\n"
        "def output(Z):\n"
        f"{output}\n\n"
        "def forward(X):\n"
        '    """Z[l] = W[l] A[l-1] + b[l], A[l] = g(Z[l]); returns the lists Z, A (A[0] = X)."""\n'
        "    Z, A = [None], [X]\n"
        "    for l in range(1, L + 1):\n"
        "        Z.append(W[l] @ A[l - 1] + b[l])\n"
        "        A.append(g(Z[l]) if l < L else output(Z[l]))\n"
        "    return Z, A\n\n"
        "def cost(X, Y, l2):\n"
        '    """J = mean loss over the m columns (from the logits Z[L], so log(0) cannot happen)\n'
        '    plus the L2 penalty (λ/2m) Σ ||W[l]||²."""\n'
        "    Z, A = forward(X)\n"
        "    ZL, AL, m = Z[L], A[L], Y.shape[1]\n"
        f"{cost_line}"
        "    J = float(np.mean(per_example))\n"
        "    if l2:\n"
        "        J += l2 / (2 * m) * sum(float(np.sum(W[l] * W[l])) for l in range(1, L + 1))\n"
        f"{l1_cost}"
        "    return J\n\n"
        "def backward(Z, A, Y, l2):\n"
        '    """dZ[L] = A[L] - Y; dW[l] = (1/m) dZ[l] A[l-1]ᵀ + (λ/m) W[l]; db[l] = (1/m) Σ dZ[l];\n'
        '    dZ[l-1] = W[l]ᵀ dZ[l] * g\'(Z[l-1])."""\n'
        "    m = Y.shape[1]\n"
        "    dW, db = [None] * (L + 1), [None] * (L + 1)\n"
        "    dZ = A[L] - Y\n"
        "    for l in range(L, 0, -1):\n"
        "        dW[l] = (dZ @ A[l - 1].T) * (1.0 / m)\n"
        "        if l2:\n"
        "            dW[l] = dW[l] + (l2 / m) * W[l]\n"
        f"{l1_grad}"
        "        db[l] = dZ.sum(axis=1, keepdims=True) * (1.0 / m)\n"
        "        if l > 1:\n"
        "            dZ = (W[l].T @ dZ) * g_prime(Z[l - 1], A[l - 1])\n"
        "    return dW, db"
    )


def _fixes_maths_code(session: TrainingSession, cost_line: str, l1_value: str, l1_cost: str, l1_grad: str) -> str:
    """forward/cost/backward with batch norm, residual skips and/or dropout (operation for
    operation what ``playground.engine`` computes, so the costs agree to the last bit)."""
    s = session.settings
    hidden, derivative, hidden_note = _hidden_code(s.activation)
    output, _, _ = OUTPUT_CODE[session.output_activation]
    uses_sigmoid = _uses_sigmoid(hidden, session.output_activation)
    bn, drop, res = s.batch_norm, s.dropout > 0, s.residual
    doc = ["Z[l] = W[l] A[l-1]" + ("" if bn else " + b[l]")]
    if bn:
        doc.append("Z̃[l] = γ[l] (Z[l] - μ) / √(σ² + ε) + β[l] (b[l] is redundant: β[l] shifts instead)")
    doc.append("A[l] = g(" + ("Z̃[l]" if bn else "Z[l]") + ")" + (" * D[l] / keep_prob" if drop else "")
               + (" (+ A[l-2] for l ≥ 3)" if res else ""))
    f = [
        "def forward(X, training=False):",
        '    """' + "; ".join(doc) + ".",
        "    training=True: batch statistics" + (" (and the running averages move)" if bn else "")
        + (", dropout masks drawn" if drop else "") + '; False: evaluation."""',
        "    m = X.shape[1]",
        "    Z, A, Zt, G = [None], [X], [None], [X]   # Zt[l]: what g sees; G[l] = g(Zt[l])",
        "    Zn, var, D = [None] * (L + 1), [None] * (L + 1), [None] * (L + 1)",
        "    for l in range(1, L):",
        "        Zl = W[l] @ A[l - 1]",
    ]
    if bn:
        f += [
            "        if training:",
            "            mean = np.full((m, 1), 1.0 / m)   # Z @ mean: the average over the m columns",
            "            mu = Zl @ mean",
            "            centred = Zl - mu",
            "            var[l] = (centred * centred) @ mean   # the biased batch variance σ²",
            "            Zn[l] = centred * (1.0 / np.sqrt(var[l] + bn_epsilon))",
            "            Ztl = bn_gamma[l] * Zn[l] + bn_beta[l]",
            "            running_mean[l] = bn_momentum * running_mean[l] + (1.0 - bn_momentum) * mu",
            "            unbiased = var[l] * (m / (m - 1)) if m > 1 else var[l]   # m/(m-1)·σ², like PyTorch",
            "            running_var[l] = bn_momentum * running_var[l] + (1.0 - bn_momentum) * unbiased",
            "        else:   # evaluation: the running averages, as one scale and shift per unit",
            "            scale = bn_gamma[l] * (1.0 / np.sqrt(running_var[l] + bn_epsilon))",
            "            Ztl = Zl * scale + (bn_beta[l] - running_mean[l] * scale)",
        ]
    else:
        f += ["        Zl = Zl + b[l]", "        Ztl = Zl"]
    f += ["        Gl = g(Ztl)", "        Al = Gl"]
    if drop:
        f += [
            "        if training and keep_prob < 1.0:",
            "            D[l] = drop_rng.random(Gl.shape) < keep_prob   # True: the unit is kept",
            "            Al = Gl * D[l] / keep_prob   # inverted dropout: no rescaling at test time",
        ]
    if res:
        f += ["        if l >= 3:", "            Al = Al + A[l - 2]   # the skip connection"]
    f += [
        "        Z.append(Zl)",
        "        Zt.append(Ztl)",
        "        G.append(Gl)",
        "        A.append(Al)",
        "    Z.append(W[L] @ A[L - 1] + b[L])",
        "    A.append(output(Z[L]))",
        "    return Z, A, Zt, G, Zn, var, D",
        "",
        "def cost(X, Y, l2):",
        '    """The evaluation cost (what the app reports): mean loss over the m columns plus the',
        '    L2 penalty (λ/2m) Σ ||W[l]||²."""',
        "    Z, A = forward(X)[:2]",
        "    ZL, AL, m = Z[L], A[L], Y.shape[1]",
    ]
    back = [
        "def backward(cache, Y, l2):",
        '    """dZ[L] = A[L] - Y; dW[l] = (1/m) dZ[l] A[l-1]ᵀ + (λ/m) W[l]; dA[l-1] = W[l]ᵀ dZ[l]'
        + (" (+ dA[l+1] through the skip)" if res else "")
        + (", then × D[l-1] / keep_prob" if drop else "") + ", × g\'(Z̃[l-1])"
        + ("; back through batch norm to dZ[l-1], dγ, dβ" if bn else "") + '."""',
        "    Z, A, Zt, G, Zn, var, D = cache",
        "    m = Y.shape[1]",
        "    dW, db, dgamma, dbeta, dA = ([None] * (L + 1) for _ in range(5))",
        "    dZ = A[L] - Y",
        "    for l in range(L, 0, -1):",
        "        dW[l] = (dZ @ A[l - 1].T) * (1.0 / m)",
        "        if l2:",
        "            dW[l] = dW[l] + (l2 / m) * W[l]",
    ]
    back.append(l1_grad.rstrip("\n")) if l1_grad else None
    if bn:
        back += ["        # under batch norm the hidden layers never use b[l]: its gradient is exactly 0",
                 "        db[l] = np.zeros_like(b[l]) if l < L else dZ.sum(axis=1, keepdims=True) * (1.0 / m)"]
    else:
        back += ["        db[l] = dZ.sum(axis=1, keepdims=True) * (1.0 / m)"]
    back += ["        if l > 1:", "            dA[l - 1] = W[l].T @ dZ"]
    if res:
        back += ["            if 3 <= l + 1 < L:   # A[l+1] = ... + A[l-1]: the skip passes dA[l+1] straight back",
                 "                dA[l - 1] = dA[l - 1] + dA[l + 1]"]
    back += ["            dG = dA[l - 1] if D[l - 1] is None else dA[l - 1] * D[l - 1] / keep_prob" if drop
             else "            dG = dA[l - 1]",
             "            dZt = dG * g_prime(Zt[l - 1], G[l - 1])"]
    if bn:
        back += [
            "            mean = np.full((m, 1), 1.0 / m)",
            "            dgamma[l - 1] = (dZt * Zn[l - 1]) @ mean",
            "            dbeta[l - 1] = dZt @ mean",
            "            dZ = (dZt - dbeta[l - 1]) - Zn[l - 1] * dgamma[l - 1]",
            "            dZ = dZ * (bn_gamma[l - 1] * (1.0 / np.sqrt(var[l - 1] + bn_epsilon)))",
        ]
    else:
        back += ["            dZ = dZt"]
    back.append("    return dW, db, dgamma, dbeta")
    return (
        l1_value
        + (SIGMOID_CODE if uses_sigmoid else "")
        + f"def g(Z):   # hidden activation: {hidden_note}\n"
        f"    return {hidden}\n\n"
        "def g_prime(Z, A):   # its derivative, from what g saw and what it gave\n"
        f"    return {derivative}\n\n"
        "def output(Z):\n"
        f"{output}\n\n"
        + "\n".join(f) + "\n"
        f"{cost_line}"
        "    J = float(np.mean(per_example))\n"
        "    if l2:\n"
        "        J += l2 / (2 * m) * sum(float(np.sum(W[l] * W[l])) for l in range(1, L + 1))\n"
        f"{l1_cost}"
        "    return J\n\n"
        + "\n".join(back)
    )


def _zeros_state(*names: str) -> str:
    return "\n".join(f"{n}W = [None] + [np.zeros_like(W[l]) for l in range(1, L + 1)]\n"
                     f"{n}b = [None] + [np.zeros_like(b[l]) for l in range(1, L + 1)]" for n in names)


OPTIMIZER_TEXT = {
    "sgd": ("Plain gradient descent", "`W[l] := W[l] - α dW[l]` (and the same for `b[l]`)."),
    "momentum": ("Momentum", "A running average of the gradients, `v := β v + (1-β) dW`, then "
                 "`W := W - α v` (β = 0.9)."),
    "rmsprop": ("RMSProp", "Divide each step by a running root-mean-square of that parameter's "
                "gradients: `s := β s + (1-β) dW²`, `W := W - α dW / (√s + ε)` (β = 0.9, ε = 1e-8)."),
    "adam": ("Adam", "Momentum and RMSProp together with bias correction: `v̂ = v / (1-β1^t)`, "
             "`ŝ = s / (1-β2^t)`, `W := W - α v̂ / (√ŝ + ε)` (β1 = 0.9, β2 = 0.999, ε = 1e-8)."),
}


def _optimizer_code(name: str, batch_norm: bool = False) -> str:
    code = _plain_optimizer_code(name)
    if not batch_norm:
        return code
    # γ and β are learned by the same rule; they exist for the hidden layers only (None elsewhere)
    for letter in ("v", "s"):
        code = code.replace(
            f"{letter}b = [None] + [np.zeros_like(b[l]) for l in range(1, L + 1)]",
            f"{letter}b = [None] + [np.zeros_like(b[l]) for l in range(1, L + 1)]\n"
            f"{letter}gamma = [None if p is None else np.zeros_like(p) for p in bn_gamma]\n"
            f"{letter}beta = [None if p is None else np.zeros_like(p) for p in bn_beta]")
    code = code.replace("def update(dW, db, learning_rate):", "def update(dW, db, learning_rate, dgamma=None, dbeta=None):")
    code = code.replace("(W, dW, vW, sW), (b, db, vb, sb))",
                        "(W, dW, vW, sW), (b, db, vb, sb), (bn_gamma, dgamma, vgamma, sgamma), (bn_beta, dbeta, vbeta, sbeta))")
    for letter in ("v", "s"):
        code = code.replace(f"(W, dW, {letter}W), (b, db, {letter}b))",
                            f"(W, dW, {letter}W), (b, db, {letter}b), (bn_gamma, dgamma, {letter}gamma), "
                            f"(bn_beta, dbeta, {letter}beta))")
    code = code.replace(
        "        W[l] = W[l] - learning_rate * dW[l]\n        b[l] = b[l] - learning_rate * db[l]",
        "        W[l] = W[l] - learning_rate * dW[l]\n        b[l] = b[l] - learning_rate * db[l]\n"
        "        if l < L:   # batch norm's γ[l] and β[l]\n"
        "            bn_gamma[l] = bn_gamma[l] - learning_rate * dgamma[l]\n"
        "            bn_beta[l] = bn_beta[l] - learning_rate * dbeta[l]")
    code = code.replace("        for P, G, V, S in", "        for P, G, V, S in").replace(
        "            V[l] = beta1", "            if P[l] is None:\n                continue\n            V[l] = beta1")
    code = code.replace("            V[l] = beta * V[l]", "            if P[l] is None:\n                continue\n            V[l] = beta * V[l]")
    code = code.replace("            S[l] = beta * S[l]", "            if P[l] is None:\n                continue\n            S[l] = beta * S[l]")
    return code


def _plain_optimizer_code(name: str) -> str:
    if name == "sgd":
        return (
            "def update(dW, db, learning_rate):\n"
            "    for l in range(1, L + 1):\n"
            "        W[l] = W[l] - learning_rate * dW[l]\n"
            "        b[l] = b[l] - learning_rate * db[l]"
        )
    if name == "momentum":
        return (
            "beta = 0.9\n" + _zeros_state("v") + "\n\n"
            "def update(dW, db, learning_rate):\n"
            "    for l in range(1, L + 1):\n"
            "        for P, G, V in ((W, dW, vW), (b, db, vb)):\n"
            "            V[l] = beta * V[l] + (1 - beta) * G[l]\n"
            "            P[l] = P[l] - learning_rate * V[l]"
        )
    if name == "rmsprop":
        return (
            "beta, epsilon = 0.9, 1e-8\n" + _zeros_state("s") + "\n\n"
            "def update(dW, db, learning_rate):\n"
            "    for l in range(1, L + 1):\n"
            "        for P, G, S in ((W, dW, sW), (b, db, sb)):\n"
            "            S[l] = beta * S[l] + (1 - beta) * (G[l] * G[l])\n"
            "            P[l] = P[l] - learning_rate * G[l] / (np.sqrt(S[l]) + epsilon)"
        )
    if name == "adam":
        return (
            "beta1, beta2, epsilon = 0.9, 0.999, 1e-8\n" + _zeros_state("v", "s") + "\n"
            "adam_t = 0   # Adam's own update counter, for the bias correction\n\n"
            "def update(dW, db, learning_rate):\n"
            "    global adam_t\n"
            "    adam_t += 1\n"
            "    correct1, correct2 = 1.0 / (1 - beta1**adam_t), 1.0 / (1 - beta2**adam_t)\n"
            "    for l in range(1, L + 1):\n"
            "        for P, G, V, S in ((W, dW, vW, sW), (b, db, vb, sb)):\n"
            "            V[l] = beta1 * V[l] + (1 - beta1) * G[l]\n"
            "            S[l] = beta2 * S[l] + (1 - beta2) * (G[l] * G[l])\n"
            "            P[l] = P[l] - learning_rate * (V[l] * correct1) / (np.sqrt(S[l] * correct2) + epsilon)"
        )
    raise ValueError(f"no notebook code for optimizer {name!r}")


def _schedule_code(schedule: Sequence[Phase], n_updates: int, weight_seed: int, fixes: bool = False,
                   batch_norm: bool = False) -> str:
    extra = any(p.l1 or p.dropout for p in schedule)  # L1 and the dropout rate can change mid-run too
    step_code = (
        "    cache = forward(X, training=True)\n"
        "    dW, db, dgamma, dbeta = backward(cache, Y, l2)\n"
        if fixes else
        "    Z, A = forward(X)\n"
        "    dW, db = backward(Z, A, Y, l2)\n"
    )
    rows = "\n".join(
        f"    ({p.first_update}, {_float_text(p.learning_rate)}, {_float_text(p.l2)}, "
        f"{_float_text(p.lr_decay)}, {p.batch_size}"
        + (f", {_float_text(p.l1)}, {_float_text(1.0 - p.dropout)}" if extra else "") + "),"
        for p in schedule
    )
    names = "alpha0, l2, k, batch_size" + (", l1, keep_prob" if extra else "")
    return (
        "# (from update, learning rate α0, L2 λ, decay k, batch size; 0 = full batch"
        + (", L1 λ₁, keep_prob" if extra else "") + "). One row,\n"
        "# unless these were changed while the app was training.\n"
        f"schedule = [\n{rows}\n]\n"
        f"n_updates = {n_updates}\n"
        "m = X_train.shape[1]\n"
        f"shuffle_rng = np.random.default_rng([{weight_seed}, 1])   # mini-batch order: (weight seed, 1)\n"
        "batches = []\n\n"
        "def next_batch(batch_size):\n"
        '    """The next mini-batch; when all are used, reshuffle and start a new pass (epoch)."""\n'
        "    global batches\n"
        "    if batch_size <= 0 or batch_size >= m:\n"
        "        return X_train, Y_train   # full batch: every update sees all m examples\n"
        "    if not batches:\n"
        "        order = shuffle_rng.permutation(m)\n"
        "        Xp, Yp = X_train[:, order], Y_train[:, order]\n"
        "        batches = [(Xp[:, i:i + batch_size], Yp[:, i:i + batch_size]) for i in range(0, m, batch_size)]\n"
        "    return batches.pop(0)\n\n"
        f"record_every = max(1, n_updates // {CURVE_POINTS})\n"
        "phase = 0\n"
        f"{names} = schedule[0][1:]\n"
        "curve = [(0, cost(X_train, Y_train, l2), cost(X_test, Y_test, l2))]\n"
        "for t in range(n_updates):\n"
        "    while phase + 1 < len(schedule) and schedule[phase + 1][0] <= t:\n"
        "        phase += 1\n"
        "        if schedule[phase][4] != batch_size:\n"
        "            batches = []   # a new batch size starts a new shuffled pass\n"
        f"        {names} = schedule[phase][1:]\n"
        "    X, Y = next_batch(batch_size)\n"
        + step_code +
        "    learning_rate = alpha0 * float(np.exp(-k * t)) if k else alpha0   # α_t = α0·e^(−k·t)\n"
        f"    update(dW, db, learning_rate{', dgamma, dbeta' if batch_norm else ''})\n"
        "    if (t + 1) % record_every == 0 or t + 1 == n_updates:\n"
        "        curve.append((t + 1, cost(X_train, Y_train, l2), cost(X_test, Y_test, l2)))\n"
        "print(f'{n_updates} updates done')"
    )


def _metric_code(task: str) -> str:
    if task == "regression":
        return (
            "def r_squared(X, y):\n"
            "    prediction = forward(X)[1][L][0]\n"
            "    return 1.0 - np.sum((prediction - y) ** 2) / np.sum((y - y.mean()) ** 2)\n\n"
            "print(f'R² (1 = perfect): train {r_squared(X_train, y_train):.3f}, test {r_squared(X_test, y_test):.3f}')"
        )
    predict = ("np.argmax(AL, axis=0)" if task == "multiclass" else "(AL[0] > 0.5).astype(int)")
    return (
        "def accuracy(X, y):\n"
        "    AL = forward(X)[1][L]\n"
        f"    return np.mean({predict} == y)\n\n"
        "print(f'accuracy: train {accuracy(X_train, y_train):.1%}, test {accuracy(X_test, y_test):.1%}')"
    )


PLOT_CODE = (
    "steps, train_costs, test_costs = (np.array(column) for column in zip(*curve))\n"
    "fig = go.Figure(\n"
    "    [go.Scatter(x=steps, y=train_costs, name='train cost'), go.Scatter(x=steps, y=test_costs, name='test cost')],\n"
    "    {'title': {'text': 'Cost J during training'}, 'height': 420,\n"
    "     'xaxis': {'title': {'text': 'update'}}, 'yaxis': {'title': {'text': 'cost J'}, 'rangemode': 'tozero'}},\n"
    ")\n"
    "fig.show()"
)


# -- the notebook ----------------------------------------------------------------------------
def current_schedule(session: TrainingSession) -> list[Phase]:
    """The schedule of a run whose hyperparameters never changed: one phase from update 0."""
    return [Phase.of(0, session.settings)]


def _settings_table(session: TrainingSession, schedule: Sequence[Phase], n_updates: int) -> str:
    s = session.settings
    arch = " → ".join(str(n) for n in session.layer_sizes)
    first = schedule[0]
    batch = "full batch" if first.batch_size <= 0 or first.batch_size >= session.m_train else f"batches of {first.batch_size}"
    training = (f"{OPTIMIZER_TEXT[s.optimizer][0]}, α = {first.learning_rate:g}, {batch}, "
                f"L2 λ = {first.l2:g}, decay k = {first.lr_decay:g}")
    if len(schedule) > 1:
        training += f" — then changed {len(schedule) - 1}× during the run (see the schedule below)"
    features = ", ".join(["x1", "x2", *s.features]) if session.custom is not None or DATASETS[s.dataset].plane \
        else f"{session.layer_sizes[0]} pixels"
    return "\n".join([
        "| setting | value |",
        "|---|---|",
        f"| inputs | {features} |",
        f"| network | {arch}; hidden {s.activation}, output {session.output_activation} "
        f"({OUTPUT_CODE[session.output_activation][2]}) |",
        f"| initial weights | {s.initializer if s.initializer in INIT_CODE else f'σ = {s.init_std:g}'}, "
        f"weight seed {s.weight_seed} |",
        f"| training | {training} |",
        *([f"| fixes (CONCEPTS §10) | {_fixes_text(s)} |"] if _fixes_text(s) else []),
        f"| updates | {n_updates:,} |",
    ])


def _fixes_markdown(s) -> str:
    text = []
    if s.batch_norm:
        text.append("**Batch normalization** (before every hidden activation): `μ`, `σ²` over the batch's columns, "
                    "`Z_norm = (Z - μ)/√(σ² + ε)`, `Z̃ = γ Z_norm + β`. γ and β are learned; β makes b redundant, so "
                    "the hidden layers skip b (it stays 0, its gradient is 0). Evaluation (the reported cost, "
                    "accuracy) uses the running averages of μ and σ² instead of the batch's.")
    if s.residual:
        text.append("**Residual connections**: `A[l] = g(Z[l]) + A[l-2]` for the hidden layers l ≥ 3; in backward "
                    "the skip passes `dA[l]` straight back to `dA[l-2]`.")
    if s.dropout > 0:
        text.append("**Inverted dropout** in training: `D = (rand < keep_prob)`, `A = A * D / keep_prob`, the same "
                    "mask in backward; no dropout in evaluation.")
    if s.l1:
        text.append("**L1**: cost `+ (λ₁/m) Σ|W|`, gradient `+ (λ₁/m) sign(W)`.")
    return "".join("\n\n" + t for t in text)


def _fixes_text(s) -> str:
    parts = [name for name, on in (("batch normalization", s.batch_norm), ("residual connections", s.residual)) if on]
    if s.dropout > 0:
        parts.append(f"dropout rate {s.dropout:g} (keep_prob {s.keep_prob:g})")
    if s.l1:
        parts.append(f"L1 λ₁ = {s.l1:g}")
    return ", ".join(parts)


class _SessionView:
    """The session as the code generators should see it: with L1 and dropout switched on if
    any phase of the schedule used them (their values come from the schedule at run time)."""

    def __init__(self, session: TrainingSession, settings):
        self._session, self.settings = session, settings

    def __getattr__(self, name):
        return getattr(self._session, name)


def _as_used(session: TrainingSession, schedule: Sequence[Phase]):
    first = schedule[0]
    l1 = first.l1 or max(p.l1 for p in schedule)
    dropout = first.dropout or max(p.dropout for p in schedule)
    if (l1, dropout) == (session.settings.l1, session.settings.dropout):
        return session
    return _SessionView(session, session.settings.replace(l1=l1, dropout=dropout))


def build_notebook(
    session: TrainingSession, schedule: Sequence[Phase] | None = None, page: str = "Playground"
) -> nbformat.NotebookNode:
    """A notebook that recreates ``session``'s run up to its latest recorded update.

    ``schedule``: the hyperparameters in force from each update on (default: the current ones
    from update 0). The final cost printed is the app's training cost after that update.
    """
    schedule = list(schedule or current_schedule(session))
    latest = session.latest  # one consistent snapshot of the current step
    n_updates, app_cost = int(latest.step), float(latest.train_cost)
    if schedule[0].first_update != 0:
        raise ValueError("the schedule must start at update 0")
    session = _as_used(session, schedule)
    s = session.settings
    name = session.dataset_label
    md, code = v4.new_markdown_cell, v4.new_code_cell
    cells = [
        md(f"# {name}: a Neural Playground run in plain NumPy\n\n"
           f"Exported from the {page} page after **{n_updates:,} updates**. This notebook rebuilds the same "
           "data, the same initial weights and the same training with nothing but NumPy, plots the cost "
           f"with Plotly, and ends by printing the final training cost — in the app it was "
           f"**J = {app_cost:.6g}**.\n\n"
           + _settings_table(session, schedule, n_updates)
           + "\n\nNeeds `pip install numpy plotly`. Notation as in the lecture notes: examples are columns, "
             "`X` is `(n_x, m)`, `W[l]` is `(n[l], n[l-1])`, `b[l]` is `(n[l], 1)`."),
        code("import numpy as np\nimport plotly.graph_objects as go"),
        md("## 1. The data\n\n" + _data_description(session) + "\n\nRows are examples here (like a CSV file); "
           "the network receives them as columns."),
        code(_array_literal("points_train", session.points_train, "training rows: inputs")
             + "\n" + _array_literal("y_train", session.y_train, "their labels (targets)")
             + "\n" + _array_literal("points_test", session.points_test, "test rows (never trained on)")
             + "\n" + _array_literal("y_test", session.y_test)),
        code(_features_code(s.features) + "\n" + _targets_code(session.task, session.n_classes)
             + "\nprint('X_train', X_train.shape, ' Y_train', Y_train.shape, ' X_test', X_test.shape)"),
        md("## 2. The network and its initial weights\n\n"
           "The weights of every layer are drawn from one random generator seeded with the weight seed, "
           "layer 1 first; biases start at zero."),
        code(_network_code(session)),
        md("## 3. Forward propagation, cost and backward propagation\n\n"
           f"Cost: {OUTPUT_CODE[session.output_activation][2]}; for this output and cost the backward pass "
           "starts from `dZ[L] = A[L] - Y`." + _fixes_markdown(s)),
        code(_maths_code(session)),
        md(f"## 4. The update rule: {OPTIMIZER_TEXT[s.optimizer][0]}\n\n{OPTIMIZER_TEXT[s.optimizer][1]}"),
        code(_optimizer_code(s.optimizer, s.batch_norm)),
        md("## 5. Training\n\nEach update takes one mini-batch (or the whole training set), runs forward and "
           "backward, and applies the update with the learning rate `α_t = α0·e^(−k·t)`. The mini-batch "
           "order comes from its own generator, seeded with (weight seed, 1), reshuffled every pass."),
        code(_schedule_code(schedule, n_updates, s.weight_seed, _has_fixes(s), s.batch_norm)),
        md("## 6. The cost curve\n\nThe cost on the training and the test set as training went on: both "
           "should fall; a test cost that turns up while the training cost keeps falling means overfitting."),
        code(PLOT_CODE),
        code(_metric_code(session.task)),
        md("## 7. The final cost\n\nThe training cost (with the L2 penalty) after the last update; it matches "
           "the app's to 6 significant digits."),
        code(f"APP_COST = float('{app_cost:.6g}')   # the app's training cost after the last update\n"
             "J = cost(X_train, Y_train, l2)\n"
             "print(f'same as the app: {float(f\"{J:.6g}\") == APP_COST}')\n"
             f"print(f'final training cost J = {{J:.6g}}')"),
    ]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def notebook_bytes(session: TrainingSession, schedule: Sequence[Phase] | None = None, page: str = "Playground") -> bytes:
    """The notebook as .ipynb file contents (UTF-8 JSON)."""
    return nbformat.writes(build_notebook(session, schedule, page)).encode("utf-8")


def file_name(session: TrainingSession) -> str:
    if session.custom is not None:  # a name from the user's file: letters, digits, - _ . only
        return download_name(session.custom.name, "_neural_playground.ipynb")
    return f"{session.settings.dataset}_neural_playground.ipynb"
