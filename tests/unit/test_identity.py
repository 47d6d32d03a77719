"""The signed owner identity (core.identity): tokens verify only with the server's secret,
the secret is shared by replicas through the environment or the home folder."""

import os
import stat
import threading

import pytest

from core import identity


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_HOME", str(tmp_path))
    for name in identity.ENV_SECRETS:
        monkeypatch.delenv(name, raising=False)
    identity._file_secrets.clear()
    yield tmp_path
    identity._file_secrets.clear()


def test_a_signed_token_verifies_and_tampering_fails(home):
    owner = identity.new_owner()
    token = identity.sign(owner)
    assert identity.verify(token) == owner
    forged_owner = ("0" if owner[0] != "0" else "1") + owner[1:]
    assert identity.verify(f"{forged_owner}.{token.split('.')[1]}") is None  # someone else's id, my signature
    last = token[-1]
    assert identity.verify(token[:-1] + ("0" if last != "0" else "1")) is None
    for junk in (None, "", "abc", owner, f"{owner}.", "x" * 500, f"{owner}.{'g' * 64}", "../../etc.passwd"):
        assert identity.verify(junk) is None


def test_the_secret_file_is_created_once_private_and_shared_by_racing_processes(home):
    found, errors = [], []

    def read():
        try:
            found.append(identity._secret_from_file(home / identity.SECRET_FILE))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and len(set(found)) == 1 and len(found[0]) == 64
    mode = stat.S_IMODE(os.stat(home / identity.SECRET_FILE).st_mode)
    assert mode == 0o600
    assert not [p for p in home.iterdir() if p.name.endswith(".tmp")]


def test_another_replica_with_the_same_home_accepts_the_token_and_another_secret_does_not(home, monkeypatch):
    token = identity.sign("abcdef0123456789")
    identity._file_secrets.clear()  # a second process: reads the file again
    assert identity.verify(token) == "abcdef0123456789"
    monkeypatch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", "another-server-with-its-own-secret-000000")
    assert identity.verify(token) is None
    shared = identity.sign("abcdef0123456789")
    monkeypatch.setenv("NNLAB_IDENTITY_SECRET", "the-class-secret-shared-by-all-replicas-0000")
    assert identity.verify(shared) is None  # NNLAB_IDENTITY_SECRET comes first
    assert identity.verify(identity.sign("abcdef0123456789")) == "abcdef0123456789"


def test_short_is_what_classmates_see():
    assert identity.short("abcdef0123456789") == "abcdef"
    assert identity.short("") == "?"
