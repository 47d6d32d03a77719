"""A page's state as URL query text and back: typed fields, parsing, defaults for bad values.

A shared link holds each control of a page as one query parameter (``?gate=OR&lr=0.5``).
Every parameter is checked against its field (a whole number in a range, a number in a
range, one of a list, on/off, a list of numbers...). A missing parameter leaves the
control alone; a bad or out-of-range one gives the field's default and is reported, so a
page can say which values of the link it ignored. No Streamlit here: ``ui.links`` moves
the values between the URL and the page's widgets.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_TEXT = 200  # longer query values are refused before parsing (a link is not a file)


def _number(text: str) -> float:
    if not text.isascii():  # float() also reads full-width and other scripts' digits ("１２")
        raise ValueError(f"{text!r} is not a plain number")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


def _in_range(value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ValueError(f"{value} is outside [{low}, {high}]")


def _snap(value: float, low: float, step: float | None) -> float:
    """``value`` on the grid ``low + k * step`` (sliders only take values on their steps)."""
    if not step:
        return value
    return round(low + round((value - low) / step) * step, 10)


def _fmt_float(value: float) -> str:
    return format(float(value), ".6g")


@dataclass(frozen=True)
class Field:
    """One query parameter ``name`` for the widget with session key ``key``.

    ``parse`` turns URL text into a value or raises ``ValueError``; ``format`` turns a
    widget's value into URL text. ``keys`` are the session keys the value goes to.
    """

    name: str
    key: str
    default: Any

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key,)

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def format(self, value: Any) -> str:
        return str(value)

    def split(self, value: Any) -> dict[str, Any]:
        """``{session key: value}`` for a parsed value."""
        return {self.key: value}

    def gather(self, state: Mapping[str, Any]) -> Any:
        """The current value from the session's widget values, or ``None`` when absent."""
        return state.get(self.key)


@dataclass(frozen=True)
class IntField(Field):
    """A whole number in ``[low, high]`` (``"7"``; ``"7.0"`` too)."""

    low: int = 0
    high: int = 0

    def parse(self, text: str) -> int:
        number = _number(text)
        if number != int(number):
            raise ValueError(f"{text!r} is not a whole number")
        _in_range(number, self.low, self.high)
        return int(number)

    def format(self, value: Any) -> str:
        return str(int(value))


@dataclass(frozen=True)
class FloatField(Field):
    """A number in ``[low, high]``, moved onto the slider's ``step`` when there is one."""

    low: float = 0.0
    high: float = 1.0
    step: float | None = None

    def parse(self, text: str) -> float:
        number = _number(text)
        _in_range(number, self.low, self.high)
        return min(max(_snap(number, self.low, self.step), self.low), self.high)

    def format(self, value: Any) -> str:
        return _fmt_float(value)


@dataclass(frozen=True)
class ChoiceField(Field):
    """One of ``choices``. URL text is ``text(choice)`` (``str`` unless given: a model's name
    for a model entry); numeric choices also match by value (``0.050`` is the choice ``0.05``)."""

    choices: Sequence[Any] = ()
    text: Callable[[Any], str] = str

    def parse(self, text: str) -> Any:
        for choice in self.choices:
            if self.text(choice) == text:
                return choice
        numbers = [c for c in self.choices if isinstance(c, (int, float)) and not isinstance(c, bool)]
        if numbers:
            try:
                value = _number(text)
            except ValueError:
                value = None
            for choice in numbers:
                if value is not None and math.isclose(value, choice, rel_tol=1e-9):
                    return choice
        raise ValueError(f"{text!r} is not one of {[self.text(c) for c in self.choices]}")

    def format(self, value: Any) -> str:
        return self.text(value)


@dataclass(frozen=True)
class BoolField(Field):
    """On or off: ``1``/``true``/``on``/``yes`` or ``0``/``false``/``off``/``no``."""

    def parse(self, text: str) -> bool:
        lower = text.strip().lower()
        if lower in ("1", "true", "on", "yes"):
            return True
        if lower in ("0", "false", "off", "no"):
            return False
        raise ValueError(f"{text!r} is not on or off")

    def format(self, value: Any) -> str:
        return "1" if value else "0"


@dataclass(frozen=True)
class SubsetField(Field):
    """Some of ``choices`` in a comma-separated list, each at most once (may be empty)."""

    choices: Sequence[str] = ()

    def parse(self, text: str) -> list[str]:
        parts = [p.strip() for p in text.split(",") if p.strip()]
        unknown = [p for p in parts if p not in self.choices]
        if unknown or len(set(parts)) != len(parts):
            raise ValueError(f"{text!r} is not a list of different items of {list(self.choices)}")
        return parts

    def format(self, value: Any) -> str:
        return ",".join(value)


@dataclass(frozen=True)
class TextField(Field):
    """Free text, accepted when ``check`` (raising ``ValueError`` for bad text) accepts it."""

    check: Callable[[str], Any] | None = None

    def parse(self, text: str) -> str:
        if self.check is not None:
            self.check(text)
        return text


@dataclass(frozen=True)
class FloatListField(Field):
    """A fixed number of numbers in ``[low, high]`` as one comma-separated parameter
    (``0,0.5,-1``), each going to its own widget: ``key`` is a prefix, widget ``i`` has the
    key ``f"{key}{i}"``. ``default`` is the value of each item."""

    count: int = 1
    low: float = 0.0
    high: float = 1.0
    step: float | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f"{self.key}{i}" for i in range(self.count))

    def parse(self, text: str) -> tuple[float, ...]:
        parts = text.split(",")
        if len(parts) != self.count:
            raise ValueError(f"{text!r} does not have {self.count} numbers")
        item = FloatField(self.name, self.key, self.default, self.low, self.high, self.step)
        return tuple(item.parse(p.strip()) for p in parts)

    def format(self, value: Any) -> str:
        return ",".join(_fmt_float(v) for v in value)

    def split(self, value: Any) -> dict[str, Any]:
        return dict(zip(self.keys, value))

    def gather(self, state: Mapping[str, Any]) -> Any:
        values = [state.get(k) for k in self.keys]
        return None if any(v is None for v in values) else tuple(values)


@dataclass
class Restored:
    """What a link asks for: ``values`` per session key (bad ones replaced by the default)
    and ``ignored``, the ``name=text`` of each bad parameter, in field order."""

    values: dict[str, Any] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def default_of(f: Field) -> dict[str, Any]:
    """``{session key: default}`` of field ``f``."""
    if isinstance(f, FloatListField):
        return f.split((f.default,) * f.count)
    return f.split(f.default)


def read(fields: Sequence[Field], params: Mapping[str, str]) -> Restored:
    """The widget values that the query ``params`` asks for.

    Parameters that are not fields are not looked at (``lang`` and other pages' own);
    a field without a parameter is left out; a parameter that does not parse, is out of
    range or longer than ``MAX_TEXT`` gives the field's default and is named in ``ignored``.
    """
    out = Restored()
    for f in fields:
        if f.name not in params:
            continue
        text = str(params[f.name])
        try:
            if len(text) > MAX_TEXT:
                raise ValueError(f"longer than {MAX_TEXT} characters")
            out.values.update(f.split(f.parse(text)))
        except ValueError:
            out.values.update(default_of(f))
            out.ignored.append(f"{f.name}={text[:40]}…" if len(text) > 40 else f"{f.name}={text}")
    return out


def write(fields: Sequence[Field], state: Mapping[str, Any]) -> dict[str, str]:
    """The query parameters ``{name: text}`` for the current widget values in ``state``.

    A field whose widget has no value (one not drawn now) is left out, and so is a value
    that cannot be written (a model that was deleted since it was chosen).
    """
    out = {}
    for f in fields:
        value = f.gather(state)
        try:
            if value is not None:
                out[f.name] = f.format(value)
        except (KeyError, ValueError, TypeError):
            continue
    return out
