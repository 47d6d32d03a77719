"""MNIST digit classifiers: the thesis's MLP and CNN, an improved CNN, loading and predicting.

Every model takes ``(N, 28, 28, 1)`` float images in [0, 1] (white ink on black, as in
MNIST) and returns ``(N, 10)`` softmax probabilities, so the page can swap them freely.
Augmentation layers sit inside the models: they act only while training
(``training=True``) and are the identity at prediction time.

How a model is judged (confusion matrix, precision and recall, its worst mistakes) is in
``core.maths.evaluation``, plain numpy.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import keras
import numpy as np

from core.jobs import interactive
from core.storage import store

KINDS = ("mlp", "cnn", "improved")  # in the order the page lists them
SHIPPED_PREFIX = "classifier-"
OPTIMIZERS = ("adam", "sgd", "rmsprop")


# ---------------------------------------------------------------- builders
def _augment(name: str, rotation_deg: float = 10.0, shift: float = 0.1, zoom: float = 0.1) -> list:
    """Small random shifts, rotations and zooms; black (0) fills the uncovered border."""
    return [
        keras.layers.RandomRotation(rotation_deg / 360.0, fill_mode="constant", name=f"{name}_rotate"),
        keras.layers.RandomZoom(zoom, zoom, fill_mode="constant", name=f"{name}_zoom"),
        keras.layers.RandomTranslation(shift, shift, fill_mode="constant", name=f"{name}_shift"),
    ]


def build_mlp(dropout: float = 0.2, augment: bool = False, name: str = "mlp") -> keras.Model:
    """Thesis MLP: 784 → 128 ReLU → Dropout → 128 ReLU → Dropout → 10 softmax (118,282 weights)."""
    layers = [keras.Input((28, 28, 1), name="image")]
    layers += _augment(name, 8.0, 0.08, 0.08) if augment else []
    layers += [
        keras.layers.Flatten(name="flatten"),  # (N, 784)
        keras.layers.Dense(128, activation="relu", name="dense_1"),
        keras.layers.Dropout(dropout, name="dropout_1"),
        keras.layers.Dense(128, activation="relu", name="dense_2"),
        keras.layers.Dropout(dropout, name="dropout_2"),
        keras.layers.Dense(10, activation="softmax", name="probabilities"),
    ]
    return keras.Sequential(layers, name=name)


def build_cnn(augment: bool = False, name: str = "cnn") -> keras.Model:
    """Thesis CNN: Conv64 3×3 → Pool 2 → Conv64 3×3 → Pool 2 → Dropout .25 → Dense 64 → 10.

    Keras' default "valid" padding: 28→26→13→11→5, so Flatten gives 5·5·64 = 1,600
    values and the model has 140,682 weights.
    """
    layers = [keras.Input((28, 28, 1), name="image")]
    layers += _augment(name, 8.0, 0.08, 0.08) if augment else []
    layers += [
        keras.layers.Conv2D(64, 3, activation="relu", name="conv_1"),  # (N, 26, 26, 64)
        keras.layers.MaxPooling2D(2, name="pool_1"),  # (N, 13, 13, 64)
        keras.layers.Conv2D(64, 3, activation="relu", name="conv_2"),  # (N, 11, 11, 64)
        keras.layers.MaxPooling2D(2, name="pool_2"),  # (N, 5, 5, 64)
        keras.layers.Dropout(0.25, name="dropout"),
        keras.layers.Flatten(name="flatten"),  # (N, 1600)
        keras.layers.Dense(64, activation="relu", name="dense"),
        keras.layers.Dense(10, activation="softmax", name="probabilities"),
    ]
    return keras.Sequential(layers, name=name)


def _conv_bn(x, filters: int, name: str):
    x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv")(x)
    x = keras.layers.BatchNormalization(momentum=0.9, name=f"{name}_bn")(x)
    return keras.layers.Activation("relu", name=f"{name}_relu")(x)


def build_improved(augment: bool = True, name: str = "improved") -> keras.Model:
    """Our CNN: two blocks of two 3×3 conv + batch norm, pooling, a 128-unit head, dropout."""
    inputs = keras.Input((28, 28, 1), name="image")
    x = inputs
    for layer in _augment(name) if augment else []:
        x = layer(x)
    x = _conv_bn(x, 32, f"{name}_b1a")  # (N, 28, 28, 32)
    x = _conv_bn(x, 32, f"{name}_b1b")
    x = keras.layers.MaxPooling2D(2, name=f"{name}_pool_1")(x)  # (N, 14, 14, 32)
    x = _conv_bn(x, 64, f"{name}_b2a")  # (N, 14, 14, 64)
    x = _conv_bn(x, 64, f"{name}_b2b")
    x = keras.layers.MaxPooling2D(2, name=f"{name}_pool_2")(x)  # (N, 7, 7, 64)
    x = keras.layers.Flatten(name=f"{name}_flatten")(x)  # (N, 3136)
    x = keras.layers.Dropout(0.3, name=f"{name}_dropout_1")(x)
    x = keras.layers.Dense(128, use_bias=False, name=f"{name}_dense")(x)
    x = keras.layers.BatchNormalization(momentum=0.9, name=f"{name}_dense_bn")(x)
    x = keras.layers.Activation("relu", name=f"{name}_dense_relu")(x)
    x = keras.layers.Dropout(0.4, name=f"{name}_dropout_2")(x)
    outputs = keras.layers.Dense(10, activation="softmax", name=f"{name}_probabilities")(x)
    return keras.Model(inputs, outputs, name=name)


def build_model(kind: str, augment: bool | None = None, name: str | None = None) -> keras.Model:
    """A fresh, uncompiled model of ``kind`` (``"mlp"``, ``"cnn"`` or ``"improved"``).

    ``augment=None`` uses the kind's default: on for the improved CNN, off for the thesis nets.
    """
    if kind == "mlp":
        return build_mlp(augment=bool(augment), name=name or "mlp")
    if kind == "cnn":
        return build_cnn(augment=bool(augment), name=name or "cnn")
    if kind == "improved":
        return build_improved(augment=True if augment is None else augment, name=name or "improved")
    raise ValueError(f"unknown classifier kind {kind!r}; choose one of {KINDS}")


def build_ensemble(members: list[keras.Model], name: str = "ensemble") -> keras.Model:
    """One model whose output is the mean of the members' probabilities."""
    if len(members) == 1:
        return members[0]
    inputs = keras.Input((28, 28, 1), name="image")
    outputs = keras.layers.Average(name="mean_probabilities")([m(inputs) for m in members])
    return keras.Model(inputs, outputs, name=name)


def make_optimizer(name: str, learning_rate: float | Any) -> keras.optimizers.Optimizer:
    """Adam, SGD (momentum 0.9) or RMSprop; ``learning_rate`` may be a schedule."""
    name = name.lower()
    if name == "adam":
        return keras.optimizers.Adam(learning_rate)
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate, momentum=0.9, nesterov=True)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {OPTIMIZERS}")


def compile_model(model: keras.Model, optimizer: str = "adam", learning_rate: Any = 1e-3) -> keras.Model:
    """Sparse categorical cross-entropy (labels 0..9) and accuracy."""
    model.compile(optimizer=make_optimizer(optimizer, learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def layer_table(model: keras.Model) -> list[dict[str, Any]]:
    """One row per layer (nested members expanded): name, type, output shape, weights."""
    rows = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.Model):  # an ensemble member: list its own layers
            rows += [{**row, "layer": f"{layer.name}/{row['layer']}"} for row in layer_table(layer)]
            continue
        shape = getattr(getattr(layer, "output", None), "shape", None)
        rows.append({"layer": layer.name, "type": type(layer).__name__,
                     "output": str(tuple(shape)).replace("None", "N") if shape is not None else "",
                     "params": int(layer.count_params())})
    return rows


# ---------------------------------------------------------------- loading and predicting
def shipped_entries() -> list[store.ModelEntry]:
    """Shipped classifier models (``assets/models/classifier-*``), most accurate first."""
    entries = [e for e in store.list_models(include_user=False) if e.name.startswith(SHIPPED_PREFIX)]
    return sorted(entries, key=lambda e: -float(e.card.get("test_accuracy", 0.0)))


def default_entry() -> store.ModelEntry:
    """The most accurate shipped model (the one the drawing tab uses)."""
    entries = shipped_entries()
    if not entries:
        raise store.ModelLoadError("model.none_shipped")
    return entries[0]


def load_entry(entry: store.ModelEntry) -> keras.Model:
    """Load a listed model, compiled for a stroke (cached per file version in ``store.load_cached``)."""
    return store.load_cached(entry.path, prepare=warm_up)


def load_classifier(kind: str | None = None) -> keras.Model:
    """A shipped pretrained classifier: ``"mlp"``, ``"cnn"``, ``"improved"``, or the best one."""
    if kind is None:
        return load_entry(default_entry())
    for entry in shipped_entries():
        if entry.kind == kind:
            return load_entry(entry)
    raise ValueError(f"no shipped classifier of kind {kind!r}; shipped: "
                     f"{[e.kind for e in shipped_entries()]}")


def as_batch(images: np.ndarray) -> np.ndarray:
    """``(28,28)``, ``(N,28,28)`` or ``(N,28,28,1)`` images → ``(N,28,28,1)`` float32 in [0,1]."""
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 2:
        x = x[None]
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4 or x.shape[1:] != (28, 28, 1):
        raise ValueError(f"expected images of shape (N, 28, 28) or (N, 28, 28, 1), got {np.shape(images)}")
    if x.size and (x.min() < -1e-6 or x.max() > 1 + 1e-6):
        raise ValueError(f"pixel values must be in [0, 1], got [{x.min():.3g}, {x.max():.3g}]")
    return x


def inference(model: keras.Model):
    """``model(x, training=False)`` as a compiled TensorFlow graph, built once per model.

    An eager Keras call spends most of its time in Python (walking the layer graph, one
    op dispatch at a time) while holding the interpreter lock, so thirty students drawing
    at once queue on it. The graph is compiled by XLA into a few fused kernels: it runs with
    the lock released and, while a GAN trains in the same process, waits for TensorFlow's
    shared thread pool a few times instead of once per layer. XLA compiles once per batch
    size, so callers pad batches to a few sizes (``predict_proba``). The function is kept on
    the model itself (outside Keras' attribute tracking) so it lives as long as the model.
    """
    fn = getattr(model, "_nnlab_inference", None)
    if fn is None:
        import tensorflow as tf

        from core import device

        device.configure()
        spec = tf.TensorSpec((None, *model.input_shape[1:]), tf.float32)
        fn = tf.function(lambda x: model(x, training=False), input_signature=[spec], jit_compile=True)
        object.__setattr__(model, "_nnlab_inference", fn)
    return fn


def _compiled(model: keras.Model):
    """The concrete function behind ``inference(model)``, kept on the model: a stroke calls it
    with a tensor directly, skipping ``tf.function``'s argument binding (a few tenths of a
    millisecond of Python under the interpreter lock, per stroke of every student)."""
    fn = getattr(model, "_nnlab_concrete", None)
    if fn is None:
        fn = inference(model).get_concrete_function()
        object.__setattr__(model, "_nnlab_concrete", fn)
    return fn


def _bucket(n: int, largest: int) -> int:
    """The batch size ``n`` images are padded to: a power of two, at most ``largest``."""
    return min(1 << max(n - 1, 0).bit_length(), largest)


# One long-lived thread runs the small (interactive) predictions. Streamlit runs every rerun,
# a stroke's included, on a new thread, and TensorFlow sets up its per-thread state on a
# thread's first call: about 0.7 ms more of the caller's CPU per stroke (2.9 against 2.2 ms
# here), most of it under the interpreter lock (issue 35). Large batches (an evaluation of
# the test set) keep running on their caller's thread, so a stroke never waits behind one.
SMALL_BATCH = 8
_small = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nnlab-predict")


def predict_proba(model: keras.Model, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """``(N, 10)`` probabilities from ``model(x, training=False)`` (compiled), batched for large N."""
    x = as_batch(images)
    interactive.touch()  # background training gives way while students wait for answers
    fn = _compiled(model)
    if len(x) <= SMALL_BATCH:
        return _small.submit(_run, fn, x, batch_size).result()
    return _run(fn, x, batch_size)


def _run(fn, x: np.ndarray, batch_size: int) -> np.ndarray:
    """``fn`` on ``x`` ``(N, 28, 28, 1)`` in chunks of at most ``batch_size``: ``(N, 10)``."""
    import tensorflow as tf

    out = []
    for i in range(0, max(len(x), 1), batch_size):
        chunk = x[i:i + batch_size]  # (k, 28, 28, 1), padded with blank images to a bucket size
        size = _bucket(len(chunk), batch_size)
        padded = np.concatenate([chunk, np.zeros((size - len(chunk), *chunk.shape[1:]), np.float32)])
        out.append(np.asarray(fn(tf.constant(padded)))[:len(chunk)])
    return np.concatenate(out)


def batch_inference(model: keras.Model):
    """``model(x, training=False)`` as a graph for any batch size, traced once, without XLA.

    For batches whose size changes from call to call (an occlusion map asks about as many
    images as the drawing has inky patches): XLA would compile again for every new size.
    """
    fn = getattr(model, "_nnlab_batch_inference", None)
    if fn is None:
        import tensorflow as tf

        spec = tf.TensorSpec((None, *model.input_shape[1:]), tf.float32)
        fn = tf.function(lambda x: model(x, training=False), input_signature=[spec])
        object.__setattr__(model, "_nnlab_batch_inference", fn)
    return fn


def warm_up(model: keras.Model) -> keras.Model:
    """Compile what a stroke will run (a batch of one), so no student's stroke pays for it."""
    predict_proba(model, np.zeros((1, 28, 28, 1), np.float32))
    return model
