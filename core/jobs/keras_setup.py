"""Keras plumbing shared by every training job: worker set-up and a progress callback.

Keras seeds and the dtype policy are thread-local in TensorFlow, so ``prepare_worker``
must run inside the job's own thread, never in the UI thread.
"""

from __future__ import annotations

import time
from typing import Any

import keras

from core import device
from core.jobs.context import JobContext


def prepare_worker(seed: int | None = None, dtype_policy: str = "float32") -> None:
    """Configure TensorFlow for this worker thread: device, seeds, dtype policy."""
    device.configure()
    if seed is not None:
        keras.utils.set_random_seed(int(seed))
    keras.mixed_precision.set_global_policy(dtype_policy)


class ProgressCallback(keras.callbacks.Callback):
    """Writes Keras' progress into a job's record and stops within one batch on cancel.

    Per-batch metrics are the running averages Keras reports; per-epoch metrics include
    the validation ones (``val_loss``...). Nothing here touches the UI.
    """

    def __init__(self, ctx: JobContext, epochs: int, batches: int, initial_epoch: int = 0):
        super().__init__()
        self.ctx, self.epochs, self.batches = ctx, epochs, batches
        self.initial_epoch = initial_epoch
        self.train_seconds = 0.0
        self.epoch = 0  # the 1-based epoch begun last (where a stop happened)
        self._epoch_start = 0.0

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._epoch_start = time.perf_counter()
        self.epoch = epoch + 1
        self.ctx.start_epoch(epoch + 1, self.epochs)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self.ctx.log_batch(batch + 1, self.batches, _floats(logs))
        if self.ctx.cancelled:
            self.model.stop_training = True  # Keras 3 checks this after every batch

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.train_seconds += time.perf_counter() - self._epoch_start
        self.ctx.log_epoch(epoch + 1, _floats(logs))


def _floats(logs: dict[str, Any] | None) -> dict[str, float]:
    out = {}
    for key, value in (logs or {}).items():
        try:
            out[key] = float(value)
        except (TypeError, ValueError):
            continue
    return out
