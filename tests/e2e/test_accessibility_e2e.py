"""axe-core on every page and tab, in English and Spanish: no serious or critical violation.

axe-core is the npm package ``axe-core`` (``.ci/run`` installs it with
``npm install --prefix tests/e2e/axe axe-core@4``); the test is skipped when it is missing.
Each page is checked with its lesson open, then once per tab (DCGAN, MNIST classifier, recurrent networks, transfer learning).
Set ``AXE_PAGES=gan,home`` to check only some pages while working on them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core import i18n
from tests.e2e.helpers import open_page, wait_idle

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.skipif(not AXE.exists(), reason="npm install --prefix tests/e2e/axe axe-core@4")

# (url path, number of tabs); "" is the home page
PAGES = [("", 0), ("perceptron", 0), ("playground", 0), ("activations", 0), ("convolution", 0), ("classifier", 3),
         ("cnn-explainer", 0), ("gan", 7), ("recurrent", 4), ("transfer", 5)]
WANTED = os.environ.get("AXE_PAGES")
CHOSEN = [p for p in PAGES if not WANTED or (p[0] or "home") in WANTED.split(",")]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + ', ' + v.nodes.length + '): ' + v.help + ' | '
         + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '')
                                         .replace(/\\s+/g, ' ').slice(0, 160)).join(' || '));
}"""


def violations(page) -> list[str]:
    """Serious and critical axe violations of what the page shows now."""
    # elements left from the previous run are faded (low contrast) until the new run replaces them
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, TAGS)


def open_lesson(page, lang: str) -> None:
    page.get_by_text(i18n.translator(lang)("common.lesson"), exact=True).first.click()
    page.wait_for_timeout(300)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("path", "tabs"), CHOSEN, ids=[p[0] or "home" for p in CHOSEN])
def test_no_serious_axe_violation(server, page, path: str, tabs: int, lang: str):
    open_page(page, server.url, path, lang=lang)
    found: dict[str, list[str]] = {}
    if path:
        open_lesson(page, lang)
    found["page"] = violations(page)
    for i in range(tabs):
        tab = page.get_by_role("tab").nth(i)
        tab.click()
        wait_idle(page)
        page.wait_for_timeout(1500)  # tabs draw their charts and images after the script run
        wait_idle(page)
        found[f"tab {i + 1} ({tab.inner_text()})"] = violations(page)
    bad = {where: v for where, v in found.items() if v}
    assert not bad, "\n".join(f"{where}: {line}" for where, lines in bad.items() for line in lines)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_html_lang_and_page_titles_follow_the_session(server, page, lang: str):
    titles = set()
    for path, _ in CHOSEN:
        open_page(page, server.url, path, lang=lang)
        page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=lang, timeout=10_000)
        titles.add(page.title())
    assert len(titles) == len(CHOSEN), f"page titles repeat: {sorted(titles)}"


@pytest.mark.skipif(WANTED is not None and "classifier" not in WANTED.split(","), reason="AXE_PAGES")
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_test_image_chosen_from_the_keyboard_is_announced(server, page, lang: str):
    """No mouse: pick "A test image" with the keyboard; the prediction reaches a live region."""
    t = i18n.translator(lang)
    open_page(page, server.url, "classifier", lang=lang)
    page.get_by_role("radio", name=t("classifier.draw.source_example")).focus()
    page.keyboard.press("Space")
    wait_idle(page)
    status = page.locator("[role='status'][aria-live='polite']")
    prefix = t("classifier.draw.announce", digit=0, conf=0.5).split(":")[0]
    status.filter(has_text=prefix).first.wait_for(state="attached", timeout=60_000)
    assert violations(page) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_serious_axe_violation_on_a_phone(server, browser, lang: str):
    """At 390 px wide, with each lesson open: formulas wider than the screen scroll in a box
    that the keyboard can reach (a tab stop while, and only while, it overflows)."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    found, wide = {}, 0
    try:
        for path, _ in CHOSEN:
            if not path:
                continue
            open_page(page, server.url, path, lang=lang)
            open_lesson(page, lang)
            found[path] = violations(page)
            boxes = page.evaluate("() => [...document.querySelectorAll('.katex-display')].map("
                                  "e => [e.scrollWidth > e.clientWidth + 1, e.getAttribute('tabindex')])")
            assert all((tab == "0") == over for over, tab in boxes), (path, boxes)
            wide += sum(over for over, _ in boxes)
    finally:
        context.close()
    assert wide or WANTED, "no formula overflows a phone: the check above checked nothing"
    bad = {where: v for where, v in found.items() if v}
    assert not bad, "\n".join(f"{where}: {line}" for where, lines in bad.items() for line in lines)
