"""Home: what the lab is and where to start."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("home.title"))
st.markdown(t("home.intro"))
cols = st.columns(3)
for i, (path, url, key, icon) in enumerate(chrome.PAGES[1:]):
    with cols[i % 3].container(border=True):
        st.page_link(path, label=t(key), icon=icon)
        st.caption(t(f"home.blurb_{url}"))
st.caption(t("home.credits"))
