"""Background training jobs in this process: a thread each, a cancel event, a ``Recorder``.

``JobRegistry.submit(kind, title, config, owner=...)`` builds the job's function from its kind
and JSON config (``build``: the lab's kinds, ``core.backends.kinds.build``, as the queue's
workers do) and runs it in a thread; the page keeps the returned ``Job`` (a
``core.jobs.handle.JobHandle``), reads ``snapshot()`` copies and stops it through
``registry.cancel`` (``core.jobs.policy.may_stop``). At most ``slots`` long jobs run at once
(the lab uses one); the others wait in FIFO order and know their queue position. Light
interactive kinds (``LIGHT_KINDS``) have their own lane and a time limit.

Records are mirrored to JSON files so that a server restart shows jobs that were cut
off as ``interrupted`` (their last checkpoint stays on disk). Records read back are
validated, and old finished ones pruned (``core.jobs.records``).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Callable

from core.jobs import records as job_records
from core.jobs.context import JobContext
from core.jobs.handle import JobHandle
from core.jobs.policy import (
    LIGHT_KINDS,
    LIGHT_SLOTS,
    cancel_checked,
    cancel_owner,
    check_quota,
    light_max_s,
    max_active_jobs,
    may_stop,
)
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
    Progress,
    interrupt,
)
from core.jobs.recorder import Recorder
from core.jobs.thread_job import Job, ThreadRecorder

__all__ = ["ACTIVE", "CANCELLED", "DONE", "FAILED", "INTERRUPTED", "LIGHT_KINDS", "MAX_BATCH_POINTS",
           "QUEUED", "RUNNING", "Builder", "Job", "JobCancelled", "JobContext", "JobFn", "JobHandle",
           "JobRegistry", "Progress", "Recorder", "ThreadRecorder", "cancel_checked", "cancel_owner", "check_quota",
           "light_max_s", "max_active_jobs", "may_stop"]

JobFn = Callable[[JobContext], Any]
Builder = Callable[[str, dict[str, Any]], JobFn]  # (kind, config) -> the job function


def no_kinds(kind: str, config: dict[str, Any]) -> JobFn:
    """The builder of a registry made without one: it runs no kind."""
    raise ValueError(f"this job registry was made without job kinds (JobRegistry(build=...)); "
                     f"cannot run {kind!r}")


class JobRegistry:
    """All jobs of this server process, shared by every browser session."""

    def __init__(self, slots: int = 1, record_dir: Path | None = None, build: Builder | None = None):
        if slots < 1:
            raise ValueError(f"slots must be at least 1, got {slots}")
        self.slots = slots
        self.build = build or no_kinds  # (kind, config) -> fn: the lab passes core.backends.kinds.build
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
            if job.status in ACTIVE:
                with job.recorder.lock:
                    interrupt(job.recorder.progress)
                job._persist()
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

    def submit(self, kind: str, title: str, config: dict[str, Any] | None = None, *, owner: str = "") -> Job:
        """Run a job of ``kind`` with its JSON ``config`` in its own thread; returns the job at once.

        The job function is built here, from ``kind`` and ``config`` (``build``), so a bad
        config fails now, before anything is queued. A student (``owner``) with
        ``max_active_jobs()`` jobs queued or running already gets ``InputError("quota.jobs")``:
        one session cannot fill the queue for the whole class.
        """
        if callable(config):
            raise TypeError("submit(kind, title, config, owner=...) takes the job's config, not its "
                            "function: the function is built from the kind (core.backends.kinds)")
        config = dict(config or {})
        fn = self.build(kind, config)
        job = Job(kind, title, config, owner, self.record_dir)
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
            with waiting.recorder.lock:
                waiting.recorder.progress.queue_position = i + 1

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
        with job.recorder.lock:
            job.recorder.progress.message_code = "time_limit"
            job.recorder.progress.message_values = {"s": int(limit)}
        job.cancel()

    def _run(self, job: Job, fn: JobFn) -> None:
        if not self._wait_for_slot(job):
            job.recorder.finish(CANCELLED, queue_position=None)
            with self._cond:
                self._live.pop(job.id, None)
            return
        job.recorder.begin()
        light = job.kind in LIGHT_KINDS
        timer = threading.Timer(light_max_s(), self._time_out, (job, light_max_s())) if light else None
        if timer is not None:
            timer.daemon = True
            timer.start()
        try:
            job.recorder.run(fn)  # a crash in user-started training is the job's "failed", never the server's
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
        """Stop a job; with ``session``, only if ``may_stop`` lets it (its owner, or the teacher),
        else ``InputError("jobs.not_yours")``."""
        cancel_checked(self.get(job_id), job_id, session, teacher)
