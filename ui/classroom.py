"""The student's side of classroom mode: a nickname, a presence heartbeat, the class challenge.

- **Nickname.** Every session shows the teacher a nickname, never personal data: a default one
  made from the owner id (an adjective and an animal in the session's language, the same after
  a reload) until the student types another in the sidebar.
- **Heartbeat.** A full run of a page tells the class store which page this session is on, at
  most once every ``HEARTBEAT_S`` per session unless the page or nickname changed. Strokes run
  the Draw tab's fragment only, so they never write.
- **Challenge.** While the teacher runs one ("everyone draw a 7"), the classifier's Draw tab
  shows it and a "Send to the class" button; the drawing goes to the store with the model's
  reading. A button, not every settled stroke: a half-drawn digit is not an answer, and the
  teacher's view should show each student's chosen drawings.

The store failing (Redis away) pauses these features with a message; the page goes on.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

import numpy as np
import streamlit as st

from core import classroom, errors, i18n
from core.classroom import records
from ui.session import session_label, translator

HEARTBEAT_S = 5.0
NICK_KEY = "app_nickname"
SEEN_KEY = "app_class_seen"  # (monotonic time, page, nickname) of the last heartbeat
log = logging.getLogger("nnlab.classroom")


def default_nickname(t: i18n.Translator, owner: str) -> str:
    """An adjective and an animal picked by ``owner``'s hash, in ``t``'s language."""
    adjectives, animals = t("class.nick.adjectives"), t("class.nick.animals")
    h = int(hashlib.blake2b(owner.encode(), digest_size=4).hexdigest(), 16)
    return t("class.nick.pattern", adj=adjectives[h % len(adjectives)],
             animal=animals[(h // len(adjectives)) % len(animals)])


def nickname(t: i18n.Translator | None = None) -> str:
    """This session's nickname: the one typed, else the default one."""
    typed = records.clean_nickname(st.session_state.get(NICK_KEY, ""))
    return typed or default_nickname(t or translator(), session_label())


def sidebar(t: i18n.Translator, page: str) -> None:
    """The nickname field, and the heartbeat of this run's ``page`` (its URL path)."""
    st.text_input(t("class.nick.label"), key=NICK_KEY, max_chars=records.NICK_MAX,
                  placeholder=default_nickname(t, session_label()), help=t("class.nick.help"))
    heartbeat(page, nickname(t))


def heartbeat(page: str, name: str) -> None:
    """Tell the store this session is on ``page`` as ``name`` (throttled; never raises)."""
    now, last = time.monotonic(), st.session_state.get(SEEN_KEY)
    if last and last[1:] == (page, name) and now - last[0] < HEARTBEAT_S:
        return
    st.session_state[SEEN_KEY] = (now, page, name)
    try:
        classroom.store().touch(session_label(), name, page)
    except (OSError, ValueError) as exc:  # a full disk, an odd owner id: presence is a nicety
        log.warning("presence not recorded: %s", exc)


def challenge_banner(t: i18n.Translator) -> dict | None:
    """The running challenge's banner (cheap: the store is asked at most every 2 s per process)."""
    try:
        challenge = classroom.current_challenge()
    except OSError:
        return None
    if challenge:
        st.info(t("class.challenge.banner", target=challenge["target"]), icon=":material/groups:")
    return challenge


def send_button(t: i18n.Translator, challenge: dict | None, digit: np.ndarray,
                probs: Callable[[], np.ndarray]) -> None:
    """"Send to the class": ``digit`` (28×28 in [0, 1]) and ``probs()`` (the model's ten
    probabilities, computed only on a click) go to the class store."""
    if not challenge:
        return
    if st.button(t("class.challenge.send", target=challenge["target"]), key="classifier_class_send",
                 icon=":material/send:", type="primary"):
        try:
            record = records.new_drawing(session_label(), nickname(t), challenge, digit, probs())
            classroom.store().add_drawing(record)
        except (ValueError, OSError) as exc:  # InputError is a ValueError: too many, store away
            st.warning(errors.message(t, exc), icon=":material/cloud_off:")
            return
        st.success(t("class.challenge.sent", read=record["read"]), icon=":material/check:")
        heartbeat("classifier", record["nickname"])  # drawing is being here: strokes alone never write


def record_answer(qid: str, option: int) -> bool:
    """Keep this session's answer to ``qid``; False when the class store cannot take it."""
    try:
        classroom.store().answer(records.new_answer(session_label(), nickname(), qid, option))
    except (ValueError, OSError) as exc:
        log.warning("answer not recorded: %s", exc)
        return False
    return True
