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


def test_theme_messages_are_built_once_and_equal_streamlit_own(monkeypatch, request):
    from streamlit import config
    from streamlit.proto.NewSession_pb2 import CustomThemeConfig
    from streamlit.runtime import app_session

    colour = config.get_option("theme.primaryColor")
    request.addfinalizer(lambda: config.set_option("theme.primaryColor", colour))
    original = app_session._populate_theme_msg
    monkeypatch.setattr(app_session, "_populate_theme_msg", original)  # put back after the test
    monkeypatch.setattr(config, "on_config_parsed", lambda func, force_connect=False, lock=False: None)
    config.set_option("theme.primaryColor", "#123456")  # a theme the lab's config also sets
    assert server.cache_theme_messages() is True
    patched = app_session._populate_theme_msg
    assert patched is not original and patched.built is original
    assert server.cache_theme_messages() is True and app_session._populate_theme_msg is patched  # once
    sections = ["theme", "theme.light", "theme.dark", "theme.sidebar", "theme.light.sidebar", "theme.dark.sidebar"]
    for section in sections:
        ours, theirs = CustomThemeConfig(), CustomThemeConfig()
        patched(ours, section)
        original(theirs, section)
        assert ours == theirs, section
    assert CustomThemeConfig() != _built(original, "theme")  # the comparison sees a theme at all
    assert set(patched.made) == set(sections)  # each built once, then copied
    patched.made.clear()  # what a new parse of the config does (``on_config_parsed``)
    config.set_option("theme.primaryColor", "#654321")
    again = CustomThemeConfig()
    patched(again, "theme")
    assert again == _built(original, "theme") and again.primary_color == "#654321"


def _built(build, section):
    from streamlit.proto.NewSession_pb2 import CustomThemeConfig

    msg = CustomThemeConfig()
    build(msg, section)
    return msg
