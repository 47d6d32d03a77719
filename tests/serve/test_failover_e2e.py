"""Browser: the class deployment through faults. Two replicas behind HAProxy (deploy/haproxy.cfg's
settings), a Redis with AOF and a password. Redis stops and starts under open pages; a replica
is killed under a student with a queued job. Each test prints its measured recovery times."""

from __future__ import annotations

import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from core import identity
from core.backends.redis_queue import QueueRegistry
from core.jobs.registry import CANCELLED
from tests.e2e.helpers import by_key, exceptions, open_page, wait_idle
from tests.serve.conftest import RedisServer, serverid, two_replicas, wait_for

UNAVAILABLE_EN = "Training is unavailable for now"
UNAVAILABLE_ES = "El entrenamiento no está disponible por ahora"
SECRET = "one-secret-for-all-replicas"


@pytest.fixture(scope="module")
def cluster() -> Iterator[dict]:
    redis = RedisServer(persist=True).start()
    home = tempfile.mkdtemp(prefix="nnlab-faults-")
    try:
        with two_replicas(redis.url, home, STREAMLIT_SERVER_COOKIE_SECRET=SECRET) as served:
            yield {**served, "redis": redis}
    finally:
        redis.stop()


def test_redis_away_every_page_renders_and_comes_back_without_reload(cluster, browser):
    proxy, redis = cluster["proxy"], cluster["redis"]
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = open_page(ctx.new_page(), proxy.url, "perceptron")
        expect(page.get_by_text(UNAVAILABLE_EN)).to_have_count(0)
        redis.stop()
        down = time.time()
        # the open page, without a reload: the sidebar says so (queue Starts are disabled:
        # tests/app/test_jobs_unavailable.py; the XOR trains in the lab process and still starts)
        expect(page.get_by_text(UNAVAILABLE_EN).first).to_be_visible(timeout=20_000)
        noticed = time.time() - down
        expect(by_key(page, "perceptron_train").get_by_role("button")).to_be_enabled()
        # new visitors get whole pages, in their language; drawing and predicting need no queue
        for path, lang, text in (("perceptron", "es", UNAVAILABLE_ES), ("classifier", "en", UNAVAILABLE_EN)):
            other = open_page(ctx.new_page(), proxy.url, path, lang=lang)
            expect(other.get_by_text(text).first).to_be_visible(timeout=20_000)
            assert exceptions(other) == []
        assert exceptions(page) == []
        restarted = time.time()
        redis.restart(down_s=0)
        expect(page.get_by_text(UNAVAILABLE_EN)).to_have_count(0, timeout=20_000)
        recovered = time.time() - restarted
        print(f"\nRedis stopped -> open page says so after {noticed:.1f} s; redis-server started "
              f"-> the message gone, no reload, after {recovered:.1f} s")
        assert exceptions(page) == []
    finally:
        ctx.close()


def status_with_cookie(url: str, server: str) -> tuple[int, str]:
    """The status of ``url`` for a browser sticky to ``server``, and the replica that answered."""
    request = urllib.request.Request(url, headers={"Cookie": f"SERVERID={server}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            cookies = [c for c in r.headers.get_all("Set-Cookie") or [] if c.startswith("SERVERID=")]
            return r.status, (cookies[0] if cookies else f"SERVERID={server}").split("=")[1].split(";")[0]
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def test_a_dead_replica_costs_no_503_and_the_students_job_stays_theirs(cluster, browser, monkeypatch):
    from core.training import classifier

    monkeypatch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", SECRET)
    proxy, replicas = cluster["proxy"], cluster["replicas"]
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = open_page(ctx.new_page(), proxy.url, "perceptron?student=a")
        home = serverid(ctx)
        other = "lab2" if home == "lab1" else "lab1"
        token = wait_for(lambda: next((c["value"] for c in ctx.cookies() if c["name"] == "nnlab_id"), None), 30,
                         "the identity cookie")
        owner = identity.verify(token)  # the student's signed id (the replicas' secret)
        config = classifier.make_config("mlp", epochs=1, max_train=200, batch_size=50, name="failover")
        job = classifier.submit_config(QueueRegistry(cluster["redis"].url), config, "MLP", owner=owner)
        # no worker: the job stays queued, and the sidebar shows it as this student's
        expect(page.get_by_text("queued, position 1").first).to_be_visible(timeout=30_000)
        expect(page.get_by_text("yours").first).to_be_visible()

        replicas[home].kill()
        killed = time.time()
        answers = []
        while time.time() - killed < 6:
            answers.append((time.time() - killed, *status_with_cookie(f"{proxy.url}/_stcore/health", home)))
            time.sleep(0.1)
        failed = [a for a in answers if a[1] != 200]
        print(f"\nreplica {home} killed: {len(failed)} of {len(answers)} requests failed "
              f"(statuses {sorted({a[1] for a in failed})}); first answer by {other} after "
              f"{next(a[0] for a in answers if a[2] == other):.2f} s")
        assert not failed, failed[:5]
        assert all(a[2] == other for a in answers)  # redispatched, the cookie rewritten

        # the open page reconnects through the proxy to the other replica: still their job
        expect(page.get_by_role("button", name="Stop").first).to_be_visible(timeout=60_000)
        moved = time.time() - killed
        assert serverid(ctx) == other
        expect(page.get_by_text("yours").first).to_be_visible()
        page.get_by_role("button", name="Stop").first.click()
        wait_idle(page)
        assert QueueRegistry(cluster["redis"].url).get(job.id).status == CANCELLED
        print(f"the student's page served by {other} with their own Stop after {moved:.1f} s")
        assert exceptions(page) == []
    finally:
        ctx.close()
