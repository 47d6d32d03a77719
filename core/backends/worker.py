"""A training worker for the ``queue`` job backend: ``python -m core.backends.worker``.

    NNLAB_JOBS=redis://localhost:6379/0 NNLAB_HOME=/srv/nnlab python -m core.backends.worker

takes the lab's training jobs from the RQ queue ``nnlab`` one at a time and runs them in
this process (an RQ ``SimpleWorker``: TensorFlow is loaded once, before the first job).
Progress, curves, sample grids and the final result go to Redis for every lab process to
read; checkpoints and exported models go to ``$NNLAB_HOME``, which must be the store the
lab processes read (a shared folder). Start one worker per GPU::

    CUDA_VISIBLE_DEVICES=0 python -m core.backends.worker &
    CUDA_VISIBLE_DEVICES=1 python -m core.backends.worker &

A CPU-only worker caps TensorFlow's threads (``--threads``, else ``NNLAB_TF_THREADS``, else
``core.device.default_threads``: all cores but one). While a job runs, the worker keeps a
heartbeat key alive; if the worker dies (even by SIGKILL) the heartbeat expires and the
lab shows the job as interrupted; a GAN run then resumes from its last checkpoint when
submitted again.

Redis away for a while (a restart, a network blip) stops neither the job nor the worker:
the job's progress writes are skipped while Redis is away (the job trains on and writes its
whole record again once Redis answers, and a job the lab meanwhile marked interrupted reads
as running again), its final status waits for Redis (``FINAL_WAIT_S``), and the worker
reconnects with exponential backoff (``connect``'s retries, then ``main``'s loop) instead of
quitting. ``--health`` reads this process's own heartbeat key (``nnlab:worker:<host>:<pid>``,
refreshed every few seconds, gone ``NNLAB_JOB_HEARTBEAT_S`` after the worker dies), not
RQ's worker list, which shows a killed worker as busy for minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import threading
import time
import traceback
from typing import Any

from core import i18n
from core.backends import kinds as job_kinds
from core.backends.redis_queue import (
    BACKEND_DOWN,
    PREFIX,
    QUEUE_NAME,
    connect,
    expire_job,
    key,
    progress_from,
    progress_json,
    set_status,
)
from core.errors import InputError
from core.jobs import codec as job_codec
from core.jobs.registry import (
    CANCELLED,
    DONE,
    FAILED,
    INTERRUPTED,
    MAX_BATCH_POINTS,
    QUEUED,
    RUNNING,
    JobCancelled,
)

FLUSH_S = 0.25  # at most this often a batch's progress is written to Redis
CANCEL_POLL_S = 0.25
AWAY_S = 2.0  # after a failed write, a job does not try Redis again for this long (it trains on)
FINAL_WAIT_S = 3600.0  # how long a finished job waits for Redis to record its final status
MAX_BACKOFF_S = 30.0  # the longest wait between two reconnection attempts
WORKERS = PREFIX + "worker:"  # + host:pid: a worker's own heartbeat key


def worker_key(host: str | None = None, pid: int | None = None) -> str:
    """This worker's heartbeat key (``nnlab:worker:<host>:<pid>``)."""
    return f"{WORKERS}{host or socket.gethostname()}:{pid or os.getpid()}"


def persist(write, what: str, wait_s: float = FINAL_WAIT_S) -> bool:
    """Call ``write()`` until Redis takes it (exponential backoff, at most ``wait_s`` seconds):
    what must not be lost, such as a job's final status. ``False`` if Redis never came back."""
    delay, deadline = 0.5, time.monotonic() + wait_s
    while True:
        try:
            write()
            return True
        except BACKEND_DOWN as exc:
            if time.monotonic() >= deadline:
                print(f"nnlab worker: gave up writing {what}: {exc}", flush=True)
                return False
            print(f"nnlab worker: Redis away ({exc}); writing {what} again in {delay:.1f} s", flush=True)
            time.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF_S)


def heartbeat_ttl() -> float:
    """Seconds without a heartbeat after which the lab shows a running job as interrupted."""
    return float(os.environ.get("NNLAB_JOB_HEARTBEAT_S", "20"))


class RedisContext:
    """The ``JobContext`` of a job run by a worker: progress and extras go to Redis."""

    def __init__(self, redis, job_id: str, started: float):
        self.redis, self.job_id = redis, job_id
        self.owner = ""  # the student who submitted it (set from the job's meta by run_job)
        self.progress = progress_from(redis.get(key(job_id, "progress")))
        self.progress.status, self.progress.started, self.progress.queue_position = RUNNING, started, None
        self._flushed = self._polled = self._away_until = 0.0
        self._cancelled = False
        self._extras: dict[str, bytes] = {}  # set while Redis was away: sent when it answers
        self.flush()

    def _try(self, call) -> bool:
        """Run ``call()`` against Redis unless it was away a moment ago; ``False`` if not done
        (the job trains on: what it wanted to write is written again later)."""
        if time.monotonic() < self._away_until:
            return False
        try:
            call()
            return True
        except BACKEND_DOWN:
            self._away_until = time.monotonic() + AWAY_S
            return False

    @property
    def cancelled(self) -> bool:
        now = time.monotonic()
        if not self._cancelled and now - self._polled >= CANCEL_POLL_S:
            self._polled = now
            self._try(self._poll_cancel)
        return self._cancelled

    def _poll_cancel(self) -> None:
        self._cancelled = bool(self.redis.exists(key(self.job_id, "cancel")))

    def check(self) -> None:
        if self.cancelled:
            raise JobCancelled()

    def flush(self, force: bool = True) -> None:
        now = time.monotonic()
        if force or now - self._flushed >= FLUSH_S:
            self._flushed = now
            self._try(self._write)

    def _write(self) -> None:
        """The whole record and any extras kept back, in one transaction."""
        pipe = self.redis.pipeline()
        pipe.set(key(self.job_id, "progress"), progress_json(self.progress))
        if self._extras:
            pipe.hset(key(self.job_id, "extras"), mapping=self._extras)
            pipe.incr(key(self.job_id, "extras_v"))
        pipe.execute()
        self._extras = {}

    def _eta(self) -> None:
        p = self.progress
        if p.started and 0 < p.fraction < 1:
            p.eta_s = (time.time() - p.started) * (1 - p.fraction) / p.fraction

    def update(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self.progress, name, value)
        self._eta()
        self.flush()

    def say(self, code: str, **values: Any) -> None:
        """What the job is doing now, as a message code (``common.job_msg.<code>``)."""
        english = i18n.translator("en")(f"common.job_msg.{code}", **values)
        self.update(message=english, message_code=code, message_values=values)

    def start_epoch(self, epoch: int, epochs: int) -> None:
        self.update(epoch=epoch, epochs=epochs, batch=0)

    def log_batch(self, batch: int, batches: int, metrics: dict[str, float] | None = None) -> None:
        p = self.progress
        p.batch, p.batches = batch, batches
        for name, value in (metrics or {}).items():
            series = p.batch_history.setdefault(name, [])
            series.append(float(value))
            del series[: max(0, len(series) - MAX_BATCH_POINTS)]
        self._eta()
        self.flush(force=batch == batches)

    def log_epoch(self, epoch: int, metrics: dict[str, float]) -> None:
        self.progress.epoch = epoch
        for name, value in metrics.items():
            self.progress.history.setdefault(name, []).append(float(value))
        self._eta()
        self.flush(force=False)  # fast jobs end epochs every few ms; run_job flushes the end

    def set_result(self, **values: Any) -> None:
        self.progress.result.update(json.loads(json.dumps(values)))  # JSON-able, as the thread backend's
        self.flush()

    def set_extra(self, name: str, value: Any) -> None:
        self._extras[name] = job_codec.encode(value)
        self._try(self._write)


class Heartbeat:
    """Keeps ``alive`` set (with a TTL) from a thread while a job runs in this process."""

    def __init__(self, redis, job_id: str | None, ttl: float, name: str | None = None):
        self.redis, self.job_id, self.ttl = redis, job_id, ttl
        self.key = name or key(job_id, "alive")
        self._stop = threading.Event()
        self._missed = False
        try:
            self.beat()
        except BACKEND_DOWN:
            self._missed = True  # the thread beats again in a moment
        self._thread = threading.Thread(target=self._loop, daemon=True, name=f"heartbeat-{self.key}")
        self._thread.start()

    def beat(self) -> None:
        self.redis.set(self.key, socket.gethostname(), px=int(self.ttl * 1000))
        if self._missed and self.job_id:  # the lab may have called the job interrupted meanwhile
            set_status(self.redis, self.job_id, RUNNING, (INTERRUPTED,))
        self._missed = False

    def _loop(self) -> None:
        while not self._stop.wait(self.ttl / 4):
            try:
                self.beat()
            except BACKEND_DOWN:  # Redis away for a moment: the next beat retries
                self._missed = True

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        try:
            self.redis.delete(self.key)
        except BACKEND_DOWN:
            pass  # it expires by itself


def run_job(job_id: str, redis=None) -> str:
    """Run the lab job ``job_id`` (what RQ calls); returns its final status."""
    if redis is None:
        from rq import get_current_job

        redis = get_current_job().connection
    meta = redis.get(key(job_id, "meta"))
    if meta is None:
        return "missing"
    meta = json.loads(meta)
    heartbeat = Heartbeat(redis, job_id, heartbeat_ttl())  # before "running": never running unbeaten
    try:
        if not set_status(redis, job_id, RUNNING, (QUEUED,)):
            return "not started"  # cancelled while queued
        ctx = RedisContext(redis, job_id, started=time.time())
        ctx.owner = str(meta.get("owner") or "")  # the models it saves are this student's (issue 29)
        final, failure = _run(meta, ctx)
        p = ctx.progress
        p.status, p.finished, p.eta_s = final, time.time(), None
        for name, value in failure.items():
            setattr(p, name, value)
        persist(ctx._write, f"job {job_id}'s record")
        persist(lambda: set_status(redis, job_id, final, (RUNNING, INTERRUPTED)), f"job {job_id}'s status")
        return final
    finally:
        heartbeat.stop()
        persist(lambda: expire_job(redis, job_id), f"job {job_id}'s retention", wait_s=60)


def _run(meta: dict[str, Any], ctx: RedisContext) -> tuple[str, dict[str, Any]]:
    """The final status of running the job's function with ``ctx``, and the progress fields
    a failure sets (as the thread backend sets them)."""
    try:
        job_kinds.run(meta["kind"], ctx, meta.get("config", {}))
        return (CANCELLED if ctx.cancelled else DONE), {}
    except JobCancelled:
        return CANCELLED, {}
    except Exception as exc:  # a crash in one job must not stop the worker
        coded = isinstance(exc, InputError)
        return FAILED, {"error": f"{type(exc).__name__}: {exc}", "error_code": exc.code if coded else None,
                        "error_values": dict(exc.values) if coded else {},
                        "message": traceback.format_exc(limit=3), "message_code": ""}


def healthy(url: str) -> bool:
    """Redis answers and a worker process of this host beat within ``NNLAB_JOB_HEARTBEAT_S``
    seconds (the container check; a killed worker's key expires, RQ's record does not)."""
    import redis

    try:
        connection = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        return any(True for _ in connection.scan_iter(match=worker_key(pid="*"), count=100))
    except redis.RedisError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the lab's training jobs from a Redis queue")
    parser.add_argument("--url", default=os.environ.get("NNLAB_JOBS", ""),
                        help="Redis URL (default $NNLAB_JOBS), e.g. redis://localhost:6379/0")
    parser.add_argument("--queue", default=QUEUE_NAME)
    parser.add_argument("--threads", type=int, help="TensorFlow threads (default: all cores but one)")
    parser.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    parser.add_argument("--health", action="store_true",
                        help="exit 0 if Redis answers and a worker runs on this host, else 1")
    args = parser.parse_args(argv)
    if not args.url.startswith(("redis://", "rediss://", "unix://")):
        parser.error(f"a Redis URL is needed (--url or NNLAB_JOBS), got {args.url!r}")
    if args.health:
        return 0 if healthy(args.url) else 1
    if args.threads is not None:
        os.environ["NNLAB_TF_THREADS"] = str(args.threads)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from core import device

    device.configure()  # TensorFlow once, with this worker's thread budget, before any job
    print(f"nnlab worker: {device.describe()}, TensorFlow threads {device.thread_budget() or 'all'}, "
          f"CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES', 'unset')}", flush=True)
    serve(args.url, args.queue, args.burst)
    return 0


def serve(url: str, queue: str, burst: bool = False) -> None:
    """Take jobs until stopped; when Redis goes away, wait for it (exponential backoff) and
    start taking jobs again instead of quitting. The worker's heartbeat key lives meanwhile."""
    from rq import Queue, SimpleWorker

    connection = connect(url, retries=5, cap=2.0, socket_connect_timeout=5)
    alive = Heartbeat(connection, None, heartbeat_ttl(), name=worker_key())
    delay = 0.5
    try:
        while True:
            try:
                worker = SimpleWorker([Queue(queue, connection=connection)], connection=connection)
                worker.work(burst=burst)
                if worker._stop_requested or burst:
                    return
            except BACKEND_DOWN as exc:  # RQ's own bookkeeping failed (RQ logged its part)
                print(f"nnlab worker: Redis away ({exc})", flush=True)
            print(f"nnlab worker: reconnecting to Redis in {delay:.1f} s", flush=True)
            time.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF_S)
            if _pings(connection):
                delay = 0.5
    finally:
        alive.stop()


def _pings(connection) -> bool:
    try:
        return bool(connection.ping())
    except BACKEND_DOWN:
        return False


if __name__ == "__main__":
    sys.exit(main())
