"""Background training jobs: a thread each, a cancel event, a progress record behind a lock.

The UI never touches a job's internals: it submits a function, reads ``snapshot()``
copies of the progress record, and calls ``cancel()``. Job functions receive a
``JobContext`` and write progress only through it. At most ``slots`` jobs run at once
(one per device); the others wait in FIFO order and know their queue position.

Records are mirrored to JSON files so that a server restart shows jobs that were cut
off as ``interrupted`` (their last checkpoint stays on disk).
"""

from __future__ import annotations

import copy
import threading
import time
import traceback
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from core import interactive
from core.paths import atomic_write_json, read_json

QUEUED, RUNNING, DONE, CANCELLED, FAILED, INTERRUPTED = (
    "queued", "running", "done", "cancelled", "failed", "interrupted")
ACTIVE = (QUEUED, RUNNING)
MAX_BATCH_POINTS = 5000  # per-batch history kept in memory, oldest dropped first


@dataclass
class Progress:
    """What a page may know about a job. Copied out under the job's lock."""

    status: str = QUEUED
    epoch: int = 0  # 1-based epoch in progress (0 before the first)
    epochs: int = 0
    batch: int = 0  # batches done in the current epoch
    batches: int = 0  # batches per epoch
    history: dict[str, list[float]] = field(default_factory=dict)  # per-epoch metrics
    batch_history: dict[str, list[float]] = field(default_factory=dict)  # per-batch metrics
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    eta_s: float | None = None
    error: str | None = None
    message: str = ""
    queue_position: int | None = None
    result: dict[str, Any] = field(default_factory=dict)  # paths, final metrics (JSON-able)
    extras: dict[str, Any] = field(default_factory=dict)  # in-memory only (images, arrays)

    @property
    def fraction(self) -> float:
        """Share of the work done, 0..1."""
        if self.status == DONE:
            return 1.0
        if not self.epochs:
            return 0.0
        per_epoch = self.batch / self.batches if self.batches else 0.0
        return min(1.0, max(0.0, (max(self.epoch, 1) - 1 + per_epoch) / self.epochs))


class JobCancelled(Exception):
    """Raised inside a job function (by ``JobContext.check``) to stop early."""


class JobContext:
    """The only handle a job function has on its job."""

    def __init__(self, job: Job):
        self._job = job
        self.cancel_event = job.cancel_event

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check(self) -> None:
        """Raise ``JobCancelled`` if a stop was requested."""
        if self.cancelled:
            raise JobCancelled()

    def update(self, **fields: Any) -> None:
        """Set fields of the progress record (``epochs=10``, ``message="..."``)."""
        with self._job._lock:
            for key, value in fields.items():
                setattr(self._job._progress, key, value)
            self._job._refresh_eta()

    def log_batch(self, batch: int, batches: int, metrics: dict[str, float] | None = None) -> None:
        """Record that ``batch`` of ``batches`` in the current epoch is done."""
        with self._job._lock:
            p = self._job._progress
            p.batch, p.batches = batch, batches
            for key, value in (metrics or {}).items():
                series = p.batch_history.setdefault(key, [])
                series.append(float(value))
                if len(series) > MAX_BATCH_POINTS:
                    del series[: len(series) - MAX_BATCH_POINTS]
            self._job._refresh_eta()
        interactive.give_way()  # between batches: students drawing right now go first

    def start_epoch(self, epoch: int, epochs: int) -> None:
        """Mark the start of 1-based ``epoch`` of ``epochs``."""
        self.update(epoch=epoch, epochs=epochs, batch=0)

    def log_epoch(self, epoch: int, metrics: dict[str, float]) -> None:
        """Append end-of-epoch metrics and save the record to disk."""
        with self._job._lock:
            p = self._job._progress
            p.epoch = epoch
            for key, value in metrics.items():
                p.history.setdefault(key, []).append(float(value))
            self._job._refresh_eta()
        self._job._persist()

    def set_result(self, **values: Any) -> None:
        """Store JSON-able results (model path, checkpoint, final metrics); saved to disk."""
        with self._job._lock:
            self._job._progress.result.update(values)
        self._job._persist()

    def set_extra(self, key: str, value: Any) -> None:
        """Store an in-memory artefact for display (e.g. a sample grid); not persisted."""
        with self._job._lock:
            self._job._progress.extras[key] = value


JobFn = Callable[[JobContext], Any]


class Job:
    """One unit of background work and its progress record."""

    def __init__(self, kind: str, title: str, config: dict[str, Any], owner: str = "",
                 record_dir: Path | None = None, job_id: str | None = None):
        self.id = job_id or uuid.uuid4().hex[:10]
        self.kind, self.title, self.config, self.owner = kind, title, dict(config), owner
        self.cancel_event = threading.Event()
        self.thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._progress = Progress()
        self._record_dir = record_dir

    def snapshot(self) -> Progress:
        """A deep copy of the progress record, safe to read without the lock."""
        with self._lock:
            extras = self._progress.extras
            self._progress.extras = {}
            snap = copy.deepcopy(self._progress)
            self._progress.extras = extras
        snap.extras = dict(extras)  # artefacts are replaced, never mutated: a shallow copy is enough
        return snap

    @property
    def status(self) -> str:
        with self._lock:
            return self._progress.status

    def cancel(self) -> None:
        """Ask the job to stop; a queued job never starts."""
        self.cancel_event.set()

    def join(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)

    def _refresh_eta(self) -> None:  # caller holds the lock
        p = self._progress
        if p.status == RUNNING and p.started and 0 < p.fraction < 1:
            elapsed = time.time() - p.started
            p.eta_s = elapsed * (1 - p.fraction) / p.fraction

    def _set_status(self, status: str, **fields: Any) -> None:
        with self._lock:
            self._progress.status = status
            for key, value in fields.items():
                setattr(self._progress, key, value)
        self._persist()

    def to_record(self) -> dict[str, Any]:
        snap = self.snapshot()
        progress = asdict(snap)
        progress.pop("extras")
        progress.pop("batch_history")
        return {"id": self.id, "kind": self.kind, "title": self.title, "config": self.config,
                "owner": self.owner, "progress": progress}

    def _persist(self) -> None:
        if self._record_dir is not None:
            try:
                atomic_write_json(self._record_dir / f"{self.id}.json", self.to_record())
            except OSError:
                pass  # a full disk must not kill training; the in-memory record still works

    @classmethod
    def from_record(cls, record: dict[str, Any], record_dir: Path | None) -> Job:
        job = cls(record["kind"], record["title"], record.get("config", {}),
                  record.get("owner", ""), record_dir, job_id=record["id"])
        fields = set(Progress.__dataclass_fields__)
        for key, value in record.get("progress", {}).items():
            if key in fields:
                setattr(job._progress, key, value)
        return job


class JobRegistry:
    """All jobs of this server process, shared by every browser session."""

    def __init__(self, slots: int = 1, record_dir: Path | None = None):
        if slots < 1:
            raise ValueError(f"slots must be at least 1, got {slots}")
        self.slots = slots
        self.record_dir = Path(record_dir) if record_dir else None
        self._jobs: dict[str, Job] = {}
        self._waiting: list[Job] = []
        self._running = 0
        self._cond = threading.Condition()
        if self.record_dir:
            self.record_dir.mkdir(parents=True, exist_ok=True)
            self._recover()

    def _recover(self) -> None:
        """Load earlier records; jobs that were active when the server died are interrupted."""
        for path in sorted(self.record_dir.glob("*.json")):
            record = read_json(path)
            if not isinstance(record, dict) or "id" not in record:
                continue
            job = Job.from_record(record, self.record_dir)
            if job._progress.status in ACTIVE:
                job._set_status(INTERRUPTED, message="The server stopped while this job was active.")
            self._jobs[job.id] = job

    def submit(self, kind: str, title: str, fn: JobFn, config: dict[str, Any] | None = None,
               owner: str = "") -> Job:
        """Queue ``fn`` to run in its own thread; returns the job at once."""
        job = Job(kind, title, config or {}, owner, self.record_dir)
        with self._cond:
            self._jobs[job.id] = job
            self._waiting.append(job)
            self._update_positions()
        job._persist()
        job.thread = threading.Thread(target=self._run, args=(job, fn), daemon=True,
                                      name=f"job-{kind}-{job.id}")
        job.thread.start()
        return job

    def _update_positions(self) -> None:  # caller holds self._cond
        for i, waiting in enumerate(self._waiting):
            with waiting._lock:
                waiting._progress.queue_position = i + 1

    def _wait_for_slot(self, job: Job) -> bool:
        with self._cond:
            while not job.cancel_event.is_set() and not (
                    self._waiting[0] is job and self._running < self.slots):
                self._cond.wait(timeout=0.2)
            self._waiting.remove(job)
            self._update_positions()
            if job.cancel_event.is_set():
                self._cond.notify_all()
                return False
            self._running += 1
            return True

    def _run(self, job: Job, fn: JobFn) -> None:
        if not self._wait_for_slot(job):
            job._set_status(CANCELLED, queue_position=None, finished=time.time())
            return
        job._set_status(RUNNING, queue_position=None, started=time.time())
        try:
            fn(JobContext(job))
            final = CANCELLED if job.cancel_event.is_set() else DONE
            job._set_status(final, finished=time.time(), eta_s=None)
        except JobCancelled:
            job._set_status(CANCELLED, finished=time.time(), eta_s=None)
        except Exception as exc:  # a crash in user-started training must never kill the server
            job._set_status(FAILED, finished=time.time(), eta_s=None,
                            error=f"{type(exc).__name__}: {exc}",
                            message=traceback.format_exc(limit=3))
        finally:
            with self._cond:
                self._running -= 1
                self._cond.notify_all()

    def get(self, job_id: str) -> Job | None:
        with self._cond:
            return self._jobs.get(job_id)

    def jobs(self, kind: str | None = None) -> list[Job]:
        """All jobs, newest first, optionally of one kind."""
        with self._cond:
            found = [j for j in self._jobs.values() if kind is None or j.kind == kind]
        return sorted(found, key=lambda j: j.snapshot().created, reverse=True)

    def active(self) -> list[Job]:
        """Jobs queued or running."""
        return [j for j in self.jobs() if j.status in ACTIVE]

    def cancel(self, job_id: str) -> None:
        job = self.get(job_id)
        if job is None:
            raise ValueError(f"no job with id {job_id!r}")
        job.cancel()
