"""The class-conditional DCGAN: digits on demand, and mixtures of digits.

The generator takes a latent vector ``z`` ``(N, 100)`` and class *weights* ``y`` ``(N, 10)``:
a one-hot row asks for one digit; any other row of non-negative weights summing to 1 asks
for a mixture. The weights pass through a linear label embedding (``y @ E``, no bias), so a
mixture's embedding is the same mixture of the digits' embeddings: walking the weights from
one digit to another interpolates the class embedding, smoothly.

The discriminator (projection discriminator, Miyato & Koyama 2018, plus an auxiliary
classifier head as in Odena et al.'s AC-GAN) scores an image *for a given class*:
``logit = w . phi(x) + <embed(y), phi(x)>``, and names the digit from the same features.

This module has Keras builders and the sampling helpers only; training lives in
``lab.gan.training`` (``--conditional``). ``lab.gan.model`` re-exports ``sample_digits`` and
``generate_conditional``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.errors import check_range

CLASSES = 10
LATENT_DIM = 100
EMBED_DIM = 32  # the label embedding concatenated to z
CONDITIONAL_NAME = "gan-conditional"  # the shipped conditional generator in assets/models/
KIND = "gan-conditional-generator"  # its card kind (the page's (N, 100) generator list skips it)


def build_conditional_generator(latent_dim: int = LATENT_DIM, width: int = 128):
    """``[z (N, latent_dim), y (N, 10)]`` -> ``(N, 28, 28, 1)`` in [-1, 1] (tanh).

    ``concat(z, y @ E)`` -> Dense to (7, 7, width) -> BN/ReLU -> ConvT width/2 s2 (14x14)
    -> BN/ReLU -> ConvT width/4 s2 (28x28) -> BN/ReLU -> 3x3 conv, tanh: the improved
    DCGAN with a label embedding in front. ``width`` shrinks it for tests.
    """
    import keras
    from keras import layers

    z = keras.Input((latent_dim,), name="z")
    y = keras.Input((CLASSES,), name="y")
    emb = layers.Dense(EMBED_DIM, use_bias=False, name="g_embed")(y)  # linear: mixtures stay mixtures
    x = layers.Concatenate(name="g_concat")([z, emb])
    x = layers.Dense(7 * 7 * width, use_bias=False, name="g_dense")(x)
    x = layers.ReLU(name="g_act0")(layers.BatchNormalization(name="g_bn0")(x))
    x = layers.Reshape((7, 7, width), name="g_reshape")(x)
    for i, filters in enumerate((width // 2, width // 4), start=1):
        x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False, name=f"g_up{i}")(x)
        x = layers.ReLU(name=f"g_act{i}")(layers.BatchNormalization(name=f"g_bn{i}")(x))
    out = layers.Conv2D(1, 3, padding="same", activation="tanh", name="g_out")(x)
    return keras.Model([z, y], out, name="generator_conditional")


def build_conditional_discriminator(width: int = 64):
    """``[image (N, 28, 28, 1), y (N, 10)]`` -> ``[p(real | y) (N, 1), class logits (N, 10)]``.

    Two strided conv blocks (28 -> 14 -> 7) give features ``phi`` ``(N, 7*7*2*width)``;
    the real/fake logit is ``Dense(1)(phi) + <y @ V, phi>`` (projection), the class head
    ``Dense(10)(phi)``.
    """
    import keras
    from keras import layers

    img = keras.Input((28, 28, 1), name="image")
    y = keras.Input((CLASSES,), name="y")
    x = img
    for i, filters in enumerate((width, 2 * width), start=1):
        x = layers.Conv2D(filters, 4, strides=2, padding="same", name=f"d_conv{i}")(x)
        x = layers.LeakyReLU(0.2, name=f"d_act{i}")(x)
        x = layers.Dropout(0.3, name=f"d_drop{i}")(x)
    phi = layers.Flatten(name="d_flatten")(x)  # (N, 7 * 7 * 2 * width)
    proj = layers.Dense(phi.shape[-1], use_bias=False, name="d_embed")(y)  # (N, features)
    inner = layers.Dot(axes=1, name="d_project")([proj, phi])  # (N, 1)
    logit = layers.Add(name="d_logit")([layers.Dense(1, name="d_linear")(phi), inner])
    prob = layers.Activation("sigmoid", name="d_out")(logit)
    return keras.Model([img, y], [prob, layers.Dense(CLASSES, name="d_class")(phi)],
                       name="discriminator_conditional")


def unit_output(generator):
    """Wrap a conditional ``generator`` (tanh) so its output is in [0, 1]."""
    import keras

    z = keras.Input((generator.input_shape[0][-1],), name="z")
    y = keras.Input((CLASSES,), name="y")
    out = keras.layers.Rescaling(0.5, offset=0.5, name="to_unit")(generator([z, y]))
    return keras.Model([z, y], out, name=f"{generator.name}_unit")


def shipped_path(name: str = CONDITIONAL_NAME) -> Path:
    from core.paths import SHIPPED_MODELS

    return SHIPPED_MODELS / f"{name}.keras"


def load_conditional(name: str | Path | None = None):
    """The shipped conditional generator (or a named one / a ``.keras`` path in the lab's
    folders): ``[z (N, 100), y (N, 10)]`` -> ``(N, 28, 28, 1)`` in [0, 1]. From the lab's one
    model cache (``core.storage.store.load_cached``): treat it as read-only."""
    from core.storage.store import load_cached

    path = Path(name) if name and str(name).endswith(".keras") else shipped_path(name or CONDITIONAL_NAME)
    return load_cached(path)


def one_hot(labels, classes: int = CLASSES) -> np.ndarray:
    """Digits ``(N,)`` -> one-hot weights ``(N, classes)`` float32."""
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    return np.eye(classes, dtype=np.float32)[labels]


def class_weights(weights: np.ndarray, n: int) -> np.ndarray:
    """Check class weights: ``(n, 10)`` (or one ``(10,)`` row for all ``n``), finite, >= 0,
    each row summing to 1 (within 1e-3). Returns float32 ``(n, 10)``."""
    from core.errors import InputError

    w = np.asarray(weights, dtype=np.float32)
    if w.ndim == 1:
        w = np.broadcast_to(w, (n, w.shape[0]))
    if w.ndim != 2 or w.shape != (n, CLASSES):
        raise InputError("value.shape", param="class_weights", value=tuple(np.shape(weights)),
                         expected=f"({n}, {CLASSES})")
    if not np.isfinite(w).all() or (w < 0).any() or not np.allclose(w.sum(1), 1.0, atol=1e-3):
        raise InputError("value.range", param="class_weights", value=float(np.nan_to_num(w).min()),
                         low=0, high=1)
    return np.ascontiguousarray(w)


def generate_conditional(z: np.ndarray, weights: np.ndarray, generator=None) -> np.ndarray:
    """Images ``(N, 28, 28)`` in [0, 1] for latent vectors ``z`` ``(N, 100)`` (or one
    ``(100,)``) and class weights ``(N, 10)`` (or one ``(10,)`` row for all).

    A one-hot row draws that digit; a convex mix of rows (e.g. ``(1 - t) * onehot(1) +
    t * onehot(7)``) interpolates the class embedding, so a walk over ``t`` morphs a 1
    into a 7 with the same ``z`` (the same style). ``generator``: default the shipped
    conditional one (``load_conditional``). Raises ``InputError`` for bad shapes/weights.
    """
    from core.errors import InputError

    generator = generator if generator is not None else load_conditional()
    dim = generator.input_shape[0][-1]
    z = np.asarray(z, dtype=np.float32)
    if z.ndim == 1:
        z = z[None]
    if z.ndim != 2 or z.shape[1] != dim or not len(z):
        raise InputError("value.shape", param="z", value=tuple(z.shape), expected=f"(N, {dim})")
    w = class_weights(weights, len(z))
    out = [np.asarray(generator([z[i:i + 500], w[i:i + 500]], training=False))
           for i in range(0, len(z), 500)]
    return np.clip(np.concatenate(out)[..., 0], 0.0, 1.0)


def sample_digits(digit: int, n: int, seed: int = 0, generator=None) -> np.ndarray:
    """``n`` varied samples of ``digit`` from the shipped conditional generator:
    ``(n, 28, 28)`` float32 in [0, 1]. ``z`` comes from ``seed`` (same seed, same images).

    ``digit`` must be a whole number 0..9, ``n`` 1..1000, ``seed`` >= 0; otherwise
    ``InputError`` naming the value and the range."""
    check_range(digit, "digit", 0, CLASSES - 1)
    check_range(n, "samples", 1, 1000)
    check_range(seed, "seed", 0, 2**32 - 1)
    z = np.random.default_rng(int(seed)).standard_normal((int(n), LATENT_DIM)).astype(np.float32)
    return generate_conditional(z, one_hot(np.full(int(n), int(digit))), generator).astype(np.float32)


def for_weights(generator, weights) -> object:
    """The conditional ``generator`` with its class weights fixed: a ``z (N, 100) -> (N, 28, 28, 1)``
    model, so everything made for unconditional generators (``gan.generate``,
    ``gan.principal_directions``) works on one digit (a one-hot row) or on a mix of digits.

    The weights come from a frozen Dense layer with a zero kernel and the weights as its bias.
    """
    import keras
    from keras import layers

    w = class_weights(weights, 1)[0]  # (10,): checked like generate_conditional's
    dim = generator.input_shape[0][-1]
    z = keras.Input((dim,), name="z")
    fixed = layers.Dense(CLASSES, trainable=False, name="fixed_class")
    y = fixed(z)  # (N, 10): 0 * z + w
    fixed.set_weights([np.zeros((dim, CLASSES), np.float32), w])
    return keras.Model(z, generator([z, y]), name="generator_for_weights")


def model_inputs(model, z: np.ndarray, labels=None):
    """What ``model`` takes for latent vectors ``z`` ``(N, dim)``: ``z`` itself for an
    unconditional generator, ``[z, one-hot labels]`` for a conditional one (labels default
    ``0, 1, ..., 9, 0, 1...``, every digit in turn)."""
    if len(model.inputs) == 1:
        return z
    labels = np.arange(len(z)) % CLASSES if labels is None else labels
    return [z, one_hot(labels)]
