"""Translations: every visible text of the lab, in English and Spanish.

Texts live in ``assets/i18n/<lang>/<section>.json`` (one folder per language, one file
per page or shared section). A key is ``section.path.to.text``; ``translator(lang)``
returns a function ``t(key, **values)`` that formats ``{placeholders}``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from core.paths import ASSETS

I18N_DIR = ASSETS / "i18n"
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
    return texts


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

    def t(key: str, **values: Any) -> Any:
        text = texts.get(key, fallback.get(key, key))
        if values and isinstance(text, str):
            return text.format(**values)
        return text

    return t
