"""Issue 36's rough edges on the playground, caught coming back in the browser: every tap on the
point plane adds a point on a phone, one epoch number on screen while a network trains, a link
that can be copied."""

import pytest
from playwright.sync_api import expect

from core import i18n
from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle

VIEW = 1.2  # the plane's axes cover [-VIEW, VIEW]² (lab.playground.plots.VIEW)


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


NUMBERS = r"""() => {
  const main = document.querySelector("[data-testid='stMain']").innerText;
  const grab = (re, s) => { const m = s.match(re); return m ? m[1] : null; };
  const metric = document.querySelector("[data-testid='stMetric']");
  return [grab(/epoch (\d+) of \d+/, main), grab(/answer after epoch (\d+)/, main),
          grab(/network after epoch (\d+)/, main), grab(/Epoch\s+(\d+)/, metric ? metric.innerText : "")];
}"""


def agreed_epoch(page, timeout_ms: int = 3000) -> int | None:
    """The one epoch the caption, both pictures' titles and the metric show, once they agree
    (a fragment's elements arrive one after the other: a moment apart they may not yet)."""
    for _ in range(timeout_ms // 100):
        numbers = page.evaluate(NUMBERS)
        if None not in numbers and len(set(numbers)) == 1:
            return int(numbers[0])
        page.wait_for_timeout(100)
    return None


def test_one_epoch_number_on_screen_while_the_network_trains(server, page):
    t = i18n.translator("en")
    open_page(page, server.url, "playground")
    epochs = by_key(page, "playground_epochs").locator("input")
    epochs.fill("2000")
    epochs.press("Enter")
    wait_idle(page)
    by_key(page, "playground_train").get_by_role("button").click()
    expect(page.locator("[data-testid='stMetric']").first).to_be_visible(timeout=120_000)
    seen = []
    for _ in range(5):
        epoch = agreed_epoch(page)
        assert epoch is not None, page.evaluate(NUMBERS)  # caption, pictures and metric agree
        seen.append(epoch)
        page.wait_for_timeout(500)
    assert len(set(seen)) >= 3, seen  # while it trains, not once at the end
    line = page.locator("[data-testid='stSidebar']").get_by_text(t("common.status_on_page"))
    expect(line).to_be_visible(timeout=10_000)  # the sidebar leaves the epoch to the page
    assert "epoch" not in line.inner_text().replace(t("common.status_on_page"), "")
    by_key(page, "playground_pause").get_by_role("button").click()
    wait_idle(page)
    assert exceptions(page) == []


def _overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


@pytest.mark.parametrize("lang, width", [("en", 1400), ("es", 1400), ("es", 390)])
def test_chart_titles_are_whole_and_clear_of_their_legends(browser, server, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 1000}, is_mobile=width < 500,
                                  has_touch=width < 500)
    page = context.new_page()
    t = i18n.translator(lang)
    open_page(page, server.url, "playground", lang)
    epochs = by_key(page, "playground_epochs").locator("input")
    epochs.fill("20")
    epochs.press("Enter")
    wait_idle(page)
    by_key(page, "playground_train").get_by_role("button").click()
    expect(by_key(page, "playground_surface").locator(".gtitle")).to_contain_text(
        t("playground.live.surface_title", epoch=20), timeout=120_000)
    wait_idle(page)
    for key in ("playground_surface", "playground_loss"):
        chart = by_key(page, key)
        chart.scroll_into_view_if_needed()
        box, title = chart.bounding_box(), chart.locator(".gtitle").first.bounding_box()
        assert box["x"] - 1 <= title["x"] and title["x"] + title["width"] <= box["x"] + box["width"] + 1, key
        for legend in chart.locator(".legend").all():
            assert not _overlap(title, legend.bounding_box()), key  # the title is not covered
    assert exceptions(page) == []
    context.close()


REFUSE_CLIPBOARD = """
Object.defineProperty(navigator, "clipboard", {value: {writeText: () => Promise.reject(new Error("denied"))}});
document.execCommand = () => false;
"""


@pytest.mark.parametrize("allowed", [True, False])
def test_copy_link_gives_the_address_or_shows_it_selected(browser, server, allowed):
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  permissions=["clipboard-read", "clipboard-write"] if allowed else [])
    if not allowed:
        context.add_init_script(REFUSE_CLIPBOARD)  # a browser that refuses both ways of copying
    page = context.new_page()
    t = i18n.translator("es")
    open_page(page, server.url, "playground", "es")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    select_option(page, "playground_dataset", t("playground.datasets.spiral"))  # a setting that is not the default
    page.wait_for_function("() => location.search.includes('playground_dataset=')", timeout=30_000)
    box = by_key(page, "playground_copy_link")
    box.locator("button").click()
    said = box.locator("[role='status']")
    field = box.locator("input.address")
    if allowed:
        expect(said).to_have_text(t("links.copied"))
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.url and "playground_dataset=Espiral" in copied and "lang=es" in copied  # settings travel
        expect(field).to_be_hidden()
    else:
        expect(said).to_have_text(t("links.copy_failed"))  # said, not thrown
        expect(field).to_be_visible()
        assert field.input_value() == page.url
        assert field.evaluate("f => f.selectionStart === 0 && f.selectionEnd === f.value.length")  # ready for Ctrl+C
    assert errors == [] and exceptions(page) == []
    context.close()
