"""Optimisers on 2-D loss surfaces, in numpy, written the way the course writes them.

Four surfaces (``SURFACES``): an ill-conditioned bowl, a saddle with two valleys, Rosenbrock's
banana valley, and the loss of a tiny real network (``ŷ = v·tanh(w·x)`` fitted to 40 points,
the two weights ``w`` and ``v`` as the two coordinates). Five update rules (``OPTIMISERS``):

- SGD:       ``Δθ = −η g``
- momentum:  ``v ← μ v − η g``, ``Δθ = v``
- Nesterov:  ``v ← μ v − η g``, ``Δθ = μ v − η g`` (Keras' form of the look-ahead gradient)
- RMSprop:   ``r ← ρ r + (1 − ρ) g⊙g``, ``Δθ = −η g / √(r + δ)``
- Adam:      ``s ← ρ₁ s + (1 − ρ₁) g``, ``r ← ρ₂ r + (1 − ρ₂) g⊙g``, ``ŝ = s/(1 − ρ₁ᵗ)``,
  ``r̂ = r/(1 − ρ₂ᵗ)``, ``Δθ = −η ŝ / (√r̂ + δ)``

The letters follow the course's Adam pseudocode (Goodfellow et al., algorithm 8.7: ``s``, ``r``,
``ρ₁``, ``ρ₂``, ``δ``); the step size is called ``η`` here as on the lab's other pages. Tests
check each rule against Keras' own optimiser on the same quadratic. No TensorFlow here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from core.errors import check_range

OPTIMISERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam")
BLOW_UP = 1e3  # a coordinate this large (the boxes span a few units) means the run diverged: it stops


@dataclass(frozen=True)
class Surface:
    """A 2-D loss ``f(θ)`` with its gradient, the box drawn, a start and the lowest point."""

    name: str
    f: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (x, y) arrays -> loss, same shape
    grad: Callable[[float, float], np.ndarray]  # one point -> gradient (2,)
    box: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max of the picture
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...]  # the lowest points (the saddle and the network have two)
    log_contours: bool = False  # Rosenbrock spans 0 … 2,500: contours of log(1 + f)
    defaults: dict = field(default_factory=dict)  # sliders' starting values for this surface


# ---------------------------------------------------------------- the surfaces
BOWL_K = 20.0  # the bowl is 20 times steeper along y than along x (condition number 20)


def _bowl(x, y):
    return 0.5 * (x ** 2 + BOWL_K * y ** 2)


def _saddle(x, y):
    # a saddle at (0, 0), two valleys at (0, ±1) where f = −0.25
    return 0.5 * x ** 2 + 0.25 * y ** 4 - 0.5 * y ** 2


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


# The tiny network: one hidden tanh unit, ŷ = v·tanh(w·x), mean squared error on 40 points of
# y = 0.8·tanh(2x). Its loss has a saddle at (0, 0) and two equal minima, (2, 0.8) and (−2, −0.8):
# flipping both signs gives the same network.
NET_X = np.linspace(-2.0, 2.0, 40)
NET_Y = 0.8 * np.tanh(2.0 * NET_X)


def _net(w, v):
    w, v = np.asarray(w, float), np.asarray(v, float)
    pred = v[..., None] * np.tanh(w[..., None] * NET_X)  # (..., 40)
    return np.mean((pred - NET_Y) ** 2, axis=-1)


def _net_grad(w: float, v: float) -> np.ndarray:
    h = np.tanh(w * NET_X)  # (40,) hidden unit's output
    err = v * h - NET_Y  # (40,)
    dw = np.mean(2 * err * v * (1 - h ** 2) * NET_X)
    dv = np.mean(2 * err * h)
    return np.array([dw, dv])


SURFACES: dict[str, Surface] = {
    "bowl": Surface("bowl", _bowl, lambda x, y: np.array([x, BOWL_K * y]), (-4.5, 4.5, -2.0, 2.0),
                    (-4.0, 1.5), ((0.0, 0.0),), defaults=dict(lr=0.07, lr_adaptive=0.2, momentum=0.6, steps=60)),
    "saddle": Surface("saddle", _saddle, lambda x, y: np.array([x, y ** 3 - y]), (-2.5, 2.5, -1.6, 1.6),
                      (2.0, 0.001), ((0.0, 1.0), (0.0, -1.0)), defaults=dict(lr=0.1, lr_adaptive=0.1, momentum=0.8, steps=50)),
    "rosenbrock": Surface("rosenbrock", _rosenbrock,
                          lambda x, y: np.array([-2 * (1 - x) - 400 * x * (y - x ** 2), 200 * (y - x ** 2)]),
                          (-2.0, 2.0, -1.0, 3.0), (-1.5, 2.0), ((1.0, 1.0),), log_contours=True,
                          defaults=dict(lr=0.001, lr_adaptive=0.1, momentum=0.9, steps=500)),
    "net": Surface("net", _net, _net_grad, (-3.0, 3.0, -2.0, 2.0), (-0.1, 1.8), ((2.0, 0.8), (-2.0, -0.8)),
                   defaults=dict(lr=0.1, lr_adaptive=0.05, momentum=0.8, steps=100)),
}


def surface(name: str) -> Surface:
    """The surface called ``name`` (one of ``SURFACES``)."""
    if name not in SURFACES:
        raise ValueError(f"unknown surface {name!r}; choose one of {sorted(SURFACES)}")
    return SURFACES[name]


@lru_cache(maxsize=8)
def grid(name: str, steps: int = 121) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The loss over the surface's box: ``xs (steps,)``, ``ys (steps,)``, ``z (steps, steps)``
    with ``z[i, j] = f(xs[j], ys[i])`` (rows are y, as a contour plot wants). Shared and cached."""
    s = surface(name)
    xs = np.linspace(s.box[0], s.box[1], steps)
    ys = np.linspace(s.box[2], s.box[3], steps)
    z = s.f(*np.meshgrid(xs, ys))
    z.flags.writeable = False
    return xs, ys, z


# ---------------------------------------------------------------- the update rules
@dataclass(frozen=True)
class Settings:
    """Hyper-parameters of a race. ``lr`` is η of SGD, momentum and Nesterov; ``lr_adaptive``
    is η of RMSprop and Adam (their steps are about η long whatever the gradient's size, so one
    η cannot suit both families); ``momentum`` is μ. ``rho`` is RMSprop's ρ, ``beta1``/``beta2``
    Adam's ρ₁/ρ₂, ``delta`` the small δ that keeps the division finite (Keras' default)."""

    lr: float = 0.05
    lr_adaptive: float = 0.1
    momentum: float = 0.9
    rho: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    delta: float = 1e-7

    def validate(self) -> Settings:
        check_range(self.lr, "learning_rate", 1e-6, 10.0, whole=False)
        check_range(self.lr_adaptive, "learning_rate", 1e-6, 10.0, whole=False)
        check_range(self.momentum, "momentum", 0.0, 0.999, whole=False)
        for value in (self.rho, self.beta1, self.beta2):
            check_range(value, "momentum", 0.0, 0.9999, whole=False)
        return self


def step(name: str, theta: np.ndarray, g: np.ndarray, state: dict, cfg: Settings) -> tuple[np.ndarray, dict, dict]:
    """One update of optimiser ``name`` at ``theta (2,)`` with gradient ``g (2,)``.

    ``state`` holds the optimiser's memory (empty at the start); returns the new θ, the new
    state and the numbers of this step (``g``, the memory, ``Δθ``) for the page to show.
    """
    if name == "sgd":
        update = -cfg.lr * g
        return theta + update, state, {"g": g, "update": update}
    if name in ("momentum", "nesterov"):
        v = cfg.momentum * state.get("v", np.zeros(2)) - cfg.lr * g
        update = v if name == "momentum" else cfg.momentum * v - cfg.lr * g
        return theta + update, {"v": v}, {"g": g, "v": v, "update": update}
    if name == "rmsprop":
        r = cfg.rho * state.get("r", np.zeros(2)) + (1 - cfg.rho) * g * g
        update = -cfg.lr_adaptive * g / np.sqrt(r + cfg.delta)  # Keras puts δ inside the root here
        return theta + update, {"r": r}, {"g": g, "r": r, "update": update}
    if name == "adam":
        t = state.get("t", 0) + 1
        s = cfg.beta1 * state.get("s", np.zeros(2)) + (1 - cfg.beta1) * g
        r = cfg.beta2 * state.get("r", np.zeros(2)) + (1 - cfg.beta2) * g * g
        s_hat, r_hat = s / (1 - cfg.beta1 ** t), r / (1 - cfg.beta2 ** t)  # bias correction
        update = -cfg.lr_adaptive * s_hat / (np.sqrt(r_hat) + cfg.delta)
        return theta + update, {"t": t, "s": s, "r": r}, {"g": g, "s": s, "r": r, "s_hat": s_hat,
                                                         "r_hat": r_hat, "update": update}
    raise ValueError(f"unknown optimiser {name!r}; choose one of {OPTIMISERS}")


@dataclass
class Path:
    """One optimiser's run: the points visited, the loss there, and each step's numbers."""

    points: np.ndarray  # (n + 1, 2): θ₀ … θₙ
    losses: np.ndarray  # (n + 1,)
    numbers: list[dict]  # n dicts of (2,) arrays: the numbers of step k (from θₖ to θₖ₊₁)
    diverged_at: int | None = None  # the step where a coordinate passed BLOW_UP

    @property
    def step_sizes(self) -> np.ndarray:
        """‖θₖ₊₁ − θₖ‖ for each step, ``(n,)``."""
        return np.linalg.norm(np.diff(self.points, axis=0), axis=1)


def run(surface_name: str, name: str, cfg: Settings, steps: int,
        start: Sequence[float] | None = None) -> Path:
    """``steps`` updates of optimiser ``name`` on the surface, from its start (or ``start``)."""
    s = surface(surface_name)
    check_range(steps, "steps", 1, 2000)
    theta = np.array(start if start is not None else s.start, dtype=float)
    points, numbers, state, diverged = [theta], [], {}, None
    for k in range(steps):
        g = s.grad(*theta)
        theta, state, nums = step(name, theta, g, state, cfg)
        points.append(theta)
        numbers.append(nums)
        if not np.all(np.isfinite(theta)) or np.abs(theta).max() > BLOW_UP:
            diverged = k + 1
            break
    pts = np.array(points)
    with np.errstate(over="ignore", invalid="ignore"):
        losses = np.asarray(s.f(pts[:, 0], pts[:, 1]), dtype=float)
    return Path(pts, losses, numbers, diverged)


def race(surface_name: str, names: Sequence[str], cfg: Settings, steps: int) -> dict[str, Path]:
    """The same start, the same number of steps, one path per optimiser in ``names``."""
    cfg = cfg.validate()
    return {name: run(surface_name, name, cfg, steps) for name in names}


def distance_to_minimum(surface_name: str, path: Path) -> float:
    """How far the path's last point is from the nearest lowest point of the surface."""
    last = path.points[-1]
    return float(min(np.linalg.norm(last - np.array(m)) for m in surface(surface_name).minima))
