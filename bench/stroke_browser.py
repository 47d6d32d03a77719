"""One student in Chromium: mouse up → prediction shown on the classifier's Draw tab.

    python -m bench.stroke_browser [--strokes 30] [--json out.json]

Starts a fresh ``streamlit run`` server (it waits for ``/api/ready``), opens the classifier
page in Debian's headless Chromium and draws with the mouse, as a student does: a few strokes
per digit, then Clear. For each stroke the page itself records, with ``performance.now()``,
the moment the mouse button went up on the canvas (a capturing ``pointerup`` listener) and
the first change of the prediction's metric or bars after it (a ``MutationObserver``; a stroke
that changes neither, the same answer to 0.1 % and 1 %, shows nothing new and is not counted), so the figure
is what a student sees: canvas → server → prediction on screen, with no test-harness delay.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.drawing_load import wait_ready  # noqa: E402
from tests.e2e.conftest import CHROMIUM, FLAGS, Server  # noqa: E402
from tests.e2e.helpers import by_key, open_page, wait_idle  # noqa: E402

# Strokes in canvas pixels (0..280): each digit a few strokes, the ink growing each time.
DIGITS = [
    [[(140, 40), (140, 240)], [(120, 60), (140, 40)], [(110, 240), (170, 240)]],   # a 1 in three
    [[(70, 60), (210, 60)], [(210, 60), (120, 240)], [(110, 150), (190, 150)]],    # a 7 in three
    [[(140, 40), (80, 140), (140, 240), (200, 140), (140, 40)]],                   # a 0 in one
    [[(80, 70), (200, 70), (200, 140), (80, 140)], [(80, 140), (80, 230), (200, 230)]],  # a 2-ish
]

WATCH = """
() => {
  window.__marks = [];
  // the canvas sits in its component's shadow root: find it on the event's composed path
  document.addEventListener("pointerup", (ev) => {
    if (ev.composedPath().some(el => el.tagName === "CANVAS")) {
      window.__marks.push({up: performance.now(), shown: null});
    }
  }, true);
  const SHOWN = "[data-testid='stMetric'], figure";  // the prediction's metric or its bars
  const metric = (node) => {  // inside them, or one of them added
    const el = node.nodeType === 1 ? node : node.parentElement;
    return el && (el.closest(SHOWN) || (el.querySelector && el.querySelector(SHOWN)));
  };
  new MutationObserver((records) => {
    const m = window.__marks[window.__marks.length - 1];
    if (m && m.shown === null && records.some(r => metric(r.target) ||
        [...r.addedNodes].some(metric))) m.shown = performance.now();
  }).observe(document.querySelector("[data-testid='stMain']"), {subtree: true, childList: true,
                                                                 characterData: true});
}
"""
METRICS_ONLY = """
() => window.__marks.map(m => m.shown === null ? null : m.shown - m.up)
"""


def stroke(page, box: dict, points: list[tuple[int, int]]) -> None:
    """One mouse stroke through ``points`` (canvas pixels), scaled to the canvas on screen."""
    sx, sy = box["width"] / 280, box["height"] / 280
    page.mouse.move(box["x"] + points[0][0] * sx, box["y"] + points[0][1] * sy)
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x * sx, box["y"] + y * sy, steps=8)
    page.mouse.up()


def run(strokes: int) -> dict:
    """Draw ``strokes`` strokes (a digit at a time, Clear between digits); the latencies."""
    from playwright.sync_api import sync_playwright

    server = Server().start(timeout=120)
    ready_s = wait_ready(server.url)
    done, n_canvas = 0, 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_page(page, server.url, "classifier")
            page.evaluate(WATCH)
            while done < strokes:
                for points in DIGITS[n_canvas % len(DIGITS)]:
                    canvas = by_key(page, f"classifier_canvas_{n_canvas}").locator("canvas").last
                    canvas.wait_for(state="visible", timeout=60_000)
                    stroke(page, canvas.bounding_box(), points)
                    page.wait_for_timeout(50)
                    wait_idle(page)
                    page.wait_for_timeout(400)  # a student looks before the next stroke
                    done += 1
                by_key(page, "classifier_clear").get_by_role("button").click()
                wait_idle(page)
                n_canvas += 1
            latencies = page.evaluate(METRICS_ONLY)
            browser.close()
    finally:
        server.stop()
    shown = [v for v in latencies if v is not None]
    pct = (lambda q: round(float(np.percentile(shown, q)), 1)) if shown else (lambda q: None)
    return {"strokes": len(latencies), "shown": len(shown), "ready_s": ready_s,
            "mouse_up_to_shown_ms": {"p50": pct(50), "p95": pct(95), "max": pct(100)},
            "all_ms": [None if v is None else round(v, 1) for v in latencies]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = run(args.strokes)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result["shown"] == result["strokes"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
