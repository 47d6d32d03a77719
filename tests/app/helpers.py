"""Helpers for Streamlit AppTest tests: open a page through the real app frame."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def open_page(page: str, lang: str = "en", timeout: float = 60) -> AppTest:
    """Run ``app.py`` and switch to the page whose URL path is ``page``; returns the AppTest after the run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = lang
    at.run()
    if page != "home":
        at.switch_page(page_path(page))
        at.run()
    return at


def page_path(page: str) -> str:
    """The file of the page whose URL path is ``page`` (``ui.chrome.PAGES``): a folder's ``lab/<folder>/page.py``."""
    from ui.chrome import PAGES

    return next(path for path, url, *_ in PAGES if url == page)


def assert_clean(at: AppTest) -> None:
    """No exception element and no error box on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def by_key(at: AppTest, kind: str, key: str):
    """The widget of type ``kind`` (``"button"``, ``"slider"``...) with ``key``."""
    return getattr(at, kind)(key=key)
