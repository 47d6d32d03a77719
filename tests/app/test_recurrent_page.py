"""AppTest of the recurrent page: a digit read row by row, the adding race, gates, the IMDB recipe."""

import pytest

pytest.importorskip("keras")

from core.storage import store  # noqa: E402
from lab.recurrent import model as rnn  # noqa: E402
from tests.app.helpers import assert_clean, by_key, open_page  # noqa: E402

pytestmark = pytest.mark.skipif(not store.list_models(kind="rnn", include_user=False),
                                reason="no shipped recurrent reader")


@pytest.fixture(scope="module")
def at():
    return open_page("recurrent", timeout=120)


def open_tab(at, label):
    at.session_state["recurrent_tab"] = label
    return at.run(timeout=120)


def test_tabs_in_english_and_spanish(at):
    assert_clean(at)
    assert [tab.label for tab in at.tabs] == ["Row by row", "Memory over time", "LSTM gates", "Text (IMDB)"]
    es = open_page("recurrent", lang="es", timeout=120)
    assert_clean(es)
    assert [tab.label for tab in es.tabs][:2] == ["Fila a fila", "Memoria en el tiempo"]


def test_a_test_digit_is_read_row_by_row(at):
    open_tab(at, "Row by row")
    if (store.SHIPPED_MODELS / "rnn-lstm.keras").exists():  # the best reader opens first, whatever the files' dates
        assert by_key(at, "selectbox", "recurrent_model").value.startswith("rnn-lstm")
    at.session_state["recurrent_example"] = 0  # test image 0 is a 7
    by_key(at, "radio", "recurrent_source").set_value("example").run(timeout=120)
    assert_clean(at)
    answer = next(m for m in at.metric if m.label.startswith("Answer after row"))
    assert answer.label == "Answer after row 28" and answer.value == "7"
    by_key(at, "slider", "recurrent_rows").set_value(3).run(timeout=120)
    assert any(m.label == "Answer after row 3" for m in at.metric)
    assert any("no longer changes" in c.value for c in at.caption)


def test_a_tiny_reader_trains_in_the_background(at):
    open_tab(at, "Row by row")
    by_key(at, "selectbox", "recurrent_train_cell").set_value("gru").run(timeout=120)
    by_key(at, "select_slider", "recurrent_train_units").set_value(16)
    by_key(at, "number_input", "recurrent_train_epochs").set_value(1).run(timeout=120)
    by_key(at, "button", "recurrent_train_start").click().run(timeout=120)
    assert_clean(at)
    from ui import chrome

    job = chrome.registry().get(at.session_state["recurrent_job_id"])
    job.join(300)
    assert job.status == "done", job.snapshot().error
    at.run(timeout=120)
    assert_clean(at)
    name = job.snapshot().result["name"]
    assert any(name in label for label in by_key(at, "selectbox", "recurrent_model").options)


def test_the_adding_race_and_the_gradients(at):
    open_tab(at, "Memory over time")
    assert_clean(at)
    by_key(at, "select_slider", "recurrent_adding_length").set_value(10)
    by_key(at, "number_input", "recurrent_adding_epochs").set_value(1)
    by_key(at, "select_slider", "recurrent_adding_n").set_value(500).run(timeout=120)
    by_key(at, "button", "recurrent_adding_start").click().run(timeout=120)
    from ui import chrome

    job = chrome.registry().get(at.session_state["recurrent_adding_job_id"])
    job.join(300)
    assert job.status == "done", job.snapshot().error
    assert set(job.snapshot().extras["adding"]) == set(rnn.CELLS)
    at.run(timeout=120)
    assert_clean(at)
    assert any("Under the solved line now" in c.value for c in at.caption)


def test_gates_and_the_imdb_recipe(at):
    open_tab(at, "LSTM gates")
    assert_clean(at)
    assert any("forget gate" in c.value for c in at.caption)
    open_tab(at, "Text (IMDB)")
    assert_clean(at)
    assert any("imdb.load_data" in c.value for c in at.code)
