"""Browser: two lab replicas behind HAProxy (deploy/haproxy.cfg's settings), Redis and one
worker. A student on one replica starts a training; a second student, routed to the other
replica by the SERVERID cookie, watches it queue and progress in the sidebar until it ends."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from core.backends.redis_queue import QueueRegistry
from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle
from tests.serve.conftest import Worker, serverid, two_replicas


@pytest.fixture(scope="module")
def cluster(redis_server) -> Iterator[dict]:
    redis_server.client.flushall()
    home = tempfile.mkdtemp(prefix="nnlab-class-")
    with two_replicas(redis_server.url, home) as served:
        yield {**served, "home": home, "redis": redis_server}


def test_a_student_on_one_replica_trains_and_another_watches_from_the_other(cluster, browser):
    proxy = cluster["proxy"]
    ctx_a = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx_b = browser.new_context(viewport={"width": 1400, "height": 1000})
    worker = None
    try:
        page_a = open_page(ctx_a.new_page(), proxy.url, "classifier?student=a")
        home_a = serverid(ctx_a)
        assert home_a in ("lab1", "lab2")  # HAProxy chose a replica and said so in a cookie
        other = "lab2" if home_a == "lab1" else "lab1"
        page_a.get_by_role("tab", name="Train", exact=True).click()  # a long training: it goes to the queue
        wait_idle(page_a)
        select_option(page_a, "classifier_kind", "MLP (thesis)")
        epochs = by_key(page_a, "classifier_epochs").locator("input")
        epochs.fill("40")  # an epoch of the test data takes ~1 s: 40 outlast several of B's 10-second sidebar ticks (B has no job of its own)
        epochs.press("Enter")
        wait_idle(page_a)
        by_key(page_a, "classifier_start").get_by_role("button").click()
        wait_idle(page_a)
        expect(page_a.get_by_text("queued, position 1").first).to_be_visible(timeout=30_000)

        ctx_b.add_cookies([{"name": "SERVERID", "value": other, "url": proxy.url}])
        page_b = open_page(ctx_b.new_page(), proxy.url, "classifier?student=b")
        assert serverid(ctx_b) == other
        expect(page_b.get_by_text("queued, position 1").first).to_be_visible(timeout=30_000)

        worker = Worker(cluster["redis"].url, cluster["home"]).start()  # no lab process trains
        # B watches A's job in the sidebar (a page's own panel shows only its student's jobs)
        expect(page_b.get_by_text(re.compile(r"epoch \d+/40, batch \d+")).first).to_be_visible(timeout=120_000)
        expect(page_a.get_by_text(re.compile(r"Saved as mlp")).first).to_be_visible(timeout=240_000)
        expect(page_b.get_by_text("No job is running.").first).to_be_visible(timeout=30_000)
        assert exceptions(page_a) == [] and exceptions(page_b) == []

        job, = QueueRegistry(cluster["redis"].url).jobs("classifier")
        assert job.id in worker.output()  # the worker ran it
        log = proxy.output()  # HAProxy's request log names the replica that answered
        assert re.search(rf"replicas/{home_a} .*GET /classifier\?student=a", log), log[-2000:]
        assert re.search(rf"replicas/{other} .*GET /classifier\?student=b", log), log[-2000:]
    finally:
        if worker is not None:
            worker.stop()
        ctx_a.close()
        ctx_b.close()
