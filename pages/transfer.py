"""Transfer learning: the lab's digit CNN reused for new symbols (+ − × ÷ =) drawn by the class;
from scratch vs feature extraction vs fine-tuning; the frozen features; the course's VGG recipe."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("transfer.title"))
st.markdown(t("transfer.intro"))
chrome.lesson(t, "transfer")

from ui import transfer_views as views  # noqa: E402 - Keras only after the title is drawn

# Only the open tab runs.
VIEWS = {"symbols": views.symbols_tab, "ways": views.ways_tab, "features": views.features_tab,
         "try": views.try_tab, "recipe": views.recipe_tab}
tabs = st.tabs([t(f"transfer.tabs.{name}") for name in VIEWS], key="transfer_tab", on_change="rerun")
for tab, draw in zip(tabs, VIEWS.values()):
    if tab.open:
        with tab, chrome.guard(t):
            draw(t)
