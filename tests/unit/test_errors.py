"""Every error code renders in every language, keeps its numbers, and names real catalog keys."""

import ast
import re

import pytest

from core import errors, i18n
from core.errors import InputError, check_range
from tests.conftest import ROOT

SOURCES = [*ROOT.glob("core/**/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("lab/**/*.py")]
RAISERS = {"InputError", "ModelLoadError"}
PLACEHOLDER = re.compile(r"{(\w+)}")


def _calls():
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                yield path, name, node


def codes_in_source() -> set[str]:
    found = {"image.empty", "value.range", "value.not_whole", "value.not_number"}  # raised by helpers
    for _, name, node in _calls():
        if name in RAISERS and node.args and isinstance(node.args[0], ast.Constant):
            found.add(node.args[0].value)
    return found


def params_in_source() -> set[str]:
    found = set()
    for _, name, node in _calls():
        for kw in node.keywords:
            if kw.arg == "param" and isinstance(kw.value, ast.Constant):
                found.add(kw.value.value)
        if name in ("check_range", "_int") and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
            found.add(node.args[1].value)
    return found


def job_message_codes() -> set[str]:
    return {node.args[0].value for _, name, node in _calls()
            if name == "say" and node.args and isinstance(node.args[0], ast.Constant)}


def error_keys(lang: str) -> dict[str, str]:
    skip = ("errors.format.", "errors.param.")
    return {k[len("errors."):]: v for k, v in i18n.catalog(lang).items()
            if k.startswith("errors.") and not k.startswith(skip)}


def test_the_source_uses_codes_and_the_scan_finds_them():
    assert len(codes_in_source()) > 30 and "upload.too_many_pixels" in codes_in_source()
    assert {"padding", "factor", "steps", "learning_rate"} <= params_in_source()


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_code_and_parameter_in_the_source_has_a_text(lang):
    catalog = i18n.catalog(lang)
    assert sorted(c for c in codes_in_source() if f"errors.{c}" not in catalog) == []
    assert sorted(p for p in params_in_source() if f"errors.param.{p}" not in catalog) == []
    assert sorted(c for c in job_message_codes() | {"server_stopped"}
                  if f"common.job_msg.{c}" not in catalog) == []


@pytest.mark.parametrize("lang, grouped", [("en", "12,345"), ("es", "12.345")])
def test_every_error_renders_with_its_numbers(lang, grouped):
    t = i18n.translator(lang)
    for code, template in error_keys(lang).items():
        names = PLACEHOLDER.findall(template)
        values = {name: 12345 + i for i, name in enumerate(names) if name != "param"}
        if "param" in names:
            values["param"] = "padding"
        text = errors.render(t, code, values)
        assert "{" not in text and not text.startswith("errors."), (lang, code, text)
        for value in values.values():
            if isinstance(value, int):
                assert errors.format_value(value, t) in text, (lang, code, text)
        if values and "param" not in values:
            assert grouped[:2] in text, (lang, code, text)


def test_numbers_are_written_the_languages_way():
    en, es = i18n.translator("en"), i18n.translator("es")
    assert errors.format_value(25_000_000, en) == "25,000,000"
    assert errors.format_value(25_000_000, es) == "25.000.000"
    assert errors.format_value(2000, es) == "2000"  # Spanish: four digits are not grouped
    assert errors.format_value(0.3, es) == "0,3" and errors.format_value(1e-300, es) == "1e-300"
    assert errors.format_value((20000, 8), en) == "20,000×8"


def test_input_error_is_a_value_error_with_an_english_message():
    err = InputError("upload.too_small", name="a.png", width=1, height=1, min=8)
    assert isinstance(err, ValueError) and str(err) == "a.png is only 1×1 pixels; it needs at least 8 pixels on each side."
    es = errors.message(i18n.translator("es"), err, markdown=False)
    assert es == "a.png solo mide 1×1 píxeles; necesita al menos 8 píxeles por lado."


def test_range_check_names_value_and_range_in_each_language():
    with pytest.raises(InputError) as err:
        check_range(10_000, "padding", 0, 64)
    assert str(err.value) == "The padding must be between 0 and 64, got 10,000."
    assert errors.message(i18n.translator("es"), err.value) == "El relleno debe estar entre 0 y 64; se ha recibido 10.000."
    with pytest.raises(InputError, match="whole number"):
        check_range(2.5, "steps", 2, 256)
    assert check_range(3, "steps", 2, 256) == 3


@pytest.mark.parametrize("name", ["**bold**.png", "[link](http://x).png", "a`b`.png", "`x", ":red[x].png", "$x$.png"])
def test_file_names_are_shown_literally_not_as_markdown(name):
    shown = errors.message(i18n.translator("en"), InputError("upload.empty", name=name))
    span = shown[: -len(" is empty.")]
    code_span = re.fullmatch(r"(`+)( ?)(.*)\2\1", span)  # CommonMark: `name`, ``a`b``, `` `x ``
    longest_run = max((len(r) for r in re.findall(r"`+", name)), default=0)
    assert code_span and code_span.group(3) == name and len(code_span.group(1)) > longest_run, shown


def test_plain_value_errors_are_escaped():
    shown = errors.message(i18n.translator("en"), ValueError("see **this** [x](y)"))
    assert "**" not in shown.replace("\\*", "") and "\\[" in shown
