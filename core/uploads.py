"""Safe decoding of images users upload (photos of digits, pictures to convolve).

Pillow decodes; we only ever read pixels, never run or load anything. Every problem
raises ``ValueError`` with a message a student can act on.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 25_000_000  # 5000 x 5000; Pillow's bomb guard raises past 2x its own limit
MIN_SIDE = 8
MAX_BYTES = 5 * 1024 * 1024


def decode_image(data: bytes, name: str = "upload", max_side: int = 1024) -> np.ndarray:
    """Decode uploaded bytes to a grey ``float32`` array in [0, 1] (1 = white).

    Handles palette, 16-bit, CMYK, transparent and animated images (first frame;
    transparent pixels count as white paper). Images larger than ``max_side`` are
    shrunk keeping the aspect ratio.
    """
    if not data:
        raise ValueError(f"{name} is empty.")
    if len(data) > MAX_BYTES:
        raise ValueError(f"{name} is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES // 2**20} MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > MAX_PIXELS:
                raise ValueError(f"{name} is {img.width}×{img.height} pixels; the limit is "
                                 f"{MAX_PIXELS:,} pixels. Please upload a smaller picture.")
            img.seek(0)  # animated GIF/PNG: the first frame
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValueError(f"{name} is far too large to open safely ({exc}).") from exc
    except UnidentifiedImageError as exc:
        raise ValueError(f"{name} is not an image Pillow can read (PNG, JPEG, GIF, BMP...).") from exc
    except (OSError, SyntaxError, EOFError) as exc:
        raise ValueError(f"{name} looks damaged or truncated and could not be decoded ({exc}).") from exc
    if min(img.size) < MIN_SIDE:
        raise ValueError(f"{name} is only {img.width}×{img.height} pixels; "
                         f"it needs at least {MIN_SIDE} pixels on each side.")
    img = ImageOps.exif_transpose(img)
    return _to_grey(img, max_side)


def _to_grey(img: Image.Image, max_side: int) -> np.ndarray:
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float64)
        hi = arr.max() if arr.max() > 0 else 1.0
        grey = (arr / (65535.0 if hi > 255 else 255.0)).astype(np.float32)
        img = Image.fromarray((grey * 255).astype(np.uint8), "L")
    elif img.mode == "F":
        arr = np.asarray(img, dtype=np.float32)
        span = float(arr.max() - arr.min()) or 1.0
        img = Image.fromarray(((arr - arr.min()) / span * 255).astype(np.uint8), "L")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(paper, rgba)  # transparent = white paper
    img = img.convert("L")
    if max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(img, dtype=np.float32) / 255.0
