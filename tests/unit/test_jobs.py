import inspect
import threading
import time
from types import SimpleNamespace

import pytest

from core.jobs.registry import CANCELLED, DONE, FAILED, INTERRUPTED, QUEUED, RUNNING, JobRegistry
from tests import jobfns


def wait_for(predicate, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    raise AssertionError("condition not reached in time")


def counting_job(epochs=2, batches=5, delay=0.0, seen=None):
    def fn(ctx):
        for epoch in range(1, epochs + 1):
            ctx.start_epoch(epoch, epochs)
            for batch in range(1, batches + 1):
                time.sleep(delay)
                ctx.log_batch(batch, batches, {"loss": 1.0 / (epoch * batch)})
                if seen is not None:
                    seen.append((epoch, batch))
                ctx.check()
            ctx.log_epoch(epoch, {"loss": 1.0 / epoch})
        ctx.set_result(answer=42)
    return fn


def test_tiny_job_completes_with_history(tmp_path):
    reg = jobfns.registry(record_dir=tmp_path)
    job = reg.submit("test", "tiny", jobfns.config(counting_job()))
    job.join(10)
    snap = job.snapshot()
    assert snap.status == DONE and snap.fraction == 1.0
    assert snap.history["loss"] == [1.0, 0.5]
    assert len(snap.batch_history["loss"]) == 10
    assert snap.result == {"answer": 42}
    assert (tmp_path / f"{job.id}.json").exists()


def test_cancel_stops_within_one_batch():
    gate, seen = threading.Event(), []

    def fn(ctx):
        ctx.start_epoch(1, 1)
        for batch in range(1, 1000):
            ctx.log_batch(batch, 1000)
            seen.append(batch)
            if batch == 3:
                gate.set()
            time.sleep(0.01)
            ctx.check()

    reg = jobfns.registry()
    job = reg.submit("test", "long", jobfns.config(fn))
    gate.wait(5)
    job.cancel()
    at_cancel = len(seen)
    job.join(5)
    assert job.status == CANCELLED
    assert len(seen) <= at_cancel + 1


def test_failing_job_reports_its_error():
    def fn(ctx):
        raise RuntimeError("the loss went to NaN")

    job = jobfns.registry().submit("test", "boom", jobfns.config(fn))
    job.join(5)
    snap = job.snapshot()
    assert snap.status == FAILED
    assert "RuntimeError: the loss went to NaN" in snap.error


def test_second_job_queues_behind_the_first_and_both_finish():
    release = threading.Event()

    def blocking(ctx):
        ctx.start_epoch(1, 1)
        release.wait(10)

    reg = jobfns.registry(slots=1)
    first = reg.submit("test", "first", jobfns.config(blocking))
    wait_for(lambda: first.status == RUNNING)
    second = reg.submit("test", "second", jobfns.config(counting_job()))
    third = reg.submit("test", "third", jobfns.config(counting_job()))
    time.sleep(0.3)
    assert second.status == QUEUED and second.snapshot().queue_position == 1
    assert third.snapshot().queue_position == 2
    assert {j.id for j in reg.active()} == {first.id, second.id, third.id}
    release.set()
    for job in (first, second, third):
        job.join(10)
    assert [j.status for j in (first, second, third)] == [DONE, DONE, DONE]
    assert second.snapshot().started >= first.snapshot().finished


def test_cancelling_a_queued_job_means_it_never_runs():
    release, ran = threading.Event(), []
    reg = jobfns.registry(slots=1)
    first = reg.submit("test", "first", jobfns.config(lambda ctx: release.wait(10)))
    wait_for(lambda: first.status == RUNNING)
    second = reg.submit("test", "second", jobfns.config(lambda ctx: ran.append(1)))
    reg.cancel(second.id)
    second.join(5)
    assert second.status == CANCELLED and not ran
    release.set()
    first.join(5)


def test_job_outlives_the_session_that_started_it():
    """Jobs belong to the registry, not to the caller: dropping every handle changes nothing."""
    reg = jobfns.registry()

    def start_in_a_session():
        job = reg.submit("test", "orphan", jobfns.config(counting_job(epochs=3, batches=3, delay=0.02)), owner="tab-1")
        return job.id

    job_id = start_in_a_session()  # the "session" (caller) is gone now
    job = reg.get(job_id)
    job.join(10)
    assert job.status == DONE and job.owner == "tab-1"


def test_restart_marks_active_jobs_interrupted(tmp_path):
    reg = jobfns.registry(record_dir=tmp_path)
    hold = threading.Event()

    def fn(ctx):
        ctx.start_epoch(1, 5)
        ctx.log_epoch(1, {"loss": 0.7})
        ctx.set_result(checkpoint="ckpt.keras")
        hold.wait(10)

    job = reg.submit("test", "cut off", jobfns.config(fn))
    record = tmp_path / f"{job.id}.json"  # the record reaches the disk just after memory
    wait_for(lambda: record.exists() and "ckpt.keras" in record.read_text())
    # A new registry over the same folder is what a restarted server sees.
    after = jobfns.registry(record_dir=tmp_path).get(job.id)
    assert after.status == INTERRUPTED
    assert after.snapshot().result["checkpoint"] == "ckpt.keras"
    assert after.snapshot().history["loss"] == [0.7]
    hold.set()
    job.join(5)


def test_corrupt_record_is_skipped(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    assert jobfns.registry(record_dir=tmp_path).jobs() == []


def test_bad_slots():
    with pytest.raises(ValueError, match="slots"):
        jobfns.registry(slots=0)


class _Clock:
    """A hand-moved clock for a ``Recorder``: ETAs without sleeping."""

    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def _running_job(monkeypatch):
    """The one recorder both backends use (``core.jobs.recorder``), running, on a hand-moved clock."""
    from core.jobs.recorder import Recorder

    clock = _Clock()
    recorder = Recorder(clock=clock)
    recorder.begin()
    assert recorder.progress.status == RUNNING and recorder.progress.started == clock.now
    return SimpleNamespace(snapshot=lambda: recorder.progress), recorder, clock


def test_eta_after_resuming_comes_from_this_runs_pace(monkeypatch):
    job, ctx, clock = _running_job(monkeypatch)
    clock.now += 20  # loading data and rebuilding the models: not training pace
    ctx.start_epoch(11, 12)  # resumed: 10 of 12 epochs were done before this run
    for batch in range(1, 6):  # one batch a second, 10 batches an epoch
        clock.now += 1
        ctx.log_batch(batch, 10)
    # 0.4 epoch in the 4 s since this run's first batch: 1.5 epochs left take 15 s
    # (the fraction of the whole plan over the time since start said 25 * 0.125 / 0.875 = 3.6 s)
    assert job.snapshot().eta_s == pytest.approx(15.0)


def test_eta_of_a_fresh_run_counts_the_batches_left(monkeypatch):
    job, ctx, clock = _running_job(monkeypatch)
    ctx.start_epoch(1, 2)
    clock.now += 1
    ctx.log_batch(1, 5)
    assert job.snapshot().eta_s is None  # one point is no pace yet
    for batch in (2, 3):
        clock.now += 2  # two seconds a batch
        ctx.log_batch(batch, 5)
    assert job.snapshot().eta_s == pytest.approx(7 * 2.0)  # 7 batches left


def test_one_submit_one_handle_one_stop_rule():
    """Both backends hand pages the same handle type, take a kind and a config (never a
    function), and stop only through the one ``may_stop`` rule."""
    from core.backends.redis_queue import QueueJob, QueueRegistry
    from core.backends.split import SplitRegistry
    from core.errors import InputError
    from core.jobs.handle import JobHandle
    from core.jobs.policy import may_stop
    from core.jobs.registry import Job

    assert issubclass(Job, JobHandle) and issubclass(QueueJob, JobHandle)
    for registry in (JobRegistry, QueueRegistry, SplitRegistry):  # submit(kind, title, config, *, owner)
        assert list(inspect.signature(registry.submit).parameters)[1:4] == ["kind", "title", "config"]
    reg, gate = jobfns.registry(), threading.Event()
    with pytest.raises(TypeError, match="config, not its function"):
        reg.submit("test", "old call", lambda ctx: None)
    job = reg.submit("test", "held", jobfns.config(lambda ctx: gate.wait(10)), owner="ana")
    assert isinstance(job, JobHandle) and may_stop(job, "ana") and not may_stop(job, "ben")
    with pytest.raises(InputError, match="Only the session"):
        reg.cancel(job.id, "ben")
    assert job.status in (QUEUED, RUNNING)
    reg.cancel(job.id, "ben", teacher=True)
    gate.set()
    job.join(5)
    assert job.status == CANCELLED
