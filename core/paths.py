"""Where things live on disk, and atomic writes.

Shipped, read-only files sit under ``assets/``. Everything a user makes (trained
models, checkpoints, drawings, job records) goes under the user directory, named
by ``NNLAB_HOME`` (default ``~/.nnlab``).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
SHIPPED_MODELS = ASSETS / "models"
BUNDLED_DATA = ASSETS / "data"
STALE_AFTER_S = 600  # a temporary file this old belongs to no write in progress
log = logging.getLogger("nnlab.paths")
_cleaned = False
_clean_lock = threading.Lock()


def user_home() -> Path:
    """The user directory (``$NNLAB_HOME`` or ``~/.nnlab``), created on demand."""
    home = Path(os.environ.get("NNLAB_HOME", Path.home() / ".nnlab")).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


def user_dir(name: str) -> Path:
    """A sub-folder of the user directory (``models``, ``jobs``, ``drawings``...)."""
    path = user_home() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_mode() -> int:
    """The mode a new file gets under this process's umask (0o664 under ``umask 002``, 0o644
    under the usual 022), read from ``/proc`` when it can: ``os.umask`` would have to set it
    to ask, and another thread could create a file in between."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _clean_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The file gets the mode an ordinary ``open`` would (``file_mode``), not ``mkstemp``'s 0600:
    replicas and workers running as other users of one group must read what the others write
    (run them all with ``umask 002`` and a shared group; README, deploy/systemd)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, obj: Any) -> None:
    """Atomically write ``obj`` as indented JSON."""
    atomic_write_bytes(Path(path), json.dumps(obj, indent=2, default=str).encode("utf-8"))


def atomic_save(path: Path, save_fn) -> None:
    """Atomically produce ``path`` with ``save_fn(tmp_path)`` (e.g. ``model.save``).

    The temporary file keeps the final suffix because Keras picks the format from it, and has
    a random part: two writers of the same name (two workers, two threads) never write into
    one temporary, nor rename the other's away.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial-{uuid.uuid4().hex[:12]}{path.suffix}")
    try:
        save_fn(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_json(path: Path, default: Any = None) -> Any:
    """Read JSON, returning ``default`` when the file is missing or corrupt."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def is_temporary(path: Path) -> bool:
    """Whether ``path`` is a leftover of ``atomic_write_bytes`` (``.NAME.xxx.tmp``) or
    ``atomic_save`` (``.STEM.partial-RANDOM.SUFFIX``), or a name reservation (``.NAME.reserved.tmp``)."""
    name = Path(path).name
    return name.startswith(".") and (name.endswith(".tmp") or ".partial" in name)


def remove_stale_temporaries(folders: Iterable[Path] | None = None, max_age_s: float = STALE_AFTER_S,
                             now: float | None = None) -> list[Path]:
    """Delete temporaries older than ``max_age_s`` under ``folders`` (default: the user directory).

    A process killed in the middle of an atomic write (``kill -9``, a power cut) leaves
    its temporary behind; younger ones may belong to a write in progress and stay.
    Returns what was removed.
    """
    now = time.time() if now is None else now
    removed = []
    for folder in folders if folders is not None else [user_home()]:
        for path in Path(folder).rglob(".*"):
            try:
                if path.is_file() and is_temporary(path) and now - path.stat().st_mtime > max_age_s:
                    path.unlink()
                    removed.append(path)
            except OSError:  # gone meanwhile, or not ours to delete: leave it
                continue
    if removed:
        log.info("removed %d stale temporary file(s): %s", len(removed), ", ".join(p.name for p in removed))
    return removed


def clean_up_once(extra_folders: Iterable[Path] = ()) -> None:
    """``remove_stale_temporaries`` on the user directory (and ``extra_folders``), once per process."""
    global _cleaned
    with _clean_lock:
        if _cleaned:
            return
        _cleaned = True
    remove_stale_temporaries([user_home(), *extra_folders])
