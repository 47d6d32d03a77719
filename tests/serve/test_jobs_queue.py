"""The queue job backend against a real redis-server and real RQ worker processes."""

from __future__ import annotations

import subprocess
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from core.backends import kinds as job_kinds
from core.backends.redis_queue import QueueRegistry
from core.errors import InputError
from core.jobs.registry import ACTIVE, CANCELLED, DONE, INTERRUPTED, QUEUED, RUNNING
from tests.conftest import ROOT
from tests.serve.conftest import WORKER_COMMAND, command, wait_for

XOR = {"hidden": 4, "activation": "tanh", "learning_rate": 0.1, "epochs": 120, "seed": 0}
LONG_XOR = {**XOR, "epochs": 5000}


def gan_config(run_dir: Path, epochs: int) -> dict:
    from lab.gan.training.state import GanConfig

    return {**asdict(GanConfig("thesis", epochs=epochs, batch_size=8, limit=16)), "run_dir": str(run_dir)}


def worker_health(url: str) -> int:
    return subprocess.run(command(WORKER_COMMAND) + ["--url", url, "--health"], cwd=ROOT).returncode


def finished(job, timeout: float = 120):
    wait_for(lambda: job.status not in ACTIVE, timeout, f"job {job.id} to finish")
    return job.snapshot()


def test_a_job_submitted_on_one_lab_process_is_trained_by_a_worker_and_seen_by_another(
        redis_url, start_worker):
    lab_a, lab_b = QueueRegistry(redis_url), QueueRegistry(redis_url)
    job = lab_a.submit("xor_mlp", "xor", XOR, owner="student-a")
    seen = lab_b.get(job.id)
    assert (seen.kind, seen.title, seen.config, seen.owner) == ("xor_mlp", "xor", XOR, "student-a")
    assert seen.status == QUEUED and seen.snapshot().queue_position == 1  # no worker yet
    assert [j.id for j in lab_b.active()] == [job.id]
    assert worker_health(redis_url) == 1  # the compose file's worker check: no worker yet
    worker = start_worker()
    wait_for(lambda: worker_health(redis_url) == 0, 60, "the worker's health check")
    assert "CPU" in worker.output() and "TensorFlow threads 1," in worker.output()  # capped (--threads 1)
    snap = finished(seen)
    assert snap.status == DONE, (snap.error, snap.message)
    assert len(snap.history["loss"]) == XOR["epochs"] and snap.history["loss"][-1] < snap.history["loss"][0]
    assert snap.fraction == 1.0 and snap.started and snap.finished >= snap.started
    assert len(snap.result["outputs"]) == 4
    epoch, probs = snap.extras["boundary"]  # the decision surface, as the page draws it
    assert isinstance(epoch, int) and probs.shape == (41, 41) and probs.dtype == np.float32
    assert lab_a.get(job.id).snapshot().history == snap.history
    assert lab_a.active() == [] and [j.id for j in lab_a.jobs("xor_mlp")] == [job.id]
    assert 0 < lab_a.redis.ttl(f"nnlab:job:{job.id}:meta") <= 30 * 86400  # kept 30 days by default


def test_progress_reaches_the_lab_while_the_job_runs_and_stop_works(redis_url, start_worker):
    lab_a, lab_b = QueueRegistry(redis_url), QueueRegistry(redis_url)
    running = lab_a.submit("xor_mlp", "long", LONG_XOR, owner="s1")
    waiting = lab_a.submit("xor_mlp", "waits", XOR, owner="s2")
    assert lab_b.get(waiting.id).snapshot().queue_position == 2
    start_worker()
    wait_for(lambda: running.snapshot().epoch >= 2, 90, "the first epochs")
    assert running.status == RUNNING and waiting.snapshot().queue_position == 1
    assert [j.id for j in lab_b.active()] == [running.id, waiting.id]  # running first
    with pytest.raises(InputError, match="Only the session that started"):
        lab_b.cancel(waiting.id, session="s1")  # not s1's job
    lab_b.cancel(waiting.id, session="s2")  # a queued job stops at once and never runs
    assert waiting.status == CANCELLED
    first = len(running.snapshot().history.get("loss", []))
    wait_for(lambda: len(running.snapshot().history.get("loss", [])) > first, 30, "more epochs")
    lab_b.cancel(running.id, session="someone", teacher=True)  # Stop, from another lab process
    snap = finished(running, timeout=30)
    assert snap.status == CANCELLED and snap.epoch < LONG_XOR["epochs"]
    assert waiting.snapshot().started is None
    with pytest.raises(InputError, match="no job with id"):
        lab_a.cancel("nope")


def test_a_killed_worker_leaves_the_job_interrupted_and_the_run_resumes(redis_url, home, start_worker):
    from core.storage import store
    from lab.gan.training import runs

    lab = QueueRegistry(redis_url)
    run_dir = Path(home) / "gan_runs" / "run-1"
    job = lab.submit("gan", "gan", gan_config(run_dir, epochs=500))
    worker = start_worker()
    wait_for(lambda: len(job.snapshot().history.get("d_loss", [])) >= 2, 120, "two GAN epochs")
    worker.kill()
    snap = wait_for(lambda: job.status == INTERRUPTED and job.snapshot(), 15, "the job to read as interrupted")
    assert snap.message_code == "server_stopped" and snap.epoch < 500
    done_epochs = runs.read_checkpoint_meta(run_dir / runs.CHECKPOINT)["epoch"]
    assert done_epochs >= 2
    start_worker()
    resumed = lab.submit("gan", "gan resumed", gan_config(run_dir, epochs=done_epochs + 1))
    snap = finished(resumed)
    assert snap.status == DONE, (snap.error, snap.message, snap.result)
    assert len(snap.history["d_loss"]) == 1 and snap.epoch == done_epochs + 1  # one epoch, not all again
    assert len(snap.extras["grids"]) == done_epochs + 1  # earlier grids from the run folder + the new one
    assert Path(snap.result["model"]).exists()  # exported into the shared model store,
    assert snap.result["model_name"] in [e.name for e in store.list_models()]  # listed by this process
    assert job.status == INTERRUPTED  # the cut-off job stays as it was


def test_a_failing_job_is_failed_and_the_worker_goes_on(redis_url, start_worker):
    lab = QueueRegistry(redis_url)
    bad = lab.submit("gan", "gan", {"variant": "thesis", "epochs": 1, "run_dir": "/proc/nope/run"})
    good = lab.submit("xor_mlp", "xor", {**XOR, "epochs": 3})
    start_worker()
    assert finished(bad).status == "failed" and finished(bad).error
    assert finished(good).status == DONE


def test_submit_refuses_what_no_worker_can_run(redis_url):
    lab = QueueRegistry(redis_url)
    with pytest.raises(job_kinds.UnknownJobKind, match="unknown job kind 'painting'"):
        lab.submit("painting", "x", {})
    with pytest.raises(ValueError, match="xor_mlp"):
        lab.submit("xor_mlp", "x", {"hidden": 4, "colour": "red"})
    with pytest.raises(ValueError, match="epochs"):
        lab.submit("classifier", "x", {"kind": "mlp", "epochs": 0, "batch_size": 8,
                                       "learning_rate": 0.001, "optimizer": "adam",
                                       "schedule": "constant", "augment": False})
    assert lab.jobs() == []


def test_the_classifier_page_submits_as_before_and_a_worker_trains_and_saves(redis_url, start_worker):
    from core.storage import store
    from core.training import classifier as ct

    lab = QueueRegistry(redis_url)
    config = ct.make_config("mlp", epochs=1, max_train=200, batch_size=50, name="queue-mlp")
    job = ct.submit_config(lab, config, "MLP", owner="s1")  # the page's call, unchanged
    assert job.config == asdict(config)
    start_worker()
    snap = finished(job, timeout=180)
    assert snap.status == DONE, (snap.error, snap.message)
    assert snap.batches == 4 and len(snap.batch_history["loss"]) == 4  # 180 training images / 50
    assert snap.result["name"] == "queue-mlp" and 0 <= snap.result["test_accuracy"] <= 1
    assert "queue-mlp" in [e.name for e in store.list_models()]  # in this process's model list


def test_finished_jobs_follow_the_retention_settings(redis_url, monkeypatch):
    import redis

    lab, client = QueueRegistry(redis_url), redis.Redis.from_url(redis_url)
    old = lab.submit("xor_mlp", "old", XOR)
    new = lab.submit("xor_mlp", "new", XOR)
    monkeypatch.setenv("NNLAB_JOBS_KEEP", "1")
    assert [j.id for j in QueueRegistry(redis_url).jobs()] == [new.id]  # the newest N are listed
    monkeypatch.setenv("NNLAB_JOBS_KEEP_DAYS", "2")
    old.cancel()
    assert 2 * 86400 - 60 < client.ttl(f"nnlab:job:{old.id}:meta") <= 2 * 86400
    monkeypatch.setenv("NNLAB_JOBS_KEEP_DAYS", "0")  # 0 keeps them
    new.cancel()
    assert client.ttl(f"nnlab:job:{new.id}:meta") == -1 and new.status == CANCELLED
