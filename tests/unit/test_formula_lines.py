"""``ui.chrome.formula_lines``: a lesson's side-by-side formulas, one under another on the page."""

import json
import re
from pathlib import Path

from ui.chrome import formula_lines

ROOT = Path(__file__).resolve().parents[2]


def test_cut_only_at_qquad_outside_groups_and_environments():
    assert formula_lines(r"a = b \qquad c = \frac{1}{d}, \qquad e") == ["a = b", r"c = \frac{1}{d}", "e"]
    cases = r"\hat y = \begin{cases}1 & x \qquad 0\\ 0 & y\end{cases}"
    assert formula_lines(cases + r"\qquad w \leftarrow w,\quad b") == [cases, r"w \leftarrow w,\quad b"]
    assert formula_lines(r"\text{a \qquad b} \qquad \{ c \qquad d") == [r"\text{a \qquad b}", r"\{ c", "d"]
    assert formula_lines(r"x \qquadx y") == [r"x \qquadx y"]  # another command, not \qquad
    assert formula_lines("z = 1") == ["z = 1"]


def _balanced(part: str) -> bool:
    depth = 0
    for i, ch in enumerate(part):
        if part[i - 1:i] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and part.count(r"\begin") == part.count(r"\end")


def test_every_lesson_formula_cuts_into_whole_formulas():
    seen = 0
    for path in sorted(ROOT.glob("lab/*/i18n/*.json")):
        lesson = json.loads(path.read_text()).get("lesson", {})
        formula = lesson.get("formula") if isinstance(lesson, dict) else None
        if not formula:
            continue
        parts = formula_lines(formula)
        seen += 1
        assert parts and all(_balanced(p) for p in parts), (path, parts)
        bare = lambda s: re.sub(r"[\s,]|\\qquad", "", s)  # noqa: E731 - nothing but the cuts is lost
        assert bare("".join(parts)) == bare(formula), path
    assert seen >= 20  # every lesson in both languages
