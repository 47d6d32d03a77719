"""The job panel's words for a stopped job, in both languages (ui.chrome.stopped_text)."""

from core import i18n
from core.jobs.registry import CANCELLED, Progress
from ui import chrome


def stopped(**result) -> Progress:
    return Progress(status=CANCELLED, epoch=3, epochs=20, batch_history={"loss": [1.0]}, result=result)


def test_a_stopped_job_says_where_it_stopped_and_its_models_name():
    snap = stopped(model_name="cnn_1", stopped_at_epoch=3, epochs_planned=20)
    assert chrome.stopped_text(i18n.translator("en"), snap).startswith(
        r"Stopped at epoch 3 of 20, saved as cnn\_1.")  # the name is shown literally
    assert chrome.stopped_text(i18n.translator("es"), snap).startswith(
        r"Detenido en la época 3 de 20, guardado como cnn\_1.")


def test_a_job_stopped_before_learning_says_nothing_was_saved():
    t = i18n.translator("en")
    assert "nothing new was saved" in chrome.stopped_text(t, Progress(status=CANCELLED))
    assert chrome.stopped_text(t, stopped()) == t("common.job_cancelled")  # older records: the general words
