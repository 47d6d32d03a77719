"""Helpers for browser tests: open pages, wait for Streamlit to settle, find widgets by key."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

APP_TIMEOUT_MS = 90_000


# The script's run state as the front end itself exposes it on the app root (Streamlit's own
# e2e tests wait on it): "initial" before the first run, "running" while a run (or a fragment's
# run) is in progress, "notRunning" when it has ended.
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def wait_idle(page: Page, timeout_ms: int = APP_TIMEOUT_MS, settle_ms: int = 150) -> None:
    """Wait until the app is drawn and no script run is in progress: the run state must read
    ``notRunning`` twice, ``settle_ms`` apart, so a rerun that a widget queued has started."""
    page.wait_for_selector("[data-testid='stMain']", timeout=timeout_ms)
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def open_page(page: Page, base_url: str, path: str = "", lang: str = "en") -> Page:
    """Go to ``base_url/path?lang=...`` and wait until the page is drawn."""
    sep = "&" if "?" in path else "?"
    page.goto(f"{base_url}/{path}{sep}lang={lang}")
    # every page has a title; a first visit may rerun once before drawing it (deep links)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=APP_TIMEOUT_MS)
    page.wait_for_selector("[data-testid='stSidebarNav'] a", timeout=APP_TIMEOUT_MS)
    wait_idle(page)
    return page


def by_key(page: Page, key: str) -> Locator:
    """The element Streamlit tags with ``st-key-<key>`` (widgets and containers with a key)."""
    return page.locator(f".st-key-{key}")


def exceptions(page: Page) -> list[str]:
    """Texts of any exception boxes on the page (should be empty)."""
    return page.locator("[data-testid='stException']").all_inner_texts()


def select_option(page: Page, key: str, label: str) -> None:
    """Choose ``label`` in the selectbox with ``key`` (Streamlit 1.67 uses a combobox)."""
    option = page.get_by_role("option", name=label, exact=True)
    for attempt in range(3):  # a rerun that redraws the box closes its open list: open it again
        by_key(page, key).get_by_role("combobox").click()
        try:
            option.click(timeout=10_000)
            break
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; the last try raises below
            if attempt == 2:
                raise
            wait_idle(page)
    wait_idle(page)
