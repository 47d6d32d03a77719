"""The job limit per student holds on the queue deployment too: two replicas share one count."""

from __future__ import annotations

import pytest

from core.backends.redis_queue import QueueRegistry
from core.errors import InputError
from tests.serve.test_jobs_queue import XOR


def test_three_jobs_per_student_across_replicas_and_a_classmate_still_queues(redis_url, home, monkeypatch):
    monkeypatch.setenv("NNLAB_MAX_JOBS", "3")
    lab_a, lab_b = QueueRegistry(redis_url), QueueRegistry(redis_url)  # no worker: the jobs stay queued
    lab_a.submit("xor_mlp", "xor", XOR, owner="flood0001")
    lab_b.submit("xor_mlp", "xor", XOR, owner="flood0001")
    lab_a.submit("xor_mlp", "xor", XOR, owner="flood0001")
    with pytest.raises(InputError) as raised:
        lab_b.submit("xor_mlp", "xor", XOR, owner="flood0001")  # the other replica counts them too
    assert raised.value.code == "quota.jobs"
    lab_b.submit("xor_mlp", "xor", XOR, owner="calm00001")
    assert sum(j.owner == "flood0001" for j in lab_a.active()) == 3
    for job in lab_a.active():
        job.cancel()


def test_a_model_a_worker_trains_belongs_to_the_student_who_asked(redis_url, start_worker):
    from core.storage import store
    from core.training import classifier as ct
    from tests.serve.test_jobs_queue import finished

    lab = QueueRegistry(redis_url)
    config = ct.make_config("mlp", epochs=1, max_train=100, batch_size=50)
    job = ct.submit_config(lab, config, "MLP", owner="ana000000001")
    start_worker()
    snap = finished(job, timeout=180)
    assert snap.status == "done", (snap.error, snap.message)
    [entry] = [e for e in store.list_models() if e.name == snap.result["name"]]
    assert store.owner_of(entry) == "ana000000001"  # "(yours)" for her, and only she may delete it
