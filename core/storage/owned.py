"""Small PNG files a class keeps in one shared folder (drawings, symbols), each with its owner.

A file is ``<prefix>-<time>-<id>-o<owner>.png``: the owner (the student's id, ``core.identity``)
and the time live in the name, so listing, counting and filtering by owner read names only,
never pixels. Files from before owners existed (no ``-o...``) belong to nobody: only the
teacher may change them. Newest first everywhere.

The folder's names are cached by the folder's version (its mtime; a folder changed in the
last two seconds is scanned again, since its mtime may not have ticked yet), and decoded
pixels by file name (a file's pixels never change: a relabel is a rename), so a rerun with
thousands of drawings costs a ``stat``, not thousands of decodes.
"""

from __future__ import annotations

import io
import os
import re
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import InputError
from core.memo import SharedCache
from core.paths import atomic_write_bytes

MAX_FILES_DEFAULT = 500  # per student and folder (NNLAB_MAX_DRAWINGS): a class of 30 stays near 15,000
_OWNER_TAG = re.compile(r"-o([A-Za-z0-9]{1,32})\.png$")
_STAMP = re.compile(r"-(\d{8}-\d{6,9})-")
SETTLED_NS = 2_000_000_000
_pixels: SharedCache = SharedCache(20_000)  # file name -> (28, 28) uint8, 784 bytes each
_names: dict[str, tuple[int, list[Named]]] = {}
_names_lock = threading.Lock()


@dataclass(frozen=True)
class Named:
    """A file known by its name alone: path, owner (``""``: nobody), time stamp."""

    path: Path
    owner: str
    stamp: str


def max_files() -> int:
    """How many files one student may keep in one folder (``NNLAB_MAX_DRAWINGS``, default 500)."""
    try:
        return max(1, int(os.environ.get("NNLAB_MAX_DRAWINGS", MAX_FILES_DEFAULT)))
    except ValueError:
        return MAX_FILES_DEFAULT


def file_owner(owner: str) -> str:
    """The owner as written in file names (letters and digits only, at most 32)."""
    return re.sub(r"[^A-Za-z0-9]", "", owner or "")[:32]


def owner_of(path: Path) -> str:
    """The owner written in a file's name (``""`` for files from before owners)."""
    match = _OWNER_TAG.search(Path(path).name)
    return match.group(1) if match else ""


def may_change(path: Path, owner: str | None, teacher: bool = False) -> bool:
    """Whether ``owner`` may relabel or delete ``path``: theirs, or the teacher (``owner=None``:
    the command line and tests, no check)."""
    if owner is None or teacher:
        return True
    mine = file_owner(owner)
    return bool(mine) and owner_of(path) == mine


def scan(folder: Path, prefix: str) -> list[Named]:
    """Every ``<prefix>-*.png`` in ``folder``, newest first, from names alone (cached by folder version)."""
    folder = Path(folder)
    try:
        version = folder.stat().st_mtime_ns
    except OSError:
        return []
    key = f"{folder.resolve()}|{prefix}"
    with _names_lock:
        cached = _names.get(key)
    if cached and cached[0] == version and time.time_ns() - version > SETTLED_NS:
        return cached[1]
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith(f"{prefix}-") and name.endswith(".png"):
                stamp = _STAMP.search(name)
                found.append(Named(folder / name, owner_of(name), stamp.group(1) if stamp else ""))
    found.sort(key=lambda n: (n.stamp, n.path.name), reverse=True)
    with _names_lock:
        _names[key] = (version, found)
    return found


def mine(files: list[Named], owner: str | None) -> list[Named]:
    """Those of ``owner`` (``None``: all of them, the class's)."""
    if owner is None:
        return files
    tag = file_owner(owner)
    return [f for f in files if tag and f.owner == tag]


def pixels(path: Path) -> np.ndarray | None:
    """A file's ``(28, 28)`` uint8 pixels (decoded once per name), ``None`` if unreadable."""
    from PIL import Image

    def decode():
        try:
            with Image.open(path) as img:
                arr = np.asarray(img.convert("L"), dtype=np.uint8)
        except OSError:
            return None
        return arr if arr.shape == (28, 28) else None

    return _pixels.get(str(path), decode)


def write(image: np.ndarray, folder: Path, prefix: str, owner: str = "") -> Path:
    """Write a ``(28, 28)`` image in [0, 1] as a grey PNG named with time, id and owner (atomic).

    A student who already keeps ``max_files()`` files here gets ``InputError("quota.files")``.
    """
    from PIL import Image

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tag = file_owner(owner)
    if tag and len(mine(scan(folder, prefix.split("-")[0]), owner)) >= max_files():
        raise InputError("quota.files", limit=max_files())
    buf = io.BytesIO()
    Image.fromarray((np.clip(image, 0, 1) * 255).round().astype(np.uint8), "L").save(buf, "PNG")
    now = time.time()
    stamp = f"{time.strftime('%Y%m%d-%H%M%S', time.localtime(now))}{int(now * 1000) % 1000:03d}"
    path = folder / f"{prefix}-{stamp}-{uuid.uuid4().hex[:6]}{f'-o{tag}' if tag else ''}.png"
    atomic_write_bytes(path, buf.getvalue())
    return path


def check_change(path: Path, owner: str | None, teacher: bool) -> bool:
    """Raise ``InputError("owner.not_yours")`` unless ``owner`` may change ``path``; ``False``
    when the file is gone already (another tab deleted or relabelled it: nothing left to do)."""
    if not may_change(path, owner, teacher):
        raise InputError("owner.not_yours")
    return Path(path).is_file()
