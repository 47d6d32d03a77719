"""Who may do what with jobs, the same rules for every backend: stops, quotas, the light lane.

- ``may_stop(job, session, teacher)``: the one rule for a Stop (the job's owner, or the
  teacher); pages use it to show the button, and every registry's ``cancel`` enforces it
  through ``cancel_checked``;
- ``check_quota``: at most ``NNLAB_MAX_JOBS`` queued or running jobs per student;
- ``LIGHT_KINDS``: small interactive trainings that never wait behind a long one and stop
  after ``NNLAB_LIGHT_MAX_S`` seconds.
"""

from __future__ import annotations

import os
from typing import Any

from core.errors import InputError

MAX_ACTIVE_DEFAULT = 3
# Small interactive trainings: they never wait behind a classmate's long training (their own
# lane of LIGHT_SLOTS threads) and stop after NNLAB_LIGHT_MAX_S seconds (default 300).
LIGHT_KINDS = frozenset({"playground", "xor_mlp", "rnn_adding", "gan2d"})
LIGHT_SLOTS = 4
LIGHT_MAX_S_DEFAULT = 300.0


def may_stop(job: Any, session: str, teacher: bool = False) -> bool:
    """Whether ``session`` may stop ``job``: its owner, or the teacher. A job without an owner
    (the command line, a test) only the teacher may stop."""
    return bool(teacher) or bool(job.owner) and job.owner == session


def cancel_checked(job: Any, job_id: str, session: str | None, teacher: bool) -> None:
    """Stop ``job`` (looked up as ``job_id``); with ``session``, only if ``may_stop`` says so,
    else ``InputError("jobs.not_yours")``. Every registry's ``cancel`` goes through here;
    ``session=None`` is the server itself (a shutdown, the command line)."""
    if job is None:
        raise InputError("jobs.unknown", value=job_id)
    if session is not None and not may_stop(job, session, teacher):
        raise InputError("jobs.not_yours")
    job.cancel()


def cancel_owner(registry: Any, owner: str, session: str, teacher: bool) -> int:
    """The teacher's "stop all of this student": cancel every active job of ``owner`` through
    ``registry.cancel`` (so the stop rule holds); how many."""
    mine = [job for job in registry.active() if owner and job.owner == owner]
    for job in mine:
        registry.cancel(job.id, session, teacher)
    return len(mine)


def max_active_jobs() -> int:
    """Jobs one student may have queued or running at once (``NNLAB_MAX_JOBS``, default 3)."""
    try:
        return max(1, int(os.environ.get("NNLAB_MAX_JOBS", MAX_ACTIVE_DEFAULT)))
    except ValueError:
        return MAX_ACTIVE_DEFAULT


def check_quota(active_owners: list[str], owner: str) -> None:
    """Raise ``InputError("quota.jobs")`` when ``owner`` has the most active jobs allowed
    (``active_owners``: the owner of every queued or running job). No owner (the command
    line, tests): no limit. Every registry's ``submit`` goes through here."""
    if owner:
        count = sum(1 for o in active_owners if o == owner)
        if count >= max_active_jobs():
            raise InputError("quota.jobs", count=count, limit=max_active_jobs())


def light_max_s() -> float:
    """How long a light interactive job may run (``NNLAB_LIGHT_MAX_S``, default 300 s)."""
    try:
        return max(1.0, float(os.environ.get("NNLAB_LIGHT_MAX_S", LIGHT_MAX_S_DEFAULT)))
    except ValueError:
        return LIGHT_MAX_S_DEFAULT
