"""Recurrent networks: a digit read row by row (SimpleRNN, LSTM, GRU), memory over time with the
adding problem and gradients through time, the LSTM's gates, and the course's IMDB recipe."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("recurrent.title"))
st.markdown(t("recurrent.intro"))
chrome.lesson(t, "recurrent")

from ui import recurrent_memory, recurrent_read  # noqa: E402 - Keras only after the title is drawn

entries = recurrent_read.reader_entries()
if not entries:
    st.error(t("recurrent.read.none"))
    st.stop()
chosen = recurrent_read.choose_model(t, entries)

# Only the open tab runs (each tab's charts cost a model call or a small training).
tab_read, tab_memory, tab_gates, tab_text = st.tabs(
    [t("recurrent.tabs.read"), t("recurrent.tabs.memory"), t("recurrent.tabs.gates"), t("recurrent.tabs.text")],
    key="recurrent_tab", on_change="rerun")

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
