"""The recurrent page's first tab: a network reads a digit row by row; train your own reader.

The digit comes from a test image, the tab's own canvas or the classifier page's last
drawing; the chosen reader is replayed step by step (``lab.recurrent.model.steps``) so a student
sees the answer settle as the rows are read. Training is a background job (``rnn_reader``).
"""

from __future__ import annotations

import time
from dataclasses import asdict

import numpy as np
import streamlit as st

from core import i18n
from core.jobs.registry import ACTIVE
from core.storage import mnist, store
from lab.recurrent import model as rnn
from lab.recurrent import training as rt
from ui import canvas, chrome, display, links, plots, shared

DIGITS = list(range(10))
DIGIT_KEY = "recurrent_digit"  # the digit the reader and the gates tabs show, (28, 28) in [0, 1]
ROWS_KEY = "recurrent_rows"  # the rows read so far (the slider)
PLAY_KEY = "recurrent_play"  # while "Play" runs: the monotonic time it showed row 1 (None: not yet)
PLAY_S = 0.4  # seconds per row: the 28 rows in about 11 s


def reader_entries() -> list[store.ModelEntry]:
    """Shipped readers first, the LSTM (the best reader, the one the gates tab explains) at
    their head; then the student's, newest first."""
    return sorted(store.list_models(kind="rnn"), key=lambda e: (not e.shipped, e.name != "rnn-lstm"))


def load(entry: store.ModelEntry):
    return store.load_cached(entry.path)


def choose_model(t: i18n.Translator, entries: list[store.ModelEntry]) -> store.ModelEntry:
    labels = {e.label: e for e in entries}
    if st.session_state.get("recurrent_model") not in labels:
        st.session_state["recurrent_model"] = entries[0].label
    chosen = st.selectbox(t("recurrent.read.model"), list(labels), key="recurrent_model", bind=links.URL, persist_state="session",
                          format_func=lambda label: model_text(t, labels[label]))
    return labels[chosen]


def model_text(t: i18n.Translator, entry: store.ModelEntry) -> str:
    """A reader's name in the list (and in the address, which holds the shown label)."""
    return f"{chrome.model_label(t, entry)} · {t('recurrent.cells.' + entry.card.get('cell', 'lstm'))}"


def source_text(t: i18n.Translator, source: str) -> str:
    return t(f"recurrent.read.source_{source}")


def _test_images():
    return mnist.load_mnist(prefer_full=False)[1]


def input_digit(t: i18n.Translator) -> np.ndarray | None:
    """The digit to read, ``(28, 28)`` in [0, 1], from the source the student picked."""
    sources = ["example", "canvas"] + (["classifier"] if shared.last_digit() is not None else [])
    source = st.radio(t("recurrent.read.source"), sources, horizontal=True, key="recurrent_source",
                      format_func=lambda s: source_text(t, s), bind=links.URL)
    if source == "canvas":
        return canvas.digit_canvas("recurrent_canvas", chrome.translator()("recurrent.read.clear"))
    if source == "classifier":
        return shared.last_digit()
    x, y = _test_images()
    k = links.example_number("recurrent", len(x), t("recurrent.read.another"))
    st.caption(t("recurrent.read.example_caption", k=k, label=int(y[k])))
    return x[k].astype(np.float32) / 255.0


def default_digit() -> np.ndarray:
    """The first official test image, for tabs opened before any digit was chosen."""
    return _test_images()[0][0].astype(np.float32) / 255.0


def _rows_shown(digit: np.ndarray, rows: int) -> np.ndarray:
    """The digit with the rows not read yet dimmed, enlarged 6× for display."""
    shown = digit.copy()
    shown[rows:] *= 0.25
    shown[rows:] += 0.15  # grey: "not read yet" even where the digit is black
    return plots.to_png_array(shown, scale=6)


def _play() -> None:
    st.session_state[PLAY_KEY] = None  # the clock starts when the ticking view first draws row 1
    st.session_state[ROWS_KEY] = 1


def _pause() -> None:
    st.session_state.pop(PLAY_KEY, None)


def _played_row(ticking: bool) -> None:
    """While playing: the row the clock has reached (one every ``PLAY_S``), the end at row 28."""
    if PLAY_KEY not in st.session_state:
        return
    start = st.session_state[PLAY_KEY]
    if start is None and ticking:
        st.session_state[PLAY_KEY] = start = time.monotonic()
    row = 1 if start is None else 1 + int((time.monotonic() - start) / PLAY_S)
    if row >= 28:
        row = 28
        _pause()
    st.session_state[ROWS_KEY] = row


def _row_view(t: i18n.Translator, found: dict, digit: np.ndarray, ticking: bool) -> None:
    """Play (or Pause and a bar), the rows slider, the digit so far and the answer after that row. A fragment
    that ticks every ``PLAY_S`` while playing: a tick redraws one small picture, two numbers and
    ten bars from ``found`` (the 28 steps were computed once, by the page's run)."""
    _played_row(ticking)
    playing = PLAY_KEY in st.session_state
    if playing != ticking:
        st.rerun()  # start or stop the ticking: the whole page declares the fragment again
    if playing:  # a bar instead of the slider: a slider set from here reports its own moves back late
        st.button(t("recurrent.read.pause"), key="recurrent_pause", icon=":material/pause:", on_click=_pause)
        rows = int(st.session_state[ROWS_KEY])
        st.progress(rows / 28, text=t("recurrent.read.playing", rows=rows))
        _row_answer(t, found, digit, rows)
        return
    every = i18n.format_number(PLAY_S, chrome.language(), ".1f")
    st.button(t("recurrent.read.play"), key="recurrent_play_button", icon=":material/play_arrow:",
              on_click=_play, help=t("recurrent.read.play_help", s=every))
    default = {} if ROWS_KEY in st.session_state else {"value": 28}
    rows = st.slider(t("recurrent.read.rows"), 1, 28, key=ROWS_KEY, bind=links.URL, **default)
    _row_answer(t, found, digit, rows)


def reading(t: i18n.Translator, model, digit: np.ndarray) -> None:
    """The answer after each row (played row by row on demand), the answer settling, the
    hidden state."""
    found = rnn.steps(model, digit)  # hidden (28, units), probs (28, 10)
    ticking = PLAY_KEY in st.session_state
    st.fragment(run_every=PLAY_S if ticking else None)(_row_view)(t, found, digit, ticking)
    _settling(t, found)


def _row_answer(t: i18n.Translator, found: dict, digit: np.ndarray, rows: int) -> None:
    """The digit with its first ``rows`` rows read, the answer and the ten probabilities then."""
    lang = chrome.language()
    probs = found["probs"][rows - 1]
    top = int(probs.argmax())
    left, right = st.columns([1, 2])
    left.image(_rows_shown(digit, rows), width=168, alt=t("recurrent.read.image_alt", rows=rows))
    with right:
        m1, m2 = st.columns(2)
        m1.metric(t("recurrent.read.answer", rows=rows), str(top))
        m2.metric(t("recurrent.read.confidence"), i18n.format_number(float(probs[top]), lang, ".1%"))
        display.show(plots.bars(DIGITS, probs, highlight=top, y_range=(0, 1), height=220,
                                title=t("recurrent.read.probs_title", rows=rows),
                                x_title=t("recurrent.read.digit"), y_title=t("recurrent.read.probability")),
                     key="recurrent_probs", text=display.top_text(DIGITS, probs, lang))


def _settling(t: i18n.Translator, found: dict) -> None:
    """The top three answers after every row, and the hidden state after every row."""
    settled = int(rnn.settling_row(found["probs"]))
    final = int(found["probs"][-1].argmax())
    series = {str(d): found["probs"][:, d] for d in np.argsort(found["probs"][-1])[::-1][:3]}
    display.show(plots.lines(series, t("recurrent.read.settle_title"), t("recurrent.read.row_axis"),
                             t("recurrent.read.probability"), height=300),
                 key="recurrent_settle", text=t("recurrent.read.settle_text", digit=final, row=settled))
    display.show(plots.heatmap(found["hidden"], t("recurrent.read.hidden_title"), colorscale="RdBu",
                               zmin=-1, zmax=1, x_title=t("recurrent.read.unit_axis"),
                               y_title=t("recurrent.read.row_axis"), height=420, square=False,
                               y_labels=list(range(1, 29))),  # row t: the state after reading row t
                 key="recurrent_hidden", text=t("recurrent.read.hidden_text", units=found["hidden"].shape[1]))


# ---------------------------------------------------------------- training a reader
def train_controls(t: i18n.Translator) -> rt.ReaderConfig:
    c1, c2, c3 = st.columns(3)
    cell = c1.selectbox(t("recurrent.train.cell"), list(rnn.CELLS), index=1, key="recurrent_train_cell",
                        format_func=lambda c: t(f"recurrent.cells.{c}"))
    units = c2.select_slider(t("recurrent.train.units"), [16, 32, 64, 128], 64, key="recurrent_train_units")
    epochs = c3.number_input(t("recurrent.train.epochs"), 1, 30, 3, key="recurrent_train_epochs")
    return rt.ReaderConfig(cell=cell, units=int(units), epochs=int(epochs)).validate()


def _job_view(t: i18n.Translator) -> None:
    job = chrome.latest_job("rnn_reader", "recurrent_job_id")
    if job is None:
        return
    chrome.job_panel(job, t, key="recurrent_job")
    snap = job.snapshot()
    curves = {t("recurrent.train.curve_train"): snap.history.get("accuracy", []),
              t("recurrent.train.curve_val"): snap.history.get("val_accuracy", [])}
    if any(curves.values()):
        display.show(plots.lines(curves, t("recurrent.train.curve_title"), t("recurrent.train.epoch_axis"),
                                 t("recurrent.train.accuracy"), height=280), key="recurrent_train_curve")
    if snap.result.get("name"):
        st.success(t("recurrent.train.saved", name=snap.result["name"],
                     acc=i18n.format_number(snap.result.get("test_accuracy", 0.0), chrome.language(), ".1%")))
    if snap.status not in ACTIVE and st.session_state.get("recurrent_job_seen") != (job.id, snap.status):
        st.session_state["recurrent_job_seen"] = (job.id, snap.status)
        st.rerun(scope="app")  # the new reader now appears in the list


def train_section(t: i18n.Translator) -> None:
    """Recipe, Start (a background job), live accuracy curves."""
    st.subheader(t("recurrent.train.header"))
    st.markdown(t("recurrent.train.explain"))
    with chrome.guard(t):
        config = train_controls(t)
        if st.button(t("recurrent.train.start"), key="recurrent_train_start", icon=":material/play_arrow:",
                     type="primary", **chrome.start_button(t)):
            title = t("recurrent.train.job_title", cell=t(f"recurrent.cells.{config.cell}"))
            job = chrome.registry().submit("rnn_reader", title, asdict(config), owner=chrome.session_label())
            st.session_state["recurrent_job_id"] = job.id
    job = chrome.latest_job("rnn_reader", "recurrent_job_id")
    st.fragment(run_every=1 if job is not None and job.status in ACTIVE else None)(_job_view)(t)


def read_tab(t: i18n.Translator, entry: store.ModelEntry) -> None:
    with chrome.guard(t):
        digit = input_digit(t)
        if digit is None:
            st.info(t("recurrent.read.start"))
        else:
            st.session_state[DIGIT_KEY] = digit
            reading(t, load(entry), digit)
    train_section(t)
