"""The two-dimensional GAN's numpy side: the real distributions, the student's own points,
the grids the page draws, and two ways to say how far the fake points are from the real ones
(modes covered, sliced Wasserstein distance). Never TensorFlow, never Streamlit.
"""

from __future__ import annotations

import numpy as np

from core.errors import InputError, check_range

VIEW = 2.0  # the plane shows [-VIEW, VIEW]²
DATASETS = ("ring", "grid", "line", "moons")  # the presets; "own" = the points the student drew
OWN = "own"
NOISE = {"ring": 0.05, "grid": 0.05, "line": 0.05, "moons": 0.08}  # each preset's default spread
MAX_NOISE = 0.5
SAMPLES = (64, 128, 256, 512)  # sample counts offered on the page
MAX_OWN_POINTS = 200
MIN_OWN_POINTS = 3


def mode_centres(name: str) -> np.ndarray:
    """The centres ``(m, 2)`` of a preset made of separate Gaussians (ring: 8, grid: 25);
    an empty ``(0, 2)`` array for the line and the moons (they have no separate modes)."""
    if name == "ring":
        angle = np.arange(8) * (2 * np.pi / 8)
        return 1.4 * np.stack([np.cos(angle), np.sin(angle)], 1)
    if name == "grid":
        ticks = np.linspace(-1.4, 1.4, 5)
        xx, yy = np.meshgrid(ticks, ticks)
        return np.stack([xx.ravel(), yy.ravel()], 1)
    if name in DATASETS:
        return np.zeros((0, 2))
    raise InputError("playground.dataset", value=name, choices=", ".join(DATASETS))


def _base(name: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` noise-free points ``(n, 2)`` of a preset (ring and grid: the centres themselves)."""
    if name in ("ring", "grid"):
        centres = mode_centres(name)
        return centres[rng.integers(0, len(centres), n)]
    t = rng.uniform(0, 1, n)
    if name == "line":  # a segment across the plane, slanted so that neither axis alone explains it
        return np.stack([-1.5 + 3 * t, -0.75 + 1.5 * t], 1)
    if name == "moons":  # two interleaved half circles, centred on the origin
        upper = rng.random(n) < 0.5
        angle = np.pi * t
        x = np.where(upper, np.cos(angle), 1 - np.cos(angle)) - 0.5
        y = np.where(upper, np.sin(angle), 0.5 - np.sin(angle)) - 0.25
        return 1.1 * np.stack([x, y], 1)
    raise InputError("playground.dataset", value=name, choices=", ".join(DATASETS))


def real_points(name: str, n: int = 256, noise: float | None = None, seed: int = 0,
                own: list | None = None) -> np.ndarray:
    """``n`` real points ``(n, 2)`` float32: a preset, or the student's own points (``name ==
    "own"``) each repeated in turn, with Gaussian noise of standard deviation ``noise``
    (``None``: the preset's own spread) added. The same arguments give the same points."""
    check_range(n, "samples", 8, 4096)
    noise = NOISE.get(name, 0.05) if noise is None else noise
    check_range(float(noise), "noise", 0.0, MAX_NOISE, whole=False)
    check_range(seed, "seed", 0, 2**31 - 1)
    rng = np.random.default_rng(seed)
    if name == OWN:
        rows = np.asarray(own if own is not None else [], dtype=np.float64).reshape(-1, 2)
        if len(rows) < MIN_OWN_POINTS:
            raise InputError("gan2d.too_few", count=len(rows), low=MIN_OWN_POINTS)
        base = rows[np.arange(n) % len(rows)]
    else:
        base = _base(name, n, rng)
    return (base + rng.normal(0, noise, base.shape)).astype(np.float32)


def add_point(points: list[list[float]], x1: float, x2: float) -> list[list[float]]:
    """``points`` (rows ``[x1, x2]``) with one more, rounded to 3 decimals and checked."""
    for value in (x1, x2):
        check_range(float(value), "coordinate", -VIEW, VIEW, whole=False)
    if len(points) >= MAX_OWN_POINTS:
        raise InputError("playground.too_many_points", count=len(points) + 1, limit=MAX_OWN_POINTS)
    return [*points, [round(float(x1), 3), round(float(x2), 3)]]


def plane_grid(size: int = 41) -> tuple[np.ndarray, np.ndarray]:
    """The axis ``(size,)`` and the points ``(size*size, 2)`` where D's map is computed; point
    ``i*size + j`` is ``(axis[j], axis[i])`` (rows of the map go up the x₂ axis)."""
    axis = np.linspace(-VIEW, VIEW, size)
    xx, yy = np.meshgrid(axis, axis)
    return axis, np.stack([xx.ravel(), yy.ravel()], 1).astype(np.float32)


def latent_grid(lines: int = 11, per_line: int = 21, span: float = 1.0) -> np.ndarray:
    """Latent points ``(2*lines, per_line, 2)`` on the lines of a square grid over ``[-span, span]²``:
    first the ``lines`` horizontal lines, then the vertical ones. The generator maps each line
    to a curve; together the curves show how G bends the latent square (its manifold)."""
    ticks, along = np.linspace(-span, span, lines), np.linspace(-span, span, per_line)
    horizontal = np.stack(np.broadcast_arrays(along[None, :], ticks[:, None]), -1)
    vertical = horizontal[..., ::-1]
    return np.concatenate([horizontal, vertical]).astype(np.float32)


def mode_coverage(samples: np.ndarray, centres: np.ndarray, radius: float = 0.25,
                  min_share: float = 0.25) -> np.ndarray:
    """Which modes the samples cover, as booleans ``(m,)``.

    A mode counts as covered when at least ``min_share`` of its fair share of the samples
    (``len(samples) / m``) lies within ``radius`` of its centre: a few stray points near a
    mode do not count, a mode holding a quarter of what it should does.
    """
    samples, centres = np.asarray(samples, float).reshape(-1, 2), np.asarray(centres, float).reshape(-1, 2)
    if not len(centres):
        return np.zeros(0, bool)
    dist = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)  # (n, m)
    near = (dist <= radius).sum(0)
    return near >= min_share * len(samples) / len(centres)


def sliced_wasserstein(a: np.ndarray, b: np.ndarray, directions: int = 64, seed: int = 0) -> float:
    """The sliced Wasserstein-1 distance between two point clouds ``(n, 2)`` and ``(m, 2)``:
    project both on ``directions`` fixed unit vectors and average the 1-D Wasserstein
    distances (compared at the same quantiles). 0 for the same cloud; in plane units."""
    a, b = np.asarray(a, float).reshape(-1, 2), np.asarray(b, float).reshape(-1, 2)
    angle = np.random.default_rng(seed).uniform(0, np.pi, directions)
    units = np.stack([np.cos(angle), np.sin(angle)])  # (2, directions)
    q = (np.arange(200) + 0.5) / 200
    pa = np.quantile(a @ units, q, axis=0)  # (200, directions)
    pb = np.quantile(b @ units, q, axis=0)
    return float(np.abs(pa - pb).mean())
