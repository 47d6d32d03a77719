"""Issue 36's rough edges on the playground, caught coming back in the browser: every tap on the
point plane adds a point on a phone, one epoch number on screen while a network trains, a link
that can be copied."""

import pytest
from playwright.sync_api import expect

from core import i18n
from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle

VIEW = 1.2  # the plane's axes cover [-VIEW, VIEW]² (ui.playground_plots.VIEW)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def plane_title(page):
    return by_key(page, "playground_plane").locator(".gtitle").first


def tap_at(page, x1: float, x2: float) -> None:
    """Tap the own-points plane with a finger at data coordinates ``(x1, x2)``."""
    area = by_key(page, "playground_plane").locator(".nsewdrag").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    page.touchscreen.tap(box["x"] + (x1 + VIEW) / (2 * VIEW) * box["width"],
                         box["y"] + (VIEW - x2) / (2 * VIEW) * box["height"])
    wait_idle(page)


def test_every_tap_on_the_point_plane_adds_a_point_on_a_phone(server, phone):
    t = i18n.translator("en")
    open_page(phone, server.url, "playground")
    select_option(phone, "playground_dataset", t("playground.datasets.own"))
    expect(plane_title(phone)).to_contain_text("(0)")
    # eight different places, the next one always beside the last (half were lost before:
    # a tap selected the place the previous tap had hovered)
    places = [(-0.9 + 0.2 * i, -0.8 + 0.1 * (i % 2)) for i in range(8)]
    for n, (x1, x2) in enumerate(places, 1):
        tap_at(phone, x1, x2)
        expect(plane_title(phone)).to_contain_text(f"({n})", timeout=20_000)
    assert exceptions(phone) == []
