"""The class stack without Docker (deploy/systemd, deploy/haproxy-local.cfg): systemd's own
check of every unit, the commands the tests start, loopback binds, a password on Redis,
supervision and the shared umask; the local HAProxy config generated from deploy/haproxy.cfg."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.serve.conftest import HAPROXY, LAB_COMMAND, WORKER_COMMAND, proxy_config

UNITS = ROOT / "deploy" / "systemd"
VENV_PYTHON = "/opt/nnlab/.venv/bin/python"
SERVICES = sorted(UNITS.glob("*.service"))


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(UNITS / name)
    return parser


def exec_start(name: str) -> list[str]:
    return shlex.split(unit(name)["Service"]["ExecStart"])


def verify(folder: Path) -> subprocess.CompletedProcess:
    files = [str(p) for p in sorted(folder.iterdir()) if p.suffix in (".service", ".target")]
    return subprocess.run(["systemd-analyze", "verify", "--man=no", *files], capture_output=True, text=True,
                          cwd=folder)


def instantiated_copy(folder: Path, broken: str = "") -> Path:
    """The units in ``folder`` (created), templates instantiated and this machine's Python for the venv's
    (systemd checks that each command exists); ``broken`` misspells a key, to see the check fail."""
    folder.mkdir()
    for path in [*SERVICES, UNITS / "nnlab.target"]:
        text = path.read_text().replace(VENV_PYTHON, sys.executable)
        if broken:
            text = text.replace(f"\n{broken}=", f"\n{broken}x=", 1)
        (folder / path.name.replace("@.", "@1.")).write_text(text)
    return folder


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_accepts_every_unit(tmp_path):
    good = verify(instantiated_copy(tmp_path / "good"))
    assert good.returncode == 0 and "ignoring" not in good.stderr, good.stderr
    assert verify(instantiated_copy(tmp_path / "bad", broken="ExecStart")).returncode != 0  # it can fail


def test_the_units_run_the_tests_commands_on_loopback_supervised():
    lab = [VENV_PYTHON if a == "python" else a.format(port="%i", address="127.0.0.1") for a in LAB_COMMAND]
    assert exec_start("nnlab-lab@.service") == lab  # replicas bound to loopback: only the proxy is reached
    assert exec_start("nnlab-worker@.service") == [VENV_PYTHON, *WORKER_COMMAND[1:]]
    assert unit("nnlab-worker@.service")["Service"]["Environment"] == "CUDA_VISIBLE_DEVICES=%i"
    for path in SERVICES:
        service = unit(path.name)["Service"]
        assert service["Restart"] == "always", path.name  # supervision: a dead process comes back
        if path.name.startswith(("nnlab-lab", "nnlab-worker")):
            assert service["UMask"] == "0002" and service["WorkingDirectory"] == "/opt/nnlab"
            assert service["EnvironmentFile"] == "/etc/nnlab/nnlab.env"
    assert unit("nnlab.target")["Unit"]["Wants"].split() == [
        "nnlab-redis.service", "nnlab-lab@8501.service", "nnlab-lab@8502.service", "nnlab-worker@cpu.service",
        "nnlab-proxy.service"]


def test_redis_has_a_password_aof_and_a_loopback_bind():
    conf = dict(line.split(None, 1) for line in (UNITS / "redis.conf").read_text().splitlines()
                if line.strip() and not line.startswith("#"))
    assert conf["bind"].split()[0] == "127.0.0.1" and conf["protected-mode"] == "yes"
    assert conf["requirepass"] and conf["appendonly"] == "yes" and conf["dir"]
    env = dict(line.split("=", 1) for line in (UNITS / "nnlab.env.example").read_text().splitlines()
               if line.strip() and not line.startswith("#"))
    assert env["NNLAB_JOBS"] == f"redis://:{conf['requirepass']}@127.0.0.1:{conf['port']}/0"  # one password
    assert {"NNLAB_HOME", "STREAMLIT_SERVER_COOKIE_SECRET", "NNLAB_TEACHER_KEY", "NNLAB_JOB_HEARTBEAT_S"} <= set(env)


def test_the_local_haproxy_config_is_deploy_haproxy_cfg_for_loopback_replicas():
    local = (ROOT / "deploy" / "haproxy-local.cfg").read_text()
    body = local[local.index("# HAProxy in front"):]
    assert body == proxy_config(8080, {"lab1": 8501, "lab2": 8502}).replace("bind 127.0.0.1:8080", "bind :8080")
    out = subprocess.run([HAPROXY, "-c", "-f", str(ROOT / "deploy" / "haproxy-local.cfg")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert exec_start("nnlab-proxy.service")[-1] == "/etc/nnlab/haproxy.cfg"
