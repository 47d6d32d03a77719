"""Services for the class deployment's tests: a real ``redis-server`` and real RQ workers
(``python -m core.backends.worker``), on loopback ports, always stopped."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import free_port

HEARTBEAT_S = "2"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"  # /usr/sbin is not on every PATH
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# The commands of deploy/docker-compose.yml's services, as these tests start them
# ({port} and {address} differ: the compose file uses 8501 and 0.0.0.0).
WORKER_COMMAND = ["python", "-m", "core.backends.worker"]
LAB_COMMAND = ["python", "-m", "streamlit", "run", "app.py", "--server.port", "{port}",
               "--server.address", "{address}", "--server.headless", "true",
               "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]


def command(template: list[str], **values: str) -> list[str]:
    """A service's command with this interpreter for ``python`` and ``values`` filled in."""
    return [sys.executable if a == "python" else a.format(**values) for a in template]  # a killed worker's job reads as interrupted within seconds


def wait_for(predicate, timeout: float, what: str, every: float = 0.2):
    """Poll ``predicate`` until it returns something true; fail naming ``what``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class RedisServer:
    """``redis-server`` on a free loopback port, in a temp folder: without persistence, or
    with AOF and a password (``persist=True``: deploy/docker-compose.yml's settings, so that a
    restart keeps the jobs, as in a class)."""

    def __init__(self, persist: bool = False):
        self.port, self.persist = free_port(), persist
        self.password = "test-redis-password" if persist else ""
        auth = f":{self.password}@" if self.password else ""
        self.url = f"redis://{auth}127.0.0.1:{self.port}/0"
        self.dir = tempfile.mkdtemp(prefix="nnlab-redis-")

    def start(self) -> RedisServer:
        durable = ["--appendonly", "yes", "--appendfsync", "always"] if self.persist else ["--appendonly", "no"]
        auth = ["--requirepass", self.password] if self.password else []
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--save", "", *durable, *auth, "--port", str(self.port),
             "--bind", "127.0.0.1", "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        import redis

        self.client = redis.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=5)
        wait_for(self._pings, 20, f"redis-server on port {self.port}")
        return self

    def restart(self, down_s: float) -> float:
        """Stop Redis, leave it down ``down_s`` seconds, start it again on the same port and
        folder; returns the time (``time.time()``) it answered again."""
        self.stop()
        time.sleep(down_s)
        self.start()
        return time.time()

    def _pings(self) -> bool:
        try:
            return bool(self.client.ping())
        except Exception:  # noqa: BLE001 - not up yet
            return False

    def stop(self) -> None:
        self.client.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


class Worker:
    """``python -m core.backends.worker`` (the command of the compose file's worker service)."""

    def __init__(self, url: str, home: str):
        self.url, self.home = url, home
        self.log_path = Path(home) / f"worker-{time.time_ns()}.log"

    def start(self) -> Worker:
        env = {**os.environ, "NNLAB_JOBS": self.url, "NNLAB_HOME": self.home,
               "NNLAB_JOB_HEARTBEAT_S": HEARTBEAT_S, "CUDA_VISIBLE_DEVICES": "",
               "TF_CPP_MIN_LOG_LEVEL": "2"}
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(command(WORKER_COMMAND) + ["--threads", "1"],
                                     cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no handler runs, no cleanup (a crash, the OOM killer)."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # RQ's warm shutdown
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    srv = RedisServer().start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """A Redis URL with an empty database for this test."""
    redis_server.client.flushall()
    return redis_server.url


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> str:
    """A private ``NNLAB_HOME`` shared by this test and its workers (the model store)."""
    monkeypatch.setenv("NNLAB_HOME", str(tmp_path))
    return str(tmp_path)


@pytest.fixture
def start_worker(redis_url: str, home: str):
    """``start_worker()`` starts a worker process; all are stopped after the test."""
    workers: list[Worker] = []

    def start() -> Worker:
        workers.append(Worker(redis_url, home).start())
        return workers[-1]

    yield start
    for worker in workers:
        worker.stop()


class Replica:
    """A lab replica: ``LAB_COMMAND`` on a free loopback port, with the queue backend."""

    def __init__(self, env: dict[str, str], home: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env, self.home = {**os.environ, **env}, home

    def start(self) -> Replica:
        self.log = open(Path(self.home) / f"replica-{self.port}.log", "ab")
        self.proc = subprocess.Popen(command(LAB_COMMAND, port=str(self.port), address="127.0.0.1"),
                                     cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        """SIGKILL: the replica vanishes mid-lesson (a crash, the OOM killer)."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def wait_healthy(self, timeout: float = 120) -> None:
        """Until the replica is ready: what HAProxy's check asks (``/api/ready``, the warm-up done)."""
        wait_for(lambda: http_ok(f"{self.url}/api/ready"), timeout, f"replica on {self.url}", every=0.5)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()


def http_ok(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=3) as r:
            return r.status == 200
    except OSError:
        return False


class Proxy:
    """``haproxy -f CFG -db`` with deploy/haproxy.cfg's settings, its servers on loopback ports."""

    def __init__(self, servers: dict[str, int], home: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cfg = Path(home) / "haproxy.cfg"
        self.log_path = Path(home) / "haproxy.log"
        self.cfg.write_text(proxy_config(self.port, servers))

    def start(self) -> Proxy:
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([HAPROXY, "-f", str(self.cfg), "-db"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: http_ok(f"{self.url}/_haproxy/health"), 20, f"haproxy on {self.url}")
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.log.close()


def proxy_config(port: int, servers: dict[str, int]) -> str:
    """deploy/haproxy.cfg with ``bind 127.0.0.1:port``, one server line per replica (name →
    port) and no Docker DNS resolvers; every other setting as deployed."""
    lines, skip = [], False
    for line in (ROOT / "deploy" / "haproxy.cfg").read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("resolvers "):
            skip = True  # the Docker DNS section, up to the next blank line
        if skip:
            skip = bool(stripped)
            continue
        if stripped.startswith("server "):
            continue
        if stripped.startswith("bind "):
            line = f"    bind 127.0.0.1:{port}"
        line = line.replace(" resolvers docker", "")
        lines.append(line)
        if stripped.startswith("default-server"):
            lines += [f"    server {name} 127.0.0.1:{p} cookie {name}" for name, p in servers.items()]
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def two_replicas(redis_url: str, home: str, **env: str) -> Iterator[dict]:
    """Two lab replicas (one Redis, one ``$NNLAB_HOME``, one cookie secret) behind HAProxy:
    ``{"proxy": Proxy, "replicas": {"lab1": Replica, "lab2": Replica}}``; all stopped after."""
    env = {"NNLAB_JOBS": redis_url, "NNLAB_HOME": home,
           "STREAMLIT_SERVER_COOKIE_SECRET": "one-secret-for-all-replicas",
           "STREAMLIT_SERVER_WEBSOCKET_PING_INTERVAL": "30", **env}
    replicas = {"lab1": Replica(env, home), "lab2": Replica(env, home)}
    started: list = []
    try:
        for replica in replicas.values():
            started.append(replica.start())
        for replica in replicas.values():
            replica.wait_healthy()
        proxy = Proxy({name: r.port for name, r in replicas.items()}, home)
        started.append(proxy.start())
        yield {"proxy": proxy, "replicas": replicas}
    finally:
        for service in reversed(started):
            service.stop()


def serverid(context) -> str | None:
    """The replica HAProxy chose for a browser context (its ``SERVERID`` cookie)."""
    return next((c["value"] for c in context.cookies() if c["name"] == "SERVERID"), None)
