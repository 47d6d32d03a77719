"""Ownership is the browser's, not the tab's: after F5, or a closed tab reopened, the student's
own DCGAN job is still theirs to stop; another browser (a classmate) cannot stop it."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.helpers import exceptions, open_page
from tests.e2e.test_reliability_e2e import RUNNING, start_small_gan


def signed_by(server, token: str) -> bool:
    """Whether ``token`` is ``owner.HMAC(owner)`` under the secret the server created in its home."""
    secret = (Path(server.home) / "identity.secret").read_text().strip().encode()
    owner, _, sig = token.partition(".")
    return hmac.compare_digest(sig, hmac.new(secret, owner.encode(), hashlib.sha256).hexdigest())


def test_reload_and_a_reopened_tab_keep_the_own_job_stoppable(server, browser):
    mine = browser.new_context(viewport={"width": 1400, "height": 1000})
    classmate = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = mine.new_page()
        open_page(page, server.url, "gan")
        token = next(c["value"] for c in mine.cookies() if c["name"] == "nnlab_id")
        assert signed_by(server, token)
        cookie = next(c for c in mine.cookies() if c["name"] == "nnlab_id")
        assert cookie["path"] == "/" and cookie["sameSite"] == "Lax" and cookie["expires"] > 0
        start_small_gan(page, epochs=40)
        expect(page.get_by_text(RUNNING).first).to_be_visible(timeout=180_000)

        page.reload()  # F5: a new Streamlit session, the same browser
        open_page(page, server.url, "gan")
        sidebar = page.locator("[data-testid='stSidebar']")
        expect(sidebar.get_by_text("yours").first).to_be_visible(timeout=30_000)
        expect(sidebar.get_by_role("button", name="Stop")).to_have_count(1)
        expect(page.locator("[class*='st-key-gan_job_stop_']")).to_have_count(1)  # the page's panel too
        assert next(c["value"] for c in mine.cookies() if c["name"] == "nnlab_id") == token  # not rewritten

        other = classmate.new_page()  # another browser: its own identity, no Stop on my job
        open_page(other, server.url, "gan")
        other_token = next(c["value"] for c in classmate.cookies() if c["name"] == "nnlab_id")
        assert other_token != token and signed_by(server, other_token)
        expect(other.locator("[data-testid='stSidebar']").get_by_text(RUNNING).first).to_be_visible(timeout=30_000)
        expect(other.locator("[data-testid='stSidebar']").get_by_role("button", name="Stop")).to_have_count(0)

        page.close()  # the tab closed, then opened again
        page = mine.new_page()
        open_page(page, server.url, "gan")
        stop = page.locator("[class*='st-key-gan_job_stop_']").get_by_role("button")
        expect(stop).to_have_count(1, timeout=30_000)
        stop.click()
        expect(page.locator("[data-testid='stSidebar']").get_by_text("No job is running.")).to_be_visible(
            timeout=60_000)
        assert exceptions(page) == [] and exceptions(other) == []
    finally:
        mine.close()
        classmate.close()
