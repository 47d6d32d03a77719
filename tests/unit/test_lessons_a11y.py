"""Pages draw accessibly: every image has alt text, every chart goes through ``display.show``.

A static check of the page sources (the browser test with axe-core checks the result).
"""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

# pages and the ui modules that draw parts of them (ui/display.py itself draws the charts)
PAGES = sorted(p for p in (ROOT / "ui").glob("*.py") if p.name != "display.py") \
    + sorted(p for p in (ROOT / "lab").rglob("*.py") if p.name == "page.py" or p.name.startswith("view"))
IDS = [str(p.relative_to(ROOT).with_suffix("")) for p in PAGES]


def calls(path: Path, name: str) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr == name]


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_every_image_has_alt_text(path):
    missing = [c.lineno for c in calls(path, "image") if not any(k.arg == "alt" for k in c.keywords)]
    assert not missing, f"{path.name}: st.image without alt= on lines {missing}"


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_charts_go_through_display_show(path):
    direct = [c.lineno for c in calls(path, "plotly_chart")]
    assert not direct, f"{path.name}: st.plotly_chart on lines {direct}; use display.show (title, no mode bar)"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _blend(colour: str, alpha: float, background: str) -> str:
    c, bg = colour.lstrip("#"), background.lstrip("#")
    return "".join(f"{round(alpha * int(c[i:i + 2], 16) + (1 - alpha) * int(bg[i:i + 2], 16)):02x}" for i in (0, 2, 4))


def test_theme_colours_meet_wcag_aa_contrast():
    import tomllib

    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    assert _contrast("#2f2d2b", "#ffffff") > 4.5 > _contrast(_blend("#2f2d2b", 0.6, "#ffffff"), "#ffffff")  # the old default
    for background in ("#ffffff", "#f8f8f7", "#f1f0ee"):  # main area, widgets, sidebar
        captions = _blend(theme["textColor"], 0.6, background)  # Streamlit draws captions at 60 % opacity
        assert _contrast(captions, background) >= 4.5, background
        assert _contrast(theme["primaryColor"], background) >= 4.5, background
