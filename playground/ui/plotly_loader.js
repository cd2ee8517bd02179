// Loads Plotly once per page (static/plotly-cartesian.min.js: live_chart.STATIC_NAME, copied from
// playground/ui/vendor/, the cartesian bundle of the pinned plotly package's plotly.js version);
// prepended to the live chart and the live socket client by dom.js_module(..., plotly=True).
function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__npPlotlyLoading) {
    window.__npPlotlyLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL("app/static/plotly-cartesian.min.js", document.baseURI.replace(/[^/]*$/, "")).href;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => { window.__npPlotlyLoading = null; reject(new Error("plotly-cartesian.min.js")); };
      document.head.appendChild(script);
    });
  }
  return window.__npPlotlyLoading;
}
