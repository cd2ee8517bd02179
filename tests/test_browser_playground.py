"""The Playground in real headless Chromium: what a person clicking Play/Pause/Step would see."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from helpers import open_page, wait_for_idle, wait_until

pytestmark = pytest.mark.browser

COUNTER = "h3:has-text('update')"
SHOTS = Path(tempfile.gettempdir())  # screenshots to look at, outside the repository


def update_number(page) -> int:
    text = page.locator(COUNTER).first.inner_text()
    return int(re.search(r"update ([\d,]+)", text).group(1).replace(",", ""))


def metric_value(page, label: str) -> str:
    """A metric's value, drawn by the live socket's element or (rerun loop) by st.metric."""
    live = page.locator(f"div.np-metric[data-label='{label}'] .np-metric-value")
    if live.count():
        return live.first.inner_text()
    metric = page.locator("[data-testid=stMetric]", has_text=label)
    return metric.locator("[data-testid=stMetricValue]").inner_text()


def boundary_revision(page) -> str:
    return page.locator("div.np-live-chart").first.get_attribute("data-drawn") or ""



def test_page_loads_and_draws_every_view(page, app_url):
    open_page(page, app_url)
    assert update_number(page) == 0
    assert wait_until(lambda: page.locator("div.np-live-chart[data-drawn]").count() >= 4), \
        "boundary, cost, gradient and network charts should all be drawn"
    assert page.locator("div.np-live-chart .main-svg").count() >= 4
    for title in ("Decision boundary", "Cost and accuracy", "Gradient magnitude", "Network"):
        assert page.get_by_text(title).count() >= 1, title
    assert page.errors == []
    assert page.get_by_text("Traceback").count() == 0


DRAW_ORDER_JS = """() => {
  window.__drawOrder = [];
  new MutationObserver((records) => {
    for (const r of records) {
      const key = r.target.closest('[data-key]')?.dataset.key;
      if (r.target.matches('div.np-live-chart') && key && !window.__drawOrder.includes(key)) window.__drawOrder.push(key);
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
}"""


def test_the_boundary_is_drawn_before_the_other_charts(page, app_url):
    """Opening the page, the decision boundary (live_chart(first=True)) is on the screen before
    the cost, gradient and network charts (``after=``), whatever order the browser mounts them in."""
    page.add_init_script(DRAW_ORDER_JS.join(["(", ")()"]))
    open_page(page, app_url)
    assert wait_until(lambda: len(page.evaluate("window.__drawOrder")) >= 4)
    order = page.evaluate("window.__drawOrder")
    assert order[0] == "pg.boundary", order


def stream(page):
    """The live socket's element (counter and metrics; the step it shows, whether it plays)."""
    return page.locator("div.np-stream")


def test_the_page_streams_over_the_live_socket(page, app_url):
    """`streamlit run app.py` serves st.App: the page connects its socket instead of rerunning."""
    open_page(page, app_url)
    assert wait_until(lambda: stream(page).get_attribute("data-connected") == "1", timeout=30)
    assert stream(page).locator("h3").inner_text() == "Epoch 0 · update 0"


def test_play_moves_frames_pause_stops_step_adds_one_reset_returns_to_zero(page, app_url):
    open_page(page, app_url)
    assert wait_until(lambda: boundary_revision(page) == "0", timeout=30)
    assert wait_until(lambda: stream(page).get_attribute("data-connected") == "1", timeout=30)
    page.get_by_role("button", name="Play").click()
    assert wait_until(lambda: update_number(page) > 0, timeout=30), "Play should start training"
    first, first_revision = update_number(page), boundary_revision(page)
    assert wait_until(lambda: update_number(page) > first and boundary_revision(page) != first_revision,
                      timeout=30), "the counter and the boundary keep moving while playing"
    page.screenshot(path=str(SHOTS / "playing.png"))

    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=20_000)
    assert wait_until(lambda: stream(page).get_attribute("data-playing") == "", timeout=20)
    stopped = update_number(page)
    assert boundary_revision(page) == str(stopped), "the boundary shows the step the counter shows"
    # Nothing moves after Pause: one Step lands exactly one update later.
    page.get_by_role("button", name="Step").click()
    assert wait_until(lambda: update_number(page) == stopped + 1, timeout=20), (update_number(page), stopped)
    assert wait_until(lambda: boundary_revision(page) == str(stopped + 1), timeout=20)
    wait_for_idle(page)
    assert update_number(page) == stopped + 1

    page.get_by_role("button", name="Reset").click()
    assert wait_until(lambda: update_number(page) == 0, timeout=20)
    assert wait_until(lambda: boundary_revision(page) == "0", timeout=20)
    page.screenshot(path=str(SHOTS / "reset.png"))
    assert page.errors == []


def _train_cost_after_steps(page, url: str, steps: int) -> str:
    open_page(page, url)
    for expected in range(1, steps + 1):
        page.get_by_role("button", name="Step").click()
        assert wait_until(lambda n=expected: update_number(page) == n)
    wait_for_idle(page)
    return metric_value(page, "train cost")


def test_shared_link_reproduces_settings_and_trajectory(page, browser, app_url):
    link = (f"{app_url}/?dataset=moons&hidden_sizes=6,3&activation=relu&initializer=he"
            f"&weight_seed=5&optimizer=momentum&learning_rate=0.1&batch_size=32&data_seed=2")
    cost = _train_cost_after_steps(page, link, 3)

    other = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    other.set_default_timeout(20_000)
    open_page(other, other_url := page.url)  # the address bar after the run is the share link
    assert "dataset=moons" in other_url and ("hidden_sizes=6%2C3" in other_url or "hidden_sizes=6,3" in other_url)
    sidebar = other.locator("[data-testid=stSidebar]")
    # Widget values arrive just after the first paint: wait for them rather than race them.
    assert wait_until(lambda: sidebar.locator("input[aria-label='Dataset']").input_value() == "Moons", timeout=10)
    assert wait_until(lambda: sidebar.locator("input[aria-label='Hidden layer widths']").input_value() == "6,3",
                      timeout=10), other_url
    assert _train_cost_after_steps(other, other_url, 3) == cost
    assert re.fullmatch(r"\d+\.\d{6}", cost), cost  # compared to 6 decimals
    other.context.close()


def test_bad_link_falls_back_with_a_notice(page, app_url):
    open_page(page, f"{app_url}/?learning_rate=banana&hidden_sizes=4")
    notice = page.locator("[data-testid=stAlert]", has_text="could not be used").inner_text()
    assert "Learning rate α" in notice and "banana" in notice
    assert update_number(page) == 0
    assert page.errors == []


PAINT_JS = """async () => {
  const div = document.querySelector('div.np-live-box[data-key="pg.boundary"] > div.np-live-chart');
  const image = div.querySelector('g.heatmaplayer g.hm image');
  const pixels = async () => {
    const img = new Image();
    img.src = image.getAttribute('href');
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width; canvas.height = img.height;
    canvas.getContext('2d').drawImage(img, 0, 0);
    return Array.from(canvas.getContext('2d').getImageData(0, 0, img.width, img.height).data);
  };
  // Plotly draws this very z first (a message from the socket may have replaced it meanwhile)
  // (its rows as Plotly read them: the page's figure may carry z in Plotly's binary form)
  const z = div.calcdata[0][0].z.map((row) => Array.from(row));
  await window.Plotly.restyle(div, {z: [z]}, [0]);
  const plotly = await pixels();
  const painted = window.__npPaintHeatmap(div, z);
  const ours = await pixels();
  let differ = 0;
  for (let i = 0; i < plotly.length; i++) differ = Math.max(differ, Math.abs(plotly[i] - ours[i]));
  const colours = new Set();
  for (let i = 0; i < plotly.length; i += 4) colours.add(plotly.slice(i, i + 4).join());
  // the same surface upside down must look different (the test can tell the two apart)
  window.__npPaintHeatmap(div, z.slice().reverse());
  const flipped = await pixels();
  window.__npPaintHeatmap(div, z);
  let flipDiffer = 0;
  for (let i = 0; i < plotly.length; i++) flipDiffer = Math.max(flipDiffer, Math.abs(plotly[i] - flipped[i]));
  return {painted, size: [plotly.length, ours.length], differ, colours: colours.size, flipDiffer};
}"""


@pytest.mark.parametrize("dataset", ["moons", "spiral3", "bumps"])  # binary, multiclass, regression
def test_a_playing_frame_painted_without_plotly_looks_like_plotlys_own_drawing(page, app_url, dataset):
    """While playing, the client paints the boundary's pixels itself (stream/client.js,
    ``paintHeatmap``) instead of a whole Plotly redraw: same colours, same orientation."""
    open_page(page, f"{app_url}/?dataset={dataset}")
    assert wait_until(lambda: boundary_revision(page) == "0", timeout=60)
    # the socket connected and its first state is drawn: nothing else arrives while paused
    assert wait_until(lambda: int(stream(page).get_attribute("data-received") or 0) >= 1, timeout=60)
    assert wait_until(lambda: stream(page).get_attribute("data-step") == "0", timeout=30)
    assert wait_until(lambda: page.evaluate("typeof window.__npPaintHeatmap") == "function", timeout=30)
    result = page.evaluate(PAINT_JS)
    assert result["painted"], result
    assert result["size"][0] == result["size"][1] > 0
    assert result["colours"] > 20, result  # a real surface, not one flat colour
    assert result["differ"] <= 1, result  # rounding at most
    assert result["flipDiffer"] > 20, result
    assert page.errors == []


MERGE_JS = """async () => {
  const Plotly = window.Plotly;
  const figure = () => ({
    data: [{type: 'bar', orientation: 'h', x: [1, 2], y: ['a', 'b'], text: ['1', '2']},
           {type: 'scatter', x: [0], y: [1], xaxis: 'x2', yaxis: 'y2'},
           {type: 'scatter', x: [0], y: [2], xaxis: 'x2', yaxis: 'y2'}],
    layout: {xaxis: {domain: [0, 0.4]}, xaxis2: {domain: [0.6, 1], anchor: 'y2'}, yaxis2: {anchor: 'x2'},
             width: 400, height: 300},
  });
  const div = () => { const d = document.createElement('div'); document.body.appendChild(d); return d; };
  const one = div(), merged = div();
  for (const d of [one, merged]) { const f = figure(); await Plotly.newPlot(d, f.data, f.layout); }
  const bars = (n) => ({op: 'restyle', traces: [0], update: {x: [[n, n + 1]], text: [[`${n}`, `${n + 1}`]]}});
  const extend = (from) => ({op: 'extend', traces: [1, 2], x: [[from, from + 1], [from, from + 1]],
                              y: [[from * 2, from * 3], [from * 4, from * 5]]});
  const axes = (n) => ({op: 'relayout', update: {'xaxis.range': [0, n], 'yaxis2.range': [-n, n]}});
  const restart = {op: 'restyle', traces: [1, 2], update: {x: [[0, 5], [0, 5]], y: [[7, 8], [9, 10]]}};
  // what the server sends for the gradient chart, message after message, with a history reset
  const ops = [bars(3), extend(1), axes(5), bars(4), extend(3), bars(5), axes(6), restart, extend(6),
               bars(6), extend(8), axes(9)];
  for (const op of ops) {
    if (op.op === 'restyle') await Plotly.restyle(one, op.update, op.traces);
    else if (op.op === 'extend') await Plotly.extendTraces(one, {x: op.x, y: op.y}, op.traces);
    else await Plotly.relayout(one, op.update);
  }
  let calls = 0;
  for (const name of ['restyle', 'relayout', 'extendTraces', 'update', 'react']) {
    const f = Plotly[name];
    Plotly[name] = (...a) => { calls += 1; return f.apply(Plotly, a); };
  }
  try { await window.__npApplyMerged(Plotly, merged, ops); }
  finally { for (const name of ['restyle', 'relayout', 'extendTraces', 'update', 'react']) delete Plotly[name]; }
  const view = (d) => JSON.stringify({
    data: d.data.map((t) => ({x: Array.from(t.x), y: Array.from(t.y), text: t.text ? Array.from(t.text) : null})),
    x: d.layout.xaxis.range, y2: d.layout.yaxis2.range});
  return {one: view(one), merged: view(merged), calls};
}"""


def test_a_charts_waiting_updates_merged_draw_the_same_figure(page, app_url):
    """The live client merges a chart's updates while it waits for its turn (stream/client.js,
    ``compact`` and ``applyOps``): the figure must come out as if every update had been applied."""
    open_page(page, app_url)
    assert wait_until(lambda: page.evaluate("typeof window.__npApplyMerged") == "function", timeout=30)
    assert wait_until(lambda: page.evaluate("!!window.Plotly"), timeout=30)
    result = page.evaluate(MERGE_JS)
    assert result["one"] == result["merged"], result
    assert result["calls"] <= 2, result  # one extend of the lines, one update of the bars and axes


HALF_JS = """async () => {
  const div = document.querySelector('div.np-live-box[data-key="pg.boundary"] > div.np-live-chart');
  const full = div.calcdata[0][0].z.map((row) => Array.from(row));
  const half = full.filter((_, j) => j % 2 === 0).map((row) => row.filter((_, i) => i % 2 === 0));
  const stream = window.__npStreams.pg;
  const Plotly = window.Plotly;
  // z as the page's figure gives it (Plotly's binary form), as before the socket's first frame
  const f32 = new Float32Array(full.flat());
  let text = '';
  new Uint8Array(f32.buffer).forEach((b) => { text += String.fromCharCode(b); });
  div.data[0].z = {dtype: 'f4', bdata: btoa(text), shape: `${full.length}, ${full[0].length}`};
  await Plotly.react(div, div.data, div.layout);
  const shape = () => [div.calcdata[0][0].z.length, div.calcdata[0][0].z[0].length];
  const image = async () => {
    const img = new Image();
    img.src = div.querySelector('g.heatmaplayer g.hm image').getAttribute('href');
    await img.decode();
    return [img.height, img.width];
  };
  const before = shape();
  await stream.showFrame(Plotly, 'pg.boundary', {step: 0, z: half}, true);   // paused: Plotly's restyle
  const exact = {shape: shape(), image: await image()};
  await stream.showFrame(Plotly, 'pg.boundary', {step: 0, z: half});         // playing: painted
  const painted = {shape: shape(), image: await image()};
  return {full: [full.length, full[0].length], half: [half.length, half[0].length], before, painted, exact};
}"""


def test_a_half_resolution_snapshot_is_shown_at_the_charts_own_resolution(page, app_url):
    """With many viewers the server sends the boundary at half resolution; the browser
    interpolates it back to the grid the page drew, whether it paints the frame or Plotly does."""
    open_page(page, app_url)
    assert wait_until(lambda: boundary_revision(page) == "0", timeout=60)
    assert wait_until(lambda: int(stream(page).get_attribute("data-received") or 0) >= 1, timeout=60)
    result = page.evaluate(HALF_JS)
    assert result["half"] == [n // 2 for n in result["full"]], result
    assert result["before"] == result["full"], result
    assert result["painted"] == {"shape": result["full"], "image": result["full"]}, result
    assert result["exact"] == {"shape": result["full"], "image": result["full"]}, result
    assert page.errors == []
