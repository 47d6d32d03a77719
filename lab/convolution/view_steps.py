"""The convolution page's step-by-step player: Play/Pause, the step buttons, and one window at a time.

State lives in ``st.session_state``: ``convolution_step`` (the output cell shown, 1-based) and
``convolution_playing``. Play/Pause sits outside the fragment: its click reruns the whole page,
which starts or stops the fragment's timer without a rerun requested from inside the fragment.
While playing, the fragment advances one cell every ``PLAY_SECONDS`` and, at the last cell,
reruns the page once to stop its timer and show Play again.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.i18n import Translator
from lab.convolution import maths as conv
from lab.convolution.maths_trace import ConvTrace, sum_latex
from lab.convolution.plots import BORDER, CELL, WINDOW, cell_text, panel
from lab.convolution.view import draw

PLAY_SECONDS = 0.8
Scale = Callable[..., tuple[float, float]]  # the colour range for some arrays (one shared range, or their own)


def _move(delta: int, total: int) -> None:
    st.session_state["convolution_step"] = min(max(st.session_state.get("convolution_step", 1) + delta, 1), total)


def _play_or_pause(total: int) -> None:
    playing = not st.session_state.get("convolution_playing", False)
    if playing and st.session_state.get("convolution_step", 1) >= total:
        st.session_state["convolution_step"] = 1  # play again from the first cell
    st.session_state["convolution_playing"] = playing


def player(t: Translator, trace: ConvTrace, scale: Scale) -> None:
    """The Play/Pause button and the step-by-step fragment for ``trace``, coloured by ``scale``."""
    playing = bool(st.session_state.get("convolution_playing"))  # fixed for this run of the page
    st.button(t("convolution.steps.pause" if playing else "convolution.steps.play"), key="convolution_play",
              icon=":material/pause:" if playing else ":material/play_arrow:", on_click=_play_or_pause,
              args=(len(trace),))
    st.fragment(run_every=PLAY_SECONDS if playing else None)(_steps)(t, trace, scale, playing)


def _advance(total: int) -> None:
    """One cell on while playing; at the last cell, stop (a page rerun stops the timer)."""
    if st.session_state["convolution_step"] >= total:
        st.session_state["convolution_playing"] = False
        st.rerun()  # the last cell: rerun the page to stop the timer and show Play again
    _move(1, total)


def _buttons(t: Translator, total: int, playing: bool) -> None:
    b = st.columns([1.1, 1.1, 1.1, 2.5])
    b[0].button(t("convolution.steps.previous"), key="convolution_prev", icon=":material/skip_previous:",
                on_click=_move, args=(-1, total), disabled=playing)
    b[1].button(t("convolution.steps.next"), key="convolution_next", icon=":material/skip_next:",
                on_click=_move, args=(1, total), disabled=playing)
    b[2].button(t("convolution.steps.first"), key="convolution_first", icon=":material/first_page:",
                on_click=_move, args=(-total, total), disabled=playing)
    b[3].number_input(t("convolution.steps.cell", total=total), 1, total, key="convolution_step",
                      disabled=playing)


def _steps(t: Translator, trace: ConvTrace, scale: Scale, playing: bool) -> None:
    total = len(trace)
    if not 1 <= st.session_state.get("convolution_step", 1) <= total:
        st.session_state["convolution_step"] = 1
    if playing:
        _advance(total)
    _buttons(t, total, playing)
    i = st.session_state["convolution_step"] - 1
    step = trace.step(i)
    st.markdown(t("convolution.steps.where", row=step.row + 1, col=step.col + 1,
                  top=step.top + 1, left=step.left + 1))
    _window_row(t, trace, i, scale)
    st.latex(sum_latex(trace, step))


def _window_row(t: Translator, trace: ConvTrace, i: int, scale: Scale) -> None:
    """The padded input with the window, the window's products, and the output filled so far."""
    step, k = trace.step(i), trace.kernel.shape[0]
    padded, out = trace.padded, trace.partial_output(i)
    before, side = trace.pad[0], padded.shape[0] - sum(trace.pad)
    boxes = [(step.top, step.left, k, k, WINDOW)]
    if before or trace.pad[1]:
        boxes.insert(0, (before, before, side, side, BORDER))  # the real image inside its zero border
    draw("steps",
         panel(padded, t("convolution.steps.padded", n=padded.shape[0]), scale(padded), boxes, cell_text(padded)),
         panel(step.products, t("convolution.steps.products"), conv.value_range(step.products),
               text=conv.cell_text(step.products)),
         panel(out, t("convolution.steps.output"), scale(trace.output), [(step.row, step.col, 1, 1, CELL)],
               cell_text(out)))

