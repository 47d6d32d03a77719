"""Pages draw accessibly: every image has alt text, every chart goes through ``plots.show``.

A static check of the page sources (the browser test with axe-core checks the result).
"""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGES = sorted((ROOT / "pages").glob("*.py"))


def calls(path: Path, name: str) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr == name]


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_every_image_has_alt_text(path):
    missing = [c.lineno for c in calls(path, "image") if not any(k.arg == "alt" for k in c.keywords)]
    assert not missing, f"{path.name}: st.image without alt= on lines {missing}"


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_charts_go_through_plots_show(path):
    direct = [c.lineno for c in calls(path, "plotly_chart")]
    assert not direct, f"{path.name}: st.plotly_chart on lines {direct}; use plots.show (title, no mode bar)"
