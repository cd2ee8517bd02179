"""Streamlit helpers for the Perceptron page: state, URL, widgets, tables and the live fragment.

All state lives in ``st.session_state`` under keys starting with ``perceptron.``:

- ``perceptron.settings``  the page's ``PerceptronSettings`` (gate, custom table, weights, fix)
- ``perceptron.rule``      the perceptron rule's ``RuleRun`` (None until a rule button is used)
- ``perceptron.fix``       the hidden-layer network's ``FixRun``
- ``perceptron.playing``   whether the fix is being played live
- ``perceptron.written``   the last few sets of query parameters this page wrote to the URL

Widgets have their own keys, seeded from the settings whenever they are missing (Streamlit
drops widget state when another page runs), so the page survives a trip to another page.
Every control changes state in an ``on_click``/``on_change`` callback, before the script runs.

Charts go through ``live_chart``, the app's one Plotly (the cartesian bundle the Playground has
already loaded), not ``st.plotly_chart``, whose own full Plotly took ~1.5 s to load and evaluate
the first time a tab showed one (measured in headless Chromium on the 2-core machine).
Tables likewise are plain HTML (``html_table.show_table``), not ``st.table``, whose Arrow table
code (743 kB) the tab would otherwise load on opening the page.
"""

from __future__ import annotations

import math
from dataclasses import replace

import streamlit as st

from playground.engine.activations import HIDDEN_ACTIVATIONS
from playground.plots import perceptron as plots
from playground.teaching import perceptron as pc
from playground.ui.html_table import marked, show_table
from playground.ui.keys import PERCEPTRON
from playground.ui.live_chart import live_chart
from playground.ui.settings_ui import activation_label

KEYS = PERCEPTRON
WEIGHT_KEYS = ("w0", "w1", "w2")
PRESETS = {  # label → (w0, w1, w2): one textbook solution per separable gate
    "NOR (0.5, −1, −1)": (0.5, -1.0, -1.0),
    "AND (−1.5, 1, 1)": (-1.5, 1.0, 1.0),
    "OR (−0.5, 1, 1)": (-0.5, 1.0, 1.0),
    "NAND (1.5, −1, −1)": (1.5, -1.0, -1.0),
    "NOT (0.5, −1)": (0.5, -1.0, 0.0),
    "zero": (0.0, 0.0, 0.0),
}
URL_MEMORY = 10  # how many of our own recent URLs count as "not news"
TICK_SECONDS = 0.25  # DESIGN.md: raise steps per frame, not the frame rate
STEPS_PER_TICK = 25


# -- state ------------------------------------------------------------------------------------


def _ss():
    return st.session_state


def settings() -> pc.PerceptronSettings:
    return _ss()[KEYS.key("settings")]


def gate() -> pc.Gate:
    s = settings()
    return pc.make_gate(s.gate, s.custom_table)


def _set(**changes) -> None:
    _ss()[KEYS.key("settings")] = replace(settings(), **changes)
    _ss()[KEYS.key("url_problems")] = []


def _seed_widgets(force: bool = False) -> None:
    s = settings()
    values = {"gate": s.gate, "net": s.net, "net_act": s.net_act, "net_seed": s.net_seed}
    values.update(zip(WEIGHT_KEYS, s.weights))
    for name, value in values.items():
        if force or KEYS.key(name) not in _ss():
            _ss()[KEYS.key(name)] = value


def init_state() -> None:
    """Defaults once per session, then the URL if it says something new, then widget values."""
    ss = _ss()
    if KEYS.key("settings") not in ss:
        ss[KEYS.key("settings")] = pc.PerceptronSettings()
        ss[KEYS.key("rule")] = None
        ss[KEYS.key("fix")] = None
        ss[KEYS.key("playing")] = False
        ss[KEYS.key("written")] = []
        ss[KEYS.key("url_problems")] = []
    mine = {name: st.query_params[name] for name in pc.FIELDS if name in st.query_params}
    # Apply the URL only if it says something this page did not write itself lately: a rerun
    # sent just before the browser saw our last write still carries an older URL of ours.
    if mine and all(any(w.get(k) != v for k, v in mine.items()) for w in ss[KEYS.key("written")]):
        everything = {name: st.query_params[name] for name in st.query_params}  # to name unknown keys too
        new, problems = pc.PerceptronSettings.from_query_params(everything, base=pc.PerceptronSettings())
        if new != settings():
            ss[KEYS.key("rule")] = None
            ss[KEYS.key("playing")] = False
        ss[KEYS.key("settings")] = new
        ss[KEYS.key("url_problems")] = problems
        _seed_widgets(force=True)
    _seed_widgets()


def show_url_problems() -> None:
    for problem in _ss()[KEYS.key("url_problems")]:
        st.warning(f"From the link: {problem}", icon=":material/link_off:")  # link text is in code spans


def sync_url() -> None:
    """Write this page's keys (and only those) to the URL when they changed."""
    wanted = settings().to_query_params()
    changed = {k: v for k, v in wanted.items() if st.query_params.get(k) != v}
    if changed:
        st.query_params.update(changed)
    written = _ss()[KEYS.key("written")]
    if not written or written[-1] != wanted:
        _ss()[KEYS.key("written")] = [*written[-(URL_MEMORY - 1):], wanted]


# -- gate and weights ---------------------------------------------------------------------------


def _gate_changed() -> None:
    _set(gate=_ss()[KEYS.key("gate")])
    _ss()[KEYS.key("rule")] = None


def _flip(index: int) -> None:
    table = list(settings().custom_table)
    table[index] = 1 - table[index]
    _set(table="".join(str(v) for v in table))
    _ss()[KEYS.key("rule")] = None


def gate_picker() -> pc.Gate:
    """The gate buttons, and for "custom" one button per row that flips its output."""
    st.segmented_control(
        "Gate", pc.GATE_CHOICES, key=KEYS.key("gate"), required=True, on_change=_gate_changed,
        format_func=lambda g: "Custom table" if g == pc.CUSTOM else g, label_visibility="collapsed",
    )
    if settings().gate == pc.CUSTOM:
        st.markdown("**Click an output to flip it:**")
        for i, (col, row, out) in enumerate(zip(st.columns(4), pc.ROWS_2, settings().custom_table)):
            col.button(f"x1={row[0]}, x2={row[1]} → {out}", key=KEYS.key(f"flip{i}"), on_click=_flip, args=(i,),
                       width="stretch")
    g = gate()
    targets = ", ".join(str(t) for t in g.targets)
    kind = "linearly separable" if pc.is_linearly_separable(g) else "**not** linearly separable"
    st.caption(f"Target outputs on the rows {_rows_text(g)}: **{targets}** — "
               f"{pc.function_name(g.targets)}, {kind}.")
    return g


def _rows_text(g: pc.Gate) -> str:
    return ", ".join("".join(str(v) for v in row) for row in g.rows)


def _weights_changed() -> None:
    _set(**{name: float(_ss()[KEYS.key(name)]) for name in WEIGHT_KEYS})
    _ss()[KEYS.key("rule")] = None


def _set_weights(weights, keep_rule: bool = False) -> None:
    weights = tuple(float(v) for v in weights) + settings().weights[len(weights):]
    _set(**dict(zip(WEIGHT_KEYS, weights)))
    for name, value in zip(WEIGHT_KEYS, weights):
        _ss()[KEYS.key(name)] = value
    if not keep_rule:
        _ss()[KEYS.key("rule")] = None


def weight_controls(g: pc.Gate) -> None:
    """Sliders for w0 (bias), w1, w2 — their range grows if the rule pushes a weight further."""
    bound = float(max(3, math.ceil(max(abs(v) for v in settings().weights))))
    labels = ("w0 (bias)", "w1 (weight on x1)", "w2 (weight on x2)")
    for name, label in zip(WEIGHT_KEYS, labels):
        st.slider(label, -bound, bound, step=0.1, key=KEYS.key(name), on_change=_weights_changed,
                  disabled=name == "w2" and g.n_inputs == 1,
                  help="NOT has one input, so w2 is not used" if name == "w2" and g.n_inputs == 1 else None)
    st.markdown("**Presets**")
    cols = st.columns(2)
    for i, (label, weights) in enumerate(PRESETS.items()):
        cols[i % 2].button(label, key=KEYS.key(f"preset{i}"), on_click=_set_weights, args=(weights,), width="stretch")


def computed_name(g: pc.Gate) -> str:
    return pc.computed_function(settings().weights, g.n_inputs)


def truth_table(g: pc.Gate, weights) -> None:
    """The live truth table: inputs, s, output, target and ✓/✗, right rows green, wrong ones red."""
    names = [f"x{i + 1}" for i in range(g.n_inputs)]
    s_name = "s = w0 + " + " + ".join(f"w{i + 1}·x{i + 1}" for i in range(g.n_inputs))
    rows = [
        {**dict(zip(names, r.x)), s_name: pc.sum_formula(weights, r.x), "output": r.output,
         "target": r.target, "right?": "✓" if r.correct else "✗"}
        for r in pc.truth_table(weights, g)
    ]
    show_table(rows, marked("right?"), wrap=[s_name])


def gate_chart(g: pc.Gate, key: str) -> None:
    fig = plots.gate_figure(settings().weights[: g.n_inputs + 1], g.X, g.targets)
    live_chart(fig, key=key)


# -- the perceptron rule --------------------------------------------------------------------------


def _rule_action(action: str) -> None:
    if action == "reset":
        _set_weights((0.0, 0.0, 0.0))
        return
    g = gate()
    run = _ss()[KEYS.key("rule")] or pc.start_rule(settings().weights, g)
    run = {"next": pc.rule_step, "epoch": pc.run_epoch, "converge": pc.run_to_convergence}[action](run, g)
    _ss()[KEYS.key("rule")] = run
    _set_weights(run.weights, keep_rule=True)


def rule_buttons() -> None:
    run = _ss()[KEYS.key("rule")]
    done = run is not None and run.done
    cols = st.columns(4)
    for col, (action, label) in zip(cols, (("next", "Next example"), ("epoch", "Run epoch"),
                                           ("converge", "Run to convergence"), ("reset", "Reset (w = 0, b = 0)"))):
        col.button(label, key=KEYS.key(f"rule_{action}"), on_click=_rule_action, args=(action,), width="stretch",
                   disabled=done and action != "reset", type="primary" if action == "next" else "secondary")


def rule_status() -> pc.RuleRun | None:
    """The run's message (success / error / info) and the latest step in numbers."""
    run = _ss()[KEYS.key("rule")]
    if run is None:
        st.info("Press **Next example** to present the first row. The rule starts from the current "
                "weights — **Reset** sets them to w = 0, b = 0, the textbook start.")
        return None
    if run.status == "converged":
        st.success(run.message(), icon=":material/check_circle:")
    elif run.status in ("cycle", "gave up"):
        st.error(run.message(), icon=":material/sync_problem:")
    else:
        st.info(run.message())
    if run.steps:
        st.markdown("**Latest step.** " + run.steps[-1].describe())
    return run


def recent_steps(run: pc.RuleRun, n: int = 8) -> None:
    """The last ``n`` examples presented, mistakes red."""
    rows = [
        {"epoch": s.epoch, "x": ",".join(str(v) for v in s.x), "y": f"{s.y:+d}", "s": pc.weights_text([s.s])[1:-1],
         "y·s ≤ 0?": "mistake" if s.mistake else "ok", "weights after": pc.weights_text(s.after)}
        for s in run.steps[-n:]
    ]
    show_table(rows, marked("y·s ≤ 0?", good="ok"), wrap=["weights after"])


def history_chart(run: pc.RuleRun) -> None:
    mistakes = [s.number for s in run.steps if s.mistake]
    fig = plots.rule_history_figure(pc.weight_history(run), mistakes, run.epoch_mistakes)
    live_chart(fig, key=KEYS.key("history_chart"), revision=len(run.steps))


NBSP = "\u00a0"


def unbroken(inequality: str) -> str:
    """``w0 + w1 + w2 ≤ 0`` that a narrow column breaks only after a "+", never inside a term
    or around the comparison (on a phone "≤ 0" sat alone on the next line)."""
    for sign in (">", "≤"):
        inequality = inequality.replace(f" {sign} ", f"{NBSP}{sign}{NBSP}")
    return inequality.replace(" + ", f"{NBSP}+ ")


def inequality_table(g: pc.Gate) -> None:
    """What each row of the gate needs of (w0, w1, w2), and whether the current weights meet it."""
    rows = [
        {"row": "".join(str(v) for v in q.x), "target": q.target, "needs": unbroken(q.text),
         "value at your weights": pc.weights_text([q.value])[1:-1], "holds?": "✓" if q.holds else "✗"}
        for q in pc.inequalities(settings().weights, g)
    ]
    show_table(rows, marked("holds?"), wrap=["needs"])


# -- the fix: a hidden layer, trained live --------------------------------------------------------


def fix_gate(g: pc.Gate) -> pc.Gate:
    """The table the network learns: the current gate, or XOR when the gate has one input."""
    return g if g.n_inputs == 2 else pc.make_gate("XOR")


def _fix_run(g: pc.Gate) -> pc.FixRun:
    s, target = settings(), fix_gate(g).targets
    run = _ss()[KEYS.key("fix")]
    if run is None or run.config != (s.net, s.net_act, s.net_seed, target):
        run = pc.make_fix_run(s.net, s.net_act, s.net_seed, target)
        _ss()[KEYS.key("fix")] = run
        _ss()[KEYS.key("playing")] = False
    return run


def _fix_settings_changed() -> None:
    _set(net=_ss()[KEYS.key("net")], net_act=_ss()[KEYS.key("net_act")], net_seed=int(_ss()[KEYS.key("net_seed")]))


def _fix_action(action: str) -> None:
    ss = _ss()
    if action == "play":
        ss[KEYS.key("playing")] = True
    elif action == "pause":
        ss[KEYS.key("playing")] = False
    elif action == "step":
        pc.train_fix(_fix_run(gate()), 100)
    elif action == "reset":
        ss[KEYS.key("fix")] = None
        ss[KEYS.key("playing")] = False


def fix_controls() -> None:
    """Architecture, activation, seed and Play / Pause / Step / Reset — outside the fragment."""
    c1, c2, c3 = st.columns([1, 1, 1])
    c1.segmented_control("Network", tuple(pc.ARCHITECTURES), key=KEYS.key("net"), required=True,
                         on_change=_fix_settings_changed)
    c2.selectbox("Hidden activation", HIDDEN_ACTIVATIONS, format_func=activation_label, key=KEYS.key("net_act"),
                 on_change=_fix_settings_changed)
    c3.number_input("Weight seed", 0, 9999, step=1, key=KEYS.key("net_seed"), on_change=_fix_settings_changed)
    playing, finished = _ss()[KEYS.key("playing")], _fix_run(gate()).finished
    b1, b2, b3, b4 = st.columns(4)
    b1.button("▶ Play", key=KEYS.key("play"), on_click=_fix_action, args=("play",), disabled=playing or finished,
              type="primary", width="stretch", help="Solved — change the network or reset it" if finished else None)
    b2.button("Pause", key=KEYS.key("pause"), on_click=_fix_action, args=("pause",), disabled=not playing,
              width="stretch")
    b3.button("Step ×100", key=KEYS.key("step"), on_click=_fix_action, args=("step",), width="stretch")
    b4.button("Reset network", key=KEYS.key("fix_reset"), on_click=_fix_action, args=("reset",), width="stretch")


def fix_view(g: pc.Gate) -> None:
    """The live part: trains a few steps per tick while playing, then redraws (DESIGN.md)."""
    _fix_run(g)
    playing = _ss()[KEYS.key("playing")]
    st.fragment(run_every=TICK_SECONDS if playing else None)(_fix_fragment)()


def _fix_fragment() -> None:
    ss = _ss()
    run: pc.FixRun = ss[KEYS.key("fix")]
    if ss[KEYS.key("playing")] and run is not None:
        pc.train_fix(run, STEPS_PER_TICK)
        if run.finished:
            ss[KEYS.key("playing")] = False
            st.rerun()  # the whole page, so the fragment stops ticking and Play is enabled again
    if run is None:
        return
    probs = run.probabilities()
    outputs = (probs > 0.5).astype(int)
    state = "solved" if run.solved else ("stopped" if run.finished else ("training…" if ss[KEYS.key("playing")] else ""))
    st.markdown(f"**Step {run.steps:,}** · cost J = {run.cost():.4f} · **{run.accuracy()} of 4** rows right"
                + (f" · {state}" if state else ""))
    rows = [{"x1": r[0], "x2": r[1], "target": t, "P(output = 1)": f"{p:.3f}", "output": o,
             "right?": "✓" if o == t else "✗"} for r, t, p, o in zip(pc.ROWS_2, run.targets, probs, outputs)]
    show_table(rows, marked("right?"))
    st.caption("The network's truth table: its output probability, and that probability thresholded at 0.5.")
    left, right = st.columns(2)
    W1, b1 = pc.hidden_lines(run.net)
    axis, grid = pc.probability_grid(run.net)
    with left:
        live_chart(plots.network_boundary_figure(axis, grid, W1, b1, run.targets, probs),
                   key=KEYS.key("boundary_chart"), revision=run.steps)
    left.caption("Shading is the network's P(output = 1); the thick curve is where it crosses 0.5. "
                 "Each dashed line is one hidden unit's own line, where its z = 0.")
    view = pc.hidden_space(run.net, run.X)
    with right:
        live_chart(plots.hidden_space_figure(view.coords, run.targets, view.line, view.axis_titles, probs),
                   key=KEYS.key("hidden_chart"), revision=run.steps)
    right.caption(
        "The same four rows after the hidden layer: here one straight line — the output unit's — "
        "separates them." + ("" if view.exact else " (Four hidden units are four dimensions; this is "
                              "the flat view that looks straight along the output unit's line.)"))
