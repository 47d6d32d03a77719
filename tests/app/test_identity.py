"""The browser's signed cookie is the session's owner: a genuine one is taken (a reload, another
tab, another replica), a missing or forged one gives a new owner whose cookie the page writes."""

import pytest
from streamlit.testing.v1 import AppTest

from core import identity
from ui import session

SCRIPT = """
import streamlit as st
from ui import session
session.keep_identity()
st.write("owner:" + session.session_label())
"""


@pytest.fixture
def cookie(monkeypatch, tmp_path):
    monkeypatch.setenv("NNLAB_HOME", str(tmp_path))
    monkeypatch.setenv("NNLAB_IDENTITY_SECRET", "test-secret-for-the-class-0123456789")
    sent = {}
    monkeypatch.setattr(session, "_cookie_token", lambda: sent.get("token"))
    return sent


def run():
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    owner = next(m.value for m in at.markdown if m.value.startswith("owner:"))[len("owner:"):]
    scripts = [e.proto.body for e in at.get("html")]
    return at, owner, scripts


def test_a_genuine_cookie_is_the_owner_and_nothing_is_written(cookie):
    cookie["token"] = identity.sign("feedc0ffee123456")
    _, owner, scripts = run()
    assert owner == "feedc0ffee123456"
    assert not [s for s in scripts if "nnlab_id" in s]


def test_without_a_cookie_a_new_owner_gets_its_signed_cookie(cookie):
    _, owner, scripts = run()
    assert identity.verify(owner) is None and len(owner) == identity.OWNER_CHARS
    written = [s for s in scripts if "nnlab_id=" in s]
    assert len(written) == 1
    token = written[0].split("nnlab_id=")[1].split(";")[0]
    assert identity.verify(token) == owner
    assert "path=/" in written[0] and "SameSite=Lax" in written[0] and f"max-age={365 * 24 * 3600}" in written[0]
    cookie["token"] = token  # the reload: the browser sends it back
    _, again, _ = run()
    assert again == owner


def test_a_forged_cookie_is_not_taken(cookie):
    victim = identity.sign("aaaaaa0000000000")
    cookie["token"] = "bbbbbb0000000000." + victim.split(".")[1]
    _, owner, scripts = run()
    assert owner not in ("aaaaaa0000000000", "bbbbbb0000000000")
    assert [s for s in scripts if "nnlab_id=" in s]
