"""The recurrent page in a real browser: draw a digit, watch the reader answer row by row; in Spanish too."""

import re

import pytest

from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle
from tests.e2e.test_classifier_e2e import stroke

pytest.importorskip("keras")


def answer(page, label_start: str) -> str:
    metric = page.locator("[data-testid='stMetric']", has_text=label_start)
    metric.wait_for(timeout=90_000)
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_draw_a_seven_and_read_it_row_by_row_then_in_spanish(server, page):
    open_page(page, server.url, "recurrent")
    by_key(page, "recurrent_source").get_by_text("Draw one").click()
    wait_idle(page)
    canvas = by_key(page, "recurrent_canvas_0").locator("canvas").last
    canvas.wait_for(state="visible", timeout=90_000)
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # let the canvas library attach its mouse handlers
    stroke(page, canvas.bounding_box(), [(70, 60), (210, 60), (130, 235)])  # a 7 in one stroke
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')]"
        ".some(m => m.innerText.includes('Answer after row 28'))", timeout=90_000)
    wait_idle(page)
    assert answer(page, "Answer after row 28") == "7"
    assert page.get_by_text(re.compile(r"from row \d+ on it no longer changes")).count() == 1
    assert exceptions(page) == []

    select_option(page, "app_lang", "Español")
    page.wait_for_url(re.compile(r"lang=es"), timeout=30_000)
    wait_idle(page)
    assert "Redes recurrentes" in page.locator("h1").first.inner_text()
    page.get_by_role("tab", name="Memoria en el tiempo").click()
    wait_idle(page)
    by_key(page, "recurrent_adding_length").wait_for(timeout=90_000)  # the tab's slider
    assert "Longitud de la secuencia" in by_key(page, "recurrent_adding_length").inner_text()
    assert exceptions(page) == []
