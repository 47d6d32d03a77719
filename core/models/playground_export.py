"""'Show as Keras code': a short runnable script that builds and trains the playground's network.

The script regenerates the same points with a copy of the lab's generator (its source,
numpy only) or carries the student's own points, splits them and computes the input
features as the lab does, then builds the same Keras model and trains it with ``fit``
(same optimiser, learning rate, batch size and penalty). ``python script.py 50`` trains
50 epochs instead of the page's number.
"""

from __future__ import annotations

import inspect

import numpy as np

from core.maths.playground import FEATURES, GENERATORS, n_classes
from core.models.playground_config import ROW_SETS, PlaygroundConfig, data_for


def _own_points(points: list[list[float]], values: bool = False) -> str:
    rows = ",\n    ".join(f"[{p[0]!r}, {p[1]!r}, {p[2] if values else int(p[2])!r}]" for p in points)
    kind = "np.float32" if values else "np.int64"
    return (f"rows = np.array([\n    {rows},\n])\n"
            f"x, y = rows[:, :2].astype(np.float32), rows[:, 2].astype({kind})\n")


def data_code(config: PlaygroundConfig, points: list[list[float]] | None = None) -> str:
    """The script's data part: defines ``x_train, y_train, x_test, y_test`` (features) and
    ``classes``, equal to what the lab trains on (``core.models.playground_config.data_for``)."""
    if config.dataset in ROW_SETS:
        source = _own_points(points or [], config.regression)
    else:
        gen = GENERATORS[config.dataset]
        source = (inspect.getsource(gen) + "\n\n"
                  f"rng = np.random.default_rng({config.seed})\n"
                  f"x, y = {gen.__name__}({config.points}, rng)\n"
                  f"x = x + rng.normal(0, {config.noise!r}, x.shape)  # noise\n"
                  f"order = rng.permutation({config.points})\n"
                  f"x, y = x[order].astype(np.float32), y[order].astype({'np.float32' if config.regression else 'np.int64'})\n")
    columns = ", ".join(FEATURES[f] for f in config.features)
    return (source +
            f"\n# a random {config.test_ratio:.0%} of the points are held out for testing\n"
            f"order = np.random.default_rng({config.seed + 1}).permutation(len(x))\n"
            f"n_test = min(len(x) - 1, max(1, round(len(x) * {config.test_ratio!r})))\n"
            "test, train = order[:n_test], order[n_test:]\n\n\n"
            "def features(x):\n"
            f"    return np.stack([{columns}], axis=1).astype(np.float32)\n\n\n"
            "x_train, y_train = features(x[train]), y[train]\n"
            "x_test, y_test = features(x[test]), y[test]\n"
            )


def _dense(units: int, activation: str, config: PlaygroundConfig) -> str:
    penalty = ""
    if config.regularization != "none":
        penalty = f", kernel_regularizer=keras.regularizers.{config.regularization.upper()}({config.reg_rate!r})"
    return f"    keras.layers.Dense({units}, activation=\"{activation}\"{penalty}),\n"


def keras_script(config: PlaygroundConfig, points: list[list[float]] | None = None) -> str:
    """A runnable Python script (numpy + Keras) training ``config``'s network on its data."""
    config = config.validate()
    _, y_train, _, y_test = data_for(config, points)  # checks own points too
    classes = 1 if config.regression else n_classes(np.concatenate([y_train, y_test]))
    layers = ""
    for i, units in enumerate(config.hidden):
        layers += _dense(units, config.activation, config)
        if i < len(config.dropout) and config.dropout[i] > 0:
            layers += f"    keras.layers.Dropout({config.dropout[i]!r}),\n"
    if config.regression:
        layers += _dense(1, "linear", config)
        loss, metrics = "mean_squared_error", "[]"
    else:
        layers += _dense(1, "sigmoid", config) if classes == 2 else _dense(classes, "softmax", config)
        loss = "binary_crossentropy" if classes == 2 else "sparse_categorical_crossentropy"
        metrics = '["accuracy"]'
    hidden = " × ".join(str(u) for u in config.hidden) or "no hidden layer"
    return (
        f'"""Neural Network Lab playground, exported: {config.dataset} data, {hidden}, {config.activation}.\n\n'
        f'Run: python this_file.py [EPOCHS]   (default {config.epochs})\n"""\n\n'
        "import sys\n\nimport keras\nimport numpy as np\n\n"
        f"EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else {config.epochs}\n"
        f"keras.utils.set_random_seed({config.seed})\n\n"
        "# ---------------------------------------------------------------- data\n\n"
        + data_code(config, points) +
        "\n# ---------------------------------------------------------------- model\n"
        f"model = keras.Sequential([\n    keras.Input(({len(config.features)},)),\n{layers}])\n"
        f"model.compile(optimizer=keras.optimizers.Adam({config.learning_rate!r}), loss=\"{loss}\",\n"
        f"              metrics={metrics})\n"
        f"history = model.fit(x_train, y_train, batch_size={config.batch_size}, epochs=EPOCHS,\n"
        "                    validation_data=(x_test, y_test), verbose=0)\n"
        "loss = history.history[\"loss\"]\n"
        "print(f\"train loss {loss[0]:.4f} -> {loss[-1]:.4f}\")\n"
        + ("print(f\"test loss (MSE) {model.evaluate(x_test, y_test, verbose=0):.4f}\")\n" if config.regression else
           "test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)\n"
           "print(f\"test loss {test_loss:.4f}, test accuracy {test_accuracy:.4f}\")\n"))
