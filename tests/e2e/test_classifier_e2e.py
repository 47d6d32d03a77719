"""The classifier page in a real browser: draw a digit with the mouse, read the prediction."""

import re

import pytest

from tests.e2e.helpers import by_key, exceptions, open_page, wait_idle

pytest.importorskip("keras")


def canvas_box(page):
    canvas = by_key(page, "classifier_canvas_0").locator("canvas").last  # fabric's upper (event) canvas
    canvas.wait_for(state="visible", timeout=90_000)
    canvas.scroll_into_view_if_needed()
    return canvas.bounding_box()


def stroke(page, box, points):
    """One pen stroke through ``points`` given in canvas pixels (0..280)."""
    x0, y0 = box["x"], box["y"]
    sx, sy = box["width"] / 280, box["height"] / 280
    page.mouse.move(x0 + points[0][0] * sx, y0 + points[0][1] * sy)
    page.mouse.down()
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        for i in range(1, 11):  # small steps, like a hand
            f = i / 10
            page.mouse.move(x0 + (ax + (bx - ax) * f) * sx, y0 + (ay + (by - ay) * f) * sy)
    page.mouse.up()


def prediction(page) -> str:
    metric = page.locator("[data-testid='stMetric']", has_text="Prediction")
    metric.wait_for(timeout=90_000)
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_drawing_a_seven_and_a_one(server, page):
    open_page(page, server.url, "classifier")
    box = canvas_box(page)
    page.wait_for_timeout(1000)  # let the canvas library attach its mouse handlers
    stroke(page, box, [(70, 60), (210, 60), (130, 235)])  # a 7 in one stroke
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m => m.innerText.includes('Prediction'))",
        timeout=90_000)
    wait_idle(page)
    assert prediction(page) == "7"
    assert re.search(r"\d+(\.\d)?%", page.locator("[data-testid='stMetric']", has_text="Confidence").inner_text())
    assert exceptions(page) == []
    # clear: the prediction goes away and a fresh canvas appears; then a 1
    by_key(page, "classifier_clear").locator("button").click()
    page.get_by_text("Draw a digit on the canvas").wait_for(timeout=90_000)
    wait_idle(page)
    canvas = by_key(page, "classifier_canvas_1").locator("canvas").last
    canvas.wait_for(state="visible", timeout=90_000)
    page.wait_for_timeout(1000)  # let the canvas library attach its mouse handlers
    stroke(page, canvas.bounding_box(), [(150, 40), (140, 240)])
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m => m.innerText.includes('Prediction'))",
        timeout=90_000)
    wait_idle(page)
    assert prediction(page) == "1"
    assert exceptions(page) == []


def test_a_class_drawing_at_once_gets_right_answers_without_errors(server):
    """Six websocket sessions (the browser's own protocol) each send two drawings at once."""
    from concurrent.futures import ThreadPoolExecutor

    from bench.drawing_load import load, make_drawings

    # its own thread: Playwright's sync API keeps an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(load, server.url, 6, 2, make_drawings(12, seed=1)).result()
    assert result["errors"] == 0, result["error_examples"]
    assert result["predictions"] == 12
    assert result["answered_by_fragment_rerun"] == 12  # a stroke reruns only the Draw tab
    assert result["correct"] >= 11, result
