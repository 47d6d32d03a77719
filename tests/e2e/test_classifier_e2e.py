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
    assert re.search(r"\d+(\.\d)?% sure", page.locator("[data-testid='stMetric']", has_text="Prediction").inner_text())
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
    """Six websocket sessions (the browser's own protocol) each draw two digits, stroke by stroke."""
    from concurrent.futures import ThreadPoolExecutor

    from bench.drawing_load import load, make_drawings

    # its own thread: Playwright's sync API keeps an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(load, server.url, 6, 2, make_drawings(12, seed=1)).result()
    assert result["errors"] == 0, result["error_examples"]
    assert result["digits"] == 12 and result["strokes"] >= 12
    assert result["answered_by_fragment_rerun"] == result["strokes"]  # a stroke reruns only the Draw tab
    assert result["correct"] >= 11, result
    assert result["open_to_canvas"]["n"] == 6 and result["stroke_to_settled"]["n"] == result["strokes"]


def open_expander(page, key: str) -> None:
    """Click a lazy expander's header (its body runs only once it is open)."""
    by_key(page, key).locator("summary").first.click()
    wait_idle(page)


def test_each_explanation_opens_after_a_stroke(server, page):
    open_page(page, server.url, "classifier")
    box = canvas_box(page)
    page.wait_for_timeout(1000)
    stroke(page, box, [(150, 40), (140, 240)])  # a 1
    prediction(page)
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")
    assert main.locator("[data-testid='stImage']").count() == 0  # nothing computed while closed
    open_expander(page, "classifier_stages_open")
    by_key(page, "classifier_stages_open").locator("[data-testid='stImage']").nth(3).wait_for(timeout=90_000)
    open_expander(page, "classifier_maps_open")
    by_key(page, "classifier_maps_open").locator("[data-testid='stImage']").first.wait_for(timeout=90_000)
    open_expander(page, "classifier_occlusion_open")
    by_key(page, "classifier_occlusion_open").locator(".js-plotly-plot").first.wait_for(timeout=90_000)
    assert "first of the 3 networks" in by_key(page, "classifier_occlusion_open").inner_text()
    open_expander(page, "classifier_wrong_open")
    by_key(page, "classifier_save_drawing").wait_for(timeout=90_000)
    assert prediction(page) == "1"  # opening explanations kept the drawing and its answer
    assert exceptions(page) == []


def touch_stroke(page, box, points) -> None:
    """One finger stroke through ``points`` (canvas pixels) as a phone sends it: touch events."""
    cdp = page.context.new_cdp_session(page)
    sx, sy = box["width"] / 280, box["height"] / 280
    at = [(box["x"] + x * sx, box["y"] + y * sy) for x, y in points]
    path = [at[0]] + [(ax + (bx - ax) * i / 10, ay + (by - ay) * i / 10)
                      for (ax, ay), (bx, by) in zip(at, at[1:]) for i in range(1, 11)]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": path[0][0], "y": path[0][1]}]})
    for x, y in path[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_drawing_with_a_finger_on_a_phone(server, browser):
    """A 390-px-wide phone: the canvas fits, a finger draws without scrolling the page."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    page = context.new_page()
    try:
        open_page(page, server.url, "classifier")
        box = canvas_box(page)
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # the whole canvas is on screen
        page.wait_for_timeout(1000)
        scroll = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop + window.scrollY")
        box = canvas_box(page)
        touch_stroke(page, box, [(150, 30), (145, 130), (140, 250)])  # a 1, drawn downwards
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m => m.innerText.includes('Prediction'))",
            timeout=90_000)
        wait_idle(page)
        after = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop + window.scrollY")
        assert after == scroll  # the finger drew; the page did not move
        assert prediction(page) == "1"
        assert exceptions(page) == []
    finally:
        context.close()
