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
features already separate the new symbols.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import keras
import numpy as np

from core.errors import InputError, check_range
from core.jobs.context import JobContext
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


# ---------------------------------------------------------------- the three ways, as one job
@dataclass(frozen=True)
class TransferConfig:
    per_symbol: int = 10  # training drawings per symbol; the rest are held out
    epochs: int = 15
    batch_size: int = 16
    use_kept: bool = True  # add the class's kept drawings to the starter set
    seed: int = 0

    def validate(self) -> TransferConfig:
        check_range(self.per_symbol, "examples", 1, 1000)
        check_range(self.epochs, "epochs", 1, 200)
        check_range(self.batch_size, "batch_size", 1, 1024)
        return self


def split(x: np.ndarray, y: np.ndarray, per_symbol: int, seed: int = 0) -> dict[str, np.ndarray]:
    """``per_symbol`` random images of each symbol to train on, all the others held out."""
    rng = np.random.default_rng(seed)
    train, held = [], []
    for label in range(len(symbols.SYMBOLS)):
        idx = rng.permutation(np.nonzero(y == label)[0])
        if len(idx) <= per_symbol:
            raise InputError("transfer.too_few", symbol=symbols.GLYPHS[symbols.SYMBOLS[label]], n=len(idx),
                             need_train=per_symbol, need=per_symbol + 1)
        train += list(idx[:per_symbol])
        held += list(idx[per_symbol:])
    train = rng.permutation(train)
    return {"x": x[train], "y": y[train], "x_held": x[held], "y_held": y[held]}


def pool(use_kept: bool) -> tuple[np.ndarray, np.ndarray]:
    """Starter set (+ kept drawings): ``uint8 (N, 28, 28)``, labels ``(N,)``."""
    x, y = symbols.starter_set()
    if use_kept:
        xk, yk = symbols.load_symbols()
        x, y = np.concatenate([x, xk]), np.concatenate([y, yk])
    return x, y


def _fit(model: keras.Model, way: str, x: np.ndarray, y: np.ndarray, held: tuple, config: TransferConfig,
         first_epoch: int, progress) -> dict[str, list[float]]:
    """Train one way for ``config.epochs`` epochs (fine-tuning: head first, then the last block)."""
    phases = [(way, config.epochs)]
    if way == "finetune":
        model.get_layer("base").trainable = False  # phase 1: the head alone
        half = max(1, config.epochs // 2)
        phases = [("head", half)] + ([("finetune", config.epochs - half)] if config.epochs > half else [])
    history: dict[str, list[float]] = {}
    epoch = first_epoch
    for phase, epochs in phases:
        if phase == "finetune":  # phase 2: unfreeze the last block (recompiling applies it)
            trunk = model.get_layer("base")
            trunk.trainable = True
            for layer in trunk.layers:
                layer.trainable = layer.name in LAST_BLOCK
        model.compile(optimizer=keras.optimizers.Adam(RATES[phase]), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        fitted = model.fit(x, y, batch_size=config.batch_size, epochs=epoch + epochs, initial_epoch=epoch,
                           validation_data=held, verbose=0, callbacks=[progress])
        for key, values in fitted.history.items():
            history.setdefault(key, []).extend(round(float(v), 4) for v in values)
        epoch += epochs
    return history


def train_three(ctx: JobContext, config: TransferConfig, data: dict[str, np.ndarray] | None = None,
                save: bool = True) -> dict[str, dict]:
    """Train the three ways one after another on the same split; per way: history, held-out
    accuracy, seconds, trainable weights (also the job's extra ``"transfer"``). Models are
    saved as ``transfer-WAY-TIME`` (kind ``transfer``) unless ``save`` is false."""
    from core import device
    from core.jobs.keras_setup import ProgressCallback, prepare_worker

    config = config.validate()
    prepare_worker(config.seed)
    ctx.say("loading_data")
    d = data or split(*pool(config.use_kept), config.per_symbol, config.seed)
    x, xh = as_input(d["x"]), as_input(d["x_held"])
    base = load_base()
    progress = ProgressCallback(ctx, config.epochs * len(WAYS), -(-len(x) // config.batch_size))
    results: dict[str, dict] = {}
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for i, way in enumerate(WAYS):
        ctx.check()
        keras.utils.set_random_seed(config.seed)  # every way starts from the same seed
        model = build(way, base)
        ctx.say("training_model", model=way)
        start = time.perf_counter()
        history = _fit(model, way, x, d["y"], (xh, d["y_held"]), config, i * config.epochs, progress)
        seconds = time.perf_counter() - start
        acc = float(np.mean(np.asarray(model(xh, training=False)).argmax(1) == d["y_held"]))
        results[way] = {"history": history,
                        "held_out_accuracy": round(acc, 4), "seconds": round(seconds, 2),
                        "trainable": trainable_count(model), "train": int(len(x)), "held_out": int(len(xh))}
        if save:
            card = {"kind": "transfer", "way": way, "config": asdict(config), **results[way],
                    "symbols": list(symbols.SYMBOLS), "device": device.describe(), "command": "trained on the page"}
            results[way]["name"] = store.save_model(model, card, f"transfer-{way}-{stamp}").name
        ctx.set_extra("transfer", {k: dict(v) for k, v in results.items()})
        if ctx.cancelled:
            break
    ctx.set_result(**{f"{w}_accuracy": r["held_out_accuracy"] for w, r in results.items()},
                   models={w: r.get("name", "") for w, r in results.items()})
    return results


def transfer_job(config: TransferConfig):
    """``fn(ctx)`` for the job registry."""
    config = config.validate()
    return lambda ctx: train_three(ctx, config)


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
