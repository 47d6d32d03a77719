"""The recurrent page's other tabs: memory over time (the adding problem), LSTM gates, text.

The adding race is a background job (``rnn_adding``) training the three cells one after
another at the chosen length; the gradients of untrained cells are computed at once
(one small network per cell, cached per length).
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import streamlit as st

from core import i18n, recipes
from core.jobs.registry import ACTIVE
from core.storage import store
from lab.recurrent import model as rnn
from lab.recurrent import training as rt
from ui import chrome, display, plots

LENGTHS = [10, 25, 50, 100, 200]


@st.cache_data(show_spinner=False, max_entries=8)
def _fresh_gradients(length: int) -> dict[str, list[float]]:
    return {cell: g.tolist() for cell, g in rnn.fresh_gradients(length).items()}


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def shrink_text(ratio: float, lang: str) -> str:
    """How much a gradient shrinks, in words of numbers a student reads: ``1/7,900`` (es:
    ``1/7.900``), ``10⁻¹²`` beyond a million, ``×1.3`` when it grows; never ``7.9e+03``."""
    if ratio >= 1:
        return "×" + i18n.format_number(ratio, lang, ".2g")
    if ratio < 1e-6:
        return "10" + str(int(np.floor(np.log10(max(ratio, 1e-300))))).translate(_SUPERSCRIPT)
    return "1/" + i18n.format_number(float(f"{1 / ratio:.2g}"), lang, ",.0f")


def _cell_names(t: i18n.Translator, series: dict) -> dict:
    return {t(f"recurrent.cells.{cell}"): values for cell, values in series.items()}


def _example(t: i18n.Translator, length: int) -> None:
    x, y = rnn.adding_data(1, length, seed=int(st.session_state.get("recurrent_adding_seed", 0)))
    marked = np.nonzero(x[0, :, 1])[0]  # the two marked steps, 0-based
    values = x[0, marked, 0]
    display.show(plots.lines({t("recurrent.memory.values"): x[0, :, 0], t("recurrent.memory.markers"): x[0, :, 1]},
                             t("recurrent.memory.example_title", length=length), t("recurrent.memory.step_axis"),
                             height=260), key="recurrent_adding_example",
                 text=t("recurrent.memory.example_text", a=int(marked[0]) + 1, b=int(marked[1]) + 1,
                        **{k: i18n.format_number(float(v), chrome.language(), ".2f")  # 0,04 in Spanish
                           for k, v in (("x", values[0]), ("y", values[1]), ("total", y[0]))}))


def _race_view(t: i18n.Translator) -> None:
    job = chrome.latest_job("rnn_adding", "recurrent_adding_job_id")
    if job is None:
        st.caption(t("recurrent.memory.none"))
        return
    chrome.job_panel(job, t, key="recurrent_adding_job")
    snap = job.snapshot()
    length = job.config.get("length", "?")
    curves = snap.extras.get("adding", {})
    if curves:
        series = {**_cell_names(t, curves),
                  t("recurrent.memory.baseline"): [rnn.ADDING_BASELINE_MSE] * max(len(v) for v in curves.values())}
        display.show(plots.lines(series, t("recurrent.memory.race_title", length=length),
                                 t("recurrent.memory.epoch_axis"), t("recurrent.memory.mse"),
                                 band=(0, rnn.SOLVED_MSE, t("recurrent.memory.solved_band")), height=320),
                     key="recurrent_adding_curves",
                     text=t("recurrent.memory.race_text", solved=", ".join(
                         t(f"recurrent.cells.{c}") for c, v in curves.items() if v and v[-1] < rnn.SOLVED_MSE) or "—"))
    gradients = snap.extras.get("gradients", {})
    if gradients:
        display.show(plots.lines(_cell_names(t, gradients), t("recurrent.memory.trained_grad_title"),
                                 t("recurrent.memory.step_axis"), t("recurrent.memory.grad_norm"), log_y=True,
                                 height=300), key="recurrent_adding_trained_grad")


def memory_tab(t: i18n.Translator) -> None:
    """The adding problem: one example, gradients per step, the race of the three cells."""
    st.markdown(t("recurrent.memory.explain"))
    length = st.select_slider(t("recurrent.memory.length"), LENGTHS, 50, key="recurrent_adding_length")
    _example(t, length)
    grads = _fresh_gradients(length)
    ratio = {c: g[0] / max(g[-1], 1e-30) for c, g in grads.items()}  # first step's gradient over the last's
    display.show(plots.lines(_cell_names(t, grads), t("recurrent.memory.grad_title", length=length),
                             t("recurrent.memory.step_axis"), t("recurrent.memory.grad_norm"), log_y=True, height=360),
                 key="recurrent_adding_grad",
                 text=t("recurrent.memory.grad_text", ratios=", ".join(
                     f"{t(f'recurrent.cells.{c}')} {shrink_text(r, chrome.language())}" for c, r in ratio.items())))
    st.page_link("lab/activations/page.py", label=t("recurrent.memory.vanishing_link"), icon=":material/show_chart:")
    st.markdown(t("recurrent.memory.race_explain"))
    c1, c2 = st.columns(2)
    epochs = c1.number_input(t("recurrent.memory.epochs"), 1, 30, 8, key="recurrent_adding_epochs")
    n_train = c2.select_slider(t("recurrent.memory.n_train"), [500, 1000, 2000, 4000, 8000], 4000,
                               key="recurrent_adding_n")
    if st.button(t("recurrent.memory.start"), key="recurrent_adding_start", icon=":material/play_arrow:",
                 type="primary", **chrome.start_button(t, "rnn_adding")):
        with chrome.guard(t):
            config = rt.AddingConfig(length=int(length), epochs=int(epochs), n_train=int(n_train)).validate()
            job = chrome.registry().submit("rnn_adding", t("recurrent.memory.job_title", length=length),
                                           asdict(config), owner=chrome.session_label())
            st.session_state["recurrent_adding_job_id"] = job.id
    job = chrome.latest_job("rnn_adding", "recurrent_adding_job_id")
    st.fragment(run_every=1 if job is not None and job.status in ACTIVE else None)(_race_view)(t)


# ---------------------------------------------------------------- LSTM gates
def gates_tab(t: i18n.Translator, entries: list[store.ModelEntry], chosen: store.ModelEntry,
              digit: np.ndarray | None) -> None:
    """Input, forget and output gates of an LSTM reader on the current digit, row by row."""
    st.markdown(t("recurrent.gates.explain"))
    entry = chosen if chosen.card.get("cell") == "lstm" else next(
        (e for e in entries if e.card.get("cell") == "lstm"), None)
    if entry is None:
        st.info(t("recurrent.gates.no_lstm"))
        return
    if entry is not chosen:
        st.caption(t("recurrent.gates.using", name=chrome.model_label(t, entry)))
    if digit is None:
        st.info(t("recurrent.gates.no_digit"))
        return
    gates = rnn.lstm_gates(store.load_cached(entry.path), digit)  # each (28 rows, units)
    shown = min(32, gates["input"].shape[1])  # the first units: enough to see the patterns
    left, right = st.columns([1, 5])
    left.image(plots.to_png_array(digit, scale=4), width=112, alt=t("recurrent.gates.digit_alt"))
    right.markdown(t("recurrent.gates.title", units=shown))
    panels = [{"z": gates[g][:, :shown], "title": t(f"recurrent.gates.{g}"), "zmin": 0, "zmax": 1,
               "colorscale": "Viridis"} for g in ("input", "forget", "output")]  # each (28 rows, units)
    display.show(plots.heatmap_panels(panels, height=380), key="recurrent_gates",
                 text=t("recurrent.gates.text", forget=f"{float(gates['forget'].mean()):.2f}",
                        input=f"{float(gates['input'].mean()):.2f}", output=f"{float(gates['output'].mean()):.2f}"))
    means = {t(f"recurrent.gates.{g}"): gates[g].mean(axis=1) for g in ("input", "forget", "output")}
    display.show(plots.lines(means, t("recurrent.gates.mean_title"), t("recurrent.read.row_axis"),
                             t("recurrent.gates.mean_axis"), height=280), key="recurrent_gates_mean")


def text_tab(t: i18n.Translator) -> None:
    """The course's IMDB sentiment recipe, as code for a connected machine."""
    st.markdown(t("recurrent.text.explain"))
    st.code(recipes.IMDB_RECIPE, language=None)  # unstyled: the highlighter's keyword blue fails WCAG contrast
    st.info(t("recurrent.text.download"), icon=":material/cloud_download:")
