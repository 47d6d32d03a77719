"""Redis configured but away: every page with a Start button still renders, the sidebar says
(in the session's language) that training is unavailable, and Start is disabled with that
reason. Redis is a closed loopback port here; tests/serve/test_failover_e2e.py does it with a
real Redis stopped and started under a browser."""

import pytest

from tests.app.helpers import assert_clean, open_page
from tests.e2e.conftest import free_port

STARTS = {"perceptron": "perceptron_train", "playground": "playground_train"}  # others sit in tabs run when opened
SAYS = {"en": "Training is unavailable for now", "es": "El entrenamiento no está disponible por ahora"}


@pytest.fixture
def redis_away(monkeypatch):
    from ui import session

    monkeypatch.setenv("NNLAB_JOBS", f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    session.registry.clear()  # the process's registry, made again from NNLAB_JOBS
    yield
    session.registry.clear()


@pytest.mark.parametrize(("page", "lang"), [("perceptron", "en"), ("perceptron", "es"), ("playground", "es")])
def test_pages_render_with_start_disabled_and_say_why(redis_away, page, lang):
    at = open_page(page, lang=lang)
    at.run()  # the sidebar found Redis away on the first run: the page reran with Start disabled
    assert_clean(at)
    warnings = [w.value for w in at.sidebar.warning]
    assert any(SAYS[lang] in w for w in warnings), warnings
    start = at.button(key=STARTS[page])
    assert start.disabled and SAYS[lang] in start.help
