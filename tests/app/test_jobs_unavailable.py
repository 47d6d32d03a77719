"""Redis configured but away: pages still render, the sidebar says (in the session's language)
that training is unavailable, and a Start that would queue a job is disabled with that reason;
a light job (XOR, playground) still starts, as it trains in the lab process
(``core.backends.split``). Redis is a closed loopback port here; tests/serve/test_failover_e2e.py
does it with a real Redis stopped and started under a browser."""

import pytest

from tests.app.helpers import assert_clean, open_page
from tests.e2e.conftest import free_port

SAYS = {"en": "Training is unavailable for now", "es": "El entrenamiento no está disponible por ahora"}


@pytest.fixture
def redis_away(monkeypatch):
    from ui import session

    monkeypatch.setenv("NNLAB_JOBS", f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    session.registry.clear()  # the process's registry, made again from NNLAB_JOBS
    yield
    session.registry.clear()


@pytest.mark.parametrize(("page", "start", "lang", "disabled"), [
    ("gan", "gan_start", "en", True), ("gan", "gan_start", "es", True),  # a queue job
    ("perceptron", "perceptron_train", "es", False), ("playground", "playground_train", "en", False)])
def test_pages_render_and_only_queue_starts_are_disabled_with_the_reason(redis_away, page, start, lang, disabled):
    at = open_page(page, lang=lang)
    at.run()  # the sidebar found Redis away on the first run: the page reran with Start disabled
    assert_clean(at)
    warnings = [w.value for w in at.sidebar.warning]
    assert any(SAYS[lang] in w for w in warnings), warnings
    button = at.button(key=start)
    assert button.disabled == disabled
    assert (SAYS[lang] in (button.help or "")) == disabled
