"""The sliding window of ``conv2d``, cell by cell: what the convolution page animates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from core.errors import InputError
from lab.convolution.maths import Padding, _square, _windows, number, pad_amounts


@dataclass(frozen=True)
class Step:
    """One output cell: where the window sits (in the padded input) and what it adds up."""

    row: int
    col: int
    top: int
    left: int
    window: np.ndarray  # (k, k) slice of the padded input
    products: np.ndarray  # (k, k) window × kernel
    total: float


@dataclass(frozen=True)
class ConvTrace:
    """Everything the sliding-window animation draws, for every output cell."""

    padded: np.ndarray  # (n + before + after, same)
    pad: tuple[int, int]
    kernel: np.ndarray  # (k, k)
    stride: int
    windows: np.ndarray  # (o, o, k, k)
    output: np.ndarray  # (o, o)

    def __len__(self) -> int:
        return self.output.size

    def step(self, index: int) -> Step:
        """The ``index``-th output cell in reading order (row by row)."""
        if not 0 <= index < len(self):
            raise InputError("conv.step_range", value=index, high=len(self) - 1)
        row, col = divmod(index, self.output.shape[1])
        window = self.windows[row, col]
        products = window * self.kernel
        return Step(row, col, row * self.stride, col * self.stride, window, products,
                    float(products.sum()))

    def steps(self) -> Iterator[Step]:
        return (self.step(i) for i in range(len(self)))

    def partial_output(self, index: int) -> np.ndarray:
        """The output with cells after ``index`` still empty (NaN), as the animation fills it."""
        out = self.output.astype(float).copy().ravel()
        out[index + 1:] = np.nan
        return out.reshape(self.output.shape)


def conv_trace(x: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: Padding = 0) -> ConvTrace:
    """Trace ``conv2d(x, kernel, stride, padding)`` cell by cell."""
    padded, win = _windows(x, kernel, stride, padding)
    kernel = _square(kernel, "kernel")
    n = _square(x, "input").shape[0]
    return ConvTrace(padded, pad_amounts(n, kernel.shape[0], stride, padding), kernel, stride,
                     win, np.einsum("ijab,ab->ij", win, kernel))


def sum_latex(trace: ConvTrace, step: Step, max_terms: int = 9) -> str:
    """``w·x + w·x + … = total`` for one step (kernel value · input value), as LaTeX."""
    pairs = list(zip(trace.kernel.ravel(), step.window.ravel()))
    terms = [rf"{number(w)}\cdot{number(v)}" if v >= 0 else rf"{number(w)}\cdot({number(v)})"
             for w, v in pairs[:max_terms]]
    more = r" + \dots" if len(pairs) > max_terms else ""
    return " + ".join(terms).replace("+ -", "- ") + more + f" = {number(step.total)}"
