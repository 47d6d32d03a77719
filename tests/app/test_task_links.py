"""AppTest of task links, student side: the instruction on top as plain text, locked controls
disabled with the teacher's values, hidden ones disabled and out of sight, open ones free; an
address without the task (or with an edited one) gives the page as usual."""

import pytest

from core.classroom import tasks
from tests.app.helpers import assert_clean, by_key
from tests.app.test_links import open_link

TRICKY = "Try <b>OR</b> and **bold** [link](http://x.y) :red[red] $x^2$\nthen <script>alert(1)</script>"


def _token(**kwargs) -> str:
    return tasks.encode(tasks.Task("perceptron", **kwargs))


def _task_boxes(at) -> list[str]:
    """The task box's title, once per box (none without a task)."""
    return [m.value for m in at.markdown if "**Your task**" in m.value or "**Tu tarea**" in m.value]


def test_locked_controls_are_disabled_with_the_teachers_values_and_the_instruction_is_escaped():
    token = _token(settings={"perceptron_gate": "OR", "perceptron_lr": "0.55", "perceptron_hidden": "8"},
                   locked=("perceptron_gate", "perceptron_lr", "perceptron_b0"), hidden=("perceptron_hidden",),
                   instruction=TRICKY)
    # the student's address says lr=1.5 and b0=2: the signed task's value wins for a locked
    # control, and a locked control without a value stays at its default
    at = open_link("perceptron", {"perceptron_gate": "OR", "perceptron_lr": "1.5", "perceptron_w1": "-2",
                                  "perceptron_b0": "2", "perceptron_hidden": "8", tasks.PARAM: token})
    assert_clean(at)
    gate, lr = by_key(at, "button_group", "perceptron_gate"), by_key(at, "number_input", "perceptron_lr")
    assert gate.disabled and gate.value == "OR"
    assert lr.disabled and lr.value == 0.55
    assert by_key(at, "number_input", "perceptron_b0").value == 1.0
    hidden = by_key(at, "slider", "perceptron_hidden")
    assert hidden.disabled and hidden.value == 8
    assert not by_key(at, "number_input", "perceptron_w1").disabled  # an open control
    assert by_key(at, "number_input", "perceptron_w1").value == -2.0
    [box] = _task_boxes(at)
    assert "Your task" in box
    assert [x.value for x in at.text] == [TRICKY]  # the instruction as typed, in a plain-text element
    assert not any("bold" in m.value or "script>" in m.value or "x.y" in m.value for m in at.markdown)  # never Markdown
    assert any(".st-key-perceptron_hidden" in h.proto.body for h in at.get("html"))
    at.run()  # later runs keep the locks
    assert by_key(at, "number_input", "perceptron_lr").disabled
    assert by_key(at, "button_group", "perceptron_gate").value == "OR"


def test_an_address_without_the_task_gives_the_page_as_usual():
    at = open_link("perceptron", {"perceptron_gate": "OR", "perceptron_lr": "0.55"})
    assert_clean(at)
    assert not _task_boxes(at)
    assert not by_key(at, "number_input", "perceptron_lr").disabled
    assert not by_key(at, "button_group", "perceptron_gate").disabled
    assert by_key(at, "number_input", "perceptron_lr").value == 0.55  # the link still works


def test_an_edited_task_is_ignored_with_a_note_in_spanish():
    token = _token(settings={"perceptron_gate": "OR"}, locked=("perceptron_gate",), instruction="Fixed")
    forged = token.split(".")[0] + ".AAAAAAAAAAAAAAAAAAAAAA"
    at = open_link("perceptron", {"perceptron_gate": "OR", tasks.PARAM: forged}, lang="es")
    assert_clean(at)
    assert not _task_boxes(at)
    assert not by_key(at, "button_group", "perceptron_gate").disabled
    assert any("no es válido" in c.value for c in at.caption)


def test_a_task_of_another_page_locks_nothing_here():
    token = tasks.encode(tasks.Task("activations", {"activations_depth": "5"}, locked=("activations_depth",),
                                    instruction="x"))
    at = open_link("perceptron", {tasks.PARAM: token})
    assert_clean(at)
    assert not _task_boxes(at)
    assert not by_key(at, "number_input", "perceptron_lr").disabled


def test_a_playground_task_locks_its_network_and_leaves_the_data_open():
    settings = {"playground_layers": "2", "playground_units_0": "3", "playground_activation": "ReLU"}
    token = tasks.encode(tasks.Task("playground", settings, instruction="Change only the data",
                                    locked=("playground_layers", "playground_units", "playground_activation")))
    at = open_link("playground", {**settings, tasks.PARAM: token}, lang="es")
    assert_clean(at)
    assert by_key(at, "number_input", "playground_layers").disabled
    assert by_key(at, "number_input", "playground_units_0").disabled
    assert by_key(at, "number_input", "playground_units_0").value == 3
    assert by_key(at, "selectbox", "playground_activation").disabled
    assert not by_key(at, "selectbox", "playground_dataset").disabled
    assert len(_task_boxes(at)) == 1 and "Change only the data" in [x.value for x in at.text]


WIDGETS = ("slider", "number_input", "selectbox", "multiselect", "radio", "toggle", "checkbox", "button_group",
           "select_slider", "text_input")


@pytest.mark.parametrize("page", sorted(tasks.CATALOGUE))
def test_every_catalogued_control_is_locked_on_its_page(page):
    names = tuple(c.name for c in tasks.CATALOGUE[page])
    token = tasks.encode(tasks.Task(page, locked=names, instruction="All locked"))
    at = open_link(page, {tasks.PARAM: token})
    assert_clean(at)
    drawn = {w.key: w.disabled for kind in WIDGETS for w in at.get(kind) if getattr(w, "key", None)}
    wanted = {k for c in tasks.CATALOGUE[page] for k in c.keys}
    shown = wanted & set(drawn)
    assert len(shown) >= min(3, len(wanted)), (page, sorted(drawn))  # the main controls are on the page
    assert all(drawn[k] for k in shown), {k: drawn[k] for k in shown}
    assert not all(drawn.values())  # the page's other widgets stay free
