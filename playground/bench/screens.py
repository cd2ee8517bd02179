"""Screenshot tour: every page at 1280×720, 1920×1080 and 400×800, normal and presentation
mode (``python -m playground.bench --screens [--out DIR] [--pages a,b] [--sizes 1280x720,…]``).

Starts ``streamlit run app.py`` on 127.0.0.1, opens each page in headless Chromium, waits until
every chart is drawn, saves a screenshot of the screen (and, if the page is taller, of the whole
page) under ``screenshots/`` (ignored by git), and checks in the browser what a person at the
back of the room or on a phone would trip over:

- ``wide``: elements wider than the viewport (unless inside something that scrolls or clips);
- ``overlaps``: two text labels of one Plotly chart whose boxes intersect (all figures stacked in
  one chart box count as one chart);
- ``clipped``: chart text cut off at the chart's edge (a title longer than a phone is wide);
- ``smallest``: the smallest chart text in px (presentation mode promises ≥ 16 px at 1280×720).

Look at the pictures too: the checks catch collisions, not ugliness. ``tests/test_browser_screens.py``
runs a smaller tour in CI.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
from pathlib import Path

from .ui import CHROMIUM, CHROMIUM_ARGS, READY_FN, ROOT, start_server

VIEWPORTS = {"1280x720": (1280, 720), "1920x1080": (1920, 1080), "400x800": (400, 800)}
MODES = {"normal": False, "present": True}

CHECKS_JS = r"""() => {
  const vw = document.documentElement.clientWidth;
  const wide = [];
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) {
        const r = p.getBoundingClientRect();
        if (r.right <= vw + 1 && r.left >= -1) return true;
      }
    }
    return false;
  };
  const sidebar = document.querySelector('[data-testid=stSidebar]');
  const sidebarOpen = sidebar && sidebar.getAttribute('aria-expanded') === 'true';
  for (const el of document.querySelectorAll('[data-testid=stMain] *, [data-testid=stSidebar] *')) {
    if (!sidebarOpen && sidebar && sidebar.contains(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') continue;
    if ((r.right > vw + 1 || r.width > vw + 1) && !clipped(el)) {
      const text = (el.innerText || el.textContent || '').trim().slice(0, 60);
      wide.push({tag: el.tagName.toLowerCase(), testid: el.closest('[data-testid]')?.dataset.testid || '',
                 right: Math.round(r.right), text});
    }
  }
  const overlaps = [];
  const clipped_labels = [];
  const boxes = new Set([...document.querySelectorAll('.js-plotly-plot')].map(
      (p) => p.closest('div.np-live-box') || p));
  for (const box of boxes) {
    const labels = [];
    for (const t of box.querySelectorAll('svg text')) {
      const text = (t.textContent || '').trim();
      if (!text) continue;
      const s = getComputedStyle(t);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) continue;
      if (t.closest('.hoverlayer')) continue;
      const r = t.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      labels.push({text, r});
    }
    const title = box.querySelector('.gtitle')?.textContent || '';
    const frame = box.getBoundingClientRect();
    for (const {text, r} of labels) {
      if (r.left < frame.left - 2 || r.right > frame.right + 2 || r.bottom > frame.bottom + 2) {
        clipped_labels.push({chart: title, text, box: [r.left, r.right, r.bottom].map(Math.round), frame: [frame.left, frame.right, frame.bottom].map(Math.round)});
      }
    }
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i].r, b = labels[j].r;
        const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (dx > 2 && dy > 2) overlaps.push({chart: title, a: labels[i].text, b: labels[j].text, ra: [a.left, a.top, a.right, a.bottom].map(Math.round), rb: [b.left, b.top, b.right, b.bottom].map(Math.round)});
      }
    }
  }
  // Smallest chart text, in CSS px
  let smallest = null;
  for (const t of document.querySelectorAll('.js-plotly-plot svg text')) {
    if (!(t.textContent || '').trim() || t.closest('.hoverlayer')) continue;
    const size = parseFloat(getComputedStyle(t).fontSize);
    const r = t.getBoundingClientRect();
    if (r.width === 0) continue;
    if (smallest === null || size < smallest.size) smallest = {size, text: t.textContent.trim().slice(0, 30)};
  }
  return {wide: wide.slice(0, 20), overlaps: overlaps.slice(0, 20), clipped: clipped_labels.slice(0, 20), smallest,
          scrollWidth: document.documentElement.scrollWidth, viewport: vw};
}"""

# The bench's page-ready test (every chart drawn), and no live chart with frames still queued.
READY_JS = """() => (READY)(false)
  && ![...document.querySelectorAll('div.np-live-chart')].some((d) => Number(d.dataset.pending || 0) > 0)""".replace(
    "(READY)", "(" + READY_FN + ")")
# READY_JS, held for 0.6 s (components appear a moment after the script has finished).
STEADY_JS = """() => {
  const ready = (READY)();
  const now = performance.now();
  if (!ready) { window.__npReadySince = null; return false; }
  window.__npReadySince = window.__npReadySince || now;
  return now - window.__npReadySince >= 600;
}""".replace("(READY)", "(" + READY_JS + ")")


def page_paths(browser, base_url: str) -> list[str]:
    """Every page's path, as the app's navigation lists them ("" for the default page)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(base_url + "/")
        page.wait_for_selector("[data-testid=stSidebarNav] a", timeout=60_000)
        hrefs = page.eval_on_selector_all("[data-testid=stSidebarNav] a", "(as) => as.map((a) => a.href)")
    finally:
        page.close()
    paths: list[str] = []
    for href in hrefs:
        path = href.split("?")[0][len(base_url):].strip("/")
        if path not in paths:
            paths.append(path)
    return paths


def open_and_check(page, url: str) -> dict:
    """Open ``url`` in ``page``, wait until every chart is drawn, and run the checks."""
    page.goto(url)
    page.wait_for_selector("[data-testid=stMainBlockContainer]", timeout=60_000)
    page.wait_for_function(STEADY_JS, timeout=90_000, polling=100)
    return page.evaluate(CHECKS_JS)


def visit(browser, base_url: str, path: str, size: tuple[int, int], present: bool, shot: Path | None) -> dict:
    """One page at one size: the checks' findings (and the screenshots, if ``shot``)."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        result = open_and_check(page, f"{base_url}/{path}" + ("?present=1" if present else ""))
        if shot is not None:
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot), timeout=120_000)
            tall = page.evaluate("document.querySelector('[data-testid=stMain]')?.scrollHeight || 0")
            if tall > size[1] + 10:
                page.set_viewport_size({"width": size[0], "height": min(tall, 6000)})
                page.evaluate("window.__npReadySince = null")
                page.wait_for_function(STEADY_JS, timeout=60_000, polling=100)
                page.screenshot(path=str(shot.with_name(shot.stem + "-full.png")), timeout=120_000)
        result["errors"] = errors
        return result
    finally:
        context.close()


def problems(finding: dict) -> dict:
    """The parts of a finding that are problems (empty: the page passed)."""
    return {k: finding[k] for k in ("wide", "overlaps", "clipped", "errors") if finding.get(k)}


def tour(browser, base_url: str, out: Path | None, viewports=VIEWPORTS, modes=MODES, paths=None) -> dict:
    """Visit every page × viewport × mode; returns {"1280x720/normal-playground": finding, …}."""
    findings = {}
    for path in page_paths(browser, base_url) if paths is None else paths:
        for name, size in viewports.items():
            for mode, present in modes.items():
                label = f"{name}/{mode}-{path or 'playground'}"
                findings[label] = visit(browser, base_url, path, size, present, out / f"{label}.png" if out else None)
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playground.bench --screens", description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="folder for the pictures (default screenshots/)")
    parser.add_argument("--pages", help="comma-separated page paths (default: every page; the Playground is '')")
    parser.add_argument("--sizes", help=f"comma-separated viewports from {', '.join(VIEWPORTS)} (default: all)")
    parser.add_argument("--json", action="store_true", help="print every finding as JSON")
    args = parser.parse_args(argv)
    viewports = VIEWPORTS if not args.sizes else {s: VIEWPORTS[s] for s in args.sizes.split(",")}
    paths = None if args.pages is None else [p.strip("/") for p in args.pages.split(",")]
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = start_server(port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            findings = tour(browser, f"http://127.0.0.1:{port}", Path(args.out), viewports, MODES, paths)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    if args.json:
        print(json.dumps(findings, ensure_ascii=False, indent=1))
    else:
        for label, finding in findings.items():
            bad = problems(finding)
            smallest = (finding.get("smallest") or {}).get("size")
            print(f"{label:42} {'ok' if not bad else 'PROBLEMS'}  smallest chart text {smallest} px")
            for kind, items in bad.items():
                for item in items[:6]:
                    print(f"    {kind}: {json.dumps(item, ensure_ascii=False)[:160]}")
        print(f"screenshots in {args.out}")
    return 1 if any(problems(f) for f in findings.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
