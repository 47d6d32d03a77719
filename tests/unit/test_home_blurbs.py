"""Every page in the menu has its card text on the home page, in both languages."""

import pytest

from core import i18n
from ui import chrome


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_page_has_a_home_blurb(lang):
    t = i18n.translator(lang)
    missing = [url for _, url, _, _ in chrome.PAGES[1:] if t(f"home.blurb_{url}") == f"home.blurb_{url}"]
    assert missing == []
