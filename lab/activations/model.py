"""The activations lesson's Keras probe: how large each layer's gradient is at initialisation.

Keras and TensorFlow are imported inside the function, so the page opens without them and
imports them only when the student asks for a measurement.
"""

from __future__ import annotations

import numpy as np

from core.errors import check_range


def gradient_norms(activation: str, layers: int = 8, width: int = 32, seed: int = 0) -> np.ndarray:
    """Norm of the loss gradient w.r.t. each layer's weights, first layer first, at initialisation.

    A fresh ``layers``-deep MLP (Glorot init) on a random batch: with sigmoid the early
    layers get gradients orders of magnitude smaller than the last ones.
    """
    import keras
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
