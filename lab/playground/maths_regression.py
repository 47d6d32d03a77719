"""Regression on the playground, numpy only: data from a function the student types, the
mean squared error, and the surface's "discretize" switch.

The two built-in regression sets (``reg-plane``, ``reg-gauss``) live with the other data sets
in ``core.maths.playground.make_dataset`` (the training job regenerates them); a typed
function and a CSV file with a numeric third column reach the job as rows ``[x1, x2, value]``,
like the student's own points.
"""

from __future__ import annotations

import numpy as np

from core.errors import check_range
from core.maths.playground import MAX_NOISE, MAX_POINTS
from lab.playground.expression import parse

EXAMPLES = ("x1 * x2", "sin(pi * x1) * cos(pi * x2)", "x1^2 - x2^2", "exp(-4 * (x1^2 + x2^2))")


def function_rows(text: str, n: int, noise: float, seed: int) -> tuple[list[list[float]], float]:
    """``n`` rows ``[x1, x2, value]`` of the formula ``text`` at uniform points of [-1, 1]², with
    gaussian ``noise`` on the coordinates (the value is the clean point's), and the factor the
    values were divided by to fit in [-1, 1] (1 when they already did).

    Raises an ``InputError`` for a formula that is not allowed or not finite at some point.
    """
    f = parse(text)
    check_range(n, "points", 4, MAX_POINTS)
    check_range(float(noise), "noise", 0.0, MAX_NOISE, whole=False)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 2))
    y = f(x[:, 0], x[:, 1])
    scale = max(1.0, float(np.abs(y).max()))
    x = x + rng.normal(0, noise, x.shape)
    rows = np.column_stack([x.round(4), (y / scale).round(4)])
    return rows.tolist(), scale


def mse(predictions: np.ndarray, values: np.ndarray) -> float:
    """Mean squared error of ``predictions`` ``(N,)`` or ``(N, 1)`` against ``values`` ``(N,)``."""
    p = np.asarray(predictions, dtype=np.float64).reshape(-1)
    return float(np.mean((p - np.asarray(values, dtype=np.float64).reshape(-1)) ** 2))


def discretize(surface: np.ndarray, regression: bool) -> np.ndarray:
    """The surface as the network's hard answer: regression values to -1 or 1 by their sign,
    p(class 1) ``(S, S)`` to 0 or 1, a softmax ``(S, S, 3)`` to one-hot."""
    surface = np.asarray(surface, dtype=np.float32)
    if regression:
        return np.where(surface >= 0, 1.0, -1.0).astype(np.float32)
    if surface.ndim == 2:
        return (surface >= 0.5).astype(np.float32)
    return np.eye(surface.shape[-1], dtype=np.float32)[surface.argmax(-1)]
