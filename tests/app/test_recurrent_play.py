"""AppTest: "Play" on the recurrent page's first tab reads the digit row by row on a clock (issue
36: no way to watch a digit being read), stops at row 28, and the slider takes over at once."""

import time

import pytest

pytest.importorskip("keras")

from core.storage import store  # noqa: E402
from lab.recurrent.view_read import PLAY_KEY, PLAY_S  # noqa: E402
from tests.app.helpers import assert_clean, by_key, open_page  # noqa: E402

pytestmark = pytest.mark.skipif(not store.list_models(kind="rnn", include_user=False),
                                reason="no shipped recurrent reader")


def answer_row(at) -> int:
    label = next(m.label for m in at.metric if m.label.startswith("Answer after row"))
    return int(label.rsplit(" ", 1)[1])


def test_play_reads_the_rows_one_after_the_other_and_stops_at_the_last():
    at = open_page("recurrent", timeout=120)
    at.session_state["recurrent_example"] = 0
    at.run(timeout=120)
    assert answer_row(at) == 28 and by_key(at, "button", "recurrent_play_button")
    by_key(at, "button", "recurrent_play_button").click().run(timeout=120)
    assert_clean(at)
    assert answer_row(at) <= 2 and by_key(at, "button", "recurrent_pause")  # from the first row
    time.sleep(4 * PLAY_S)
    at.run(timeout=120)
    assert 4 <= answer_row(at) < 28  # the clock moved it on
    assert any(f"row {answer_row(at)} of 28" in p.text for p in at.get("progress"))  # a bar while playing
    at.session_state[PLAY_KEY] = time.monotonic() - 30 * PLAY_S  # as if the 28 rows had passed
    at.run(timeout=120)
    assert answer_row(at) == 28 and PLAY_KEY not in at.session_state
    assert by_key(at, "button", "recurrent_play_button")  # stopped, ready to play again
    assert_clean(at)


def test_pause_keeps_the_row_reached_and_spanish_labels():
    at = open_page("recurrent", lang="es", timeout=120)
    by_key(at, "button", "recurrent_play_button").click().run(timeout=120)
    assert by_key(at, "button", "recurrent_pause").label == "Pausa"
    time.sleep(3 * PLAY_S)
    at.run(timeout=120)
    reached = int(next(m.label for m in at.metric if m.label.startswith("Respuesta")).rsplit(" ", 1)[1])
    by_key(at, "button", "recurrent_pause").click().run(timeout=120)
    assert PLAY_KEY not in at.session_state
    assert reached <= by_key(at, "slider", "recurrent_rows").value < 28  # the slider is back where it stopped
    by_key(at, "slider", "recurrent_rows").set_value(10).run(timeout=120)
    assert any(m.label.endswith("10") for m in at.metric)
    assert by_key(at, "button", "recurrent_play_button").label == "Reproducir: leerlo fila a fila"
    assert_clean(at)
