"""A newcomer never sees a classmate's job as theirs: ``latest_job`` falls back only to this
student's own newest job (after a reload, the cookie's owner id), never to the server's newest."""

import pytest
from streamlit.testing.v1 import AppTest

from core.backends import kinds as job_kinds
from tests import jobfns


@pytest.fixture(autouse=True)
def job_kind(monkeypatch):
    """The lab's registry builds jobs from their kind: ``latest_test`` runs the function ``jobfns.config`` names."""
    monkeypatch.setitem(job_kinds.KINDS, "latest_test", jobfns.builder)


SCRIPT = """
import streamlit as st
from ui import chrome

st.session_state.setdefault("app_session", {owner!r})
job = chrome.latest_job("latest_test", "latest_test_job_id")
st.write("job:" + (job.id if job else "none"))
"""


def shown(owner: str) -> str:
    at = AppTest.from_string(SCRIPT.format(owner=owner), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return next(m.value for m in at.markdown if m.value.startswith("job:"))[4:]


def test_a_newcomer_sees_no_job_and_a_reloaded_student_finds_their_own():
    from ui import session

    reg = session.registry()
    theirs = reg.submit("latest_test", "someone else's", jobfns.config(lambda ctx: None), owner="other0000001")
    theirs.join(5)
    assert shown("newcomer0001") == "none"  # not the classmate's "interrupted" warning
    mine = reg.submit("latest_test", "mine", jobfns.config(lambda ctx: None), owner="mine00000001")
    mine.join(5)
    assert shown("mine00000001") == mine.id  # a new session (F5) of the same student
    assert shown("other0000001") == theirs.id
