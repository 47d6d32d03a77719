"""core.memo: the bounded cache shared by sessions computes each key once, even when asked at once."""

import threading
import time

import numpy as np
import pytest

from core.memo import SharedCache, array_key


def test_least_recently_used_value_leaves_first():
    cache = SharedCache(2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)  # a is used again: b is now the oldest
    cache.get("c", lambda: 3)
    assert "a" in cache and "c" in cache and "b" not in cache and len(cache) == 2


def test_concurrent_askers_wait_for_one_computation():
    cache, calls = SharedCache(4), []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return 42

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("k", slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8 and len(calls) == 1


def test_a_failed_computation_is_not_cached():
    cache = SharedCache(2)
    with pytest.raises(RuntimeError):
        cache.get("k", lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    assert cache.get("k", lambda: 5) == 5


def test_array_key_sees_every_pixel_and_the_dtype():
    a = np.zeros((28, 28), np.float32)
    b = a.copy()
    b[27, 27] = 1e-6
    assert array_key(a) == array_key(a.copy()) != array_key(b)
    assert array_key(a) != array_key(a.astype(np.float64))
    with pytest.raises(ValueError, match="size"):
        SharedCache(0)


def test_a_waiter_gives_up_on_a_stuck_computation_and_computes_itself():
    import threading
    import time

    from core.memo import SharedCache

    cache = SharedCache(4, wait_s=0.2)
    release = threading.Event()
    first = threading.Thread(target=lambda: cache.get("k", lambda: release.wait(5) and "late"))
    first.start()
    time.sleep(0.05)  # the first thread is computing "k" and hangs
    t0 = time.perf_counter()
    assert cache.get("k", lambda: "mine") == "mine"
    assert time.perf_counter() - t0 < 2  # waited about wait_s, not for the stuck one
    release.set()
    first.join()
    assert cache.get("k", lambda: "again") in ("mine", "late")  # kept; nothing computed a third time
