"""One training step, stage by stage, with the real numbers (CONCEPTS.md §3–4).

The "Inside a step" view walks forward propagation, the cost, backward propagation and the
update in the lecture notation. Nothing here recomputes the step: ``trace_step`` calls the
engine's own ``forward``, ``cost``, ``backward`` and SGD ``update`` once and then slices what
they returned into ``Stage``s, so the numbers on screen are exactly the engine's (the only
extra arithmetic is display-only: ``W[l] A[l-1]`` before the bias is added, the broadcast
copy of ``b[l]``, ``g'(Z)`` and transposes).

Shapes follow the notes: ``X`` is ``(n_x, m)``, ``W[l]`` is ``(n[l], n[l-1])``, ``b[l]`` is
``(n[l], 1)``, ``Z[l]``, ``A[l]``, ``dZ[l]`` are ``(n[l], m)``.

``PLANTED_BUGS`` are deliberately broken backward functions with the engine backward's
signature, for ``gradient_check(..., backward=bug.backward)``: each reuses ``net.backward``
and then corrupts its result the way a student's mistake would.

Pure NumPy (plus the dataset generators); no Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..datasets import DATASETS, make_dataset, one_hot
from ..engine import ACTIVATIONS, Cache, Gradients, Network, make_optimizer
from ..engine.activations import OUTPUT_FOR_TASK, SOFTMAX_LATEX, symbol
from ..engine.layers import dropout_backward

Array = np.ndarray
MAX_HIDDEN_LAYERS = 3
MAX_HIDDEN_WIDTH = 4
BATCH_SIZE = 4



def _g(name: str) -> str:
    return symbol(name)


def _latex(name: str) -> str:
    """g(z) = … for a hidden or output activation, as the engine's registry typesets it."""
    return SOFTMAX_LATEX if name == "softmax" else ACTIVATIONS[name].latex


@dataclass(frozen=True)
class Matrix:
    """A named matrix as shown on screen: ``name`` in plain text ("W[1]"), ``latex``
    ("W^{[1]}") and its real values (always 2-D)."""

    name: str
    latex: str
    values: Array

    @property
    def shape_label(self) -> str:
        rows, cols = self.values.shape
        return f"{self.name}: {rows}×{cols}"


@dataclass(frozen=True)
class Row:
    """One line of matrices read as an equation: ``lead M0 op0 M1 op1 ... M_k``."""

    matrices: tuple[Matrix, ...]
    operators: tuple[str, ...]
    caption: str = ""
    lead: str = ""


@dataclass(frozen=True)
class Stage:
    """One stage of the step: a title, its formula (LaTeX), a plain-words caption and rows."""

    key: str  # stable id, e.g. "forward-Z1"
    phase: str  # "forward", "cost", "backward" or "update"
    layer: int | None
    title: str
    formula: str
    caption: str
    rows: tuple[Row, ...]

    @property
    def matrices(self) -> dict[str, Array]:
        """Every matrix of the stage by its plain name."""
        return {M.name: M.values for row in self.rows for M in row.matrices}


@dataclass
class StepTrace:
    """What one SGD step computed: the engine's cache, cost and gradients, the updated network
    (a copy; ``net`` is left untouched) and the stages that present them."""

    net: Network
    X: Array
    Y: Array
    learning_rate: float
    l2: float
    cache: Cache
    cost: float
    grads: Gradients
    updated: Network
    stages: list[Stage] = field(default_factory=list)

    @property
    def m(self) -> int:
        return self.X.shape[1]


def _M(name: str, latex: str, values: Array) -> Matrix:
    values = np.asarray(values, dtype=float)
    return Matrix(name, latex, values.reshape(1, 1) if values.ndim == 0 else values)


def trace_step(net: Network, X: Array, Y: Array, learning_rate: float = 0.5, l2: float = 0.0) -> StepTrace:
    """Run one full-batch SGD step of ``net`` on X: (n_x, m), Y: (n_y, m) through the engine
    and cut it into stages. ``net`` is not modified; ``trace.updated`` holds the new weights."""
    cache = net.forward(X, update_state=False)  # a training-mode pass that leaves net exactly as it was
    cost = net.cost(cache, Y, l2)
    grads = net.backward(cache, Y, l2=l2, input_gradient=False)
    updated = net.copy()
    make_optimizer("sgd").update(updated, grads, learning_rate)
    trace = StepTrace(net, X, Y, learning_rate, l2, cache, cost, grads, updated)
    trace.stages = _forward_stages(trace) + [_cost_stage(trace)] + _backward_stages(trace) + _update_stages(trace)
    return trace


def _forward_stages(t: StepTrace) -> list[Stage]:
    net, cache, m = t.net, t.cache, t.m
    stages = [
        Stage(
            "forward-input", "forward", 0, "Input: A[0] = X",
            r"A^{[0]} = X \in \mathbb{R}^{n_x \times m}",
            f"The mini-batch holds m = {m} examples, one per column; each row is one input feature. "
            "Y holds the labels, again one column per example.",
            (Row((_M("A[0] = X", "X", t.X), _M("Y", "Y", t.Y)), ("   ",)),),
        )
    ]
    for l in range(1, net.L + 1):
        W, b, A_prev, Z = net.W[l], net.b[l], cache.A[l - 1], cache.Z[l]
        n_l = W.shape[0]
        product = W @ A_prev
        normed = cache.Z_norm is not None and cache.Z_norm[l] is not None
        if normed:
            stages += _batch_norm_forward_stages(t, l)
            continue
        stages.append(Stage(
            f"forward-Z{l}", "forward", l, f"Layer {l}: linear step Z[{l}]",
            rf"Z^{{[{l}]}} = W^{{[{l}]}} A^{{[{l - 1}]}} + b^{{[{l}]}}",
            f"Each row of W[{l}] holds one unit's weights; multiplying by A[{l - 1}] gives every unit's "
            f"weighted sum for every example at once. b[{l}] is a single column ({n_l}×1): NumPy "
            f"broadcasts it, copying it into each of the m = {m} columns before adding.",
            (
                Row((_M(f"W[{l}]", rf"W^{{[{l}]}}", W), _M(f"A[{l - 1}]", rf"A^{{[{l - 1}]}}", A_prev),
                     _M(f"b[{l}]", rf"b^{{[{l}]}}", b), _M(f"Z[{l}]", rf"Z^{{[{l}]}}", Z)),
                    ("·", "+", "="), "The whole layer in one matrix product."),
                Row((_M(f"W[{l}]A[{l - 1}]", rf"W^{{[{l}]}}A^{{[{l - 1}]}}", product),
                     _M(f"b[{l}] repeated", rf"b^{{[{l}]}}", np.broadcast_to(b, Z.shape)),
                     _M(f"Z[{l}]", rf"Z^{{[{l}]}}", Z)),
                    ("+", "="), f"Broadcasting made visible: b[{l}] copied into all {m} columns."),
            ),
        ))
        stages += _activation_stages(t, l)
    return stages


def _activation_stages(t: StepTrace, l: int) -> list[Stage]:
    """A[l] = g(Z̃[l]) (Z̃ = Z without batch norm), then dropout and the skip where they are on."""
    net, cache, m = t.net, t.cache, t.m
    is_output = l == net.L
    name = net.output_activation if is_output else net.hidden_activation
    where = "output layer" if is_output else "hidden layer"
    normed = cache.Z_norm is not None and cache.Z_norm[l] is not None
    dropped = cache.D is not None and cache.D[l] is not None
    skip = not is_output and bool(getattr(net, "skip", [False] * (net.L + 1))[l])
    z_name, z_tex = (f"Z̃[{l}]", rf"\tilde Z^{{[{l}]}}") if normed else (f"Z[{l}]", rf"Z^{{[{l}]}}")
    out_name, out_tex = (f"G[{l}]", rf"G^{{[{l}]}}") if (dropped or skip) else (f"A[{l}]", rf"A^{{[{l}]}}")
    Z, G = cache.Z_tilde[l], cache.G[l]
    stages = [Stage(
        f"forward-A{l}", "forward", l, f"Layer {l}: activation {out_name} = {name}({z_name})",
        rf"{out_tex} = {_g(name)}\bigl({z_tex}\bigr), \qquad " + _latex(name),
        f"The {where} applies {name} to every entry of {z_name} separately; the shape stays "
        f"{Z.shape[0]}×{m}." + (" These are the predictions Ŷ = A[L]." if is_output else "")
        + (" Dropout and the skip come next." if dropped and skip else " Dropout comes next." if dropped
           else " The skip comes next." if skip else ""),
        (Row((_M(z_name, z_tex, Z), _M(out_name, out_tex, G)), (f"→ {name} →",)),),
    )]
    if dropped:
        keep = net.keep_prob
        D = cache.D[l].astype(float)
        after = cache.A[l] if not skip else G * D / keep
        name_after = f"A[{l}]" if not skip else f"G[{l}] after dropout"
        stages.append(Stage(
            f"forward-D{l}", "forward", l, f"Layer {l}: inverted dropout, keep_prob = {keep:g}",
            rf"D^{{[{l}]}} = (\text{{rand}} < {keep:g}), \qquad A^{{[{l}]}} = G^{{[{l}]}} \odot D^{{[{l}]}} / {keep:g}",
            f"Each unit is kept for each example with probability keep_prob = {keep:g} (a 1 in the mask D) or "
            f"switched off (0): here {int(D.sum())} of {D.size} entries are kept. Dividing by keep_prob keeps the "
            "expected value of A the same, so nothing changes at test time, where no unit is dropped. Backward "
            "uses the same mask.",
            (Row((_M(f"G[{l}]", rf"G^{{[{l}]}}", G), _M(f"D[{l}]", rf"D^{{[{l}]}}", D),
                  _M(name_after, rf"A^{{[{l}]}}", after)), ("⊙", f"÷ {keep:g} =")),),
        ))
    if skip:
        before = cache.A[l] - cache.A[l - 2]
        stages.append(Stage(
            f"forward-skip{l}", "forward", l, f"Layer {l}: residual connection from A[{l - 2}]",
            rf"A^{{[{l}]}} = g\bigl(Z^{{[{l}]}}\bigr) + A^{{[{l - 2}]}}",
            f"The input of layer {l - 1} is added to this layer's output: a path around two layers, along which "
            "the gradient flows back unchanged.",
            (Row((_M(f"g(Z[{l}])", rf"G^{{[{l}]}}", before), _M(f"A[{l - 2}]", rf"A^{{[{l - 2}]}}", cache.A[l - 2]),
                  _M(f"A[{l}]", rf"A^{{[{l}]}}", cache.A[l])), ("+", "=")),),
        ))
    return stages


def _batch_norm_forward_stages(t: StepTrace, l: int) -> list[Stage]:
    """Z[l] = W A (no b), then μ, σ², Z_norm and Z̃ = γ Z_norm + β, then the activation."""
    net, cache, m = t.net, t.cache, t.m
    W, A_prev, Z = net.W[l], cache.A[l - 1], cache.Z[l]
    mu, var, Z_norm, Z_tilde = cache.mu[l], cache.var[l], cache.Z_norm[l], cache.Z_tilde[l]
    gamma, beta = net.gamma[l], net.beta[l]
    eps = net.bn_epsilon
    linear = Stage(
        f"forward-Z{l}", "forward", l, f"Layer {l}: linear step Z[{l}] (batch norm: no b)",
        rf"Z^{{[{l}]}} = W^{{[{l}]}} A^{{[{l - 1}]}}",
        f"Each row of W[{l}] holds one unit's weights; multiplying by A[{l - 1}] gives every unit's weighted sum "
        f"for every example at once. With batch normalization b[{l}] is not used: subtracting the mean would "
        f"cancel it, and β[{l}] does its job.",
        (Row((_M(f"W[{l}]", rf"W^{{[{l}]}}", W), _M(f"A[{l - 1}]", rf"A^{{[{l - 1}]}}", A_prev),
              _M(f"Z[{l}]", rf"Z^{{[{l}]}}", Z)), ("·", "=")),),
    )
    norm = Stage(
        f"forward-BN{l}", "forward", l, f"Layer {l}: batch normalization of Z[{l}]",
        r"\mu = \tfrac{1}{m}\textstyle\sum_i Z^{(i)},\quad \sigma^2 = \tfrac{1}{m}\sum_i (Z^{(i)}-\mu)^2,\quad "
        r"Z_{\text{norm}} = \frac{Z-\mu}{\sqrt{\sigma^2+\varepsilon}},\quad \tilde Z = \gamma \odot Z_{\text{norm}} + \beta",
        f"Every unit (row) is normalized over the m = {m} examples of the batch: minus its mean μ, divided by "
        f"its standard deviation √(σ² + ε) with ε = {eps:g}. Then the learned γ[{l}] and β[{l}] (one per unit, "
        "broadcast over the columns) scale and shift it, so the network can undo the normalization where it "
        "helps. At test time the running averages of μ and σ² replace the batch's.",
        (
            Row((_M(f"Z[{l}]", rf"Z^{{[{l}]}}", Z), _M("μ", r"\mu", mu), _M("σ²", r"\sigma^2", var),
                 _M(f"Z_norm[{l}]", rf"Z_{{\text{{norm}}}}^{{[{l}]}}", Z_norm)),
                ("mean →", "variance →", "→ normalize →"), "Each row of Z_norm now has mean 0 and variance ≈ 1."),
            Row((_M(f"γ[{l}]", rf"\gamma^{{[{l}]}}", gamma), _M(f"Z_norm[{l}]", rf"Z_{{\text{{norm}}}}^{{[{l}]}}", Z_norm),
                 _M(f"β[{l}]", rf"\beta^{{[{l}]}}", beta), _M(f"Z̃[{l}]", rf"\tilde Z^{{[{l}]}}", Z_tilde)),
                ("⊙", "+", "="), "γ starts at 1 and β at 0: at first Z̃ = Z_norm."),
        ),
    )
    return [linear, norm, *_activation_stages(t, l)]


def _cost_stage(t: StepTrace) -> Stage:
    net, cache, L = t.net, t.cache, t.net.L
    per_example = net.loss.per_example(cache.Z[L], cache.A[L], t.Y)[np.newaxis, :]
    formula = net.loss.formula
    penalty = ""
    if t.l2:
        formula += r" + \frac{\lambda}{2m}\sum_l \lVert W^{[l]} \rVert^2"
        penalty = f" plus the L2 penalty with λ = {t.l2:g}"
    return Stage(
        "cost", "cost", None, "The cost J",
        formula,
        f"Compare the predictions A[{L}] with the labels Y, one loss per example, and average over "
        f"the m = {t.m} examples{penalty}: J = {t.cost:.6g}.",
        (Row((_M(f"A[{L}]", rf"A^{{[{L}]}}", cache.A[L]), _M("Y", "Y", t.Y),
              _M("loss per example", r"\mathcal{L}", per_example), _M("J", "J", t.cost)),
             ("vs", "→", "→ mean →" if not t.l2 else "→ mean + penalty →")),),
    )


def _backward_stages(t: StepTrace) -> list[Stage]:
    net, cache, grads, m, L = t.net, t.cache, t.grads, t.m, t.net.L
    stages = [
        Stage(
            f"backward-dZ{L}", "backward", L, f"Output error dZ[{L}] = A[{L}] − Y",
            rf"dZ^{{[{L}]}} = A^{{[{L}]}} - Y",
            f"For {net.output_activation} with {net.loss.name.replace('_', ' ')}, the derivative of the "
            "cost with respect to the output's Z is simply prediction minus label, per example.",
            (Row((_M(f"A[{L}]", rf"A^{{[{L}]}}", cache.A[L]), _M("Y", "Y", t.Y),
                  _M(f"dZ[{L}]", rf"dZ^{{[{L}]}}", grads.dZ[L])), ("−", "=")),),
        )
    ]
    for l in range(L, 0, -1):
        dW_formula = rf"dW^{{[{l}]}} = \frac{{1}}{{m}}\, dZ^{{[{l}]}} A^{{[{l - 1}]T}}"
        dW_row = [_M(f"dZ[{l}]", rf"dZ^{{[{l}]}}", grads.dZ[l]), _M(f"A[{l - 1}]ᵀ", rf"A^{{[{l - 1}]T}}", cache.A[l - 1].T)]
        dW_ops = ["·"]
        if t.l2:
            dW_formula += rf" + \frac{{\lambda}}{{m}} W^{{[{l}]}}"
            dW_row.append(_M(f"W[{l}]", rf"W^{{[{l}]}}", net.W[l]))
            dW_ops.append("+ λ/m ×")
        dW_row.append(_M(f"dW[{l}]", rf"dW^{{[{l}]}}", grads.dW[l]))
        dW_ops.append("=")
        stages.append(Stage(
            f"backward-dW{l}", "backward", l, f"Layer {l}: gradients dW[{l}] and db[{l}]",
            dW_formula + rf", \qquad db^{{[{l}]}} = \frac{{1}}{{m}} \sum_{{i=1}}^{{m}} dZ^{{[{l}](i)}}",
            f"dW[{l}] has the shape of W[{l}]: each entry sums error × input over the {m} examples "
            f"and divides by m. db[{l}] averages the columns of dZ[{l}], giving one number per unit.",
            (
                Row(tuple(dW_row), tuple(dW_ops), lead=f"1/{m} ×"),
                Row((_M(f"dZ[{l}]", rf"dZ^{{[{l}]}}", grads.dZ[l]), _M(f"db[{l}]", rf"db^{{[{l}]}}", grads.db[l])),
                    ("→ mean of the columns →",)),
            ),
        ))
        if l == 1:
            break
        stages += _hidden_backward_stages(t, l - 1)
    return stages


def _hidden_backward_stages(t: StepTrace, k: int) -> list[Stage]:
    """From dZ[k+1] back to dZ[k]: through W[k+1]ᵀ, the skip, dropout, g' and batch norm."""
    net, cache, grads = t.net, t.cache, t.grads
    hidden = net.hidden_activation
    skip_from = k + 2 < net.L and bool(getattr(net, "skip", [False] * (net.L + 1))[k + 2])
    caption = (f"The error flows back through the same weights, transposed: each unit of layer {k} collects the "
               f"errors of the units it feeds, weighted by W[{k + 1}].")
    formula = rf"dA^{{[{k}]}} = W^{{[{k + 1}]T}} dZ^{{[{k + 1}]}}"
    if skip_from:
        formula += rf" + dA^{{[{k + 2}]}}"
        caption += f" The skip A[{k + 2}] = … + A[{k}] adds dA[{k + 2}] unchanged: the shortcut for the gradient."
    terms = [_M(f"W[{k + 1}]ᵀ", rf"W^{{[{k + 1}]T}}", net.W[k + 1].T), _M(f"dZ[{k + 1}]", rf"dZ^{{[{k + 1}]}}", grads.dZ[k + 1])]
    operators = ["·"]
    if skip_from:
        terms.append(_M(f"dA[{k + 2}]", rf"dA^{{[{k + 2}]}}", grads.dA[k + 2]))
        operators.append("+")
    stages = [Stage(
        f"backward-dA{k}", "backward", k, f"Back to layer {k}: dA[{k}]", formula, caption,
        (Row((*terms, _M(f"dA[{k}]", rf"dA^{{[{k}]}}", grads.dA[k])), (*operators, "=")),),
    )]
    dG = grads.dA[k]
    if cache.D is not None and cache.D[k] is not None:
        keep = net.keep_prob
        D = cache.D[k].astype(float)
        dG = dropout_backward(grads.dA[k], cache.D[k], keep)
        stages.append(Stage(
            f"backward-D{k}", "backward", k, f"Layer {k}: back through dropout (the same mask)",
            rf"dG^{{[{k}]}} = dA^{{[{k}]}} \odot D^{{[{k}]}} / {keep:g}",
            f"A unit switched off in the forward pass gets no gradient: the same mask D[{k}] zeroes it, and the "
            "kept ones are divided by keep_prob again.",
            (Row((_M(f"dA[{k}]", rf"dA^{{[{k}]}}", grads.dA[k]), _M(f"D[{k}]", rf"D^{{[{k}]}}", D),
                  _M(f"dG[{k}]", rf"dG^{{[{k}]}}", dG)), ("⊙", f"÷ {keep:g} =")),),
        ))
    normed = cache.Z_norm is not None and cache.Z_norm[k] is not None
    z_name, z_tex = (f"Z̃[{k}]", rf"\tilde Z^{{[{k}]}}") if normed else (f"Z[{k}]", rf"Z^{{[{k}]}}")
    d_name, d_tex = (f"dZ̃[{k}]", rf"d\tilde Z^{{[{k}]}}") if normed else (f"dZ[{k}]", rf"dZ^{{[{k}]}}")
    dZ_act = grads.dZ_tilde[k] if normed else grads.dZ[k]
    g_prime = ACTIVATIONS[hidden].grad(cache.Z_tilde[k], cache.G[k])
    g_source = f"dG[{k}]" if dG is not grads.dA[k] else f"dA[{k}]"
    stages.append(Stage(
        f"backward-dZ{k}", "backward", k, f"Layer {k}: {d_name} through {hidden}'",
        rf"{d_tex} = {g_source.replace('[', '^{[').replace(']', ']}')} \odot g'\bigl({z_tex}\bigr), \qquad "
        + ACTIVATIONS[hidden].latex_grad,
        f"Multiply entry by entry (⊙) with the slope of {hidden} at {z_name}. Where the slope is near 0 (a "
        "saturated or dead unit) the error stops here.",
        (Row((_M(g_source, g_source, dG), _M(f"g'({z_name})", rf"g'({z_tex})", g_prime),
              _M(d_name, d_tex, dZ_act)), ("⊙", "=")),),
    ))
    if normed:
        stages.append(_batch_norm_backward_stage(t, k))
    return stages


def _batch_norm_backward_stage(t: StepTrace, k: int) -> Stage:
    """dγ, dβ and dZ from dZ̃, through the batch statistics."""
    net, cache, grads, m = t.net, t.cache, t.grads, t.m
    Z_norm, var, gamma = cache.Z_norm[k], cache.var[k], net.gamma[k]
    dZt, dgamma, dbeta = grads.dZ_tilde[k], grads.dgamma[k], grads.dbeta[k]
    return Stage(
        f"backward-BN{k}", "backward", k, f"Layer {k}: back through batch normalization",
        r"d\gamma = \tfrac1m \textstyle\sum_i d\tilde Z \odot Z_{\text{norm}},\quad d\beta = \tfrac1m \sum_i d\tilde Z,"
        r"\quad dZ = \frac{\gamma}{\sqrt{\sigma^2+\varepsilon}}\bigl(d\tilde Z - d\beta - Z_{\text{norm}} \odot d\gamma\bigr)",
        f"γ[{k}] and β[{k}] get their gradients like W and b (averaged over the m = {m} examples). The error "
        "reaching Z has two extra terms: every example moved the batch's μ and σ², so each column's error "
        "depends on all the others. db[{k}] is 0: b is not used under batch norm.".replace("{k}", str(k)),
        (
            Row((_M(f"dZ̃[{k}]", rf"d\tilde Z^{{[{k}]}}", dZt), _M(f"Z_norm[{k}]", rf"Z_{{\text{{norm}}}}^{{[{k}]}}", Z_norm),
                 _M(f"dγ[{k}]", rf"d\gamma^{{[{k}]}}", dgamma), _M(f"dβ[{k}]", rf"d\beta^{{[{k}]}}", dbeta)),
                ("⊙ → mean →", "   ", "   "), "dγ: mean of dZ̃ ⊙ Z_norm over the examples; dβ: mean of dZ̃."),
            Row((_M(f"dZ̃[{k}]", rf"d\tilde Z^{{[{k}]}}", dZt), _M("γ/√(σ²+ε)", r"\gamma/\sqrt{\sigma^2+\varepsilon}",
                 gamma / np.sqrt(var + net.bn_epsilon)), _M(f"dZ[{k}]", rf"dZ^{{[{k}]}}", grads.dZ[k])),
                ("→", "→ dZ =")),
        ),
    )


def _gamma_beta_rows(t: StepTrace, l: int) -> tuple[Row, ...]:
    """With batch norm, γ[l] and β[l] are updated like W and b."""
    net, grads, new, alpha = t.net, t.grads, t.updated, t.learning_rate
    if not getattr(net, "batch_norm", False) or l == net.L:
        return ()
    return tuple(
        Row((_M(f"{name}[{l}]", rf"\{tex}^{{[{l}]}}", getattr(net, key)[l]),
             _M(f"d{name}[{l}]", rf"d\{tex}^{{[{l}]}}", getattr(grads, "d" + key)[l]),
             _M(f"new {name}[{l}]", rf"\{tex}^{{[{l}]}}", getattr(new, key)[l])), (f"− {alpha:g} ×", "="))
        for name, key, tex in (("γ", "gamma", "gamma"), ("β", "beta", "beta"))
    )


def _update_stages(t: StepTrace) -> list[Stage]:
    net, grads, new, alpha = t.net, t.grads, t.updated, t.learning_rate
    stages = []
    for l in range(1, net.L + 1):
        stages.append(Stage(
            f"update-{l}", "update", l, f"Update layer {l}",
            rf"W^{{[{l}]}} := W^{{[{l}]}} - \alpha\, dW^{{[{l}]}}, \qquad "
            rf"b^{{[{l}]}} := b^{{[{l}]}} - \alpha\, db^{{[{l}]}}, \qquad \alpha = {alpha:g}",
            f"Gradient descent moves every parameter a step of size α = {alpha:g} against its gradient. "
            "These new weights are what the next step starts from.",
            (
                Row((_M(f"W[{l}]", rf"W^{{[{l}]}}", net.W[l]), _M(f"dW[{l}]", rf"dW^{{[{l}]}}", grads.dW[l]),
                     _M(f"new W[{l}]", rf"W^{{[{l}]}}", new.W[l])), (f"− {alpha:g} ×", "=")),
                Row((_M(f"b[{l}]", rf"b^{{[{l}]}}", net.b[l]), _M(f"db[{l}]", rf"db^{{[{l}]}}", grads.db[l]),
                     _M(f"new b[{l}]", rf"b^{{[{l}]}}", new.b[l])), (f"− {alpha:g} ×", "=")),
                *_gamma_beta_rows(t, l),
            ),
        ))
    return stages


# -- a small network on a mini-batch of 4 ------------------------------------------------------

def parse_hidden_sizes(text: str) -> tuple[int, ...]:
    """"3" or "4, 2" → (3,) or (4, 2): 1 to 3 hidden layers of 1 to 4 units each."""
    try:
        sizes = tuple(int(part) for part in str(text).replace(" ", "").split(",") if part)
    except ValueError:
        raise ValueError(f"hidden layers must be whole numbers separated by commas, e.g. 3 or 4,2; got {text!r}") from None
    if not 1 <= len(sizes) <= MAX_HIDDEN_LAYERS:
        raise ValueError(f"give between 1 and {MAX_HIDDEN_LAYERS} hidden layers, e.g. 3 or 4,2; got {text!r}")
    if any(not 1 <= n <= MAX_HIDDEN_WIDTH for n in sizes):
        raise ValueError(f"every hidden layer needs between 1 and {MAX_HIDDEN_WIDTH} units; got {text!r}")
    return sizes


def mini_batch(dataset: str, m: int = BATCH_SIZE, seed: int = 0) -> tuple[Array, Array, str]:
    """m examples of ``dataset`` as columns: X (n_x, m), Y (n_y, m) and the output activation
    its task needs. Classification batches take the classes in turn (0, 1, 0, 1, ...) so that
    every class appears; the logic gates give their four truth-table rows in order."""
    info = DATASETS[dataset]
    X, y = make_dataset(dataset, 200, 0.1, seed)
    if info.fixed_size and len(y) == m:  # a logic gate: its truth table, in order
        index = np.arange(m)
    elif info.task == "regression":
        index = np.random.default_rng(seed).choice(len(y), m, replace=False)
    else:
        rng = np.random.default_rng(seed)
        pools = [rng.permutation(np.flatnonzero(y == k)) for k in range(info.n_classes)]
        index = np.array([pools[i % info.n_classes][i // info.n_classes] for i in range(m)])
    task = info.task
    if task == "multiclass":
        Y = one_hot(y[index], info.n_classes)
    else:
        Y = y[index].reshape(1, -1).astype(float)
    return X[index].T.astype(float), Y, OUTPUT_FOR_TASK[task]


def small_network(
    n_x: int, hidden_sizes: tuple[int, ...], n_y: int, hidden_activation: str = "tanh",
    output_activation: str = "sigmoid", seed: int = 0, bias_scale: float = 0.1, **options,
) -> Network:
    """A Xavier-initialised network whose biases get small random values (0.1·N(0,1)), so
    that the broadcast of b is visible and ReLU units sit away from their kink at 0.
    ``options``: the Network's batch_norm, residual and keep_prob."""
    net = Network((n_x, *hidden_sizes, n_y), hidden_activation, output_activation, "xavier", seed, **options)
    rng = np.random.default_rng([seed, 1])
    for l in range(1, net.L + 1):
        net.set_layer(l, b=bias_scale * rng.standard_normal((net.layer_sizes[l], 1)))
    return net


# -- planted bugs for the gradient check ---------------------------------------------------------

BackwardFn = Callable[[Network, Cache, Array, float], Gradients]


def forget_activation_derivative(net: Network, cache: Cache, Y: Array, l2: float = 0.0) -> Gradients:
    """Bug: dZ[1] = dA[1] instead of dA[1] ⊙ g'(Z[1]) — layer 1's dW and db come out wrong."""
    grads = net.backward(cache, Y, l2=l2)
    m, dZ1 = Y.shape[1], grads.dA[1]  # the missing "* g'(Z[1])"
    grads.dZ[1] = dZ1
    grads.dW[1] = dZ1 @ cache.A[0].T / m + (l2 / m) * net.W[1]
    grads.db[1] = dZ1.sum(axis=1, keepdims=True) / m
    return grads


def drop_one_over_m(net: Network, cache: Cache, Y: Array, l2: float = 0.0) -> Gradients:
    """Bug: dW = dZ Aᵀ and db = Σ dZ without the 1/m — every gradient is m times too big."""
    grads = net.backward(cache, Y, l2=l2)
    m = Y.shape[1]
    for l in range(1, net.L + 1):
        penalty = (l2 / m) * net.W[l]
        grads.dW[l] = m * (grads.dW[l] - penalty) + penalty
        grads.db[l] = m * grads.db[l]
    return grads


def flip_output_error_sign(net: Network, cache: Cache, Y: Array, l2: float = 0.0) -> Gradients:
    """Bug: dZ[L] = Y − A[L] instead of A[L] − Y — every gradient points uphill."""
    grads = net.backward(cache, Y, l2=0.0)
    m = Y.shape[1]
    for l in range(1, net.L + 1):
        grads.dW[l] = -grads.dW[l] + (l2 / m) * net.W[l]  # the sign error does not touch the penalty
        grads.db[l] = -grads.db[l]
        grads.dZ[l] = -grads.dZ[l]
    grads.dA = [None if dA is None else -dA for dA in grads.dA]
    return grads


@dataclass(frozen=True)
class PlantedBug:
    """A broken backward function, what it gets wrong, and when it changes nothing."""

    label: str
    description: str
    backward: BackwardFn
    needs_hidden_layer: bool = False

    def not_applicable(self, net: Network) -> str:
        """Why this bug cannot show on ``net`` ("" when it can)."""
        if self.needs_hidden_layer and net.L < 2:
            return "this network has no hidden layer, so there is no activation derivative to forget"
        if self.needs_hidden_layer and ACTIVATIONS[net.hidden_activation].family == "linear":
            return "for a linear activation g'(z) = 1, so forgetting it changes nothing"
        return ""


PLANTED_BUGS: dict[str, PlantedBug] = {
    "forget_activation_derivative": PlantedBug(
        "Forget the activation derivative in layer 1",
        "dZ[1] = dA[1] instead of dA[1] ⊙ g'(Z[1]): only layer 1's gradients are wrong.",
        forget_activation_derivative,
        needs_hidden_layer=True,
    ),
    "drop_one_over_m": PlantedBug(
        "Drop the 1/m",
        "dW = dZ Aᵀ and db = Σ dZ: every gradient is m times too large.",
        drop_one_over_m,
    ),
    "flip_output_error_sign": PlantedBug(
        "Sign error: dZ[L] = Y − A[L]",
        "The output error has the wrong sign, so every gradient points uphill.",
        flip_output_error_sign,
    ),
}
