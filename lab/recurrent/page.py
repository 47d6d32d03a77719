"""Recurrent networks: a digit read row by row (SimpleRNN, LSTM, GRU), memory over time with the
adding problem and gradients through time, the LSTM's gates, and the course's IMDB recipe."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("recurrent.title"))
st.markdown(t("recurrent.intro"))
chrome.lesson(t, "recurrent")

from core import query_state as q  # noqa: E402
from lab.recurrent import view_memory as recurrent_memory  # noqa: E402 - Keras only after the title is drawn
from lab.recurrent import view_read as recurrent_read  # noqa: E402
from ui import links  # noqa: E402

entries = recurrent_read.reader_entries()
if not entries:
    st.error(t("recurrent.read.none"))
    st.stop()
labels = {e.label: e for e in entries}
TAB_IDS = {t(f"recurrent.tabs.{name}"): name for name in ("read", "memory", "gates", "text")}  # label -> URL
LINK = [q.ChoiceField("model", "recurrent_model", entries[0].label, choices=list(labels),  # kept in the URL
                      text=lambda label: links.model_text(labels[label])),
        q.ChoiceField("tab", "recurrent_tab", next(iter(TAB_IDS)), choices=list(TAB_IDS), text=lambda label: TAB_IDS[label]),
        q.ChoiceField("source", "recurrent_source", "example", choices=["example", "canvas"]),
        q.IntField("example", "recurrent_example", 0, 0, 9999),
        q.IntField("rows", "recurrent_rows", 28, 1, 28)]
links.restore(t, "recurrent", LINK)
chosen = recurrent_read.choose_model(t, entries)

# Only the open tab runs (each tab's charts cost a model call or a small training).
tab_read, tab_memory, tab_gates, tab_text = st.tabs(list(TAB_IDS), key="recurrent_tab", on_change="rerun")

if tab_read.open:
    with tab_read:
        recurrent_read.read_tab(t, chosen, lambda: links.publish("recurrent", LINK))

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

links.publish("recurrent", LINK)
