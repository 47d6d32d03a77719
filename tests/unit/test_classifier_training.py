"""core.training.classifier: a tiny training job end to end, stopping (where, in the card), the user's drawings."""

import json
from dataclasses import asdict

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from core.backends import kinds as job_kinds  # noqa: E402
from core.jobs.registry import CANCELLED, DONE, JobRegistry  # noqa: E402
from core.models import classifier  # noqa: E402
from core.storage import drawings, store  # noqa: E402
from core.training import classifier as ct  # noqa: E402


def test_make_config_gives_a_typed_recipe_and_validates():
    config = ct.make_config("cnn")
    assert isinstance(config, ct.ClassifierConfig)
    assert (config.epochs, config.batch_size, config.optimizer) == (15, 128, "adam")  # thesis recipe
    assert (config["kind"], config["augment"]) == ("cnn", False)  # the page's dict-style reads
    with pytest.raises(KeyError):
        config["colour"]
    assert ct.make_config("mlp").batch_size == 512
    assert ct.make_config("improved", epochs=None).epochs == ct.DEFAULTS["improved"]["epochs"]  # None = default
    assert json.loads(json.dumps(asdict(config)))["kind"] == "cnn"  # JSON-able for records and cards
    for bad in ({"epochs": 0}, {"learning_rate": -1.0}, {"val_split": 0.9}, {"schedule": "step"}, {"colour": 1}):
        with pytest.raises(ValueError):
            ct.make_config("mlp", **bad)
    with pytest.raises(ValueError):
        ct.make_config("transformer")


def test_tiny_training_job_end_to_end(tmp_path):
    config = ct.make_config("mlp", epochs=1, batch_size=64, max_train=400, members=2, name="tiny-mlp")
    job = ct.submit_config(JobRegistry(build=job_kinds.build), config, "tiny")
    job.join(120)
    snap = job.snapshot()
    assert snap.status == DONE, snap.error
    assert snap.epochs == 2 and len(snap.history["val_accuracy"]) == 2  # 1 epoch × 2 members
    assert len(snap.batch_history["loss"]) == 2 * 6  # 360 training images / 64 per batch
    path = snap.result["path"]
    card = json.loads(open(path.replace(".keras", ".json")).read())
    assert card["config"]["name"] == "tiny-mlp" and job.config["members"] == 2
    assert card["epochs_planned"] == 2 and not card["stopped_early"] and "stopped_at_epoch" not in card
    assert card["members"] == 2 and card["data"] == {"source": "bundled", "train": 360, "validation": 40,
                                                     "drawings": 0, "test": 10_000}
    assert 0.3 < card["test_accuracy"] <= 1 and len(card["test"]["predictions"]) == 10_000
    model = store.load_model(path)
    probs = classifier.predict_proba(model, np.zeros((2, 28, 28)))
    assert probs.shape == (2, 10)


def test_both_training_jobs_report_through_one_protocol():
    from core.backends.redis_recorder import RedisRecorder
    from core.jobs.context import JobContext, PrintContext
    from core.jobs.recorder import Recorder
    from tests import jobfns

    seen = []
    job = jobfns.registry().submit("probe", "probe", jobfns.config(lambda ctx: seen.append(isinstance(ctx, JobContext))))
    job.join(10)
    assert seen == [True] and isinstance(PrintContext(), JobContext)
    assert issubclass(RedisRecorder, Recorder)  # the queue's workers record through the same class
    assert not isinstance(object(), JobContext)


def test_stopping_keeps_nothing_half_written():
    config = ct.make_config("mlp", epochs=50, batch_size=16, max_train=2000, name="stopped")
    job = ct.submit_config(JobRegistry(build=job_kinds.build), config, "stop me")
    for _ in range(600):
        if job.snapshot().batch >= 3:
            break
        job.join(0.05)
    job.cancel()
    job.join(60)
    snap = job.snapshot()
    assert snap.status == CANCELLED
    assert snap.epoch <= 2  # stopped within the first epochs, not after 50
    assert not list(store.user_models_dir().glob(".*partial*"))
    # what was learned is saved, and the card and the job say where the run stopped
    result = snap.result
    assert result["model_name"] == "stopped" and result["epochs_planned"] == 50
    assert result["stopped_at_epoch"] == snap.epoch
    card = json.loads(open(result["path"].replace(".keras", ".json")).read())
    assert card["stopped_early"] and card["stopped_at_epoch"] == snap.epoch and card["epochs_planned"] == 50


def test_drawings_round_trip_and_join_training(tmp_path):
    digit = np.zeros((28, 28), np.float32)
    digit[5:23, 13:15] = 1.0
    path = drawings.save_drawing(digit, 1, tmp_path)
    assert path.exists() and not list(tmp_path.glob(".*tmp"))
    (tmp_path / "digit-x-broken.png").write_bytes(b"not a png")
    x, y = drawings.load_drawings(tmp_path)
    assert x.shape == (1, 28, 28) and y.tolist() == [1] and x.max() == 255
    with pytest.raises(ValueError):
        drawings.save_drawing(digit, 11, tmp_path)
    with pytest.raises(ValueError):
        drawings.save_drawing(np.zeros((20, 20)), 3, tmp_path)
    own = drawings.save_drawing(digit, 1)  # the user's own collection, shared with later tests
    try:
        data = ct.prepare_data(ct.make_config("mlp", max_train=100, include_drawings=True))
        assert data["description"]["drawings"] >= 1
        assert len(data["x_train"]) == 90 + ct.DRAWING_REPEATS * data["description"]["drawings"]
    finally:
        own.unlink()  # pages' tests expect the collection as they left it
