"""In headless Chromium: upload a CSV on the Playground and see its points; train digits and
see the confusion matrix change."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import open_page, wait_for_idle, wait_until

from playground.files.csv_upload import load_csv

pytestmark = pytest.mark.browser

# The Plotly figure behind a live chart, found by its title: its title text and its traces,
# including those of the chart's static overlay (the boundary draws its points there).
FIGURE_JS = """(title) => {
  const gd = [...document.querySelectorAll('div.np-live-chart')]
    .find(d => d.layout && d.layout.title && String(d.layout.title.text).startsWith(title));
  if (!gd) return null;
  const overlay = gd.parentElement.querySelector('div.np-live-overlay');
  const plain = (v) => (v && typeof v === 'object' && v.length !== undefined) ? Array.from(v, plain) : v;
  const traces = [...gd._fullData, ...((overlay && overlay.style.display !== 'none' && overlay._fullData) || [])];
  return {title: gd.layout.title.text,
          traces: traces.map(t => ({type: t.type, mode: t.mode || '', x: plain(t.x), y: plain(t.y), z: plain(t.z)}))};
}"""



def figure(page, title: str):
    return page.evaluate(FIGURE_JS, title)


def marker_points(fig) -> np.ndarray:
    if fig is None:  # between two drawings
        return np.zeros((0, 2))
    xy = [np.column_stack([t["x"], t["y"]]) for t in fig["traces"] if t["mode"] == "markers"]
    return np.vstack(xy) if xy else np.zeros((0, 2))


def test_uploaded_csv_points_appear_on_the_boundary_plot(page, app_url, tmp_path):
    rng = np.random.default_rng(7)
    height = rng.normal(170, 10, 57)
    weight = 0.9 * height - 90 + rng.normal(0, 8, 57)
    group = np.where(weight > 0.9 * height - 90, "heavy", "light")
    text = "height_cm,weight_kg,group\n" + "".join(f"{h:.1f},{w:.1f},{g}\n" for h, w, g in zip(height, weight, group))
    path = tmp_path / "people.csv"
    path.write_text(text)
    expected = load_csv(text.encode()).X

    open_page(page, app_url)
    assert wait_until(lambda: figure(page, "Decision boundary"))
    assert len(marker_points(figure(page, "Decision boundary"))) == 300  # the default circles

    page.get_by_text("Your own data (CSV)").click()
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    points = wait_until(lambda: (lambda p: p if len(p) == 57 else None)(marker_points(figure(page, "Decision boundary"))))
    assert points is not None, "the boundary plot should show the 57 uploaded points"
    wait_for_idle(page)
    # the plotted points are the standardized rows of the file
    np.testing.assert_allclose(np.sort(points, axis=0), np.sort(expected, axis=0), atol=1e-6)
    assert page.get_by_text("In use: people.csv").count() == 1
    assert "data=uploaded" in page.url
    assert page.errors == []


def confusion_cells(fig) -> list:
    return [t["z"] for t in fig["traces"]]


def test_training_digits_changes_the_confusion_matrix(page, app_url):
    open_page(page, f"{app_url}/digits?dataset=digits10&hidden_sizes=32&batch_size=32&learning_rate=0.1")
    before = wait_until(lambda: figure(page, "Confusion matrix"))
    assert before is not None and before["title"].endswith("test images right")
    assert len(before["traces"][0]["z"]) == 10 and len(before["traces"][0]["z"][0]) == 10, "10×10 matrix"

    right = lambda f: int(f["title"].split(":")[1].split(" of ")[0])  # noqa: E731
    page.get_by_role("button", name="Play").click()
    # train until the matrix shows more test images right than before (not for a fixed time)
    better = wait_until(lambda: (lambda f: f if f and right(f) > right(before) else None)(
        figure(page, "Confusion matrix")), timeout=60)
    assert better is not None, "the confusion matrix should change while training"
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=10_000)
    wait_for_idle(page)
    after = figure(page, "Confusion matrix")
    assert confusion_cells(after) != confusion_cells(before)
    assert right(after) > right(before)
    assert page.errors == []
