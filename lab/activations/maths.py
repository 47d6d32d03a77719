"""Activation functions and their derivatives (numpy only), as a registry of named entries.

Each entry has a vectorised ``f(x, **params)``, its derivative ``df(x, **params)``, a LaTeX
formula and its default parameters. The page overlays them; the tests compare them with
``keras.activations`` and with finite differences.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

_erf = np.frompyfunc(math.erf, 1, 1)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # Two branches so that exp never overflows for large |x|.
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def _phi(x: np.ndarray) -> np.ndarray:  # standard normal CDF
    return 0.5 * (1.0 + _erf(np.asarray(x, dtype=float) / math.sqrt(2.0)).astype(float))


def _pdf(x: np.ndarray) -> np.ndarray:  # standard normal density
    return np.exp(-0.5 * np.asarray(x, dtype=float) ** 2) / math.sqrt(2.0 * math.pi)


@dataclass(frozen=True)
class Activation:
    """One activation function: value, derivative, formula, parameters."""

    name: str
    f: Callable[..., np.ndarray]
    df: Callable[..., np.ndarray]
    latex: str
    params: dict[str, float] = field(default_factory=dict)
    saturates: bool = False  # derivative goes to 0 for large |x| (sigmoid, tanh)


FUNCTIONS: dict[str, Activation] = {a.name: a for a in [
    Activation("step", lambda x: (np.asarray(x, float) >= 0).astype(float),
               lambda x: np.zeros_like(np.asarray(x, float)),
               r"f(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}"),
    Activation("linear", lambda x: np.asarray(x, float), lambda x: np.ones_like(np.asarray(x, float)),
               r"f(x) = x"),
    Activation("relu", lambda x: np.maximum(np.asarray(x, float), 0.0),
               lambda x: (np.asarray(x, float) > 0).astype(float), r"f(x) = \max(0, x)"),
    Activation("leaky_relu",
               lambda x, slope=0.2: np.where(np.asarray(x, float) > 0, x, slope * np.asarray(x, float)),
               lambda x, slope=0.2: np.where(np.asarray(x, float) > 0, 1.0, slope),
               r"f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}", {"slope": 0.2}),
    Activation("sigmoid", _sigmoid, lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)),
               r"\sigma(x) = \frac{1}{1 + e^{-x}}", saturates=True),
    Activation("tanh", lambda x: np.tanh(np.asarray(x, float)),
               lambda x: 1.0 - np.tanh(np.asarray(x, float)) ** 2,
               r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", saturates=True),
    Activation("elu",
               lambda x, alpha=1.0: np.where(np.asarray(x, float) > 0, x,
                                             alpha * np.expm1(np.minimum(np.asarray(x, float), 0))),
               lambda x, alpha=1.0: np.where(np.asarray(x, float) > 0, 1.0,
                                             alpha * np.exp(np.minimum(np.asarray(x, float), 0))),
               r"f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}", {"alpha": 1.0}),
    Activation("gelu", lambda x: np.asarray(x, float) * _phi(x),
               lambda x: _phi(x) + np.asarray(x, float) * _pdf(x),
               r"f(x) = x \, \Phi(x)"),
    Activation("swish", lambda x: np.asarray(x, float) * _sigmoid(x),
               lambda x: _sigmoid(x) + np.asarray(x, float) * _sigmoid(x) * (1.0 - _sigmoid(x)),
               r"f(x) = x \, \sigma(x)"),
]}


def get(name: str) -> Activation:
    """The registry entry called ``name``; ``ValueError`` lists the choices otherwise."""
    if name not in FUNCTIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(FUNCTIONS)}")
    return FUNCTIONS[name]


def softmax(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Softmax of ``z / temperature`` along the last axis, stable for huge logits."""
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    z = np.asarray(z, dtype=float)
    # The largest logit becomes 0 *before* dividing by T: exp never overflows, and huge finite
    # logits (1e308 at T = 0.1) never become inf - inf = nan.
    with np.errstate(over="ignore"):  # a gap beyond the float range is -inf: exp gives 0
        z = (z - z.max(axis=-1, keepdims=True)) / temperature
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


LOGIT_COUNT = (2, 12)  # how many logits the softmax demo takes


class LogitsError(ValueError):
    """Logits text that cannot be used. ``reason`` is ``"bad_logits"`` (a piece is not a
    number), ``"count"`` (not 2-12 numbers) or ``"not_finite"`` (nan or infinity);
    ``value`` is the offending piece, ``count`` how many numbers were given."""

    def __init__(self, reason: str, message: str, value: str = "", count: int = 0):
        super().__init__(message)
        self.reason, self.value, self.count = reason, value, count


def parse_logits(text: str) -> np.ndarray:
    """``"2.0, 1.0; -1"`` -> ``array([2., 1., -1.])``: numbers separated by commas or semicolons.

    Raises ``LogitsError`` naming the piece that is not a finite number, or the count
    when it is outside ``LOGIT_COUNT``."""
    pieces = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    values = []
    for piece in pieces:
        try:
            values.append(float(piece))
        except ValueError:
            raise LogitsError("bad_logits", f"{piece!r} in {text!r} is not a number", piece) from None
        if not np.isfinite(values[-1]):
            raise LogitsError("not_finite", f"logit {piece!r} is not a finite number", piece)
    low, high = LOGIT_COUNT
    if not low <= len(values) <= high:
        raise LogitsError("count", f"give between {low} and {high} logits, got {len(values)}",
                          count=len(values))
    return np.array(values)


def derivative_chain(name: str, layers: int, x: float = 0.0, **params: float) -> np.ndarray:
    """Running product of ``df(x)`` through 1..``layers`` layers at the pre-activation ``x``.

    A cartoon of back-propagation: the gradient reaching layer k from the output is
    scaled by the product of k derivatives (weights of 1 assumed). For the sigmoid the
    best case, x = 0, gives 0.25 per layer.
    """
    if layers < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    d = float(np.asarray(get(name).df(np.array([x], float), **params))[0])
    return np.cumprod(np.full(layers, d))
