"""The Lessons page: question → prediction → live experiment → reveal → try this.

Everything a student reads comes from the lesson data (``playground/teaching/lessons``); this
module only draws it. Session-state keys all start with ``lessons.``:

- ``lessons.progress``: the ``Progress`` (open lesson, lessons done, predictions picked), read
  from the link once and written back to it on every run, so the address bar can be sent on;
- ``lessons.run``: the ``LessonRun`` of the open lesson (and its "try this" variation);
- ``lessons.variation``: lesson number → the index of the active variation;
- ``lessons.playing`` and the other keys of the shared live controls (``live.py``).

Nothing trains until the student has committed to a prediction or skipped it.
"""

from __future__ import annotations

import streamlit as st

from ...plots.boundary import decision_boundary_figure
from ...plots.curves import cost_figure
from ...plots.digits import unit_weights_figure
from ...plots.gradients import compare_cost_figure, compare_profile_figure
from ...plots.network import network_figure
from ...teaching.lessons import LESSONS, Lesson, LessonRun, lesson_by_number, measure, reveal_text, verdict
from ...teaching.lessons.progress import SKIPPED, Progress, parse_progress
from .. import live
from ..keys import LESSONS as KEYS
from ..live_chart import live_chart
from ..stream.charts import figure_chart
from ..stream.scheduler import LiveView

PREFIX = KEYS.prefix
PROGRESS, RUN, VARIATION, PROBLEMS, PRESENT = (KEYS.key(k) for k in
                                               ("progress", "run", "variation", "url_problems", "present"))
PAGE_PATHS = {"playground": "pages/playground.py", "gradients": "pages/gradients.py", "digits": "pages/digits.py"}
PAGE_TITLES = {"playground": "Playground", "gradients": "Gradients lab", "digits": "Handwritten digits"}


# -- progress and the URL ----------------------------------------------------------------------
def load_progress() -> Progress:
    """The student's progress: from session state, or (first visit) from the link."""
    if PROGRESS not in st.session_state:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        keys = {lesson.number: tuple(p.key for p in lesson.predictions) for lesson in LESSONS}
        progress, problems = parse_progress(params, keys)
        st.session_state[PROGRESS] = progress
        st.session_state[PROBLEMS] = problems
        st.session_state[PRESENT] = st.query_params.get("present") == "1"
    return st.session_state[PROGRESS]


def save_progress(progress: Progress) -> None:
    st.session_state[PROGRESS] = progress
    params = progress.to_query_params() | ({"present": "1"} if st.session_state.get(PRESENT) else {})
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def _open(number: int | None) -> None:
    live.set_playing(PREFIX, False)
    st.session_state[PROGRESS] = st.session_state[PROGRESS].opened(number)


def _commit(number: int, key: str) -> None:
    st.session_state[PROGRESS] = st.session_state[PROGRESS].with_pick(number, key)


def _choose_variation(number: int, index: int | None) -> None:
    live.set_playing(PREFIX, False)
    st.session_state.setdefault(VARIATION, {})[number] = index


def current_run(lesson: Lesson) -> LessonRun:
    """The open lesson's experiment (rebuilt when the lesson or its variation changes)."""
    variation = lesson.variation(st.session_state.get(VARIATION, {}).get(lesson.number))
    run = st.session_state.get(RUN)
    if run is None or run.lesson is not lesson or run.variation is not variation:
        run = LessonRun(lesson, variation)
        st.session_state[RUN] = run
        live.set_playing(PREFIX, False)
    return run


def get_run() -> LessonRun:
    return st.session_state[RUN]


# -- the list of lessons -------------------------------------------------------------------------
def lesson_list(progress: Progress) -> None:
    st.title("Lessons")
    st.markdown("Short experiments in the order of the course. Each asks a question, lets you **predict** "
                "the answer, runs the experiment in front of you and then explains what *your* run shows. "
                "Your progress is kept in the address bar: bookmark it or send it on.")
    for lesson in LESSONS:
        done = lesson.number in progress.done
        left, right = st.columns([5, 1], vertical_alignment="center")
        mark = ":material/check_circle:" if done else ":material/radio_button_unchecked:"
        left.markdown(f"{mark} **{lesson.number}. {lesson.title}**  \n"
                      f"<span style='color:#666'>{lesson.concept}</span>", unsafe_allow_html=True)
        right.button("Again" if done else "Start", key=KEYS.key(f"open{lesson.number}"), on_click=_open,
                     args=(lesson.number,), width="stretch", type="secondary" if done else "primary")


# -- one lesson ---------------------------------------------------------------------------------------
def lesson_page(lesson: Lesson, progress: Progress) -> None:
    present = st.session_state.get(PRESENT, False)
    top = st.columns([1, 1, 1, 1.2], vertical_alignment="center")
    top[0].button("All lessons", icon=":material/list:", key=KEYS.key("list"), on_click=_open, args=(None,))
    if lesson.number > 1:
        top[1].button("Previous", icon=":material/arrow_back:", key=KEYS.key("prev"), on_click=_open,
                      args=(lesson.number - 1,))
    if lesson.number < len(LESSONS):
        top[2].button("Next", icon=":material/arrow_forward:", key=KEYS.key("next"), on_click=_open,
                      args=(lesson.number + 1,))
    top[3].toggle("Presentation", key=PRESENT, help="Larger text and charts for a projector; kept in the link.")

    if not present:  # on a projector every line counts: the charts should fit the wall
        st.caption(f"Lesson {lesson.number} of {len(LESSONS)} · {lesson.concept}")
    st.header(lesson.title, anchor=False)
    st.markdown(f"#### {lesson.question}" if present else f"**{lesson.question}**")

    pick = progress.picks.get(lesson.number)
    if pick is None:
        prediction_form(lesson)
        return
    chosen = lesson.prediction(pick)
    st.info(f"Your prediction: **({chosen.key})** {chosen.text}" if chosen else "You skipped the prediction.",
            icon=":material/lightbulb:")

    run = current_run(lesson)
    experiment(lesson, run, present)
    if run.finished:
        reveal(lesson, run, pick if chosen else None, present)
        if lesson.number not in progress.done:
            st.session_state[PROGRESS] = st.session_state[PROGRESS].with_done(lesson.number)
    try_this(lesson, run)


def prediction_form(lesson: Lesson) -> None:
    """2–4 predictions; nothing runs until the student commits to one or skips."""
    keys = [p.key for p in lesson.predictions]
    texts = {p.key: p.text for p in lesson.predictions}
    choice = st.radio("What do you predict?", keys, index=None, key=KEYS.key(f"choice{lesson.number}"),
                      format_func=lambda k: f"({k}) {texts[k]}")
    c1, c2 = st.columns([1, 1])
    c1.button("Commit to this prediction", icon=":material/check:", type="primary", disabled=choice is None,
              key=KEYS.key("commit"), on_click=_commit, args=(lesson.number, choice), width="stretch")
    c2.button("Skip: just show me", key=KEYS.key("skip"), on_click=_commit, args=(lesson.number, SKIPPED),
              width="stretch")
    st.caption("The experiment starts once you have committed to a prediction (or skipped).")


def experiment(lesson: Lesson, run: LessonRun, present: bool) -> None:
    variation = run.variation
    if not present:
        st.subheader("The experiment", anchor=False)
    if variation is not None:
        st.warning(f"**Try this: {variation.label}.** {variation.look_for}", icon=":material/science:")
    runs = " · ".join(f"**{label}**" for label in run.labels)
    if not present:
        st.markdown(f"{runs} — {lesson.steps:,} updates. Press **Play** (or **Step**) and watch; the answer "
                    "appears when the experiment is complete.")
    live.transport_controls(PREFIX, get_run, live=True)
    st.button("Skip to the result", icon=":material/fast_forward:", key=KEYS.key("finish"),
              on_click=_finish, disabled=run.finished)
    live.live_area(PREFIX, get_run, lambda r, tick: render_views(r, tick, present), view=live_view(present))


NEAR_ZERO = 0.01  # the network diagrams draw weights closer to 0 than this dotted grey (lesson 13)
FINISH_BUDGET = 2.0  # seconds one click may train; the rest plays on in the live area


def _finish() -> None:
    """Train to the end, at most ``FINISH_BUDGET`` seconds per click (no click holds the
    shared server longer); whatever is left plays on live."""
    run = get_run()
    run.train(run.steps - run.step, time_budget=FINISH_BUDGET)
    live.set_playing(PREFIX, not run.finished)


SLOW_EVERY = 3  # while playing, boundaries and network diagrams are rebuilt every 3rd tick
SLOW_VIEWS = ("boundary", "network")


def _slow(run: LessonRun, tick: int, chart_key: str, build):
    """A slow view's (figure, revision): rebuilt every ``SLOW_EVERY``-th tick while playing and
    on every run while paused (tick 0); in between the last one is shown again unchanged."""
    key = f"{chart_key}.figure"
    cached = st.session_state.get(key)
    if tick == 0 or tick % SLOW_EVERY == 1 or cached is None or cached[0] is not run:
        st.session_state[key] = cached = (run, build(), run.step)
    return cached[1], cached[2]


def header(run: LessonRun) -> dict:
    return {"title": f"Update {run.step:,} of {run.steps:,}", "metrics": []}


def live_view(present: bool):
    """What the live socket streams for a lesson (``playground/ui/stream``): the counter, then
    every view's figure rebuilt whole (a few small multiples) — the cost every message, the
    slower views less often. The experiment ending stops the stream like a divergence does, and
    the page reruns to show the reveal."""
    def view(run: LessonRun) -> LiveView:
        run.budget_floor = 0.0  # the scheduler's fair turns, not the rerun loop's long frames
        figures = _figures(run, present)
        return LiveView(header=header, charts=tuple(
            figure_chart(key, lambda r, build=build: build(), interval=1 / 12 if name == "cost" else 0.4)
            for key, (name, build) in figures.items()))
    return view


def _figures(run: LessonRun, present: bool) -> dict:
    """chart key → (view name, figure builder) for every view of the lesson, in page order."""
    big = present
    figures: dict = {}
    for view in run.lesson.views:
        if view == "boundary":
            for i, session in enumerate(run.sessions):
                figures[KEYS.key(f"boundary{i}")] = (view, lambda s=session, i=i: _boundary(s, run.labels[i], present))
        elif view == "cost":
            figures[KEYS.key("cost")] = (view, lambda: _cost(run, big))
        elif view == "gradients":
            figures[KEYS.key("gradients")] = (view, lambda: compare_profile_figure(
                run.labels, [s.latest_stats.grad_norm_W for s in run.sessions], height=420 if big else 340,
                title="Gradient size per layer now, ‖dW[l]‖", big=big))
        elif view == "network":
            for i, session in enumerate(run.sessions):
                net = session.net
                figures[KEYS.key(f"network{i}")] = (view, lambda net=net, i=i: network_figure(
                    net.layer_sizes, net.W, net.b, ["x1", "x2"], height=360, big=big, near_zero=NEAR_ZERO)
                    .update_layout(title_text=run.labels[i]))
        elif view == "weights":
            figures[KEYS.key("weights")] = (view, lambda: unit_weights_figure(run.sessions[0].net.W[1],
                                                                              height=420 if big else 320))
    return figures


def render_views(run: LessonRun, tick: int, present: bool = False) -> None:
    """Progress, then the lesson's views of every run (small multiples side by side). The
    cost chart updates every tick and paces the live loop; the slower views follow it. With the
    live socket this runs once per rerun and the socket updates the counter and the figures."""
    if run.finished and live.is_playing(PREFIX):
        live.set_playing(PREFIX, False)
    if live.streaming(PREFIX):
        live.counter_row(PREFIX, header(run))
    else:
        st.progress(run.step / run.steps, text=f"Update {run.step:,} of {run.steps:,}")
    figures = _figures(run, present)
    for view in run.lesson.views:
        keys = [key for key, (name, _) in figures.items() if name == view]
        for key, col in zip(keys, st.columns(len(keys))):  # one run each, side by side
            build = figures[key][1]
            fig, revision = _slow(run, tick, key, build) if view in SLOW_VIEWS else (build(), run.step)
            with col:
                live_chart(fig, key=key, revision=revision, pace=view == "cost")


def _boundary(session, label: str, present: bool):
    xs, ys, values = session.decision_grid(60)
    test = session.points_test if session.points_test is not session.points_train else None
    accuracy = session.latest.test_metric
    title = f"{label}: {accuracy:.0%}" + ("" if test is None else " of test points")
    if session.diverged:
        title = f"{label}: diverged"
    return decision_boundary_figure(xs, ys, values, session.points_train, session.y_train, test,
                                    None if test is None else session.y_test, session.task,
                                    height=440 if present else 340, big=present, title=title)


def _cost(run: LessonRun, big: bool):
    if len(run.sessions) == 1:
        h = run.sessions[0].history
        metric = "R²" if run.sessions[0].task == "regression" else "accuracy"
        return cost_figure(h.column("step"), h.column("train_cost"), h.column("test_cost"), h.column("train_metric"),
                           h.column("test_metric"), metric, height=380 if big else 300, big=big)
    return compare_cost_figure(run.labels, [s.history.column("step") for s in run.sessions],
                               [s.history.column("train_cost") for s in run.sessions],
                               [s.diverged for s in run.sessions], height=420 if big else 340, big=big)


def reveal(lesson: Lesson, run: LessonRun, pick: str | None, present: bool) -> None:
    facts = measure(run)
    st.subheader("What your run shows", anchor=False)
    right = pick is not None and lesson.prediction(pick).outcome == facts.outcome
    (st.success if right else st.info)(verdict(lesson, pick, facts),
                                       icon=":material/check_circle:" if right else ":material/info:")
    text = reveal_text(lesson, facts)
    st.markdown(f"##### {text}" if present else text)
    st.markdown("**Why.** " + lesson.why.strip())
    for line in lesson.formula:
        st.latex(line)
    page = lesson.open_in
    st.link_button(f"Open this experiment in the {PAGE_TITLES[page]}", lesson.playground_link(run.variation),
                   icon=":material/open_in_new:", help="Opens a new tab with every setting of the first run.")


def try_this(lesson: Lesson, run: LessonRun) -> None:
    if not run.finished and run.variation is None:
        return
    st.subheader("Try this", anchor=False)
    active = st.session_state.get(VARIATION, {}).get(lesson.number)
    cols = st.columns(len(lesson.variations) + (active is not None))
    for i, variation in enumerate(lesson.variations):
        cols[i].button(variation.label, key=KEYS.key(f"try{i}"), on_click=_choose_variation, args=(lesson.number, i),
                       disabled=active == i, width="stretch", help=variation.look_for)
    if active is not None:
        cols[-1].button("Back to the lesson's experiment", key=KEYS.key("try_none"), on_click=_choose_variation,
                        args=(lesson.number, None), icon=":material/undo:", width="stretch")
    if lesson.number < len(LESSONS):
        st.button(f"Next lesson: {lesson_by_number(lesson.number + 1).title}", icon=":material/arrow_forward:",
                  key=KEYS.key("next_bottom"), on_click=_open, args=(lesson.number + 1,), type="primary")


def problems_notice() -> None:
    problems = st.session_state.get(PROBLEMS) or []
    if problems:
        st.warning("Some values in the link could not be used:\n\n" + "\n".join(f"- {p}" for p in problems),
                   icon="🔗")


# Long formulas scroll sideways on a phone instead of running off the screen.
STYLE = "<style>.stMarkdown .katex-display, [data-testid=stMarkdownContainer] .katex-display " \
        "{overflow-x: auto; overflow-y: hidden; padding-bottom: 2px}</style>"


def page() -> None:
    st.html(STYLE)
    progress = load_progress()
    if st.session_state.get(PRESENT):
        st.set_page_config(initial_sidebar_state="collapsed")
    problems_notice()
    lesson = lesson_by_number(progress.lesson) if progress.lesson else None
    if lesson is None:
        lesson_list(progress)
    else:
        lesson_page(lesson, progress)
    save_progress(st.session_state[PROGRESS])



