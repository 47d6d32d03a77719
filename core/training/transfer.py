"""Training the transfer lesson's three ways on the symbols: one job, the same split, epochs and seed.

The models and the ways themselves (``scratch``, ``features``, ``finetune``: what is frozen,
what is new) are built in ``core.models.transfer``; this module splits the data, trains
each way in turn (fine-tuning: the head alone first, then the last block at a low learning
rate), reports through the job's context and saves each model with its card.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import keras
import numpy as np

from core.errors import InputError, check_range
from core.jobs.context import JobContext
from core.models.transfer import LAST_BLOCK, RATES, WAYS, as_input, build, load_base, trainable_count
from core.storage import store, symbols


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
        # the bar counts the epochs of all three ways (epoch 11/15 = way 3's first): say which way
        ctx.say(f"training_way_{way}", n=i + 1, ways=len(WAYS), epochs=config.epochs)
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
            results[way]["name"] = store.save_model(model, card, f"transfer-{way}-{stamp}", unique=True,
                                                    owner=getattr(ctx, "owner", "")).name
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
