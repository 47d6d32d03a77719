"""The CNN view in a real browser: draw a digit, open the view, click a unit of the second
convolution and read its sum; in English and Spanish, axe-clean, usable 390 px wide."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from core import i18n
from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle

pytest.importorskip("keras")

SEVEN = [(70, 60), (210, 60), (130, 235)]  # one stroke, canvas pixels
CONV2_UNIT6 = 3 * 64 + 5  # thesis CNN: Conv 1, ReLU 1, Pool 1 (64 units each), then Conv 2's units


def stroke(page, canvas_key: str, points) -> None:
    canvas = by_key(page, canvas_key).locator("canvas").last  # fabric's upper (event) canvas
    canvas.wait_for(state="visible", timeout=90_000)
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # let the canvas library attach its mouse handlers
    box = canvas.bounding_box()
    sx, sy = box["width"] / 280, box["height"] / 280
    page.mouse.move(box["x"] + points[0][0] * sx, box["y"] + points[0][1] * sy)
    page.mouse.down()
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        for i in range(1, 11):
            page.mouse.move(box["x"] + (ax + (bx - ax) * i / 10) * sx, box["y"] + (ay + (by - ay) * i / 10) * sy)
    page.mouse.up()


def wait_overview(page) -> None:
    points = by_key(page, "cnn_overview").locator(".scatterlayer path.point")
    points.nth(CONV2_UNIT6).wait_for(state="attached", timeout=90_000)
    wait_idle(page)


def click_unit(page, index: int) -> None:
    """Click the overview's unit ``index`` (its invisible marker), as a student does."""
    point = by_key(page, "cnn_overview").locator(".scatterlayer path.point").nth(index)
    point.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page)


def open_conv2_unit(page, lang: str) -> None:
    t = i18n.translator(lang)
    click_unit(page, CONV2_UNIT6)
    title = page.get_by_role("heading", name=t("cnn.detail.title", step=t("cnn.kinds.conv", n=2), unit=t("cnn.unit", u=6)))
    title.wait_for(timeout=90_000)
    page.get_by_text(t("cnn.conv.sum", n=64), exact=True).first.wait_for(timeout=90_000)  # the sum panel
    page.get_by_text(t("cnn.conv.check", row=9, col=9, value="0").split(" 9")[0]).first.wait_for(timeout=90_000)
    assert exceptions(page) == []


def test_draw_on_the_classifier_then_open_a_conv2_unit(server, page):
    open_page(page, server.url, "")
    open_page(page, server.url, "classifier")
    stroke(page, "classifier_canvas_0", SEVEN)
    link = page.get_by_role("link", name="See the whole CNN on this drawing")
    link.wait_for(timeout=90_000)
    link.click()
    page.get_by_role("heading", name="The whole CNN on your drawing").wait_for(timeout=90_000)
    wait_overview(page)
    assert page.get_by_role("radio", name="Your last drawing").is_checked()
    assert "The network reads 7" in page.locator("[data-testid='stCaptionContainer']").all_inner_texts().__str__()
    open_conv2_unit(page, "en")
    assert "conv_2" not in page.locator("[data-testid='stMain']").inner_text()  # no Keras names


def test_spanish_drawing_here_and_axe(server, page):
    from tests.e2e.test_accessibility_e2e import AXE, violations

    open_page(page, server.url, "", lang="es")
    open_page(page, server.url, "cnn-explainer", lang="es")
    stroke(page, "cnn_canvas_0", SEVEN)
    wait_overview(page)
    open_conv2_unit(page, "es")
    if AXE.exists():  # the whole view: overview, selectors, the unit's charts and formulas
        assert violations(page) == []


def test_phone_width(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    page = context.new_page()
    try:
        open_page(page, server.url, "")
        open_page(page, server.url, "cnn-explainer")
        page.get_by_text("A test image", exact=True).click()
        wait_overview(page)
        by_key(page, "cnn_step").get_by_role("combobox").wait_for(timeout=90_000)
        wait_idle(page)
        for attempt in range(3):  # a rerun still drawing may close the list as it opens
            try:
                select_option(page, "cnn_step", "Convolution 2")  # the keyboard / screen-reader way in
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
                wait_idle(page)
                if attempt == 2:
                    raise
        page.get_by_text("Sum of the 64 maps", exact=True).first.wait_for(timeout=90_000)
        overflow = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
        assert overflow <= 390, overflow  # nothing sticks out sideways
        chart = by_key(page, "cnn_overview").bounding_box()
        assert chart["x"] >= 0 and chart["x"] + chart["width"] <= 390, chart
        assert exceptions(page) == []
    finally:
        context.close()
