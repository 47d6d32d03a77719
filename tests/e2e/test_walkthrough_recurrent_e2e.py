"""Issue 36 on the recurrent page, in the browser: "Play" shows the digit being read row by row
(the answer after row 1, 2, ... 28 on screen one after the other), then stops by itself."""

import re

import pytest
from playwright.sync_api import expect

from core import i18n
from tests.e2e.helpers import by_key, exceptions, open_page, wait_idle


@pytest.mark.parametrize("lang, width", [("en", 1400), ("es", 390)])
def test_play_reads_the_digit_row_by_row(browser, server, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 1000}, is_mobile=width < 500,
                                  has_touch=width < 500)
    page = context.new_page()
    t = i18n.translator(lang)
    open_page(page, server.url, "recurrent", lang)
    play = by_key(page, "recurrent_play_button").get_by_role("button")
    expect(play).to_be_visible(timeout=120_000)
    play.click()
    expect(by_key(page, "recurrent_pause").get_by_role("button")).to_be_visible(timeout=30_000)
    label = re.compile(re.escape(t("recurrent.read.answer", rows="@")).replace("@", r"(\d+)"))
    seen: list[int] = []
    for _ in range(120):  # 28 rows at 0.4 s: about 11 s (a busy machine may skip some)
        found = label.search(page.locator("[data-testid='stMain']").inner_text())
        row = int(found.group(1)) if found else None
        # the answer below Pause may still be the page's last (row 28) for a moment: count from a row < 28
        if row is not None and (seen or row < 28) and (not seen or row != seen[-1]):
            seen.append(row)
        if seen and seen[-1] == 28:
            break
        page.wait_for_timeout(200)
    assert seen and seen[-1] == 28, seen
    assert len(seen) >= 8 and seen == sorted(seen), seen  # one row after the other, upwards
    expect(play).to_be_visible(timeout=30_000)  # stopped by itself, ready to play again
    wait_idle(page)
    assert exceptions(page) == []
    context.close()
