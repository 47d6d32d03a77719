"""Synthetic canvas drawings made from MNIST test digits, to check the drawing pipeline.

Each MNIST digit is enlarged to a random size, its stroke made thinner or thicker, put
somewhere on a 280×280 canvas (off-centre) and rendered in one of the three canvas
styles the page must read:

- ``light``: white ink on an opaque black canvas;
- ``dark``: black ink on an opaque white canvas;
- ``alpha``: a transparent canvas whose colour channels are all black; the ink lives
  only in the alpha channel (what a transparent drawable canvas returns).

    python -m bench.synthetic_canvas --out /tmp/drawings.npz --n 300
"""

from __future__ import annotations

import argparse

import numpy as np
from PIL import Image, ImageFilter

STYLES = ("light", "dark", "alpha")
CANVAS = 280


def _stroke_mask(digit: np.ndarray, height: int, width_change: int) -> np.ndarray:
    """The digit's pen stroke, enlarged so its bounding box is ``height`` tall, as a [0,1] mask."""
    ink = np.asarray(digit, dtype=np.float32) / 255.0
    rows, cols = np.flatnonzero(ink.max(1) > 0.1), np.flatnonzero(ink.max(0) > 0.1)
    ink = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = ink.shape
    size = (max(2, round(w * height / h)), height)  # (width, height)
    big = Image.fromarray((ink * 255).astype(np.uint8), "L").resize(size, Image.Resampling.BICUBIC)
    mask = big.point(lambda v: 255 if v > 110 else 0)
    # A bolder or finer pen: grow or shrink the stroke (odd filter sizes only).
    for _ in range(abs(width_change)):
        mask = mask.filter(ImageFilter.MaxFilter(3) if width_change > 0 else ImageFilter.MinFilter(3))
    mask = mask.filter(ImageFilter.GaussianBlur(1.0))  # anti-aliased edges, as a browser draws
    return np.asarray(mask, dtype=np.float32) / 255.0


def draw(digit: np.ndarray, style: str, rng: np.random.Generator) -> np.ndarray:
    """One synthetic canvas ``(280, 280, 4)`` ``uint8`` RGBA drawing of an MNIST ``digit``."""
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, got {style!r}")
    height = int(rng.integers(70, 250))
    width_change = int(rng.integers(-height // 40, height // 25 + 1))
    mask = _stroke_mask(digit, height, width_change)
    if mask.max() < 0.5:  # the finer pen erased the digit: keep the original width
        mask = _stroke_mask(digit, height, 0)
    mh, mw = mask.shape
    mw = min(mw, CANVAS)
    mask = mask[:, :mw]
    top = int(rng.integers(0, CANVAS - mh + 1))
    left = int(rng.integers(0, CANVAS - mw + 1))
    ink = np.zeros((CANVAS, CANVAS), np.float32)
    ink[top:top + mh, left:left + mw] = mask
    rgba = np.zeros((CANVAS, CANVAS, 4), np.uint8)
    if style == "light":
        rgba[..., :3] = (ink * 255).round()[..., None]
        rgba[..., 3] = 255
    elif style == "dark":
        rgba[..., :3] = (255 - ink * 255).round()[..., None]
        rgba[..., 3] = 255
    else:
        rgba[..., 3] = (ink * 255).round()
    return rgba


def make_set(x: np.ndarray, y: np.ndarray, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``n`` drawings of random test digits, styles in turn: ``(images, labels, styles)``."""
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(x), size=n, replace=False)
    styles = [STYLES[i % 3] for i in range(n)]
    images = np.stack([draw(x[i], s, rng) for i, s in zip(idx, styles)])
    return images, np.asarray(y)[idx], styles


def main() -> None:
    from core.storage.mnist import load_mnist

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    _, (xte, yte) = load_mnist(prefer_full=False)
    images, labels, styles = make_set(xte, yte, args.n, args.seed)
    np.savez_compressed(args.out, images=images, labels=labels, styles=np.asarray(styles))
    print(f"saved {len(images)} drawings to {args.out}")


if __name__ == "__main__":
    main()
