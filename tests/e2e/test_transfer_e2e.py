"""The transfer page in a real browser: keep a drawn symbol, train the three ways (tiny), draw a new
symbol and read three answers; then the page in Spanish."""

import re

import pytest

from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle
from tests.e2e.test_classifier_e2e import stroke

pytest.importorskip("keras")


def canvas_box(page, key: str):
    canvas = by_key(page, key).locator("canvas").last  # fabric's upper (event) canvas
    canvas.wait_for(state="visible", timeout=90_000)
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # let the canvas library attach its mouse handlers
    return canvas.bounding_box()


def test_keep_a_symbol_train_three_ways_and_get_three_answers(server, page):
    open_page(page, server.url, "transfer")
    box = canvas_box(page, "transfer_canvas_0")
    stroke(page, box, [(140, 50), (140, 230)])  # a plus: two strokes
    stroke(page, box, [(50, 140), (230, 140)])
    keep = by_key(page, "transfer_keep").locator("button")
    page.wait_for_function("b => !b.disabled", arg=keep.element_handle(), timeout=90_000)
    keep.click()
    page.get_by_text(re.compile(r"Kept as \+")).wait_for(timeout=90_000)
    assert exceptions(page) == []

    page.get_by_role("tab", name="Three ways").click()
    wait_idle(page)
    epochs = by_key(page, "transfer_epochs").locator("input")
    epochs.fill("1")
    epochs.press("Enter")
    wait_idle(page)
    by_key(page, "transfer_start").locator("button").click()
    page.get_by_text(re.compile(r"\d+ drawings for training, \d+ held out")).wait_for(timeout=180_000)
    assert exceptions(page) == []

    page.get_by_role("tab", name="Try them").click()
    wait_idle(page)
    box = canvas_box(page, "transfer_try_canvas_0")
    stroke(page, box, [(70, 70), (210, 210)])  # a times sign
    stroke(page, box, [(210, 70), (70, 210)])
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].filter(m =>"
        " /From scratch|Feature extraction|Fine-tuning/.test(m.innerText)).length === 3", timeout=90_000)
    values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert len(values) == 3 and all(re.match(r"[+−×÷=] · \d+%", v.strip()) for v in values), values
    assert exceptions(page) == []

    select_option(page, "app_lang", "Español")
    page.wait_for_url(re.compile(r"lang=es"), timeout=30_000)
    wait_idle(page)
    assert "Aprendizaje por transferencia" in page.locator("h1").first.inner_text()
    assert exceptions(page) == []
