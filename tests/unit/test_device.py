"""core.device: the thread budget that keeps a core free for the pages."""

import pytest

from core import device


def test_default_threads_leave_one_core_on_cpu_only_machines():
    assert device.default_threads(cpus=2) == 1
    assert device.default_threads(cpus=16) == 15
    assert device.default_threads(cpus=1) == 1  # never zero threads
    assert device.default_threads(cpus=2, gpus=1) == 0  # with a GPU: TensorFlow's own default


def test_thread_budget_reads_the_environment(monkeypatch):
    monkeypatch.setenv("NNLAB_TF_THREADS", "3")
    assert device.thread_budget() == 3
    monkeypatch.setenv("NNLAB_TF_THREADS", "0")
    assert device.thread_budget() == 0
    monkeypatch.setenv("NNLAB_TF_THREADS", "two")
    with pytest.raises(ValueError, match="'two'"):
        device.thread_budget()
