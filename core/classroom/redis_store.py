"""The class store shared by lab replicas: Redis (``NNLAB_JOBS=redis://...``).

Keys (``nnlab:class:...``): ``presence`` (hash owner -> JSON), ``challenge`` (JSON),
``drawings`` (list of JSON, newest first, trimmed to ``MAX_DRAWINGS``), ``sent:<challenge>:<owner>``
(a counter per student and challenge), ``answers`` (hash ``qid|owner`` -> JSON), ``added`` (set of
drawing ids already kept for training). Every key expires after the jobs' retention from its
last write. A drawing sent on one replica is in the list every other replica reads.

Redis away (stopped, restarting, unreachable) costs no page, as for jobs
(``core.backends.redis_queue``): reads answer their last result (or nothing) and set
``available`` to False; actions raise ``ClassUnavailable`` (an ``InputError``, shown translated);
a heartbeat is dropped. The next call reconnects by itself.
"""

from __future__ import annotations

import functools
import json
import logging
import time

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.classroom import records as r
from core.errors import InputError

P = "nnlab:class:"
BACKEND_DOWN = (RedisConnectionError, RedisTimeoutError)  # Redis away, not a bad command
log = logging.getLogger("nnlab.classroom")


def _guarded(fallback=r.ClassUnavailable):
    """Redis away: a read returns its last answer (``fallback`` is its empty value), an action
    raises ``ClassUnavailable``; ``fallback=None`` drops the call quietly (a heartbeat)."""
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                out = method(self, *args, **kwargs)
            except BACKEND_DOWN as exc:
                if self.available:
                    log.warning("class store unavailable: %s", exc)
                self.available = False
                if fallback is r.ClassUnavailable:
                    raise r.ClassUnavailable() from exc
                return self._last.get(method.__name__, fallback)
            self.available = True
            self._last[method.__name__] = out
            return out
        return call
    return wrap


class RedisClassStore:
    """The class store in Redis (see ``core.classroom.ClassStore`` for the methods)."""

    def __init__(self, url: str, client=None):
        self.redis = client or _connect(url)
        self.available = True
        self._last: dict[str, object] = {}

    def _expire(self, pipe, *keys: str) -> None:
        keep = int(r.retention_s())
        for key in keys:
            if keep > 0:
                pipe.expire(key, keep)

    @_guarded(None)
    def touch(self, owner: str, nickname: str, page: str) -> None:
        record = {"owner": r.check_owner(owner), "nickname": r.clean_nickname(nickname),
                  "page": r.check_page(page), "seen": time.time()}
        pipe = self.redis.pipeline()
        pipe.hset(P + "presence", owner, json.dumps(record))
        self._expire(pipe, P + "presence")
        pipe.hlen(P + "presence")
        if pipe.execute()[-1] > r.MAX_PRESENCE:
            self._trim_presence()

    def _trim_presence(self) -> None:
        found = sorted(self.presence(), key=lambda p: -p["seen"])
        if len(found) > r.MAX_PRESENCE:
            self.redis.hdel(P + "presence", *[p["owner"] for p in found[r.MAX_PRESENCE:]])

    @_guarded([])
    def presence(self) -> list[dict]:
        return _loads(self.redis.hvals(P + "presence"))

    @_guarded()
    def start_challenge(self, target: int) -> dict:
        challenge = r.new_challenge(target)
        pipe = self.redis.pipeline()
        pipe.set(P + "challenge", json.dumps(challenge))
        self._expire(pipe, P + "challenge")
        pipe.execute()
        return challenge

    @_guarded()
    def stop_challenge(self) -> None:
        self.redis.delete(P + "challenge")

    @_guarded(None)
    def challenge(self) -> dict | None:
        data = self.redis.get(P + "challenge")
        found = _loads([data])[0] if data else None
        return found if isinstance(found, dict) and "id" in found else None

    @_guarded()
    def add_drawing(self, record: dict) -> dict:
        sent = f"{P}sent:{record['challenge']}:{record['owner']}"
        if self.redis.incr(sent) > r.PER_STUDENT:
            self.redis.decr(sent)
            raise InputError("classroom.too_many", n=r.PER_STUDENT)
        pipe = self.redis.pipeline()
        pipe.lpush(P + "drawings", json.dumps(record))
        pipe.ltrim(P + "drawings", 0, r.MAX_DRAWINGS - 1)
        self._expire(pipe, P + "drawings", sent)
        pipe.execute()
        return record

    @_guarded([])
    def drawings(self) -> list[dict]:
        return [d for d in _loads(self.redis.lrange(P + "drawings", 0, -1)) if "pixels" in d]

    @_guarded()
    def mark_added(self, ids: list[str]) -> None:
        if ids:
            pipe = self.redis.pipeline()
            pipe.sadd(P + "added", *ids)
            self._expire(pipe, P + "added")
            pipe.execute()

    @_guarded(set())
    def added(self) -> set[str]:
        return {x.decode() if isinstance(x, bytes) else x for x in self.redis.smembers(P + "added")}

    @_guarded()
    def answer(self, record: dict) -> None:
        pipe = self.redis.pipeline()
        pipe.hset(P + "answers", f"{record['qid']}|{record['owner']}", json.dumps(record))
        self._expire(pipe, P + "answers")
        pipe.hlen(P + "answers")
        if pipe.execute()[-1] > r.MAX_ANSWERS:  # a flood: forget the oldest
            found = sorted(self.answers(), key=lambda a: a["time"])
            self.redis.hdel(P + "answers", *[f"{a['qid']}|{a['owner']}" for a in found[:-r.MAX_ANSWERS]])

    @_guarded([])
    def answers(self) -> list[dict]:
        return _loads(self.redis.hvals(P + "answers"))

    @_guarded()
    def clear(self) -> None:
        keys = [P + k for k in ("presence", "challenge", "drawings", "answers", "added")]
        keys += list(self.redis.scan_iter(P + "sent:*", count=500))
        self.redis.delete(*keys)
        self._last.clear()


def _connect(url: str):
    """A client as the job backend's (``core.backends.redis_queue.connect`` with ``LAB_TIMEOUTS``):
    one quick retry, and a page waits at most about 1 s + 2 s for a down Redis."""
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(url, retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 1),
                                health_check_interval=15, socket_connect_timeout=1.0, socket_timeout=2.0)


def _loads(items) -> list[dict]:
    out = []
    for item in items:
        try:
            value = json.loads(item)
        except (TypeError, ValueError):
            continue  # a damaged entry is skipped, never a broken page
        if isinstance(value, dict):
            out.append(value)
    return out
