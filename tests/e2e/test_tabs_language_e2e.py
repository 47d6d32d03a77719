"""Changing the language keeps the open tab on every tabbed page (issue 36, item 1): the tab
was stored by its label, and a label of the old language is no option in the new one."""

import pytest
from playwright.sync_api import expect

from core import i18n
from tests.e2e.helpers import exceptions, open_page, select_option, wait_idle

# (page, a tab that is not the first)
TABBED = [("gan", "explore"), ("transfer", "try"), ("recurrent", "gates"), ("classifier", "evaluate")]


def selected_tab(page):
    return page.locator("[data-testid='stMain'] [role='tab'][aria-selected='true']").first


@pytest.mark.parametrize(("path", "tab"), TABBED)
def test_switching_language_keeps_the_open_tab(server, page, path, tab):
    en, es = i18n.catalog("en"), i18n.catalog("es")
    open_page(page, server.url, path)
    page.locator("[data-testid='stMain'] [role='tab']", has_text=en[f"{path}.tabs.{tab}"]).first.click()
    wait_idle(page)
    expect(selected_tab(page)).to_have_text(en[f"{path}.tabs.{tab}"], timeout=30_000)
    select_option(page, "app_lang", "Español")
    wait_idle(page)
    expect(selected_tab(page)).to_have_text(es[f"{path}.tabs.{tab}"], timeout=30_000)
    select_option(page, "app_lang", "English")
    wait_idle(page)
    expect(selected_tab(page)).to_have_text(en[f"{path}.tabs.{tab}"], timeout=30_000)
    assert exceptions(page) == []
