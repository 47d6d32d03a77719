"""Translations: every visible text of the lab, in English and Spanish.

Texts live in ``assets/i18n/<lang>/<section>.json`` (one folder per language, one file
per page or shared section), and a lesson folder keeps its own: ``lab/<lesson>/i18n/<lang>.json``
is the section ``<lesson>``. A key is ``section.path.to.text``; ``translator(lang)``
returns a function ``t(key, **values)`` that formats ``{placeholders}``.

Numbers in placeholders follow the language: ``{n:,}`` is 118,282 in English and 118.282
in Spanish, ``{p:.1%}`` is 97.5% and 97,5 %. A text that depends on a count is an object
``{"one": ..., "other": ...}``: ``t(key, n=1)`` picks ``one``, any other ``n`` picks ``other``.
"""

from __future__ import annotations

import json
import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from core.paths import ASSETS

I18N_DIR = ASSETS / "i18n"
LAB_DIR = ASSETS.parent / "lab"  # lesson folders, each with i18n/<lang>.json
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"

Translator = Callable[..., str]


def _flatten(prefix: str, node: Any, out: dict[str, Any]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}" if prefix else key, value, out)
    else:
        out[prefix] = node


@lru_cache(maxsize=None)
def catalog(lang: str, directory: Path = I18N_DIR) -> dict[str, Any]:
    """All texts of ``lang`` as a flat ``{key: text}`` dict (lists stay lists)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {sorted(LANGUAGES)}")
    texts: dict[str, Any] = {}
    for path in sorted((directory / lang).glob("*.json")):
        _flatten(path.stem, json.loads(path.read_text(encoding="utf-8")), texts)
    if directory == I18N_DIR:
        for path in lesson_files(lang):
            _flatten(path.parent.parent.name, json.loads(path.read_text(encoding="utf-8")), texts)
    return texts


def lesson_files(lang: str) -> list[Path]:
    """The texts of the lesson folders in ``lab/`` for ``lang`` (section = folder name)."""
    return sorted(LAB_DIR.glob(f"*/i18n/{lang}.json"))


def relabel(values: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """The entries of ``values`` that are texts of language ``old``, as the same texts in ``new``
    (``{"gan_tab": "Explore"}`` -> ``{"gan_tab": "Explorar"}``); other entries are left out."""
    keys_of = {}
    for key, text in catalog(old).items():
        if isinstance(text, str):
            keys_of.setdefault(text, key)
    texts = catalog(new)
    out = {}
    for name, value in values.items():
        key = keys_of.get(value) if isinstance(value, str) else None
        if key is not None and isinstance(texts.get(key), str) and texts[key] != value:
            out[name] = texts[key]
    return out


def normalise_language(lang: str | None) -> str:
    """``lang`` if supported (case-insensitive), else the default language."""
    lang = (lang or "").lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def translator(lang: str) -> Translator:
    """A ``t(key, **values)`` function for ``lang``.

    A key missing in ``lang`` falls back to English and then to the key itself, so a
    gap shows as ``section.key`` on screen (and the completeness test catches it).
    """
    texts, fallback = catalog(lang), catalog(DEFAULT_LANGUAGE)
    formatter = _NumberFormatter(lang)

    def t(key: str, **values: Any) -> Any:
        if key not in texts and key not in fallback and f"{key}.other" in fallback:
            count = values.get("n", values.get("count"))
            key = f"{key}.one" if count == 1 else f"{key}.other"
        text = texts.get(key, fallback.get(key, key))
        if values and isinstance(text, str):
            return formatter.format(text, **values)
        return text

    return t


# Decimal mark and thousands separator of each language (Spanish from Spain: 118.282,5).
_MARKS = {"en": (".", ","), "es": (",", ".")}


def format_number(value: float, lang: str, spec: str = "") -> str:
    """``format(value, spec)`` with the decimal mark and thousands separator of ``lang``.

    ``format_number(118282, "es", ",")`` is ``"118.282"``; ``format_number(0.975, "es", ".1%")``
    is ``"97,5 %"`` (Spanish puts a non-breaking space before the percent sign).
    """
    text = format(value, spec)
    decimal, thousands = _MARKS.get(lang, _MARKS[DEFAULT_LANGUAGE])
    text = text.translate(str.maketrans({".": decimal, ",": thousands}))
    if lang == "es" and text.endswith("%"):
        text = text[:-1] + "\u00a0%"
    return text


class _NumberFormatter(string.Formatter):
    """``str.format`` that writes numbers the way ``lang`` does (other values unchanged)."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool) or _is_numpy_number(value):
            return format_number(value, self.lang, format_spec)
        try:
            return super().format_field(value, format_spec)
        except ValueError:  # a number's spec ("{n:,}") given text such as "?": show the text
            return str(value)


def _is_numpy_number(value: Any) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "dtype") and value.dtype.kind in "iuf"



def model_label(t: Translator, name: str, shipped: bool, mine: bool = True) -> str:
    """A model's name for selectors in the session's language: ``cnn (shipped)``, ``cnn (incluido)``;
    a saved one is ``(yours)`` only when ``mine``, else ``(a classmate's)``."""
    key = "common.model_shipped" if shipped else "common.model_yours" if mine else "common.model_class"
    return t(key, name=name)


_CPU = re.compile(r"^CPU \((\d+) cores\)$")


def device_text(t: Translator, device: str) -> str:
    """A device recorded on a model card (``"CPU (2 cores)"``) in the session's language."""
    match = _CPU.match(str(device))
    return t("common.device_cpu", cores=int(match.group(1))) if match else str(device)
