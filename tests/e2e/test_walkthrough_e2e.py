"""A teacher's walkthrough of the classifier page in a real browser: what broke or confused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle

pytest.importorskip("keras")


def chosen(page, key: str) -> str:
    """What the selectbox with ``key`` shows (its combobox input's value)."""
    return by_key(page, key).get_by_role("combobox").input_value()


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    wait_idle(page)


def test_clicking_a_confusion_cell_shows_its_test_images(server, page):
    open_page(page, server.url, "classifier")
    open_tab(page, "Evaluate")
    chart = by_key(page, "classifier_cm").locator(".js-plotly-plot")
    chart.wait_for(timeout=90_000)
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    # where the cell (true 4, predicted 9) is on screen, from plotly's own axes
    x, y = chart.evaluate("""gd => {
        const box = gd.getBoundingClientRect(), l = gd._fullLayout;
        return [box.left + l.xaxis._offset + l.xaxis.l2p(9), box.top + l.yaxis._offset + l.yaxis.l2p(4)];
    }""")
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    expect(page.get_by_text(re.compile(r"of a 4 read as 9"))).to_be_visible(timeout=60_000)
    wait_idle(page)
    assert chosen(page, "classifier_cm_true") == "4" and chosen(page, "classifier_cm_pred") == "9"
    assert exceptions(page) == []


def choose_recipe(page, base_url: str, kind: str, epochs: int) -> None:
    """Open the classifier's Train tab and set the architecture and the epochs."""
    open_page(page, base_url, "classifier")
    open_tab(page, "Train")
    select_option(page, "classifier_kind", kind)
    box = by_key(page, "classifier_epochs").locator("input")
    box.fill(str(epochs))
    box.press("Enter")
    wait_idle(page)


def test_choices_are_kept_when_visiting_another_page(server, page):
    choose_recipe(page, server.url, "CNN (thesis)", 3)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Perceptron").click()
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=90_000)
    wait_idle(page)
    page.locator("[data-testid='stSidebarNav'] a", has_text="MNIST").click()
    wait_idle(page)
    open_tab(page, "Train")
    assert by_key(page, "classifier_epochs").locator("input").input_value() == "3"
    assert chosen(page, "classifier_kind") == "CNN (thesis)"


def test_a_trained_model_is_listed_at_once(server, page):
    choose_recipe(page, server.url, "MLP (thesis)", 1)
    by_key(page, "classifier_start").get_by_role("button").click()
    saved = page.get_by_text(re.compile(r"Saved as (mlp-\S+): test accuracy"))
    expect(saved).to_be_visible(timeout=180_000)
    name = re.search(r"Saved as (mlp-\S+):", saved.inner_text()).group(1)
    wait_idle(page)
    box = by_key(page, "classifier_model").get_by_role("combobox")  # no reload
    box.click()
    box.fill(name)  # typed: a long list of models is virtualised
    expect(page.get_by_role("option", name=re.compile(re.escape(name)))).to_be_visible(timeout=30_000)
    page.keyboard.press("Escape")
    assert exceptions(page) == []
