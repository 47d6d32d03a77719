"""This browser session's basics: its language, its owner identity, the server's job registry,
and widget values kept for the whole session. The lowest layer of ``ui``: it imports only core.
"""

from __future__ import annotations

import atexit

import streamlit as st

from core import i18n, identity
from core.backends import choice as job_backends
from core.jobs.registry import JobRegistry
from core.paths import clean_up_once
from core.storage import store

LANG_KEY = "app_lang"
SHUTDOWN_WAIT_S = 60.0  # at exit, how long running jobs get to save (docker stop waits 10 s unless told more)
OWNER_KEY = "app_session"  # this session's owner id (from the browser's signed cookie)
COOKIE = "nnlab_id"
COOKIE_MAX_AGE_S = 365 * 24 * 3600


@st.cache_resource
def registry() -> JobRegistry:
    """The job registry of this server process, shared by every browser session: training
    threads here, or a Redis queue shared with other replicas (``NNLAB_JOBS``).

    Created once per process: the place to remove what a killed process left half-written.
    """
    clean_up_once([store.user_models_dir()])
    store.remove_orphan_cards()  # a card whose model never arrived (killed between the writes)
    made = job_backends.make_registry()
    if hasattr(made, "shutdown"):
        # SIGTERM: Streamlit stops its server and the interpreter exits; before the job threads
        # (daemons) die with it, stop them as Stop would, so each saves its model or checkpoint.
        atexit.register(made.shutdown, SHUTDOWN_WAIT_S)
    return made


def _cookie_token() -> str | None:
    """The ``nnlab_id`` cookie the browser sent when this session connected, if any."""
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no request behind this run (a test): no cookie
        return None


def session_label() -> str:
    """This student's owner id: what jobs, drawings, symbols and models record as their owner.

    It comes from the browser's signed cookie (``core.identity``), so it is the same after a
    reload (F5), a closed and reopened tab, or a request served by another replica; a
    browser without a genuine cookie gets a new id, which ``keep_identity`` writes back.
    """
    if OWNER_KEY not in st.session_state:
        st.session_state[OWNER_KEY] = identity.verify(_cookie_token()) or identity.new_owner()
    return st.session_state[OWNER_KEY]


def keep_identity() -> None:
    """Have the browser keep this session's signed token in the ``nnlab_id`` cookie.

    Streamlit has no API to set a cookie, and ``st.context.cookies`` only shows what the
    browser sent when the session connected. While that differs from this session's owner,
    each run adds a small script (``st.html``, run in the page itself, not a frame) that sets
    the cookie: path ``/``, ``SameSite=Lax``, a year, ``Secure`` over HTTPS. The token is
    made here from a checked id (hex, letters, ``_-``), so nothing typed by anyone reaches
    the script.
    """
    owner = session_label()
    if identity.verify(_cookie_token()) == owner:
        return
    try:
        token = identity.sign(owner)
    except ValueError:  # an id a test set by hand: nothing to keep
        return
    cookie = f"{COOKIE}={token}; path=/; max-age={COOKIE_MAX_AGE_S}; SameSite=Lax"
    st.html(f"<script>document.cookie = '{cookie}' + (location.protocol === 'https:' ? '; Secure' : '');"
            "</script>", width="content", unsafe_allow_javascript=True)


def language() -> str:
    """The session's language: the selector, else ``?lang=``, else English."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.normalise_language(st.query_params.get("lang"))
    return st.session_state[LANG_KEY]


def translator() -> i18n.Translator:
    """``t(key, **values)`` in the session's language."""
    return i18n.translator(language())
