"""Atomic writes leave no half files; the leftovers of a killed writer are removed at start-up."""

import os
import signal
import subprocess
import sys
import time

import pytest

from core import paths
from tests.conftest import ROOT

KILLED_WRITERS = """
import os, signal, sys
from pathlib import Path
from core import paths
folder = Path(sys.argv[1])

def save_then_die(tmp):
    Path(tmp).write_bytes(b"half a model")
    os.kill(os.getpid(), signal.SIGKILL)  # kill -9 in the middle of the write

if sys.argv[2] == "save":
    paths.atomic_save(folder / "models" / "net.keras", save_then_die)
else:
    import tempfile
    real = tempfile.mkstemp
    def mkstemp_then_die(*a, **k):
        fd, name = real(*a, **k)
        os.write(fd, b"{half")
        os.kill(os.getpid(), signal.SIGKILL)
    tempfile.mkstemp = mkstemp_then_die
    paths.atomic_write_json(folder / "jobs" / "abc.json", {"id": "abc"})
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_leftovers_of_a_killed_writer_are_removed_when_stale(tmp_path):
    for how in ("save", "json"):
        done = subprocess.run([sys.executable, "-c", KILLED_WRITERS, str(tmp_path), how], cwd=ROOT)
        assert done.returncode == -signal.SIGKILL
    leftovers = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert len(leftovers) == 2 and all(paths.is_temporary(p) for p in leftovers), leftovers
    assert not (tmp_path / "models" / "net.keras").exists() and not (tmp_path / "jobs" / "abc.json").exists()
    keep = tmp_path / "jobs" / "real.json"
    keep.write_text("{}")
    assert paths.remove_stale_temporaries([tmp_path]) == []  # young: may be a write in progress
    old = time.time() - paths.STALE_AFTER_S - 60
    for p in [*leftovers, keep]:
        os.utime(p, (old, old))
    assert sorted(paths.remove_stale_temporaries([tmp_path])) == leftovers
    assert keep.exists() and [p for p in tmp_path.rglob("*") if p.is_file()] == [keep]


def test_clean_up_runs_once_per_process(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "_cleaned", False)
    stale = tmp_path / ".x.json.abcd.tmp"
    calls = []
    monkeypatch.setattr(paths, "remove_stale_temporaries", lambda folders: calls.append(list(folders)))
    paths.clean_up_once([tmp_path])
    paths.clean_up_once([tmp_path])
    assert len(calls) == 1 and tmp_path in calls[0] and paths.user_home() in calls[0]
    assert not stale.exists()


def test_ordinary_dot_files_are_not_temporaries():
    assert not paths.is_temporary(paths.Path(".streamlit"))
    assert not paths.is_temporary(paths.Path("model.tmp"))  # not hidden: not one of ours
    assert paths.is_temporary(paths.Path(".net.partial.keras"))
    assert paths.is_temporary(paths.Path(".abc.json.k2j3.tmp"))


def test_atomic_writes_follow_the_umask_not_mkstemps_0600(tmp_path):
    # A fresh process per umask: the group-readable store of a class (replicas and workers of
    # one group under umask 002) and the usual 022; never mkstemp's owner-only 0600.
    for umask, mode in ((0o002, 0o664), (0o022, 0o644), (0o077, 0o600)):
        target = tmp_path / f"card-{umask:o}.json"
        code = (f"import os; os.umask({umask}); from core.paths import atomic_write_json, atomic_write_bytes; "
                f"atomic_write_json({str(target)!r}, {{'a': 1}}); atomic_write_bytes({str(target)!r} + '.b', b'x')")
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        assert target.stat().st_mode & 0o777 == mode, (oct(umask), oct(target.stat().st_mode))
        assert (tmp_path / f"{target.name}.b").stat().st_mode & 0o777 == mode
