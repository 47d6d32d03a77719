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
from typing import Any, Callable

from core.backends import kinds as job_kinds
from core.backends.redis_recorder import RedisRecorder
from core.backends.redis_store import (
    BACKEND_DOWN,
    PREFIX,
    QUEUE_NAME,
    connect,
    expire_job,
    key,
    set_status,
)
from core.jobs.progress import FAILED, INTERRUPTED, QUEUED, RUNNING, failure

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


def run_job(job_id: str, redis=None, build: Callable[[str, dict[str, Any]], Any] | None = None) -> str:
    """Run the lab job ``job_id`` (what RQ calls); returns its final status. ``build``: the
    kinds it may run (``core.backends.kinds.build``; tests pass their own)."""
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
        # the models it saves are this student's (issue 29)
        recorder = RedisRecorder(redis, job_id, owner=str(meta.get("owner") or ""))
        recorder.begin()
        try:
            fn = (build or job_kinds.build)(meta["kind"], meta.get("config", {}))
        except Exception as exc:  # noqa: BLE001 - a config no worker can run: this job fails, not the worker
            recorder.finish(FAILED, **failure(exc))
        else:
            recorder.run(fn)  # a crash in one job must not stop the worker: it is that job's "failed"
        final = recorder.progress.status
        persist(recorder.write, f"job {job_id}'s record")
        persist(lambda: set_status(redis, job_id, final, (RUNNING, INTERRUPTED)), f"job {job_id}'s status")
        return final
    finally:
        heartbeat.stop()
        persist(lambda: expire_job(redis, job_id), f"job {job_id}'s retention", wait_s=60)


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
