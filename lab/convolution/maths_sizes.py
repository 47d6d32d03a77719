"""Sizes and counts the convolution lessons quote, computed (and tested) rather than typed."""

from __future__ import annotations

import numpy as np

from lab.convolution.maths import (
    MAX_KERNEL,
    MAX_PADDING,
    MAX_SIDE,
    MAX_STRIDE,
    MAX_UNITS,
    Padding,
    _int,
    output_size,
)


def window_counts(n: int, k: int, padding: int = 0, stride: int = 1) -> np.ndarray:
    """``(n, n)``: in how many kernel windows each input pixel falls (zero border ``padding``).

    With k = 3, p = 1, s = 1 a corner pixel is in 4 windows and an inner one in 9: padding
    does not make edges count as much as the centre; only full padding p = k − 1 does.
    """
    n, k, stride = _int(n, "input_size", 1, MAX_SIDE), _int(k, "kernel_size", 1, MAX_KERNEL), \
        _int(stride, "stride", 1, MAX_STRIDE)
    padding = _int(padding, "padding", 0, MAX_PADDING)
    o = output_size(n, k, stride, padding)
    starts = np.arange(o) * stride - padding  # first input index of each window, along one axis
    idx = np.arange(n)
    per_axis = ((idx[None, :] >= starts[:, None]) & (idx[None, :] < starts[:, None] + k)).sum(axis=0)
    return np.outer(per_axis, per_axis)


def transposed_output_size(n: int, k: int, stride: int = 1, padding: Padding = 0) -> int:
    """Side of a transposed convolution's output: ``s(n − 1) + k − 2p``; ``"same"``: ``s·n``.

    The thesis generator (k = 4, s = 2, "same") grows 7 → 14 → 28, like Keras' ``Conv2DTranspose``.
    """
    n, k, stride = _int(n, "input_size", 1, MAX_SIDE), _int(k, "kernel_size", 1, MAX_KERNEL), \
        _int(stride, "stride", 1, MAX_STRIDE)
    if isinstance(padding, str) and padding.lower() in ("same", "valid"):
        return stride * n if padding.lower() == "same" else stride * (n - 1) + max(k, stride)
    p = _int(padding, "padding", 0, MAX_PADDING)
    out = stride * (n - 1) + k - 2 * p
    if out < 1:
        raise ValueError(f"padding {p} removes the whole output (s(n − 1) + k − 2p = {out}); use less padding.")
    return out


def conv_parameters(k: int, c_in: int, c_out: int, bias: bool = True) -> int:
    """Weights of a k×k convolution layer: ``(k²·C_in + 1)·C_out`` (no ``+ 1`` without bias)."""
    k = _int(k, "kernel_size", 1, MAX_KERNEL)
    c_in, c_out = _int(c_in, "input_channels", 1, MAX_UNITS), _int(c_out, "filters", 1, MAX_UNITS)
    return (k * k * c_in + int(bias)) * c_out


def dense_parameters(n_in: int, n_out: int, bias: bool = True) -> int:
    """Weights of a dense layer: ``(n_in + 1)·n_out`` (a k = 1 convolution over one position)."""
    return conv_parameters(1, n_in, n_out, bias)
