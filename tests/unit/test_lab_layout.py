"""The lesson folders in ``lab/`` follow their rules (``lab/README.md``): only pages and views
import Streamlit, teaching maths never imports TensorFlow, imports go one way."""

import re

from tests.conftest import ROOT

LAB = ROOT / "lab"
STREAMLIT = re.compile(r"^\s*(import|from)\s+streamlit", re.M)
TENSORFLOW = re.compile(r"^\s*(import|from)\s+(tensorflow|keras)", re.M)


def _lab_modules():
    return [p for p in LAB.rglob("*.py") if p.name != "__init__.py"]


def test_only_pages_and_views_import_streamlit():
    for path in _lab_modules():
        if path.name == "page.py" or path.name.startswith("view"):
            continue
        assert not STREAMLIT.search(path.read_text()), f"{path} imports streamlit"


def test_teaching_maths_never_imports_tensorflow():
    for path in LAB.rglob("maths*.py"):
        assert not TENSORFLOW.search(path.read_text()), f"{path} imports TensorFlow"


def test_core_and_ui_never_import_lab():
    for folder in ("core", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            assert not re.search(r"^\s*(import|from)\s+lab\b", path.read_text(), re.M), path


def test_a_lesson_never_imports_another_lesson():
    for path in _lab_modules():
        lesson = path.relative_to(LAB).parts[0]
        for other in re.findall(r"^\s*(?:import|from)\s+lab\.(\w+)", path.read_text(), re.M):
            assert other == lesson, f"{path} imports lab.{other}"


def test_every_lesson_has_both_languages_and_a_page():
    for folder in [p for p in LAB.iterdir() if p.is_dir() and (p / "__init__.py").exists()]:
        assert (folder / "page.py").exists(), folder
        for lang in ("en", "es"):
            assert (folder / "i18n" / f"{lang}.json").exists(), (folder, lang)
