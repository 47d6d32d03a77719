"""The playground's Keras side: the MLP a student designs, and its loss and accuracy in numpy.

The job that trains it and publishes the pictures lives in ``core.training.playground``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

EPS = 1e-7


def build_model(n_inputs: int, hidden: Sequence[int], activation: str = "tanh", classes: int = 2,
                regularization: str = "none", reg_rate: float = 0.0, dropout: Sequence[float] = (),
                regression: bool = False) -> keras.Model:
    """``n_inputs`` features -> ``hidden`` Dense layers -> 1 sigmoid unit (2 classes), a
    softmax over 3, or 1 linear unit (``regression``); L1 or L2 weight penalty ``reg_rate`` on
    every kernel; ``dropout[i]`` > 0 puts a Dropout layer after hidden layer ``i`` (it only
    acts while training, and has no weights: ``get_weights`` is the same list either way)."""
    def penalty():
        if regularization == "l1":
            return keras.regularizers.L1(reg_rate)
        return keras.regularizers.L2(reg_rate) if regularization == "l2" else None

    layers: list[Any] = [keras.Input((n_inputs,), name="features")]
    for i, units in enumerate(hidden):
        layers.append(keras.layers.Dense(units, activation=activation, kernel_regularizer=penalty(),
                                         name=f"hidden{i + 1}"))
        if i < len(dropout) and dropout[i] > 0:
            layers.append(keras.layers.Dropout(float(dropout[i]), name=f"dropout{i + 1}"))
    if regression:
        layers.append(keras.layers.Dense(1, activation="linear", kernel_regularizer=penalty(), name="output"))
    elif classes == 2:
        layers.append(keras.layers.Dense(1, activation="sigmoid", kernel_regularizer=penalty(), name="output"))
    else:
        layers.append(keras.layers.Dense(classes, activation="softmax", kernel_regularizer=penalty(), name="output"))
    return keras.Sequential(layers, name="playground")


def dense_layers(model: keras.Model) -> list:
    """The model's Dense layers in order (hidden layers, then the output): no Dropout."""
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def loss_name(classes: int, regression: bool = False) -> str:
    if regression:
        return "mean_squared_error"
    return "binary_crossentropy" if classes == 2 else "sparse_categorical_crossentropy"


def squared_error(outputs: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error of outputs ``(N, 1)`` against values ``y`` ``(N,)`` (without the penalty)."""
    return float(np.mean((np.asarray(outputs, dtype=np.float64)[:, 0] - np.asarray(y, dtype=np.float64)) ** 2))


def data_loss(probs: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Cross-entropy (without the weight penalty) and accuracy of outputs ``probs`` on labels ``y``.

    ``probs`` is ``(N, 1)`` (probability of class 1) or ``(N, C)`` (softmax)."""
    probs = np.clip(np.asarray(probs, dtype=np.float64), EPS, 1 - EPS)
    if probs.shape[1] == 1:
        p = probs[:, 0]
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))), float(np.mean((p >= 0.5) == y))
    return float(-np.mean(np.log(probs[np.arange(len(y)), y]))), float(np.mean(probs.argmax(1) == y))
