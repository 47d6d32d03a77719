"""The sidebar's job list ticks fast only while this session has a job of its own (issue 35):
each tick is a rerun on the server, and sixty students ticking every 2 s cost a tenth of a
core while they draw. A classmate's job alone keeps the slow tick; a job of this student's,
started here or in another tab, brings the fast one, and its end the slow one again."""

import threading
import time

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.backends import kinds as job_kinds
from tests import jobfns
from ui import jobs_panel

GATE = threading.Event()  # released at the end of each test: the held jobs end
JOBS: list = []
TIMERS: list = []  # run_every of each st.fragment the sidebar declared

SCRIPT = """
import streamlit as st
from ui import jobs_panel

st.session_state.setdefault("app_session", "me0001")
st.session_state.setdefault("app_lang", "en")
with st.sidebar:
    jobs_panel.jobs_sidebar()
"""


@pytest.fixture(autouse=True)
def setup(monkeypatch):
    monkeypatch.setitem(job_kinds.KINDS, "test", jobfns.builder)
    real = st.fragment

    def spy(func=None, *, run_every=None, **options):
        TIMERS.append(run_every)
        return real(func, run_every=run_every, **options)

    monkeypatch.setattr(jobs_panel.st, "fragment", spy)
    GATE.clear()
    JOBS.clear()
    TIMERS.clear()
    yield
    GATE.set()
    for job in JOBS:
        job.join(5)


def held(ctx):
    ctx.start_epoch(1, 1)
    while not GATE.is_set():
        ctx.check()
        time.sleep(0.01)


def submit(owner: str):
    job = jobs_panel.registry().submit("test", "Held", jobfns.config(held), owner=owner)
    JOBS.append(job)  # queued or running: both are active
    return job


def run(at: AppTest) -> float:
    """Run the page once; the sidebar's timer it declared (s)."""
    TIMERS.clear()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return TIMERS[-1]


def test_slow_tick_without_a_job_of_its_own_fast_while_one_runs():
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    assert run(at) == jobs_panel.TICK_IDLE_S
    submit("other1")  # a classmate's job: listed, but this session has nothing to follow closely
    assert run(at) == jobs_panel.TICK_IDLE_S
    assert any("session other1" in c.value for c in at.sidebar.caption)
    mine = submit("me0001")  # e.g. started in another tab: the same student (the cookie's owner)
    assert run(at) == jobs_panel.TICK_MINE_S
    assert any("yours" in c.value for c in at.sidebar.caption)
    jobs_panel.registry().cancel(mine.id, "me0001", False)
    mine.join(5)
    assert run(at) == jobs_panel.TICK_IDLE_S  # back to the slow tick once it ended
    assert jobs_panel.TICK_IDLE_S >= 4 * jobs_panel.TICK_MINE_S  # the point of the change


def test_a_slow_tick_that_finds_a_job_of_its_own_reruns_the_page_for_the_fast_one(monkeypatch):
    """A timer's rerun runs the list alone and cannot change its own timer: it reruns the page
    (whose whole run then declares the fast one). A classmate's job alone does not."""
    reruns = []
    monkeypatch.setattr(jobs_panel.st, "rerun", lambda scope="fragment": reruns.append(scope))
    at = AppTest.from_function(_tick_script, default_timeout=30)
    at.session_state["app_session"] = "me0001"
    at.session_state["app_lang"] = "en"
    at.session_state[jobs_panel.TICK_KEY] = jobs_panel.TICK_IDLE_S  # what the last whole run declared
    submit("other1")
    at.run()
    assert not at.exception and reruns == []
    submit("me0001")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert reruns == ["app"]
    at.session_state[jobs_panel.TICK_KEY] = jobs_panel.TICK_MINE_S  # the fast timer: no more reruns
    at.run()
    assert reruns == ["app"]


def _tick_script():
    from ui import jobs_panel

    jobs_panel._jobs_list()  # what a timer's rerun runs: no whole run before it
