"""The Digits page's "Hidden-layer features" section (practice exercise 10): PCA or t-SNE maps of
a hidden layer's activations on the test images, before and after training, side by side.

The maps are drawn on request (t-SNE takes seconds) with a progress bar and a timer, and kept in
a per-session ``EmbeddingCache`` keyed on the trained state, so redrawing the page or switching
between layers and methods already computed costs nothing. The maps are live charts (SVG
scatter, ≤ 600 points): ``st.plotly_chart`` would load Streamlit's own full Plotly (~1.2–1.5 s).
"""

from __future__ import annotations

import streamlit as st

from ...engine import Network
from ...plots.digits import embedding_figure
from ...teaching.digits import MAX_POINTS, METHODS, EmbeddingCache, agreement_sentence
from ...training import TrainingSession
from ..keys import DIGITS
from ..live_chart import live_chart

KEYS = DIGITS


def initial_network(session: TrainingSession) -> Network:
    """The network as it was before the first update: same architecture, same weight seed."""
    s = session.settings
    return Network(session.layer_sizes, s.activation, session.output_activation, s.initializer_spec, s.weight_seed,
                   **s.network_options())


def _request() -> None:
    st.session_state[KEYS.key("features.requested")] = True


def features_section(session: TrainingSession, playing: bool, big: bool = False) -> None:
    """Layer and method pickers, the Draw button, and the two maps with their numbers
    (``big``: presentation mode, chart text ≥ 16 px)."""
    st.header("Hidden-layer features: do the digits cluster?")
    st.markdown(
        "Every test image gives one vector of activations A[l] at a hidden layer. Project those vectors to "
        "2-D and colour each point by its true digit. **PCA** keeps the two directions of largest variance "
        "(instant); **t-SNE** keeps near neighbours near (a few seconds). Before training the layer is a random "
        "function of the pixels; after training, images of one digit should gather."
    )
    hidden = session.net.L - 1
    if hidden < 1:
        st.info("This network has no hidden layer, so there are no hidden features to map: add one in the "
                "sidebar (e.g. 32).")
        return
    c = st.columns([1, 1.3, 1.4], vertical_alignment="bottom")
    layer = c[0].selectbox("Hidden layer", range(1, hidden + 1), key=KEYS.key("features.layer"),
                           format_func=lambda l: f"layer {l} ({session.net.layer_sizes[l]} units)")
    method = c[1].segmented_control("Method", list(METHODS), format_func=METHODS.get, default="pca",
                                    key=KEYS.key("features.method")) or "pca"
    c[2].button("Draw the maps", icon=":material/scatter_plot:", key=KEYS.key("features.draw"), type="primary", width="stretch",
                on_click=_request, disabled=playing,
                help="Pause training first." if playing else f"Maps of up to {MAX_POINTS} test images.")
    cache: EmbeddingCache = st.session_state.setdefault(KEYS.key("features.cache"), EmbeddingCache())
    if st.session_state.pop(KEYS.key("features.requested"), False):
        _draw(session, cache, layer, method)
    shown = st.session_state.get(KEYS.key("features.shown"))
    if shown is None:
        st.caption("Pause training (or train first), pick a layer and a method, then **Draw the maps**.")
        return
    before, after, step = shown
    if (after.layer, after.method) != (layer, method) or step != session.step:
        st.caption(f"Showing {METHODS[after.method]} of layer {after.layer} at update {step:,}; press **Draw the "
                   "maps** for the current choice and state.")
    left, right = st.columns(2)
    n_classes, height = session.n_classes, 520 if big else 420
    with left:
        live_chart(embedding_figure(before.points, before.labels, f"Before training: layer {before.layer}, "
                                    f"{METHODS[before.method]}", height, n_classes, big), key=KEYS.key("features.before"))
    with right:
        live_chart(embedding_figure(after.points, after.labels, f"After {step:,} update{'s' * (step != 1)}: layer "
                                    f"{after.layer}, {METHODS[after.method]}", height, n_classes, big),
                   key=KEYS.key("features.after"), revision=step)
    st.markdown(agreement_sentence(before, after, step))
    if after.method == "pca":
        st.caption(f"The two PCA axes keep {before.explained:.0%} (before) and {after.explained:.0%} (after) of "
                   f"the variance of the {after.width} activations.")
    else:
        st.caption("t-SNE distorts distances between clusters: read which points are neighbours, not how far "
                   f"apart the groups are. Computed in {before.seconds + after.seconds:.1f} s.")


def _draw(session: TrainingSession, cache: EmbeddingCache, layer: int, method: str) -> None:
    """Both maps, from the cache when this state was mapped before, with progress."""
    bar = st.progress(0.0, text="Starting…")
    X, y = session.X_test, session.y_test
    jobs = (("before training", initial_network(session), 0), (f"after {session.step:,} updates", session.net,
                                                               session.step))
    maps = []
    for i, (when, net, step) in enumerate(jobs):
        bar.progress(i / 2, text=f"Map {i + 1} of 2: {METHODS[method]} of layer {layer}, {when}…")
        with st.spinner(f"{METHODS[method]} of {min(MAX_POINTS, X.shape[1])} images, {when}", show_time=True):
            embedding, _ = cache.get_or_compute(net, step, X, y, layer, method)
        maps.append(embedding)
    bar.empty()
    st.session_state[KEYS.key("features.shown")] = (maps[0], maps[1], session.step)
