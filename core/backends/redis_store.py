"""The Redis side of the ``queue`` job backend, shared by the lab (``redis_queue``) and the
workers (``worker``): the keys of a job's record, the client, and Redis-away handling.

Keys (``nnlab:job:<id>:...``): ``meta`` (kind, title, config, owner; never changes),
``progress`` (the ``Progress`` record as JSON, written by the worker), ``status`` (changed
only by compare-and-set, so a cancel and a worker taking the job never both win),
``cancel`` (the stop flag the worker polls), ``alive`` (the worker's heartbeat, with a TTL:
a running job whose heartbeat expired was cut off and reads as ``interrupted``),
``extras`` (a hash of ``core.jobs.codec`` values) and ``extras_v`` (its version counter).
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.errors import InputError
from core.jobs import records as job_records
from core.jobs.progress import CANCELLED, DONE, FAILED, Progress

QUEUE_NAME = "nnlab"
PREFIX = "nnlab:"
JOBS_INDEX = PREFIX + "jobs"  # sorted set: job id -> creation time
PARTS = ("meta", "progress", "status", "cancel", "extras", "extras_v")
FINAL = (DONE, CANCELLED, FAILED)  # never change again: a lab process stops asking

# SET KEYS[1] to ARGV[1] if its value is one of ARGV[2..]; 1 when set.
_CAS = """local cur = redis.call('GET', KEYS[1])
for i = 2, #ARGV do if cur == ARGV[i] then redis.call('SET', KEYS[1], ARGV[1]) return 1 end end
return 0"""
_PROGRESS_FIELDS = set(Progress.__dataclass_fields__) - {"extras"}
BACKEND_DOWN = (RedisConnectionError, RedisTimeoutError)  # Redis away (OSError-like), not a bad command
# The lab's client: a page waits at most about connect + read timeout for a down Redis.
LAB_TIMEOUTS = {"socket_connect_timeout": 1.0, "socket_timeout": 2.0}
RECHECK_S = 2.0  # while Redis is away, available() pings it at most this often


class JobsUnavailable(InputError):
    """The job store (Redis) cannot be reached: training is unavailable for now."""

    def __init__(self):
        super().__init__("jobs.unavailable")


def connect(url: str, retries: int = 1, cap: float = 0.5, **options: Any):
    """A redis-py client for ``url`` (``redis://:password@host:port/db``) that reconnects by
    itself: ``retries`` retries with exponential backoff (capped at ``cap`` seconds) on
    connection errors and timeouts, and a health check of idle connections."""
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(url, retry=Retry(ExponentialBackoff(cap=cap, base=0.05), retries),
                                health_check_interval=15, **options)


def backend_call(fallback: Any = JobsUnavailable):
    """Decorate a registry or job method: Redis away marks the registry down and returns
    ``fallback(self, *args)`` (a read) or raises ``JobsUnavailable`` (an action)."""
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            registry = getattr(self, "_registry", self)
            failures = registry.failures
            try:
                out = method(self, *args, **kwargs)
            except BACKEND_DOWN as exc:
                registry.mark_down(exc)
                if fallback is JobsUnavailable:
                    raise JobsUnavailable() from exc
                return fallback(self, *args)
            if registry.failures == failures:  # an inner call's fallback is no answer from Redis
                registry.mark_up()
            return out
        return call
    return wrap


def key(job_id: str, part: str) -> str:
    """The Redis key of one part of a job's record."""
    return f"{PREFIX}job:{job_id}:{part}"


def progress_json(progress: Progress) -> bytes:
    """The record without its extras (they live in their own hash)."""
    record = asdict(progress)
    record.pop("extras")
    return json.dumps(record, default=str).encode()  # an error's values may be any type


def progress_from(data: bytes | None) -> Progress:
    record = json.loads(data) if data else {}
    return Progress(**{k: v for k, v in record.items() if k in _PROGRESS_FIELDS})


def expire_job(redis, job_id: str) -> None:
    """A finished job's keys expire after ``NNLAB_JOBS_KEEP_DAYS`` days (0: kept), as the thread
    backend's records (``core.jobs.records.retention``)."""
    days = job_records.retention()[0]
    if days > 0:
        pipe = redis.pipeline()
        for part in PARTS:
            pipe.expire(key(job_id, part), int(days * 86400))
        pipe.execute()


def set_status(redis, job_id: str, new: str, allowed: tuple[str, ...]) -> bool:
    """Change a job's status to ``new`` only if it is one of ``allowed`` (atomic)."""
    return bool(redis.eval(_CAS, 1, key(job_id, "status"), new, *allowed))
