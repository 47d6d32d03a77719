"""docs/ARCHITECTURE.md is a true map: every module of the app is on it, and every module it
names exists."""

import re

from tests.conftest import ROOT
from tools.module_index import modules

DOC = (ROOT / "docs" / "ARCHITECTURE.md").read_text()


def test_every_module_is_on_the_map():
    missing = [str(p) for p in modules() if f"`{p}`" not in DOC]
    assert not missing, f"add to docs/ARCHITECTURE.md (python tools/module_index.py): {missing}"


def test_every_module_the_map_names_exists():
    named = set(re.findall(r"`((?:app|ui|lab|core)[\w/]*\.py)`", DOC))
    gone = sorted(p for p in named if not (ROOT / p).exists())
    assert not gone, f"docs/ARCHITECTURE.md names modules that are gone: {gone}"
