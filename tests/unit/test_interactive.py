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
