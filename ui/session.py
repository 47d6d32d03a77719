"""This browser session's basics: its language, its id, the server's job registry, and
widget values kept for the whole session. The lowest layer of ``ui``: it imports only core.
"""

from __future__ import annotations

import uuid

import streamlit as st

from core import i18n
from core.backends import choice as job_backends
from core.jobs.registry import JobRegistry
from core.paths import clean_up_once
from core.storage import store

LANG_KEY = "app_lang"


@st.cache_resource
def registry() -> JobRegistry:
    """The job registry of this server process, shared by every browser session: training
    threads here, or a Redis queue shared with other replicas (``NNLAB_JOBS``).

    Created once per process: the place to remove what a killed process left half-written.
    """
    clean_up_once([store.user_models_dir()])
    return job_backends.make_registry()


def session_label() -> str:
    """A short id for this browser session (jobs record who started them)."""
    return st.session_state.setdefault("app_session", uuid.uuid4().hex[:6])


def language() -> str:
    """The session's language: the selector, else ``?lang=``, else English."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.normalise_language(st.query_params.get("lang"))
    return st.session_state[LANG_KEY]


def translator() -> i18n.Translator:
    """``t(key, **values)`` in the session's language."""
    return i18n.translator(language())


def remember(*keys: str) -> None:
    """Keep these widgets' values for the whole session.

    Streamlit forgets a widget's value when a run does not draw it: after a switch to another
    page, or while its tab is closed (tabs run only when open). Call this before drawing the
    widgets: a value that was forgotten comes back from a copy kept under another key.
    """
    for key in keys:
        kept = f"_kept_{key}"
        if key in st.session_state:
            st.session_state[kept] = st.session_state[key]
        elif kept in st.session_state:
            st.session_state[key] = st.session_state[kept]
