"""Transfer learning: the lab's digit CNN reused for new symbols (+ − × ÷ =) drawn by the class;
from scratch vs feature extraction vs fine-tuning; the frozen features; the course's VGG recipe."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("transfer.title"))
st.markdown(t("transfer.intro"))
chrome.lesson(t, "transfer")
st.page_link("lab/teach/page.py", label=t("teach.link"), icon=":material/school:")  # your own classes

from lab.transfer import view as views  # noqa: E402 - Keras only after the title is drawn
from ui import links  # noqa: E402

# Only the open tab runs.
VIEWS = {"symbols": views.symbols_tab, "ways": views.ways_tab, "features": views.features_tab,
         "try": views.try_tab, "recipe": views.recipe_tab}
TABS = [t(f"transfer.tabs.{name}") for name in VIEWS]
# The open tab and the Symbols and Three ways settings are kept in the address (bind=links.URL:
# the parameter is the widget's key; the tab's and the symbol's hold their labels).
LINK_KEYS = ("transfer_tab", "transfer_symbol", "transfer_per_symbol", "transfer_epochs", "transfer_use_kept")
link = links.watch("transfer", LINK_KEYS)  # a notice for bad values in a link goes here
tabs = st.tabs(TABS, key="transfer_tab", on_change="rerun", bind=links.URL)
for tab, draw in zip(tabs, VIEWS.values()):
    if tab.open:
        with tab, chrome.guard(t):
            draw(t)
links.report(t, link, {"transfer_symbol": lambda s: views.glyph_name(t, s)})
