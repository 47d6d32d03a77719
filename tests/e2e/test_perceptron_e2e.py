"""Browser: step the perceptron through AND (one click, one example), switch to XOR, train the
XOR network."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import by_key, exceptions, open_page, wait_idle


def click(page, key):
    by_key(page, key).get_by_role("button").click()
    wait_idle(page)


def test_and_converges_step_by_step_then_xor_cycles(server, page):
    open_page(page, server.url, "perceptron")
    progress = page.get_by_text(re.compile(r"Example \d+ of 12"))
    shown = 0
    for shown in range(12):  # one click, one example: the AND run takes 12 (3 epochs of 4)
        click(page, "perceptron_step")
        expect(progress).not_to_have_text(f"Example {shown} of 12", timeout=30_000)
        now = int(re.search(r"Example (\d+)", progress.inner_text()).group(1))
        assert now == shown + 1, f"one click went from example {shown} to {now}"
    expect(page.get_by_text("Converged after 3 epochs")).to_be_visible()
    expect(page.get_by_text("Example 12 of 12")).to_be_visible()
    by_key(page, "perceptron_gate").get_by_role("radio", name="XOR", exact=True).click()
    wait_idle(page)
    click(page, "perceptron_to_end")
    expect(page.get_by_text("No convergence").first).to_be_visible()
    assert exceptions(page) == []


def test_xor_network_trains_in_the_background(server, page):
    open_page(page, server.url, "perceptron")
    epochs = by_key(page, "perceptron_epochs").locator("input")
    epochs.fill("60")
    epochs.press("Enter")
    wait_idle(page)
    click(page, "perceptron_train")
    expect(page.get_by_text("Training finished.").first).to_be_visible(timeout=120_000)
    expect(page.get_by_text("Outputs on (0, 0)")).to_be_visible(timeout=30_000)
    assert exceptions(page) == []
