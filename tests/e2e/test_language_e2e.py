"""Switch the whole lab to Español in the browser, visit every page, find no English; and back."""

import re

from core import i18n
from tests.e2e.helpers import exceptions, open_page, select_option, wait_idle
from ui.chrome import PAGES

NAV = {lang: [i18n.translator(lang)(key) for _, _, key, _ in PAGES] for lang in i18n.LANGUAGES}  # menu order
# Words that only an English sentence or label would contain.
_WORDS = ("the and with which your this that when what how why training learning weights show "
          "start stop step reset choose draw upload clear prediction accuracy epoch epochs layer "
          "layers hidden output sample samples loading").split()
# lower-case or Capitalised, never ALL CAPS: "AND" is the name of a logic gate in both languages
ENGLISH = re.compile(r"\b(" + "|".join(w + "|" + w.capitalize() for w in _WORDS) + r")\b")


def english_sentences():
    """English catalog texts that differ in Spanish, long enough to be unambiguous."""
    en, es = i18n.catalog("en"), i18n.catalog("es")
    return [v for k, v in en.items() if isinstance(v, str) and len(v) >= 20 and v != es.get(k)
            and "{" not in v and "$" not in v and "\\" not in v and "**" not in v]


def main_text(page) -> str:
    """Visible text of the page body, without Material icon ligatures (``draw``, ``home``)."""
    return page.locator("[data-testid='stMain']").evaluate(
        """m => { const c = m.cloneNode(true);
                  c.querySelectorAll('[data-testid="stIconMaterial"]').forEach(e => e.remove());
                  document.body.appendChild(c); const t = c.innerText; c.remove(); return t; }""")


def choose_language(page, label: str) -> None:
    select_option(page, "app_lang", label)


def nav_links(page):
    return page.locator("[data-testid='stSidebarNav'] a")


def test_switch_to_spanish_everywhere_and_back(server, page):
    open_page(page, server.url, "")
    choose_language(page, "Español")
    page.wait_for_url(re.compile(r"lang=es"), timeout=30_000)
    sentences = english_sentences()
    for label in NAV["es"]:
        nav_links(page).filter(has_text=label).first.click()
        wait_idle(page)
        page.wait_for_timeout(500)
        assert "lang=es" in page.url, f"language lost on the way to {label}"
        assert exceptions(page) == []
        text = main_text(page)
        words = sorted({m.group(0).lower() for m in ENGLISH.finditer(text)})
        assert not words, f"English words on '{label}': {words}"
        leaked = [s for s in sentences if s in text]
        assert not leaked, f"English texts on '{label}': {leaked[:3]}"
    choose_language(page, "English")
    page.wait_for_url(re.compile(r"lang=en"), timeout=30_000)
    for label in NAV["en"]:
        nav_links(page).filter(has_text=label).first.click()
        wait_idle(page)
        assert exceptions(page) == []
    last = NAV["en"][-1].split()[0]  # the last page visited (the menu's last), in English
    assert last in page.locator("h1").first.inner_text(), last


def test_spanish_link_can_be_shared(server, page):
    open_page(page, server.url, "convolution", lang="es")
    labels = [t.strip().splitlines()[-1] for t in nav_links(page).all_inner_texts()]
    assert labels == NAV["es"]
