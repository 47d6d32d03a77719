"""The teacher on the page: the teacher key field (checked in constant time, wrong keys slowed
down and logged) and, in teacher mode, "stop all of this student's jobs".

Which jobs a teacher may stop is decided in core (``core.jobs.policy.may_stop``); the stops go
through the registry's ``cancel``.
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
import time
from pathlib import Path

import streamlit as st

from core import i18n, identity
from core.jobs.policy import cancel_owner
from ui.session import registry, session_label

log = logging.getLogger("nnlab.teacher")
MIN_TEACHER_KEY = 10  # characters; a shorter key is refused (teacher mode off, logged)
_SHORT_KEY_LOGGED: list[bool] = []
TEACHER_KEY = "app_teacher"  # True once this session entered the teacher key


def teacher_key() -> str:
    """The teacher key from the server's environment (``NNLAB_TEACHER_KEY``) or secrets
    (``teacher_key``); empty when none is set. Never shown on a page."""
    key = os.environ.get("NNLAB_TEACHER_KEY", "")
    if not key:
        try:
            key = str(st.secrets.get("teacher_key", ""))
        except Exception:  # noqa: BLE001 - no secrets file: no teacher key
            key = ""
    if key and len(key) < MIN_TEACHER_KEY:  # guessable: teacher mode stays off, and the log says why
        if not _SHORT_KEY_LOGGED:
            _SHORT_KEY_LOGGED.append(True)
            log.error("the teacher key is shorter than %d characters: teacher mode is off", MIN_TEACHER_KEY)
        return ""
    return key


def is_teacher() -> bool:
    return bool(st.session_state.get(TEACHER_KEY))


def _check_teacher_key() -> None:
    """Compare the typed key (constant time), unless this student must wait after wrong ones."""
    typed = st.session_state.get("app_teacher_input", "")
    st.session_state["app_teacher_input"] = ""  # the key is not kept in the session
    if not typed:
        return
    owner = session_label()
    if GUESSES.wait_s(owner) > 0:  # still backing off: not even compared
        return
    key = teacher_key()
    right = bool(key) and hmac.compare_digest(typed.encode(), key.encode())
    st.session_state[TEACHER_KEY] = right
    st.session_state["app_teacher_wrong"] = not right
    if right:
        GUESSES.forget(owner)
        log.info("teacher mode on for %s", identity.short(owner))
    else:
        GUESSES.wrong(owner)


def teacher_sidebar(t: i18n.Translator) -> None:
    """The teacher key field; in teacher mode, "stop all of this student"."""
    if is_teacher():
        st.caption(t("common.teacher_on"))
        _stop_student(t)
        _unreadable_cards(t)
    elif teacher_key():
        wait = GUESSES.wait_s(session_label())
        st.text_input(t("common.teacher_key"), type="password", key="app_teacher_input",
                      on_change=_check_teacher_key, help=t("common.teacher_key_help"), disabled=wait > 0)
        if wait > 0:
            st.caption(t("common.teacher_wait", s=int(wait) + 1))
        elif st.session_state.get("app_teacher_wrong"):
            st.caption(t("common.teacher_wrong"))


def _unreadable_cards(t: i18n.Translator) -> None:
    """Model cards the server cannot read (a worker under another user, a broken file): named
    for the teacher, since those models are missing from every list."""
    from core.storage import store

    bad = store.unreadable_cards()
    if bad:
        st.warning(t("common.cards_unreadable", n=len(bad),
                     names=", ".join(Path(path).name for path, _ in bad[:5]), why=bad[0][1]))


def _stop_student(t: i18n.Translator) -> None:
    """The teacher's one click for a flood: every queued or running job of one student."""
    counts: dict[str, int] = {}
    for job in registry().active():
        if job.owner:
            counts[job.owner] = counts.get(job.owner, 0) + 1
    if not counts:
        return
    owners = sorted(counts, key=counts.get, reverse=True)
    who = st.selectbox(t("common.student"), owners, key="app_teacher_student",
                       format_func=lambda o: t("common.student_jobs", owner=identity.short(o), n=counts[o]))
    if st.button(t("common.stop_student"), key="app_teacher_stop_student", icon=":material/block:"):
        stopped = cancel_owner(registry(), who, session_label(), is_teacher())
        log.warning("teacher stopped %d job(s) of %s", stopped, identity.short(who))
        st.rerun(scope="app")


class KeyGuesses:
    """Wrong teacher keys per student (process-wide): ``FREE`` typos, then after the n-th wrong
    one in a row the next is taken only after ``2 ** (n - FREE - 1)`` seconds (at most
    ``MAX_WAIT_S``); each is logged. A script typing 8 keys a second gets about one guess a
    minute after ten tries."""

    FREE = 3
    MAX_WAIT_S = 60.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wrong: dict[str, tuple[int, float]] = {}  # owner -> (wrong in a row, time of the last)

    def wrong(self, owner: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._lock:
            n = self._wrong.get(owner, (0, 0.0))[0] + 1
            self._wrong[owner] = (n, now)
        log.warning("wrong teacher key from %s (%d in a row)", identity.short(owner), n)

    def wait_s(self, owner: str, now: float | None = None) -> float:
        now = time.time() if now is None else now
        with self._lock:
            n, last = self._wrong.get(owner, (0, 0.0))
        return 0.0 if n <= self.FREE else max(0.0, last + min(self.MAX_WAIT_S, 2.0 ** (n - self.FREE - 1)) - now)

    def forget(self, owner: str) -> None:
        with self._lock:
            self._wrong.pop(owner, None)


GUESSES = KeyGuesses()
