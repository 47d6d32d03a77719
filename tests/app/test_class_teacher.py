"""The teacher and a flood: one student's 40 queued jobs are listed in a few lines, and the
teacher stops them all with one click; a student past the job limit reads why, translated."""

import threading
import time

import pytest
from streamlit.testing.v1 import AppTest

from core.backends import kinds as job_kinds
from core.jobs.registry import CANCELLED
from tests import jobfns


@pytest.fixture(autouse=True)
def job_kind(monkeypatch):
    """The lab's registry builds jobs from their kind: ``test`` runs the function ``jobfns.config`` names."""
    monkeypatch.setitem(job_kinds.KINDS, "test", jobfns.builder)


GATE = threading.Event()
JOBS: list = []

SCRIPT = """
import streamlit as st
from tests.app import test_class_teacher as here
from ui import chrome, jobs_panel
from tests import jobfns

st.session_state.setdefault("app_session", "teach0001")
st.session_state.setdefault("app_lang", {lang!r})
if not here.JOBS:
    reg = chrome.registry()
    here.JOBS.append(reg.submit("test", "Calm", jobfns.config(here.held), owner="calm00001"))
    here.JOBS.extend(reg.submit("test", "Flood", jobfns.config(here.held), owner="flood0001") for _ in range(40))
with st.sidebar:
    jobs_panel.jobs_sidebar()
    jobs_panel.teacher_sidebar(chrome.translator())
if st.button("again", key="test_again"):
    with chrome.guard():
        here.JOBS.append(chrome.registry().submit("test", "Mine", jobfns.config(here.held), owner=chrome.session_label()))
"""


def held(ctx):
    while not GATE.is_set():
        ctx.check()
        time.sleep(0.01)


@pytest.fixture
def flood(monkeypatch):
    monkeypatch.setenv("NNLAB_MAX_JOBS", "50")
    monkeypatch.setenv("NNLAB_TEACHER_KEY", "the-class-key-2026")
    GATE.clear()
    JOBS.clear()
    yield JOBS
    GATE.set()
    for job in JOBS:
        job.join(5)


def test_the_sidebar_stays_short_and_the_teacher_stops_a_whole_flood(flood):
    at = AppTest.from_string(SCRIPT.format(lang="en"), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    lines = [c.value for c in at.sidebar.caption]
    assert sum("Flood" in line or "Calm" in line for line in lines) == 12
    assert any("29 more jobs queued" in line for line in lines)
    at.sidebar.text_input(key="app_teacher_input").input("the-class-key-2026").run()
    assert at.sidebar.selectbox(key="app_teacher_student").value == "flood0001"  # the most jobs first
    at.sidebar.button(key="app_teacher_stop_student").click().run()
    calm, rest = flood[0], flood[1:]
    for job in rest:
        job.join(5)
    assert all(job.status == CANCELLED for job in rest) and calm.status != CANCELLED


def test_past_the_job_limit_the_student_reads_why_in_spanish(flood, monkeypatch):
    at = AppTest.from_string(SCRIPT.format(lang="es"), default_timeout=30)
    at.run()
    monkeypatch.setenv("NNLAB_MAX_JOBS", "2")
    at.button(key="test_again").click().run()
    at.button(key="test_again").click().run()
    at.button(key="test_again").click().run()
    assert not at.exception
    assert any("Ya tienes 2 entrenamientos en cola o en marcha" in e.value for e in at.error)
