"""Saved models and their JSON cards.

Shipped defaults live read-only in ``assets/models/``; models users train go to
``$NNLAB_MODELS_DIR`` (default ``$NNLAB_HOME/models``). Each model ``NAME.keras`` has a card ``NAME.json`` beside it
(architecture, hyper-parameters, epochs, metrics, data, date, device). Both are written
atomically. Only files in these two folders are ever loaded: never a user upload,
because loading a Keras file is not a sandbox (``core.storage.model_files``: loading and the
one cache of loaded models; its names are importable from here too).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import InputError
from core.paths import SHIPPED_MODELS, STALE_AFTER_S, atomic_save, atomic_write_json
from core.storage.model_files import (  # noqa: F401 - loading is split off; its names stay importable here
    CACHE_SIZE,
    ModelLoadError,
    allowed_path,
    file_version,
    is_cached,
    load_cached,
    load_model,
    user_models_dir,
)

log = logging.getLogger("nnlab.store")

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


def safe_name(name: str) -> str:
    """A file-system safe model name; raises ``ValueError`` for an empty one."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.")
    if not cleaned:
        raise InputError("model.bad_name", value=repr(name))
    return cleaned[:80]


def _reserve(base: str, directory: Path) -> tuple[str, Path]:
    """The first free name of ``base``, ``base-2``, ``base-3``... and its reservation file.

    Free: no model, no card, and the reservation ``.NAME.reserved.tmp`` created here with
    ``O_EXCL``, which only one process or thread can do. Two workers finishing in the same
    second thus get two names; the loser of a race moves on to the next suffix.
    """
    directory.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        name = base if n == 1 else f"{base}-{n}"
        n += 1
        if (directory / f"{name}.keras").exists() or (directory / f"{name}.json").exists():
            continue
        marker = directory / f".{name}.reserved.tmp"
        try:
            os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            continue
        if (directory / f"{name}.keras").exists():  # saved between our check and the reservation
            marker.unlink(missing_ok=True)
            continue
        return name, marker


def save_model(model, card: dict[str, Any], name: str, directory: Path | None = None,
               unique: bool = False, owner: str = "") -> ModelEntry:
    """Save ``model`` and its ``card`` atomically as ``NAME.keras`` + ``NAME.json``.

    ``unique``: never replace a model; take ``NAME-2``, ``NAME-3``... instead (safe between
    threads and processes). ``owner``: the student's owner id, kept on the card (who may
    delete it, whose it is). The card is written first and the model file last, each
    atomically: lists show a model only when both exist, so a process killed in between
    leaves an unlisted card (removed at the next start), never a model nobody can see.
    """
    directory = Path(directory) if directory else user_models_dir()
    name, marker = _reserve(safe_name(name), directory) if unique else (safe_name(name), None)
    try:
        path = directory / f"{name}.keras"
        card = {**card, "name": name, "saved": time.strftime("%Y-%m-%d %H:%M:%S"), "owner": owner}
        atomic_write_json(path.with_suffix(".json"), card)
        atomic_save(path, lambda tmp: model.save(tmp))
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)
    return ModelEntry(name, path, card, directory.resolve() == SHIPPED_MODELS.resolve())


def list_models(kind: str | None = None, include_user: bool = True) -> list[ModelEntry]:
    """Models with a card, shipped first then the user's newest first; ``kind`` filters."""
    entries: list[ModelEntry] = []
    folders = [(SHIPPED_MODELS, True)] + ([(user_models_dir(), False)] if include_user else [])
    for folder, shipped in folders:
        found = [e for e in _folder_entries(folder, shipped) if kind is None or e.card.get("kind") == kind]
        found.sort(key=lambda e: e.card.get("saved", ""), reverse=not shipped)
        entries += found
    return entries


_listings: dict[str, tuple[int, dict[str, tuple[Any, ModelEntry | None]]]] = {}
_listing_lock = threading.Lock()
SETTLED_NS = 2_000_000_000  # a folder changed this recently may change again within its mtime's tick


_unreadable: dict[str, str] = {}  # card path -> why it could not be read (for the teacher's sidebar)


def _read_card(path: Path) -> dict[str, Any] | None:
    """A model card, or ``None`` when it cannot be read: then the model is not listed, and the
    reason is logged once and kept for ``unreadable_cards`` (a card written by a worker under
    another user without read rights for the lab was silently missing before)."""
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(card, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        why = f"{type(exc).__name__}: {getattr(exc, 'strerror', None) or exc}"
        if _unreadable.get(str(path)) != why:
            log.warning("model card %s cannot be read (%s): the model is not listed", path, why)
        _unreadable[str(path)] = why
        return None
    _unreadable.pop(str(path), None)
    return card


def unreadable_cards() -> list[tuple[str, str]]:
    """``(card path, reason)`` for every model card the last listings could not read."""
    return sorted(_unreadable.items())


def _folder_entries(folder: Path, shipped: bool) -> list[ModelEntry]:
    """The complete models of ``folder`` (a card and its ``.keras``), cached by the folder's version.

    Every page open lists the models, and a class may have hundreds, each card carrying
    10,000 test predictions: the list is reused while the folder is unchanged (its mtime),
    and after a change only new or rewritten cards are parsed again.
    """
    try:
        version = folder.stat().st_mtime_ns
    except OSError:
        return []
    key = str(folder.resolve())
    with _listing_lock:
        cached = _listings.get(key)
    if cached and cached[0] == version and time.time_ns() - version > SETTLED_NS:
        return [e for _, e in cached[1].values() if e is not None]
    known = cached[1] if cached else {}
    names = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    fresh: dict[str, tuple[Any, ModelEntry | None]] = {}
    for card_name in sorted(n for n in names if n.endswith(".json") and not n.startswith(".")):
        stem = card_name[:-len(".json")]
        if f"{stem}.keras" not in names:
            continue  # a card whose model is still being written (or never was): not a model yet
        card_path = folder / card_name
        try:
            stat = os.stat(card_path)  # a card rewritten under its name is read again
        except OSError:
            continue
        fv = (stat.st_mtime_ns, stat.st_size)
        old = known.get(card_name)
        if old is not None and old[0] == fv:
            fresh[card_name] = old
            continue
        card = _read_card(card_path)
        entry = ModelEntry(stem, card_path.with_suffix(".keras"), card, shipped) if isinstance(card, dict) else None
        fresh[card_name] = (fv, entry)
    with _listing_lock:
        _listings[key] = (version, fresh)
    return [e for _, e in fresh.values() if e is not None]


def owner_of(entry: ModelEntry) -> str:
    """The owner id on a model's card (``""`` for shipped models and models made before owners)."""
    return "" if entry.shipped else str(entry.card.get("owner") or "")


def delete_model(entry: ModelEntry, owner: str, teacher: bool = False) -> bool:
    """Delete a user's model (its ``.keras`` first, so it leaves every list at once, then its card).

    Only its owner or the teacher may; shipped models never. Returns ``False`` when it was
    already gone (another tab deleted it): done all the same.
    """
    if entry.shipped or not allowed_path(entry.path):
        raise InputError("model.refused", name=entry.path.name)
    if not teacher and (not owner or owner_of(entry) != owner):
        raise InputError("owner.not_yours")
    existed = entry.path.exists()
    entry.path.unlink(missing_ok=True)
    entry.path.with_suffix(".json").unlink(missing_ok=True)
    return existed


def remove_orphan_cards(folder: Path | None = None, max_age_s: float = STALE_AFTER_S) -> list[Path]:
    """At start: delete cards older than ``max_age_s`` whose model file never arrived (a process
    killed between the two writes of ``save_model``). Returns what was removed."""
    folder = Path(folder) if folder else user_models_dir()
    removed, now = [], time.time()
    for card in folder.glob("*.json"):
        try:
            if not card.with_suffix(".keras").exists() and now - card.stat().st_mtime > max_age_s:
                card.unlink()
                removed.append(card)
        except OSError:
            continue
    return removed


