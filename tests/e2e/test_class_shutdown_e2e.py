"""SIGTERM (a restart, a deploy) stops running jobs as Stop does, so each saves its work, instead
of killing them mid-epoch: a real ``streamlit run`` server, a real browser session, a real signal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from tests.conftest import ROOT
from tests.e2e.conftest import free_port

APP = '''
import os, time
from pathlib import Path  # the served script's own import (this string is not linted)
import streamlit as st
from ui import session

home = Path(os.environ["NNLAB_HOME"])

def work(ctx):
    (home / "running.txt").write_text("yes")
    while not ctx.cancelled:  # a long training: one "epoch" at a time
        time.sleep(0.05)
    time.sleep(1.0)  # saving takes a moment; the exit must wait for it
    (home / "saved.txt").write_text("saved as a stopped run")

from core.backends import kinds
kinds.KINDS["test"] = lambda config: work  # this served script's own job kind
reg = session.registry()
if not reg.jobs():
    reg.submit("test", "long", {}, owner="student01")
st.write("started")
'''


def test_sigterm_saves_the_running_job_like_stop(tmp_path, browser):
    app = tmp_path / "shutdown_app.py"
    app.write_text(APP)
    port = free_port()
    env = {**os.environ, "NNLAB_HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "NNLAB_JOBS": "threads"}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        page = browser.new_context().new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        deadline = time.time() + 60
        while not (tmp_path / "running.txt").exists() and time.time() < deadline:
            time.sleep(0.1)
        assert (tmp_path / "running.txt").exists()
        page.context.close()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (tmp_path / "saved.txt").exists()  # the job ran its "Stop" path before the process ended
    records = [json.loads(p.read_text()) for p in (tmp_path / "jobs").glob("*.json")]
    assert [r["progress"]["status"] for r in records] == ["cancelled"]  # not "interrupted" at the next start
