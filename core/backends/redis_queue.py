"""The ``queue`` job backend, lab side: jobs in Redis, trained by RQ workers (``core.backends.worker``).

Chosen with ``NNLAB_JOBS=redis://host:port/db`` (``core.backends.choice.make_registry``). No lab
process trains: ``submit`` stores the job's record in Redis and enqueues
``core.backends.worker.run_job(job_id)`` on the RQ queue ``nnlab``; a worker process rebuilds the job
function from its kind and config (``core.backends.kinds``) and writes progress back to Redis.
Every lab process (replica) reads the same records, so a student on one replica watches a
job started on another. The surface is the thread backend's: ``submit``, ``get``, ``jobs``,
``active``, ``cancel``, and jobs that are ``core.jobs.handle.JobHandle``s. The keys of a job's
record and the Redis client live in ``core.backends.redis_store``.

Redis away (stopped, restarting, unreachable) costs no page: every call a page makes goes
through ``backend_call``, which turns redis-py's ``ConnectionError``/``TimeoutError`` into
``JobsUnavailable`` (an ``InputError``, shown translated by ``chrome.guard``) for actions, and
into the last known answer for reads (no jobs, a job's last snapshot). ``registry.available()``
says whether the last call reached Redis (and asks again at most every ``RECHECK_S``); the
lab's client gives up after ``LAB_TIMEOUTS`` (a down Redis never stalls a page) and the next
call simply reconnects, so nothing needs a reload when Redis is back.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

from core.backends import kinds as job_kinds
from core.backends.redis_store import (  # noqa: F401 - names the lab and the tests import from here
    BACKEND_DOWN,
    FINAL,
    JOBS_INDEX,
    LAB_TIMEOUTS,
    PARTS,
    PREFIX,
    QUEUE_NAME,
    RECHECK_S,
    JobsUnavailable,
    backend_call,
    connect,
    expire_job,
    key,
    progress_from,
    progress_json,
    set_status,
)
from core.jobs import codec as job_codec
from core.jobs import records as job_records
from core.jobs.handle import JobHandle
from core.jobs.policy import cancel_checked, check_quota
from core.jobs.progress import CANCELLED, INTERRUPTED, QUEUED, RUNNING, Progress, interrupt


class QueueJob(JobHandle):
    """One job as every lab process sees it: reads go to Redis, nothing trains here."""

    def __init__(self, registry: QueueRegistry, meta: dict[str, Any]):
        super().__init__(meta["id"], meta["kind"], meta["title"], meta.get("config", {}),
                         meta.get("owner", ""), float(meta.get("created", 0.0)))
        self._registry, self._redis = registry, registry.redis
        self._extras_version: bytes | None = None
        self._extras: dict[str, Any] = {}
        self._last = Progress(created=self.created)  # the last snapshot read (shown while Redis is away)
        self._lock = threading.Lock()

    @property
    def status(self) -> str:
        return self._status()

    @backend_call(lambda job: job._last.status)
    def _status(self) -> str:
        return self._registry.statuses([self.id])[self.id]

    @backend_call(lambda job: job._last_copy())
    def snapshot(self) -> Progress:
        """The job's progress record as the worker last wrote it (a fresh copy); while Redis
        is away, the last one read."""
        pipe = self._redis.pipeline()
        pipe.get(key(self.id, "progress")).get(key(self.id, "extras_v"))
        data, version = pipe.execute()
        snap = progress_from(data)
        snap.status = self.status
        snap.queue_position = self._registry.position(self.id) if snap.status == QUEUED else None
        snap.extras = self._read_extras(version)
        self._last = snap
        return snap

    def _last_copy(self) -> Progress:
        snap = progress_from(progress_json(self._last))
        snap.extras = dict(self._last.extras)
        return snap

    def _read_extras(self, version: bytes | None) -> dict[str, Any]:
        with self._lock:
            if version != self._extras_version:  # decode the artefacts only when they changed
                raw = self._redis.hgetall(key(self.id, "extras"))
                self._extras = {k.decode(): job_codec.decode(v) for k, v in raw.items()}
                self._extras_version = version
            return dict(self._extras)

    @backend_call()
    def cancel(self) -> None:
        """Ask the job to stop: the worker polls the flag; a queued job never starts."""
        self._redis.set(key(self.id, "cancel"), b"1")
        if set_status(self._redis, self.id, CANCELLED, (QUEUED,)):
            self._registry.queue.remove(self.id)
            snap = progress_from(self._redis.get(key(self.id, "progress")))
            snap.status, snap.finished, snap.queue_position = CANCELLED, time.time(), None
            self._redis.set(key(self.id, "progress"), progress_json(snap))
            expire_job(self._redis, self.id)



class QueueRegistry:
    """The thread registry's surface over Redis + RQ; one per lab process, all share a store."""

    backend = "queue"

    def __init__(self, url: str, queue_name: str = QUEUE_NAME):
        from rq import Queue

        self.url = url
        self.redis = connect(url, **LAB_TIMEOUTS)
        self.queue = Queue(queue_name, connection=self.redis)
        self._jobs: dict[str, QueueJob] = {}
        self._final: dict[str, str] = {}  # job id -> final status, known without asking Redis
        self._lock = threading.Lock()
        self._down_since: float | None = None  # when a call last failed to reach Redis
        self._checked = 0.0
        self.failures = 0  # calls that could not reach Redis, ever

    def mark_down(self, exc: Exception) -> None:
        """A call could not reach Redis (``backend_call``)."""
        self.failures += 1
        if self._down_since is None:
            self._down_since = time.time()
        self._checked = time.monotonic()

    def mark_up(self) -> None:
        self._down_since = None

    def available(self, kind: str | None = None) -> bool:
        """Whether Redis answered the last call (for a job of any ``kind``); while it is away, asks it again (a ping) at
        most every ``RECHECK_S`` seconds, so a page learns it is back without a reload."""
        if self._down_since is not None and time.monotonic() - self._checked >= RECHECK_S:
            self._ping()
        return self._down_since is None

    @backend_call(lambda self: False)
    def _ping(self) -> bool:
        return bool(self.redis.ping())

    @backend_call()
    def submit(self, kind: str, title: str, config: dict[str, Any] | None = None, *,
               owner: str = "") -> QueueJob:
        """Queue a job of ``kind`` for a worker, which builds its function from ``kind`` and the
        JSON ``config`` (``core.backends.kinds``); the config is checked here first."""
        if callable(config):
            raise TypeError("submit(kind, title, config, owner=...) takes the job's config, not its function")
        config = dict(config or {})
        job_kinds.check(kind, config)
        check_quota([j.owner for j in self.active()], owner)  # NNLAB_MAX_JOBS per student, on every replica
        try:
            json.dumps(config)
        except TypeError as exc:
            raise ValueError(f"a {kind} job's settings must be JSON values: {exc}") from exc
        job_id = uuid.uuid4().hex[:10]
        created = time.time()
        meta = {"id": job_id, "kind": kind, "title": title, "config": config, "owner": owner,
                "created": created}
        pipe = self.redis.pipeline()
        pipe.set(key(job_id, "meta"), json.dumps(meta).encode())
        pipe.set(key(job_id, "progress"), progress_json(Progress(created=created)))
        pipe.set(key(job_id, "status"), QUEUED)
        pipe.zadd(JOBS_INDEX, {job_id: created})
        pipe.execute()
        self.queue.enqueue_call("core.backends.worker.run_job", args=(job_id,), job_id=job_id, timeout=-1,
                                result_ttl=3600, description=f"{kind}: {title}")
        return self._remember(meta)

    def _remember(self, meta: dict[str, Any]) -> QueueJob:
        with self._lock:
            return self._jobs.setdefault(meta["id"], QueueJob(self, meta))

    @backend_call(lambda self, job_id: self._jobs.get(job_id))
    def get(self, job_id: str) -> QueueJob | None:
        """The job ``job_id`` (``None`` if unknown; while Redis is away, only jobs seen before)."""
        if not job_id:
            return None
        with self._lock:
            if job_id in self._jobs:
                return self._jobs[job_id]
        data = self.redis.get(key(job_id, "meta"))
        return self._remember(json.loads(data)) if data else None

    @backend_call(lambda self, kind=None: [])
    def jobs(self, kind: str | None = None) -> list[QueueJob]:
        """The newest ``NNLAB_JOBS_KEEP`` jobs (default 200), newest first, optionally of one kind
        (none while Redis is away)."""
        ids = [i.decode() for i in self.redis.zrevrange(JOBS_INDEX, 0, job_records.retention()[1] - 1)]
        with self._lock:
            missing = [i for i in ids if i not in self._jobs]
        if missing:
            pipe = self.redis.pipeline()
            for job_id in missing:
                pipe.get(key(job_id, "meta"))
            for job_id, data in zip(missing, pipe.execute()):
                if data:
                    self._remember(json.loads(data))
                else:  # expired: forget it
                    self.redis.zrem(JOBS_INDEX, job_id)
        with self._lock:
            found = [self._jobs[i] for i in ids if i in self._jobs]
        return [j for j in found if kind is None or j.kind == kind]

    @backend_call(lambda self: [])
    def active(self) -> list[QueueJob]:
        """Jobs queued or running: running first (oldest first), then queued in queue order
        (none while Redis is away: ``available()`` tells why)."""
        jobs = self.jobs()
        statuses = self.statuses([j.id for j in jobs])
        running = [j for j in jobs if statuses[j.id] == RUNNING]
        queued = [j for j in jobs if statuses[j.id] == QUEUED]
        return running[::-1] + sorted(queued, key=lambda j: self.position(j.id) or 0)

    @backend_call()
    def cancel(self, job_id: str, session: str | None = None, teacher: bool = False) -> None:
        """Stop a job; with ``session``, only if ``may_stop`` lets it (its owner, or the teacher),
        else ``InputError("jobs.not_yours")``."""
        cancel_checked(self.get(job_id), job_id, session, teacher)

    def statuses(self, ids: list[str]) -> dict[str, str]:
        """Each job's status; a running job whose worker stopped beating becomes interrupted."""
        out = {i: self._final[i] for i in ids if i in self._final}  # every sidebar tick asks
        ids = [i for i in ids if i not in out]
        if not ids:
            return out
        pipe = self.redis.pipeline()
        for job_id in ids:
            pipe.get(key(job_id, "status")).exists(key(job_id, "alive"))
        found = pipe.execute()
        for i, job_id in enumerate(ids):
            status, alive = (found[2 * i] or b"").decode(), found[2 * i + 1]
            if status == RUNNING and not alive and set_status(self.redis, job_id, INTERRUPTED, (RUNNING,)):
                self._mark_interrupted(job_id)
                status = INTERRUPTED
            out[job_id] = status or INTERRUPTED  # a record without status was cut off mid-write
            if status in FINAL:
                self._final[job_id] = status
        return out

    def _mark_interrupted(self, job_id: str) -> None:
        snap = progress_from(self.redis.get(key(job_id, "progress")))
        interrupt(snap)
        self.redis.set(key(job_id, "progress"), progress_json(snap))
        expire_job(self.redis, job_id)

    def position(self, job_id: str) -> int | None:
        """1 for the next job a worker takes; ``None`` once a worker has it."""
        index = self.queue.get_job_position(job_id)
        return None if index is None else index + 1
