"""Thirty students drawing at once: real browser sessions against one ``streamlit run`` server.

    python bench/drawing_load.py [--sessions 30] [--rounds 2]

Each session is its own Chromium browser context (its own websocket session). All open
the classifier page, then each draws digits with mouse strokes; the latency is from the
mouse-up to the "Prediction" metric showing the answer. Strokes are staggered randomly
over a second, like a class told "draw now". Errors are exception boxes or wrong pages.
The whole run is bounded: every wait has a timeout and the loop has a fixed number of rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import async_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, FLAGS, Server  # noqa: E402

SEVEN = [(70, 60), (210, 60), (130, 235)]
ONE = [(150, 40), (140, 240)]
HAS_PREDICTION = ("() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')]"
                  ".some(m => m.innerText.includes('Prediction'))")


async def stroke(page, box, points) -> None:
    x0, y0, sx, sy = box["x"], box["y"], box["width"] / 280, box["height"] / 280
    await page.mouse.move(x0 + points[0][0] * sx, y0 + points[0][1] * sy)
    await page.mouse.down()
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        for i in range(1, 11):
            f = i / 10
            await page.mouse.move(x0 + (ax + (bx - ax) * f) * sx, y0 + (ay + (by - ay) * f) * sy)
    await page.mouse.up()


async def student(browser, url: str, rounds: int, results: list, errors: list, ready: asyncio.Event) -> None:
    context = await browser.new_context(viewport={"width": 1300, "height": 1100})
    page = await context.new_page()
    try:
        await page.goto(f"{url}/classifier?lang=en", timeout=300_000)
        for r in range(rounds):
            key = f"classifier_canvas_{r}"
            canvas = page.locator(f".st-key-{key} canvas").last
            await canvas.wait_for(state="visible", timeout=300_000)
            await page.wait_for_timeout(1000)
            await ready.wait()
            await asyncio.sleep(random.random())
            box = await canvas.bounding_box()
            digit, points = random.choice([("7", SEVEN), ("1", ONE)])
            await stroke(page, box, points)
            start = time.perf_counter()
            await page.wait_for_function(HAS_PREDICTION, timeout=300_000)
            results.append(time.perf_counter() - start)
            value = await page.locator("[data-testid='stMetric']", has_text="Prediction").locator(
                "[data-testid='stMetricValue']").inner_text()
            if value.strip() != digit:
                errors.append(f"drew {digit}, read {value.strip()}")
            if await page.locator("[data-testid='stException']").count():
                errors.append("exception on page")
            await page.locator(".st-key-classifier_clear button").click()
            await page.wait_for_function(f"() => !({HAS_PREDICTION})()", timeout=300_000)
    except Exception as exc:  # noqa: BLE001 - a failed session is a result to report
        errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
    finally:
        await context.close()


async def run(sessions: int, rounds: int) -> None:
    server = Server().start()
    results, errors = [], []
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            ready = asyncio.Event()
            tasks = [asyncio.create_task(student(browser, server.url, rounds, results, errors, ready))
                     for _ in range(sessions)]
            await asyncio.sleep(20)  # let every page load before the class starts drawing
            ready.set()
            await asyncio.gather(*tasks)
            await browser.close()
    finally:
        server.stop()
    results.sort()
    p95 = results[max(0, int(round(0.95 * len(results))) - 1)] if results else float("nan")
    print(f"sessions={sessions} rounds={rounds} predictions={len(results)} errors={len(errors)}")
    if results:
        print(f"stroke -> prediction shown: p50 {statistics.median(results) * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms, max {results[-1] * 1000:.0f} ms")
    for e in errors[:10]:
        print("  error:", e)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(run(args.sessions, args.rounds))


if __name__ == "__main__":
    main()
