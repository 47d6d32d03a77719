"""The one progress recorder: what a job function writes through, in either backend.

A job function ``fn(ctx)`` gets a ``Recorder`` (it is the ``core.jobs.context.JobContext``)
and reports only through it: ``start_epoch``, ``log_batch``, ``log_epoch``, ``say``,
``update``, ``set_result``, ``set_extra``, ``check``. The recorder keeps the ``Progress``
record behind a lock, estimates the time left, and runs the job's life (``begin``, ``run``,
``finish``) the same way for both backends. A backend says only where the record goes and
where a stop request comes from, by overriding three methods:

- threads (``core.jobs.registry``): the record stays in memory for the pages and is written
  to the job's record file; a stop is the job's cancel event;
- the Redis queue (``core.backends.redis_recorder``): the record is flushed to Redis; a stop
  is a Redis key the recorder polls.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any, Callable

from core import i18n
from core.jobs import interactive
from core.jobs.progress import (
    CANCELLED,
    DONE,
    FAILED,
    MAX_BATCH_POINTS,
    RUNNING,
    JobCancelled,
    Progress,
    failure,
)

SAVE_EVERY_S = 0.25  # a batch's progress is saved (file, Redis) at most this often


def _plain(value: Any) -> Any:
    """JSON for what a result may hold besides JSON values: numpy numbers and arrays, paths."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"a job result must be JSON values, got {type(value).__name__}")


class Recorder:
    """A job's progress record and the only handle its function has on it (``JobContext``).

    ``owner``: the student whose models the job saves. ``clock``: ``time.time`` (tests move
    their own)."""

    save_every_s = SAVE_EVERY_S

    def __init__(self, progress: Progress | None = None, owner: str = "",
                 clock: Callable[[], float] = time.time):
        self.lock = threading.Lock()
        self.progress = progress or Progress()
        self.owner = owner or ""
        self._clock = clock
        self._eta_base: tuple[float, float] | None = None  # (time, fraction) at this run's first batch
        self._saved = float("-inf")  # monotonic time of the last save

    # ------------------------------------------------------------ what a backend provides
    def _stop_requested(self) -> bool:
        """Whether someone asked the job to stop."""
        return False

    def _save(self, durable: bool) -> None:
        """Write the record where the backend's readers find it (called outside the lock).
        ``durable``: the job started or ended, or has a result: what a restart must find."""

    def _save_extra(self, key: str, value: Any) -> None:
        """Store an in-memory artefact where the backend's readers find it."""

    # ------------------------------------------------------------ the job function's side
    @property
    def cancelled(self) -> bool:
        """Whether a stop was requested (poll it between batches)."""
        return self._stop_requested()

    def check(self) -> None:
        """Raise ``JobCancelled`` if a stop was requested."""
        if self.cancelled:
            raise JobCancelled()

    def update(self, **fields: Any) -> None:
        """Set fields of the progress record (``epochs=10``, ``message="..."``); saved at once."""
        with self.lock:
            for key, value in fields.items():
                setattr(self.progress, key, value)
            self._refresh_eta()
        self._saved_now(force=True)

    def say(self, code: str, **values: Any) -> None:
        """What the job is doing now, as a message code (``common.job_msg.<code>``) the page
        translates; the English text is kept for logs."""
        english = i18n.translator("en")(f"common.job_msg.{code}", **values)
        self.update(message=english, message_code=code, message_values=values)

    def start_epoch(self, epoch: int, epochs: int) -> None:
        """Mark the start of 1-based ``epoch`` of ``epochs`` (a resumed run starts past 1)."""
        self.update(epoch=epoch, epochs=epochs, batch=0)

    def log_batch(self, batch: int, batches: int, metrics: dict[str, float] | None = None) -> None:
        """Record that ``batch`` of ``batches`` in the current epoch is done."""
        with self.lock:
            p = self.progress
            p.batch, p.batches = batch, batches
            for key, value in (metrics or {}).items():
                series = p.batch_history.setdefault(key, [])
                series.append(float(value))
                del series[: max(0, len(series) - MAX_BATCH_POINTS)]  # the oldest go first
            self._refresh_eta(progressed=True)
        self._saved_now(force=batch == batches)
        interactive.give_way()  # between batches: students drawing right now go first

    def log_epoch(self, epoch: int, metrics: dict[str, float]) -> None:
        """Append end-of-epoch metrics (fast jobs end epochs every few ms: saved at most every
        ``save_every_s``; the end of the run is always saved)."""
        with self.lock:
            p = self.progress
            p.epoch = epoch
            for key, value in metrics.items():
                p.history.setdefault(key, []).append(float(value))
            self._refresh_eta(progressed=True)
        self._saved_now(force=False)

    def set_result(self, **values: Any) -> None:
        """Store JSON-able results (model path, checkpoint, final metrics); saved at once."""
        plain = json.loads(json.dumps(values, default=_plain))  # what a reader gets back, in both backends
        with self.lock:
            self.progress.result.update(plain)
        self._saved_now(force=True, durable=True)

    def set_extra(self, key: str, value: Any) -> None:
        """Store an artefact for display (a sample grid, a surface): numpy arrays, numbers,
        strings, lists, tuples, dicts (``core.jobs.codec``). Never written to a record file."""
        with self.lock:
            self.progress.extras[key] = value
        self._save_extra(key, value)

    # ------------------------------------------------------------ the backend's side
    def begin(self, started: float | None = None) -> None:
        """The job starts running now: its pace (the ETA) is measured from this run only."""
        with self.lock:
            p = self.progress
            p.status, p.queue_position = RUNNING, None
            p.started = self._clock() if started is None else started
            self._eta_base = None
        self._saved_now(force=True, durable=True)

    def finish(self, status: str, **fields: Any) -> None:
        """The job ended with ``status`` (and ``fields``, e.g. a failure's)."""
        with self.lock:
            p = self.progress
            p.status, p.finished, p.eta_s = status, self._clock(), None
            for key, value in fields.items():
                setattr(p, key, value)
        self._saved_now(force=True, durable=True)

    def run(self, fn: Callable[[Recorder], Any]) -> str:
        """Run ``fn(self)`` and record how it ended; returns the final status. A crash in a
        student's training never reaches the server or the worker: it is the job's ``failed``."""
        try:
            fn(self)
            fields, status = {}, (CANCELLED if self.cancelled else DONE)
        except JobCancelled:
            fields, status = {}, CANCELLED
        except Exception as exc:  # noqa: BLE001 - any crash in user-started training
            fields, status = failure(exc), FAILED
        self.finish(status, **fields)
        return status

    def _saved_now(self, force: bool, durable: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._saved >= self.save_every_s:
            self._saved = now
            self._save(durable)

    def _refresh_eta(self, progressed: bool = False) -> None:  # caller holds the lock
        """Time left from the pace of THIS run: the work done since its first batch over the
        time since then. A resumed run starts with most of the plan done (a fraction of the
        whole plan over the time since start would promise seconds for minutes of work), and
        data loading and model building before the first batch are not training pace.
        ``progressed``: a batch or an epoch was just reported done."""
        p = self.progress
        if p.status != RUNNING:
            return
        now, fraction = self._clock(), p.fraction
        if self._eta_base is None:
            if progressed:  # this run's first batch is done: its pace is measured from here
                self._eta_base = (now, fraction)
            return
        since, base = self._eta_base
        if fraction > base and now > since:
            p.eta_s = (now - since) * (1 - fraction) / (fraction - base)
