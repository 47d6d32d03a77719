"""The queue deployment's registry with a fast lane: light interactive jobs stay in the lab process.

With ``NNLAB_JOBS=redis://...`` every job goes to the workers, one job at a time each: the
playground's live training would wait behind a classmate's half-hour DCGAN. ``SplitRegistry``
sends the small interactive kinds (``core.jobs.policy.LIGHT_KINDS``: playground, XOR,
recurrent race, 2-D GAN) to a thread registry in this lab process (their own lane, bounded
in time) and everything else to the queue; pages see one registry. Light jobs keep no
record on disk: they last minutes, and replicas sharing ``$NNLAB_HOME`` must not mark each
other's running light jobs interrupted when one restarts.
"""

from __future__ import annotations

from typing import Any

from core.backends import kinds as job_kinds
from core.jobs.policy import LIGHT_KINDS, check_quota
from core.jobs.registry import JobRegistry


class SplitRegistry:
    """``queue`` for long trainings, ``local`` (threads, no records) for light ones."""

    def __init__(self, queue: Any, local: JobRegistry | None = None):
        self.queue = queue
        self.local = local or JobRegistry(slots=1, record_dir=None, build=job_kinds.build)

    def submit(self, kind: str, title: str, config: dict[str, Any] | None = None, *, owner: str = "") -> Any:
        """Queue a long job for the workers, or run a light one here at once (both build the
        job's function from ``kind`` and ``config``)."""
        if kind in LIGHT_KINDS:
            check_quota([j.owner for j in self.active()], owner)  # the limit counts both lanes
            return self.local.submit(kind, title, config, owner=owner)
        check_quota([j.owner for j in self.local.active()] + [j.owner for j in self.queue.active()], owner)
        return self.queue.submit(kind, title, config, owner=owner)

    def get(self, job_id: str) -> Any:
        return self.local.get(job_id) or self.queue.get(job_id)

    def jobs(self, kind: str | None = None) -> list[Any]:
        """Both lanes' jobs, newest first."""
        return sorted(self.local.jobs(kind) + self.queue.jobs(kind), key=lambda j: j.created, reverse=True)

    def active(self) -> list[Any]:
        """Light jobs (running at once) first, then the queue's running and queued jobs."""
        return self.local.active() + self.queue.active()

    def cancel(self, job_id: str, session: str | None = None, teacher: bool = False) -> None:
        """Stop a job of either lane; both check ``may_stop`` (``core.jobs.policy``)."""
        lane = self.local if self.local.get(job_id) is not None else self.queue
        lane.cancel(job_id, session, teacher)

    def available(self, kind: str | None = None) -> bool:
        """Whether a job of ``kind`` can start: light kinds always (they train here), others
        when Redis answers (``QueueRegistry.available``)."""
        return kind in LIGHT_KINDS or self.queue.available()

    def shutdown(self, timeout: float = 60.0) -> list[str]:
        """Stop this process's light jobs (the workers' jobs are theirs to save)."""
        return self.local.shutdown(timeout)

    def __getattr__(self, name: str) -> Any:  # anything else the queue registry offers
        return getattr(self.queue, name)
