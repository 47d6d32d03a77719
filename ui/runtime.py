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
"""

from __future__ import annotations

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
