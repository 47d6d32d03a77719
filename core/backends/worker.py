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
from core.backends.redis_queue import QUEUE_NAME, expire_job, key, progress_from, progress_json, set_status
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


def heartbeat_ttl() -> float:
    """Seconds without a heartbeat after which the lab shows a running job as interrupted."""
    return float(os.environ.get("NNLAB_JOB_HEARTBEAT_S", "20"))


class RedisContext:
    """The ``JobContext`` of a job run by a worker: progress and extras go to Redis."""

    def __init__(self, redis, job_id: str, started: float):
        self.redis, self.job_id = redis, job_id
        self.progress = progress_from(redis.get(key(job_id, "progress")))
        self.progress.status, self.progress.started, self.progress.queue_position = RUNNING, started, None
        self._flushed = self._polled = 0.0
        self._cancelled = False
        self.flush()

    @property
    def cancelled(self) -> bool:
        now = time.monotonic()
        if not self._cancelled and now - self._polled >= CANCEL_POLL_S:
            self._polled = now
            self._cancelled = bool(self.redis.exists(key(self.job_id, "cancel")))
        return self._cancelled

    def check(self) -> None:
        if self.cancelled:
            raise JobCancelled()

    def flush(self, force: bool = True) -> None:
        now = time.monotonic()
        if force or now - self._flushed >= FLUSH_S:
            self._flushed = now
            self.redis.set(key(self.job_id, "progress"), progress_json(self.progress))

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
        pipe = self.redis.pipeline()
        pipe.hset(key(self.job_id, "extras"), name, job_codec.encode(value))
        pipe.incr(key(self.job_id, "extras_v"))
        pipe.execute()


class Heartbeat:
    """Keeps ``alive`` set (with a TTL) from a thread while a job runs in this process."""

    def __init__(self, redis, job_id: str, ttl: float):
        self.redis, self.key, self.ttl = redis, key(job_id, "alive"), ttl
        self._stop = threading.Event()
        self.beat()
        self._thread = threading.Thread(target=self._loop, daemon=True, name=f"heartbeat-{job_id}")
        self._thread.start()

    def beat(self) -> None:
        self.redis.set(self.key, socket.gethostname(), px=int(self.ttl * 1000))

    def _loop(self) -> None:
        while not self._stop.wait(self.ttl / 4):
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - Redis away for a moment: the next beat retries
                pass

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.redis.delete(self.key)


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
        final, failure = _run(meta, ctx)
        p = ctx.progress
        p.status, p.finished, p.eta_s = final, time.time(), None
        for name, value in failure.items():
            setattr(p, name, value)
        ctx.flush()
        set_status(redis, job_id, final, (RUNNING, INTERRUPTED))
        return final
    finally:
        heartbeat.stop()
        expire_job(redis, job_id)


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
    """Redis answers and a worker of this host is registered with RQ (the container check)."""
    import redis
    from rq import Worker

    try:
        connection = redis.Redis.from_url(url, socket_timeout=5)
        host = socket.gethostname()
        return any(w.hostname == host for w in Worker.all(connection=connection))
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
    import redis
    from rq import Queue, SimpleWorker

    from core import device

    device.configure()  # TensorFlow once, with this worker's thread budget, before any job
    print(f"nnlab worker: {device.describe()}, TensorFlow threads {device.thread_budget() or 'all'}, "
          f"CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES', 'unset')}", flush=True)
    connection = redis.Redis.from_url(args.url)
    worker = SimpleWorker([Queue(args.queue, connection=connection)], connection=connection)
    worker.work(burst=args.burst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
