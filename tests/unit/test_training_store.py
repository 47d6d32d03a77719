"""Keras plumbing: the progress callback inside a real job, and the model store."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from core.jobs.keras_setup import ProgressCallback, prepare_worker  # noqa: E402
from core.jobs.registry import CANCELLED, DONE  # noqa: E402
from core.storage import store  # noqa: E402
from tests import jobfns  # noqa: E402


def tiny_model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def fit_job(stop_after_batch=None, epochs=2):
    def fn(ctx):
        prepare_worker(seed=1)
        x = np.random.rand(64, 4).astype("float32")
        y = np.random.randint(0, 3, 64)
        model = tiny_model()

        class StopHere(keras.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                if stop_after_batch is not None and batch + 1 == stop_after_batch:
                    ctx.cancel_event.set()

        cb = ProgressCallback(ctx, epochs=epochs, batches=8)
        model.fit(x, y, batch_size=8, epochs=epochs, validation_split=0.25, verbose=0,
                  callbacks=[StopHere(), cb])
    return fn


def test_fit_reports_batches_and_epochs():
    job = jobfns.registry().submit("test", "fit", jobfns.config(fit_job()))
    job.join(60)
    snap = job.snapshot()
    assert snap.status == DONE, snap.error
    assert len(snap.history["loss"]) == 2 and len(snap.history["val_loss"]) == 2
    assert len(snap.batch_history["loss"]) == 2 * 6  # 48 training rows / batch 8


def test_cancel_stops_fit_within_one_batch():
    job = jobfns.registry().submit("test", "fit", jobfns.config(fit_job(stop_after_batch=3, epochs=5)))
    job.join(60)
    snap = job.snapshot()
    assert snap.status == CANCELLED
    assert len(snap.batch_history["loss"]) == 3
    assert snap.epoch == 1


def test_save_list_and_load_roundtrip():
    model = tiny_model()
    entry = store.save_model(model, {"kind": "unit-test", "epochs": 1}, "my model/1")
    assert entry.path.name == "my-model-1.keras" and entry.path.exists()
    assert not list(entry.path.parent.glob(".*partial*"))  # no temp file left behind
    listed = [e for e in store.list_models("unit-test") if e.name == "my-model-1"]
    assert listed and listed[0].card["epochs"] == 1 and not listed[0].shipped
    loaded = store.load_model(entry.path)
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(loaded(x, training=False), model(x, training=False), rtol=1e-6)


def test_corrupt_or_foreign_model_files_are_refused(tmp_path):
    bad = store.user_models_dir() / "broken.keras"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(store.ModelLoadError, match="damaged.*could not be read") as err:
        store.load_model(bad)
    assert err.value.code == "model.damaged" and "not found" not in str(err.value).lower()
    garbage = store.user_models_dir() / "garbage.keras"
    garbage.write_bytes(b"\x00garbage, not a zip at all" * 10)
    with pytest.raises(store.ModelLoadError) as err:
        store.load_cached(garbage)  # Keras itself would say "File not found"
    assert err.value.code == "model.damaged" and "not found" not in str(err.value).lower()
    with pytest.raises(store.ModelLoadError, match="does not exist") as err:
        store.load_model(store.user_models_dir() / "missing.keras")
    assert err.value.code == "model.missing"
    outside = tmp_path / "upload.keras"
    tiny_model().save(outside)
    with pytest.raises(store.ModelLoadError, match="outside the lab's model folders"):
        store.load_model(outside)


def test_safe_name_rejects_empty():
    with pytest.raises(ValueError, match="no usable characters"):
        store.safe_name("///")
