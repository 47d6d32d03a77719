"""The browser tests' ``wait_idle`` waits for the script's real run state, not for a status
widget this configuration never shows: a test can no longer pass on a half-drawn page."""

import time

from tests.e2e.conftest import Server
from tests.e2e.helpers import IDLE, wait_idle

STATE = "() => document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-script-state')"
OLD_IDLE = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"] "
            "[data-testid=\"stStatusWidgetRunningIcon\"]')"
            " && document.querySelector('[data-testid=\"stMain\"]') !== null")


def test_wait_idle_returns_only_after_the_run_and_the_old_check_did_not():
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, FLAGS

    srv = Server().start()  # a cold server: the classifier page's first run takes seconds
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{srv.url}/classifier?lang=en")
            old_said_idle_while_running = False
            deadline = time.time() + 60
            while time.time() < deadline:  # watch the first run as it happens
                state = page.evaluate(STATE)
                if state == "running" and page.evaluate(OLD_IDLE):
                    old_said_idle_while_running = True
                    break
                if state == "notRunning":
                    break
                page.wait_for_timeout(20)
            wait_idle(page)
            assert page.evaluate(STATE) == "notRunning"
            assert page.locator(IDLE).count() == 1
            # the page is whole: its title and the drawing canvas's frame are there
            assert page.locator("[data-testid='stMain'] h1").count() >= 1
            browser.close()
    finally:
        srv.stop()
    assert old_said_idle_while_running, "the old check never saw the run in progress"
