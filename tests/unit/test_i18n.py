"""Translation files: both languages have the same keys, and no text is empty."""

import json
import re

import pytest

from core import i18n

PLACEHOLDER = re.compile(r"{(\w+)}")


def test_same_keys_in_every_language():
    en = i18n.catalog("en")
    for lang in i18n.LANGUAGES:
        other = i18n.catalog(lang)
        assert sorted(set(en) - set(other)) == [], f"missing in {lang}"
        assert sorted(set(other) - set(en)) == [], f"only in {lang}"


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_no_empty_text_and_same_placeholders(lang):
    en, texts = i18n.catalog("en"), i18n.catalog(lang)
    for key, text in texts.items():
        assert text not in ("", None, []), f"{lang}: {key} is empty"
        if isinstance(text, str) and not key.endswith("formula"):  # LaTeX braces are not placeholders
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(en[key])), key


def test_lessons_have_all_parts():
    en = i18n.catalog("en")
    sections = {key.split(".")[0] for key in en if ".lesson." in key}
    for section in sections:
        for part in ("idea", "formula", "try", "questions"):
            assert f"{section}.lesson.{part}" in en, f"{section} lesson lacks {part}"
        questions = en[f"{section}.lesson.questions"]
        assert 2 <= len(questions) <= 4 and all({"q", "a"} <= set(q) for q in questions)


def test_files_are_valid_json_objects():
    for path in [*i18n.I18N_DIR.glob("*/*.json"), *i18n.lesson_files("en"), *i18n.lesson_files("es")]:
        assert isinstance(json.loads(path.read_text(encoding="utf-8")), dict), path


def test_translator_formats_and_falls_back():
    t = i18n.translator("es")
    assert t("common.status_queued", position=2) == "en cola, posición 2"
    assert t("no.such.key") == "no.such.key"
    assert i18n.normalise_language("ES-es") == "es" and i18n.normalise_language("xx") == "en"
    with pytest.raises(ValueError, match="unknown language"):
        i18n.catalog("fr")


def test_relabel_carries_translated_labels_to_the_new_language():
    en, es = i18n.catalog("en"), i18n.catalog("es")
    values = {"gan_tab": en["gan.tabs.drawing"], "transfer_tab": en["transfer.tabs.try"],
              "gan_seed": 7, "free_text": "not a label of the lab 1234"}
    out = i18n.relabel(values, "en", "es")
    assert out == {"gan_tab": es["gan.tabs.drawing"], "transfer_tab": es["transfer.tabs.try"]}
    assert i18n.relabel(out, "es", "en") == {"gan_tab": en["gan.tabs.drawing"],
                                             "transfer_tab": en["transfer.tabs.try"]}
