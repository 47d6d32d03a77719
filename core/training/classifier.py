"""Training MNIST classifiers: the page's background job and the command that makes shipped models.

    python -m core.training.classifier --kind improved --members 3 --epochs 30

trains on the bundled 10,000 images (``--data auto`` uses the full 60,000 when present),
holds out a validation share, evaluates once on the official test set and saves the
model with a card (command, recipe, epochs, time, device, test results). The page calls
``submit_config`` → a ``classifier`` job (``train(ctx, config)``, built from the config by
``core.backends.kinds``); the command runs the very same function through a private registry.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import check_range
from core.jobs.context import JobContext
from core.jobs.registry import JobRegistry
from core.paths import SHIPPED_MODELS
from core.storage import mnist
from core.storage.drawings import load_drawings

# The thesis recipes (batch, epochs, Adam) and our improved network's.
DEFAULTS: dict[str, dict[str, Any]] = {
    "mlp": {"epochs": 10, "batch_size": 512, "learning_rate": 1e-3, "optimizer": "adam",
            "schedule": "constant", "augment": False},
    "cnn": {"epochs": 15, "batch_size": 128, "learning_rate": 1e-3, "optimizer": "adam",
            "schedule": "constant", "augment": False},
    "improved": {"epochs": 30, "batch_size": 128, "learning_rate": 2e-3, "optimizer": "adam",
                 "schedule": "cosine", "augment": True},
}
COMMON = {"val_split": 0.1, "seed": 0, "members": 1, "include_drawings": False,
          "data": "bundled", "name": "", "max_train": 0}
DRAWING_REPEATS = 5  # a user's drawing counts this many times: a handful must still matter


@dataclass(frozen=True)
class ClassifierConfig:
    """Everything a classifier training run depends on (JSON-able via ``asdict``, stored in
    the job record and the model card). Build it with ``make_config(kind, ...)``."""

    kind: str
    epochs: int
    batch_size: int
    learning_rate: float
    optimizer: str  # "adam", "sgd" or "rmsprop"
    schedule: str  # "constant" or "cosine" (decay to 1 % over the run)
    augment: bool  # random shifts/rotations/zooms inside the model while training
    val_split: float = 0.1  # share of the training images held out for validation
    seed: int = 0
    members: int = 1  # > 1: an ensemble, members trained one after another
    include_drawings: bool = False  # add saved drawings (DRAWING_REPEATS times each)...
    drawings_owner: str = ""  # ...of this student only ("": the whole class's, a stated choice)
    data: str = "bundled"  # "bundled" 10,000 images, or "auto": the full 60,000 when present
    name: str = ""  # model name ("" = KIND-TIMESTAMP)
    max_train: int = 0  # use only the first N shuffled training images (0 = all; tests, benches)

    def validate(self) -> ClassifierConfig:
        """Return ``self``, or raise ``ValueError`` naming the bad value and its range."""
        if self.kind not in DEFAULTS:
            raise ValueError(f"unknown classifier kind {self.kind!r}; choose one of {sorted(DEFAULTS)}")
        checks = [("epochs", 1, 500), ("batch_size", 1, 8192), ("members", 1, 10),
                  ("learning_rate", 1e-6, 10.0), ("val_split", 0.0, 0.5)]
        for key, low, high in checks:
            check_range(getattr(self, key), key, low, high, whole=isinstance(low, int))
        if self.schedule not in ("constant", "cosine"):
            raise ValueError(f"schedule must be 'constant' or 'cosine', got {self.schedule!r}")
        if self.data not in ("bundled", "auto"):
            raise ValueError(f"data must be 'bundled' or 'auto', got {self.data!r}")
        return self

    def __getitem__(self, key: str) -> Any:
        """``config["kind"]`` reads like ``config.kind`` (the page still indexes a few settings)."""
        if key not in _FIELDS:
            raise KeyError(key)
        return getattr(self, key)


_FIELDS = {f.name for f in fields(ClassifierConfig)}


def make_config(kind: str, **overrides: Any) -> ClassifierConfig:
    """The kind's default recipe with ``overrides`` (``None`` = default); raises ``ValueError``
    on an unknown kind or setting, or a value out of range."""
    if kind not in DEFAULTS:
        raise ValueError(f"unknown classifier kind {kind!r}; choose one of {sorted(DEFAULTS)}")
    unknown = set(overrides) - _FIELDS
    if unknown:
        raise ValueError(f"unknown training settings {sorted(unknown)}")
    settings = {**COMMON, **DEFAULTS[kind], **{k: v for k, v in overrides.items() if v is not None}}
    return ClassifierConfig(kind=kind, **settings).validate()


# ---------------------------------------------------------------- data
def prepare_data(config: ClassifierConfig) -> dict[str, Any]:
    """Shuffled train / validation split (+ drawings), and the test set, as float (N,28,28,1)."""
    (xtr, ytr), (xte, yte) = mnist.load_mnist(prefer_full=config.data == "auto")
    rng = np.random.default_rng(config.seed)
    order = rng.permutation(len(xtr))
    if config.max_train:
        order = order[: int(config.max_train)]
    n_val = int(round(len(order) * config.val_split))
    val_idx, tr_idx = order[:n_val], order[n_val:]
    x_train, y_train = xtr[tr_idx], ytr[tr_idx]
    n_drawings = 0
    if config.include_drawings:
        xd, yd = load_drawings(owner=config.drawings_owner or None)
        n_drawings = len(xd)
        if n_drawings:
            x_train = np.concatenate([x_train] + [xd] * DRAWING_REPEATS)
            y_train = np.concatenate([y_train] + [yd] * DRAWING_REPEATS)
            mix = rng.permutation(len(x_train))
            x_train, y_train = x_train[mix], y_train[mix]
    as_float = lambda x: (x.astype(np.float32) / 255.0)[..., None]  # noqa: E731 - (N, 28, 28, 1)
    source = mnist.data_source(prefer_full=config.data == "auto")
    return {"x_train": as_float(x_train), "y_train": y_train.astype(np.int64),
            "x_val": as_float(xtr[val_idx]), "y_val": ytr[val_idx].astype(np.int64),
            "x_test": as_float(xte), "y_test": yte.astype(np.int64),
            "description": {"source": source.name, "train": int(len(tr_idx)), "validation": int(n_val),
                            "drawings": int(n_drawings), "test": int(len(xte))}}


def learning_rate(config: ClassifierConfig, steps_per_epoch: int):
    """A constant rate, or cosine decay to 1 % over the run (per member)."""
    if config.schedule == "constant":
        return float(config.learning_rate)
    import keras

    return keras.optimizers.schedules.CosineDecay(
        float(config.learning_rate), decay_steps=config.epochs * steps_per_epoch, alpha=0.01)


# ---------------------------------------------------------------- the job
def train(ctx: JobContext, config: ClassifierConfig, directory: Path | None = None,
          command: str | None = None):
    """Train ``config`` inside a job; saves the model + card and returns its ``ModelEntry``.

    With ``members`` > 1 the members train one after another (epochs counted across all of
    them) and are saved as one averaging model. A stop keeps what was learned so far.
    """
    from core import device
    from core.jobs.keras_setup import ProgressCallback, prepare_worker
    from core.maths import evaluation
    from core.models import classifier
    from core.storage import store

    prepare_worker(config.seed)
    ctx.say("loading_data")
    d = prepare_data(config)
    steps = -(-len(d["x_train"]) // config.batch_size)
    epochs, members = config.epochs, config.members
    progress = ProgressCallback(ctx, epochs=epochs * members, batches=steps)
    trained, history, started = [], {}, time.perf_counter()
    for i in range(members):
        ctx.check()
        name = config.kind if members == 1 else f"{config.kind}_{i + 1}"
        model = classifier.build_model(config.kind, augment=config.augment, name=name)
        classifier.compile_model(model, config.optimizer, learning_rate(config, steps))
        ctx.say("training_model", model=name.upper().replace("_", " #"))  # "mlp_2" reads as "MLP #2"
        validation = (d["x_val"], d["y_val"]) if len(d["x_val"]) else None
        fitted = model.fit(d["x_train"], d["y_train"], batch_size=config.batch_size,
                  epochs=(i + 1) * epochs, initial_epoch=i * epochs, validation_data=validation,
                  callbacks=[progress], verbose=0)
        for key, values in fitted.history.items():
            history.setdefault(key, []).extend(round(float(v), 5) for v in values)
        if ctx.cancelled and i > 0:
            break  # keep the members that finished
        trained.append(model)
        if ctx.cancelled:
            break
    if not trained or not progress.train_seconds:
        return None
    model = classifier.build_ensemble(trained, name=f"{config.kind}_ensemble")
    ctx.say("evaluating")
    probs = classifier.predict_proba(model, d["x_test"])
    test = evaluation.evaluation_summary(probs, d["y_test"])
    epochs_done = len(history.get("loss", []))
    # A stop is recorded where it happened: the epoch begun last, counted across members
    stopped = {"stopped_at_epoch": progress.epoch} if ctx.cancelled else {}
    card = {"kind": config.kind, "config": asdict(config), "params": int(model.count_params()),
            "members": len(trained), "epochs": epochs, "epochs_done": epochs_done,
            "epochs_planned": epochs * members, "stopped_early": bool(ctx.cancelled), **stopped,
            "data": d["description"],
            "train_seconds": round(time.perf_counter() - started, 1),
            "images_per_second": round(epochs_done * len(d["x_train"]) / progress.train_seconds, 1),
            "device": device.describe(), "command": command or "trained on the page",
            "history": history, "test_accuracy": test["test_accuracy"], "test": test}
    name = config.name or f"{config.kind}-{time.strftime('%Y%m%d-%H%M%S')}"
    entry = store.save_model(model, card, name, directory, unique=not config.name, owner=getattr(ctx, "owner", ""))
    ctx.set_result(name=entry.name, model_name=entry.name, path=str(entry.path),
                   test_accuracy=test["test_accuracy"], val_accuracy=history.get("val_accuracy", [None])[-1],
                   epochs_planned=epochs * members, **stopped)
    return entry


def submit_config(registry: JobRegistry, config: ClassifierConfig, title: str, owner: str = ""):
    """Queue a ``classifier`` job of ``config`` on ``registry`` (it runs ``train(ctx, config)``;
    the job record keeps ``asdict(config)``); returns the job."""
    return registry.submit("classifier", title, asdict(config), owner=owner)


# ---------------------------------------------------------------- command line
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train an MNIST classifier of the lab")
    parser.add_argument("--kind", choices=sorted(DEFAULTS), required=True)
    for key in ("epochs", "batch_size", "members", "seed", "max_train"):
        parser.add_argument(f"--{key.replace('_', '-')}", type=int)
    for key in ("learning_rate", "val_split"):
        parser.add_argument(f"--{key.replace('_', '-')}", type=float)
    parser.add_argument("--optimizer", choices=["adam", "sgd", "rmsprop"])
    parser.add_argument("--schedule", choices=["constant", "cosine"])
    parser.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--data", choices=["bundled", "auto"])
    parser.add_argument("--name", help="model name (default classifier-KIND when --shipped)")
    parser.add_argument("--shipped", action="store_true", help="save into assets/models")
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in vars(args).items() if k not in ("kind", "shipped")}
    if args.shipped and not args.name:
        overrides["name"] = f"classifier-{args.kind}"
    config = make_config(args.kind, **overrides)
    command = "python -m core.training.classifier " + " ".join(argv if argv is not None else sys.argv[1:])
    directory = SHIPPED_MODELS if args.shipped else None
    # the command's own kind: the same training, saved into ``directory`` with its command on the card
    registry = JobRegistry(build=lambda kind, settings: lambda ctx: train(
        ctx, ClassifierConfig(**settings), directory, command))
    job = registry.submit("classifier", f"cli {args.kind}", asdict(config))
    last = ""
    while job.thread.is_alive():
        job.join(5)
        snap = job.snapshot()
        line = f"epoch {snap.epoch}/{snap.epochs} " + " ".join(
            f"{k}={v[-1]:.4f}" for k, v in snap.history.items())
        if line != last:
            print(f"[{time.strftime('%H:%M:%S')}] {line}", flush=True)
            last = line
    snap = job.snapshot()
    print(f"{snap.status}: {snap.result} {snap.error or ''}", flush=True)
    return 0 if snap.status == "done" else 1


if __name__ == "__main__":
    raise SystemExit(main())
