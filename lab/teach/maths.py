"""The teach lesson's rules and small sums, numpy only: class names, how many examples are
enough to train, the answer ranked, held-out splits and accuracy for the benchmark."""

from __future__ import annotations

import re

import numpy as np

from core.errors import InputError

MIN_CLASSES, MAX_CLASSES = 2, 10
MIN_EXAMPLES = 3  # per class, to train: fewer and one stray stroke decides the class
MAX_NAME = 30  # characters in a class name


def clean_name(name: object) -> str:
    """A class name as kept: spaces trimmed and single; ``InputError`` when empty or too long."""
    text = re.sub(r"\s+", " ", str(name or "")).strip()
    if not text:
        raise InputError("teach.name_empty")
    if len(text) > MAX_NAME:
        raise InputError("teach.name_long", name=text[:MAX_NAME] + "…", limit=MAX_NAME)
    return text


def check_new_name(name: object, existing: list[str]) -> str:
    """``name`` cleaned, if no class in ``existing`` has it already (case does not count)."""
    text = clean_name(name)
    if text.casefold() in {n.casefold() for n in existing}:
        raise InputError("teach.duplicate_name", name=text)
    return text


def check_names(names: list[str]) -> list[str]:
    """A whole list of class names (an imported project): cleaned, 2–10, no two alike."""
    if len(names) > MAX_CLASSES:
        raise InputError("teach.too_many_classes", n=len(names), limit=MAX_CLASSES)
    out: list[str] = []
    for name in names:
        out.append(check_new_name(name, out))
    return out


def check_trainable(names: list[str], counts: list[int], minimum: int = MIN_EXAMPLES) -> None:
    """Raise ``InputError`` unless there are 2–10 classes with at least ``minimum`` examples each."""
    if len(names) < MIN_CLASSES:
        raise InputError("teach.too_few_classes", n=len(names), need=MIN_CLASSES)
    if len(names) > MAX_CLASSES:
        raise InputError("teach.too_many_classes", n=len(names), limit=MAX_CLASSES)
    for name, count in zip(names, counts):
        if count < minimum:
            raise InputError("teach.too_few_examples", name=name, n=count, need=minimum)


def ranked(probs: np.ndarray, names: list[str]) -> list[tuple[str, float]]:
    """``(name, probability)`` pairs, most likely first (``probs``: ``(n,)``, one per name)."""
    p = np.asarray(probs, np.float64).reshape(-1)
    if len(p) != len(names):
        raise ValueError(f"{len(p)} probabilities for {len(names)} classes")
    order = np.argsort(-p, kind="stable")
    return [(names[i], float(p[i])) for i in order]


def split(y: np.ndarray, per_class: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices: ``per_class`` random examples of each label to train on, and all the others."""
    rng = np.random.default_rng(seed)
    train, held = [], []
    for label in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == label))
        train += list(idx[:per_class])
        held += list(idx[per_class:])
    return rng.permutation(np.asarray(train, np.int64)), np.asarray(held, np.int64)


def accuracy(probs: np.ndarray, y: np.ndarray) -> float:
    """Share of rows of ``probs`` ``(N, n)`` whose most likely class is ``y`` ``(N,)``."""
    probs, y = np.asarray(probs), np.asarray(y)
    if len(probs) != len(y) or len(y) == 0:
        raise ValueError(f"need as many answers as labels, got {len(probs)} and {len(y)}")
    return float(np.mean(probs.argmax(axis=1) == y))
