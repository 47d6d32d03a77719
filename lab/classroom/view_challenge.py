"""The class challenge, teacher's side: start or end one, and watch the drawings arrive.

The live part is a fragment that redraws every ``LIVE_S``: the current challenge's drawings
(newest first, each with its reading and a button to show it large with its probabilities),
the class's confusion table over every challenge, and the most confidently wrong readings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import classroom, i18n
from core.classroom import records
from lab.classroom import training
from lab.classroom.view_live import LIVE_S, unavailable_note
from ui import chrome, display, plots

SHOWN = 30  # thumbnails drawn, newest first
COLS = 6
SELECTED = "classroom_selected"  # the id of the drawing shown large


def controls(t: i18n.Translator) -> None:
    """The digit to draw, start and end."""
    left, mid, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    digit = left.selectbox(t("classroom.challenge.digit"), list(range(10)), index=7, key="classroom_target")
    with chrome.guard(t):
        if mid.button(t("classroom.challenge.start"), key="classroom_start", icon=":material/play_arrow:",
                      type="primary"):
            classroom.store().start_challenge(int(digit))
            classroom.forget_challenge()
        if right.button(t("classroom.challenge.stop"), key="classroom_stop", icon=":material/stop:"):
            classroom.store().stop_challenge()
            classroom.forget_challenge()


def _percent(t: i18n.Translator, p: float) -> str:
    return i18n.format_number(float(p), chrome.language(), ".0%")


def _thumb(t: i18n.Translator, d: dict, where, key: str) -> None:
    nick, read = d["nickname"], d["read"]
    where.image(plots.to_png_array(records.pixels(d) / 255.0, scale=3, invert=True), width=84, caption=nick,
                alt=t("classroom.challenge.alt", target=d["target"], nick=nick, read=read))
    where.button(t("classroom.challenge.item", read=read, conf=_percent(t, d["conf"])),
                 key=f"{key}_{d['id']}", help=t("classroom.challenge.show", nick=nick),
                 on_click=st.session_state.__setitem__, args=(SELECTED, d["id"]))  # before the view draws


def _large(t: i18n.Translator, d: dict) -> None:
    """One drawing large, with the model's ten probabilities."""
    with st.container(border=True):
        st.markdown(t("classroom.challenge.shown", nick=d["nickname"], target=d["target"], read=d["read"],
                      conf=_percent(t, d["conf"])))
        left, right = st.columns([1, 2])
        left.image(plots.to_png_array(records.pixels(d) / 255.0, scale=8, invert=True), width=224,
                   alt=t("classroom.challenge.alt", target=d["target"], nick=d["nickname"], read=d["read"]))
        probs = np.asarray(d["probs"], dtype=float)
        digits = list(range(10))
        display.show(plots.bars(digits, probs, highlight=d["read"], y_range=(0, 1), height=240,
                                title=t("classroom.challenge.probs"), x_title=t("classifier.draw.digit"),
                                y_title=t("classifier.draw.probability")), where=right, key="classroom_probs",
                     text=t("classroom.challenge.probs_text", top=display.top_text(digits, probs, chrome.language())))
        st.button(t("classroom.challenge.close"), key="classroom_close", icon=":material/close:",
                  on_click=st.session_state.pop, args=(SELECTED, None))


def _confusion(t: i18n.Translator, found: list[dict]) -> None:
    table = records.confusion(found)
    asked = [d for d in range(10) if table[d].sum()]
    st.subheader(t("classroom.challenge.confusion"), help=t("classroom.challenge.confusion_help"))
    st.table(pd.DataFrame(table[asked], index=[t("classroom.challenge.asked", d=d) for d in asked],
                          columns=[str(d) for d in range(10)]))


@st.fragment(run_every=LIVE_S)
def live(t: i18n.Translator) -> None:
    """The challenge as the class sends it, redrawn every ``LIVE_S`` seconds."""
    store = classroom.store()
    challenge, found = store.challenge(), store.drawings()
    unavailable_note(t)
    if challenge:
        st.info(t("classroom.challenge.running", target=challenge["target"]), icon=":material/groups:")
    else:
        st.caption(t("classroom.challenge.none"))
    chosen = next((d for d in found if d["id"] == st.session_state.get(SELECTED)), None)
    if chosen:
        _large(t, chosen)
    now = [d for d in found if challenge and d["challenge"] == challenge["id"]]
    if challenge:
        st.markdown(t("classroom.challenge.count", n=len(now), m=len({d["owner"] for d in now})))
    if now:
        st.subheader(t("classroom.challenge.latest"))
        cols = st.columns(COLS)
        for i, d in enumerate(now[:SHOWN]):
            _thumb(t, d, cols[i % COLS], "classroom_thumb")
    if not found:
        return
    _confusion(t, found)
    st.subheader(t("classroom.challenge.wrong"))
    wrong = records.confidently_wrong(found)
    if not wrong:
        st.caption(t("classroom.challenge.no_wrong"))
    cols = st.columns(COLS)
    for i, d in enumerate(wrong):
        _thumb(t, d, cols[i % COLS], "classroom_wrong")


def add_to_training(t: i18n.Translator) -> None:
    """"Add the class's drawings to the training set" (one click)."""
    if st.button(t("classroom.challenge.add"), key="classroom_add", icon=":material/library_add:",
                 help=t("classroom.challenge.add_help")):
        with chrome.guard(t):
            added, refused, already = training.add_to_training(classroom.store())
            if added or refused:
                st.success(t("classroom.challenge.added", n=added, refused=refused, already=already))
            else:
                st.info(t("classroom.challenge.nothing_to_add"))
