"""Server-wide fixes to Streamlit's script runner for an app that trains in background threads.

After every script run (every rerun, every fragment tick) Streamlit calls
``keras.backend.clear_session()``: a full garbage collection, a reset of Keras' global
state for every thread, and TensorFlow's kernel cache cleared. With pages polling
training progress once a second that starves the training threads of the interpreter
lock: a DCGAN job on 1,000 images spent minutes tracing its step and ran several times
slower than from the command line. This app never relies on that clean-up (models
are built with explicit layer names, and a worker thread sets its own seeds and dtype
policy), so it is switched off here. ``.streamlit/config.toml`` likewise turns off the
forced full collection after each run (``runner.postScriptGC``).

``tcp_nodelay()`` turns off Nagle's algorithm on the server's sockets. Streamlit binds its
listening socket itself with protocol number 0, and asyncio only sets ``TCP_NODELAY`` on
sockets whose protocol is ``IPPROTO_TCP``, so every connection it accepts keeps Nagle on.
A rerun sends several small websocket frames in a row; with Nagle the kernel holds all but
the first until the browser acknowledges it, and browsers delay that acknowledgement
(40 ms on Linux, up to 200 ms on Windows). Every fragment rerun, however cheap, then took
about 45 ms to reach a browser on the same machine (``docs/BENCHMARKS.md``).
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

_PATCHED = "_nnlab_keeps_keras"


def _clean_without_keras() -> None:
    """Streamlit's per-run clean-up minus Keras: close pyplot figures if pyplot is loaded."""
    plt: Any = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")


def keep_keras_state() -> bool:
    """Stop Streamlit from clearing the Keras session after each run (idempotent).

    Returns whether the clean-up is now the Keras-free one (``False`` if a future
    Streamlit moved the hook: the app still works, only slower under training).
    """
    from streamlit.runtime.scriptrunner import script_runner

    current = getattr(script_runner, "_clean_problem_modules", None)
    if current is None:
        return False
    if not getattr(current, _PATCHED, False):
        setattr(_clean_without_keras, _PATCHED, True)
        _clean_without_keras.replaced = current  # Streamlit's own, for tests and the curious
        script_runner._clean_problem_modules = _clean_without_keras
    return True


_NODELAY_DONE: list[bool] = []  # once per process: later connections inherit it from the listener


def tcp_nodelay_once() -> None:
    """``tcp_nodelay()`` the first time a page runs in this process."""
    if not _NODELAY_DONE:
        _NODELAY_DONE.append(True)
        tcp_nodelay()


def tcp_nodelay(fd_dir: str = "/proc/self/fd") -> int:
    """Set ``TCP_NODELAY`` on this process's TCP sockets (Linux; elsewhere a no-op).

    On the listening socket it is inherited by every connection accepted later; the
    connections open now (the first sessions) get it directly. Returns how many sockets
    were changed (0 when there is nothing to do, e.g. in tests or on another system).
    """
    try:
        fds = [int(name) for name in os.listdir(fd_dir)]
    except (OSError, ValueError):
        return 0
    changed = 0
    for fd in fds:
        changed += _nodelay(f"{fd_dir}/{fd}", fd)
    return changed


def _nodelay(link: str, fd: int) -> int:
    try:
        if not os.readlink(link).startswith("socket:"):
            return 0
        sock = socket.socket(fileno=os.dup(fd))  # a duplicate: closing it leaves the server's open
    except OSError:
        return 0
    with sock:
        if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
            return 0
        if sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY):
            return 0
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return 1
