"""AppTest of the teacher's task builder (lab/classroom/view_tasks.py): teacher mode only; the
link it makes carries the pasted settings and a signed task that a student's page applies."""

from urllib.parse import parse_qsl, urlsplit

from streamlit.testing.v1 import AppTest

from core.classroom import tasks
from tests.app.helpers import assert_clean, by_key
from tests.app.test_links import open_link


def _builder(teacher: bool = True) -> None:
    import streamlit as st

    from core import i18n
    from lab.classroom.view_tasks import task_builder

    st.session_state.setdefault("app_teacher", teacher)
    task_builder(i18n.translator(st.query_params.get("lang", "en")))


def _open(teacher: bool = True, lang: str = "en") -> AppTest:
    at = AppTest.from_function(_builder, kwargs={"teacher": teacher}, default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


def test_no_builder_outside_teacher_mode():
    at = _open(teacher=False)
    assert_clean(at)
    assert not at.selectbox and not at.button and not at.text_area


def test_the_teacher_makes_a_link_that_locks_what_students_may_not_change():
    at = _open()
    assert_clean(at)
    by_key(at, "selectbox", "classroom_task_page").set_value("perceptron").run()
    by_key(at, "text_input", "classroom_task_address").set_value(
        "http://localhost:8501/perceptron?perceptron_gate=OR&perceptron_lr=0.55&lang=es&perceptron_mlp_lr=0.1").run()
    by_key(at, "multiselect", "classroom_task_open_perceptron").set_value(["perceptron_w1", "perceptron_w2"]).run()
    by_key(at, "text_area", "classroom_task_instruction").set_value("Make OR with <b>w1</b> only").run()
    by_key(at, "button", "classroom_task_make").click().run()
    assert_clean(at)
    [code] = at.code
    parts = urlsplit(code.value)
    query = dict(parse_qsl(parts.query))
    assert parts.path == "/perceptron" and query["perceptron_gate"] == "OR" and query["perceptron_mlp_lr"] == "0.1"
    task = tasks.decode(query["task"])
    assert task is not None and task.instruction == "Make OR with <b>w1</b> only"
    assert {"perceptron_gate", "perceptron_lr"} <= set(task.locked) and "perceptron_w1" not in task.locked
    assert not task.hidden and task.fixed() == {"perceptron_gate": "OR", "perceptron_lr": "0.55"}
    assert "perceptron_b0" in task.defaults()  # locked at its default: not in the address
    assert len(at.get("image")) == 1 and len(at.get("download_button")) == 2  # the QR code, PNG and SVG
    # a student opens the link: the locked controls are disabled, the open ones free
    student = open_link("perceptron", {k: v for k, v in query.items() if k != "lang"})
    assert_clean(student)
    assert by_key(student, "button_group", "perceptron_gate").disabled
    assert by_key(student, "number_input", "perceptron_lr").value == 0.55
    assert not by_key(student, "number_input", "perceptron_w1").disabled


def test_an_address_of_another_page_is_refused_in_spanish():
    at = _open(lang="es")
    by_key(at, "selectbox", "classroom_task_page").set_value("activations").run()
    by_key(at, "text_input", "classroom_task_address").set_value("http://x/perceptron?perceptron_gate=OR").run()
    by_key(at, "button", "classroom_task_make").click().run()
    assert not at.code
    assert any("no es de la página elegida" in e.value for e in at.error)


def test_hidden_controls_and_a_too_long_instruction():
    at = _open()
    by_key(at, "selectbox", "classroom_task_page").set_value("convolution").run()
    by_key(at, "radio", "classroom_task_closed").set_value("hidden").run()
    by_key(at, "button", "classroom_task_make").click().run()
    query = dict(parse_qsl(urlsplit(at.code[0].value).query))
    task = tasks.decode(query["task"])
    assert task.hidden and not task.locked and "convolution_source" in task.hidden
