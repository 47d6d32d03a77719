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
_names: dict[str, Listing] = {}
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


@dataclass
class Listing:
    """A folder's files of one prefix, newest first, and the same per owner."""

    version: int
    trusted_until: float  # an own change's version is trusted at once (until it settles anyway)
    files: list[Named]
    by_owner: dict[str, list[Named]]


def _listing(version: int, files: list[Named], trusted_until: float = 0.0) -> Listing:
    files.sort(key=lambda n: (n.stamp, n.path.name), reverse=True)
    by_owner: dict[str, list[Named]] = {}
    for named in files:
        by_owner.setdefault(named.owner, []).append(named)
    return Listing(version, trusted_until, files, by_owner)


def _named(path: Path) -> Named:
    stamp = _STAMP.search(path.name)
    return Named(path, owner_of(path.name), stamp.group(1) if stamp else "")


def scan(folder: Path, prefix: str) -> Listing:
    """Every ``<prefix>-*.png`` in ``folder``, newest first, from names alone, cached by the
    folder's version: a rerun costs one ``stat``. Changes made here (``write``, ``note_removed``,
    ``note_renamed``) update the cache in place; a change by another process (a replica)
    changes the folder's version and the next call scans it again."""
    folder = Path(folder)
    try:
        version = folder.stat().st_mtime_ns
    except OSError:
        return _listing(0, [])
    key = f"{folder.resolve()}|{prefix}"
    with _names_lock:
        cached = _names.get(key)
    if cached and cached.version == version and (
            time.time_ns() - version > SETTLED_NS or time.time() < cached.trusted_until):
        return cached
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(f"{prefix}-") and entry.name.endswith(".png"):
                found.append(_named(folder / entry.name))
    listing = _listing(version, found)
    with _names_lock:
        _names[key] = listing
    return listing


def _note(folder: Path, prefix: str, before: int, added: Path | None = None, removed: Path | None = None) -> None:
    """Apply this process's own change to the cached listing, if the cache was current just
    before it (``before``: the folder's version then); otherwise the next ``scan`` reads it."""
    key = f"{Path(folder).resolve()}|{prefix}"
    try:
        after = Path(folder).stat().st_mtime_ns
    except OSError:
        return
    with _names_lock:
        cached = _names.get(key)
        if cached is None or cached.version != before:
            _names.pop(key, None)
            return
        # new lists (readers may hold the old ones), no full sort: a new file is nearly always the newest
        files, by_owner = cached.files, dict(cached.by_owner)
        if removed is not None:
            gone = _named(removed)
            files = [n for n in files if n.path != gone.path]
            by_owner[gone.owner] = [n for n in by_owner.get(gone.owner, []) if n.path != gone.path]
        if added is not None:
            new = _named(added)
            files = _insert(files, new)
            by_owner[new.owner] = _insert(by_owner.get(new.owner, []), new)
        _names[key] = Listing(after, time.time() + SETTLED_NS / 1e9, files, by_owner)


def _insert(files: list[Named], new: Named) -> list[Named]:
    """``files`` (newest first) with ``new`` in its place, as a new list."""
    key = (new.stamp, new.path.name)
    at = 0
    while at < len(files) and (files[at].stamp, files[at].path.name) > key:
        at += 1
    return files[:at] + [new] + files[at:]


def version(folder: Path) -> int:
    """The folder's version now (its mtime in ns), 0 if it is missing."""
    try:
        return Path(folder).stat().st_mtime_ns
    except OSError:
        return 0


def note_removed(path: Path, prefix: str, before: int) -> None:
    """``path`` was deleted by this process (``before``: the folder's version just before)."""
    _note(Path(path).parent, prefix, before, removed=Path(path))


def note_renamed(old: Path, new: Path, prefix: str, before: int) -> None:
    """``old`` was renamed to ``new`` by this process (a relabel)."""
    _note(Path(old).parent, prefix, before, added=Path(new), removed=Path(old))


def mine(listing: Listing, owner: str | None) -> list[Named]:
    """Those of ``owner`` (``None``: all of them, the class's), newest first."""
    if owner is None:
        return listing.files
    tag = file_owner(owner)
    return listing.by_owner.get(tag, []) if tag else []


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
    tag, kind = file_owner(owner), prefix.split("-")[0]
    if tag and len(mine(scan(folder, kind), owner)) >= max_files():
        raise InputError("quota.files", limit=max_files())
    buf = io.BytesIO()
    Image.fromarray((np.clip(image, 0, 1) * 255).round().astype(np.uint8), "L").save(buf, "PNG")
    now = time.time()
    stamp = f"{time.strftime('%Y%m%d-%H%M%S', time.localtime(now))}{int(now * 1000) % 1000:03d}"
    path = folder / f"{prefix}-{stamp}-{uuid.uuid4().hex[:6]}{f'-o{tag}' if tag else ''}.png"
    before = version(folder)
    atomic_write_bytes(path, buf.getvalue())
    _note(folder, kind, before, added=path)
    return path


def check_change(path: Path, owner: str | None, teacher: bool) -> bool:
    """Raise ``InputError("owner.not_yours")`` unless ``owner`` may change ``path``; ``False``
    when the file is gone already (another tab deleted or relabelled it: nothing left to do)."""
    if not may_change(path, owner, teacher):
        raise InputError("owner.not_yours")
    return Path(path).is_file()


def remove(path: Path, prefix: str, owner: str | None, teacher: bool) -> bool:
    """Delete an owned file (only its owner or the teacher); ``False`` when it was gone already
    (another tab deleted it), so a stale delete is done, never an error."""
    if not check_change(path, owner, teacher):
        return False
    before = version(path.parent)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    note_removed(path, prefix, before)
    return True
