"""Transfer learning: the lab's own digit CNN reused for a new task, the symbols + − × ÷ =.

The pre-trained base is the shipped thesis CNN (``assets/models/classifier-cnn.keras``,
trained on MNIST digits) without its top, like the course's ``VGG16(include_top=False)``: its
two convolution blocks up to ``flatten``, 1,600 features per image. Each way puts the same new
head on it, ``Dense(64, relu)`` → ``Dense(5, softmax)`` (the course: ``Dense(100)`` → ``Dense(2)``).
Three ways to learn the symbols, on the same images, epochs and batch size:

- ``scratch``: the same architecture with fresh random weights, everything trained;
- ``features`` (feature extraction): the base frozen, only a new softmax head trained;
- ``finetune`` (fine-tuning): first the new head alone on the frozen base (half the epochs),
  then the last block (``conv_2``) unfrozen and trained with the head at a low learning rate
  (the rest); the first convolution stays frozen.

The cached base is never changed: every way trains its own copy. ``pca_2d`` projects the
frozen features on their two main directions (plain numpy), to see how well the digit
features already separate the new symbols. The job that trains the three ways lives in
``core.training.transfer``.
"""

from __future__ import annotations

import keras
import numpy as np

from core.paths import SHIPPED_MODELS
from core.storage import store, symbols

WAYS = ("scratch", "features", "finetune")
BASE = SHIPPED_MODELS / "classifier-cnn.keras"
FEATURE_LAYER = "flatten"  # the base without its top: (N, 5·5·64 = 1600)
LAST_BLOCK = ("conv_2",)  # what fine-tuning unfreezes
RATES = {"scratch": 1e-3, "features": 1e-2, "head": 1e-2, "finetune": 1e-4}  # Adam; "head": fine-tuning's first half
# fine-tuning's second half moves the pre-trained weights gently, not to undo what the base knows


def load_base() -> keras.Model:
    """The shipped digit CNN (one copy in ``core.storage.store``'s cache; never trained in place)."""
    return store.load_cached(BASE)


def feature_model(base: keras.Model) -> keras.Model:
    """``(N, 28, 28, 1)`` → the base's ``flatten`` features ``(N, 1600)`` (shares the base's weights)."""
    fn = getattr(base, "_nnlab_features", None)
    if fn is None:
        fn = keras.Model(base.inputs[0], base.get_layer(FEATURE_LAYER).output, name="features")
        object.__setattr__(base, "_nnlab_features", fn)  # outside Keras' attribute tracking
    return fn


def features(base: keras.Model, images: np.ndarray) -> np.ndarray:
    """The frozen base's features of ``uint8`` or [0, 1] images ``(N, 28, 28)``: ``(N, 1600)``."""
    return np.asarray(feature_model(base)(as_input(images), training=False))


def as_input(images: np.ndarray) -> np.ndarray:
    """``(N, 28, 28)`` uint8 (0..255) or float in [0, 1] → float32 ``(N, 28, 28, 1)``."""
    x = np.asarray(images)
    x = x.astype(np.float32) / 255.0 if x.dtype == np.uint8 else x.astype(np.float32)
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise ValueError(f"expected images of shape (N, 28, 28), got {np.shape(images)}")
    return x[..., None]


def _copy(model: keras.Model) -> keras.Model:
    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    return clone


def build(way: str, base: keras.Model, n_classes: int = len(symbols.SYMBOLS)) -> keras.Model:
    """A fresh model for ``way``: a copy of the base (or the same layers, untrained) up to its
    ``flatten`` features, trainable as the way says (fine-tuning: the last block), and a new
    head ``Dense(64, relu)`` → ``Dense(n_classes, softmax)``. The trunk is the layer named ``base``."""
    from core.models.classifier import build_cnn

    if way not in WAYS:
        raise ValueError(f"unknown way {way!r}; choose one of {WAYS}")
    body = build_cnn(augment=any("rotate" in layer.name for layer in base.layers)) if way == "scratch" else _copy(base)
    trunk = keras.Model(body.inputs[0], body.get_layer(FEATURE_LAYER).output, name="base")
    if way == "features":
        trunk.trainable = False
    elif way == "finetune":
        for layer in trunk.layers:
            layer.trainable = layer.name in LAST_BLOCK
    return keras.Sequential([keras.Input((28, 28, 1), name="image"), trunk,
                             keras.layers.Dense(64, activation="relu", name="head_dense"),
                             keras.layers.Dense(n_classes, activation="softmax", name="symbol_probabilities")],
                            name=f"transfer_{way}")


def trainable_count(model: keras.Model) -> int:
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


def pca_2d(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project ``(N, D)`` points on their two main directions: ``(N, 2)`` and the share of the
    variance each direction explains ``(2,)``."""
    x = np.asarray(points, np.float64)
    if x.ndim != 2 or len(x) < 2:
        raise ValueError(f"need at least two points as an (N, D) array, got shape {x.shape}")
    x = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(x, full_matrices=False)  # rows of vt: directions, by variance
    var = s ** 2
    share = var[:2] / var.sum() if var.sum() > 0 else np.zeros(2)
    proj = x @ vt[:2].T
    return np.pad(proj, ((0, 0), (0, 2 - proj.shape[1]))), np.pad(share, (0, 2 - len(share)))














def latest_models() -> dict[str, store.ModelEntry]:
    """The newest trained model of each way (the user's ``transfer-WAY-TIME`` files), by way."""
    found: dict[str, store.ModelEntry] = {}
    for entry in store.list_models(kind="transfer"):  # the user's newest first
        found.setdefault(entry.card.get("way", ""), entry)
    return {way: found[way] for way in WAYS if way in found}


def answer(models: dict[str, keras.Model], image: np.ndarray) -> dict[str, np.ndarray]:
    """Each model's probabilities ``(5,)`` for one ``(28, 28)`` drawing, via ``model(x, training=False)``."""
    from core.jobs import interactive

    x = as_input(image)[:1]
    interactive.touch()  # background training gives way while a student waits for this
    return {way: np.asarray(model(x, training=False))[0] for way, model in models.items()}
