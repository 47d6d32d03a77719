"""What a page holds of a job, the same for both backends: a ``JobHandle``.

``core.jobs.registry.Job`` (a thread of this process) and ``core.backends.redis_queue.QueueJob``
(a job a worker trains) are both ``JobHandle``s: ``id``, ``kind``, ``title``, ``config``,
``owner``, ``created``, ``status``, ``snapshot()``, ``cancel()``, ``join()``. A page reads
copies (``snapshot()``) and never a job's internals. Who may stop a job is decided by
``core.jobs.policy.may_stop``, and the registries' ``cancel`` enforces it.
"""

from __future__ import annotations

import time
from typing import Any

from core.jobs.progress import ACTIVE, Progress


class JobHandle:
    """One job as a page sees it. Subclasses read the record and pass on a stop request."""

    def __init__(self, job_id: str, kind: str, title: str, config: dict[str, Any] | None = None,
                 owner: str = "", created: float | None = None):
        self.id, self.kind, self.title = job_id, kind, title
        self.config, self.owner = dict(config or {}), owner or ""
        self.created = time.time() if created is None else float(created)  # never changes: sorting asks no one

    @property
    def status(self) -> str:
        """``queued``, ``running``, ``done``, ``cancelled``, ``failed`` or ``interrupted``."""
        return self.snapshot().status

    def snapshot(self) -> Progress:
        """A copy of the job's progress record, safe to read and keep."""
        raise NotImplementedError

    def cancel(self) -> None:
        """Ask the job to stop (a queued job never starts). No ownership check here: pages stop
        jobs through their registry's ``cancel``, which checks ``may_stop``."""
        raise NotImplementedError

    def join(self, timeout: float | None = None) -> None:
        """Wait until the job is no longer queued or running (or ``timeout`` seconds pass)."""
        deadline = None if timeout is None else time.time() + timeout
        while self.status in ACTIVE and (deadline is None or time.time() < deadline):
            time.sleep(0.2)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.kind} {self.id} {self.title!r}>"
