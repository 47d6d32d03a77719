"""AppTest of the CNN view (``lab/cnn/page.py``): a test image, the overview, units of each kind."""

import pytest

pytest.importorskip("keras")

from core.models import classifier  # noqa: E402
from tests.app.helpers import assert_clean, by_key, open_page  # noqa: E402

pytestmark = pytest.mark.skipif(not classifier.shipped_entries(), reason="no shipped classifier models")
PAGE = "lab/cnn/page.py"


def open_cnn(lang: str = "en"):
    at = open_page("home", lang=lang, timeout=120)
    at.switch_page(PAGE)
    at.run(timeout=120)
    at.session_state["cnn_example"] = 0  # test image 0, a 7
    by_key(at, "radio", "cnn_source").set_value("example").run(timeout=120)
    return at


@pytest.fixture(scope="module")
def at():
    return open_cnn()


def choose(at, step: int, unit: int = 0):
    by_key(at, "selectbox", "cnn_step").set_value(step).run(timeout=120)
    units = by_key(at, "selectbox", "cnn_unit")
    if not units.disabled:  # the flattened vector is one unit
        units.set_value(unit).run(timeout=120)
    assert_clean(at)


def test_overview_and_the_first_conv_unit(at):
    assert_clean(at)
    assert at.title[0].value == "The whole CNN on your drawing"
    texts = " ".join(c.value for c in at.caption)
    assert "The network reads 7" in texts
    assert "conv_1" not in texts and "conv_2" not in texts  # Keras' names never reach students
    assert at.subheader[0].value == "Convolution 1, unit 1"


def test_every_kind_of_unit_opens(at):
    steps = by_key(at, "selectbox", "cnn_step").options
    assert len(steps) == 11 and steps[3] == "Convolution 2" and steps[-1] == "Softmax (probabilities)"
    for step in range(len(steps)):
        choose(at, step, 3 if step < 9 else 7)
        assert at.subheader[0].value.startswith(steps[step])
    choose(at, 3, 5)  # Conv 2, unit 6: its 64 channels, then one cell number by number
    assert any("64" in m.value and "input channel" in m.value for m in at.markdown)
    assert any("model's own layer output" in m.value for m in at.markdown)
    assert len(at.latex) >= 2


def test_the_improved_ensemble_and_spanish():
    es = open_cnn("es")
    assert_clean(es)
    labels = by_key(es, "selectbox", "cnn_model").options
    improved = next(label for label in labels if "improved" in label)
    by_key(es, "selectbox", "cnn_model").set_value(improved).run(timeout=120)
    assert_clean(es)
    steps = by_key(es, "selectbox", "cnn_step").options
    assert "Normalización por lotes 1" in steps and "Aplanado" in steps
    assert any("promedia 3 redes" in c.value for c in es.caption)
    choose(es, steps.index("Normalización por lotes 1"), 2)
