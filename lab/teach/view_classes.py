"""The teach page's classes: name them (add, rename, delete) and see each one's examples.

Changes run in button callbacks (before the page is drawn again, so the page reads the project
once, already changed); a refused change leaves its translated message for the next run.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core import i18n
from lab.teach import maths, storage
from lab.teach.storage import Project
from ui import chrome

NOTE = "teach_note"  # (kind, text) of the last change, shown once on the next run
GALLERY_NOTE = "teach_gallery_note"


def act(change: Callable[[], object], done: str | None = None, note: str = NOTE) -> None:
    """Run ``change`` (from a callback): a refusal becomes a translated error note, a success
    the ``done`` text (a key of ``teach``, or none), kept under ``note`` for the next run."""
    t = chrome.translator()
    try:
        change()
        st.session_state[note] = ("success", t(done)) if done else None
    except ValueError as exc:  # InputError included: the text in the session's language
        st.session_state[note] = ("error", t("common.bad_input", error=chrome.error_text(t, exc)))


def show_note(key: str = NOTE) -> None:
    """The last change's message (kept under ``key``), once."""
    note = st.session_state.pop(key, None)
    if note:
        getattr(st, note[0])(note[1])


def _add() -> None:
    def change():
        storage.add_class(chrome.session_label(), st.session_state.get("teach_new_name", ""))
        st.session_state["teach_new_name"] = ""  # allowed in a callback: the box is drawn after

    act(change)


def _rename(class_id: str) -> None:
    act(lambda: storage.rename_class(chrome.session_label(), class_id,
                                     st.session_state.get(f"teach_rename_{class_id}", "")))


def _delete_class(class_id: str) -> None:
    act(lambda: storage.delete_class(chrome.session_label(), class_id))


def _delete_example(path) -> None:
    act(lambda: storage.delete_example(chrome.session_label(), path), note=GALLERY_NOTE)


def classes_section(t: i18n.Translator, project: Project) -> None:
    """1. The class names: a box to add one, and each class with its count, rename and delete."""
    st.subheader(t("teach.classes.title"))
    st.markdown(t("teach.classes.explain", low=maths.MIN_CLASSES, high=maths.MAX_CLASSES))
    show_note()
    with st.form("teach_add_form", clear_on_submit=False, border=False):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        left.text_input(t("teach.classes.new"), key="teach_new_name", max_chars=maths.MAX_NAME,
                        placeholder=t("teach.classes.placeholder"))
        right.form_submit_button(t("teach.classes.add"), key="teach_add_class", icon=":material/add:",
                                 on_click=_add, disabled=len(project.classes) >= maths.MAX_CLASSES)
    if not project.classes:
        st.info(t("teach.classes.none"))
        return
    counts = project.counts()
    for c, n in zip(project.classes, counts):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.markdown(t("teach.classes.row", name=_md(c.name), n=n))
        with right.popover(t("teach.classes.edit"), icon=":material/edit:", key=f"teach_edit_{c.id}"):
            st.text_input(t("teach.classes.rename_to"), value=c.name, key=f"teach_rename_{c.id}",
                          max_chars=maths.MAX_NAME)
            st.button(t("teach.classes.rename"), key=f"teach_rename_go_{c.id}", on_click=_rename, args=(c.id,))
            st.button(t("teach.classes.delete", n=n), key=f"teach_delete_{c.id}", on_click=_delete_class,
                      args=(c.id,), icon=":material/delete:")


def _md(text: str) -> str:
    from core.errors import escape_markdown

    return escape_markdown(text)


def galleries(t: i18n.Translator, project: Project) -> None:
    """3. Each class's examples, newest first, each with Delete (an expander per class)."""
    st.subheader(t("teach.gallery.title"))
    show_note(GALLERY_NOTE)
    if not any(project.counts()):
        st.caption(t("teach.gallery.none"))
        return
    for c, n in zip(project.classes, project.counts()):
        with st.expander(t("teach.gallery.class", name=_md(c.name), n=n), key=f"teach_gallery_{c.id}"):
            examples = project.examples.get(c.id, [])
            if not examples:
                st.caption(t("teach.gallery.empty"))
            cols = st.columns(6)
            for i, ex in enumerate(examples):
                with cols[i % 6]:
                    st.image(ex.image, width=56, alt=t("teach.gallery.alt", name=c.name, k=i + 1))
                    st.button(t("teach.gallery.delete"), key=f"teach_del_{ex.path.stem}", on_click=_delete_example,
                              args=(ex.path,), icon=":material/close:")
