"""The browser tests' ``wait_idle`` waits for the script's real run state, not for a status
widget this configuration never shows: a test can no longer pass on a half-drawn page."""

from tests.e2e.helpers import IDLE, open_page, wait_idle

STATE = "() => document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-script-state')"
# Every animation frame from the first: the run state, and what the old wait_idle's check said.
WATCH = """
window.__seen = [];
const look = () => {
  const app = document.querySelector("[data-testid='stApp']");
  const oldIdle = !document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]')
                  && document.querySelector('[data-testid="stMain"]') !== null;
  if (app) window.__seen.push([app.getAttribute("data-test-script-state"), oldIdle]);
  requestAnimationFrame(look);
};
requestAnimationFrame(look);
"""


def test_wait_idle_returns_only_after_the_run_and_the_old_check_did_not(server, page):
    page.add_init_script(WATCH)
    open_page(page, server.url, "classifier")  # ends with wait_idle
    assert page.evaluate(STATE) == "notRunning"
    assert page.locator(IDLE).count() == 1
    seen = page.evaluate("window.__seen")
    # while the page's run was in progress, the old check already said "idle"
    assert any(state == "running" and old for state, old in seen), sorted({s for s, _ in seen})
    # and the new one waits: after a widget change it returns only once the run has ended
    page.get_by_role("tab").nth(2).click()
    wait_idle(page)
    assert page.evaluate(STATE) == "notRunning"
