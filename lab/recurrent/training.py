"""Training recurrent networks: the row reader (page job and shipped models) and the adding race.

    python -m lab.recurrent.training --cell lstm --epochs 12 --shipped

trains a row-by-row reader on the bundled 10,000 MNIST images (a validation share held
out), evaluates it once on the official 10,000 test images and saves it with a card
(command, recipe, epochs, time, device, test accuracy); ``--shipped`` saves it into
``assets/models`` as ``rnn-CELL``. The page runs the same ``train`` through the job
registry. ``adding_job`` trains the three cells on the adding problem at one length,
one after another, and publishes each cell's error per epoch.

No Streamlit here; Keras is imported inside the functions (and with ``lab.recurrent.model``).
The job kinds are ``KIND`` (the reader, found here by ``core/backends/kinds.py``) and
``rnn_adding`` (the race, in ``lab.recurrent.training_adding``).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from core.backends import kinds
from core.errors import check_range
from core.jobs.context import JobContext
from core.paths import SHIPPED_MODELS
from core.storage import mnist
from lab.recurrent import model as rnn

KIND = "rnn_reader"  # the job kind of the row reader (core/backends/kinds.py)


@dataclass(frozen=True)
class ReaderConfig:
    """A row reader's recipe (JSON-able via ``asdict``; kept in the job record and the card)."""

    cell: str = "lstm"
    units: int = 64
    epochs: int = 3
    batch_size: int = 128
    learning_rate: float = 2e-3
    val_split: float = 0.1
    seed: int = 0
    augment: bool = False  # random shifts, rotations, zooms while training
    dropout: float = 0.0  # share of the last hidden state dropped while training
    max_train: int = 0  # only the first N shuffled training images (0 = all; tests)
    max_test: int = 0  # only the first N test images (0 = all 10,000; tests)
    name: str = ""  # model name ("" = rnn-CELL-TIMESTAMP)

    def validate(self) -> ReaderConfig:
        if self.cell not in rnn.CELLS:
            raise ValueError(f"unknown recurrent cell {self.cell!r}; choose one of {rnn.CELLS}")
        for key, low, high in [("units", 4, 512), ("epochs", 1, 200), ("batch_size", 8, 4096),
                               ("max_train", 0, 1_000_000), ("max_test", 0, 1_000_000)]:
            check_range(getattr(self, key), key, low, high)
        check_range(self.learning_rate, "learning_rate", 1e-6, 1.0, whole=False)
        check_range(self.val_split, "val_split", 0.0, 0.5, whole=False)
        check_range(self.dropout, "dropout", 0.0, 0.9, whole=False)
        return self


def _data(config: ReaderConfig) -> dict:
    (xtr, ytr), (xte, yte) = mnist.load_mnist(prefer_full=False)  # the bundled 10,000: the card says so
    order = np.random.default_rng(config.seed).permutation(len(xtr))
    if config.max_train:
        order = order[:config.max_train]
    n_val = int(round(len(order) * config.val_split))
    as_float = lambda x: x.astype(np.float32) / 255.0  # noqa: E731 - (N, 28 rows, 28 pixels)
    test = slice(0, config.max_test or len(xte))
    return {"x": as_float(xtr[order[n_val:]]), "y": ytr[order[n_val:]].astype(np.int64),
            "x_val": as_float(xtr[order[:n_val]]), "y_val": ytr[order[:n_val]].astype(np.int64),
            "x_test": as_float(xte[test]), "y_test": yte[test].astype(np.int64)}


def train(ctx: JobContext, config: ReaderConfig, directory: Path | None = None, command: str | None = None):
    """Train a row reader inside a job; saves model + card; returns the ``ModelEntry`` (None if
    stopped before an epoch ended)."""
    import keras

    from core import device
    from core.jobs.keras_setup import ProgressCallback, prepare_worker
    from core.storage import store

    config = config.validate()
    prepare_worker(config.seed)
    ctx.say("loading_data")
    d = _data(config)
    batches = -(-len(d["x"]) // config.batch_size)
    model = rnn.build_row_reader(config.cell, config.units, config.augment, name=f"reader_{config.cell}",
                                 dropout=config.dropout)
    rate = keras.optimizers.schedules.CosineDecay(config.learning_rate, config.epochs * batches, alpha=0.01)
    model.compile(optimizer=keras.optimizers.Adam(rate, clipnorm=1.0),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    progress = ProgressCallback(ctx, config.epochs, batches)
    started = time.perf_counter()
    fitted = model.fit(d["x"], d["y"], batch_size=config.batch_size, epochs=config.epochs, verbose=0,
                       validation_data=(d["x_val"], d["y_val"]) if len(d["x_val"]) else None,
                       callbacks=[progress])
    if not progress.train_seconds:
        return None
    ctx.say("evaluating")
    accuracy = float(np.mean(rnn.predict(model, d["x_test"]).argmax(1) == d["y_test"]))
    history = {k: [round(float(v), 5) for v in vals] for k, vals in fitted.history.items()}
    stopped = {"stopped_at_epoch": progress.epoch} if ctx.cancelled else {}
    card = {"kind": "rnn", "cell": config.cell, "config": asdict(config), "params": int(model.count_params()),
            "epochs": config.epochs, "epochs_done": len(history.get("loss", [])), "epochs_planned": config.epochs,
            **stopped, "data": {"source": "bundled", "train": len(d["x"]), "validation": len(d["x_val"]),
                                "test": len(d["x_test"])},
            "train_seconds": round(time.perf_counter() - started, 1), "device": device.describe(),
            "command": command or "trained on the page", "history": history, "test_accuracy": accuracy}
    name = config.name or f"rnn-{config.cell}-{time.strftime('%Y%m%d-%H%M%S')}"
    entry = store.save_model(model, card, name, directory, unique=not config.name, owner=getattr(ctx, "owner", ""))
    ctx.set_result(name=entry.name, model_name=entry.name, test_accuracy=accuracy,
                   epochs_planned=config.epochs, **stopped)
    return entry


def reader_job(config: ReaderConfig):
    """``fn(ctx)`` for the job registry."""
    config = config.validate()
    return lambda ctx: train(ctx, config)


def job_from_config(config: dict[str, Any]) -> Callable[[JobContext], Any]:
    """What a queue worker calls for a ``rnn_reader`` job: ``config`` is ``asdict(ReaderConfig)``."""
    check_config(config)
    return reader_job(ReaderConfig(**config))


def check_config(config: dict[str, Any]) -> None:
    """Raise ``ValueError`` (or ``InputError``) unless ``config`` makes a valid reader job."""
    kinds.settings(ReaderConfig, config, KIND)


# ---------------------------------------------------------------- the adding race
@dataclass(frozen=True)
class AddingConfig:
    """The three cells on the adding problem at one ``length`` (same data, epochs, units)."""

    length: int = 50
    epochs: int = 8
    n_train: int = 4000
    units: int = 32
    learning_rate: float = 1e-2  # Adam, gradients clipped to norm 1: LSTM/GRU solve length 50 in 8 epochs
    seed: int = 0

    def validate(self) -> AddingConfig:
        for key, low, high in [("length", 4, 400), ("epochs", 1, 100), ("n_train", 32, 50_000),
                               ("units", 4, 128)]:
            check_range(getattr(self, key), key, low, high)
        check_range(self.learning_rate, "learning_rate", 1e-5, 0.1, whole=False)
        return self


def adding_race(ctx: JobContext, config: AddingConfig) -> dict[str, list[float]]:
    """Train SimpleRNN, LSTM and GRU in turn; ``{cell: test MSE after each epoch}`` (also as the
    job's extra ``"adding"``, updated every epoch). The extra ``"gradients"`` holds each trained
    cell's ``rnn.gradient_per_step`` on 64 fresh sequences."""
    import keras

    from core.jobs.keras_setup import ProgressCallback, prepare_worker

    config = config.validate()
    prepare_worker(config.seed)
    x, y = rnn.adding_data(config.n_train, config.length, config.seed)
    xt, yt = rnn.adding_data(500, config.length, config.seed + 1)
    batch = 64
    progress = ProgressCallback(ctx, config.epochs * len(rnn.CELLS), -(-len(x) // batch))
    curves: dict[str, list[float]] = {}
    gradients: dict[str, list[float]] = {}  # after training: how far back each cell listens
    for i, cell in enumerate(rnn.CELLS):
        ctx.check()
        model = rnn.build_adding_model(cell, config.length, config.units)
        model.compile(optimizer=keras.optimizers.Adam(config.learning_rate, clipnorm=1.0), loss="mse")
        curves[cell] = []

        def after_epoch(epoch: int, logs=None, cell=cell, model=model) -> None:
            mse = float(np.mean((np.asarray(model(xt, training=False))[:, 0] - yt) ** 2))
            curves[cell].append(round(mse, 5))
            ctx.set_extra("adding", {k: list(v) for k, v in curves.items()})

        model.fit(x, y, batch_size=batch, epochs=(i + 1) * config.epochs, initial_epoch=i * config.epochs,
                  verbose=0, callbacks=[progress, keras.callbacks.LambdaCallback(on_epoch_end=after_epoch)])
        if ctx.cancelled:
            break
        gradients[cell] = rnn.gradient_per_step(model, xt[:64], yt[:64]).round(9).tolist()
        ctx.set_extra("gradients", dict(gradients))
    ctx.set_result(final={k: v[-1] for k, v in curves.items() if v}, length=config.length)
    return curves


def adding_job(config: AddingConfig):
    """``fn(ctx)`` for the job registry."""
    config = config.validate()
    return lambda ctx: adding_race(ctx, config)


# ---------------------------------------------------------------- command line
def main(argv: list[str] | None = None) -> int:
    from core.jobs.context import PrintContext

    parser = argparse.ArgumentParser(description="Train a row-by-row MNIST reader (RNN) of the lab")
    parser.add_argument("--cell", choices=rnn.CELLS, required=True)
    for key in ("units", "epochs", "batch_size", "seed", "max_train", "max_test"):
        parser.add_argument(f"--{key.replace('_', '-')}", type=int)
    for key in ("learning_rate", "val_split", "dropout"):
        parser.add_argument(f"--{key.replace('_', '-')}", type=float)
    parser.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--name")
    parser.add_argument("--shipped", action="store_true", help="save into assets/models as rnn-CELL")
    args = parser.parse_args(argv)
    settings = {k: v for k, v in vars(args).items() if v is not None and k != "shipped"}
    if args.shipped and not args.name:
        settings["name"] = f"{rnn.SHIPPED_PREFIX}{args.cell}"
    config = ReaderConfig(**settings).validate()
    command = "python -m lab.recurrent.training " + " ".join(argv if argv is not None else sys.argv[1:])
    entry = train(PrintContext(every=10), config, SHIPPED_MODELS if args.shipped else None, command)
    print(f"saved {entry.path} test accuracy {entry.card['test_accuracy']:.4f}" if entry else "nothing saved")
    return 0 if entry else 1


if __name__ == "__main__":
    raise SystemExit(main())
