"""Errors a student can fix, with a code and values, shown in the session's language.

``InputError("upload.too_many_pixels", name=..., pixels=..., limit=...)`` is a
``ValueError``: code that catches ``ValueError`` keeps working, and ``str()`` is a
readable English message (for logs, tests and the command line). The page guard
(``ui.chrome.guard``) renders the same code through the i18n catalogs instead:
the text is ``assets/i18n/<lang>/errors.json`` → ``<code>``, the numbers are kept and
written the way the language writes them (``25,000,000`` / ``25.000.000``).

A value under the key ``param`` is the name of a parameter (``"padding"``) and is
translated too (``errors.param.padding``); text values such as file names are shown
as literal text, never as Markdown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from core import i18n

PREFIX = "errors."


class InputError(ValueError):
    """Bad input with a message code (``section.name`` in ``errors.json``) and its values."""

    def __init__(self, code: str, **values: Any):
        self.code = code
        self.values = values
        super().__init__(render(i18n.translator("en"), code, values))


def _number(value: float, t: Callable[..., Any]) -> str:
    thousands, decimal = t(f"{PREFIX}format.thousands"), t(f"{PREFIX}format.decimal")
    group_from = int(t(f"{PREFIX}format.group_from"))
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        whole = int(value)
        text = f"{whole:,}" if abs(whole) >= group_from else str(whole)
        return text.replace(",", thousands)
    return f"{value:.4g}".replace(".", decimal)


def _literal(text: str) -> str:
    """``text`` as a Markdown code span: shown exactly as written (file names with ``*``, ``[``...)."""
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _as_number(value: Any) -> int | float | None:
    if hasattr(value, "item") and type(value).__module__.startswith("numpy"):
        value = value.item()  # numpy scalars
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return None


def format_value(value: Any, t: Callable[..., Any], markdown: bool = False) -> str:
    """One value as text in ``t``'s language: numbers localised, text literal when ``markdown``."""
    number = _as_number(value)
    if number is not None:
        return _number(number, t)
    if isinstance(value, (tuple, list)):
        if value and all(_as_number(v) is not None for v in value):  # a shape: 20000×8
            return "×".join(format_value(v, t) for v in value)
        return ", ".join(format_value(v, t, markdown) for v in value)
    text = str(value)
    return _literal(text) if markdown else text


def render(t: Callable[..., Any], code: str, values: dict[str, Any], markdown: bool = False) -> str:
    """The text of ``code`` in ``t``'s language with ``values`` filled in."""
    shown = {}
    for key, value in values.items():
        if key == "param":
            shown[key] = t(f"{PREFIX}param.{value}")
        else:
            shown[key] = format_value(value, t, markdown)
    if "param" in shown and str(t(f"{PREFIX}{code}")).startswith("{param}"):
        shown["param"] = shown["param"][:1].upper() + shown["param"][1:]  # it starts the sentence
    return str(t(f"{PREFIX}{code}", **shown))


def message(t: Callable[..., Any], exc: BaseException, markdown: bool = True) -> str:
    """What to show for ``exc``: its translated text if it is an ``InputError``, else its own."""
    if isinstance(exc, InputError):
        return render(t, exc.code, exc.values, markdown)
    return escape_markdown(str(exc)) if markdown else str(exc)


def escape_markdown(text: str) -> str:
    """``text`` with every Markdown (and Streamlit ``$``/``:`` directive) character escaped."""
    return re.sub(r"([\\`*_\[\]{}()#+\-.!|<>~:$])", r"\\\1", text)


def check_range(value: Any, param: str, low: float, high: float, whole: bool = True) -> Any:
    """``value`` if it is a number in ``[low, high]`` (a whole one when ``whole``), else ``InputError``.

    The message names the parameter, the value and the allowed range.
    """
    number = _as_number(value)
    if number is None or (whole and not isinstance(number, int)):
        raise InputError("value.not_whole" if whole else "value.not_number", param=param, value=repr(value))
    value = number
    if not (math.isfinite(value) and low <= value <= high):
        raise InputError("value.range", param=param, value=value, low=low, high=high)
    return value
