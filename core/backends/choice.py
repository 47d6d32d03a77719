"""Which job backend a lab process uses, from one setting: ``NNLAB_JOBS``.

- unset, empty or ``threads``: ``core.jobs.registry.JobRegistry``, training in background threads
  of this process (one user, one machine; no services needed);
- ``redis://host:port/db``: ``core.backends.redis_queue.QueueRegistry``, jobs in Redis, trained by
  ``python -m core.backends.worker`` processes (a class: several lab replicas, one worker per GPU);
  the light interactive kinds run in this process instead (``core.backends.split``).

Pages get the registry from ``ui.chrome.registry()`` and never know which one runs.
"""

from __future__ import annotations

import os

from core import device
from core.backends import kinds as job_kinds
from core.jobs.registry import JobRegistry
from core.paths import user_dir

QUEUE_SCHEMES = ("redis://", "rediss://", "unix://")


def setting() -> str:
    """The ``NNLAB_JOBS`` value ("" = threads)."""
    return os.environ.get("NNLAB_JOBS", "").strip()


def make_registry():
    """The job registry this process should use (``JobRegistry`` or ``QueueRegistry``).

    Raises ``ValueError`` naming the value when ``NNLAB_JOBS`` is neither ``threads``
    nor a Redis URL."""
    value = setting()
    if value in ("", "threads"):
        return JobRegistry(slots=device.training_slots(), record_dir=user_dir("jobs"), build=job_kinds.build)
    if value.startswith(QUEUE_SCHEMES):
        from core.backends.redis_queue import QueueRegistry  # redis and rq are needed only here
        from core.backends.split import SplitRegistry

        return SplitRegistry(QueueRegistry(value))  # light interactive jobs stay here (core/backends/split.py)
    raise ValueError(f"NNLAB_JOBS must be 'threads' or a Redis URL (redis://host:port/db), got {value!r}")
