// The browser side of the live socket (protocol: playground/ui/stream/__init__.py).
//
// One client per page (kept on window across reruns, replaced when the token changes): it shows
// the counter and metrics in its own element, patches the page's live charts in place (found by
// their key) and plays the boundary snapshots at display rate. It acknowledges each message once
// it is applied, so a slow browser gets fewer, newer messages instead of a backlog.

const FRAME_MS = 33; // boundary snapshots: at most ~30 per second
const MAX_QUEUE = 8; // snapshots waiting to be shown; older ones are dropped
const RETRIES = 3; // reconnects after an unexpected close before giving up (fallback)

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
    this.chain = Promise.resolve();
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
    ws.onopen = () => { this.opened = true; this.retries = 0; this.mark("connected", "1"); };
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
  }

  mark(name, value) { if (this.root) this.root.dataset[name] = value; }

  // A transport button was clicked: stop showing frames at once; Play/Pause also go by socket.
  clicked(kind) {
    if (kind === "play") { this.hold = false; this.send({ type: "play" }); return; }
    this.hold = true; // until the server's state message for this control arrives
    this.queue = [];
    if (kind === "pause") this.send({ type: "pause" });
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
    }).then(ack);
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
    const pending = [];
    let stale = false;
    for (const [key, ops] of Object.entries(message.charts || {})) {
      const div = chartDiv(key);
      if (!div || !div.layout) { stale = true; continue; } // not drawn yet: ask for everything again
      pending.push(ops.reduce((p, op) => p.then(() => applyOp(Plotly, div, op)), Promise.resolve())
        .catch(() => { stale = true; })); // e.g. extending a chart the page redrew meanwhile
    }
    const frames = message.frames || [];
    if (message.type === "state" || !message.playing) {
      if (frames.length) await this.showFrame(Plotly, message.surface, frames[frames.length - 1]);
    } else if (frames.length) {
      this.surface = message.surface;
      this.queue = this.queue.concat(frames).slice(-MAX_QUEUE);
      if (!this.playingFrames) this.playFrames(Plotly);
    }
    await Promise.all(pending);
    this.mark("step", String(message.step));
    if (stale && performance.now() - (this.refreshed || 0) > 500) {
      this.refreshed = performance.now();
      this.send({ type: "refresh" }); // the next message rebuilds every chart's data
    }
  }

  async showFrame(Plotly, key, frame) {
    const div = key && chartDiv(key);
    if (!div || !div.layout) return;
    await Plotly.restyle(div, { z: [frame.z] }, [0]);
    div.dataset.drawn = String(frame.step);
    this.framesShown += 1;
    this.mark("frames", String(this.framesShown));
  }

  async playFrames(Plotly) {
    this.playingFrames = true;
    while (this.queue.length && !this.hold) {
      const started = performance.now();
      await this.showFrame(Plotly, this.surface, this.queue.shift());
      const wait = this.queue.length > 3 ? 0 : FRAME_MS - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    this.playingFrames = false;
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

// Clicks on the page's transport buttons (Streamlit buttons, found by their key's class).
if (!window.__npStreamClicks) {
  window.__npStreamClicks = true;
  document.addEventListener("click", (event) => {
    const holder = event.target.closest && event.target.closest("[class*='_button']");
    if (!holder) return;
    const match = /st-key-([\w-]+?)[-.](play|step|reset)_button/.exec(holder.className);
    if (!match) return;
    const stream = (window.__npStreams || {})[match[1]];
    if (!stream) return;
    const label = (holder.innerText || "").trim();
    stream.clicked(match[2] === "play" ? (/Pause/.test(label) ? "pause" : "play") : match[2]);
  }, true);
}

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
  stream.mount(parentElement, data);
  return () => {
    stream.close();
    if (window.__npStreams[data.page] === stream) delete window.__npStreams[data.page];
  };
}
