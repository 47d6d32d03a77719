"""Drawings "from several hands" for the teach lesson's benchmark and tests (numpy + Pillow).

The canvas synthesiser of the transfer lesson (``core.storage.symbols.stroke_canvas``) jitters
each drawing on its own. A *hand* adds a style that stays the same for all of one person's
drawings: a slant (shear), a wider or narrower shape, a bolder or finer pen, a size. Drawings
from one hand train the model; drawings from the other hands test it, as when a student's
model is tried by classmates. Every drawing then goes through the canvas's own preprocessing
(``core.maths.preprocess.canvas_stages``), like a drawing made on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.storage import symbols

CANVAS = symbols.CANVAS  # 280


@dataclass(frozen=True)
class Hand:
    """One person's style: slant (shear factor), width factor, pen change (pixels), size."""

    slant: float
    widen: float
    pen: int
    size: float


def hand(index: int) -> Hand:
    """Hand number ``index``: its style drawn from its own seed (the same index, the same hand)."""
    rng = np.random.default_rng(10_000 + index)
    return Hand(slant=float(rng.uniform(-0.35, 0.35)), widen=float(rng.uniform(0.75, 1.25)),
                pen=int(rng.integers(-4, 7)), size=float(rng.uniform(0.8, 1.1)))


def styled(canvas: np.ndarray, style: Hand) -> np.ndarray:
    """A ``(280, 280)`` uint8 drawing redrawn in ``style``: sheared, widened, scaled about the
    centre, the pen made bolder (max filter) or finer (min filter)."""
    from PIL import Image, ImageFilter

    c = CANVAS / 2
    sx, sy = 1 / (style.widen * style.size), 1 / style.size  # PIL maps output -> input
    # input = A @ (output - c) + c, with the shear applied along x by y
    a, b = sx, -style.slant * sx
    coeffs = (a, b, c - a * c - b * c, 0.0, sy, c - sy * c)
    img = Image.fromarray(canvas, "L").transform((CANVAS, CANVAS), Image.Transform.AFFINE, coeffs,
                                                  resample=Image.Resampling.BILINEAR)
    size = 2 * abs(style.pen) + 1
    if style.pen:
        img = img.filter(ImageFilter.MaxFilter(size) if style.pen > 0 else ImageFilter.MinFilter(size))
    return np.asarray(img)


def drawings(names: tuple[str, ...], per_class: int, hands: list[int], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``per_class`` drawings of each symbol in ``names`` by each hand in ``hands``:
    ``uint8 (N, 28, 28)`` preprocessed like the canvas, labels ``(N,)`` (indices into ``names``)."""
    from core.maths.preprocess import EmptyDrawingError, canvas_stages

    rng = np.random.default_rng(seed)
    images, labels = [], []
    for h in hands:
        style = hand(h)
        for label, name in enumerate(names):
            made = 0
            while made < per_class:
                try:
                    digit = canvas_stages(styled(symbols.stroke_canvas(name, rng), style)).digit
                except EmptyDrawingError:  # a fine pen erased a thin stroke: draw it again
                    continue
                images.append((digit * 255).round().astype(np.uint8))
                labels.append(label)
                made += 1
    return np.stack(images), np.asarray(labels, np.int64)
