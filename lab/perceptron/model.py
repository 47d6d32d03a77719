"""The small Keras network of the perceptron lesson: 2 inputs, one hidden layer, 1 output.

Keras is imported inside the function, so the page and the job's config check open without it.
"""

from __future__ import annotations

XOR_ACTIVATIONS = ("relu", "tanh", "sigmoid")


def build_xor_mlp(hidden: int, activation: str):
    """2 inputs -> ``hidden`` units -> 1 sigmoid output (a ``keras.Model``)."""
    import keras

    return keras.Sequential([keras.Input((2,), name="x"),
                             keras.layers.Dense(hidden, activation=activation, name="hidden"),
                             keras.layers.Dense(1, activation="sigmoid", name="output")], name="xor_mlp")
