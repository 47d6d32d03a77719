"""Saved models and their JSON cards.

Shipped defaults live read-only in ``assets/models/``; models users train go to
``$NNLAB_MODELS_DIR`` (default ``$NNLAB_HOME/models``). Each model ``NAME.keras`` has a card ``NAME.json`` beside it
(architecture, hyper-parameters, epochs, metrics, data, date, device). Both are written
atomically. Only files in these two folders are ever loaded: never a user upload,
because loading a Keras file is not a sandbox.
"""

from __future__ import annotations

import os
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import InputError
from core.memo import SharedCache
from core.paths import SHIPPED_MODELS, atomic_save, atomic_write_json, read_json, user_dir


class ModelLoadError(InputError):
    """A model file is missing (``model.missing``), outside the allowed folders
    (``model.refused``), or damaged / not a Keras file (``model.damaged``)."""


@dataclass(frozen=True)
class ModelEntry:
    """A model on disk and its card."""

    name: str
    path: Path
    card: dict[str, Any]
    shipped: bool

    @property
    def kind(self) -> str:
        return self.card.get("kind", "")

    @property
    def label(self) -> str:
        """English label, e.g. ``"cnn-2026... (yours)"``; pages show ``chrome.model_label(t, entry)``."""
        return f"{self.name} ({self.origin})"

    @property
    def origin(self) -> str:
        """``"shipped"`` or ``"yours"``: a key the pages translate (``common.model_shipped``...)."""
        return "shipped" if self.shipped else "yours"


def user_models_dir() -> Path:
    """Where trained models go: ``$NNLAB_MODELS_DIR``, else ``$NNLAB_HOME/models``."""
    custom = os.environ.get("NNLAB_MODELS_DIR")
    if custom:
        path = Path(custom).expanduser()
        path.mkdir(parents=True, exist_ok=True)
        return path
    return user_dir("models")


def safe_name(name: str) -> str:
    """A file-system safe model name; raises ``ValueError`` for an empty one."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.")
    if not cleaned:
        raise InputError("model.bad_name", value=repr(name))
    return cleaned[:80]


def save_model(model, card: dict[str, Any], name: str, directory: Path | None = None) -> ModelEntry:
    """Save ``model`` and its ``card`` atomically as ``NAME.keras`` + ``NAME.json``."""
    directory = Path(directory) if directory else user_models_dir()
    name = safe_name(name)
    path = directory / f"{name}.keras"
    card = {**card, "name": name, "saved": time.strftime("%Y-%m-%d %H:%M:%S")}
    atomic_save(path, lambda tmp: model.save(tmp))
    atomic_write_json(path.with_suffix(".json"), card)
    return ModelEntry(name, path, card, directory.resolve() == SHIPPED_MODELS.resolve())


def list_models(kind: str | None = None, include_user: bool = True) -> list[ModelEntry]:
    """Models with a card, shipped first then the user's newest first; ``kind`` filters."""
    entries: list[ModelEntry] = []
    folders = [(SHIPPED_MODELS, True)] + ([(user_models_dir(), False)] if include_user else [])
    for folder, shipped in folders:
        found = []
        for card_path in folder.glob("*.json"):
            card = _read_card(card_path)
            model_path = card_path.with_suffix(".keras")
            if not isinstance(card, dict) or not model_path.exists():
                continue
            if kind is None or card.get("kind") == kind:
                found.append(ModelEntry(card_path.stem, model_path, card, shipped))
        found.sort(key=lambda e: e.card.get("saved", ""), reverse=not shipped)
        entries += found
    return entries


_cards: SharedCache = SharedCache(256)


def _read_card(path: Path) -> Any:
    """A card's JSON, parsed once per file version (cards carry 10,000 test predictions;
    every page open lists them). Treat the result as read-only."""
    try:
        key = file_version(path)
    except OSError:
        return None
    return _cards.get(key, lambda: read_json(path))


def _allowed(path: Path) -> bool:
    path = path.resolve()
    return any(path.is_relative_to(d.resolve()) for d in (SHIPPED_MODELS, user_models_dir()))


def load_model(path: Path):
    """Load a ``.keras`` model from the shipped or user folder, else ``ModelLoadError``."""
    path = Path(path)
    if not _allowed(path):
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
