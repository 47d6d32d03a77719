"""A student's saved drawings: corrected digits the classifier can learn from.

Each drawing is a 28×28 grey PNG ``digit-<label>-<time>-<id>-o<owner>.png`` in
``$NNLAB_HOME/drawings`` (``core.storage.owned``): the label and the owner live in the file
name, so relabelling is a rename and "my drawings" a filter on names. Only a drawing's owner,
or the teacher, may relabel or delete it. Writes are atomic; unreadable files are skipped.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.paths import user_dir
from core.storage import owned

_NAME = re.compile(r"digit-(\d)-(.+)\.png")


@dataclass(frozen=True)
class Drawing:
    """One saved drawing: its file, label and pixels ``(28, 28)`` uint8 (white digit on black)."""

    path: Path
    label: int
    image: np.ndarray
    owner: str = ""  # as written in the file name; "" for drawings from before owners


def drawings_dir() -> Path:
    return user_dir("drawings")


def _check_label(label: object) -> int:
    if not (isinstance(label, (int, np.integer)) and 0 <= int(label) <= 9):
        raise ValueError(f"the label must be a digit 0-9, got {label!r}")
    return int(label)


def save_drawing(digit: np.ndarray, label: int, directory: Path | None = None, owner: str = "") -> Path:
    """Save a preprocessed ``(28, 28)`` drawing in [0, 1] with its true ``label`` (atomic PNG),
    as ``owner``'s (``InputError("quota.files")`` past ``owned.max_files()`` of theirs)."""

    digit = np.asarray(digit, dtype=np.float32)
    if digit.shape != (28, 28):
        raise ValueError(f"a drawing must be 28×28, got {digit.shape}")
    label = _check_label(label)
    return owned.write(digit, Path(directory or drawings_dir()), f"digit-{label}", owner)


def _named(directory: Path | None, owner: str | None) -> list[owned.Named]:
    return owned.mine(owned.scan(Path(directory or drawings_dir()), "digit"), owner)


def count_drawings(owner: str | None = None, directory: Path | None = None) -> int:
    """How many drawings ``owner`` kept (``None``: the whole class), from file names alone."""
    return len(_named(directory, owner))


def list_drawings(directory: Path | None = None, owner: str | None = None, limit: int | None = None) -> list[Drawing]:
    """Readable drawings, newest first: ``owner``'s (``None``: the class's), at most ``limit``."""
    found = []
    for named in _named(directory, owner):
        if limit is not None and len(found) >= limit:
            break
        match = _NAME.fullmatch(named.path.name)
        arr = owned.pixels(named.path) if match else None
        if arr is not None:
            found.append(Drawing(named.path, int(match.group(1)), arr, named.owner))
    return found


def load_drawings(directory: Path | None = None, owner: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``owner``'s drawings (``None``: the class's) as ``uint8 (N, 28, 28)`` and labels ``(N,)``."""
    found = list_drawings(directory, owner)
    if not found:
        return np.zeros((0, 28, 28), np.uint8), np.zeros((0,), np.uint8)
    return np.stack([d.image for d in found]), np.asarray([d.label for d in found], dtype=np.uint8)


def _own(path: Path, directory: Path | None) -> Path:
    """``path`` if it is named like a drawing in the drawings folder (never anything else)."""
    path, folder = Path(path).resolve(), Path(directory or drawings_dir()).resolve()
    if path.parent != folder or not _NAME.fullmatch(path.name) or (path.exists() and not path.is_file()):
        raise ValueError(f"{path.name} is not one of your saved drawings")
    return path


def relabel_drawing(path: Path, label: int, directory: Path | None = None, owner: str | None = None,
                    teacher: bool = False) -> Path | None:
    """Give a saved drawing another label (a rename); its new path, or ``None`` when it is gone
    already (another tab deleted or relabelled it). Only its owner or the teacher may
    (``owner=None``: no check, for the command line and tests)."""
    path, label = _own(path, directory), _check_label(label)
    if not owned.check_change(path, owner, teacher):
        return None
    target = path.with_name(re.sub(r"^digit-\d-", f"digit-{label}-", path.name))
    before = owned.version(path.parent)
    try:
        os.replace(path, target)
    except FileNotFoundError:
        return None
    owned.note_renamed(path, target, "digit", before)
    return target


def delete_drawing(path: Path, directory: Path | None = None, owner: str | None = None,
                   teacher: bool = False) -> bool:
    """Remove a saved drawing; ``False`` when it was gone already. Only its owner or the teacher."""
    path = _own(path, directory)
    return owned.remove(path, "digit", owner, teacher)
