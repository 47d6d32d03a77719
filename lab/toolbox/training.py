"""Batch normalisation and dropout on a small MNIST network: the toolbox page's background job.

The same two-hidden-layer network (784 → units → units → 10) is trained four ways (``VARIANTS``):
plain, with dropout after each hidden layer, with batch normalisation before each ReLU (as the
course places it: the normalised values are the activation's input), and with both. The four
share nothing but their input and are trained side by side as the branches of one Keras model,
on the same batches in the same order: the sum of their losses gives each branch exactly its own
gradient, and Adam keeps its averages per weight, so each branch learns as it would alone, while
the job pays for one compiled training step instead of four. After each epoch the job measures loss and accuracy on the training images and on test images with
``model(x, training=False)`` (the network as it will be used), publishes the curves, and at the
end shows one test batch through the first batch-normalisation layer both ways: the batch's
own statistics (training) against the moving averages (inference), with γ and β.

No Streamlit here; Keras is imported inside the functions (the page opens without it).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from core.backends import kinds
from core.errors import check_range
from core.jobs.context import JobContext

KIND = "toolbox_bn"  # the job kind (core/backends/kinds.py)
VARIANTS = ("plain", "dropout", "bn", "bn_dropout")
INSPECT_BATCH = 32  # the batch shown through the first batch-normalisation layer
INSPECT_UNITS = 8  # how many of its units the table shows


@dataclass(frozen=True)
class ToolboxConfig:
    """What the job trains: how many images, epochs, units, the dropout rate, which variants."""

    n_train: int = 2000
    n_test: int = 2000
    epochs: int = 8
    batch_size: int = 64
    units: int = 128
    dropout: float = 0.3
    learning_rate: float = 0.001
    variants: tuple[str, ...] = VARIANTS
    seed: int = 0

    def validate(self) -> ToolboxConfig:
        """The config if every value is in range (else ``InputError``); ``variants`` as a tuple."""
        check_range(self.n_train, "max_train", 100, 10_000)
        check_range(self.n_test, "max_test", 100, 10_000)
        check_range(self.epochs, "epochs", 1, 30)
        check_range(self.batch_size, "batch_size", 8, 512)
        check_range(self.units, "units", 8, 512)
        check_range(self.dropout, "dropout", 0.0, 0.8, whole=False)
        check_range(self.learning_rate, "learning_rate", 1e-5, 1.0, whole=False)
        check_range(self.seed, "seed", 0, 2 ** 31 - 1)
        variants = tuple(self.variants)
        unknown = [v for v in variants if v not in VARIANTS]
        if unknown or not variants or len(set(variants)) != len(variants):
            raise ValueError(f"variants must be distinct names from {VARIANTS}, got {list(variants)}")
        return replace(self, variants=variants)


def build_models(variants: tuple[str, ...], units: int, dropout: float):
    """One Keras model whose outputs are the variants' networks (a dict keyed by variant), and
    each variant's network alone (``{variant: model}``, sharing the same layers).

    Each network is Dense → [BN] → ReLU → [Dropout], twice, then softmax; its layers are named
    ``<variant>_dense1``, ``<variant>_bn1``… With batch normalisation the dense layers have no
    bias: β, added after normalising, does its job (a bias would be subtracted with the mean)."""
    import keras

    pixels = keras.Input((784,), name="pixels")
    outputs = {}
    for variant in variants:
        bn, drop = variant in ("bn", "bn_dropout"), variant in ("dropout", "bn_dropout")
        h = pixels
        for i in (1, 2):
            h = keras.layers.Dense(units, use_bias=not bn, name=f"{variant}_dense{i}")(h)
            if bn:
                h = keras.layers.BatchNormalization(name=f"{variant}_bn{i}")(h)
            h = keras.layers.Activation("relu", name=f"{variant}_relu{i}")(h)
            if drop:
                h = keras.layers.Dropout(dropout, name=f"{variant}_drop{i}")(h)
        outputs[variant] = keras.layers.Dense(10, activation="softmax", name=f"{variant}_digit")(h)
    joint = keras.Model(pixels, outputs, name="toolbox")
    return joint, {v: keras.Model(pixels, out, name=v) for v, out in outputs.items()}


def load_data(cfg: ToolboxConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``n_train`` training and ``n_test`` test images drawn at random (the seed's draw; the
    bundled training file is sorted by digit), ``(n, 784)`` floats in [0, 1], labels ``(n,)``."""
    from core.storage.mnist import load_mnist

    (xtr, ytr), (xte, yte) = load_mnist()
    rng = np.random.default_rng(cfg.seed)
    tr = rng.choice(len(xtr), min(cfg.n_train, len(xtr)), replace=False)
    te = rng.choice(len(xte), min(cfg.n_test, len(xte)), replace=False)
    flat = lambda x: (x.reshape(len(x), 784) / 255.0).astype("float32")  # noqa: E731
    return flat(xtr[tr]), ytr[tr].astype("int32"), flat(xte[te]), yte[te].astype("int32")


def measure(joint, x: np.ndarray, y: np.ndarray) -> dict[str, tuple[float, float]]:
    """Per variant: cross-entropy and accuracy in inference mode (dropout off, moving averages)."""
    out = {}
    for variant, p in joint(x, training=False).items():
        p = np.asarray(p)  # (n, 10)
        loss = float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-7, 1.0))))
        out[variant] = (loss, float(np.mean(p.argmax(axis=1) == y)))
    return out


def _curves_callback(ctx: JobContext, curves: dict, data: tuple, epochs: int, batches: int):
    import keras

    xtr, ytr, xte, yte = data

    class Curves(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            ctx.start_epoch(epoch + 1, epochs)

        def on_train_batch_end(self, batch, logs=None):
            ctx.log_batch(batch + 1, batches, {"loss": float((logs or {}).get("loss", 0.0))})
            if ctx.cancelled:
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            train, test = measure(self.model, xtr, ytr), measure(self.model, xte, yte)
            for variant in train:
                c = curves.setdefault(variant, {k: [] for k in (
                    "fit_loss", "train_loss", "test_loss", "train_acc", "test_acc")})
                for key, value in (("fit_loss", float((logs or {}).get(f"{variant}_loss", np.nan))),
                                   ("train_loss", train[variant][0]), ("test_loss", test[variant][0]),
                                   ("train_acc", train[variant][1]), ("test_acc", test[variant][1])):
                    c[key].append(value)
            mean = lambda d, i: float(np.mean([v[i] for v in d.values()]))  # noqa: E731
            ctx.log_epoch(epoch + 1, {"loss": mean(train, 0), "val_loss": mean(test, 0),
                                      "accuracy": mean(train, 1), "val_accuracy": mean(test, 1)})
            ctx.set_extra("curves", {v: {k: list(c) for k, c in cs.items()} for v, cs in curves.items()})

    return Curves()


def train_all(ctx: JobContext, cfg: ToolboxConfig, data: tuple, curves: dict):
    """Train every variant side by side for ``cfg.epochs`` epochs; returns ``{variant: model}``."""
    import keras

    xtr, ytr = data[0], data[1]
    joint, models = build_models(cfg.variants, cfg.units, cfg.dropout)
    joint.compile(optimizer=keras.optimizers.Adam(cfg.learning_rate),
                  loss={v: "sparse_categorical_crossentropy" for v in cfg.variants})
    batches = -(-len(xtr) // cfg.batch_size)
    joint.fit(xtr, {v: ytr for v in cfg.variants}, batch_size=cfg.batch_size, epochs=cfg.epochs, verbose=0,
              shuffle=True, callbacks=[_curves_callback(ctx, curves, data, cfg.epochs, batches)])
    return models


def inspect_batch_norm(model, x: np.ndarray, variant: str = "bn") -> dict[str, Any]:
    """One batch ``x (b, 784)`` through the first batch-normalisation layer, both ways.

    Returns the pre-normalisation values ``z (b, units)`` of the first ``INSPECT_UNITS`` units,
    the batch's mean and variance, the moving averages, γ, β, the layer's output in training
    mode (batch statistics) and in inference mode (moving averages), and the whole network's
    accuracy on the batch both ways. Calling a layer with ``training=True`` updates its moving
    averages, so every batch-normalisation variable is put back afterwards.
    """
    bn = model.get_layer(f"{variant}_bn1")
    saved = [(v, np.array(v.numpy())) for layer in model.layers
             if "_bn" in layer.name for v in layer.non_trainable_variables]
    try:
        z = model.get_layer(f"{variant}_dense1")(x)  # (b, units) the values batch normalisation receives
        # inference first: a training-mode call moves the moving averages the inference uses
        out_infer = np.asarray(bn(z, training=False))
        p_infer = np.asarray(model(x, training=False))  # (b, 10)
        out_train = np.asarray(bn(z, training=True))
        p_train = np.asarray(model(x, training=True))
    finally:
        for variable, value in saved:
            variable.assign(value)
    z = np.asarray(z)
    k = INSPECT_UNITS
    return {"z": z[:, :k], "batch_mean": z.mean(axis=0)[:k], "batch_var": z.var(axis=0)[:k],
            "moving_mean": np.asarray(bn.moving_mean)[:k], "moving_var": np.asarray(bn.moving_variance)[:k],
            "gamma": np.asarray(bn.gamma)[:k], "beta": np.asarray(bn.beta)[:k], "epsilon": float(bn.epsilon),
            "momentum": float(bn.momentum), "out_train": out_train[:, :k], "out_infer": out_infer[:, :k],
            "pred_train": p_train.argmax(axis=1), "pred_infer": p_infer.argmax(axis=1),
            "max_prob_change": float(np.abs(p_train - p_infer).max())}


def inspect_dropout(model, x: np.ndarray, variant: str = "dropout") -> dict[str, float]:
    """What the first dropout layer does to one batch: the share of active units it zeroes
    and the factor the survivors are multiplied by, in training mode; inference leaves them."""
    a = np.asarray(model.get_layer(f"{variant}_relu1")(model.get_layer(f"{variant}_dense1")(x)))  # (b, units), no BN
    drop = model.get_layer(f"{variant}_drop1")
    dropped = np.asarray(drop(a, training=True))
    active = a > 0
    kept = dropped[active] / a[active]
    return {"rate": float(drop.rate), "zeroed": float(np.mean(kept == 0)),
            "scale": float(np.median(kept[kept > 0])) if np.any(kept > 0) else 0.0,
            "unchanged_in_inference": bool(np.allclose(np.asarray(drop(a, training=False)), a))}


def toolbox_job(cfg: ToolboxConfig):
    """The job function ``fn(ctx)``: train the variants, publish curves, then the one-batch views."""
    cfg = cfg.validate()

    def fn(ctx: JobContext) -> dict[str, Any]:
        from core.jobs.keras_setup import prepare_worker

        prepare_worker(cfg.seed)
        ctx.say("loading_data")
        data = load_data(cfg)
        curves: dict = {}
        start = time.perf_counter()
        models = train_all(ctx, cfg, data, curves)
        seconds = round(time.perf_counter() - start, 2)
        batch = data[2][:INSPECT_BATCH]
        with_bn = next((v for v in ("bn", "bn_dropout") if v in models), None)
        if with_bn is not None:
            ctx.set_extra("bn", {**inspect_batch_norm(models[with_bn], batch, with_bn),
                                 "labels": data[3][:INSPECT_BATCH]})
        if "dropout" in models:
            ctx.set_extra("dropout", inspect_dropout(models["dropout"], batch))
        ctx.set_result(seconds=seconds, config=asdict(cfg))
        return curves

    return fn


def job_from_config(config: dict[str, Any]):
    """What a queue worker calls: the job function from the page's JSON config."""
    check_config(config)
    return toolbox_job(ToolboxConfig(**config))


def check_config(config: dict[str, Any]) -> None:
    """Raise ``ValueError`` unless ``config`` makes a valid job (no Keras needed)."""
    kinds.settings(ToolboxConfig, config, KIND)
