"""A job's progress record and the context its function writes through.

Split from ``core.jobs.registry`` (which re-exports every name here): ``Progress`` is what a page
may read (copied out under the job's lock), ``JobContext`` the only handle a job
function has on its job.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from core import i18n
from core.jobs import interactive

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
    error_code: str | None = None  # an InputError's code: the page shows it translated
    error_values: dict[str, Any] = field(default_factory=dict)
    message: str = ""  # English, for logs; pages translate message_code
    message_code: str = ""  # key under common.job_msg (e.g. "loading_data")
    message_values: dict[str, Any] = field(default_factory=dict)
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


class TrackedJob(Protocol):
    """What a ``JobContext`` needs of its job (``core.jobs.registry.Job`` has it; this module does not
    import that one, so the two import one way): the record and its lock, the stop flag,
    and the job's own bookkeeping after a change."""

    cancel_event: threading.Event
    _lock: threading.Lock
    _progress: Progress

    def _refresh_eta(self, progressed: bool = False) -> None: ...

    def _persist(self) -> None: ...


class JobContext:
    """The only handle a job function has on its job."""

    def __init__(self, job: TrackedJob):
        self._job = job
        self.cancel_event = job.cancel_event
        self.owner: str = getattr(job, "owner", "") or ""  # the student whose models this job saves

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
            self._job._refresh_eta(progressed=True)
        interactive.give_way()  # between batches: students drawing right now go first

    def say(self, code: str, **values: Any) -> None:
        """Set the job's current activity as a message code (``common.job_msg.<code>``)."""
        english = i18n.translator("en")(f"common.job_msg.{code}", **values)
        self.update(message=english, message_code=code, message_values=values)

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
            self._job._refresh_eta(progressed=True)
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
