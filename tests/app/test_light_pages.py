"""Pages that need no TensorFlow must not import it: it costs seconds of cold start."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCRIPT = """
import sys
from tests.app.helpers import open_page, assert_clean
at = open_page({page!r})
assert_clean(at)
heavy = sorted(m for m in ("tensorflow", "keras") if m in sys.modules)
print("HEAVY=" + ",".join(heavy))
"""


@pytest.mark.parametrize("page", ["home", "perceptron", "playground", "activations", "convolution"])
def test_page_does_not_import_tensorflow(page):
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(page=page)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "HEAVY=\n" in out.stdout or out.stdout.strip().endswith("HEAVY="), out.stdout
