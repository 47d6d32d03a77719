"""Browser: the activation page's softmax, and logits it cannot use."""

from playwright.sync_api import expect

from tests.e2e.helpers import by_key, exceptions, open_page, wait_idle


def test_softmax_and_logits_it_cannot_use(server, page):
    open_page(page, server.url, "activations")
    box = by_key(page, "activations_logits").locator("input")
    box.fill("3, oops")
    box.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("is not a list of numbers")).to_be_visible()
    box.fill("1, nan, 3")
    box.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("“nan” is not a finite number")).to_be_visible()
    box.fill("1000, 0, -1000")
    box.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("The most likely class gets 100.0%")).to_be_visible()
    assert exceptions(page) == []
