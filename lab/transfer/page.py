"""Transfer learning: the lab's digit CNN reused for new symbols (+ − × ÷ =) drawn by the class;
from scratch vs feature extraction vs fine-tuning; the frozen features; the course's VGG recipe."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("transfer.title"))
st.markdown(t("transfer.intro"))
chrome.lesson(t, "transfer")
st.page_link("lab/teach/page.py", label=t("teach.link"), icon=":material/school:")  # your own classes

from core import query_state as q  # noqa: E402
from lab.transfer import view as views  # noqa: E402 - Keras only after the title is drawn
from ui import links  # noqa: E402

# Only the open tab runs.
VIEWS = {"symbols": views.symbols_tab, "ways": views.ways_tab, "features": views.features_tab,
         "try": views.try_tab, "recipe": views.recipe_tab}
TAB_IDS = {t(f"transfer.tabs.{name}"): name for name in VIEWS}  # tab label -> its name in the URL
LINK = [q.ChoiceField("tab", "transfer_tab", next(iter(TAB_IDS)), choices=list(TAB_IDS),  # kept in the URL
                      text=lambda label: TAB_IDS[label]),
        q.ChoiceField("symbol", "transfer_symbol", views.NAMES[0], choices=views.NAMES),
        q.IntField("per", "transfer_per_symbol", 10, 3, 30),
        q.IntField("epochs", "transfer_epochs", 5, 1, 30),
        q.BoolField("kept", "transfer_use_kept", True)]
links.restore(t, "transfer", LINK)
tabs = st.tabs(list(TAB_IDS), key="transfer_tab", on_change="rerun")
for tab, draw in zip(tabs, VIEWS.values()):
    if tab.open:
        with tab, chrome.guard(t):
            draw(t)
links.publish("transfer", LINK)
