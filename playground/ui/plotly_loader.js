// Loads plotly.min.js once per page (served from static/, copied from the pinned plotly package);
// prepended to the live chart and the live socket client by dom.js_module(..., plotly=True).
function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__npPlotlyLoading) {
    window.__npPlotlyLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL("app/static/plotly.min.js", document.baseURI.replace(/[^/]*$/, "")).href;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => { window.__npPlotlyLoading = null; reject(new Error("plotly.min.js")); };
      document.head.appendChild(script);
    });
  }
  return window.__npPlotlyLoading;
}
