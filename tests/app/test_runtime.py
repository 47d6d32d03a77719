"""The app keeps Keras' state between script runs (background training is not starved)."""

from __future__ import annotations

import keras
from streamlit.runtime.scriptrunner import script_runner

from ui import runtime


def test_reruns_no_longer_clear_the_keras_session(monkeypatch):
    calls = []
    monkeypatch.setattr(keras.backend, "clear_session", lambda *a, **k: calls.append(1))
    # Start from Streamlit's own clean-up whether or not a page of an earlier test already
    # replaced it: the test runs the same in any order (monkeypatch restores the hook after).
    current = script_runner._clean_problem_modules
    streamlit_own = getattr(current, "replaced", current)
    assert not getattr(streamlit_own, runtime._PATCHED, False)
    monkeypatch.setattr(script_runner, "_clean_problem_modules", streamlit_own)
    script_runner._clean_problem_modules()  # Streamlit's own clean-up clears the Keras session...
    assert calls == [1]
    assert runtime.keep_keras_state() is True
    assert runtime.keep_keras_state() is True  # idempotent
    assert script_runner._clean_problem_modules.replaced is streamlit_own
    calls.clear()
    script_runner._clean_problem_modules()  # ...the app's does not
    assert calls == []


def test_config_turns_off_the_forced_collection_after_each_run():
    from streamlit import config

    assert config.get_option("runner.postScriptGC") is False


def test_tcp_nodelay_reaches_the_listener_and_what_it_accepts():
    import socket

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # protocol 0, as Streamlit binds it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    with listener:
        early = socket.create_connection(listener.getsockname())
        early_server_side, _ = listener.accept()
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        assert early_server_side.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        assert runtime.tcp_nodelay() >= 2  # the listener and the connection it accepted (at least)
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert early_server_side.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        late = socket.create_connection(listener.getsockname())
        late_server_side, _ = listener.accept()  # accepted after: inherits it from the listener
        assert late_server_side.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        for s in (early, early_server_side, late, late_server_side):
            s.close()


def test_tcp_nodelay_is_a_no_op_without_proc(tmp_path):
    assert runtime.tcp_nodelay(str(tmp_path / "missing")) == 0
