"""The teacher's page: who is here, the class challenge, the class's answers, task links, results.

Shown only in teacher mode (the teacher key typed in the sidebar, ``ui.jobs_panel.is_teacher``);
anyone else reads that the page is the teacher's and sees nothing of the class. The live parts
redraw themselves every 2 s (``view_live.LIVE_S``) from the class store (``core.classroom``):
files in one process, Redis across replicas.
"""

import streamlit as st

from core import classroom
from core.classroom import records
from lab.classroom import view_challenge, view_live, view_tasks
from ui import chrome, jobs_panel

t = chrome.start_page()
st.title(t("classroom.title"))
if not jobs_panel.is_teacher():
    st.info(t("classroom.teacher_only"), icon=":material/lock:")
    st.stop()
st.markdown(t("classroom.intro"))
chrome.lesson(t, "classroom")



def _clear() -> None:
    """Delete the class's data (a callback: the confirmation box can be unticked before it is drawn)."""
    classroom.store().clear()
    classroom.forget_challenge()
    st.session_state["classroom_clear_sure"] = False
    st.session_state["classroom_cleared"] = True


TABS = {t(f"classroom.tabs.{tab}"): tab for tab in ("here", "challenge", "questions", "tasks", "data")}
tabs = dict(zip(TABS.values(), st.tabs(list(TABS), key="classroom_tab", on_change="rerun"), strict=True))

if tabs["here"].open:  # only the open tab runs (and polls)
    with tabs["here"]:
        view_live.who_is_here(t)

if tabs["challenge"].open:
    with tabs["challenge"]:
        view_challenge.controls(t)
        view_challenge.live(t)
        view_challenge.add_to_training(t)

if tabs["questions"].open:
    with tabs["questions"]:
        view_live.answers(t)

if tabs["tasks"].open:
    with tabs["tasks"]:
        view_tasks.task_builder(t)

if tabs["data"].open:
    with tabs["data"], chrome.guard(t):
        store = classroom.store()
        st.download_button(t("classroom.data.csv"), records.results_csv(store.drawings(), store.answers()),
                           file_name="class-results.csv", mime="text/csv", key="classroom_csv",
                           icon=":material/download:", help=t("classroom.data.csv_help"))
        st.caption(t("classroom.data.kept", days=f"{records.retention_s() / 86400:g}"))
        if st.checkbox(t("classroom.data.clear_sure"), key="classroom_clear_sure"):
            st.button(t("classroom.data.clear"), key="classroom_clear", icon=":material/delete_forever:",
                      help=t("classroom.data.clear_help"), on_click=_clear)
        if st.session_state.pop("classroom_cleared", False):
            st.success(t("classroom.data.cleared"))
