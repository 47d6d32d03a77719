"""The lessons' check-yourself questions, answerable: choose an option, then see the explanation.

A question in a page's texts (``<section>.lesson.questions``) is ``{q, a}`` and may carry
``options``: the right answer first, then the distractors, in the same order in every language.
They are shown in an order fixed per question (the same for every student and language, the
right one not always first); the choice is kept in the class store as its index in ``options``
(0 = right), so the teacher's page counts the class's answers per option. A question without
options keeps the plain "show the answer" toggle.
"""

from __future__ import annotations

import random

import streamlit as st

from core import i18n
from ui import classroom

UNSAVED_KEY = "app_answer_unsaved"  # the last answer the class store could not take


def order(qid: str, n: int) -> list[int]:
    """The indices ``0..n-1`` in the order shown for question ``qid`` (fixed per question)."""
    shown = list(range(n))
    random.Random(qid).shuffle(shown)
    return shown


def qid(section: str, i: int) -> str:
    return f"{section}:{i}"


def questions(t: i18n.Translator, section: str) -> None:
    """Each question of ``section``'s lesson: options to choose from, or a reveal toggle."""
    found = t(f"{section}.lesson.questions")
    slug = section.replace(".", "_")
    for i, qa in enumerate(found if isinstance(found, list) else []):
        st.markdown(f"{i + 1}. {qa['q']}")
        options = qa.get("options")
        if isinstance(options, list) and len(options) >= 2:
            _answerable(t, qid(section, i), f"{slug}_lesson_choice_{i}", qa, i)
        elif st.toggle(t("common.show_answer"), key=f"{slug}_lesson_answer_{i}"):
            st.info(qa["a"])


def _answerable(t: i18n.Translator, question: str, key: str, qa: dict, i: int) -> None:
    options = qa["options"]
    choice = st.radio(t("class.questions.label", n=i + 1), order(question, len(options)), index=None,
                      key=key, format_func=lambda k: options[k], on_change=_record, args=(question, key),
                      label_visibility="collapsed")
    if choice is None:
        return
    if choice == 0:
        st.success(t("class.questions.right"), icon=":material/check_circle:")
    else:
        st.warning(t("class.questions.wrong"), icon=":material/help:")
    st.info(qa["a"])
    if st.session_state.get(UNSAVED_KEY) == question:
        st.caption(t("class.questions.unsaved"))


def _record(question: str, key: str) -> None:
    choice = st.session_state.get(key)
    if isinstance(choice, int):
        saved = classroom.record_answer(question, choice)
        st.session_state[UNSAVED_KEY] = None if saved else question
