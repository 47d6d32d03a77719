"""AppTest of classroom mode: the teacher's page (hidden without the key), a challenge a student
sends a drawing to, answerable questions counted live, nicknames, CSV and clearing."""

import numpy as np
import pytest

from core import classroom
from core.classroom import records
from core.storage import drawings
from tests.app.helpers import assert_clean, open_page
from ui import classroom as class_ui
from ui import questions


@pytest.fixture(autouse=True)
def fresh_class(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_HOME", str(tmp_path))
    monkeypatch.delenv("NNLAB_JOBS", raising=False)
    classroom.forget_challenge()
    yield classroom.store()
    classroom.forget_challenge()


def teacher(lang="en", tab=None):
    at = open_page("home", lang=lang)
    at.session_state["app_teacher"] = True
    if tab:
        at.session_state["classroom_tab"] = tab
    at.switch_page("lab/classroom/page.py")
    return at.run()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_students_see_nothing_of_the_class(lang):
    at = open_page("classroom", lang=lang)
    assert_clean(at)
    assert at.info[0].value.startswith(("This page is for the teacher", "Esta página es para el profesor"))
    assert not at.tabs and not [b for b in at.button if b.key and b.key.startswith("classroom_")]


def test_a_challenge_and_a_drawing_reach_the_teacher(fresh_class):
    at = teacher(tab="Challenge")
    assert_clean(at)
    at.selectbox(key="classroom_target").set_value(3)
    at.button(key="classroom_start").click().run()
    assert fresh_class.challenge()["target"] == 3
    c = fresh_class.challenge()
    probs = np.full(10, 0.01)
    probs[8] = 0.91
    fresh_class.add_drawing(records.new_drawing("stud00001", "Calm Owl", c, np.eye(28), probs))
    at.run()
    assert_clean(at)
    assert any("Drawings for this challenge: 1 (students: 1)" in m.value for m in at.markdown)
    assert at.table, "the confusion table"
    shown = [b for b in at.button if b.key and b.key.startswith("classroom_wrong_")]
    shown[0].click().run()
    assert any("Calm Owl drew a 3; the model read 8" in m.value for m in at.markdown)
    at.button(key="classroom_add").click().run()
    assert drawings.count_drawings("stud00001") == 1
    at.button(key="classroom_add").click().run()  # added once only
    assert drawings.count_drawings("stud00001") == 1
    at.button(key="classroom_stop").click().run()
    assert fresh_class.challenge() is None


def test_the_student_sees_the_challenge_and_sends(fresh_class):
    fresh_class.start_challenge(7)
    at = open_page("classifier")
    at.session_state["classifier_source"] = "example"
    at.run()
    assert any("everyone draws a **7**" in i.value for i in at.info)
    at.button(key="classifier_class_send").click().run()
    assert_clean(at)
    sent = fresh_class.drawings()
    assert len(sent) == 1 and sent[0]["target"] == 7 and len(sent[0]["probs"]) == 10
    assert sent[0]["nickname"] == class_ui.default_nickname(__import__("core.i18n").i18n.translator("en"),
                                                            sent[0]["owner"])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_questions_are_answerable_and_counted(fresh_class, lang):
    at = open_page("classifier", lang=lang)
    key = "classifier_lesson_choice_0"
    wrong = next(k for k in questions.order("classifier:0", 3) if k != 0)
    at.radio(key=key).set_value(wrong).run()
    assert at.warning and at.info, "not quite, then the explanation"
    at.radio(key=key).set_value(0).run()
    assert at.success
    assert records.answer_counts(fresh_class.answers()) == {"classifier:0": {0: 1}}  # the latest answer
    at = teacher(lang=lang, tab="Questions" if lang == "en" else "Preguntas")
    assert_clean(at)
    assert at.table[0].value.iloc[:, 1].tolist() == [1, 0, 0]


def test_nickname_and_presence():
    at = open_page("playground")
    at.text_input(key="app_nickname").input("  Ada\tL.  ").run()
    found = {p["page"]: p for p in classroom.store().presence()}
    assert found["playground"]["nickname"] == "Ada L."
    at = teacher(tab="Who is here")
    assert_clean(at)
    assert at.metric[0].value == "2"  # the student and the teacher


def test_results_and_clearing(fresh_class):
    fresh_class.answer(records.new_answer("stud00001", "Owl", "classifier:1", 2))
    at = teacher(tab="Results")
    assert_clean(at)
    at.checkbox(key="classroom_clear_sure").check().run()
    at.button(key="classroom_clear").click().run()
    assert_clean(at)
    assert fresh_class.answers() == [] and at.success


def test_redis_away_pauses_the_class_never_the_page(monkeypatch):
    from core.classroom.redis_store import RedisClassStore

    dead = RedisClassStore("redis://127.0.0.1:9/0")  # nothing listens on the discard port
    monkeypatch.setattr(classroom, "store", lambda: dead)
    at = open_page("classifier")  # the heartbeat is dropped quietly
    key = "classifier_lesson_choice_0"
    at.radio(key=key).set_value(0).run()
    assert_clean(at)
    assert at.success and any("did not reach the class" in c.value for c in at.caption)
    at = teacher(tab="Challenge")
    assert_clean(at)
    assert any("cannot be reached" in w.value for w in at.warning)
    at.button(key="classroom_start").click().run()
    assert not at.exception and any("class features are paused" in e.value for e in at.error)
