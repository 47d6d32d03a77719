"""The teacher's task builder: pick a page, bring its settings, choose what students may change,
write an instruction; get a link and its QR code (``core.classroom.tasks`` makes the token).

The settings come from the page itself: the teacher opens it (a button here), sets its controls
(every page keeps them in its address, ``ui.links``) and pastes the address back. Without an
address the page's defaults stand. The student side is ``ui.task`` (run by the chrome).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from core import i18n
from core.classroom import qr, tasks
from ui import chrome, jobs_panel

MADE = "classroom_task_made"  # the last link made in this session: (url, page)


def _base() -> str:
    """The lab's address as the teacher's browser sees it (``scheme://host[:port][/base]``)."""
    parts = urlsplit(st.context.url or "http://localhost:8501")
    prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}" + (f"/{prefix}" if prefix else "")


def _page_title(t: i18n.Translator, page: str) -> str:
    return next((t(key) for _, url, key, _ in chrome.PAGES if url == page), page)


def _controls(t: i18n.Translator, page: str) -> tuple[list[str], str]:
    """The controls students may change, and how the others are closed (``locked``/``hidden``)."""
    controls = tasks.CATALOGUE[page]
    labels = {c.name: t(c.label) for c in controls}
    names = list(labels)
    chosen = st.multiselect(t("classroom.tasks.open"), names, default=names[-2:], format_func=labels.get,
                            key=f"classroom_task_open_{page}", help=t("classroom.tasks.open_help"))
    closed = st.radio(t("classroom.tasks.others"), ["locked", "hidden"], horizontal=True,
                      format_func=lambda k: t(f"classroom.tasks.{k}"), key="classroom_task_closed")
    return chosen, closed


def task_builder(t: i18n.Translator) -> None:
    """The task links panel of the teacher's page (nothing at all outside teacher mode)."""
    if not jobs_panel.is_teacher():
        return
    st.subheader(t("classroom.tasks.title"))
    st.markdown(t("classroom.tasks.explain"))
    lang = chrome.language()
    page = st.selectbox(t("classroom.tasks.page"), list(tasks.CATALOGUE), format_func=lambda p: _page_title(t, p),
                        key="classroom_task_page")
    base = _base()
    st.link_button(t("classroom.tasks.open_page"), f"{base}/{page}?lang={lang}", icon=":material/open_in_new:")
    address = st.text_input(t("classroom.tasks.address"), key="classroom_task_address",
                            help=t("classroom.tasks.address_help"), placeholder=f"{base}/{page}?…")
    chosen, closed = _controls(t, page)
    text = st.text_area(t("classroom.tasks.instruction"), key="classroom_task_instruction",
                        max_chars=tasks.MAX_INSTRUCTION, placeholder=t("classroom.tasks.instruction_example"))
    if st.button(t("classroom.tasks.make"), key="classroom_task_make", type="primary", icon=":material/qr_code_2:"):
        st.session_state.pop(MADE, None)
        with chrome.guard(t):
            settings = tasks.settings_from_address(address, page) if address.strip() else {}
            rest = tuple(c.name for c in tasks.CATALOGUE[page] if c.name not in chosen)
            task = tasks.Task(page, settings, locked=rest if closed == "locked" else (),
                              hidden=rest if closed == "hidden" else (), instruction=text)
            token = tasks.encode(task)
            st.session_state[MADE] = (tasks.link(base, tasks.check(task), token, lang, extra=settings), page)
    if st.session_state.get(MADE):
        _show(t, *st.session_state[MADE])


def _show(t: i18n.Translator, url: str, page: str) -> None:
    """The link to copy, its QR code to project, and both QR files to print."""
    st.success(t("classroom.tasks.made", page=_page_title(t, page)), icon=":material/check_circle:")
    st.code(url, language=None, wrap_lines=True)
    c = st.columns([2, 3])
    c[0].image(qr.png(url), caption=t("classroom.tasks.qr_caption"), width=260, alt=t("classroom.tasks.qr_alt"))
    with c[1]:
        st.download_button(t("classroom.tasks.qr_png"), qr.png(url, scale=8), f"task-{page}.png", "image/png",
                           key="classroom_task_qr_png", icon=":material/download:")
        st.download_button(t("classroom.tasks.qr_svg"), qr.svg(url), f"task-{page}.svg", "image/svg+xml",
                           key="classroom_task_qr_svg", icon=":material/download:")
        st.link_button(t("classroom.tasks.try"), url, icon=":material/open_in_new:")
