"""Shared test set-up: a private user directory for every test session."""

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Never touch the real ~/.nnlab from tests; set before any core import reads it. Under
# pytest-xdist (``-n 2``) each worker process gets its own: workers inherit the first one's.
if os.environ.get("PYTEST_XDIST_WORKER") or "NNLAB_HOME" not in os.environ:
    os.environ["NNLAB_HOME"] = tempfile.mkdtemp(prefix="nnlab-test-")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(autouse=True)
def _no_students_drawing():
    """Each test starts on a quiet server: a prediction in the previous test must not make
    this test's training jobs give way (``core.jobs.interactive``)."""
    from core.jobs import interactive

    interactive._last[0] = float("-inf")


def pytest_addoption(parser):
    parser.addoption("--reverse", action="store_true",
                     help="run the collected tests in reverse order (to show they do not depend on it)")


def _missing(kind: str) -> str | None:
    """Why tests of ``kind`` (e2e or serve) cannot run on this machine, or None."""
    import shutil

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    needs = {"e2e": [chromium], "serve": [chromium, "redis-server", "haproxy"]}[kind]
    lost = [n for n in needs if not (shutil.which(n) or Path(n).exists()
                                     or Path("/usr/sbin", n).exists())]
    return f"needs {', '.join(lost)}" if lost else None


def pytest_collection_modifyitems(config, items):
    """Mark browser tests ``e2e`` and deployment tests ``serve`` (by folder, or by using the
    ``browser`` fixture), so ``pytest -m "not e2e and not serve"`` is the everyday loop. Where
    Chromium, Redis or HAProxy are missing they skip, except under CI, where they must run."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        kind = "serve" if "serve" in parts else "e2e" if (
            "e2e" in parts or "browser" in getattr(item, "fixturenames", ())) else None
        if kind is None:
            continue
        item.add_marker(getattr(pytest.mark, kind))
        why = _missing(kind)
        if why and not os.environ.get("CI"):
            item.add_marker(pytest.mark.skip(reason=why))
    if config.getoption("--reverse"):
        items.reverse()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole test session (Playwright's sync API allows
    one at a time, so browser tests in every folder share this one)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, FLAGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()
