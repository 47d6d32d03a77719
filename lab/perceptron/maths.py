"""The classic perceptron learning rule and the course's hand-made XOR network (numpy only).

The perceptron computes ``z = b + w1*x1 + w2*x2`` and answers ``1`` when ``z >= 0``. After
each example it moves its weights by ``lr * (y - y_hat)`` times the input (the bias's input
is 1). On linearly separable gates (AND, OR, NAND) this stops changing after a few epochs;
on XOR it can only go round in circles, which ``train_perceptron`` detects. Training
also stops at an epoch cap (``MAX_EPOCHS``), which it reports apart from a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.errors import InputError, check_range

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
GATES: dict[str, np.ndarray] = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "NAND": np.array([1, 1, 1, 0]),
    "XOR": np.array([0, 1, 1, 0]),
}
# Bounds: the history keeps one row per example shown (max_epochs × examples rows at most).
MAX_EPOCHS = 1000
MAX_EXAMPLES = 16
LR_RANGE = (1e-10, 100.0)  # updates are kept to 12 decimals: much smaller steps would vanish
START_RANGE = 1000.0  # |starting weight|, |bias|
DECIMALS = 12
HISTORY_KEYS = ("epoch", "x1", "x2", "b", "w1", "w2", "z", "y_hat", "y", "db", "dw1", "dw2")


@dataclass
class PerceptronRun:
    """What ``train_perceptron`` did, step by step."""

    converged: bool
    history: list[dict[str, float]]  # one row per example shown, keys HISTORY_KEYS
    b: float  # final weights
    w: tuple[float, float]
    epochs: int  # epochs run
    cycle_from: int | None = None  # on a cycle: the earlier epoch whose start weights came back
    cycle_length: int | None = None  # epochs per lap of the cycle
    starts: list[tuple[float, float, float]] = field(default_factory=list)  # (b, w1, w2) per epoch
    max_epochs: int = MAX_EPOCHS  # the cap this run had

    @property
    def outcome(self) -> str:
        """``"converged"``, ``"cycle"`` (never will), or ``"epoch_limit"`` (no convergence within ``max_epochs``)."""
        if self.converged:
            return "converged"
        return "cycle" if self.cycle_from is not None else "epoch_limit"


def _key(b: float, w: np.ndarray) -> tuple[float, float, float]:
    # The weights exactly as kept (rounded to DECIMALS after every update, so that 0.1 + 0.2
    # and 0.3 are the same weights). No coarser rounding here: with a small learning rate,
    # rounding to fewer decimals than the updates would make distinct weights look equal
    # and report a cycle that is not there.
    return (float(b), float(w[0]), float(w[1]))


def train_perceptron(X: np.ndarray, y: np.ndarray, *, lr: float = 0.3, w0=(1.0, 1.0), b0: float = 1.0,
                     max_epochs: int = 50) -> PerceptronRun:
    """Run the perceptron rule over the rows of ``X`` (N, 2) in order, epoch after epoch.

    Stops when an epoch changes nothing (converged), when an epoch starts from weights
    already seen at the start of an earlier epoch (a cycle: it will never converge), or
    after ``max_epochs`` (``outcome == "epoch_limit"``). Each history row holds the
    weights *before* the update and the update made. Raises ``InputError`` for a
    learning rate, epoch count, starting value or number of examples out of range.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y).astype(int)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) != len(y) or len(X) == 0:
        raise InputError("perceptron.shape", x_shape=tuple(X.shape), y_shape=tuple(y.shape))
    check_range(len(X), "examples", 1, MAX_EXAMPLES)
    lr = float(check_range(lr, "learning_rate", *LR_RANGE, whole=False))
    max_epochs = int(check_range(max_epochs, "epochs", 1, MAX_EPOCHS))
    for start in (b0, *w0):
        check_range(start, "start_weight", -START_RANGE, START_RANGE, whole=False)
    b, w = round(float(b0), DECIMALS), np.round(np.array(w0, dtype=float), DECIMALS)
    history: list[dict[str, float]] = []
    seen: dict[tuple[float, float, float], int] = {}
    starts = []
    for epoch in range(1, max_epochs + 1):
        key = _key(b, w)
        if key in seen:
            return PerceptronRun(False, history, b, (float(w[0]), float(w[1])), epoch - 1, seen[key],
                                 epoch - seen[key], starts, max_epochs)
        seen[key] = epoch
        starts.append(key)
        changed = False
        for x, target in zip(X, y):
            # Rounded: weights are sums of multiples of lr, and binary round-off
            # (-0.8 + 0.4 + 0.4 = -1e-16) must not flip the step at exactly z = 0.
            z = round(b + float(w @ x), 10)
            y_hat = int(z >= 0)
            delta = lr * (target - y_hat)
            db, dw = delta, delta * x
            row = (epoch, x[0], x[1], b, w[0], w[1], z, y_hat, int(target), db, dw[0], dw[1])
            history.append({k: (int(v) if k in ("epoch", "y_hat", "y") else float(v) + 0.0)
                            for k, v in zip(HISTORY_KEYS, row)})
            if delta != 0:
                changed = True
                b, w = round(b + db, DECIMALS), np.round(w + dw, DECIMALS)
        if not changed:
            return PerceptronRun(True, history, b, (float(w[0]), float(w[1])), epoch, starts=starts,
                                 max_epochs=max_epochs)
    return PerceptronRun(False, history, b, (float(w[0]), float(w[1])), max_epochs, starts=starts,
                         max_epochs=max_epochs)


def decision_line(b: float, w1: float, w2: float, x1: np.ndarray) -> np.ndarray | None:
    """``x2`` on the line ``b + w1*x1 + w2*x2 = 0`` at the given ``x1`` (None if w2 == 0)."""
    if abs(w2) < 1e-12:
        return None
    return -(b + w1 * np.asarray(x1, dtype=float)) / w2


XOR_THETA1 = np.array([[1.0, 1.0], [1.0, 1.0]])  # input -> hidden weights (2 x 2)
XOR_C = np.array([0.0, -1.0])  # hidden biases
XOR_THETA2 = np.array([1.0, -2.0])  # hidden -> output weights
XOR_B = 0.0


def xor_mlp_forward(X: np.ndarray = INPUTS, theta1: np.ndarray = XOR_THETA1, c: np.ndarray = XOR_C,
                    theta2: np.ndarray = XOR_THETA2, b: float = XOR_B) -> dict[str, np.ndarray]:
    """The course's 2-2-1 ReLU network ``y = theta2 . relu(X theta1 + c) + b``.

    Returns every intermediate for display: ``XW`` (N, 2), ``pre`` = XW + c (N, 2),
    ``hidden`` = relu(pre) (N, 2) and ``output`` (N,).
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2), got {X.shape}")
    xw = X @ np.asarray(theta1, dtype=float)
    pre = xw + np.asarray(c, dtype=float)
    hidden = np.maximum(pre, 0.0)
    output = hidden @ np.asarray(theta2, dtype=float) + b
    return {"X": X, "XW": xw, "pre": pre, "hidden": hidden, "output": output}


def xor_output_line(theta2: np.ndarray = XOR_THETA2, b: float = XOR_B,
                    threshold: float = 0.5) -> tuple[float, float, float]:
    """The output unit's decision line in the hidden space ``(h1, h2)``.

    The network answers 1 where ``theta2 . h + b >= threshold``, i.e. on one side of the
    line ``(b - threshold) + theta2[0] h1 + theta2[1] h2 = 0``. Returned as ``(bias, w1,
    w2)``, the form ``decision_line`` and the plots take: ``(-0.5, 1, -2)`` for the course's
    network, which separates XOR's hidden points.
    """
    theta2 = np.asarray(theta2, dtype=float).reshape(-1)
    if theta2.shape != (2,):
        raise ValueError(f"the output weights must be 2 numbers, got shape {theta2.shape}")
    return float(b - threshold), float(theta2[0]), float(theta2[1])


GRID_STEPS = 41  # decision-boundary heatmap resolution over [-0.5, 1.5]^2


def grid_points() -> tuple[np.ndarray, np.ndarray]:
    """The heatmap axis ``(GRID_STEPS,)`` and all grid points ``(GRID_STEPS**2, 2)``."""
    axis = np.linspace(-0.5, 1.5, GRID_STEPS)
    xx, yy = np.meshgrid(axis, axis)
    return axis, np.stack([xx.ravel(), yy.ravel()], axis=1).astype("float32")
