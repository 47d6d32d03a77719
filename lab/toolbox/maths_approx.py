"""One hidden layer fitting a 1-D function as units are added, and batch normalisation's formula.

Universal approximation (the course: one hidden layer, finitely many units, a non-polynomial
activation, any continuous function on a closed interval). The theorem says such weights
exist, not how to find them; here the hidden units are placed by hand (steps or kinks spread
over [−1, 1], see ``centres``) and only the output layer is solved, by least squares. Each unit then adds
one step (sigmoid, tanh) or one kink (ReLU) to the curve, and the error falls as units are added.

``batch_norm`` is the course's normalisation of one layer's values over a batch (Ioffe and
Szegedy's algorithm): the batch's mean and variance while training, the moving averages at
test time, then ``γ x̂ + β``. No TensorFlow here; tests compare it with Keras' layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.errors import check_range

TARGETS = {
    "wave": lambda x: np.sin(2.5 * np.pi * x),
    "abs": lambda x: np.abs(x),
    "bumps": lambda x: np.exp(-20 * (x - 0.4) ** 2) - 0.6 * np.exp(-30 * (x + 0.3) ** 2),
    "step": lambda x: (x > 0).astype(float),  # not continuous: the theorem does not promise it
}
ACTIVATIONS = ("sigmoid", "tanh", "relu")
MAX_UNITS = 60
X_FIT = np.linspace(-1.0, 1.0, 201)  # the points the output layer is fitted on
X_TEST = np.linspace(-1.0, 1.0, 1001)  # the error is measured between them too


SLOPE = 12.0  # k of the sigmoid and tanh units: each step rises over about a sixth of [−1, 1]
RIDGE = 1e-6  # a whisper of ridge regression: without it the weights of many overlapping units cancel in ±10⁴ pairs


def centres(units: int) -> np.ndarray:
    """Where the first ``units`` hidden units sit in [−1, 1], ``(units,)``: 0, −½, ½, −¾, −¼, ¼, ¾, …

    The van der Corput sequence: every new unit lands in the widest gap left, and the first ``n``
    units are the same whatever comes later, so adding a unit never takes one away."""
    out = np.empty(units)
    for i in range(units):
        value, scale, k = 0.0, 1.0, i + 1
        while k:
            scale /= 2
            value += scale * (k % 2)
            k //= 2
        out[i] = value
    return 2 * out - 1


def hidden(x: np.ndarray, units: int, activation: str) -> np.ndarray:
    """The hidden layer's outputs ``(len(x), units)``: unit ``i`` is ``act(k (x − cᵢ))`` with the
    centres of ``centres`` and ``k = SLOPE`` (ReLU: ``max(0, x − cᵢ)``, a kink at ``cᵢ``)."""
    check_range(units, "units", 1, MAX_UNITS)
    z = np.asarray(x, dtype=float)[:, None] - centres(units)  # (len(x), units)
    if activation == "relu":
        return np.maximum(0.0, z)
    if activation == "sigmoid":
        return 1.0 / (1.0 + np.exp(-SLOPE * z))
    if activation == "tanh":
        return np.tanh(SLOPE * z)
    raise ValueError(f"unknown activation {activation!r}; choose one of {ACTIVATIONS}")


@dataclass
class Fit:
    """One hidden layer of ``units`` fitted to a target: output weights, curves and error."""

    units: int
    weights: np.ndarray  # (units,) output weights aᵢ
    bias: float  # output bias b
    x: np.ndarray  # (m,) where the curves are drawn
    target: np.ndarray  # (m,)
    output: np.ndarray  # (m,) b + Σ aᵢ hᵢ(x)
    contributions: np.ndarray  # (m, units): aᵢ hᵢ(x), each unit's part of the output
    rmse: float  # root mean squared error on X_TEST


def fit(target: str, units: int, activation: str = "sigmoid") -> Fit:
    """Least-squares output layer ``ŷ = b + Σ aᵢ hᵢ(x)`` over the first ``units`` hand-placed units."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; choose one of {sorted(TARGETS)}")
    f = TARGETS[target]
    design = np.column_stack([np.ones_like(X_FIT), hidden(X_FIT, units, activation)])  # (201, units + 1)
    penalty = RIDGE * len(X_FIT) * np.eye(units + 1)
    penalty[0, 0] = 0.0  # the bias is not held back
    coef = np.linalg.solve(design.T @ design + penalty, design.T @ f(X_FIT))  # least squares (+ ridge)
    bias, weights = float(coef[0]), coef[1:]
    h = hidden(X_TEST, units, activation)  # (1001, units)
    contributions = h * weights
    output = bias + contributions.sum(axis=1)
    rmse = float(np.sqrt(np.mean((output - f(X_TEST)) ** 2)))
    return Fit(units, weights, bias, X_TEST, f(X_TEST), output, contributions, rmse)


def error_by_units(target: str, activation: str, max_units: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """``units (n,)`` from 1 to ``max_units`` and the fit's error ``rmse (n,)`` for each."""
    units = np.arange(1, max_units + 1)
    return units, np.array([fit(target, int(n), activation).rmse for n in units])


# ---------------------------------------------------------------- batch normalisation
def batch_norm(z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, epsilon: float = 1e-3,
               mean: np.ndarray | None = None, variance: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Normalise ``z (batch, units)`` unit by unit, then scale by ``γ`` and shift by ``β``.

    Training (``mean``/``variance`` not given): the batch's own mean ``μ_B`` and variance
    ``σ²_B = mean((z − μ_B)²)`` (divided by the batch size, as the course writes it). Test
    time: the moving averages passed in. Returns ``(γ x̂ + β, μ used, σ² used)``; ``epsilon``
    is Keras' default 0.001.
    """
    z = np.asarray(z, dtype=float)
    if mean is None or variance is None:
        mean, variance = z.mean(axis=0), z.var(axis=0)  # (units,) each; np.var divides by n
    x_hat = (z - mean) / np.sqrt(variance + epsilon)
    return gamma * x_hat + beta, np.asarray(mean), np.asarray(variance)


def moving_average(moving: np.ndarray, batch_value: np.ndarray, momentum: float = 0.99) -> np.ndarray:
    """One update of a moving average as Keras keeps it: ``m ← momentum·m + (1 − momentum)·value``."""
    return momentum * moving + (1 - momentum) * batch_value
