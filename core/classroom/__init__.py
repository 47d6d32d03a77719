"""The class store: what a class does together, for the teacher's page (``lab/classroom``).

Who is here (nickname, page, last seen), the class challenge ("everyone draw a 7") with the
drawings sent for it and how the model read them, and the answers to the lessons' questions.
Two backends with one interface (``ClassStore``), chosen like the jobs' (``NNLAB_JOBS``):
files under ``$NNLAB_HOME/classroom/`` for one process (``files``), Redis for replicas
(``redis_store``). Records and the teacher's summaries: ``records``. No Streamlit here.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Protocol

from core.paths import user_dir

CHALLENGE_TTL_S = 2.0  # a page asks the store for the challenge at most this often


class ClassStore(Protocol):
    """What both backends offer. Records are built and checked by ``core.classroom.records``."""

    available: bool  # False while the store cannot be reached (reads then answer their last result)

    def touch(self, owner: str, nickname: str, page: str) -> None: ...
    def presence(self) -> list[dict]: ...
    def start_challenge(self, target: int) -> dict: ...
    def stop_challenge(self) -> None: ...
    def challenge(self) -> dict | None: ...
    def add_drawing(self, record: dict) -> dict: ...
    def drawings(self) -> list[dict]: ...
    def mark_added(self, ids: list[str]) -> None: ...
    def added(self) -> set[str]: ...
    def answer(self, record: dict) -> None: ...
    def answers(self) -> list[dict]: ...
    def clear(self) -> None: ...


QUEUE_SCHEMES = ("redis://", "rediss://", "unix://")  # as core.backends.choice


def setting() -> str:
    """The ``NNLAB_JOBS`` value: a Redis URL puts the class store in Redis too."""
    return os.environ.get("NNLAB_JOBS", "").strip()


_stores: dict[tuple[str, str], ClassStore] = {}
_lock = threading.Lock()
_challenge_seen: dict[tuple[str, str], tuple[float, dict | None]] = {}


def store() -> ClassStore:
    """This process's class store, by ``NNLAB_JOBS`` (and ``NNLAB_HOME`` for files)."""
    value = setting()
    is_redis = value.startswith(QUEUE_SCHEMES)
    where = (value, "") if is_redis else ("", str(user_dir("classroom")))
    with _lock:
        if where not in _stores:
            if is_redis:
                from core.classroom.redis_store import RedisClassStore

                _stores[where] = RedisClassStore(value)
            else:
                from core.classroom.files import FileClassStore

                _stores[where] = FileClassStore()
        return _stores[where]


def current_challenge(now: float | None = None) -> dict | None:
    """The running challenge, asked of the store at most every ``CHALLENGE_TTL_S`` per process:
    a stroke on the classifier page then costs no store call at all most of the time."""
    s, now = store(), now or time.monotonic()
    key = (setting(), str(getattr(s, "root", "")))
    seen = _challenge_seen.get(key)
    if seen is None or now - seen[0] > CHALLENGE_TTL_S:
        seen = _challenge_seen[key] = (now, s.challenge())
    return seen[1]


def forget_challenge() -> None:
    """Ask the store again on the next ``current_challenge`` (after this process changed it)."""
    _challenge_seen.clear()
