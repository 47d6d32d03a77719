"""The app frame in a real browser: every page opens, deep links work, language switches."""

import pytest

from core import i18n
from tests.e2e.conftest import Server
from tests.e2e.helpers import by_key, exceptions, open_page, wait_idle
from ui.chrome import PAGES as APP_PAGES

PAGES = {"": "neural network lab", "perceptron": "perceptron", "playground": "playground", "activations": "activation",
         "training-toolbox": "toolbox", "convolution": "convolution", "classifier": "mnist", "cnn-explainer": "cnn",
         "gan": "dcgan", "gan-lab": "gan", "recurrent": "recurrent", "transfer": "transfer"}  # in the h1, any case
NAV_LABELS = [i18n.translator("en")(key) for _, _, key, _ in APP_PAGES]  # the menu, in its order


def nav_labels(page):
    # each link is "<icon ligature>\n\n<label>": keep the label
    return [t.strip().splitlines()[-1] for t in page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()]


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_opens(server, page, path):
    open_page(page, server.url, path)
    assert exceptions(page) == []
    assert PAGES[path] in page.locator("h1").first.inner_text().lower()
    assert nav_labels(page) == NAV_LABELS


def test_deep_link_first_on_a_fresh_server(page):
    """A bookmarked /classifier opened before anyone visited the home page."""
    fresh = Server().start()
    try:
        open_page(page, fresh.url, "classifier")
        assert exceptions(page) == []
        assert nav_labels(page) == NAV_LABELS  # the app's navigation, not pages/ discovery
        assert "MNIST" in page.locator("h1").first.inner_text()
        assert by_key(page, "app_lang").count() == 1  # the language selector of the frame
        page.locator("[data-testid='stSidebarNav'] a", has_text="Home").click()
        wait_idle(page)
        assert "Neural Network Lab" in page.locator("h1").first.inner_text()
    finally:
        fresh.stop()


def test_sidebar_shows_device_and_tensorflow(server, page):
    open_page(page, server.url, "")
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "Device:" in sidebar and "TensorFlow" in sidebar
