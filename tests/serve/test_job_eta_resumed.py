"""The time left of a resumed run, on both job backends: from the pace of THIS run only.

A resumed run (a DCGAN trained on from its checkpoint) starts with most of its plan done.
Both backends record progress through the one ``core.jobs.recorder.Recorder``; this test runs
the same resumed scenario on each and compares the ETA a page reads midway with the time the
run then really took. The old queue estimate (the fraction of the whole plan over the time
since the job started) said about a third of the real time here.

The queue variant is the real lab side (``QueueRegistry`` on a real ``redis-server``) and the
real worker function (``core.backends.worker.run_job``), run in a thread of this process so
that it can run this file's job kind.
"""

from __future__ import annotations

import threading
import time

import pytest

from core.backends import kinds as job_kinds
from core.jobs.handle import JobHandle
from core.jobs.progress import DONE, RUNNING

KIND = "eta_probe"
# resumed at epoch 7 of 10: 60% of the plan done before this run; 8 batches of 50 ms an epoch
SCENARIO = {"epochs": 10, "resume_epoch": 7, "batches": 8, "batch_s": 0.05, "load_s": 0.5}


def check_config(config: dict) -> None:
    """What the lab checks before queueing (a lesson module's ``check_config``)."""
    if set(config) != set(SCENARIO):
        raise ValueError(f"bad settings for an {KIND} job: {sorted(config)}")


def job_from_config(config: dict):
    """A resumed training run: loading (not pace), then the epochs left at a steady pace."""
    def fn(ctx) -> None:
        time.sleep(config["load_s"])  # reading the checkpoint and the data: not training pace
        for epoch in range(config["resume_epoch"], config["epochs"] + 1):
            ctx.start_epoch(epoch, config["epochs"])
            for batch in range(1, config["batches"] + 1):
                time.sleep(config["batch_s"])
                ctx.log_batch(batch, config["batches"], {"loss": 1.0 / batch})
                ctx.check()
            ctx.log_epoch(epoch, {"loss": 0.5})
    return fn


@pytest.fixture
def probe_kind(monkeypatch):
    """This module is the kind's "lesson" module: the lab checks with it, both backends build from it."""
    monkeypatch.setitem(job_kinds.LESSON_KINDS, KIND, __name__)
    monkeypatch.setitem(job_kinds.KINDS, KIND, job_kinds._lesson(KIND))


def threads_backend(request):
    from core.jobs.registry import JobRegistry

    registry = JobRegistry(build=job_kinds.build)
    return registry.submit(KIND, "resumed", SCENARIO, owner="eta0001"), None


def queue_backend(request):
    import redis

    from core.backends.redis_queue import QueueRegistry
    from core.backends.worker import run_job

    url = request.getfixturevalue("redis_url")
    job = QueueRegistry(url).submit(KIND, "resumed", SCENARIO, owner="eta0001")
    worker = threading.Thread(target=run_job, args=(job.id, redis.Redis.from_url(url), job_kinds.build),
                              daemon=True, name="eta-worker")
    worker.start()
    return job, worker


@pytest.mark.parametrize("backend", [threads_backend, queue_backend], ids=["threads", "queue"])
def test_a_resumed_runs_eta_comes_from_its_own_pace(backend, probe_kind, request):
    job, worker = backend(request)
    assert isinstance(job, JobHandle) and job.kind == KIND and job.owner == "eta0001"
    deadline, snap = time.time() + 30, job.snapshot()
    while not (snap.status == RUNNING and snap.fraction >= 0.75 and snap.eta_s) and time.time() < deadline:
        time.sleep(0.02)
        snap = job.snapshot()
    read_at, eta = time.time(), snap.eta_s
    assert snap.status == RUNNING and eta, snap  # midway through epoch 8 or later, with an estimate
    job.join(30)
    if worker is not None:
        worker.join(30)
    final = job.snapshot()
    assert final.status == DONE, (final.error, final.message)
    left = final.finished - read_at  # what the rest of the run really took
    assert 0.6 * left <= eta <= 1.6 * left, (eta, left, snap.fraction)
    assert final.started and final.finished - final.started >= SCENARIO["load_s"]  # this run's own times
