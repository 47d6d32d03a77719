"""Training the playground's network: the background job and what it publishes while it runs.

The job (``chrome.registry().submit("playground", ...)``) trains the MLP that
``core.models.playground_model`` builds and publishes, a few times a second, one ``"live"``
extra: train and test loss per epoch, the network's output over the surface grid, and every
hidden unit's activation over the same grid (what each unit responds to), plus the weights.
Pausing stops the job; "Train" and "Step" start a new one from the last published weights
(``start``), so every job backend can run it (the queue worker rebuilds it from ``kind``
and ``config``).
"""

from __future__ import annotations

import time
from typing import Any

import keras
import numpy as np

from core.jobs import interactive
from core.jobs.context import JobContext
from core.jobs.keras_setup import prepare_worker
from core.maths.playground import expand, grid, n_classes
from core.models.playground_config import PlaygroundConfig, data_for
from core.models.playground_model import build_model, data_loss, dense_layers, loss_name, squared_error

PUBLISH_S = 0.2  # at most five pictures a second: the page polls every 0.3 s


def epoch_function(model: keras.Model, classes: int, learning_rate: float, batch_size: int,
                   regression: bool = False):
    """``run(x, y, order)``: one epoch of mini-batch Adam over the examples in ``order``, as one
    TensorFlow graph (Keras' ``fit`` spends ~0.1 s per epoch on its own machinery, ten
    times this network's work). The loss includes the L1/L2 penalty (``model.losses``)."""
    import tensorflow as tf

    optimizer = keras.optimizers.Adam(learning_rate)
    optimizer.build(model.trainable_variables)
    loss_fn = keras.losses.get(loss_name(classes, regression))

    @tf.function
    def run(x, y, order):
        for begin in tf.range(0, tf.shape(order)[0], batch_size):
            idx = order[begin:begin + batch_size]
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(loss_fn(tf.gather(y, idx), model(tf.gather(x, idx), training=True)))
                loss += sum(model.losses)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))

    return run


class _Live:
    """Per epoch: losses on the whole train and test sets; every ``PUBLISH_S``: the pictures."""

    def __init__(self, ctx: JobContext, model: keras.Model, data: tuple, features: tuple[str, ...],
                 history: dict[str, list[float]], regression: bool = False):
        import tensorflow as tf

        self.ctx, self.history = ctx, {k: list(v) for k, v in history.items()}
        self.data = data
        self.grid = tf.constant(expand(grid()[1], features))  # (GRID_STEPS², n_features)
        probe = keras.Model(model.inputs[0], [layer.output for layer in dense_layers(model)])  # no Dropout
        self.probe = tf.function(lambda x: probe(x, training=False))  # every layer's output
        self.forward = tf.function(lambda x: model(x, training=False))
        self.model, self.last, self.epoch, self.regression = model, 0.0, 0, regression

    def end_epoch(self, epoch: int) -> None:
        self.epoch = epoch
        x_train, y_train, x_test, y_test = self.data
        for part, x, y in (("", x_train, y_train), ("test_", x_test, y_test)):
            out = np.asarray(self.forward(x))
            if self.regression:  # MSE only: no accuracy for values
                self.history.setdefault(f"{part}loss", []).append(squared_error(out, y))
                continue
            loss, acc = data_loss(out, y)
            self.history.setdefault(f"{part}loss", []).append(loss)
            self.history.setdefault(f"{part}accuracy", []).append(acc)
        if time.monotonic() - self.last >= PUBLISH_S:
            self.publish()

    def publish(self) -> None:
        """One ``live`` extra: epoch, history, surface ``(S, S)`` or ``(S, S, 3)``, neurons per
        hidden layer ``(units, S, S)``, weights (list of arrays)."""
        steps = int(np.sqrt(len(self.grid)))
        outputs = self.probe(self.grid)
        outputs = [np.asarray(o) for o in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]  # no hidden layer: one
        surface = outputs[-1].reshape(steps, steps, -1)
        neurons = [o.T.reshape(-1, steps, steps).astype(np.float32) for o in outputs[:-1]]
        self.ctx.set_extra("live", {
            "epoch": self.epoch, "history": {k: list(v) for k, v in self.history.items()},
            "surface": surface[..., 0] if surface.shape[-1] == 1 else surface, "neurons": neurons,
            "weights": [np.asarray(w) for w in self.model.get_weights()]})
        self.last = time.monotonic()


def job(config: PlaygroundConfig, points: list[list[float]] | None = None,
        start: dict[str, Any] | None = None):
    """A job function training ``config``'s network for ``config.epochs`` more epochs.

    ``points``: rows for a data set in ``ROW_SETS`` (own points, a typed function, a CSV of
    values). Regression (``config.regression``): one linear output, MSE. ``start``: ``{"epoch",
    "weights", "history"}`` of a paused run to go on from (same data and layers). The data
    and the config are checked here, before anything is queued.
    """
    config = config.validate()
    x_train, y_train, x_test, y_test = data_for(config, points)
    regression = config.regression
    classes = 1 if regression else n_classes(np.concatenate([y_train, y_test]))
    data = (expand(x_train, config.features), y_train, expand(x_test, config.features), y_test)
    start = start or {}
    first = int(start.get("epoch", 0))

    def fn(ctx: JobContext) -> None:
        import tensorflow as tf

        prepare_worker(config.seed + first)  # a resumed run shuffles differently from its start
        model = build_model(len(config.features), config.hidden, config.activation, classes,
                            config.regularization, config.reg_rate, config.dropout, regression)
        if start.get("weights"):
            model.set_weights([np.asarray(w, dtype=np.float32) for w in start["weights"]])
        run = epoch_function(model, classes, config.learning_rate, config.batch_size, regression)
        live = _Live(ctx, model, data, config.features, start.get("history", {}), regression)
        x = tf.constant(data[0])
        y = tf.constant(data[1].reshape(-1, 1).astype(np.float32) if classes <= 2 else data[1])
        rng = np.random.default_rng(config.seed + first)
        total = first + config.epochs
        batches = -(-len(data[1]) // config.batch_size)
        for epoch in range(first + 1, total + 1):
            ctx.start_epoch(epoch, total)
            run(x, y, tf.constant(rng.permutation(len(data[1]))))
            ctx.update(batch=batches, batches=batches)  # the whole epoch ran as one graph
            live.end_epoch(epoch)
            if ctx.cancelled:
                break
            interactive.give_way()  # students waiting for an answer go first
            time.sleep(0.001)  # let the page thread have the interpreter: a tight loop of small steps hogs it
        if live.epoch:
            live.publish()
            h = live.history
            accuracy = {} if regression else dict(accuracy=h["accuracy"][-1], test_accuracy=h["test_accuracy"][-1])
            ctx.set_result(epoch=live.epoch, loss=h["loss"][-1], test_loss=h["test_loss"][-1], **accuracy)

    return fn


def job_from_config(config: dict[str, Any]):
    """The job for a JSON config (``PlaygroundConfig.as_job_config``): what a queue worker runs."""
    settings = dict(config)
    points, start = settings.pop("own_points", None), settings.pop("start", None)
    return job(PlaygroundConfig.from_dict(settings), points, start)
