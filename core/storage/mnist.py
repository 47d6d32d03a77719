"""MNIST loading: the full set when present, else the bundled offline 10,000.

``load_mnist()`` mirrors ``keras.datasets.mnist.load_data()``: it returns
``(x_train, y_train), (x_test, y_test)`` with ``x`` as ``uint8 (N, 28, 28)`` and ``y``
as ``uint8 (N,)``. It never touches the network; only ``download_full_mnist()`` does,
and only when a user asks.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.paths import BUNDLED_DATA, atomic_write_bytes

KERAS_CACHE = Path("~/.keras/datasets/mnist.npz").expanduser()
MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"

Arrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class DataSource:
    """Which MNIST files ``load_mnist`` reads, for display."""

    name: str  # "full" or "bundled"
    path: str
    n_train: int
    n_test: int


def full_mnist_path() -> Path | None:
    """The full ``mnist.npz`` to use: ``$MNIST_PATH`` first, then the Keras cache."""
    env = os.environ.get("MNIST_PATH")
    for candidate in ([Path(env).expanduser()] if env else []) + [KERAS_CACHE]:
        if candidate.is_file():
            return candidate
    return None


def _check(x: np.ndarray, y: np.ndarray, where: str) -> tuple[np.ndarray, np.ndarray]:
    if x.ndim != 3 or x.shape[1:] != (28, 28) or len(x) != len(y):
        raise ValueError(f"{where}: expected x (N, 28, 28) and y (N,), got {x.shape} and {y.shape}")
    return x.astype(np.uint8, copy=False), y.astype(np.uint8, copy=False)


@lru_cache(maxsize=4)
def _load(full: str | None) -> Arrays:
    if full:
        with np.load(full) as f:
            train = _check(f["x_train"], f["y_train"], full)
            test = _check(f["x_test"], f["y_test"], full)
        return train, test
    with np.load(BUNDLED_DATA / "mnist_train10k.npz") as f:
        train = _check(f["x"], f["y"], "mnist_train10k.npz")
    with np.load(BUNDLED_DATA / "mnist_test.npz") as f:
        test = _check(f["x"], f["y"], "mnist_test.npz")
    return train, test


def load_mnist(prefer_full: bool = True) -> Arrays:
    """Return ``(x_train, y_train), (x_test, y_test)`` as ``uint8`` arrays.

    Uses a full ``mnist.npz`` (``$MNIST_PATH`` or the Keras cache) when one exists and
    ``prefer_full`` is true, else the bundled 10,000 training + 10,000 test images.
    Arrays are shared between callers: treat them as read-only.
    """
    full = full_mnist_path() if prefer_full else None
    (xtr, ytr), (xte, yte) = _load(str(full) if full else None)
    for a in (xtr, ytr, xte, yte):
        a.flags.writeable = False
    return (xtr, ytr), (xte, yte)


def data_source(prefer_full: bool = True) -> DataSource:
    """Describe what ``load_mnist`` would read."""
    full = full_mnist_path() if prefer_full else None
    (xtr, _), (xte, _) = load_mnist(prefer_full)
    if full:
        return DataSource("full", str(full), len(xtr), len(xte))
    return DataSource("bundled", str(BUNDLED_DATA), len(xtr), len(xte))


def download_full_mnist(dest: Path = KERAS_CACHE, timeout: float = 20.0) -> Path:
    """Download the full 60,000-image MNIST to ``dest`` (the Keras cache by default).

    Raises ``ConnectionError`` with a plain message when offline or too slow.
    """
    try:
        with urllib.request.urlopen(MNIST_URL, timeout=timeout) as response:
            data = response.read()
    except (urllib.error.URLError, socket.timeout, TimeoutError, OSError) as exc:
        raise ConnectionError(
            f"Could not download MNIST from {MNIST_URL} within {timeout:.0f} s ({exc}). "
            "The lab keeps working offline with the bundled 10,000 images."
        ) from exc
    atomic_write_bytes(dest, data)
    with np.load(dest) as f:  # validate before anyone relies on it
        _check(f["x_train"], f["y_train"], str(dest))
    _load.cache_clear()
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="MNIST data for the Neural Network Lab")
    parser.add_argument("--download", action="store_true", help="fetch the full 60,000 set")
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args(argv)
    if args.download:
        try:
            print(f"saved {download_full_mnist(timeout=args.timeout)}")
        except ConnectionError as exc:
            print(exc, file=sys.stderr)
            return 1
    src = data_source()
    print(f"using {src.name} MNIST: {src.n_train} train, {src.n_test} test ({src.path})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
