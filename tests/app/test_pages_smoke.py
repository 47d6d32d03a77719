"""Every page opens through the real app frame, in both languages, without an exception."""

import re

import pytest

from tests.app.helpers import assert_clean, open_page
from ui.chrome import PAGES as APP_PAGES

PAGES = [url or "home" for _, url, _, _ in APP_PAGES]  # every page of the menu
SECTIONS = ["common", "nav", "home", "perceptron", "playground", "activations", "convolution", "classifier",
            "gan", "recurrent", "transfer", *(path.split("/")[1] for path, *_ in APP_PAGES if path.startswith("lab/"))]
KEY_LIKE = re.compile(r"\b(?:" + "|".join(SECTIONS) + r")\.[a-z_]+(?:\.[a-z_0-9]+)*\b")


def visible_texts(at) -> list[str]:
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "success", "error", "metric"):
        for element in getattr(at, kind):
            texts.append(str(getattr(element, "value", "")) + " " + str(getattr(element, "label", "")))
    for kind in ("button", "selectbox", "slider", "radio", "checkbox", "toggle", "number_input",
                 "text_input", "multiselect", "select_slider", "tabs"):
        for element in getattr(at, kind, []):
            texts.append(str(getattr(element, "label", "")))
    return texts


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("page", PAGES)
def test_page_opens_cleanly(page, lang):
    at = open_page(page, lang=lang)
    assert_clean(at)
    assert at.title, "every page starts with a title"
    leaked = [m.group(0) for text in visible_texts(at) for m in KEY_LIKE.finditer(text)]
    assert not leaked, f"untranslated keys shown on {page} ({lang}): {leaked}"


def test_language_comes_from_the_url():
    assert open_page("home", lang="es").title[0].value == "Laboratorio de redes neuronales"
    assert open_page("home", lang="en").title[0].value == "Neural Network Lab"
