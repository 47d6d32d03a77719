"""Faults of the class deployment, against real processes killed and restarted by the tests:
Redis away and back (the lab's registry and a worker in the middle of a job), a killed
worker (its health check). Each test prints how long the recovery took (``-s`` shows it)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.backends.redis_queue import RECHECK_S, JobsUnavailable, QueueRegistry
from core.jobs.registry import CANCELLED, DONE, INTERRUPTED, RUNNING
from tests.conftest import ROOT
from tests.serve.conftest import HEARTBEAT_S, WORKER_COMMAND, RedisServer, Worker, command, wait_for

XOR = {"hidden": 4, "activation": "tanh", "learning_rate": 0.1, "epochs": 30, "seed": 0}
LONG_XOR = {**XOR, "epochs": 5000}


@pytest.fixture
def durable_redis() -> Iterator[RedisServer]:
    """A Redis of this test's own (AOF, a password), which the test stops and starts."""
    srv = RedisServer(persist=True).start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def workers(durable_redis: RedisServer, home: str) -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def health(url: str) -> int:
    return subprocess.run(command(WORKER_COMMAND) + ["--url", url, "--health"], cwd=ROOT,
                          capture_output=True).returncode


def epochs(job, metric: str = "loss") -> int:
    return len(job.snapshot().history.get(metric, []))


def test_redis_away_costs_no_page_and_back_needs_no_new_registry(durable_redis):
    lab = QueueRegistry(durable_redis.url)
    job = lab.submit("xor_mlp", "xor", XOR, owner="s1")
    assert lab.available() and [j.id for j in lab.active()] == [job.id]
    seen = job.snapshot()
    durable_redis.stop()
    began = time.monotonic()
    # reads answer at once with what is known: no jobs listed, a job's last snapshot
    assert lab.active() == [] and not lab.available()  # active() reads jobs(): the outer call must not say "up"
    assert lab.jobs() == [] and not lab.available()
    assert lab.get(job.id) is job and lab.get("unknown") is None
    assert job.snapshot().history == seen.history and job.status == seen.status
    with pytest.raises(JobsUnavailable) as raised:  # actions say why, in the page's language
        lab.submit("xor_mlp", "xor", XOR)
    assert raised.value.code == "jobs.unavailable" and "unavailable for now" in str(raised.value)
    with pytest.raises(JobsUnavailable):
        job.cancel()
    assert time.monotonic() - began < 5  # no call stalls (connection refused: at once)
    back = durable_redis.restart(down_s=0)
    wait_for(lab.available, RECHECK_S + 3, "the same registry to see Redis back")
    print(f"\nregistry: Redis back -> available() true after {time.time() - back:.2f} s")
    assert [j.id for j in lab.active()] == [job.id]  # AOF kept the job, the same client reconnected
    lab.cancel(job.id, session="s1")
    assert job.status == CANCELLED


def test_a_redis_blip_during_a_job_neither_kills_the_worker_nor_the_job(durable_redis, workers, home):
    from tests.serve.test_jobs_queue import gan_config

    lab = QueueRegistry(durable_redis.url)
    job = lab.submit("gan", "long", gan_config(Path(home) / "gan_runs" / "blip", epochs=500), owner="s1")
    worker = Worker(durable_redis.url, home).start()
    workers.append(worker)
    wait_for(lambda: epochs(job, "d_loss") >= 2, 120, "the first epochs")
    before = epochs(job, "d_loss")
    back = durable_redis.restart(down_s=2 * float(HEARTBEAT_S) + 1)  # longer than the heartbeat
    resumed = wait_for(lambda: epochs(job, "d_loss") > before + 2 and job.status == RUNNING and time.time(),
                       90, "the job's progress to reach the lab again")
    print(f"\nworker: Redis back -> the job's progress seen again after {resumed - back:.2f} s")
    assert worker.proc.poll() is None, worker.output()[-3000:]  # the worker did not quit
    assert "unhandled exception" not in worker.output()
    assert job.status == RUNNING  # it trained on (never left interrupted by the lab)
    lab.cancel(job.id, session="s1")  # and Stop still reaches it
    wait_for(lambda: job.status == CANCELLED, 30, "the job to stop")
    after = lab.submit("xor_mlp", "after", XOR, owner="s1")
    wait_for(lambda: after.status == DONE, 120, "a new job to be trained after the blip")


def test_a_long_outage_is_survived_by_an_idle_worker(durable_redis, workers, home):
    worker = Worker(durable_redis.url, home).start()
    workers.append(worker)
    wait_for(lambda: health(durable_redis.url) == 0, 90, "the worker's heartbeat")
    back = durable_redis.restart(down_s=6)  # RQ's dequeue and the worker's own loop both back off
    lab = QueueRegistry(durable_redis.url)
    job = lab.submit("xor_mlp", "after", XOR)
    wait_for(lambda: job.status == DONE, 120, "a job after the outage")
    print(f"\nidle worker: Redis back -> a new job done after {time.time() - back:.2f} s")
    assert worker.proc.poll() is None and "unhandled exception" not in worker.output()


def test_health_follows_the_workers_heartbeat_not_rqs_stale_record(durable_redis, workers, home):
    assert health(durable_redis.url) == 1  # no worker yet
    worker = Worker(durable_redis.url, home).start()
    workers.append(worker)
    wait_for(lambda: health(durable_redis.url) == 0, 90, "the worker's heartbeat")
    lab = QueueRegistry(durable_redis.url)
    job = lab.submit("xor_mlp", "long", LONG_XOR)
    wait_for(lambda: job.status == RUNNING, 90, "the job to start")
    worker.kill()  # SIGKILL mid-job: RQ still lists it as busy
    killed = time.time()
    from rq import Worker as RqWorker

    assert [w.get_state() for w in RqWorker.all(connection=durable_redis.client)] == ["busy"]
    wait_for(lambda: health(durable_redis.url) == 1, 4 * float(HEARTBEAT_S) + 10, "health to fail")
    print(f"\nhealth: worker killed -> --health exits 1 after {time.time() - killed:.2f} s")
    wait_for(lambda: job.status == INTERRUPTED, 15, "the job to read as interrupted")
