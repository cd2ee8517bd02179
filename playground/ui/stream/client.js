// The browser side of the live socket (protocol: playground/ui/stream/__init__.py).
//
// One client per page (kept on window across reruns, replaced when the token changes). The page
// draws this element twice: "controls" (Play/Pause, Step, Reset) where the transport buttons go,
// and "header" (the counter and the metrics) above the charts; both use the one socket. A click
// on a control goes over the socket and reruns nothing; the buttons follow the server's state.
// The client patches the page's live charts in place (found by their key) and plays the boundary
// snapshots at display rate. It acknowledges each message once it is applied, so a slow browser
// gets fewer, newer messages instead of a backlog.

const FRAME_MS = 33; // boundary snapshots: at most ~30 per second
const MAX_QUEUE = 8; // snapshots waiting to be shown; older ones are dropped
const RETRIES = 3; // reconnects after an unexpected close before giving up (fallback)
// The other charts (cost, gradients, network, …) share at most about 40% of the browser's main
// thread: a chart that took d ms to draw is drawn again d × CHART_SPREAD × (charts) ms later at
// the soonest (twice that for a chart the server sends as whole figures, its slow views such as
// the network diagram), its updates merged meanwhile. On a fast machine that is more often than
// the server sends; on a slow one (measured: 30–50 ms per Plotly call in headless Chromium on the
// 2-core test machine) the boundary keeps its frames and Pause shows at once, not after a backlog.
const CHART_SPREAD = 2;
const CHART_MIN_GAP_MS = 40;

// loadPlotly() comes from ../plotly_loader.js (prepended by dom.js_module).

function chartDiv(key) {
  return document.querySelector(`div.np-live-box[data-key="${CSS.escape(key)}"] > div.np-live-chart`);
}

// Array references in a message header → typed arrays (2-D: a list of rows).
function toArray(ref, buffer, start) {
  const Type = { u1: Uint8Array, f4: Float32Array, i4: Int32Array }[ref.dtype];
  let flat = new Type(buffer, start + ref.blob, ref.length / Type.BYTES_PER_ELEMENT);
  if ("lo" in ref) {
    const values = new Float32Array(flat.length);
    const scale = (ref.hi - ref.lo) / 255;
    for (let i = 0; i < flat.length; i++) values[i] = ref.lo + scale * flat[i];
    flat = values;
  }
  if (ref.shape.length === 2) {
    const [rows, cols] = ref.shape;
    return Array.from({ length: rows }, (_, r) => flat.subarray(r * cols, (r + 1) * cols));
  }
  return Array.from(flat);
}

// A snapshot sent at a lower resolution (many viewers, smooth surfaces only) → the chart's own
// rows × cols, by bilinear interpolation: both grids span the same extent (linspace) on each axis.
function resample(z, rows, cols) {
  const sr = z.length, sc = sr ? z[0].length : 0;
  if ((sr === rows && sc === cols) || sr < 2 || sc < 2) return z;
  const out = [];
  for (let i = 0; i < rows; i++) {
    const y = (i * (sr - 1)) / (rows - 1), y0 = Math.floor(y), y1 = Math.min(y0 + 1, sr - 1), fy = y - y0;
    const a = z[y0], b = z[y1], row = new Float32Array(cols);
    for (let j = 0; j < cols; j++) {
      const x = (j * (sc - 1)) / (cols - 1), x0 = Math.floor(x), x1 = Math.min(x0 + 1, sc - 1), fx = x - x0;
      row[j] = (a[x0] * (1 - fx) + a[x1] * fx) * (1 - fy) + (b[x0] * (1 - fx) + b[x1] * fx) * fy;
    }
    out.push(row);
  }
  return out;
}

function resolve(value, buffer, start) {
  if (Array.isArray(value)) return value.map((v) => resolve(v, buffer, start));
  if (value && typeof value === "object") {
    if ("blob" in value && "dtype" in value) return toArray(value, buffer, start);
    const out = {};
    for (const key of Object.keys(value)) out[key] = resolve(value[key], buffer, start);
    return out;
  }
  return value;
}

function applyOp(Plotly, div, op) {
  switch (op.op) {
    case "extend": return Plotly.extendTraces(div, { x: op.x, y: op.y }, op.traces);
    case "restyle": return Plotly.restyle(div, op.update, op.traces);
    case "relayout": return Plotly.relayout(div, op.update);
    case "react": {
      if (!op.layout) return Plotly.react(div, op.data, div.layout);
      const layout = { ...op.layout, autosize: true };
      delete layout.width;
      // plain dicts come without Plotly's default template: keep the one the page drew with
      if (!layout.template && div.layout && div.layout.template) layout.template = div.layout.template;
      return Plotly.react(div, op.data, layout);
    }
    case "figure": {
      const spec = JSON.parse(op.figure);
      spec.layout.autosize = true;
      delete spec.layout.width;
      return Plotly.react(div, spec.data, spec.layout);
    }
    default: return Promise.resolve();
  }
}

const sameJSON = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const joined = (a, b) => (Array.isArray(a) ? a : Array.from(a)).concat(Array.isArray(b) ? b : Array.from(b));
const dataKeys = (update) => "x" in update || "y" in update;

// One more op for a chart whose ops wait: the result does what applying all of them in order
// would, with fewer redraws. A whole figure replaces everything before it; a restyle replaces an
// older one of the same traces and attributes (and, if it sets x or y, the extends of those
// traces before it); extends of the same traces merge, also into a restyle that set all their
// points; relayouts merge (later keys win).
function compact(pending, op) {
  if (op.op === "react" || op.op === "figure") return [op];
  if (op.op === "extend") { // into the last extend of these traces if nothing after it touches them
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i];
      if (p.op === "extend" && sameJSON(p.traces, op.traces)) {
        const merged = { op: "extend", traces: op.traces,
          x: p.x.map((xs, t) => joined(xs, op.x[t])), y: p.y.map((ys, t) => joined(ys, op.y[t])) };
        return [...pending.slice(0, i), merged, ...pending.slice(i + 1)];
      }
      if (p.op === "restyle" && sameJSON(p.traces, op.traces) && "x" in p.update && "y" in p.update) {
        const update = { ...p.update, x: p.update.x.map((xs, t) => joined(xs, op.x[t])),
          y: p.update.y.map((ys, t) => joined(ys, op.y[t])) }; // all rows, then the new ones: still all rows
        return [...pending.slice(0, i), { ...p, update }, ...pending.slice(i + 1)];
      }
      if (p.op !== "relayout" && !(p.op === "restyle" && !p.traces.some((t) => op.traces.includes(t)))) break;
    }
    return [...pending, op];
  }
  if (op.op === "restyle") {
    const keys = Object.keys(op.update).sort();
    return [...pending.filter((p) => !(
      (p.op === "restyle" && sameJSON(p.traces, op.traces) && sameJSON(Object.keys(p.update).sort(), keys)) ||
      (p.op === "extend" && dataKeys(op.update) && sameJSON(p.traces, op.traces)))), op];
  }
  if (op.op === "relayout") {
    const previous = pending.find((p) => p.op === "relayout");
    return [...pending.filter((p) => p.op !== "relayout"),
      { op: "relayout", update: { ...(previous ? previous.update : {}), ...op.update } }];
  }
  return [...pending, op];
}

// A chart's waiting ops, in order, with fewer redraws: relayouts (layout only, so they commute
// with the traces' ops) merge into one at the end, and a restyle goes into that one Plotly.update
// when only extends of other traces come after it (the gradient chart: bars, lines, axes — two
// redraws instead of three).
async function applyOps(Plotly, div, waiting) {
  const layouts = waiting.filter((p) => p.op === "relayout");
  const ops = waiting.filter((p) => p.op !== "relayout");
  const layout = layouts.length ? Object.assign({}, ...layouts.map((p) => p.update)) : null;
  let merged = -1;
  if (layout) {
    for (let r = ops.length - 1; r >= 0; r--) {
      if (ops[r].op === "extend") continue;
      if (ops[r].op === "restyle" && ops.slice(r + 1).every((p) => !p.traces.some((t) => ops[r].traces.includes(t)))) merged = r;
      break;
    }
  }
  let busy = 0; // ms of main thread the calls took (their promises may settle a frame later)
  const timed = async (call) => {
    const started = performance.now();
    const done = call();
    busy += performance.now() - started;
    await done;
  };
  for (let i = 0; i < ops.length; i++) if (i !== merged) await timed(() => applyOp(Plotly, div, ops[i]));
  if (merged >= 0) await timed(() => Plotly.update(div, ops[merged].update, layout, ops[merged].traces));
  else if (layout) await timed(() => Plotly.relayout(div, layout));
  return busy;
}

// A CSS colour → [r, g, b, a] (0–255), as the browser reads it.
function rgba(colour) {
  const ctx = rgba.ctx || (rgba.ctx = document.createElement("canvas").getContext("2d", { willReadFrequently: true }));
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillStyle = "#000";
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, 1, 1);
  return Array.from(ctx.getImageData(0, 0, 1, 1).data);
}

// z → RGBA the way Plotly colours a heatmap: linear in RGBA between the colour scale's stops,
// clamped to [zmin, zmax]; missing values stay transparent.
function heatColours(trace) {
  const stops = trace.colorscale.map(([at, colour]) => [Number(at), rgba(colour)]);
  const lo = trace.zmin, span = trace.zmax - trace.zmin || 1;
  return (v, out, k) => {
    if (v === null || v === undefined || Number.isNaN(v)) { out[k + 3] = 0; return; }
    const t = Math.min(1, Math.max(0, (v - lo) / span));
    let i = 0;
    while (i < stops.length - 2 && t > stops[i + 1][0]) i++;
    const [a, ca] = stops[i], [b, cb] = stops[Math.min(i + 1, stops.length - 1)];
    const f = b > a ? (t - a) / (b - a) : 0;
    for (let c = 0; c < 4; c++) out[k + c] = Math.round(ca[c] + (cb[c] - ca[c]) * f);
  };
}

// A playing boundary frame without a Plotly redraw: the heatmap's pixels (one per cell, as
// Plotly draws zsmooth "fast") painted straight into the image Plotly drew, ~1 ms instead of a
// whole redraw (~30 ms on the test machine). Only for the layout Plotly's own draw has (both axes
// running up, same grid); anything else returns false and the caller restyles. The figure's data
// keep the new z, so a later redraw (a resize, Pause's exact frame) shows the same surface.
function paintHeatmap(div, z) {
  const trace = div._fullData && div._fullData[0];
  const image = div.querySelector("g.heatmaplayer g.hm image");
  const cd = div.calcdata && div.calcdata[0] && div.calcdata[0][0];
  if (!trace || trace.type !== "heatmap" || trace.zsmooth !== "fast" || !image || !cd || !trace.colorscale) return false;
  const rows = z.length, cols = rows ? z[0].length : 0;
  if (!cd.z || cd.z.length !== rows || !cd.z[0] || cd.z[0].length !== cols || !rows || !cols) return false;
  const xa = div._fullLayout.xaxis, ya = div._fullLayout.yaxis, x = trace.x, y = trace.y;
  if (!x || !y || !(xa.range[1] > xa.range[0]) || !(ya.range[1] > ya.range[0]) ||
      !(x[x.length - 1] > x[0]) || !(y[y.length - 1] > y[0])) return false;
  const key = JSON.stringify([trace.colorscale, trace.zmin, trace.zmax]);
  if (div.npColours === undefined || div.npColourKey !== key) { div.npColours = heatColours(trace); div.npColourKey = key; }
  const canvas = div.npCanvas || (div.npCanvas = document.createElement("canvas"));
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext("2d");
  const pixels = ctx.createImageData(cols, rows);
  for (let j = 0; j < rows; j++) { // row 0 of z is the bottom of the picture
    const row = z[j], base = (rows - 1 - j) * cols * 4;
    for (let i = 0; i < cols; i++) div.npColours(row[i], pixels.data, base + 4 * i);
  }
  ctx.putImageData(pixels, 0, 0);
  const url = canvas.toDataURL("image/png");
  if (image.hasAttribute("href")) image.setAttribute("href", url);
  else image.setAttributeNS("http://www.w3.org/1999/xlink", "xlink:href", url);
  div.data[0].z = z;
  cd.z = z;
  return true;
}
if (typeof window !== "undefined") { // for the browser tests: compared with Plotly's own drawing and op by op
  window.__npPaintHeatmap = paintHeatmap;
  window.__npApplyMerged = (Plotly, div, ops) => applyOps(Plotly, div, ops.reduce(compact, []));
}

// Between two messages, let the browser paint: applied back to back (promise callbacks only), a
// Step's boundary stayed unpainted until the next message's charts were drawn (~0.3 s instead of ~0.05).
function yieldToBrowser() { return new Promise((resolve) => setTimeout(resolve, 0)); }

function newer(a, b) { // (version, step) order: a reset bumps the version, training the step
  return a.version > b.version || (a.version === b.version && a.step >= b.step);
}

class LiveStream {
  constructor(data, trigger) {
    this.token = data.token;
    this.page = data.page;
    this.trigger = trigger;
    this.shown = { version: data.version, step: data.step };
    this.queue = [];
    this.hold = false;
    this.retries = 0;
    this.closed = false;
    this.framesShown = 0;
    this.playing = Boolean(data.playing);
    this.diverged = Boolean(data.diverged);
    this.notice = "";
    this.outgoing = []; // controls clicked before the socket opened
    this.mounts = new Set(); // the elements drawing this stream (controls, header)
    this.chain = Promise.resolve();
    this.charts = new Map(); // chart key → its waiting ops and how long it takes to draw
    this.connect(data.path);
  }

  connect(path) {
    const url = new URL(path.replace(/^\//, ""), document.baseURI.replace(/[^/]*$/, ""));
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("token", this.token);
    this.path = path;
    this.opened = false;
    const ws = new WebSocket(url.href);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => {
      this.opened = true;
      this.retries = 0;
      this.mark("connected", "1");
      for (const message of this.outgoing.splice(0)) ws.send(JSON.stringify(message));
    };
    ws.onmessage = (event) => this.receive(event.data);
    ws.onclose = (event) => {
      this.mark("connected", "");
      if (this.closed || this.ws !== ws) return;
      if (event.code === 4404 || (!this.opened && this.retries >= RETRIES) || this.retries >= RETRIES) {
        this.trigger("failed", `${event.code} ${event.reason || "socket closed"}`);
        return;
      }
      this.retries += 1;
      setTimeout(() => { if (!this.closed) this.connect(this.path); }, 500 * this.retries);
    };
    this.ws = ws;
  }

  close() { this.closed = true; if (this.ws) this.ws.close(); }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
    else if (message.type !== "ack") this.outgoing.push(message);
  }

  mark(name, value) {
    for (const root of [this.root, this.controlsRoot]) if (root) root.dataset[name] = value;
  }

  // A control was clicked (Play/Pause, Step, Reset): stop showing frames at once and tell the
  // server; the buttons show the new state now, and the server's state message confirms it.
  control(kind) {
    if (kind === "play" && this.playing) kind = "pause";
    this.notice = "";
    if (kind === "play") {
      this.hold = false;
      this.playing = true;
      this.send({ type: "play" });
    } else {
      this.hold = true; // until the server's state message for this control arrives
      this.queue = [];
      this.playing = false;
      this.send(kind === "step" ? { type: "step", updates: this.stepUpdates || 1 } : { type: kind });
    }
    this.renderControls();
  }

  receive(buffer) {
    this.received = (this.received || 0) + 1;
    this.mark("received", String(this.received));
    const n = new DataView(buffer).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, n)));
    const message = resolve(header, buffer, 4 + n);
    const ack = () => this.send({ type: "ack", seq: header.seq });
    if (message.type === "frame" && (this.hold || !message.playing)) { ack(); return; }
    if (message.type === "state") { this.hold = false; this.queue = []; }
    this.chain = this.chain.then(() => this.apply(message)).catch((error) => {
      this.mark("error", String(error && error.message));
    }).then(ack).then(yieldToBrowser);
    if (message.reason === "diverged") this.trigger("sync", header.seq);
  }

  async apply(message) {
    const Plotly = await loadPlotly();
    this.shown = { version: message.version, step: message.step };
    if (message.header) {
      this.renderHeader(message.header);
      // Something the page draws itself changed (e.g. the Gradients lab's diagnosis): rerun it.
      const sync = message.header.sync;
      if (sync !== undefined && sync !== this.pageSync && sync !== this.syncAsked) {
        this.syncAsked = sync;
        this.trigger("sync", sync);
      }
    }
    this.mark("playing", message.playing ? "1" : "");
    this.playing = Boolean(message.playing);
    this.diverged = Boolean(message.status) && message.status !== "ready"; // diverged, or a lesson finished
    if (message.type === "state") this.notice = message.notice || "";
    this.renderControls();
    // Paused (a state message, or the last frames of a run): every chart now, exactly. Playing:
    // each chart when its turn comes (``queueChart``), the boundary frames first.
    const exact = message.type === "state" || !message.playing;
    const frames = message.frames || [];
    const boundary = exact && frames.length ? this.showFrame(Plotly, message.surface, frames[frames.length - 1], true) : null;
    const pending = Object.entries(message.charts || {}).map(([key, ops]) => this.queueChart(Plotly, key, ops, exact));
    if (boundary) await boundary; // the boundary first: after Pause it is what a person looks at
    else if (frames.length && !exact) {
      this.surface = message.surface;
      this.queue = this.queue.concat(frames).slice(-MAX_QUEUE);
      if (!this.playingFrames) this.playFrames(Plotly);
    }
    await Promise.all(pending);
    this.mark("step", String(message.step));
  }

  // The chart was not drawn yet, or the page redrew it meanwhile: the next message rebuilds
  // every chart's data.
  refresh() {
    if (performance.now() - (this.refreshed || 0) <= 500) return;
    this.refreshed = performance.now();
    this.send({ type: "refresh" });
  }

  queueChart(Plotly, key, ops, now) {
    let chart = this.charts.get(key);
    if (!chart) this.charts.set(key, chart = { pending: [], last: 0, cost: 0, timer: 0, chain: Promise.resolve() });
    for (const op of ops) chart.pending = compact(chart.pending, op);
    const share = CHART_SPREAD * this.charts.size * (chart.whole ? 2 : 1);
    const due = chart.last + Math.max(CHART_MIN_GAP_MS, chart.cost * share);
    if (now || performance.now() >= due) return this.drawChart(Plotly, key, chart);
    if (!chart.timer) chart.timer = setTimeout(() => this.drawChart(Plotly, key, chart), due - performance.now());
    return Promise.resolve();
  }

  drawChart(Plotly, key, chart) {
    clearTimeout(chart.timer);
    chart.timer = 0;
    chart.chain = chart.chain.then(async () => {
      const ops = chart.pending;
      chart.pending = [];
      if (!ops.length) return;
      const div = chartDiv(key);
      if (!div || !div.layout) { this.refresh(); return; }
      let busy = 0;
      chart.whole = ops.some((op) => op.op === "react" || op.op === "figure");
      try { busy = await applyOps(Plotly, div, ops); } catch (error) { this.refresh(); } // e.g. a chart the page redrew
      chart.last = performance.now();
      chart.cost = chart.cost ? 0.7 * chart.cost + 0.3 * busy : busy;
    });
    return chart.chain;
  }

  async showFrame(Plotly, key, frame, exact = false) {
    const div = key && chartDiv(key);
    if (!div || !div.layout) return;
    // The page drew the heatmap at its full resolution: a smaller snapshot (many viewers) is
    // interpolated back to it. The grid is read as Plotly decoded it (the page's figure carries z
    // in Plotly's binary form, not as rows), and stays full size since every frame is resampled.
    const drawn = div.calcdata && div.calcdata[0] && div.calcdata[0][0] && div.calcdata[0][0].z;
    const [rows, cols] = drawn && drawn.length && drawn[0] ? [drawn.length, drawn[0].length] : [0, 0];
    const surface = rows > 1 && cols > 1 ? resample(frame.z, rows, cols) : frame.z;
    if (exact || !paintHeatmap(div, surface)) await Plotly.restyle(div, { z: [surface] }, [0]);
    div.dataset.drawn = String(frame.step);
    this.framesShown += 1;
    this.mark("frames", String(this.framesShown));
  }

  // One snapshot per display frame at most, ≥ FRAME_MS apart: two drawn before the browser
  // paints are one wasted (it was bursting a backlog in one task, so half the frames it drew were
  // never on the screen). Behind by more than a few, the oldest are skipped. A hidden tab gets no
  // animation frames and draws nothing until it is looked at again.
  async playFrames(Plotly) {
    this.playingFrames = true;
    let shown = -Infinity;
    while (this.queue.length && !this.hold) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      if (this.hold || !this.queue.length) break;
      const now = performance.now();
      if (now - shown < FRAME_MS - 8) continue; // (a display frame is ~16.7 ms)
      if (this.queue.length > 3) this.queue.splice(0, this.queue.length - 3);
      shown = now;
      await this.showFrame(Plotly, this.surface, this.queue.shift());
    }
    this.playingFrames = false;
  }

  renderControls() {
    const root = this.controlsRoot;
    if (!root) return;
    const play = root.querySelector("[data-control=play]");
    const label = this.playing ? "Pause" : "Play";
    if (play.dataset.state !== label) {
      play.dataset.state = label;
      play.querySelector(".np-label").textContent = label;
      play.querySelector(".np-icon").innerHTML = this.playing ? ICONS.pause : ICONS.play;
    }
    play.disabled = this.diverged && !this.playing;
    root.querySelector("[data-control=step]").disabled = this.diverged;
    root.dataset.playing = this.playing ? "1" : "";
    const notice = root.querySelector(".np-controls-notice");
    if (notice.textContent !== this.notice) notice.textContent = this.notice;
    notice.hidden = !this.notice;
  }

  mountControls(parentElement, data) {
    let root = parentElement.querySelector("div.np-controls");
    if (!root) {
      root = document.createElement("div");
      root.className = "np-controls";
      root.innerHTML = `
        <div class="np-controls-row">
          <button type="button" class="np-button np-primary" data-control="play"><span class="np-icon"
            aria-hidden="true"></span><span class="np-label">Play</span></button>
          <button type="button" class="np-button" data-control="step"><span class="np-icon"
            aria-hidden="true">${ICONS.step}</span><span class="np-label">Step</span></button>
          <button type="button" class="np-button" data-control="reset"
            title="Back to the same initial weights (same seed), step 0."><span class="np-icon"
            aria-hidden="true">${ICONS.reset}</span><span class="np-label">Reset</span></button>
        </div>
        <div class="np-controls-notice" role="status" hidden></div>`;
      root.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-control]");
        if (button && !button.disabled) window.__npStreams[root.dataset.page].control(button.dataset.control);
      });
      parentElement.appendChild(root);
    }
    root.dataset.page = data.page;
    this.controlsRoot = root;
    this.stepUpdates = data.step_updates;
    if (newer({ version: data.version, step: data.step }, this.shown)) { // the rerun's own state
      this.playing = Boolean(data.playing);
      this.diverged = Boolean(data.diverged);
    }
    this.renderControls();
  }

  renderHeader(header) {
    if (!this.root) return;
    const title = this.root.querySelector(".np-stream-title");
    if (title.textContent !== header.title) title.textContent = header.title;
    const box = this.root.querySelector(".np-stream-metrics");
    const metrics = header.metrics || [];
    if (box.children.length !== metrics.length) {
      box.replaceChildren(...metrics.map(() => {
        const m = document.createElement("div");
        m.className = "np-metric";
        m.innerHTML = '<div class="np-metric-label"></div><div class="np-metric-value"></div>';
        return m;
      }));
    }
    metrics.forEach(([label, value], i) => {
      const [l, v] = box.children[i].children;
      box.children[i].dataset.label = label;
      if (l.textContent !== label) l.textContent = label;
      if (v.textContent !== value) v.textContent = value;
    });
  }

  mount(parentElement, data) {
    let root = parentElement.querySelector("div.np-stream");
    if (!root) {
      root = document.createElement("div");
      root.className = "np-stream";
      root.innerHTML = '<h3 class="np-stream-title"></h3><div class="np-stream-metrics"></div>';
      parentElement.appendChild(root);
    }
    this.root = root;
    root.dataset.page = data.page;
    this.pageSync = data.header && data.header.sync;
    this.syncAsked = undefined;
    // The rerun's own state is shown unless the socket already showed something newer.
    if (newer({ version: data.version, step: data.step }, this.shown)) {
      this.shown = { version: data.version, step: data.step };
      this.renderHeader(data.header);
      this.mark("step", String(data.step));
      this.mark("playing", data.playing ? "1" : "");
    } else if (!root.querySelector(".np-stream-title").textContent) {
      this.renderHeader(data.header);
    }
  }
}

// Small inline icons (Material Symbols shapes), so the buttons need no icon font.
const svg = (path) => `<svg viewBox="0 -960 960 960" width="1.25em" height="1.25em" fill="currentColor">${path}</svg>`;
const ICONS = {
  play: svg('<path d="M320-200v-560l440 280-440 280Z"/>'),
  pause: svg('<path d="M560-200v-560h160v560H560Zm-320 0v-560h160v560H240Z"/>'),
  step: svg('<path d="M660-240v-480h80v480h-80Zm-440 0v-480l360 240-360 240Z"/>'),
  reset: svg('<path d="M480-80q-75 0-140.5-28.5t-114-77q-48.5-48.5-77-114T120-440h80q0 117 81.5 198.5T480-160q117 0 ' +
    '198.5-81.5T760-440q0-117-81.5-198.5T480-720h-6l62 62-56 58-160-160 160-160 56 58-62 62h6q75 0 140.5 28.5t114 ' +
    '77q48.5 48.5 77 114T840-440q0 75-28.5 140.5t-77 114q-48.5 48.5-114 77T480-80Z"/>'),
};

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  window.__npStreams = window.__npStreams || {};
  let stream = window.__npStreams[data.page];
  if (!stream || stream.token !== data.token || stream.closed) {
    if (stream) stream.close();
    stream = new LiveStream(data, setTriggerValue);
    window.__npStreams[data.page] = stream;
  }
  stream.trigger = setTriggerValue;
  stream.mounts.add(parentElement);
  if (data.part === "controls") stream.mountControls(parentElement, data);
  else stream.mount(parentElement, data);
  return () => { // the socket closes when neither element is on the page any more
    stream.mounts.delete(parentElement);
    if (stream.mounts.size) return;
    stream.close();
    if (window.__npStreams[data.page] === stream) delete window.__npStreams[data.page];
  };
}
