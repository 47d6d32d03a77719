"""Training the XOR MLP of the perceptron lesson: its settings and its background job.

The job trains ``core.models.small_nets.build_xor_mlp`` full batch on the four XOR points
and publishes the network's output over a grid every few epochs (the page's decision
boundary), so a student watches the hidden layer bend the line the perceptron could not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import keras
import numpy as np

from core.errors import check_range
from core.jobs.context import JobContext
from core.jobs.keras_setup import prepare_worker
from core.maths.perceptron import GATES, INPUTS
from core.models.small_nets import GRID_STEPS, XOR_ACTIVATIONS, build_xor_mlp, grid_points


@dataclass(frozen=True)
class XorConfig:
    """Hyper-parameters of the XOR MLP a student trains."""

    hidden: int = 4
    activation: str = "tanh"
    learning_rate: float = 0.05
    epochs: int = 300
    seed: int = 0

    def validate(self) -> XorConfig:
        check_range(self.hidden, "hidden", 1, 64)
        if self.activation not in XOR_ACTIVATIONS:
            raise ValueError(f"activation {self.activation!r} is not one of {XOR_ACTIVATIONS}")
        check_range(self.learning_rate, "learning_rate", 1e-6, 1.0, whole=False)
        check_range(self.epochs, "epochs", 1, 5000)
        return self


class _BoundaryCallback(keras.callbacks.Callback):
    """Publishes the network's output over the grid every few epochs."""

    def __init__(self, ctx: JobContext, every: int):
        super().__init__()
        self.ctx, self.every = ctx, every
        self.axis, self.points = grid_points()

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        last = epoch + 1 == self.params.get("epochs")  # the title then says the final epoch, not 296 of 300
        if epoch % self.every == 0 or last or self.ctx.cancelled:
            probs = np.asarray(self.model(self.points, training=False)).reshape(GRID_STEPS, GRID_STEPS)
            self.ctx.set_extra("boundary", (epoch + 1, probs))


def xor_job(config: XorConfig):
    """A job function training the XOR MLP on the four points, full batch."""
    from core.jobs.keras_setup import ProgressCallback

    config = config.validate()

    def fn(ctx: JobContext) -> None:
        prepare_worker(config.seed)
        model = build_xor_mlp(config.hidden, config.activation)
        model.compile(optimizer=keras.optimizers.Adam(config.learning_rate), loss="binary_crossentropy",
                      metrics=["accuracy"])
        x, y = INPUTS.astype("float32"), GATES["XOR"].astype("float32")
        model.fit(x, y, batch_size=4, epochs=config.epochs, verbose=0, shuffle=False,
                  callbacks=[ProgressCallback(ctx, config.epochs, 1),
                             _BoundaryCallback(ctx, every=max(1, config.epochs // 60))])
        out = np.asarray(model(x, training=False))[:, 0]
        ctx.set_result(outputs=out.round(3).tolist(), config=asdict(config))

    return fn
