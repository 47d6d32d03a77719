"""The overview: every layer of the CNN as a column of small maps; a click opens a unit.

The picture is cached for every session (same model file and drawing → drawn once); a click
on a unit (plotly point selection on the invisible markers) and the two selectors below it
(for the keyboard and screen readers) choose the same thing: ``cnn_step`` and ``cnn_unit``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import i18n
from core.i18n import Translator
from core.memo import SharedCache
from lab.cnn import explain, plots
from ui import chrome, display

STEP_KEY, UNIT_KEY, CHART_KEY = "cnn_step", "cnn_unit", "cnn_overview"
_pictures: SharedCache = SharedCache(64)  # pictures and hover texts, per drawing and language


def step_name(t: Translator, step: explain.Step, short: bool = False) -> str:
    """A step's name for students ("Convolution 2", "ReLU 1"), never Keras' layer name."""
    fn = t(f"cnn.functions.{step.activation}") if step.kind == "act" else ""
    return t(f"cnn.{'short' if short else 'kinds'}.{step.kind}", n=step.number, f=fn)


def unit_name(t: Translator, step: explain.Step, unit: int) -> str:
    """"unit 5" (counted from 1), or the digit for the output steps."""
    return t("cnn.digit", d=unit) if step.kind in ("logits", "softmax") else t("cnn.unit", u=unit + 1)


def _columns(t: Translator, over: explain.Overview) -> list[plots.Column]:
    digits = [str(d) for d in range(10)]
    cols = [plots.Column(t("cnn.short.input"), over.image[None], clickable=False)]
    for step, values in zip(over.steps, over.values):
        cols.append(plots.Column(step_name(t, step, short=True), values, one_unit=step.kind == "flatten",
                                 labels=digits if step.kind in ("logits", "softmax") else None))
    return cols


def picture(t: Translator, lang: str, model, digit: np.ndarray, over: explain.Overview) -> plots.Picture:
    """The overview's picture of ``model`` on ``digit``, drawn once for every session."""
    key = (explain.cache_key(model, digit), lang)  # the columns' titles are in it
    return _pictures.get(key, lambda: plots.overview_picture(_columns(t, over)))


def hover(t: Translator, lang: str, model, digit: np.ndarray, over: explain.Overview, pic: plots.Picture) -> list[str]:
    """Each marker's hover text, written once per language for every session."""
    key = (explain.cache_key(model, digit), lang, "hover")
    return _pictures.get(key, lambda: _hover(t, over, [(c, u) for _, _, c, u in pic.points]))


def _on_click() -> None:
    """A unit clicked in the overview becomes the selectors' choice (before they are drawn)."""
    event = st.session_state.get(CHART_KEY) or {}
    points = [p for p in event.get("selection", {}).get("points", []) if p.get("curve_number", 1) == 1]
    picked = st.session_state.get("cnn_points")
    if points and picked:
        column, unit = picked[int(points[0]["point_index"])]
        st.session_state[STEP_KEY], st.session_state[UNIT_KEY] = column - 1, unit  # column 0: the input


def _step_chosen(over: explain.Overview) -> None:
    """A layer chosen in the selector opens its first unit, or the predicted digit at the output."""
    step = over.steps[st.session_state[STEP_KEY]]
    st.session_state[UNIT_KEY] = over.top if step.kind in ("logits", "softmax") else 0


def _hover(t: Translator, over: explain.Overview, points: list) -> list[str]:
    lang = chrome.language()
    out = []
    for column, unit in points:
        step = over.steps[column - 1]
        value = over.values[column - 1][unit]
        peak = i18n.format_number(float(np.max(value)), lang, ".3g")
        text = t("cnn.overview.hover", step=step_name(t, step), unit=unit_name(t, step, unit), peak=peak)
        out.append(f"{text} · {t('cnn.all_zero')}" if not np.any(value) else text)  # outlined in the picture
    return out


def _default_selection(over: explain.Overview) -> None:
    if STEP_KEY not in st.session_state or st.session_state[STEP_KEY] >= len(over.steps):
        st.session_state[STEP_KEY] = next((s.index for s in over.steps if s.kind == "conv"), 0)
    units = over.steps[st.session_state[STEP_KEY]].units
    if st.session_state.get(UNIT_KEY) is None or st.session_state[UNIT_KEY] >= units:
        st.session_state[UNIT_KEY] = 0


def overview(t: Translator, model, digit: np.ndarray) -> tuple[explain.Overview, explain.Step, int]:
    """Draw the overview of ``model`` on ``digit``; the chosen step and unit."""
    over = explain.cached_overview(model, digit)
    pic = picture(t, chrome.language(), model, digit, over)
    st.session_state["cnn_points"] = [(c, u) for _, _, c, u in pic.points]
    _default_selection(over)
    step_i, unit = st.session_state[STEP_KEY], st.session_state[UNIT_KEY]
    where = {(c, u): i for i, (_, _, c, u) in enumerate(pic.points)}
    top = [where[(len(over.steps) - k, over.top)] for k in (0, 1) if (len(over.steps) - k, over.top) in where]
    fig = plots.overview_figure(pic, t("cnn.overview.title"), hover(t, chrome.language(), model, digit, over, pic),
                                where.get((step_i + 1, unit)), top)
    lang = chrome.language()
    layers = "; ".join(f"{step_name(t, s)} ({t('cnn.overview.units', n=s.units)})" for s in over.steps)
    display.show(fig, key=CHART_KEY, on_select=_on_click, selection_mode="points",
                 text=t("cnn.overview.text", layers=layers, digit=over.top,
                        conf=i18n.format_number(float(over.probs[over.top]), lang, ".1%")))
    st.caption(t("cnn.overview.colours"))
    if over.members > 1:
        st.caption(t("cnn.overview.member", n=over.members))
    c1, c2 = st.columns(2)
    c1.selectbox(t("cnn.pick.layer"), list(range(len(over.steps))), key=STEP_KEY,
                 format_func=lambda i: step_name(t, over.steps[i]), on_change=_step_chosen, args=(over,))
    step = over.steps[st.session_state[STEP_KEY]]
    if st.session_state[UNIT_KEY] >= step.units:
        st.session_state[UNIT_KEY] = 0
    c2.selectbox(t("cnn.pick.unit"), list(range(step.units)), key=UNIT_KEY,
                 format_func=lambda u: unit_name(t, step, u), disabled=step.units == 1)
    return over, step, int(st.session_state[UNIT_KEY])
