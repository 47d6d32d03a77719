"""Recurrent networks: a digit read row by row, the adding problem, gradients through time, LSTM gates.

The row reader sees an MNIST image ``(N, 28, 28)`` as a sequence of 28 time steps of 28
pixels (one row per step, top to bottom) and answers after the last row with ``(N, 10)``
softmax probabilities. ``steps`` replays a trained reader step by step: the hidden state
after each row and the answer the network would give if the image stopped there.

The adding problem (Hochreiter & Schmidhuber, 1997) is a toy task whose answer depends on
an early step of a long sequence: step ``t`` holds a random number and a 0/1 marker; the
target is the sum of the two marked numbers, the first of which sits near the beginning.
Predicting the mean (1.0) always scores a mean squared error of 1/6.

``lstm_steps`` runs an LSTM by hand with a layer's own weights (plain numpy), so the
input, forget and output gates can be shown; the tests hold it to Keras' own output.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np

from core.errors import check_range

CELLS = ("simple_rnn", "lstm", "gru")  # in the order the page lists them
_LAYERS = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}
ADDING_BASELINE_MSE = 1.0 / 6.0  # always answering 1.0: the variance of a sum of two U(0, 1)
SOLVED_MSE = 0.05  # "solved": an error on fresh sequences under 30 % of the baseline's
SHIPPED_PREFIX = "rnn-"


def _check_cell(cell: str) -> str:
    if cell not in CELLS:
        raise ValueError(f"unknown recurrent cell {cell!r}; choose one of {CELLS}")
    return cell


def recurrent_layer(cell: str, units: int, name: str = "rnn", **kwargs: Any) -> keras.layers.Layer:
    """A SimpleRNN, LSTM or GRU layer of ``units`` units (Keras defaults otherwise)."""
    check_range(units, "units", 1, 512)
    return _LAYERS[_check_cell(cell)](units, name=name, **kwargs)


# ---------------------------------------------------------------- the row-by-row reader
def build_row_reader(cell: str, units: int = 64, augment: bool = False, name: str | None = None,
                     dropout: float = 0.0) -> keras.Model:
    """28 rows of 28 pixels → a recurrent layer → its last hidden state → 10 softmax.

    ``augment`` puts small random shifts, rotations and zooms in front, and ``dropout`` > 0
    drops that share of the last hidden state before the softmax; both act only while
    training (the identity at prediction time, so ``steps`` may skip them).
    """
    layers = [keras.Input((28, 28), name="rows")]  # (N, steps=28, pixels=28)
    if augment:
        from core.models.classifier import _augment

        layers += [keras.layers.Reshape((28, 28, 1), name="as_image"), *_augment("reader", 8.0, 0.08, 0.08),
                   keras.layers.Reshape((28, 28), name="as_rows")]
    layers += [recurrent_layer(cell, units, name="rnn")]  # (N, units): the state after the last row
    if dropout:
        layers += [keras.layers.Dropout(dropout, name="state_dropout")]
    layers += [keras.layers.Dense(10, activation="softmax", name="probabilities")]
    return keras.Sequential(layers, name=name or f"reader_{cell}")


def as_rows(images: np.ndarray) -> np.ndarray:
    """``(28, 28)``, ``(N, 28, 28)`` or ``(N, 28, 28, 1)`` in [0, 1] → float32 ``(N, 28, 28)``."""
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise ValueError(f"expected images of shape (N, 28, 28), got {np.shape(images)}")
    return x


def cell_of(model: keras.Model) -> str:
    """Which cell a row reader uses (``"lstm"``...)."""
    layer = model.get_layer("rnn")
    return next(name for name, cls in _LAYERS.items() if type(layer) is cls)


def _stepwise(model: keras.Model):
    """The reader's recurrent layer again, returning every step's state (same weights)."""
    fn = getattr(model, "_nnlab_stepwise", None)
    if fn is None:
        layer = model.get_layer("rnn")
        config = {**layer.get_config(), "return_sequences": True, "name": "rnn_steps"}
        seq = type(layer).from_config(config)
        seq.build((None, 28, 28))
        seq.set_weights(layer.get_weights())
        fn = seq
        object.__setattr__(model, "_nnlab_stepwise", fn)  # outside Keras' attribute tracking
    return fn


def steps(model: keras.Model, image: np.ndarray) -> dict[str, np.ndarray]:
    """Replay a reader on one image: ``hidden`` ``(28, units)`` after each row and ``probs``
    ``(28, 10)``, the answer the output layer gives to each of those states (row 28's is the
    model's own answer)."""
    from core.jobs import interactive

    x = as_rows(image)[:1]
    interactive.touch()  # background training gives way while a student waits for this
    hidden = np.asarray(_stepwise(model)(x, training=False))[0]  # (28, units)
    probs = np.asarray(model.get_layer("probabilities")(hidden, training=False))  # (28, 10)
    return {"hidden": hidden, "probs": probs}


def settling_row(probs: np.ndarray) -> int:
    """The 1-based row from which the answer (argmax of ``probs`` ``(T, 10)``) stays the final one."""
    answers = np.asarray(probs).argmax(axis=1)
    changed = np.nonzero(answers != answers[-1])[0]  # rows whose answer differs from the last
    return int(changed[-1] + 2) if len(changed) else 1


def predict(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """``(N, 10)`` probabilities via ``model(x, training=False)`` in batches of 1,000."""
    x = as_rows(images)
    return np.concatenate([np.asarray(model(x[i:i + 1000], training=False))
                           for i in range(0, max(len(x), 1), 1000)])


# ---------------------------------------------------------------- the adding problem
def adding_data(n: int, length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` adding-problem sequences ``(n, length, 2)`` and targets ``(n,)``.

    Channel 0: uniform numbers in [0, 1); channel 1: exactly two markers, the first in the
    first tenth of the sequence (at least step 1), the second in its second half.
    """
    check_range(n, "n", 1, 1_000_000)
    check_range(length, "length", 4, 2000)
    rng = np.random.default_rng(seed)
    values = rng.random((n, length)).astype(np.float32)
    first = rng.integers(0, max(1, length // 10), n)
    second = rng.integers(length // 2, length, n)
    markers = np.zeros((n, length), np.float32)
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    target = values[rows, first] + values[rows, second]
    return np.stack([values, markers], axis=-1), target.astype(np.float32)


def build_adding_model(cell: str, length: int, units: int = 32, name: str | None = None) -> keras.Model:
    """``(N, length, 2)`` → a recurrent layer → one number (the predicted sum)."""
    check_range(length, "length", 4, 2000)
    return keras.Sequential([
        keras.Input((length, 2), name="sequence"),
        recurrent_layer(cell, units, name="rnn"),
        keras.layers.Dense(1, name="sum"),
    ], name=name or f"adding_{cell}")


def gradient_per_step(model: keras.Model, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``(length,)``: the mean over sequences of ‖∂loss/∂x_t‖, how much step ``t`` can move the
    loss. For a SimpleRNN it shrinks with the distance from the end (vanishing gradient)."""
    import tensorflow as tf

    xs = tf.convert_to_tensor(np.asarray(x, np.float32))
    with tf.GradientTape() as tape:
        tape.watch(xs)
        out = model(xs, training=False)[:, 0]
        loss = tf.reduce_mean((out - np.asarray(y, np.float32)) ** 2)
    grad = tape.gradient(loss, xs)  # (N, length, 2)
    return np.asarray(tf.reduce_mean(tf.norm(grad, axis=-1), axis=0))


def fresh_gradients(length: int, units: int = 32, n: int = 64, seed: int = 0) -> dict[str, np.ndarray]:
    """``gradient_per_step`` of an untrained network of each cell (same data, same seed)."""
    x, y = adding_data(n, length, seed)
    found = {}
    for cell in CELLS:
        keras.utils.set_random_seed(seed)
        found[cell] = gradient_per_step(build_adding_model(cell, length, units), x, y)
    return found


# ---------------------------------------------------------------- LSTM gates, by hand
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def lstm_steps(kernel: np.ndarray, recurrent: np.ndarray, bias: np.ndarray,
               x: np.ndarray) -> dict[str, np.ndarray]:
    """Run one LSTM over one sequence ``x`` ``(T, features)`` with Keras' weight layout.

    ``kernel`` ``(features, 4u)``, ``recurrent`` ``(u, 4u)``, ``bias`` ``(4u,)``, blocks in
    Keras' order: input gate i, forget gate f, candidate g, output gate o. Per step::

        i, f, o = σ(x_t W + h_{t-1} U + b)   g = tanh(...)   c_t = f·c_{t-1} + i·g   h_t = o·tanh(c_t)

    Returns ``input``, ``forget``, ``output``, ``candidate``, ``cell``, ``hidden``: ``(T, u)`` each.
    """
    x = np.asarray(x, np.float64)
    units = recurrent.shape[0]
    if kernel.shape != (x.shape[1], 4 * units) or bias.shape != (4 * units,):
        raise ValueError(f"weights {kernel.shape}, {recurrent.shape}, {bias.shape} do not fit "
                         f"inputs of {x.shape[1]} features")
    h, c = np.zeros(units), np.zeros(units)
    out: dict[str, list] = {k: [] for k in ("input", "forget", "candidate", "output", "cell", "hidden")}
    for x_t in x:
        z = x_t @ kernel + h @ recurrent + bias  # (4u,)
        i, f, g, o = (z[k * units:(k + 1) * units] for k in range(4))
        i, f, g, o = _sigmoid(i), _sigmoid(f), np.tanh(g), _sigmoid(o)
        c = f * c + i * g
        h = o * np.tanh(c)
        for key, value in zip(out, (i, f, g, o, c, h)):
            out[key].append(value)
    return {k: np.asarray(v, np.float32) for k, v in out.items()}


def lstm_gates(model: keras.Model, image: np.ndarray) -> dict[str, np.ndarray]:
    """``lstm_steps`` of an LSTM row reader on one image (its 28 rows)."""
    layer = model.get_layer("rnn")
    if not isinstance(layer, keras.layers.LSTM):
        raise ValueError(f"the gates belong to an LSTM; this reader uses {type(layer).__name__}")
    kernel, recurrent, bias = (np.asarray(w, np.float64) for w in layer.get_weights())
    return lstm_steps(kernel, recurrent, bias, as_rows(image)[0])
