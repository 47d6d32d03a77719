"""Loading saved models: only from the shipped or the user folder, through one bounded cache.

Split from ``core.storage.store`` (which re-exports every public name here): ``load_model``
reads a ``.keras`` file only from ``assets/models/`` or the user's model folder, never an
upload (loading a Keras file is not a sandbox); ``load_cached`` is the lab's one cache of
loaded models, keyed by path and file version.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.errors import InputError
from core.memo import SharedCache
from core.paths import SHIPPED_MODELS, user_dir


class ModelLoadError(InputError):
    """A model file is missing (``model.missing``), outside the allowed folders
    (``model.refused``), or damaged / not a Keras file (``model.damaged``)."""


def user_models_dir() -> Path:
    """Where trained models go: ``$NNLAB_MODELS_DIR``, else ``$NNLAB_HOME/models``."""
    custom = os.environ.get("NNLAB_MODELS_DIR")
    if custom:
        path = Path(custom).expanduser()
        path.mkdir(parents=True, exist_ok=True)
        return path
    return user_dir("models")


def allowed_path(path: Path) -> bool:
    """Whether ``path`` is inside the shipped or the user model folder (the only ones loaded)."""
    path = path.resolve()
    return any(path.is_relative_to(d.resolve()) for d in (SHIPPED_MODELS, user_models_dir()))


def load_model(path: Path):
    """Load a ``.keras`` model from the shipped or user folder, else ``ModelLoadError``."""
    path = Path(path)
    if not allowed_path(path):
        raise ModelLoadError("model.refused", name=path.name)
    if not path.is_file():
        raise ModelLoadError("model.missing", name=path.name)
    # A .keras file is a zip; Keras reports anything else as "File not found", which misleads.
    if not zipfile.is_zipfile(path):
        raise ModelLoadError("model.damaged", name=path.name)

    import keras

    from core import device

    device.configure()  # before TensorFlow's first operation: the thread budget is fixed then
    try:
        return keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as exc:  # a truncated zip, a wrong format: all mean "unusable file"
        raise ModelLoadError("model.damaged", name=path.name) from exc


# ---------------------------------------------------------------- the one cache of loaded models
CACHE_SIZE = 8  # loaded models kept in memory, shared by every session of this process
_cache: SharedCache = SharedCache(CACHE_SIZE)


def file_version(path: Path) -> tuple[str, int, int]:
    """``(resolved path, mtime in ns, size)``: a re-exported file under the same name is a new key."""
    path = Path(path).resolve()
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


def is_cached(path: Path) -> bool:
    """Whether this version of the model file is loaded already."""
    try:
        return file_version(path) in _cache
    except OSError:
        return False


def load_cached(path: Path, prepare: Callable[[Any], Any] | None = None):
    """``load_model(path)``, cached by path and file version (at most ``CACHE_SIZE`` models).

    The lab's only cache of loaded models: pages and core both go through it, so a model
    file replaced on disk (a resumed GAN exported again, a model from another process) is
    loaded afresh, and old versions fall out of the bounded cache. ``prepare(model)`` runs
    once, right after loading (e.g. compiling what a stroke needs); sessions asking for a
    model being loaded wait for it instead of loading it again. The model remembers its
    version as ``model._nnlab_version`` (a key for caches of results computed with it).
    """
    try:
        key = file_version(path)
    except OSError as exc:
        raise ModelLoadError("model.missing", name=Path(path).name) from exc

    def load():
        model = load_model(Path(key[0]))
        object.__setattr__(model, "_nnlab_version", key)  # outside Keras' attribute tracking
        return prepare(model) if prepare else model

    return _cache.get(key, load)
