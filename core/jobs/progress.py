"""A job's progress record, its statuses, and the few changes every backend makes to it.

``Progress`` is what a page may read (a copy: ``job.snapshot()``); a job function writes it
only through its ``core.jobs.recorder.Recorder``. Both backends (threads, the Redis queue)
mark a failed or a cut-off job with the same fields, from ``failure`` and ``interrupt`` here.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from core import i18n
from core.errors import InputError

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
    """Raised inside a job function (by ``Recorder.check``) to stop early."""


SERVER_STOPPED = "server_stopped"  # common.job_msg.server_stopped: a job cut off by a stop or a crash


def interrupt(progress: Progress) -> None:
    """Mark ``progress`` as cut off (its server or worker stopped while it was active)."""
    progress.status, progress.eta_s, progress.queue_position = INTERRUPTED, None, None
    progress.message_code, progress.message_values = SERVER_STOPPED, {}
    progress.message = i18n.translator("en")(f"common.job_msg.{SERVER_STOPPED}")


def failure(exc: BaseException) -> dict[str, Any]:
    """The progress fields of a job that raised ``exc`` (call inside the ``except``): an
    ``InputError``'s code and values for the page to translate, the traceback for logs."""
    coded = isinstance(exc, InputError)
    return {"error": f"{type(exc).__name__}: {exc}", "error_code": exc.code if coded else None,
            "error_values": dict(exc.values) if coded else {},
            "message": traceback.format_exc(limit=3), "message_code": ""}
