"""The server around the pages: what a process loads before its first student, and a
readiness check a proxy (or a teacher) can ask.

``streamlit run app.py`` finds ``app = st.App(...)`` in ``app.py`` and serves it; Streamlit
then runs this module's ``lifespan`` once, when the process starts. It starts one background
thread that imports TensorFlow and the classifier page's modules, loads the shipped classifier
into the one model cache (``core.storage.store.load_cached``) and traces its stroke and
explanation graphs. A class that arrives together then finds it all done: no student's page
open or first stroke pays for it (issue 35). The server listens at once; ``GET /api/ready``
answers 503 until the warm-up ends, then 200, both with a small JSON body.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger("nnlab.server")

# What the pages of a lesson import: loaded once per process, before any session needs them.
MODULES = ("tensorflow", "plotly.graph_objects", "core.maths.preprocess",
           "core.models.classifier", "core.models.explain", "ui.canvas", "ui.sketch")


class Warm:
    """The state of the process's warm-up (thread-safe: one writer, readers see whole values)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.done = threading.Event()
        self.seconds: float | None = None
        self.steps: list[str] = []
        self.error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"ready": self.done.is_set(), "seconds": self.seconds, "steps": list(self.steps),
                "error": self.error}


WARM = Warm()


def prepare_process(state: Warm = WARM) -> Warm:
    """Import the lesson modules, load the shipped classifier and compile a stroke's graphs.

    A failure (no shipped model, say) is logged and kept in ``state.error``: the process is
    ready all the same, and the page reports the problem itself, as it did before."""
    try:
        for name in MODULES:
            importlib.import_module(name)
            state.steps.append(name)
        from core.models import classifier, explain

        model = classifier.load_entry(classifier.default_entry())  # stroke graph traced on load
        explain.trace_explanations(model)
        state.steps.append("classifier")
        one_stroke(model)
        state.steps.append("stroke")
    except Exception as exc:  # noqa: BLE001 - readiness must not depend on a model being shipped
        state.error = f"{type(exc).__name__}: {exc}"
        log.warning("warm-up incomplete: %s", state.error)
    state.seconds = round(time.monotonic() - state.started, 2)
    state.done.set()
    log.info("ready in %.1f s", state.seconds)
    return state


def one_stroke(model) -> None:
    """What a student's first stroke runs, once, with no student waiting: the canvas's PNG
    decoded, the digit cut out, one prediction, the probability bars written."""
    import base64
    import io

    import numpy as np
    from PIL import Image

    from core.maths.preprocess import canvas_to_mnist
    from core.models import classifier
    from ui import display, sketch

    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[..., 3], canvas[60:220, 130:150, :3] = 255, 255  # a white bar: a 1
    buf = io.BytesIO()
    Image.fromarray(canvas, "RGBA").save(buf, format="PNG")
    image = sketch.decode("data:image/png;base64," + base64.b64encode(buf.getvalue()).decode())
    probs = classifier.predict_proba(model, canvas_to_mnist(image))[0]
    display.bars_html(list(range(10)), probs, int(probs.argmax()), "p", "t", "a")


def cache_theme_messages() -> bool:
    """Build the theme part of Streamlit's per-run message once per config, not on every run.

    Streamlit 1.67 starts every run, a stroke's fragment run included, with a "new session"
    message whose six theme sections it rebuilds from the config each time: six passes over
    every config option, about a millisecond of the interpreter lock per stroke (8 % of a
    stroke's, by ``py-spy --gil``; issue 35). While a server runs its theme cannot change (no
    file watcher here, and ``st.set_option`` refuses theme options), so each section's message
    is built once and copied; a new parse of the config empties the cache. This wraps the
    private ``app_session._populate_theme_msg``: without it (another Streamlit) nothing is
    changed and False is returned; ``tests/unit/test_server.py`` checks the copy is equal.
    """
    from streamlit import config
    from streamlit.runtime import app_session

    build = getattr(app_session, "_populate_theme_msg", None)
    if build is None or getattr(build, "nnlab_cached", False):
        return build is not None
    made: dict[str, Any] = {}  # section -> its CustomThemeConfig message

    def populate(msg, section: str = "theme") -> None:
        cached = made.get(section)
        if cached is None:
            cached = type(msg)()
            build(cached, section)
            made[section] = cached
        msg.MergeFrom(cached)

    populate.nnlab_cached = True
    populate.built, populate.made = build, made
    config.on_config_parsed(made.clear, force_connect=True)
    app_session._populate_theme_msg = populate
    return True


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Start the warm-up when the server starts (in a thread: the server listens meanwhile)."""
    cache_theme_messages()
    threading.Thread(target=prepare_process, name="nnlab-warm-up", daemon=True).start()
    yield


async def ready(_request: Any):
    """``GET /api/ready``: 200 once the warm-up ended, 503 before; JSON either way."""
    from starlette.responses import JSONResponse

    return JSONResponse(WARM.as_dict(), status_code=200 if WARM.done.is_set() else 503,
                        headers={"Cache-Control": "no-store"})


def routes() -> list:
    """The routes this lab adds to Streamlit's own."""
    from starlette.routing import Route

    return [Route("/api/ready", ready, methods=["GET", "HEAD"])]
