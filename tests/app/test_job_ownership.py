"""Shared jobs in a class: each session sees whose job is whose, running before queued, and can
stop only its own jobs; the teacher (with the server's key) can stop any."""

import threading
import time

import pytest
from streamlit.testing.v1 import AppTest

from core.backends import kinds as job_kinds
from core.jobs.registry import CANCELLED, RUNNING
from tests import jobfns


@pytest.fixture(autouse=True)
def job_kind(monkeypatch):
    """The lab's registry builds jobs from their kind: ``test`` runs the function ``jobfns.config`` names."""
    monkeypatch.setitem(job_kinds.KINDS, "test", jobfns.builder)


GATE = threading.Event()  # released at the end of each test: the held jobs end
SUBMITTED: dict[str, object] = {}

SCRIPT = """
import streamlit as st
from tests.app import test_job_ownership as here
from ui import chrome, jobs_panel
from tests import jobfns

st.session_state.setdefault("app_session", "me0001")
st.session_state.setdefault("app_lang", {lang!r})
if not here.SUBMITTED:
    reg = chrome.registry()
    here.SUBMITTED["other"] = reg.submit("test", "Same title", jobfns.config(here.held), owner="other1")
    here.SUBMITTED["mine"] = reg.submit("test", "Same title", jobfns.config(here.held), owner="me0001")
    here.wait_queued(here.SUBMITTED["mine"])
    here.wait_epoch(here.SUBMITTED["other"])
with st.sidebar:
    jobs_panel.jobs_sidebar()
    jobs_panel.teacher_sidebar(chrome.translator())
chrome.job_panel(here.SUBMITTED["other"], chrome.translator(), key="test_panel")
"""


def held(ctx):
    ctx.start_epoch(1, 1)
    while not GATE.is_set():
        ctx.check()
        time.sleep(0.01)


def wait_queued(job, timeout=10):
    deadline = time.time() + timeout
    while job.snapshot().queue_position is None and time.time() < deadline:
        time.sleep(0.01)


def wait_epoch(job, timeout=10):
    """The running job has reported its epoch (its thread may start a moment after submit)."""
    deadline = time.time() + timeout
    while job.snapshot().epoch < 1 and time.time() < deadline:
        time.sleep(0.01)


@pytest.fixture
def jobs():
    GATE.clear()
    SUBMITTED.clear()
    yield SUBMITTED
    GATE.set()
    for job in SUBMITTED.values():
        job.join(5)


def app(lang="en"):
    at = AppTest.from_string(SCRIPT.format(lang=lang), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_owner_shown_running_first_and_only_my_job_has_a_stop_button(jobs):
    at = app()
    other, mine = jobs["other"], jobs["mine"]
    assert other.status == RUNNING  # one slot: mine waits in the queue
    lines = [c.value for c in at.sidebar.caption][:2]
    assert lines[0].startswith("Same title · session other1 · epoch")  # running first
    assert lines[1].startswith("Same title · yours · queued")
    keys = [b.key for b in at.sidebar.button]
    assert keys == [f"app_stop_{mine.id}"]  # no Stop on someone else's job
    assert not [b for b in at.main.button]  # nor in the panel of their job
    assert "only it, or the teacher" in " ".join(c.value for c in at.main.caption)
    at.sidebar.button(key=f"app_stop_{mine.id}").click().run()
    mine.join(5)
    assert mine.snapshot().status == CANCELLED and other.status == RUNNING


def test_teacher_key_lets_a_session_stop_any_job(jobs, monkeypatch):
    monkeypatch.setenv("NNLAB_TEACHER_KEY", "s3cret-key")
    at = app()
    other = jobs["other"]
    at.sidebar.text_input(key="app_teacher_input").input("wrong").run()
    assert "That is not the teacher key." in [c.value for c in at.sidebar.caption]
    assert f"app_stop_{other.id}" not in [b.key for b in at.sidebar.button]
    at.sidebar.text_input(key="app_teacher_input").input("s3cret-key").run()
    assert at.session_state["app_teacher"] is True
    assert "Teacher mode: you can stop any job." in [c.value for c in at.sidebar.caption]
    assert at.session_state["app_teacher_input"] == ""  # the key itself is not kept in the session
    assert f"app_stop_{other.id}" in [b.key for b in at.sidebar.button]
    at.sidebar.button(key=f"app_stop_{other.id}").click().run()
    other.join(5)
    assert other.snapshot().status == CANCELLED


def test_teacher_key_from_streamlit_secrets(jobs, monkeypatch):
    monkeypatch.delenv("NNLAB_TEACHER_KEY", raising=False)
    at = AppTest.from_string(SCRIPT.format(lang="en"), default_timeout=30)
    at.secrets["teacher_key"] = "from-secrets"
    at.run()
    at.sidebar.text_input(key="app_teacher_input").input("from-secrets").run()
    assert at.session_state["app_teacher"] is True
    assert f"app_stop_{jobs['other'].id}" in [b.key for b in at.sidebar.button]


def test_without_a_configured_key_there_is_no_teacher_field(jobs, monkeypatch):
    monkeypatch.delenv("NNLAB_TEACHER_KEY", raising=False)
    at = app("es")
    assert not [w for w in at.sidebar.text_input if w.key == "app_teacher_input"]
    lines = [c.value for c in at.sidebar.caption][:2]
    assert "sesión other1" in lines[0] and "tuyo" in lines[1] and "en cola" in lines[1]
