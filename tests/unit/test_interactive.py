"""core.jobs.interactive: training waits between batches while students are drawing, never for long."""

import threading
import time

from core.jobs import interactive


def test_quiet_server_training_does_not_wait(monkeypatch):
    monkeypatch.setattr(interactive, "_last", [float("-inf")])
    assert not interactive.busy()
    assert interactive.give_way() < 0.01


def test_training_waits_while_predictions_keep_coming_and_resumes_after(monkeypatch):
    monkeypatch.setattr(interactive, "_last", [float("-inf")])
    stop = time.monotonic() + 0.5

    def students():  # a prediction every 50 ms for half a second
        while time.monotonic() < stop:
            interactive.touch()
            time.sleep(0.05)

    threading.Thread(target=students).start()
    time.sleep(0.05)
    waited = interactive.give_way(max_wait_s=5.0)
    assert 0.5 <= waited < 0.5 + interactive.WINDOW_S + 0.3  # until the drawing stops, then the window


def test_the_wait_is_bounded(monkeypatch):
    monkeypatch.setattr(interactive, "_last", [float("-inf")])
    interactive.touch()
    monkeypatch.setattr(interactive, "WINDOW_S", 60.0)  # "students never stop"
    assert 0.2 <= interactive.give_way(max_wait_s=0.2) < 0.4


def test_a_prediction_counts_as_interactive(monkeypatch):
    import numpy as np
    import pytest

    pytest.importorskip("keras")
    from core.models import classifier

    monkeypatch.setattr(interactive, "_last", [float("-inf")])
    before = time.monotonic()
    classifier.predict_proba(classifier.build_model("mlp"), np.zeros((28, 28), np.float32))
    assert interactive._last[0] >= before


def test_answers_take_turns_and_the_first_to_ask_is_answered_first():
    inside, most, order = [0], [0], []
    lock = threading.Lock()

    def answer(name: str) -> None:
        with interactive.one_at_a_time() as turn:
            assert turn
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            order.append(name)
            time.sleep(0.02)  # an answer's work, holding its turn
            with lock:
                inside[0] -= 1

    threads = []
    for i in range(6):
        threads.append(threading.Thread(target=answer, args=(f"s{i}",)))
        threads[-1].start()
        time.sleep(0.005)  # they ask one after another, while the first still works
    for th in threads:
        th.join()
    assert most[0] == 1  # never two at once
    assert order[0] == "s0" and sorted(order) == [f"s{i}" for i in range(6)]
    assert interactive.busy()  # taking a turn counts as a student waiting


def test_a_turn_held_too_long_slows_an_answer_but_never_stops_it():
    held, release = threading.Event(), threading.Event()

    def hog() -> None:
        with interactive.one_at_a_time():
            held.set()
            release.wait(5)

    th = threading.Thread(target=hog)
    th.start()
    held.wait(5)
    t0 = time.monotonic()
    with interactive.one_at_a_time(wait_s=0.2) as turn:
        waited = time.monotonic() - t0
    release.set()
    th.join()
    assert turn is False and 0.15 < waited < 2  # it ran without its turn, after waiting
    with interactive.one_at_a_time() as turn, interactive.one_at_a_time(wait_s=0.1) as inner:
        assert turn and inner  # re-entrant: an answer asking for another does not wait for itself
