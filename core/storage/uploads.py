"""Safe decoding of images users upload (photos of digits, pictures to convolve).

Pillow decodes; we only ever read pixels, never run or load anything. Every problem
raises ``InputError`` (a ``ValueError``) with a message a student can act on.

Memory: the file's header is read first and its size checked *before* any pixel is
decoded; a JPEG is decoded straight at a reduced scale (``draft``) when it is larger
than the page needs. The pixel cap keeps the decoded picture and every working copy
(grey, alpha, paper) of the largest accepted upload under about 100 MB
(``tests/unit/test_uploads.py`` measures the peak).
"""

from __future__ import annotations

import io
import re
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import InputError

MAX_PIXELS = 4_000_000  # decoded pixels (after a JPEG's reduced-scale decoding): 2000×2000
MIN_SIDE = 8
MAX_ASPECT = 20  # longer side / shorter side: a strip 20000×8 holds no digit
MAX_BYTES = 5 * 1024 * 1024  # the uploader's own limit (server.maxUploadSize = 5 MB)


def _open(data: bytes, name: str) -> Image.Image:
    """The image with only its header read (nothing decoded yet)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))  # Pillow names the size; we say it ourselves
        raise InputError("upload.bomb", name=name, pixels=int(found.group(1)) if found else "?",
                         limit=MAX_PIXELS) from exc
    except UnidentifiedImageError as exc:
        raise InputError("upload.not_image", name=name) from exc
    except (OSError, SyntaxError, EOFError, ValueError) as exc:
        raise InputError("upload.damaged", name=name) from exc


def _check_size(img: Image.Image, name: str, max_side: int) -> None:
    """Refuse by the header's size alone; a JPEG is first set to decode at a reduced scale."""
    width, height = img.size
    if min(width, height) < MIN_SIDE:
        raise InputError("upload.too_small", name=name, width=width, height=height, min=MIN_SIDE)
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise InputError("upload.too_thin", name=name, width=width, height=height, ratio=MAX_ASPECT)
    if img.format == "JPEG":
        longer = max(width, height)  # ask for the shape we keep: longer side max_side
        img.draft(img.mode, (-(-max_side * width // longer), -(-max_side * height // longer)))
    scale = width // img.width  # 1 unless the JPEG will be decoded smaller
    if img.width * img.height > MAX_PIXELS:
        raise InputError("upload.too_many_pixels", name=name, width=width, height=height,
                         pixels=width * height, limit=MAX_PIXELS * scale * scale)


def decode_image(data: bytes, name: str = "upload", max_side: int = 1024) -> np.ndarray:
    """Decode uploaded bytes to a grey ``float32`` array in [0, 1] (1 = white).

    Handles palette, 16-bit, CMYK, transparent and animated images (first frame;
    transparent pixels count as white paper). Images larger than ``max_side`` are
    shrunk keeping the aspect ratio. Raises ``InputError`` for an empty, oversized,
    unreadable, damaged, tiny, strip-shaped or fully transparent picture.
    """
    if not data:
        raise InputError("upload.empty", name=name)
    if len(data) > MAX_BYTES:
        raise InputError("upload.too_many_bytes", name=name, mb=round(len(data) / 2**20, 1),
                         limit=MAX_BYTES // 2**20)
    img = _open(data, name)
    _check_size(img, name, max_side)  # before decoding: a 5000×5000 RGBA costs 100 MB per copy
    try:
        img.seek(0)  # animated GIF/PNG: the first frame
        img.load()
    except (OSError, SyntaxError, EOFError, ValueError) as exc:
        raise InputError("upload.damaged", name=name) from exc
    ImageOps.exif_transpose(img, in_place=True)
    return _to_grey(img, max_side, name)


def _high_depth_to_l(img: Image.Image) -> Image.Image:
    """16-bit and float images as 8-bit grey, with float32 working arrays (not float64)."""
    arr = np.asarray(img)
    if img.mode == "F":
        low = float(arr.min())
        span = float(arr.max()) - low or 1.0
        scaled = np.multiply(arr - low, 255.0 / span, dtype=np.float32)
    else:  # I;16 and I: 16-bit (or 8-bit stored wide)
        scale = 255.0 / (65535.0 if arr.max() > 255 else 255.0)
        scaled = np.multiply(arr, scale, dtype=np.float32)
    return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8), "L")


def _to_grey(img: Image.Image, max_side: int, name: str) -> np.ndarray:
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        img = _high_depth_to_l(img)
    if img.mode in ("P", "PA") and ("transparency" in img.info or img.mode == "PA"):
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "RGBa", "La"):
        grey, alpha = img.convert("LA").split()  # two 1-byte planes, not four
        if alpha.getextrema()[1] == 0:
            raise InputError("upload.transparent", name=name)
        paper = Image.new("L", img.size, 255)
        img = Image.composite(grey, paper, alpha)  # transparent = white paper
    img = img.convert("L")
    if max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(img, dtype=np.float32) / 255.0
