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
tab_symbols, tab_ways, tab_features, tab_try, tab_recipe = st.tabs(
    [t("transfer.tabs.symbols"), t("transfer.tabs.ways"), t("transfer.tabs.features"), t("transfer.tabs.try"),
     t("transfer.tabs.recipe")], key="transfer_tab", on_change="rerun")

if tab_symbols.open:
    with tab_symbols, chrome.guard(t):
        views.symbols_tab(t)

if tab_ways.open:
    with tab_ways, chrome.guard(t):
        views.ways_tab(t)

if tab_features.open:
    with tab_features, chrome.guard(t):
        views.features_tab(t)

if tab_try.open:
    with tab_try, chrome.guard(t):
        views.try_tab(t)

if tab_recipe.open:
    with tab_recipe:
        views.recipe_tab(t)
