"""The toolbox's BN/dropout job (a lesson folder's kind) through Redis and a real RQ worker."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pytest

from core.backends.redis_queue import QueueRegistry
from core.jobs.registry import ACTIVE, DONE
from lab.toolbox.training import INSPECT_BATCH, KIND, ToolboxConfig
from tests.serve.conftest import wait_for


def test_a_worker_trains_the_toolbox_job_and_the_lab_reads_its_batch(redis_url, start_worker):
    lab = QueueRegistry(redis_url)
    config = asdict(ToolboxConfig(n_train=200, n_test=100, epochs=1, units=16, variants=("plain", "bn", "dropout")))
    job = lab.submit(KIND, "toolbox", config, owner="s1")  # the page's call: kind + JSON config
    start_worker()
    wait_for(lambda: job.status not in ACTIVE, 240, "the toolbox job to finish")
    snap = job.snapshot()
    assert snap.status == DONE, (snap.error, snap.message)
    assert set(snap.extras["curves"]) == {"plain", "bn", "dropout"}
    bn = snap.extras["bn"]  # numpy arrays back from the worker, as the page draws them
    assert isinstance(bn["z"], np.ndarray) and bn["z"].shape[0] == INSPECT_BATCH
    assert snap.extras["dropout"]["scale"] == pytest.approx(1 / 0.7, rel=1e-5)


def test_the_lab_refuses_a_bad_toolbox_config_before_queueing(redis_url):
    with pytest.raises(ValueError):
        QueueRegistry(redis_url).submit(KIND, "toolbox", {"epochs": 0})
