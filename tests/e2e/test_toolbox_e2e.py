"""Browser: the training toolbox races optimisers and draws their paths, in English and Spanish."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle

SURFACE = {"en": "Rosenbrock's valley", "es": "Valle de Rosenbrock"}
TITLE = {"en": "The training toolbox", "es": "La caja de herramientas del entrenamiento"}


def path_traces(page):
    """The optimisers' lines drawn over the contours (plotly's scatter traces in the paths chart)."""
    return by_key(page, "toolbox_paths").locator(".scatterlayer .trace")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_race_draws_every_path(server, page, lang):
    # a deep link, as a bookmark opens it (the first test on a fresh server: no "Page not found")
    open_page(page, server.url, "training-toolbox", lang=lang)
    expect(page.locator("h1").first).to_contain_text(TITLE[lang])
    select_option(page, "toolbox_surface", SURFACE[lang])
    expect(by_key(page, "toolbox_paths").locator(".main-svg").first).to_be_visible(timeout=30_000)
    # five optimisers, a ring each at the chosen step, and the star on the lowest point
    expect(path_traces(page)).to_have_count(11, timeout=30_000)
    caption = "After 500 steps" if lang == "en" else "Tras 500 pasos"
    expect(page.get_by_text(re.compile(caption)).first).to_be_visible()
    assert exceptions(page) == []


def test_switching_to_spanish_keeps_the_page(server, page):
    open_page(page, server.url, "training-toolbox", lang="en")
    expect(page.locator("h1").first).to_contain_text(TITLE["en"])
    select_option(page, "app_lang", "Español")
    page.wait_for_url(re.compile(r"lang=es"), timeout=30_000)
    wait_idle(page)
    expect(page.locator("h1").first).to_contain_text(TITLE["es"])
    expect(page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Caja de herramientas")).to_have_count(1)
    expect(path_traces(page)).to_have_count(11, timeout=30_000)  # the bowl's race, drawn again in Spanish
    assert exceptions(page) == []
