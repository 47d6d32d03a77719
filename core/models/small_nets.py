"""Small Keras networks for the first lessons: the trainable XOR MLP and a gradient probe.

Kept apart from the numpy teaching modules so that the perceptron and activation pages
import TensorFlow only when the student asks for one of these.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import keras
import numpy as np

from core.errors import check_range
from core.jobs.context import JobContext
from core.jobs.keras_setup import prepare_worker
from core.maths.perceptron import GATES, INPUTS

XOR_ACTIVATIONS = ("relu", "tanh", "sigmoid")
GRID_STEPS = 41  # decision-boundary heatmap resolution over [-0.5, 1.5]^2


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


def build_xor_mlp(hidden: int, activation: str) -> keras.Model:
    """2 inputs -> ``hidden`` units -> 1 sigmoid output."""
    return keras.Sequential([keras.Input((2,), name="x"),
                             keras.layers.Dense(hidden, activation=activation, name="hidden"),
                             keras.layers.Dense(1, activation="sigmoid", name="output")], name="xor_mlp")


def grid_points() -> tuple[np.ndarray, np.ndarray]:
    """The heatmap axis ``(GRID_STEPS,)`` and all grid points ``(GRID_STEPS**2, 2)``."""
    axis = np.linspace(-0.5, 1.5, GRID_STEPS)
    xx, yy = np.meshgrid(axis, axis)
    return axis, np.stack([xx.ravel(), yy.ravel()], axis=1).astype("float32")


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


def gradient_norms(activation: str, layers: int = 8, width: int = 32, seed: int = 0) -> np.ndarray:
    """Norm of the loss gradient w.r.t. each layer's weights, first layer first, at initialisation.

    A fresh ``layers``-deep MLP (Glorot init) on a random batch: with sigmoid the early
    layers get gradients orders of magnitude smaller than the last ones.
    """
    import tensorflow as tf

    check_range(layers, "layers", 2, 30)
    check_range(width, "width", 1, 512)
    rng = np.random.default_rng(seed)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((width,))] +
                             [keras.layers.Dense(width, activation=activation) for _ in range(layers)] +
                             [keras.layers.Dense(1)])
    x = rng.normal(size=(64, width)).astype("float32")
    y = rng.normal(size=(64, 1)).astype("float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((model(x, training=False) - y) ** 2)
    kernels = [layer.kernel for layer in model.layers[:-1]]
    return np.array([float(tf.norm(g)) for g in tape.gradient(loss, kernels)])
