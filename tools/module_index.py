"""Print the module index of docs/ARCHITECTURE.md: every module of the app, one line each.

    python tools/module_index.py > /tmp/index.md   # then paste it under "## Every module"

The first line of each module's docstring is its line; ``tests/unit/test_architecture_map.py``
checks that every module is listed, so a new module is put on the map when it is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("app.py", "ui", "lab", "core")


def modules() -> list[Path]:
    """Every module of the app (``__init__`` files only where they hold code)."""
    found = []
    for name in FOLDERS:
        top = ROOT / name
        for path in [top] if top.suffix == ".py" else sorted(top.rglob("*.py")):
            if path.name == "__init__.py" and len(path.read_text().strip().splitlines()) <= 8:
                continue
            found.append(path.relative_to(ROOT))
    return found


def first_line(path: Path) -> str:
    doc = ast.get_docstring(ast.parse((ROOT / path).read_text())) or ""
    text = " ".join(doc.split("\n\n")[0].split())
    return text.replace("|", "\\|")


def main() -> None:
    print("| module | what it is |\n|---|---|")
    for path in modules():
        print(f"| `{path}` | {first_line(path)} |")


if __name__ == "__main__":
    main()
