"""The training toolbox: optimisers racing on 2-D loss surfaces, batch normalisation and dropout on
a small MNIST network trained in the background, and one hidden layer approximating a curve."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("toolbox.title"))
st.markdown(t("toolbox.intro"))
chrome.lesson(t, "toolbox")

from lab.toolbox import view_approx, view_bn, view_race  # noqa: E402  (after the title is drawn)

# Only the open tab runs: the race redraws on every slider, the job tab polls while training.
TABS = {t(f"toolbox.tabs.{name}"): name for name in ("race", "bn", "approx")}
tab_race, tab_bn, tab_approx = st.tabs(list(TABS), key="toolbox_tab", on_change="rerun")

if tab_race.open:
    with tab_race, chrome.guard(t):
        view_race.race_tab(t)

if tab_bn.open:
    with tab_bn:
        view_bn.bn_tab(t)

if tab_approx.open:
    with tab_approx, chrome.guard(t):
        view_approx.approx_tab(t)
