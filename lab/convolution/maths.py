"""Convolution, pooling and upsampling on small 2-D arrays, in plain numpy.

Deep-learning convention: ``conv2d`` is a cross-correlation (the kernel is not
flipped), exactly what ``tf.nn.conv2d`` and Keras' ``Conv2D`` compute. Arrays are
square ``(n, n)`` grids (one channel); every bad parameter raises ``InputError`` (a
``ValueError``) naming the value and the allowed range, so the page can show it to the
student. Sizes are bounded (``MAX_SIDE`` and friends): a padding or an upsampling factor
of 10,000 would otherwise allocate gigabytes.

Beside it: ``lab.convolution.maths_trace`` (the sliding window, cell by cell, for the animation),
``lab.convolution.maths_sizes`` (window counts, transposed sizes and weight counts the lessons quote),
``lab.convolution.maths_learned`` (a trained network's first layer applied with ``conv2d``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from core.errors import InputError, check_range

Padding = int | str
POOL_MODES = ("max", "avg", "min")
PRESETS = ("vertical_edge", "horizontal_edge", "sobel_x", "sobel_y", "laplacian", "sharpen",
           "box_blur", "gaussian_blur", "identity")

# Small matrices for hand-checkable examples, in the spirit of the course's figures.
# A 5×5 grey image (0 = black, 255 = white), bright on the left and dark on the right:
# the vertical-edge kernel answers strongly where bright meets dark.
EXAMPLE_5 = np.array([[250, 250, 250, 10, 10],
                      [250, 250, 250, 10, 10],
                      [250, 250, 250, 10, 10],
                      [250, 250, 250, 10, 10],
                      [250, 250, 250, 10, 10]], dtype=np.float64)
# A 7×7 image with small values: a bright cross on a dark background.
EXAMPLE_7 = np.array([[0, 0, 0, 1, 0, 0, 0],
                      [0, 0, 0, 2, 0, 0, 0],
                      [0, 0, 0, 3, 0, 0, 0],
                      [1, 2, 3, 4, 3, 2, 1],
                      [0, 0, 0, 3, 0, 0, 0],
                      [0, 0, 0, 2, 0, 0, 0],
                      [0, 0, 0, 1, 0, 0, 0]], dtype=np.float64)
EXAMPLES = {"example_5": EXAMPLE_5, "example_7": EXAMPLE_7}

# Bounds of every size: far above what the page offers, far below what hurts (a 512×512
# float64 grid is 2 MB; the (o, o, k, k) window view is a view, not a copy).
MAX_SIDE = 512  # input grids, padded inputs and outputs (upsampled, transposed)
MAX_KERNEL = 31
MAX_STRIDE = 16
MAX_PADDING = 64
MAX_FACTOR = 16
MAX_IMAGE_SIDE = 4096  # images given to resize_square (uploads are at most 1024 a side)
MAX_UNITS = 4096  # channels and filters in the parameter counts the lessons quote
MAX_VALUE = 1e6  # a cell of a grid or kernel: sums of 31×31 such products stay far from overflow


# ---------------------------------------------------------------- checks
def _int(value: Any, param: str, low: int, high: int) -> int:
    """A whole number in ``[low, high]``, else ``InputError`` naming ``param`` and the range."""
    return int(check_range(value, param, low, high))


def _square(x: Any, name: str) -> np.ndarray:
    """``x`` (``name`` is ``"input"`` or ``"kernel"``) as a finite, non-empty, square float64 matrix."""
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError("conv.not_numbers", param=name) from exc
    if a.ndim != 2:
        raise InputError("conv.not_2d", param=name, shape=tuple(a.shape))
    if a.size == 0:
        raise InputError("conv.empty", param=name)
    if a.shape[0] != a.shape[1]:
        raise InputError("conv.not_square", param=name, rows=a.shape[0], cols=a.shape[1])
    _int(a.shape[0], f"{name}_size", 1, MAX_KERNEL if name == "kernel" else MAX_SIDE)
    if not np.all(np.isfinite(a)):
        raise InputError("conv.not_finite", param=name)
    if np.abs(a).max() > MAX_VALUE:  # 1e308 is finite, but its products overflow to inf
        raise InputError("conv.too_large", param=name)
    return a


def _output_side(side: int) -> int:
    if side > MAX_SIDE:
        raise InputError("conv.output_too_big", side=side, limit=MAX_SIDE)
    return side


def pad_amounts(n: int, k: int, stride: int = 1, padding: Padding = 0) -> tuple[int, int]:
    """Zeros added ``(before, after)`` each side; ``"same"`` may add one more after, like TF."""
    n, k = _int(n, "input_size", 1, MAX_SIDE), _int(k, "kernel_size", 1, MAX_KERNEL)
    stride = _int(stride, "stride", 1, MAX_STRIDE)
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return 0, 0
        if mode == "same":
            total = max((math.ceil(n / stride) - 1) * stride + k - n, 0)
            return total // 2, total - total // 2
        raise InputError("conv.padding_mode", value=repr(padding))
    p = _int(padding, "padding", 0, MAX_PADDING)
    return p, p


def output_size(n: int, k: int, stride: int = 1, padding: Padding = 0) -> int:
    """Side of the output: ``floor((n + 2p − k) / s) + 1`` (``"same"``: ``ceil(n / s)``)."""
    before, after = pad_amounts(n, k, stride, padding)
    if k > n + before + after:
        raise InputError("conv.kernel_too_big", k=k, n=n + before + after)
    return (n + before + after - k) // stride + 1


def output_size_latex(n: int, k: int, stride: int = 1, padding: Padding = 0) -> str:
    """The output-size formula with these numbers filled in, as LaTeX."""
    out = output_size(n, k, stride, padding)
    if isinstance(padding, str) and padding.lower() == "same":
        return (rf"o = \left\lceil \frac{{n}}{{s}} \right\rceil = "
                rf"\left\lceil \frac{{{n}}}{{{stride}}} \right\rceil = {out}")
    p = pad_amounts(n, k, stride, padding)[0]
    return (rf"o = \left\lfloor \frac{{n + 2p - k}}{{s}} \right\rfloor + 1 = "
            rf"\left\lfloor \frac{{{n} + 2\cdot{p} - {k}}}{{{stride}}} \right\rfloor + 1 = {out}")


# ---------------------------------------------------------------- operations
def pad(x: np.ndarray, k: int, stride: int = 1, padding: Padding = 0) -> np.ndarray:
    """``x`` with the zero border that ``conv2d`` would add."""
    x = _square(x, "input")
    before, after = pad_amounts(x.shape[0], k, stride, padding)
    return np.pad(x, ((before, after), (before, after)))


def _windows(x: np.ndarray, kernel: np.ndarray, stride: int, padding: Padding):
    """``(padded input, windows (o, o, k, k))`` after every check."""
    x, kernel = _square(x, "input"), _square(kernel, "kernel")
    k = kernel.shape[0]
    output_size(x.shape[0], k, stride, padding)  # validates sizes
    padded = pad(x, k, stride, padding)
    return padded, sliding_window_view(padded, (k, k))[::stride, ::stride]


def conv2d(x: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: Padding = 0) -> np.ndarray:
    """Slide ``kernel`` over ``x``: each output cell is the sum of window × kernel."""
    _, win = _windows(x, kernel, stride, padding)
    return np.einsum("ijab,ab->ij", win, _square(kernel, "kernel"))


def pool2d(x: np.ndarray, size: int = 2, stride: int = 2, mode: str = "max") -> np.ndarray:
    """Max, average or min of each ``size``×``size`` window (no padding, like Keras' default)."""
    x = _square(x, "input")
    size, stride = _int(size, "pool_size", 1, MAX_KERNEL), _int(stride, "stride", 1, MAX_STRIDE)
    if mode not in POOL_MODES:
        raise InputError("conv.pool_mode", choices=list(POOL_MODES), value=repr(mode))
    if size > x.shape[0]:
        raise InputError("conv.pool_too_big", size=size, n=x.shape[0])
    win = sliding_window_view(x, (size, size))[::stride, ::stride]
    return {"max": np.max, "avg": np.mean, "min": np.min}[mode](win, axis=(2, 3))


def upsample_nearest(x: np.ndarray, factor: int = 2) -> np.ndarray:
    """Repeat every value ``factor`` times down and across (no weights to learn)."""
    x, factor = _square(x, "input"), _int(factor, "factor", 1, MAX_FACTOR)
    _output_side(x.shape[0] * factor)
    return x.repeat(factor, axis=0).repeat(factor, axis=1)


def conv2d_transpose(x: np.ndarray, kernel: np.ndarray, stride: int = 1) -> np.ndarray:
    """Each input value stamps ``value × kernel`` onto the output, ``stride`` apart; overlaps add.

    Output side ``(n − 1)·stride + k``, as ``tf.nn.conv2d_transpose`` with ``VALID``.
    """
    x, kernel = _square(x, "input"), _square(kernel, "kernel")
    stride = _int(stride, "stride", 1, MAX_STRIDE)
    n, k = x.shape[0], kernel.shape[0]
    out = np.zeros((_output_side((n - 1) * stride + k),) * 2)
    for i in range(n):
        for j in range(n):
            out[i * stride:i * stride + k, j * stride:j * stride + k] += x[i, j] * kernel
    return out


def overlap_counts(n: int, k: int, stride: int) -> np.ndarray:
    """How many input cells a transposed convolution adds into each output cell."""
    n, k = _int(n, "input_size", 1, MAX_SIDE), _int(k, "kernel_size", 1, MAX_KERNEL)
    return conv2d_transpose(np.ones((n, n)), np.ones((k, k)), stride)


# ---------------------------------------------------------------- kernels
def _binomial(k: int) -> np.ndarray:
    row = np.array([1.0])
    for _ in range(k - 1):
        row = np.convolve(row, [1.0, 1.0])
    return row


def preset_kernel(name: str, size: int = 3) -> np.ndarray:
    """A classic ``size``×``size`` filter. ``vertical_edge`` at size 3 is [[1, 0, −1]] × 3."""
    k = _int(size, "kernel_size", 1, MAX_KERNEL)
    centre = np.zeros((k, k))
    centre[k // 2, k // 2] = 1.0
    columns = np.sign((k - 1) / 2 - np.arange(k))  # 1 … 0 … −1
    diff = np.convolve(_binomial(k - 1), [1.0, -1.0]) if k > 1 else np.zeros(1)  # [1, 0, −1] at 3
    laplacian = np.ones((k, k)) - k * k * centre  # all neighbours, centre 1 − k²
    kernels = {
        "vertical_edge": np.tile(columns, (k, 1)),
        "horizontal_edge": np.tile(columns, (k, 1)).T,
        "sobel_x": np.outer(_binomial(k), diff),
        "sobel_y": np.outer(diff, _binomial(k)),
        "laplacian": laplacian,
        "sharpen": centre - laplacian,  # identity minus Laplacian: centre k², neighbours −1
        "box_blur": np.full((k, k), 1.0 / (k * k)),
        "gaussian_blur": np.outer(_binomial(k), _binomial(k)) / _binomial(k).sum() ** 2,
        "identity": centre,
    }
    if name not in kernels:
        raise InputError("conv.preset", value=repr(name), choices=list(PRESETS))
    return kernels[name] + 0.0  # + 0.0 turns −0.0 into 0.0 for display


# ---------------------------------------------------------------- images
def resize_square(image: np.ndarray, side: int) -> np.ndarray:
    """Crop ``image`` (H, W) to its central square and resize it to ``side``×``side``.

    Area resampling: each output pixel is the mean of the input area it covers, so a
    28×28 digit shrunk to 10×10 keeps its strokes' brightness.
    """
    a = np.asarray(image)
    if a.ndim != 2 or a.size == 0:
        raise InputError("conv.not_2d", param="input", shape=tuple(a.shape))
    _int(max(a.shape), "image_side", 1, MAX_IMAGE_SIDE)  # before the float64 copy
    a = a.astype(np.float64, copy=False)
    side = _int(side, "image_size", 1, MAX_SIDE)
    h, w = a.shape
    m = min(h, w)
    a = a[(h - m) // 2:(h - m) // 2 + m, (w - m) // 2:(w - m) // 2 + m]  # (m, m)
    # r[i, j] = overlap of output cell i with input cell j, in input cells, rows sum to 1
    edges_out = np.arange(side + 1) * m / side
    lo = np.maximum(edges_out[:-1, None], np.arange(m)[None, :])
    hi = np.minimum(edges_out[1:, None], np.arange(1, m + 1)[None, :])
    r = np.clip(hi - lo, 0, None) / (m / side)  # (side, m)
    return r @ a @ r.T


def number(v: float, digits: int = 2) -> str:
    """A value as short text: ``3``, ``-0.5``, ``0.33``."""
    v = round(float(v), digits) + 0.0
    return str(int(v)) if v == int(v) else f"{v:.{digits}f}".rstrip("0")


def cell_text(a: np.ndarray, digits: int = 2) -> np.ndarray:
    """Each cell as short text for a heatmap; empty (NaN) cells stay blank."""
    a = np.asarray(a, dtype=np.float64)
    return np.array([["" if not np.isfinite(v) else number(v, digits) for v in row] for row in a],
                    dtype=object)


def value_range(*arrays: np.ndarray, symmetric: bool | None = None) -> tuple[float, float]:
    """``(low, high)`` over all ``arrays`` (NaN ignored); symmetric around 0 when values have both signs."""
    values = np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return 0.0, 1.0
    low, high = float(values.min()), float(values.max())
    if symmetric or (symmetric is None and low < 0 < high):
        m = max(abs(low), abs(high)) or 1.0
        return -m, m
    return (low, high) if high > low else (low - 0.5, high + 0.5)


def scale_each(maps: np.ndarray, symmetric: bool = False) -> np.ndarray:
    """Scale each map of ``(N, H, W)`` on its own: to [0, 1], or to [−1, 1] keeping 0 at 0."""
    maps = np.asarray(maps, dtype=np.float64)
    if symmetric:
        top = np.abs(maps).max(axis=(1, 2), keepdims=True)
        return maps / np.where(top > 0, top, 1.0)
    lo = maps.min(axis=(1, 2), keepdims=True)
    span = maps.max(axis=(1, 2), keepdims=True) - lo
    return np.where(span > 0, (maps - lo) / np.where(span > 0, span, 1.0), 0.0)
