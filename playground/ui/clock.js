// The live area's clock: while playing, it asks the server for the next frame once the browser
// has drawn the current one (back-pressure). It also marks the transport buttons whose click
// stops playback (their containers' classes come from the page's keys: DOM.stopsPlayback).
export default function (component) {
  const { data, setTriggerValue } = component;
  document.querySelectorAll(`[${DOM.stopsPlayback}]`).forEach((el) => el.removeAttribute(DOM.stopsPlayback));
  for (const name of data.stops) {
    document.querySelectorAll(`.${name}`).forEach((el) => el.setAttribute(DOM.stopsPlayback, ""));
  }
  if (!data.playing) return;
  const started = performance.now();
  const wait = () => {
    let charts = [...document.querySelectorAll(`div.${DOM.liveChart}[${DOM.pace}='1']`)];
    if (!charts.length) charts = [...document.querySelectorAll(`div.${DOM.liveChart}`)];
    // Ask for the next tick when at most `lead` frames are still to be shown: with several
    // frames per tick the server computes the next ones while the last are on screen.
    const drawn = charts.every((c) => Number(c.getAttribute(DOM.pending) || 0) <= data.lead &&
                                      (data.lead > 0 || c.getAttribute(DOM.drawn) === String(data.revision)));
    const elapsed = performance.now() - started;
    if ((drawn && elapsed >= data.min_ms) || elapsed > data.max_ms) {
      setTriggerValue("tick", data.revision);
    } else {
      setTimeout(wait, 15);
    }
  };
  setTimeout(wait, 15);
}
