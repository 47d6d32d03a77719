"""From a canvas drawing or a photo to a 28×28 MNIST-style digit (numpy + Pillow, no TensorFlow).

MNIST digits are white ink on black, scaled to fit a 20×20 box keeping their aspect
ratio, then placed in 28×28 so that their centre of mass sits at the centre. We do the
same, after finding the ink whatever the input looks like:

- light ink on a dark background, or dark ink on a light one (the background is the
  typical colour of the image border);
- ink only in the alpha channel of a transparent canvas (the colour channels may be
  all black even where there is ink).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from core.errors import InputError

BOX = 20  # the digit's longer side, as in MNIST
SIZE = 28
MIN_CONTRAST = 0.1  # ink weaker than this (0..1) is noise, not a stroke
NOISE_FLOOR = 0.1  # share of the strongest ink below which a pixel counts as background
WORK = 96  # side (pixels) at which strokes are measured and normalised
# Pen width / digit size in MNIST: median 0.17, 5th-95th percentile 0.10-0.28 (measured
# on 2,000 training digits). Strokes outside that band are thickened or thinned to its edge.
THIN, THICK = 0.10, 0.28
MIN_SIDE = 2
MAX_PIXELS = 4_000_000  # as uploads.MAX_PIXELS: the canvas is 280×280, decoded photos at most 1024 a side


class EmptyDrawingError(InputError):
    """The image holds no ink to read (a blank canvas, a flat photo)."""

    def __init__(self) -> None:
        super().__init__("image.empty")


@dataclass(frozen=True)
class Stages:
    """Every step, for display: ink map as drawn, cropped, fitted in 20×20, centred 28×28."""

    drawn: np.ndarray  # (H, W) ink in [0, 1]
    cropped: np.ndarray  # (h, w) ink inside the bounding box, pen width normalised
    boxed: np.ndarray  # (h', w') with max(h', w') == 20
    digit: np.ndarray  # (28, 28) float32 in [0, 1], the model's input


def ink_map(image: np.ndarray) -> np.ndarray:
    """``(H, W)`` float ink strength in [0, 1] (1 = strongest stroke) of any image.

    Accepts grey ``(H, W)``, RGB ``(H, W, 3)`` or RGBA ``(H, W, 4)``, as ``uint8`` (0..255)
    or floats in [0, 1]. Raises ``InputError`` for another shape, a size outside
    ``MIN_SIDE``..``MAX_PIXELS``, or any NaN / infinite value (it would make every probability NaN).
    """
    arr = np.asarray(image)
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (1, 2, 3, 4)):
        raise InputError("image.shape", shape=tuple(arr.shape))
    height, width = arr.shape[:2]
    if min(height, width) < MIN_SIDE:
        raise InputError("image.too_small", height=height, width=width, min=MIN_SIDE)
    if height * width > MAX_PIXELS:
        raise InputError("image.too_large", height=height, width=width, limit=MAX_PIXELS)
    if arr.dtype.kind not in "biuf":
        raise InputError("image.shape", shape=tuple(arr.shape))
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = ~np.isfinite(arr).reshape(height, width, -1).all(axis=2)  # (H, W): a pixel with any bad channel
        raise InputError("image.not_finite", count=int(bad.sum()))
    scale = 255.0 if arr.dtype == np.uint8 or arr.max(initial=0) > 1.0 else 1.0
    if arr.ndim == 3 and arr.shape[2] in (2, 4):
        alpha = arr[..., -1]
        if (float(alpha.max()) - float(alpha.min())) / scale > MIN_CONTRAST:
            return alpha.astype(np.float32) / scale  # a transparent canvas: whatever is opaque is ink
        arr = arr[..., :-1]
    # Channels summed one at a time: numpy's mean over the last (strided) axis of a 280×280
    # canvas costs ~4 ms, this ~0.5 ms, on every stroke of every student.
    grey = arr[..., 0].astype(np.float32) if arr.ndim == 3 else arr.astype(np.float32)
    for c in range(1, arr.shape[2] if arr.ndim == 3 else 1):
        grey += arr[..., c]
    grey /= scale * (arr.shape[2] if arr.ndim == 3 else 1)
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    background = float(np.median(border))
    # Ink is what differs from the paper, in the direction away from it.
    ink = background - grey if background > 0.5 else grey - background
    return np.clip(ink, 0.0, None)


def _bounding_box(ink: np.ndarray) -> tuple[slice, slice]:
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def _resize(img: np.ndarray, factor: float) -> np.ndarray:
    h, w = img.shape
    new = (max(1, round(w * factor)), max(1, round(h * factor)))  # PIL wants (width, height)
    resample = Image.Resampling.BOX if factor < 1 else Image.Resampling.BILINEAR
    out = Image.fromarray(img.astype(np.float32, copy=False), mode="F").resize(new, resample)
    return np.clip(np.asarray(out, dtype=np.float32), 0.0, None)


def _erode_mask(mask: np.ndarray) -> np.ndarray:
    out = mask.copy()
    out[1:] &= mask[:-1]
    out[:-1] &= mask[1:]
    out[:, 1:] &= mask[:, :-1]
    out[:, :-1] &= mask[:, 1:]
    return out


def stroke_width(ink: np.ndarray) -> float:
    """Mean pen width in pixels: a stroke of length L and width w has area L·w and 2L edge pixels."""
    mask = ink > 0.5 * float(ink.max(initial=0.0))
    edge = int((mask & ~_erode_mask(mask)).sum())
    return 2.0 * int(mask.sum()) / edge if edge else 0.0


def normalise_stroke(cropped: np.ndarray) -> np.ndarray:
    """Bring a very thin or very thick pen to MNIST's range of width / digit size.

    Works on a copy at most ``WORK`` pixels on its longer side; each 3×3 max (min) filter
    pass widens (narrows) the stroke by about two pixels.
    """
    side = max(cropped.shape)
    img = _resize(cropped, WORK / side) if side > WORK else cropped.astype(np.float32)
    side = max(img.shape)
    width = stroke_width(img)
    if width <= 0:
        return img
    if width < THIN * side:
        passes, grow = int(np.ceil((THIN * side - width) / 2)), ImageFilter.MaxFilter(3)
        img = np.pad(img, passes)  # room to grow at the edges
    elif width > THICK * side:
        passes, grow = int((width - THICK * side) / 2), ImageFilter.MinFilter(3)
        passes = min(passes, max(0, int(width / 2) - 1))  # never erase a stroke
    else:
        return img
    pil = Image.fromarray(img, mode="F")
    for _ in range(passes):
        pil = pil.filter(grow)
    out = np.asarray(pil, dtype=np.float32)
    return out[_bounding_box(out > 0)] if out.max() > 0 else img


def _fit_box(cropped: np.ndarray) -> np.ndarray:
    """Resize so the longer side is 20 pixels, keeping the aspect ratio (area-averaging)."""
    return _resize(cropped, BOX / max(cropped.shape))


def _centre(boxed: np.ndarray) -> np.ndarray:
    """Place ``boxed`` in 28×28 with its centre of mass at the centre (clipped at the edges)."""
    h, w = boxed.shape
    total = boxed.sum()
    rows, cols = np.arange(h), np.arange(w)
    com_r = (boxed.sum(axis=1) @ rows) / total if total > 0 else (h - 1) / 2
    com_c = (boxed.sum(axis=0) @ cols) / total if total > 0 else (w - 1) / 2
    top = int(round((SIZE - 1) / 2 - com_r))
    left = int(round((SIZE - 1) / 2 - com_c))
    top = min(max(top, 0), SIZE - h)  # keep the whole digit inside the frame
    left = min(max(left, 0), SIZE - w)
    out = np.zeros((SIZE, SIZE), dtype=np.float32)
    out[top:top + h, left:left + w] = boxed
    return out


def canvas_stages(image: np.ndarray) -> Stages:
    """All preprocessing stages of ``image``; raises ``EmptyDrawingError`` when it is blank."""
    ink = ink_map(image)
    peak = float(ink.max(initial=0.0))
    if peak < MIN_CONTRAST:
        raise EmptyDrawingError()
    # Rescale so the strongest stroke is 1, and drop faint noise (paper texture, JPEG).
    ink = np.clip((ink / peak - NOISE_FLOOR) / (1 - NOISE_FLOOR), 0.0, 1.0)
    rows, cols = _bounding_box(ink)
    cropped = normalise_stroke(ink[rows, cols])
    boxed = _fit_box(cropped)
    top = float(boxed.max(initial=0.0))
    if top <= 0:
        raise EmptyDrawingError()
    boxed = boxed / top
    return Stages(drawn=ink, cropped=cropped, boxed=boxed, digit=_centre(boxed))


def canvas_to_mnist(image: np.ndarray) -> np.ndarray:
    """A canvas drawing (RGBA ``uint8``, any size) or a photo (RGB / grey) as a ``(28, 28)``
    float32 MNIST digit in [0, 1]: white ink on black, fitted in 20×20, centred by mass.

    Raises ``EmptyDrawingError`` (a ``ValueError``) when there is no ink.
    """
    return canvas_stages(image).digit
