"""Training the XOR MLP of the perceptron lesson: its settings and its background job.

The job trains ``lab.perceptron.model.build_xor_mlp`` full batch on the four XOR points
and publishes the network's output over a grid every few epochs (the page's decision
boundary), so a student watches the hidden layer bend the line the perceptron could not.

No Streamlit here; Keras is imported inside the functions, so the page (and a queue's config
check, ``check_config``) opens without it. The job kind is ``KIND`` (``core/backends/kinds.py``
finds this module by name).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable

import numpy as np

from core.backends import kinds
from core.errors import check_range
from core.jobs.context import JobContext
from lab.perceptron.maths import GATES, GRID_STEPS, INPUTS, grid_points
from lab.perceptron.model import XOR_ACTIVATIONS, build_xor_mlp

KIND = "xor_mlp"  # the job kind (core/backends/kinds.py)


@dataclass(frozen=True)
class XorConfig:
    """Hyper-parameters of the XOR MLP a student trains."""

    hidden: int = 4
    activation: str = "tanh"
    learning_rate: float = 0.05
    epochs: int = 300
    seed: int = 0

    def validate(self) -> XorConfig:
        """The config if every value is in range (else ``InputError`` or ``ValueError``)."""
        check_range(self.hidden, "hidden", 1, 64)
        if self.activation not in XOR_ACTIVATIONS:
            raise ValueError(f"activation {self.activation!r} is not one of {XOR_ACTIVATIONS}")
        check_range(self.learning_rate, "learning_rate", 1e-6, 1.0, whole=False)
        check_range(self.epochs, "epochs", 1, 5000)
        return self


def _boundary_callback(ctx: JobContext, every: int):
    """A Keras callback that publishes the network's output over the grid every few epochs."""
    import keras

    class BoundaryCallback(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.axis, self.points = grid_points()

        def on_epoch_end(self, epoch: int, logs=None) -> None:
            last = epoch + 1 == self.params.get("epochs")  # the title then says the final epoch, not 296 of 300
            if epoch % every == 0 or last or ctx.cancelled:
                probs = np.asarray(self.model(self.points, training=False)).reshape(GRID_STEPS, GRID_STEPS)
                ctx.set_extra("boundary", (epoch + 1, probs))

    return BoundaryCallback()


def xor_job(config: XorConfig) -> Callable[[JobContext], None]:
    """A job function training the XOR MLP on the four points, full batch."""
    config = config.validate()

    def fn(ctx: JobContext) -> None:
        import keras

        from core.jobs.keras_setup import ProgressCallback, prepare_worker

        prepare_worker(config.seed)
        model = build_xor_mlp(config.hidden, config.activation)
        model.compile(optimizer=keras.optimizers.Adam(config.learning_rate), loss="binary_crossentropy",
                      metrics=["accuracy"])
        x, y = INPUTS.astype("float32"), GATES["XOR"].astype("float32")
        model.fit(x, y, batch_size=4, epochs=config.epochs, verbose=0, shuffle=False,
                  callbacks=[ProgressCallback(ctx, config.epochs, 1),
                             _boundary_callback(ctx, every=max(1, config.epochs // 60))])
        out = np.asarray(model(x, training=False))[:, 0]
        ctx.set_result(outputs=out.round(3).tolist(), config=asdict(config))

    return fn


def check_config(config: dict[str, Any]) -> None:
    """Raise ``ValueError`` (or ``InputError``) unless ``config`` builds a valid ``XorConfig``."""
    kinds.settings(XorConfig, config, KIND)


def job_from_config(config: dict[str, Any]) -> Callable[[JobContext], None]:
    """The job function for a queue worker: ``config`` is ``asdict(XorConfig)``."""
    check_config(config)
    return xor_job(XorConfig(**config))
