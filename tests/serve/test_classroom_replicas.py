"""Classroom mode across replicas: HAProxy, Redis and two lab replicas (no worker: nothing trains).
The teacher's view is served by one replica, the students by the other: their drawings and
answers reach the teacher's view within 2 s through the Redis class store."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator

import pytest

from tests.e2e.test_classroom_e2e import KEY, LIVE_MS, run_class
from tests.serve.conftest import two_replicas

pytest.importorskip("keras")


@pytest.fixture(scope="module")
def cluster(redis_server) -> Iterator[dict]:
    redis_server.client.flushall()
    home = tempfile.mkdtemp(prefix="nnlab-classroom-")
    with two_replicas(redis_server.url, home, NNLAB_TEACHER_KEY=KEY) as served:
        yield {"proxy": served["proxy"], "redis": redis_server}


def test_drawings_from_one_replica_show_on_the_teachers_view_on_the_other(cluster, browser):
    proxy = cluster["proxy"]
    delays = run_class(browser, proxy.url, replicas=("lab1", "lab2", "lab2"))
    print("teacher view delays across replicas (s):", {k: round(v, 2) for k, v in delays.items()})
    assert all(v <= LIVE_MS / 1000 for v in delays.values()), delays
    log = proxy.output()  # HAProxy's request log names the replica that answered each page
    assert re.search(r"replicas/lab1 .*GET /classroom", log), log[-2000:]
    assert re.search(r"replicas/lab2 .*GET /classifier", log), log[-2000:]
    assert cluster["redis"].client.llen("nnlab:class:drawings") == 2  # the class store is Redis
