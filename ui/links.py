"""Shareable links: each page keeps its main controls in the URL query, so a copied address
opens the same view.

Streamlit does the work: a widget drawn with ``bind=links.URL`` (``"query-params"``) keeps its
value in the address under its key (``?perceptron_gate=OR``), takes it from an opened link on
its first run in the session, leaves a default value out, and drops a value it cannot use (not
an option, out of range, not a number). A choice's parameter holds its shown label
(``format_func``), so a link's choices are in the language of the page that wrote it (a link
carries ``lang`` too). Changes replace the address (no history entry per change); the old page's
parameters go on a page switch. A bound value can only be set through ``st.session_state``.

What this module adds is the notice: ``watch`` notes the address's text for the bound widgets
before a page draws them (public ``st.query_params``), and ``report`` after them names the
values the widgets did not keep, in a translated ``links.ignored`` notice. What is not one
widget (a test image's number, drawings, uploads, edited kernel cells, trained jobs) is not
bound: ``example_number`` keeps a test image's number in the address by hand; the rest stays
out of links.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from core import errors, i18n

URL = "query-params"  # a widget's ``bind``: its value lives in the address under its key


@dataclass
class Watch:
    """The address text of the bound widgets a page is about to draw for the first time in
    this session (the only ones Streamlit seeds from the address), and a place for the notice."""

    page: str
    keys: tuple[str, ...]
    raw: dict[str, list[str]]
    slot: Any


def watch(page: str, keys: Sequence[str]) -> Watch:
    """Before ``page`` draws its widgets bound to the address (``bind=links.URL``) with
    ``keys``: note what the address says for each one not drawn yet in this session, and keep
    a place above the controls for a notice (see ``report``). Public API only: the address is
    read through ``st.query_params`` before the widget takes (or drops) the value."""
    raw = {k: st.query_params.get_all(k) for k in keys if k in st.query_params and k not in st.session_state}
    return Watch(page, tuple(keys), raw, st.empty())


def _denotes(raw: list[str], value: Any, text: Callable[[Any], str]) -> bool:
    """Whether the address text ``raw`` names ``value`` (the widget kept it, perhaps written
    differently: ``0.50`` for 0.5, ``True`` for on)."""
    if isinstance(value, (list, tuple)):
        return [text(v) for v in value] == raw
    last = raw[-1] if raw else ""
    if last in (text(value), str(value)):
        return True
    if isinstance(value, bool):
        return last.strip().lower() == str(value).lower()
    if isinstance(value, (int, float)):
        try:
            return float(last) == float(value)
        except ValueError:
            return False
    return False


def report(t: i18n.Translator, seen: Watch, text: Mapping[str, Callable[[Any], str]] | None = None) -> None:
    """After the widgets of ``seen``: name the address values that Streamlit ignored (bad, out
    of range, not an option) in a translated notice (``links.ignored``) above the controls.
    It stays until the student changes one of these controls. ``text`` gives the label of a
    widget's value where it has a ``format_func`` (the address holds that label)."""
    memory = st.session_state.setdefault(f"_links_{seen.page}", {"notice": None, "values": None})
    now = {k: st.session_state.get(k) for k in seen.keys}
    bad = [f"{k}={v[-1] if v else ''}" for k, v in seen.raw.items()  # a widget not drawn is not judged
           if k in st.session_state and not _denotes(v, now[k], (text or {}).get(k, str))]
    if bad:
        memory.update(notice=[f"{b[:40]}…" if len(b) > 40 else b for b in bad], values=now)
    elif memory["notice"] and memory["values"] != now:
        memory["notice"] = None  # the student changed a control since the notice was shown
    if memory["notice"]:
        seen.slot.info(t("links.ignored", values=", ".join(errors.escape_markdown(v) for v in memory["notice"])),
                       icon=":material/link_off:")


def example_number(page: str, count: int, another: str) -> int:
    """A test image's number in ``[0, count)`` under ``{page}_example``: from an opened link
    (``?classifier_example=42``), else random, new on the "``another``" button; written into the
    address (it is not a widget, so not bound)."""
    key = f"{page}_example"
    if st.button(another, key=f"{page}_another", icon=":material/casino:"):
        st.session_state[key] = int(np.random.default_rng().integers(count))
    if key not in st.session_state:
        text = st.query_params.get(key, "")
        st.session_state[key] = int(text) if text.isdigit() and int(text) < count \
            else int(np.random.default_rng().integers(count))
    k = st.session_state[key]
    if st.query_params.get(key) != str(k):
        st.query_params[key] = str(k)
    return k
