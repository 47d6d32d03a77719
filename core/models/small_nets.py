"""Small Keras networks for the first lessons: the XOR MLP and a gradient probe.

The XOR MLP's training job lives in ``core.training.xor``.

Kept apart from the numpy teaching modules so that the perceptron and activation pages
import TensorFlow only when the student asks for one of these.
"""

from __future__ import annotations

import keras
import numpy as np

from core.errors import check_range

XOR_ACTIVATIONS = ("relu", "tanh", "sigmoid")
GRID_STEPS = 41  # decision-boundary heatmap resolution over [-0.5, 1.5]^2




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
