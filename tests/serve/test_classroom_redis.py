"""The class store on Redis: the same checks as on files (``tests/unit/test_classroom_store.py``),
two replicas' stores seeing each other's records, and Redis away costing no page."""

import time

import numpy as np
import pytest

from core.classroom import records as r
from core.classroom.redis_store import RedisClassStore
from core.errors import InputError
from tests.unit.test_classroom_store import CHECKS, _digit, _probs


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_redis_backend(redis_url, check):
    check(RedisClassStore(redis_url))


def test_two_replicas_share_the_class(redis_url):
    one, two = RedisClassStore(redis_url), RedisClassStore(redis_url)
    c = one.start_challenge(5)
    assert two.challenge() == c
    two.add_drawing(r.new_drawing("owner_bbbb", "Owl", c, _digit(3), _probs(5, 0.7)))
    assert [d["nickname"] for d in one.drawings()] == ["Owl"]
    assert np.array_equal(r.pixels(one.drawings()[0]), r.pixels(two.drawings()[0]))


def test_keys_expire_with_the_jobs_retention(redis_url, redis_server, monkeypatch):
    monkeypatch.setenv("NNLAB_JOBS_KEEP_DAYS", "2")
    s = RedisClassStore(redis_url)
    s.touch("owner_aaaa", "Fox", "classifier")
    ttl = redis_server.client.ttl("nnlab:class:presence")
    assert 2 * 86400 - 10 < ttl <= 2 * 86400


def test_redis_away_degrades_reads_and_refuses_actions(redis_server, redis_url):
    s = RedisClassStore(redis_url)
    s.touch("owner_aaaa", "Fox", "classifier")
    assert len(s.presence()) == 1
    redis_server.stop()
    try:
        started = time.monotonic()
        s.touch("owner_aaaa", "Fox", "playground")  # a heartbeat is dropped quietly
        assert len(s.presence()) == 1 and not s.available  # the last answer
        with pytest.raises(InputError) as err:
            s.start_challenge(3)
        assert err.value.code == "classroom.unavailable"
        assert time.monotonic() - started < 15  # a down Redis never stalls a page for long
    finally:
        redis_server.start()
    assert s.challenge() is None and s.available  # back by itself
