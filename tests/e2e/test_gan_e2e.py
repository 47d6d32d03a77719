"""The DCGAN page in a real browser: moving a latent slider redraws the generated digit."""

import pytest

from core import gan
from tests.e2e.helpers import by_key, exceptions, open_page, wait_idle

pytestmark = pytest.mark.skipif(not gan.shipped_path().exists(), reason="no shipped generator")


def test_latent_slider_changes_the_image(server, page):
    open_page(page, server.url, "gan")
    page.get_by_role("tab", name="Explore").click()
    image = by_key(page, "gan_explore_image").locator("img")
    image.wait_for(timeout=90_000)
    before = image.get_attribute("src")
    slider = by_key(page, "gan_dir_0").get_by_role("slider")
    slider.focus()
    for _ in range(8):  # 8 steps of 0.25: two standard deviations along the top direction
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function(
        "(before) => { const img = document.querySelector('.st-key-gan_explore_image img');"
        " return img && img.getAttribute('src') !== before; }", arg=before, timeout=30_000)
    assert "2.00" in by_key(page, "gan_dir_0").inner_text()
    assert exceptions(page) == []
