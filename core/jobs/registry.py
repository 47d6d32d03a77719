"""Background training jobs: a thread each, a cancel event, a progress record behind a lock.

The UI never touches a job's internals: it submits a function, reads ``snapshot()``
copies of the progress record, and calls ``cancel()``. Job functions receive a
``JobContext`` and write progress only through it. At most ``slots`` jobs run at once
(the lab uses one); the others wait in FIFO order and know their queue position.

Records are mirrored to JSON files so that a server restart shows jobs that were cut
off as ``interrupted`` (their last checkpoint stays on disk). Records read back are
validated, and old finished ones pruned (``core.jobs.records``).

Jobs have an owner (the browser session that started them): ``Job.can_stop`` lets only
the owner, or the teacher, stop a job.
"""

from __future__ import annotations

import copy
import os
import threading
import time
import traceback
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable

from core.errors import InputError
from core.jobs import records as job_records
from core.jobs.progress import (
    ACTIVE,
    CANCELLED,
    DONE,
    FAILED,
    INTERRUPTED,
    MAX_BATCH_POINTS,
    QUEUED,
    RUNNING,
    JobCancelled,
    JobContext,
    Progress,
)
from core.paths import atomic_write_json

__all__ = ["ACTIVE", "CANCELLED", "DONE", "FAILED", "INTERRUPTED", "MAX_BATCH_POINTS", "QUEUED", "RUNNING",
           "Job", "JobCancelled", "JobContext", "JobFn", "JobRegistry", "Progress"]

JobFn = Callable[[JobContext], Any]
MAX_ACTIVE_DEFAULT = 3
# Small interactive trainings: they never wait behind a classmate's long training (their own
# lane of LIGHT_SLOTS threads) and stop after NNLAB_LIGHT_MAX_S seconds (default 300).
LIGHT_KINDS = frozenset({"playground", "xor_mlp", "rnn_adding", "gan2d"})
LIGHT_SLOTS = 4
LIGHT_MAX_S_DEFAULT = 300.0


def light_max_s() -> float:
    """How long a light interactive job may run (``NNLAB_LIGHT_MAX_S``, default 300 s)."""
    try:
        return max(1.0, float(os.environ.get("NNLAB_LIGHT_MAX_S", LIGHT_MAX_S_DEFAULT)))
    except ValueError:
        return LIGHT_MAX_S_DEFAULT


def cancel_checked(job: Any, job_id: str, session: str | None, teacher: bool) -> None:
    """Stop ``job`` (looked up as ``job_id``); with ``session``, only if that session owns it or
    it is the teacher's. Every job backend's ``cancel`` goes through here."""
    if job is None:
        raise InputError("jobs.unknown", value=job_id)
    if session is not None and not job.can_stop(session, teacher):
        raise InputError("jobs.not_yours")
    job.cancel()


def max_active_jobs() -> int:
    """Jobs one student may have queued or running at once (``NNLAB_MAX_JOBS``, default 3)."""
    try:
        return max(1, int(os.environ.get("NNLAB_MAX_JOBS", MAX_ACTIVE_DEFAULT)))
    except ValueError:
        return MAX_ACTIVE_DEFAULT


def check_quota(active_owners: list[str], owner: str) -> None:
    """Raise ``InputError("quota.jobs")`` when ``owner`` has the most active jobs allowed
    (``active_owners``: the owner of every queued or running job). No owner (the command
    line, tests): no limit. Every job backend's ``submit`` goes through here."""
    if owner:
        count = sum(1 for o in active_owners if o == owner)
        if count >= max_active_jobs():
            raise InputError("quota.jobs", count=count, limit=max_active_jobs())


def cancel_owner(jobs: list[Any], owner: str) -> int:
    """The teacher's "stop all of this student": cancel every active job of ``owner``; how many."""
    mine = [job for job in jobs if owner and job.owner == owner]
    for job in mine:
        job.cancel()
    return len(mine)


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
        self.created = self._progress.created  # never changes: sorting needs no lock nor copy
        self._record_dir = record_dir
        self._eta_base: tuple[float, float] | None = None  # (time, fraction) at this run's first batch

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

    def can_stop(self, session: str, teacher: bool = False) -> bool:
        """Whether ``session`` may stop this job: its owner, or the teacher."""
        return teacher or bool(self.owner) and self.owner == session

    def _order(self) -> tuple[int, float]:
        """Running jobs first (oldest start first), then queued ones in queue order."""
        with self._lock:
            p = self._progress
            if p.status == RUNNING:
                return 0, p.started or p.created
            return 1, float(p.queue_position or 0)

    def join(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)

    def _refresh_eta(self, progressed: bool = False) -> None:  # caller holds the lock
        """Time left from the pace of THIS run: the work done since its first batch over the
        time since then. A resumed run starts with most of the plan done (a fraction of the
        whole plan over the time since start would promise seconds for minutes of work), and
        data loading and model building before the first batch are not training pace.
        ``progressed``: a batch or an epoch was just reported done."""
        p = self._progress
        if p.status != RUNNING:
            return
        now, fraction = time.time(), p.fraction
        if self._eta_base is None:
            if progressed:  # this run's first batch is done: its pace is measured from here
                self._eta_base = (now, fraction)
            return
        since, base = self._eta_base
        if fraction > base and now > since:
            p.eta_s = (now - since) * (1 - fraction) / (fraction - base)

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
        """A job from a record already checked by ``job_records.validate``."""
        job = cls(record["kind"], record["title"], record.get("config", {}),
                  record.get("owner", ""), record_dir, job_id=record["id"])
        fields = set(Progress.__dataclass_fields__)
        for key, value in record.get("progress", {}).items():
            if key in fields:
                setattr(job._progress, key, value)
        job.created = job._progress.created
        return job

    def _finished_at(self) -> float | None:
        with self._lock:
            p = self._progress
            return None if p.status in ACTIVE else (p.finished or p.created)


class JobRegistry:
    """All jobs of this server process, shared by every browser session."""

    def __init__(self, slots: int = 1, record_dir: Path | None = None):
        if slots < 1:
            raise ValueError(f"slots must be at least 1, got {slots}")
        self.slots = slots
        self.record_dir = Path(record_dir) if record_dir else None
        self._jobs: dict[str, Job] = {}
        self._live: dict[str, Job] = {}  # submitted here and not ended: what active() scans
        self._waiting: list[Job] = []  # long jobs in queue order (light ones never queue here)
        self._running = 0
        self._light_running = 0
        self._cond = threading.Condition()
        if self.record_dir:
            self.record_dir.mkdir(parents=True, exist_ok=True)
            self._recover()

    def available(self, kind: str | None = None) -> bool:
        """Training threads in this process are always there (the queue backend's may not be)."""
        return True

    def _recover(self) -> None:
        """Load earlier records; jobs that were active when the server died are interrupted.

        A malformed record is moved to ``damaged/`` and logged (``core.jobs.records``); old
        finished records are pruned by the retention settings.
        """
        for record in job_records.load_records(self.record_dir):
            job = Job.from_record(record, self.record_dir)
            if job._progress.status in ACTIVE:
                job._set_status(INTERRUPTED, message="The server stopped while this job was active.",
                                message_code="server_stopped", message_values={})
            self._jobs[job.id] = job
        self.prune()

    def prune(self) -> list[str]:
        """Forget finished jobs beyond the retention settings and delete their records; returns their ids."""
        with self._cond:
            finished = [(when, job.id, job.owner) for job in self._jobs.values()
                        if job.id not in self._live and (when := job._finished_at()) is not None]
            dropped = job_records.expired(finished)
            for job_id in dropped:
                del self._jobs[job_id]
        for job_id in dropped:
            if self.record_dir:
                (self.record_dir / f"{job_id}.json").unlink(missing_ok=True)
        return dropped

    def submit(self, kind: str, title: str, fn: JobFn, config: dict[str, Any] | None = None,
               owner: str = "") -> Job:
        """Queue ``fn`` to run in its own thread; returns the job at once.

        A student (``owner``) with ``max_active_jobs()`` jobs queued or running already gets
        ``InputError("quota.jobs")``: one session cannot fill the queue for the whole class.
        """
        job = Job(kind, title, config or {}, owner, self.record_dir)
        self.prune()
        with self._cond:
            check_quota([j.owner for j in self._live.values()], owner)
            self._jobs[job.id] = job
            self._live[job.id] = job
            if kind not in LIGHT_KINDS:
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

    def _may_start(self, job: Job) -> bool:  # caller holds self._cond
        if job.kind in LIGHT_KINDS:
            return self._light_running < LIGHT_SLOTS
        return self._waiting[0] is job and self._running < self.slots

    def _wait_for_slot(self, job: Job) -> bool:
        light = job.kind in LIGHT_KINDS
        with self._cond:
            while not job.cancel_event.is_set() and not self._may_start(job):
                self._cond.wait(timeout=0.2)
            if not light:
                self._waiting.remove(job)
                self._update_positions()
            if job.cancel_event.is_set():
                self._cond.notify_all()
                return False
            if light:
                self._light_running += 1
            else:
                self._running += 1
            return True

    def _time_out(self, job: Job, limit: float) -> None:
        """A light job ran out of time: stop it, saying why (the page shows the time limit)."""
        with job._lock:
            job._progress.message_code, job._progress.message_values = "time_limit", {"s": int(limit)}
        job.cancel()

    def _run(self, job: Job, fn: JobFn) -> None:
        if not self._wait_for_slot(job):
            job._set_status(CANCELLED, queue_position=None, finished=time.time())
            with self._cond:
                self._live.pop(job.id, None)
            return
        job._set_status(RUNNING, queue_position=None, started=time.time())
        light = job.kind in LIGHT_KINDS
        timer = threading.Timer(light_max_s(), self._time_out, (job, light_max_s())) if light else None
        if timer is not None:
            timer.daemon = True
            timer.start()
        try:
            fn(JobContext(job))
            final = CANCELLED if job.cancel_event.is_set() else DONE
            job._set_status(final, finished=time.time(), eta_s=None)
        except JobCancelled:
            job._set_status(CANCELLED, finished=time.time(), eta_s=None)
        except Exception as exc:  # a crash in user-started training must never kill the server
            coded = isinstance(exc, InputError)
            job._set_status(FAILED, finished=time.time(), eta_s=None,
                            error=f"{type(exc).__name__}: {exc}",
                            error_code=exc.code if coded else None,
                            error_values=dict(exc.values) if coded else {},
                            message=traceback.format_exc(limit=3), message_code="")
        finally:
            if timer is not None:
                timer.cancel()
            with self._cond:
                if light:
                    self._light_running -= 1
                else:
                    self._running -= 1
                self._live.pop(job.id, None)
                self._cond.notify_all()

    def get(self, job_id: str) -> Job | None:
        with self._cond:
            return self._jobs.get(job_id)

    def jobs(self, kind: str | None = None) -> list[Job]:
        """All jobs, newest first, optionally of one kind (sorted by creation time: no copies)."""
        with self._cond:
            found = [j for j in self._jobs.values() if kind is None or j.kind == kind]
        return sorted(found, key=lambda j: j.created, reverse=True)

    def active(self) -> list[Job]:
        """Jobs queued or running: running first, then queued in queue order.

        Polled every second by every open page, so it looks only at the jobs submitted
        to this process and not yet ended, never at the whole history.
        """
        with self._cond:
            live = list(self._live.values())
        return sorted((j for j in live if j.status in ACTIVE), key=Job._order)

    def shutdown(self, timeout: float = 60.0) -> list[str]:
        """Stop every queued or running job as its Stop button would (a stopped training saves
        what it learned, a GAN its checkpoint and model), and wait up to ``timeout`` seconds
        for them to finish. Called when the server is asked to stop (SIGTERM, then exit), so a
        deploy or a restart does not lose the class's running work. Returns the ids stopped."""
        with self._cond:
            live = list(self._live.values())
        for job in live:
            job.cancel()
        deadline = time.time() + timeout
        for job in live:
            job.join(max(0.0, deadline - time.time()))
        return [job.id for job in live]

    def cancel(self, job_id: str, session: str | None = None, teacher: bool = False) -> None:
        """Stop a job; with ``session``, only if that session owns it (or ``teacher``)."""
        cancel_checked(self.get(job_id), job_id, session, teacher)
