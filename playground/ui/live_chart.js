const FRAME_MS = 100;  // sub-frames of one tick are shown at most 10 per second
const MAX_QUEUE = 8;  // never fall further behind than this: drop the oldest frames

// A page's first chart (live_chart(first=True): the decision boundary) is drawn before the charts
// that name it in `after` when the page opens: they wait until it is on the screen (at most
// AFTER_MS), whichever of them the browser mounts first.
const AFTER_MS = 2000;
const firstCharts = window.__npFirstCharts || (window.__npFirstCharts = {});

function firstChart(key) {
  if (!firstCharts[key]) {
    let done;
    const promise = new Promise((resolve) => { done = resolve; setTimeout(resolve, AFTER_MS); });
    firstCharts[key] = { promise, done };
  }
  return firstCharts[key];
}

function firstChartShown(key) {  // after the browser has painted it
  requestAnimationFrame(() => setTimeout(() => firstChart(key).done(), 0));
}

// A chart that is below (or above) the screen when it is first drawn waits until the browser is
// idle or the chart comes near the screen, whichever is first: a page shows the charts a person
// sees first, and draws the rest in the gaps (the Activation explorer has eight charts down a
// 4,000 px page; each first draw is 40–140 ms of the main thread on the test machine).
const IDLE_MS = 1500;  // at the latest this long after it could have been drawn
const NEAR_PX = 200;

function nearScreen(div) {
  if (!window.IntersectionObserver) return Promise.resolve();
  return new Promise((resolve) => {
    const seen = new IntersectionObserver((entries) => {  // (first called at once, with where it is)
      if (!entries.some((e) => e.isIntersecting)) {
        if (seen.__idle) return;
        seen.__idle = true;
        const idle = window.__npIdle || window.requestIdleCallback || ((f) => setTimeout(f, 200));  // (a test hook)
        idle(() => { seen.disconnect(); resolve(); }, {timeout: IDLE_MS});
        return;
      }
      seen.disconnect();
      resolve();
    }, {rootMargin: `${NEAR_PX}px`});
    seen.observe(div);
  });
}

function draw(div, figure) {
  // Redraw only when the figure changed (slow views are kept between ticks).
  if (div.__figure === figure) return Promise.resolve();
  div.__figure = figure;
  const spec = JSON.parse(figure);
  spec.layout.autosize = true;
  delete spec.layout.width;
  // A box that CSS makes taller than the figure (presentation mode on a big screen): fill it.
  if (spec.layout.height && div.clientHeight > spec.layout.height + 1) delete spec.layout.height;
  div.__spec = spec;
  const waitFor = div.__after ? firstChart(div.__after).promise : Promise.resolve();
  const seen = div.__everDrawn || div.__firstKey ? Promise.resolve() : nearScreen(div);
  div.__everDrawn = true;
  return Promise.all([loadPlotly(), waitFor, seen])
    .then(([Plotly]) => Plotly.react(div, spec.data, spec.layout, {displayModeBar: false, responsive: true}))
    .finally(() => { if (div.__firstKey) firstChartShown(div.__firstKey); });
}

function drawSurface(div, z) {
  // An intermediate frame: the last figure with only the first trace's z replaced.
  const spec = div.__spec;
  if (!spec) return Promise.resolve();
  div.__figure = null;
  const data = spec.data.map((trace, i) => (i === 0 ? {...trace, z: z} : trace));
  return loadPlotly().then((Plotly) => Plotly.react(div, data, spec.layout));
}

async function playNext(div) {
  const item = div.__queue.shift();
  if (!item) { div.__busy = false; div.setAttribute(DOM.pending, 0); return; }
  div.__busy = true;
  const started = performance.now();
  try {
    await (item.figure !== undefined ? draw(div, item.figure) : drawSurface(div, item.z));
    div.setAttribute(DOM.drawn, item.revision);
  } catch (error) {
    div.textContent = "Could not draw the chart: " + error.message;
  }
  div.setAttribute(DOM.pending, div.__queue.length);
  const wait = div.__queue.length ? Math.max(0, FRAME_MS - (performance.now() - started)) : 0;
  setTimeout(() => playNext(div), wait);
}

// A click on Pause (or Step/Reset: the buttons clock.js marks with DOM.stopsPlayback) skips
// every queued frame to the newest state at once, so nothing keeps moving while Streamlit
// reruns the page (measured: the queued frames made Pause look 0.6 s late).
if (!window.__npStopOnClick) {
  window.__npStopOnClick = true;
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(`[${DOM.stopsPlayback}] button`);
    if (button) {
      window.__npHold = true;  // until the page's rerun arrives: no more in-between frames
      document.querySelectorAll(`div.${DOM.liveChart}`).forEach((div) => {
        if (div.__queue && div.__queue.length) div.__queue = div.__queue.slice(-1);
      });
    }
  }, true);
}

export default function (component) {
  const { data, parentElement } = component;
  let box = parentElement.querySelector(`div.${DOM.liveBox}`);
  if (!box) {
    box = document.createElement("div");
    box.className = DOM.liveBox;
    box.innerHTML = `<div class="${DOM.liveChart}"></div><div class="${DOM.liveOverlay}"></div>`;
    parentElement.appendChild(box);
  }
  const [div, overlay] = box.children;
  box.dataset.key = data.key;  // the live socket's client finds the chart by its key
  box.style.height = data.height + "px";
  div.setAttribute(DOM.pace, data.pace ? "1" : "");
  overlay.style.display = data.overlay ? "block" : "none";
  div.__firstKey = data.first ? data.key : null;
  div.__after = overlay.__after = data.after || null;
  if (data.overlay) draw(overlay, data.overlay).catch(() => {});
  // Frames of this tick (states between the last tick and now), then the full figure.
  const animate = data.animate && !window.__npHold;
  if (!data.animate) window.__npHold = false;
  const items = animate ? (data.frames || []).map((f) => ({revision: f.revision, z: f.z})) : [];
  items.push({revision: data.revision, figure: data.figure});
  div.__queue = (animate ? (div.__queue || []).concat(items) : items).slice(-MAX_QUEUE);
  div.setAttribute(DOM.pending, div.__queue.length + (div.__busy ? 1 : 0));
  if (!div.__busy) playNext(div);
  return () => {
    if (data.first) { firstChart(data.key).done(); delete firstCharts[data.key]; }
    div.__queue = [];
    if (window.Plotly) { window.Plotly.purge(div); window.Plotly.purge(overlay); }
  };
}
