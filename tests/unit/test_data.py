import hashlib
import time

import numpy as np
import pytest

from core.storage import mnist
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared" / "datasets"


def test_offline_load_is_fast_and_shaped_like_keras(monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_PATH", str(tmp_path / "absent.npz"))
    monkeypatch.setattr(mnist, "KERAS_CACHE", tmp_path / "no-cache.npz")
    mnist._load.cache_clear()
    start = time.perf_counter()
    (xtr, ytr), (xte, yte) = mnist.load_mnist()
    assert time.perf_counter() - start < 5
    assert xtr.shape == (10_000, 28, 28) and xte.shape == (10_000, 28, 28)
    assert ytr.shape == (10_000,) and yte.shape == (10_000,)
    assert xtr.dtype == ytr.dtype == xte.dtype == yte.dtype == np.uint8
    assert np.bincount(ytr).tolist() == [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
    assert mnist.data_source().name == "bundled"


def test_bundled_test_set_is_the_shared_one():
    (_, _), (xte, yte) = mnist.load_mnist(prefer_full=False)
    bundled = ROOT / "assets" / "data" / "mnist_test.npz"
    assert hashlib.sha256(bundled.read_bytes()).hexdigest() == (
        "3ba302235efdc3e7e4e84db9ce6a6d6cbc9dd1162d4e79dd0b6a606afc745423")
    if (SHARED / "mnist_test.npz").exists():
        with np.load(SHARED / "mnist_test.npz") as ref:
            np.testing.assert_array_equal(xte, ref["x"])
            np.testing.assert_array_equal(yte, ref["y"])


def test_full_file_is_preferred_when_present(monkeypatch, tmp_path):
    full = tmp_path / "mnist.npz"
    rng = np.random.default_rng(0)
    np.savez(full, x_train=rng.integers(0, 255, (60, 28, 28), dtype=np.uint8),
             y_train=np.arange(60, dtype=np.uint8) % 10,
             x_test=np.zeros((5, 28, 28), np.uint8), y_test=np.zeros(5, np.uint8))
    monkeypatch.setenv("MNIST_PATH", str(full))
    (xtr, _), (xte, _) = mnist.load_mnist()
    assert xtr.shape == (60, 28, 28) and xte.shape == (5, 28, 28)
    assert mnist.data_source().name == "full"
    (xtr, _), _ = mnist.load_mnist(prefer_full=False)
    assert len(xtr) == 10_000


def test_malformed_full_file_is_rejected(monkeypatch, tmp_path):
    bad = tmp_path / "mnist.npz"
    np.savez(bad, x_train=np.zeros((3, 10)), y_train=np.zeros(3), x_test=np.zeros((1, 28, 28)),
             y_test=np.zeros(1))
    monkeypatch.setenv("MNIST_PATH", str(bad))
    with pytest.raises(ValueError, match="expected x"):
        mnist.load_mnist()


def test_download_offline_fails_fast_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(mnist, "MNIST_URL", "http://127.0.0.1:9/mnist.npz")  # nothing listens
    start = time.perf_counter()
    with pytest.raises(ConnectionError, match="offline with the bundled"):
        mnist.download_full_mnist(tmp_path / "m.npz", timeout=3)
    assert time.perf_counter() - start < 10
    assert not (tmp_path / "m.npz").exists()
