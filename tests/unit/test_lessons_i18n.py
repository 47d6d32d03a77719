"""How the lessons are written: numbers per language, plurals, Spanish from Spain, accessible charts."""

import re

import numpy as np
import pytest

from core import i18n
from ui import display, plots


def test_numbers_follow_the_language():
    assert i18n.format_number(118_282, "en", ",") == "118,282"
    assert i18n.format_number(118_282, "es", ",") == "118.282"
    assert i18n.format_number(0.975, "en", ".1%") == "97.5%"
    assert i18n.format_number(0.975, "es", ".1%") == "97,5\u00a0%"
    assert i18n.format_number(1234.5, "es", ",.1f") == "1.234,5"
    assert i18n.format_number(np.float32(0.25), "es", ".2f") == "0,25"
    es = i18n.translator("es")
    assert es("classifier.train.summary", params=140_682) == "Resumen del modelo: 140.682 parámetros"
    assert es("classifier.train.summary", params="?") == "Resumen del modelo: ? parámetros"  # no crash on text
    assert "60,000" in i18n.translator("en")("home.data_full", n_train=60_000, n_test=10_000)
    assert es("common.status_queued", position=2) == "en cola, posición 2"  # plain integers untouched


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_counts_pick_singular_or_plural(lang):
    t = i18n.translator(lang)
    one = t("classifier.eval.cell", n=1, true=3, pred=5)
    many = t("classifier.eval.cell", n=1234, true=3, pred=5)
    assert one.startswith("1 ") and not re.search(r"\b(images|imágenes)\b", one)
    assert many.startswith(i18n.format_number(1234, lang, ",") + " ")
    assert not re.search(r"\b1 (drawings|dibujos)\b", t("classifier.draw.saved", n=1))
    assert re.search(r"\b7 (drawings|dibujos)\b", t("classifier.draw.saved", n=7))


SPANISH_FROM_ELSEWHERE = ["agrega", "achica", "dibujaste", "equivocó", "corre en segundo plano", "las falsas",
                          "traspuest", "acierto", "abandono"]


def test_spanish_is_from_spain_with_one_term_each():
    texts = " ".join(str(v) for v in i18n.catalog("es").values()).lower()
    found = [word for word in SPANISH_FROM_ELSEWHERE if word in texts]
    assert not found, found
    for term in ("dropout", "exactitud", "transpuesta"):
        assert term in texts


def test_show_hides_the_mode_bar_and_needs_a_title():
    calls = []

    class Where:
        def plotly_chart(self, fig, **kwargs):
            calls.append(kwargs)

        def caption(self, text):
            calls.append({"caption": text})

    display.show(plots.lines({"a": [1, 2]}, "Loss"), key="k", where=Where(), text="falls from 2 to 1")
    assert calls[0]["config"]["displayModeBar"] is False and calls[0]["key"] == "k"
    assert calls[1] == {"caption": "falls from 2 to 1"}
    with pytest.raises(ValueError, match="title"):
        display.show(plots.lines({"a": [1, 2]}, band=(0, 1, "a band is not a title")), where=Where())
    display.show(plots.lines({"a": [1, 2]}), where=Where(), title="Named here")
    panels = plots.heatmap_panels([{"z": np.zeros((2, 2)), "title": "A"}, {"z": np.ones((2, 2)), "title": "B"}])
    assert display.figure_title(panels) == "A · B"


def test_top_text_lists_the_largest_values_first():
    probs = np.array([0.01, 0.05, 0, 0, 0, 0, 0, 0.92, 0, 0.02])
    assert display.top_text(list(range(10)), probs, "en") == "7: 92%, 1: 5%, 9: 2%"
    assert display.top_text(list(range(10)), probs, "es", k=1) == "7: 92\u00a0%"


def test_model_labels_and_recorded_devices_are_translated():
    es, en = i18n.translator("es"), i18n.translator("en")
    assert i18n.model_label(es, "gan-improved", True) == "gan-improved (incluido)"
    assert i18n.model_label(en, "cnn-1", False) == "cnn-1 (yours)"
    assert i18n.device_text(es, "CPU (2 cores)") == es("common.device_cpu", cores=2) != "CPU (2 cores)"
    assert i18n.device_text(es, "GPU: H200") == "GPU: H200"
