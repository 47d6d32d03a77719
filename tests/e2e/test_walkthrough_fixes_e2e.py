"""Issue 36's rough edges, caught coming back in the browser: the latent map's legend and cell
labels, DCGAN Explore's image in view on a phone while a slider moves, a long chart title wrapped
at 390 px, controls that would do nothing disabled."""

import pytest
from playwright.sync_api import expect

from core import i18n
from tests.e2e.helpers import by_key, exceptions, open_page, wait_idle


def open_tab(page, label):
    page.locator("[data-testid='stMain'] [role='tab']", has_text=label).first.click()
    wait_idle(page)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_latent_map_has_an_unsure_entry_and_labels_on_its_cells(server, page, lang):
    t = i18n.translator(lang)
    open_page(page, server.url, "gan", lang)
    open_tab(page, t("gan.tabs.map"))
    chart = by_key(page, "gan_map_chart")
    chart.locator(".nsewdrag").first.wait_for(timeout=120_000)
    wait_idle(page)
    unsure = t("gan.map.unsure", pct=0.5)
    legend = page.locator("[data-testid='stMain'] span", has_text=unsure).last
    expect(legend).to_be_visible(timeout=30_000)  # "unsure" has its own legend entry
    assert "7" in legend.locator("xpath=..").inner_text()  # beside the ten digits' entries
    # every cell carries its digit (or ?) as text: 81 labels on the 9 x 9 map
    labels = chart.locator(".textpoint text").evaluate_all("els => els.map(e => e.textContent)")
    assert len(labels) == 81 and all(x == "?" or x.isdigit() for x in labels)
    assert exceptions(page) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_explore_image_stays_in_view_on_a_phone_while_the_last_slider_moves(server, phone, lang):
    t = i18n.translator(lang)
    open_page(phone, server.url, "gan", lang)
    open_tab(phone, t("gan.tabs.explore"))
    image = by_key(phone, "gan_explore_image").locator("img")
    image.wait_for(timeout=120_000)
    before = image.get_attribute("src")
    last = by_key(phone, "gan_dir_5")
    last.scroll_into_view_if_needed()
    handle = last.get_by_role("slider")
    handle.focus()
    for _ in range(4):
        handle.press("ArrowRight")
    wait_idle(phone)
    expect(image).not_to_have_attribute("src", before, timeout=30_000)
    last.scroll_into_view_if_needed()
    phone.wait_for_timeout(300)
    box, slider = image.bounding_box(), last.bounding_box()
    assert box is not None and slider is not None
    assert 0 <= box["y"] and box["y"] + box["height"] <= 844, box  # the image is on screen
    assert box["y"] + box["height"] <= slider["y"] + 1  # above the slider, not covering it
    assert exceptions(phone) == []


def test_a_long_chart_title_wraps_on_a_phone(server, phone):
    t = i18n.translator("es")
    open_page(phone, server.url, "gan", "es")
    open_tab(phone, t("gan.tabs.map"))
    chart = by_key(phone, "gan_map_chart")
    chart.locator(".nsewdrag").first.wait_for(timeout=120_000)
    wait_idle(phone)
    title = chart.locator(".gtitle").first
    assert title.locator("tspan.line").count() >= 2  # broken into lines, not cut at the edge
    box, plot = title.bounding_box(), chart.bounding_box()
    assert box["x"] + box["width"] <= plot["x"] + plot["width"] + 1
    assert exceptions(phone) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_controls_that_would_do_nothing_are_hidden_or_disabled(server, page, lang):
    t = i18n.translator(lang)
    open_page(page, server.url, "gan", lang)
    model = by_key(page, "gan_model").get_by_role("combobox")
    expect(model).to_be_enabled()
    chosen = model.inner_text()
    open_tab(page, t("gan.tabs.demand"))
    expect(model).to_have_count(0, timeout=30_000)  # Digits on demand has its own generator: no list
    expect(page.get_by_text(t("gan.model_demand"))).to_be_visible()
    open_tab(page, t("gan.tabs.explore"))
    expect(model).to_be_enabled(timeout=30_000)
    assert model.inner_text() == chosen  # the choice was kept while the list was hidden
    open_page(page, server.url, "activations", lang)  # sigmoid, tanh, ReLU: no leaky ReLU
    expect(by_key(page, "activations_slope")).to_have_count(0)  # shown with the leaky ReLU only
    assert exceptions(page) == []
