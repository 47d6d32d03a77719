"""A task link, student side: the teacher's instruction on top, locked controls disabled,
hidden ones out of sight. ``chrome.setup`` calls ``apply`` once per run before the page.

How a control is locked without touching every page: each widget a page draws leaves through
``DeltaGenerator._enqueue`` with its element id, which ends with the widget's key. A wrapper
installed once (``_install``) sets ``disabled`` on the protos whose key this session's task
locks (the set lives in ``st.session_state[LOCKED]``, so other sessions and runs without a task
are untouched). The id is computed before, so a lock does not reset the widget's value. Hidden
controls are also disabled and taken out of the layout with CSS on their ``st-key-KEY`` box.

The locked and hidden values come from the signed task (``core.classroom.tasks``): on the
first run with a new task, where the address disagrees, they are written into the query and
the script reruns at once, before any widget is drawn, so the widgets bound to the address
(``bind="query-params"``) take them as from any opened link (Streamlit seeds a bound widget
from the address the run started with). A control locked at its default has no parameter: a
student's one is removed. A student who removes ``task`` from the address gets the
page as usual: the locks are a teaching aid.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id

from core import i18n, identity
from core.classroom import tasks

LOCKED = "app_task_locked"  # frozenset of widget keys that this session's task locks now
SEEN = "app_task_seen"  # the last task token this session applied
_installed = threading.Lock()
_original: Any = None


@functools.lru_cache(maxsize=64)
def _decode(token: str, secret: bytes) -> tasks.Task | None:
    return tasks.decode(token, secret)  # a class opens the same link: verify it once


def _locked_now() -> frozenset[str]:
    if get_script_run_ctx(suppress_warning=True) is None:
        return frozenset()
    try:
        return st.session_state.get(LOCKED) or frozenset()
    except Exception:  # noqa: BLE001 - no session (a bare import): nothing is locked
        return frozenset()


def _enqueue(self: DeltaGenerator, delta_type: str, element_proto: Any, *args: Any, **kwargs: Any) -> Any:
    locked = _locked_now()
    if locked:
        element_id = getattr(element_proto, "id", "")
        if element_id and hasattr(element_proto, "disabled") and user_key_from_element_id(element_id) in locked:
            element_proto.disabled = True
    return _original(self, delta_type, element_proto, *args, **kwargs)


def _install() -> None:
    """Wrap ``DeltaGenerator._enqueue`` once per process (see the module notes)."""
    global _original
    with _installed:
        if _original is None:
            _original = DeltaGenerator._enqueue
            DeltaGenerator._enqueue = _enqueue


def apply(t: i18n.Translator, page: str) -> tasks.Task | None:
    """Before ``page`` (its url path) runs: apply the task in the address, if any, and return it.

    No ``task`` parameter: nothing happens (the page as usual). A token that does not verify
    or is for another page: a short note, and the page as usual."""
    _install()
    token = st.query_params.get(tasks.PARAM)
    task = _decode(token, identity.secret()) if token else None
    if task is None or task.page != page:
        st.session_state.pop(LOCKED, None)
        if token:
            st.caption(t("common.task_invalid"))
        return None
    if st.session_state.get(SEEN) != token:  # a newly opened task: its values go to the page's link
        st.session_state[SEEN] = token
        if _write(task):
            st.rerun()
    hidden = {k for k in task.keys(task.hidden) if tasks.valid_key(k)}
    st.session_state[LOCKED] = frozenset(task.keys(task.locked) | hidden)
    _instruction(t, task)
    _style(hidden, {k for k in task.keys(task.locked) if tasks.valid_key(k)})
    return task


def _write(task: tasks.Task) -> bool:
    """Put the task's locked and hidden values into the address; whether it changed."""
    changed = False
    for name, text in task.fixed().items():
        if st.query_params.get(name) != text:
            st.query_params[name] = text
            changed = True
    for name in task.defaults():
        if name in st.query_params:
            del st.query_params[name]
            changed = True
    return changed


def _instruction(t: i18n.Translator, task: tasks.Task) -> None:
    """The teacher's words as plain text (``st.text``: no Markdown, no HTML, no autolinked
    addresses), under a title, in a bordered box."""
    with st.container(border=True, key="app_task_box"):
        st.markdown(f":material/assignment: **{t('common.task_title')}**")
        if task.instruction:
            st.text(task.instruction)
        if task.locked or task.hidden:
            st.caption(t("common.task_locked"))


def _style(hidden: set[str], locked: set[str]) -> None:
    """Hidden controls out of the layout; locked ones keep a readable label (Streamlit greys a
    disabled widget's label to 2.6:1, below WCAG AA; the controls themselves stay greyed)."""
    rules = []
    if hidden:
        rules.append(", ".join(f".st-key-{k}" for k in sorted(hidden)) + " { display: none !important; }")
    if locked:
        labels = ", ".join(f".st-key-{k} [data-testid='stWidgetLabel'], .st-key-{k} [data-testid='stWidgetLabel'] *"
                           for k in sorted(locked))
        rules.append(labels + " { color: #3d3d3d !important; opacity: 1 !important; }")
    if rules:
        st.html("<style>" + "\n".join(rules) + "</style>")
