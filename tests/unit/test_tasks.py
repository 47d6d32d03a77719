"""Task links (core.classroom.tasks): signed tokens round-trip, edited ones are refused, bad
tasks are named, the catalogue matches the pages' own link fields."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from core.classroom import tasks
from core.errors import InputError
from tests.conftest import ROOT

SECRET = b"s" * 32
TASK = tasks.Task("perceptron", {"perceptron_gate": "OR", "perceptron_lr": "0.5", "perceptron_w1": "2"},
                  locked=("perceptron_gate", "perceptron_lr"), hidden=("perceptron_w1",), instruction="Find weights that make OR.\nThen try <b>AND</b> ✓")


def test_a_task_round_trips_through_its_signed_token():
    token = tasks.encode(TASK, SECRET)
    back = tasks.decode(token, SECRET)
    assert back == tasks.check(TASK)
    assert back.instruction == TASK.instruction and back.locked == ("perceptron_gate", "perceptron_lr") and back.hidden == ("perceptron_w1",)
    assert back.keys(back.locked) == {"perceptron_gate", "perceptron_lr"}
    assert re.fullmatch(r"[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+", token)  # URL-safe as it is


@pytest.mark.parametrize("edit", [
    lambda tok: tok[:-2] + ("AA" if not tok.endswith("AA") else "BB"),  # the signature changed
    lambda tok: "x" + tok,  # the body changed
    lambda tok: tok.replace(".", ""),  # no signature
    lambda tok: tok + ".more",
    lambda tok: "",
])
def test_an_edited_token_is_refused_without_raising(edit):
    assert tasks.decode(edit(tasks.encode(TASK, SECRET)), SECRET) is None


def test_another_servers_token_is_refused():
    assert tasks.decode(tasks.encode(TASK, SECRET), b"t" * 32) is None
    assert tasks.decode(None, SECRET) is None
    assert tasks.decode("a" * (tasks.MAX_TOKEN + 1), SECRET) is None


def test_a_signed_but_bad_body_is_refused():
    body = tasks._b64(b"not zlib")
    assert tasks.decode(f"{body}.{tasks._sig(body, SECRET)}", SECRET) is None


@pytest.mark.parametrize("task, code", [
    (tasks.Task("nowhere"), "task.page"),
    (tasks.Task("perceptron", locked=("nope",)), "task.control"),
    (tasks.Task("perceptron", instruction="x" * (tasks.MAX_INSTRUCTION + 1)), "task.instruction"),
    (tasks.Task("perceptron", {"perceptron_lr": "9" * 201}), "task.setting"),
])
def test_bad_tasks_are_named(task, code):
    with pytest.raises(InputError) as err:
        tasks.encode(task, SECRET)
    assert err.value.code == code


def test_check_keeps_page_order_drops_unknown_settings_and_control_characters():
    task = tasks.check(tasks.Task("perceptron", {"perceptron_lr": "1", "zzz": "1"}, locked=("perceptron_w1", "perceptron_gate", "perceptron_w1"),
                                  hidden=("perceptron_gate",), instruction="  a\x00b\r\nc\x1b  "))
    assert task.settings == {"perceptron_lr": "1"}
    assert task.hidden == ("perceptron_gate",) and task.locked == ("perceptron_w1",)  # hidden wins; each once
    assert task.instruction == "ab\nc"


def test_the_link_holds_settings_language_and_token():
    task = tasks.check(TASK)
    address = tasks.link("http://lab:8501/", task, "TOKEN", "es", extra={"perceptron_mlp_lr": "0.1", "perceptron_lr": "0.9"})
    parts = urlsplit(address)
    assert parts.path == "/perceptron"
    query = parse_qs(parts.query)
    assert query["perceptron_lr"] == ["0.5"]  # the task's own value wins over the copied one
    assert query["perceptron_mlp_lr"] == ["0.1"] and query["lang"] == ["es"] and query["task"] == ["TOKEN"]


def test_settings_from_a_copied_address():
    got = tasks.settings_from_address("http://x/perceptron?perceptron_gate=OR&perceptron_lr=0.5&lang=es&task=abc", "perceptron")
    assert got == {"perceptron_gate": "OR", "perceptron_lr": "0.5"}
    with pytest.raises(InputError):
        tasks.settings_from_address("http://x/playground?playground_dataset=XOR", "perceptron")


def _page_sources() -> str:
    files = [*ROOT.glob("lab/*/*.py"), *ROOT.glob("ui/*.py")]
    return "\n".join(p.read_text() for p in files)


def test_the_catalogue_matches_the_pages_bound_widgets():
    sources = _page_sources()
    for page, controls in tasks.CATALOGUE.items():
        assert controls, page
        for control in controls:
            assert control.query == control.keys, control  # the parameters are the widget keys
            for key in control.keys:
                assert tasks.valid_key(key), key
                pattern = r'key=f"playground_units_\{i\}", bind=links.URL' if key.startswith("playground_units_") \
                    else rf'key="{key}"(?:(?!key=).){{0,200}}?bind=links.URL'
                assert re.search(pattern, sources, re.S), (page, key)


def test_fixed_gives_the_locked_and_hidden_query_values_units_included():
    task = tasks.check(tasks.Task("playground", {"playground_units_0": "3", "playground_units_1": "4",
                                                 "playground_activation": "ReLU", "playground_lr": "0.1"},
                                  locked=("playground_units",), hidden=("playground_activation",)))
    assert task.fixed() == {"playground_units_0": "3", "playground_units_1": "4", "playground_activation": "ReLU"}
    assert task.keys(task.locked) == {f"playground_units_{i}" for i in range(6)}
    assert task.defaults() == {f"playground_units_{i}" for i in range(2, 6)}  # at their default: out of the address


def test_defaults_are_the_closed_bound_controls_without_a_value():
    task = tasks.check(tasks.Task("perceptron", {"perceptron_lr": "0.1"},
                                  locked=("perceptron_lr", "perceptron_b0"), hidden=("perceptron_w1",)))
    assert task.defaults() == {"perceptron_b0", "perceptron_w1"}
    assert task.fixed() == {"perceptron_lr": "0.1"}


def test_the_qr_code_is_a_png_and_an_svg_that_grow_with_the_link():
    from core.classroom import qr

    short, long = qr.png("http://x/p?task=a"), qr.png("http://x/p?task=" + "a" * 400)
    assert short.startswith(b"\x89PNG") and long.startswith(b"\x89PNG")
    assert len(long) > len(short)
    svg = qr.svg("http://x/p?task=a").decode()
    assert svg.startswith("<?xml") and "<svg" in svg and "<path" in svg
