"""The playground's data: six 2-D data sets, a train/test split, extra input features,
your own points (clicked or from a CSV file), and the grid the decision surface is drawn on.

Pure numpy (no TensorFlow): the page imports this at once, Keras only when it trains.
Points are ``(n, 2)`` float32 in about [-1, 1]², labels ``(n,)`` integers 0, 1 (and 2 for
``blobs3`` and own data with a third class). The two regression sets (``reg-plane``,
``reg-gauss``) give a float value in [-1, 1] per point instead of a label.

Each generator is a self-contained function of ``(n, rng)`` using numpy only, so that
"Show as Keras code" can copy its source into the exported script and get the same points.
"""

from __future__ import annotations

import math
import re

import numpy as np

from core.errors import InputError, check_range

DATASETS = ("circle", "xor", "gauss", "spiral", "moons", "blobs3")
MAX_POINTS = 5000  # own data: rows of a CSV file or clicked points
MAX_CSV_BYTES = 512 * 1024
MAX_CSV_VALUE = 1e6  # a coordinate or value; far beyond it, scaling would squash every other point to 0
MAX_NOISE = 0.5
GRID_STEPS = 40  # decision surface and neuron pictures: 40 x 40 values
GRID_RANGE = 1.2  # the surface covers [-1.2, 1.2]²: the points plus their noise


def circle(n, rng):
    """Class 0 inside radius 0.5, class 1 on a ring between radius 0.7 and 1."""
    half = n // 2
    r = np.concatenate([rng.uniform(0, 0.5, half), rng.uniform(0.7, 1.0, n - half)])
    a = rng.uniform(0, 2 * np.pi, n)
    return np.stack([r * np.cos(a), r * np.sin(a)], 1), (np.arange(n) >= half).astype(int)


def xor(n, rng):
    """Uniform in the square, kept 0.05 off the axes; class 1 where x1 and x2 differ in sign."""
    u = rng.uniform(-1, 1, (n, 2))
    x = np.sign(u) * (0.05 + 0.95 * np.abs(u))
    return x, (x[:, 0] * x[:, 1] < 0).astype(int)


def gauss(n, rng):
    """Two round gaussian clouds (std 0.18) around (-0.45, -0.45) and (0.45, 0.45)."""
    half = n // 2
    y = (np.arange(n) >= half).astype(int)
    centres = np.where(y[:, None] == 1, 0.45, -0.45)
    return centres + rng.normal(0, 0.18, (n, 2)), y


def spiral(n, rng):
    """Two interleaved spirals of 1.75 turns; radius grows from 0 to 1 along each arm."""
    half = n // 2
    y = (np.arange(n) >= half).astype(int)
    s = np.concatenate([np.arange(half) / half, np.arange(n - half) / (n - half)])  # 0..1 along an arm
    a = 1.75 * 2 * np.pi * s + np.pi * y
    return np.stack([s * np.sin(a), s * np.cos(a)], 1), y


def moons(n, rng):
    """Two interleaving half circles (as scikit-learn's make_moons), scaled by 1/1.5 and centred."""
    half = n // 2
    y = (np.arange(n) >= half).astype(int)
    a = rng.uniform(0, np.pi, n)
    x = np.where(y[:, None] == 0, np.stack([np.cos(a), np.sin(a)], 1),
                 np.stack([1 - np.cos(a), 0.5 - np.sin(a)], 1))
    return (x - [0.5, 0.25]) / 1.5, y


def blobs3(n, rng):
    """Three gaussian clouds (std 0.16) at radius 0.55, at 90°, 210° and 330°: three classes."""
    y = np.arange(n) * 3 // n
    angle = np.pi / 2 + y * 2 * np.pi / 3
    centres = 0.55 * np.stack([np.cos(angle), np.sin(angle)], 1)
    return centres + rng.normal(0, 0.16, (n, 2)), y


def reg_plane(n, rng):
    """Uniform in the square; the value rises along the diagonal: (x1 + x2) / 2, from -1 to 1."""
    x = rng.uniform(-1, 1, (n, 2))
    return x, (x[:, 0] + x[:, 1]) / 2


def reg_gauss(n, rng):
    """Uniform in the square; six bumps (two rows of three, signs alternating like a chessboard),
    each 1 at its centre falling to 0 at distance 0.35; the value is the strongest bump's."""
    x = rng.uniform(-1, 1, (n, 2))
    cx, cy = np.meshgrid([-0.65, 0.0, 0.65], [0.4, -0.4])
    sign = np.array([[1, -1, 1], [-1, 1, -1]])
    d = np.hypot(x[:, None, 0] - cx.ravel(), x[:, None, 1] - cy.ravel())  # (n, 6)
    bumps = sign.ravel() * np.clip(1 - d / 0.35, 0, 1)
    return x, bumps[np.arange(n), np.abs(bumps).argmax(1)]


GENERATORS = {"circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral, "moons": moons, "blobs3": blobs3,
              "reg-plane": reg_plane, "reg-gauss": reg_gauss}
REGRESSION_SETS = ("reg-plane", "reg-gauss")


def make_dataset(name: str, n: int = 400, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points of data set ``name`` with gaussian ``noise`` (std) added to the coordinates.

    Returns points ``(n, 2)`` float32 in about [-1, 1]² and integer labels ``(n,)``, shuffled
    (a regression set, ``REGRESSION_SETS``: float32 values ``(n,)`` in [-1, 1] instead).
    Labels and values come from the clean points: noise moves points across the true boundary.
    """
    if name not in GENERATORS:
        raise InputError("playground.dataset", value=name, choices=", ".join((*DATASETS, *REGRESSION_SETS)))
    check_range(n, "points", 4, MAX_POINTS)
    check_range(float(noise), "noise", 0.0, MAX_NOISE, whole=False)
    rng = np.random.default_rng(seed)
    x, y = GENERATORS[name](n, rng)
    x = x + rng.normal(0, noise, x.shape)
    order = rng.permutation(n)
    return x[order].astype(np.float32), y[order].astype(np.float32 if name in REGRESSION_SETS else np.int64)


def n_classes(y: np.ndarray) -> int:
    """2 or 3: the number of output classes a network needs for labels ``y``."""
    return 3 if int(np.max(y, initial=0)) >= 2 else 2


def split(x: np.ndarray, y: np.ndarray, test_ratio: float, seed: int = 0
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(x_train, y_train, x_test, y_test)``: a random ``test_ratio`` of the points held out.

    Both parts keep at least one point.
    """
    check_range(float(test_ratio), "test_ratio", 0.1, 0.9, whole=False)
    n = len(x)
    n_test = min(n - 1, max(1, round(n * test_ratio)))
    order = np.random.default_rng(seed + 1).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


# Input features: name -> numpy expression of x (N, 2). The exported script uses the same text.
FEATURES = {"x1": "x[:, 0]", "x2": "x[:, 1]", "x1_sq": "x[:, 0] ** 2", "x2_sq": "x[:, 1] ** 2",
            "x1x2": "x[:, 0] * x[:, 1]", "sin_x1": "np.sin(np.pi * x[:, 0])", "sin_x2": "np.sin(np.pi * x[:, 1])"}
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1_sq": "x₁²", "x2_sq": "x₂²", "x1x2": "x₁x₂",
                  "sin_x1": "sin(πx₁)", "sin_x2": "sin(πx₂)"}
_FEATURE_FNS = {
    "x1": lambda x: x[:, 0], "x2": lambda x: x[:, 1], "x1_sq": lambda x: x[:, 0] ** 2,
    "x2_sq": lambda x: x[:, 1] ** 2, "x1x2": lambda x: x[:, 0] * x[:, 1],
    "sin_x1": lambda x: np.sin(np.pi * x[:, 0]), "sin_x2": lambda x: np.sin(np.pi * x[:, 1])}


def check_features(features) -> tuple[str, ...]:
    """``features`` as a tuple in the table's order; at least one, all known."""
    unknown = [f for f in features if f not in FEATURES]
    if unknown or not features:
        raise InputError("playground.features", value=", ".join(unknown) or "-", choices=", ".join(FEATURES))
    return tuple(f for f in FEATURES if f in features)


def expand(x: np.ndarray, features) -> np.ndarray:
    """The network's inputs ``(N, len(features))`` float32 computed from points ``(N, 2)``."""
    x = np.asarray(x, dtype=np.float64)
    return np.stack([_FEATURE_FNS[f](x) for f in check_features(features)], 1).astype(np.float32)


def grid() -> tuple[np.ndarray, np.ndarray]:
    """The surface's axis ``(GRID_STEPS,)`` and its points ``(GRID_STEPS**2, 2)``, row by row
    (``points[i * GRID_STEPS + j] = (axis[j], axis[i])``)."""
    axis = np.linspace(-GRID_RANGE, GRID_RANGE, GRID_STEPS, dtype=np.float32)
    xx, yy = np.meshgrid(axis, axis)
    return axis, np.stack([xx.ravel(), yy.ravel()], 1)


def initial_weights(sizes, seed: int = 0) -> list[np.ndarray]:
    """Fresh weights for a network with ``sizes`` nodes per layer (inputs first): Keras' defaults
    for a Dense layer drawn with numpy, kernels Glorot-uniform in ±sqrt(6 / (fan_in + fan_out)),
    biases 0. Keras' list order ``[W1, b1, W2, b2, ...]``, float32: the page draws this network
    before the first epoch, and training starts from it."""
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        limit = np.sqrt(6 / (fan_in + fan_out))
        weights += [rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32), np.zeros(fan_out, np.float32)]
    return weights


# ---------------------------------------------------------------- own data
def add_point(points: list[list[float]], x1: float, x2: float, label: int) -> list[list[float]]:
    """``points`` (rows ``[x1, x2, label]``) with one more point, rounded to 3 decimals."""
    check_range(int(label), "label", 0, 2)
    for value in (x1, x2):
        check_range(float(value), "coordinate", -GRID_RANGE, GRID_RANGE, whole=False)
    if len(points) >= MAX_POINTS:
        raise InputError("playground.too_many_points", count=len(points) + 1, limit=MAX_POINTS)
    return [*points, [round(float(x1), 3), round(float(x2), 3), int(label)]]


def as_arrays(points: list[list[float]], values: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``[x1, x2, label]`` as points ``(n, 2)`` float32 and labels ``(n,)``, ready to train:
    at least 4 points of at least two classes. ``values``: rows ``[x1, x2, value]`` for
    regression (float32 values, at least 4 points)."""
    rows = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    if values:
        if len(rows) < 4:
            raise InputError("playground.too_few_values", count=len(rows))
        return rows[:, :2].astype(np.float32), rows[:, 2].astype(np.float32)
    y = rows[:, 2].astype(np.int64)
    if len(rows) < 4 or len(np.unique(y)) < 2:
        raise InputError("playground.too_few", count=len(rows), classes=len(np.unique(y)))
    return rows[:, :2].astype(np.float32), y


def _number(text: str, row: int, decimal_comma: bool) -> float:
    cleaned = text.strip().replace(",", ".") if decimal_comma else text.strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise InputError("playground.csv_number", row=row, value=text.strip()) from None
    if not math.isfinite(value):
        raise InputError("playground.csv_number", row=row, value=text.strip()[:40])
    if abs(value) > MAX_CSV_VALUE:  # 1e308 would squash every other point to 0
        raise InputError("playground.csv_range", row=row, value=text.strip()[:40])
    return value


def parse_csv(data: bytes | str, values: bool = False) -> list[list[float]]:
    """Rows ``[x1, x2, label]`` from a CSV file: comma, or semicolon with decimal commas.

    An optional header row is skipped; blank lines are ignored. A bad row raises an
    ``InputError`` naming its line number and value. Points are scaled into [-1, 1]²
    (divided by the largest absolute coordinate) when they reach outside it.
    ``values``: the third column is any number (regression), scaled into [-1, 1] likewise.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_CSV_BYTES:
            raise InputError("playground.csv_bytes", kb=len(data) // 1024, limit=MAX_CSV_BYTES // 1024)
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("playground.csv_text") from None
    lines = [(i + 1, line) for i, line in enumerate(data.splitlines()) if line.strip()]
    if not lines:
        raise InputError("playground.csv_empty")
    semicolon = ";" in lines[0][1]
    rows = []
    for k, (row, line) in enumerate(lines):
        fields = line.split(";") if semicolon else re.split(r"[,\t]", line)
        if k == 0 and _is_header(fields):
            continue  # a header row such as "x1,x2,label"
        rows.append(_row(fields, row, line, semicolon, values))
        if len(rows) > MAX_POINTS:
            raise InputError("playground.csv_rows", limit=MAX_POINTS)
    if not rows:
        raise InputError("playground.csv_empty")
    scale = max(1.0, max(max(abs(r[0]), abs(r[1])) for r in rows))
    top = max(1.0, max(abs(r[2]) for r in rows)) if values else 1
    return [[round(r[0] / scale, 4), round(r[1] / scale, 4), round(r[2] / top, 4) if values else r[2]] for r in rows]


def _row(fields: list[str], row: int, line: str, decimal_comma: bool, values: bool = False) -> list[float]:
    """``[x1, x2, label]`` (or ``[x1, x2, value]``) from one CSV line's fields, or an
    ``InputError`` naming the line."""
    if len(fields) != 3:
        raise InputError("playground.csv_fields", row=row, count=len(fields), value=line.strip()[:60])
    x1, x2 = (_number(f, row, decimal_comma) for f in fields[:2])
    if values:
        return [x1, x2, _number(fields[2], row, decimal_comma)]
    label = fields[2].strip()
    if label not in ("0", "1", "2"):
        raise InputError("playground.csv_label", row=row, value=label[:20])
    return [x1, x2, int(label)]


def _is_header(fields: list[str]) -> bool:
    """A first line of three short names and no number (``x1,x2,label``): a typo in a data row
    (``l,2,0``) or a line of junk is a row, reported with its number, not skipped."""
    return len(fields) == 3 and all(
        re.search(r"[a-zA-Z_]", f) and not _is_number(f) and len(f.strip()) <= 40 for f in fields)


def _is_number(text: str) -> bool:
    try:
        float(text.strip().replace(",", "."))
    except ValueError:
        return False
    return True
