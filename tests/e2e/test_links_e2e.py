"""Browser: change a page's controls, copy the address, open it in a new browser context
(no shared session) and see the same state; a link with bad values shows a notice."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lab.gan import model as gan
from tests.e2e.helpers import APP_TIMEOUT_MS, by_key, exceptions, open_page, select_option, wait_idle


def url_has(page: Page, *pairs: str) -> str:
    """Wait until the address holds every ``name=value`` pair (value as text, not %-encoded); return it."""
    try:
        page.wait_for_function("p => p.every(x => { const i = x.indexOf('='); "
                               "return new URLSearchParams(location.search).getAll(x.slice(0, i)).includes(x.slice(i + 1)); })",
                               arg=list(pairs), timeout=30_000)
    except PlaywrightTimeout:
        raise AssertionError(f"{pairs} not all in {page.url}") from None
    return page.url


def reopen(browser, url: str) -> Page:
    """``url`` in a fresh context: no cookies, no Streamlit session in common with the first."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=APP_TIMEOUT_MS)
    wait_idle(page)
    return page


def nudge(page: Page, key: str, presses: int, arrow: str = "ArrowRight") -> None:
    """Move a slider by keyboard, one step per rerun (a rerun may take the focus away)."""
    for _ in range(presses):
        by_key(page, key).get_by_role("slider").press(arrow)
        wait_idle(page)


def type_into(page: Page, key: str, text: str) -> None:
    box = by_key(page, key).locator("input")
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def slider_shows(page: Page, key: str, value: str) -> None:
    expect(by_key(page, key).get_by_role("slider")).to_have_value(value, timeout=30_000)


def box_shows(page: Page, key: str, value: str) -> None:
    """The text in the input of a text box, number box or selectbox (waits for it to be drawn)."""
    expect(by_key(page, key).locator("input").first).to_have_value(value, timeout=30_000)


def open_explore(page: Page) -> None:
    """The DCGAN page's Explore tab, once its generated image is drawn (slow the first time)."""
    page.get_by_role("tab", name="Explore", exact=True).click()
    by_key(page, "gan_explore_image").locator("img").wait_for(timeout=APP_TIMEOUT_MS)
    wait_idle(page)


def test_perceptron_link_and_page_switch(server, page, browser):
    open_page(page, server.url, "perceptron")
    by_key(page, "perceptron_gate").get_by_role("radio", name="OR", exact=True).click()
    wait_idle(page)
    type_into(page, "perceptron_lr", "0.55")
    nudge(page, "perceptron_hidden", 2)  # 4 -> 6
    url = url_has(page, "perceptron_gate=OR", "perceptron_lr=0.55", "perceptron_hidden=6", "lang=en")
    other = reopen(browser, url)
    expect(by_key(other, "perceptron_gate").get_by_role("radio", name="OR", exact=True)).to_be_checked()
    box_shows(other, "perceptron_lr", "0.55")
    slider_shows(other, "perceptron_hidden", "6")
    assert exceptions(other) == []
    other.context.close()
    # a page switch leaves the other page's values out of the address
    page.locator("[data-testid='stSidebarNav'] a", has_text="Activation functions").click()
    page.wait_for_function("() => location.pathname.endsWith('/activations') && !location.search.includes('perceptron_')",
                           timeout=30_000)
    assert "lang=en" in page.url



def test_back_button_returns_to_the_previous_page(server, page):
    """A bound control's change replaces the address (Streamlit's ``bind`` adds no history
    entry per change, and the page switch leaves the old page's entry without its values):
    the browser's back button after a page switch returns to the page, drawn without errors,
    with the values its address then holds (here none: the defaults)."""
    open_page(page, server.url, "perceptron")
    nudge(page, "perceptron_hidden", 2)  # 4 -> 6
    url_has(page, "perceptron_hidden=6")
    page.locator("[data-testid='stSidebarNav'] a", has_text="Activation functions").click()
    page.wait_for_function("() => location.pathname.endsWith('/activations')", timeout=30_000)
    wait_idle(page)
    page.go_back()
    page.wait_for_function("() => location.pathname.endsWith('/perceptron')", timeout=30_000)
    wait_idle(page)
    slider_shows(page, "perceptron_hidden", "4")
    assert exceptions(page) == []


def test_activations_link(server, page, browser):
    open_page(page, server.url, "activations")
    type_into(page, "activations_logits", "3, 1, -2")
    nudge(page, "activations_temperature", 5)  # 1.0 -> 1.5
    nudge(page, "activations_depth", 3, "ArrowLeft")  # 10 -> 7
    url = url_has(page, "activations_logits=3, 1, -2", "activations_temperature=1.5", "activations_depth=7")
    other = reopen(browser, url)
    box_shows(other, "activations_logits", "3, 1, -2")
    slider_shows(other, "activations_temperature", "1.5")
    slider_shows(other, "activations_depth", "7")
    other.context.close()


def test_convolution_link(server, page, browser):
    open_page(page, server.url, "convolution")
    select_option(page, "convolution_kernel", "Sobel (vertical edges)")
    nudge(page, "convolution_stride", 1)
    select_option(page, "convolution_padding", "1 pixel(s) of zeros")
    url = url_has(page, "convolution_kernel=Sobel (vertical edges)", "convolution_stride=2",
                  "convolution_padding=1 pixel(s) of zeros")  # a choice's label, in the page's language
    assert "convolution_source" not in url  # the default is left out
    other = reopen(browser, url)
    box_shows(other, "convolution_kernel", "Sobel (vertical edges)")
    slider_shows(other, "convolution_stride", "2")
    box_shows(other, "convolution_padding", "1 pixel(s) of zeros")
    expect(other.locator("annotation", has_text=r"\frac{12 + 2\cdot1 - 3}{2}").first).to_be_attached()
    other.context.close()


def test_classifier_link(server, page, browser):
    pytest.importorskip("keras")
    open_page(page, server.url, "classifier")
    select_option(page, "classifier_model", "classifier-cnn (shipped)")
    page.get_by_role("tab", name="Train", exact=True).click()
    wait_idle(page)
    type_into(page, "classifier_epochs", "4")  # the Train tab's recipe goes into the link too
    url = url_has(page, "classifier_model=classifier-cnn (shipped)", "classifier_tab=Train", "classifier_epochs=4")
    other = reopen(browser, url)
    box_shows(other, "classifier_model", "classifier-cnn (shipped)")
    expect(other.get_by_role("tab", name="Train", exact=True)).to_have_attribute("aria-selected", "true")
    box_shows(other, "classifier_epochs", "4")
    other.context.close()


def test_playground_link(server, page, browser):
    open_page(page, server.url, "playground")
    select_option(page, "playground_dataset", "Spiral")
    select_option(page, "playground_activation", "ReLU")
    type_into(page, "playground_layers", "2")
    url = url_has(page, "playground_dataset=Spiral", "playground_activation=ReLU", "playground_layers=2")
    other = reopen(browser, url)
    box_shows(other, "playground_dataset", "Spiral")
    box_shows(other, "playground_activation", "ReLU")
    box_shows(other, "playground_layers", "2")
    expect(by_key(other, "playground_units_2")).to_have_count(0)  # two hidden layers, not three
    assert exceptions(other) == []
    other.context.close()


@pytest.mark.skipif(not gan.shipped_path().exists(), reason="no shipped generator")
def test_gan_link(server, page, browser):
    open_page(page, server.url, "gan")
    open_explore(page)
    type_into(page, "gan_seed", "123")
    nudge(page, "gan_dir_1", 2)  # 0 -> 0.5
    url = url_has(page, "gan_seed=123", "gan_dir_1=0.5", "gan_tab=Explore")
    other = reopen(browser, url)
    open_explore(other)
    box_shows(other, "gan_seed", "123")
    slider_shows(other, "gan_dir_1", "0.5")
    other.context.close()


def test_recurrent_link(server, page, browser):
    pytest.importorskip("keras")
    open_page(page, server.url, "recurrent")
    nudge(page, "recurrent_rows", 2, "ArrowLeft")  # 28 -> 26
    url = url_has(page, "recurrent_rows=26")
    other = reopen(browser, url)
    slider_shows(other, "recurrent_rows", "26")
    assert exceptions(other) == []
    other.context.close()


def test_transfer_link(server, page, browser):
    pytest.importorskip("keras")
    open_page(page, server.url, "transfer")
    page.get_by_role("tab", name="Three ways", exact=True).click()
    wait_idle(page)
    type_into(page, "transfer_epochs", "3")
    url = url_has(page, "transfer_tab=Three ways", "transfer_epochs=3")
    other = reopen(browser, url)
    expect(other.get_by_role("tab", name="Three ways", exact=True)).to_have_attribute("aria-selected", "true")
    box_shows(other, "transfer_epochs", "3")
    assert exceptions(other) == []
    other.context.close()


def test_bad_link_shows_a_notice_and_defaults(server, browser):
    other = reopen(browser, f"{server.url}/perceptron?lang=es&perceptron_gate=XYZ&perceptron_hidden=99"
                            "&perceptron_lr=0.7")
    notices = other.get_by_text(re.compile("no se pueden usar"))
    expect(notices).to_have_count(2)  # one above each group of controls
    expect(notices.first).to_contain_text("perceptron_gate=XYZ")
    expect(notices.last).to_contain_text("perceptron_hidden=99")
    slider_shows(other, "perceptron_hidden", "4")
    box_shows(other, "perceptron_lr", "0.70")
    expect(by_key(other, "perceptron_gate").get_by_role("radio", name="AND", exact=True)).to_be_checked()
    assert exceptions(other) == []
    other.context.close()
