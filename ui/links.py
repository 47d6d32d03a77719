"""Shareable links: each page keeps its main controls in the URL query, so a copied address
opens the same view.

A page lists its controls as ``core.query_state`` fields and calls ``restore`` before
drawing them and ``publish`` after (a fragment that draws some of them calls ``publish``
at its end too: a fragment's rerun does not reach the page's end).

- ``restore`` puts the URL's values into the widgets' session keys on the page's first
  run in this session (an opened link) and when the student goes back or forward in the
  browser's history, if the page's part of the URL is not what this session last wrote
  there. On every other rerun the widgets rule, even when the URL disagrees: the browser
  may still be showing an older write of ours that arrived late (a click during a run can
  overtake it), and taking that as a new link would undo the student's click. Bad values
  fall back to defaults and a translated notice names them; nothing raises.
- ``publish`` writes the current values back, all of them on every run, so the address
  bar ends each run holding the state even after such a late write.

Streamlit clears the query when the student switches pages in the menu (only ``lang``
comes back, set by ``chrome.setup``); the new page then writes its own values. What the
URL cannot carry (drawings, uploads, edited kernel cells, trained jobs) is not shared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import errors, i18n, query_state
from core.query_state import Field


def _memory(page: str) -> dict[str, Any]:
    """This session's link bookkeeping for ``page``: the query it last saw or wrote, and a
    pending notice with the state it was shown for."""
    return st.session_state.setdefault(f"_links_{page}", {"seen": None, "notice": None, "shown_for": None})


def _ours(fields: Sequence[Field]) -> dict[str, str]:
    return {f.name: st.query_params[f.name] for f in fields if f.name in st.query_params}


def restore(t: i18n.Translator, page: str, fields: Sequence[Field]) -> None:
    """Before the page draws its controls: take their values from the URL on the page's first
    run in this session and on a history navigation, when the URL differs from our last write.

    A notice (``links.ignored``) names the parameters that were bad; it stays until the
    student changes one of the page's linked controls.
    """
    memory = _memory(page)
    ours = _ours(fields)
    if ours != memory["seen"] and (memory["seen"] is None or _history_navigation()):
        found = query_state.read(fields, ours)
        st.session_state.update(found.values)
        memory.update(seen=ours, notice=found.ignored or None, shown_for=None)
    elif memory["shown_for"] is not None and memory["shown_for"] != query_state.write(fields, st.session_state):
        memory["notice"] = None  # the student changed a control since the notice was shown
    if memory["notice"]:
        st.info(t("links.ignored", values=", ".join(errors.escape_markdown(v) for v in memory["notice"])),
                icon=":material/link_off:")


def _history_navigation() -> bool:
    """Whether this run comes from the browser's back or forward button."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.is_history_navigation)


def publish(page: str, fields: Sequence[Field]) -> None:
    """After the controls: write their current values into the URL (all of them, see above)."""
    memory = _memory(page)
    now = query_state.write(fields, st.session_state)
    gone = [f.name for f in fields if f.name not in now and f.name in st.query_params]
    for name in gone:
        del st.query_params[name]
    if now:
        # Unchanged values too: the browser may hold a late older write (see the module notes).
        st.query_params.update(now)
    memory["seen"] = now
    if memory["notice"] and memory["shown_for"] is None:
        memory["shown_for"] = now  # the state the notice speaks of; restore drops it after a change


def model_text(entry: Any) -> str:
    """A model entry's name in a link: ``cnn`` for a shipped model, ``yours:NAME`` for one
    trained on this server (a link to it works only here)."""
    return entry.name if entry.shipped else f"yours:{entry.name}"


# ---------------------------------------------------------------- Streamlit's own binding
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
