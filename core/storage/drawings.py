"""A student's saved drawings: corrected digits the classifier can learn from.

Each drawing is a 28×28 grey PNG ``digit-<label>-<time>-<id>.png`` in
``$NNLAB_HOME/drawings``: the label lives in the file name, so relabelling is a rename and
nothing else needs to stay in step. Writes are atomic; unreadable files are skipped.
"""

from __future__ import annotations

import io
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.paths import atomic_write_bytes, user_dir

_NAME = re.compile(r"digit-(\d)-(.+)\.png")


def write_png(image: np.ndarray, folder: Path, prefix: str) -> Path:
    """Write a ``(28, 28)`` image in [0, 1] as a grey PNG ``<prefix>-<time>-<id>.png`` (atomic)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray((np.clip(image, 0, 1) * 255).round().astype(np.uint8), "L").save(buf, "PNG")
    path = folder / f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}.png"
    atomic_write_bytes(path, buf.getvalue())
    return path


def read_pngs(folder: Path, pattern: str, name: re.Pattern) -> list[tuple[Path, re.Match, np.ndarray]]:
    """``(path, name match, pixels (28, 28) uint8)`` of every readable 28×28 PNG in ``folder``
    matching ``pattern`` whose name ``name`` matches, oldest first (by name); others are skipped."""
    from PIL import Image

    found = []
    for path in sorted(folder.glob(pattern)):
        match = name.fullmatch(path.name)
        try:
            with Image.open(path) as img:
                arr = np.asarray(img.convert("L"), dtype=np.uint8)
        except OSError:
            continue
        if match and arr.shape == (28, 28):
            found.append((path, match, arr))
    return found


@dataclass(frozen=True)
class Drawing:
    """One saved drawing: its file, label and pixels ``(28, 28)`` uint8 (white digit on black)."""

    path: Path
    label: int
    image: np.ndarray


def drawings_dir() -> Path:
    return user_dir("drawings")


def _check_label(label: object) -> int:
    if not (isinstance(label, (int, np.integer)) and 0 <= int(label) <= 9):
        raise ValueError(f"the label must be a digit 0-9, got {label!r}")
    return int(label)


def save_drawing(digit: np.ndarray, label: int, directory: Path | None = None) -> Path:
    """Save a preprocessed ``(28, 28)`` drawing in [0, 1] with its true ``label`` (atomic PNG)."""

    digit = np.asarray(digit, dtype=np.float32)
    if digit.shape != (28, 28):
        raise ValueError(f"a drawing must be 28×28, got {digit.shape}")
    label = _check_label(label)
    return write_png(digit, Path(directory or drawings_dir()), f"digit-{label}")


def list_drawings(directory: Path | None = None) -> list[Drawing]:
    """Every readable drawing, oldest first."""

    return [Drawing(path, int(match.group(1)), arr)
            for path, match, arr in read_pngs(Path(directory or drawings_dir()), "digit-*.png", _NAME)]


def load_drawings(directory: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The saved drawings as ``uint8 (N, 28, 28)`` and labels ``(N,)``."""
    found = list_drawings(directory)
    if not found:
        return np.zeros((0, 28, 28), np.uint8), np.zeros((0,), np.uint8)
    return np.stack([d.image for d in found]), np.asarray([d.label for d in found], dtype=np.uint8)


def _own(path: Path, directory: Path | None) -> Path:
    """``path`` if it is a drawing file in the drawings folder (never anything else)."""
    path, folder = Path(path).resolve(), Path(directory or drawings_dir()).resolve()
    if path.parent != folder or not _NAME.fullmatch(path.name) or not path.is_file():
        raise ValueError(f"{path.name} is not one of your saved drawings")
    return path


def relabel_drawing(path: Path, label: int, directory: Path | None = None) -> Path:
    """Give a saved drawing another label (a rename); its new path."""
    path, label = _own(path, directory), _check_label(label)
    target = path.with_name(re.sub(r"^digit-\d-", f"digit-{label}-", path.name))
    os.replace(path, target)
    return target


def delete_drawing(path: Path, directory: Path | None = None) -> None:
    """Remove a saved drawing."""
    _own(path, directory).unlink()
