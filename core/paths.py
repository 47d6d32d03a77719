"""Where things live on disk, and atomic writes.

Shipped, read-only files sit under ``assets/``. Everything a user makes (trained
models, checkpoints, drawings, job records) goes under the user directory, named
by ``NNLAB_HOME`` (default ``~/.nnlab``).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
SHIPPED_MODELS = ASSETS / "models"
BUNDLED_DATA = ASSETS / "data"


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


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
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

    The temporary file keeps the final suffix because Keras picks the format from it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
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
