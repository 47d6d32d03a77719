"""Choosing the job backend, job kinds by name, and the codec of job artefacts."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pytest

from core.backends import choice as job_backends
from core.backends import kinds as job_kinds
from core.jobs import codec as job_codec
from core.jobs.registry import JobRegistry


def test_threads_are_the_default_and_a_bad_setting_is_named(monkeypatch):
    monkeypatch.delenv("NNLAB_JOBS", raising=False)
    assert isinstance(job_backends.make_registry(), JobRegistry)
    monkeypatch.setenv("NNLAB_JOBS", "threads")
    assert isinstance(job_backends.make_registry(), JobRegistry)
    monkeypatch.setenv("NNLAB_JOBS", "amqp://x")
    with pytest.raises(ValueError, match="amqp://x"):
        job_backends.make_registry()


def test_a_redis_url_gives_the_queue_registry(monkeypatch):
    from core.backends.redis_queue import QueueRegistry

    monkeypatch.setenv("NNLAB_JOBS", "redis://127.0.0.1:1/0")  # no connection until used
    registry = job_backends.make_registry()
    assert isinstance(registry.queue, QueueRegistry) and registry.url == "redis://127.0.0.1:1/0"


def test_the_codec_keeps_arrays_tuples_and_nesting():
    grid = np.random.default_rng(0).random((6, 5)).astype(np.float32)
    value = {"grids": [grid, grid[:2].astype(np.uint8)], "boundary": (3, grid), "n": np.int64(4), "s": "x"}
    back = job_codec.decode(job_codec.encode(value))
    assert back["boundary"][0] == 3 and isinstance(back["boundary"], tuple)
    np.testing.assert_array_equal(back["boundary"][1], grid)
    assert back["grids"][1].dtype == np.uint8 and back["grids"][1].shape == (2, 5)
    assert back["n"] == 4 and back["s"] == "x"


def test_the_codec_refuses_what_it_cannot_read_back_safely():
    with pytest.raises(job_codec.UnsupportedExtra, match="object"):
        job_codec.encode(np.array([object()]))
    with pytest.raises(job_codec.UnsupportedExtra, match="set"):
        job_codec.encode({1, 2})


def test_job_kinds_check_the_pages_configs():
    from core.training.classifier import make_config
    from lab.gan.training.state import GanConfig

    job_kinds.check("classifier", asdict(make_config("mlp", epochs=1)))
    job_kinds.check("gan", {**asdict(GanConfig("thesis")), "run_dir": "/tmp/run"})
    job_kinds.check("xor_mlp", {"hidden": 4, "activation": "tanh", "learning_rate": 0.05,
                                "epochs": 10, "seed": 0})
    with pytest.raises(ValueError, match="run_dir"):
        job_kinds.check("gan", asdict(GanConfig("thesis")))
    with pytest.raises(ValueError, match="classifier"):
        job_kinds.check("classifier", {"kind": "mlp"})  # missing settings
    with pytest.raises(job_kinds.UnknownJobKind, match="xor_mlp"):
        job_kinds.check("sculpture", {})
