"""The process warm-up (``ui/server.py``): what every class needs is loaded once, at start."""

import asyncio
import json

from core.storage import store
from ui import server


def test_warm_up_loads_the_shipped_classifier_into_the_shared_cache(monkeypatch):
    from core.models import classifier

    # the page modules (the canvas component) need Streamlit's runtime: the e2e test has it
    monkeypatch.setattr(server, "MODULES", ("tensorflow", "core.models.classifier"))
    state = server.prepare_process(server.Warm())
    assert state.done.is_set() and state.error is None, state.error
    assert state.steps[-2:] == ["classifier", "stroke"] and "tensorflow" in state.steps
    assert store.is_cached(classifier.default_entry().path)  # the page's own load finds it


def test_a_failed_warm_up_still_ends_and_says_why(monkeypatch):
    monkeypatch.setattr(server, "MODULES", ("no_such_module_for_the_lab",))
    state = server.prepare_process(server.Warm())
    assert state.done.is_set() and "ModuleNotFoundError" in state.error


def _call(coroutine):
    """Run a route in a thread of its own: earlier tests (Playwright's sync API) may leave an event
    loop running in this one."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_ready_answers_503_until_warm_then_200(monkeypatch):
    state = server.Warm()
    monkeypatch.setattr(server, "WARM", state)
    before = _call(server.ready(None))
    assert before.status_code == 503 and json.loads(before.body)["ready"] is False
    state.done.set()
    after = _call(server.ready(None))
    assert after.status_code == 200 and json.loads(after.body)["ready"] is True
    assert after.headers["cache-control"] == "no-store"
    assert [r.path for r in server.routes()] == ["/api/ready"]
