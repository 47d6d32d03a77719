"""Limits that keep one student from taking the server: active jobs per student, job records
kept per student, teacher key guesses backed off, a minimum teacher key length."""

import logging
import threading
import time

import pytest

from core.errors import InputError
from core.jobs import records
from core.jobs.policy import cancel_owner
from core.jobs.registry import CANCELLED
from tests import jobfns

GATE = threading.Event()


def held(ctx):
    while not GATE.is_set():
        ctx.check()
        GATE.wait(0.01)


@pytest.fixture
def registry(tmp_path):
    GATE.clear()
    reg = jobfns.registry(slots=1, record_dir=tmp_path)
    yield reg
    GATE.set()
    for job in reg.jobs():
        job.join(5)


def test_a_student_may_have_three_active_jobs_and_a_classmate_is_not_held_back(registry, monkeypatch):
    monkeypatch.delenv("NNLAB_MAX_JOBS", raising=False)
    for _ in range(3):
        registry.submit("test", "mine", jobfns.config(held), owner="flood01")
    with pytest.raises(InputError) as raised:
        registry.submit("test", "mine", jobfns.config(held), owner="flood01")
    assert raised.value.code == "quota.jobs" and raised.value.values == {"count": 3, "limit": 3}
    registry.submit("test", "theirs", jobfns.config(held), owner="calm0002")  # another student still may
    registry.submit("test", "command line", jobfns.config(held))  # no owner: no limit
    assert len(registry.active()) == 5


def test_the_teacher_stops_all_of_one_students_jobs_at_once(registry, monkeypatch):
    monkeypatch.setenv("NNLAB_MAX_JOBS", "50")
    flood = [registry.submit("test", "flood", jobfns.config(held), owner="flood01") for _ in range(40)]
    calm = registry.submit("test", "calm", jobfns.config(held), owner="calm0002")
    with pytest.raises(InputError, match="Only the session"):  # a classmate may not: same rule as Stop
        cancel_owner(registry, "flood01", "calm0002", teacher=False)
    assert cancel_owner(registry, "flood01", "teacher01", teacher=True) == 40
    for job in flood:
        job.join(5)
    assert all(job.status == CANCELLED for job in flood)
    assert [j.id for j in registry.active()] == [calm.id]


def test_retention_is_per_student_so_a_flood_deletes_only_its_own_records(monkeypatch):
    monkeypatch.setenv("NNLAB_JOBS_KEEP", "200")
    monkeypatch.setenv("NNLAB_JOBS_KEEP_DAYS", "0")
    classmates = [(1000.0 + i, f"class{i}", f"student{i % 29}") for i in range(100)]
    flood = [(5000.0 + i, f"flood{i}", "flood01") for i in range(300)]
    dropped = set(records.expired(classmates + flood))
    assert not dropped & {job_id for _, job_id, _ in classmates}  # every classmate's record stays
    assert dropped == {f"flood{i}" for i in range(100)}  # the flood keeps its newest 200


def test_wrong_teacher_keys_are_backed_off_and_logged(caplog):
    from ui.jobs_panel import KeyGuesses

    guesses, now = KeyGuesses(), 1000.0
    with caplog.at_level(logging.WARNING, logger="nnlab.teacher"):
        for _ in range(KeyGuesses.FREE):  # a few typos cost nothing
            assert guesses.wait_s("kid01", now) == 0
            guesses.wrong("kid01", now)
        assert guesses.wait_s("kid01", now) == 0
        taken, t = 0, now
        while t < now + 600:  # a script trying 8 keys a second for ten minutes
            if guesses.wait_s("kid01", t) == 0:
                guesses.wrong("kid01", t)
                taken += 1
            t += 0.125
    assert taken < 20  # instead of 4,800
    assert guesses.wait_s("teacher", now) == 0  # nobody else waits
    assert "wrong teacher key from kid01" in caplog.text


def test_a_short_teacher_key_turns_teacher_mode_off(monkeypatch, caplog):
    from ui import teacher

    monkeypatch.setenv("NNLAB_TEACHER_KEY", "1234")
    with caplog.at_level(logging.ERROR, logger="nnlab.teacher"):
        monkeypatch.setattr(teacher, "_SHORT_KEY_LOGGED", [])
        assert teacher.teacher_key() == ""
    assert "shorter than 10 characters" in caplog.text
    monkeypatch.setenv("NNLAB_TEACHER_KEY", "a-long-class-key")
    assert teacher.teacher_key() == "a-long-class-key"


def test_light_interactive_jobs_never_wait_behind_a_long_one_and_stop_on_time(registry, monkeypatch):
    monkeypatch.setenv("NNLAB_LIGHT_MAX_S", "1")
    long_job = registry.submit("gan", "DCGAN", jobfns.config(held), owner="busy0001")
    queued = registry.submit("classifier", "CNN", jobfns.config(held), owner="next0002")
    light = registry.submit("playground", "playground", jobfns.config(held), owner="kid00003")
    deadline = time.time() + 10
    while light.status != "running" and time.time() < deadline:
        time.sleep(0.01)
    assert long_job.status == "running" and light.status == "running"  # no slot needed
    assert queued.status == "queued" and queued.snapshot().queue_position == 1  # still first in line
    light.join(10)  # the time limit stops it
    snap = light.snapshot()
    assert snap.status == CANCELLED and snap.message_code == "time_limit" and snap.message_values == {"s": 1}
    assert long_job.status == "running"


def test_on_the_queue_deployment_light_jobs_run_in_the_lab_process_not_behind_the_queue(registry):
    from core.backends.split import SplitRegistry

    split = SplitRegistry(registry, jobfns.registry())  # a thread registry with one slot stands in for the queue
    dcgan = split.submit("gan", "DCGAN", jobfns.config(held), owner="busy0001")
    waiting = split.submit("classifier", "CNN", jobfns.config(held), owner="next0002")
    light = split.submit("xor_mlp", "XOR", jobfns.config(held), owner="kid00003")
    deadline = time.time() + 10
    while light.status != "running" and time.time() < deadline:
        time.sleep(0.01)
    assert light.status == "running" and registry.get(light.id) is None  # never queued
    assert dcgan.status == "running" and waiting.status == "queued"
    assert split.get(light.id) is light and {j.id for j in split.active()} == {dcgan.id, waiting.id, light.id}
    split.cancel(light.id, "kid00003")
    light.join(5)
    assert light.status == CANCELLED and split.shutdown(5) == []
