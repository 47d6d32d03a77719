"""A small bounded cache shared by every session of the server process.

Explanations of a drawing (occlusion map, feature maps) cost tens of milliseconds each and
are the same for everyone who asks about the same drawing and model: the teacher's demo
digit opened by thirty students is computed once. Keys are built by the caller from
hashable values (``array_key`` turns an image into one). A key being computed by one
thread is waited for by the others instead of being computed again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import numpy as np

V = TypeVar("V")


def array_key(array: np.ndarray) -> tuple:
    """A short hashable fingerprint of an array's shape, dtype and bytes."""
    a = np.ascontiguousarray(array)
    return a.shape, a.dtype.str, hashlib.blake2b(a.tobytes(), digest_size=16).hexdigest()


class SharedCache(Generic[V]):
    """A thread-safe least-recently-used cache of at most ``size`` values."""

    def __init__(self, size: int, wait_s: float = 60.0):
        if size < 1:
            raise ValueError(f"cache size must be at least 1, got {size}")
        self.size = size
        self.wait_s = wait_s  # a waiter gives up on a stuck computation and computes it itself
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._pending: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._values

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value for ``key``, computing it with ``compute()`` at most once at a time."""
        while True:
            with self._lock:
                if key in self._values:
                    self.hits += 1
                    self._values.move_to_end(key)
                    return self._values[key]
                waiting = self._pending.get(key)
                if waiting is None:  # nobody computes it: this thread will
                    self.misses += 1
                    event = self._pending[key] = threading.Event()
                    break
            # another thread computes it; then read it (or compute, if it failed). A computation
            # that hangs must not hang every session asking for the same key: after wait_s this
            # thread computes the value itself (its result is kept like any other).
            if not waiting.wait(self.wait_s):
                self.misses += 1
                return self._compute_and_keep(key, compute)
        try:
            return self._compute_and_keep(key, compute)
        finally:
            with self._lock:
                if self._pending.get(key) is event:
                    del self._pending[key]
            event.set()

    def _compute_and_keep(self, key: Hashable, compute: Callable[[], V]) -> V:
        value = compute()
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
