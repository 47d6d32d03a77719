"""A freshly started server loads the classifier before any session asks (issue 35): its
readiness check turns 200 with the model loaded, no browser having opened a page."""

import json
import time
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import Server


def _ready(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{url}/api/ready", timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.mark.e2e
def test_a_fresh_server_is_ready_with_the_model_loaded_before_any_session():
    srv = Server().start()
    try:
        seen = []
        deadline = time.time() + 120
        while time.time() < deadline:
            status, body = _ready(srv.url)
            seen.append(status)
            if status == 200:
                break
            assert status == 503 and body["ready"] is False
            time.sleep(0.5)
        assert status == 200, seen
        assert body["error"] is None and body["steps"][-1] == "stroke", body
        assert body["seconds"] > 0
    finally:
        srv.stop()
