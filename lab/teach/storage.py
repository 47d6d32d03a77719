"""A student's teach project on disk: their class names and their examples, theirs alone.

One folder per owner, ``$NNLAB_HOME/teach/<owner>/``: ``classes.json`` (the classes in order,
each with a fixed id, so a rename never touches the examples) and the examples as 28×28 PNG
files written by ``core.storage.owned`` (``teach-<class id>-<time>-<id>-o<owner>.png``: the owner
in the name, the per-student quota, atomic writes, owner-checked deletes). A session only ever
opens its own owner's folder, so nobody else's examples are listed; a teacher's tool (the
classroom challenge) may read them all by owner.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.errors import InputError
from core.paths import atomic_write_json, read_json, user_dir
from core.storage import owned
from lab.teach import maths

PREFIX = "teach"
_EXAMPLE = re.compile(r"teach-([a-f0-9]{8})-.+\.png")


@dataclass(frozen=True)
class TeachClass:
    id: str  # 8 hex digits, fixed for the class's life
    name: str


@dataclass(frozen=True)
class Example:
    path: Path
    class_id: str
    image: np.ndarray  # (28, 28) uint8, white ink on black


@dataclass
class Project:
    """The classes in order and each one's examples, newest first."""

    classes: list[TeachClass]
    examples: dict[str, list[Example]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.classes]

    def counts(self) -> list[int]:
        return [len(self.examples.get(c.id, [])) for c in self.classes]

    def training_data(self) -> tuple[np.ndarray, np.ndarray]:
        """All examples as ``uint8 (N, 28, 28)`` and labels ``(N,)`` (indices into ``classes``)."""
        images = [e.image for c in self.classes for e in self.examples.get(c.id, [])]
        labels = [i for i, c in enumerate(self.classes) for _ in self.examples.get(c.id, [])]
        if not images:
            return np.zeros((0, 28, 28), np.uint8), np.zeros((0,), np.int64)
        return np.stack(images), np.asarray(labels, np.int64)


def project_dir(owner: str) -> Path:
    """This owner's folder (created on demand); ``ValueError`` without an owner."""
    tag = owned.file_owner(owner)
    if not tag:
        raise ValueError("a teach project needs its owner")
    folder = user_dir(PREFIX) / tag
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _classes(folder: Path) -> list[TeachClass]:
    rows = read_json(folder / "classes.json", {}).get("classes", [])
    return [TeachClass(str(r["id"]), str(r["name"])) for r in rows if isinstance(r, dict) and "id" in r]


def _write_classes(folder: Path, classes: list[TeachClass]) -> None:
    atomic_write_json(folder / "classes.json", {"classes": [{"id": c.id, "name": c.name} for c in classes]})


def load(owner: str) -> Project:
    """The owner's project: classes and examples (files of a class deleted meanwhile are left out)."""
    folder = project_dir(owner)
    classes = _classes(folder)
    ids = {c.id for c in classes}
    examples: dict[str, list[Example]] = {c.id: [] for c in classes}
    for named in owned.mine(owned.scan(folder, PREFIX), owner):
        match = _EXAMPLE.fullmatch(named.path.name)
        image = owned.pixels(named.path) if match and match.group(1) in ids else None
        if image is not None:
            examples[match.group(1)].append(Example(named.path, match.group(1), image))
    return Project(classes, examples)


def _find(classes: list[TeachClass], class_id: str) -> int:
    for i, c in enumerate(classes):
        if c.id == class_id:
            return i
    raise InputError("teach.unknown_class")


def add_class(owner: str, name: str) -> TeachClass:
    """A new class at the end (``InputError``: a bad or taken name, or ten classes already)."""
    folder = project_dir(owner)
    classes = _classes(folder)
    if len(classes) >= maths.MAX_CLASSES:
        raise InputError("teach.too_many_classes", n=len(classes) + 1, limit=maths.MAX_CLASSES)
    new = TeachClass(uuid.uuid4().hex[:8], maths.check_new_name(name, [c.name for c in classes]))
    _write_classes(folder, classes + [new])
    return new


def rename_class(owner: str, class_id: str, name: str) -> None:
    """Give class ``class_id`` a new name (its examples stay)."""
    folder = project_dir(owner)
    classes = _classes(folder)
    at = _find(classes, class_id)
    others = [c.name for c in classes if c.id != class_id]
    classes[at] = TeachClass(class_id, maths.check_new_name(name, others))
    _write_classes(folder, classes)


def delete_class(owner: str, class_id: str) -> None:
    """Delete a class and its examples (an unknown id: done already, by another tab)."""
    folder = project_dir(owner)
    classes = _classes(folder)
    for example in load(owner).examples.get(class_id, []):
        owned.remove(example.path, PREFIX, owner, teacher=False)
    _write_classes(folder, [c for c in classes if c.id != class_id])


def add_example(owner: str, class_id: str, image: np.ndarray) -> Path:
    """Keep a preprocessed ``(28, 28)`` drawing in [0, 1] as an example of ``class_id``."""
    image = np.asarray(image, np.float32)
    if image.shape != (28, 28):
        raise ValueError(f"an example must be 28×28, got {image.shape}")
    folder = project_dir(owner)
    _find(_classes(folder), class_id)
    return owned.write(image, folder, f"{PREFIX}-{class_id}", owner)


def delete_example(owner: str, path: Path) -> bool:
    """Delete one of the owner's examples; ``False`` when it was gone already."""
    path, folder = Path(path).resolve(), project_dir(owner).resolve()
    if path.parent != folder or not _EXAMPLE.fullmatch(path.name):
        raise ValueError(f"{path.name} is not one of your examples")
    return owned.remove(path, PREFIX, owner, teacher=False)


def replace(owner: str, names: list[str], images: list[np.ndarray]) -> Project:
    """Replace the owner's whole project with ``names`` and ``images[i]`` (``(k, 28, 28)`` in
    [0, 1]) as class i's examples: an imported project. Checked before anything is deleted."""
    names = maths.check_names(names)
    if len(images) != len(names):
        raise ValueError(f"{len(images)} groups of examples for {len(names)} classes")
    folder = project_dir(owner)
    for named in owned.mine(owned.scan(folder, PREFIX), owner):
        owned.remove(named.path, PREFIX, owner, teacher=False)
    classes = [TeachClass(uuid.uuid4().hex[:8], n) for n in names]
    _write_classes(folder, classes)
    for c, group in zip(classes, images):
        for image in group:
            owned.write(np.asarray(image, np.float32), folder, f"{PREFIX}-{c.id}", owner)
    return load(owner)
