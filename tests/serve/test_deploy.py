"""The class deployment, checked as far as possible without a Docker engine: HAProxy's own
config check, the compose file against the compose specification (check-jsonschema's
vendored schema) and against the commands the tests start, hadolint on every Dockerfile."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from tests.conftest import ROOT
from tests.serve.conftest import HAPROXY, LAB_COMMAND, WORKER_COMMAND

DEPLOY = ROOT / "deploy"


def compose() -> dict:
    return YAML(typ="safe").load((DEPLOY / "docker-compose.yml").read_text())


def schema_check(path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.compose-spec", str(path)], capture_output=True, text=True)


def test_haproxy_accepts_its_config():
    out = subprocess.run([HAPROXY, "-c", "-f", str(DEPLOY / "haproxy.cfg")], capture_output=True, text=True)
    assert out.returncode == 0 and "Configuration file is valid" in out.stdout + out.stderr, out.stderr


def test_haproxy_sticks_by_cookie_checks_health_and_keeps_websockets_open():
    cfg = (DEPLOY / "haproxy.cfg").read_text()
    assert "cookie SERVERID insert indirect nocache" in cfg
    assert "option httpchk GET /api/ready" in cfg  # readiness: the model loaded (ui/server.py)
    assert not re.search(r"^\s*balance\s+source", cfg, re.M)  # no IP stickiness
    tunnel = re.search(r"timeout tunnel (\d+)h", cfg)
    assert tunnel and int(tunnel.group(1)) >= 1
    servers = re.findall(r"^\s*server (\S+) (\S+):8501 cookie (\S+)", cfg, re.M)
    labs = sorted(name for name in compose()["services"] if name.startswith("lab"))
    assert sorted(s[0] for s in servers) == labs and all(s[0] == s[1] == s[2] for s in servers)


def test_the_compose_file_follows_the_compose_specification(tmp_path):
    result = schema_check(DEPLOY / "docker-compose.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "docker-compose.yml"  # the check can fail: a misspelt key
    broken.write_text((DEPLOY / "docker-compose.yml").read_text().replace("healthcheck:", "healthchek:", 1))
    assert schema_check(broken).returncode != 0


def test_every_service_has_a_health_check_and_the_tests_commands():
    services = compose()["services"]
    assert {"proxy", "redis", "worker", "lab1", "lab2"} <= set(services)
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    lab_command = [a.format(port="8501", address="0.0.0.0") for a in LAB_COMMAND]
    for name in ("lab1", "lab2"):
        lab = services[name]
        assert lab["entrypoint"] == lab_command
        assert lab["environment"]["NNLAB_JOBS"].startswith("redis://:${NNLAB_REDIS_PASSWORD:?")
        assert lab["environment"]["NNLAB_JOBS"].endswith("@redis:6379/0")  # the password in the URL
        assert "STREAMLIT_SERVER_COOKIE_SECRET" in lab["environment"]  # one secret for all replicas
    assert services["worker"]["entrypoint"] == WORKER_COMMAND
    assert services["worker"]["healthcheck"]["test"][1:] == WORKER_COMMAND + ["--health"]
    assert "--appendonly" in services["redis"]["command"]
    redis_cmd = services["redis"]["command"]
    assert redis_cmd[redis_cmd.index("--appendonly") + 1] == "yes"
    gpu = services["worker-gpu0"]  # one worker per GPU, pinned by CUDA_VISIBLE_DEVICES
    assert gpu["profiles"] == ["gpu"] and gpu["entrypoint"] == WORKER_COMMAND
    assert [gpu["environment"]["CUDA_VISIBLE_DEVICES"]] == gpu["deploy"]["resources"]["reservations"]["devices"][0]["device_ids"]
    assert "tensorflow[and-cuda]" in gpu["build"]["args"]["TENSORFLOW"]
    for name in ("lab1", "lab2", "worker", "worker-gpu0"):  # one shared model store at $NNLAB_HOME
        home = services[name]["environment"]["NNLAB_HOME"]
        assert f"nnlab-data:{home}" in services[name]["volumes"]


def test_hadolint_accepts_every_dockerfile():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    dockerfiles = sorted(p for p in ROOT.rglob("Dockerfile*") if ".venv" not in p.parts)
    assert dockerfiles
    for path in dockerfiles:
        out = subprocess.run([hadolint, str(path)], capture_output=True, text=True)
        assert out.returncode == 0, f"{path}: {out.stdout}{out.stderr}"


def test_redis_has_a_password_and_nothing_but_the_proxy_is_published():
    services = compose()["services"]
    redis_cmd = services["redis"]["command"]
    assert redis_cmd[redis_cmd.index("--requirepass") + 1].startswith("${NNLAB_REDIS_PASSWORD:?")
    assert services["redis"]["environment"]["REDISCLI_AUTH"] == redis_cmd[redis_cmd.index("--requirepass") + 1]
    assert [name for name, service in services.items() if "ports" in service] == ["proxy"]
    assert services["proxy"]["networks"] == ["front"]  # the proxy cannot reach Redis
    assert services["redis"]["networks"] == ["jobs"]
    for name in ("worker", "worker-gpu0"):
        assert services[name]["networks"] == ["jobs"]
        assert services[name]["environment"]["NNLAB_JOBS"] == services["lab1"]["environment"]["NNLAB_JOBS"]
