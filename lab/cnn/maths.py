"""What one unit of a CNN computes, in numpy: the teaching side of the CNN view.

A convolution unit slides one kernel per input channel over that channel, adds the channel
results, adds its bias and applies its activation. These functions do exactly that, channel
by channel, so the page can show every intermediate map; ``lab.cnn.explain`` feeds them the
model's own weights and layer inputs, and the tests check the result equals the Keras layer.

Layouts follow Keras: images ``(H, W, C)``, kernels ``(k, k, C_in, C_out)``.
Never imports TensorFlow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh", "softmax")


def pads(size: int, k: int, stride: int, padding: str) -> tuple[int, int]:
    """Rows (or columns) of zeros added before and after, as Keras/TensorFlow pad.

    ``"valid"`` adds none; ``"same"`` adds ``max((⌈n/s⌉ − 1)·s + k − n, 0)`` in all, the
    smaller half before (TensorFlow's rule, so an odd total puts the extra zero after).
    """
    if padding == "valid":
        return 0, 0
    if padding != "same":
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    total = max((math.ceil(size / stride) - 1) * stride + k - size, 0)
    return total // 2, total - total // 2


def padded(x: np.ndarray, k: int, stride: int, padding: str) -> tuple[np.ndarray, tuple[int, int]]:
    """``x`` ``(H, W, C)`` with the zeros of ``padding`` around it, and ``(top, left)`` added."""
    (top, bottom), (left, right) = pads(x.shape[0], k, stride, padding), pads(x.shape[1], k, stride, padding)
    return np.pad(x, ((top, bottom), (left, right), (0, 0))), (top, left)


def _windows(x: np.ndarray, k: int, stride: int, padding: str) -> np.ndarray:
    """Every window the kernel sees: ``(H_out, W_out, C, k, k)`` (a view, no copy)."""
    xp, _ = padded(np.asarray(x, dtype=np.float64), k, stride, padding)
    return sliding_window_view(xp, (k, k), axis=(0, 1))[::stride, ::stride]


def channel_maps(x: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: str = "valid") -> np.ndarray:
    """One unit's per-channel maps ``(C, H_out, W_out)``: channel ``c`` of ``x`` ``(H, W, C)``
    slid under its own kernel ``kernel[:, :, c]`` (``kernel`` ``(k, k, C)``).

    Like Keras, no kernel flip (cross-correlation). Their sum over ``C`` plus the bias is
    the unit's map before the activation.
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    win = _windows(x, kernel.shape[0], stride, padding)  # (Ho, Wo, C, k, k)
    return np.einsum("hwcij,ijc->chw", win, kernel)


def conv_layer(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray | None, stride: int = 1,
               padding: str = "valid") -> np.ndarray:
    """Every unit of a conv layer before its activation: ``(H_out, W_out, C_out)``."""
    kernel = np.asarray(kernel, dtype=np.float64)  # (k, k, C_in, C_out)
    win = _windows(x, kernel.shape[0], stride, padding)
    out = np.tensordot(win, kernel, axes=([2, 3, 4], [2, 0, 1]))  # (Ho, Wo, C_out)
    return out + (0.0 if bias is None else np.asarray(bias, dtype=np.float64))


def activate(name: str, z: np.ndarray) -> np.ndarray:
    """``name``'s activation of ``z`` (``softmax`` over the last axis)."""
    z = np.asarray(z, dtype=np.float64)
    if name == "linear":
        return z
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "softmax":
        return softmax(z)
    raise ValueError(f"activation {name!r} is not one the CNN view explains; known: {ACTIVATIONS}")


def softmax(logits: np.ndarray) -> np.ndarray:
    """``exp(z_i − max z) / Σ_j exp(z_j − max z)`` over the last axis (the shift changes nothing
    but keeps ``exp`` from overflowing)."""
    z = np.asarray(logits, dtype=np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def batch_norm(z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, mean: np.ndarray, var: np.ndarray,
               eps: float) -> np.ndarray:
    """Batch normalisation at prediction time: ``γ (z − μ) / √(σ² + ε) + β`` per channel."""
    return gamma * (np.asarray(z, dtype=np.float64) - mean) / np.sqrt(var + eps) + beta


@dataclass(frozen=True)
class Position:
    """One output cell of one conv unit, with every number that makes it."""

    row: int
    col: int
    top: int  # where the window starts in the padded input
    left: int
    windows: np.ndarray  # (C, k, k) what the kernel covers in each channel
    kernels: np.ndarray  # (C, k, k)
    sums: np.ndarray  # (C,) Σ window · kernel per channel
    total: float  # Σ over channels
    bias: float
    pre: float  # total + bias
    out: float  # after the activation


def position(x: np.ndarray, kernel: np.ndarray, bias: float, activation: str, row: int, col: int,
             stride: int = 1, padding: str = "valid") -> Position:
    """The numbers behind output cell ``(row, col)`` of the unit with ``kernel`` ``(k, k, C)``."""
    kernel = np.asarray(kernel, dtype=np.float64)
    win = _windows(x, kernel.shape[0], stride, padding)
    if not (0 <= row < win.shape[0] and 0 <= col < win.shape[1]):
        raise ValueError(f"position ({row}, {col}) is outside the {win.shape[0]}×{win.shape[1]} output")
    windows = np.asarray(win[row, col])  # (C, k, k)
    kernels = np.moveaxis(kernel, -1, 0)  # (C, k, k)
    sums = (windows * kernels).sum(axis=(1, 2))
    total = float(sums.sum())
    pre = total + float(bias)
    return Position(row, col, row * stride, col * stride, windows, kernels, sums, total, float(bias), pre,
                    float(activate(activation, np.array(pre))))


@dataclass(frozen=True)
class PoolWindow:
    """One output cell of a pooling unit: the window it reads and the value it keeps."""

    row: int
    col: int
    top: int
    left: int
    window: np.ndarray  # (size, size)
    kept: float
    where: tuple[int, int]  # (row, col) of the kept value inside the window (max pooling)


def pool_window(channel: np.ndarray, size: int, stride: int, row: int, col: int, mode: str = "max",
                padding: str = "valid") -> PoolWindow:
    """The window of output cell ``(row, col)`` over ``channel`` ``(H, W)``, and what it keeps."""
    win = _windows(np.asarray(channel)[..., None], size, stride, padding)[:, :, 0]  # (Ho, Wo, s, s)
    if not (0 <= row < win.shape[0] and 0 <= col < win.shape[1]):
        raise ValueError(f"position ({row}, {col}) is outside the {win.shape[0]}×{win.shape[1]} output")
    window = np.asarray(win[row, col])
    if mode == "max":
        r, c = np.unravel_index(int(np.argmax(window)), window.shape)
        return PoolWindow(row, col, row * stride, col * stride, window, float(window.max()), (int(r), int(c)))
    if mode == "average":
        return PoolWindow(row, col, row * stride, col * stride, window, float(window.mean()), (-1, -1))
    raise ValueError(f"pooling mode must be 'max' or 'average', got {mode!r}")


def shared_range(values: np.ndarray, signed: bool | None = None) -> tuple[float, float]:
    """One colour range for a whole layer: symmetric around 0 when it holds negative values
    (so 0 is the middle colour in every unit), else ``[0, max]``; never empty."""
    v = np.asarray(values, dtype=np.float64)
    top = float(np.abs(v).max()) if v.size else 0.0
    top = top if top > 0 else 1.0
    signed = bool(v.size and v.min() < 0) if signed is None else signed
    return (-top, top) if signed else (0.0, top)


def flatten_origin(index: int, shape: tuple[int, int, int]) -> tuple[int, int, int]:
    """Which map and cell value ``index`` of a flattened ``(H, W, C)`` tensor came from:
    ``(channel, row, col)`` (Keras flattens row by row, channels fastest)."""
    h, w, c = shape
    if not 0 <= index < h * w * c:
        raise ValueError(f"index {index} is outside the {h * w * c} flattened values")
    row, rest = divmod(index, w * c)
    col, channel = divmod(rest, c)
    return channel, row, col
