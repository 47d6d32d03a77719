"""The DCGAN page in a real browser: a latent slider redraws the digit (Explore, and one sample
on Digits on demand); a drawn digit is found in latent space and walked from (English and
Spanish); a click on the latent map opens Explore."""

import pytest
from playwright.sync_api import expect

from lab.gan import model as gan
from tests.e2e.helpers import by_key, exceptions, open_page, wait_idle

pytestmark = pytest.mark.skipif(not gan.shipped_path().exists(), reason="no shipped generator")


@pytest.mark.parametrize("tab, image_key, slider_key", [
    ("Explore", "gan_explore_image", "gan_dir_0"),  # the unconditional generator
    ("Digits on demand", "gan_demand_moved", "gan_demand_dir_0")])  # one sample of the conditional one
def test_latent_slider_changes_the_image(server, page, tab, image_key, slider_key):
    from lab.gan import model_conditional as gan_conditional

    if tab == "Digits on demand" and not gan_conditional.shipped_path().exists():
        pytest.skip("no shipped conditional generator")
    open_page(page, server.url, "gan")
    page.get_by_role("tab", name=tab).click()
    image = by_key(page, image_key).locator("img")
    image.wait_for(timeout=90_000)
    before = image.get_attribute("src")
    slider = by_key(page, slider_key).get_by_role("slider")
    slider.focus()
    for _ in range(8):  # 8 steps of 0.25: two standard deviations along the top direction
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function(
        "([key, before]) => { const img = document.querySelector(`.st-key-${key} img`);"
        " return img && img.getAttribute('src') !== before; }", arg=[image_key, before], timeout=30_000)
    assert "2.00" in by_key(page, slider_key).inner_text()
    assert exceptions(page) == []


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_idle(page)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_draw_a_digit_find_it_in_latent_space_and_walk_from_it(server, page, lang):
    from core import i18n
    from tests.e2e.test_classifier_e2e import stroke

    t = i18n.translator(lang)
    open_page(page, server.url, "gan", lang=lang)
    open_tab(page, t("gan.tabs.drawing"))
    canvas = by_key(page, "gan_canvas_0").locator("canvas").last  # fabric's upper (event) canvas
    canvas.wait_for(state="visible", timeout=90_000)
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # let the canvas library attach its mouse handlers
    stroke(page, canvas.bounding_box(), [(70, 60), (210, 60), (130, 235)])  # a 7 in one stroke
    button = by_key(page, "gan_invert").get_by_role("button")
    button.wait_for(timeout=90_000)
    wait_idle(page)
    button.click()
    panels = by_key(page, "gan_invert_panels")
    panels.wait_for(timeout=180_000)  # a progress bar first, then drawing / closest image / difference
    wait_idle(page)
    expect(panels).to_contain_text(t("gan.drawing.reconstruction"), timeout=30_000)  # plotly: SVG text
    error = page.locator("[data-testid='stMetric']", has_text=t("gan.drawing.error"))
    assert float(error.locator("[data-testid='stMetricValue']").inner_text().replace(",", ".")) < 0.5
    # the walk from the drawing: filmstrips with their GIFs, and a GIF played on demand
    expect(by_key(page, "gan_walk_gif_slerp")).to_be_visible(timeout=60_000)
    by_key(page, "gan_walk_play_slerp").get_by_role("switch").check(force=True)
    wait_idle(page)
    gif = page.get_by_role("img", name=t("gan.alt.gif", path=t("gan.interpolate.slerp").lower()))
    expect(gif).to_be_visible(timeout=30_000)
    assert exceptions(page) == []


def test_a_click_on_the_latent_map_opens_that_cell_in_explore(server, page):
    open_page(page, server.url, "gan")
    open_tab(page, "Latent map")
    counts = page.get_by_text("Cells per digit read")
    counts.wait_for(timeout=120_000)
    before = counts.inner_text()  # the map of the default seed
    seed = by_key(page, "gan_map_seed").locator("input")
    seed.fill("5")
    seed.press("Enter")
    expect(counts).not_to_have_text(before, timeout=120_000)  # seed 5's map is drawn: no rerun to come
    wait_idle(page)
    plot = by_key(page, "gan_map_chart").locator(".nsewdrag").first
    plot.wait_for(timeout=120_000)
    plot.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = plot.bounding_box()
    cell = 30 * min(box["width"], box["height"]) / (9 * 30 - 2)  # 9 cells of 28 pixels and 2 of gap, square
    # one cell right of the centre (the seed itself): u = +1 along direction 1, v = 0
    page.mouse.click(box["x"] + box["width"] / 2 + cell, box["y"] + box["height"] / 2)
    expect(page.get_by_role("tab", name="Explore", selected=True)).to_be_visible(timeout=60_000)
    wait_idle(page)
    assert by_key(page, "gan_seed").locator("input").input_value() == "5"
    assert "1.00" in by_key(page, "gan_dir_0").inner_text()
    assert "0.00" in by_key(page, "gan_dir_1").inner_text()
    assert exceptions(page) == []
