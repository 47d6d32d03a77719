"""The playground's settings in one typed value: data set, network and training.

``PlaygroundConfig`` is what the page's controls return and what a training job gets
(``asdict``: JSON values). A shared link keeps the controls in the URL: they are bound to
it (``lab.playground.view_controls.LINK_KEYS``, ``ui.links``). Pure Python: no Keras here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

from core.errors import InputError, check_range
from core.maths.playground import (
    DATASETS,
    MAX_NOISE,
    REGRESSION_SETS,
    as_arrays,
    check_features,
    make_dataset,
    split,
)

OWN = "own"  # the student's own points (clicked or uploaded): not a generator
FUNCTION = "reg-function"  # regression on a formula the student types (rows made by the page)
OWN_VALUES = "reg-own"  # regression on a CSV file with a numeric third column
ROW_SETS = (OWN, FUNCTION, OWN_VALUES)  # data the job gets as rows [x1, x2, label or value]
REGRESSION = (*REGRESSION_SETS, FUNCTION, OWN_VALUES)
ALL_SETS = (*DATASETS, OWN, *REGRESSION)
DROPOUT_RATES = (0.0, 0.1, 0.2, 0.3, 0.5)
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
REGULARIZATIONS = ("none", "l1", "l2")
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
REG_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64)
POINT_COUNTS = (100, 200, 400, 800)
MAX_LAYERS, MAX_UNITS, MAX_EPOCHS = 4, 16, 2000


@dataclass(frozen=True)
class PlaygroundConfig:
    """Everything a student sets on the playground page (the defaults are what they see first)."""

    dataset: str = "circle"
    points: int = 400
    noise: float = 0.0
    test_ratio: float = 0.3
    seed: int = 0
    features: tuple[str, ...] = ("x1", "x2", "sin_x1", "sin_x2")  # the spiral needs these or many epochs
    hidden: tuple[int, ...] = (8, 8, 8)
    activation: str = "tanh"
    learning_rate: float = 0.03
    batch_size: int = 16
    regularization: str = "none"
    reg_rate: float = 0.001
    epochs: int = 200  # per press of "Train": a paused run continues for this many more
    dropout: tuple[float, ...] = ()  # per hidden layer (missing: 0); only while training
    expression: str = "x1 * x2"  # the formula of the "reg-function" data set

    @property
    def regression(self) -> bool:
        """Whether the data has a value per point (MSE, linear output) rather than a class."""
        return self.dataset in REGRESSION

    def validate(self) -> PlaygroundConfig:
        """The config itself, or an ``InputError`` naming the first bad value and its range."""
        if self.dataset not in ALL_SETS:
            raise InputError("playground.dataset", value=self.dataset, choices=", ".join(ALL_SETS))
        check_range(self.points, "points", 20, 2000)
        check_range(self.noise, "noise", 0.0, MAX_NOISE, whole=False)
        check_range(self.test_ratio, "test_ratio", 0.1, 0.9, whole=False)
        check_range(self.seed, "seed", 0, 2**31 - 1)
        check_features(self.features)
        check_range(len(self.hidden), "layers", 0, MAX_LAYERS)
        for units in self.hidden:
            check_range(units, "hidden", 1, MAX_UNITS)
        for value, allowed, code in ((self.activation, ACTIVATIONS, "activation"),
                                     (self.regularization, REGULARIZATIONS, "regularization")):
            if value not in allowed:
                raise InputError(f"playground.{code}", value=value, choices=", ".join(allowed))
        check_range(self.learning_rate, "learning_rate", 1e-5, 3.0, whole=False)
        check_range(self.batch_size, "batch_size", 1, 256)
        check_range(self.reg_rate, "reg_rate", 0.0, 1.0, whole=False)
        check_range(self.epochs, "epochs", 1, MAX_EPOCHS)
        check_range(len(self.dropout), "layers", 0, MAX_LAYERS)
        for rate in self.dropout:
            check_range(float(rate), "dropout", 0.0, 0.9, whole=False)
        return self

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> PlaygroundConfig:
        """Back from ``asdict`` or ``as_job_config`` (JSON turns tuples into lists; the job's
        ``own_points`` and ``start`` are skipped). An unknown key is a ``ValueError``."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known - {"own_points", "start"})
        if unknown:
            raise ValueError(f"unknown playground settings {unknown}; allowed {sorted(known)}")
        kept = {k: v for k, v in values.items() if k in known}
        for key in ("features", "hidden", "dropout"):
            if key in kept:
                kept[key] = tuple(kept[key])
        return cls(**kept)

    def same_model(self, other: PlaygroundConfig) -> bool:
        """Whether a network trained under ``other`` fits this config (same data, inputs and
        layers): then training may go on from its weights."""
        shape = ("dataset", "points", "noise", "test_ratio", "seed", "features", "hidden", "activation",
                 "expression")
        return all(getattr(self, k) == getattr(other, k) for k in shape)

    def as_job_config(self, **extra: Any) -> dict[str, Any]:
        """JSON values for ``registry.submit``: the settings plus ``extra`` (own points, start state)."""
        return {**asdict(self), **extra}


def data_for(config: PlaygroundConfig, points: list[list[float]] | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(x_train, y_train, x_test, y_test)`` of ``config``: its data set, or ``points`` (rows
    ``[x1, x2, label]``, or ``[x1, x2, value]`` for regression) for a data set in ``ROW_SETS``."""
    if config.dataset in ROW_SETS:
        x, y = as_arrays(points or [], values=config.regression)
    else:
        x, y = make_dataset(config.dataset, config.points, config.noise, config.seed)
    return split(x, y, config.test_ratio, config.seed)
