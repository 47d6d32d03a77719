"""Recurrent networks: a digit read row by row (SimpleRNN, LSTM, GRU), memory over time with the
adding problem and gradients through time, the LSTM's gates, and the course's IMDB recipe."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("recurrent.title"))
st.markdown(t("recurrent.intro"))
chrome.lesson(t, "recurrent")

from lab.recurrent import view_memory as recurrent_memory  # noqa: E402 - Keras only after the title is drawn
from lab.recurrent import view_read as recurrent_read  # noqa: E402
from ui import links  # noqa: E402

entries = recurrent_read.reader_entries()
if not entries:
    st.error(t("recurrent.read.none"))
    st.stop()
labels = {e.label: e for e in entries}
TABS = [t(f"recurrent.tabs.{name}") for name in ("read", "memory", "gates", "text")]
# Kept in the address (bind=links.URL: the parameter is the widget's key; a choice's holds its
# label): the reader, the open tab, the digit's source and the rows read. The test image's
# number is not a widget: the Read tab reads and writes it itself.
LINK_KEYS = ("recurrent_model", "recurrent_tab", "recurrent_source", recurrent_read.ROWS_KEY)
link = links.watch("recurrent", LINK_KEYS)  # a notice for bad values in a link goes here
chosen = recurrent_read.choose_model(t, entries)

# Only the open tab runs (each tab's charts cost a model call or a small training).
tab_read, tab_memory, tab_gates, tab_text = st.tabs(TABS, key="recurrent_tab", on_change="rerun", bind=links.URL)

if tab_read.open:
    with tab_read:
        recurrent_read.read_tab(t, chosen)

if tab_memory.open:
    with tab_memory, chrome.guard(t):
        recurrent_memory.memory_tab(t)

if tab_gates.open:
    with tab_gates, chrome.guard(t):
        recurrent_memory.gates_tab(t, entries, chosen, st.session_state.get(recurrent_read.DIGIT_KEY,
                                                                         recurrent_read.default_digit()))

if tab_text.open:
    with tab_text:
        recurrent_memory.text_tab(t)

links.report(t, link, {"recurrent_model": lambda label: recurrent_read.model_text(t, labels[label]),
                       "recurrent_source": lambda s: recurrent_read.source_text(t, s)})
